import numpy as np
import pandas as pd

from data_pipeline import idnumbers
from data_pipeline.idnumbers import IdStatus


def _one(value):
    row = idnumbers.normalise(pd.Series([value], dtype="str")).iloc[0]
    return row["id"], IdStatus(row["status"])


def test_check_character_follows_the_gb11643_example():
    assert idnumbers.check_char("11010519491231002") == "X"


def test_correct_id_is_valid_unchanged():
    assert _one("11010519491231002X") == ("11010519491231002X", IdStatus.VALID)


def test_full_width_digits_in_id_are_normalised():
    assert _one("１１０１０５１９４９１２３１００２Ｘ") == ("11010519491231002X", IdStatus.VALID)


def test_whitespace_around_and_inside_id_is_removed():
    assert _one("\u3000110105 19491231002X\t") == ("11010519491231002X", IdStatus.VALID)


def test_lower_case_x_check_character_is_upper_cased():
    assert _one("11010519491231002x") == ("11010519491231002X", IdStatus.VALID)


def test_fifteen_digit_id_is_converted_to_eighteen_digits():
    assert _one("110105491231002") == ("11010519491231002X", IdStatus.LEGACY_15)


def test_wrong_check_digit_is_flagged_for_repair_not_accepted():
    assert _one("110105194912310021") == ("110105194912310021", IdStatus.BAD_CHECK_DIGIT)


def test_scientific_notation_is_flagged_for_repair():
    assert _one("1.10105194912310E+17") == ("1.10105194912310E+17", IdStatus.SCIENTIFIC)


def test_impossible_birth_month_makes_the_id_malformed():
    assert _one("110105194913310025")[1] == IdStatus.MALFORMED


def test_empty_id_is_missing():
    assert _one("  ")[1] == IdStatus.MISSING


def test_scientific_interval_holds_every_number_that_rounds_to_the_text():
    lo, hi = idnumbers.scientific_interval("5.32326199001012E+17")
    assert (lo, hi) == (532326199001011500, 532326199001012499)


def test_scientific_interval_widens_when_trailing_zeros_were_dropped():
    lo, hi = idnumbers.scientific_interval("5.3232619900101E+17")
    assert (lo, hi) == (532326199001005000, 532326199001014999)


def test_packed_ids_round_trip_including_x():
    ids = pd.Series(["11010519491231002X", "532326197004046709"], dtype="str")
    assert idnumbers.from_number(idnumbers.to_number(ids)).tolist() == ids.tolist()


def test_birth_date_and_sex_come_from_the_packed_id():
    packed = idnumbers.to_number(pd.Series(["110105194912310011"], dtype="str"))
    assert idnumbers.number_birth_ymd(packed).tolist() == [19491231]
    assert np.asarray(idnumbers.number_is_male(packed)).tolist() == [True]
