"""The eligibility leaf: the one definition of what the oracle commits and the registry verifies.

A leaf is one household's result in one batch, the tuple

    (bytes32 householdId, uint64 region, uint8 decision, uint32 reasons, uint32 score)

hashed as OpenZeppelin's StandardMerkleTree does (and contracts/eligibility must do the same):

    leaf = keccak256(bytes.concat(keccak256(abi.encode(householdId, region, decision, reasons, score))))

The double hash keeps a leaf from ever equalling an inner node (a 64-byte preimage). Inner nodes hash the
sorted pair of children (OpenZeppelin's commutative keccak), so proofs need no left/right flags.

``householdId`` is the pseudonymous id (a keyed hash of the ID number, see oracle/), never the ID itself;
``region`` is the household's 12-digit village code; ``reasons`` is the bitmask of the pipeline's reason
codes; ``score`` the proxy-means-test score as an integer.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from eth_abi import encode
from eth_utils import keccak

LEAF_TYPES: tuple[str, ...] = ("bytes32", "uint64", "uint8", "uint32", "uint32")


class Decision(IntEnum):
    """The decision a leaf carries; numbered as in the contracts and the pipeline's results table."""

    NONE = 0
    ADMIT = 1
    EXIT = 2
    MONITOR = 3


@dataclass(frozen=True)
class EligibilityLeaf:
    """One household's result as committed on chain."""

    household_id: bytes
    region: int
    decision: Decision
    reasons: int
    score: int

    def values(self) -> tuple:
        """The leaf's values in ABI order, as StandardMerkleTree and the contract take them."""
        return (self.household_id, self.region, int(self.decision), self.reasons, self.score)

    def hash(self) -> bytes:
        """The leaf hash: keccak256(keccak256(abi.encode(values)))."""
        return leaf_hash(*self.values())


def leaf_hash(household_id: bytes, region: int, decision: int, reasons: int, score: int) -> bytes:
    """keccak256(keccak256(abi.encode(householdId, region, decision, reasons, score)))."""
    return keccak(keccak(encode(LEAF_TYPES, (household_id, region, decision, reasons, score))))


def hash_pair(a: bytes, b: bytes) -> bytes:
    """An inner node: keccak256 of the two children in ascending byte order (OpenZeppelin's Hashes)."""
    return keccak(a + b) if a < b else keccak(b + a)
