"""IATI 2.03 export (dashboard/iati.py): built from index rows shaped like the indexer's, validated against the
official schema shipped in dashboard/schemas/iati-2.03/. Pure Python: no chain, no node."""

from __future__ import annotations

import hashlib
import json
import tempfile
from datetime import datetime, timezone
from decimal import Decimal
from pathlib import Path

from lxml import etree

from dashboard import iati
from govchain.funds import Movement, PaymentKind
from govchain.plans import PlanStatus, SupportType, VersionStatus, plan_target
from indexer.store import EventRow

REGISTRY = "0x" + "11" * 20
ADDRESSES = {"PlanRegistry": REGISTRY, "FundLedger": "0x" + "22" * 20, "PaymentBatches": "0x" + "33" * 20,
             "Supervision": "0x" + "44" * 20, "MaterialSupply": "0x" + "55" * 20, "Crowdfunding": "0x" + "66" * 20}
SUPPLIER, DONOR = "0x" + "aB" * 20, "0x" + "dD" * 20
VILLAGE = 532326001002
DAY = 86400
T0 = 1_780_000_000  # 2026-05-28 20:26 UTC, 2026-05-29 in Beijing
CID = "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy"
HOUSEHOLDS = ["0x" + hashlib.sha256(str(i).encode()).hexdigest() for i in range(4)]
GENERATED = datetime(2026, 12, 1, tzinfo=timezone.utc)


class Rows:
    """Index rows in block order, each in a transaction of its own."""

    def __init__(self):
        self.rows: list[EventRow] = []

    def add(self, contract: str, event: str, time: int, **args) -> str:
        n = len(self.rows)
        tx = "0x" + hashlib.sha256(f"tx{n}".encode()).hexdigest()
        self.rows.append(EventRow(1337, tx, 0, contract, ADDRESSES[contract], event, json.loads(json.dumps(args)),
                                  n + 1, "0x" + "00" * 32, time))
        return tx

    def of(self, contract: str) -> list[EventRow]:
        return [r for r in self.rows if r.contract == contract]


def _terms(budget: int, cid: str = CID, dues: tuple[int, ...] = (T0 + 90 * DAY, T0 + 180 * DAY)) -> dict:
    return {"budget": budget, "documentCid": cid, "beneficiaries": {"statuses": 1, "listRoot": "0x" + "00" * 32,
            "listCid": ""}, "kpis": [], "milestones": [{"amount": budget // len(dues), "dueDate": d,
                                                         "deliverableCid": ""} for d in dues]}


def _plan_struct(plan_id: int, status: PlanStatus, support=SupportType.FUND, category=101) -> dict:
    return {"region": VILLAGE, "category": category, "owner": 7, "supportType": int(support), "status": int(status),
            "currentVersion": 0, "latestVersion": 1, "pendingVersion": 0, "pendingBudget": 0, "committed": 0}


def draft(rows: Rows, plan_id: int, budget: int, time: int = T0, cid: str = CID, support=SupportType.FUND,
          category=101, version: int = 1) -> None:
    rows.add("PlanRegistry", "PlanDrafted", time, planId=plan_id, region=VILLAGE, version=version,
             plan=_plan_struct(plan_id, PlanStatus.DRAFT, support, category), terms=_terms(budget, cid), owner=REGISTRY)


def status(rows: Rows, plan_id: int, new: PlanStatus, time: int, version: int = 1,
           version_status: VersionStatus = VersionStatus.NONE, budget: int = 0) -> None:
    rows.add("PlanRegistry", "PlanStatusChanged", time, planId=plan_id, region=VILLAGE, status=int(new),
             version=version, versionStatus=int(version_status), supportType=int(SupportType.FUND), category=101,
             budget=budget, cid="")


def moved(rows: Rows, plan_id: int, kind: Movement, amount: int, time: int, index: int = 0) -> str:
    return rows.add("FundLedger", "FundsMoved", time, planId=plan_id, appropriationId=1, kind=int(kind),
                    region=VILLAGE, amount=amount, index=index)


