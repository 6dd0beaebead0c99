"""Delivery formats: one file per source, content matching the name, UTF-16 exports, full-width numbers.
Each case ends in a clear message or a correct read, never a raw traceback."""

import codecs

import pandas as pd
import pytest

from data_pipeline.__main__ import main
from data_pipeline.errors import DuplicateSourceFileError, WrongFormatError
from data_pipeline.ingest import ingest
from data_pipeline.sources import SOURCES

FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def test_two_files_for_one_source_fail_naming_both(delivery):
    pd.read_csv(delivery / "tax.csv", dtype=str).to_parquet(delivery / "tax.parquet")
    with pytest.raises(DuplicateSourceFileError, match=r"'tax' is delivered twice .*tax\.csv, tax\.parquet"):
        ingest(delivery, SOURCES["tax"])


def test_parquet_bytes_in_a_csv_file_fail_naming_the_real_format(delivery):
    frame = pd.read_csv(delivery / "tax.csv", dtype=str)
    (delivery / "tax.csv").unlink()
    frame.to_parquet(delivery / "tax.csv")
    with pytest.raises(
        WrongFormatError, match=r"tax\.csv: named as CSV but its bytes are Parquet \(magic bytes PAR1\)"
    ):
        ingest(delivery, SOURCES["tax"])


def test_a_parquet_file_that_is_not_parquet_fails_naming_the_file(delivery):
    path = delivery / "credit.parquet"
    path.write_bytes(b"id_number,debt_outstanding,overdue\n")
    with pytest.raises(WrongFormatError, match=r"credit\.parquet: named as Parquet"):
        ingest(delivery, SOURCES["credit"])


def test_the_cli_reports_a_wrong_format_with_exit_code_2_and_no_traceback(delivery, tmp_path, capsys):
    frame = pd.read_csv(delivery / "tax.csv", dtype=str)
    (delivery / "tax.csv").unlink()
    frame.to_parquet(delivery / "tax.csv")
    assert main(["run", "--sources", str(delivery), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "tax.csv: named as CSV" in err and "Traceback" not in err


def test_a_utf16_tab_separated_export_reads_the_same_rows_as_the_original(delivery, county):
    original = ingest(county, SOURCES["tax"]).frame
    path = delivery / "tax.csv"
    text = path.read_text(encoding="utf-8").replace(",", "\t")
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))  # Excel's "Unicode text"
    item = ingest(delivery, SOURCES["tax"])
    assert item.encoding == "utf-16"
    pd.testing.assert_frame_equal(item.frame, original)


def test_a_utf16_big_endian_comma_separated_file_reads_the_same_rows(delivery, county):
    original = ingest(county, SOURCES["tax"]).frame
    path = delivery / "tax.csv"
    path.write_bytes(codecs.BOM_UTF16_BE + path.read_text(encoding="utf-8").encode("utf-16-be"))
    pd.testing.assert_frame_equal(ingest(delivery, SOURCES["tax"]).frame, original)


def test_full_width_digits_in_a_numeric_column_are_read_as_the_number_and_counted(delivery):
    path = delivery / "tax.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(i for i in range(1, len(lines)) if lines[i].rsplit(",", 1)[-1].strip('"').isdigit())
    head, wage = lines[row].rsplit(",", 1)
    wage = wage.strip('"')
    lines[row] = head + "," + wage.translate(FULL_WIDTH)
    path.write_text("\n".join(lines), encoding="utf-8")
    item = ingest(delivery, SOURCES["tax"])
    assert item.frame.loc[row, "wage_income"] == float(wage)
    assert item.repairs["number_full_width"] == 1


def test_full_width_letters_in_a_numeric_column_are_quarantined_as_unparseable(delivery):
    path = delivery / "tax.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    row = next(i for i in range(1, len(lines)) if lines[i].rsplit(",", 1)[-1].strip('"').isdigit())
    lines[row] = lines[row].rsplit(",", 1)[0] + ",一万二"
    path.write_text("\n".join(lines), encoding="utf-8")
    quarantined = ingest(delivery, SOURCES["tax"]).ledger().quarantined.set_index("row")
    assert quarantined.loc[row, "reason"] == "UNPARSEABLE_VALUE" and quarantined.loc[row, "column"] == "wage_income"
