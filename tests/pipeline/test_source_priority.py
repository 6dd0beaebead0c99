"""For every field two sources can give, a case where they disagree: which source wins, and that the
result records it (``<field>_source`` in persons.parquet / households.parquet, reason bits in results)."""

import numpy as np
import pandas as pd
import pytest

from data_pipeline import households as households_mod
from data_pipeline import models
from data_pipeline import policy as policy_mod
from data_pipeline.idnumbers import from_number
from data_pipeline.ingest import read
from data_pipeline.reasons import Decision, Reason
from data_pipeline.run import clean, ingest_all, link_households
from data_pipeline.sources import SOURCES


@pytest.fixture(scope="module")
def quiet(county):
    """A person, a wage earner of working age, and their household, untouched by any injected noise or
    administrative error, with exactly one row in every source that holds them."""
    truth = county / "ground_truth"
    noise, admin = pd.read_parquet(truth / "noise_log.parquet"), pd.read_parquet(truth / "admin_log.parquet")
    persons = pd.read_parquet(truth / "persons.parquet")
    households = pd.read_parquet(truth / "households.parquet").set_index("household_key")
    touched = set(noise["true_key"]) | set(admin["true_key"]) | set(admin["household_key"])
    members = persons.groupby("household_key")["id_number"].apply(set)
    clean_households = [h for h, ids in members.items() if not (ids | {h}) & touched]
    candidates = persons[persons["household_key"].isin(clean_households) & (persons["age"].between(25, 55))
                         & (persons["wage"] > 5000) & (persons["id_number"] != persons["household_key"])
                         & ~persons["id_number"].str.endswith("X") & ~persons["household_key"].str.endswith("X")]
    person = candidates.iloc[0]
    return person, households.loc[person["household_key"]]


class Delivery:
    """A writable copy of the county whose raw rows can be edited, then run through the pipeline."""

    def __init__(self, folder):
        self.folder = folder

    def _frame(self, source):
        path, encoding, frame = read(self.folder, SOURCES[source])
        return path, encoding, frame

    def _write(self, path, encoding, frame):
        if path.suffix == ".parquet":
            frame.to_parquet(path, index=False)
        else:
            frame.to_csv(path, index=False, encoding=encoding)

    def set(self, source, key, **values):
        path, encoding, frame = self._frame(source)
        rows = frame[SOURCES[source].key] == key
        assert rows.sum() == 1, (source, key, rows.sum())
        for column, value in values.items():
            if pd.api.types.is_numeric_dtype(frame[column]):
                frame.loc[rows, column] = np.nan if value is None else float(value)
            else:
                frame.loc[rows, column] = None if value is None else str(value)
        self._write(path, encoding, frame)

    def drop(self, source, key):
        path, encoding, frame = self._frame(source)
        self._write(path, encoding, frame[frame[SOURCES[source].key] != key])

    def run(self, tmp_path):
        """The stages of run_partition up to the decisions, without writing outputs (faster)."""
        policy = policy_mod.load()
        items = ingest_all(self.folder)
        clean(items)
        persons = households_mod.build_persons(items, policy)
        link_households(items, persons)
        households = households_mod.build_households(persons, items, policy)
        decided = models.decide(households, policy)
        households = pd.concat([households, decided], axis=1).set_index("household_key")
        persons = persons.assign(id_number=from_number(persons["person"].to_numpy()).to_numpy(),
                                 household_key=from_number(persons["household"].to_numpy()).to_numpy())
        return persons.set_index("id_number"), households


@pytest.fixture
def delivery(delivery):
    """The conftest's writable copy, with the means to edit a row and run the pipeline on it."""
    return Delivery(delivery)


def _has(households, key, flag):
    return bool(int(households.loc[key, "reasons"]) & int(flag))


@pytest.mark.parametrize("tax, bank, higher", [(10000, 20000, "bank"), (20000, 10000, "tax")])
def test_of_a_tax_record_and_bank_credits_that_disagree_the_higher_wage_is_taken_and_flagged(
        delivery, quiet, tmp_path, tax, bank, higher):
    person, _ = quiet
    delivery.set("tax", person.id_number, wage_income=tax)
    delivery.set("bank", person.id_number, wage_credits=bank)
    persons, households = delivery.run(tmp_path)
    assert (persons.loc[person.id_number, "wage"], persons.loc[person.id_number, "wage_source"]) == (20000, higher)
    assert _has(households, person.household_key, Reason.WAGE_SOURCES_DISAGREE)


