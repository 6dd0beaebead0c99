"""Services that outlive the command that started them (`make demo`), stopped later by PID (`make stop`).

Each service runs detached (its own session, so the terminal's Ctrl-C of a later command never reaches it),
with its output in a log file and a pid file in the run folder (``data/run/<name>.pid``) recording the PID,
the process's start time (from /proc, so a PID the kernel handed to another process is never taken for ours)
and its command line as /proc shows it once the service is ready (js-ipfs renames its own process to "ipfs").
A later command reuses a service only when all three still match and it was launched the same way (ports,
files); otherwise it stops what is ours and starts afresh. Every service's environment carries
``GOVCHAIN_DEMO_RUN=<run folder>``, so whoever looks for leftovers can find them in /proc.

Linux only (/proc), as the project's machines are.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from govchain.config import PROJECT_ROOT
from govchain.errors import GovchainError
from govchain.localnode import port_in_use

RUN_MARKER = "GOVCHAIN_DEMO_RUN"


def project_python_path() -> dict[str, str]:
    """``PYTHONPATH`` for a ``python -m <package of this project>`` child process: the project root first, so the
    child finds its packages from any working folder, then whatever the caller's path held."""
    return {"PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}


class ServiceError(GovchainError):
    """Raised when a service does not start, or something not ours holds what it needs."""


@dataclass(frozen=True)
class Service:
    """How to launch one long-running process, and how to tell it is ready."""

    name: str
    command: list[str]
    log_file: Path
    ready: Callable[[], bool]
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path | None = None
    start_timeout: float = 60.0
    # Loopback ports it listens on: they must be free before it starts (else "ready" could be someone else).
    ports: tuple[int, ...] = ()
    # Called just before a start (not when a running service is reused): config files, stale locks.
    prepare: Callable[[], None] | None = None

    def launch(self) -> list[str]:
        """How it is launched: the command and the environment it is given (a change means a restart)."""
        return [*self.command, *(f"{k}={v}" for k, v in sorted(self.env.items()))]


@dataclass(frozen=True)
class Running:
    """A service's pid file: who it is, as /proc showed it when it was ready."""

    name: str
    pid: int
    start_time: int
    cmdline: list[str]
    launched: list[str]

    def to_json(self) -> str:
        return json.dumps({"pid": self.pid, "start_time": self.start_time, "cmdline": self.cmdline,
                           "launched": self.launched}, indent=1)


def process_start_time(pid: int) -> int | None:
    """The start time of ``pid`` in clock ticks since boot (/proc/PID/stat field 22); None when it is gone
    or a zombie (exited, waiting for its parent to read its status)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces: split after its closing one.
    fields = stat[stat.rindex(")") + 2:].split()
    return None if fields[0] in ("Z", "X") else int(fields[19])


def process_cmdline(pid: int) -> list[str]:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return []
    return [part.decode(errors="replace") for part in raw.split(b"\0") if part]


def processes_marked(run_dir: Path) -> Iterator[int]:
    """PIDs of live processes whose environment names ``run_dir`` as their run folder: ours, pid file or not."""
    marker = f"{RUN_MARKER}={Path(run_dir).resolve()}".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue  # gone, or another user's
        if marker in environ and process_start_time(int(entry.name)) is not None:
            yield int(entry.name)


class ServiceRunner:
    """The services of one run folder: start or reuse, look up, stop."""

    def __init__(self, run_dir: Path):
        self.run_dir = Path(run_dir).resolve()

    def pid_file(self, name: str) -> Path:
        return self.run_dir / f"{name}.pid"

    def running(self, name: str) -> Running | None:
        """The service ``name`` if its pid file names a live process that is still the one we started."""
        path = self.pid_file(name)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            record = Running(name, int(data["pid"]), int(data["start_time"]), list(data["cmdline"]),
                             list(data["launched"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if process_start_time(record.pid) != record.start_time or process_cmdline(record.pid) != record.cmdline:
            return None  # exited, or its PID now belongs to another process
        return record

    def names(self) -> list[str]:
        return sorted(p.stem for p in self.run_dir.glob("*.pid"))

    def ensure(self, service: Service) -> tuple[Running, bool]:
        """The running ``service``, started unless it runs already as launched now; returns it and whether it
        was reused."""
        current = self.running(service.name)
        if current and current.launched == service.launch() and service.ready():
            return current, True
        if current:
            self.stop(service.name)
        return self._start(service), False

    def _start(self, service: Service) -> Running:
        busy = [port for port in service.ports if port_in_use(port)]
        if busy:
            raise ServiceError(f"{service.name} needs port {busy[0]} on 127.0.0.1, which a process not started "
                               f"from {self.run_dir} holds: stop it, or give the demo another port.")
        self.run_dir.mkdir(parents=True, exist_ok=True)
        service.log_file.parent.mkdir(parents=True, exist_ok=True)
        if service.prepare:
            service.prepare()
        env = dict(os.environ, **service.env, **{RUN_MARKER: str(self.run_dir)})
        offset = service.log_file.stat().st_size if service.log_file.exists() else 0
        with open(service.log_file, "ab") as log:
            process = subprocess.Popen(service.command, stdin=subprocess.DEVNULL, stdout=log,
                                       stderr=subprocess.STDOUT, env=env, cwd=service.cwd, start_new_session=True)
        deadline = time.monotonic() + service.start_timeout
        while process.poll() is not None or not service.ready():
            if process.poll() is not None or time.monotonic() > deadline:
                if process.poll() is None:
                    terminate(process.pid)
                why = (f"exited with code {process.returncode}" if process.returncode is not None
                       else f"was not ready within {service.start_timeout:.0f} s")
                raise ServiceError(f"{service.name} {why}; see {service.log_file}:\n"
                                   + _tail(service.log_file, offset))
            time.sleep(0.1)
        record = Running(service.name, process.pid, process_start_time(process.pid) or 0,
                         _settled_cmdline(process.pid), service.launch())
        tmp = self.pid_file(service.name).with_suffix(".tmp")
        tmp.write_text(record.to_json(), encoding="utf-8")
        tmp.rename(self.pid_file(service.name))
        return record

    def stop(self, name: str, timeout: float = 20.0) -> bool:
        """Stops service ``name`` if it is ours and running (SIGTERM, then SIGKILL after ``timeout``; services
        save their state on SIGTERM) and removes its pid file; returns whether a process was stopped."""
        record = self.running(name)
        if record:
            terminate(record.pid, timeout)
        self.pid_file(name).unlink(missing_ok=True)
        return record is not None


def _settled_cmdline(pid: int, timeout: float = 5.0) -> list[str]:
    """The command line of a process just started: /proc shows an empty one while its exec is under way."""
    deadline = time.monotonic() + timeout
    while not (cmdline := process_cmdline(pid)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return cmdline


def terminate(pid: int, timeout: float = 20.0) -> None:
    start_time = process_start_time(pid)
    if start_time is None:
        return
    os.kill(pid, signal.SIGTERM)
    deadline, killed = time.monotonic() + timeout, False
    while process_start_time(pid) == start_time:
        if time.monotonic() > deadline:
            if killed:
                raise ServiceError(f"Process {pid} outlived SIGKILL (stuck in the kernel?); check `ps -p {pid}`.")
            os.kill(pid, signal.SIGKILL)
            deadline, killed = time.monotonic() + 5, True
        time.sleep(0.05)
        _reap(pid)


def _reap(pid: int) -> None:
    """Collects the exit status of ``pid`` if it is our child (a child we started and stop in one process)."""
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def _tail(log_file: Path, offset: int, lines: int = 8) -> str:
    try:
        with open(log_file, "rb") as log:
            log.seek(offset)
            text = log.read().decode(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])
