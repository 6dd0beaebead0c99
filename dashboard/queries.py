"""Data access for the site, without Streamlit: the event index and the pipeline's aggregate reports.

Every function takes plain values (paths, numbers) and returns DataFrames or dicts, so the pages can cache
them (``st.cache_data``) and the tests can call them directly. Text that came from the chain is passed through
:func:`dashboard.safety.inert` before it leaves this module.

Approval state is folded from the ``ApprovalTransition`` stream, whichever contract emits it (today the
household registry's own engine, tomorrow the approval hub), so the officials' page needs no change when the
hub lands; the subject's region is its low 40 bits (IApprovalEngine.subjectRegion).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from dashboard.safety import inert
from govchain import regions
from govchain.config import NetworkConfig, Settings
from govchain.enums import Outcome, ProcedureKind
from govchain.roles import ROLE_BY_ID
from indexer.store import EventRow, EventStore, IndexNotReadyError

SMALL_CELL = 5  # counts below this (and above zero) are suppressed on public aggregate pages
SUPPRESSED = "<5"
REGION_MASK = (1 << 40) - 1
KINDS = {"RegistrationFiled": "registration", "ExitFiled": "exit"}
PROCEDURE_EVENTS = (*KINDS, "ApprovalTransition", "NoticeStarted", "ObjectionRaised", "ObjectionResolved",
                    "ProcedureStopped", "HouseholdRegistered", "HouseholdExited", "RouteDefined", "RouteBandsSet")
KIND_IDS = {"registration": ProcedureKind.REGISTRATION, "exit": ProcedureKind.EXIT}
STATUS_EVENTS = {"HouseholdRegistered": "Registered", "HouseholdExited": "Exited", "HouseholdMonitored": "Monitoring"}


def outcome_name(value) -> str:
    """An ApprovalTransition's outcome as the contract names it (govchain.enums.Outcome): "Approved"."""
    return Outcome(int(value)).name.capitalize()


class SiteDataError(Exception):
    """Raised when the site's data is missing; the message says which command makes it."""


@dataclass(frozen=True)
class SiteConfig:
    """Where the site reads from (environment variables, see dashboard/README.md)."""

    index: Path
    reports: Path | None
    network: NetworkConfig = field(default_factory=NetworkConfig)
    ipfs_api: str = "http://127.0.0.1:5001"

    @classmethod
    def from_env(cls) -> "SiteConfig":
        settings = Settings.from_env()
        return cls(index=settings.index_path, reports=settings.reports_dir, network=settings.network,
                   ipfs_api=settings.ipfs_api)


def open_index(index: Path | str) -> EventStore:
    try:
        return EventStore(index, read_only=True)
    except IndexNotReadyError as exc:
        raise SiteDataError(str(exc)) from None


def _events(index, contract: str | None = None, event=None, newest: int | None = None) -> list[EventRow]:
    store = open_index(index)
    try:
        return store.events(contract, event, newest=newest)
    finally:
        store.close()


def _arguments(index, event, names, contract: str | None = None) -> list[tuple]:
    """Rows (event, address, block, time, tx_hash, log_index, *arguments): see EventStore.arguments."""
    store = open_index(index)
    try:
        return store.arguments(event, names, contract)
    finally:
        store.close()


def _hid(value: str) -> str:
    return inert(value).lower()


def subject_region(subject: int | str) -> int:
    return int(subject) & REGION_MASK


# ---------------------------------------------------------------------------------------------- raw events


def event_table(index, newest: int = 500) -> pd.DataFrame:
    """The ``newest`` indexed events, newest first, with a short summary of their arguments."""
    rows = _events(index, newest=newest)
    return pd.DataFrame(
        [{"block": r.block_number, "time": pd.Timestamp(r.block_time, unit="s"), "contract": r.contract,
          "event": r.event, "tx_hash": r.tx_hash, "log_index": r.log_index,
          "args": inert(", ".join(f"{k}={v}" for k, v in r.args.items()))[:160]}
         for r in reversed(rows)],
        columns=["block", "time", "contract", "event", "tx_hash", "log_index", "args"],
    )


