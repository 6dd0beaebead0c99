"""Deploys and wires the whole platform: the one deploy path.

Used by the brownie script (scripts/deploy.py, so `make demo` and production), the contract tests
(tests/contracts/conftest.py), the oracle and end-to-end tests (tests/oracle/chain.py) and the gas benchmarks.
Each caller brings a :class:`Sender` (how a contract is created and a call is sent: an unlocked node account
here, a brownie account in scripts/deploy.py); this module decides what is deployed in which order, with which
constructor arguments, what is reused, and how the contracts are wired: approval clients registered on the
hub with their subject kinds, and the kinds' routes defined.

To add a contract: append a :class:`ContractSpec` to :data:`CONTRACTS` (its constructor arguments are built
from the addresses deployed before it and the :class:`Settings`; list in ``after`` the contracts it is built
on, so it is redeployed when they are; ``setup`` lists the calls that wire it in once deployed, such as
``("ApprovalHub", "setSupervision", (address,))``). An approval client also names its subject ``kinds`` (a new
number each, see :data:`SUBJECT_KINDS`) and puts its routes in :data:`DEFAULT_ROUTES` (or the caller's
``Settings.routes``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from web3 import Web3
from web3.contract import Contract

from govchain.chain import load_artifact
from govchain.config import PROJECT_ROOT, environment
from govchain.deployments import Deployment, DeploymentRegistry, code_hash
from govchain.errors import GovchainError
from govchain.funds import APPROPRIATION_KIND, MINTER, PAYMENT_BATCH_KIND, PLATFORM, RECOVERER
from govchain.localnode import LOCAL_CHAIN_ID
from govchain.plans import MILESTONE_KIND, PLAN_KIND, SupportType
from govchain.roles import DEFAULT_ADMIN_ROLE, ROLE_IDS

DAY = 86_400
# The band that covers every amount (IApprovalHub.Band.maxAmount is a uint128).
ANY_AMOUNT = 2**128 - 1

# Subject kinds on the approval hub. Kinds are one namespace for every client: a new client takes new numbers.
REGISTRATION, EXIT = 1, 2  # IHouseholdRegistry.ProcedureKind
PLAN, MILESTONE = PLAN_KIND, MILESTONE_KIND  # PlanRegistry.PLAN_KIND, MILESTONE_KIND (govchain.plans)
APPROPRIATION, PAYMENT_BATCH = APPROPRIATION_KIND, PAYMENT_BATCH_KIND  # FundLedger, PaymentBatches (govchain.funds)
PROCUREMENT = 7  # MaterialSupply.PROCUREMENT_KIND (issue 11)
SUBJECT_KINDS: dict[int, str] = {REGISTRATION: "household registration", EXIT: "household exit",
                                 PLAN: "support plan version", MILESTONE: "milestone report",
                                 APPROPRIATION: "appropriation", PAYMENT_BATCH: "payment batch",
                                 PROCUREMENT: "material procurement"}

# A route: levels as (role, region level, threshold M, timeout in seconds before escalation, 0: never).
# Region levels (RegionCode): 1 province, 2 city, 3 county, 4 township, 5 village.
Level = tuple[str, int, int, int]
PROVINCE_LEVEL, CITY_LEVEL, COUNTY_LEVEL, TOWNSHIP_LEVEL, VILLAGE_LEVEL = range(1, 6)

# The region levels eligibility batches may be scoped at (EligibilityRegistry.scopeLevels, fixed at deployment):
# the oracle publishes one batch per county (oracle/batches.py). Each further level costs every filing one more
# storage read (the newest batch at that level covering the village).
BATCH_SCOPE_LEVELS: tuple[int, ...] = (COUNTY_LEVEL,)


def scope_level_bits(levels: tuple[int, ...]) -> int:
    """The EligibilityRegistry constructor's `batchScopeLevels`: bit `level` set for each level."""
    bad = [level for level in levels if not PROVINCE_LEVEL <= level <= VILLAGE_LEVEL]
    if not levels or bad:
        raise DeployError(f"Batch scope levels {list(levels)}: give one or more of 1 (province) to 5 (village).")
    return sum(1 << level for level in set(levels))

