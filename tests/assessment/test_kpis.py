"""The assessment KPIs computed from events (assessment.kpis), on hand-made events: each KPI's rule."""

from assessment.kpis import DAY, ChainEvent, KpiRow, Period, compute_kpis, kpi_root

VILLAGE = 530102001001
COUNTY = 530102000000
T0 = 1_700_000_000
PERIOD = Period(T0, T0 + 90 * DAY)
OFFICIAL = "0x00000000000000000000000000000000000000aa"


class Log:
    """Builds ChainEvents in order."""

    def __init__(self):
        self.events = []

    def add(self, contract, event, at, **args):
        self.events.append(ChainEvent(contract, event, args, at, len(self.events) + 1, 0))
        return self


def subject(key, region=VILLAGE):
    return (0xC11E << 96) | (key << 40) | region


def kpis(log, period=PERIOD):
    return {(r.entity, r.entity_id, r.kpi): r.value for r in compute_kpis(log.events, period)}


def transition(log, at, key, level, outcome):
    return log.add("ApprovalHub", "ApprovalTransition", at, subject=str(subject(key)), level=level, actor=OFFICIAL,
                   outcome=outcome)


def test_approval_latency_is_the_mean_time_a_level_took_in_its_region():
    log = Log()
    transition(log, T0, 1, 0, 0)                 # filed
    transition(log, T0 + 2 * DAY, 1, 0, 2)       # level 0 advanced after 2 days
    transition(log, T0 + 3 * DAY, 1, 1, 3)       # level 1 completed after 1 day
    transition(log, T0, 2, 0, 0)
    transition(log, T0 + 4 * DAY, 2, 0, 6)       # level 0 rejected after 4 days
    table = kpis(log)
    assert table[("region", VILLAGE, "approval_latency_s.L0")] == 3 * DAY
    assert table[("region", VILLAGE, "approval_latency_s.L1")] == DAY
    assert table[("official", int(OFFICIAL, 16), "approval_decisions")] == 3


def test_partial_approvals_are_not_decisions():
    log = Log()
    transition(log, T0, 1, 0, 0)
    transition(log, T0 + DAY, 1, 0, 1)  # one approval of two
    assert ("region", VILLAGE, "approval_latency_s.L0") not in kpis(log)


def test_funds_paid_within_30_days_of_release_count_first_in_first_out():
    log = Log()
    log.add("FundLedger", "FundsMoved", T0, planId=7, kind=2, amount=1000, appropriationId=1, region=VILLAGE, index=0)
    log.add("PaymentBatches", "Payment", T0 + 10 * DAY, planId=7, kind=0, amount=600, household="0x01",
            region=VILLAGE, batchId=1, index=0)
    log.add("PaymentBatches", "Payment", T0 + 40 * DAY, planId=7, kind=0, amount=400, household="0x02",
            region=VILLAGE, batchId=1, index=1)
    assert kpis(log)[("plan", 7, "funds_to_households_30d_bps")] == 6_000


def test_release_whose_window_ends_after_the_period_is_not_counted_yet():
    log = Log()
    log.add("FundLedger", "FundsMoved", PERIOD.end - DAY, planId=7, kind=2, amount=1000, appropriationId=1,
            region=VILLAGE, index=0)
    assert ("plan", 7, "funds_to_households_30d_bps") not in kpis(log)


def test_bank_instructions_reach_households_only_when_confirmed():
    log = Log()
    log.add("FundLedger", "FundsMoved", T0, planId=7, kind=2, amount=1000, appropriationId=1, region=VILLAGE, index=0)
    log.add("PaymentBatches", "Payment", T0 + DAY, planId=7, kind=1, amount=1000, household="0x01", region=VILLAGE,
            batchId=1, index=0)
    assert kpis(log)[("plan", 7, "funds_to_households_30d_bps")] == 0


