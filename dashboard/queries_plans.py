"""Data access for the plan pages, without Streamlit: 扶持计划披露 plans and their milestones, 振兴项目成效
effectiveness (KPI target against actual), the support-type and project-category shares, the effectiveness map.

Everything is folded from PlanRegistry's events, which carry what a page shows without further calls (plan id,
version, region, type, category, amounts, documents). Amounts are in yuan (the chain counts fen).
"""

from __future__ import annotations

from functools import lru_cache, wraps

import pandas as pd
from eth_utils import keccak

from dashboard.queries import _events, _index_version, inert
from govchain import regions
from govchain.plans import MilestoneStatus, PlanStatus, SupportType, VersionStatus, plan_target

FEN_PER_YUAN = 100
ENDED = (PlanStatus.COMPLETED, PlanStatus.CLOSED, PlanStatus.REJECTED, PlanStatus.CANCELLED)
PLAN_EVENTS = ("PlanDrafted", "PlanStatusChanged", "MilestoneStatusChanged", "OutcomeReported")
# KPI indicator codes the platform's plans use today. There is no indicator catalogue on chain yet: a code that
# is neither one of these (a keccak of the name) nor short ASCII is shown in hex.
KNOWN_INDICATORS = ("kpi:income", "kpi:households-above-income-line")
_INDICATOR_NAMES = {"0x" + keccak(text=name).hex(): name for name in KNOWN_INDICATORS}


_KEPT: list = []


def kept_per_index_version(function):
    """``function(index, *args)`` computed once per index version (the SQLite file and its write-ahead log as
    they stand), since a page calls several queries that build on the same folds. Callers must not modify what
    it returns."""
    cached = lru_cache(maxsize=4)(lambda index, version, *args: function(index, *args))

    @wraps(function)
    def wrapper(index, *args):
        return cached(str(index), _index_version(index), *args)

    _KEPT.append(cached)
    return wrapper


def clear_kept() -> None:
    """Forgets every kept result (the benchmark times pages from cold)."""
    for cached in _KEPT:
        cached.cache_clear()


def yuan(fen) -> float:
    return int(fen) / FEN_PER_YUAN


def indicator_name(code: str) -> str:
    """A KPI indicator's readable name: a known catalogue name, its ASCII text, or its hex code."""
    code = code.lower()
    if code in _INDICATOR_NAMES:
        return _INDICATOR_NAMES[code]
    raw = bytes.fromhex(code[2:]).rstrip(b"\x00")
    if raw and all(32 <= b < 127 for b in raw):
        return inert(raw.decode("ascii"))
    return code


@kept_per_index_version
def _folded(index) -> tuple[dict[int, dict], dict[tuple[int, int], dict], dict[tuple[int, int], dict]]:
    """(plans by id, versions by (plan, version) with their terms, milestone progress by (plan, index))."""
    plans: dict[int, dict] = {}
    versions: dict[tuple[int, int], dict] = {}
    milestones: dict[tuple[int, int], dict] = {}
    outcomes: dict[int, dict] = {}
    for r in _events(index, "PlanRegistry", PLAN_EVENTS):
        a = r.args
        plan_id = int(a["planId"])
        if plan_id in plans:
            plans[plan_id]["updated_time"] = r.block_time
        if r.event == "PlanDrafted":
            plan = plans.setdefault(plan_id, {
                "plan_id": plan_id, "region": int(a["region"]), "support_type": int(a["plan"]["supportType"]),
                "category": int(a["plan"]["category"]), "status": int(a["plan"]["status"]), "current": 0,
                "latest": 0, "drafted_time": r.block_time, "address": r.address, "owner": int(a["plan"]["owner"]),
                "started_time": None, "ended_time": None, "updated_time": r.block_time})
            plan["latest"] = int(a["version"])
            versions[(plan_id, int(a["version"]))] = {"terms": a["terms"], "tx_hash": r.tx_hash,
                                                      "log_index": r.log_index, "time": r.block_time}
        elif plan_id not in plans:
            continue
        elif r.event == "PlanStatusChanged":
            plan = plans[plan_id]
            plan["status"] = int(a["status"])
            if int(a["versionStatus"]) == VersionStatus.APPROVED:
                plan["current"] = max(plan["current"], int(a["version"]))
            # When it first went into force, and when it ended (the IATI export's activity dates).
            if plan["status"] in (PlanStatus.APPROVED, PlanStatus.EXECUTING) and plan["started_time"] is None:
                plan["started_time"] = r.block_time
            if plan["status"] in ENDED:
                plan["ended_time"] = r.block_time
        elif r.event == "MilestoneStatusChanged":
            milestones[(plan_id, int(a["index"]))] = {"status": int(a["status"]), "since": r.block_time,
                                                      "evidence_cid": a["evidenceCid"] or None}
        elif r.event == "OutcomeReported":
            outcomes[plan_id] = {"version": int(a["plan"]["currentVersion"]), "actuals": [int(x) for x in a["actuals"]],
                                 "evidence_cid": a["evidenceCid"], "time": r.block_time, "tx_hash": r.tx_hash,
                                 "log_index": r.log_index}
    for plan_id, outcome in outcomes.items():
        plans[plan_id]["outcome"] = outcome
    return plans, versions, milestones


