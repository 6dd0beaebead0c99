"""Stateful properties of the earmarked funds (brownie + hypothesis): over random sequences of appropriations
(approved or rejected, minted within or beyond their cap), tranche releases (their milestones approved on the
hub first), payment batches approved on the hub and settled to wallets or as bank instructions, bank
confirmations and failures, recoveries after upheld findings, and freezes of the plan and their resolution,

- funds are conserved after every step, per plan and in total: the plan's funding = escrowed + released +
  instructed + paid + returned, and minted = available + escrowed + released + instructed + paid;
- every token is in the ledger or a household's wallet, and the ledger holds what is minted and not paid;
- the ledger's buckets, each household's total and each wallet's balance follow a model of the rules (cap per
  household, never beyond the released tranches, failures back to the tranche, recoveries back to the plan);
- nothing frozen moves: while the plan is frozen every release, payment, bank report and recovery reverts with
  SupervisionTargetFrozen and the plan's funds read the same.
"""

import pytest
from brownie.exceptions import VirtualMachineError
from hypothesis import HealthCheck
from hypothesis import strategies as st

from govchain.deploy import YUAN
from govchain.funds import Method
from tests.contracts.conftest import (
    ALL_STATUSES,
    COUNTY,
    VILLAGE,
    PaymentBatchTree,
    err,
    household_id,
    open_approved_batch,
    plan_terms,
    walk_route,
)

MILESTONE = 2_000 * YUAN
CAP = 3_000 * YUAN
# Households of the `funded` fixture: two paid to their wallets, one by bank.
HOUSEHOLDS = {"admitted": Method.WALLET, "admitted-2": Method.WALLET, "watched": Method.BANK}
SETTINGS = {
    "max_examples": 10,
    "stateful_step_count": 10,
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "database": None,
}


@pytest.fixture(scope="module")
def small_plan(fund_ledger, plan_registry, approval_hub, plan_officials, fund_officials, route_approvers, funded):
    """An executing VILLAGE fund plan of three 2,000-yuan milestones, linked to the funded appropriation with a
    3,000-yuan household cap and escrowed; its first tranche released."""
    terms = plan_terms(budget=3 * MILESTONE, milestones=[MILESTONE] * 3, statuses=ALL_STATUSES)
    plan_id = plan_registry.create(VILLAGE, 3, 101, terms, {"from": plan_officials.department}).return_value
    walk_route(approval_hub, plan_registry.submit(plan_id, {"from": plan_officials.department}).return_value,
               route_approvers)
    plan_registry.start(plan_id, {"from": plan_officials.department})
    fund_ledger.linkPlan(plan_id, funded.appropriation, CAP, {"from": fund_officials.treasury})
    fund_ledger.escrow(plan_id, {"from": fund_officials.handler})
    subject = plan_registry.reportMilestone(
        plan_id, 0, "bafkreievidence", {"from": fund_officials.handler}
    ).return_value
    walk_route(approval_hub, subject, route_approvers)
    fund_ledger.releaseTranche(plan_id, 0, {"from": fund_officials.handler})
    return plan_id


