"""Step 5 of the demo: earmarked funds to the registered household, both ways (资金发放, 实际发放管理).

An appropriation recorded by the county treasury and approved by the county leader, minted; a fund plan of the
household's village drafted, approved and started; its funds linked, escrowed; its first milestone reported and
accepted, its tranche released; the household's wallet bound and its bank channel enrolled by the intake clerk;
one payment batch of two entries (to the wallet, and by bank) approved by the county treasury, settled, and the
bank's instruction confirmed. Every approval runs on the hub by an official holding the level's role.

The batch tree is built by the caller's ``tree_of`` (oracle.merkle's StandardMerkleTree.from_leaf_hashes): the
chain layer does not import the oracle.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from eth_utils import keccak
from web3 import Web3

from govchain import regions
from govchain.chain import Chain
from govchain.funds import Method, PaymentEntry, multiproof
from govchain.plans import REGISTERED, SupportType
from orchestration.flow import Actors, FlowError, Log, grant_roles, transact

YUAN = 100
BUDGET = 60_000 * YUAN
TRANCHE = 20_000 * YUAN
HOUSEHOLD_CAP = 3_000 * YUAN
WALLET_PAYMENT, BANK_PAYMENT = 1_200 * YUAN, 800 * YUAN


def demo_wallet(household_id: bytes) -> str:
    """The demo household's wallet: an address only, one per household (a wallet serves one household; it only
    receives here, a real one is the household's own)."""
    return Web3.to_checksum_address(keccak(b"govchain-demo-wallet" + household_id)[:20])


@dataclass
class Funding:
    plan_id: int = 0
    batch_id: int = 0
    wallet: str = ""
    wallet_balance: int = 0
    conserved: bool = False
    txs: dict[str, str] = field(default_factory=dict)