# Registration (建档立卡): village leader, township reviewer, county leader; exit: township reviewer, county
# leader. Public notice follows the last level. Each route covers support type 0 and every amount.
DEFAULT_ROUTES: dict[int, list[Level]] = {
    REGISTRATION: [("LEADER", 5, 1, 3 * DAY), ("REVIEWER", 4, 1, 5 * DAY), ("LEADER", 3, 1, 7 * DAY)],
    EXIT: [("REVIEWER", 4, 1, 5 * DAY), ("LEADER", 3, 1, 7 * DAY)],
    # An appropriation (预算指标) a TREASURY official records: the county LEADER approves it (a county's own
    # appropriations; one of a city or province needs a route of its level, see define_route).
    APPROPRIATION: [("LEADER", 3, 1, 7 * DAY)],
    # A payment batch (资金发放): the county TREASURY, which answers for the money, approves what is paid.
    PAYMENT_BATCH: [("TREASURY", 3, 1, 5 * DAY)],
    # A procurement (商品采购): the county DEPARTMENT officer, who answers for the plan's execution, approves the
    # supplier, quantity and price; the county TREASURY, which pays it from the released tranche, then too.
    PROCUREMENT: [("DEPARTMENT", 3, 1, 5 * DAY), ("TREASURY", 3, 1, 5 * DAY)],
}

# Routes chosen by support type and amount band: {(kind, support type): [(max amount, levels), ...]} in
# ascending max amount; amounts in fen (分: the fund token has 2 decimals). Identical level lists of one kind
# share one route on the hub.
Band = tuple[int, list[Level]]
YUAN = 100
PLAN_BAND_MAX = 1_000_000 * YUAN  # plans up to a million yuan are decided in the county
MILESTONE_BAND_MAX = 100_000 * YUAN
# A plan (振兴计划): township LEADER, then county LEADER; above the band a city LEADER too. Fund and crowdfunding
# plans move money the county treasury answers for: a county TREASURY official approves before the county LEADER.
_PLAN_LEVELS: list[Level] = [("LEADER", 4, 1, 5 * DAY), ("LEADER", 3, 1, 7 * DAY)]
_CITY_LEVEL: Level = ("LEADER", 2, 1, 10 * DAY)
_TREASURY_LEVEL: Level = ("TREASURY", 3, 1, 7 * DAY)
# A milestone report (验收): a county DEPARTMENT officer accepts the deliverable; above the band a county LEADER too.
_MILESTONE_LEVELS: list[Level] = [("DEPARTMENT", 3, 1, 5 * DAY)]


def _plan_bands(support_type: SupportType) -> list[Band]:
    levels = list(_PLAN_LEVELS)
    if support_type in (SupportType.FUND, SupportType.CROWDFUNDING):
        levels.insert(1, _TREASURY_LEVEL)
    return [(PLAN_BAND_MAX, levels), (ANY_AMOUNT, levels + [_CITY_LEVEL])]


DEFAULT_BANDED_ROUTES: dict[tuple[int, int], list[Band]] = {
    **{(PLAN, int(t)): _plan_bands(t) for t in SupportType if t is not SupportType.NONE},
    **{(MILESTONE, int(t)): [(MILESTONE_BAND_MAX, _MILESTONE_LEVELS),
                             (ANY_AMOUNT, _MILESTONE_LEVELS + [("LEADER", 3, 1, 7 * DAY)])]
       for t in SupportType if t is not SupportType.NONE},
}


class DeployError(GovchainError):
    """Raised when the platform cannot be deployed as asked; the message says why and what to do."""