def paid(rows: Rows, plan_id: int, batch: int, kind: PaymentKind, amount: int, time: int, entry: int) -> str:
    return rows.add("PaymentBatches", "Payment", time, batchId=batch, household=HOUSEHOLDS[entry], kind=int(kind),
                    planId=plan_id, region=VILLAGE, amount=amount, index=entry)


def funded_plan() -> Rows:
    """Plan 1: 1,000.00 yuan approved, escrowed, first tranche released, a batch of three paid (two by wallet,
    one instructed to the bank and confirmed next day), one wallet payment partly recovered."""
    rows = Rows()
    rows.add("FundLedger", "AppropriationProposed", T0 - DAY, id=1, region=VILLAGE // 10**6 * 10**6, year=2026,
             budgetLine="0x" + b"2130505".hex().ljust(64, "0"), cap=10_000_000, subject=1, documentCid=CID,
             proposer=REGISTRY)
    draft(rows, 1, 100_000)
    status(rows, 1, PlanStatus.SUBMITTED, T0 + 100)
    status(rows, 1, PlanStatus.APPROVED, T0 + 200, version_status=VersionStatus.APPROVED, budget=100_000)
    rows.add("FundLedger", "PlanLinked", T0 + 300, planId=1, appropriationId=1, region=VILLAGE, householdCap=20_000)
    moved(rows, 1, Movement.ESCROWED, 100_000, T0 + 400)
    status(rows, 1, PlanStatus.EXECUTING, T0 + 500)
    moved(rows, 1, Movement.RELEASED, 50_000, T0 + DAY, index=0)
    paid(rows, 1, 1, PaymentKind.PAID_TO_WALLET, 10_000, T0 + 2 * DAY, 0)
    paid(rows, 1, 1, PaymentKind.PAID_TO_WALLET, 12_000, T0 + 2 * DAY, 1)
    paid(rows, 1, 1, PaymentKind.BANK_INSTRUCTED, 15_000, T0 + 2 * DAY, 2)
    paid(rows, 1, 1, PaymentKind.BANK_CONFIRMED, 15_000, T0 + 3 * DAY, 2)
    paid(rows, 1, 1, PaymentKind.RECOVERED, 2_000, T0 + 10 * DAY, 1)
    return rows


def write_index(rows: Rows, path: Path) -> Path:
    """The rows in an event index at ``path``, as the indexer stores them."""
    from govchain.events import DecodedLog
    from indexer.store import EventStore

    store = EventStore(path)
    last = rows.rows[-1]
    store.write_range(1337, {a: name for name, a in ADDRESSES.items()}, 1, last.block_number,
                      [DecodedLog(r.contract, r.address, r.event, r.args, r.block_number, r.block_hash, r.tx_hash,
                                  r.log_index) for r in rows.rows],
                      {r.block_number: r.block_time for r in rows.rows}, last.block_hash)
    store.close()
    return path


def build(rows: Rows, publisher: iati.Publisher | None = None) -> etree._ElementTree:
    publisher = publisher or iati.Publisher()
    with tempfile.TemporaryDirectory() as folder:
        plans, transactions = iati.fund_records(write_index(rows, Path(folder) / "index.sqlite"))
    return iati.iati_document(plans, transactions, publisher, GENERATED)


def transactions_of(document, plan_id: int = 1) -> list[tuple[str, Decimal, str]]:
    activity = document.find(f"iati-activity[iati-identifier='{iati.Publisher.ref}-PLAN-{plan_id}']")
    return [(t.find("transaction-type").get("code"), Decimal(t.find("value").text), t.find("value").get("value-date"))
            for t in activity.iter("transaction")]


# ---------------------------------------------------------------------------------------------- the schema


