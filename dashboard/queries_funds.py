"""Data access for 资金使用情况 fund use, 资金分布图 the fund map and 物资使用情况 material use, without Streamlit.

Money is folded from every contract that moves it: FundLedger (minted, escrowed, released, returned), PaymentBatches
(paid to wallets, bank instructed / confirmed / failed, recovered), MaterialSupply (suppliers paid when goods are
received) and Crowdfunding (raised, released, paid). The figures are flows: how much has moved into escrow, been
released, paid, returned so far; ``instructed`` is what banks were told to pay and have not confirmed or failed
yet. Amounts are in yuan. Households are counted (never listed), and counts below 5 are suppressed.
"""

from __future__ import annotations

from collections import defaultdict

import pandas as pd

from dashboard.queries import SMALL_CELL, SUPPRESSED, _events, _hid, inert, suppress
from dashboard.queries_plans import kept_per_index_version, plans, yuan
from govchain import regions
from govchain.funds import Movement, PaymentKind

LEDGER_EVENTS = ("AppropriationProposed", "AppropriationDecided", "PlanLinked", "FundsMoved")
CROWD_EVENTS = ("CampaignOpened", "Donated", "Refunded", "TrancheReleased", "DonationsPaid")
MATERIAL_EVENTS = ("MaterialKindDefined", "ProcurementProposed", "ProcurementDecided", "ProcurementReceived",
                   "MaterialDispatched", "MaterialDelivered", "MaterialLost", "MaterialReturned")
AMOUNTS = ["escrowed", "released", "instructed", "paid", "returned", "raised"]
DIMENSIONS = {"plan": "plan_id", "region": "region", "support_type": "support_type", "year": "year"}


@kept_per_index_version
def appropriations(index) -> pd.DataFrame:
    """Each appropriation (预算指标): region, year, budget line, cap, status, minted, what its plans took into
    escrow and what came back, its document; the verify link is its proposal."""
    found: dict[int, dict] = {}
    for r in _events(index, "FundLedger", LEDGER_EVENTS):
        a = r.args
        if r.event == "AppropriationProposed":
            found[int(a["id"])] = {
                "appropriation_id": int(a["id"]), "region": int(a["region"]), "year": int(a["year"]),
                "budget_line": _hid(a["budgetLine"]), "cap": yuan(a["cap"]), "appropriation_status": "proposed",
                "minted": 0.0, "escrowed": 0.0, "returned": 0.0, "document_cid": inert(a["documentCid"]),
                "time": r.block_time, "tx_hash": r.tx_hash, "log_index": r.log_index}
        elif r.event == "AppropriationDecided" and int(a["id"]) in found:
            found[int(a["id"])]["appropriation_status"] = "approved" if a["approved"] else "rejected"
        elif r.event == "FundsMoved" and int(a["appropriationId"]) in found:
            entry, kind = found[int(a["appropriationId"])], int(a["kind"])
            column = {Movement.MINTED: "minted", Movement.ESCROWED: "escrowed", Movement.RETURNED: "returned"}.get(kind)
            if column:
                entry[column] += yuan(a["amount"])
    columns = ["appropriation_id", "region", "year", "budget_line", "cap", "appropriation_status", "minted",
               "escrowed", "returned", "document_cid", "time", "tx_hash", "log_index"]
    return pd.DataFrame(list(found.values()), columns=columns)


