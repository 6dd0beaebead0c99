"""The disclosure, report and analysis pages built on the execution contracts (plans, funds, materials, social
support, supervision, disclosures, assessments), in AppTest over the synced test county.

Expected figures are computed here from what the scenario's steps did (their constants, or the literals of
assessment/demo.py's run_execution where it names no constant), never read back from the data layer.
"""

from __future__ import annotations

import pandas as pd
import pytest

from orchestration import funding_demo
from orchestration.flow import DEMO_PLAN_TYPES
from tests.dashboard.apptest import chart_data, frames, metrics
from tests.dashboard.scenario import (
    HOSTILE_CID,
    LOST_IN_TRANSIT,
    MAJOR_EVENT,
    OUTCOMES,
    SECOND_DELIVERY,
    SOCIAL_CATEGORY,
)

YUAN = 100
# orchestration.flow.demo_plan_terms: the project, fund and industry plans of the township, three milestones each.
DEMO_PLAN_BUDGET = 300_000
# assessment.demo.run_execution: the material and crowdfunding plans, their appropriation, procurement, dispatch,
# first delivery, crowdfunded payment and pledge.
EXECUTION_PLAN_BUDGET, EXECUTION_TRANCHE, EXECUTION_APPROPRIATION = 500_000, 100_000, 1_000_000
PROCURED, UNIT_PRICE, DISPATCHED, FIRST_DELIVERY, CROWDFUNDED_PAYMENT = 200, 50, 20, 2, 500
MATERIAL_KPI_TARGET = 40
SOCIAL_BUDGET = 10_000  # tests/dashboard/scenario.py: the social plan left drafted

FUND_PLAN_BUDGET = funding_demo.BUDGET / YUAN
FUND_PLAN_TRANCHE = funding_demo.TRANCHE / YUAN
FUND_PLAN_PAID = (funding_demo.WALLET_PAYMENT + funding_demo.BANK_PAYMENT) / YUAN


def _by_plan(table: pd.DataFrame) -> pd.DataFrame:
    return table.set_index("plan_id")


def test_overview_adds_the_plans_payments_materials_freezes_and_disclosures(site):
    figures = metrics(site())
    # The demo's township plans, the village fund plan, the material and crowdfunding plans, the drafted social one.
    assert figures["扶持计划"] == str(len(DEMO_PLAN_TYPES) + 4) and figures["实施中计划"] == "3"
    assert figures["已支付（元）"] == f"{FUND_PLAN_PAID + PROCURED * UNIT_PRICE + CROWDFUNDED_PAYMENT:,.2f}"
    assert figures["已发放物资（件）"] == str(FIRST_DELIVERY + SECOND_DELIVERY)
    assert figures["监督冻结中"] == "1" and figures["重大事件与报告"] == "2"


def test_plans_page_lists_every_plan_with_its_type_budget_status_and_document(site, county):
    at = site("plans.py")
    plans, _ = frames(at)
    ids = county.execution.plans
    row = _by_plan(plans)
    assert sorted(row.index) == sorted(ids.values())
    assert row.loc[ids["village_fund"], "support_type"] == "fund"
    assert row.loc[ids["village_fund"], "budget"] == FUND_PLAN_BUDGET
    assert row.loc[ids["village_fund"], "region"] == county.registered.region
    assert row.loc[ids["material"], "status"] == "executing"
    assert row.loc[ids["project"], "status"] == "approved" and row.loc[ids["project"], "budget"] == DEMO_PLAN_BUDGET
    assert (
        row.loc[ids["drafted_social"], "status"] == "draft"
        and row.loc[ids["drafted_social"], "category"] == SOCIAL_CATEGORY
    )


def test_plans_page_shows_the_frozen_plan_and_the_milestones_approved(site, county):
    ids = county.execution.plans
    row = _by_plan(frames(site("plans.py"))[0])
    assert list(row.index[row.frozen]) == [ids["project"]]
    assert {row.loc[ids[p], "milestones"] for p in ("village_fund", "material", "crowdfunding")} == {"1/3"}
    assert row.loc[ids["industry"], "milestones"] == "0/3"


