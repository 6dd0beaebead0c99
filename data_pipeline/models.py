"""Admission, exit, return-to-poverty monitoring, root causes and the proxy means test, vectorised over
the household table. Every threshold comes from the policy file (policy.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr

from data_pipeline import pmt, triangulate
from data_pipeline.policy import Policy
from data_pipeline.reasons import CAUSES, Decision, Reason

UINT32_MAX = 2**32 - 1
_GUARANTEE_BITS = (
    Reason.FOOD_CLOTHING_INSECURE | Reason.COMPULSORY_EDUCATION_NOT_MET | Reason.BASIC_MEDICAL_NOT_INSURED
    | Reason.HOUSING_UNSAFE | Reason.DRINKING_WATER_UNSAFE
)


def _bit(condition: pd.Series, flag: Reason) -> np.ndarray:
    return np.where(condition.fillna(False).to_numpy(dtype=bool), np.uint32(flag), np.uint32(0))


def resolved_income_pc(h: pd.DataFrame, policy: Policy, score: np.ndarray | None = None) -> pd.DataFrame:
    """Per-capita income as the models use it, after triangulation (triangulate.py).

    Where the sources leave a range that straddles the line, the range (read as a log-normal estimate
    around the point) and consumption (or, without a consumption record, the PMT score read as
    consumption) are combined by their precision; the household is ``uncertain`` when the combination
    leaves more than VERIFY_DOUBT of doubt on either side of the line, or when a wage a record shows and
    the person denies decides it.

    Returns:
        ``income_pc`` (resolved), ``straddles``, ``uncertain``, ``pmt_used``, ``consumption_disagrees``.
    """
    line = policy.line
    point = h["income_pc"]
    low, high = h.get("income_low_pc", point), h.get("income_high_pc", point)  # no range: income is certain
    straddles = (low < line) & (high >= line)
    calibration = triangulate.Calibration(**h.attrs["calibration"]) if "calibration" in h.attrs else None
    evidence = h.get("income_from_consumption_pc", pd.Series(np.nan, index=h.index))
    evidence_sd = pd.Series(np.nan, index=h.index)
    pmt_used = straddles & evidence.isna()
    if calibration is not None:
        evidence_sd[:] = calibration.consumption_residual_sd / calibration.consumption_slope
        if pmt_used.any():
            score = pmt_score(h, policy) if score is None else score
            from_pmt = triangulate.income_from_consumption(calibration, score.astype(float))
            evidence = evidence.where(evidence.notna(), pd.Series(from_pmt, index=h.index))
            pmt_sd = float(policy["pmt"].get("fit", {}).get("rmse", 0.6)) / calibration.consumption_slope
            evidence_sd = evidence_sd.where(~pmt_used, pmt_sd)
    with np.errstate(divide="ignore", invalid="ignore"):
        source_mu = np.log(point.clip(lower=1))
        source_sd = (np.log(high.clip(lower=1)) - np.log(low.clip(lower=1))) / (2 * triangulate.RANGE_Z)
        evidence_mu = np.log(evidence.clip(lower=1))
        weighted = evidence.notna() & evidence_sd.notna() & (source_sd > 0)  # no calibration: sources alone
        w_s, w_e = 1 / source_sd**2, 1 / evidence_sd**2
        mu = ((source_mu * w_s + evidence_mu * w_e) / (w_s + w_e)).where(weighted, source_mu)
        sd = np.sqrt(1 / (w_s + w_e)).where(weighted, source_sd)
    p_poor = pd.Series(ndtr(((np.log(line) - mu) / sd).to_numpy(dtype=float)), index=h.index)
    resolved = point.where(~straddles, np.exp(mu).clip(lower=low, upper=high))
    doubtful = (p_poor > triangulate.VERIFY_DOUBT) & (p_poor < 1 - triangulate.VERIFY_DOUBT)
    denied = h["wage_not_reported"].astype(bool) if "wage_not_reported" in h else pd.Series(False, index=h.index)
    uncertain = straddles & (doubtful | denied)
    disagrees = evidence.notna() & ((evidence < line) != (point < line))
    return pd.DataFrame({"income_pc": resolved, "straddles": straddles, "uncertain": uncertain,
                         "pmt_used": pmt_used, "consumption_disagrees": disagrees,
                         "log_mu": mu, "log_sd": sd.fillna(0), "low_pc": low, "denied": denied})


def admission_bits(h: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Bits 0-5: income below the line, or any of the guarantees (plus drinking water) failing."""
    adm = policy["admission"]
    food_pc = h["food_clothing_spend"] / h["members"]
    # Without a consumption record, the survey's own yes/no answer on food and clothing is what we have.
    food_insecure = (food_pc < adm["food_clothing_min_per_capita"]).where(
        food_pc.notna(), h["census_food_clothing_secure"] == 0
    )
    income_pc = h["resolved_income_pc"] if "resolved_income_pc" in h else h["income_pc"]
    return (
        _bit(income_pc < policy.line, Reason.INCOME_BELOW_LINE)
        | _bit(food_insecure.astype("boolean"), Reason.FOOD_CLOTHING_INSECURE)
        | _bit(h["dropouts"] > 0, Reason.COMPULSORY_EDUCATION_NOT_MET)
        | _bit(h["uninsured"] > 0, Reason.BASIC_MEDICAL_NOT_INSURED)
        | _bit(h["housing_unsafe"].astype("boolean"), Reason.HOUSING_UNSAFE)
        | _bit(h["drinking_water_safe"] == 0, Reason.DRINKING_WATER_UNSAFE)
    )


