"""The latent truth of a synthetic county: people, households, and their true income, consumption,
assets and living conditions over several periods (a panel).

Every household has a latent earning capacity ``z`` (standard normal) and lives in a village with its own
effect; wages, employment, business, farm yields, schooling, housing, savings and durables all depend on
them, so observable assets say something about income (which is what a proxy-means test relies on),
and nothing is decided by a rule applied to a source's value. Incomes are drawn for PERIODS periods
(0 = the registration assessment, 1 and 2 = the assessments the census records, 3 = the current one): jobs are
lost, harvests vary, so exits and returns to poverty have a truth. The sources (extracts.py) observe this truth
with administrative errors.

This module imports nothing from the pipeline (data_pipeline.* outside synth/): see idcodes.py and rules.py.
Vectorised with numpy; every draw comes from one Generator, so a seed fixes the county.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_pipeline.synth import idcodes
from data_pipeline.synth.rules import line, reference_date

SURNAMES = list(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红梅建林国文辉成荣志永春金海云德福生龙玲凤琴珍兴")
HOUSEHOLD_SIZES = np.arange(1, 9)
SIZE_WEIGHTS = np.array([0.12, 0.21, 0.23, 0.2, 0.12, 0.07, 0.03, 0.02])
# Birth-registration regions of people who moved in from elsewhere in the province (ID prefix); 530421
# (江川县) was retired in 2015, and IDs issued before keep it.
OTHER_PREFIXES = np.array([530102, 530111, 530302, 530421, 530521, 530623, 532301, 532322, 532325, 532501])
# Income periods drawn: the registration assessment (建档立卡, when today's registered households were
# found poor), the two assessments the census records, and the current one.
PERIODS = 4
PERIOD_LEVEL = np.array([0.88, 0.92, 0.96, 1.0])  # incomes grow about 4% a period


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


@dataclass
class Population:
    """The truth: one row per person, one row per household (see columns in build())."""

    county: int
    persons: pd.DataFrame
    households: pd.DataFrame


def _villages(county: int, n_people: int) -> np.ndarray:
    n_villages = int(np.clip(n_people // 3000, 4, 400))
    n_towns = int(np.clip(np.ceil(n_villages / 20), 2, 30))
    per_town = int(np.ceil(n_villages / n_towns))
    codes = [county * 10**6 + t * 1000 + v for t in range(1, n_towns + 1) for v in range(1, per_town + 1)]
    return np.array(codes[:n_villages], dtype=np.int64)


def _unique_ids(rng: np.random.Generator, prefix: np.ndarray, birth: pd.DatetimeIndex, male: np.ndarray,
                taken: np.ndarray) -> np.ndarray:
    ymd = (birth.year * 10000 + birth.month * 100 + birth.day).to_numpy().astype(np.int64)
    base = prefix.astype(np.int64) * 10**11 + ymd * 1000
    seq = rng.integers(0, 500, len(prefix)) * 2 + male.astype(np.int64)  # odd sequence digit = male
    bodies = base + seq
    while True:  # redraw the sequence of any collision: an ID number is unique in the whole country
        dup = pd.Series(bodies).duplicated().to_numpy() | pd.Index(bodies).isin(taken)
        if not dup.any():
            break
        seq[dup] = rng.integers(0, 500, int(dup.sum())) * 2 + male[dup].astype(np.int64)
        bodies = base + seq
    return idcodes.with_check(bodies)


def build(rng: np.random.Generator, n_people: int, county: int, rules: dict,
          taken: np.ndarray | None = None) -> Population:
    """Draws a county of ``n_people`` people whose ID bodies (first 17 digits as int64) avoid ``taken``
    (people of counties drawn before: migrants' IDs carry other counties' prefixes)."""
    ref = pd.Timestamp(reference_date(rules))
    villages = _villages(county, n_people)

    sizes = rng.choice(HOUSEHOLD_SIZES, size=n_people // 2 + 8, p=SIZE_WEIGHTS)
    ends = np.cumsum(sizes)
    n_households = int(np.searchsorted(ends, n_people) + 1)
    sizes = sizes[:n_households]
    sizes[-1] -= int(ends[n_households - 1] - n_people)  # the last household takes what is left
    hh = np.repeat(np.arange(n_households), sizes)
    member = np.arange(n_people) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    village_index = rng.integers(0, len(villages), n_households)
    village_of_hh = villages[village_index]

    # Latent earning capacity of each household, and a village effect (roads, markets, jobs nearby).
    z = rng.normal(0, 1, n_households)
    v = rng.normal(0, 0.25, len(villages))[village_index]
    zp, vp = z[hh], v[hh]

    # Ages and relations: member 0 heads the household, member 1 is the spouse, the rest children or parents.
    head_age = rng.integers(25, 80, n_households)[hh]
    is_child = rng.random(n_people) < 0.8
    age = np.where(member == 0, head_age, 0)
    age = np.where(member == 1, np.clip(head_age + rng.integers(-5, 6, n_people), 20, 95), age)
    child_age = head_age - rng.integers(20, 37, n_people)
    child_age = np.where(child_age < 0, rng.integers(0, 6, n_people), child_age)
    parent_age = np.clip(head_age + rng.integers(20, 31, n_people), 0, 100)
    age = np.where(member >= 2, np.where(is_child, child_age, parent_age), age)
    relation = np.where(member == 0, "户主", np.where(member == 1, "配偶", np.where(is_child, "子女", "父母")))
    head_male = (rng.random(n_households) < 0.7)[hh]
    male = np.where(member == 0, head_male, np.where(member == 1, ~head_male, rng.random(n_people) < 0.5))

    birth = pd.DatetimeIndex(ref - pd.to_timedelta(age * 365.25 + rng.integers(1, 365, n_people), unit="D"))
    age = ((ref - birth).days / 365.25).astype(int).to_numpy()
    prefix = np.where(rng.random(n_people) < 0.92, county, rng.choice(OTHER_PREFIXES, n_people))
    ids = _unique_ids(rng, prefix, birth, male, np.empty(0, np.int64) if taken is None else taken)
    names = pd.Series(np.array(SURNAMES)[rng.integers(0, len(SURNAMES), n_people)], dtype="str")
    given = np.array(GIVEN)
    names = names + given[rng.integers(0, len(given), n_people)]
    two = rng.random(n_people) < 0.6
    names = names.where(~two, names + given[rng.integers(0, len(given), n_people)])

    # Health, schooling, work.
    disabled = rng.random(n_people) < 0.025
    disability_grade = np.where(disabled, rng.integers(1, 5, n_people), 0)
    chronic = rng.random(n_people) < np.clip(0.03 + 0.004 * np.maximum(age - 40, 0), 0, 0.4)
    working_age = (age >= 16) & (age <= 64)
    can_work = working_age & ~np.isin(disability_grade, [1, 2]) & ~(chronic & (rng.random(n_people) < 0.5))
    school_age = (age >= 6) & (age <= 18)
    dropout_risk = np.clip(0.012 * np.exp(-0.6 * zp), 0, 0.2)
    in_school = np.where(
        school_age,
        np.where(age <= 15, rng.random(n_people) > dropout_risk, rng.random(n_people) < _sigmoid(0.4 + 0.8 * zp)),
        np.nan,
    )
    # Years of schooling of adults: more for the young and the better off.
    schooling = np.clip(np.round(7.5 + 1.8 * zp - 0.06 * np.maximum(age - 30, 0) + rng.normal(0, 1.8, n_people)), 0, 16)
    education_years = np.where(age >= 16, schooling, np.nan)
    medical_insured = rng.random(n_people) > 0.005
    major_illness = rng.random(n_people) < 0.008

    # Wages per period, yuan per year. A worker keeps a base wage; each period varies it, and some lose
    # their job in the current period (a return to poverty).
    employed = can_work & (rng.random(n_people) < _sigmoid(1.1 + 0.9 * zp + vp))
    base_wage = np.exp(np.log(19000) + 0.35 * zp + 0.3 * vp + 0.04 * (np.nan_to_num(education_years) - 7.5)
                       + rng.normal(0, 0.4, n_people))
    wages = np.stack([base_wage * PERIOD_LEVEL[t] * np.exp(rng.normal(0, 0.08, n_people)) for t in range(PERIODS)])
    job_lost = employed & (rng.random(n_people) < 0.03)
    wages[PERIODS - 1] = np.where(job_lost, wages[PERIODS - 1] * rng.uniform(0, 0.3, n_people), wages[PERIODS - 1])
    wages = np.where(employed, np.round(wages, -1), 0.0)

    has_business = rng.random(n_households) < _sigmoid(-3.4 + 0.7 * z)
    business_base = np.exp(np.log(24000) + 0.3 * z + rng.normal(0, 0.6, n_households))
    business_hh = np.stack(
        [
            np.where(
                has_business,
                np.round(business_base * PERIOD_LEVEL[t] * np.exp(rng.normal(0, 0.15, n_households)), -1),
                0.0,
            )
            for t in range(PERIODS)
        ]
    )
    head_of = np.cumsum(sizes) - sizes  # person index of each household's head
    business = np.zeros((PERIODS, n_people))
    business[:, head_of] = business_hh

    pension = np.where(age >= 60, 2160.0, 0.0)
    disability_allowance = np.where(disabled, 1200.0, 0.0)
    dibao_hh = rng.random(n_households) < _sigmoid(-4.3 - 1.2 * z)
    dibao = np.where(dibao_hh[hh], 1800.0, 0.0)
    transfers = pension + disability_allowance + dibao

    land_mu = np.round(rng.gamma(2.0, 1.6, n_households) * np.sqrt(sizes), 1)
    yield_per_mu = np.exp(np.log(1400) + 0.2 * z + rng.normal(0, 0.35, n_households))
    farm = np.stack([np.round(land_mu * yield_per_mu * PERIOD_LEVEL[t] * np.exp(rng.normal(0, 0.12, n_households)), -1)
                     for t in range(PERIODS)])
    disaster = rng.random(n_households) < 0.02
    disaster_loss = np.where(
        disaster, np.round(farm[-1] * rng.uniform(0.2, 1.0, n_households) + rng.uniform(0, 5000, n_households), -1), 0.0
    )

    def per_household(values: np.ndarray) -> np.ndarray:
        return np.bincount(hh, weights=values, minlength=n_households)

    income = np.stack([per_household(wages[t] + business[t] + transfers) + farm[t] for t in range(PERIODS)])
    income_pc = income / sizes
    permanent_pc = income_pc.mean(axis=0)

    # Consumption follows permanent income (people smooth), with the household's own taste and luck.
    consumption_pc = (
        0.75 * np.maximum(permanent_pc, 300) ** 0.8 * 6000**0.2 * np.exp(0.08 * z + rng.normal(0, 0.3, n_households))
    )
    food_share = np.clip(0.42 - 0.08 * np.log(consumption_pc / 4500) + rng.normal(0, 0.04, n_households), 0.2, 0.75)
    food_spend = np.round(consumption_pc * food_share * sizes, -1)
    in_school_count = per_household((in_school == 1).astype(float))
    chronic_count = per_household(chronic.astype(float))
    education_spend = np.round(in_school_count * rng.uniform(500, 3000, n_households) * np.exp(0.2 * z), -1)
    medical_spend = np.round(rng.lognormal(np.log(900), 0.9, n_households) * (1 + 2 * chronic_count), -1)
    total_spend = np.maximum(np.round(consumption_pc * sizes, -1), food_spend + education_spend + medical_spend + 300)

    # Assets and living conditions: what a field visit can see, driven by the same capacity.
    log_relative = np.log(np.maximum(permanent_pc, 300) / 6000)
    balance = np.round(np.exp(np.log(9000) + 1.1 * log_relative + 0.3 * z + rng.normal(0, 0.8, n_households)), -1)
    durables = rng.binomial(6, _sigmoid(-0.2 + 1.2 * log_relative + 0.3 * z))
    unsafe = rng.random(n_households) < _sigmoid(-4.6 - 1.1 * z)
    grade = np.where(unsafe, np.where(rng.random(n_households) < 0.7, "C", "D"),
                     np.where(rng.random(n_households) < _sigmoid(0.2 + 0.8 * z), "A", "B"))
    water_safe = rng.random(n_households) > 0.012
    # Debt: a quarter of adults hold a loan; poorer households are more often overdue.
    adult = age >= 18
    has_loan = adult & (rng.random(n_people) < 0.25)
    debt = np.where(has_loan, np.round(rng.lognormal(np.log(30000), 1.0, n_people), -2), 0.0)
    overdue = has_loan & (rng.random(n_people) < np.clip(0.04 * np.exp(-0.5 * zp), 0, 0.5))

    line_ = line(rules)
    registered = (income_pc[0] < line_) | (rng.random(n_households) < 0.005)

    persons = pd.DataFrame(
        {
            "id_number": pd.array(ids, dtype="str"),
            "name": names,
            "household": hh,
            "member": member,
            "relation": relation,
            "village_code": village_of_hh[hh],
            "age": age,
            "male": male,
            "disability_grade": disability_grade,
            "chronic_illness": chronic,
            "can_work": can_work,
            "in_school": in_school,
            "education_years": education_years,
            "medical_insured": medical_insured,
            "major_illness_claim": major_illness,
            "wage": wages[-1],
            "wage_prev1": wages[-2],
            "business": business[-1],
            "pension": pension,
            "disability_allowance": disability_allowance,
            "dibao": dibao,
            "transfers": transfers,
            "has_loan": has_loan,
            "debt": debt,
            "overdue": overdue,
        }
    )
    persons["head_id_number"] = persons["id_number"].to_numpy()[head_of][hh]
    persons["household_key"] = persons["head_id_number"]

    children = (age >= rules["admission"]["compulsory_school_age"][0]) & (
        age <= rules["admission"]["compulsory_school_age"][1]
    )
    work_lo, work_hi = rules["root_causes"]["working_age"]
    households = pd.DataFrame(
        {
            "household_key": persons["id_number"].to_numpy()[head_of],
            "region": village_of_hh,
            "members": sizes,
            "latent_capacity": z,
            "wage": per_household(wages[-1]),
            "business": business_hh[-1],
            "transfers": per_household(transfers),
            "farm_income": farm[-1],
            "farm_income_prev1": farm[-2],
            "income": income[-1],
            "income_pc": income_pc[-1],
            "income_pc_prev1": np.round(income_pc[-2], -1),
            "income_pc_prev2": np.round(income_pc[-3], -1),
            "land_mu": land_mu,
            "yield_per_mu": yield_per_mu,
            "house_safety_grade": grade,
            "drinking_water_safe": water_safe,
            "food_clothing_spend": food_spend,
            "education_spend": education_spend,
            "medical_spend": medical_spend,
            "total_spend": total_spend,
            "consumption_pc": total_spend / sizes,
            "disaster_loss": disaster_loss,
            "has_business": has_business,
            "balance": balance,
            "durables": durables,
            "debt": per_household(debt),
            "overdue": per_household(overdue.astype(float)) > 0,
            "registered_poor": registered,
            "dropouts": per_household((children & (in_school == 0)).astype(float)) > 0,
            "uninsured": per_household((~medical_insured).astype(float)) > 0,
            "disabled": per_household(disabled.astype(float)),
            "chronic": chronic_count,
            "major_illness": per_household(major_illness.astype(float)),
            "able_workers": per_household(((age >= work_lo) & (age <= work_hi) & can_work).astype(float)),
            "dependants": per_household(((age < work_lo) | (age > work_hi)).astype(float)),
        }
    )
    return Population(county, persons, households)
