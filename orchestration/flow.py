"""The platform end to end on one chain: data → pipeline → k-of-n oracles → a household registered (建档立卡).

One piece of code for ``make demo`` (orchestration/demo.py, on the persistent local anvil after brownie's deploy) and
for the end-to-end test (tests/e2e, on an anvil and js-ipfs of its own). The caller starts the chain node and
IPFS and deploys the contracts; :func:`run_flow` does the rest, on whatever the deployment registry names:

1. :func:`prepare_data` — a synthetic county (``data_pipeline.synth``) and the pipeline's results, each made
   only if missing;
2. :func:`grant_roles` — the demo officials' roles, granted by the administrator, skipping grants that exist;
3. :func:`run_oracles` — two ``python -m oracle run --once`` processes (k = 2), each with its own key;
4. :func:`register_household` — an admitted household from the batch manifest on IPFS is filed by the intake
   clerk with the manifest's filing arguments, approved along its route, shown in public notice (the chain's
   clock is moved past it) and completed. A household already registered is skipped, one left half-way by an
   interrupted run is carried on, so running the flow again on the same chain never fails; then
   :func:`orchestration.scenario.file_candidates` files the next few candidates, has one objection raised in their
   public notice and dismissed, and completes them;
5. :func:`approve_demo_plans` — a project, a fund, an industry, a social and an enterprise plan (振兴计划) of the
   first village's township, each drafted by the township's department officer with its document on IPFS,
   submitted and approved along the route its type and budget choose (a fund plan also by the county treasury). A
   plan approved by an earlier run is kept, one left half-way is carried on.

Accounts are anvil's default ones (unlocked, funded; derived from its well-known development mnemonic): the
first deploys and administers, the others are the oracles and the officials, all distinct, so the separation
of duties of the approval hub holds (the submitter never approves, no one approves twice).
"""

from __future__ import annotations

import functools
import json
import os
import secrets
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from eth_account import Account
from eth_account.signers.local import LocalAccount
from eth_utils import keccak
from web3 import Web3
from web3.exceptions import ContractCustomError, ContractLogicError, Web3RPCError

from govchain import regions
from govchain.chain import Chain
from govchain.config import PROJECT_ROOT, NetworkConfig
from govchain.enums import Decision, HouseholdStatus, SubjectState
from govchain.errors import GovchainError
from govchain.events import event_logs
from govchain.localnode import stop_process
from govchain.reverts import RevertDecoder
from govchain.roles import role_id
from govchain.structs import read
from orchestration.keyring import Keyring, anvil_dev_keyring
from orchestration.relay import ApprovalRelayError, approve_in_batches
from orchestration.services import project_python_path

# anvil's (and hardhat's) development mnemonic: its default accounts are unlocked and funded on every local node.
ANVIL_MNEMONIC = "test test test test test test test test test test test junk"
DEMO_PEOPLE = 2000
DEMO_SEED = 7


Log = Callable[[str], None]


class FlowError(GovchainError):
    """Raised when a step of the platform flow fails; the message says which and why."""


# Cached: deriving one HD key costs 10-45 ms of elliptic-curve work (measured over ten keys, twice, on 2 shared
# cores), and the demo's steps ask for the same ten accounts hundreds of times.
@functools.lru_cache(maxsize=None)
def anvil_account(index: int) -> LocalAccount:
    """anvil's default account ``index`` with its key (a local development key, never a real one)."""
    Account.enable_unaudited_hdwallet_features()
    return Account.from_mnemonic(ANVIL_MNEMONIC, account_path=f"m/44'/60'/0'/0/{index}")


