"""Benchmark of the data pipeline: python benchmarks/pipeline.py [--people N] [--seed S] [--jobs J]

Generates a synthetic county once (cached under data/bench/, timed separately), runs the whole pipeline
on it, measures accuracy against the ground truth and the naive baseline, and prints per-stage times and
peak memory. The last line is one JSON object for machines.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govchain.localnode import use_project_tools  # noqa: E402

use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand

from data_pipeline import accuracy, baseline  # noqa: E402
from data_pipeline import policy as policy_mod  # noqa: E402
from data_pipeline.run import run  # noqa: E402
from data_pipeline.synth.generate import generate  # noqa: E402


class PeakRss:
    """Samples the resident memory of this process and its children (process-pool workers)."""

    def __init__(self, interval: float = 0.05):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        me = psutil.Process(os.getpid())
        while not self._stop.is_set():
            try:
                rss = me.memory_info().rss + sum(c.memory_info().rss for c in me.children(recursive=True))
            except psutil.Error:
                rss = me.memory_info().rss
            self.peak = max(self.peak, rss)
            time.sleep(self.interval)

    def __enter__(self) -> "PeakRss":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=1, help="county partitions in parallel (with --counties > 1)")
    parser.add_argument("--counties", type=int, default=1, help="split the people over this many county partitions")
    parser.add_argument("--cache", type=Path, default=ROOT / "data" / "bench")
    args = parser.parse_args()

    sources = args.cache / f"pipeline-{args.people}-seed{args.seed}-counties{args.counties}"
    if not (sources / "ground_truth" / "households.parquet").exists():
        print(f"generating {args.people:,} people into {sources} ...", flush=True)
        started = time.perf_counter()
        shutil.rmtree(sources, ignore_errors=True)
        generate(sources, args.people, args.seed, counties=args.counties)
        print(f"generation: {time.perf_counter() - started:.1f} s (not part of the pipeline time)", flush=True)
    else:
        print(f"using cached sources in {sources} (generation not timed)", flush=True)

    out = args.cache / f"run-{args.people}-seed{args.seed}-counties{args.counties}"
    shutil.rmtree(out, ignore_errors=True)
    print(f"running the pipeline on {args.people:,} people ...", flush=True)
    with PeakRss() as peak:
        started = time.perf_counter()
        summary = run(sources, out, jobs=args.jobs, show=True)
        total = time.perf_counter() - started
    print("\nper-stage seconds (summed over partitions):")
    for stage, seconds in summary["stage_seconds"].items():
        print(f"  {stage:<28} {seconds:8.2f}")
    print(f"  {'total (wall clock)':<28} {total:8.2f}")
    print(f"peak RSS: {peak.peak / 2**20:,.0f} MiB")

    truth = accuracy.truth_eligibility(sources)
    ours = accuracy.errors(accuracy.pipeline_eligibility(out), truth, accuracy.pipeline_verify(out))
    policy = policy_mod.load()
    folders = [sources] if args.counties == 1 else sorted(p for p in sources.iterdir() if p.name.isdigit())
    import pandas as pd

    naive = accuracy.errors(pd.concat([baseline.eligibility(f, policy) for f in folders]), truth)
    print(
        f"pipeline: exclusion error {ours['exclusion_error']:.4%}, inclusion error {ours['inclusion_error']:.4%} "
        f"({ours['eligible']:,} eligible, {ours['admitted']:,} admitted, "
        f"{ours['verify_share']:.2%} sent to verification)"
    )
    print(f"naive baseline (census only, no cleaning): exclusion error {naive['exclusion_error']:.4%}, "
          f"inclusion error {naive['inclusion_error']:.4%}")
    print(json.dumps({
        "people": args.people,
        "total_s": round(total, 2),
        "peak_rss_mb": round(peak.peak / 2**20, 1),
        "exclusion_error": round(ours["exclusion_error"], 6),
        "inclusion_error": round(ours["inclusion_error"], 6),
        "verify_share": round(ours["verify_share"], 6),
        "baseline_exclusion_error": round(naive["exclusion_error"], 6),
        "baseline_inclusion_error": round(naive["inclusion_error"], 6),
        "stage_s": summary["stage_seconds"],
    }))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
