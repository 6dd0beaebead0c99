"""The leaf's details commitment: the batch computation equals the shared definition, and one reason bit can be
opened alone."""

from __future__ import annotations

import random
from dataclasses import replace

import numpy as np
import pandas as pd

from govchain.eligibility import LeafDetails, verify_reason_bit
from oracle.batches import build_batches
from oracle.details import details_commitments, details_salts, opening_for
from oracle.pseudonym import PseudonymKey
from tests.oracle.conftest import write_results

KEY = PseudonymKey(b"\x11" * 32)


def test_batch_commitments_equal_the_shared_definition():
    rng = random.Random(1)
    salts = np.frombuffer(rng.randbytes(32 * 200), dtype=np.uint8).reshape(200, 32)
    reasons = [rng.randrange(2**32) for _ in range(198)] + [0, 2**32 - 1]
    score = [rng.randrange(2**32) for _ in range(198)] + [2**32 - 1, 0]
    batch = details_commitments(salts, reasons, score)
    expected = [LeafDetails(r, s, salt.tobytes()).commitment() for r, s, salt in zip(reasons, score, salts)]
    assert [row.tobytes() for row in batch] == expected


def test_an_opened_reason_bit_verifies_against_the_leaf_details():
    details = LeafDetails(0b1010_0000_0000_0001_0000, 3100, b"\x07" * 32)
    assert all(verify_reason_bit(details.commitment(), details.reason_bit_opening(i)) for i in range(32))


def test_an_opening_with_its_bit_flipped_does_not_verify():
    details = LeafDetails(1 << 16, 3100, b"\x07" * 32)
    opening = details.reason_bit_opening(16)
    assert not verify_reason_bit(details.commitment(), replace(opening, is_set=not opening.is_set))


def test_an_opening_cannot_be_moved_to_another_bit():
    details = LeafDetails(1 << 16, 3100, b"\x07" * 32)
    opening = details.reason_bit_opening(16)
    assert not any(verify_reason_bit(details.commitment(), replace(opening, index=i)) for i in range(32) if i != 16)


def test_the_office_re_derives_the_opening_of_a_published_leaf(tmp_path):
    write_results(tmp_path / "results.parquet", 20, seed=3, villages=(530102001001,), decisions=(1,))
    table = pd.read_parquet(tmp_path / "results.parquet")
    manifest = build_batches(tmp_path / "results.parquet", KEY)[0]
    row = table.iloc[5]
    household_id = KEY.household_id(row["household_key"])
    opening = opening_for(KEY, manifest.header.batch_id, household_id, row["reasons"], row["score"])
    leaf, _ = manifest.proof_for(household_id)
    assert opening.commitment() == leaf.details


def test_salts_differ_between_batches_of_the_same_household():
    ids = np.frombuffer(b"\x05" * 32, dtype=np.uint8).reshape(1, 32)
    assert details_salts(KEY, b"\x01" * 32, ids).tobytes() != details_salts(KEY, b"\x02" * 32, ids).tobytes()


def _contract_args(details: LeafDetails, bit: int, **changes):
    opening = replace(details.reason_bit_opening(bit), **changes)
    return (
        details.commitment(),
        opening.index,
        opening.is_set,
        opening.salt,
        list(opening.path),
        opening.score_commitment,
    )


def test_a_contract_checks_an_opened_reason_bit_as_the_python_definition_does(EligibilityDetailsHarness, accounts):
    harness = EligibilityDetailsHarness.deploy({"from": accounts[0]})
    details = LeafDetails((1 << 16) | (1 << 3) | 1, 5120, b"\x09" * 32)
    assert all(harness.reasonBitHolds(*_contract_args(details, i)) for i in (0, 3, 16, 17, 31))


def test_a_contract_refuses_a_flipped_or_moved_reason_bit(EligibilityDetailsHarness, accounts):
    harness = EligibilityDetailsHarness.deploy({"from": accounts[0]})
    details = LeafDetails(1 << 16, 5120, b"\x09" * 32)
    assert not harness.reasonBitHolds(*_contract_args(details, 16, is_set=False))
    assert not harness.reasonBitHolds(*_contract_args(details, 16, index=17))
    assert not harness.reasonBitHolds(*_contract_args(details, 16, index=48))
