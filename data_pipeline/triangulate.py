"""Triangulation: reconciling what the sources say about income instead of trusting one per field.

Administrative records are not the truth either: employers under-declare wages to the tax office, cash
wages reach neither the tax office nor the bank, a wage can be filed under the wrong person, farm income
is often an estimate (land x a standard yield). So each income component gets a point estimate and a
range the truth plausibly lies in, and every disagreement between sources is a reason code. A household
whose range straddles the poverty line is weighed against its consumption (or, without a consumption
record, the proxy-means test): both are read as evidence on log income, weighted by how precise each is,
and when the combined evidence leaves more than VERIFY_DOUBT of doubt on either side of the line the
household is sent to a field visit (入户核查, decision 4 = verify) instead of a guess. A wage that a record
shows and the person's own answer denies (possibly someone else's, filed under this ID) is not weighed:
when the decision depends on it, the household is verified.

How far survey answers are from administrative records is measured on each county's own data
(``Calibration``): the census's wage and farm answers against records where the tax office and the bank
agree, or where farm income was measured; estimated farm income against measured yields; consumption
against well-recorded income. Nothing here knows how the synthetic county was generated.

Rules (documented in README.md, "Triangulation"):

wage of one person, from tax T, bank credits B and the census answer C
  - T and B agree (within WAGE_TOLERANCE): T.
  - T and B disagree: the higher wins (an employer under-declares to the tax office; a wage paid partly
    into another bank is missing from B), reason WAGE_SOURCES_DISAGREE.
  - only one of T, B shows a wage: that one.
  - neither shows a wage, C > 0 (cash or informal wage): C scaled by the county's survey capture rate,
    range from the spread of that rate; reason DATA_FROM_SURVEY.
  - a record shows a wage the census answer (C = 0) does not: the record is used, but the range goes
    down to 0 (it may be someone else's wage filed under this ID); reason WAGE_NOT_REPORTED.
farm income of a household, from agriculture A (measured or estimated) and the census answer
  - measured: A.
  - estimated: the geometric mean of A and the scaled census answer, range the intersection of both
    ranges; reason FARM_INCOME_ESTIMATED.
  - no record: the scaled census answer and its range.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

WAGE_TOLERANCE = 0.15  # tax and bank wages "agree" within 15 % (or 1,000 yuan)
WAGE_TOLERANCE_YUAN = 1000.0
# A household whose income range straddles the line is below it when the evidence (sources and
# consumption together) makes that at least 1 - VERIFY_DOUBT likely, above it when at most VERIFY_DOUBT;
# in between, a field visit decides.
VERIFY_DOUBT = 0.1
# Monitoring (防返贫) is precautionary: income under the monitoring line with more than this probability.
MONITOR_DOUBT = 0.2
RANGE_Z = 1.96  # a range covering 95 % is +-1.96 standard deviations (log scale)
SPREAD_QUANTILES = (0.025, 0.975)  # ranges cover 95 % of what the county's own records show
MIN_PAIRS = 30  # fewer pairs than this: fall back to the documented defaults below
DEFAULT_CAPTURE = (0.82, 0.5, 1.35)  # survey answer / record: median, 5th and 95th percentile
DEFAULT_YIELD_SPREAD = (0.5, 2.0)
DEFAULT_CONSUMPTION = (0.8, 0.0, 0.35)  # slope, intercept, residual sd: replaced by the county's own fit


@dataclass(frozen=True)
class Calibration:
    """How the county's survey answers and estimates relate to its records (see the module docstring)."""

    wage_capture: tuple[float, float, float]  # census wage / record wage: median, low, high quantile
    farm_capture: tuple[float, float, float]  # census farm income / measured farm income
    yield_spread: tuple[float, float]  # measured farm income / (land x county yield): low, high quantile
    consumption_slope: float  # log consumption per capita = intercept + slope x log income per capita
    consumption_intercept: float
    consumption_residual_sd: float = 0.35  # standard deviation of that fit's residuals (log)

    def as_dict(self) -> dict:
        return asdict(self)