def _plan_money(index) -> tuple[dict[int, dict], dict[int, set]]:
    """Per plan: its appropriation and every amount column; and the households each plan paid."""
    money: dict[int, dict] = defaultdict(lambda: {**{c: 0 for c in AMOUNTS}, "appropriation_id": None})
    households: dict[int, set] = defaultdict(set)
    for r in _events(index, "FundLedger", ("PlanLinked", "FundsMoved")):
        plan_id = int(r.args["planId"])
        if r.event == "PlanLinked":
            money[plan_id]["appropriation_id"] = int(r.args["appropriationId"])
        elif plan_id:
            column = {Movement.ESCROWED: "escrowed", Movement.RELEASED: "released",
                      Movement.RETURNED: "returned"}.get(int(r.args["kind"]))
            if column:
                money[plan_id][column] += int(r.args["amount"])
    for r in _events(index, "PaymentBatches", "Payment"):
        plan_id, amount, kind = int(r.args["planId"]), int(r.args["amount"]), int(r.args["kind"])
        entry = money[plan_id]
        if kind == PaymentKind.PAID_TO_WALLET:
            entry["paid"] += amount
        elif kind == PaymentKind.BANK_INSTRUCTED:
            entry["instructed"] += amount
        elif kind == PaymentKind.BANK_CONFIRMED:
            entry["instructed"] -= amount
            entry["paid"] += amount
        elif kind == PaymentKind.BANK_FAILED:
            entry["instructed"] -= amount
        elif kind == PaymentKind.RECOVERED:
            entry["paid"] -= amount
        if kind in (PaymentKind.PAID_TO_WALLET, PaymentKind.BANK_CONFIRMED):
            households[plan_id].add(_hid(r.args["household"]))
    for r in _events(index, "MaterialSupply", "ProcurementReceived"):
        money[int(r.args["planId"])]["paid"] += int(r.args["amount"])  # the supplier, for the plan's goods
    campaigns: dict[int, int] = {}
    for r in _events(index, "Crowdfunding", CROWD_EVENTS):
        a = r.args
        if r.event == "CampaignOpened":
            campaigns[int(a["campaignId"])] = int(a["planId"])
            continue
        plan_id = int(a["planId"]) if "planId" in a else campaigns.get(int(a["campaignId"]))
        if plan_id is None:
            continue
        if r.event == "Donated":
            money[plan_id]["raised"] += int(a["amount"])
        elif r.event == "Refunded":
            money[plan_id]["raised"] -= int(a["amount"])
        elif r.event == "TrancheReleased":
            money[plan_id]["released"] += int(a["amount"])
        elif r.event == "DonationsPaid":
            money[plan_id]["paid"] += int(a["amount"])
            households[plan_id].add(_hid(a["household"]))
    return money, households


def _households_paid(count: int) -> object:
    return SUPPRESSED if 0 < count < SMALL_CELL else count


@kept_per_index_version
def fund_use(index) -> pd.DataFrame:
    """资金使用情况 per plan (for the other functions here: ``households_paid`` is not suppressed yet): region,
    support type, budget year (its appropriation's; for a plan without one, the year it was drafted), and the
    amounts (yuan) escrowed, released, instructed, paid, returned and raised, with the number of
    households paid (suppressed below 5). Plans no money moved for are left out."""
    money, households = _plan_money(index)
    years = appropriations(index).set_index("appropriation_id")["year"].to_dict()
    catalogue = plans(index).set_index("plan_id")
    rows = []
    for plan_id, entry in sorted(money.items()):
        if plan_id not in catalogue.index or not any(entry[c] for c in AMOUNTS):
            continue
        plan = catalogue.loc[plan_id]
        year = years.get(entry["appropriation_id"]) or pd.Timestamp(int(plan.drafted_time), unit="s").year
        rows.append({"plan_id": plan_id, "region": int(plan.region), "support_type": plan.support_type,
                     "year": int(year), "appropriation_id": entry["appropriation_id"],
                     **{c: yuan(entry[c]) for c in AMOUNTS}, "households_paid": len(households[plan_id])})
    columns = ["plan_id", "region", "support_type", "year", "appropriation_id", *AMOUNTS, "households_paid"]
    table = pd.DataFrame(rows, columns=columns)
    table["appropriation_id"] = table["appropriation_id"].astype("Int64")  # a crowdfunded plan has none
    return table