def test_plans_page_names_each_plans_document_with_a_verify_link(site, county):
    plans, _ = frames(site("plans.py"))
    township_plans = _by_plan(plans).loc[[county.execution.plans[p] for p in ("project", "fund", "industry")]]
    # The demo plans' documents are the first three the scenario added to IPFS, in plan order.
    assert list(township_plans.document_cid) == county.execution.documents[:3]
    assert all(link.startswith("./verify?tx=0x") for link in plans.verify)


def test_plans_page_lists_each_milestone_of_the_version_shown(site, county):
    _, milestones = frames(site("plans.py"))
    # the approved plans of three milestones each, the drafted social plan's one
    assert len(milestones) == (len(DEMO_PLAN_TYPES) + 3) * 3 + 1
    approved = milestones[milestones.milestone_status == "approved"]
    ids = county.execution.plans
    assert sorted(approved.plan_id) == sorted(ids[p] for p in ("village_fund", "material", "crowdfunding"))
    assert set(approved.milestone) == {0}


def test_a_hostile_plan_document_cid_is_shown_inert(site, county):
    plans, _ = frames(site("plans.py"))
    shown = _by_plan(plans).loc[county.execution.plans["drafted_social"], "document_cid"]
    assert shown == HOSTILE_CID.replace("\x07", "\\x07").replace("\u202e", "\\u202e")


def test_fund_use_page_shows_escrow_release_and_payments_per_plan(site, county):
    at = site("fund_use.py")
    by_plan = _by_plan(frames(at)[0])
    ids = county.execution.plans
    fund, material, crowd = (by_plan.loc[ids[p]] for p in ("village_fund", "material", "crowdfunding"))
    assert (fund.escrowed, fund.released, fund.paid) == (FUND_PLAN_BUDGET, FUND_PLAN_TRANCHE, FUND_PLAN_PAID)
    assert (material.escrowed, material.released, material.paid) == (
        EXECUTION_PLAN_BUDGET, EXECUTION_TRANCHE, PROCURED * UNIT_PRICE)  # the supplier, paid on receipt
    assert (crowd.raised, crowd.released, crowd.paid) == (EXECUTION_TRANCHE, EXECUTION_TRANCHE, CROWDFUNDED_PAYMENT)
    assert set(by_plan.instructed) == {0} and set(by_plan.returned) == {0}  # the bank confirmed its instruction


def test_fund_use_page_suppresses_small_household_counts(site):
    by_plan = frames(site("fund_use.py"))[0]
    assert set(by_plan.households_paid) <= {"<5", "0"}
    assert "<5" in set(by_plan.households_paid)


def test_fund_use_headline_figures_add_up_the_appropriations_and_flows(site):
    figures = metrics(site("fund_use.py"))
    appropriated = FUND_PLAN_BUDGET + EXECUTION_APPROPRIATION
    assert figures["已批预算（元）"] == f"{appropriated:,.2f}"
    assert figures["已划入计划（元）"] == f"{FUND_PLAN_BUDGET + EXECUTION_PLAN_BUDGET:,.2f}"
    assert figures["已支付（元）"] == f"{FUND_PLAN_PAID + PROCURED * UNIT_PRICE + CROWDFUNDED_PAYMENT:,.2f}"


def test_fund_use_grouped_by_year_sums_every_plan_into_the_budget_year(site):
    at = site("fund_use.py")
    at.radio(key="fund_group").set_value("year").run()
    (row,) = frames(at)[0].itertuples()
    assert row.year == 2026  # the demo appropriations' year
    assert row.released == FUND_PLAN_TRANCHE + 2 * EXECUTION_TRANCHE


def test_fund_use_chart_draws_the_flows_of_each_plan(site, county):
    traces = {trace["name"]: trace for trace in chart_data(site("fund_use.py"))}
    assert set(traces) == {"escrowed", "released", "paid", "returned"}
    ids = county.execution.plans
    paid = dict(zip(traces["paid"]["x"], traces["paid"]["y"]))
    assert paid[str(ids["village_fund"])] == FUND_PLAN_PAID


def test_fund_use_page_lists_the_appropriations_and_the_pledge(site):
    _, appropriations, pledges = frames(site("fund_use.py"))
    assert sorted(appropriations.cap) == [FUND_PLAN_BUDGET, EXECUTION_APPROPRIATION]
    assert set(appropriations.appropriation_status) == {"approved"}
    assert list(appropriations.minted.sort_values()) == [FUND_PLAN_BUDGET, EXECUTION_APPROPRIATION]
    (pledge,) = pledges.itertuples()
    assert (pledge.pledge_kind, pledge.amount, pledge.fulfilled) == ("jobs", 10, 10)


