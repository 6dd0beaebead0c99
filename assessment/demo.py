"""`make demo`, step 8: execution, social participation and assessment on the demo chain (issue 11).

On the household the demo just registered: a material plan and a crowdfunding plan are drafted by a township
DEPARTMENT officer and approved on the hub; an appropriation is approved and minted, the material plan funded
and its first tranche released against an approved milestone; the household's wallet is bound. Then: a
procurement from a SUPPLIER (approved on the hub, paid from the released tranche when the goods are received),
a dispatch to the village and a delivery with the household's EIP-712 receipt; a follow-up visit; a crowdfunding
round (a BANK's on-ramp, a donation meeting the goal, the first tranche released and paid to the household); an
enterprise pledge of jobs and its fulfilment; and an assessment: the KPI table of the last 30 days computed from
chain events (assessment.kpis), its root committed by two ASSESSORs and recomputed from events alone.

Each run drafts new plans and commits a new period, so the demo can run again on the same chain. The demo's
officials are anvil's default accounts holding several roles each (a demo, not an organisation chart).
"""

from __future__ import annotations

from collections.abc import Callable

from eth_account import Account
from eth_utils import keccak

from assessment.kpis import CONTRACTS, Period, compute_kpis, kpi_root, read_events
from govchain import regions
from govchain.chain import Chain
from govchain.plans import REGISTERED, SupportType
from govchain.structs import read
from orchestration.flow import FlowError, anvil_account, approve_subjects, grant_roles, transact
from orchestration.keyring import anvil_dev_keyring

DAY = 86_400
YUAN = 100
TRANCHE = 100_000 * YUAN
KPI_CONTRACTS = CONTRACTS  # the contracts whose events the KPIs read (assessment.kpis owns the list)
# anvil's default accounts (orchestration.flow.Actors takes 0 to 6): who acts here.
DEPARTMENT, GRID_WORKER, TREASURY = 7, 8, 9
TOWNSHIP_LEADER_DISPATCHER, COUNTY_LEADER_BANK, ENTERPRISE_DONOR = 5, 6, 4
ASSESSORS_SUPPLIER = (1, 2)


def _grants(county: int, village: int) -> list[tuple[str, str, int]]:
    township = regions.ancestor_at(village, regions.RegionLevel.TOWNSHIP)
    a = lambda index: anvil_account(index).address  # noqa: E731
    return [
        ("DEPARTMENT", a(DEPARTMENT), township), ("HANDLER", a(DEPARTMENT), township),
        ("LEADER", a(TOWNSHIP_LEADER_DISPATCHER), township), ("DISPATCHER", a(TOWNSHIP_LEADER_DISPATCHER), township),
        ("BANK", a(COUNTY_LEADER_BANK), county), ("DEPARTMENT", a(GRID_WORKER), county),
        ("GRID_WORKER", a(GRID_WORKER), village), ("TREASURY", a(TREASURY), county),
        ("ENTERPRISE", a(ENTERPRISE_DONOR), village), ("SUPPLIER", a(ASSESSORS_SUPPLIER[1]), township),
        *[("ASSESSOR", a(i), county) for i in ASSESSORS_SUPPLIER],
    ]


