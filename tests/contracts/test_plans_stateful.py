"""Stateful properties of plans (brownie + hypothesis): over random sequences of submissions, approvals (by the
right official, and by the submitter), rejections, starts, completions, closures, cancellations, amendments
(some below the committed amount), withdrawals, milestone reports, freezes of plans and milestones and their
resolution (cleared, or upheld cancelling the plan),

- nothing frozen moves: a change aimed at a frozen plan or milestone reverts with SupervisionTargetFrozen, an
  approval of a subject frozen with it with ApprovalSubjectFrozen, and a frozen target reads the same (plan,
  milestones, its approval subjects on the hub) until supervision resolves its case;
- no plan is approved, executes, completes or is closed without the route of its version in force completed on
  the hub, and no milestone is approved without its report's route completed;
- the submitter never approves its own subject;
- the committed amount is what the reported and approved milestones add up to, and never above the budget in
  force;
- versions are never lost: every version drafted stays readable with the terms it was drafted with.
"""

from collections import defaultdict

import pytest
from brownie.exceptions import VirtualMachineError
from hypothesis import HealthCheck
from hypothesis import strategies as st

from govchain.deploy import YUAN
from govchain.plans import CONSEQUENCE_CANCEL, MilestoneStatus, PlanStatus
from govchain.roles import ROLE_BY_ID
from tests.contracts.conftest import APPROVED, PENDING, TOWNSHIP, err, plain, plan_terms, walk_route

PLANS = 2
MILESTONES = 3
# Budgets of amendments, in yuan: the first two fall below what three reported milestones commit.
BUDGETS = [150_000, 250_000, 300_000, 500_000]
SETTINGS = {
    "max_examples": 16,
    "stateful_step_count": 25,
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
    "database": None,
}
EXECUTED = (PlanStatus.APPROVED, PlanStatus.EXECUTING, PlanStatus.COMPLETED, PlanStatus.CLOSED)


@pytest.fixture(scope="module")
def owner_also_leader(role_registry, plan_officials, admin, role):
    """The plans' owner also holds LEADER over the township: only separation of duties stops it approving."""
    role_registry.grantRoleIn(role["LEADER"], plan_officials.department, TOWNSHIP, {"from": admin})


def amendment(budget_yuan):
    return plan_terms(budget=budget_yuan * YUAN, document=f"bafkreiamendment{budget_yuan}")


