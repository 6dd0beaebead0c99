"""python -m data_pipeline run --sources DIR --out DIR [--policy FILE] [--jobs N] [--on-gate-failure fail|mark]
[--previous DIR]"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from data_pipeline import gates
from data_pipeline.errors import PipelineError
from data_pipeline.policy import DEFAULT_POLICY
from data_pipeline.run import run


def _print_summary(s: dict) -> None:
    print(f"\nGovChain data pipeline: {s['persons']:,} persons in {s['households']:,} households "
          f"({len(s['partitions'])} partition(s)), policy {s['policy_version']} {s['policy_hash'][:18]}...")
    r = s["rows"]
    print(f"rows read {r['rows_read']:,} = accepted {r['rows_accepted']:,} + quarantined {r['rows_quarantined']:,} "
          f"(per file in {s['out']}/ledger.json)")
    print("decisions: " + ", ".join(f"{k} {v:,}" for k, v in s["decisions"].items()))
    print("stage seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in s["stage_seconds"].items())
          + f"; total {s['total_seconds']:.2f}")
    if not s["publishable"]:
        print("NOT FOR PUBLICATION: data-quality gates failed (the oracle will not commit these results):")
        for q in s["quality"]:
            print(f"  - {q['gate']}: {q['message']}")
    print(f"results: {s['out']}/results.parquet; database: {s['out']}/govchain.duckdb; reports: {s['out']}/reports/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data_pipeline")
    sub = parser.add_subparsers(dest="command", required=True)
    run_p = sub.add_parser("run", help="run every stage on a folder of sources")
    run_p.add_argument("--sources", type=Path, required=True, help="one county's files, or a folder of county folders")
    run_p.add_argument("--out", type=Path, required=True, help="output folder (created)")
    run_p.add_argument("--policy", type=Path, default=DEFAULT_POLICY, help="versioned policy file")
    run_p.add_argument("--jobs", type=int, default=1, help="county partitions processed in parallel")
    run_p.add_argument("--quiet", action="store_true", help="no progress bars")
    run_p.add_argument("--on-gate-failure", choices=gates.ON_FAILURE, default="fail",
                       help="a failed data-quality gate stops the run (fail, exit code 2), or the run completes and "
                            "its results are marked not for publication (mark)")
    run_p.add_argument("--previous", type=Path, default=None,
                       help="output folder of the previous run: row counts per source are checked against it")
    run_p.add_argument("--as-of", type=datetime.fromisoformat, default=None,
                       help="when the source extract was taken (ISO 8601, e.g. 2026-11-30 or 2026-11-30T18:00Z; "
                            "default: the run's start, UTC): dates the oracle's eligibility batches")
    args = parser.parse_args(argv)
    try:
        summary = run(args.sources, args.out, args.policy, args.jobs, show=not args.quiet,
                      on_gate_failure=args.on_gate_failure, previous=args.previous, as_of=args.as_of)
    except PipelineError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    _print_summary(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
