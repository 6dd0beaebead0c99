"""The reconciliation rules of triangulate.py on hand-made values."""

import numpy as np

from data_pipeline import triangulate

NAN = np.nan
CAPTURE = (0.8, 0.5, 1.25)


def _wages(tax, bank, census):
    return triangulate.wages(np.array([tax], float), np.array([bank], float), np.array([census], float), CAPTURE)


def test_tax_and_bank_that_agree_give_the_tax_value():
    w = _wages(20000, 20900, 15000)
    assert (w.value[0], w.source[0], w.disagree[0]) == (20000, "tax", False)


def test_tax_and_bank_that_disagree_give_the_higher_and_say_so():
    w = _wages(8000, 20000, 15000)
    assert (w.value[0], w.source[0], w.disagree[0]) == (20000, "bank", True)


def test_a_small_gap_is_within_the_yuan_tolerance():
    assert not _wages(2000, 2900, 2000).disagree[0]


def test_only_a_bank_wage_is_taken_from_the_bank():
    w = _wages(NAN, 12000, 9000)
    assert (w.value[0], w.source[0]) == (12000, "bank")


def test_a_census_only_wage_is_scaled_by_the_capture_rate_with_its_range():
    w = _wages(NAN, 0, 8000)
    assert (w.value[0], w.low[0], w.high[0], w.source[0], w.survey_only[0]) == (10000, 6400, 16000, "census", True)


def test_a_recorded_wage_the_census_denies_keeps_the_record_with_a_range_down_to_zero():
    w = _wages(15000, 15000, 0)
    assert (w.value[0], w.low[0], w.high[0], w.not_reported[0]) == (15000, 0, 15000, True)


def test_no_wage_anywhere_is_zero_from_the_row_that_says_so():
    w = _wages(NAN, 0, 0)
    assert (w.value[0], w.source[0]) == (0, "bank")


def _calibration():
    return triangulate.Calibration(CAPTURE, (0.8, 0.5, 1.25), (0.5, 2.0), 0.8, 0.0, 0.3)


def test_measured_farm_income_is_taken_as_recorded():
    f = triangulate.farm(np.array([9000.0]), np.array(["measured"], object), np.array([3000.0]), _calibration())
    assert (f.value[0], f.low[0], f.high[0], f.estimated[0]) == (9000, 9000, 9000, False)


def test_estimated_farm_income_lies_between_the_estimate_and_the_scaled_census_answer():
    f = triangulate.farm(np.array([9000.0]), np.array(["estimated"], object), np.array([4000.0]), _calibration())
    assert f.estimated[0] and 5000 <= f.value[0] <= 9000 and f.low[0] <= f.value[0] <= f.high[0]
    assert (f.low[0], f.high[0]) == (4500, 8000)  # the overlap of 9000 x [0.5, 2] and 4000 / [1.25, 0.5]


def test_without_a_farm_record_the_census_answer_is_scaled():
    f = triangulate.farm(np.array([NAN]), np.array([None], object), np.array([4000.0]), _calibration())
    assert (f.value[0], f.source[0]) == (5000, "census")
