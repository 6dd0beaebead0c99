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
    settings = Settings(oracle_quorum=2, notice_period=NOTICE_PERIOD, transition_period=TRANSITION_PERIOD,
                        routes=TEST_ROUTES, batch_scope_levels=TEST_SCOPE_LEVELS)
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
REGISTRATION, EXIT = 1, 2
# Registration: village LEADER 1, township LEADER 2 of 2, county LEADER 1; exit: township REVIEWER 1, county
# LEADER 1 (no timeout). Route ids 1 and 2 on the hub.
TEST_ROUTES = {
    REGISTRATION: [("LEADER", VILLAGE_LEVEL, 1, LEVEL_TIMEOUT), ("LEADER", TOWNSHIP_LEVEL, 2, LEVEL_TIMEOUT),
                   ("LEADER", COUNTY_LEVEL, 1, LEVEL_TIMEOUT)],
    EXIT: [("REVIEWER", TOWNSHIP_LEVEL, 1, LEVEL_TIMEOUT), ("LEADER", COUNTY_LEVEL, 1, 0)],
}
# IApprovalHub.SubjectState and Outcome; IHouseholdRegistry.Status.
NONE, PENDING, RETURNED, APPROVED, REJECTED = range(5)
SUBMITTED, O_APPROVED, ADVANCED, COMPLETED, O_RETURNED, RESUBMITTED, O_REJECTED, ESCALATED = range(8)
H_NONE, H_REGISTERED, H_EXITED, H_MONITORING = range(4)


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
        EligibilityLeaf(household_id(name), region, decision, LeafDetails(0b101, 4200 + i, keccak(text=f"salt:{name}")).commitment())
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
