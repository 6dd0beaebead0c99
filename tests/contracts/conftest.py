"""Fixtures for contract tests: deployments on brownie's local anvil, and named accounts."""

import pytest

from govchain.deploy import NodeAccountSender, Settings, deploy_platform
from govchain.roles import ROLE_IDS

# Region codes of a small county used throughout the contract tests (12-digit statistical codes).
PROVINCE = 530000000000
CITY = 530100000000
COUNTY = 530102000000
TOWNSHIP = 530102001000
VILLAGE = 530102001001
OTHER_VILLAGE_SAME_TOWNSHIP = 530102001002
OTHER_TOWNSHIP_VILLAGE = 530102002001
OTHER_COUNTY_VILLAGE = 530103001001


@pytest.fixture(scope="module")
def admin(accounts):
    return accounts[0]


@pytest.fixture(scope="module")
def platform(admin, web3):
    """The platform as govchain.deploy deploys it, with the tests' periods and routes (see TEST_ROUTES)."""
    # Plan and milestone routes come from the plans' own fixture (plan_routes), so the hub's route ids here are
    # those of TEST_ROUTES alone.
    settings = Settings(oracle_quorum=2, notice_period=NOTICE_PERIOD, transition_period=TRANSITION_PERIOD,
                        routes=TEST_ROUTES, banded_routes={}, batch_scope_levels=TEST_SCOPE_LEVELS)
    return deploy_platform(web3, NodeAccountSender(web3, admin.address), settings)


@pytest.fixture(scope="module")
def role_registry(RoleRegistry, platform):
    return RoleRegistry.at(platform.addresses["RoleRegistry"])


@pytest.fixture(scope="module")
def approval_hub(ApprovalHub, platform):
    return ApprovalHub.at(platform.addresses["ApprovalHub"])


@pytest.fixture(scope="module")
def role():
    """Role name → bytes32 id, as the contracts compute it."""
    return ROLE_IDS


# --- eligibility, approvals and the household registry (issue 3) ------------------------------------------

from types import SimpleNamespace  # noqa: E402

from brownie.network.account import Account as _BrownieAccount  # noqa: E402
from eth_utils import keccak  # noqa: E402

from govchain.eligibility import Decision, EligibilityLeaf, LeafDetails  # noqa: E402
from govchain.enums import HouseholdStatus, Outcome, ProcedureKind, SubjectState  # noqa: E402
from oracle.merkle import EligibilityTree  # noqa: E402

DAY = 86400
NOTICE_PERIOD = 5 * DAY
TRANSITION_PERIOD = 365 * DAY
LEVEL_TIMEOUT = 3 * DAY
# RegionCode levels.
COUNTY_LEVEL, TOWNSHIP_LEVEL, VILLAGE_LEVEL = 3, 4, 5
# Batches of the tests are scoped at these levels (a deployment's own default: counties only).
TEST_SCOPE_LEVELS = (COUNTY_LEVEL, TOWNSHIP_LEVEL, VILLAGE_LEVEL)
# Route kinds of the household registry (IHouseholdRegistry.ProcedureKind).
REGISTRATION, EXIT = ProcedureKind.REGISTRATION, ProcedureKind.EXIT
# Registration: village LEADER 1, township LEADER 2 of 2, county LEADER 1; exit: township REVIEWER 1, county
# LEADER 1 (no timeout). Route ids 1 and 2 on the hub.
TEST_ROUTES = {
    REGISTRATION: [("LEADER", VILLAGE_LEVEL, 1, LEVEL_TIMEOUT), ("LEADER", TOWNSHIP_LEVEL, 2, LEVEL_TIMEOUT),
                   ("LEADER", COUNTY_LEVEL, 1, LEVEL_TIMEOUT)],
    EXIT: [("REVIEWER", TOWNSHIP_LEVEL, 1, LEVEL_TIMEOUT), ("LEADER", COUNTY_LEVEL, 1, 0)],
}
# IApprovalHub.SubjectState and Outcome; IHouseholdRegistry.Status (govchain.enums, checked against the contracts).
NONE, PENDING, RETURNED, APPROVED, REJECTED = SubjectState
SUBMITTED, O_APPROVED, ADVANCED, COMPLETED, O_RETURNED, RESUBMITTED, O_REJECTED, ESCALATED, O_CLOSED = Outcome
H_NONE, H_REGISTERED, H_EXITED, H_MONITORING = HouseholdStatus