class Plans:
    st_plan = st.integers(0, PLANS - 1)
    st_index = st.integers(0, MILESTONES - 1)
    st_budget = st.sampled_from(BUDGETS)
    st_on_milestone = st.booleans()
    st_upheld = st.booleans()
    st_case = st.integers(0, 7)
    st_report = st.booleans()

    def __init__(cls, registry, hub, supervision, plan_officials, route_approvers):
        cls.registry = registry
        cls.hub = hub
        cls.supervision = supervision
        cls.owner = plan_officials.department
        cls.handler = plan_officials.handler
        cls.supervisor = plan_officials.township_supervisor
        cls.route_approvers = route_approvers

    def setup(self):
        self.plans = []  # plan ids
        self.versions = defaultdict(list)  # plan id -> terms of each version drafted, in order
        self.cases = []  # open cases: (case id, target)
        self.freezes = defaultdict(int)  # target -> open freezing cases
        self.snapshots = {}  # frozen target -> what it read when frozen

    # --- helpers ----------------------------------------------------------------------------------------------

    def _send(self, fn, *args, frozen_error=None):
        """Sends the transaction. When `frozen_error` is given (the target is frozen) it must revert with it;
        otherwise the rules may refuse it (any revert) or let it pass. Returns the transaction or None."""
        try:
            tx = fn(*args)
        except VirtualMachineError as reverted:
            if frozen_error is not None:
                assert reverted.revert_msg == frozen_error, f"{fn._name}: {reverted.revert_msg} != {frozen_error}"
            return None
        assert frozen_error is None, f"{fn._name} moved a frozen target"
        return tx

    def _plan_frozen(self, plan_id):
        target = self.registry.planTarget(plan_id)
        return err("SupervisionTargetFrozen", target) if self.freezes[target] else None

    def _milestone_frozen(self, plan_id, index):
        plan = self._plan_frozen(plan_id)
        if plan:
            return plan
        target = self.registry.milestoneTarget(plan_id, index)
        return err("SupervisionTargetFrozen", target) if self.freezes[target] else None

    def _subject(self, plan_id, report, index):
        """The latest version subject of the plan, or the latest report subject of milestone `index`."""
        if not report:
            return self.registry.versionSubject(plan_id, self.registry.planOf(plan_id)["latestVersion"])
        attempts = self.registry.milestoneOf(plan_id, index)["attempts"]
        return self.registry.milestoneSubject(plan_id, index, attempts) if attempts else None

    def _pending(self, plan_id, report, index):
        subject = self._subject(plan_id, report, index)
        return subject is not None and self.hub.subjectOf(subject)["state"] == PENDING

    def _read(self, target):
        """What a frozen target must keep reading: the plan (or milestone) and the hub subjects frozen with it."""
        subjects = [s for s in self.supervision.caseSubjects(self._case_of(target))]
        hub = [plain(self.hub.subjectOf(s)) for s in subjects]
        plan_id = (target >> 56) & (2**32 - 1)
        if (target >> 88) & 0xFF == 3:  # a plan target
            return (plain(self.registry.planOf(plan_id)),
                    [plain(self.registry.milestoneOf(plan_id, i)) for i in range(MILESTONES)], hub)
        index = (target >> 48) & 0xFF
        return plain(self.registry.milestoneOf(plan_id, index)), hub

    def _case_of(self, target):
        return next(case for case, frozen in self.cases if frozen == target)

    # --- rules ------------------------------------------------------------------------------------------------

    def initialize_plans(self):
        """Two drafts; the first is taken to execution, so sequences spend their steps on what follows."""
        for _ in range(PLANS):
            terms = plan_terms()
            tx = self.registry.create(TOWNSHIP, 2, 101, terms, {"from": self.owner})
            self.plans.append(tx.return_value)
            self.versions[tx.return_value].append(terms)
        walk_route(self.hub, self.registry.submit(self.plans[0], {"from": self.owner}).return_value,
                   self.route_approvers)
        self.registry.start(self.plans[0], {"from": self.owner})

    def rule_advance(self, st_plan, st_index):
        """The plan's next step in the ordinary course: submit a draft, approve its version, start it, report a
        milestone or approve its report."""
        plan_id = self.plans[st_plan]
        status = self.registry.planOf(plan_id)["status"]
        if status == PlanStatus.DRAFT:
            self.rule_submit(st_plan)
        elif status in (PlanStatus.SUBMITTED, PlanStatus.EXECUTING) and self._pending(plan_id, False, st_index):
            self.rule_approve(st_plan, False, st_index)
        elif status == PlanStatus.APPROVED:
            self.rule_start(st_plan)
        elif status == PlanStatus.EXECUTING:
            if self.registry.milestoneOf(plan_id, st_index)["status"] == MilestoneStatus.REPORTED:
                self.rule_approve(st_plan, True, st_index)
            else:
                self.rule_report_milestone(st_plan, st_index)

    def rule_submit(self, st_plan):
        plan_id = self.plans[st_plan]
        self._send(self.registry.submit, plan_id, {"from": self.owner}, frozen_error=self._plan_frozen(plan_id))

    def rule_approve(self, st_plan, st_report, st_index):
        """The official of the current level approves the plan's latest version or a milestone's latest report."""
        plan_id = self.plans[st_plan]
        subject = self._subject(plan_id, st_report, st_index)
        if subject is None:
            return
        progress = self.hub.subjectOf(subject)
        if progress["state"] != PENDING:
            return
        _, levels = self.hub.route(progress["routeId"])
        role, region_level = levels[progress["level"]][0], levels[progress["level"]][1]
        approver = self.route_approvers[(ROLE_BY_ID[bytes(role)], region_level)]
        frozen = err("ApprovalSubjectFrozen", subject) if progress["frozen"] else None
        tx = self._send(self.hub.approve, subject, progress["level"], {"from": approver}, frozen_error=frozen)
        assert frozen is not None or tx is not None, "the level's official could not approve a pending subject"

    def rule_submitter_approves(self, st_plan):
        plan_id = self.plans[st_plan]
        subject = self._subject(plan_id, False, 0)
        progress = self.hub.subjectOf(subject)
        if progress["state"] == PENDING and not progress["frozen"] and progress["level"] == 0:
            self._send(self.hub.approve, subject, 0, {"from": self.owner},
                       frozen_error=err("ApprovalBySubmitter", subject, self.owner))  # refused, frozen or not

    def rule_reject(self, st_plan, st_report, st_index):
        plan_id = self.plans[st_plan]
        subject = self._subject(plan_id, st_report, st_index)
        if subject is None:
            return
        progress = self.hub.subjectOf(subject)
        if progress["state"] != PENDING:
            return
        _, levels = self.hub.route(progress["routeId"])
        level = levels[progress["level"]]
        approver = self.route_approvers[(ROLE_BY_ID[bytes(level[0])], level[1])]
        frozen = err("ApprovalSubjectFrozen", subject) if progress["frozen"] else None
        self._send(self.hub.reject, subject, "bafkreicomment", {"from": approver}, frozen_error=frozen)

    def rule_start(self, st_plan):
        plan_id = self.plans[st_plan]
        self._send(self.registry.start, plan_id, {"from": self.owner}, frozen_error=self._plan_frozen(plan_id))

    def rule_complete(self, st_plan):
        plan_id = self.plans[st_plan]
        self._send(self.registry.complete, plan_id, {"from": self.owner}, frozen_error=self._plan_frozen(plan_id))

    def rule_close(self, st_plan):
        plan_id = self.plans[st_plan]
        self._send(self.registry.close, plan_id, "bafkreiclosure", {"from": self.owner},
                   frozen_error=self._plan_frozen(plan_id))

    def rule_cancel(self, st_plan):
        plan_id = self.plans[st_plan]
        self._send(self.registry.cancel, plan_id, "bafkreireason", {"from": self.owner},
                   frozen_error=self._plan_frozen(plan_id))

    def rule_amend(self, st_plan, st_budget):
        plan_id = self.plans[st_plan]
        terms = amendment(st_budget)
        committed = self.registry.planOf(plan_id)["committed"]
        tx = self._send(self.registry.amend, plan_id, terms, {"from": self.owner},
                        frozen_error=self._plan_frozen(plan_id))
        if tx:
            assert terms[0] >= committed, "an amendment took the budget below the committed amount"
            self.versions[plan_id].append(terms)

    def rule_withdraw_amendment(self, st_plan):
        plan_id = self.plans[st_plan]
        self._send(self.registry.withdrawAmendment, plan_id, {"from": self.owner},
                   frozen_error=self._plan_frozen(plan_id))

    def rule_report_milestone(self, st_plan, st_index):
        plan_id = self.plans[st_plan]
        self._send(self.registry.reportMilestone, plan_id, st_index, "bafkreievidence", {"from": self.handler},
                   frozen_error=self._milestone_frozen(plan_id, st_index))

    def rule_freeze(self, st_plan, st_on_milestone, st_index):
        plan_id = self.plans[st_plan]
        target = (self.registry.milestoneTarget(plan_id, st_index) if st_on_milestone
                  else self.registry.planTarget(plan_id))
        tx = self.supervision.freeze(target, TOWNSHIP, "bafkreireason", {"from": self.supervisor})
        self.cases.append((tx.return_value, target))
        self.freezes[target] += 1
        if target not in self.snapshots:
            self.snapshots[target] = self._read(target)

    def rule_resolve(self, st_case, st_upheld):
        if not self.cases:
            return
        case, target = self.cases.pop(st_case % len(self.cases))
        consequence = CONSEQUENCE_CANCEL if st_upheld else 0
        self.supervision.resolve(case, TOWNSHIP, st_upheld, consequence, "bafkreifinding", {"from": self.supervisor})
        self.freezes[target] -= 1
        # Supervision's own acts (a consequence) may change what other cases keep frozen: read them afresh.
        self.snapshots = {frozen: self._read(frozen) for frozen, count in self.freezes.items() if count}

    # --- invariants -------------------------------------------------------------------------------------------

    def invariant_nothing_frozen_moves(self):
        for target, snapshot in self.snapshots.items():
            assert self._read(target) == snapshot, f"frozen target {target:#x} moved"

    def invariant_no_plan_executes_without_its_route_completed(self):
        for plan_id in self.plans:
            plan = self.registry.planOf(plan_id)
            if plan["status"] in EXECUTED or plan["currentVersion"] != 0:
                subject = self.registry.versionSubject(plan_id, plan["currentVersion"])
                assert plan["currentVersion"] != 0, f"plan {plan_id} is {plan['status']} without a version in force"
                assert self.hub.subjectOf(subject)["state"] == APPROVED, f"plan {plan_id} in force unapproved"

    def invariant_committed_is_what_reported_and_approved_milestones_add_up_to(self):
        for plan_id in self.plans:
            plan = self.registry.planOf(plan_id)
            committed = 0
            for index in range(MILESTONES):
                progress = self.registry.milestoneOf(plan_id, index)
                if progress["status"] in (MilestoneStatus.REPORTED, MilestoneStatus.APPROVED):
                    committed += progress["amount"]
                if progress["status"] == MilestoneStatus.APPROVED:
                    report = self.registry.milestoneSubject(plan_id, index, progress["attempts"])
                    assert self.hub.subjectOf(report)["state"] == APPROVED
            assert plan["committed"] == committed
            if plan["currentVersion"]:
                assert committed <= self.registry.versionOf(plan_id, plan["currentVersion"])["terms"][0]

    def teardown(self):
        """Versions are never lost: checked once a sequence is over (reading every version at every step would
        take most of the test's time)."""
        for plan_id in self.plans:
            recorded = self.versions[plan_id]
            assert self.registry.planOf(plan_id)["latestVersion"] == len(recorded)
            for version, terms in enumerate(recorded, start=1):
                assert plain(self.registry.versionOf(plan_id, version)["terms"]) == plain(terms)


def test_plan_rules_hold_over_random_action_sequences(state_machine, plan_registry, approval_hub, supervision,
                                                      plan_officials, route_approvers, owner_also_leader):
    state_machine(Plans, plan_registry, approval_hub, supervision, plan_officials, route_approvers,
                  settings=SETTINGS)