def fund_and_pay(chain: Chain, actors: Actors, household_id: bytes, village: int, county: int,
                 tree_of: Callable[[np.ndarray], object], log: Log = print) -> Funding:
    """Funds a plan of ``village`` and pays household ``household_id`` (registered there) to its wallet and by
    bank; returns what was done."""
    web3 = chain.web3
    roles, hub, plans, ledger, batches, token = (chain.contract(n) for n in (
        "RoleRegistry", "ApprovalHub", "PlanRegistry", "FundLedger", "PaymentBatches", "FundToken"))
    township = regions.ancestor_at(village, regions.RegionLevel.TOWNSHIP)
    # The plan step's officials (orchestration.flow.Actors): the department officer owns the plan and, for the county,
    # accepts milestones; the treasury records the appropriation and approves payments. Ten anvil accounts are
    # all taken, so the intake clerk also handles the plan's execution and the township reviewer stands for the
    # bank; separation of duties still holds on every subject (no one approves what they submitted).
    treasury, department, handler, bank = actors.treasury, actors.department, actors.clerk, actors.township_reviewer
    if not (treasury and department and actors.township_leader):
        raise FlowError(
            "The funds step needs the plan step's officials (Actors.department, township_leader, treasury)."
        )
    grant_roles(web3, roles, actors.admin, [
        ("TREASURY", treasury, county), ("DEPARTMENT", department, township), ("DEPARTMENT", department, county),
        ("HANDLER", handler, township), ("LEADER", actors.township_leader, township), ("BANK", bank, county),
    ], log)
    officials = [actors.township_leader, actors.county_leader, treasury, department, bank]
    done = Funding()

    def send(call, sender, what):
        done.txs[what] = transact(web3, call, sender, what)

    def walk(subject: int, region: int, what: str) -> None:
        for label, tx in actors.approve(web3, hub, roles, [(subject, region)], officials).items():
            done.txs[f"{what}: {label}"] = tx

    send(ledger.functions.propose(county, 2026, keccak(text="budget-line:2130505"), BUDGET, "bafkreidemoappropriation"),
         treasury, "propose appropriation (treasury)")
    appropriation = ledger.functions.appropriationCount().call()
    walk(ledger.functions.appropriationSubject(appropriation).call(), county, "appropriation")
    send(ledger.functions.mint(appropriation, BUDGET), treasury, "mint against the appropriation")

    terms = (BUDGET, "bafkreidemoplan", (REGISTERED, b"\x00" * 32, ""), [(keccak(text="kpi:income"), 1)],
             [(TRANCHE, 2_000_000_000 + i * 86_400, f"bafkreidemodeliverable{i}") for i in range(3)])
    send(plans.functions.create(village, SupportType.FUND, 101, terms), department, "draft fund plan")
    done.plan_id = plan_id = plans.functions.planCount().call()
    send(plans.functions.submit(plan_id), department, "submit plan")
    walk(plans.functions.versionSubject(plan_id, 1).call(), village, "plan")
    send(plans.functions.start(plan_id), department, "start plan")
    send(ledger.functions.linkPlan(plan_id, appropriation, HOUSEHOLD_CAP), treasury, "link plan to appropriation")
    send(ledger.functions.escrow(plan_id), handler, "escrow the budget")
    send(plans.functions.reportMilestone(plan_id, 0, "bafkreidemoevidence"), handler, "report milestone 0")
    walk(plans.functions.milestoneSubject(plan_id, 0, 1).call(), village, "milestone")
    send(ledger.functions.releaseTranche(plan_id, 0), handler, "release tranche 0")

    done.wallet = demo_wallet(household_id)
    send(batches.functions.bindWallet(household_id, done.wallet, "bafkreidemowallet"), actors.clerk, "bind wallet")
    send(batches.functions.enrolBank(household_id, "bafkreidemobank"), actors.clerk, "enrol bank channel")
    entries = [PaymentEntry(0, household_id, WALLET_PAYMENT, Method.WALLET),
               PaymentEntry(1, household_id, BANK_PAYMENT, Method.BANK)]
    tree = tree_of(np.frombuffer(b"".join(e.leaf_hash() for e in entries), dtype=np.uint8).reshape(-1, 32))
    send(batches.functions.openBatch(plan_id, 0, tree.root, 2, WALLET_PAYMENT + BANK_PAYMENT, "bafkreidemobatch"),
         handler, "open payment batch")
    done.batch_id = batch_id = batches.functions.batchCount().call()
    walk(batches.functions.batchSubject(batch_id).call(), village, "batch")
    order, nodes, flags = multiproof(tree.tree, tree.tree_index, range(2))
    args = [(entries[i].index, entries[i].household, entries[i].amount, int(entries[i].method)) for i in order]
    send(batches.functions.settle(batch_id, args, (nodes, flags), []), handler, "settle batch (wallet + bank)")
    bank_order, bank_nodes, bank_flags = multiproof(tree.tree, tree.tree_index, [1])
    send(batches.functions.confirmBank(batch_id, [args[order.index(1)]], (bank_nodes, bank_flags),
                                       keccak(text="demo bank settlement file")), bank, "bank confirms")
    done.wallet_balance = token.functions.balanceOf(done.wallet).call()
    done.conserved = ledger.functions.isConserved(plan_id).call() and ledger.functions.isConserved(0).call()
    return done


def funding_lines(funding: Funding) -> list[str]:
    rows = [("fund plan", str(funding.plan_id)), ("payment batch", str(funding.batch_id)),
            ("wallet balance", f"{funding.wallet_balance / YUAN:,.2f} yuan (wallet {funding.wallet})"),
            ("bank payment", f"{BANK_PAYMENT / YUAN:,.2f} yuan confirmed"),
            ("funds conserved", str(funding.conserved))]
    rows += [(f"tx {what}", tx) for what, tx in funding.txs.items()]
    width = max(len(label) for label, _ in rows)
    return [f"  {label:<{width}}  {value}" for label, value in rows]
