"""The oracle service on a real anvil and a real js-ipfs node: quorum, alarm, crash safety, errors."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from types import SimpleNamespace

import pandas as pd
import psutil
import pytest
from eth_utils import keccak

from govchain.chain import Chain
from govchain.config import PROJECT_ROOT
from govchain.eligibility import Decision
from govchain.enums import HouseholdStatus
from govchain.localnode import AnvilNode, free_port, stop_process
from govchain.roles import role_id
from oracle.batches import build_batches
from oracle.committer import Committer, NonceTakenError, SignedCommit, UnfundedAccountError
from oracle.ipfs import IpfsClient, JsIpfsNode
from oracle.manifest import Manifest, fetch_manifest, filing_arguments
from oracle.pseudonym import PseudonymKey
from oracle.service import KILL_POINTS, Checkpoint, CheckpointError
from tests.oracle.chain import LocalChain, oracle_command, oracle_env, run_oracle_once
from tests.oracle.conftest import save_results, write_results

HONEST_KEY = b"\x11" * 32
OTHER_KEY = b"\x22" * 32  # an oracle node configured with another pseudonymisation key computes other roots


MONITORING_STATUS = HouseholdStatus.MONITORING




def wait_for_text(path, text: str, timeout: float = 60) -> None:
    """Waits until a process's log file shows ``text`` (e.g. that it is retrying)."""
    deadline = time.monotonic() + timeout
    while text not in (path.read_text() if path.exists() else ""):
        assert time.monotonic() < deadline, f"{path} never showed {text!r}"
        time.sleep(0.1)


def commits_by(chain: LocalChain, oracle: str) -> list:
    events = chain.registry.events.BatchCommitted().get_logs(from_block=0, argument_filters={"oracle": oracle})
    return list(events)


def alarmed_batches(alarm_file) -> set[str]:
    """Batch ids with a conflict alarm in an oracle's alarms.jsonl (a line being written is not counted yet)."""
    return {a["batchId"] for a in alarms(alarm_file) if a["kind"] == "batch-conflict"}


def alarms(alarm_file) -> list[dict]:
    """The complete lines of an oracle's alarms.jsonl."""
    found = []
    for line in alarm_file.read_text().splitlines() if alarm_file.exists() else []:
        try:
            found.append(json.loads(line))
        except json.JSONDecodeError:
            pass
    return found


@pytest.fixture(scope="module")
def quorum_run(anvil, ipfs_node, tmp_path_factory):
    """Three oracle processes, k = 2; the third has another key. Runs until every batch is final and every
    oracle has recorded the alarm, then stops the processes by PID."""
    work = tmp_path_factory.mktemp("quorum")
    chain = LocalChain(anvil, work)
    chain.deploy_platform(quorum=2)
    results = work / "results"
    ids = write_results(results / "2026-11" / "results.parquet", 80, seed=21)
    manifests = build_batches(results / "2026-11" / "results.parquet", PseudonymKey(HONEST_KEY))
    oracles = [chain.new_oracle() for _ in range(3)]
    processes = []
    try:
        for i, (account, key) in enumerate(zip(oracles, (HONEST_KEY, HONEST_KEY, OTHER_KEY))):
            log = open(work / f"oracle{i}.log", "w")
            processes.append(
                subprocess.Popen(
                    oracle_command(chain, results, work / f"state{i}", ipfs_node.api_url),
                    env=oracle_env(account, key), cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT,
                )
            )
        alarm_files = [work / f"state{i}" / "alarms.jsonl" for i in range(3)]
        batch_ids = {"0x" + m.header.batch_id.hex() for m in manifests}
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            final = all(chain.registry.functions.batch(m.header.batch_id).call()[3] > 0 for m in manifests)
            committed = all(
                chain.registry.functions.commitmentOf(m.header.batch_id, o.address).call() != b"\x00" * 32
                for m in manifests for o in oracles
            )
            if final and committed and all(alarmed_batches(f) >= batch_ids for f in alarm_files):
                break
            assert all(p.poll() is None for p in processes), "an oracle process exited; see its log in " + str(work)
            time.sleep(0.3)
    finally:
        for process in processes:
            stop_process(process)
    yield SimpleNamespace(
        chain=chain, manifests=manifests, oracles=oracles, ids=ids, work=work, alarm_files=alarm_files
    )