# Keyword-only: fields are added as contracts arrive, and a positional call would shift silently.
@dataclass(frozen=True, kw_only=True)
class Settings:
    """What a deployment is configured with."""

    oracle_quorum: int = 2
    # Assessors that must agree on an assessment period's results (AssessmentRegistry, issue 11).
    assessor_quorum: int = 2
    notice_period: int = 7 * DAY
    transition_period: int = 3 * 365 * DAY
    routes: Mapping[int, list[Level]] = field(default_factory=lambda: dict(DEFAULT_ROUTES))
    banded_routes: Mapping[tuple[int, int], list[Band]] = field(default_factory=lambda: dict(DEFAULT_BANDED_ROUTES))
    batch_scope_levels: tuple[int, ...] = BATCH_SCOPE_LEVELS
    # Seconds between scheduling a RoleRegistry administrator transfer and its acceptance (at most 30 days).
    admin_delay: int = 2 * DAY

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """GOVCHAIN_ORACLE_QUORUM (default 2), GOVCHAIN_NOTICE_DAYS (default 7), GOVCHAIN_TRANSITION_DAYS
        (default 3 years), GOVCHAIN_BATCH_SCOPE_LEVELS (comma-separated region levels, default 3: counties),
        GOVCHAIN_ADMIN_DELAY_HOURS (administrator transfer delay, default 48); see network/deploy.env."""
        env = environment(environ)

        def number(name: str, default: int) -> int:
            text = env.get(name, "").strip()
            try:
                return int(text) if text else default
            except ValueError:
                raise DeployError(f"{name}={text!r} is not a whole number; see network/deploy.env.") from None

        def scope_levels(name: str, default: tuple[int, ...]) -> tuple[int, ...]:
            text = env.get(name, "").strip()
            if not text:
                return default
            try:
                levels = tuple(int(part) for part in text.split(","))
            except ValueError:
                raise DeployError(
                    f"{name}={text!r}: give region levels separated by commas (3 county, 4 township, 5 village); "
                    f"see network/deploy.env."
                ) from None
            scope_level_bits(levels)
            return levels

        return cls(
            oracle_quorum=number("GOVCHAIN_ORACLE_QUORUM", 2),
            notice_period=number("GOVCHAIN_NOTICE_DAYS", 7) * DAY,
            transition_period=number("GOVCHAIN_TRANSITION_DAYS", 3 * 365) * DAY,
            batch_scope_levels=scope_levels("GOVCHAIN_BATCH_SCOPE_LEVELS", BATCH_SCOPE_LEVELS),
            admin_delay=number("GOVCHAIN_ADMIN_DELAY_HOURS", 48) * 3600,
        )


# A wiring call: (contract name, function, arguments).
Call = tuple[str, str, tuple]


@dataclass(frozen=True)
class ContractSpec:
    """One contract of the platform: how to build its constructor arguments, what it is built on, (for an
    approval client) the subject kinds it opens on the hub, and the calls that wire it in when it is deployed
    afresh (given the addresses of every contract and the settings)."""

    name: str
    args: Callable[[Mapping[str, str], Settings, str], tuple]
    after: tuple[str, ...] = ()
    kinds: tuple[int, ...] = ()
    setup: Callable[[Mapping[str, str], Settings], list[Call]] = lambda at, settings: []