def err(name: str, *args) -> str:
    """The revert string brownie decodes from a custom error, args formatted as brownie shows them."""

    def fmt(value):
        if isinstance(value, _BrownieAccount) or hasattr(value, "address"):
            return value.address.lower()
        if isinstance(value, str) and value.startswith("0x") and len(value) == 42:
            return value.lower()
        if isinstance(value, (bytes, bytearray)):
            return repr(bytes(value))
        return str(value)

    return f"{name}: {', '.join(fmt(a) for a in args)}"


def household_id(name: str) -> bytes:
    """A pseudonymous household id for tests (the real one is a keyed hash, see oracle/)."""
    return keccak(text=f"household:{name}")


class CommittedBatch:
    """An eligibility batch built with oracle.merkle and committed on chain."""

    def __init__(self, batch_id: bytes, scope: int, leaves: list[EligibilityLeaf], as_of: int | None = None):
        """`as_of`: the time the batch's data describe, which orders batches; by default the time of a block mined
        now (so data built after a `chain.sleep` are newer, and never in the future of the commits that follow)."""
        from brownie import chain

        self.id = batch_id
        self.scope = scope
        self.tree = EligibilityTree.of(leaves)
        self.root = self.tree.root
        if as_of is None:
            chain.mine()
            as_of = chain[-1].timestamp
        self.as_of = as_of

    def commit_args(self, manifest_cid: str = "bafkreimanifest", model: bytes = b"\x01" * 32,
                    as_of: int | None = None):
        as_of = self.as_of if as_of is None else as_of
        return (self.id, self.scope, self.root, manifest_cid, model, b"\x02" * 32, as_of, len(self.tree))

    def commit(self, eligibility, oracles):
        for oracle in oracles:
            eligibility.commitBatch(*self.commit_args(), {"from": oracle})
        return self

    def proof(self, name: str):
        """(leaf tuple, proof) of household `name` in this batch, as the contracts take them."""
        leaf, proof = self.tree.proof_for(household_id(name))
        return leaf.values(), proof


@pytest.fixture(scope="module")
def officials(accounts, admin, role_registry, role):
    """Named officials of the test county, each granted their role.

    oracles ORACLE over the county; clerk INTAKE_CLERK over VILLAGE; village_leader, township_leaders (two),
    county_leader LEADER at their level; reviewer REVIEWER over the township; other_clerk INTAKE_CLERK over
    OTHER_VILLAGE_SAME_TOWNSHIP; outsider holds nothing; signers are key-holding LEADERs of the township for
    EIP-712 approvals (not funded: they only sign).
    """
    extra = [accounts.add() for _ in range(2)]
    for account in extra:
        admin.transfer(account, "10 ether")
    people = SimpleNamespace(
        oracles=[accounts[1], accounts[2], accounts[3]],
        clerk=accounts[4],
        village_leader=accounts[5],
        township_leaders=[accounts[6], accounts[7]],
        county_leader=accounts[8],
        reviewer=accounts[9],
        other_clerk=extra[0],
        outsider=extra[1],
        signers=[accounts.add() for _ in range(3)],
    )
    grants = [(role["ORACLE"], oracle, COUNTY) for oracle in people.oracles] + [
        (role["INTAKE_CLERK"], people.clerk, VILLAGE),
        (role["LEADER"], people.village_leader, VILLAGE),
        (role["LEADER"], people.township_leaders[0], TOWNSHIP),
        (role["LEADER"], people.township_leaders[1], TOWNSHIP),
        (role["LEADER"], people.county_leader, COUNTY),
        (role["REVIEWER"], people.reviewer, TOWNSHIP),
        (role["INTAKE_CLERK"], people.other_clerk, OTHER_VILLAGE_SAME_TOWNSHIP),
    ] + [(role["LEADER"], signer, TOWNSHIP) for signer in people.signers]
    for role_id, account, region in grants:
        role_registry.grantRoleIn(role_id, account, region, {"from": admin})
    return people


