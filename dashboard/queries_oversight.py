"""Data access for 重大事件披露 disclosures, 整体考核 assessments, and the officials' freezes and overdue visits;
and the support a household received (for its self-check). No Streamlit here.

Supervision targets and hub subjects share one layout (contracts/approval/SubjectId.sol): the client contract's
address in the high 160 bits, a 56-bit key, the region in the low 40 bits; PlanRegistry's keys are
``tag (8) | plan id (32) | low (16)`` (govchain.plans), so a freeze of a plan or a milestone is named as such.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from dashboard.queries import REGION_MASK, SiteDataError, _events, _hid, inert, open_index
from dashboard.queries_plans import plans, yuan
from govchain.funds import PaymentKind
from govchain.plans import TAG_MILESTONE_TARGET, TAG_PLAN_TARGET

KEY_MASK = (1 << 56) - 1
DISCLOSURE_KINDS = ("major_event", "report")  # IDisclosure.DisclosureKind


# ---------------------------------------------------------------------------------------------- disclosures


def disclosures(index) -> pd.DataFrame:
    """重大事件披露: every disclosure (major event or report), its category, region, document CID and the one it
    corrects, newest first."""
    rows = [{
        "disclosure_id": int(r.args["id"]), "disclosure_kind": DISCLOSURE_KINDS[int(r.args["kind"])],
        "category": int(r.args["category"]), "region": int(r.args["region"]), "cid": inert(r.args["cid"]),
        "corrects": int(r.args["corrects"]) or None, "publisher": r.args["publisher"], "time": r.block_time,
        "tx_hash": r.tx_hash, "log_index": r.log_index,
    } for r in _events(index, "Disclosure", "Disclosed")]
    columns = ["disclosure_id", "disclosure_kind", "category", "region", "cid", "corrects", "publisher", "time",
               "tx_hash", "log_index"]
    table = pd.DataFrame(rows, columns=columns)
    table["corrects"] = table["corrects"].astype("Int64")
    return table.sort_values("disclosure_id", ascending=False, ignore_index=True)


# ---------------------------------------------------------------------------------------------- assessments


def assessments(index) -> pd.DataFrame:
    """整体考核: each assessment (scope, period), the assessors' votes and conflicts, whether final, its KPI
    table's root and row count, the method and results documents."""
    found: dict[str, dict] = {}
    assessors: dict[str, set] = defaultdict(set)
    events = ("AssessmentCommitted", "AssessmentConflict", "AssessmentFinalized")
    for r in _events(index, "AssessmentRegistry", events):
        aid = _hid(r.args["assessmentId"])
        if r.event == "AssessmentCommitted":
            t = r.args["tuple"]
            entry = found.setdefault(aid, {
                "assessment_id": aid, "scope": int(t["scope"]), "period_start": int(t["periodStart"]),
                "period_end": int(t["periodEnd"]), "root": _hid(t["root"]), "rows": int(t["rowCount"]),
                "votes": 0, "conflicts": 0, "final": False, "finalized_time": None,
                "method_cid": inert(r.args["methodCid"]), "results_cid": inert(r.args["resultsCid"]),
                "tx_hash": r.tx_hash, "log_index": r.log_index})
            assessors[aid].add(r.args["assessor"])
            entry["votes"] = len(assessors[aid])
        elif aid in found and r.event == "AssessmentConflict":
            found[aid]["conflicts"] += 1
        elif aid in found and r.event == "AssessmentFinalized":
            found[aid].update(final=True, finalized_time=r.block_time, root=_hid(r.args["root"]),
                              tx_hash=r.tx_hash, log_index=r.log_index)
    for entry in found.values():
        entry["agreement"] = ("final" if entry["final"] else "conflict" if entry["conflicts"] else "waiting")
    columns = ["assessment_id", "scope", "period_start", "period_end", "agreement", "votes", "conflicts", "root",
               "rows", "method_cid", "results_cid", "finalized_time", "tx_hash", "log_index"]
    return pd.DataFrame(list(found.values()), columns=columns).sort_values(
        "period_end", ascending=False, ignore_index=True)