def test_material_use_page_balances_procured_against_stock_transit_delivered_and_lost(site, county):
    at = site("material_use.py")
    materials, procurements = frames(at)
    (row,) = materials.itertuples()
    delivered = FIRST_DELIVERY + SECOND_DELIVERY
    assert row.plan_id == county.execution.plans["material"] and row.unit == "bag"
    assert (row.procured, row.in_stock, row.in_transit, row.delivered, row.lost) == (
        PROCURED, PROCURED - DISPATCHED, DISPATCHED - delivered - LOST_IN_TRANSIT, delivered, LOST_IN_TRANSIT)
    assert row.households_served == "<5"
    (procurement,) = procurements.itertuples()
    assert procurement.procurement_status == "received" and procurement.paid == PROCURED * UNIT_PRICE


def test_effectiveness_page_puts_each_kpi_target_beside_its_actual(site, county):
    at = site("effectiveness.py")
    (table,) = frames(at)
    row = _by_plan(table)
    ids = county.execution.plans
    assert (row.loc[ids["village_fund"], "target"], row.loc[ids["village_fund"], "actual"]) == (1, OUTCOMES["fund"][0])
    material = row.loc[ids["material"]]
    assert (material.target, material.actual) == (MATERIAL_KPI_TARGET, OUTCOMES["material"][0])
    assert material.attainment == OUTCOMES["material"][0] / MATERIAL_KPI_TARGET
    assert material.indicator == "kpi:income"
    traces = {trace["name"]: trace["y"] for trace in chart_data(at)}
    assert sorted(traces["actual"]) == sorted([OUTCOMES["fund"][0], OUTCOMES["material"][0]])


def test_major_events_page_lists_the_disclosures_newest_first(site, county):
    (table,) = frames(site("major_events.py"))
    assert list(table.disclosure_kind) == ["report", "major_event"]
    event = table[table.disclosure_kind == "major_event"].iloc[0]
    assert event.cid == county.execution.major_event_cid and event.region == county.registered.region


def test_major_events_page_shows_a_document_fetched_from_ipfs(site, county):
    at = site("major_events.py")
    at.selectbox(key="disclosure").set_value(1).run()
    assert not at.exception
    assert at.code[0].value == MAJOR_EVENT.decode("utf-8")


def test_a_hostile_disclosure_cid_is_shown_inert_and_not_fetched(site):
    at = site("major_events.py")
    (table,) = frames(at)
    hostile = table[table.disclosure_kind == "report"].cid.iloc[0]
    assert "\u202e" not in hostile and "\\u202e" in hostile and "<script>" in hostile  # text, never markup
    at.selectbox(key="disclosure").set_value(2).run()
    assert not at.exception and not at.code  # no document: not a CID


def test_support_type_share_pie_sums_the_budgets_per_type(site):
    at = site("support_share.py")
    (pie,) = chart_data(at)
    assert DEMO_PLAN_TYPES == ("PROJECT", "FUND", "INDUSTRY", "SOCIAL", "ENTERPRISE")  # one township plan each
    expected = {"项目": DEMO_PLAN_BUDGET, "资金": DEMO_PLAN_BUDGET + FUND_PLAN_BUDGET, "产业": DEMO_PLAN_BUDGET,
                "物资": EXECUTION_PLAN_BUDGET, "众筹": EXECUTION_PLAN_BUDGET, "社会": DEMO_PLAN_BUDGET + SOCIAL_BUDGET,
                "企业": DEMO_PLAN_BUDGET}
    assert dict(zip(pie["labels"], pie["values"])) == expected
    at.radio(key="share_measure").set_value("plans").run()
    (pie,) = chart_data(at)
    assert dict(zip(pie["labels"], pie["values"]))["资金"] == 2


def test_the_english_switch_relabels_the_support_types(site):
    at = site("support_share.py")
    at.sidebar.radio(key="language").set_value("English").run()
    (pie,) = chart_data(at)
    assert "crowdfunding" in pie["labels"] and "众筹" not in pie["labels"]