class Funds:
    st_index = st.integers(0, 2)
    st_household = st.sampled_from(sorted(HOUSEHOLDS))
    st_amount = st.integers(1, 1_600).map(lambda yuan: yuan * YUAN)
    st_pick = st.integers(0, 20)
    st_flag = st.booleans()
    st_cap = st.integers(1, 50_000).map(lambda yuan: yuan * YUAN)
    # hypothesis draws short rule sequences mostly: a sequence of actions in one rule keeps long runs common.
    st_actions = st.lists(st.one_of(
        st.tuples(st.just("pay"), st.sampled_from(sorted(HOUSEHOLDS)), st_amount),
        st.tuples(st.just("pay"), st.sampled_from(sorted(HOUSEHOLDS)), st_amount),
        st.tuples(st.just("pay"), st.just("watched"), st_amount),
        st.tuples(st.just("bank_report"), st_pick, st_flag),
        st.tuples(st.just("bank_report"), st_pick, st_flag),
        st.tuples(st.just("release"), st_index),
        st.tuples(st.just("recover"), st_pick, st_amount),
        st.tuples(st.just("freeze")),
        st.tuples(st.just("resolve")),
        st.tuples(st.just("appropriate"), st_cap, st_amount, st_flag),
    ), min_size=5, max_size=15)

    def __init__(cls, ledger, batches, token, plans, hub, supervision, people, plan_officials, officials,
                 route_approvers, plan_id):
        cls.ledger, cls.batches, cls.token, cls.plans = ledger, batches, token, plans
        cls.hub, cls.supervision, cls.people = hub, supervision, people
        cls.supervisor = plan_officials.county_supervisor
        cls.county_leader = officials.county_leader
        cls.route_approvers = route_approvers
        cls.plan = plan_id
        cls.target = plans.planTarget(plan_id)
        cls.wallets = {"admitted": people.wallets[0], "admitted-2": people.wallets[1]}

    def setup(self):
        funds = self.ledger.planFunds(self.plan)
        self.escrowed, self.released, self.instructed, self.paid = (
            funds["escrowed"], funds["released"], funds["instructed"], funds["paid"])
        self.paid_by = {name: self.batches.paidBy(self.plan, household_id(name)) for name in HOUSEHOLDS}
        self.balances = {name: self.token.balanceOf(wallet) for name, wallet in self.wallets.items()}
        self.minted = self.ledger.totals()["minted"]
        released = funds["releasedTranches"]
        self.released_tranches = {i for i in range(3) if released >> i & 1}
        self.approved_milestones = set(self.released_tranches)
        self.bank_open = []  # (batch, tree) of instructed, unresolved bank entries
        self.wallet_paid = []  # [batch, tree, name, recoverable]
        self.freeze_case = None

    # --- helpers ----------------------------------------------------------------------------------------------

    def _expect(self, error, fn, *args):
        """Calls fn(*args); with `error` set, it must revert with exactly that error."""
        if error is None:
            return fn(*args)
        try:
            fn(*args)
        except VirtualMachineError as failure:
            assert failure.revert_msg == error, f"{fn} reverted with {failure.revert_msg!r}, expected {error!r}"
            return None
        raise AssertionError(f"{fn} did not revert; expected {error!r}")

    @property
    def frozen_error(self):
        return err("SupervisionTargetFrozen", self.target) if self.freeze_case else None

    # --- rules ------------------------------------------------------------------------------------------------

    def rule_appropriate(self, st_cap, st_amount, st_flag):
        """A new appropriation, approved (st_flag) or rejected, minted `st_amount` against."""
        ledger, treasury = self.ledger, self.people.treasury
        appropriation = ledger.propose(COUNTY, 2027, b"\x05" * 32, st_cap, "bafkreiappropriation",
                                       {"from": treasury}).return_value
        subject = ledger.appropriationSubject(appropriation)
        if st_flag:
            walk_route(self.hub, subject, self.route_approvers)
        else:
            self.hub.reject(subject, "bafkreino", {"from": self.county_leader})
        if not st_flag:
            error = err("FundAppropriationNotApproved", appropriation, 3)
        elif st_amount > st_cap:
            error = err("FundOverAppropriation", appropriation, st_amount, st_cap)
        else:
            error = None
        self._expect(error, ledger.mint, appropriation, st_amount, {"from": treasury})
        if error is None:
            self.minted += st_amount

    def rule_release(self, st_index):
        handler = self.people.handler
        if self.freeze_case:
            self._expect(self.frozen_error, self.ledger.releaseTranche, self.plan, st_index, {"from": handler})
            return
        if st_index not in self.approved_milestones:
            subject = self.plans.reportMilestone(self.plan, st_index, "bafkreievidence", {"from": handler}).return_value
            walk_route(self.hub, subject, self.route_approvers)
            self.approved_milestones.add(st_index)
        error = err("FundTrancheAlreadyReleased", self.plan, st_index) if st_index in self.released_tranches else None
        self._expect(error, self.ledger.releaseTranche, self.plan, st_index, {"from": handler})
        if error is None:
            self.released_tranches.add(st_index)
            self.escrowed -= MILESTONE
            self.released += MILESTONE

    def rule_pay(self, st_household, st_amount):
        """A one-entry batch of `st_household`, approved on the hub and settled."""
        method = HOUSEHOLDS[st_household]
        tree = PaymentBatchTree.of([(st_household, st_amount, method)])
        batch = open_approved_batch(self.batches, self.hub, self.people.handler, self.route_approvers, self.plan, tree)
        household = household_id(st_household)
        total = self.paid_by[st_household] + st_amount
        if self.freeze_case:
            error = self.frozen_error
        elif 0 not in self.released_tranches:
            error = err("PaymentTrancheNotReleased", self.plan, 0)
        elif total > CAP:
            error = err("PaymentAboveCap", self.plan, household, total, CAP)
        elif st_amount > self.released:
            error = err("FundPlanShort", self.plan, st_amount, self.released)
        else:
            error = None
        self._expect(error, self.batches.settle, batch, *tree.settle_args(), {"from": self.people.handler})
        if error is not None:
            return
        self.paid_by[st_household] = total
        self.released -= st_amount
        if method == Method.WALLET:
            self.paid += st_amount
            self.balances[st_household] += st_amount
            self.wallet_paid.append([batch, tree, st_household, st_amount])
        else:
            self.instructed += st_amount
            self.bank_open.append((batch, tree))

    def rule_bank_report(self, st_pick, st_flag):
        """The bank confirms (st_flag) or fails an open instruction."""
        if not self.bank_open:
            return
        batch, tree = self.bank_open[st_pick % len(self.bank_open)]
        report = self.batches.confirmBank if st_flag else self.batches.failBank
        self._expect(self.frozen_error, report, batch, *tree.bank_args(), b"\x09" * 32, {"from": self.people.bank})
        if self.freeze_case:
            return
        self.bank_open.remove((batch, tree))
        amount = tree.total
        self.instructed -= amount
        if st_flag:
            self.paid += amount
        else:
            self.released += amount
            self.paid_by["watched"] -= amount

    def rule_recover(self, st_pick, st_amount):
        """Part of a wallet payment recovered after a finding upheld on the plan."""
        payments = [p for p in self.wallet_paid if p[3] > 0]
        if not payments:
            return
        payment = payments[st_pick % len(payments)]
        batch, tree, name, recoverable = payment
        amount = min(st_amount, recoverable)
        if self.freeze_case:
            self._expect(self.frozen_error, self.batches.recover, batch, tree.entry(0), tree.proof(0), amount, 1,
                         "bafkreirecovery", {"from": self.people.treasury})
            return
        case = self.supervision.flag(self.target, COUNTY, "bafkreireason", {"from": self.supervisor}).return_value
        self.supervision.resolve(case, COUNTY, True, 0, "bafkreifinding", {"from": self.supervisor})
        self.batches.recover(batch, tree.entry(0), tree.proof(0), amount, case, "bafkreirecovery",
                             {"from": self.people.treasury})
        payment[3] -= amount
        self.paid -= amount
        self.released += amount
        self.balances[name] -= amount
        self.paid_by[name] -= amount

    def rule_freeze(self):
        if self.freeze_case is None:
            self.freeze_case = self.supervision.freeze(self.target, COUNTY, "bafkreireason",
                                                       {"from": self.supervisor}).return_value

    def rule_resolve(self):
        if self.freeze_case is not None:
            self.supervision.resolve(self.freeze_case, COUNTY, False, 0, "bafkreicleared", {"from": self.supervisor})
            self.freeze_case = None

    def rule_actions(self, st_actions):
        """Several actions in a row, every invariant checked after each."""
        for name, *args in st_actions:
            getattr(self, f"rule_{name}")(*args)
            self._check()

    def _check(self):
        for name in dir(self):
            if name.startswith("invariant_"):
                getattr(self, name)()

    # --- invariants -------------------------------------------------------------------------------------------

    def invariant_funds_are_conserved(self):
        assert self.ledger.isConserved(self.plan)
        assert self.ledger.isConserved(0)
        totals = self.ledger.totals()
        assert totals["minted"] == (totals["available"] + totals["escrowed"] + totals["released"]
                                    + totals["instructed"] + totals["paid"])
        assert totals["minted"] == self.minted

    def invariant_tokens_are_only_in_the_ledger_or_wallets(self):
        totals = self.ledger.totals()
        held_by_ledger = self.token.balanceOf(self.ledger)
        assert held_by_ledger == totals["minted"] - totals["paid"]
        in_wallets = sum(self.token.balanceOf(wallet) for wallet in self.people.wallets)
        assert self.token.totalSupply() == held_by_ledger + in_wallets
        assert self.token.balanceOf(self.batches) == 0

    def invariant_the_ledger_follows_the_rules(self):
        funds = self.ledger.planFunds(self.plan)
        assert (funds["escrowed"], funds["released"], funds["instructed"], funds["paid"]) == (
            self.escrowed, self.released, self.instructed, self.paid)
        for name in HOUSEHOLDS:
            assert self.batches.paidBy(self.plan, household_id(name)) == self.paid_by[name] <= CAP
        for name, wallet in self.wallets.items():
            assert self.token.balanceOf(wallet) == self.balances[name]


def test_funds_are_conserved_over_random_action_sequences(state_machine, fund_ledger, payment_batches, fund_token,
                                                          plan_registry, approval_hub, supervision, fund_officials,
                                                          plan_officials, officials, route_approvers, small_plan):
    state_machine(Funds, fund_ledger, payment_batches, fund_token, plan_registry, approval_hub, supervision,
                  fund_officials, plan_officials, officials, route_approvers, small_plan, settings=SETTINGS)
