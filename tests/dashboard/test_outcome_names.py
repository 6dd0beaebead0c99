"""The site names approval outcomes from govchain.enums.Outcome, so a new outcome (Closed) never breaks a page."""

from dashboard.queries import outcome_name
from govchain.enums import Outcome


def test_every_outcome_of_the_hub_has_a_name_on_the_site():
    assert [outcome_name(int(o)) for o in Outcome] == [
        "Submitted", "Approved", "Advanced", "Completed", "Returned", "Resubmitted", "Rejected", "Escalated", "Closed"]