# In deploy order. `args` gets the addresses deployed so far, the settings and the deployer's address.
CONTRACTS: tuple[ContractSpec, ...] = (
    ContractSpec("RoleRegistry", lambda at, s, deployer: (deployer, s.admin_delay)),
    ContractSpec(
        "EligibilityRegistry",
        lambda at, s, _: (at["RoleRegistry"], s.oracle_quorum, scope_level_bits(s.batch_scope_levels)),
        after=("RoleRegistry",),
    ),
    ContractSpec("ApprovalHub", lambda at, s, _: (at["RoleRegistry"],), after=("RoleRegistry",)),
    ContractSpec(
        "HouseholdRegistry",
        lambda at, s, _: (
            at["RoleRegistry"],
            at["EligibilityRegistry"],
            at["ApprovalHub"],
            s.notice_period,
            s.transition_period,
        ),
        after=("RoleRegistry", "EligibilityRegistry", "ApprovalHub"),
        kinds=(REGISTRATION, EXIT),
    ),
    # Supervision (合规监管): the hub's one freezing contract; clients ask it whether a target is frozen.
    ContractSpec(
        "Supervision",
        lambda at, s, _: (at["RoleRegistry"], at["ApprovalHub"]),
        after=("RoleRegistry", "ApprovalHub"),
        setup=lambda at, s: [("ApprovalHub", "setSupervision", (at["Supervision"],))],
    ),
    ContractSpec(
        "PlanRegistry",
        lambda at, s, _: (at["RoleRegistry"], at["ApprovalHub"]),
        after=("RoleRegistry", "ApprovalHub"),
        kinds=(PLAN, MILESTONE),
    ),
    ContractSpec("Disclosure", lambda at, s, _: (at["RoleRegistry"],), after=("RoleRegistry",)),
    # Earmarked funds (issue 10): the token, the ledger that mints and holds it, the payments that pay it out.
    ContractSpec("FundToken", lambda at, s, _: (at["RoleRegistry"],), after=("RoleRegistry",)),
    ContractSpec(
        "FundLedger",
        lambda at, s, _: (at["RoleRegistry"], at["ApprovalHub"], at["FundToken"], at["PlanRegistry"]),
        after=("RoleRegistry", "ApprovalHub", "FundToken", "PlanRegistry"),
        kinds=(APPROPRIATION,),
        setup=lambda at, s: [("FundToken", "setAccess", (at["FundLedger"], PLATFORM | MINTER))],
    ),
    # Follow-up visits (issue 11): they read the household register and plans; payments and deliveries note
    # their services to them (service recorders).
    ContractSpec(
        "FollowUpVisits",
        lambda at, s, _: (at["RoleRegistry"], at["HouseholdRegistry"], at["PlanRegistry"]),
        after=("RoleRegistry", "HouseholdRegistry", "PlanRegistry"),
    ),
    ContractSpec(
        "PaymentBatches",
        lambda at, s, _: (
            at["RoleRegistry"],
            at["ApprovalHub"],
            at["FundLedger"],
            at["PlanRegistry"],
            at["HouseholdRegistry"],
            at["FollowUpVisits"],
        ),
        after=("RoleRegistry", "ApprovalHub", "FundLedger", "PlanRegistry", "HouseholdRegistry", "FollowUpVisits"),
        kinds=(PAYMENT_BATCH,),
        setup=lambda at, s: [
            ("FundToken", "setAccess", (at["PaymentBatches"], PLATFORM | RECOVERER)),
            ("FundLedger", "setPayments", (at["PaymentBatches"],)),
            ("FollowUpVisits", "setServiceRecorder", (at["PaymentBatches"], True)),
        ],
    ),
    # Assessment (issue 11): results agreed k of n as eligibility batches are (contracts/utils/KOfNAgreement.sol).
    ContractSpec(
        "AssessmentRegistry", lambda at, s, _: (at["RoleRegistry"], s.assessor_quorum), after=("RoleRegistry",)
    ),
    # Materials (issue 11): procurements approved on the hub and paid from a plan's released tranche (the ledger
    # names it a spender), deliveries noted to the follow-up visits (a service recorder).
    ContractSpec(
        "MaterialSupply",
        lambda at, s, _: (
            at["RoleRegistry"],
            at["ApprovalHub"],
            at["PlanRegistry"],
            at["FundLedger"],
            at["HouseholdRegistry"],
            at["PaymentBatches"],
            at["FollowUpVisits"],
        ),
        after=(
            "RoleRegistry",
            "ApprovalHub",
            "PlanRegistry",
            "FundLedger",
            "HouseholdRegistry",
            "PaymentBatches",
            "FollowUpVisits",
        ),
        kinds=(PROCUREMENT,),
        setup=lambda at, s: [
            ("FundLedger", "setSpender", (at["MaterialSupply"], True)),
            ("FollowUpVisits", "setServiceRecorder", (at["MaterialSupply"], True)),
        ],
    ),
    # Crowdfunding (issue 11): the on-ramp mints what a BANK received, donations are held here until released
    # by the plan's approved milestones: the token lets it mint and receive (a platform contract).
    ContractSpec(
        "Crowdfunding",
        lambda at, s, _: (
            at["RoleRegistry"],
            at["FundToken"],
            at["PlanRegistry"],
            at["HouseholdRegistry"],
            at["PaymentBatches"],
        ),
        after=("RoleRegistry", "FundToken", "PlanRegistry", "HouseholdRegistry", "PaymentBatches"),
        setup=lambda at, s: [("FundToken", "setAccess", (at["Crowdfunding"], PLATFORM | MINTER))],
    ),
    ContractSpec(
        "SocialPledges",
        lambda at, s, _: (at["RoleRegistry"], at["PlanRegistry"]),
        after=("RoleRegistry", "PlanRegistry"),
    ),
)
CONTRACT_NAMES: tuple[str, ...] = tuple(spec.name for spec in CONTRACTS)


