"""FundToken and FundLedger: the earmarked token that moves only through platform contracts, appropriations
approved on the hub and minted within their cap, plan escrow, tranches released against approved milestones,
unspent funds returned on close or cancel, and the conservation views."""

import brownie
import pytest

from govchain.deploy import YUAN
from govchain.funds import MINTER, PLATFORM, Movement
from tests.contracts.conftest import (
    APPROPRIATION_CAP,
    BUDGET_LINE,
    COUNTY,
    HOUSEHOLD_CAP,
    VILLAGE,
    approve_appropriation,
    approve_milestone,
    err,
    executing_plan,
)

PROPOSED, APPROVED, REJECTED = 1, 2, 3
TRANCHE = 100_000 * YUAN
BUDGET = 500_000 * YUAN


@pytest.fixture(scope="module")
def people(fund_officials, plan_officials):
    return fund_officials


@pytest.fixture
def appropriation(fund_ledger, approval_hub, people, route_approvers):
    """An approved appropriation of 1,000,000 yuan, nothing minted yet."""
    return approve_appropriation(fund_ledger, approval_hub, people.treasury, route_approvers)


@pytest.fixture
def minted(fund_ledger, appropriation, people):
    fund_ledger.mint(appropriation, APPROPRIATION_CAP, {"from": people.treasury})
    return appropriation


@pytest.fixture
def plan(plan_registry, approval_hub, plan_officials, route_approvers, fund_households):
    return executing_plan(plan_registry, approval_hub, plan_officials.department, route_approvers)


@pytest.fixture
def escrowed(fund_ledger, minted, plan, people):
    fund_ledger.linkPlan(plan, minted, HOUSEHOLD_CAP, {"from": people.treasury})
    fund_ledger.escrow(plan, {"from": people.handler})
    return plan


# --- the token -------------------------------------------------------------------------------------------------


def test_the_token_counts_in_fen(fund_token):
    assert fund_token.decimals() == 2


def test_the_ledger_mints_and_the_payment_contract_moves_funds(fund_token, fund_ledger, payment_batches):
    assert fund_token.accessOf(fund_ledger) == PLATFORM | MINTER
    assert fund_token.accessOf(payment_batches) & PLATFORM


def test_only_a_minter_mints(fund_token, people):
    with brownie.reverts(err("FundTokenUnauthorized", people.treasury, MINTER)):
        fund_token.mint(people.treasury, 1, {"from": people.treasury})


def test_only_governance_grants_token_access(fund_token, people):
    with brownie.reverts(err("GovernanceUnauthorized", people.treasury)):
        fund_token.setAccess(people.treasury, PLATFORM, {"from": people.treasury})


def test_a_token_transfer_to_an_outside_address_reverts(fund_token, fund_ledger, payment_batches, funded, people,
                                                        approval_hub, route_approvers):
    from govchain.funds import Method
    from tests.contracts.conftest import PaymentBatchTree, open_approved_batch

    tree = PaymentBatchTree.of([("admitted", 100 * YUAN, Method.WALLET)])
    batch = open_approved_batch(payment_batches, approval_hub, people.handler, route_approvers, funded.plan, tree)
    payment_batches.settle(batch, *tree.settle_args(), {"from": people.handler})
    wallet, outsider = people.wallets[0], people.wallets[5]
    with brownie.reverts(err("FundTransferRestricted", wallet, outsider)):
        fund_token.transfer(outsider, 1, {"from": wallet})


def test_a_household_may_spend_at_a_platform_contract(fund_token, fund_ledger, payment_batches, funded, people,
                                                      approval_hub, route_approvers):
    from govchain.funds import Method
    from tests.contracts.conftest import PaymentBatchTree, open_approved_batch

    tree = PaymentBatchTree.of([("admitted", 100 * YUAN, Method.WALLET)])
    batch = open_approved_batch(payment_batches, approval_hub, people.handler, route_approvers, funded.plan, tree)
    payment_batches.settle(batch, *tree.settle_args(), {"from": people.handler})
    fund_token.transfer(fund_ledger, 1, {"from": people.wallets[0]})
    assert fund_token.balanceOf(people.wallets[0]) == 100 * YUAN - 1