def test_visit_coverage_counts_served_households_visited_after_their_service():
    log = Log()
    log.add("MaterialSupply", "MaterialDispatched", T0, dispatchId=1, village=VILLAGE, planId=7)
    for household in ("0x01", "0x02"):
        log.add("MaterialSupply", "MaterialDelivered", T0 + DAY, dispatchId=1, household=household, planId=7)
    log.add("FollowUpVisits", "VisitRecorded", T0 + 2 * DAY, household="0x01", planId=7, region=VILLAGE,
            date=T0 + 2 * DAY, satisfaction=4)
    log.add("FollowUpVisits", "VisitRecorded", T0 + 2 * DAY, household="0x03", planId=7, region=VILLAGE,
            date=T0 + 2 * DAY, satisfaction=5)
    table = kpis(log)
    assert table[("region", VILLAGE, "visit_coverage_bps")] == 5_000
    assert table[("region", VILLAGE, "visit_satisfaction_x100")] == 450
    assert table[("region", VILLAGE, "visits")] == 2


def test_exit_is_sustained_without_return_within_twelve_months():
    log = Log()
    exited = T0 - 365 * DAY + DAY  # anniversary inside the period
    log.add("HouseholdRegistry", "HouseholdExited", exited, householdId="0x01", region=VILLAGE)
    log.add("HouseholdRegistry", "HouseholdExited", exited, householdId="0x02", region=VILLAGE)
    log.add("HouseholdRegistry", "HouseholdMonitored", exited + 100 * DAY, householdId="0x02", region=VILLAGE)
    assert kpis(log)[("region", VILLAGE, "exits_sustained_12m_bps")] == 5_000


def test_objections_and_findings_are_counted_by_region():
    log = Log()
    log.add("HouseholdRegistry", "ObjectionResolved", T0 + DAY, objectionId=1, subject=str(subject(1)), upheld=True)
    log.add("HouseholdRegistry", "ObjectionResolved", T0 + DAY, objectionId=2, subject=str(subject(2)), upheld=False)
    log.add("Supervision", "CaseOpened", T0, caseId=1, region=COUNTY)
    log.add("Supervision", "CaseResolved", T0 + DAY, caseId=1, upheld=True)
    table = kpis(log)
    assert (table[("region", VILLAGE, "objections_resolved")], table[("region", VILLAGE, "objections_upheld")]) == (
        2,
        1,
    )
    assert table[("region", COUNTY, "supervision_findings")] == 1


def test_events_after_the_period_change_nothing():
    log = Log()
    log.add("Supervision", "CaseOpened", T0, caseId=1, region=COUNTY)
    log.add("Supervision", "CaseResolved", PERIOD.end + DAY, caseId=1, upheld=True)
    assert compute_kpis(log.events, PERIOD) == []


def test_root_depends_on_the_rows_not_their_order():
    rows = [KpiRow("region", VILLAGE, "visits", 2), KpiRow("plan", 7, "funds_to_households_30d_bps", 6_000)]
    assert kpi_root(rows) == kpi_root(list(reversed(rows)))
    assert kpi_root(rows) != kpi_root([rows[0], KpiRow("plan", 7, "funds_to_households_30d_bps", 6_001)])


def test_a_results_document_gives_back_its_rows_and_root():
    from assessment.kpis import results_document, rows_from_document

    rows = [KpiRow("region", 530102001001, "visits", 3), KpiRow("plan", 7, "funds_to_households_30d_bps", 6_000)]
    document = results_document(rows, Period(0, 30 * DAY), 530102000000)
    assert rows_from_document(document) == sorted(rows)
    assert kpi_root(rows_from_document(document)).hex() in document.decode()


def test_a_document_that_is_not_a_results_document_is_refused():
    import pytest

    from assessment.kpis import rows_from_document

    for content in (
        b"\xff\xfe",
        b"[]",
        b'{"format": "something else", "rows": []}',
        b'{"format": "govchain-kpi-results/1"}',
    ):
        with pytest.raises(ValueError):
            rows_from_document(content)