class Sender(Protocol):
    """Who deploys: creates contracts and sends calls (and so governs, right after a fresh deployment)."""

    address: str

    def create(self, name: str, args: tuple) -> Deployment:
        """Deploys contract ``name`` with constructor ``args``; returns where it went (code_hash set)."""

    def send(self, name: str, address: str, function: str, args: tuple) -> str:
        """Calls ``function(*args)`` of contract ``name`` at ``address``; returns the mined transaction's hash
        (raising when it reverted)."""


class NodeAccountSender:
    """Sends from an account the node holds unlocked (anvil's), with web3.py and brownie's build artifacts."""

    def __init__(self, web3: Web3, address: str, build_dir: Path = PROJECT_ROOT / "build"):
        self.web3 = web3
        self.address = address
        self.build_dir = Path(build_dir)

    def create(self, name: str, args: tuple) -> Deployment:
        artifact = load_artifact(self.build_dir, name)
        factory = self.web3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
        receipt = self._wait(factory.constructor(*args).transact({"from": self.address}), f"deploying {name}")
        return Deployment(receipt.contractAddress, "0x" + bytes(receipt.transactionHash).hex(), receipt.blockNumber,
                          code_hash(artifact["bytecode"]))

    def send(self, name: str, address: str, function: str, args: tuple) -> str:
        contract = self.web3.eth.contract(address=address, abi=load_artifact(self.build_dir, name)["abi"])
        receipt = self._wait(contract.functions[function](*args).transact({"from": self.address}),
                             f"{name}.{function}")
        return "0x" + bytes(receipt.transactionHash).hex()

    def _wait(self, tx_hash, what: str):
        receipt = self.web3.eth.wait_for_transaction_receipt(tx_hash, timeout=60)
        if receipt.status != 1:
            raise DeployError(f"{what} reverted in transaction 0x{bytes(tx_hash).hex()}.")
        return receipt


@dataclass
class Platform:
    """The deployed platform: each contract's address, which were deployed in this run, web3.py handles, and the
    wiring steps left to the administrators when the deployer no longer governs."""

    web3: Web3
    addresses: dict[str, str]
    fresh: set[str]
    build_dir: Path = PROJECT_ROOT / "build"
    pending: list[str] = field(default_factory=list)

    def contract(self, name: str) -> Contract:
        abi = load_artifact(self.build_dir, name)["abi"]
        return self.web3.eth.contract(address=self.addresses[name], abi=abi)


