"""One line per step on the terminal, the details in a log file.

    [ 6/10] oracles (k = 2) commit the county batch … 4.1 s

Inside a step, everything written to stdout and stderr (brownie's transaction lines, the flow's notes, warnings)
goes to the log file instead, under a header naming the step; a step that fails says so on its line, and the
error's message follows, with the log file's path.
"""

from __future__ import annotations

import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO


@dataclass
class Step:
    """What a running step may add to its line: a short note (``reused``, ``started``, a count)."""

    note: str = ""


class StepFailed(Exception):
    """Raised (from the original error) when a step fails; the terminal line and the log already say so."""


class Progress:
    """Numbered steps of a fixed list, each timed, with their output sent to ``log_file``."""

    def __init__(self, steps: dict[str, str], log_file: Path, out: TextIO | None = None):
        self.steps = steps
        self.log_file = Path(log_file)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        # Open for the whole run (steps write to it as they go); closed by close().
        self.log = open(self.log_file, "a", encoding="utf-8", buffering=1)  # noqa: SIM115
        self.out = out or sys.stdout
        self.log.write(f"\n==== {time.strftime('%Y-%m-%d %H:%M:%S')} ====\n")

    def line(self, text: str = "") -> None:
        """A line on the terminal (and in the log)."""
        self.out.write(text + "\n")
        self.out.flush()
        self.log.write(text + "\n")

    def detail(self, text: str) -> None:
        """A line in the log only."""
        self.log.write(text + "\n")

    @contextmanager
    def step(self, key: str) -> Iterator[Step]:
        number, label = list(self.steps).index(key) + 1, self.steps[key]
        width = len(str(len(self.steps)))
        head = f"[{number:>{width}}/{len(self.steps)}] {label} …"
        self.out.write(head)
        self.out.flush()
        self.log.write(f"\n== {head}\n")
        step, started = Step(), time.perf_counter()
        try:
            with redirect_stdout(self.log), redirect_stderr(self.log):
                yield step
        except BaseException as exc:
            self.out.write(f" failed after {time.perf_counter() - started:.1f} s\n")
            self.log.write("".join(traceback.format_exception(exc)))
            self.out.write(f"  {type(exc).__name__}: {exc}\n  details: {self.log_file}\n")
            self.out.flush()
            raise StepFailed(str(exc)) from exc
        seconds = time.perf_counter() - started
        tail = f" {seconds:.1f} s" + (f" ({step.note})" if step.note else "")
        self.out.write(tail + "\n")
        self.out.flush()
        self.log.write(f"== done:{tail}\n")

    def close(self) -> None:
        self.log.close()