def assessment_kpis(index, ipfs_api: str, assessment_id: str) -> tuple[pd.DataFrame, dict]:
    """The KPI table of an assessment from its results document on IPFS, when IPFS has it: the document's CID
    recomputed from its bytes and the table's Merkle root recomputed and compared with the root on chain.

    Returns (rows: entity, entity id, KPI, value; status: ``cid``, ``cid_ok``, ``root_ok``, ``detail``); the
    rows are empty when the document is unavailable or is not a KPI results document."""
    from assessment.kpis import kpi_root, rows_from_document
    from indexer.documents import fetch_document
    from oracle.ipfs import IpfsClient

    table = assessments(index)
    match = table[table.assessment_id == assessment_id.lower()]
    if match.empty:
        raise SiteDataError(f"No assessment {inert(assessment_id)} in the index.")
    entry = match.iloc[0]
    status = {"cid": entry.results_cid, "cid_ok": False, "root_ok": False, "detail": ""}
    empty = pd.DataFrame(columns=["entity", "entity_id", "kpi", "value"])
    store = open_index(index)
    try:
        document = fetch_document(store, IpfsClient(ipfs_api), entry.results_cid)
    finally:
        store.close()
    if not document.matches:
        status["detail"] = inert(document.error or f"content hashes to {document.recomputed}")
        return empty, status
    status["cid_ok"] = True
    try:
        rows = rows_from_document(document.content)
    except ValueError as exc:
        status["detail"] = inert(exc)
        return empty, status
    recomputed = "0x" + kpi_root(rows).hex() if rows else ""
    status["root_ok"] = recomputed == entry.root
    status["detail"] = f"root {recomputed}" if status["root_ok"] else f"the rows hash to {recomputed}, not {entry.root}"
    frame = pd.DataFrame([{"entity": r.entity,
                           "entity_id": f"0x{r.entity_id:040x}" if r.entity == "official" else str(r.entity_id),
                           "kpi": inert(r.kpi), "value": r.value} for r in rows],
                         columns=["entity", "entity_id", "kpi", "value"])
    return frame, status


# ---------------------------------------------------------------------------------------------- supervision


def _contract_names(index) -> dict[str, str]:
    """Contract name per address, from the index's cursors (one per indexed contract: no scan of the events)."""
    store = open_index(index)
    try:
        rows = store.db.execute("SELECT address, contract FROM cursors").fetchall()
    finally:
        store.close()
    return {address.lower(): contract for address, contract in rows}


def describe_target(target: int, contract: str) -> tuple[str, int | None]:
    """A supervision target in words ("plan 3", "milestone 0 of plan 4", or the contract's target) and the plan
    it belongs to, if a plan's."""
    key = (target >> 40) & KEY_MASK
    if contract == "PlanRegistry":
        tag, plan_id, low = key >> 48, (key >> 16) & 0xFFFFFFFF, key & 0xFFFF
        if tag == TAG_PLAN_TARGET:
            return f"plan {plan_id}", plan_id
        if tag == TAG_MILESTONE_TARGET:
            return f"milestone {low >> 8} of plan {plan_id}", plan_id
    return f"{contract} {key}", None


def open_cases(index) -> pd.DataFrame:
    """Supervision cases not resolved yet (合规监管): what each targets, whether it froze it, the reason."""
    names = _contract_names(index)
    cases: dict[int, dict] = {}
    for r in _events(index, "Supervision", ("CaseOpened", "CaseResolved")):
        case_id = int(r.args["caseId"])
        if r.event == "CaseOpened":
            target = int(r.args["target"])
            contract = names.get(r.args["client"].lower(), r.args["client"])
            what, plan_id = describe_target(target, contract)
            cases[case_id] = {
                "case_id": case_id, "target_id": str(target), "contract": contract, "what": what, "plan_id": plan_id,
                "region": target & REGION_MASK, "frozen": bool(r.args["frozen"]),
                "reason_cid": inert(r.args["reasonCid"]), "time": r.block_time, "tx_hash": r.tx_hash,
                "log_index": r.log_index}
        else:
            cases.pop(case_id, None)
    columns = ["case_id", "what", "contract", "plan_id", "region", "frozen", "reason_cid", "time", "target_id",
               "tx_hash", "log_index"]
    table = pd.DataFrame(list(cases.values()), columns=columns)
    table["plan_id"] = table["plan_id"].astype("Int64")
    return table


# ---------------------------------------------------------------------------------------------- visits


