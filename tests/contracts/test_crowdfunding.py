"""Crowdfunding (众筹帮扶): goal and deadline, donations through the bank on-ramp with receipt events, pull refunds
when the goal is missed, release by approved milestones, payments linked to the donations they spent."""

import brownie
import pytest

from .conftest import (
    COUNTY,
    DAY,
    GOAL,
    approve_milestone,
    crowdfunding_plan,
    donate,
    err,
    household_id,
)

HOUSEHOLD = household_id("admitted")  # registered in VILLAGE, wallet bound to fund_officials.wallets[0]


@pytest.fixture(scope="module")
def donors(accounts, admin):
    people = [accounts.add() for _ in range(3)]
    for donor in people:
        admin.transfer(donor, "1 ether")
    return people


@pytest.fixture(scope="module")
def plan_id(plan_registry, approval_hub, plan_officials, route_approvers, funded):
    return crowdfunding_plan(plan_registry, approval_hub, plan_officials.department, route_approvers)


@pytest.fixture(scope="module")
def deadline(chain):
    return chain.time() + 30 * DAY


@pytest.fixture(scope="module")
def campaign(crowdfunding, plan_officials, plan_id, deadline):
    return crowdfunding.open(plan_id, GOAL, deadline, {"from": plan_officials.department}).return_value


def test_owner_of_a_crowdfunding_plan_opens_a_campaign(crowdfunding, campaign, plan_id, deadline):
    stored = crowdfunding.campaignOf(campaign)
    assert (stored["planId"], stored["goal"], stored["deadline"]) == (plan_id, GOAL, deadline)


def test_campaign_for_a_fund_plan_is_refused(crowdfunding, plan_officials, funded, deadline):
    with brownie.reverts(err("CrowdfundingInvalidPlan", funded.plan, plan_officials.department)):
        crowdfunding.open(funded.plan, GOAL, deadline, {"from": plan_officials.department})


def test_on_ramp_is_for_banks_only(crowdfunding, donors, role, plan_officials):
    with brownie.reverts(err("CrowdfundingUnauthorized", plan_officials.handler, role["BANK"], COUNTY)):
        crowdfunding.credit(donors[0], 100, COUNTY, b"\x01" * 32, {"from": plan_officials.handler})


def test_donation_gives_a_receipt_event(crowdfunding, fund_token, fund_officials, donors, campaign):
    tx = donate(crowdfunding, fund_token, fund_officials.bank, donors[0], campaign, 500)
    event = tx.events["Donated"]
    assert (event["donor"], event["index"], event["amount"], event["cumulativeBefore"]) == (donors[0], 1, 500, 0)
    second = donate(crowdfunding, fund_token, fund_officials.bank, donors[1], campaign, 300).events["Donated"]
    assert (second["index"], second["cumulativeBefore"]) == (2, 500)
    assert crowdfunding.donatedBy(campaign, donors[0]) == 500
    assert fund_token.balanceOf(crowdfunding) == 800


def test_donation_after_the_deadline_is_refused(crowdfunding, fund_token, fund_officials, donors, campaign, deadline,
                                                chain):
    chain.sleep(31 * DAY)
    with brownie.reverts(err("CrowdfundingClosed", campaign, deadline)):
        donate(crowdfunding, fund_token, fund_officials.bank, donors[0], campaign, 500)


def test_refund_before_the_deadline_is_refused(crowdfunding, fund_token, fund_officials, donors, campaign, deadline):
    donate(crowdfunding, fund_token, fund_officials.bank, donors[0], campaign, 500)
    with brownie.reverts(err("CrowdfundingBeforeDeadline", campaign, deadline)):
        crowdfunding.refund(campaign, {"from": donors[0]})


def test_donor_takes_a_refund_when_the_goal_is_missed(crowdfunding, fund_token, fund_officials, donors, campaign,
                                                      chain):
    donate(crowdfunding, fund_token, fund_officials.bank, donors[0], campaign, 500)
    chain.sleep(31 * DAY)
    tx = crowdfunding.refund(campaign, {"from": donors[0]})
    assert tx.events["Refunded"]["amount"] == 500
    assert fund_token.balanceOf(donors[0]) == 500
    assert tuple(crowdfunding.balanceOf(campaign)) == (500, 0, 500, 0)
    with brownie.reverts(err("CrowdfundingNothingToRefund", campaign, donors[0])):
        crowdfunding.refund(campaign, {"from": donors[0]})


