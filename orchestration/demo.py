"""`make demo`: the platform on a local chain, left running with its disclosure site; `make stop` stops it.

Steps (one line each on the terminal; the details go to data/logs/demo.log):

1. a synthetic county (2,000 people, fixed seed) in data/demo/sources and the pipeline's results in
   data/demo/results, each made only if missing;
2. encrypted keystores (V3) of the approving officials in data/demo/keystores, made on first run with a
   password kept in data/demo/keystores.password: every approval of steps 7, 8 and 10 is an EIP-712 signature
   from them, relayed in batches through the hub's approveBySig (orchestration.relay; step 9 relays the same way
   with anvil's development keys);
3. a loopback js-ipfs node (repo in data/demo/ipfs) and 4. anvil on loopback (state in data/anvil/state.json),
   both started detached or reused when they run already (orchestration.services, pid files in data/run);
5. the contracts deployed through govchain.deploy (reusing the deployments recorded for this chain): with
   web3.py when brownie's build is current, else scripts/deploy.py through brownie, which compiles first;
6. the indexer (`python -m indexer sync --follow`) started or reused: it indexes the next steps as they go;
7. the demo officials' roles granted; two oracle nodes (k = 2) commit the county's batch with a demo
   pseudonymisation key made in data/demo (never committed); an admitted household filed, approved level by
   level, its public notice run (the chain's clock moved) and completed; three more candidates filed and
   approved, one objection raised in their notice and dismissed, all completed
   (orchestration.scenario.file_candidates); a project, a fund, an industry, a social and an enterprise plan
   approved (orchestration.flow);
8. earmarked funds (orchestration.funding_demo): an appropriation approved and minted, a fund plan of the
   household's village approved, escrowed, its first tranche released, and one payment batch paying the
   household to the wallet the intake clerk bound and by a bank instruction the bank confirms;
9. execution and assessment on that household (assessment.demo): a procurement, a delivery with its receipt, a
   follow-up visit, a crowdfunding round, an enterprise pledge and an assessment from the chain's events;
10. oversight (orchestration.scenario.oversee): the five township plans funded (an appropriation, escrow, first
    milestone accepted, first tranche released), one of them frozen by a supervisor and cleared on the way, and
    the case disclosed as a major event;
11. once the index holds the chain's head, the disclosure site (`streamlit run dashboard/app.py`) on
    http://127.0.0.1:8501, started or reused; its address is printed last.

The services keep running after the command ends; `make stop` (python -m orchestration.stop) stops them by
PID, and anvil saves its state as it stops. Run `make demo` again and it continues: running services are reused
(stopped ones restart from their state), deployments, grants and the batch are reused, and the next admitted
household is registered. Ports and the data folder are options (or GOVCHAIN_DEMO_* variables), so a test can
run a second demo beside a developer's.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.request
import warnings
from dataclasses import dataclass, replace
from pathlib import Path

from govchain.brownie_session import connected, run_script
from govchain.config import PROJECT_ROOT, NetworkConfig, environment
from govchain.config import Settings as PlatformSettings
from govchain.errors import GovchainError
from govchain.localnode import LOCAL_CHAIN_ID, AnvilNode, use_project_tools
from orchestration.progress import Progress, StepFailed
from orchestration.services import Service, ServiceError, ServiceRunner, project_python_path

STEPS = {
    "data": "synthetic county and the pipeline's results (数据)",
    "keys": "keystores of the demo officials (审批人密钥)",
    "ipfs": "loopback IPFS node (js-ipfs)",
    "anvil": "local chain (anvil, state kept in a file)",
    "deploy": "contracts deployed or reused (brownie compiles when the build is not current)",
    "indexer": "indexer following the chain (python -m indexer sync --follow)",
    "flow": "roles; oracles (k = 2) commit the county batch; a household registered (建档立卡); plans approved",
    "funds": "earmarked funds: a fund plan pays the household by wallet and by bank (资金发放)",
    "execution": "materials, a visit, crowdfunding, a pledge and an assessment (物资, 回访, 众筹, 考核)",
    "oversight": "five plans funded, a supervision freeze cleared, a major event (资金拨付, 合规监管, 重大事件披露)",
    "site": "disclosure site (综合展现), once the index has caught up with the chain",
}


@dataclass(frozen=True)
class DemoPlace:
    """Where one demo keeps its files and which loopback ports it listens on."""

    data: Path
    rpc_port: int = 8545
    ipfs_port: int = 5001
    site_port: int = 8501
    people: int = 2000

    @property
    def demo(self) -> Path:
        return self.data / "demo"

    @property
    def run(self) -> Path:
        return self.data / "run"

    @property
    def logs(self) -> Path:
        return self.data / "logs"

    @property
    def deployments(self) -> Path:
        return self.data / "deployments.json"

    @property
    def index(self) -> Path:
        return self.data / "index.sqlite"

    @property
    def rpc_url(self) -> str:
        return f"http://127.0.0.1:{self.rpc_port}"

    @property
    def ipfs_api(self) -> str:
        return f"http://127.0.0.1:{self.ipfs_port}"

    @property
    def site_url(self) -> str:
        return f"http://127.0.0.1:{self.site_port}"

    def network(self) -> NetworkConfig:
        return NetworkConfig(rpc_url=self.rpc_url, chain_id=LOCAL_CHAIN_ID, deployments_path=self.deployments)


# ---------------------------------------------------------------------------------------------- services


def _answers(url: str, method: str = "GET", data: bytes | None = None) -> bool:
    request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def anvil_service(place: DemoPlace) -> Service:
    node = AnvilNode(port=place.rpc_port, state_file=place.data / "anvil" / "state.json",
                     # Saved every 30 s as well as on stop: a machine that goes down loses half a minute at most.
                     extra_args=("--state-interval", "30"))
    # anvil leaves old state under $HOME/.foundry/anvil/tmp; keep that inside the demo's data folder.
    home = place.data / "anvil-home"
    home.mkdir(parents=True, exist_ok=True)
    return Service("anvil", node.command(), place.logs / "anvil.log", ready=node._answers, env={"HOME": str(home)},
                   ports=(place.rpc_port,), start_timeout=30,
                   # anvil writes its state file but does not make the folder for it.
                   prepare=lambda: node.state_file.parent.mkdir(parents=True, exist_ok=True))


def ipfs_service(place: DemoPlace) -> Service:
    from oracle.ipfs import JsIpfsNode

    node = JsIpfsNode(repo_dir=place.demo / "ipfs" / "repo", api_port=place.ipfs_port,
                      log_file=place.logs / "ipfs.log")
    config_file = node.repo_dir.parent / "config.json"

    def ready() -> bool:
        return _answers(f"{node.api_url}/api/v0/id", method="POST")

    def prepare() -> None:
        node.repo_dir.mkdir(parents=True, exist_ok=True)
        config_file.write_text(json.dumps(node._config()))
        # A daemon killed without a clean stop leaves its repo lock behind; only ours uses this repo.
        (node.repo_dir / "repo.lock").unlink(missing_ok=True)

    return Service("ipfs", node.command(config_file), node.log_file, ready=ready,
                   env={"IPFS_PATH": str(node.repo_dir)}, cwd=PROJECT_ROOT, ports=(place.ipfs_port,), prepare=prepare)


def indexer_service(place: DemoPlace) -> Service:
    command = [sys.executable, "-m", "indexer", "sync", "--follow", "--poll", "1", "--rpc-url", place.rpc_url,
               "--chain-id", str(LOCAL_CHAIN_ID), "--deployments", str(place.deployments), "--db", str(place.index)]
    return Service("indexer", command, place.logs / "indexer.log", ready=lambda: True, env=project_python_path(),
                   cwd=PROJECT_ROOT)


def site_service(place: DemoPlace) -> Service:
    command = [sys.executable, "-m", "streamlit", "run", str(PROJECT_ROOT / "dashboard" / "app.py"),
               "--server.address", "127.0.0.1", "--server.port", str(place.site_port), "--server.headless", "true",
               "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    # Where the site reads (dashboard/README.md).
    settings = {"GOVCHAIN_INDEX": str(place.index), "GOVCHAIN_RPC_URL": place.rpc_url,
                "GOVCHAIN_CHAIN_ID": str(LOCAL_CHAIN_ID), "GOVCHAIN_DEPLOYMENTS": str(place.deployments),
                "GOVCHAIN_IPFS_API": place.ipfs_api, "GOVCHAIN_REPORTS": str(place.demo / "results" / "reports")}
    return Service("site", command, place.logs / "site.log", ready=lambda: _answers(f"{place.site_url}/_stcore/health"),
                   env={**project_python_path(), **settings}, cwd=PROJECT_ROOT, ports=(place.site_port,))


def wait_until_indexed(place: DemoPlace, timeout: float = 120.0) -> int:
    """Waits until the index holds every platform contract up to the chain's head as it is now; returns the
    number of events indexed."""
    from govchain.chain import Chain
    from indexer.store import EventStore, IndexNotReadyError
    from indexer.sync import platform_contracts

    chain = Chain(place.network())
    head = chain.web3.eth.block_number
    contracts = {c.address for c in platform_contracts(chain)[0]}
    deadline = time.monotonic() + timeout
    while True:
        try:
            store = EventStore(place.index, read_only=True)
            try:
                cursors = store.cursors(LOCAL_CHAIN_ID)
                if contracts <= set(cursors) and all(cursors[a].block >= head for a in contracts):
                    return sum(store.counts().values())
            finally:
                store.close()
        except IndexNotReadyError:
            pass
        if time.monotonic() > deadline:
            raise ServiceError(f"The indexer did not reach block {head} within {timeout:.0f} s; "
                               f"see {place.logs / 'indexer.log'}.")
        time.sleep(0.3)


# ---------------------------------------------------------------------------------------------- steps


def deploy_with_brownie(rpc_port: int) -> dict:
    """Runs scripts/deploy.py with brownie, attached to the node already listening on ``rpc_port``."""
    import brownie  # imported late: loading brownie takes seconds and prints its banner


    # brownie's own connect() calls its deprecated rpc helpers; the warnings are noise to a demo's reader.
    warnings.filterwarnings("ignore", category=FutureWarning)
    # Attaching to the demo's own chain, which keeps its blocks from run to run, is the point.
    warnings.filterwarnings("ignore", message="Development network has a block height")

    brownie._config.CONFIG.networks["development"]["cmd_settings"]["port"] = rpc_port
    project = brownie.project.load(PROJECT_ROOT, name="GovChain")
    mark_build_current()
    project.load_config()
    # Attaches: brownie only launches a node when none listens, and the demo's node outlives the deploy.
    try:
        with connected("development", kill_rpc=False):
            # Not brownie.run: it imports the script by a dotted name made of the checkout's folders, which
            # fails under a folder whose name has a dot (~/src/govchain.v2).
            return run_script(PROJECT_ROOT / "scripts" / "deploy.py", project)
    finally:
        # brownie remembers the node it attached to and, at exit, SIGKILLs it when it is a child of this
        # process, as our detached anvil is: anvil would lose the state it writes on a clean stop.
        brownie.network.rpc.process = None


def build_is_current(root: Path = PROJECT_ROOT) -> bool:
    """Whether brownie's artifacts (``root``/build) of every platform contract are newer than each source they
    were compiled from (their ``allSourcePaths``) and than brownie-config.yaml (compiler settings).
    Conservative: a source merely touched (a branch switch) counts as changed and sends the deploy through
    brownie, which recompiles."""
    from govchain.deploy import CONTRACTS

    for spec in CONTRACTS:
        artifact_file = root / "build" / "contracts" / f"{spec.name}.json"
        try:
            built = artifact_file.stat().st_mtime
            sources = json.loads(artifact_file.read_text(encoding="utf-8"))["allSourcePaths"].values()
            if any((root / source).stat().st_mtime > built for source in [*sources, "brownie-config.yaml"]):
                return False
        except (OSError, ValueError, KeyError):  # missing artifact or source, or an artifact of another layout
            return False
    return True


def mark_build_current(root: Path = PROJECT_ROOT) -> None:
    """Dates the platform contracts' artifacts now, right after brownie loaded the project: it compared every
    source's hash and the compiler settings with them and recompiled what differed, so they are current. Without
    it a source touched but unchanged (a branch switched and back), which brownie does not recompile, would send
    every later run through brownie."""
    from govchain.deploy import CONTRACTS

    for spec in CONTRACTS:
        (root / "build" / "contracts" / f"{spec.name}.json").touch(exist_ok=True)


def deploy_environment(env_file: Path = PROJECT_ROOT / "network" / "deploy.env") -> dict[str, str]:
    """The deploy settings as brownie gives them to scripts/deploy.py: network/deploy.env (brownie-config.yaml's
    ``dotenv``) under the process's environment, which wins (govchain.config.environment)."""
    return environment(env_file=env_file)


