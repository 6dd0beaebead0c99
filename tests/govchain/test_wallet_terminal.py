"""The approver wallet in a real terminal (pexpect): a fresh anvil with the platform deployed by govchain.deploy
(tests/oracle/chain.py LocalChain), registrations filed by an intake clerk the way the contract tests file them,
and `python -m govchain.wallet` driven as an official types at it (passwords at hidden prompts)."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from types import SimpleNamespace

import pexpect
import pytest
from eth_utils import keccak
from web3.logs import DISCARD

from govchain.approvals import Approval
from govchain.chain import Chain
from govchain.config import PROJECT_ROOT
from govchain.eligibility import Decision, EligibilityLeaf, LeafDetails
from govchain.localnode import AnvilNode, free_port
from govchain.roles import role_id
from govchain.wallet.keystore import KeystoreFolder
from govchain.wallet.signature_file import SignatureFile
from oracle.merkle import EligibilityTree
from tests.oracle.chain import LocalChain

COUNTY, TOWNSHIP, VILLAGE = 530102000000, 530102001000, 530102001001
PASSWORD = "correct horse battery staple"
HOUSEHOLDS = [f"household-{i}" for i in range(9)]
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.fixture(autouse=True)
def isolation():
    """No brownie chain here (the chain is an anvil of this module's own): overrides the root conftest's."""
    yield


def household_id(name: str) -> bytes:
    return keccak(text=f"wallet-test:{name}")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    """anvil with the platform, one final eligibility batch admitting HOUSEHOLDS in VILLAGE, and an intake clerk
    who files their registrations on demand; stopped by PID at the end."""
    work = tmp_path_factory.mktemp("wallet")
    with AnvilNode(log_file=work / "anvil.log") as node:
        chain = LocalChain(node, work)
        chain.deploy_platform(quorum=1)
        web3, admin = chain.web3, chain.admin
        oracle, clerk, reviewer = web3.eth.accounts[1:4]

        def grant(role: str, account: str, region: int) -> None:
            if region in chain.roles.functions.regionsOf(role_id(role), account).call():
                return
            web3.eth.wait_for_transaction_receipt(
                chain.roles.functions.grantRoleIn(role_id(role), account, region).transact({"from": admin}))

        grant("ORACLE", oracle, COUNTY)
        grant("INTAKE_CLERK", clerk, VILLAGE)
        grant("REVIEWER", reviewer, TOWNSHIP)
        leaves = [EligibilityLeaf(household_id(n), VILLAGE, Decision.ADMIT,
                                  LeafDetails(0b1, 3000 + i, keccak(text=n)).commitment())
                  for i, n in enumerate(HOUSEHOLDS)]
        tree = EligibilityTree.of(leaves)
        batch_id = keccak(text="wallet-test-batch")
        as_of = web3.eth.get_block("latest")["timestamp"]
        web3.eth.wait_for_transaction_receipt(chain.registry.functions.commitBatch(
            batch_id, COUNTY, tree.root, "bafkreiwallettest", b"\x01" * 32, b"\x02" * 32, as_of, len(leaves),
        ).transact({"from": oracle}))

        def file_registration(name: str) -> int:
            leaf, proof = tree.proof_for(household_id(name))
            web3.eth.wait_for_transaction_receipt(chain.households.functions.fileRegistration(
                batch_id, leaf.values(), proof).transact({"from": clerk}))
            return chain.households.functions.procedureOf(household_id(name), VILLAGE).call()

        yield SimpleNamespace(chain=chain, web3=web3, grant=grant, file=file_registration, work=work,
                              hub=chain.hub, reviewer=reviewer)


def wallet_env(platform, keystores: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")}
    env.update(GOVCHAIN_RPC_URL=platform.chain.node.rpc_url, GOVCHAIN_DEPLOYMENTS=str(platform.chain.deployments),
               GOVCHAIN_WALLET_KEYSTORE_DIR=str(keystores), PYTHONPATH=str(PROJECT_ROOT), PYTHONIOENCODING="utf-8",
               COLUMNS="200", **extra)
    return env


def spawn(platform, keystores: Path, *args: str, **env: str) -> pexpect.spawn:
    return pexpect.spawn(sys.executable, ["-m", "govchain.wallet", *args], cwd=str(PROJECT_ROOT),
                         env=wallet_env(platform, keystores, **env), encoding="utf-8", timeout=60,
                         dimensions=(50, 200))


def finish(child: pexpect.spawn) -> tuple[str, int]:
    """Everything the command still prints, and its exit status."""
    child.expect(pexpect.EOF)
    child.close()
    return ANSI.sub("", child.before), child.exitstatus


def run(platform, keystores: Path, *args: str, **env: str) -> tuple[str, int]:
    """A command that asks nothing (or takes its password from GOVCHAIN_WALLET_PASSWORD)."""
    return finish(spawn(platform, keystores, *args, **env))


def official(platform, name: str, role: str | None = "LEADER", region: int = VILLAGE) -> tuple[Path, str]:
    """A keystore folder holding one fresh account (made by the library: the CLI's create is tested in the
    flow), granted ``role`` over ``region``."""
    folder = platform.work / f"keys-{name}"
    entry = KeystoreFolder(folder).create(PASSWORD, name)
    if role:
        platform.grant(role, entry.address, region)
    return folder, entry.address


def sign(platform, keystores: Path, subject: int, out: Path, *extra: str) -> tuple[str, int]:
    return run(platform, keystores, "sign", hex(subject), "--out", str(out), "--yes", *extra,
               GOVCHAIN_WALLET_PASSWORD=PASSWORD)


def test_an_official_creates_a_keystore_signs_a_pending_registration_and_a_relay_approves_it(platform):
    keystores, signatures = platform.work / "keys-flow", platform.work / "signatures-flow"
    child = spawn(platform, keystores, "create", "--name", "village-leader")
    child.expect("New password: ")
    child.sendline(PASSWORD)
    child.expect("Repeat password: ")
    child.sendline(PASSWORD)
    created, status = finish(child)
    assert status == 0 and PASSWORD not in created  # typed without echo
    address = re.search(r"Created: (0x[0-9a-fA-F]{40})", created).group(1)
    platform.grant("LEADER", address, VILLAGE)
    subject = platform.file("household-0")

    listed, status = run(platform, keystores, "pending")
    assert status == 0 and "Pending approvals: 1" in listed and hex(subject) in listed
    assert "household registration" in listed and "level 1/3" in listed

    child = spawn(platform, keystores, "sign", hex(subject), "--out", str(signatures / "approval.json"))
    child.expect(r"as 0x[0-9a-fA-F]{40}\? \[y/N\] ")
    shown = ANSI.sub("", child.before)
    child.sendline("y")
    child.expect("Password for village-leader")
    child.sendline(PASSWORD)
    signed, status = finish(child)
    assert "类别 Kind: 贫困户建档立卡  household registration" in shown and "530102001001（村）" in shown
    assert "0x" + household_id("household-0").hex() in shown and "纳入  admit" in shown
    assert status == 0 and (signatures / "approval.json").exists()

    child = spawn(platform, keystores, "relay", str(signatures))
    child.expect("Password for village-leader")
    child.sendline(PASSWORD)
    relayed, status = finish(child)
    assert status == 0 and "applied" in relayed and "approval.json" in relayed
    assert "level 2 of 3" in relayed  # the township REVIEWER's level is next
    assert platform.hub.functions.hasApproved(subject, address).call()
    shown_after, _ = run(platform, keystores, "show", hex(subject), "--lang", "en")
    assert "Now: pending: level 2 of 3, needs 1 REVIEWER over 530102001000 (township), has 0" in shown_after
    waiting, _ = run(platform, keystores, "pending")
    assert "Pending approvals: 0" in waiting


def test_an_imported_private_key_is_typed_hidden_and_stored_encrypted(platform):
    from eth_account import Account

    keystores, account = platform.work / "keys-import", Account.create()
    child = spawn(platform, keystores, "import", "--name", "imported")
    child.expect("Private key")
    child.sendline("0x" + bytes(account.key).hex())
    child.expect("New password: ")
    child.sendline(PASSWORD)
    child.expect("Repeat password: ")
    child.sendline(PASSWORD)
    said, status = finish(child)
    assert status == 0 and f"Imported: {account.address}" in said and bytes(account.key).hex() not in said
    stored = (keystores / "imported.json").read_text()
    assert bytes(account.key).hex() not in stored
    assert KeystoreFolder(keystores).unlock(KeystoreFolder(keystores).find("imported"), PASSWORD).key == account.key


def test_a_wrong_password_signs_nothing(platform):
    keystores, address = official(platform, "wrong-password")
    subject, out = platform.file("household-1"), platform.work / "wrong-password.json"
    child = spawn(platform, keystores, "sign", hex(subject), "--out", str(out), "--yes")
    child.expect("Password for wrong-password")
    child.sendline("not the password")
    said, status = finish(child)
    assert status == 1 and "Wrong password for keystore wrong-password" in said and "Traceback" not in said
    assert not out.exists() and not platform.hub.functions.hasApproved(subject, address).call()


def test_a_node_on_another_chain_than_configured_is_refused(platform):
    keystores, _ = official(platform, "wrong-chain-node")
    said, status = run(platform, keystores, "pending", "--chain-id", "4242")
    assert status == 1 and "is on chain id 31337, but chain id 4242 was expected" in said


def test_a_signature_file_of_another_chain_is_held_back(platform):
    keystores, address = official(platform, "wrong-chain-file")
    subject, folder = platform.file("household-2"), platform.work / "signatures-wrong-chain"
    account = KeystoreFolder(keystores).unlock(KeystoreFolder(keystores).find(None), PASSWORD)
    nonce = platform.hub.functions.nonces(address).call()
    SignatureFile.sign(account.key, 4242, platform.hub.address, Approval(subject, 0, nonce, 2**40)).write(
        folder / "other-chain.json")
    said, status = run(platform, keystores, "relay", str(folder), GOVCHAIN_WALLET_PASSWORD=PASSWORD)
    assert status == 1 and "other-chain.json" in said
    assert "signed for chain id 4242, but the node is on chain id 31337 (wrong chain)" in said
    assert not platform.hub.functions.hasApproved(subject, address).call()


def test_an_official_without_the_levels_role_is_told_which_role_and_region(platform):
    keystores, _ = official(platform, "no-role", role="LEADER", region=530102002001)  # another township's village
    subject = platform.file("household-3")
    said, status = sign(platform, keystores, subject, platform.work / "no-role.json")
    assert status == 1 and not (platform.work / "no-role.json").exists()
    assert "holds no LEADER role for region 530102001001 (village), which level 1 of the household registration" in said
    assert "Its LEADER grants: 530102002001" in said


def test_an_expired_signature_is_skipped_by_the_hub_and_reported(platform):
    keystores, address = official(platform, "expired")
    subject, folder = platform.file("household-4"), platform.work / "signatures-expired"
    _, status = sign(platform, keystores, subject, folder / "late.json", "--valid-for", "60")
    assert status == 0
    platform.web3.provider.make_request("evm_increaseTime", [3600])
    platform.web3.provider.make_request("evm_mine", [])
    said, status = run(platform, keystores, "relay", str(folder), GOVCHAIN_WALLET_PASSWORD=PASSWORD)
    assert status == 1 and "skipped by the hub 被跳过 late.json: expired" in said
    assert not platform.hub.functions.hasApproved(subject, address).call()


def test_a_signature_relayed_a_second_time_is_skipped_by_the_hub_and_reported(platform):
    keystores, address = official(platform, "twice")
    subject, folder = platform.file("household-6"), platform.work / "signatures-twice"
    _, status = sign(platform, keystores, subject, folder / "once.json")
    first, first_status = run(platform, keystores, "relay", str(folder), GOVCHAIN_WALLET_PASSWORD=PASSWORD)
    again, status = run(platform, keystores, "relay", str(folder), GOVCHAIN_WALLET_PASSWORD=PASSWORD)
    assert first_status == 0 and "applied 已生效 once.json" in first
    assert status == 1 and "skipped by the hub 被跳过 once.json: nonce used up" in again
    assert platform.hub.functions.subjectOf(subject).call()[3] == 1  # moved on once, by the first relay


def test_an_official_returns_a_registration_for_revision_with_a_comment(platform):
    keystores, _ = official(platform, "returner")
    subject = platform.file("household-7")
    said, status = run(platform, keystores, "return", hex(subject), "--comment", "bafkreicomment", "--yes",
                       "--lang", "en", GOVCHAIN_WALLET_PASSWORD=PASSWORD)
    assert status == 0 and "Returned for revision in transaction 0x" in said and "Now: returned for revision" in said
    assert platform.hub.functions.subjectOf(subject).call()[5] == 2  # SubjectState.Returned


def test_an_official_rejects_a_registration(platform):
    keystores, _ = official(platform, "rejecter")
    subject = platform.file("household-8")
    said, status = run(platform, keystores, "reject", hex(subject), "--comment", "bafkreireason", "--yes",
                       "--lang", "en", GOVCHAIN_WALLET_PASSWORD=PASSWORD)
    assert status == 0 and "Rejected in transaction 0x" in said and "Now: rejected" in said
    assert platform.hub.functions.subjectOf(subject).call()[5] == 4  # SubjectState.Rejected


def test_a_decision_for_a_level_the_subject_has_left_is_refused(platform):
    keystores, _ = official(platform, "moved-on")
    subject = platform.file("household-5")
    _, status = run(platform, keystores, "approve", hex(subject), "--yes", GOVCHAIN_WALLET_PASSWORD=PASSWORD)
    assert status == 0 and platform.hub.functions.subjectOf(subject).call()[3] == 1  # now at hub level 1
    reviewer_keys, _ = official(platform, "reviewer-late", role="REVIEWER", region=TOWNSHIP)
    said, status = run(platform, reviewer_keys, "approve", hex(subject), "--level", "1", "--yes",
                       GOVCHAIN_WALLET_PASSWORD=PASSWORD)
    assert status == 1 and "is not pending at level 1: it stands at level 2 of 3" in said


def test_an_unreachable_node_is_named(platform):
    keystores, _ = official(platform, "no-node", role=None)
    said, status = run(platform, keystores, "show", "0x1", "--rpc-url", f"http://127.0.0.1:{free_port()}")
    assert status == 1 and "does not answer" in said and "Traceback" not in said


def submitted_plan(platform, category: int) -> tuple[object, int]:
    """A project plan of TOWNSHIP (300,000 yuan in three milestones) drafted and submitted by its department
    officer: (PlanRegistry, plan id)."""
    from orchestration.flow import demo_plan_terms

    web3, plans = platform.web3, Chain(platform.chain.network_config()).contract("PlanRegistry")
    department = web3.eth.accounts[4]
    platform.grant("DEPARTMENT", department, TOWNSHIP)
    now = web3.eth.get_block("latest")["timestamp"]
    web3.eth.wait_for_transaction_receipt(plans.functions.create(
        TOWNSHIP, 2, category, demo_plan_terms("PROJECT", now, "bafkreiplan")).transact({"from": department}))
    plan_id = plans.functions.planCount().call()
    web3.eth.wait_for_transaction_receipt(plans.functions.submit(plan_id).transact({"from": department}))
    return plans, plan_id


def test_a_plan_version_waiting_for_a_township_leader_is_listed_and_shown_with_its_type_and_budget(platform):
    plans, plan_id = submitted_plan(platform, 101)
    subject = plans.functions.versionSubject(plan_id, 1).call()
    keystores, _ = official(platform, "township-leader", role="LEADER", region=TOWNSHIP)

    listed, _ = run(platform, keystores, "pending", "--lang", "en")
    shown, status = run(platform, keystores, "show", hex(subject), "--lang", "en")
    assert hex(subject) in listed and "support plan version" in listed
    assert status == 0 and f"Plan: no. {plan_id}, version 1" in shown and "Support type: project" in shown
    assert "Category: 101" in shown and "Budget: CNY 300,000.00" in shown and "Region: 530102001000 (township)" in shown


def test_a_reported_milestone_is_shown_with_its_tranche_to_the_county_department(platform):
    web3, hub = platform.web3, platform.hub
    plans, plan_id = submitted_plan(platform, 102)
    version_subject = plans.functions.versionSubject(plan_id, 1).call()
    township_leader, county_leader, handler = web3.eth.accounts[6:9]
    platform.grant("LEADER", township_leader, TOWNSHIP)
    platform.grant("LEADER", county_leader, COUNTY)
    platform.grant("HANDLER", handler, TOWNSHIP)
    for level, approver in enumerate([township_leader, county_leader]):
        web3.eth.wait_for_transaction_receipt(
            hub.functions.approve(version_subject, level).transact({"from": approver}))
    web3.eth.wait_for_transaction_receipt(plans.functions.start(plan_id).transact({"from": web3.eth.accounts[4]}))
    web3.eth.wait_for_transaction_receipt(
        plans.functions.reportMilestone(plan_id, 1, "bafkreievidence").transact({"from": handler}))
    subject = plans.functions.milestoneSubject(plan_id, 1, 1).call()
    keystores, _ = official(platform, "county-department", role="DEPARTMENT", region=COUNTY)

    listed, _ = run(platform, keystores, "pending", "--lang", "en")
    shown, status = run(platform, keystores, "show", hex(subject), "--lang", "en")
    assert hex(subject) in listed and "plan milestone report" in listed
    assert status == 0 and f"Plan: no. {plan_id}" in shown and "Milestone: no. 2" in shown
    assert "Tranche amount: CNY 100,000.00" in shown and "Support type: project" in shown


def test_an_appropriation_is_shown_with_its_amount_to_the_county_leader(platform):
    web3 = platform.web3
    ledger = Chain(platform.chain.network_config()).contract("FundLedger")
    treasury = web3.eth.accounts[5]
    platform.grant("TREASURY", treasury, COUNTY)
    receipt = web3.eth.wait_for_transaction_receipt(ledger.functions.propose(
        COUNTY, 2026, b"rural-roads".ljust(32, b"\0"), 12_345_678, "bafkreibudget").transact({"from": treasury}))
    subject = ledger.events.AppropriationProposed().process_receipt(receipt, errors=DISCARD)[0]["args"]["subject"]
    keystores, _ = official(platform, "county-leader", role="LEADER", region=COUNTY)

    listed, _ = run(platform, keystores, "pending", "--lang", "en")
    shown, status = run(platform, keystores, "show", hex(subject))
    assert hex(subject) in listed and "appropriation" in listed
    assert status == 0 and "金额 Amount: 123,456.78 元  CNY 123,456.78" in shown
    assert "预算科目 Budget line: rural-roads" in shown and "年度 Year: 2026" in shown
