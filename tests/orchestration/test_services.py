"""Detached services with pid files (orchestration/services.py), on real processes: a Python sleeper stands in
for a service, so the tests need neither anvil nor IPFS."""

from __future__ import annotations

import json
import os
import socket
import sys
from pathlib import Path

import pytest

from orchestration.services import (
    Service,
    ServiceError,
    ServiceRunner,
    process_start_time,
    processes_marked,
    terminate,
)


def sleeper(tmp_path: Path, name: str = "sleeper", seconds: int = 120, ready=lambda: True, **extra) -> Service:
    command = [sys.executable, "-c", f"import time; print('up', flush=True); time.sleep({seconds})"]
    return Service(name, command, tmp_path / "logs" / f"{name}.log", ready=ready, **extra)


@pytest.fixture
def runner(tmp_path):
    runner = ServiceRunner(tmp_path / "run")
    yield runner
    for pid in processes_marked(runner.run_dir):  # whatever a failing test left behind
        terminate(pid, timeout=2)


def test_a_started_service_outlives_its_start_and_is_recorded_in_a_pid_file(runner, tmp_path):
    record, reused = runner.ensure(sleeper(tmp_path))
    data = json.loads(runner.pid_file("sleeper").read_text())
    assert not reused and data["pid"] == record.pid and process_start_time(record.pid) == data["start_time"]
    assert os.getsid(record.pid) == record.pid  # its own session: a terminal's Ctrl-C never reaches it


def test_a_second_ensure_reuses_the_running_service(runner, tmp_path):
    first, _ = runner.ensure(sleeper(tmp_path))
    again, reused = runner.ensure(sleeper(tmp_path))
    assert reused and again.pid == first.pid


def test_a_service_launched_differently_is_restarted(runner, tmp_path):
    first, _ = runner.ensure(sleeper(tmp_path))
    second, reused = runner.ensure(sleeper(tmp_path, env={"SETTING": "changed"}))
    assert not reused and second.pid != first.pid and process_start_time(first.pid) is None


def test_stop_ends_the_process_and_removes_its_pid_file(runner, tmp_path):
    record, _ = runner.ensure(sleeper(tmp_path))
    assert runner.stop("sleeper")
    assert process_start_time(record.pid) is None and not runner.pid_file("sleeper").exists()
    assert list(processes_marked(runner.run_dir)) == []


def test_a_service_ignoring_sigterm_is_killed(runner, tmp_path):
    ignore_term = "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(120)"
    command = [sys.executable, "-c", ignore_term]
    record, _ = runner.ensure(Service("stubborn", command, tmp_path / "stubborn.log", ready=lambda: True))
    assert runner.stop("stubborn", timeout=0.5)
    assert process_start_time(record.pid) is None


def test_a_pid_file_naming_another_process_is_not_trusted(runner, tmp_path):
    runner.run_dir.mkdir(parents=True)
    # This test's own process under the name of a service: its PID is alive, but its start time and command
    # line are not the ones recorded, as after a reboot that handed the PID to someone else.
    runner.pid_file("anvil").write_text(json.dumps({"pid": os.getpid(), "start_time": 1, "cmdline": ["anvil"],
                                                    "launched": ["anvil"]}))
    assert runner.running("anvil") is None
    assert not runner.stop("anvil") and not runner.pid_file("anvil").exists()


def test_a_service_that_exits_at_start_is_reported_with_its_log(runner, tmp_path):
    command = [sys.executable, "-c", "import sys; print('cannot open the repo', flush=True); sys.exit(3)"]
    failing = Service("broken", command, tmp_path / "broken.log", ready=lambda: False, start_timeout=20)
    with pytest.raises(ServiceError, match=r"broken exited with code 3[\s\S]*cannot open the repo"):
        runner.ensure(failing)
    assert not runner.pid_file("broken").exists()


def test_a_port_held_by_another_process_is_refused_before_starting(runner, tmp_path):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        with pytest.raises(ServiceError, match=f"needs port {port} on 127.0.0.1, which a process not started"):
            runner.ensure(sleeper(tmp_path, ports=(port,)))
    assert list(processes_marked(runner.run_dir)) == []


def test_every_service_process_carries_the_run_folder_marker(runner, tmp_path):
    first, _ = runner.ensure(sleeper(tmp_path, "one"))
    second, _ = runner.ensure(sleeper(tmp_path, "two"))
    assert set(processes_marked(runner.run_dir)) == {first.pid, second.pid}
    assert list(processes_marked(tmp_path / "another-run")) == []
