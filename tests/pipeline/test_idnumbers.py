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


def _with_check(body17):
    return body17 + idnumbers.check_char(body17)


def test_impossible_birth_month_is_a_bad_birth_date():
    assert _one(_with_check("11010519491331002"))[1] == IdStatus.BAD_BIRTH_DATE


def test_february_30_is_a_bad_birth_date():
    assert _one(_with_check("11010519900230002"))[1] == IdStatus.BAD_BIRTH_DATE


def test_february_29_in_a_common_year_is_a_bad_birth_date():
    assert _one(_with_check("11010519900229002"))[1] == IdStatus.BAD_BIRTH_DATE


def test_february_29_in_a_leap_year_is_valid():
    assert _one(_with_check("11010519920229002"))[1] == IdStatus.VALID


def test_february_29_2000_is_valid_and_1900_is_not_a_leap_year():
    assert _one(_with_check("11010520000229002"))[1] == IdStatus.VALID
    assert _one(_with_check("11010519000229002"))[1] == IdStatus.BAD_BIRTH_DATE


def test_april_31_is_a_bad_birth_date():
    assert _one(_with_check("11010519900431002"))[1] == IdStatus.BAD_BIRTH_DATE


def test_birth_years_1799_and_2099_are_implausible():
    assert _one(_with_check("11010517990101002"))[1] == IdStatus.BAD_BIRTH_DATE
    assert _one(_with_check("11010520990101002"))[1] == IdStatus.BAD_BIRTH_DATE


def test_a_birth_date_after_today_is_implausible():
    from datetime import date
    dated, _ = idnumbers.body_checks(idnumbers._bodies_matrix(pd.Series(["11010520260102002"]).to_numpy()),
                                     today=date(2026, 1, 1))
    assert dated.tolist() == [False]


def test_address_codes_000000_and_990000_are_unknown():
    assert _one(_with_check("00000019900101002"))[1] == IdStatus.UNKNOWN_ADDRESS
    assert _one(_with_check("99000019900101002"))[1] == IdStatus.UNKNOWN_ADDRESS


def test_an_address_code_missing_from_a_listed_prefecture_is_unknown():
    assert _one(_with_check("53232019900101002"))[1] == IdStatus.UNKNOWN_ADDRESS  # no 532320 in 楚雄州


def test_a_retired_address_code_stays_valid_in_an_id():
    assert _one(_with_check("53042119800101002"))[1] == IdStatus.VALID  # 江川县, now 江川区 530403


def test_a_fifteen_digit_id_with_february_30_does_not_become_valid():
    assert _one("110105900230002")[1] == IdStatus.BAD_BIRTH_DATE


def test_a_fifteen_digit_id_with_an_unknown_address_is_not_converted():
    assert _one("990000900101002")[1] == IdStatus.UNKNOWN_ADDRESS


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
