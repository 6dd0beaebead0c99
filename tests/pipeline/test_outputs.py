"""The results table the oracle reads, the reports the dashboard reads, and the database."""

import re

import pandas as pd

from data_pipeline import db
from data_pipeline import policy as policy_mod
from data_pipeline.outputs import REPORTS, load_results
from data_pipeline.reasons import Decision, Reason, describe


def test_results_load_with_the_documented_columns_and_types(county_run):
    results = load_results(county_run)
    assert list(results.columns) == [
        "household_key",
        "region",
        "decision",
        "reasons",
        "score",
        "policy_version",
        "policy_hash",
    ]
    assert [str(t) for t in results.dtypes] == ["str", "UInt64", "UInt8", "UInt32", "UInt32", "str", "str"]


def test_results_have_one_row_per_household_of_the_database(county_run):
    with db.connect(county_run) as con:
        households = con.execute("select count(*) from households").fetchone()[0]
    results = load_results(county_run)
    assert len(results) == households and results["household_key"].is_unique


def test_every_result_carries_the_policy_hash_and_version(county_run):
    policy = policy_mod.load()
    results = load_results(county_run)
    assert (results["policy_hash"] == policy.hash).all() and (results["policy_version"] == policy.version).all()


def test_regions_are_village_codes_of_the_county(county_run):
    regions = load_results(county_run)["region"].astype("int64")
    assert (regions // 10**6 == 532326).all() and (regions % 1000 > 0).all()


def test_decisions_agree_with_their_reason_bits(county_run):
    results = load_results(county_run)
    reasons = results["reasons"].astype("int64")
    admitted = results["decision"] == Decision.ADMIT
    exits = results["decision"] == Decision.EXIT
    assert admitted.any() and exits.any() and (results["decision"] == Decision.MONITOR).any()
    assert (reasons[admitted] & 0x3F != 0).all()
    exit_bits = int(Reason.STABLY_ABOVE_LINE | Reason.GUARANTEES_MET | Reason.REGISTERED_POOR)
    assert (reasons[exits] & exit_bits == exit_bits).all()


def test_reason_bits_are_distinct_and_fit_in_uint32():
    values = [flag.value for flag in Reason]
    assert len(set(values)) == len(values) and all(v & (v - 1) == 0 and v < 2**32 for v in values)


def test_describe_names_the_bits_of_a_mask():
    assert describe(Reason.INCOME_BELOW_LINE | Reason.CAUSE_ILLNESS) == ["INCOME_BELOW_LINE", "CAUSE_ILLNESS"]


def test_reports_hold_no_id_numbers_or_names(county_run, cleaned):
    id_like = re.compile(r"[0-9]{17}[0-9X]")
    names = set(cleaned.truth_persons["name"])
    for report in REPORTS:
        frame = pd.read_parquet(county_run / "reports" / f"{report}.parquet")
        assert not any("key" in c or "id_number" in c or "name" == c for c in frame.columns), report
        for column in frame.columns:
            text = frame[column].astype(str)
            assert not text.str.fullmatch(id_like).any(), (report, column)
            assert not text.isin(names).any(), (report, column)


def test_village_portraits_add_up_to_the_results(county_run):
    portraits = pd.read_parquet(county_run / "reports" / "village_portraits.parquet")
    results = load_results(county_run)
    assert portraits["households"].sum() == len(results)
    assert portraits["admitted"].sum() == (results["decision"] == Decision.ADMIT).sum()
    assert portraits["monitored"].sum() == (results["decision"] == Decision.MONITOR).sum()


def test_the_database_answers_questions_across_tables(county_run):
    with db.connect(county_run) as con:
        rows = con.execute("""
            select h.region, count(*) as people from persons p join households h using (household_key)
            group by h.region
        """).df()
    assert rows["people"].sum() == len(pd.read_parquet(county_run / "persons.parquet"))


def test_the_run_summary_counts_rows_and_decisions(county_run):
    import json

    summary = json.loads((county_run / "summary.json").read_text(encoding="utf-8"))
    results = load_results(county_run)
    assert summary["households"] == len(results)
    assert summary["decisions"]["admit"] == (results["decision"] == Decision.ADMIT).sum()
    assert set(summary["stage_seconds"]) >= {"ingest", "clean", "database", "models", "outputs"}


def test_the_cli_runs_every_stage_and_prints_a_summary(county, tmp_path, capsys):
    from data_pipeline.__main__ import main

    assert main(["run", "--sources", str(county), "--out", str(tmp_path / "out")]) == 0
    captured = capsys.readouterr()
    assert "rows read" in captured.out and "decisions:" in captured.out and "stage seconds:" in captured.out
    for stage in ("ingest", "clean", "database", "models", "outputs"):
        assert stage in captured.err  # one progress bar per stage
    assert (tmp_path / "out" / "results.parquet").exists()