# --- appropriations ---------------------------------------------------------------------------------------------


def test_a_treasury_official_proposes_an_appropriation_on_the_hub(fund_ledger, approval_hub, people, fund_routes):
    tx = fund_ledger.propose(COUNTY, 2026, BUDGET_LINE, APPROPRIATION_CAP, "bafkreidoc", {"from": people.treasury})
    event = tx.events["AppropriationProposed"]
    assert (event["region"], event["year"], event["cap"]) == (COUNTY, 2026, APPROPRIATION_CAP)
    assert approval_hub.subjectOf(event["subject"])["routeId"] == fund_routes[5]
    assert fund_ledger.appropriationOf(event["id"])["status"] == PROPOSED


def test_only_treasury_proposes_an_appropriation(fund_ledger, people, role):
    with brownie.reverts(err("FundUnauthorized", people.handler, role["TREASURY"], COUNTY)):
        fund_ledger.propose(COUNTY, 2026, BUDGET_LINE, 1, "bafkreidoc", {"from": people.handler})


def test_an_appropriation_needs_a_cap(fund_ledger, people):
    with brownie.reverts(err("FundInvalidAppropriation", COUNTY, 2026, 0)):
        fund_ledger.propose(COUNTY, 2026, BUDGET_LINE, 0, "bafkreidoc", {"from": people.treasury})


def test_an_approved_appropriation_is_minted_against(fund_ledger, fund_token, appropriation, people):
    before = fund_token.balanceOf(fund_ledger)
    tx = fund_ledger.mint(appropriation, 300_000 * YUAN, {"from": people.treasury})
    assert tx.events["FundsMoved"]["kind"] == Movement.MINTED
    record = fund_ledger.appropriationOf(appropriation)
    assert (record["status"], record["minted"], record["available"]) == (APPROVED, 300_000 * YUAN, 300_000 * YUAN)
    assert fund_token.balanceOf(fund_ledger) - before == 300_000 * YUAN


def test_minting_beyond_an_appropriation_reverts(fund_ledger, appropriation, people):
    fund_ledger.mint(appropriation, APPROPRIATION_CAP - 5, {"from": people.treasury})
    with brownie.reverts(err("FundOverAppropriation", appropriation, 6, 5)):
        fund_ledger.mint(appropriation, 6, {"from": people.treasury})


def test_minting_against_an_appropriation_not_approved_reverts(fund_ledger, people, fund_routes):
    pending = fund_ledger.propose(COUNTY, 2026, BUDGET_LINE, 10, "bafkreidoc", {"from": people.treasury}).return_value
    with brownie.reverts(err("FundAppropriationNotApproved", pending, PROPOSED)):
        fund_ledger.mint(pending, 1, {"from": people.treasury})


def test_a_rejected_appropriation_mints_nothing(fund_ledger, approval_hub, people, officials, fund_routes):
    pending = fund_ledger.propose(COUNTY, 2026, BUDGET_LINE, 10, "bafkreidoc", {"from": people.treasury}).return_value
    approval_hub.reject(fund_ledger.appropriationSubject(pending), "bafkreino", {"from": officials.county_leader})
    with brownie.reverts(err("FundAppropriationNotApproved", pending, REJECTED)):
        fund_ledger.mint(pending, 1, {"from": people.treasury})


def test_only_treasury_mints(fund_ledger, appropriation, people, role):
    with brownie.reverts(err("FundUnauthorized", people.handler, role["TREASURY"], COUNTY)):
        fund_ledger.mint(appropriation, 1, {"from": people.handler})


# --- escrow and tranches ----------------------------------------------------------------------------------------


def test_an_approved_plans_budget_moves_into_escrow(fund_ledger, escrowed, minted):
    funds = fund_ledger.planFunds(escrowed)
    assert (funds["funded"], funds["escrowed"], funds["released"]) == (BUDGET, BUDGET, 0)
    assert fund_ledger.appropriationOf(minted)["available"] == APPROPRIATION_CAP - BUDGET


