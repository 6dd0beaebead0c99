"""Enterprise and social support (企业帮扶, 社会帮扶): pledges of money, goods or jobs to a plan, fulfilment confirmed
by the plan's DEPARTMENT officer with evidence; unfulfilled and overdue pledges stay visible."""

import brownie
import pytest

from .conftest import DAY, VILLAGE, err, executing_plan

MONEY, GOODS, JOBS = 0, 1, 2
TERMS = "bafkreipledgeterms"


@pytest.fixture(scope="module")
def enterprise(accounts, admin, role_registry, role):
    account = accounts.add()
    admin.transfer(account, "1 ether")
    role_registry.grantRoleIn(role["ENTERPRISE"], account, VILLAGE, {"from": admin})
    return account


@pytest.fixture(scope="module")
def plan_id(plan_registry, approval_hub, plan_officials, route_approvers):
    return executing_plan(plan_registry, approval_hub, plan_officials.department, route_approvers)


def make_pledge(pledges, enterprise, plan_id, chain, amount=20, kind=JOBS, due_in=30 * DAY):
    return pledges.pledge(plan_id, kind, amount, chain.time() + due_in, TERMS, {"from": enterprise}).return_value


def test_enterprise_pledges_jobs_to_a_plan(social_pledges, enterprise, plan_id, chain):
    pledge_id = make_pledge(social_pledges, enterprise, plan_id, chain)
    stored = social_pledges.pledgeOf(pledge_id)
    assert (stored["planId"], stored["pledger"], stored["kind"], stored["amount"], stored["fulfilled"]) == (
        plan_id, enterprise, JOBS, 20, 0)
    assert list(social_pledges.pledgesOf(plan_id)) == [pledge_id]


def test_pledge_by_a_non_enterprise_is_refused(social_pledges, plan_officials, plan_id, chain, role):
    with brownie.reverts(err("PledgeUnauthorized", plan_officials.handler, role["ENTERPRISE"], VILLAGE)):
        make_pledge(social_pledges, plan_officials.handler, plan_id, chain)


def test_pledge_without_terms_is_refused(social_pledges, enterprise, plan_id, chain):
    with brownie.reverts(err("PledgeInvalidTerms")):
        social_pledges.pledge(plan_id, MONEY, 100, chain.time() + DAY, "", {"from": enterprise})


def test_department_officer_confirms_fulfilment_in_parts(social_pledges, enterprise, plan_officials, plan_id, chain):
    pledge_id = make_pledge(social_pledges, enterprise, plan_id, chain)
    social_pledges.confirmFulfilment(pledge_id, 12, "bafkreicontracts", {"from": plan_officials.department})
    tx = social_pledges.confirmFulfilment(pledge_id, 8, "bafkreicontracts2", {"from": plan_officials.department})
    assert tx.events["PledgeFulfilled"]["fulfilled"] == 20


def test_fulfilment_beyond_the_pledge_is_refused(social_pledges, enterprise, plan_officials, plan_id, chain):
    pledge_id = make_pledge(social_pledges, enterprise, plan_id, chain)
    with brownie.reverts(err("PledgeOverFulfilled", pledge_id, 21, 20)):
        social_pledges.confirmFulfilment(pledge_id, 21, "bafkreicontracts", {"from": plan_officials.department})


def test_fulfilment_confirmed_by_the_enterprise_itself_is_refused(social_pledges, enterprise, plan_id, chain, role):
    pledge_id = make_pledge(social_pledges, enterprise, plan_id, chain)
    with brownie.reverts(err("PledgeUnauthorized", enterprise, role["DEPARTMENT"], VILLAGE)):
        social_pledges.confirmFulfilment(pledge_id, 1, "bafkreicontracts", {"from": enterprise})


def test_unfulfilled_pledge_past_its_due_date_is_overdue_and_marked(social_pledges, enterprise, plan_officials,
                                                                    plan_id, chain, accounts):
    pledge_id = make_pledge(social_pledges, enterprise, plan_id, chain)
    social_pledges.confirmFulfilment(pledge_id, 5, "bafkreicontracts", {"from": plan_officials.department})
    assert social_pledges.isOverdue(pledge_id) is False
    chain.sleep(31 * DAY)
    chain.mine()
    assert social_pledges.isOverdue(pledge_id) is True
    tx = social_pledges.markOverdue(pledge_id, {"from": accounts[9]})
    assert tx.events["PledgeOverdue"]["outstanding"] == 15


def test_fulfilled_pledge_is_never_overdue(social_pledges, enterprise, plan_officials, plan_id, chain, accounts):
    pledge_id = make_pledge(social_pledges, enterprise, plan_id, chain)
    social_pledges.confirmFulfilment(pledge_id, 20, "bafkreicontracts", {"from": plan_officials.department})
    chain.sleep(31 * DAY)
    chain.mine()
    due = social_pledges.pledgeOf(pledge_id)["dueDate"]
    with brownie.reverts(err("PledgeNotOverdue", pledge_id, due)):
        social_pledges.markOverdue(pledge_id, {"from": accounts[9]})


def test_pledge_to_a_draft_plan_is_refused(social_pledges, plan_registry, plan_officials, enterprise, chain):
    from .conftest import plan_terms

    draft = plan_registry.create(VILLAGE, 6, 101, plan_terms(), {"from": plan_officials.department}).return_value
    with brownie.reverts(err("PledgeInvalidPlan", draft)):
        make_pledge(social_pledges, enterprise, draft, chain)


def test_fulfilment_of_an_unknown_pledge_is_refused(social_pledges, plan_officials):
    with brownie.reverts(err("PledgeUnknown", 99)):
        social_pledges.confirmFulfilment(99, 1, "bafkreicontracts", {"from": plan_officials.department})


def test_fulfilment_without_evidence_is_refused(social_pledges, enterprise, plan_officials, plan_id, chain):
    pledge_id = make_pledge(social_pledges, enterprise, plan_id, chain)
    with brownie.reverts(err("PledgeEvidenceRequired")):
        social_pledges.confirmFulfilment(pledge_id, 1, "", {"from": plan_officials.department})