def deploy_with_web3(place: DemoPlace, deployer: str, environ: dict[str, str]) -> dict[str, str]:
    """The one deploy path (govchain.deploy, as scripts/deploy.py runs it) with web3.py and the current build:
    seconds where loading brownie takes many. Reuses every recorded contract whose code is today's build and
    deploys afresh what is missing or stale, from ``deployer`` (an account anvil holds unlocked)."""
    from govchain.chain import connect
    from govchain.deploy import NodeAccountSender, Settings, deploy_platform
    from govchain.deployments import DeploymentRegistry

    web3 = connect(place.rpc_url)
    platform = deploy_platform(web3, NodeAccountSender(web3, deployer), Settings.from_env(environ),
                               registry=DeploymentRegistry(place.deployments),
                               redeploy=PlatformSettings.from_env(environ).redeploy, log=print)
    return platform.addresses


def demo_keyring(place: DemoPlace, actors):
    """The demo officials' keystores, written on first run (orchestration.keyring)."""
    from orchestration.keyring import LIGHT_SCRYPT_N, Keyring, anvil_dev_keyring

    # Those who approve on the hub (the intake clerk files, never approves).
    officials = [actors.village_leader, actors.township_reviewer, actors.county_leader, actors.department,
                 actors.township_leader, actors.treasury]
    dev = anvil_dev_keyring()
    # The keys are anvil's public development keys: the keystores show the format and the signing path, and a
    # full-strength KDF would protect nothing (LIGHT_SCRYPT_N).
    return Keyring.ensure(place.demo / "keystores", [dev.signer(a) for a in dict.fromkeys(officials)],
                          scrypt_n=LIGHT_SCRYPT_N)


