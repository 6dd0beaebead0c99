"""The IATI 2.03 export of the test county (tests/dashboard/scenario.py: plans, appropriations, a payment batch
by wallet and bank, a procurement, a crowdfunding round, a freeze), indexed by a real sync, validated against the
official schema; its figures checked against the amounts the demo's steps moved (their own constants)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from lxml import etree

from assessment import demo as execution_demo
from dashboard import iati
from orchestration import funding_demo


@pytest.fixture(scope="module")
def exported(synced_index):
    return etree.fromstring(iati.export(synced_index))


def activity(document, plan_id: int):
    return document.find(f"iati-activity[iati-identifier='{iati.Publisher.ref}-PLAN-{plan_id}']")


def transactions(document, plan_id: int) -> list[tuple[str, Decimal]]:
    return sorted((t.find("transaction-type").get("code"), Decimal(t.findtext("value")))
                  for t in activity(document, plan_id).iter("transaction"))


def yuan(fen: int) -> Decimal:
    return Decimal(fen) / 100


def test_county_export_validates_against_the_iati_203_schema(exported):
    assert iati.schema_errors(etree.ElementTree(exported)) == []


def test_county_export_has_one_activity_per_plan_on_chain(exported, network):
    from govchain.chain import Chain

    count = Chain(network).contract("PlanRegistry").functions.planCount().call()
    identifiers = [a.findtext("iati-identifier") for a in exported.iter("iati-activity")]
    assert identifiers == [f"{iati.Publisher.ref}-PLAN-{p}" for p in range(1, count + 1)]


def test_village_fund_plan_transactions_are_the_funding_steps_amounts(exported, county):
    plan = county.execution.plans["village_fund"]
    assert transactions(exported, plan) == sorted([
        ("11", yuan(funding_demo.BUDGET)),  # escrowed from the appropriation
        ("3", yuan(funding_demo.TRANCHE)),  # tranche 0 released
        ("4", yuan(funding_demo.WALLET_PAYMENT)),  # paid to the household's wallet
        ("2", yuan(funding_demo.BANK_PAYMENT)),  # instructed to the bank
        ("4", yuan(funding_demo.BANK_PAYMENT)),  # confirmed by the bank
    ])


def test_the_frozen_project_plan_is_suspended(exported, county):
    assert activity(exported, county.execution.plans["project"]).find("activity-status").get("code") == "6"


def test_the_executing_village_fund_plan_is_in_implementation(exported, county):
    assert activity(exported, county.execution.plans["village_fund"]).find("activity-status").get("code") == "2"


def test_no_household_id_of_the_county_appears_in_the_export(exported, county):
    text = etree.tostring(exported).decode().lower()
    for household in (county.registered, county.in_notice, county.pending):
        assert household.household_id.hex() not in text


# assessment/demo.py: a procurement of 200 bags at 50 yuan; a donation of the tranche (100,000 yuan), the tranche
# released, 500 yuan paid to the household.
PROCUREMENT, CROWD_PAYMENT = 200 * 50 * execution_demo.YUAN, 500 * execution_demo.YUAN


def test_the_procurement_is_an_expenditure_of_the_material_plan(exported, county):
    assert ("4", yuan(PROCUREMENT)) in transactions(exported, county.execution.plans["material"])


def test_crowdfunding_donation_tranche_and_payment_are_transactions_of_its_plan(exported, county):
    assert transactions(exported, county.execution.plans["crowdfunding"]) == sorted([
        ("1", yuan(execution_demo.TRANCHE)), ("3", yuan(execution_demo.TRANCHE)), ("4", yuan(CROWD_PAYMENT))])


def test_fund_use_page_offers_the_iati_download(site):
    at = site("fund_use.py")
    (button,) = [b for b in at.get("download_button") if "IATI" in b.proto.label]
    assert button.proto.label == "下载 IATI 2.03 XML（资金交易）"


def test_the_plan_with_a_hostile_document_cid_is_exported_as_inert_text(exported, county):
    from tests.dashboard.scenario import HOSTILE_CID

    social = activity(exported, county.execution.plans["drafted_social"])
    description = social.findtext("description/narrative")
    assert HOSTILE_CID.replace("\x07", "\ufffd") in description  # BEL is not XML; markup stays text
    assert social.find("document-link") is None  # not a CID: no link
    assert social.find("activity-status").get("code") == "1"  # drafted: pipeline
    assert [s.get("code") for s in social.iter("sector")] == ["205"]  # no DAC code for an unlisted category
