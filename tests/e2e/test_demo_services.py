"""`make demo`, `make stop`, `make demo` again (issue 13): the real entry points as subprocesses, at small scale,
in a data folder and on ports of their own (so a developer's running demo is left alone).

One module fixture runs the three commands once: the first run leaves the platform running and the site shows
its household; stop leaves no process behind; the second run continues on the saved chain.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from govchain.config import PROJECT_ROOT
from govchain.localnode import free_port
from orchestration.demo import STEPS
from orchestration.services import process_start_time, processes_marked, terminate

CHROMIUM = Path("/usr/bin/chromium")
READY = '[data-testid="stApp"][data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
SERVICES = ("anvil", "ipfs", "indexer", "site")


def registered_on_site(url: str) -> str:
    """The overview page's 已建档立卡户 (registered households) figure, as a real browser shows it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        try:
            page = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN").new_page()
            page.goto(f"{url}/overview")
            page.wait_for_selector(READY, timeout=60_000)
            metric = page.locator('[data-testid="stMetric"]').filter(has_text="已建档立卡户")
            return metric.locator('[data-testid="stMetricValue"]').inner_text(timeout=30_000).strip()
        finally:
            browser.close()


def pids_of(run_dir: Path) -> dict[str, int]:
    return {p.stem: json.loads(p.read_text())["pid"] for p in run_dir.glob("*.pid")}


def command_lines_naming(folder: Path) -> list[str]:
    """Live processes whose command line names ``folder`` (anvil's state file, the indexer's database...)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if str(folder) in cmdline and process_start_time(int(entry.name)) is not None:
                found.append(f"{entry.name}: {cmdline}")
    return found


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is not installed: `make setup` installs it (apt-get install chromium).")
    data = tmp_path_factory.mktemp("demo-services").resolve()
    ports = {"--port": free_port(), "--ipfs-port": free_port(), "--site-port": free_port()}
    args = ["--data-dir", str(data), *(str(x) for pair in ports.items() for x in pair), "--people", "1000"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")}
    env["PYTHONPATH"] = str(PROJECT_ROOT)
    url = f"http://127.0.0.1:{ports['--site-port']}"

    def command(module: str, *extra: str) -> subprocess.CompletedProcess:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", module, *extra], cwd=PROJECT_ROOT, env=env, text=True,
                              capture_output=True, timeout=900, check=False)
        done.seconds = time.perf_counter() - started
        assert done.returncode == 0, f"{module} failed:\n{done.stdout}\n{done.stderr}"
        return done

    def deployments() -> dict:
        return json.loads((data / "deployments.json").read_text())

    try:
        first = command("orchestration.demo", *args)
        out = SimpleNamespace(data=data, url=url, first=first, registered_first=registered_on_site(url),
                              pids=pids_of(data / "run"), deployments_first=deployments())
        out.stop = command("orchestration.stop", "--data-dir", str(data))
        out.alive_after_stop = [name for name, pid in out.pids.items() if process_start_time(pid) is not None]
        out.marked_after_stop = list(processes_marked(data / "run"))
        out.named_after_stop = command_lines_naming(data)
        out.pid_files_after_stop = sorted(p.name for p in (data / "run").glob("*.pid"))
        out.state_file = data / "anvil" / "state.json"
        out.second = command("orchestration.demo", *args)
        out.registered_second = registered_on_site(url)
        out.deployments_second = deployments()
        print(f"demo: first run {first.seconds:.0f} s, second run {out.second.seconds:.0f} s")
        yield out
    finally:
        subprocess.run([sys.executable, "-m", "orchestration.stop", "--data-dir", str(data)], cwd=PROJECT_ROOT,
                       env=env, capture_output=True, timeout=120, check=False)
        for pid in processes_marked(data / "run"):  # only if stop itself failed
            terminate(pid, timeout=5)


def household_of(run: subprocess.CompletedProcess) -> str:
    return next(line for line in run.stdout.splitlines() if "household 0x" in line and "village" in line).split(
        "household ")[1].split()[0]


def test_the_demo_prints_one_line_per_step_and_the_site_address(demo):
    lines = demo.first.stdout.splitlines()
    steps = [line for line in lines if line.startswith("[")]
    assert [line.split("]")[0] for line in steps] == [f"[{i:>2}/{len(STEPS)}" for i in range(1, len(STEPS) + 1)]
    assert any(line.endswith(demo.url) for line in lines)
    log = (demo.data / "logs" / "demo.log").read_text()
    # The deploy's and the steps' details (each contract deployed, each transaction) go to the log only.
    assert " deployed at 0x" not in demo.first.stdout and " deployed at 0x" in log
    assert "  tx " not in demo.first.stdout and "  tx " in log


def test_the_site_left_running_shows_the_registered_households(demo):
    # The first household and the scenario's three candidates (a county of 1,000 admits more than eight).
    assert demo.registered_first == "4"


def test_the_demo_left_each_service_running_under_a_pid_file(demo):
    assert sorted(demo.pids) == sorted(SERVICES)


def test_stop_stops_every_process_the_demo_started(demo):
    assert demo.alive_after_stop == []
    assert demo.marked_after_stop == [] and demo.named_after_stop == [] and demo.pid_files_after_stop == []
    assert all(f"stopped {name}" in demo.stop.stdout for name in SERVICES)


def test_stop_leaves_the_chain_state_saved_for_the_next_run(demo):
    assert demo.state_file.stat().st_size > 0


def test_the_second_run_continues_on_the_same_deployments(demo):
    assert demo.deployments_second == demo.deployments_first


def test_the_second_run_deploys_with_web3_and_starts_no_oracle_node(demo):
    # The first run left brownie's build current and the county's batch final: nothing to compile or commit.
    deploy_line = next(line for line in demo.second.stdout.splitlines() if "contracts deployed or reused" in line)
    assert "(build current, web3.py)" in deploy_line
    assert "batch of these results is already final on chain; nodes not started" in \
        (demo.data / "logs" / "demo.log").read_text()


def test_the_second_run_registers_the_next_household(demo):
    assert household_of(demo.second) != household_of(demo.first)
    assert demo.registered_second == "8"  # the next household and three more candidates