def frozen_targets(index) -> set[int]:
    """Supervision targets frozen now (their last TargetFrozen event says frozen)."""
    state: dict[int, bool] = {}
    for r in _events(index, "Supervision", "TargetFrozen"):
        state[int(r.args["target"])] = bool(r.args["frozen"])
    return {target for target, frozen in state.items() if frozen}


def _shown_version(plan: dict) -> int:
    """The version in force, or the latest while none was approved yet."""
    return plan["current"] or plan["latest"]


@kept_per_index_version
def plans(index) -> pd.DataFrame:
    """扶持计划披露: each plan with the version shown (in force, else the latest), region, support type, project
    category, budget, status, whether supervision froze it, milestones approved of all, and the version's
    document CID; the verify link is the version's PlanDrafted event (it carries the terms and the document
    CID)."""
    folded, versions, milestones = _folded(index)
    frozen = frozen_targets(index)
    rows = []
    for plan in folded.values():
        version = _shown_version(plan)
        shown = versions[(plan["plan_id"], version)]
        terms = shown["terms"]
        count = len(terms["milestones"])
        approved = sum(1 for i in range(count)
                       if milestones.get((plan["plan_id"], i), {}).get("status") == MilestoneStatus.APPROVED)
        rows.append({
            "plan_id": plan["plan_id"], "version": version, "region": plan["region"],
            "support_type": SupportType(plan["support_type"]).name.lower(), "category": plan["category"],
            "budget": yuan(terms["budget"]), "status": PlanStatus(plan["status"]).name.lower(),
            "frozen": plan_target(plan["address"], plan["plan_id"], plan["region"]) in frozen,
            "milestones": f"{approved}/{count}", "milestones_approved": approved, "milestones_total": count,
            "document_cid": inert(terms["documentCid"]), "drafted_time": plan["drafted_time"],
            "tx_hash": shown["tx_hash"], "log_index": shown["log_index"],
        })
    columns = ["plan_id", "version", "region", "support_type", "category", "budget", "status", "frozen", "milestones",
               "milestones_approved", "milestones_total", "document_cid", "drafted_time", "tx_hash", "log_index"]
    return pd.DataFrame(rows, columns=columns)


def plan_milestones(index) -> pd.DataFrame:
    """Each milestone of each plan's shown version: tranche amount, due date, deliverable, progress."""
    folded, versions, milestones = _folded(index)
    rows = []
    for plan in folded.values():
        version = _shown_version(plan)
        shown = versions[(plan["plan_id"], version)]
        for i, milestone in enumerate(shown["terms"]["milestones"]):
            progress = milestones.get((plan["plan_id"], i), {})
            rows.append({
                "plan_id": plan["plan_id"], "version": version, "milestone": i, "amount": yuan(milestone["amount"]),
                "due": int(milestone["dueDate"]), "deliverable_cid": inert(milestone["deliverableCid"]),
                "milestone_status": MilestoneStatus(progress.get("status", 0)).name.lower(),
                "evidence_cid": inert(progress.get("evidence_cid") or ""),
            })
    columns = ["plan_id", "version", "milestone", "amount", "due", "milestone_status", "deliverable_cid",
               "evidence_cid"]
    return pd.DataFrame(rows, columns=columns)


