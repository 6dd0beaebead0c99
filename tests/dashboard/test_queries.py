"""The data layer's rules that the county's current state does not show on a page: overdue approvals."""

from __future__ import annotations

from dashboard import queries
from tests.dashboard.scenario import DAY, ROUTES, REGISTRATION


def test_a_pending_approval_becomes_overdue_after_its_levels_timeout(synced_index):
    (row,) = queries.pending_approvals(synced_index, now=0).itertuples()
    timeout = ROUTES[REGISTRATION][0][3]
    assert row.deadline == row.since + timeout == row.since + 3 * DAY
    assert not queries.pending_approvals(synced_index, now=row.deadline).overdue.any()
    assert queries.pending_approvals(synced_index, now=row.deadline + 1).overdue.all()
    by_level = queries.pending_by_level(synced_index, now=row.deadline + 1)
    assert by_level.overdue.tolist() == [1]
