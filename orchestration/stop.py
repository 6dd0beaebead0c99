"""`make stop`: stops every service `make demo` left running, by PID, and removes their pid files.

The site first, the chain last: the indexer and the site read the chain, and anvil writes its state file as it
stops (SIGTERM), which the next `make demo` starts from. A process whose pid file is stale (its PID now belongs
to another process) is left alone; one of ours without a pid file (a start interrupted before it wrote one) is
found by the run-folder marker in its environment and stopped too.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from govchain.config import PROJECT_ROOT, environment
from orchestration.services import ServiceRunner, processes_marked, terminate

# Stopping order: readers before what they read.
ORDER = ("site", "indexer", "ipfs", "anvil")


def stop_all(run_dir: Path, say=print) -> list[str]:
    """Stops the services of ``run_dir``; returns what was stopped (names, and PIDs of unnamed leftovers)."""
    runner = ServiceRunner(run_dir)
    names = [n for n in ORDER if n in runner.names()] + [n for n in runner.names() if n not in ORDER]
    stopped = []
    for name in names:
        if runner.stop(name):
            stopped.append(name)
            say(f"  stopped {name}")
    for pid in processes_marked(run_dir):
        if pid != os.getpid():
            terminate(pid)
            stopped.append(str(pid))
            say(f"  stopped process {pid} (started from {run_dir}, without a pid file)")
    return stopped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path,
                        default=Path(environment().get("GOVCHAIN_DEMO_DATA", PROJECT_ROOT / "data")),
                        help="the demo's data folder (env GOVCHAIN_DEMO_DATA, default data/)")
    args = parser.parse_args(argv)
    run_dir = args.data_dir.resolve() / "run"
    stopped = stop_all(run_dir)
    print(f"Stopped {len(stopped)} service(s) of {run_dir}." if stopped else f"Nothing of {run_dir} was running.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