def test_vendored_schema_files_match_their_recorded_hashes():
    folder = iati.SCHEMA.parent
    recorded = dict(line.split()[::-1] for line in (folder / "SHA256SUMS").read_text().splitlines() if line.strip())
    assert {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in recorded} == recorded
    assert set(recorded) == {"iati-activities-schema.xsd", "iati-common.xsd", "xml.xsd"}


def test_schema_rejects_an_activity_without_its_required_elements():
    bare = b'<iati-activities version="2.03"><iati-activity><iati-identifier>x</iati-identifier></iati-activity>' \
           b'</iati-activities>'
    assert any("reporting-org" in e for e in iati.schema_errors(bare))


def test_export_of_a_funded_plan_validates_against_the_iati_203_schema():
    document = build(funded_plan())
    assert iati.schema_errors(document) == []


# ---------------------------------------------------------------------------------------------- the activity


def test_one_activity_per_plan_identified_by_the_reporting_org_and_plan_id():
    rows = funded_plan()
    draft(rows, 2, 30_000, T0 + 5 * DAY, support=SupportType.MATERIAL, category=999)
    document = build(rows, iati.Publisher(ref="CN-USCC-123"))
    assert [a.findtext("iati-identifier") for a in document.iter("iati-activity")] == ["CN-USCC-123-PLAN-1",
                                                                                      "CN-USCC-123-PLAN-2"]
    assert {a.find("reporting-org").get("ref") for a in document.iter("iati-activity")} == {"CN-USCC-123"}


def test_activity_status_follows_the_plan_status():
    rows = funded_plan()
    draft(rows, 2, 30_000, T0)
    draft(rows, 3, 30_000, T0)
    status(rows, 3, PlanStatus.CANCELLED, T0 + DAY)
    draft(rows, 4, 30_000, T0)
    status(rows, 4, PlanStatus.CLOSED, T0 + DAY)
    codes = {a.findtext("iati-identifier")[-1]: a.find("activity-status").get("code")
             for a in build(rows).iter("iati-activity")}
    assert codes == {"1": "2", "2": "1", "3": "5", "4": "4"}


def test_a_plan_frozen_by_supervision_is_suspended():
    rows = funded_plan()
    rows.add("Supervision", "TargetFrozen", T0 + 4 * DAY, target=str(plan_target(REGISTRY, 1, VILLAGE)), frozen=True)
    assert build(rows).find("iati-activity/activity-status").get("code") == "6"


def test_budget_is_the_approved_version_in_yuan_over_its_milestones():
    budget = build(funded_plan()).find("iati-activity/budget")
    assert (budget.get("status"), budget.findtext("value"), budget.find("value").get("currency")) == ("2", "1000.00",
                                                                                                       "CNY")
    assert budget.find("period-end").get("iso-date") == "2026-11-25"  # the last milestone, T0 + 180 days


def test_sector_is_the_dac_code_of_the_category_where_one_fits():
    rows = funded_plan()
    draft(rows, 2, 30_000, T0, category=999)  # "other": no DAC code
    activities = list(build(rows).iter("iati-activity"))
    sectors = [sorted((s.get("vocabulary"), s.get("code")) for s in a.iter("sector")) for a in activities]
    assert sectors == [[("1", "21020"), ("99", "101")], [("99", "999")]]


def test_location_is_the_plan_region_code():
    activity = build(funded_plan()).find("iati-activity")
    assert activity.find("location").get("ref") == str(VILLAGE)
    assert activity.find("recipient-country").get("code") == "CN"


# ---------------------------------------------------------------------------------------------- transactions


def test_ledger_movements_map_to_incoming_commitment_and_disbursement():
    assert transactions_of(build(funded_plan()))[:2] == [("11", Decimal("1000.00"), "2026-05-29"),
                                                         ("3", Decimal("500.00"), "2026-05-30")]


