"""The true population of a synthetic county: people, households, incomes and living conditions.

Everything here is the truth the sources are derived from (sources.py) before noise is added (noise.py).
Vectorised with numpy so a million people take seconds; every draw comes from one Generator, so a seed
fixes the county.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from data_pipeline.idnumbers import check_chars
from data_pipeline.policy import Policy

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = list("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红梅建林国文辉成荣志永春金海云德福生龙玲凤琴珍兴")
HOUSEHOLD_SIZES = np.arange(1, 9)
SIZE_WEIGHTS = np.array([0.12, 0.21, 0.23, 0.2, 0.12, 0.07, 0.03, 0.02])
# Birth-registration regions of people who moved in from elsewhere in the province (ID prefix).
OTHER_PREFIXES = np.array([530102, 530111, 530302, 530421, 530521, 530623, 532301, 532322, 532325, 532501])


@dataclass
class Population:
    """The truth: one row per person, one row per household (see columns in build())."""

    county: int
    persons: pd.DataFrame
    households: pd.DataFrame


def _villages(rng: np.random.Generator, county: int, n_people: int) -> np.ndarray:
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
    text = bodies.astype(str).astype(object)
    return text + check_chars(text)


def build(rng: np.random.Generator, n_people: int, county: int, policy: Policy,
          taken: np.ndarray | None = None) -> Population:
    """Draws a county of ``n_people`` people whose ID bodies (first 17 digits as int64) avoid ``taken``
    (people of counties drawn before: migrants' IDs carry other counties' prefixes)."""
    ref = pd.Timestamp(policy.reference_date)
    villages = _villages(rng, county, n_people)

    sizes = rng.choice(HOUSEHOLD_SIZES, size=n_people // 2 + 8, p=SIZE_WEIGHTS)
    ends = np.cumsum(sizes)
    n_households = int(np.searchsorted(ends, n_people) + 1)
    sizes = sizes[:n_households]
    sizes[-1] -= int(ends[n_households - 1] - n_people)  # the last household takes what is left
    hh = np.repeat(np.arange(n_households), sizes)
    member = np.arange(n_people) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    village_of_hh = rng.choice(villages, n_households)

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
    in_school = np.where(
        school_age, np.where(age <= 15, rng.random(n_people) > 0.012, rng.random(n_people) < 0.6), np.nan
    )
    medical_insured = rng.random(n_people) > 0.005
    major_illness = rng.random(n_people) < 0.008

    # Income, yuan per year.
    wage = np.where(can_work & (rng.random(n_people) < 0.72), np.round(rng.lognormal(np.log(21000), 0.6, n_people), -1), 0.0)
    has_business = rng.random(n_households) < 0.04
    business = np.where((member == 0) & has_business[hh], np.round(rng.lognormal(np.log(25000), 0.8, n_people), -1), 0.0)
    pension = np.where(age >= 60, 2160.0, 0.0)
    disability_allowance = np.where(disabled, 1200.0, 0.0)
    dibao_hh = rng.random(n_households) < 0.03
    dibao = np.where(dibao_hh[hh], 1800.0, 0.0)
    land_mu = np.round(rng.gamma(2.0, 1.6, n_households) * np.sqrt(sizes), 1)
    farm = np.round(land_mu * rng.lognormal(np.log(1400), 0.5, n_households), -1)

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
            "medical_insured": medical_insured,
            "major_illness_claim": major_illness,
            "wage": wage,
            "business": business,
            "pension": pension,
            "disability_allowance": disability_allowance,
            "dibao": dibao,
        }
    )
    persons["head_id_number"] = persons["id_number"].to_numpy()[np.cumsum(sizes) - sizes][hh]
    persons["household_key"] = persons["head_id_number"]
    persons["transfers"] = pension + disability_allowance + dibao

    by_hh = persons.groupby("household", sort=True)
    income = by_hh[["wage", "business", "transfers"]].sum().sum(axis=1).to_numpy() + farm
    children = (persons["age"].between(*policy["admission"]["compulsory_school_age"]))
    dropouts = (children & (persons["in_school"] == 0)).groupby(persons["household"]).any().to_numpy()
    uninsured = (~persons["medical_insured"]).groupby(persons["household"]).any().to_numpy()
    in_school_count = (persons["in_school"] == 1).groupby(persons["household"]).sum().to_numpy()
    chronic_count = persons["chronic_illness"].groupby(persons["household"]).sum().to_numpy()

    grade = rng.choice(np.array(["A", "B", "C", "D"]), n_households, p=[0.55, 0.435, 0.011, 0.004])
    water_safe = rng.random(n_households) > 0.012
    food_insecure = rng.random(n_households) < 0.008
    food_pc = np.where(food_insecure, rng.uniform(400, 1150, n_households), np.maximum(rng.lognormal(np.log(3200), 0.3, n_households), 1300))
    food_spend = np.round(food_pc * sizes, -1)
    education_spend = np.round(in_school_count * rng.uniform(500, 3000, n_households), -1)
    medical_spend = np.round(rng.lognormal(np.log(1200), 1.0, n_households) * (1 + 3 * chronic_count), -1)
    total_spend = food_spend + education_spend + medical_spend + np.round(rng.lognormal(np.log(4000), 0.6, n_households), -1)
    disaster = rng.random(n_households) < 0.02
    disaster_loss = np.where(disaster, np.round(farm * rng.uniform(0.2, 1.0, n_households) + rng.uniform(0, 5000, n_households), -1), 0.0)
    balance_hh = np.round(rng.lognormal(np.log(15000), 1.2, n_households), -1)

    income_pc = income / sizes
    prev1 = np.round(income_pc * rng.uniform(0.85, 1.05, n_households), -1)
    prev2 = np.round(prev1 * rng.uniform(0.85, 1.05, n_households), -1)
    registered = (prev2 < policy.line) | (rng.random(n_households) < 0.005)

    households = pd.DataFrame(
        {
            "household_key": persons["household_key"].to_numpy()[np.cumsum(sizes) - sizes],
            "region": village_of_hh,
            "members": sizes,
            "farm_income": farm,
            "income": income,
            "income_pc": income_pc,
            "land_mu": land_mu,
            "house_safety_grade": grade,
            "drinking_water_safe": water_safe,
            "food_clothing_spend": food_spend,
            "education_spend": education_spend,
            "medical_spend": medical_spend,
            "total_spend": total_spend,
            "disaster_loss": disaster_loss,
            "has_business": has_business,
            "balance": balance_hh,
            "registered_poor": registered,
            "income_pc_prev1": prev1,
            "income_pc_prev2": prev2,
            "dropouts": dropouts,
            "uninsured": uninsured,
        }
    )
    households["eligible"] = true_eligibility(households, policy)
    return Population(county, persons, households)


def true_eligibility(households: pd.DataFrame, policy: Policy) -> np.ndarray:
    """The admission rule applied to the truth, written apart from models.py on purpose: the accuracy
    check compares two implementations, so a slip in either shows up as error."""
    adm = policy["admission"]
    return (
        (households["income_pc"] < policy.line)
        | (households["food_clothing_spend"] / households["members"] < adm["food_clothing_min_per_capita"])
        | households["dropouts"]
        | households["uninsured"]
        | households["house_safety_grade"].isin(adm["unsafe_house_grades"])
        | ~households["drinking_water_safe"]
    ).to_numpy()
