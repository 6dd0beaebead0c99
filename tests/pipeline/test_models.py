"""Each model rule at its boundary, on one-household tables built by hand."""

import json

import pandas as pd
import pytest

from data_pipeline import models
from data_pipeline import policy as policy_mod
from data_pipeline.errors import PolicyError
from data_pipeline.reasons import Decision, Reason

LINE = 4300.0


def household(**changes) -> pd.DataFrame:
    """A household of four that no rule touches, with ``changes`` applied."""
    row = dict(
        members=4, income=4 * 20000.0, food_clothing_spend=4 * 3000.0, census_food_clothing_secure=1.0,
        dropouts=0, uninsured=0, housing_unsafe=False, drinking_water_safe=1.0, registered_poor=False,
        income_pc_prev1=20000.0, income_pc_prev2=20000.0, medical_spend=1000.0, education_spend=1000.0,
        major_illness=0, disaster_loss=0.0, chronic=0, disabled=0, able_workers=2, wage=60000.0, business=0.0,
        land_mu=4.0, debt=0.0, overdue=0.0, dependants=2, balance=20000.0, total_spend=30000.0, survey_used=False,
    )
    row.update(changes)
    if "income_pc" not in changes:
        row["income_pc"] = row["income"] / row["members"]
    return pd.DataFrame([row])


def decide(policy=None, **changes):
    result = models.decide(household(**changes), policy or policy_mod.load()).iloc[0]
    return Decision(result["decision"]), Reason(int(result["reasons"]))


def test_income_just_below_the_line_is_admitted():
    decision, reasons = decide(income=4 * (LINE - 0.01))
    assert decision == Decision.ADMIT and Reason.INCOME_BELOW_LINE in reasons


def test_income_exactly_at_the_line_is_not_admitted():
    decision, reasons = decide(income=4 * LINE)
    assert decision != Decision.ADMIT and Reason.INCOME_BELOW_LINE not in reasons


def test_food_and_clothing_spend_below_the_minimum_fails_the_first_assurance():
    decision, reasons = decide(food_clothing_spend=4 * 1199.0)
    assert decision == Decision.ADMIT and Reason.FOOD_CLOTHING_INSECURE in reasons


def test_food_and_clothing_spend_at_the_minimum_passes():
    assert Reason.FOOD_CLOTHING_INSECURE not in decide(food_clothing_spend=4 * 1200.0)[1]


def test_without_a_consumption_record_the_survey_answer_on_food_decides():
    assert Reason.FOOD_CLOTHING_INSECURE in decide(food_clothing_spend=float("nan"), census_food_clothing_secure=0.0)[1]


def test_a_child_out_of_compulsory_school_fails_the_education_guarantee():
    decision, reasons = decide(dropouts=1)
    assert decision == Decision.ADMIT and Reason.COMPULSORY_EDUCATION_NOT_MET in reasons


def test_an_uninsured_member_fails_the_medical_guarantee():
    decision, reasons = decide(uninsured=1)
    assert decision == Decision.ADMIT and Reason.BASIC_MEDICAL_NOT_INSURED in reasons


def test_an_unsafe_house_fails_the_housing_guarantee():
    decision, reasons = decide(housing_unsafe=True)
    assert decision == Decision.ADMIT and Reason.HOUSING_UNSAFE in reasons


def test_unsafe_drinking_water_is_a_reason_for_admission():
    decision, reasons = decide(drinking_water_safe=0.0)
    assert decision == Decision.ADMIT and Reason.DRINKING_WATER_UNSAFE in reasons


def test_registered_household_stably_at_the_line_with_guarantees_met_exits():
    decision, reasons = decide(registered_poor=True, income=4 * LINE, income_pc_prev1=LINE, income_pc_prev2=LINE)
    assert decision == Decision.EXIT
    assert Reason.STABLY_ABOVE_LINE | Reason.GUARANTEES_MET | Reason.REGISTERED_POOR in reasons


def test_one_period_below_the_line_prevents_exit():
    decision, reasons = decide(registered_poor=True, income_pc_prev2=LINE - 1)
    assert decision == Decision.NONE and Reason.STABLY_ABOVE_LINE not in reasons


def test_unknown_income_history_prevents_exit():
    assert decide(registered_poor=True, income_pc_prev2=float("nan"))[0] == Decision.NONE


def test_a_failing_guarantee_prevents_exit():
    decision, reasons = decide(registered_poor=True, housing_unsafe=True)
    assert decision == Decision.NONE and Reason.GUARANTEES_MET not in reasons


def test_a_sudden_hardship_prevents_exit():
    assert decide(registered_poor=True, major_illness=1)[0] == Decision.NONE


def test_number_of_stable_periods_comes_from_the_policy(tmp_path):
    rules = json.loads(policy_mod.DEFAULT_POLICY.read_text(encoding="utf-8"))
    rules["exit"]["stable_periods"] = 1
    rules["version"] = "test-one-period"
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    one_period = policy_mod.load(path)
    assert decide(one_period, registered_poor=True, income_pc_prev2=LINE - 1)[0] == Decision.EXIT


def test_income_just_below_one_and_a_half_lines_is_monitored():
    decision, reasons = decide(income=4 * (1.5 * LINE - 0.01))
    assert decision == Decision.MONITOR and Reason.INCOME_BELOW_MONITORING_LINE in reasons


