"""Ingestion failures with their messages, encodings, and the ledger arithmetic."""

import json

import pandas as pd
import pyarrow.parquet as pq
import pytest

from data_pipeline.__main__ import main
from data_pipeline.errors import MissingColumnError, SourceFileMissingError, UndecodableFileError
from data_pipeline.ingest import ingest
from data_pipeline.sources import SOURCES


def test_a_renamed_column_fails_naming_the_file_and_the_column(delivery):
    path = delivery / "tax.csv"
    path.write_bytes(path.read_bytes().replace(b'"wage_income"', b'"wage_amount"', 1))
    with pytest.raises(MissingColumnError) as error:
        ingest(delivery, SOURCES["tax"])
    assert "tax.csv" in str(error.value) and "'wage_income'" in str(error.value) and "wage_amount" in str(error.value)


def test_a_missing_column_in_a_parquet_file_fails_naming_the_file_and_the_column(delivery):
    path = delivery / "credit.parquet"
    pq.write_table(pq.read_table(path).drop(["overdue"]), path)
    with pytest.raises(MissingColumnError, match=r"credit\.parquet: required column 'overdue' is missing"):
        ingest(delivery, SOURCES["credit"])


def test_an_undecodable_gbk_file_fails_with_the_file_and_byte_offset(delivery):
    path = delivery / "household_registration.csv"
    data = bytearray(path.read_bytes())
    offset = data.index(b"\n") + 5  # inside the first ID number of the first data row
    data[offset] = 0xFF  # no GBK character starts with 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(UndecodableFileError) as error:
        ingest(delivery, SOURCES["household_registration"])
    assert "household_registration.csv" in str(error.value) and f"byte offset {offset}" in str(error.value)
    assert error.value.offset == offset


def test_an_undecodable_utf8_file_fails_with_the_file_and_byte_offset(delivery):
    path = delivery / "tax.csv"
    data = bytearray(path.read_bytes())
    offset = data.index(b"\n") + 3
    data[offset] = 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(UndecodableFileError, match=rf"tax\.csv: cannot be decoded as utf-8 at byte offset {offset}"):
        ingest(delivery, SOURCES["tax"])


def test_a_missing_source_file_fails_naming_the_source(delivery):
    (delivery / "land.csv").unlink()
    with pytest.raises(SourceFileMissingError, match="Source 'land' is missing"):
        ingest(delivery, SOURCES["land"])


def test_a_gbk_file_delivered_as_utf8_is_detected_as_utf8(delivery):
    path = delivery / "household_registration.csv"
    path.write_bytes(path.read_bytes().decode("gbk").encode("utf-8"))
    assert ingest(delivery, SOURCES["household_registration"]).encoding == "utf-8"


def test_the_cli_reports_a_failure_with_its_message_and_exit_code_2(delivery, tmp_path, capsys):
    path = delivery / "tax.csv"
    path.write_bytes(path.read_bytes().replace(b'"wage_income"', b'"wage"', 1))
    assert main(["run", "--sources", str(delivery), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "required column 'wage_income' is missing" in capsys.readouterr().err


def _ledger(county_run):
    return json.loads((county_run / "ledger.json").read_text(encoding="utf-8"))


def test_the_ledger_lists_every_source_file(county_run):
    assert sorted(e["source"] for e in _ledger(county_run)["files"].values()) == sorted(SOURCES)


def test_rows_read_equal_rows_accepted_plus_rows_quarantined_for_every_file(county_run):
    for name, entry in _ledger(county_run)["files"].items():
        assert entry["rows_read"] == entry["rows_accepted"] + entry["rows_quarantined"], name


def test_rows_read_are_the_data_rows_in_each_file(county_run, county):
    for name, entry in _ledger(county_run)["files"].items():
        path = county / name
        rows = pq.read_metadata(path).num_rows if path.suffix == ".parquet" else path.read_bytes().count(b"\n") - 1
        assert entry["rows_read"] == rows, name


def test_the_quarantine_file_holds_exactly_the_quarantined_rows_and_reasons(county_run):
    for name, entry in _ledger(county_run)["files"].items():
        quarantined = pd.read_parquet(county_run / entry["quarantine_file"])
        assert len(quarantined) == entry["rows_quarantined"], name
        assert quarantined["reason"].value_counts().to_dict() == entry["quarantine_reasons"], name
        assert quarantined["row"].is_unique, name


def test_quarantined_rows_keep_their_values_as_delivered(cleaned):
    quarantined = cleaned.quarantined("bank")
    sci = quarantined[quarantined["reason"] == "UNMATCHED_SCIENTIFIC_ID"]
    missing = cleaned.log("impossible_value")
    assert (quarantined.loc[missing[missing["source"] == "bank"]["row"], "value"] == "5000000000").all()
    assert sci["raw_id_number"].str.contains("E+17", regex=False).all()
