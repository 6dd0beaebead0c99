"""The pipeline as stages over county partitions.

A partition is one county's ten source files. Every stage works inside a partition and partitions share
nothing, so a province runs as independent county jobs (process pool here, Dask or Spark on a cluster:
see README.md) and the outputs are concatenated.
"""

from __future__ import annotations

import json
import re
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from tqdm import tqdm

from data_pipeline import db, dedup, gates, households, idrepair, models, outputs, village_classes
from data_pipeline import policy as policy_mod
from data_pipeline.errors import CrossCountyDuplicateError, NoSourcesError, QualityGateError
from data_pipeline.idnumbers import from_number
from data_pipeline.ingest import Ingested, ingest
from data_pipeline.quarantine import Reason, write_ledger
from data_pipeline.sources import SOURCES

STAGES = ("ingest", "clean", "database", "models", "outputs")
_COUNTY_FOLDER = re.compile(r"^[0-9]{6}$")


@dataclass
class PartitionReport:
    name: str
    folder: str
    timings: dict[str, float] = field(default_factory=dict)
    ledger: dict = field(default_factory=dict)
    households: int = 0
    persons: int = 0
    decisions: dict[str, int] = field(default_factory=dict)
    quality: list[dict] = field(default_factory=list)  # failed data-quality gates (gates.GateFailure)
    stopped: bool = False  # a gate failed and the operator asked runs to stop on failure
    calibration: dict = field(default_factory=dict)  # triangulate.Calibration measured on this county


def find_partitions(sources: Path) -> list[tuple[str, Path]]:
    """The source folder itself if it holds source files, else its county folders (named by 6-digit code).

    Raises:
        NoSourcesError: neither is there.
    """
    sources = Path(sources)
    names = {n for spec in SOURCES.values() for n in spec.file_names}
    if any((sources / n).is_file() for n in names):
        return [("", sources)]
    parts = (
        sorted(p for p in sources.iterdir() if p.is_dir() and _COUNTY_FOLDER.match(p.name)) if sources.is_dir() else []
    )
    if not parts:
        raise NoSourcesError(sources)
    return [(p.name, p) for p in parts]


@contextmanager
def _stage(report: PartitionReport, name: str):
    started = time.perf_counter()
    yield
    report.timings[name] = report.timings.get(name, 0.0) + time.perf_counter() - started


def _bar(total: int, stage: str, label: str, show: bool) -> tqdm:
    return tqdm(total=total, desc=f"{label}{stage:<9}", unit="step", disable=not show, leave=True)


def ingest_all(folder: Path, bar: tqdm | None = None) -> dict[str, Ingested]:
    """Stage 1: every source read, typed, validated and normalised row by row."""
    items = {}
    for spec in SOURCES.values():
        if bar is not None:
            bar.set_postfix_str(spec.name)
        items[spec.name] = ingest(folder, spec)
        if bar is not None:
            bar.update()
    return items


def clean(items: dict[str, Ingested], bar: tqdm | None = None) -> None:
    """Stage 2: ID repairs against the register, de-duplication, linking rows to known people."""
    steps = [
        lambda: idrepair.repair_check_digits(items),
        lambda: idrepair.recover_scientific(items),
        lambda: [(dedup.add_keys(item), dedup.deduplicate(item)) for item in items.values()],
        lambda: _link_people(items),
    ]
    for step in steps:
        step()
        for item in items.values():
            item.compact()
        if bar is not None:
            bar.update()


def _link_people(items: dict[str, Ingested]) -> None:
    people = pd.Index(pd.unique(np.concatenate([items[r].frame["__key"].to_numpy() for r in idrepair.REGISTERS])))
    for item in items.values():
        if item.spec.level == "person" and item.spec.name not in idrepair.REGISTERS:
            dedup.link(item, people, Reason.UNKNOWN_PERSON)


def link_households(items: dict[str, Ingested], persons: pd.DataFrame) -> None:
    """Quarantines household-level rows whose head heads no household of the registers."""
    heads = pd.Index(persons["household"].unique())
    for item in items.values():
        if item.spec.level == "household":
            dedup.link(item, heads, Reason.UNKNOWN_HOUSEHOLD)
            item.compact()


