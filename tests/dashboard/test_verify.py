"""核验 on a real chain and IPFS: a genuine item passes every check, an edited index row is caught."""

from __future__ import annotations

import shutil
import sqlite3

from dashboard.verify import check_household, verify_item
from tests.dashboard.scenario import EVIDENCE, HOSTILE_CID


def test_a_registration_event_is_verified_against_the_node(synced_index, county, network):
    verdict = verify_item(synced_index, network, county.ipfs_api, county.registered.txs["complete"], 0)
    assert verdict.ok, verdict.checks
    assert {c.name for c in verdict.checks} >= {"transaction", "block", "canonical", "log", "event", "arguments"}


def test_a_batch_commit_is_verified_with_its_manifest_fetched_and_its_cid_recomputed(synced_index, county, network):
    conn = sqlite3.connect(synced_index)
    tx, log = conn.execute("SELECT tx_hash, log_index FROM events WHERE event = 'BatchCommitted'").fetchone()
    verdict = verify_item(synced_index, network, county.ipfs_api, tx, log)
    assert verdict.ok, verdict.checks
    (document,) = verdict.documents
    assert document.recomputed == county.manifest_cid
    assert any(c.name == "manifest root" and c.ok for c in verdict.checks)


def test_an_index_row_edited_after_sync_is_caught(synced_index, county, network, tmp_path):
    edited = tmp_path / "edited.sqlite"
    shutil.copy(synced_index, edited)
    conn = sqlite3.connect(edited)
    tx = county.registered.txs["complete"]
    conn.execute("UPDATE events SET args = json_set(args, '$.region', 110101001001) WHERE tx_hash = ?", (tx,))
    conn.commit()
    conn.close()
    verdict = verify_item(edited, network, county.ipfs_api, tx, 0)
    assert not verdict.ok
    (arguments,) = [c for c in verdict.checks if c.name == "arguments"]
    assert not arguments.ok and "region" in arguments.detail


def test_an_objection_with_a_hostile_cid_fails_the_ipfs_check_and_shows_it_inert(synced_index, county, network):
    verdict = verify_item(synced_index, network, county.ipfs_api, county.objection_txs[1], 0)
    (ipfs_check,) = [c for c in verdict.checks if c.name.startswith("IPFS")]
    assert not ipfs_check.ok and not verdict.ok
    assert "\\u202e" in ipfs_check.detail and "\u202e" not in ipfs_check.detail
    assert HOSTILE_CID not in ipfs_check.detail


def test_an_objection_with_real_evidence_has_its_document_verified(synced_index, county, network):
    verdict = verify_item(synced_index, network, county.ipfs_api, county.objection_txs[0], 0)
    assert verdict.ok, verdict.checks
    assert verdict.documents[0].recomputed == county.evidence_cid


def test_a_registered_household_proves_its_admission_against_the_registry(synced_index, county, network):
    proof = check_household(synced_index, network, county.ipfs_api, county.registered.household_id)
    assert proof.proven, proof.detail
    assert proof.decision == "admit" and proof.region == county.registered.region


def test_documents_named_by_events_are_kept_only_when_their_cid_matches(synced_index, county, tmp_path):
    import shutil as _shutil

    from indexer.documents import fetch_referenced
    from indexer.store import EventStore
    from oracle.ipfs import IpfsClient

    copy = tmp_path / "index.sqlite"
    _shutil.copy(synced_index, copy)
    store = EventStore(copy)
    report = fetch_referenced(store, IpfsClient(county.ipfs_api))
    # The batch manifest, the real evidence, the plans' documents and the major event's; the demo's placeholder
    # "CIDs" (bafkreidemo...) and the hostile one are no CIDs.
    assert report.fetched == 2 + len(county.execution.documents)
    assert HOSTILE_CID in report.failed
    assert all("not a CID" in reason for reason in report.failed.values())
    assert store.document(county.evidence_cid) == EVIDENCE
    assert fetch_referenced(store, IpfsClient(county.ipfs_api)).fetched == 0  # kept: not fetched again


def test_a_household_in_no_batch_gets_a_clear_no(synced_index, county, network):
    proof = check_household(synced_index, network, county.ipfs_api, b"\x07" * 32)
    assert not proof.proven and proof.batch_id is None
    assert proof.detail.startswith(f"Household 0x{'07' * 32} has no leaf in this batch")


def test_a_plan_is_verified_with_the_documents_its_terms_name(synced_index, county, network):
    from dashboard.queries_plans import plans

    plan = plans(synced_index).set_index("plan_id").loc[county.execution.plans["project"]]
    verdict = verify_item(synced_index, network, county.ipfs_api, plan.tx_hash, int(plan.log_index))
    assert verdict.ok, verdict.checks
    (document,) = [c for c in verdict.checks if c.name.startswith("IPFS")]  # one document, named four times
    assert "terms.documentCid" in document.name and "terms.milestones[2].deliverableCid" in document.name
    assert verdict.documents[0].content.startswith(b'{"budgetYuan"')