def run_execution(chain: Chain, household: bytes, village: int, county: int, log: Callable[[str], None] = print
                  ) -> dict[str, str]:
    """Runs step 6 for registered ``household`` of ``village``; returns what was done (label → tx or value)."""
    web3 = chain.web3
    c = {name: chain.contract(name) for name in (
        "RoleRegistry", "ApprovalHub", "PlanRegistry", "FundLedger", "PaymentBatches", "MaterialSupply",
        "FollowUpVisits", "Crowdfunding", "FundToken", "SocialPledges", "AssessmentRegistry")}
    acct = lambda index: anvil_account(index).address  # noqa: E731
    admin = acct(0)
    grant_roles(web3, c["RoleRegistry"], admin, _grants(county, village), log)
    done: dict[str, str] = {}
    hub, plans, ledger = c["ApprovalHub"], c["PlanRegistry"], c["FundLedger"]

    def send(label, call, sender):
        done[label] = transact(web3, call, acct(sender) if isinstance(sender, int) else sender, label)
        return done[label]

    def returned(label, call, sender):
        value = call.call({"from": acct(sender)})
        send(label, call, sender)
        return value

    officials = [acct(i) for i in range(1, 10)]

    def walk(subject: int, region: int) -> None:
        """Approves `subject` to the end of its route, each level signed by a demo official holding the level's
        role and relayed by the administrator (orchestration.flow.approve_subjects, as the other steps do)."""
        for label, tx in approve_subjects(web3, hub, c["RoleRegistry"], [(subject, region)], officials,
                                          keyring=anvil_dev_keyring(), relayer=admin).items():
            done[f"subject {subject % 10**6}: {label}"] = tx

    def terms():
        return (500_000 * YUAN, "bafkreidemoplan", (REGISTERED, b"\x00" * 32, ""), [(keccak(text="kpi:income"), 40)],
                [(TRANCHE, 2_000_000_000 + i * DAY, f"bafkreideliverable{i}") for i in range(3)])

    plan_ids = {}
    for support in (SupportType.MATERIAL, SupportType.CROWDFUNDING):
        plan_id = returned(f"{support.name.lower()} plan drafted", plans.functions.create(
            village, int(support), 101, terms()), DEPARTMENT)
        walk(returned(f"{support.name.lower()} plan submitted", plans.functions.submit(plan_id), DEPARTMENT), village)
        send(f"{support.name.lower()} plan started", plans.functions.start(plan_id), DEPARTMENT)
        walk(returned(f"{support.name.lower()} milestone 0 reported",
                      plans.functions.reportMilestone(plan_id, 0, "bafkreidemoevidence"), DEPARTMENT), village)
        plan_ids[support] = plan_id
    plan_id = plan_ids[SupportType.MATERIAL]
    log(f"  plans {plan_ids[SupportType.MATERIAL]} (material) and {plan_ids[SupportType.CROWDFUNDING]} "
        f"(crowdfunding) approved, executing, first milestones approved")

    appropriation = returned("appropriation proposed", ledger.functions.propose(
        county, 2026, keccak(text="budget-line:2130505"), 1_000_000 * YUAN, "bafkreidemoappropriation"), TREASURY)
    walk(ledger.functions.appropriationSubject(appropriation).call(), county)
    send("appropriation minted", ledger.functions.mint(appropriation, 1_000_000 * YUAN), TREASURY)
    send("material plan linked", ledger.functions.linkPlan(plan_id, appropriation, 2_000 * YUAN), TREASURY)
    send("material plan escrowed", ledger.functions.escrow(plan_id), DEPARTMENT)
    send("tranche 0 released", ledger.functions.releaseTranche(plan_id, 0), DEPARTMENT)
    # The household's wallet (one per household): a demo key derived from its id, which only signs receipts. When
    # an earlier step bound another wallet (an address without a key here), the grid worker attests instead.
    wallet = Account.from_key(keccak(b"govchain-demo-wallet:" + household))
    payments = c["PaymentBatches"]
    bound = read(payments.functions.bindingOf(household)).wallet
    if int(bound, 16) == 0:
        send("wallet bound", payments.functions.bindWallet(household, wallet.address, "bafkreidemowallet"), 3)
        bound = wallet.address
    signs = bound.lower() == wallet.address.lower()

    # Materials: procurement, stock, dispatch, delivery with the household's signed receipt.
    supply = c["MaterialSupply"]
    if supply.functions.unitOf(1).call() == b"\x00" * 32:
        send("material kind defined", supply.functions.defineKind(b"bag".ljust(32, b"\0"), "bafkreidemobag"), admin)
    township = regions.ancestor_at(village, regions.RegionLevel.TOWNSHIP)
    procurement = returned("procurement proposed", supply.functions.propose(
        plan_id, 1, township, acct(ASSESSORS_SUPPLIER[1]), 200, 50 * YUAN, "bafkreidemoinvoice"), DEPARTMENT)
    walk(supply.functions.procurementSubject(procurement).call(), township)
    send("goods received, supplier paid", supply.functions.receiveGoods(procurement, "bafkreidemoreceipt"),
         TOWNSHIP_LEADER_DISPATCHER)
    dispatch = returned("dispatched to the village", supply.functions.dispatch(procurement, village, 20),
                        TOWNSHIP_LEADER_DISPATCHER)
    if signs:
        signature = Account.sign_typed_data(
            wallet.key,
            {"name": "GovChain MaterialSupply", "version": "1", "chainId": web3.eth.chain_id,
             "verifyingContract": supply.address},
            {"MaterialReceipt": [{"name": "dispatchId", "type": "uint256"}, {"name": "row", "type": "uint8"},
                                 {"name": "household", "type": "bytes32"}, {"name": "quantity", "type": "uint64"}]},
            {"dispatchId": dispatch, "row": 0, "household": household, "quantity": 2}).signature
        send("delivered with signed receipt", supply.functions.deliver(dispatch, 0, household, 2, bytes(signature), ""),
             GRID_WORKER)
    else:
        send("delivered, receipt attested", supply.functions.deliver(dispatch, 0, household, 2, b"",
                                                                     "bafkreidemosignedform"), GRID_WORKER)
    log(f"  delivery to household 0x{household.hex()[:12]}..., receipt "
        f"{'signed by its wallet (EIP-712)' if signs else 'attested by the grid worker with evidence'}")
    balance = supply.functions.balanceOf(plan_id, 1).call()
    log(f"  materials of plan {plan_id}: procured {balance[3]} = in stock {balance[2]} + in transit {balance[0]} "
        f"+ delivered {balance[1]} + lost {balance[4]}")

    # A follow-up visit.
    now = web3.eth.get_block("latest")["timestamp"]
    send("follow-up visit", c["FollowUpVisits"].functions.recordVisit(household, plan_id, now, 4, 0,
                                                                        "bafkreidemovisit"), GRID_WORKER)

    # Crowdfunding round: on-ramp, donation meeting the goal, tranche released and paid to the household.
    crowd, token = c["Crowdfunding"], c["FundToken"]
    campaign = returned("campaign opened", crowd.functions.open(plan_ids[SupportType.CROWDFUNDING], TRANCHE,
                                                                now + 30 * DAY), DEPARTMENT)
    send(
        "bank on-ramp",
        crowd.functions.credit(acct(ENTERPRISE_DONOR), TRANCHE, county, keccak(text=f"demo:{campaign}")),
        COUNTY_LEADER_BANK,
    )
    send("donor approves", token.functions.approve(crowd.address, TRANCHE), ENTERPRISE_DONOR)
    send("donation", crowd.functions.donate(campaign, TRANCHE), ENTERPRISE_DONOR)
    send("crowdfunded tranche released", crowd.functions.releaseTranche(campaign, 0), ENTERPRISE_DONOR)
    send("crowdfunded payment", crowd.functions.pay(campaign, household, 500 * YUAN), DEPARTMENT)
    raised, released, refunded, held = crowd.functions.balanceOf(campaign).call()
    log(f"  campaign {campaign}: raised {raised} = released {released} + refunded {refunded} + held {held} (fen)")

    # An enterprise pledge of jobs, fulfilled.
    pledges = c["SocialPledges"]
    pledge = returned("enterprise pledge", pledges.functions.pledge(plan_id, 2, 10, now + 60 * DAY,
                                                                    "bafkreidemopledge"), ENTERPRISE_DONOR)
    send("pledge fulfilled", pledges.functions.confirmFulfilment(pledge, 10, "bafkreidemocontracts"), DEPARTMENT)

    # Assessment of the last 30 days, from events, committed by two assessors and recomputed.
    # The period ends after everything above: a second passes, so the last events are before its end.
    web3.provider.make_request("evm_increaseTime", [1])
    web3.provider.make_request("evm_mine", [])
    end = web3.eth.get_block("latest")["timestamp"]
    period = Period(end - 30 * DAY, end)
    contracts = {name: (chain.address_of(name), chain.contract(name).abi) for name in KPI_CONTRACTS}
    timestamps: dict[int, int] = {}  # block → timestamp, shared by the two reads below
    rows = compute_kpis(read_events(web3, contracts, timestamps=timestamps), period)
    root = kpi_root(rows)
    registry = c["AssessmentRegistry"]
    for assessor in ASSESSORS_SUPPLIER:
        send(f"assessment committed by assessor {assessor}", registry.functions.commitAssessment(
            county, period.start, period.end, root, len(rows), "bafkreidemomethod", "bafkreidemoresults"), assessor)
    committed = read(registry.functions.assessmentOf(
        registry.functions.assessmentId(county, period.start, period.end).call())).root
    again = kpi_root(compute_kpis(read_events(web3, contracts, timestamps=timestamps), period))
    if committed != again:
        raise FlowError("The committed assessment root differs from the one recomputed from events.")
    for row in [r for r in rows if (r.entity, r.entity_id) in (("region", village), ("plan", plan_id))]:
        log(f"  KPI {row.entity} {row.entity_id} {row.kpi} = {row.value}")
    log(f"  assessment root 0x{root.hex()} ({len(rows)} rows) committed by 2 assessors; recomputed from events: "
        "identical")
    return done