def test_payments_are_summed_per_batch_kind_and_day():
    rows = transactions_of(build(funded_plan()))[2:]
    assert rows == [("2", Decimal("150.00"), "2026-05-31"),  # the bank instruction
                    ("4", Decimal("220.00"), "2026-05-31"),  # two wallet payments
                    ("4", Decimal("150.00"), "2026-06-01"),  # the instruction confirmed
                    ("1", Decimal("20.00"), "2026-06-08")]  # the recovery


def test_a_failed_bank_instruction_is_a_negative_outgoing_commitment():
    rows = funded_plan()
    paid(rows, 1, 2, PaymentKind.BANK_INSTRUCTED, 5_000, T0 + 20 * DAY, 3)
    paid(rows, 1, 2, PaymentKind.BANK_FAILED, 5_000, T0 + 21 * DAY, 3)
    assert transactions_of(build(rows))[-2:] == [("2", Decimal("50.00"), "2026-06-18"),
                                                 ("2", Decimal("-50.00"), "2026-06-19")]


def test_returned_funds_are_a_negative_incoming_commitment():
    rows = funded_plan()
    moved(rows, 1, Movement.RETURNED, 45_000, T0 + 30 * DAY)
    assert transactions_of(build(rows))[-1] == ("11", Decimal("-450.00"), "2026-06-28")


def test_minting_belongs_to_the_appropriation_and_is_not_a_plan_transaction():
    rows = funded_plan()
    moved(rows, 0, Movement.MINTED, 1_000_000, T0)
    assert len(transactions_of(build(rows))) == 6


def test_no_household_id_appears_in_the_export():
    text = iati.to_bytes(build(funded_plan())).decode()
    assert not any(h[2:] in text.lower() for h in HOUSEHOLDS)
    assert "3 households of batch #1" not in text and "2 households of batch #1" in text


def test_transaction_ref_is_the_chain_transaction_of_the_movement():
    rows = funded_plan()
    tx = moved(rows, 1, Movement.RELEASED, 50_000, T0 + 40 * DAY, index=1)
    activity = build(rows).find("iati-activity")
    assert activity.findall("transaction")[-1].get("ref") == tx


def test_a_procurement_paid_to_its_supplier_is_an_expenditure_naming_the_supplier():
    rows = funded_plan()
    rows.add("MaterialSupply", "ProcurementReceived", T0 + 5 * DAY, procurementId=3, planId=1, supplier=SUPPLIER,
             amount=30_000, receiptCid=CID, dispatcher=REGISTRY)
    transaction = build(rows).find("iati-activity").findall("transaction")[-2]  # before the recovery
    assert (transaction.find("transaction-type").get("code"), transaction.findtext("value")) == ("4", "300.00")
    assert SUPPLIER in transaction.findtext("receiver-org/narrative")


def crowdfunded_plan() -> Rows:
    """Plan 1 (crowdfunding): two donations on one day and one the next, a refund, a tranche, two payments."""
    rows = Rows()
    draft(rows, 1, 50_000, support=SupportType.CROWDFUNDING)
    rows.add("Crowdfunding", "CampaignOpened", T0 + 100, campaignId=4, planId=1, region=VILLAGE, goal=50_000,
             deadline=T0 + 30 * DAY, owner=REGISTRY)
    for n, (time, amount) in enumerate([(T0 + DAY, 20_000), (T0 + DAY, 25_000), (T0 + 2 * DAY, 10_000)]):
        rows.add("Crowdfunding", "Donated", time, campaignId=4, donor=DONOR, index=n + 1, amount=amount,
                 cumulativeBefore=0)
    rows.add("Crowdfunding", "Refunded", T0 + 3 * DAY, campaignId=4, donor=DONOR, amount=5_000)
    rows.add("Crowdfunding", "TrancheReleased", T0 + 4 * DAY, campaignId=4, planId=1, index=0, amount=30_000)
    for entry in (0, 1):
        rows.add("Crowdfunding", "DonationsPaid", T0 + 5 * DAY, campaignId=4, household=HOUSEHOLDS[entry], planId=1,
                 amount=15_000, fromCumulative=0, handler=REGISTRY)
    return rows


