"""One line per step on the terminal, the details in the log (orchestration/progress.py)."""

from __future__ import annotations

import io
import sys

import pytest

from orchestration.progress import Progress, StepFailed

STEPS = {"chain": "local chain", "deploy": "contracts deployed"}


@pytest.fixture
def progress(tmp_path):
    terminal = io.StringIO()
    progress = Progress(STEPS, tmp_path / "logs" / "demo.log", out=terminal)
    progress.terminal = terminal
    yield progress
    progress.close()


def test_a_step_is_one_numbered_timed_line_with_its_note(progress):
    with progress.step("deploy") as step:
        step.note = "15 contracts"
    line = progress.terminal.getvalue()
    assert line.startswith("[2/2] contracts deployed … ") and line.endswith(" s (15 contracts)\n")


def test_what_a_step_prints_goes_to_the_log_not_the_terminal(progress):
    with progress.step("chain"):
        print("Transaction sent: 0xabc")
        print("a warning", file=sys.stderr)
    assert "Transaction sent" not in progress.terminal.getvalue()
    log = progress.log_file.read_text()
    assert "Transaction sent: 0xabc" in log and "a warning" in log


def test_a_failed_step_says_so_with_the_error_and_the_log_path(progress):
    with pytest.raises(StepFailed, match="port 8545 is taken"), progress.step("chain"):
        raise RuntimeError("port 8545 is taken")
    terminal = progress.terminal.getvalue()
    assert "[1/2] local chain … failed after" in terminal and "RuntimeError: port 8545 is taken" in terminal
    assert f"details: {progress.log_file}" in terminal and "Traceback" in progress.log_file.read_text()