@dataclass(frozen=True)
class Actors:
    """Who does what in the flow: distinct accounts of anvil's defaults."""

    admin: str
    oracles: tuple[LocalAccount, ...]
    clerk: str
    village_leader: str
    township_reviewer: str
    county_leader: str
    # Plans (step 5): the department officer owning them, a township LEADER and a county TREASURY official who
    # approve them beside the county leader. Empty: no plan step.
    department: str = ""
    township_leader: str = ""
    treasury: str = ""
    # The officials' signing keys for approvals (orchestration.keyring): their keystores in `make demo`;
    # None: anvil's development keys in memory.
    keyring: Keyring | None = field(default=None, compare=False, repr=False)

    @classmethod
    def anvil_defaults(cls, oracles: int = 2) -> "Actors":
        accounts = [anvil_account(i) for i in range(oracles + 8)]
        officials = [a.address for a in accounts[oracles + 1:]]
        return cls(accounts[0].address, tuple(accounts[1:oracles + 1]), *officials)

    def grants(self, county: int, villages: list[int]) -> list[tuple[str, str, int]]:
        """(role, account, region) of every demo grant: oracles and the county leader over the county, the
        intake clerk and the village leader over each village, the reviewer over each village's township."""
        grants = [("ORACLE", oracle.address, county) for oracle in self.oracles]
        grants.append(("LEADER", self.county_leader, county))
        for township in sorted({regions.ancestor_at(v, regions.RegionLevel.TOWNSHIP) for v in villages}):
            grants.append(("REVIEWER", self.township_reviewer, township))
        for village in sorted(villages):
            grants += [("INTAKE_CLERK", self.clerk, village), ("LEADER", self.village_leader, village)]
        if self.department:
            for township in sorted({regions.ancestor_at(v, regions.RegionLevel.TOWNSHIP) for v in villages}):
                grants += [("DEPARTMENT", self.department, township), ("LEADER", self.township_leader, township)]
            grants.append(("TREASURY", self.treasury, county))
        return grants

    def officials(self) -> list[str]:
        return [self.clerk, self.village_leader, self.township_reviewer, self.county_leader]

    def signers(self) -> Keyring:
        """Whose keys sign the approvals: the keyring given, or anvil's development keys."""
        return self.keyring or anvil_dev_keyring()

    def approve(self, web3: Web3, hub, roles, subjects: list[tuple[int, int]], officials: list[str]) -> dict[str, str]:
        """Approves ``subjects`` to the end of their routes (:func:`approve_subjects`) with these actors' keys
        (:meth:`signers`), relayed by the administrator; returns the transactions."""
        return approve_subjects(web3, hub, roles, subjects, officials, keyring=self.signers(), relayer=self.admin)


# ---------------------------------------------------------------------------------------------- data


def prepare_data(sources: Path, results: Path, people: int = DEMO_PEOPLE, seed: int = DEMO_SEED,
                 log: Log = print) -> Path:
    """A synthetic county in ``sources`` and the pipeline's outputs in ``results``, each made only if missing
    (built in a temporary folder and renamed, so an interrupted run leaves nothing half-written).

    Returns the results table's path.
    """
    from data_pipeline.run import run
    from data_pipeline.synth.generate import generate

    sources, results = Path(sources), Path(results)
    if not sources.exists():
        started = time.perf_counter()
        tmp = _fresh(sources.with_name(f".{sources.name}.tmp"))
        generate(tmp, people, seed)
        tmp.rename(sources)
        log(f"  synthetic county: {people:,} people (seed {seed}) in {sources} ({time.perf_counter() - started:.1f} s)")
    else:
        log(f"  synthetic county: reusing {sources}")
    table = results / "results.parquet"
    if not table.exists():
        started = time.perf_counter()
        tmp = _fresh(results.with_name(f".{results.name}.tmp"))
        summary = run(sources, tmp, show=False)
        _fresh(results)
        tmp.rename(results)
        log(f"  pipeline: {summary['households']:,} households, decisions {summary['decisions']} "
            f"({time.perf_counter() - started:.1f} s) → {table}")
    else:
        log(f"  pipeline: reusing {table}")
    return table


