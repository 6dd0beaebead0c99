"""The leaf's ``details``: salted commitments to each household's reason bits and score, many at once.

The commitment is defined in :mod:`govchain.eligibility` (one household at a time, as a contract checks it);
this module computes the same values for a whole batch with numpy, and derives the salts.

The salt of a household in a batch is secret and deterministic, so every oracle node builds the same leaves
(hence the same root and manifest CID) and the offices that hold the key can re-derive any opening later::

    detailsSalt = HMAC-SHA256(pseudonymisation key, "govchain/leaf-details-salt/v1" ‖ 0x00 ‖ batchId ‖ householdId)

It depends on the batch, so one household's commitments in two batches are unrelated even when its
circumstances did not change (nobody can follow its reasons from batch to batch by comparing commitments).
Who may see an opening: the household itself and the offices that work its case; it reaches them from the
data authority (which holds the key and the results table) through :func:`opening_for`, never through IPFS.
"""

from __future__ import annotations

import hmac

import numpy as np

from govchain.eligibility import REASON_BITS, SCORE_SALT_INDEX, LeafDetails
from oracle.merkle import HASH_SIZE, keccak_rows
from oracle.pseudonym import PseudonymKey

SALT_DOMAIN = b"govchain/leaf-details-salt/v1\x00"


def details_salts(key: PseudonymKey, batch_id: bytes, household_ids: np.ndarray) -> np.ndarray:
    """``detailsSalt`` of every household of a batch, as an ``(n, 32)`` uint8 array."""
    prefix = SALT_DOMAIN + bytes(batch_id)
    secret = key.secret
    digests = b"".join(hmac.digest(secret, prefix + row.tobytes(), "sha256") for row in household_ids)
    return np.frombuffer(digests, dtype=np.uint8).reshape(-1, HASH_SIZE)


def opening_for(key: PseudonymKey, batch_id: bytes, household_id: bytes, reasons: int, score: int) -> LeafDetails:
    """The opening of one household's ``details`` in a batch (for the household and its offices only)."""
    salt = details_salts(key, batch_id, np.frombuffer(bytes(household_id), dtype=np.uint8).reshape(1, HASH_SIZE))[0]
    return LeafDetails(int(reasons), int(score), salt.tobytes())


def details_commitments(salts: np.ndarray, reasons, score) -> np.ndarray:
    """``details`` of every household (``LeafDetails(reasons, score, salt).commitment()``), as ``(n, 32)`` uint8."""
    count = len(salts)
    reasons = np.asarray(reasons, dtype=np.uint64)
    score = np.asarray(score, dtype=np.uint64)
    # salt_i = keccak256(abi.encode(detailsSalt, uint8 i)) for the 32 bits and the score, household-major.
    salt_rows = np.zeros((count, SCORE_SALT_INDEX + 1, 64), dtype=np.uint8)
    salt_rows[:, :, :32] = salts[:, None, :]
    salt_rows[:, :, 63] = np.arange(SCORE_SALT_INDEX + 1, dtype=np.uint8)
    item_salts = keccak_rows(salt_rows.reshape(-1, 64)).reshape(count, SCORE_SALT_INDEX + 1, HASH_SIZE)
    # bitLeaf(i) = keccak256(abi.encode(salt_i, uint8 i, bool bit)).
    bit_rows = np.zeros((count, REASON_BITS, 96), dtype=np.uint8)
    bit_rows[:, :, :32] = item_salts[:, :REASON_BITS]
    bit_rows[:, :, 63] = np.arange(REASON_BITS, dtype=np.uint8)
    bit_rows[:, :, 95] = (reasons[:, None] >> np.arange(REASON_BITS, dtype=np.uint64)) & 1
    level = keccak_rows(bit_rows.reshape(-1, 96)).reshape(count, REASON_BITS, HASH_SIZE)
    while level.shape[1] > 1:  # positional pairs: keccak256(left ‖ right)
        pairs = level.reshape(count, level.shape[1] // 2, 2 * HASH_SIZE)
        level = keccak_rows(pairs.reshape(-1, 2 * HASH_SIZE)).reshape(count, -1, HASH_SIZE)
    score_rows = np.zeros((count, 64), dtype=np.uint8)
    score_rows[:, :32] = item_salts[:, SCORE_SALT_INDEX]
    score_rows[:, 60:64] = score.astype(">u4").view(np.uint8).reshape(count, 4)
    combined = np.concatenate([level[:, 0], keccak_rows(score_rows)], axis=1)
    return keccak_rows(combined)
