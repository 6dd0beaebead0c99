"""IATI activity standard 2.03 export of the earmarked funds (资金使用情况), built from the event index.

One ``iati-activity`` per support plan (PlanRegistry), one ``transaction`` per money movement of its funds
(FundLedger, PaymentBatches, MaterialSupply's procurement payments, Crowdfunding), valued in CNY on the Beijing date it happened. The document is built with lxml
(never by string concatenation) and validated against the official 2.03 schema shipped in
``dashboard/schemas/iati-2.03/`` (see its SOURCE.md).

Transaction types (IATI ``TransactionType`` codelist), from the plan's point of view — the activity is the
plan, the publisher reports it:

| event | kind | IATI type | value | counterpart |
|---|---|---|---|---|
| ``FundLedger.FundsMoved`` | ``Escrowed`` | 11 Incoming Commitment | + | provider: the appropriation (预算指标) |
| ``FundLedger.FundsMoved`` | ``Released`` | 3 Disbursement | + | receiver: the plan's tranche (milestone) |
| ``PaymentBatches.Payment`` | ``PaidToWallet``, ``BankConfirmed`` | 4 Expenditure | + | receiver: the batch's households |
| ``PaymentBatches.Payment`` | ``BankInstructed`` | 2 Outgoing Commitment | + | receiver: the bank, for the batch |
| ``PaymentBatches.Payment`` | ``BankFailed`` | 2 Outgoing Commitment | − | the instruction lapsed |
| ``PaymentBatches.Payment`` | ``Recovered`` | 1 Incoming Funds | + | provider: the batch's households (追回) |
| ``FundLedger.FundsMoved`` | ``Returned`` | 11 Incoming Commitment | − | back to the appropriation |
| ``MaterialSupply.ProcurementReceived`` | — | 4 Expenditure | + | receiver: the supplier (an enterprise) |
| ``Crowdfunding.Donated`` / ``Refunded`` | — | 1 Incoming Funds | + / − | the campaign's donations (donors unnamed) |
| ``Crowdfunding.TrancheReleased`` | — | 3 Disbursement | + | provider: the campaign |
| ``Crowdfunding.DonationsPaid`` | — | 4 Expenditure | + | receiver: households of the campaign |

Why these: the appropriation's money set aside for the plan is a firm commitment *to* the activity (11, the
task's "incoming commitment = appropriation"); a recovery is money coming back into the activity, which IATI's
type 1 describes (its type 7 "Reimbursement" means covering what a recipient already spent, not a clawback);
returns reduce what was committed, so they are a negative 11 and the sum of type 11 stays what the plan kept.
``Minted`` (planId 0) belongs to the appropriation, not to a plan, and is not exported.

Privacy: a payment event names a pseudonymous household, a donation its donor's address; the export names
neither. Payments are summed per batch (donations per campaign), kind and day, and the receiver is "the N
households of batch B" — the entries are public on chain already, their ids are not repeated here.

Text that came from the chain (CIDs, hostile or not) goes through :func:`xml_text`: characters XML 1.0 forbids
(C0 controls but tab, newline and carriage return; lone surrogates; U+FFFE and U+FFFF) are replaced by U+FFFD,
so the file always parses; markup characters are escaped by the serializer like any text.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from lxml import etree

from dashboard.queries import SiteDataError, open_index
from dashboard.queries_plans import _folded as folded_plans
from dashboard.queries_plans import frozen_targets
from govchain.categories import category
from govchain.funds import Movement, PaymentKind
from govchain.plans import PlanStatus, SupportType, plan_target

IATI_VERSION = "2.03"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "iati-2.03" / "iati-activities-schema.xsd"
CURRENCY = "CNY"
BEIJING = timezone(timedelta(hours=8))  # value dates are the books' calendar dates
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# IATI TransactionType codes.
INCOMING_FUNDS, OUTGOING_COMMITMENT, DISBURSEMENT, EXPENDITURE, INCOMING_COMMITMENT = "1", "2", "3", "4", "11"
LEDGER_TYPES = {Movement.ESCROWED: (INCOMING_COMMITMENT, 1), Movement.RELEASED: (DISBURSEMENT, 1),
                Movement.RETURNED: (INCOMING_COMMITMENT, -1)}
# Movements summed per batch (campaign), kind and day, by PaymentKind name or Crowdfunding event.
SUMMED_TYPES = {"PAID_TO_WALLET": (EXPENDITURE, 1), "BANK_CONFIRMED": (EXPENDITURE, 1),
                "BANK_INSTRUCTED": (OUTGOING_COMMITMENT, 1), "BANK_FAILED": (OUTGOING_COMMITMENT, -1),
                "RECOVERED": (INCOMING_FUNDS, 1), "DONATED": (INCOMING_FUNDS, 1),
                "DONATION_REFUNDED": (INCOMING_FUNDS, -1), "DONATIONS_PAID": (EXPENDITURE, 1)}
CROWD_KINDS = {"Donated": "DONATED", "Refunded": "DONATION_REFUNDED", "DonationsPaid": "DONATIONS_PAID"}

# IATI ActivityStatus: 1 pipeline, 2 implementation, 3 finalisation, 4 closed, 5 cancelled, 6 suspended.
ACTIVITY_STATUS = {
    PlanStatus.DRAFT: "1", PlanStatus.SUBMITTED: "1", PlanStatus.RETURNED: "1",
    PlanStatus.APPROVED: "2", PlanStatus.EXECUTING: "2", PlanStatus.COMPLETED: "3", PlanStatus.CLOSED: "4",
    PlanStatus.REJECTED: "5", PlanStatus.CANCELLED: "5",
}
SUSPENDED = "6"  # a plan frozen by supervision
LISTED_TXS = 3  # chain transactions named in a summed transaction's description

SUPPORT_TYPE_NAMES = {
    SupportType.POLICY: ("政策", "policy"), SupportType.PROJECT: ("项目", "project"),
    SupportType.FUND: ("资金", "fund"), SupportType.MATERIAL: ("物资", "material"),
    SupportType.INDUSTRY: ("产业", "industry"), SupportType.ENTERPRISE: ("企业", "enterprise"),
    SupportType.SOCIAL: ("社会", "social"), SupportType.CROWDFUNDING: ("众筹", "crowdfunding"),
}

KIND_NAMES = {  # the movement, in the description of its transaction
    "ESCROWED": ("划入计划托管", "escrowed for the plan"),
    "RELEASED": ("分期拨付", "tranche released"),
    "RETURNED": ("退回预算指标", "returned to the appropriation"),
    "PAID_TO_WALLET": ("发放到户钱包", "paid to wallets"),
    "BANK_INSTRUCTED": ("银行代发指令", "bank payment instructed"),
    "BANK_CONFIRMED": ("银行代发完成", "bank payment confirmed"),
    "BANK_FAILED": ("银行代发失败", "bank payment failed"),
    "RECOVERED": ("追回", "recovered"),
    "PROCURED": ("采购付款", "procurement paid"),
    "DONATED": ("众筹捐款", "donations"),
    "DONATION_REFUNDED": ("众筹退款", "donations refunded"),
    "CROWD_RELEASED": ("众筹分期拨付", "crowdfunded tranche released"),
    "DONATIONS_PAID": ("众筹资金发放到户", "donations paid to households"),
}

# Characters XML 1.0 does not allow (https://www.w3.org/TR/xml/#charsets).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_CID = re.compile(r"^[A-Za-z0-9]{46,128}$")  # base32 / base58btc CIDs: the only ones linked as ipfs:// URLs


def xml_text(value: object) -> str:
    """``value`` as text XML 1.0 can carry: forbidden characters become U+FFFD (markup is the serializer's)."""
    return _NOT_XML.sub("\ufffd", "" if value is None else str(value))


@dataclass(frozen=True)
class Publisher:
    """The reporting organisation. ``ref`` is its IATI organisation identifier (a real publisher uses its
    registered one, e.g. ``CN-USCC-<unified social credit code>``); type 10 is government."""

    ref: str = "CN-GOVCHAIN-DEMO"
    name_zh: str = "县乡村振兴局（政务链乡村振兴平台）"
    name_en: str = "County Rural Revitalization Bureau (GovChain platform)"
    org_type: str = "10"


@dataclass
class PlanActivity:
    """What the export says about one plan, folded from PlanRegistry's and FundLedger's events."""

    plan_id: int
    region: int
    support_type: int
    category: int
    owner: int
    status: int
    drafted: int
    updated: int
    budget_fen: int = 0
    budget_approved: bool = False
    document_cid: str = ""
    started: int | None = None
    ended: int | None = None
    planned_end: int | None = None
    frozen: bool = False
    appropriation: int | None = None
    budget_line: str | None = None
    year: int | None = None


@dataclass
class FundTransaction:
    """One IATI transaction: a ledger movement or procurement, or the payments (donations) of one batch
    (campaign), kind and day summed."""

    plan_id: int
    type_code: str
    value_fen: int  # signed
    time: int
    kind: str  # the Movement / PaymentKind name
    tx_hashes: list[str] = field(default_factory=list)
    entries: int = 1
    group: int | None = None  # the payment batch, procurement or crowdfunding campaign
    party: str | None = None  # the supplier paid (an enterprise's address)
    tranche: int | None = None
    appropriation: int | None = None


def _day(timestamp: int) -> date:
    return datetime.fromtimestamp(timestamp, BEIJING).date()


def fund_records(index) -> tuple[list[PlanActivity], list[FundTransaction]]:
    """Every plan and every money movement of its funds in the index at ``index``."""
    plans = _plan_activities(index)
    store = open_index(index)
    try:
        ledger_rows = store.events("FundLedger", ("AppropriationProposed", "PlanLinked", "FundsMoved"))
        payment_rows = store.events("PaymentBatches", ("Payment",))
        supply_rows = store.events("MaterialSupply", ("ProcurementReceived",))
        crowd_rows = store.events("Crowdfunding", ("CampaignOpened", "TrancheReleased", *CROWD_KINDS))
    finally:
        store.close()
    _link_appropriations(plans, ledger_rows)
    return list(plans.values()), _transactions(plans, ledger_rows, payment_rows, supply_rows, crowd_rows)


def _plan_activities(index) -> dict[int, PlanActivity]:
    """The plans as the plan pages fold them (dashboard.queries_plans), with what the export adds: the version in
    force (else the latest draft, its budget indicative), its last milestone's due date, a freeze."""
    folded, versions, _ = folded_plans(index)
    frozen = frozen_targets(index)
    activities = {}
    for plan in folded.values():
        plan_id = plan["plan_id"]
        terms = versions[(plan_id, plan["current"] or plan["latest"])]["terms"]
        activities[plan_id] = PlanActivity(
            plan_id, plan["region"], plan["support_type"], plan["category"], plan["owner"], plan["status"],
            plan["drafted_time"], plan["updated_time"], int(terms["budget"]), bool(plan["current"]),
            terms["documentCid"], plan["started_time"], plan["ended_time"], _last_due(terms),
            plan_target(plan["address"], plan_id, plan["region"]) in frozen)
    return activities


def _link_appropriations(plans: dict[int, PlanActivity], ledger_rows) -> None:
    appropriations = {int(r.args["id"]): r.args for r in ledger_rows if r.event == "AppropriationProposed"}
    for r in ledger_rows:
        if r.event == "PlanLinked" and int(r.args["planId"]) in plans:
            activity = plans[int(r.args["planId"])]
            activity.appropriation = int(r.args["appropriationId"])
            proposed = appropriations.get(activity.appropriation)
            if proposed:
                activity.budget_line, activity.year = _budget_line(proposed["budgetLine"]), int(proposed["year"])


def _budget_line(value: str) -> str:
    """A budget line code (bytes32) as its text when it is printable ASCII (e.g. 2130505), else as hex."""
    raw = bytes.fromhex(value[2:]).rstrip(b"\0")
    return raw.decode("ascii") if raw and all(0x20 < b < 0x7F for b in raw) else value


def _last_due(terms: dict) -> int | None:
    dues = [int(m["dueDate"]) for m in terms.get("milestones", []) if int(m["dueDate"])]
    return max(dues) if dues else None


def _transactions(plans: dict[int, PlanActivity], ledger_rows, payment_rows, supply_rows=(),
                  crowd_rows=()) -> list[FundTransaction]:
    out: list[FundTransaction] = []
    for r in ledger_rows:
        if r.event != "FundsMoved" or int(r.args["planId"]) not in plans:
            continue
        kind = Movement(int(r.args["kind"]))
        if kind not in LEDGER_TYPES:
            continue
        code, sign = LEDGER_TYPES[kind]
        out.append(FundTransaction(
            int(r.args["planId"]), code, sign * int(r.args["amount"]), r.block_time, kind.name, [r.tx_hash],
            tranche=int(r.args["index"]) if kind == Movement.RELEASED else None,
            appropriation=int(r.args["appropriationId"])))
    for r in supply_rows:  # a procurement paid to its supplier (an enterprise, named by its address)
        if r.event == "ProcurementReceived" and int(r.args["planId"]) in plans:
            out.append(FundTransaction(int(r.args["planId"]), EXPENDITURE, int(r.args["amount"]), r.block_time,
                                       "PROCURED", [r.tx_hash], group=int(r.args["procurementId"]),
                                       party=r.args["supplier"]))
    campaign_plan: dict[int, int] = {}
    for r in crowd_rows:
        if r.event == "CampaignOpened":
            campaign_plan[int(r.args["campaignId"])] = int(r.args["planId"])
        elif r.event == "TrancheReleased" and int(r.args["planId"]) in plans:
            out.append(FundTransaction(int(r.args["planId"]), DISBURSEMENT, int(r.args["amount"]), r.block_time,
                                       "CROWD_RELEASED", [r.tx_hash], tranche=int(r.args["index"]),
                                       group=int(r.args["campaignId"])))
    summed: dict[tuple, FundTransaction] = {}

    def add(plan_id: int, kind: str, group: int, amount: int, r) -> None:
        """Sums movements to or from households (or donors) per group, kind and day: no one is named."""
        if plan_id not in plans:
            return
        code, sign = SUMMED_TYPES[kind]
        key = (plan_id, group, kind, _day(r.block_time))
        entry = summed.get(key)
        if entry is None:
            entry = summed[key] = FundTransaction(plan_id, code, 0, r.block_time, kind, entries=0, group=group)
        entry.value_fen += sign * amount
        entry.entries += 1
        entry.time = max(entry.time, r.block_time)
        if r.tx_hash not in entry.tx_hashes:
            entry.tx_hashes.append(r.tx_hash)

    for r in payment_rows:
        if r.event == "Payment":
            add(int(r.args["planId"]), PaymentKind(int(r.args["kind"])).name, int(r.args["batchId"]),
                int(r.args["amount"]), r)
    for r in crowd_rows:
        campaign = int(r.args.get("campaignId", 0))
        if r.event in CROWD_KINDS:
            plan_id = int(r.args["planId"]) if "planId" in r.args else campaign_plan.get(campaign, 0)
            add(plan_id, CROWD_KINDS[r.event], campaign, int(r.args["amount"]), r)
    out.extend(summed.values())
    return sorted(out, key=lambda t: (t.plan_id, t.time, t.type_code, t.group or 0))


# ---------------------------------------------------------------------------------------------- building the XML


def _narratives(parent, element: str, zh: str, en: str | None = None, attrs: dict[str, str] | None = None):
    node = etree.SubElement(parent, element, {k: xml_text(v) for k, v in (attrs or {}).items()})
    etree.SubElement(node, "narrative").text = xml_text(zh)  # in the activity's language (zh)
    if en:
        etree.SubElement(node, "narrative", {XML_LANG: "en"}).text = xml_text(en)
    return node


def _yuan(fen: int) -> str:
    return str((Decimal(fen) / 100).quantize(Decimal("0.01")))


def _iso(timestamp: int) -> str:
    return _day(timestamp).isoformat()


def _datetime(timestamp: int) -> str:
    return datetime.fromtimestamp(timestamp, timezone.utc).isoformat(timespec="seconds")


def _counterpart(t: FundTransaction, plan: PlanActivity) -> tuple[str, str, str]:
    """(element, 中文, English) naming the other side of a transaction; households only as a count."""
    if t.kind in ("ESCROWED", "RETURNED"):
        element = "provider-org" if t.kind == "ESCROWED" else "receiver-org"
        return element, f"预算指标 #{t.appropriation}", f"appropriation #{t.appropriation}"
    if t.kind == "RELEASED":
        return "receiver-org", f"计划 #{plan.plan_id} 第 {t.tranche} 期", f"plan #{plan.plan_id} tranche {t.tranche}"
    if t.kind == "CROWD_RELEASED":
        return "provider-org", f"众筹活动 #{t.group}", f"crowdfunding campaign #{t.group}"
    if t.kind == "PROCURED":
        return "receiver-org", f"供应商 {t.party}（采购 #{t.group}）", f"supplier {t.party} (procurement #{t.group})"
    if t.kind in ("DONATED", "DONATION_REFUNDED"):
        element = "provider-org" if t.kind == "DONATED" else "receiver-org"
        return element, f"众筹活动 #{t.group} 的 {t.entries} 笔捐款（捐赠人不公开）", \
            f"{t.entries} donations to campaign #{t.group} (donors withheld)"
    if t.kind == "DONATIONS_PAID":
        return "receiver-org", f"众筹活动 #{t.group} 的 {t.entries} 笔到户发放（户编号不公开）", \
            f"{t.entries} payments to households from campaign #{t.group} (ids withheld)"
    if t.kind in ("BANK_INSTRUCTED", "BANK_FAILED"):
        return "receiver-org", f"代发银行（批次 #{t.group}，{t.entries} 笔）", \
            f"paying bank (batch #{t.group}, {t.entries} entries)"
    element = "provider-org" if t.kind == "RECOVERED" else "receiver-org"
    return element, f"批次 #{t.group} 的 {t.entries} 户（户编号不公开）", \
        f"{t.entries} households of batch #{t.group} (ids withheld)"


def _transaction(activity, t: FundTransaction, plan: PlanActivity) -> None:
    node = etree.SubElement(activity, "transaction", ref=xml_text(t.tx_hashes[0]) if t.tx_hashes else "")
    etree.SubElement(node, "transaction-type", code=t.type_code)
    etree.SubElement(node, "transaction-date", {"iso-date": _iso(t.time)})
    value = etree.SubElement(node, "value", {"currency": CURRENCY, "value-date": _iso(t.time)})
    value.text = _yuan(t.value_fen)
    # A batch settled in many calls has many transactions: the first few are named, the rest counted.
    txs = ", ".join(t.tx_hashes[:LISTED_TXS])
    more_zh = f" 等 {len(t.tx_hashes)} 笔" if len(t.tx_hashes) > LISTED_TXS else ""
    more_en = f" and {len(t.tx_hashes) - LISTED_TXS} more" if len(t.tx_hashes) > LISTED_TXS else ""
    zh, en = KIND_NAMES[t.kind]
    _narratives(node, "description", f"{zh}：链上交易 {txs}{more_zh}", f"{en}: on-chain transaction(s) {txs}{more_en}")
    element, zh, en = _counterpart(t, plan)
    _narratives(node, element, zh, en)


def _activity(root, plan: PlanActivity, transactions: list[FundTransaction], publisher: Publisher) -> None:
    attrs = {"last-updated-datetime": _datetime(max([plan.updated, *[t.time for t in transactions]])),
             XML_LANG: "zh", "default-currency": CURRENCY, "hierarchy": "1"}
    activity = etree.SubElement(root, "iati-activity", attrs)
    etree.SubElement(activity, "iati-identifier").text = xml_text(f"{publisher.ref}-PLAN-{plan.plan_id}")
    _narratives(activity, "reporting-org", publisher.name_zh, publisher.name_en,
                {"ref": publisher.ref, "type": publisher.org_type})
    kind_zh, kind_en = SUPPORT_TYPE_NAMES.get(plan.support_type, (str(plan.support_type), str(plan.support_type)))
    cat = category(plan.category)
    _narratives(activity, "title", f"{kind_zh}扶持计划 #{plan.plan_id}：{cat.zh}（{plan.region}）",
                f"{kind_en} support plan #{plan.plan_id}: {cat.en} ({plan.region})")
    line = f"，预算科目 {plan.budget_line}（{plan.year} 年度）" if plan.budget_line else ""
    line_en = f", budget line {plan.budget_line} ({plan.year})" if plan.budget_line else ""
    _narratives(
        activity,
        "description",
        f"区域 {plan.region} 的{kind_zh}扶持计划，项目类别 {cat.code} {cat.zh}{line}；计划文件 CID {plan.document_cid}",
        f"{kind_en} support plan of region {plan.region}, project category {cat.code} {cat.en}{line_en}; "
        f"plan document CID {plan.document_cid}",
    )
    _narratives(activity, "participating-org", "县级财政（专项资金）", "County treasury (earmarked funds)",
                {"role": "1", "type": "10"})  # funding
    _narratives(activity, "participating-org", f"主管部门（官员编号 {plan.owner}）",
                f"Responsible department (official #{plan.owner})", {"role": "4", "type": "10"})  # implementing
    status = SUSPENDED if plan.frozen else ACTIVITY_STATUS.get(PlanStatus(plan.status), "1")
    etree.SubElement(activity, "activity-status", code=status)
    etree.SubElement(activity, "activity-date", {"type": "1", "iso-date": _iso(plan.drafted)})  # planned start
    if plan.started is not None:
        etree.SubElement(activity, "activity-date", {"type": "2", "iso-date": _iso(plan.started)})
    if plan.planned_end is not None:
        etree.SubElement(activity, "activity-date", {"type": "3", "iso-date": _iso(plan.planned_end)})
    if plan.ended is not None:
        etree.SubElement(activity, "activity-date", {"type": "4", "iso-date": _iso(plan.ended)})
    etree.SubElement(activity, "recipient-country", code="CN", percentage="100")
    location = etree.SubElement(activity, "location", ref=str(plan.region))
    etree.SubElement(location, "location-reach", code="2")  # the beneficiaries live there
    _narratives(location, "name", f"行政区划 {plan.region}", f"administrative division {plan.region}")
    _narratives(location, "description", "12 位统计用区划代码", "12-digit statistical division code")
    if cat.dac:
        _narratives(activity, "sector", cat.zh, cat.en, {"vocabulary": "1", "code": cat.dac})
    # The plan's own category code, in the reporting organisation's vocabulary (99).
    _narratives(activity, "sector", cat.zh, cat.en, {"vocabulary": "99", "code": str(cat.code)})
    start = plan.started or plan.drafted
    # The last milestone's due date, or a year (IATI's rules want budget periods of at most a year; a plan
    # longer than that still reports one budget for the version in force, its period ending at the last due date).
    end = plan.planned_end if plan.planned_end and plan.planned_end >= start else start + 364 * 86400
    budget = etree.SubElement(activity, "budget", type="1", status="2" if plan.budget_approved else "1")
    etree.SubElement(budget, "period-start", {"iso-date": _iso(start)})
    etree.SubElement(budget, "period-end", {"iso-date": _iso(end)})
    value = etree.SubElement(budget, "value", {"currency": CURRENCY, "value-date": _iso(start)})
    value.text = _yuan(plan.budget_fen)
    for t in transactions:
        _transaction(activity, t, plan)
    if _CID.match(plan.document_cid or ""):
        link = etree.SubElement(activity, "document-link", url=f"ipfs://{plan.document_cid}", format="application/json")
        _narratives(link, "title", "计划文件", "Plan document")
        etree.SubElement(link, "category", code="A02")  # objectives / purpose of activity


def iati_document(plans: list[PlanActivity], transactions: list[FundTransaction], publisher: Publisher = Publisher(),
                  generated: datetime | None = None) -> etree._ElementTree:
    """The ``iati-activities`` document: plans by id, each with its transactions in time order."""
    generated = generated or datetime.now(timezone.utc)
    root = etree.Element("iati-activities", {"version": IATI_VERSION,
                                             "generated-datetime": generated.isoformat(timespec="seconds")})
    by_plan: dict[int, list[FundTransaction]] = defaultdict(list)
    for t in transactions:
        by_plan[t.plan_id].append(t)
    for plan in sorted(plans, key=lambda p: p.plan_id):
        _activity(root, plan, by_plan.get(plan.plan_id, []), publisher)
    return etree.ElementTree(root)


def to_bytes(document: etree._ElementTree) -> bytes:
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def export(index, publisher: Publisher = Publisher(), generated: datetime | None = None) -> bytes:
    """The index's plans and fund movements as an IATI 2.03 file (bytes, UTF-8), checked against the schema."""
    plans, transactions = fund_records(index)
    document = iati_document(plans, transactions, publisher, generated)
    problems = schema_errors(document)
    if problems:
        raise IatiSchemaError(problems)
    return to_bytes(document)


# ---------------------------------------------------------------------------------------------- validation


class IatiSchemaError(SiteDataError):
    """Raised when a built document does not validate against the IATI 2.03 schema (a bug here: report it)."""

    def __init__(self, problems: list[str]):
        super().__init__("The IATI export does not validate against the 2.03 schema: " + "; ".join(problems[:5]))
        self.problems = problems


@lru_cache(maxsize=1)
def schema() -> etree.XMLSchema:
    """The official IATI 2.03 activity schema (its includes and xml.xsd are read from the same folder)."""
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def schema_errors(document) -> list[str]:
    """Every schema error of ``document`` (an element tree, or XML bytes), empty when it is valid."""
    if isinstance(document, (bytes, str)):
        document = etree.ElementTree(etree.fromstring(document.encode() if isinstance(document, str) else document))
    checker = schema()
    return [] if checker.validate(document) else [f"line {e.line}: {e.message}" for e in checker.error_log]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard.iati", description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="the event index (SQLite) the indexer wrote")
    parser.add_argument("--out", required=True, help="the IATI XML file to write")
    parser.add_argument("--reporting-org", default=Publisher.ref, help="the publisher's IATI organisation identifier")
    args = parser.parse_args(argv)
    try:
        data = export(args.index, Publisher(ref=args.reporting_org))
    except SiteDataError as exc:
        print(exc, file=sys.stderr)
        return 2
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)  # never a half-written export
    activities = data.count(b"<iati-activity ")
    transactions = data.count(b"<transaction ")
    print(f"{out}: {activities} activities, {transactions} transactions (IATI {IATI_VERSION}, schema valid)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