def effectiveness(index) -> pd.DataFrame:
    """振兴项目成效: per plan and KPI, the target of the version the latest outcome report was made under and
    the actual it reported; ``attainment`` = actual / target."""
    folded, versions, _ = _folded(index)
    rows = []
    for plan in folded.values():
        outcome = plan.get("outcome")
        if outcome is None:
            continue
        kpis = versions[(plan["plan_id"], outcome["version"])]["terms"]["kpis"]
        for kpi, actual in zip(kpis, outcome["actuals"]):
            target = int(kpi["target"])
            rows.append({
                "plan_id": plan["plan_id"], "region": plan["region"],
                "support_type": SupportType(plan["support_type"]).name.lower(), "category": plan["category"],
                "indicator": indicator_name(kpi["indicator"]), "target": target, "actual": actual,
                "attainment": round(actual / target, 4) if target else None,
                "evidence_cid": inert(outcome["evidence_cid"]), "time": outcome["time"],
                "tx_hash": outcome["tx_hash"], "log_index": outcome["log_index"],
            })
    columns = ["plan_id", "region", "support_type", "category", "indicator", "target", "actual", "attainment",
               "evidence_cid", "time", "tx_hash", "log_index"]
    return pd.DataFrame(rows, columns=columns)


def _share(table: pd.DataFrame, key: str) -> pd.DataFrame:
    """Plans and budget per ``key`` with each one's share of all plans' budget (rejected, cancelled and
    closed plans left out: they spend nothing)."""
    live = table[~table.status.isin(["rejected", "cancelled", "closed"])]
    grouped = live.groupby(key, as_index=False).agg(plans=("plan_id", "count"), budget=("budget", "sum"))
    total = grouped.budget.sum()
    grouped["budget_share"] = (grouped.budget / total).round(4) if total else 0.0
    return grouped.sort_values(["budget", key], ascending=[False, True], ignore_index=True)


def support_type_share(index) -> pd.DataFrame:
    """扶持类型占比: plans and budget per support type."""
    return _share(plans(index), "support_type")


def category_share(index) -> pd.DataFrame:
    """项目类别占比: plans and budget per project category code."""
    return _share(plans(index), "category")


def effectiveness_by_village(index, villages: list[int]) -> pd.DataFrame:
    """成效分布图: per village, the plans of the village with an outcome report and their mean KPI attainment
    (villages without one are listed empty, so the map shows every village). Plans of a township or the county
    are not on a village tile; :func:`effectiveness` lists them."""
    table = effectiveness(index)
    at_village = table[[regions.level(r) == regions.RegionLevel.VILLAGE for r in table.region]] \
        if len(table) else table
    grouped = at_village.groupby("region").agg(plans_reported=("plan_id", "nunique"),
                                               mean_attainment=("attainment", "mean"))
    frame = pd.DataFrame({"region": sorted(set(villages) | set(grouped.index))})
    frame = frame.merge(grouped.reset_index(), on="region", how="left")
    frame["plans_reported"] = frame.plans_reported.fillna(0).astype(int)
    frame["mean_attainment"] = frame.mean_attainment.round(4)
    return frame


def known_villages(index, reports) -> list[int]:
    """The county's villages, for the maps: those of the pipeline's reports when configured, and every village
    a plan names."""
    from dashboard.queries import SiteDataError, report

    found = {int(r) for r in plans(index).region if regions.level(int(r)) == regions.RegionLevel.VILLAGE}
    try:
        found |= {int(r) for r in report(reports, "poverty_prone_areas").region}
    except SiteDataError:
        pass
    return sorted(found)