def test_category_share_counts_plans_and_budget_per_category(site):
    at = site("category_share.py")
    (table,) = frames(at)
    row = table.set_index("category")
    assert row.loc[101, "plans"] == len(DEMO_PLAN_TYPES) + 3 and row.loc[SOCIAL_CATEGORY, "plans"] == 1
    assert row.loc[SOCIAL_CATEGORY, "budget"] == SOCIAL_BUDGET
    (bar,) = chart_data(at)
    assert dict(zip(bar["x"], bar["y"]))[str(SOCIAL_CATEGORY)] == SOCIAL_BUDGET


def test_fund_map_has_a_tile_per_village_and_colours_the_paid_village(site, county):
    at = site("fund_map.py")
    (trace,) = chart_data(at)
    (table,) = frames(at)
    villages = set(county.villages) | {county.registered.region}
    assert trace["marker"]["symbol"] == "square" and len(trace["x"]) == len(villages)
    paid = table.set_index("region").paid
    assert paid[county.registered.region] == FUND_PLAN_PAID + PROCURED * UNIT_PRICE + CROWDFUNDED_PAYMENT
    assert paid.drop(county.registered.region).eq(0).all()


def test_effectiveness_map_shows_the_mean_attainment_of_the_villages_plans(site, county):
    at = site("effectiveness_map.py")
    (table,) = frames(at)
    row = table.set_index("region").loc[county.registered.region]
    expected = (OUTCOMES["fund"][0] / 1 + OUTCOMES["material"][0] / MATERIAL_KPI_TARGET) / 2
    assert row.plans_reported == 2 and row.mean_attainment == pytest.approx(expected)
    (trace,) = chart_data(at)
    assert len(trace["x"]) == len(table)


def test_assessments_page_lists_both_final_assessments(site, county):
    assessments, _ = frames(site("assessments.py"))
    assert list(assessments.agreement) == ["final", "final"] and list(assessments.votes) == [2, 2]
    newest = assessments.iloc[0]
    assert newest.root == "0x" + county.execution.assessment_root.hex()
    assert newest.results_cid == county.execution.assessment_results_cid


def test_assessments_page_shows_the_kpi_table_from_ipfs_with_its_root_recomputed(site, county):
    at = site("assessments.py")
    _, kpis = frames(at)
    assert len(kpis) == county.execution.assessment_rows > 0
    assert "结果文件的 CID 与链上默克尔根均已核验" in at.success[0].value
    assert {"region", "plan", "official"} & set(kpis.entity)


def test_an_assessment_whose_results_are_not_on_ipfs_says_so(site):
    at = site("assessments.py")
    older = frames(at)[0].assessment_id.iloc[1]  # the demo's, whose results "CID" is a placeholder
    at.selectbox(key="assessment").set_value(older).run()
    assert not at.exception
    assert frames(at)[1].empty and at.warning


def test_officials_page_lists_the_open_freeze_and_flag(site, county):
    cases = frames(site("officials.py"))[4]
    ids = county.execution.plans
    assert sorted(zip(cases.plan_id, cases.frozen)) == sorted([(ids["project"], True), (ids["industry"], False)])
    assert set(cases.what) == {f"plan {ids['project']}", f"plan {ids['industry']}"}


def test_officials_page_lists_the_visit_left_overdue(site, county):
    overdue = frames(site("officials.py"))[5]
    (row,) = overdue.itertuples()
    assert row.plan_id == county.execution.plans["material"] and row.marked
    assert row.household_id == "0x" + county.registered.household_id.hex()


def test_self_check_lists_the_support_the_household_received(site, county):
    at = site("self_check.py")
    at.text_input(key="card").input("0x" + county.registered.household_id.hex())
    at.button(key="check").click().run()
    assert not at.exception
    support = frames(at)[1]
    amounts = {(s, a) for s, a in zip(support.support, support.amount) if pd.notna(a)}
    assert ("wallet payment", funding_demo.WALLET_PAYMENT / YUAN) in amounts
    assert ("bank payment confirmed", funding_demo.BANK_PAYMENT / YUAN) in amounts
    assert ("crowdfunded payment", CROWDFUNDED_PAYMENT) in amounts
    assert sorted(support[support.support == "materials delivered"].amount) == [FIRST_DELIVERY, SECOND_DELIVERY]
    assert "follow-up visit" in set(support.support)