def test_two_of_three_oracles_finalize_each_batch_with_the_honest_root(quorum_run):
    registry = quorum_run.chain.registry
    assert [registry.functions.batch(m.header.batch_id).call()[0] for m in quorum_run.manifests] == [
        m.root for m in quorum_run.manifests
    ]


def test_the_oracle_with_a_different_root_raises_the_alarm_in_every_oracle(quorum_run):
    registry = quorum_run.chain.registry
    odd = quorum_run.oracles[2].address
    odd_commitments = {
        "0x" + registry.functions.commitmentOf(m.header.batch_id, odd).call().hex() for m in quorum_run.manifests
    }
    for alarm_file in quorum_run.alarm_files:
        conflicts = [a for a in alarms(alarm_file) if a["kind"] == "batch-conflict"]
        assert odd_commitments <= {a["commitment"] for a in conflicts} | {a["expected"] for a in conflicts}


def test_each_oracle_sent_one_transaction_per_batch(quorum_run):
    web3 = quorum_run.chain.web3
    assert [web3.eth.get_transaction_count(o.address) for o in quorum_run.oracles] == [len(quorum_run.manifests)] * 3


def test_the_committed_manifest_cid_gives_a_proof_the_registry_accepts(quorum_run, ipfs_node):
    chain, manifest = quorum_run.chain, quorum_run.manifests[0]
    honest = quorum_run.oracles[0].address
    event = [e for e in commits_by(chain, honest) if e["args"]["batchId"] == manifest.header.batch_id][0]
    fetched = Manifest.from_bytes(
        IpfsClient(ipfs_node.api_url).cat(event["args"]["manifestCid"]), expected_root=event["args"]["root"]
    )
    household = next(i for i in quorum_run.ids if PseudonymKey(HONEST_KEY).household_id(i) in {
        fetched.tree.leaf(v).household_id for v in range(len(fetched.tree))
    })
    args = filing_arguments(fetched, PseudonymKey(HONEST_KEY).household_id(household))
    assert chain.registry.functions.verify(*args.contract_args()).call()


def test_nothing_published_contains_an_id_number(quorum_run, ipfs_node):
    chain = quorum_run.chain
    web3 = chain.web3
    published = bytearray()
    for number in range(web3.eth.block_number + 1):
        for tx in web3.eth.get_block(number, full_transactions=True)["transactions"]:
            published += bytes(tx["input"])
    for log in web3.eth.get_logs({"fromBlock": 0, "toBlock": "latest"}):
        published += b"".join(bytes(t) for t in log["topics"]) + bytes(log["data"])
    ipfs = IpfsClient(ipfs_node.api_url)
    for event in chain.registry.events.BatchCommitted().get_logs(from_block=0):
        published += ipfs.cat(event["args"]["manifestCid"])
    published = bytes(published)
    leaked = []
    for number in quorum_run.ids:
        forms = [number.encode(), number[:17].encode(), hashlib.sha256(number.encode()).digest(), keccak(text=number)]
        forms.append(int(number[:17]).to_bytes(32, "big"))
        if number.isdigit():
            forms.append(int(number).to_bytes(32, "big"))
        leaked += [number for form in forms if form in published]
    assert len(published) > 10_000 and leaked == []


@pytest.mark.parametrize("point", KILL_POINTS)
def test_an_oracle_killed_and_restarted_commits_every_batch_exactly_once(point, anvil, ipfs_node, tmp_path):
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    write_results(tmp_path / "results" / "2026-11" / "results.parquet", 30, seed=31)
    manifests = build_batches(tmp_path / "results" / "2026-11" / "results.parquet", PseudonymKey(HONEST_KEY))
    oracle = chain.new_oracle()
    def run(**env):
        return run_oracle_once(
            chain, tmp_path / "results", tmp_path / "state", ipfs_node.api_url, oracle, HONEST_KEY, **env
        )
    killed = run(GOVCHAIN_ORACLE_KILL_AT=point)
    restarted = run()
    committed = sorted(bytes(e["args"]["batchId"]) for e in commits_by(chain, oracle.address))
    assert (killed.returncode, restarted.returncode) == (-signal.SIGKILL, 0), restarted.stderr
    assert committed == sorted(m.header.batch_id for m in manifests)
    assert chain.web3.eth.get_transaction_count(oracle.address) == len(manifests)


