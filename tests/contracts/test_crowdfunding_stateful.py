"""Stateful property of crowdfunding (brownie + hypothesis): over random sequences of donations by three donors,
the passing of days (to either side of the deadline), refunds, the release of the first tranche (its milestone
approved) and payments to a household, with amounts that fit or do not,

- donated = released + refunded + held at every step, and the contract holds held + released - paid;
- every action succeeds exactly when a plain model of the rules says it may, and the figures equal the model's.
"""

import pytest
from brownie.exceptions import VirtualMachineError
from hypothesis import HealthCheck
from hypothesis import strategies as st

from tests.contracts.conftest import DAY, GOAL, approve_milestone, crowdfunding_plan, household_id

SETTINGS = {"max_examples": 20, "stateful_step_count": 15, "deadline": None,
            "suppress_health_check": list(HealthCheck), "database": None}
HOUSEHOLD = household_id("admitted")  # VILLAGE, bound wallet
CAMPAIGN_DAYS = 10


class Campaigning:
    st_donor = st.integers(0, 2)
    # A third of the goal, a little, or nothing: the goal is met in some sequences and missed in others.
    st_amount = st.sampled_from([0, 1, GOAL // 3, GOAL // 3 + 1, GOAL // 2])
    st_days = st.sampled_from([1, 4, 11])

    def __init__(cls, crowdfunding, token, people, donors, chain, plan_id):
        cls.crowdfunding, cls.token, cls.people, cls.donors, cls.chain = crowdfunding, token, people, donors, chain
        cls.plan_id = plan_id

    def setup(self):
        self.deadline = self.chain.time() + CAMPAIGN_DAYS * DAY
        self.campaign = self.crowdfunding.open(self.plan_id, GOAL, self.deadline,
                                               {"from": self.people.department}).return_value
        self.given = [0, 0, 0]
        self.raised = self.refunded = self.released = self.paid = 0

    def _send(self, allowed, function, *args):
        try:
            function(*args)
        except VirtualMachineError:
            assert not allowed, f"{function.abi['name']}{args[:-1]} reverted although the rules allow it"
            return False
        assert allowed, f"{function.abi['name']}{args[:-1]} succeeded although the rules refuse it"
        return True

    def _now(self):
        return self.chain[-1].timestamp

    def rule_donate(self, st_donor, st_amount):
        donor = self.donors[st_donor]
        self.crowdfunding.credit(donor, max(st_amount, 1), 530102000000, b"\x01" * 32, {"from": self.people.bank})
        self.token.approve(self.crowdfunding, st_amount, {"from": donor})
        # The transaction is mined one second after the last block at the earliest.
        allowed = st_amount > 0 and self._now() + 1 <= self.deadline
        if self._send(allowed, self.crowdfunding.donate, self.campaign, st_amount, {"from": donor}):
            self.given[st_donor] += st_amount
            self.raised += st_amount

    def rule_pass_days(self, st_days):
        self.chain.sleep(st_days * DAY)
        self.chain.mine()

    def rule_refund(self, st_donor):
        allowed = self.raised < GOAL and self._now() + 1 > self.deadline and self.given[st_donor] > 0
        if self._send(allowed, self.crowdfunding.refund, self.campaign, {"from": self.donors[st_donor]}):
            self.refunded += self.given[st_donor]
            self.given[st_donor] = 0

    def rule_release(self):
        allowed = self.raised >= GOAL and self.released == 0
        if self._send(allowed, self.crowdfunding.releaseTranche, self.campaign, 0, {"from": self.donors[0]}):
            self.released = GOAL

    def rule_pay(self, st_amount):
        allowed = 0 < st_amount <= self.released - self.paid
        if self._send(allowed, self.crowdfunding.pay, self.campaign, HOUSEHOLD, st_amount,
                      {"from": self.people.handler}):
            self.paid += st_amount

    def invariant_balance(self):
        raised, released, refunded, held = self.crowdfunding.balanceOf(self.campaign)
        assert raised == released + refunded + held
        assert self.token.balanceOf(self.crowdfunding) == held + released - self.crowdfunding.campaignOf(
            self.campaign)["paid"]

    def invariant_matches_the_model(self):
        raised, released, refunded, held = self.crowdfunding.balanceOf(self.campaign)
        assert (raised, released, refunded) == (self.raised, self.released, self.refunded)
        for donor, given in zip(self.donors, self.given):
            assert self.crowdfunding.donatedBy(self.campaign, donor) == given


@pytest.fixture(scope="module")
def stateful_donors(accounts, admin):
    people = [accounts.add() for _ in range(3)]
    for donor in people:
        admin.transfer(donor, "1 ether")
    return people


@pytest.fixture(scope="module")
def campaign_plan(plan_registry, approval_hub, plan_officials, fund_officials, route_approvers, funded):
    """A crowdfunding plan with its first milestone approved."""
    plan_id = crowdfunding_plan(plan_registry, approval_hub, plan_officials.department, route_approvers)
    approve_milestone(plan_registry, approval_hub, fund_officials.handler, route_approvers, plan_id, 0)
    return plan_id


def test_crowdfunding_balances_over_random_sequences(state_machine, crowdfunding, fund_token, fund_officials,
                                                     plan_officials, stateful_donors, chain, campaign_plan):
    people = type("People", (), {"bank": fund_officials.bank, "handler": fund_officials.handler,
                                 "department": plan_officials.department})
    state_machine(Campaigning, crowdfunding, fund_token, people, stateful_donors, chain, campaign_plan,
                  settings=SETTINGS)