def overdue_visits(index, now: int) -> pd.DataFrame:
    """Follow-up visits due and not made (扶持回访): obligations opened by a service (a payment or a delivery)
    whose due date passed with no visit fulfilling them; ``marked`` when someone recorded it on chain."""
    open_: dict[tuple[int, str], dict] = {}
    events = ("VisitRequired", "VisitRecorded", "VisitOverdue")
    for r in _events(index, "FollowUpVisits", events):
        key = (int(r.args["planId"]), _hid(r.args["household"]))
        if r.event == "VisitRequired":
            open_[key] = {"plan_id": key[0], "household_id": key[1], "due": int(r.args["dueBy"]), "marked": False,
                          "tx_hash": r.tx_hash, "log_index": r.log_index}
        elif r.event == "VisitRecorded" and r.args["fulfilled"]:
            open_.pop(key, None)
        elif r.event == "VisitOverdue" and key in open_:
            open_[key]["marked"] = True
    regions_of = plans(index).set_index("plan_id")["region"].to_dict()
    rows = [{**o, "region": regions_of.get(o["plan_id"])} for o in open_.values() if o["due"] < now]
    columns = ["plan_id", "region", "household_id", "due", "marked", "tx_hash", "log_index"]
    return pd.DataFrame(rows, columns=columns)


# ---------------------------------------------------------------------------------------------- a household


def household_support(index, household_id: str) -> pd.DataFrame:
    """What one household received, oldest first: payments to its wallet or by bank, crowdfunded payments,
    materials delivered, follow-up visits (their date only: no scores or findings)."""
    hid = household_id.lower()
    rows = []

    def add(r, support, plan_id, amount, unit):
        rows.append({"time": r.block_time, "support": support, "plan_id": int(plan_id), "amount": amount,
                     "unit": unit, "tx_hash": r.tx_hash, "log_index": r.log_index})

    payment_names = {
        PaymentKind.PAID_TO_WALLET: "wallet payment",
        PaymentKind.BANK_INSTRUCTED: "bank instructed",
        PaymentKind.BANK_CONFIRMED: "bank payment confirmed",
        PaymentKind.BANK_FAILED: "bank payment failed",
        PaymentKind.RECOVERED: "recovered",
    }
    for r in _events(index, "PaymentBatches", "Payment"):
        if _hid(r.args["household"]) == hid:
            add(r, payment_names[PaymentKind(int(r.args["kind"]))], r.args["planId"], yuan(r.args["amount"]), "yuan")
    for r in _events(index, "Crowdfunding", "DonationsPaid"):
        if _hid(r.args["household"]) == hid:
            add(r, "crowdfunded payment", r.args["planId"], yuan(r.args["amount"]), "yuan")
    for r in _events(index, "MaterialSupply", "MaterialDelivered"):
        if _hid(r.args["household"]) == hid:
            add(r, "materials delivered", r.args["planId"], int(r.args["quantity"]), f"kind {r.args['kindId']}")
    for r in _events(index, "FollowUpVisits", "VisitRecorded"):
        if _hid(r.args["household"]) == hid:
            add(r, "follow-up visit", r.args["planId"], None, "")
    columns = ["time", "support", "plan_id", "amount", "unit", "tx_hash", "log_index"]
    return pd.DataFrame(rows, columns=columns).sort_values("time", kind="stable", ignore_index=True)


def document_text(index, ipfs_api: str, cid: str, limit: int = 4000) -> tuple[str | None, str]:
    """A disclosed document's text (inert, at most ``limit`` characters) when IPFS has it and its CID checks;
    else None and why."""
    from indexer.documents import fetch_document
    from oracle.ipfs import IpfsClient

    store = open_index(index)
    try:
        document = fetch_document(store, IpfsClient(ipfs_api), cid)
    finally:
        store.close()
    if not document.matches:
        return None, inert(document.error or f"content hashes to {document.recomputed}")
    return inert(document.content[:limit * 4].decode("utf-8", errors="replace")[:limit]), inert(document.method)


def execution_figures(index) -> dict[str, float]:
    """The overview's execution headline: plans, plans executing, yuan paid, materials delivered, open freezes,
    disclosures."""
    from dashboard.queries_funds import fund_totals, material_use

    table = plans(index)
    cases = open_cases(index)
    return {
        "plans_count": len(table), "plans_executing": int((table.status == "executing").sum()),
        "paid": fund_totals(index)["paid"], "delivered": int(material_use(index).delivered.sum()),
        "open_freezes": int(cases.frozen.sum()), "disclosures_count": len(disclosures(index)),
    }