def test_crowdfunding_donations_tranches_and_payments_are_transactions_of_their_plan():
    document = build(crowdfunded_plan())
    assert iati.schema_errors(document) == []
    assert transactions_of(document) == [("1", Decimal("450.00"), "2026-05-30"), ("1", Decimal("100.00"), "2026-05-31"),
                                         ("1", Decimal("-50.00"), "2026-06-01"), ("3", Decimal("300.00"), "2026-06-02"),
                                         ("4", Decimal("300.00"), "2026-06-03")]


def test_no_donor_or_household_appears_in_a_crowdfunding_export():
    text = iati.to_bytes(build(crowdfunded_plan())).decode().lower()
    assert DONOR.lower()[2:] not in text and not any(h[2:] in text for h in HOUSEHOLDS)
    assert "2 donations to campaign #4" in text


# ---------------------------------------------------------------------------------------------- hostile text


HOSTILE = "<script>alert(1)</script>&\x00\x07\x1b\ufffe\u202e=HYPERLINK(\"http://x\")]]>"


def test_hostile_cid_comes_out_as_valid_escaped_xml():
    rows = Rows()
    draft(rows, 1, 10_000, cid=HOSTILE)
    document = build(rows)
    data = iati.to_bytes(document)
    assert iati.schema_errors(data) == []
    description = etree.fromstring(data).findtext("iati-activity/description/narrative")
    assert "<script>alert(1)</script>&" in description and "\ufffd" * 4 in description  # NUL, BEL, ESC, U+FFFE
    assert b"<script>" not in data
    assert etree.fromstring(data).find("iati-activity/document-link") is None  # not a CID: no link


def test_a_real_cid_is_linked_as_an_ipfs_url():
    link = build(funded_plan()).find("iati-activity/document-link")
    assert link.get("url") == f"ipfs://{CID}"


def test_xml_text_replaces_only_what_xml_forbids():
    assert (
        iati.xml_text("a\tb\nc\rd\x00e\x1ff\ud800g\ufffeh\u202ei😀")
        == "a\tb\nc\rd\ufffde\ufffdf\ufffdg\ufffdh\u202ei😀"
    )


# ---------------------------------------------------------------------------------------------- the command


def test_command_writes_a_valid_file_from_an_index(tmp_path: Path):
    index = write_index(funded_plan(), tmp_path / "index.sqlite")
    out = tmp_path / "out" / "iati.xml"
    assert iati.main(["--index", str(index), "--out", str(out), "--reporting-org", "XM-TEST"]) == 0
    document = etree.parse(str(out))
    assert iati.schema_errors(document) == []
    assert document.findtext("iati-activity/iati-identifier") == "XM-TEST-PLAN-1"
    assert len(document.findall("iati-activity/transaction")) == 6


def test_command_without_an_index_says_which_command_makes_it(tmp_path: Path, capsys):
    assert iati.main(["--index", str(tmp_path / "none.sqlite"), "--out", str(tmp_path / "x.xml")]) == 2
    assert "python -m indexer sync" in capsys.readouterr().err


def test_description_names_the_appropriation_budget_line_as_text():
    description = build(funded_plan()).findtext("iati-activity/description/narrative")
    assert "预算科目 2130505（2026 年度）" in description


def test_a_batch_settled_in_many_transactions_names_the_first_three_and_counts_the_rest():
    rows = funded_plan()
    for entry in range(5):  # five settle calls of batch 3, one entry each, on one day
        paid(rows, 1, 3, PaymentKind.PAID_TO_WALLET, 1_000, T0 + 50 * DAY, entry % 4)
    transaction = build(rows).find("iati-activity").findall("transaction")[-1]
    description = transaction.findtext("description/narrative[@{http://www.w3.org/XML/1998/namespace}lang='en']")
    assert description.count("0x") == 3 and description.endswith("and 2 more")
    assert transaction.findtext("value") == "50.00"