def run(place: DemoPlace, progress: Progress) -> None:
    from orchestration import flow

    runner = ServiceRunner(place.run)
    os.environ["GOVCHAIN_DEPLOYMENTS"] = str(place.deployments)  # brownie's deploy script records here

    def service(step, make) -> None:
        _, reused = runner.ensure(make(place))
        step.note = "already running, reused" if reused else "started"

    with progress.step("data") as step:
        table = flow.prepare_data(place.demo / "sources", place.demo / "results", people=place.people)
        key = flow.PseudonymKeyFile.ensure(place.demo)
        step.note = f"{place.people:,} people"
    with progress.step("keys") as step:
        actors = flow.Actors.anvil_defaults()
        keyring = demo_keyring(place, actors)
        actors = replace(actors, keyring=keyring)
        step.note = f"{len(keyring.addresses())} officials, {keyring.folder}"
    with progress.step("ipfs") as step:
        service(step, ipfs_service)
    with progress.step("anvil") as step:
        service(step, anvil_service)
    with progress.step("deploy") as step:
        # brownie is needed only to compile: with a current build the deploy needs web3.py alone (unless an
        # administrator hand-over is asked for, which scripts/deploy.py schedules).
        environ = deploy_environment()
        if build_is_current() and not PlatformSettings.from_env(environ).admin:
            deployed = deploy_with_web3(place, actors.admin, environ)
            step.note = f"{len(deployed)} contracts (build current, web3.py)"
        else:
            deployed = deploy_with_brownie(place.rpc_port)
            step.note = f"{len(deployed)} contracts (brownie: build checked, what changed compiled)"
    # Started now, it indexes the steps' events as they happen, so the site below waits for little.
    with progress.step("indexer") as step:
        service(step, indexer_service)
    from orchestration.scenario import run_scenario

    scenario = run_scenario(place.network(), place.ipfs_api, table, place.demo / "oracle-state", key.env(),
                            actors=actors, step=progress.step)
    result, funding, registration = scenario.flow, scenario.funding, scenario.flow.registration
    with progress.step("site") as step:
        events = wait_until_indexed(place)
        service(step, site_service)
        step.note += f", {events:,} events indexed"

    progress.detail(f"\nSummary (chain {LOCAL_CHAIN_ID}, deployment registry {place.deployments}):")
    from orchestration.funding_demo import funding_lines

    for line in flow.summary_lines(result) + funding_lines(funding):
        progress.detail(line)
    progress.line()
    progress.line(f"The disclosure site (政务链乡村振兴平台): {place.site_url}")
    progress.line(f"  chain {place.rpc_url} (id {LOCAL_CHAIN_ID}), IPFS API {place.ipfs_api}, "
                  f"household 0x{registration.household_id.hex()} in village {registration.region}")
    progress.line(f"  details: {progress.log_file}; services' logs in {place.logs}")
    progress.line("  `make demo` again continues on this chain; `make stop` stops the services.")


