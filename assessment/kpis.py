"""The assessment KPIs (考核指标), defined once and computed from chain events alone.

ASSESSORs commit a period's results on chain (AssessmentRegistry) as the Merkle root of the table this module
computes; anyone can read the same events, run :func:`compute_kpis` and :func:`kpi_root`, and compare the root
with ``AssessmentRegistry.assessmentOf(assessmentId(scope, start, end)).root``. Nothing here reads contract state
or off-chain data: only events (decoded by govchain.events, as the indexer decodes them) and their blocks'
timestamps, and only those up to the period's end, so a period's table never changes once the period is over.

A period is ``[start, end)`` in Unix seconds. Each row is (entity, entity id, KPI code, integer value); shares
are in basis points (1/10,000), durations in seconds, averages of scores ×100. A KPI whose denominator is empty
for an entity gets no row (no zeros that would read as failures).

KPIs (codes as in the table):

- ``approval_latency_s.L<n>`` (region): mean seconds from a subject reaching level n of its route (filed,
  resubmitted, or advanced from the level below) to the decision on that level (advanced, completed, returned
  or rejected), over decisions in the period; region = the subject's region. ``approval_decisions`` (official,
  id = the deciding official's address as an integer): decisions taken, and ``approval_latency_s`` (official):
  their mean latency.
- ``funds_to_households_30d_bps`` (plan): of the tranches released in the period whose 30-day window closed by
  the period's end (release + 30 days <= end), the share that reached households within 30 days of release:
  payments to a household's wallet, bank payments confirmed (PaymentBatches ``Payment``) and crowdfunding
  payments (Crowdfunding ``DonationsPaid``) are matched to the plan's releases first in, first out.
- ``visit_coverage_bps`` (region = village): of the households served in the period (paid, or delivered
  materials), the share visited (``FollowUpVisits.VisitRecorded``, dated in the period on or after the first
  service). ``visit_satisfaction_x100`` (village): mean satisfaction of the visits dated in the period, ×100;
  ``visits`` (village): their number.
- ``exits_sustained_12m_bps`` (region): of the exits whose 12-month anniversary falls in the period, the share of
  households not registered again nor put under monitoring within those 12 months.
- ``objections_resolved`` and ``objections_upheld`` (region of the procedure): objections resolved in the
  period, and how many were upheld.
- ``supervision_findings`` (region of the case): cases resolved in the period with the finding upheld.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from eth_abi import encode as abi_encode
from eth_utils import keccak
from web3 import Web3

from govchain.enums import Movement, Outcome, PaymentKind
from govchain.events import EventDecoder, fetch_logs

DAY = 86_400
REGION_BITS = 40
REGION_MASK = (1 << REGION_BITS) - 1
FUNDS_WINDOW = 30 * DAY
EXIT_HORIZON = 365 * DAY
BPS = 10_000

# The contracts whose events the KPIs read (names as deployed by govchain.deploy).
CONTRACTS = ("ApprovalHub", "HouseholdRegistry", "FundLedger", "PaymentBatches", "Supervision", "FollowUpVisits",
             "MaterialSupply", "Crowdfunding")

SUBMITTED, ADVANCED, COMPLETED, RESUBMITTED = (
    Outcome.SUBMITTED,
    Outcome.ADVANCED,
    Outcome.COMPLETED,
    Outcome.RESUBMITTED,
)
DECISIONS = (Outcome.ADVANCED, Outcome.COMPLETED, Outcome.RETURNED, Outcome.REJECTED)
RELEASED = Movement.RELEASED
PAID_TO_WALLET, BANK_CONFIRMED = PaymentKind.PAID_TO_WALLET, PaymentKind.BANK_CONFIRMED


@dataclass(frozen=True)
class ChainEvent:
    """One decoded event and when its block was made."""

    contract: str
    event: str
    args: Mapping
    timestamp: int
    block_number: int
    log_index: int


@dataclass(frozen=True)
class Period:
    """An assessment period, ``[start, end)`` in Unix seconds."""

    start: int
    end: int

    def __contains__(self, timestamp: int) -> bool:
        return self.start <= timestamp < self.end


@dataclass(frozen=True, order=True)
class KpiRow:
    """One row of the KPI table: ``entity`` is "region", "plan" or "official"."""

    entity: str
    entity_id: int
    kpi: str
    value: int

    def leaf_hash(self) -> bytes:
        """The row's leaf in the committed tree (OpenZeppelin StandardMerkleTree: keccak of keccak of the
        ABI-encoded (bytes32 entity, uint256 id, bytes32 kpi, int256 value); codes left-aligned, zero-padded)."""
        encoded = abi_encode(["bytes32", "uint256", "bytes32", "int256"],
                             [_code(self.entity), self.entity_id, _code(self.kpi), self.value])
        return keccak(keccak(encoded))


def _code(text: str) -> bytes:
    raw = text.encode("ascii")
    if len(raw) > 32:
        raise ValueError(f"KPI code {text!r} is longer than 32 bytes")
    return raw.ljust(32, b"\x00")


def _int(value) -> int:
    # govchain.events gives integers beyond 2**53 as decimal strings (JSON safety).
    return int(value)


def read_events(web3: Web3, contracts: Mapping[str, tuple[str, list[dict]]], from_block: int = 0,
                to_block: int | None = None, timestamps: dict[int, int] | None = None) -> list[ChainEvent]:
    """The events of ``contracts`` (name → (address, ABI)) in ``from_block..to_block``, in chain order, each
    with its block's timestamp. ``timestamps`` (block number → timestamp), when given, is read from and filled:
    a caller reading twice (commit, then recompute) asks the node for each block once; a mined block's
    timestamp never changes."""
    decoder = EventDecoder(contracts)
    last = web3.eth.block_number if to_block is None else to_block
    stamps: dict[int, int] = {} if timestamps is None else timestamps
    events = []
    for logs in fetch_logs(web3, decoder.addresses, from_block, last):
        for log in logs.logs:
            decoded = decoder.decode(log)
            if decoded.block_number not in stamps:
                stamps[decoded.block_number] = _block_timestamp(web3, log, decoded.block_number)
            events.append(ChainEvent(decoded.contract, decoded.event, decoded.args, stamps[decoded.block_number],
                                     decoded.block_number, decoded.log_index))
    return events


def _block_timestamp(web3: Web3, log, block_number: int) -> int:
    """The timestamp of the block holding ``log``: from the log itself on nodes that include it (anvil, geth
    1.15+: a request a block spared), else asked of the node."""
    given = log.get("blockTimestamp")
    if given is None:
        return int(web3.eth.get_block(block_number)["timestamp"])
    return int(given, 16) if isinstance(given, str) else int(given)


def platform_contracts(platform, names: Iterable[str] = CONTRACTS) -> dict[str, tuple[str, list[dict]]]:
    """(address, ABI) of the KPI contracts of a deployed govchain.deploy.Platform (those it has)."""
    return {name: (platform.addresses[name], platform.contract(name).abi) for name in names
            if name in platform.addresses}


def compute_kpis(events: Iterable[ChainEvent], period: Period) -> list[KpiRow]:
    """The KPI table of ``period``, sorted, from ``events`` (any order; only those before the period's end
    count)."""
    seen = sorted((e for e in events if e.timestamp < period.end), key=lambda e: (e.block_number, e.log_index))
    rows: list[KpiRow] = []
    rows += _approval_latency(seen, period)
    rows += _funds_to_households(seen, period)
    rows += _visits(seen, period)
    rows += _exits_sustained(seen, period)
    rows += _objections(seen, period)
    rows += _supervision_findings(seen, period)
    return sorted(rows)


def kpi_root(rows: list[KpiRow]) -> bytes:
    """The Merkle root of a KPI table (what assessors commit)."""
    from oracle.merkle import StandardMerkleTree  # the platform's one StandardMerkleTree implementation

    hashes = np.frombuffer(b"".join(row.leaf_hash() for row in sorted(rows)), dtype=np.uint8).reshape(-1, 32)
    return StandardMerkleTree.from_leaf_hashes(hashes).root


RESULTS_FORMAT = "govchain-kpi-results/1"


def results_document(rows: list[KpiRow], period: Period, scope: int) -> bytes:
    """The full results an assessment's ``resultsCid`` names: JSON with the period, scope, root and every row
    (sorted), so a reader can show the table and recompute the committed root from it."""
    import json

    ordered = sorted(rows)
    return json.dumps({
        "format": RESULTS_FORMAT, "scope": scope, "periodStart": period.start, "periodEnd": period.end,
        "root": "0x" + kpi_root(ordered).hex(),
        "rows": [{"entity": r.entity, "entityId": str(r.entity_id), "kpi": r.kpi, "value": str(r.value)}
                 for r in ordered],
    }, ensure_ascii=False, sort_keys=True).encode("utf-8")


def rows_from_document(content: bytes) -> list[KpiRow]:
    """The rows of a :func:`results_document`; ValueError if it is not one."""
    import json

    try:
        document = json.loads(content)
        if document.get("format") != RESULTS_FORMAT:
            raise ValueError(f"not a {RESULTS_FORMAT} document")
        return [KpiRow(str(r["entity"]), int(r["entityId"]), str(r["kpi"]), int(r["value"]))
                for r in document["rows"]]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(f"not a KPI results document ({type(exc).__name__})") from exc


def _mean(values: list[int]) -> int:
    return sum(values) // len(values)


def _approval_latency(events: list[ChainEvent], period: Period) -> list[KpiRow]:
    entered: dict[tuple[int, int], int] = {}
    by_region: dict[tuple[int, int], list[int]] = defaultdict(list)
    by_official: dict[int, list[int]] = defaultdict(list)
    for e in events:
        if e.event != "ApprovalTransition":
            continue
        subject, level, outcome = _int(e.args["subject"]), int(e.args["level"]), int(e.args["outcome"])
        if outcome in (SUBMITTED, RESUBMITTED):
            entered[(subject, level)] = e.timestamp
        elif outcome in DECISIONS:
            since = entered.get((subject, level))
            if outcome == ADVANCED:
                entered[(subject, level + 1)] = e.timestamp
            if since is None or e.timestamp not in period:
                continue
            latency = e.timestamp - since
            by_region[(subject & REGION_MASK, level)].append(latency)
            by_official[int(e.args["actor"], 16)].append(latency)
    rows = [
        KpiRow("region", region, f"approval_latency_s.L{level}", _mean(v)) for (region, level), v in by_region.items()
    ]
    for official, latencies in by_official.items():
        rows.append(KpiRow("official", official, "approval_decisions", len(latencies)))
        rows.append(KpiRow("official", official, "approval_latency_s", _mean(latencies)))
    return rows


def _funds_to_households(events: list[ChainEvent], period: Period) -> list[KpiRow]:
    campaign_plan: dict[int, int] = {}
    releases: dict[int, deque] = defaultdict(deque)  # plan → [amount left, released at, counted]
    counted: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # plan → [released, reached in 30 days]

    def release(plan: int, amount: int, at: int) -> None:
        eligible = at in period and at + FUNDS_WINDOW <= period.end
        releases[plan].append([amount, at, eligible])
        if eligible:
            counted[plan][0] += amount

    def pay(plan: int, amount: int, at: int) -> None:
        queue = releases[plan]
        while amount > 0 and queue:
            head = queue[0]
            spent = min(amount, head[0])
            if head[2] and at - head[1] <= FUNDS_WINDOW:
                counted[plan][1] += spent
            head[0] -= spent
            amount -= spent
            if head[0] == 0:
                queue.popleft()

    for e in events:
        a = e.args
        if e.event == "FundsMoved" and int(a["kind"]) == RELEASED:
            release(_int(a["planId"]), _int(a["amount"]), e.timestamp)
        elif e.event == "Payment" and int(a["kind"]) in (PAID_TO_WALLET, BANK_CONFIRMED):
            pay(_int(a["planId"]), _int(a["amount"]), e.timestamp)
        elif e.event == "CampaignOpened":
            campaign_plan[_int(a["campaignId"])] = _int(a["planId"])
        elif e.event == "TrancheReleased":
            release(_int(a["planId"]), _int(a["amount"]), e.timestamp)
        elif e.event == "DonationsPaid":
            pay(_int(a["planId"]), _int(a["amount"]), e.timestamp)
    return [KpiRow("plan", plan, "funds_to_households_30d_bps", reached * BPS // released)
            for plan, (released, reached) in counted.items() if released > 0]


def _visits(events: list[ChainEvent], period: Period) -> list[KpiRow]:
    dispatch_village: dict[int, int] = {}
    household_village: dict[str, int] = {}
    first_served: dict[str, int] = {}
    visits: list[tuple[str, int, int, int]] = []  # household, village, date, satisfaction
    for e in events:
        a = e.args
        if e.event == "MaterialDispatched":
            dispatch_village[_int(a["dispatchId"])] = _int(a["village"])
        elif e.event == "MaterialDelivered" and e.timestamp in period:
            household = a["household"]
            household_village[household] = dispatch_village[_int(a["dispatchId"])]
            first_served.setdefault(household, e.timestamp)
        elif e.event == "Payment" and int(a["kind"]) in (PAID_TO_WALLET, BANK_CONFIRMED) and e.timestamp in period:
            household = a["household"]
            household_village[household] = _int(a["region"])
            first_served.setdefault(household, e.timestamp)
        elif e.event == "VisitRecorded" and int(a["date"]) in period:
            visits.append((a["household"], _int(a["region"]), int(a["date"]), int(a["satisfaction"])))
    rows = []
    served_by_village: dict[int, set] = defaultdict(set)
    for household, village in household_village.items():
        served_by_village[village].add(household)
    visited = {h for h, _, date, _ in visits if h in first_served and date >= first_served[h]}
    for village, served in served_by_village.items():
        rows.append(KpiRow("region", village, "visit_coverage_bps", len(served & visited) * BPS // len(served)))
    scores: dict[int, list[int]] = defaultdict(list)
    for _, village, _, satisfaction in visits:
        scores[village].append(satisfaction)
    for village, values in scores.items():
        rows.append(KpiRow("region", village, "visit_satisfaction_x100", sum(values) * 100 // len(values)))
        rows.append(KpiRow("region", village, "visits", len(values)))
    return rows


def _exits_sustained(events: list[ChainEvent], period: Period) -> list[KpiRow]:
    exits: list[tuple[str, int, int]] = []  # household, region, exited at
    returns: dict[str, list[int]] = defaultdict(list)
    for e in events:
        if e.event == "HouseholdExited":
            exits.append((e.args["householdId"], _int(e.args["region"]), e.timestamp))
        elif e.event in ("HouseholdRegistered", "HouseholdMonitored"):
            returns[e.args["householdId"]].append(e.timestamp)
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for household, region, at in exits:
        if at + EXIT_HORIZON not in period:
            continue
        totals[region][0] += 1
        if not any(at < back <= at + EXIT_HORIZON for back in returns[household]):
            totals[region][1] += 1
    return [KpiRow("region", region, "exits_sustained_12m_bps", kept * BPS // count)
            for region, (count, kept) in totals.items()]


def _objections(events: list[ChainEvent], period: Period) -> list[KpiRow]:
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for e in events:
        if e.event == "ObjectionResolved" and e.timestamp in period:
            region = _int(e.args["subject"]) & REGION_MASK
            totals[region][0] += 1
            totals[region][1] += bool(e.args["upheld"])
    rows = []
    for region, (resolved, upheld) in totals.items():
        rows += [KpiRow("region", region, "objections_resolved", resolved),
                 KpiRow("region", region, "objections_upheld", upheld)]
    return rows


def _supervision_findings(events: list[ChainEvent], period: Period) -> list[KpiRow]:
    case_region: dict[int, int] = {}
    findings: dict[int, int] = defaultdict(int)
    for e in events:
        if e.event == "CaseOpened":
            case_region[_int(e.args["caseId"])] = _int(e.args["region"])
        elif e.event == "CaseResolved" and e.args["upheld"] and e.timestamp in period:
            findings[case_region[_int(e.args["caseId"])]] += 1
    return [KpiRow("region", region, "supervision_findings", count) for region, count in findings.items()]