def deploy_platform(
    web3: Web3,
    sender: Sender,
    settings: Settings | None = None,
    *,
    registry: DeploymentRegistry | None = None,
    redeploy: bool = False,
    build_dir: Path = PROJECT_ROOT / "build",
    log: Callable[[str], None] = lambda _: None,
) -> Platform:
    """Deploys every contract of :data:`CONTRACTS` (or reuses what ``registry`` records) and wires them.

    A contract recorded for this chain whose address holds code built from today's sources is reused, unless
    one it is built on (``after``) was deployed afresh in this run or ``redeploy`` is set. One recorded from other
    sources is deployed afresh on the local chain; elsewhere :class:`DeployError` stops the deploy, since the old
    contract keeps the grants and records a new one would not have.

    Wiring, for what was deployed afresh: each approval client is registered on the hub for its kinds, and a
    fresh hub gets the routes of ``settings.routes`` (every amount of support type 0). When the sender no longer
    governs, the steps are listed in ``Platform.pending`` instead, for the administrators.
    """
    settings = settings or Settings()
    chain_id = web3.eth.chain_id
    addresses: dict[str, str] = {}
    fresh: set[str] = set()
    for spec in CONTRACTS:
        force = redeploy or any(name in fresh for name in spec.after)
        recorded = None if registry is None or force else registry.get(chain_id, spec.name)
        built = code_hash(load_artifact(build_dir, spec.name)["bytecode"])
        if recorded and len(web3.eth.get_code(recorded.address)) > 0:
            if recorded.code_hash == built:
                log(f"{spec.name}: reusing {recorded.address} (deployed in block {recorded.block})")
                addresses[spec.name] = recorded.address
                continue
            if chain_id != LOCAL_CHAIN_ID:
                raise DeployError(
                    f"{spec.name} at {recorded.address} on chain {chain_id} was built from other sources than "
                    f"today's. Its grants and records stay with it; set GOVCHAIN_REDEPLOY=1 to deploy today's "
                    f"build anew."
                )
            log(f"{spec.name}: {recorded.address} was built from other sources; deploying today's build")
        deployment = sender.create(spec.name, spec.args(addresses, settings, sender.address))
        if registry is not None:
            registry.record(chain_id, spec.name, deployment)
        addresses[spec.name] = deployment.address
        fresh.add(spec.name)
        log(f"{spec.name}: deployed at {deployment.address}")

    platform = Platform(web3, addresses, fresh, build_dir)
    governs = platform.contract("RoleRegistry").functions.hasRole(DEFAULT_ADMIN_ROLE, sender.address).call()
    for step, describe in _wiring_steps(platform, settings):
        if governs:
            step(sender)
        else:
            platform.pending.append(describe)
    for pending in platform.pending:
        log(f"left to the administrators (GOVCHAIN_ADMIN): {pending}")
    return platform


def _wiring_steps(platform: Platform, settings: Settings):
    """(step, description) of every wiring call the fresh contracts need, in order."""
    hub = platform.addresses["ApprovalHub"]
    steps = []
    for spec in CONTRACTS:
        if spec.name in platform.fresh:
            for name, function, args in spec.setup(platform.addresses, settings):
                steps.append((
                    lambda sender, name=name, function=function, args=args: sender.send(
                        name, platform.addresses[name], function, args),
                    f"{name}.{function}{args} for {spec.name}",
                ))
        if spec.kinds and (spec.name in platform.fresh or "ApprovalHub" in platform.fresh):
            client = platform.addresses[spec.name]
            steps.append((
                lambda sender, client=client, kinds=spec.kinds: sender.send(
                    "ApprovalHub", hub, "registerClient", (client, list(kinds))),
                f"ApprovalHub.registerClient({client}, {list(spec.kinds)}) for {spec.name}",
            ))
    if "ApprovalHub" in platform.fresh:
        for kind, levels in settings.routes.items():
            steps.append((
                lambda sender, kind=kind, levels=levels: define_route(platform, sender, kind, levels),
                f"ApprovalHub.defineRoute({kind}, {levels}) and setRouteBands({kind}, 0, [(ANY_AMOUNT, route)])",
            ))
    # Banded routes of a kind: when the hub is fresh, or the client opening the kind is (a client new to a
    # reused hub brings its routes; defining them again on a redeployed client only re-points the bands).
    fresh_kinds = {kind for spec in CONTRACTS if spec.name in platform.fresh for kind in spec.kinds}
    banded = {key: bands for key, bands in settings.banded_routes.items()
              if "ApprovalHub" in platform.fresh or key[0] in fresh_kinds}
    if banded:
        steps.append((
            lambda sender: define_banded_routes(platform, sender, banded),
            f"ApprovalHub.defineRoute and setRouteBands for (kind, support type) {sorted(banded)}",
        ))
    return steps


