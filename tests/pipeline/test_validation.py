"""Calendar and region checks at ingestion: impossible IDs and unknown counties are quarantined with
their own reasons, and every code the generator uses is in the shipped GB/T 2260 list."""


import numpy as np
import pandas as pd
import pytest

from data_pipeline import divisions, idnumbers
from data_pipeline.ingest import ingest
from data_pipeline.sources import SOURCES


def _replace_first_id(path, new_id):
    lines = path.read_text(encoding="utf-8").split("\n")
    old = lines[1].split(",", 1)[0].strip('"')
    lines[1] = lines[1].replace(old, new_id, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


@pytest.mark.parametrize("body, reason", [
    ("53232619900230002", "INVALID_BIRTH_DATE"),  # Feb 30
    ("53232619900229002", "INVALID_BIRTH_DATE"),  # Feb 29 in a common year
    ("53232619900431002", "INVALID_BIRTH_DATE"),  # Apr 31
    ("53232617990101002", "INVALID_BIRTH_DATE"),  # born 1799
    ("53232620990101002", "INVALID_BIRTH_DATE"),  # born 2099
    ("00000019900101002", "UNKNOWN_ADDRESS_CODE"),
    ("99000019900101002", "UNKNOWN_ADDRESS_CODE"),
])
def test_an_id_with_an_impossible_date_or_address_is_quarantined_with_its_reason(delivery, body, reason):
    _replace_first_id(delivery / "tax.csv", body + idnumbers.check_char(body))
    quarantined = ingest(delivery, SOURCES["tax"]).ledger().quarantined.set_index("row")
    assert quarantined.loc[1, "reason"] == reason and quarantined.loc[1, "column"] == "id_number"


def test_a_fifteen_digit_id_with_february_30_is_quarantined_not_converted(delivery):
    _replace_first_id(delivery / "tax.csv", "532326900230002")
    quarantined = ingest(delivery, SOURCES["tax"]).ledger().quarantined.set_index("row")
    assert quarantined.loc[1, "reason"] == "INVALID_BIRTH_DATE"


def test_a_village_code_of_a_county_not_in_the_division_list_is_an_invalid_region(delivery):
    path = delivery / "land.csv"
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    frame.loc[0, "village_code"] = "990000001001"
    frame.loc[1, "village_code"] = "532320001001"  # 楚雄州 has no county 532320
    frame.to_csv(path, index=False)
    quarantined = ingest(delivery, SOURCES["land"]).ledger().quarantined.set_index("row")
    assert quarantined.loc[[1, 2], "reason"].tolist() == ["INVALID_REGION", "INVALID_REGION"]


def test_every_address_code_in_the_synthetic_county_is_in_the_division_list(cleaned):
    ids = cleaned.truth_persons["id_number"]
    codes = ids.str.slice(0, 6).astype("int64").unique()
    villages = cleaned.truth_households["region"].to_numpy() // 10**6
    assert divisions.known(codes).all() and divisions.known(np.unique(villages)).all()
    listed = set(divisions.names())
    assert set(codes) <= listed and set(np.unique(villages)) <= listed  # listed exactly, not only by province
