"""Gas of the earmarked funds: appropriations, tranche releases, payment batches to wallets and bank
instructions and their confirmation, and the size of the fund contracts, on a local anvil with the platform
deployed by govchain.deploy.

usage: python benchmarks/gas_funds.py [--households N]

Registers N (default 100) households of one village under monitoring (one proof each, the registry's one-step
status), funds a fund plan that admits them (appropriation approved and minted, plan approved, escrowed, first
milestone approved, tranche released), then pays a batch of N entries, each the household's first payment, to
fresh wallets bound by the intake clerk; instructs a second batch of N households paid by bank (their bank
channels enrolled by the clerk, as a wallet is bound), and has the bank confirm it. Each batch is settled in one
call with one multiproof for all its entries. Figures are the gas used by the whole transaction (21,000 base
included) as the receipt reports it; per-household figures divide the batch's transaction by N.

The plan requires a follow-up visit within 30 days of each payment, so each batch also opens its visit duty
(issue 11; FollowUpVisits.noteBatchService), included in the figures.

Targets (issue 10): payment_gas_per_household <= 50,000 (batch of 100, first payments, fresh wallets);
bank_instruction_gas_per_household <= 30,000; bank_confirm_gas_per_household, appropriation_gas (proposing
one: the subject opened on the hub) and release_tranche_gas printed. The last line printed is one JSON object
with those keys, the fund contracts' sizes under "contract_bytes" and every measurement under "details".
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from govchain.localnode import use_project_tools  # noqa: E402

use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand

from brownie import project  # noqa: E402
from brownie._config import CONFIG  # noqa: E402
from eth_utils import keccak  # noqa: E402

from govchain.brownie_session import connected  # noqa: E402
from govchain.deploy import NodeAccountSender, Settings, deploy_platform  # noqa: E402
from govchain.eligibility import Decision, EligibilityLeaf, LeafDetails  # noqa: E402
from govchain.funds import Method, PaymentEntry, multiproof  # noqa: E402
from govchain.localnode import free_port  # noqa: E402
from govchain.plans import UNDER_MONITORING, SupportType  # noqa: E402
from govchain.roles import ROLE_BY_ID, ROLE_IDS  # noqa: E402
from oracle.merkle import EligibilityTree, StandardMerkleTree  # noqa: E402

COUNTY = 530102000000
TOWNSHIP = 530102001000
VILLAGE = 530102001001
DAY = 86400
YUAN = 100


# The as-of time of the benchmark's eligibility data (2026-06-01), any past second will do.
AS_OF = 1_780_272_000

def progress(message: str) -> None:
    print(message, flush=True)


def batch_tree(entries: list[PaymentEntry]) -> StandardMerkleTree:
    hashes = np.frombuffer(b"".join(entry.leaf_hash() for entry in entries), dtype=np.uint8).reshape(-1, 32)
    return StandardMerkleTree.from_leaf_hashes(hashes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=100)
    args = parser.parse_args()
    proj = project.load(PROJECT_ROOT, name="GasFunds")
    proj.load_config()
    CONFIG.networks["development"]["cmd_settings"]["port"] = free_port()
    with connected("development"):
        figures, sizes = measure(proj, args.households)
    n = args.households
    summary = {
        "payment_gas_per_household": figures["settle_wallet_batch"] // n,
        "bank_instruction_gas_per_household": figures["settle_bank_batch"] // n,
        "bank_confirm_gas_per_household": figures["confirm_bank_batch"] // n,
        "appropriation_gas": figures["propose_appropriation"],
        "release_tranche_gas": figures["release_tranche"],
        "households_per_batch": n,
        "contract_bytes": sizes,
        "details": figures,
    }
    progress(json.dumps(summary))


def measure(proj, n: int) -> tuple[dict[str, int], dict[str, int]]:
    from brownie import accounts, chain, web3

    figures: dict[str, int] = {}

    def record(name: str, gas: int, note: str = "") -> None:
        figures[name] = gas
        progress(f"{name:<26} {gas:>10,} gas  {note}")

    admin = accounts[0]
    names = ["oracle_a", "oracle_b", "clerk", "department", "handler", "township_leader", "county_leader",
             "treasury", "county_department", "bank"]
    # anvil unlocks ten accounts; the others are made here and funded by the admin.
    people = {name: accounts[i + 1] if i + 1 < len(accounts) else accounts.add() for i, name in enumerate(names)}
    for account in people.values():
        if account.balance() == 0:
            admin.transfer(account, "10 ether")
    platform = deploy_platform(web3, NodeAccountSender(web3, admin.address),
                               Settings(oracle_quorum=2, notice_period=5 * DAY, transition_period=365 * DAY))
    contracts = {name: getattr(proj, name).at(address) for name, address in platform.addresses.items()}
    roles, eligibility, hub = contracts["RoleRegistry"], contracts["EligibilityRegistry"], contracts["ApprovalHub"]
    registry, plans, ledger, batches = (contracts[name] for name in
                                        ("HouseholdRegistry", "PlanRegistry", "FundLedger", "PaymentBatches"))
    sizes = {name: len(web3.eth.get_code(platform.addresses[name]))
             for name in ("FundToken", "FundLedger", "PaymentBatches")}
    for name, size in sizes.items():
        progress(f"{name + ' size':<26} {size:>10,} bytes")
    grants = [("ORACLE", "oracle_a", COUNTY), ("ORACLE", "oracle_b", COUNTY), ("INTAKE_CLERK", "clerk", VILLAGE),
              ("DEPARTMENT", "department", TOWNSHIP), ("HANDLER", "handler", TOWNSHIP),
              ("LEADER", "township_leader", TOWNSHIP), ("LEADER", "county_leader", COUNTY),
              ("TREASURY", "treasury", COUNTY), ("DEPARTMENT", "county_department", COUNTY), ("BANK", "bank", COUNTY)]
    for role, name, region in grants:
        roles.grantRoleIn(ROLE_IDS[role], people[name], region, {"from": admin})
    # Who approves a level (role, region level) of the default routes.
    level_of = {COUNTY: 3, TOWNSHIP: 4, VILLAGE: 5}
    approvers = {(role, level_of[region]): people[name] for role, name, region in grants
                 if name not in ("department", "handler", "clerk", "oracle_a", "oracle_b")}

    def walk(subject: int) -> None:
        _, route = hub.route(hub.subjectOf(subject)["routeId"])
        for index, (role_id, region_level, _, _) in enumerate(route):
            hub.approve(subject, index, {"from": approvers[(ROLE_BY_ID[bytes(role_id)], region_level)]})

    # 2n households of VILLAGE under monitoring.
    progress(f"putting {2 * n} households under monitoring")
    ids = [keccak(text=f"bench-household-{i}") for i in range(2 * n)]
    tree = EligibilityTree.of(
        [EligibilityLeaf(h, VILLAGE, Decision.MONITOR, LeafDetails(1, 5000, keccak(h)).commitment()) for h in ids]
    )
    batch_id = b"\x07" * 32
    for oracle in ("oracle_a", "oracle_b"):
        eligibility.commitBatch(batch_id, COUNTY, tree.root, "bafkreimanifest", b"\x01" * 32, b"\x02" * 32,
                                AS_OF, len(tree), {"from": people[oracle]})
    for i in range(2 * n):
        registry.enterMonitoring(batch_id, tree.leaf(i).values(), tree.proof(i), {"from": people["clerk"]})

    progress("funding a plan")
    tx = ledger.propose(COUNTY, 2026, keccak(text="budget-line:2130505"), 10_000_000 * YUAN, "bafkreiappropriation",
                        {"from": people["treasury"]})
    record("propose_appropriation", tx.gas_used, "(subject opened on the hub)")
    appropriation = tx.return_value
    walk(ledger.appropriationSubject(appropriation))
    record("mint", ledger.mint(appropriation, 10_000_000 * YUAN, {"from": people["treasury"]}).gas_used)
    budget = 1_000_000 * YUAN
    terms = (budget, "bafkreiplan", (UNDER_MONITORING, b"\x00" * 32, ""), [(keccak(text="kpi"), 1)],
             [(budget // 2, 2_000_000_000, "bafkreideliverable0"), (budget // 2, 2_000_086_400, "bafkreideliverable1")])
    plan_id = plans.create(VILLAGE, SupportType.FUND, 101, terms, {"from": people["department"]}).return_value
    walk(plans.submit(plan_id, {"from": people["department"]}).return_value)
    plans.start(plan_id, {"from": people["department"]})
    # The plan requires a follow-up visit within 30 days of each payment (issue 11): every batch settled below
    # opens its visit duty (one record a batch, not one a household), the worst case of a payment.
    contracts["FollowUpVisits"].setVisitWindow(plan_id, 30, {"from": people["department"]})
    record("link_plan", ledger.linkPlan(plan_id, appropriation, 5_000 * YUAN, {"from": people["treasury"]}).gas_used)
    record("escrow", ledger.escrow(plan_id, {"from": people["handler"]}).gas_used)
    walk(plans.reportMilestone(plan_id, 0, "bafkreievidence", {"from": people["handler"]}).return_value)
    record("release_tranche", ledger.releaseTranche(plan_id, 0, {"from": people["handler"]}).gas_used)

    # Fresh addresses (no keys needed: they only receive).
    wallets = [web3.to_checksum_address(keccak(text=f"bench-wallet-{i}")[:20]) for i in range(n)]
    for household, wallet in zip(ids[:n], wallets):
        tx = batches.bindWallet(household, wallet, "bafkreiwalletevidence", {"from": people["clerk"]})
    record("bind_wallet", tx.gas_used, "(the last of them)")
    for household in ids[n:]:
        tx = batches.enrolBank(household, "bafkreibankevidence", {"from": people["clerk"]})
    record("enrol_bank", tx.gas_used, "(the last of them)")

    def settle(entries: list[PaymentEntry], label: str):
        tree = batch_tree(entries)
        total = sum(entry.amount for entry in entries)
        tx = batches.openBatch(
            plan_id, 0, tree.root, len(entries), total, "bafkreimanifest", {"from": people["handler"]}
        )
        record(f"open_{label}", tx.gas_used)
        batch = tx.return_value
        walk(batches.batchSubject(batch))
        order, nodes, flags = multiproof(tree.tree, tree.tree_index, range(len(entries)))
        args = [(entries[i].index, entries[i].household, entries[i].amount, int(entries[i].method)) for i in order]
        tx = batches.settle(batch, args, (nodes, flags), [], {"from": people["handler"]})
        record(f"settle_{label}", tx.gas_used, f"({tx.gas_used // len(entries):,} per household; multiproof of "
                                                 f"{len(nodes)} nodes)")
        return batch, args, (nodes, flags), tree

    wallet_entries = [PaymentEntry(i, h, 1_000 * YUAN + i, Method.WALLET) for i, h in enumerate(ids[:n])]
    paid, _, _, paid_tree = settle(wallet_entries, "wallet_batch")
    # A grid worker's visit of a paid household, proving its entry: fulfils its part of the batch's visit duty.
    grid_worker = accounts.add()
    admin.transfer(grid_worker, "1 ether")
    contracts["RoleRegistry"].grantRoleIn(ROLE_IDS["GRID_WORKER"], grid_worker, VILLAGE, {"from": admin})
    chain.sleep(60)
    chain.mine()
    entry = wallet_entries[n // 2]
    tx = contracts["FollowUpVisits"].recordPaymentVisit(
        batches, paid, (entry.index, entry.household, entry.amount, int(entry.method)), paid_tree.proof(n // 2),
        chain.time() - 30, 4, 0, "bafkreivisitphoto", {"from": grid_worker})
    record("payment_visit", tx.gas_used, "(a visit proving its entry in a paid batch; issue 11 target <= 60,000)")
    batch, args, proof, _ = settle([PaymentEntry(i, h, 1_000 * YUAN + i, Method.BANK) for i, h in enumerate(ids[n:])],
                         "bank_batch")
    tx = batches.confirmBank(batch, args, proof, b"\x09" * 32, {"from": people["bank"]})
    record("confirm_bank_batch", tx.gas_used, f"({tx.gas_used // n:,} per household)")
    assert ledger.isConserved(plan_id) and ledger.isConserved(0)
    return figures, sizes


if __name__ == "__main__":
    main()
