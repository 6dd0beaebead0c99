"""The event index's reads that the site's folds use, on a small index written directly (no chain needed)."""

from __future__ import annotations

import pytest

from govchain.events import DecodedLog
from indexer.store import EventStore

REGISTRY, HUB = "0x" + "11" * 20, "0x" + "22" * 20
SUBJECT = (0x1234 << 96) | (7 << 40) | 530102001001  # beyond 2**53: stored as a decimal string
HOUSEHOLD = "0x" + "ab" * 32


def log(contract: str, address: str, event: str, args: dict, block: int, index: int) -> DecodedLog:
    return DecodedLog(contract, address, event, args, block, f"0x{block:064x}", f"0x{block * 100 + index:064x}", index)


@pytest.fixture
def store(tmp_path):
    store = EventStore(tmp_path / "index.sqlite")
    logs = [
        log("HouseholdRegistry", REGISTRY, "RegistrationFiled",
            {"subject": str(SUBJECT), "householdId": HOUSEHOLD, "batchId": "0x" + "cd" * 32}, 5, 0),
        log("ApprovalHub", HUB, "ApprovalTransition", {"subject": str(SUBJECT), "outcome": 1, "level": 0}, 6, 1),
        log("ApprovalHub", HUB, "RouteDefined", {"routeId": 1, "levels": [{"threshold": 1}]}, 4, 0),
        log("HouseholdRegistry", REGISTRY, "NoticeStarted", {"subject": str(SUBJECT), "endsAt": 99}, 6, 0),
    ]
    store.write_range(1, {REGISTRY: "HouseholdRegistry", HUB: "ApprovalHub"}, 0, 6, logs,
                      {4: 400, 5: 500, 6: 600}, "0x" + "06" * 32)
    yield store
    store.close()


def test_arguments_come_oldest_first_with_their_place_on_chain(store):
    rows = store.arguments(("RegistrationFiled", "ApprovalTransition", "NoticeStarted"), ("subject",))
    assert [(event, block, time, log_index) for event, _, block, time, _, log_index, _ in rows] == [
        ("RegistrationFiled", 5, 500, 0), ("NoticeStarted", 6, 600, 0), ("ApprovalTransition", 6, 600, 1)]
    assert rows[0][1] == REGISTRY and rows[0][4] == f"0x{500:064x}"


def test_an_integer_beyond_two_to_the_53_comes_back_exact_as_its_decimal_string(store):
    ((*_, subject),) = store.arguments(("RegistrationFiled",), ("subject",))
    assert subject == str(SUBJECT) and int(subject) == SUBJECT


def test_an_argument_the_event_does_not_have_comes_back_as_none(store):
    ((*_, outcome, ends_at, missing),) = store.arguments(("NoticeStarted",), ("outcome", "endsAt", "householdId"))
    assert (outcome, ends_at, missing) == (None, 99, None)


def test_arguments_equal_the_decoded_arguments_of_the_same_events(store):
    names = ("subject", "householdId", "batchId", "outcome", "level", "endsAt")
    events = ("RegistrationFiled", "ApprovalTransition", "NoticeStarted")
    picked = store.arguments(events, names)
    decoded = store.events(event=events)
    assert [row[6:] for row in picked] == [tuple(r.args.get(name) for name in names) for r in decoded]


def test_arguments_of_one_contract_leave_out_another_contracts_events(store):
    rows = store.arguments(("RegistrationFiled", "ApprovalTransition"), ("subject",), contract="ApprovalHub")
    assert [row[0] for row in rows] == ["ApprovalTransition"]