@pytest.fixture(scope="module")
def eligibility(EligibilityRegistry, platform, officials):
    """The eligibility registry, needing 2 of the 3 county oracles."""
    return EligibilityRegistry.at(platform.addresses["EligibilityRegistry"])


# Households of the first batch (all in the county): name → (village, decision).
FIRST_BATCH = {
    "admitted": (VILLAGE, Decision.ADMIT),
    "admitted-2": (VILLAGE, Decision.ADMIT),
    "neighbour": (OTHER_VILLAGE_SAME_TOWNSHIP, Decision.ADMIT),
    "watched": (VILLAGE, Decision.MONITOR),
    "unchanged": (VILLAGE, Decision.NONE),
    "exiting-early": (VILLAGE, Decision.EXIT),
    "township-code": (TOWNSHIP, Decision.ADMIT),
}
# Outside the county scope of the batches.
OUTSIDE_BATCH = {"elsewhere": (OTHER_COUNTY_VILLAGE, Decision.ADMIT)}


def make_leaves(households: dict) -> list[EligibilityLeaf]:
    return [
        EligibilityLeaf(
            household_id(name), region, decision, LeafDetails(0b101, 4200 + i, keccak(text=f"salt:{name}")).commitment()
        )
        for i, (name, (region, decision)) in enumerate(households.items())
    ]


@pytest.fixture(scope="module")
def first_batch(eligibility, officials):
    """The first final batch of the county: FIRST_BATCH and OUTSIDE_BATCH households, committed by 2 oracles."""
    batch = CommittedBatch(keccak(text="batch-2026-11"), COUNTY, make_leaves({**FIRST_BATCH, **OUTSIDE_BATCH}))
    return batch.commit(eligibility, officials.oracles[:2])


@pytest.fixture(scope="module")
def household_registry(HouseholdRegistry, platform, first_batch):
    """The registry, a client of the hub with the routes of TEST_ROUTES."""
    return HouseholdRegistry.at(platform.addresses["HouseholdRegistry"])