def place_from_args(argv: list[str] | None) -> DemoPlace:
    # The process environment over .env, as every setting of the platform (govchain.config); GOVCHAIN_DEMO_PORT is
    # one of govchain.config.Settings (a clear error when it is not a number).
    env = environment().get
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=Path(env("GOVCHAIN_DEMO_DATA", PROJECT_ROOT / "data")),
                        help="where the demo keeps its files (env GOVCHAIN_DEMO_DATA, default data/)")
    parser.add_argument("--port", "--rpc-port", dest="rpc_port", type=int,
                        default=PlatformSettings.from_env().demo_port, help="anvil's port (env GOVCHAIN_DEMO_PORT)")
    parser.add_argument("--ipfs-port", type=int, default=int(env("GOVCHAIN_DEMO_IPFS_PORT", "5001")),
                        help="the IPFS node's API port (env GOVCHAIN_DEMO_IPFS_PORT)")
    parser.add_argument("--site-port", type=int, default=int(env("GOVCHAIN_DEMO_SITE_PORT", "8501")),
                        help="the disclosure site's port (env GOVCHAIN_DEMO_SITE_PORT)")
    parser.add_argument("--people", type=int, default=int(env("GOVCHAIN_DEMO_PEOPLE", "2000")),
                        help="size of the synthetic county, used when it is first made (env GOVCHAIN_DEMO_PEOPLE)")
    args = parser.parse_args(argv)
    return DemoPlace(args.data_dir.resolve(), args.rpc_port, args.ipfs_port, args.site_port, args.people)


def main(argv: list[str] | None = None) -> int:
    use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand
    place = place_from_args(argv)
    started = time.perf_counter()
    progress = Progress(STEPS, place.logs / "demo.log")
    progress.line(f"GovChain demo (政务链乡村振兴平台) in {place.data}")
    try:
        run(place, progress)
    except StepFailed:
        progress.line("The demo stopped at the failed step; services already started keep running "
                      "(`make stop` stops them, `make demo` tries again).")
        return 1
    except (GovchainError, KeyboardInterrupt) as exc:
        progress.line(f"The demo stopped: {exc}")
        return 1
    finally:
        progress.close()
    print(f"  ({time.perf_counter() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