def exit_bits(h: pd.DataFrame, policy: Policy, admission: np.ndarray) -> np.ndarray:
    """Bits 8-10: registered, above the line in every stable period, guarantees met."""
    current = h["resolved_income_pc"] if "resolved_income_pc" in h else h["income_pc"]
    periods = [current, h["income_pc_prev1"], h["income_pc_prev2"]][: policy["exit"]["stable_periods"]]
    stable = pd.concat([p >= policy.line for p in periods], axis=1).all(axis=1)
    stable &= pd.concat([p.notna() for p in periods], axis=1).all(axis=1)  # unknown history is not stable
    return (
        _bit(h["registered_poor"], Reason.REGISTERED_POOR)
        | _bit(stable, Reason.STABLY_ABOVE_LINE)
        | _bit(pd.Series((admission & np.uint32(_GUARANTEE_BITS)) == 0, index=h.index), Reason.GUARANTEES_MET)
    )


def monitoring_bits(h: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Bits 12-14: income under the monitoring line, rigid spending above income, sudden hardship."""
    mon = policy["monitoring"]
    rigid = h["medical_spend"].fillna(0) + h["education_spend"].fillna(0)
    hardship = (h["major_illness"] > 0) | (
        (h["disaster_loss"] > 0) & (h["disaster_loss"] >= mon["disaster_loss_share_of_income"] * h["income"])
    )
    income_pc = h["resolved_income_pc"] if "resolved_income_pc" in h else h["income_pc"]
    monitoring_line = mon["income_line_multiple"] * policy.line
    below = income_pc < monitoring_line
    if "income_log_sd" in h:
        # Monitoring is precautionary: a household whose income may well be under the monitoring line
        # (more than MONITOR_DOUBT likely, or a denied wage without which it is) is monitored.
        ranged = h["income_log_sd"] > 0
        with np.errstate(divide="ignore", invalid="ignore"):
            p_below = ndtr(((np.log(monitoring_line) - h["income_log_mu"]) / h["income_log_sd"]).to_numpy(dtype=float))
        below = (
            below
            | (ranged & (p_below > triangulate.MONITOR_DOUBT))
            | (h["income_denied"] & (h["income_low_pc"] < monitoring_line))
        )
    return (
        _bit(below, Reason.INCOME_BELOW_MONITORING_LINE)
        | _bit((rigid > 0) & (rigid > h["income"]), Reason.RIGID_EXPENDITURE_ABOVE_INCOME)
        | _bit(hardship, Reason.SUDDEN_HARDSHIP)
    )


def cause_bits(h: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Bits 16-23: every root cause that applies (致贫原因)."""
    rc = policy["root_causes"]
    income = h["income"].clip(lower=0)
    return (
        _bit((h["chronic"] > 0) | (h["major_illness"] > 0), Reason.CAUSE_ILLNESS)
        | _bit(h["disabled"] > 0, Reason.CAUSE_DISABILITY)
        | _bit(h["able_workers"] == 0, Reason.CAUSE_LACK_OF_LABOUR)
        | _bit(h["education_spend"].fillna(0) > rc["education_spend_share_of_income"] * income, Reason.CAUSE_EDUCATION)
        | _bit((h["able_workers"] > 0) & (h["wage"] + h["business"] <= 0), Reason.CAUSE_SKILLS)
        | _bit(h["land_mu"] / h["members"] < rc["land_min_mu_per_capita"], Reason.CAUSE_LAND)
        | _bit((h["debt"] > rc["debt_to_income_ratio"] * income) | (h["overdue"] > 0), Reason.CAUSE_FUNDS)
        | _bit((h["disaster_loss"] > 0) & (h["disaster_loss"] > rc["disaster_loss_share_of_income"] * income),
               Reason.CAUSE_DISASTER)
    )


def primary_cause(bits: np.ndarray) -> pd.Series:
    """The first cause in the policy's order (illness, disability, labour, ...), or missing."""
    out = np.full(len(bits), None, dtype=object)
    for flag in reversed(CAUSES):
        out[(bits & np.uint32(flag)) != 0] = flag.name.removeprefix("CAUSE_").lower()
    return pd.Series(out, dtype="str")


def pmt_score(h: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Proxy-means-test estimate of per-capita consumption in yuan from assets and demographics, not
    income (which is what sources get wrong): lower means poorer; used to rank households for support
    and, where income is uncertain and no consumption record exists, as evidence on income (pmt.py)."""
    log_welfare = pmt.predict_log(h, policy["pmt"])
    return np.clip(np.round(np.exp(log_welfare)), 0, UINT32_MAX).astype(np.uint32)


def decide(h: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """Applies every model. Returns ``decision`` (uint8), ``reasons`` (uint32), ``score`` (uint32),
    ``admission_eligible`` (False for verify), ``verify`` and ``primary_cause`` on the household index.

    Verify (入户核查) replaces a decision the sources cannot settle: whether income is below the line stays
    in doubt after triangulation (resolved_income_pc) and no other admission bit settles the admission
    rule, or a household would be admitted only by a failed guarantee that nothing but the survey reports."""
    score = pmt_score(h, policy)
    income = resolved_income_pc(h, policy, score)
    h = h.assign(resolved_income_pc=income["income_pc"], income_log_mu=income["log_mu"], income_log_sd=income["log_sd"],
                 income_denied=income["denied"], income_low_pc=income["low_pc"])
    admission = admission_bits(h, policy)
    exits = exit_bits(h, policy, admission)
    monitoring = monitoring_bits(h, policy)
    eligible = admission != 0
    registered = h["registered_poor"].to_numpy(dtype=bool)
    hardship = (monitoring & np.uint32(Reason.SUDDEN_HARDSHIP)) != 0
    can_exit = ((exits & np.uint32(Reason.STABLY_ABOVE_LINE | Reason.GUARANTEES_MET))
                == np.uint32(Reason.STABLY_ABOVE_LINE | Reason.GUARANTEES_MET)) & ~hardship
    uncertain = income["uncertain"].to_numpy(dtype=bool)
    other_bits = (admission & ~np.uint32(Reason.INCOME_BELOW_LINE)) != 0
    unconfirmed = (
        h["guarantee_unconfirmed"].to_numpy(dtype=bool) if "guarantee_unconfirmed" in h else np.zeros(len(h), bool)
    )
    # Admitted only on the survey's word about a guarantee (insurance, housing, water): no record confirms it.
    confirmed = (admission & np.uint32(Reason.INCOME_BELOW_LINE | Reason.FOOD_CLOTHING_INSECURE
                                       | Reason.COMPULSORY_EDUCATION_NOT_MET)) != 0
    if "confirmed_guarantee_failed" in h:
        confirmed |= h["confirmed_guarantee_failed"].to_numpy(dtype=bool)
    only_unconfirmed = unconfirmed & eligible & ~confirmed
    # Registered households too: whether they are still poor (and so whether they may exit) is the same
    # question, and a field visit is the annual check they get anyway.
    verify = (uncertain & ~other_bits) | only_unconfirmed
    decision = np.select(
        [verify, registered & can_exit, registered, eligible, monitoring != 0],
        [Decision.VERIFY, Decision.EXIT, Decision.NONE, Decision.ADMIT, Decision.MONITOR],
        Decision.NONE,
    ).astype(np.uint8)
    causes = cause_bits(h, policy)
    poor_or_at_risk = registered | eligible | (decision == Decision.MONITOR) | verify
    causes = np.where(poor_or_at_risk, causes, np.uint32(0))
    def flag(column: str, bit: Reason) -> np.ndarray:  # a household column the hand-built tables may lack
        return _bit(h[column].astype(bool), bit) if column in h else np.uint32(0)

    triangulation = (
        flag("wage_disagree", Reason.WAGE_SOURCES_DISAGREE)
        | flag("wage_not_reported", Reason.WAGE_NOT_REPORTED)
        | flag("farm_estimated", Reason.FARM_INCOME_ESTIMATED)
        | _bit(income["straddles"], Reason.INCOME_UNCERTAIN)
        | _bit(income["pmt_used"], Reason.PMT_USED)
        | _bit(income["consumption_disagrees"], Reason.INCOME_CONSUMPTION_DISAGREE)
        | _bit(pd.Series(unconfirmed & eligible, index=h.index), Reason.KEY_SOURCE_MISSING)
    )
    reasons = (admission | exits | monitoring | causes | triangulation
               | _bit(h["survey_used"], Reason.DATA_FROM_SURVEY))
    return pd.DataFrame(
        {
            "decision": decision,
            "reasons": np.asarray(reasons).astype(np.uint32),
            "score": score,
            "admission_eligible": eligible & ~verify,
            "verify": verify,
            "resolved_income_pc": income["income_pc"].to_numpy(),
            "primary_cause": primary_cause(causes).to_numpy(),
        },
        index=h.index,
    )