def test_income_at_one_and_a_half_lines_is_not_monitored():
    assert decide(income=4 * 1.5 * LINE)[0] == Decision.NONE


def test_rigid_expenditure_above_income_is_monitored():
    decision, reasons = decide(medical_spend=80000.0, education_spend=0.01)
    assert decision == Decision.MONITOR and Reason.RIGID_EXPENDITURE_ABOVE_INCOME in reasons


def test_rigid_expenditure_equal_to_income_is_not_monitored():
    assert decide(medical_spend=79000.0, education_spend=1000.0)[0] == Decision.NONE


def test_a_major_illness_claim_is_a_sudden_hardship():
    decision, reasons = decide(major_illness=1)
    assert decision == Decision.MONITOR and Reason.SUDDEN_HARDSHIP in reasons


def test_a_disaster_loss_at_the_policy_share_of_income_is_a_sudden_hardship():
    assert Reason.SUDDEN_HARDSHIP in decide(disaster_loss=0.3 * 80000.0)[1]


def test_a_disaster_loss_below_the_policy_share_is_not_a_hardship():
    assert Reason.SUDDEN_HARDSHIP not in decide(disaster_loss=0.3 * 80000.0 - 1)[1]


POOR = dict(income=4 * 1000.0)


@pytest.mark.parametrize("changes, cause", [
    (dict(chronic=1), Reason.CAUSE_ILLNESS),
    (dict(disabled=1), Reason.CAUSE_DISABILITY),
    (dict(able_workers=0), Reason.CAUSE_LACK_OF_LABOUR),
    (dict(education_spend=0.3 * 4000 + 1), Reason.CAUSE_EDUCATION),
    (dict(wage=0.0, business=0.0), Reason.CAUSE_SKILLS),
    (dict(land_mu=4 * 0.5 - 0.1), Reason.CAUSE_LAND),
    (dict(debt=2.0 * 4000 + 1), Reason.CAUSE_FUNDS),
    (dict(disaster_loss=0.2 * 4000 + 1), Reason.CAUSE_DISASTER),
])
def test_each_root_cause_rule_sets_its_bit_just_past_its_threshold(changes, cause):
    assert cause in decide(**POOR, **changes)[1]


@pytest.mark.parametrize("changes, cause", [
    (dict(education_spend=0.3 * 4000), Reason.CAUSE_EDUCATION),
    (dict(land_mu=4 * 0.5), Reason.CAUSE_LAND),
    (dict(debt=2.0 * 4000), Reason.CAUSE_FUNDS),
    (dict(disaster_loss=0.2 * 4000), Reason.CAUSE_DISASTER),
])
def test_each_root_cause_rule_stays_clear_at_its_threshold(changes, cause):
    assert cause not in decide(**POOR, **changes)[1]


def test_root_causes_are_not_set_for_households_that_are_not_poor_or_at_risk():
    assert not decide(chronic=1, disabled=1)[1] & Reason(0xFF << 16)


def test_pmt_score_is_lower_for_a_household_with_fewer_assets_and_more_dependants():
    policy = policy_mod.load()
    better = models.pmt_score(household(), policy)[0]
    worse = models.pmt_score(household(dependants=3, disabled=1, land_mu=0.5, balance=0.0, total_spend=8000.0), policy)[
        0
    ]
    assert worse < better


def test_policy_hash_changes_when_one_character_of_the_file_changes(tmp_path):
    text = policy_mod.DEFAULT_POLICY.read_text(encoding="utf-8")
    path = tmp_path / "policy.json"
    path.write_text(text.replace('"poverty_line_per_capita": 4300', '"poverty_line_per_capita": 4301')
                    .replace('"version": "2026.2"', '"version": "2026.2-test"'), encoding="utf-8")
    assert policy_mod.load(path).hash != policy_mod.load().hash


def test_a_released_version_with_edited_thresholds_is_refused(tmp_path):
    text = policy_mod.DEFAULT_POLICY.read_text(encoding="utf-8")
    path = tmp_path / "policy.json"
    path.write_text(
        text.replace('"poverty_line_per_capita": 4300', '"poverty_line_per_capita": 4301'), encoding="utf-8"
    )
    assert '"version": "2026.2"' in text
    with pytest.raises(
        PolicyError, match="claims version 2026.2, released with content hash .* edited without a new version"
    ):
        policy_mod.load(path)


def test_a_draft_version_is_reported_with_its_content_hash(tmp_path):
    text = policy_mod.DEFAULT_POLICY.read_text(encoding="utf-8")
    path = tmp_path / "policy.json"
    path.write_text(text.replace('"version": "2026.2"', '"version": "2026.9"'), encoding="utf-8")
    draft = policy_mod.load(path)
    assert draft.version == f"2026.9+{draft.hash[2:10]}"


def test_the_released_policy_keeps_its_version():
    assert policy_mod.load().version == "2026.2"
    assert policy_mod.load(policy_mod.DEFAULT_POLICY.with_name("policy-2026.1.json")).version == "2026.1"


def test_policy_asking_for_more_periods_than_the_sources_hold_is_rejected(tmp_path):
    rules = json.loads(policy_mod.DEFAULT_POLICY.read_text(encoding="utf-8"))
    rules["exit"]["stable_periods"] = 4
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(rules), encoding="utf-8")
    with pytest.raises(PolicyError, match="stable_periods is 4"):
        policy_mod.load(path)
