"""The indexer on a real anvil: every platform event indexed once, by id, with its checkpoint."""

from __future__ import annotations

from indexer.store import EventStore


def test_sync_indexes_every_event_of_the_registrations(synced_index, county):
    store = EventStore(synced_index, read_only=True)
    counts = store.counts()
    assert counts[("HouseholdRegistry", "RegistrationFiled")] == 3
    assert counts[("HouseholdRegistry", "HouseholdRegistered")] == 1
    assert counts[("HouseholdRegistry", "ObjectionRaised")] == 2
    assert counts[("EligibilityRegistry", "BatchCommitted")] == 1
    (filed,) = [e for e in store.events("HouseholdRegistry", "HouseholdRegistered")]
    assert filed.args["householdId"] == "0x" + county.registered.household_id.hex()
    assert filed.args["region"] == county.registered.region