def test_tax_and_bank_within_tolerance_agree_and_the_tax_record_is_taken(delivery, quiet, tmp_path):
    person, _ = quiet
    delivery.set("tax", person.id_number, wage_income=20000)
    delivery.set("bank", person.id_number, wage_credits=20500)
    persons, households = delivery.run(tmp_path)
    assert (persons.loc[person.id_number, "wage"], persons.loc[person.id_number, "wage_source"]) == (20000, "tax")
    assert not _has(households, person.household_key, Reason.WAGE_SOURCES_DISAGREE)


def test_a_wage_no_record_shows_comes_from_the_census_scaled_by_the_survey_capture_rate(delivery, quiet, tmp_path):
    person, _ = quiet
    delivery.drop("tax", person.id_number)
    delivery.set("bank", person.id_number, wage_credits=0)
    delivery.set("census", person.id_number, reported_wage=8000)
    persons, households = delivery.run(tmp_path)
    row = persons.loc[person.id_number]
    assert row["wage_source"] == "census" and row["wage_low"] < 8000 < row["wage"] < row["wage_high"]
    assert _has(households, person.household_key, Reason.DATA_FROM_SURVEY)


def test_a_recorded_wage_the_person_denies_is_used_and_flagged(delivery, quiet, tmp_path):
    person, _ = quiet
    delivery.set("tax", person.id_number, wage_income=15000)
    delivery.set("bank", person.id_number, wage_credits=15000)
    delivery.set("census", person.id_number, reported_wage=0)
    persons, households = delivery.run(tmp_path)
    row = persons.loc[person.id_number]
    assert (row["wage"], row["wage_source"], row["wage_low"]) == (15000, "tax", 0)
    assert _has(households, person.household_key, Reason.WAGE_NOT_REPORTED)


def test_the_relation_comes_from_the_household_register_not_the_census(delivery, quiet, tmp_path):
    person, _ = quiet
    delivery.set("household_registration", person.id_number, relation="子女")
    delivery.set("census", person.id_number, relation="其他")
    persons, _ = delivery.run(tmp_path)
    assert tuple(persons.loc[person.id_number, ["relation", "relation_source"]]) == ("子女", "household_registration")


def test_the_village_comes_from_the_household_register_not_the_census(delivery, quiet, tmp_path):
    person, household = quiet
    other = str(int(household.region) + 1 if int(household.region) % 1000 < 2 else int(household.region) - 1)
    delivery.set("census", person.id_number, village_code=other)
    persons, _ = delivery.run(tmp_path)
    assert persons.loc[person.id_number, "village_code"] == int(household.region)
    assert persons.loc[person.id_number, "village_code_source"] == "household_registration"


def test_the_household_comes_from_the_household_register_not_the_census(delivery, quiet, county, tmp_path):
    person, household = quiet
    heads = pd.read_parquet(county / "ground_truth" / "households.parquet")["household_key"]
    other = heads[heads != person.household_key].iloc[0]
    delivery.set("census", person.id_number, head_id_number=other)
    persons, _ = delivery.run(tmp_path)
    assert persons.loc[person.id_number, "household_key"] == person.household_key
    assert persons.loc[person.id_number, "household_source"] == "household_registration"


def test_the_name_comes_from_the_household_register_not_the_census(delivery, quiet, tmp_path):
    person, _ = quiet
    delivery.set("census", person.id_number, name="某某某")
    persons, _ = delivery.run(tmp_path)
    assert (
        persons.loc[person.id_number, "name"] == person["name"]
        and persons.loc[person.id_number, "name_source"] == "household_registration"
    )


def test_medical_insurance_comes_from_social_security_not_the_census(delivery, quiet, tmp_path):
    person, _ = quiet
    delivery.set("social_security", person.id_number, medical_insured=1)
    delivery.set("census", person.id_number, medical_insured=0)
    persons, households = delivery.run(tmp_path)
    assert tuple(persons.loc[person.id_number, ["medical_insured", "medical_insured_source"]]) == (
        1.0,
        "social_security",
    )
    assert not _has(households, person.household_key, Reason.BASIC_MEDICAL_NOT_INSURED)