# ---------------------------------------------------------------------------------------------- procedures


@dataclass
class _Procedure:
    subject: int
    kind: str
    household_id: str
    batch_id: str
    filed_time: int
    filed_tx: str
    filed_log: int
    address: str
    state: str = "Pending"
    level: int = 0
    approvals: int = 0
    since: int = 0
    escalated: bool = False
    notice_ends: int | None = None
    open_objections: int = 0
    stopped: bool = False
    completed: bool = False


def _routes(rows: list[EventRow]) -> dict[tuple[str, int], list[dict]]:
    """Levels of each (contract address, kind)'s route for amount 0, from RouteDefined and RouteBandsSet."""
    defined = {(r.address, int(r.args["routeId"])): r.args["levels"] for r in rows if r.event == "RouteDefined"}
    routes = {}
    for r in rows:
        if r.event == "RouteBandsSet" and r.args["bands"]:
            levels = defined.get((r.address, int(r.args["bands"][0]["routeId"])), [])
            routes[(r.address, int(r.args["kind"]))] = levels
            routes[(None, int(r.args["kind"]))] = levels  # routes kept by another contract (the approval hub)
    return routes


def _index_version(index) -> tuple:
    """Changes whenever the indexer writes (the SQLite file or its write-ahead log)."""
    paths = [Path(index), Path(f"{index}-wal")]
    return tuple((p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None for p in paths)


def procedures(index) -> pd.DataFrame:
    """One row per household procedure (registration or exit) with its approval state, notice and objections.

    Several reports derive from it within one page run, so it is kept per index version (do not modify)."""
    return _procedures(str(index), _index_version(index))


# The arguments the procedure fold reads, picked out by the index (EventStore.arguments) rather than decoded here.
_STEP_ARGUMENTS = ("subject", "householdId", "batchId", "outcome", "level", "endsAt")
ROUTE_EVENTS = ("RouteDefined", "RouteBandsSet")


@lru_cache(maxsize=4)
def _procedures(index: str, version: tuple) -> pd.DataFrame:
    steps = _arguments(index, [e for e in PROCEDURE_EVENTS if e not in ROUTE_EVENTS], _STEP_ARGUMENTS)
    rows = _events(index, event=ROUTE_EVENTS)
    found: dict[int, _Procedure] = {}
    for event, address, _, time, tx_hash, log_index, subject, household_id, batch_id, *_ in steps:
        if event in KINDS:
            found[int(subject)] = _Procedure(int(subject), KINDS[event], _hid(household_id), _hid(batch_id), time,
                                             tx_hash, log_index, address, since=time)
    for event, _, _, time, _, _, subject, _, _, outcome, level, ends_at in steps:
        proc = found.get(int(subject)) if subject is not None else None
        if proc is None:
            continue
        if event == "ApprovalTransition":
            outcome = outcome_name(outcome)
            if outcome == "Approved":
                proc.approvals += 1
            elif outcome in ("Advanced", "Escalated"):
                proc.level, proc.approvals, proc.since = int(level) + 1, 0, time
                proc.escalated |= outcome == "Escalated"
            elif outcome == "Completed":
                proc.state, proc.since = "Approved", time
            elif outcome in ("Returned", "Rejected"):
                proc.state, proc.since = outcome, time
            elif outcome in ("Submitted", "Resubmitted"):
                proc.state, proc.since = "Pending", time
        elif event == "NoticeStarted":
            proc.notice_ends = int(ends_at)
        elif event == "ObjectionRaised":
            proc.open_objections += 1
        elif event == "ObjectionResolved":
            proc.open_objections -= 1
        elif event == "ProcedureStopped":
            proc.stopped = True
        elif event in ("HouseholdRegistered", "HouseholdExited"):
            proc.completed = True
    routes = _routes(rows)
    table = []
    for p in found.values():
        levels = routes.get((p.address, KIND_IDS[p.kind])) or routes.get((None, KIND_IDS[p.kind]), [])
        level = levels[p.level] if p.state == "Pending" and p.level < len(levels) else None
        region = subject_region(p.subject)
        stage = ("completed" if p.completed else "stopped" if p.stopped else
                 "in_notice" if p.state == "Approved" else p.state.lower())
        table.append({
            "subject": str(p.subject), "kind": p.kind, "household_id": p.household_id, "region": region,
            "stage": stage, "level": p.level if p.state == "Pending" else None,
            "role": ROLE_BY_ID.get(bytes.fromhex(level["role"][2:]), level["role"]) if level else None,
            "level_region": regions.ancestor_at(region, regions.RegionLevel(level["regionLevel"])) if level else None,
            "approvals": p.approvals, "threshold": level["threshold"] if level else None,
            "since": p.since, "deadline": p.since + level["timeout"] if level and level["timeout"] else None,
            "escalated": p.escalated, "notice_ends": p.notice_ends, "open_objections": p.open_objections,
            "filed_time": p.filed_time, "tx_hash": p.filed_tx, "log_index": p.filed_log,
        })
    columns = ["subject", "kind", "household_id", "region", "stage", "level", "role", "level_region", "approvals",
               "threshold", "since", "deadline", "escalated", "notice_ends", "open_objections", "filed_time",
               "tx_hash", "log_index"]
    return pd.DataFrame(table, columns=columns)


def household_statuses(index) -> pd.DataFrame:
    """Each household's current status on chain (last of Registered / Exited / Monitoring)."""
    latest: dict[str, dict] = {}
    for event, _, _, time, tx_hash, log_index, household, region in _arguments(
            index, tuple(STATUS_EVENTS), ("householdId", "region"), "HouseholdRegistry"):
        household_id = _hid(household)
        latest[household_id] = {"household_id": household_id, "region": int(region), "status": STATUS_EVENTS[event],
                                "since": time, "tx_hash": tx_hash, "log_index": log_index}
    return pd.DataFrame(
        list(latest.values()), columns=["household_id", "region", "status", "since", "tx_hash", "log_index"]
    )


def latest_block(index) -> tuple[int, int]:
    """The newest indexed event's block number and time (0, 0 when empty)."""
    rows = _events(index, newest=1)
    return (rows[-1].block_number, rows[-1].block_time) if rows else (0, 0)


# ---------------------------------------------------------------------------------------------- reports


def report(reports: Path | None, name: str) -> pd.DataFrame:
    """One of the pipeline's aggregate reports (reports/<name>.parquet under the pipeline's output folder)."""
    if reports is None:
        raise SiteDataError("The pipeline's reports are not configured: set GOVCHAIN_REPORTS to its reports folder.")
    path = Path(reports) / f"{name}.parquet"
    if not path.exists():
        raise SiteDataError(f"No {name} report at {path}: run `python -m data_pipeline run` first.")
    return pd.read_parquet(path)


def suppress(frame: pd.DataFrame, counts: list[str], rates: dict[str, str] | None = None) -> pd.DataFrame:
    """Small cells hidden: counts from 1 to SMALL_CELL - 1 become "<5"; a rate whose denominator column is
    small is hidden too (so it cannot be multiplied back)."""
    out = frame.copy()
    for rate, denominator in (rates or {}).items():
        small = out[denominator].between(1, SMALL_CELL - 1)
        out[rate] = out[rate].astype(object).where(~small, SUPPRESSED)
    for column in counts:
        small = out[column].between(1, SMALL_CELL - 1)
        out[column] = out[column].astype(object).where(~small, SUPPRESSED)
    return out


def _chain_counts(index) -> pd.DataFrame:
    """Per village: procedures filed and households per status on chain."""
    procs = procedures(index)
    statuses = household_statuses(index)
    filed = procs[procs.kind == "registration"].groupby("region").size().rename("filed_on_chain")
    by_status = statuses.pivot_table(index="region", columns="status", values="household_id", aggfunc="count")
    by_status = by_status.reindex(columns=["Registered", "Exited", "Monitoring"], fill_value=0).fillna(0)
    by_status.columns = ["registered_on_chain", "exited_on_chain", "monitoring_on_chain"]
    return pd.concat([filed, by_status], axis=1).fillna(0).astype(int)


def registrations(index) -> pd.DataFrame:
    """建档立卡: per village, procedures by stage and households by status, from the chain."""
    procs = procedures(index)
    stages = procs[procs.kind == "registration"].pivot_table(
        index="region", columns="stage", values="subject", aggfunc="count")
    stages = stages.reindex(columns=["pending", "returned", "in_notice", "stopped", "completed", "rejected"],
                            fill_value=0).fillna(0).astype(int)
    merged = _chain_counts(index).join(stages, how="outer").fillna(0).astype(int).reset_index()
    return merged.rename(columns={"index": "region"}).sort_values("region", ignore_index=True)


def newly_poor(index, reports) -> pd.DataFrame:
    """新增贫困: the pipeline's admitted households per village beside what reached the chain."""
    base = report(reports, "newly_poor")
    chain = _chain_counts(index)[["filed_on_chain", "registered_on_chain"]]
    out = base.merge(chain, left_on="region", right_index=True, how="left").fillna({"filed_on_chain": 0,
                                                                                    "registered_on_chain": 0})
    out[["filed_on_chain", "registered_on_chain"]] = out[["filed_on_chain", "registered_on_chain"]].astype(int)
    return out.sort_values("region", ignore_index=True)


def exits(index, reports) -> pd.DataFrame:
    """贫困退出: the pipeline's exits per village beside the exits completed on chain."""
    base = report(reports, "exits")
    chain = _chain_counts(index)[["exited_on_chain"]]
    out = base.merge(chain, left_on="region", right_index=True, how="left").fillna({"exited_on_chain": 0})
    out["exited_on_chain"] = out["exited_on_chain"].astype(int)
    return out.sort_values("region", ignore_index=True)


def ranking(index, reports, level: str = "township") -> pd.DataFrame:
    """脱贫地区排行: areas ranked by households exited on chain, then by the pipeline's exit rate."""
    table = exits(index, reports)
    key = {"township": "township", "village": "region"}[level]
    grouped = table.groupby(key).agg(registered=("registered", "sum"), exits=("exits", "sum"),
                                     exited_on_chain=("exited_on_chain", "sum")).reset_index()
    grouped["exit_rate"] = (
        (grouped["exits"] / grouped["registered"].where(grouped["registered"] > 0)).round(4).fillna(0)
    )
    grouped = grouped.sort_values(
        ["exited_on_chain", "exit_rate", key], ascending=[False, False, True], ignore_index=True
    )
    grouped.insert(0, "rank", range(1, len(grouped) + 1))
    return grouped.rename(columns={key: "area"})


def poverty_prone(reports) -> pd.DataFrame:
    """贫困多发分布: villages with their share of poor and at-risk households and the county's share."""
    table = report(reports, "poverty_prone_areas").sort_values("region", ignore_index=True)
    return suppress(table, [], {"poor_or_at_risk_rate": "households"})


def portraits(reports) -> pd.DataFrame:
    """乡村画像: per village counts and means, small cells suppressed."""
    table = report(reports, "village_portraits").sort_values("region", ignore_index=True)
    columns = ["region", "township", "households", "persons", "registered", "admitted", "exits", "monitored",
               "mean_income_per_capita", "poor_or_at_risk_rate"]
    table = table[columns]
    return suppress(table, ["registered", "admitted", "exits", "monitored"],
                    {"mean_income_per_capita": "households", "poor_or_at_risk_rate": "households"})


def root_causes(reports) -> pd.DataFrame:
    """根因分析: households per root cause and village, small cells suppressed."""
    table = report(reports, "root_causes").sort_values(["region", "cause"], ignore_index=True)
    return suppress(table[["region", "township", "cause", "cause_label", "households"]], ["households"])


def root_cause_totals(reports) -> pd.DataFrame:
    """Households per root cause over the whole county (the chart's data), small totals suppressed."""
    table = report(reports, "root_causes").groupby(["cause", "cause_label"], as_index=False)["households"].sum()
    return suppress(table.sort_values("households", ascending=False, ignore_index=True), ["households"])


VILLAGE_CLASSES = ("agglomeration", "suburban", "characteristic", "relocation")  # data_pipeline.village_classes
CLASS_SHARES = ("elderly_share", "children_per_elderly", "non_farm_income_share", "disaster_household_share")


def village_classes(reports) -> pd.DataFrame:
    """乡村分类: each village's class, the rule that decided it and its indicators; shares over fewer than five
    households are suppressed (they would describe one family)."""
    table = report(reports, "village_classes").sort_values("region", ignore_index=True)
    columns = ["region", "township", "village_class", "rule", "households", "persons", *CLASS_SHARES,
               "traditional_village", "hazard_zone", "distance_to_county_km"]
    table = table[columns].copy()
    # No elderly: the ratio is infinite in the report; a table shows it as missing rather than "inf".
    table["children_per_elderly"] = table["children_per_elderly"].replace([float("inf")], float("nan"))
    return suppress(table, [], {share: "households" for share in CLASS_SHARES})


def village_class_counts(reports) -> pd.DataFrame:
    """Villages, households and persons per class, every class listed (zero when none)."""
    table = report(reports, "village_classes")
    counts = table.groupby("village_class").agg(villages=("region", "count"), households=("households", "sum"),
                                                persons=("persons", "sum"))
    counts = counts.reindex(list(VILLAGE_CLASSES), fill_value=0).astype(int)
    return counts.rename_axis("village_class").reset_index()


# ---------------------------------------------------------------------------------------------- batches


def batches(index) -> pd.DataFrame:
    """资格批次: each eligibility batch with its oracle votes, manifest and whether it is final."""
    found: dict[str, dict] = {}
    votes: dict[str, set] = defaultdict(set)
    for r in _events(index, "EligibilityRegistry", ("BatchCommitted", "BatchFinalized")):
        batch_id = _hid(r.args.get("batchId", ""))
        if r.event == "BatchCommitted":
            entry = found.setdefault(batch_id, {
                "batch_id": batch_id, "scope": int(r.args["scope"]), "root": _hid(r.args["root"]),
                "leaf_count": int(r.args["leafCount"]), "manifest_cid": inert(r.args["manifestCid"]),
                "committed_time": r.block_time, "final": False, "finalized_time": None,
                "tx_hash": r.tx_hash, "log_index": r.log_index})
            votes[batch_id].add(r.args["oracle"])
            entry["votes"] = len(votes[batch_id])
        elif r.event == "BatchFinalized" and batch_id in found:
            found[batch_id].update(final=True, finalized_time=r.block_time, root=_hid(r.args["root"]),
                                   tx_hash=r.tx_hash, log_index=r.log_index)
    columns = ["batch_id", "scope", "root", "leaf_count", "votes", "final", "manifest_cid", "committed_time",
               "finalized_time", "tx_hash", "log_index"]
    return pd.DataFrame(list(found.values()), columns=columns)


# ---------------------------------------------------------------------------------------------- officials


def pending_approvals(index, now: int) -> pd.DataFrame:
    """Procedures waiting for an approval, with the level's role and region, deadline and whether overdue."""
    procs = procedures(index)
    pending = procs[procs.stage == "pending"].copy()
    pending["overdue"] = pending["deadline"].notna() & (pending["deadline"] < now)
    return pending[["subject", "kind", "region", "level", "role", "level_region", "approvals", "threshold", "since",
                    "deadline", "overdue", "escalated", "tx_hash", "log_index"]].reset_index(drop=True)


def pending_by_level(index, now: int) -> pd.DataFrame:
    """Counts of pending procedures per level, role and region of that level."""
    pending = pending_approvals(index, now)
    if pending.empty:
        return pd.DataFrame(columns=["level", "role", "level_region", "pending", "overdue"])
    return (pending.groupby(["level", "role", "level_region"], as_index=False)
            .agg(pending=("subject", "count"), overdue=("overdue", "sum")))


def open_objections(index) -> pd.DataFrame:
    """Objections raised during public notice and not resolved yet."""
    raised: dict[int, dict] = {}
    for r in _events(index, "HouseholdRegistry", ("ObjectionRaised", "ObjectionResolved")):
        if r.event == "ObjectionRaised":
            raised[int(r.args["objectionId"])] = {
                "objection_id": int(r.args["objectionId"]), "subject": str(r.args["subject"]),
                "region": subject_region(r.args["subject"]), "evidence_cid": inert(r.args["evidenceCid"]),
                "raised_time": r.block_time, "tx_hash": r.tx_hash, "log_index": r.log_index}
        elif r.event == "ObjectionResolved":
            raised.pop(int(r.args["objectionId"]), None)
    return pd.DataFrame(list(raised.values()), columns=["objection_id", "subject", "region", "evidence_cid",
                                                        "raised_time", "tx_hash", "log_index"])


# ---------------------------------------------------------------------------------------------- overview


def overview(index, reports) -> dict[str, int | None]:
    """The headline figures: chain first, then the pipeline's county-wide totals when configured."""
    procs = procedures(index)
    statuses = household_statuses(index)
    batch_table = batches(index)
    block, block_time = latest_block(index)
    figures: dict[str, int | None] = {
        "registered": int((statuses.status == "Registered").sum()),
        "exited": int((statuses.status == "Exited").sum()),
        "monitoring": int((statuses.status == "Monitoring").sum()),
        "pending": int((procs.stage == "pending").sum()),
        "in_notice": int((procs.stage == "in_notice").sum()),
        "open_objections": len(open_objections(index)),
        "final_batches": int(batch_table.final.sum()) if len(batch_table) else 0,
        "latest_block": block,
    }
    try:
        portraits_raw = report(reports, "village_portraits")
    except SiteDataError:
        portraits_raw = None
    for name in ("households", "persons", "admitted", "monitored"):
        figures[f"pipeline_{name}"] = int(portraits_raw[name].sum()) if portraits_raw is not None else None
    return figures


def household_history(index, household_id: str) -> pd.DataFrame:
    """Every indexed event about one household: its filings, the approval steps of its procedures, notices,
    objections and status changes, oldest first. Nothing but pseudonymous ids and chain facts."""
    hid = household_id.lower()
    rows = _arguments(index, PROCEDURE_EVENTS, ("householdId", "subject", "outcome", "level"))
    subjects = {int(subject) for event, *_, household, subject, _, _ in rows
                if event in KINDS and _hid(household) == hid}
    history = []
    for event, _, block, time, tx_hash, log_index, household, subject, outcome, level in rows:
        mine = (household is not None and _hid(household) == hid) or (subject is not None and int(subject) in subjects)
        if not mine:
            continue
        detail = f"{outcome_name(outcome)} L{level}" if event == "ApprovalTransition" else ""
        history.append({"time": time, "event": event, "detail": detail, "block": block, "tx_hash": tx_hash,
                        "log_index": log_index})
    return pd.DataFrame(history, columns=["time", "event", "detail", "block", "tx_hash", "log_index"])


def filing_of(index, household_id: str) -> dict | None:
    """The household's latest filing (batch id, subject, kind) or None."""
    hid = household_id.lower()
    last = None
    for event, *_, household, batch_id, subject in _arguments(
        index, tuple(KINDS), ("householdId", "batchId", "subject"), "HouseholdRegistry"
    ):
        if _hid(household) == hid:
            last = {"batch_id": _hid(batch_id), "subject": str(subject), "kind": KINDS[event]}
    return last