def test_refund_after_the_goal_was_met_is_refused(crowdfunding, fund_token, fund_officials, donors, campaign, chain):
    donate(crowdfunding, fund_token, fund_officials.bank, donors[0], campaign, GOAL)
    chain.sleep(31 * DAY)
    with brownie.reverts(err("CrowdfundingGoalMet", campaign, GOAL, GOAL)):
        crowdfunding.refund(campaign, {"from": donors[0]})


def test_nothing_is_released_before_the_goal_is_met(crowdfunding, fund_token, fund_officials, donors, campaign):
    donate(crowdfunding, fund_token, fund_officials.bank, donors[0], campaign, 500)
    with brownie.reverts(err("CrowdfundingGoalNotMet", campaign, 500, GOAL)):
        crowdfunding.releaseTranche(campaign, 0, {"from": donors[0]})


def test_tranche_waits_for_its_milestone_approval(crowdfunding, fund_token, fund_officials, donors, campaign):
    donate(crowdfunding, fund_token, fund_officials.bank, donors[0], campaign, GOAL)
    with brownie.reverts(err("CrowdfundingTrancheUnavailable", campaign, 0)):
        crowdfunding.releaseTranche(campaign, 0, {"from": donors[0]})


def test_released_funds_reach_a_household_linked_to_the_donations(crowdfunding, fund_token, fund_officials, donors,
                                                                  campaign, plan_registry, approval_hub,
                                                                  route_approvers, plan_id):
    donate(crowdfunding, fund_token, fund_officials.bank, donors[0], campaign, GOAL // 2)
    donate(crowdfunding, fund_token, fund_officials.bank, donors[1], campaign, GOAL // 2)
    approve_milestone(plan_registry, approval_hub, fund_officials.handler, route_approvers, plan_id, 0)
    assert crowdfunding.releaseTranche(campaign, 0, {"from": donors[2]}).events["TrancheReleased"]["amount"] == GOAL
    wallet = fund_officials.wallets[0]
    held = fund_token.balanceOf(wallet)
    first = crowdfunding.pay(campaign, HOUSEHOLD, 1_000, {"from": fund_officials.handler}).events["DonationsPaid"]
    second = crowdfunding.pay(campaign, HOUSEHOLD, 2_000, {"from": fund_officials.handler}).events["DonationsPaid"]
    assert (first["fromCumulative"], second["fromCumulative"]) == (0, 1_000)
    assert fund_token.balanceOf(wallet) == held + 3_000
    assert tuple(crowdfunding.balanceOf(campaign)) == (GOAL, GOAL, 0, 0)
    with brownie.reverts(err("CrowdfundingTrancheUnavailable", campaign, 0)):
        crowdfunding.releaseTranche(campaign, 0, {"from": donors[2]})


def test_payment_beyond_the_released_funds_is_refused(crowdfunding, fund_token, fund_officials, donors, campaign):
    donate(crowdfunding, fund_token, fund_officials.bank, donors[0], campaign, GOAL)
    with brownie.reverts(err("CrowdfundingShort", campaign, 1, 0)):
        crowdfunding.pay(campaign, HOUSEHOLD, 1, {"from": fund_officials.handler})


def test_payment_to_a_household_without_wallet_is_refused(crowdfunding, fund_officials, campaign):
    unbound = household_id("watched")
    with brownie.reverts(err("CrowdfundingIneligibleHousehold", unbound)):
        crowdfunding.pay(campaign, unbound, 1, {"from": fund_officials.handler})


def test_campaign_without_goal_is_refused(crowdfunding, plan_officials, plan_id, deadline):
    with brownie.reverts(err("CrowdfundingInvalidTerms", 0, deadline)):
        crowdfunding.open(plan_id, 0, deadline, {"from": plan_officials.department})


def test_donation_to_an_unknown_campaign_is_refused(crowdfunding, donors):
    with brownie.reverts(err("CrowdfundingUnknownCampaign", 99)):
        crowdfunding.donate(99, 1, {"from": donors[0]})


def test_donation_of_nothing_is_refused(crowdfunding, donors, campaign):
    with brownie.reverts(err("CrowdfundingZeroAmount")):
        crowdfunding.donate(campaign, 0, {"from": donors[0]})


def test_payment_by_a_non_handler_is_refused(crowdfunding, donors, campaign, role):
    from .conftest import VILLAGE

    with brownie.reverts(err("CrowdfundingUnauthorized", donors[0], role["HANDLER"], VILLAGE)):
        crowdfunding.pay(campaign, HOUSEHOLD, 1, {"from": donors[0]})