def all_mined_without_gap(chain: LocalChain, account: str) -> bool:
    """Every transaction of ``account`` is mined: nothing waits in the node behind a missing nonce."""
    return chain.web3.eth.get_transaction_count(account, "pending") == chain.web3.eth.get_transaction_count(
        account, "latest"
    )


def final(chain: LocalChain, batch_id: bytes) -> bool:
    return chain.registry.functions.batch(batch_id).call()[3] > 0


@pytest.fixture
def killed_after_signing(anvil, ipfs_node, tmp_path):
    """An oracle (k = 1) SIGKILLed between signing its first commit of results/2026-11 and sending it."""
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    pending_file = tmp_path / "results" / "2026-11" / "results.parquet"
    write_results(pending_file, 30, seed=33, decisions=(1, 2, 3))
    pending_batches = build_batches(pending_file, PseudonymKey(HONEST_KEY))
    oracle = chain.new_oracle()
    def run(**env):
        return run_oracle_once(
            chain, tmp_path / "results", tmp_path / "state", ipfs_node.api_url, oracle, HONEST_KEY, **env
        )
    killed = run(GOVCHAIN_ORACLE_KILL_AT="after_sign")
    checkpoint = json.loads((tmp_path / "state" / "checkpoint.json").read_text())
    signed = [b for b, e in checkpoint["batches"].items() if e["status"] == "signed"]
    assert killed.returncode == -signal.SIGKILL and len(signed) == 1
    assert chain.web3.eth.get_transaction_count(oracle.address, "pending") == 0
    return SimpleNamespace(chain=chain, oracle=oracle, run=run, pending_file=pending_file,
                           pending_batches=pending_batches, pending_batch=bytes.fromhex(signed[0][2:]), work=tmp_path)


def test_a_pending_commit_is_sent_before_a_batch_that_sorts_before_it(killed_after_signing):
    k = killed_after_signing
    earlier_file = k.work / "results" / "2026-10" / "results.parquet"  # an earlier period, arrived late
    write_results(earlier_file, 30, seed=34, decisions=(1, 2, 3))
    batches = [m.header.batch_id for m in build_batches(earlier_file, PseudonymKey(HONEST_KEY)) + k.pending_batches]
    restarted = k.run(timeout=90)
    committed = [bytes(e["args"]["batchId"]) for e in commits_by(k.chain, k.oracle.address)]
    assert restarted.returncode == 0, restarted.stderr
    assert sorted(committed) == sorted(batches) and all(final(k.chain, b) for b in batches)
    assert k.chain.web3.eth.get_transaction_count(k.oracle.address) == len(batches) and all_mined_without_gap(
        k.chain, k.oracle.address
    )


def test_a_pending_commit_of_a_replaced_results_file_is_not_sent_and_its_nonce_is_filled(killed_after_signing):
    k = killed_after_signing
    write_results(k.pending_file, 30, seed=35, decisions=(1, 2, 3))  # the pipeline replaced the file
    batches = [m.header.batch_id for m in build_batches(k.pending_file, PseudonymKey(HONEST_KEY))]
    restarted = k.run(timeout=90)
    committed = [bytes(e["args"]["batchId"]) for e in commits_by(k.chain, k.oracle.address)]
    assert restarted.returncode == 0, restarted.stderr
    assert sorted(committed) == sorted(batches) and all(final(k.chain, b) for b in batches)
    # One transaction per batch of the new file, plus the filler of the abandoned nonce; none waits.
    assert k.chain.web3.eth.get_transaction_count(k.oracle.address) == len(batches) + 1 and all_mined_without_gap(
        k.chain, k.oracle.address
    )
    assert "nonce 0 is filled with the 0-value transfer" in restarted.stderr and not final(k.chain, k.pending_batch)