def _ratio_quantiles(numerator: np.ndarray, denominator: np.ndarray, default: tuple) -> tuple[float, float, float]:
    ok = (numerator > 0) & (denominator > 0) & np.isfinite(numerator) & np.isfinite(denominator)
    if ok.sum() < MIN_PAIRS:
        return default
    ratio = numerator[ok] / denominator[ok]
    lo, hi = np.quantile(ratio, SPREAD_QUANTILES)
    return float(np.median(ratio)), float(lo), float(hi)


def agreeing(tax: np.ndarray, bank: np.ndarray) -> np.ndarray:
    both = (tax > 0) & (bank > 0)
    gap = np.abs(np.nan_to_num(tax) - np.nan_to_num(bank))
    return both & (gap <= np.maximum(WAGE_TOLERANCE * np.fmax(tax, bank), WAGE_TOLERANCE_YUAN))


@dataclass
class Wages:
    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    source: np.ndarray  # "tax", "bank", "census" or None
    disagree: np.ndarray
    not_reported: np.ndarray
    survey_only: np.ndarray


def wages(tax: np.ndarray, bank: np.ndarray, census: np.ndarray, capture: tuple[float, float, float]) -> Wages:
    """Resolves each person's wage from the tax record, the bank's wage credits and the census answer
    (NaN where a source has no row). See the module docstring for the rules."""
    tax, bank, census = (np.asarray(a, dtype=float) for a in (tax, bank, census))
    t_pos, b_pos = np.nan_to_num(tax) > 0, np.nan_to_num(bank) > 0
    agree = agreeing(tax, bank)
    disagree = t_pos & b_pos & ~agree
    value = np.where(
        t_pos & b_pos, np.where(agree, tax, np.fmax(tax, bank)), np.where(t_pos, tax, np.where(b_pos, bank, 0.0))
    )
    source = np.where(
        t_pos & (~b_pos | agree | (tax >= np.nan_to_num(bank))), "tax", np.where(b_pos, "bank", None)
    ).astype(object)
    recorded = t_pos | b_pos
    median, lo, hi = capture
    survey_only = ~recorded & (np.nan_to_num(census) > 0)
    value = np.where(survey_only, census / median, value)
    low = np.where(survey_only, census / hi, value)
    high = np.where(survey_only, census / lo, value)
    source = np.where(survey_only, "census", source)
    nothing = ~recorded & ~survey_only
    zero_row = nothing & (~np.isnan(tax) | ~np.isnan(bank))
    source = np.where(zero_row, np.where(~np.isnan(tax), "tax", "bank"), source)
    source = np.where(nothing & ~zero_row & ~np.isnan(census), "census", source)
    not_reported = recorded & (census == 0)
    low = np.where(not_reported, 0.0, low)
    return Wages(value, low, high, source, disagree, not_reported, survey_only)


@dataclass
class Farm:
    value: np.ndarray
    low: np.ndarray
    high: np.ndarray
    source: np.ndarray
    estimated: np.ndarray


def farm(recorded: np.ndarray, basis: np.ndarray, census: np.ndarray, calibration: Calibration) -> Farm:
    """Resolves each household's farm income from the agriculture record (measured or estimated) and the
    census answer (NaN where a source has no row)."""
    recorded, census = np.asarray(recorded, dtype=float), np.asarray(census, dtype=float)
    median, lo, hi = calibration.farm_capture
    y_lo, y_hi = calibration.yield_spread
    has = ~np.isnan(recorded)
    estimated = has & (np.asarray(basis, dtype=object) == "estimated")
    survey = np.nan_to_num(census) / median
    s_lo, s_hi = np.nan_to_num(census) / hi, np.nan_to_num(census) / lo
    with_census = ~np.isnan(census) & (np.nan_to_num(census) > 0)
    e_lo, e_hi = recorded * y_lo, recorded * y_hi
    both_lo, both_hi = np.fmax(e_lo, s_lo), np.fmin(e_hi, s_hi)
    overlap = both_lo <= both_hi
    blend = np.sqrt(np.maximum(recorded, 0) * survey)
    est_value = np.where(
        with_census, np.clip(blend, np.where(overlap, both_lo, -np.inf), np.where(overlap, both_hi, np.inf)), recorded
    )
    est_low = np.where(with_census & overlap, both_lo, np.where(with_census, np.fmin(e_lo, s_lo), e_lo))
    est_high = np.where(with_census & overlap, both_hi, np.where(with_census, np.fmax(e_hi, s_hi), e_hi))
    value = np.where(estimated, est_value, np.where(has, recorded, np.where(with_census, survey, 0.0)))
    low = np.where(estimated, est_low, np.where(has, recorded, np.where(with_census, s_lo, 0.0)))
    high = np.where(estimated, est_high, np.where(has, recorded, np.where(with_census, s_hi, 0.0)))
    source = np.where(has, "agriculture", np.where(~np.isnan(census), "census", None)).astype(object)
    return Farm(value, low, high, source, estimated)