def run_partition(name: str, folder: Path, work: Path, policy_path: str, show: bool = True,
                  on_gate_failure: str = "fail", previous: Path | None = None,
                  as_of: date | None = None) -> PartitionReport:
    """Runs every stage on one county partition and writes its outputs into ``work``.

    Data-quality gates (gates.py) run after ingestion and after linking; when one fails and
    ``on_gate_failure`` is "fail", the partition stops there (``report.stopped``) and writes no results;
    with "mark" it goes on and its results are marked not for publication.
    """
    policy = policy_mod.load(policy_path)
    designations = village_classes.read_designations(folder)  # a bad list stops the run before any work
    work.mkdir(parents=True, exist_ok=True)
    report = PartitionReport(name, str(folder))
    label = f"[{name}] " if name else ""

    with _stage(report, "ingest"), _bar(len(SOURCES), "ingest", label, show) as bar:
        items = ingest_all(folder, bar)

    failures = gates.delivery_gates(items) + gates.row_count_gates(items, gates.previous_rows(previous, name))
    if failures and on_gate_failure == "fail":
        return _stopped(report, name, failures)

    with _stage(report, "clean"), _bar(4, "clean", label, show) as bar:
        clean(items, bar)

    with _stage(report, "database"), _bar(3, "database", label, show) as bar:
        persons = households.build_persons(items, policy)
        bar.update()
        link_households(items, persons)
        bar.update()
        hh = households.build_households(persons, items, policy)
        report.calibration = dict(hh.attrs.get("calibration", {}))
        bar.update()
    failures += gates.coverage_gates(items, persons)
    if failures and on_gate_failure == "fail":
        return _stopped(report, name, failures)
    report.quality = [f.as_dict() for f in gates.in_partition(failures, name)]

    with _stage(report, "models"), _bar(1, "models", label, show) as bar:
        decided = models.decide(hh, policy)
        hh = pd.concat([hh, decided[["admission_eligible", "verify", "resolved_income_pc", "primary_cause"]]], axis=1)
        bar.update()

    with _stage(report, "outputs"), _bar(4, "outputs", label, show) as bar:
        ledger = write_ledger([item.ledger() for item in items.values()], work)
        bar.update()
        results = outputs.results_table(hh, decided, policy)
        outputs.write_results(results, work, report.quality, as_of)
        bar.update()
        reports_dir = work / "reports"
        reports_dir.mkdir(exist_ok=True)
        for report_name, frame in outputs.reports(hh, decided).items():
            frame.to_parquet(reports_dir / f"{report_name}.parquet", index=False)
        village_classes.classify(village_classes.indicators(hh, persons), designations).to_parquet(
            reports_dir / "village_classes.parquet", index=False)
        bar.update()
        persons.assign(
            id_number=from_number(persons["person"].to_numpy()).to_numpy(),
            household_key=from_number(persons["household"].to_numpy()).to_numpy(),
        ).drop(columns=["person", "household", *[c for c in persons if c.startswith("census_")]]).to_parquet(
            work / "persons.parquet", index=False
        )
        hh.drop(columns=["household"]).assign(
            decision=decided["decision"].to_numpy(),
            reasons=decided["reasons"].to_numpy(),
            score=decided["score"].to_numpy(),
        ).to_parquet(work / "households.parquet", index=False)
        bar.update()

    report.ledger = ledger
    report.households, report.persons = len(hh), len(persons)
    report.decisions = {
        d.name.lower(): int(n)
        for d, n in zip(models.Decision, [(decided["decision"] == d).sum() for d in models.Decision])
    }
    return report


def _stopped(report: PartitionReport, name: str, failures: list[gates.GateFailure]) -> PartitionReport:
    report.quality = [f.as_dict() for f in gates.in_partition(failures, name)]
    report.stopped = True
    return report