def test_an_uninsured_answer_no_record_confirms_sends_the_household_to_verification(delivery, quiet, tmp_path):
    person, household = quiet
    delivery.drop("social_security", person.id_number)
    delivery.set("census", person.id_number, medical_insured=0)
    persons, households = delivery.run(tmp_path)
    assert tuple(persons.loc[person.id_number, ["medical_insured", "medical_insured_source"]]) == (0.0, "census")
    assert _has(households, person.household_key, Reason.KEY_SOURCE_MISSING)
    assert households.loc[person.household_key, "decision"] == Decision.VERIFY


def test_business_income_comes_from_the_business_register_not_the_census(delivery, quiet, county, tmp_path):
    person, _ = quiet
    path, encoding, frame = read(delivery.folder, SOURCES["business_registration"])
    extra = pd.DataFrame([{"id_number": person.id_number, "name": person["name"], "business_net_income": "30000",
                           "registered_capital": "60000"}])
    pd.concat([frame, extra], ignore_index=True).to_csv(path, index=False, encoding=encoding)
    delivery.set("census", person.id_number, reported_business=5000)
    persons, _ = delivery.run(tmp_path)
    assert tuple(persons.loc[person.id_number, ["business", "business_source"]]) == (30000, "business_registration")


def test_transfers_come_from_social_security_not_the_census(delivery, quiet, tmp_path):
    person, _ = quiet
    delivery.set("social_security", person.id_number, pension=0, dibao=1800, disability_allowance=0)
    delivery.set("census", person.id_number, reported_transfers=0)
    persons, _ = delivery.run(tmp_path)
    assert tuple(persons.loc[person.id_number, ["transfers", "transfers_source"]]) == (1800, "social_security")


def test_measured_farm_income_comes_from_agriculture_not_the_census(delivery, quiet, tmp_path):
    person, household = quiet
    delivery.set("agriculture", person.household_key, farm_net_income=9000, income_basis="measured")
    for member in _members(delivery, person.household_key):
        delivery.set("census", member, reported_farm_income=3000)
    _, households = delivery.run(tmp_path)
    assert tuple(households.loc[person.household_key, ["farm_income", "farm_income_source"]]) == (9000, "agriculture")


def test_estimated_farm_income_is_blended_with_the_census_and_the_result_says_so(delivery, quiet, tmp_path):
    person, household = quiet
    delivery.set("agriculture", person.household_key, farm_net_income=9000, income_basis="estimated")
    for member in _members(delivery, person.household_key):
        delivery.set("census", member, reported_farm_income=3000)
    _, households = delivery.run(tmp_path)
    row = households.loc[person.household_key]
    assert row["farm_income_source"] == "agriculture" and 3000 < row["farm_income"] < 9000
    assert _has(households, person.household_key, Reason.FARM_INCOME_ESTIMATED)


def test_drinking_water_comes_from_agriculture_not_the_census(delivery, quiet, tmp_path):
    person, _ = quiet
    delivery.set("agriculture", person.household_key, drinking_water_safe=1)
    for member in _members(delivery, person.household_key):
        delivery.set("census", member, drinking_water_safe=0)
    _, households = delivery.run(tmp_path)
    assert tuple(households.loc[person.household_key, ["drinking_water_safe", "drinking_water_source"]]) == (
        1.0,
        "agriculture",
    )
    assert not _has(households, person.household_key, Reason.DRINKING_WATER_UNSAFE)


def test_housing_safety_comes_from_the_land_appraisal_not_the_census(delivery, quiet, tmp_path):
    person, _ = quiet
    delivery.set("land", person.household_key, house_safety_grade="A")
    for member in _members(delivery, person.household_key):
        delivery.set("census", member, housing_safe=0)
    _, households = delivery.run(tmp_path)
    assert tuple(households.loc[person.household_key, ["housing_unsafe", "housing_source"]]) == (False, "land")
    assert not _has(households, person.household_key, Reason.HOUSING_UNSAFE)


def test_food_and_clothing_come_from_the_consumption_survey_not_the_census_answer(delivery, quiet, tmp_path):
    person, household = quiet
    delivery.set("consumption", person.household_key, food_clothing_spend=3000 * int(household.members))
    for member in _members(delivery, person.household_key):
        delivery.set("census", member, food_clothing_secure=0)
    _, households = delivery.run(tmp_path)
    assert households.loc[person.household_key, "food_source"] == "consumption"
    assert not _has(households, person.household_key, Reason.FOOD_CLOTHING_INSECURE)


def _members(delivery, head):
    _, _, census = read(delivery.folder, SOURCES["census"])
    return census.loc[census["head_id_number"] == head, "id_number"].tolist()