def define_banded_routes(platform: Platform, sender: Sender, banded: Mapping[tuple[int, int], list[Band]]
                         ) -> dict[tuple[int, int], list[int]]:
    """Defines the routes of ``banded`` on the hub (one route per distinct level list of a kind) and sets each
    (kind, support type)'s bands; returns the route ids of each (kind, support type), band by band."""
    hub = platform.contract("ApprovalHub")
    defined: dict[tuple[int, tuple], int] = {}
    chosen: dict[tuple[int, int], list[int]] = {}
    for (kind, support_type), bands in banded.items():
        route_ids = []
        for _, levels in bands:
            key = (kind, tuple(levels))
            if key not in defined:
                encoded = [(ROLE_IDS[role], region_level, threshold, timeout)
                           for role, region_level, threshold, timeout in levels]
                tx = sender.send("ApprovalHub", hub.address, "defineRoute", (kind, encoded))
                receipt = platform.web3.eth.get_transaction_receipt(tx)
                defined[key] = hub.events.RouteDefined().process_receipt(receipt)[0]["args"]["routeId"]
            route_ids.append(defined[key])
        encoded_bands = [(max_amount, route_id) for (max_amount, _), route_id in zip(bands, route_ids)]
        sender.send("ApprovalHub", hub.address, "setRouteBands", (kind, support_type, encoded_bands))
        chosen[(kind, support_type)] = route_ids
    return chosen


def define_route(platform: Platform, sender: Sender, kind: int, levels: list[Level], support_type: int = 0,
                 max_amount: int = ANY_AMOUNT) -> int:
    """Defines a route of ``kind`` on the hub and points the amounts up to ``max_amount`` of (``kind``,
    ``support_type``) at it; returns the route id."""
    hub = platform.contract("ApprovalHub")
    encoded = [(ROLE_IDS[role], region_level, threshold, timeout) for role, region_level, threshold, timeout in levels]
    tx = sender.send("ApprovalHub", hub.address, "defineRoute", (kind, encoded))
    receipt = platform.web3.eth.get_transaction_receipt(tx)
    route_id = hub.events.RouteDefined().process_receipt(receipt)[0]["args"]["routeId"]
    sender.send("ApprovalHub", hub.address, "setRouteBands", (kind, support_type, [(max_amount, route_id)]))
    return route_id


def hand_over_administration(platform: Platform, sender: Sender, new_admin: str) -> bool:
    """Schedules the transfer of DEFAULT_ADMIN_ROLE to ``new_admin`` (multisig or timelock), which accepts it
    with ``acceptDefaultAdminTransfer()`` once the registry's delay has passed: the sender's role ends then (the
    RoleRegistry's two-step rule; the step is listed in ``platform.pending``). False when ``new_admin`` is the
    sender already."""
    if new_admin.lower() == sender.address.lower():
        return False
    roles = platform.contract("RoleRegistry")
    sender.send("RoleRegistry", roles.address, "beginDefaultAdminTransfer", (new_admin,))
    _, accept_after = roles.functions.pendingDefaultAdmin().call()
    platform.pending.append(
        f"RoleRegistry.acceptDefaultAdminTransfer() from {new_admin}, after timestamp {accept_after}"
    )
    return True