def combine_partitions(out: Path, parts: list[tuple[str, Path]], reports: list[PartitionReport]) -> None:
    """Concatenates the partitions' results, reports and ledgers into the run's output folder."""
    loaded = [outputs.load_results(w).assign(partition=name) for name, w in parts]
    results = pd.concat(loaded, ignore_index=True)
    doubled = results[results["household_key"].duplicated(keep=False)]
    if len(doubled):
        listing = out / "cross_county_duplicates.parquet"
        doubled[["household_key", "partition", "region"]].to_parquet(listing, index=False)
        raise CrossCountyDuplicateError(
            doubled["household_key"].nunique(), sorted(doubled["partition"].unique()), listing
        )
    results = results.drop(columns="partition")
    quality = [q for r in reports for q in r.quality]
    # Every partition of a run describes the same extract: one as-of time.
    as_of = max((d for _, w in parts if (d := outputs.read_as_of(w)) is not None), default=None)
    outputs.write_results(results.sort_values(["region", "household_key"], ignore_index=True), out, quality, as_of)
    (out / "reports").mkdir(exist_ok=True)
    for name in outputs.REPORTS:
        pd.concat([pd.read_parquet(w / "reports" / f"{name}.parquet") for _, w in parts], ignore_index=True).to_parquet(
            out / "reports" / f"{name}.parquet", index=False
        )
    files = {}
    for (pname, w), rep in zip(parts, reports):
        for fname, entry in rep.ledger["files"].items():
            entry = dict(entry, quarantine_file=f"{w.relative_to(out)}/{entry['quarantine_file']}")
            files[f"{pname}/{fname}"] = entry
    ledger = {"files": files, "totals": {k: sum(f[k] for f in files.values())
                                          for k in ("rows_read", "rows_accepted", "rows_quarantined")}}
    (out / "ledger.json").write_text(json.dumps(ledger, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def run(sources: Path, out: Path, policy_path: Path | str = policy_mod.DEFAULT_POLICY, jobs: int = 1,
        show: bool = True, on_gate_failure: str = "fail", previous: Path | None = None,
        as_of: date | None = None) -> dict:
    """Runs the pipeline on every partition under ``sources`` and writes the outputs into ``out``.

    ``on_gate_failure``: "fail" (a failed data-quality gate stops the run with QualityGateError) or
    "mark" (the run completes; results.parquet is marked not for publication). ``previous``: the output
    folder of the previous run, whose row counts per county and source the ROW_COUNT_DROP gate compares.
    ``as_of``: the date or time the source extract describes, written into results.parquet (``govchain.as_of``)
    for the oracle, which orders eligibility batches by it; by default the start of the run (UTC, to the second).

    Returns:
        The run summary (also written to ``out/summary.json``).

    Raises:
        QualityGateError: a gate failed and ``on_gate_failure`` is "fail"; no results file is written.
    """
    if on_gate_failure not in gates.ON_FAILURE:
        raise ValueError(f"on_gate_failure must be one of {gates.ON_FAILURE}, not {on_gate_failure!r}")
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    policy = policy_mod.load(policy_path)
    as_of = as_of or datetime.now(timezone.utc).replace(microsecond=0)
    parts = find_partitions(Path(sources))
    gates.previous_rows(previous, "")  # an unreadable --previous fails here, not inside a worker process
    work = [(n, out if len(parts) == 1 else out / "partitions" / n) for n, _ in parts]
    if jobs > 1 and len(parts) > 1:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            futures = [pool.submit(run_partition, n, f, w, str(policy.path), show, on_gate_failure, previous, as_of)
                       for (n, f), (_, w) in zip(parts, work)]
            reports = [f.result() for f in futures]
    else:
        reports = [run_partition(n, f, w, str(policy.path), show, on_gate_failure, previous, as_of)
                   for (n, f), (_, w) in zip(parts, work)]
    if any(r.stopped for r in reports):
        (out / outputs.RESULTS_FILE).unlink(
            missing_ok=True
        )  # a stale file from an earlier run must not be taken for this one
        raise QualityGateError([q for r in reports for q in r.quality])
    combine_started = time.perf_counter()
    if len(parts) > 1:
        combine_partitions(out, work, reports)
    db.build(out, [w for _, w in work])
    combine_s = time.perf_counter() - combine_started

    stage_totals = {s: round(sum(r.timings.get(s, 0.0) for r in reports), 3) for s in STAGES}
    stage_totals["combine_and_database_file"] = round(combine_s, 3)
    ledger = json.loads((out / "ledger.json").read_text(encoding="utf-8"))
    summary = {
        "sources": str(sources),
        "out": str(out),
        "partitions": [n or Path(sources).name for n, _ in parts],
        "policy_version": policy.version,
        "policy_hash": policy.hash,
        "persons": sum(r.persons for r in reports),
        "households": sum(r.households for r in reports),
        "decisions": {k: sum(r.decisions.get(k, 0) for r in reports) for k in reports[0].decisions},
        "rows": ledger["totals"],
        "publishable": not any(r.quality for r in reports),
        "quality": [q for r in reports for q in r.quality],
        "calibration": {(r.name or "county"): r.calibration for r in reports},
        "stage_seconds": stage_totals,
        "total_seconds": round(time.perf_counter() - started, 3),
    }
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return summary
