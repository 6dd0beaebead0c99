"""Admission accuracy against the ground truth at default noise, beside the naive baseline."""

import pandas as pd
import pytest

from data_pipeline import accuracy, baseline
from data_pipeline import policy as policy_mod
from data_pipeline.run import run
from data_pipeline.synth.generate import generate


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    sources = generate(tmp_path_factory.mktemp("acc"), 20000, 3)
    out = tmp_path_factory.mktemp("acc_out")
    run(sources, out, show=False)
    truth = accuracy.truth_eligibility(sources)
    return (accuracy.errors(accuracy.pipeline_eligibility(out), truth, accuracy.pipeline_verify(out)),
            accuracy.errors(baseline.eligibility(sources, policy_mod.load()), truth))


def test_exclusion_error_is_at_most_one_percent(measured):
    ours, _ = measured
    assert ours["eligible"] > 500 and ours["exclusion_error"] <= 0.01


def test_inclusion_error_is_at_most_one_percent(measured):
    ours, _ = measured
    assert ours["admitted"] > 500 and ours["inclusion_error"] <= 0.01


def test_at_most_three_percent_of_households_are_sent_to_verification(measured):
    ours, _ = measured
    assert 0 < ours["verify_share"] <= 0.03


def test_a_verified_household_is_neither_admitted_nor_excluded():
    truth = pd.Series({"a": True, "b": False, "c": True})
    result = accuracy.errors(
        pd.Series({"a": False, "b": True, "c": True}), truth, pd.Series({"a": True, "b": True, "c": False})
    )
    assert (result["excluded"], result["included"], result["eligible"], result["admitted"]) == (0, 0, 1, 1)


def test_the_naive_baseline_is_far_less_accurate(measured):
    ours, naive = measured
    assert naive["inclusion_error"] > 10 * max(ours["inclusion_error"], 0.001)
    assert naive["exclusion_error"] > ours["exclusion_error"]


def test_a_household_the_pipeline_lost_counts_as_excluded():
    truth = pd.Series({"a": True, "b": False})
    assert accuracy.errors(pd.Series({"b": False}), truth)["exclusion_error"] == 1.0


def test_a_household_the_pipeline_invented_counts_as_included():
    truth = pd.Series({"a": True})
    assert accuracy.errors(pd.Series({"a": True, "ghost": True}), truth)["inclusion_error"] == 0.5


def test_with_sources_that_hold_the_truth_every_decision_and_cause_matches_the_truth(tmp_path):
    # Two implementations of every rule (models.py on the sources, synth/truth.py on the truth) agree.
    sources = generate(tmp_path / "clean", 6000, 4, noise_scale=0, admin_error_scale=0)
    out = tmp_path / "out"
    run(sources, out, show=False)
    truth = accuracy.truth_households(sources)
    ours = accuracy.pipeline_households(out, ["decision", "primary_cause", "admission_eligible"])
    both = truth.join(ours, how="inner", suffixes=("", "_ours"))
    assert len(both) == len(truth) == len(ours)
    assert (both["decision_ours"] == both["decision"]).all()
    assert (both["admission_eligible"] == both["eligible"]).all()
    assert (both["primary_cause_ours"].fillna("") == both["primary_cause"].fillna("")).all()