# brownie 1.22.2's `state_machine` fixture fails on every run (its compiled brownie/test/stateful module rejects
# the machine class); the pure-Python stateful.py shipped beside it works, loaded on its own.
def _load_pure_python_stateful():
    import importlib.util
    from pathlib import Path

    import brownie.test

    path = Path(brownie.test.__file__).parent / "stateful.py"
    spec = importlib.util.spec_from_file_location("tests.contracts._brownie_stateful", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_stateful = _load_pure_python_stateful()


@pytest.fixture
def state_machine():
    """Runs a brownie rules class as a hypothesis state machine (see _load_pure_python_stateful)."""
    return _stateful.state_machine


# --- plans, supervision and disclosure (issue 9) ----------------------------------------------------------

from govchain.deploy import DEFAULT_BANDED_ROUTES, YUAN, define_banded_routes  # noqa: E402
from govchain.plans import REGISTERED  # noqa: E402

CITY_LEVEL = 2
OTHER_TOWNSHIP = 530102002000
DOCUMENT_CID = "bafkreiplandocument"
INDICATOR = keccak(text="kpi:households-with-income-above-line")


@pytest.fixture(scope="module")
def plan_routes(platform, admin):
    """The platform's default plan and milestone routes (govchain.deploy.DEFAULT_BANDED_ROUTES), defined after
    TEST_ROUTES; returns the route ids of each (kind, support type), band by band."""
    return define_banded_routes(platform, NodeAccountSender(platform.web3, admin.address), DEFAULT_BANDED_ROUTES)


@pytest.fixture(scope="module")
def plan_officials(accounts, admin, role_registry, role, officials):
    """Officials of plans, supervision and disclosure, beside `officials` (whose township_leaders[0] and
    county_leader approve plans on the default routes).

    department DEPARTMENT over TOWNSHIP (owns the plans), other_department DEPARTMENT over TOWNSHIP too, handler
    HANDLER over TOWNSHIP, treasury TREASURY over COUNTY, county_department DEPARTMENT over
    COUNTY (accepts milestones), city_leader LEADER over CITY, supervisors SUPERVISOR over VILLAGE, TOWNSHIP,
    COUNTY and OTHER_TOWNSHIP, analyst ANALYST over COUNTY.
    """
    names = ["department", "other_department", "handler", "treasury", "county_department", "city_leader",
             "village_supervisor", "township_supervisor", "county_supervisor", "other_supervisor", "analyst"]
    people = SimpleNamespace(**{name: accounts.add() for name in names})
    for name in names:
        admin.transfer(getattr(people, name), "10 ether")
    grants = [
        ("DEPARTMENT", people.department, TOWNSHIP),
        ("DEPARTMENT", people.other_department, TOWNSHIP),
        ("HANDLER", people.handler, TOWNSHIP),
        ("TREASURY", people.treasury, COUNTY),
        ("DEPARTMENT", people.county_department, COUNTY),
        ("LEADER", people.city_leader, CITY),
        ("SUPERVISOR", people.village_supervisor, VILLAGE),
        ("SUPERVISOR", people.township_supervisor, TOWNSHIP),
        ("SUPERVISOR", people.county_supervisor, COUNTY),
        ("SUPERVISOR", people.other_supervisor, OTHER_TOWNSHIP),
        ("ANALYST", people.analyst, COUNTY),
    ]
    for name, account, region in grants:
        role_registry.grantRoleIn(role[name], account, region, {"from": admin})
    return people


@pytest.fixture(scope="module")
def plan_registry(PlanRegistry, platform, plan_routes, plan_officials):
    return PlanRegistry.at(platform.addresses["PlanRegistry"])


@pytest.fixture(scope="module")
def supervision(Supervision, platform):
    return Supervision.at(platform.addresses["Supervision"])


@pytest.fixture(scope="module")
def disclosure(Disclosure, platform):
    return Disclosure.at(platform.addresses["Disclosure"])


def plan_terms(budget=500_000 * YUAN, milestones=None, kpis=None, statuses=REGISTERED, list_root=b"\x00" * 32,
               list_cid="", document=DOCUMENT_CID, due=2_000_000_000):
    """PlanTerms as the contract takes them: by default 500,000 yuan, three milestones of 100,000 yuan, one KPI,
    registered households of the plan's region."""
    if milestones is None:
        milestones = [100_000 * YUAN] * 3
    if kpis is None:
        kpis = [(INDICATOR, 40)]
    return (budget, document, (statuses, list_root, list_cid), kpis,
            [(amount, due + i * DAY, f"bafkreideliverable{i}") for i, amount in enumerate(milestones)])


@pytest.fixture(scope="module")
def route_approvers(officials, plan_officials):
    """Who approves a level of the default plan and milestone routes: (role name, region level) → account."""
    return {
        ("LEADER", TOWNSHIP_LEVEL): officials.township_leaders[0],
        ("LEADER", COUNTY_LEVEL): officials.county_leader,
        ("LEADER", CITY_LEVEL): plan_officials.city_leader,
        ("TREASURY", COUNTY_LEVEL): plan_officials.treasury,
        ("DEPARTMENT", COUNTY_LEVEL): plan_officials.county_department,
    }


def walk_route(hub, subject, route_approvers, levels=None):
    """Approves `subject` level by level (all its levels, or the first `levels`) with `route_approvers`; returns
    the transactions."""
    from govchain.roles import ROLE_BY_ID

    _, route = hub.route(hub.subjectOf(subject)["routeId"])
    txs = []
    for index, (role_id, region_level, threshold, _) in enumerate(route[:levels]):
        assert threshold == 1, "the default routes need one approval a level"
        approver = route_approvers[(ROLE_BY_ID[bytes(role_id)], region_level)]
        txs.append(hub.approve(subject, index, {"from": approver}))
    return txs


def plain(value):
    """A contract's return value (or arguments) as plain Python, to compare the two: tuples for structs and
    arrays, ints, strings, and "0x..." hex for bytes."""
    if isinstance(value, (bytes, bytearray)):
        return "0x" + bytes(value).hex()
    if isinstance(value, str):
        return value.lower() if value.startswith("0x") else value
    if isinstance(value, (list, tuple)):
        return tuple(plain(item) for item in value)
    return int(value)


# --- earmarked funds (issue 10) -----------------------------------------------------------------------------

import numpy as np  # noqa: E402

from govchain.deploy import APPROPRIATION, DEFAULT_ROUTES, PAYMENT_BATCH, define_route  # noqa: E402
from govchain.funds import Method, PaymentEntry, list_leaf_hash, multiproof  # noqa: E402
from govchain.plans import IN_TRANSITION, UNDER_MONITORING, SupportType  # noqa: E402
from oracle.merkle import StandardMerkleTree  # noqa: E402

BUDGET_LINE = keccak(text="budget-line:2130505")  # a budget classification code (农村综合改革转移支付)
APPROPRIATION_CAP = 1_000_000 * YUAN
HOUSEHOLD_CAP = 2_000 * YUAN
ALL_STATUSES = REGISTERED | IN_TRANSITION | UNDER_MONITORING


def tree_of(leaf_hashes: list[bytes]) -> StandardMerkleTree:
    return StandardMerkleTree.from_leaf_hashes(np.frombuffer(b"".join(leaf_hashes), dtype=np.uint8).reshape(-1, 32))


class PaymentBatchTree:
    """A payment batch's entries and their tree (OpenZeppelin StandardMerkleTree, govchain.funds leaves)."""

    def __init__(self, entries: list[PaymentEntry]):
        self.entries = entries
        self.tree = tree_of([entry.leaf_hash() for entry in entries])
        self.root = self.tree.root
        self.total = sum(entry.amount for entry in entries)

    @classmethod
    def of(cls, payments: list[tuple[str, int, Method]]) -> "PaymentBatchTree":
        """From (household name, amount in fen, method) in batch order."""
        return cls([PaymentEntry(i, household_id(name), amount, method)
                    for i, (name, amount, method) in enumerate(payments)])

    def entry(self, i: int):
        """Entry `i` as IPaymentBatches.Entry."""
        entry = self.entries[i]
        return (entry.index, entry.household, entry.amount, int(entry.method))

    def proof(self, i: int):
        """The single proof of entry `i` (for a recovery)."""
        return self.tree.proof(i)

    def settle_args(self, indices=None, list_tree=None):
        """(entries, multiproof, list proofs) of the entries `indices` (all by default), in the proof's order."""
        order, nodes, flags = multiproof(self.tree.tree, self.tree.tree_index,
                                         range(len(self.entries)) if indices is None else indices)
        lists = [list_tree.proof_of(self.entries[i].household) for i in order] if list_tree else []
        return [self.entry(i) for i in order], (nodes, flags), lists

    def bank_args(self, indices=None):
        """(entries, multiproof) for a bank report."""
        entries, proof, _ = self.settle_args(indices)
        return entries, proof


class ExplicitList:
    """A plan's explicit beneficiary list: its root and each household's proof."""

    def __init__(self, names: list[str]):
        self.households = [household_id(name) for name in names]
        self.tree = tree_of([list_leaf_hash(h) for h in self.households])
        self.root = self.tree.root

    def proof_of(self, household: bytes):
        return self.tree.proof(self.households.index(household)) if household in self.households else []


@pytest.fixture(scope="module")
def fund_routes(platform, admin):
    """The platform's default appropriation and payment batch routes (county LEADER; county TREASURY)."""
    sender = NodeAccountSender(platform.web3, admin.address)
    return {kind: define_route(platform, sender, kind, DEFAULT_ROUTES[kind]) for kind in (APPROPRIATION, PAYMENT_BATCH)}


@pytest.fixture(scope="module")
def fund_officials(accounts, admin, role_registry, role, officials, plan_officials):
    """bank BANK over COUNTY, other_bank BANK over OTHER_TOWNSHIP; treasury (TREASURY over COUNTY), handler
    (HANDLER over TOWNSHIP) and clerk (INTAKE_CLERK over VILLAGE) of the other fixtures; wallets unfunded."""
    people = SimpleNamespace(bank=accounts.add(), other_bank=accounts.add(), treasury=plan_officials.treasury,
                             handler=plan_officials.handler, clerk=officials.clerk,
                             wallets=[accounts.add() for _ in range(6)])
    for account in (people.bank, people.other_bank):
        admin.transfer(account, "10 ether")
    role_registry.grantRoleIn(role["BANK"], people.bank, COUNTY, {"from": admin})
    role_registry.grantRoleIn(role["BANK"], people.other_bank, OTHER_TOWNSHIP, {"from": admin})
    return people


@pytest.fixture(scope="module")
def fund_token(FundToken, platform):
    return FundToken.at(platform.addresses["FundToken"])


@pytest.fixture(scope="module")
def fund_ledger(FundLedger, platform, fund_routes, plan_routes, fund_officials):
    return FundLedger.at(platform.addresses["FundLedger"])


@pytest.fixture(scope="module")
def payment_batches(PaymentBatches, platform, fund_ledger):
    return PaymentBatches.at(platform.addresses["PaymentBatches"])


def approve_appropriation(ledger, hub, treasury, route_approvers, cap=APPROPRIATION_CAP, region=COUNTY, year=2026):
    """Proposes an appropriation and walks its route; returns its id."""
    appropriation = ledger.propose(
        region, year, BUDGET_LINE, cap, "bafkreiappropriation", {"from": treasury}
    ).return_value
    walk_route(hub, ledger.appropriationSubject(appropriation), route_approvers)
    return appropriation


def executing_plan(plans, hub, department, route_approvers, region=VILLAGE, statuses=ALL_STATUSES,
                   list_root=b"\x00" * 32, list_cid="", budget=500_000 * YUAN):
    """A fund plan approved and executing (three milestones of 100,000 yuan); returns its id."""
    terms = plan_terms(budget=budget, statuses=statuses, list_root=list_root, list_cid=list_cid)
    plan_id = plans.create(region, SupportType.FUND, 101, terms, {"from": department}).return_value
    walk_route(hub, plans.submit(plan_id, {"from": department}).return_value, route_approvers)
    plans.start(plan_id, {"from": department})
    return plan_id


def approve_milestone(plans, hub, handler, route_approvers, plan_id, index=0):
    subject = plans.reportMilestone(plan_id, index, "bafkreievidence", {"from": handler}).return_value
    walk_route(hub, subject, route_approvers)


def register(registry, hub, batch, names, officials, chain):
    """Registers households `names` of `batch` (village VILLAGE) through filing, approvals and notice."""
    subjects = []
    for name in names:
        leaf, proof = batch.proof(name)
        subjects.append(registry.fileRegistration(batch.id, leaf, proof, {"from": officials.clerk}).return_value)
    for subject in subjects:
        hub.approve(subject, 0, {"from": officials.village_leader})
        for leader in officials.township_leaders:
            hub.approve(subject, 1, {"from": leader})
        hub.approve(subject, 2, {"from": officials.county_leader})
    chain.sleep(NOTICE_PERIOD + 1)
    for name in names:
        # Eligibility is proven again at completion, on the batch that is still the newest.
        leaf, proof = batch.proof(name)
        registry.completeProcedure(batch.id, leaf, proof, {"from": officials.outsider})


@pytest.fixture(scope="module")
def fund_households(household_registry, approval_hub, first_batch, eligibility, officials, chain):
    """Households of VILLAGE: "admitted" registered, "admitted-2" exited (in its transition period), "watched"
    under monitoring; "unchanged" never registered."""
    register(household_registry, approval_hub, first_batch, ["admitted", "admitted-2"], officials, chain)
    leaf, proof = first_batch.proof("watched")
    household_registry.enterMonitoring(first_batch.id, leaf, proof, {"from": officials.clerk})
    exits = CommittedBatch(
        keccak(text="batch-funds-exit"), COUNTY, make_leaves({"admitted-2": (VILLAGE, Decision.EXIT)})
    )
    exits.commit(eligibility, officials.oracles[:2])
    leaf, proof = exits.proof("admitted-2")
    subject = household_registry.fileExit(exits.id, leaf, proof, {"from": officials.clerk}).return_value
    approval_hub.approve(subject, 0, {"from": officials.reviewer})
    approval_hub.approve(subject, 1, {"from": officials.county_leader})
    chain.sleep(NOTICE_PERIOD + 1)
    household_registry.completeProcedure(exits.id, leaf, proof, {"from": officials.outsider})
    return household_registry


@pytest.fixture(scope="module")
def funded(fund_ledger, payment_batches, plan_registry, approval_hub, fund_households, fund_officials,
           plan_officials, route_approvers, chain):
    """An appropriation of 1,000,000 yuan minted in full; a VILLAGE fund plan (all statuses, no list) linked to
    it with a 2,000-yuan household cap, escrowed, its first tranche (100,000 yuan) released; wallets bound to
    "admitted" and "admitted-2", the bank channel of "watched" enrolled."""
    people = fund_officials
    appropriation = approve_appropriation(fund_ledger, approval_hub, people.treasury, route_approvers)
    fund_ledger.mint(appropriation, APPROPRIATION_CAP, {"from": people.treasury})
    plan_id = executing_plan(plan_registry, approval_hub, plan_officials.department, route_approvers)
    fund_ledger.linkPlan(plan_id, appropriation, HOUSEHOLD_CAP, {"from": people.treasury})
    fund_ledger.escrow(plan_id, {"from": people.handler})
    approve_milestone(plan_registry, approval_hub, people.handler, route_approvers, plan_id)
    fund_ledger.releaseTranche(plan_id, 0, {"from": people.handler})
    for name, wallet in (("admitted", people.wallets[0]), ("admitted-2", people.wallets[1])):
        payment_batches.bindWallet(household_id(name), wallet, "bafkreiwalletevidence", {"from": people.clerk})
    payment_batches.enrolBank(household_id("watched"), "bafkreibankevidence", {"from": people.clerk})
    return SimpleNamespace(appropriation=appropriation, plan=plan_id)


def open_approved_batch(batches, hub, handler, route_approvers, plan_id, tree, tranche=0):
    """Opens a batch of `tree` for `plan_id` and walks its route; returns the batch id."""
    batch_id = batches.openBatch(plan_id, tranche, tree.root, len(tree.entries), tree.total, "bafkreimanifest",
                                 {"from": handler}).return_value
    walk_route(hub, batches.batchSubject(batch_id), route_approvers)
    return batch_id


# --- follow-up visits and assessment (issue 11) ------------------------------------------------------------


@pytest.fixture(scope="module")
def followup_officials(accounts, admin, role_registry, role):
    """grid_worker GRID_WORKER over VILLAGE, other_grid_worker GRID_WORKER over OTHER_VILLAGE_SAME_TOWNSHIP,
    assessors (three) ASSESSOR over COUNTY, recorder: an account governance names a service recorder (standing in
    for the materials contract in visit tests)."""
    people = SimpleNamespace(grid_worker=accounts.add(), other_grid_worker=accounts.add(),
                             assessors=[accounts.add() for _ in range(3)], recorder=accounts.add())
    for account in (people.grid_worker, people.other_grid_worker, people.recorder, *people.assessors):
        admin.transfer(account, "10 ether")
    role_registry.grantRoleIn(role["GRID_WORKER"], people.grid_worker, VILLAGE, {"from": admin})
    role_registry.grantRoleIn(role["GRID_WORKER"], people.other_grid_worker, OTHER_VILLAGE_SAME_TOWNSHIP,
                              {"from": admin})
    for assessor in people.assessors:
        role_registry.grantRoleIn(role["ASSESSOR"], assessor, COUNTY, {"from": admin})
    return people


@pytest.fixture(scope="module")
def follow_up_visits(FollowUpVisits, platform, followup_officials, admin):
    visits = FollowUpVisits.at(platform.addresses["FollowUpVisits"])
    visits.setServiceRecorder(followup_officials.recorder, True, {"from": admin})
    return visits


@pytest.fixture(scope="module")
def assessment_registry(AssessmentRegistry, platform, followup_officials):
    """Needs 2 of the 3 county assessors (Settings.assessor_quorum)."""
    return AssessmentRegistry.at(platform.addresses["AssessmentRegistry"])


# --- materials (issue 11) -------------------------------------------------------------------------------------

from govchain.deploy import PROCUREMENT  # noqa: E402
from govchain.materials import sign_receipt, supply_domain  # noqa: E402

BAG = b"bag".ljust(32, b"\x00")
UNIT_PRICE = 50 * YUAN
INVOICE_CID = "bafkreiinvoice"


@pytest.fixture(scope="module")
def material_officials(accounts, admin, role_registry, role, followup_officials):
    """dispatcher DISPATCHER over TOWNSHIP (the warehouse), supplier SUPPLIER over TOWNSHIP, other_supplier
    SUPPLIER over OTHER_TOWNSHIP; grid_worker and other_grid_worker of followup_officials."""
    people = SimpleNamespace(dispatcher=accounts.add(), supplier=accounts.add(), other_supplier=accounts.add(),
                             grid_worker=followup_officials.grid_worker,
                             other_grid_worker=followup_officials.other_grid_worker)
    admin.transfer(people.dispatcher, "10 ether")
    role_registry.grantRoleIn(role["DISPATCHER"], people.dispatcher, TOWNSHIP, {"from": admin})
    role_registry.grantRoleIn(role["SUPPLIER"], people.supplier, TOWNSHIP, {"from": admin})
    role_registry.grantRoleIn(role["SUPPLIER"], people.other_supplier, OTHER_TOWNSHIP, {"from": admin})
    return people


@pytest.fixture(scope="module")
def material_supply(MaterialSupply, platform, admin, material_officials, follow_up_visits):
    """The materials contract, its procurement route (county DEPARTMENT, county TREASURY) defined, and kind 1
    (bags) defined."""
    define_route(platform, NodeAccountSender(platform.web3, admin.address), PROCUREMENT, DEFAULT_ROUTES[PROCUREMENT])
    supply = MaterialSupply.at(platform.addresses["MaterialSupply"])
    supply.defineKind(BAG, "bafkreifertiliserbag", {"from": admin})
    return supply


def _chain_id() -> int:
    from brownie import web3 as brownie_web3

    return brownie_web3.eth.chain_id


def receipt_signature(wallet, supply, dispatch_id: int, row: int, household: bytes, quantity: int) -> bytes:
    """The EIP-712 MaterialReceipt signature of a household's bound `wallet` (a brownie LocalAccount)."""
    domain = supply_domain(_chain_id(), supply.address)
    return sign_receipt(wallet.private_key, domain, dispatch_id, row, household, quantity)


def approved_procurement(supply, hub, handler, supplier, route_approvers, plan_id, quantity=1000,
                         warehouse=TOWNSHIP, unit_price=UNIT_PRICE):
    """Proposes a procurement of `quantity` bags for `plan_id` and walks its route; returns its id."""
    procurement = supply.propose(plan_id, 1, warehouse, supplier, quantity, unit_price, INVOICE_CID,
                                 {"from": handler}).return_value
    walk_route(hub, supply.procurementSubject(procurement), route_approvers)
    return procurement


# --- crowdfunding and pledges (issue 11) ----------------------------------------------------------------------

GOAL = 100_000 * YUAN  # the first milestone's tranche of plan_terms()


@pytest.fixture(scope="module")
def crowdfunding(Crowdfunding, platform):
    return Crowdfunding.at(platform.addresses["Crowdfunding"])


@pytest.fixture(scope="module")
def social_pledges(SocialPledges, platform):
    return SocialPledges.at(platform.addresses["SocialPledges"])


def crowdfunding_plan(plans, hub, department, route_approvers, region=VILLAGE):
    """A crowdfunding plan approved and executing (three milestones of 100,000 yuan); returns its id."""
    plan_id = plans.create(region, SupportType.CROWDFUNDING, 102, plan_terms(), {"from": department}).return_value
    walk_route(hub, plans.submit(plan_id, {"from": department}).return_value, route_approvers)
    plans.start(plan_id, {"from": department})
    return plan_id


def donate(crowdfunding, token, bank, donor, campaign, amount):
    """`bank` credits `donor` with `amount` (the on-ramp); `donor` approves and donates it; returns the donation."""
    crowdfunding.credit(donor, amount, COUNTY, keccak(text=f"bank-ref:{donor.address}:{amount}"), {"from": bank})
    token.approve(crowdfunding, amount, {"from": donor})
    return crowdfunding.donate(campaign, amount, {"from": donor})