def fund_use_by(index, dimension: str) -> pd.DataFrame:
    """资金使用情况 summed by ``dimension``: "plan", "region", "support_type" or "year"; households paid are
    summed before suppression (a household paid by two plans counts twice)."""
    table = fund_use(index)
    if dimension == "plan":
        grouped = table.drop(columns=["appropriation_id"])
    else:
        key = DIMENSIONS[dimension]
        grouped = table.groupby(key, as_index=False)[[*AMOUNTS, "households_paid"]].sum()
    grouped = grouped.copy()
    grouped["households_paid"] = grouped["households_paid"].map(_households_paid)
    return grouped


def fund_totals(index) -> dict[str, float]:
    """The headline amounts (yuan): appropriated (approved caps), minted, then the plans' flows."""
    approps = appropriations(index)
    approved = approps[approps.appropriation_status == "approved"]
    table = fund_use(index)
    totals = {"appropriated": float(approved.cap.sum()), "minted": float(approps.minted.sum())}
    totals.update({c: float(table[c].sum()) for c in AMOUNTS})
    return totals


def fund_map(index, villages: list[int]) -> pd.DataFrame:
    """资金分布图: per village, what the village's plans had escrowed, released and paid (yuan); every village is
    listed. Plans of a township or the county are not on a village tile (the fund-use table lists them)."""
    table = fund_use(index)
    at_village = table[[regions.level(r) == regions.RegionLevel.VILLAGE for r in table.region]] \
        if len(table) else table
    grouped = at_village.groupby("region")[["escrowed", "released", "paid"]].sum()
    frame = pd.DataFrame({"region": sorted(set(villages) | set(grouped.index))})
    frame = frame.merge(grouped.reset_index(), on="region", how="left")
    return frame.fillna({"escrowed": 0.0, "released": 0.0, "paid": 0.0})


# ---------------------------------------------------------------------------------------------- materials


def _unit(raw: str) -> str:
    text = bytes.fromhex(raw[2:]).rstrip(b"\x00")
    return inert(text.decode("utf-8", errors="replace"))


def procurements(index) -> pd.DataFrame:
    """商品采购: each procurement with its plan, kind, warehouse, quantity, unit price, amount paid, status."""
    found: dict[int, dict] = {}
    for r in _events(index, "MaterialSupply", ("ProcurementProposed", "ProcurementDecided", "ProcurementReceived")):
        a = r.args
        pid = int(a["procurementId"])
        if r.event == "ProcurementProposed":
            p = a["procurement"]
            found[pid] = {"procurement_id": pid, "plan_id": int(a["planId"]), "kind_id": int(p["kindId"]),
                          "warehouse": int(a["warehouse"]), "quantity": int(p["quantity"]),
                          "unit_price": yuan(p["unitPrice"]), "paid": 0.0, "procurement_status": "proposed",
                          "invoice_cid": inert(a["invoiceCid"]), "time": r.block_time, "tx_hash": r.tx_hash,
                          "log_index": r.log_index}
        elif pid in found and r.event == "ProcurementDecided":
            found[pid]["procurement_status"] = "approved" if a["approved"] else "rejected"
        elif pid in found and r.event == "ProcurementReceived":
            found[pid].update(procurement_status="received", paid=yuan(a["amount"]))
    columns = ["procurement_id", "plan_id", "kind_id", "warehouse", "quantity", "unit_price", "paid",
               "procurement_status", "invoice_cid", "time", "tx_hash", "log_index"]
    return pd.DataFrame(list(found.values()), columns=columns)


