"""The fitted proxy-means test: its coefficients, fit and training seed live in the released policy, and
it ranks households of a county it was not fitted on."""

import pandas as pd
from scipy.stats import spearmanr
from sklearn.metrics import roc_auc_score

from data_pipeline import pmt
from data_pipeline import policy as policy_mod


def test_the_released_policy_carries_the_fitted_coefficients_their_fit_and_the_training_seed():
    section = policy_mod.load()["pmt"]
    assert set(section["weights"]) == set(pmt.FEATURES)
    assert section["fit"]["r2"] > 0 and section["fit"]["rmse"] > 0 and section["fit"]["households"] > 1000
    assert section["training"]["seed"] == 101 and "LinearRegression" in section["method"]


def test_fitting_on_a_county_gives_a_weight_per_proxy_and_a_positive_fit(cleaned, policy):
    from data_pipeline import households
    fitted = pmt.fit(households.build_households(cleaned.persons, cleaned.items, policy))
    assert set(fitted["weights"]) == set(pmt.FEATURES) and 0 < fitted["fit"]["r2"] <= 1
    assert fitted["weights"]["durables"] > 0 and fitted["weights"]["log1p_balance_per_capita"] > 0


def test_out_of_sample_the_score_finds_households_below_the_line(county, county_run, policy):
    # The session county (seed 11) is not the training county (seed 101).
    truth = pd.read_parquet(county / "ground_truth" / "households.parquet").set_index("household_key")
    scored = truth.join(
        pd.read_parquet(county_run / "households.parquet").set_index("household_key")[["score"]], how="inner"
    )
    below = scored["income_pc"] < policy.line
    assert roc_auc_score(below, -scored["score"].astype(float)) >= 0.85
    assert spearmanr(scored["score"].astype(float), scored["income_pc"]).statistic > 0.7


def test_the_score_does_not_use_the_consumption_it_predicts():
    assert "log1p_spend_per_capita" not in policy_mod.load()["pmt"]["weights"]