def wage_capture(tax: np.ndarray, bank: np.ndarray, census_wage: np.ndarray) -> tuple[float, float, float]:
    """The census's wage answers against records where the tax office and the bank agree: median ratio
    and its spread (SPREAD_QUANTILES)."""
    tax, bank, census_wage = (np.asarray(a, dtype=float) for a in (tax, bank, census_wage))
    agree = agreeing(tax, bank)
    return _ratio_quantiles(np.where(agree, census_wage, np.nan), np.where(agree, tax, np.nan), DEFAULT_CAPTURE)


def farm_calibration(wages: tuple[float, float, float], farm_recorded: np.ndarray, basis: np.ndarray,
                     census_farm: np.ndarray, land_mu: np.ndarray) -> Calibration:
    """The census's farm answers against measured farm income, and the spread of measured farm income
    around land x the county's average yield (how far an estimate can be off). The consumption relation
    is added by ``with_consumption`` once incomes are known."""
    measured = np.asarray(basis, dtype=object) == "measured"
    farm_recorded, census_farm, land_mu = (np.asarray(a, dtype=float) for a in (farm_recorded, census_farm, land_mu))
    farm_capture = _ratio_quantiles(np.where(measured, census_farm, np.nan), np.where(measured, farm_recorded, np.nan),
                                    DEFAULT_CAPTURE)
    ok = measured & (land_mu > 0) & (farm_recorded > 0)
    if ok.sum() >= MIN_PAIRS:
        county_yield = farm_recorded[ok].sum() / land_mu[ok].sum()
        lo, hi = np.quantile(farm_recorded[ok] / (land_mu[ok] * county_yield), SPREAD_QUANTILES)
        yield_spread = (float(lo), float(hi))
    else:
        yield_spread = DEFAULT_YIELD_SPREAD
    return Calibration(wages, farm_capture, yield_spread, DEFAULT_CONSUMPTION[0], DEFAULT_CONSUMPTION[1],
                       DEFAULT_CONSUMPTION[2])


def with_consumption(calibration: Calibration, income_pc: np.ndarray, consumption_pc: np.ndarray,
                     certain: np.ndarray) -> Calibration:
    """Fits log consumption per capita on log income per capita over households whose income is
    certain (every component recorded, no disagreement)."""
    income_pc, consumption_pc = np.asarray(income_pc, dtype=float), np.asarray(consumption_pc, dtype=float)
    ok = certain & (income_pc > 0) & (consumption_pc > 0) & np.isfinite(consumption_pc)
    if ok.sum() < MIN_PAIRS:
        return calibration
    x, y = np.log(income_pc[ok]), np.log(consumption_pc[ok])
    slope, intercept = np.polyfit(x, y, 1)
    residual_sd = float(np.std(y - (intercept + slope * x)))
    return Calibration(calibration.wage_capture, calibration.farm_capture, calibration.yield_spread,
                       float(slope), float(intercept), residual_sd)


def income_from_consumption(calibration: Calibration, consumption_pc: np.ndarray) -> np.ndarray:
    """The income per capita a household's consumption per capita points to (inverse of the fit)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.exp((np.log(np.asarray(consumption_pc, dtype=float)) - calibration.consumption_intercept)
                      / calibration.consumption_slope)