def test_escrowing_again_moves_nothing_more(fund_ledger, escrowed, people):
    tx = fund_ledger.escrow(escrowed, {"from": people.handler})
    assert "FundsMoved" not in tx.events
    assert fund_ledger.planFunds(escrowed)["funded"] == BUDGET


def test_an_unknown_plan_is_not_linked(fund_ledger, minted, people):
    with brownie.reverts(err("FundPlanOutsideRegion", 999, 0, COUNTY)):
        fund_ledger.linkPlan(999, minted, HOUSEHOLD_CAP, {"from": people.treasury})


def test_a_plan_outside_the_appropriations_region_is_not_linked(fund_ledger, approval_hub, plan_registry, people,
                                                                  plan_officials, route_approvers, fund_households):
    from tests.contracts.conftest import OTHER_VILLAGE_SAME_TOWNSHIP

    village_appropriation = approve_appropriation(fund_ledger, approval_hub, people.treasury, route_approvers,
                                                  region=VILLAGE)
    elsewhere = executing_plan(plan_registry, approval_hub, plan_officials.department, route_approvers,
                               region=OTHER_VILLAGE_SAME_TOWNSHIP)
    with brownie.reverts(err("FundPlanOutsideRegion", elsewhere, OTHER_VILLAGE_SAME_TOWNSHIP, VILLAGE)):
        fund_ledger.linkPlan(elsewhere, village_appropriation, HOUSEHOLD_CAP, {"from": people.treasury})


def test_a_plan_is_linked_once(fund_ledger, escrowed, minted, people):
    with brownie.reverts(err("FundPlanLink", escrowed, True)):
        fund_ledger.linkPlan(escrowed, minted, HOUSEHOLD_CAP, {"from": people.treasury})


def test_escrow_needs_the_appropriation_to_hold_the_budget(fund_ledger, appropriation, plan, people):
    fund_ledger.mint(appropriation, BUDGET - 1, {"from": people.treasury})
    fund_ledger.linkPlan(plan, appropriation, HOUSEHOLD_CAP, {"from": people.treasury})
    with brownie.reverts(err("FundAppropriationShort", appropriation, BUDGET, BUDGET - 1)):
        fund_ledger.escrow(plan, {"from": people.handler})


def test_a_plan_not_approved_is_not_escrowed(fund_ledger, plan_registry, minted, people, plan_officials,
                                            fund_households):
    from tests.contracts.conftest import plan_terms
    draft = plan_registry.create(VILLAGE, 3, 101, plan_terms(), {"from": plan_officials.department}).return_value
    fund_ledger.linkPlan(draft, minted, HOUSEHOLD_CAP, {"from": people.treasury})
    with brownie.reverts(err("FundPlanWrongStatus", draft, 1)):
        fund_ledger.escrow(draft, {"from": people.handler})


def test_an_approved_milestone_releases_its_tranche(fund_ledger, plan_registry, approval_hub, escrowed, people,
                                                   route_approvers):
    approve_milestone(plan_registry, approval_hub, people.handler, route_approvers, escrowed)
    tx = fund_ledger.releaseTranche(escrowed, 0, {"from": people.handler})
    assert (tx.events["FundsMoved"]["kind"], tx.events["FundsMoved"]["amount"]) == (Movement.RELEASED, TRANCHE)
    funds = fund_ledger.planFunds(escrowed)
    assert (funds["escrowed"], funds["released"], funds["releasedTranches"]) == (BUDGET - TRANCHE, TRANCHE, 1)


def test_a_tranche_released_before_its_milestone_is_approved_reverts(fund_ledger, plan_registry, escrowed, people):
    plan_registry.reportMilestone(escrowed, 0, "bafkreievidence", {"from": people.handler})
    with brownie.reverts(err("FundTrancheNotApproved", escrowed, 0)):
        fund_ledger.releaseTranche(escrowed, 0, {"from": people.handler})


def test_a_tranche_is_released_once(fund_ledger, plan_registry, approval_hub, escrowed, people, route_approvers):
    approve_milestone(plan_registry, approval_hub, people.handler, route_approvers, escrowed)
    fund_ledger.releaseTranche(escrowed, 0, {"from": people.handler})
    with brownie.reverts(err("FundTrancheAlreadyReleased", escrowed, 0)):
        fund_ledger.releaseTranche(escrowed, 0, {"from": people.handler})


