"""The data layer's rules that the county's current state does not show on a page: overdue approvals."""

from __future__ import annotations

from dashboard import queries
from tests.dashboard.scenario import DAY, REGISTRATION, ROUTES


def test_a_pending_approval_becomes_overdue_after_its_levels_timeout(synced_index):
    (row,) = queries.pending_approvals(synced_index, now=0).itertuples()
    timeout = ROUTES[REGISTRATION][0][3]
    assert row.deadline == row.since + timeout == row.since + 3 * DAY
    assert not queries.pending_approvals(synced_index, now=row.deadline).overdue.any()
    assert queries.pending_approvals(synced_index, now=row.deadline + 1).overdue.all()
    by_level = queries.pending_by_level(synced_index, now=row.deadline + 1)
    assert by_level.overdue.tolist() == [1]


def test_a_visit_is_overdue_only_once_its_due_date_has_passed(synced_index):
    from dashboard.queries_oversight import overdue_visits

    (row,) = overdue_visits(synced_index, now=2**40).itertuples()
    assert overdue_visits(synced_index, now=row.due).empty
    assert len(overdue_visits(synced_index, now=row.due + 1)) == 1


def test_a_supervision_target_of_the_plan_registry_is_named_plan_or_milestone():
    from dashboard.queries_oversight import describe_target
    from govchain.plans import milestone_target, plan_target

    registry, region = "0x" + "ab" * 20, 530102001001
    assert describe_target(plan_target(registry, 9, region), "PlanRegistry") == ("plan 9", 9)
    assert describe_target(milestone_target(registry, 9, 2, region), "PlanRegistry") == ("milestone 2 of plan 9", 9)
    assert describe_target(plan_target(registry, 9, region), "MaterialSupply")[1] is None