def test_a_commit_sent_before_its_file_was_replaced_is_recorded_not_filled(anvil, ipfs_node, tmp_path):
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    path = tmp_path / "results" / "2026-11" / "results.parquet"
    write_results(path, 20, seed=36, decisions=(1, 2, 3), villages=(530102001001,))
    sent = build_batches(path, PseudonymKey(HONEST_KEY))[0].header.batch_id
    oracle = chain.new_oracle()
    def run(**env):
        return run_oracle_once(
            chain, tmp_path / "results", tmp_path / "state", ipfs_node.api_url, oracle, HONEST_KEY, **env
        )
    killed = run(GOVCHAIN_ORACLE_KILL_AT="after_send")
    write_results(path, 20, seed=37, decisions=(1, 2, 3), villages=(530102001001,))
    replacing = build_batches(path, PseudonymKey(HONEST_KEY))[0].header.batch_id
    restarted = run()
    entry = json.loads((tmp_path / "state" / "checkpoint.json").read_text())["batches"]["0x" + sent.hex()]
    assert (killed.returncode, restarted.returncode) == (-signal.SIGKILL, 0), restarted.stderr
    assert entry["status"] == "committed" and "filler" not in entry and final(chain, sent) and final(chain, replacing)
    assert chain.web3.eth.get_transaction_count(oracle.address) == 2 and all_mined_without_gap(chain, oracle.address)


def test_a_bad_results_file_is_set_aside_with_an_alarm_and_the_good_ones_commit(anvil, ipfs_node, tmp_path):
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    results = tmp_path / "results"
    good = [results / "2026-09" / "results.parquet", results / "2026-11" / "results.parquet"]
    for seed, path in enumerate(good):
        write_results(path, 20, seed=100 + seed, decisions=(1, 2, 3))
    bad = results / "2026-10" / "results.parquet"  # sorts between the good ones
    write_results(bad, 20, seed=102, decisions=(1,), villages=(530102001001,))
    table = pd.read_parquet(bad)
    table.loc[5, "household_key"] = table.loc[2, "household_key"]  # a head ID twice in one county
    save_results(table, bad)
    batches = [m.header.batch_id for path in good for m in build_batches(path, PseudonymKey(HONEST_KEY))]
    oracle = chain.new_oracle()
    done = run_oracle_once(chain, results, tmp_path / "state", ipfs_node.api_url, oracle, HONEST_KEY)
    again = run_oracle_once(chain, results, tmp_path / "state", ipfs_node.api_url, oracle, HONEST_KEY)
    committed = sorted(bytes(e["args"]["batchId"]) for e in commits_by(chain, oracle.address))
    set_aside = [a for a in alarms(tmp_path / "state" / "alarms.jsonl") if a["kind"] == "results-file-set-aside"]
    assert (done.returncode, again.returncode) == (0, 0), done.stderr
    assert committed == sorted(batches)
    assert [(a["file"], "appears twice" in a["reason"]) for a in set_aside] == [("2026-10/results.parquet", True)]


def test_a_second_run_over_the_same_results_sends_nothing(anvil, ipfs_node, tmp_path):
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    write_results(tmp_path / "results" / "a.results.parquet", 10, seed=41, decisions=(1, 2, 3))
    oracle = chain.new_oracle()
    for _ in range(2):
        assert (
            run_oracle_once(
                chain, tmp_path / "results", tmp_path / "state", ipfs_node.api_url, oracle, HONEST_KEY
            ).returncode
            == 0
        )
    assert chain.web3.eth.get_transaction_count(oracle.address) == 2


