"""Disclosure (数据披露): LEADERs and ANALYSTs publish major events and reports with a category, a region and a
document; corrections name what they correct."""

import brownie
import pytest

from tests.contracts.conftest import COUNTY, OTHER_COUNTY_VILLAGE, TOWNSHIP, VILLAGE, err

MAJOR_EVENT, REPORT = 0, 1  # IDisclosure.DisclosureKind
FUND_USE = 3  # a disclosure category


@pytest.fixture(scope="module")
def analyst(plan_officials):
    """An ANALYST over the county."""
    return plan_officials.analyst


def test_a_leader_discloses_a_major_event(disclosure, officials):
    tx = disclosure.publish(MAJOR_EVENT, 1, VILLAGE, "bafkreievent", 0, {"from": officials.village_leader})
    event = tx.events["Disclosed"]
    assert (event["id"], event["kind"], event["region"], event["category"], event["cid"], event["publisher"]) == (
        1, MAJOR_EVENT, VILLAGE, 1, "bafkreievent", officials.village_leader)
    assert disclosure.disclosureOf(1)["region"] == VILLAGE


def test_an_analyst_publishes_a_report(disclosure, analyst):
    tx = disclosure.publish(REPORT, FUND_USE, TOWNSHIP, "bafkreireport", 0, {"from": analyst})
    assert tx.events["Disclosed"]["kind"] == REPORT
    assert disclosure.disclosureCount() == 1


def test_neither_leader_nor_analyst_publishes_nothing(disclosure, officials):
    with brownie.reverts(err("DisclosureUnauthorized", officials.clerk, VILLAGE)):
        disclosure.publish(MAJOR_EVENT, 1, VILLAGE, "bafkreievent", 0, {"from": officials.clerk})


def test_a_leader_does_not_disclose_about_a_region_outside_its_own(disclosure, officials):
    with brownie.reverts(err("DisclosureUnauthorized", officials.village_leader, TOWNSHIP)):
        disclosure.publish(MAJOR_EVENT, 1, TOWNSHIP, "bafkreievent", 0, {"from": officials.village_leader})


def test_a_disclosure_needs_its_document(disclosure, analyst):
    with brownie.reverts(err("DisclosureDocumentRequired")):
        disclosure.publish(REPORT, FUND_USE, COUNTY, "", 0, {"from": analyst})


def test_a_disclosure_needs_a_valid_region(disclosure, analyst):
    with brownie.reverts(err("DisclosureInvalidRegion", 5301)):
        disclosure.publish(REPORT, FUND_USE, 5301, "bafkreireport", 0, {"from": analyst})


def test_a_correction_names_the_disclosure_it_corrects(disclosure, analyst):
    disclosure.publish(REPORT, FUND_USE, VILLAGE, "bafkreireport", 0, {"from": analyst})
    tx = disclosure.publish(REPORT, FUND_USE, VILLAGE, "bafkreicorrected", 1, {"from": analyst})
    assert tx.events["Disclosed"]["corrects"] == 1
    assert disclosure.disclosureOf(2)["corrects"] == 1


def test_a_correction_of_an_unknown_disclosure_reverts(disclosure, analyst):
    with brownie.reverts(err("DisclosureInvalidCorrection", 7, COUNTY)):
        disclosure.publish(REPORT, FUND_USE, COUNTY, "bafkreicorrected", 7, {"from": analyst})


def test_a_correction_from_a_region_not_covering_the_original_reverts(disclosure, analyst, officials, admin,
                                                                      role_registry, role):
    role_registry.grantRoleIn(role["ANALYST"], analyst, OTHER_COUNTY_VILLAGE, {"from": admin})
    disclosure.publish(REPORT, FUND_USE, OTHER_COUNTY_VILLAGE, "bafkreireport", 0, {"from": analyst})
    with brownie.reverts(err("DisclosureInvalidCorrection", 1, VILLAGE)):
        disclosure.publish(REPORT, FUND_USE, VILLAGE, "bafkreicorrected", 1, {"from": analyst})
