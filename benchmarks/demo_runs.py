"""Benchmark of `make demo` (issue 13: ≤ 5 minutes on a fresh machine, ≤ 60 seconds on a second run):

    python benchmarks/demo_runs.py [--people N]

Runs the real entry points as `make demo` and `make stop` do, in a data folder of its own (a new temporary one)
and on free loopback ports, so a developer's demo is left alone: the demo (first run: services started,
contracts deployed, the county committed), the demo again (second run: everything reused, the next household
registered), then stop. Installs are not part of it (`make setup` is shared on a development machine); whether
the first run went through brownie (its build not current: it compiles what changed) is reported. The last line
is one JSON object for machines, with the step times of both runs (from their progress lines).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from govchain.localnode import free_port  # noqa: E402
from orchestration.demo import STEPS  # noqa: E402

STEP_LINE = re.compile(r"^\[\s*(\d+)/\d+\] .* … ([\d.]+) s")
FIRST_TARGET_S, SECOND_TARGET_S = 300, 60


def run_module(module: str, args: list[str]) -> tuple[float, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")}
    env["PYTHONPATH"] = str(ROOT)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, env=env, text=True, capture_output=True,
                          check=False, timeout=1800)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{module} failed:\n{done.stdout}\n{done.stderr}")
    return seconds, done.stdout


def step_seconds(stdout: str) -> dict[str, float]:
    names = list(STEPS)
    return {names[int(m[1]) - 1]: float(m[2]) for m in map(STEP_LINE.match, stdout.splitlines()) if m}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=2000, help="size of the synthetic county (default 2,000)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govchain-demo-bench-") as data:
        demo_args = ["--data-dir", data, "--port", str(free_port()), "--ipfs-port", str(free_port()),
                     "--site-port", str(free_port()), "--people", str(args.people)]
        try:
            first_s, first_out = run_module("orchestration.demo", demo_args)
            second_s, second_out = run_module("orchestration.demo", demo_args)
        finally:
            run_module("orchestration.stop", ["--data-dir", data])
    print(first_out)
    print(second_out)
    result = {
        "first_run_s": round(first_s, 1), "second_run_s": round(second_s, 1),
        "first_run_through_brownie": "(brownie: build checked" in first_out,
        "first_run_target_s": FIRST_TARGET_S, "second_run_target_s": SECOND_TARGET_S,
        "second_run_within_target": second_s <= SECOND_TARGET_S,
        "first_steps_s": step_seconds(first_out), "second_steps_s": step_seconds(second_out),
        "people": args.people, "load_average_1m": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
