"""A committed assessment root is recomputed from chain events alone (assessment.kpis)."""

import pytest

from assessment.kpis import Period, compute_kpis, kpi_root, platform_contracts, read_events

from .conftest import COUNTY, DAY, VILLAGE, approved_procurement, household_id, receipt_signature

METHOD, RESULTS = "bafkreikpimethod", "bafkreikpiresults"


@pytest.fixture(scope="module")
def period(platform, chain, material_supply, follow_up_visits, approval_hub, funded, fund_officials,
           material_officials, route_approvers):
    """A period with some activity: a procurement approved and received, a dispatch to VILLAGE, deliveries to
    "admitted" (signed receipt) and "watched" (attested), a visit of "admitted"; it ends after all of it."""
    start = chain.time()
    people = material_officials
    procurement = approved_procurement(material_supply, approval_hub, fund_officials.handler, people.supplier,
                                       route_approvers, funded.plan)
    material_supply.receiveGoods(procurement, "bafkreigoodsreceipt", {"from": people.dispatcher})
    dispatch = material_supply.dispatch(procurement, VILLAGE, 10, {"from": people.dispatcher}).return_value
    admitted, watched = household_id("admitted"), household_id("watched")
    signature = receipt_signature(fund_officials.wallets[0], material_supply, dispatch, 0, admitted, 2)
    material_supply.deliver(dispatch, 0, admitted, 2, signature, "", {"from": people.grid_worker})
    material_supply.deliver(dispatch, 1, watched, 2, b"", "bafkreiform", {"from": people.grid_worker})
    chain.sleep(DAY)
    chain.mine()
    follow_up_visits.recordVisit(admitted, funded.plan, chain.time() - 60, 4, 0, "bafkreiphoto",
                                 {"from": people.grid_worker})
    chain.sleep(10)
    chain.mine()
    return Period(start, chain.time())


def test_committed_root_is_recomputed_from_events_alone(platform, web3, assessment_registry, followup_officials,
                                                        period):
    rows = compute_kpis(read_events(web3, platform_contracts(platform)), period)
    for assessor in followup_officials.assessors[:2]:
        assessment_registry.commitAssessment(COUNTY, period.start, period.end, kpi_root(rows), len(rows), METHOD,
                                             RESULTS, {"from": assessor})
    committed = assessment_registry.assessmentOf(assessment_registry.assessmentId(COUNTY, period.start, period.end))

    # Anyone, later, from the events only (the assessment's own events are after the period and change nothing).
    recomputed = compute_kpis(read_events(web3, platform_contracts(platform)), period)
    assert "0x" + kpi_root(recomputed).hex() == committed["root"]
    assert committed["rowCount"] == len(recomputed)


def test_each_event_carries_the_timestamp_of_its_block(platform, web3, period):
    events = read_events(web3, platform_contracts(platform))
    assert len(events) > 10
    assert all(e.timestamp == web3.eth.get_block(e.block_number)["timestamp"] for e in events)


def test_period_table_shows_visit_coverage_of_the_served_households(platform, web3, period):
    table = {(r.entity, r.entity_id, r.kpi): r.value
             for r in compute_kpis(read_events(web3, platform_contracts(platform)), period)}
    assert table[("region", VILLAGE, "visit_coverage_bps")] == 5_000  # "admitted" visited, "watched" not
    assert table[("region", VILLAGE, "visit_satisfaction_x100")] == 400


def test_changed_table_does_not_match_the_committed_root(platform, web3, period):
    rows = compute_kpis(read_events(web3, platform_contracts(platform)), period)
    assert kpi_root(rows) != kpi_root(rows[:-1])
