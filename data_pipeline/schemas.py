"""pandera schemas: one DataFrameModel per source (the typed extract as delivered), and the tables this
package hands to others (persons, households, results).

Source schemas check values, not identity: ID columns are raw text here because idnumbers.py and
idrepair.py own what an ID number is. A row that fails a check is quarantined, not the file.
"""

from __future__ import annotations

# pandera's data-synthesis module imports hypothesis internals that the hypothesis release pinned by
# eth-brownie (6.27.3) lacks, which breaks `import pandera.pandas`. We never synthesise data from schemas,
# so tell pandera hypothesis is absent before its backends load.
import pandera.strategies.base_strategies as _pandera_strategies

_pandera_strategies.HAS_HYPOTHESIS = False

import pandera.pandas as pa  # noqa: E402
from pandera.typing import Series  # noqa: E402

MAX_MONEY = 1e8  # yuan per year; anything above is a keying error in a rural county extract
RELATIONS = ["户主", "配偶", "子女", "父母", "其他"]
HOUSE_GRADES = ["A", "B", "C", "D"]
INCOME_BASES = ["measured", "estimated"]  # housing safety appraisal; C and D are dangerous houses (危房)


def _money(**kw):
    return pa.Field(ge=0, le=MAX_MONEY, nullable=True, **kw)


def _flag():
    return pa.Field(isin=[0.0, 1.0], nullable=True)


class _Source(pa.DataFrameModel):
    class Config:
        strict = False  # extra columns are ignored; missing ones are caught earlier with a clear message


class Census(_Source):
    """普调: the household survey; one row per person, household answers repeated on every member's row."""

    id_number: Series[str] = pa.Field(nullable=True)
    name: Series[str] = pa.Field(nullable=True)
    head_id_number: Series[str] = pa.Field(nullable=True)
    relation: Series[str] = pa.Field(isin=RELATIONS, nullable=True)
    village_code: Series[str] = pa.Field(nullable=True)
    disability_grade: Series[float] = pa.Field(isin=[0.0, 1.0, 2.0, 3.0, 4.0], nullable=True)
    chronic_illness: Series[float] = _flag()
    in_school: Series[float] = _flag()
    can_work: Series[float] = _flag()
    education_years: Series[float] = pa.Field(ge=0, le=25, nullable=True)  # adults' years of schooling
    medical_insured: Series[float] = _flag()
    reported_wage: Series[float] = _money()
    reported_business: Series[float] = _money()
    reported_transfers: Series[float] = _money()
    reported_farm_income: Series[float] = _money()
    housing_safe: Series[float] = _flag()
    drinking_water_safe: Series[float] = _flag()
    food_clothing_secure: Series[float] = _flag()
    durables: Series[float] = pa.Field(ge=0, le=20, nullable=True)  # durable goods owned by the household
    registered_poor: Series[float] = _flag()
    income_pc_prev1: Series[float] = _money()
    income_pc_prev2: Series[float] = _money()


class HouseholdRegistration(_Source):
    """户政: the hukou register; who belongs to which household and village."""

    id_number: Series[str] = pa.Field(nullable=True)
    name: Series[str] = pa.Field(nullable=True)
    household_no: Series[str] = pa.Field(nullable=True)
    head_id_number: Series[str] = pa.Field(nullable=True)
    relation: Series[str] = pa.Field(isin=RELATIONS, nullable=True)
    village_code: Series[str] = pa.Field(nullable=True)


class SocialSecurity(_Source):
    """社保: insurance, pensions and transfers (yuan per year)."""

    id_number: Series[str] = pa.Field(nullable=True)
    name: Series[str] = pa.Field(nullable=True)
    medical_insured: Series[float] = _flag()
    pension: Series[float] = _money()
    dibao: Series[float] = _money()
    disability_allowance: Series[float] = _money()
    major_illness_claim: Series[float] = _flag()


class Bank(_Source):
    """银行: wage credits and balances of adults' accounts."""

    id_number: Series[str] = pa.Field(nullable=True)
    name: Series[str] = pa.Field(nullable=True)
    wage_credits: Series[float] = _money()
    balance: Series[float] = pa.Field(ge=0, le=MAX_MONEY * 10, nullable=True)


class Tax(_Source):
    """税务: wage income withheld by employers."""

    id_number: Series[str] = pa.Field(nullable=True)
    name: Series[str] = pa.Field(nullable=True)
    wage_income: Series[float] = _money()


class Agriculture(_Source):
    """农委: farm income, rural drinking water and disaster losses, per household."""

    head_id_number: Series[str] = pa.Field(nullable=True)
    village_code: Series[str] = pa.Field(nullable=True)
    farm_net_income: Series[float] = pa.Field(ge=-MAX_MONEY / 100, le=MAX_MONEY, nullable=True)
    income_basis: Series[str] = pa.Field(isin=INCOME_BASES, nullable=True)  # measured, or land x standard yield
    drinking_water_safe: Series[float] = _flag()
    disaster_loss: Series[float] = _money()


class BusinessRegistration(_Source):
    """工商: registered individual businesses and their net income."""

    id_number: Series[str] = pa.Field(nullable=True)
    name: Series[str] = pa.Field(nullable=True)
    business_net_income: Series[float] = pa.Field(ge=-MAX_MONEY / 100, le=MAX_MONEY, nullable=True)
    registered_capital: Series[float] = pa.Field(ge=0, le=MAX_MONEY * 10, nullable=True)


class Credit(_Source):
    """征信: outstanding debt and overdue status."""

    id_number: Series[str] = pa.Field(nullable=True)
    debt_outstanding: Series[float] = pa.Field(ge=0, le=MAX_MONEY * 10, nullable=True)
    overdue: Series[float] = _flag()


class Land(_Source):
    """土地: contracted land and the housing safety appraisal, per household."""

    head_id_number: Series[str] = pa.Field(nullable=True)
    village_code: Series[str] = pa.Field(nullable=True)
    contracted_land_mu: Series[float] = pa.Field(ge=0, le=500, nullable=True)
    house_safety_grade: Series[str] = pa.Field(isin=HOUSE_GRADES, nullable=True)


class Consumption(_Source):
    """消费: household spending (yuan per year) from the consumption survey."""

    head_id_number: Series[str] = pa.Field(nullable=True)
    food_clothing_spend: Series[float] = _money()
    education_spend: Series[float] = _money()
    medical_spend: Series[float] = _money()
    total_spend: Series[float] = _money()


class Results(pa.DataFrameModel):
    """The results table the oracle reads: one row per household. household_key is the raw ID number of
    the household head and must never be published; the oracle replaces it with a keyed hash."""

    household_key: Series[str] = pa.Field(str_matches=r"^[0-9]{17}[0-9X]$", unique=True)
    # pandas' nullable integer dtypes, named as pandera takes them (strings, not Python names): hence F821.
    region: Series["UInt64"] = pa.Field(ge=10**11, le=10**12 - 1)  # type: ignore[type-arg]  # noqa: F821
    decision: Series["UInt8"] = pa.Field(isin=[0, 1, 2, 3, 4])  # type: ignore[type-arg]  # noqa: F821
    reasons: Series["UInt32"]  # type: ignore[type-arg]  # noqa: F821
    score: Series["UInt32"]  # type: ignore[type-arg]  # noqa: F821
    policy_version: Series[str]
    policy_hash: Series[str] = pa.Field(str_matches=r"^0x[0-9a-f]{64}$")

    class Config:
        strict = True