def test_a_frozen_plan_releases_no_tranche(fund_ledger, plan_registry, approval_hub, escrowed, people,
                                          route_approvers, supervision, plan_officials):
    approve_milestone(plan_registry, approval_hub, people.handler, route_approvers, escrowed)
    target = plan_registry.planTarget(escrowed)
    supervision.freeze(target, COUNTY, "bafkreireason", {"from": plan_officials.county_supervisor})
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        fund_ledger.releaseTranche(escrowed, 0, {"from": people.handler})


def test_a_frozen_milestone_releases_no_tranche(fund_ledger, plan_registry, approval_hub, escrowed, people,
                                               route_approvers, supervision, plan_officials):
    approve_milestone(plan_registry, approval_hub, people.handler, route_approvers, escrowed)
    target = plan_registry.milestoneTarget(escrowed, 0)
    supervision.freeze(target, COUNTY, "bafkreireason", {"from": plan_officials.county_supervisor})
    with brownie.reverts(err("SupervisionTargetFrozen", target)):
        fund_ledger.releaseTranche(escrowed, 0, {"from": people.handler})


# --- return on close or cancel, conservation ----------------------------------------------------------------------


def test_a_closed_plan_returns_its_unspent_funds_to_the_appropriation(fund_ledger, plan_registry, approval_hub,
                                                                 plan_officials, minted, people, route_approvers,
                                                                 fund_households):
    plan_id = executing_plan(plan_registry, approval_hub, plan_officials.department, route_approvers)
    fund_ledger.linkPlan(plan_id, minted, HOUSEHOLD_CAP, {"from": people.treasury})
    fund_ledger.escrow(plan_id, {"from": people.handler})
    plan_registry.close(plan_id, "bafkreiclosed", {"from": plan_officials.department})
    tx = fund_ledger.settle(plan_id, {"from": people.handler})
    assert (tx.events["FundsMoved"]["kind"], tx.events["FundsMoved"]["amount"]) == (Movement.RETURNED, BUDGET)
    funds = fund_ledger.planFunds(plan_id)
    assert (funds["escrowed"], funds["returned"], funds["settled"]) == (0, BUDGET, True)
    assert fund_ledger.appropriationOf(minted)["available"] == APPROPRIATION_CAP
    assert fund_ledger.isConserved(plan_id) and fund_ledger.isConserved(0)


def test_a_plan_still_executing_is_not_settled(fund_ledger, escrowed, people):
    with brownie.reverts(err("FundPlanWrongStatus", escrowed, 5)):
        fund_ledger.settle(escrowed, {"from": people.handler})


def test_a_settled_plan_moves_nothing_more(fund_ledger, plan_registry, escrowed, people, plan_officials):
    plan_registry.close(escrowed, "bafkreiclosed", {"from": plan_officials.department})
    fund_ledger.settle(escrowed, {"from": people.handler})
    with brownie.reverts(err("FundPlanSettled", escrowed)):
        fund_ledger.escrow(escrowed, {"from": people.handler})


def test_the_ledger_conserves_funds_and_holds_the_unpaid_tokens(fund_ledger, fund_token, plan_registry,
                                                               approval_hub, escrowed, people, route_approvers):
    approve_milestone(plan_registry, approval_hub, people.handler, route_approvers, escrowed)
    fund_ledger.releaseTranche(escrowed, 0, {"from": people.handler})
    totals = fund_ledger.totals()
    assert totals["minted"] == (totals["available"] + totals["escrowed"] + totals["released"] + totals["instructed"]
                                + totals["paid"])
    assert fund_token.balanceOf(fund_ledger) == totals["minted"] - totals["paid"]
    assert fund_ledger.isConserved(escrowed) and fund_ledger.isConserved(0)


def test_only_the_payment_contract_draws_released_funds(fund_ledger, escrowed, people):
    with brownie.reverts(err("FundNotPayments", people.handler)):
        fund_ledger.draw(escrowed, 1, 0, {"from": people.handler})
