"""Entry points work from any checkout: they find the project's anvil and compiler without PATH set by hand, and
the demo's deploy step runs in a folder whose name has a dot (brownie.run fails there)."""

import json
import os
import shutil
import subprocess
import sys

from govchain.config import PROJECT_ROOT
from govchain.localnode import LOCAL_CHAIN_ID, PROJECT_BIN, PROJECT_SOLCX, AnvilNode

INSTALLS = (".venv", "node_modules", ".solcx", ".make")


def stripped_env() -> dict[str, str]:
    """The environment of a fresh shell: no project folder on PATH, no SOLCX_BINARY_PATH."""
    env = {k: v for k, v in os.environ.items() if k != "SOLCX_BINARY_PATH"}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if p and not p.startswith(str(PROJECT_ROOT)) and not p.endswith(".make/bin"))
    return env


ENTRY = """
import subprocess, sys, os
sys.path.insert(0, {root!r})
from govchain.localnode import use_project_tools
use_project_tools()
print(subprocess.run(["anvil", "--version"], capture_output=True, text=True, check=True).stdout.splitlines()[0])
print(os.environ["SOLCX_BINARY_PATH"])
"""


def test_an_entry_point_finds_anvil_and_the_compiler_without_path_set_by_hand():
    env = stripped_env()
    assert shutil.which("anvil", path=env["PATH"]) is None  # the stripped shell alone would not find it
    run = subprocess.run([sys.executable, "-c", ENTRY.format(root=str(PROJECT_ROOT))], env=env, cwd="/",
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    version, solcx = run.stdout.strip().splitlines()
    assert version.startswith("anvil") and solcx == str(PROJECT_SOLCX)


def test_a_compiler_path_already_set_is_kept(tmp_path):
    from govchain.localnode import use_project_tools

    env = {"PATH": "/usr/bin", "SOLCX_BINARY_PATH": str(tmp_path)}
    use_project_tools(env)
    assert env["SOLCX_BINARY_PATH"] == str(tmp_path)
    assert env["PATH"].split(os.pathsep) == [str(PROJECT_BIN), "/usr/bin"]


def copy_checkout(target):
    """The checkout's tracked files (and the compiled build, so nothing recompiles) copied to ``target``, with the
    installs linked as the worktrees link them."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=PROJECT_ROOT, capture_output=True, check=True).stdout
    for name in filter(None, files.decode().split("\0")):
        source = PROJECT_ROOT / name
        if source.is_file() and not source.is_symlink():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    for folder in ("contracts", "interfaces"):
        if (PROJECT_ROOT / "build" / folder).is_dir():
            shutil.copytree(PROJECT_ROOT / "build" / folder, target / "build" / folder)
    for install in INSTALLS:
        (target / install).symlink_to((PROJECT_ROOT / install).resolve())


DEPLOY = """
from orchestration.demo import deploy_with_brownie
deployed = deploy_with_brownie({port})
print("DEPLOYED", " ".join(sorted(deployed)))
"""


def test_the_demo_deploy_step_runs_in_a_folder_whose_name_has_a_dot(tmp_path):
    checkout = tmp_path / "src" / "govchain.v2"
    copy_checkout(checkout)
    deployments = tmp_path / "deployments.json"
    env = dict(stripped_env(), GOVCHAIN_DEPLOYMENTS=str(deployments), PYTHONPATH="")
    with AnvilNode() as node:
        run = subprocess.run([sys.executable, "-c", DEPLOY.format(port=node.port)], cwd=checkout, env=env,
                             capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert "RoleRegistry" in run.stdout.split("DEPLOYED", 1)[1]
    recorded = json.loads(deployments.read_text(encoding="utf-8"))[str(LOCAL_CHAIN_ID)]
    assert {"RoleRegistry", "ApprovalHub", "HouseholdRegistry", "PlanRegistry"} <= set(recorded)
