"""Data-quality gates: checks on whole sources before anything they feed reaches the oracle.

A row-level problem is quarantined and counted (quarantine.py); a source-level problem — an empty
extract, a key column that is mostly empty, a register covering far fewer people than are registered,
a delivery far smaller than last run's — would silently change who is admitted (an empty tax file
doubles the admissions), so it fails the run, or, where the operator chooses, the run completes and its
results file is marked not for publication (Parquet metadata ``govchain.publish`` = ``false`` and
``govchain.quality`` = the failed gates as JSON), which the oracle refuses to commit.

Limits (documented in README.md, "Data-quality gates"):
- EMPTY_SOURCE: a source file with no data rows.
- KEY_COLUMN_NULL: a key column (sources.SourceSpec.key_columns) empty in more than MAX_KEY_NULL_SHARE of rows.
- LOW_COVERAGE: rows linked to known people (or households) cover less than the source's
  ``min_coverage`` of the registered population. Each limit is about half of what a county's extract
  normally covers, so it catches a truncated or wrong-county delivery, not ordinary gaps.
- ROW_COUNT_DROP: fewer than MIN_ROWS_VS_PREVIOUS x the rows the same county's file had in the previous
  run (``--previous DIR``).
- NO_HOUSEHOLDS: the registers yield no household at all.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from data_pipeline.errors import PreviousRunError
from data_pipeline.ingest import Ingested

MAX_KEY_NULL_SHARE = 0.5
MIN_ROWS_VS_PREVIOUS = 0.7
ON_FAILURE = ("fail", "mark")  # the operator's choice: stop the run, or mark its results not for publication


@dataclass(frozen=True)
class GateFailure:
    """One failed gate: which file, the figure measured and the limit it broke."""

    gate: str
    file: str
    figure: float
    limit: float
    message: str

    def as_dict(self) -> dict:
        return asdict(self)


def _null_share(raw: pd.Series) -> float:
    text = raw.astype("str").str.strip()
    return float((raw.isna() | (text == "")).mean())


def delivery_gates(items: dict[str, Ingested]) -> list[GateFailure]:
    """Gates that need only the files as read: empty sources and mostly-empty key columns."""
    failures = []
    for item in items.values():
        rows = len(item.raw)
        if rows == 0:
            failures.append(
                GateFailure("EMPTY_SOURCE", item.file, 0, 1, f"{item.file}: no data rows (header only or empty)")
            )
            continue
        for column in item.spec.key_columns:
            share = _null_share(item.raw[column])
            if share > MAX_KEY_NULL_SHARE:
                failures.append(GateFailure(
                    "KEY_COLUMN_NULL", item.file, round(share, 4), MAX_KEY_NULL_SHARE,
                    f"{item.file}: key column '{column}' is empty in {share:.1%} of {rows:,} rows "
                    f"(limit {MAX_KEY_NULL_SHARE:.0%})",
                ))
    return failures


def coverage_gates(items: dict[str, Ingested], persons: pd.DataFrame) -> list[GateFailure]:
    """Per source, the share of the registered population its accepted rows cover."""
    population = {"person": persons["person"].nunique(), "household": persons["household"].nunique()}
    failures = []
    if population["household"] == 0:
        return [GateFailure("NO_HOUSEHOLDS", "household_registration + census", 0, 1,
                            "the registers (户政, 普调) yield no household: nothing to decide")]
    for item in items.values():
        if len(item.raw) == 0:
            continue  # already EMPTY_SOURCE
        covered = item.frame["__key"].nunique() if "__key" in item.frame else 0
        share = covered / population[item.spec.level]
        if share < item.spec.min_coverage:
            failures.append(GateFailure(
                "LOW_COVERAGE", item.file, round(share, 4), item.spec.min_coverage,
                f"{item.file}: covers {covered:,} of {population[item.spec.level]:,} registered {item.spec.level}s "
                f"({share:.1%}; limit {item.spec.min_coverage:.0%})",
            ))
    return failures


def previous_rows(previous: Path | None, partition: str) -> dict[str, int]:
    """Rows read per source file in the previous run of the same county (its ledger.json)."""
    if previous is None:
        return {}
    path = Path(previous) / "ledger.json"
    try:
        ledger = json.loads(path.read_text(encoding="utf-8"))
        files = ledger["files"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise PreviousRunError(path, e) from e
    rows = {}
    for key, entry in files.items():
        county = key.rpartition("/")[0]
        if county == partition:
            rows[entry["source"]] = int(entry["rows_read"])
    return rows


def row_count_gates(items: dict[str, Ingested], before: dict[str, int]) -> list[GateFailure]:
    failures = []
    for item in items.values():
        was = before.get(item.spec.name)
        if was and len(item.raw) and len(item.raw) < MIN_ROWS_VS_PREVIOUS * was:
            failures.append(GateFailure(
                "ROW_COUNT_DROP", item.file, len(item.raw), int(MIN_ROWS_VS_PREVIOUS * was),
                f"{item.file}: {len(item.raw):,} rows against {was:,} in the previous run "
                f"({len(item.raw) / was:.1%}; limit {MIN_ROWS_VS_PREVIOUS:.0%})",
            ))
    return failures


def in_partition(failures: list[GateFailure], partition: str) -> list[GateFailure]:
    """The failures with the county folder in front of the file name (several counties in one run)."""
    if not partition:
        return failures
    return [
        GateFailure(f.gate, f"{partition}/{f.file}", f.figure, f.limit, f"{partition}/{f.message}") for f in failures
    ]
