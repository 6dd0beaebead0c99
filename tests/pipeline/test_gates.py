"""Data-quality gates: each failure names the file and the figure, stops the run (exit code 2), or with
--on-gate-failure mark completes it with results marked not for publication."""


import pandas as pd
import pyarrow.parquet as pq
import pytest

from data_pipeline.__main__ import main
from data_pipeline.errors import QualityGateError
from data_pipeline.outputs import RESULTS_FILE, read_quality
from data_pipeline.run import run


def _header_only(path):
    path.write_bytes(path.read_bytes().split(b"\n", 1)[0] + b"\n")


def _failure(delivery, tmp_path, **kwargs):
    with pytest.raises(QualityGateError) as error:
        run(delivery, tmp_path / "out", show=False, **kwargs)
    return error.value


def test_an_empty_source_fails_the_run_naming_the_file(delivery, tmp_path):
    _header_only(delivery / "tax.csv")
    error = _failure(delivery, tmp_path)
    assert [f["gate"] for f in error.failures] == ["EMPTY_SOURCE"]
    assert "tax.csv: no data rows" in str(error)


def test_a_zero_byte_file_is_an_empty_source(delivery, tmp_path):
    (delivery / "land.csv").write_bytes(b"")
    error = _failure(delivery, tmp_path)
    assert [(f["gate"], f["file"]) for f in error.failures] == [("EMPTY_SOURCE", "land.csv")]


def test_a_failed_gate_leaves_no_results_file(delivery, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / RESULTS_FILE).write_bytes(b"from an earlier run")
    _header_only(delivery / "tax.csv")
    _failure(delivery, tmp_path)
    assert not (tmp_path / "out" / RESULTS_FILE).exists()


def test_a_key_column_all_null_fails_naming_the_column_and_the_share(delivery, tmp_path):
    path = delivery / "social_security.parquet"
    table = pq.read_table(path).to_pandas()
    table["medical_insured"] = None
    table.to_parquet(path)
    error = _failure(delivery, tmp_path)
    assert [(f["gate"], f["file"], f["figure"]) for f in error.failures] == [
        ("KEY_COLUMN_NULL", "social_security.parquet", 1.0)
    ]
    assert "key column 'medical_insured' is empty in 100.0%" in str(error)


def test_marked_mode_completes_with_an_id_and_a_key_column_all_null(delivery, tmp_path):
    path = delivery / "social_security.parquet"
    table = pq.read_table(path).to_pandas()
    table["medical_insured"] = None
    table["id_number"] = None
    table.to_parquet(path)
    summary = run(delivery, tmp_path / "out", show=False, on_gate_failure="mark")
    assert not summary["publishable"]
    assert {(q["gate"], q["file"]) for q in summary["quality"]} >= {("KEY_COLUMN_NULL", "social_security.parquet")}


def test_an_id_column_mostly_null_fails(delivery, tmp_path):
    path = delivery / "bank.csv"
    frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    frame.loc[: int(len(frame) * 0.6), "id_number"] = ""
    frame.to_csv(path, index=False)
    error = _failure(delivery, tmp_path)
    assert error.failures[0]["gate"] == "KEY_COLUMN_NULL" and error.failures[0]["file"] == "bank.csv"
    assert error.failures[0]["figure"] > 0.5


def test_a_source_far_below_the_registered_population_fails_on_coverage(delivery, tmp_path):
    path = delivery / "social_security.parquet"
    table = pq.read_table(path)
    pq.write_table(table.slice(0, len(table) // 5), path)  # a fifth of the county: a truncated export
    error = _failure(delivery, tmp_path)
    failure = error.failures[0]
    assert (failure["gate"], failure["file"], failure["limit"]) == ("LOW_COVERAGE", "social_security.parquet", 0.4)
    assert 0.15 < failure["figure"] < 0.25
    assert "registered persons" in failure["message"]


def test_a_source_far_smaller_than_in_the_previous_run_fails(delivery, tmp_path, county_run):
    path = delivery / "credit.parquet"
    table = pq.read_table(path)
    pq.write_table(table.slice(0, len(table) // 2), path)
    error = _failure(delivery, tmp_path, previous=county_run)
    failure = error.failures[0]
    assert (failure["gate"], failure["file"], failure["figure"]) == (
        "ROW_COUNT_DROP",
        "credit.parquet",
        len(table) // 2,
    )
    assert "in the previous run" in failure["message"]


def test_a_delivery_like_the_previous_one_passes_every_gate(county, tmp_path, county_run):
    summary = run(county, tmp_path / "out", show=False, previous=county_run)
    assert summary["publishable"] and read_quality(tmp_path / "out") == (True, [])


def test_the_results_carry_the_as_of_time_of_the_extract(county, tmp_path):
    from datetime import datetime, timezone

    from data_pipeline.outputs import read_as_of

    taken = datetime(2026, 11, 30, 18, 0, tzinfo=timezone.utc)
    run(county, tmp_path / "out", show=False, as_of=taken)
    assert read_as_of(tmp_path / "out") == taken


def test_both_registers_with_headers_only_fail_the_run(delivery, tmp_path):
    _header_only(delivery / "census.csv")
    _header_only(delivery / "household_registration.csv")
    error = _failure(delivery, tmp_path)
    assert {f["file"] for f in error.failures} >= {"census.csv", "household_registration.csv"}


def test_marked_mode_completes_and_marks_the_results_not_for_publication(delivery, tmp_path):
    _header_only(delivery / "tax.csv")
    summary = run(delivery, tmp_path / "out", show=False, on_gate_failure="mark")
    publishable, quality = read_quality(tmp_path / "out")
    assert not publishable and not summary["publishable"]
    assert [(q["gate"], q["file"], q["figure"], q["limit"]) for q in quality] == [("EMPTY_SOURCE", "tax.csv", 0, 1)]
    meta = pq.read_schema(tmp_path / "out" / RESULTS_FILE).metadata
    assert meta[b"govchain.publish"] == b"false"


def test_the_cli_exits_2_with_the_gate_message_and_no_traceback(delivery, tmp_path, capsys):
    _header_only(delivery / "tax.csv")
    assert main(["run", "--sources", str(delivery), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "EMPTY_SOURCE: tax.csv: no data rows" in err and "Traceback" not in err


def test_the_cli_in_marked_mode_exits_0_and_says_not_for_publication(delivery, tmp_path, capsys):
    _header_only(delivery / "tax.csv")
    assert main(["run", "--sources", str(delivery), "--out", str(tmp_path / "out"), "--quiet",
                 "--on-gate-failure", "mark"]) == 0
    assert "NOT FOR PUBLICATION" in capsys.readouterr().out


def test_a_previous_run_without_a_ledger_is_a_clear_error(county, tmp_path, capsys):
    (tmp_path / "nothing").mkdir()
    assert main(["run", "--sources", str(county), "--out", str(tmp_path / "out"), "--quiet",
                 "--previous", str(tmp_path / "nothing")]) == 2
    assert "--previous: cannot read the earlier run's ledger" in capsys.readouterr().err