def material_use(index) -> pd.DataFrame:
    """物资使用情况 per plan and material kind: procured (received into stock), in stock, in transit, delivered,
    lost, and the households served (suppressed below 5). procured = in stock + in transit + delivered + lost."""
    units: dict[int, str] = {}
    bought: dict[int, tuple[int, int, int]] = {}  # procurement -> (plan, kind, quantity)
    sent: dict[int, tuple[int, int]] = {}  # dispatch -> (plan, kind)
    stock = defaultdict(lambda: dict.fromkeys(("procured", "dispatched", "delivered", "lost_stock", "lost_transit",
                                               "returned"), 0))
    served: dict[tuple[int, int], set] = defaultdict(set)
    for r in _events(index, "MaterialSupply", MATERIAL_EVENTS):
        a = r.args
        if r.event == "MaterialKindDefined":
            units[int(a["kindId"])] = _unit(a["unit"])
        elif r.event == "ProcurementProposed":
            bought[int(a["procurementId"])] = (int(a["planId"]), int(a["procurement"]["kindId"]),
                                               int(a["procurement"]["quantity"]))
        elif r.event == "ProcurementReceived" and int(a["procurementId"]) in bought:
            plan, kind, quantity = bought[int(a["procurementId"])]
            stock[(plan, kind)]["procured"] += quantity
        elif r.event == "MaterialDispatched":
            key = sent[int(a["dispatchId"])] = (int(a["planId"]), int(a["kindId"]))
            stock[key]["dispatched"] += int(a["quantity"])
        elif r.event == "MaterialDelivered":
            key = (int(a["planId"]), int(a["kindId"]))
            stock[key]["delivered"] += int(a["quantity"])
            served[key].add(_hid(a["household"]))
        elif r.event == "MaterialLost":
            key = (int(a["planId"]), int(a["kindId"]))
            stock[key]["lost_stock" if a["fromStock"] else "lost_transit"] += int(a["quantity"])
        elif r.event == "MaterialReturned" and int(a["dispatchId"]) in sent:
            stock[sent[int(a["dispatchId"])]]["returned"] += int(a["quantity"])
    rows = []
    for (plan, kind), s in sorted(stock.items()):
        rows.append({
            "plan_id": plan, "kind_id": kind, "unit": units.get(kind, ""), "procured": s["procured"],
            "in_stock": s["procured"] - s["dispatched"] + s["returned"] - s["lost_stock"],
            "in_transit": s["dispatched"] - s["delivered"] - s["lost_transit"] - s["returned"],
            "delivered": s["delivered"], "lost": s["lost_stock"] + s["lost_transit"],
            "households_served": len(served[(plan, kind)]),
        })
    columns = ["plan_id", "kind_id", "unit", "procured", "in_stock", "in_transit", "delivered", "lost",
               "households_served"]
    return suppress(pd.DataFrame(rows, columns=columns), ["households_served"])


def pledges(index) -> pd.DataFrame:
    """企业与社会帮扶: each pledge (money, goods or jobs) to a plan, what was fulfilled, whether overdue."""
    found: dict[int, dict] = {}
    for r in _events(index, "SocialPledges", ("Pledged", "PledgeFulfilled", "PledgeOverdue")):
        a = r.args
        pid = int(a["pledgeId"])
        if r.event == "Pledged":
            found[pid] = {"pledge_id": pid, "plan_id": int(a["planId"]),
                          "pledge_kind": ("money", "goods", "jobs")[int(a["kind"])], "amount": int(a["amount"]),
                          "fulfilled": 0, "due": int(a["dueDate"]), "overdue": False,
                          "terms_cid": inert(a["termsCid"]), "tx_hash": r.tx_hash, "log_index": r.log_index}
        elif pid in found and r.event == "PledgeFulfilled":
            found[pid]["fulfilled"] = int(a["fulfilled"])
        elif pid in found and r.event == "PledgeOverdue":
            found[pid]["overdue"] = True
    for entry in found.values():
        if entry["pledge_kind"] == "money":  # money pledges count fen; goods and jobs count units
            entry["amount"], entry["fulfilled"] = yuan(entry["amount"]), yuan(entry["fulfilled"])
    columns = ["pledge_id", "plan_id", "pledge_kind", "amount", "fulfilled", "due", "overdue", "terms_cid",
               "tx_hash", "log_index"]
    return pd.DataFrame(list(found.values()), columns=columns)