def _fresh(path: Path) -> Path:
    shutil.rmtree(path, ignore_errors=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def results_regions(table: Path) -> tuple[int, list[int]]:
    """The one county of a results table and its villages."""
    import pandas as pd

    villages = sorted(int(v) for v in pd.read_parquet(table, columns=["region"])["region"].unique())
    counties = {regions.ancestor_at(v, regions.RegionLevel.COUNTY) for v in villages}
    if len(counties) != 1:
        raise FlowError(f"{table} holds {len(counties)} counties; the flow runs on one county's results.")
    return counties.pop(), villages


@dataclass(frozen=True)
class PseudonymKeyFile:
    """The demo's pseudonymisation key: an encrypted key file and its passphrase, both in the data folder
    (gitignored), made on first use. A real data authority keeps them elsewhere (oracle/README.md, Keys)."""

    path: Path
    passphrase_file: Path

    @classmethod
    def ensure(cls, folder: Path) -> "PseudonymKeyFile":
        from oracle.pseudonym import PseudonymKey, write_key_file

        folder = Path(folder)
        key = cls(folder / "pseudonym.key", folder / "pseudonym.passphrase")
        if not key.path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            passphrase = secrets.token_urlsafe(24)
            key.passphrase_file.write_text(passphrase + "\n", encoding="utf-8")
            key.passphrase_file.chmod(0o600)
            write_key_file(key.path, PseudonymKey.generate(), passphrase)
        return key

    def env(self) -> dict[str, str]:
        return {
            "GOVCHAIN_PSEUDONYM_KEY_FILE": str(self.path),
            # The file, not the passphrase: a process's environment is readable in /proc/<pid>/environ.
            "GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE": str(self.passphrase_file),
        }


# ---------------------------------------------------------------------------------------------- chain


@functools.cache
def _reverts() -> RevertDecoder:
    """The errors of every contract of the build, read once."""
    return RevertDecoder.from_build()


def transact(web3: Web3, call, sender: str | LocalAccount, what: str) -> str:
    """Sends a contract call from ``sender``, waits for it and returns its hash; a revert raises
    :class:`FlowError` naming the contract's custom error and its arguments.

    ``sender`` is an address the node unlocks, or an account whose key signs here (a member of the public, not
    one of the node's accounts): then a legacy transaction at gas price 0, as the platform's free-gas networks
    take."""
    try:
        if isinstance(sender, str):
            tx_hash = call.transact({"from": sender})
        else:
            tx = call.build_transaction({"from": sender.address, "gasPrice": 0, "chainId": web3.eth.chain_id,
                                         "nonce": web3.eth.get_transaction_count(sender.address)})
            tx_hash = web3.eth.send_raw_transaction(sender.sign_transaction(tx).raw_transaction)
    except (ContractCustomError, ContractLogicError, Web3RPCError) as exc:
        raise FlowError(f"{what} was rejected by the contract: {_reverts().explain(exc)}") from exc
    receipt = web3.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
    if receipt["status"] != 1:
        raise FlowError(f"{what} reverted in transaction 0x{bytes(tx_hash).hex()}")
    return "0x" + bytes(tx_hash).hex()


def grant_roles(web3: Web3, roles, admin: str, grants: list[tuple[str, str, int]], log: Log = print) -> list[str]:
    """Grants each (role, account, region) the account does not hold yet; returns the transaction hashes."""
    sent = []
    for role, account, region in grants:
        if roles.functions.hasRoleIn(role_id(role), account, region).call():
            continue
        sent.append(transact(web3, roles.functions.grantRoleIn(role_id(role), account, region), admin,
                             f"granting {role} over {region} to {account}"))
    log(f"  roles: {len(sent)} granted, {len(grants) - len(sent)} already held")
    return sent


# ---------------------------------------------------------------------------------------------- oracles


def oracle_run_command(network: NetworkConfig, results: Path, state: Path, ipfs_api: str, *extra: str) -> list[str]:
    """``python -m oracle run`` for one oracle node on ``network`` (see oracle/README.md)."""
    return [
        sys.executable, "-m", "oracle", "run",
        "--results", str(results), "--state", str(state), "--ipfs-api", ipfs_api,
        "--rpc-url", network.rpc_url, "--deployments", str(network.deployments_path),
        *(["--chain-id", str(network.chain_id)] if network.chain_id is not None else []), *extra,
    ]


def run_oracles(network: NetworkConfig, results: Path, state_root: Path, ipfs_api: str,
                oracles: tuple[LocalAccount, ...], key_env: dict[str, str], timeout: float = 120.0,
                log: Log = print) -> None:
    """Runs one ``python -m oracle run --once`` process per oracle account, side by side, to the end.

    Each node has its own state folder under ``state_root`` (its checkpoint makes a second run a no-op). A
    process that fails or outlives ``timeout`` is stopped by PID and raises :class:`FlowError` with its log.
    """
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")} | project_python_path()
    started = time.perf_counter()
    processes: list[tuple[subprocess.Popen, Path]] = []
    try:
        for i, account in enumerate(oracles, 1):
            state = Path(state_root) / f"oracle-{i}"
            state.mkdir(parents=True, exist_ok=True)
            log_file = state / "oracle.log"
            env = dict(base_env, GOVCHAIN_ORACLE_PRIVATE_KEY="0x" + bytes(account.key).hex(), **key_env)
            with open(log_file, "ab") as out:
                command = oracle_run_command(network, results, state, ipfs_api, "--once", "--max-backoff", "2")
                processes.append((subprocess.Popen(command, env=env, cwd=PROJECT_ROOT, stdout=out,
                                                   stderr=subprocess.STDOUT), log_file))
        deadline = time.monotonic() + timeout
        for process, log_file in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                raise FlowError(f"An oracle node did not finish within {timeout:.0f} s; see {log_file}") from None
            if process.returncode != 0:
                tail = log_file.read_text(encoding="utf-8", errors="replace").splitlines()[-5:]
                raise FlowError(f"An oracle node exited with code {process.returncode}; see {log_file}:\n"
                                + "\n".join(tail))
    finally:
        for process, _ in processes:
            stop_process(process)
    log(f"  oracles: {len(oracles)} nodes ran to the end ({time.perf_counter() - started:.1f} s, logs in {state_root})")


def discard_stale_checkpoints(registry, state_root: Path, log: Log = print) -> None:
    """Moves aside an oracle state folder whose checkpoint records commits this chain does not hold.

    That happens when the chain was reset (its state file deleted) and the contracts came back at the same
    addresses: the node would otherwise skip the batch as done. A checkpoint is only ever trusted together
    with the chain it describes (oracle/README.md, Crash safety).
    """
    for checkpoint in sorted(Path(state_root).glob("oracle-*/checkpoint.json")):
        data = json.loads(checkpoint.read_text(encoding="utf-8"))
        committed = [b for b, entry in data.get("batches", {}).items() if entry.get("status") == "committed"]
        missing = [b for b in committed
                   if bytes(registry.functions.commitmentOf(bytes.fromhex(b[2:]), data["account"]).call()) == bytes(32)]
        if missing:
            aside = checkpoint.parent.with_name(f"{checkpoint.parent.name}.stale-{int(time.time())}")
            checkpoint.parent.rename(aside)
            log(f"  oracles: {checkpoint.parent.name}'s checkpoint records commits this chain lacks (reset chain); "
                f"moved to {aside.name}")


@dataclass
class FinalBatch:
    batch_id: bytes
    scope: int
    root: bytes
    leaf_count: int
    manifest_cid: str
    voters: list[str]


def final_batch(registry, table: Path, county: int) -> FinalBatch:
    """The batch the oracles committed for ``table``'s county, checked to be final."""
    from oracle.batches import batch_id_for, snapshot_hash

    batch_id = batch_id_for(snapshot_hash(table), county)
    batch = read(registry.functions.batch(batch_id))
    root, scope, leaf_count, finalized_at, superseded_at = (
        batch.root, batch.scope, batch.leafCount, batch.finalizedAt, batch.supersededAt)
    if finalized_at == 0:
        raise FlowError(f"Batch 0x{batch_id.hex()} of county {county} is not final after the oracles ran.")
    if superseded_at != 0:
        raise FlowError(f"Batch 0x{batch_id.hex()} was superseded by a newer batch of county {county}.")
    events = event_logs(registry.events.BatchCommitted, 0, "latest", {"batchId": batch_id})
    agreeing = [e for e in events if bytes(e["args"]["root"]) == bytes(root)]
    return FinalBatch(batch_id, scope, bytes(root), leaf_count, agreeing[0]["args"]["manifestCid"],
                      [e["args"]["oracle"] for e in agreeing])


def already_final_batch(registry, table: Path, county: int) -> FinalBatch | None:
    """The batch of ``table``'s county when the chain holds it final and current already, else None."""
    try:
        return final_batch(registry, table, county)
    except FlowError:
        return None


def republish_manifest(ipfs, table: Path, batch: FinalBatch, key_env: dict[str, str], log: Log = print) -> None:
    """Adds the batch's manifest to an IPFS node that lost it (e.g. a new repo), rebuilt from the results by
    the data authority: the same bytes, so the same CID as committed, which is checked."""
    from oracle.batches import build_batches
    from oracle.pseudonym import load_key

    manifest = next(m for m in build_batches(table, load_key(key_env)) if m.header.batch_id == batch.batch_id)
    cid = ipfs.add(manifest.to_bytes())
    if cid != batch.manifest_cid:
        raise FlowError(f"The rebuilt manifest has CID {cid}, not the committed {batch.manifest_cid}: the results "
                        f"or the pseudonymisation key changed since the batch was committed.")
    log(f"  IPFS: the node lacked manifest {cid}; republished it from the results")


# ---------------------------------------------------------------------------------------------- registration


def _status_name(status: HouseholdStatus) -> str:
    """The status as the contract spells it (IHouseholdRegistry.Status: "Registered"), as the summary shows it."""
    return status.name.capitalize()


@dataclass
class Registration:
    household_id: bytes
    region: int
    status: str
    subject: int | None = None
    txs: dict[str, str] = field(default_factory=dict)
    note: str = ""


def register_household(web3: Web3, households, hub, roles, manifest, actors: Actors, log: Log = print) -> Registration:
    """Registers the first admitted household of ``manifest`` not registered yet, or carries on its procedure.

    File (intake clerk, with the manifest's filing arguments, on the household registry) → one approval per level
    of the registration route on the approval hub, each by the official holding the level's role → the chain's
    clock past the public notice → complete. Returns what was done; when every admitted household is registered
    already, the last one.
    """
    from oracle.manifest import filing_arguments

    admitted = [manifest.tree.leaf(i) for i in range(len(manifest.tree))]
    admitted = [leaf for leaf in admitted if leaf.decision == Decision.ADMIT]
    if not admitted:
        raise FlowError(f"Batch 0x{manifest.header.batch_id.hex()} admits no household.")
    for leaf in admitted:
        status = read(households.functions.household(leaf.household_id)).status
        if status == HouseholdStatus.REGISTERED:
            continue
        subject = households.functions.procedureOf(leaf.household_id, leaf.region).call()
        state = read(hub.functions.subjectOf(subject)).state
        if state in (SubjectState.RETURNED, SubjectState.REJECTED):
            continue  # someone else's procedure to finish; the demo takes the next household
        break
    else:
        last = admitted[-1]
        return Registration(last.household_id, last.region, _status_name(HouseholdStatus.REGISTERED),
                            note="every admitted household of the batch is registered already")

    done = Registration(leaf.household_id, leaf.region, _status_name(status))
    hid = leaf.household_id
    # The same proof files the procedure and completes it (eligibility is proven again at completion).
    args = filing_arguments(manifest, hid)
    if state == SubjectState.NONE:
        done.txs["file (intake clerk)"] = transact(web3, households.functions.fileRegistration(*args.contract_args()),
                                     actors.clerk, "filing the registration")
        subject = households.functions.procedureOf(hid, leaf.region).call()
    else:
        done.note = "carried on the procedure an earlier run left open"
    done.subject = subject

    done.txs.update(actors.approve(web3, hub, roles, [(subject, leaf.region)], actors.officials()))
    state = read(hub.functions.subjectOf(subject)).state
    if state != SubjectState.APPROVED:
        raise FlowError(f"Procedure {subject} ended in approval state {state}, not Approved.")

    ends_at = households.functions.noticeEndsAt(subject).call()
    now = web3.eth.get_block("latest")["timestamp"]
    if now < ends_at:
        web3.provider.make_request("evm_increaseTime", [ends_at - now + 1])
        web3.provider.make_request("evm_mine", [])
        log(f"  public notice: the chain's clock moved {(ends_at - now + 1) / 86400:.1f} days to its end")
    done.txs["complete after notice"] = transact(web3, households.functions.completeProcedure(*args.contract_args()),
                                     actors.county_leader, "completing the procedure")
    done.status = _status_name(read(households.functions.household(hid)).status)
    return done


# ---------------------------------------------------------------------------------------------- plans

# IPlanRegistry.SupportType and PlanStatus names, by value (govchain.plans mirrors the enums).
DEMO_PLAN_TYPES = ("PROJECT", "FUND", "INDUSTRY", "SOCIAL", "ENTERPRISE")
# A plan that ended this way makes way for a new one of its type; Returned is left to its owner.
_ENDED = ("REJECTED", "CANCELLED", "CLOSED")


@dataclass
class PlanRun:
    plan_id: int
    support_type: str
    status: str
    txs: dict[str, str] = field(default_factory=dict)
    note: str = ""


def demo_plan_terms(support_type: str, now: int, document_cid: str) -> tuple:
    """PlanTerms of a demo plan: 300,000 yuan in three tranches of 100,000 due a quarter apart, one KPI, and for
    a fund plan households in their transition period too."""
    from govchain.deploy import YUAN
    from govchain.plans import IN_TRANSITION, REGISTERED

    statuses = REGISTERED | (IN_TRANSITION if support_type == "FUND" else 0)
    milestones = [(100_000 * YUAN, now + (i + 1) * 90 * 86_400, document_cid) for i in range(3)]
    kpis = [(keccak(text="kpi:households-above-income-line"), 50)]
    return (300_000 * YUAN, document_cid, (statuses, b"\x00" * 32, ""), kpis, milestones)


def approve_demo_plans(web3: Web3, plans, hub, roles, actors: Actors, township: int,
                       add_document: Callable[[bytes, str], str], log: Log = print) -> list[PlanRun]:
    """One plan of each of DEMO_PLAN_TYPES in ``township``, drafted by ``actors.department`` (its document added
    with ``add_document(content, name)``, returning a CID), submitted and approved level by level on the hub by
    the demo officials holding each level's role. A plan of the type already approved (or executing, completed)
    by an earlier run is kept; one left drafted or submitted is carried on."""
    from govchain.plans import PlanStatus, SupportType

    owner = roles.functions.officialOf(actors.department).call()
    approvers = [actors.township_leader, actors.county_leader, actors.treasury]
    existing: dict[int, int] = {}
    for plan_id in range(1, plans.functions.planCount().call() + 1):
        plan = read(plans.functions.planOf(plan_id))
        if plan.region == township and plan.owner == owner:
            existing[plan.supportType] = plan_id
    runs = []
    for name in DEMO_PLAN_TYPES:
        support_type = SupportType[name]
        plan_id = existing.get(support_type)
        status = PlanStatus(plans.functions.statusOf(plan_id).call()).name if plan_id else None
        run = PlanRun(plan_id or 0, name, status or "")
        if status is None or status in _ENDED:
            now = web3.eth.get_block("latest")["timestamp"]
            document = json.dumps({"plan": f"demo {name.lower()} plan", "township": township, "budgetYuan": 300_000,
                                   "milestones": 3}, sort_keys=True).encode()
            cid = add_document(document, f"plan-{name.lower()}.json")
            tx = transact(web3, plans.functions.create(township, support_type, 101, demo_plan_terms(name, now, cid)),
                          actors.department, f"drafting a {name.lower()} plan")
            receipt = web3.eth.get_transaction_receipt(tx)
            run.plan_id = plans.events.PlanDrafted().process_receipt(receipt)[0]["args"]["planId"]
            run.txs["draft (department)"] = tx
            status = "DRAFT"
        else:
            run.note = "kept from an earlier run" if status != "DRAFT" and status != "SUBMITTED" else "carried on"
        if status == "DRAFT":
            run.txs["submit (department)"] = transact(web3, plans.functions.submit(run.plan_id), actors.department,
                                                      f"submitting plan {run.plan_id}")
            status = "SUBMITTED"
        if status == "SUBMITTED":
            latest = read(plans.functions.planOf(run.plan_id)).latestVersion
            subject = plans.functions.versionSubject(run.plan_id, latest).call()
            run.txs.update(actors.approve(web3, hub, roles, [(subject, township)], approvers))
        run.status = PlanStatus(plans.functions.statusOf(run.plan_id).call()).name
        log(f"  plan {run.plan_id} ({name.lower()}): {run.status}" + (f" ({run.note})" if run.note else ""))
        runs.append(run)
    return runs


def approve_subjects(web3: Web3, hub, roles, subjects: list[tuple[int, int]], officials: list[str], *,
                     keyring: Keyring, relayer: str) -> dict[str, str]:
    """Approves every pending (subject, region) of ``subjects`` to the end of its route: each level by an
    EIP-712 signature of the first of ``officials`` who may approve it, with the official's key from ``keyring``,
    all subjects' signatures of a round relayed in one ``approveBySig`` transaction by ``relayer``. Returns the
    transactions. The one way the demo approves (orchestration.relay); :meth:`Actors.approve` gives it the
    actors' keyring and relayer."""
    try:
        return approve_in_batches(web3, hub, roles, subjects, officials, keyring, relayer,
                                  lambda call, sender, what: transact(web3, call, sender, what))
    except ApprovalRelayError as exc:
        raise FlowError(str(exc)) from exc


# ---------------------------------------------------------------------------------------------- the flow


@dataclass
class FlowResult:
    addresses: dict[str, str]
    county: int
    batch: FinalBatch
    registration: Registration
    role_grants: int
    seconds: dict[str, float]
    plans: list[PlanRun] = field(default_factory=list)
    candidates: object = None  # orchestration.scenario.Candidates: more households filed, one objection


def run_flow(network: NetworkConfig, ipfs_api: str, table: Path, oracle_state: Path, key_env: dict[str, str],
             actors: Actors | None = None, log: Log = print) -> FlowResult:
    """Steps 2–4 on a deployed platform: roles, the oracle quorum on ``table``, one household registered."""
    from oracle.ipfs import IpfsClient
    from oracle.manifest import fetch_manifest

    actors = actors or Actors.anvil_defaults()
    chain = Chain(network)
    web3 = chain.web3
    roles, eligibility, hub, households = (
        chain.contract(n) for n in ("RoleRegistry", "EligibilityRegistry", "ApprovalHub", "HouseholdRegistry"))
    seconds: dict[str, float] = {}
    county, villages = results_regions(table)

    started = time.perf_counter()
    granted = grant_roles(web3, roles, actors.admin, actors.grants(county, villages), log)
    seconds["roles"] = time.perf_counter() - started

    started = time.perf_counter()
    # Each node's checkpoint belongs to one registry: a redeployed registry starts the nodes afresh.
    state_root = Path(oracle_state) / eligibility.address
    discard_stale_checkpoints(eligibility, state_root, log)
    batch = already_final_batch(eligibility, table, county)
    if batch is None:
        run_oracles(network, table.parent, state_root, ipfs_api, actors.oracles, key_env, log=log)
        batch = final_batch(eligibility, table, county)
    else:
        # A second run on the same results: the oracle nodes would start only to find their batch final
        # (several seconds of process start-up for nothing).
        log("  oracles: the batch of these results is already final on chain; nodes not started")
    seconds["oracles"] = time.perf_counter() - started
    log(
        f"  batch 0x{batch.batch_id.hex()} final: {batch.leaf_count} households, votes from {len(batch.voters)} oracles"
    )

    started = time.perf_counter()
    ipfs = IpfsClient(ipfs_api)
    if not ipfs.is_pinned(batch.manifest_cid):
        republish_manifest(ipfs, table, batch, key_env, log)
    manifest = fetch_manifest(ipfs, batch.manifest_cid, expected_root=batch.root)
    registration = register_household(web3, households, hub, roles, manifest, actors, log)
    seconds["registration"] = time.perf_counter() - started

    from orchestration.scenario import file_candidates  # the scenario module builds on this one

    started = time.perf_counter()
    candidates = file_candidates(web3, households, hub, roles, manifest, actors, ipfs.add, log=log)
    seconds["candidates"] = time.perf_counter() - started

    plan_runs = []
    if actors.department:
        started = time.perf_counter()
        township = regions.ancestor_at(villages[0], regions.RegionLevel.TOWNSHIP)
        plan_runs = approve_demo_plans(web3, chain.contract("PlanRegistry"), hub, roles, actors, township,
                                       ipfs.add, log)
        seconds["plans"] = time.perf_counter() - started
    names = ("RoleRegistry", "EligibilityRegistry", "ApprovalHub", "HouseholdRegistry", "Supervision",
             "PlanRegistry", "Disclosure")
    addresses = {n: chain.address_of(n) for n in names}
    return FlowResult(addresses, county, batch, registration, len(granted), seconds, plan_runs, candidates)


def summary_lines(result: FlowResult) -> list[str]:
    """The flow's outcome for a reader: addresses, the batch, the household (by its pseudonymous id only)."""
    b, r = result.batch, result.registration
    rows = list(result.addresses.items()) + [
        ("county", str(result.county)),
        ("batch id", f"0x{b.batch_id.hex()}"),
        ("Merkle root", f"0x{b.root.hex()}"),
        ("manifest CID", b.manifest_cid),
        ("oracle votes", f"{len(b.voters)}: {', '.join(b.voters)}"),
        ("household id", f"0x{r.household_id.hex()} (pseudonymous)"),
        ("village", str(r.region)),
        ("status", r.status + (f" ({r.note})" if r.note else "")),
    ]
    rows += [(f"tx {what}", tx) for what, tx in r.txs.items()]
    for run in result.plans:
        rows.append((f"plan {run.plan_id}", f"{run.support_type.lower()}: {run.status}"
                     + (f" ({run.note})" if run.note else "")))
        rows += [(f"  tx {what}", tx) for what, tx in run.txs.items()]
    width = max(len(label) for label, _ in rows)
    return [f"  {label:<{width}}  {value}" for label, value in rows]