def test_a_wrong_chain_id_stops_the_service_with_a_clear_error(anvil, ipfs_node, tmp_path):
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    oracle = chain.new_oracle()
    (tmp_path / "results").mkdir()
    cmd = oracle_command(
        chain, tmp_path / "results", tmp_path / "state", ipfs_node.api_url, "--once", "--chain-id", "999"
    )
    done = subprocess.run(
        cmd, env=oracle_env(oracle, HONEST_KEY), cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2 and "chain id 999 was expected" in done.stderr


def test_an_account_without_the_oracle_role_stops_with_the_grant_to_ask_for(anvil, ipfs_node, tmp_path):
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    write_results(tmp_path / "results" / "a.results.parquet", 5, seed=51, decisions=(1, 2, 3))
    outsider = chain.new_oracle(region=None)
    done = run_oracle_once(chain, tmp_path / "results", tmp_path / "state", ipfs_node.api_url, outsider, HONEST_KEY)
    assert done.returncode == 2 and f"grantRoleIn(keccak256('ORACLE'), {outsider.address}" in done.stderr


@pytest.fixture(scope="module")
def late_ipfs_run(anvil, tmp_path_factory):
    """The service started while IPFS is down; a js-ipfs node comes up 3 s later and is stopped by PID after."""
    work = tmp_path_factory.mktemp("late-ipfs")
    chain = LocalChain(anvil, work)
    chain.deploy_platform(quorum=1)
    write_results(work / "results" / "a.results.parquet", 10, seed=61, decisions=(1, 2, 3))
    oracle = chain.new_oracle()
    port = free_port()
    cmd = oracle_command(chain, work / "results", work / "state", f"http://127.0.0.1:{port}", "--once")
    log = work / "oracle.log"
    with open(log, "w") as stderr_file:
        service = subprocess.Popen(
            cmd, env=oracle_env(oracle, HONEST_KEY), cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=stderr_file
        )
    node = JsIpfsNode(repo_dir=work / "ipfs", api_port=port)
    try:
        wait_for_text(log, "retrying in")
        node.start()
        ipfs_pid = node.process.pid
        service.wait(timeout=90)
    finally:
        stop_process(service)
        node.remove()
    return SimpleNamespace(chain=chain, oracle=oracle, service=service, stderr=log.read_text(), ipfs_pid=ipfs_pid)


def test_the_service_waits_for_ipfs_and_commits_once_it_is_up(late_ipfs_run):
    run = late_ipfs_run
    assert run.service.returncode == 0 and len(commits_by(run.chain, run.oracle.address)) == 2


def test_a_managed_ipfs_node_is_gone_after_it_is_stopped_by_pid(late_ipfs_run):
    assert not psutil.pid_exists(late_ipfs_run.ipfs_pid)


class PricedAnvil(AnvilNode):
    """anvil where gas costs something, as on a network without free gas."""

    def command(self) -> list[str]:
        cmd = super().command()
        cmd[cmd.index("--gas-price") + 1] = str(10**9)
        return cmd


def test_an_unfunded_account_is_refused_before_anything_is_sent(tmp_path):
    with PricedAnvil() as node:
        chain = LocalChain(node, tmp_path)
        chain.deploy_platform(quorum=1)
        oracle = chain.new_oracle(fund=False)
        write_results(tmp_path / "a.parquet", 5, seed=71, decisions=(1, 2, 3))
        manifest = build_batches(tmp_path / "a.parquet", PseudonymKey(HONEST_KEY))[0]
        committer = Committer(Chain(chain.network_config()), oracle)
        with pytest.raises(UnfundedAccountError, match="Fund it"):
            committer.sign_commit(manifest, "bafkreigzevexq2l7kjg2yehswoqoty2vzlfjnypwzx4mszwfisx73vieby", nonce=0)


def test_a_checkpoint_of_another_account_is_refused(tmp_path):
    Checkpoint(tmp_path / "checkpoint.json", 31337, "0x" + "11" * 20).save()
    with pytest.raises(CheckpointError, match="separate --state folder"):
        Checkpoint(tmp_path / "checkpoint.json", 31337, "0x" + "22" * 20)


def test_an_unreadable_results_file_is_skipped_and_committed_once_complete(anvil, ipfs_node, tmp_path):
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    write_results(tmp_path / "complete.parquet", 10, seed=81, decisions=(1, 2, 3))
    target = tmp_path / "results" / "run" / "results.parquet"
    target.parent.mkdir(parents=True)
    target.write_bytes((tmp_path / "complete.parquet").read_bytes()[:500])  # as if the pipeline were mid-write
    oracle = chain.new_oracle()
    def run():
        return run_oracle_once(
            chain, tmp_path / "results", tmp_path / "state", ipfs_node.api_url, oracle, HONEST_KEY
        )
    first = run()
    target.write_bytes((tmp_path / "complete.parquet").read_bytes())
    second = run()
    assert (first.returncode, second.returncode) == (0, 0) and "Cannot read the results file" in first.stderr
    assert chain.web3.eth.get_transaction_count(oracle.address) == 2
    assert alarms(tmp_path / "state" / "alarms.jsonl") == []  # a file being written raises no alarm


def test_an_unreadable_results_file_that_stays_so_is_set_aside_with_an_alarm(anvil, ipfs_node, tmp_path):
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    write_results(tmp_path / "complete.parquet", 10, seed=82, decisions=(1, 2, 3))
    target = tmp_path / "results" / "run" / "results.parquet"
    target.parent.mkdir(parents=True)
    target.write_bytes((tmp_path / "complete.parquet").read_bytes()[:500])
    os.utime(target, (time.time() - 60, time.time() - 60))  # unchanged for a minute: not being written any more
    oracle = chain.new_oracle()
    done = run_oracle_once(chain, tmp_path / "results", tmp_path / "state", ipfs_node.api_url, oracle, HONEST_KEY)
    set_aside = alarms(tmp_path / "state" / "alarms.jsonl")
    assert done.returncode == 0 and [(a["kind"], a["file"], a["error"]) for a in set_aside] == [
        ("results-file-set-aside", "run/results.parquet", "ResultsUnreadableError")
    ]


def test_the_proof_command_prints_filing_arguments_the_registry_accepts(quorum_run, ipfs_node):
    chain, manifest = quorum_run.chain, quorum_run.manifests[0]
    event = [
        e for e in commits_by(chain, quorum_run.oracles[0].address) if e["args"]["batchId"] == manifest.header.batch_id
    ][0]
    card = "0x" + manifest.tree.leaf(0).household_id.hex()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "oracle",
            "proof",
            "--cid",
            event["args"]["manifestCid"],
            "--card",
            card,
            "--ipfs-api",
            ipfs_node.api_url,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    printed = json.loads(done.stdout)
    leaf = printed["leaf"]
    args = (
        bytes.fromhex(printed["batchId"][2:]),
        (bytes.fromhex(leaf["householdId"][2:]), leaf["region"], leaf["decision"], bytes.fromhex(leaf["details"][2:])),
        [bytes.fromhex(node[2:]) for node in printed["proof"]],
    )
    assert chain.registry.functions.verify(*args).call()


def test_a_pending_commit_that_reverts_is_recorded_and_signed_again(anvil, ipfs_node, tmp_path):
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    write_results(
        tmp_path / "results" / "a.results.parquet", 10, seed=91, villages=(530102001001,), decisions=(1, 2, 3)
    )
    manifest = build_batches(tmp_path / "results" / "a.results.parquet", PseudonymKey(HONEST_KEY))[0]
    oracle = chain.new_oracle()
    committer = Committer(Chain(chain.network_config()), oracle)
    cid = IpfsClient(ipfs_node.api_url).add(manifest.to_bytes())
    # A checkpoint left by a crash with a signed commit whose gas cannot cover it: it will run out of gas.
    starved = committer._commit_call(manifest, cid).build_transaction(
        {"from": oracle.address, "nonce": 0, "gas": 40_000, "gasPrice": 0, "chainId": committer.chain_id}
    )
    signed = oracle.sign_transaction(starved)
    checkpoint = Checkpoint(tmp_path / "state" / "checkpoint.json", committer.chain_id, oracle.address)
    checkpoint.data["nextNonce"] = 1
    checkpoint.batch(manifest.header.batch_id).update(
        status="signed",
        cid=cid,
        file="a.results.parquet",
        scope=manifest.header.scope,
        tx={"hash": "0x" + bytes(signed.hash).hex(), "raw": "0x" + bytes(signed.raw_transaction).hex(), "nonce": 0},
    )
    checkpoint.save()
    done = run_oracle_once(chain, tmp_path / "results", tmp_path / "state", ipfs_node.api_url, oracle, HONEST_KEY)
    entry = json.loads((tmp_path / "state" / "checkpoint.json").read_text())["batches"][
        "0x" + manifest.header.batch_id.hex()
    ]
    assert done.returncode == 0, done.stderr
    assert entry["status"] == "committed" and [r["nonce"] for r in entry["reverted"]] == [0]
    assert len(commits_by(chain, oracle.address)) == 1 and chain.web3.eth.get_transaction_count(oracle.address) == 2


def test_the_service_waits_for_the_chain_node_and_commits_once_it_is_back(ipfs_node, tmp_path):
    node = AnvilNode(state_file=tmp_path / "anvil-state.json")
    node.start()
    chain = LocalChain(node, tmp_path)
    chain.deploy_platform(quorum=1)
    oracle = chain.new_oracle()
    write_results(
        tmp_path / "results" / "a.results.parquet", 10, seed=95, villages=(530102001001,), decisions=(1, 2, 3)
    )
    cmd = oracle_command(chain, tmp_path / "results", tmp_path / "state", ipfs_node.api_url, "--once")
    node.stop()  # saves the chain to its state file
    log = tmp_path / "oracle.log"
    with open(log, "w") as stderr_file:
        service = subprocess.Popen(
            cmd, env=oracle_env(oracle, HONEST_KEY), cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=stderr_file
        )
    try:
        wait_for_text(log, "Retrying in")
        node.start()  # same port, same state
        service.wait(timeout=90)
        committed = len(commits_by(chain, oracle.address))
    finally:
        stop_process(service)
        node.stop()
    assert service.returncode == 0 and committed == 1


def test_an_intake_clerk_files_a_monitoring_entry_with_the_filing_arguments(quorum_run, ipfs_node):
    chain = quorum_run.chain
    households = chain.households
    manifest = next(
        m for m in quorum_run.manifests if any(m.tree.leaf(v).decision == Decision.MONITOR for v in range(len(m.tree)))
    )
    leaf = next(
        manifest.tree.leaf(v) for v in range(len(manifest.tree)) if manifest.tree.leaf(v).decision == Decision.MONITOR
    )
    clerk = chain.web3.eth.accounts[1]
    chain.web3.eth.wait_for_transaction_receipt(
        chain.roles.functions.grantRoleIn(role_id("INTAKE_CLERK"), clerk, leaf.region).transact({"from": chain.admin})
    )
    fetched = fetch_manifest(IpfsClient(ipfs_node.api_url), ipfs_cid_of(chain, manifest), expected_root=manifest.root)
    args = filing_arguments(fetched, leaf.household_id)
    receipt = chain.web3.eth.wait_for_transaction_receipt(
        households.functions.enterMonitoring(*args.contract_args()).transact({"from": clerk})
    )
    assert receipt.status == 1 and households.functions.household(leaf.household_id).call()[1] == MONITORING_STATUS


def ipfs_cid_of(chain: LocalChain, manifest) -> str:
    """The manifest CID the honest oracles committed for a batch, read from the BatchCommitted events."""
    events = chain.registry.events.BatchCommitted().get_logs(
        from_block=0, argument_filters={"batchId": manifest.header.batch_id}
    )
    return next(e["args"]["manifestCid"] for e in events if e["args"]["root"] == manifest.root)


@pytest.fixture
def committed_once(anvil, ipfs_node, tmp_path):
    """A commit signed, sent and mined by a fresh oracle on a fresh registry (k = 1)."""
    chain = LocalChain(anvil, tmp_path)
    chain.deploy_platform(quorum=1)
    write_results(tmp_path / "a.parquet", 5, seed=97, villages=(530102001001,), decisions=(1, 2, 3))
    manifest = build_batches(tmp_path / "a.parquet", PseudonymKey(HONEST_KEY))[0]
    oracle = chain.new_oracle()
    committer = Committer(Chain(chain.network_config()), oracle)
    cid = IpfsClient(ipfs_node.api_url).add(manifest.to_bytes())
    signed = committer.sign_commit(manifest, cid, nonce=0)
    committer.send(signed)
    assert committer.wait_for_receipt(signed, timeout=30)["status"] == 1
    return SimpleNamespace(chain=chain, committer=committer, signed=signed, manifest=manifest, cid=cid, oracle=oracle)


def test_sending_an_already_mined_commit_again_is_harmless(committed_once):
    committed_once.committer.send(committed_once.signed)
    assert committed_once.chain.web3.eth.get_transaction_count(committed_once.oracle.address) == 1


def test_a_commit_whose_nonce_another_transaction_took_raises_nonce_taken(committed_once):
    committer, _chain = committed_once.committer, committed_once.chain
    # A second commit signed for the same nonce (as if another sender had used the account) can never be mined.
    other = committer._commit_call(committed_once.manifest, committed_once.cid + "x").build_transaction(
        {
            "from": committed_once.oracle.address,
            "nonce": 0,
            "gas": 300_000,
            "gasPrice": 0,
            "chainId": committer.chain_id,
        }
    )
    raw = committed_once.oracle.sign_transaction(other)
    stale = SignedCommit("0x" + bytes(raw.hash).hex(), "0x" + bytes(raw.raw_transaction).hex(), 0)
    with pytest.raises(NonceTakenError, match="Only one oracle service may use this account"):
        committer.send(stale)
