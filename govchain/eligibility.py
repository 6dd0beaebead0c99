"""The eligibility leaf: the one definition of what the oracle commits and the registry verifies.

A leaf is one household's result in one batch, the tuple

    (bytes32 householdId, uint64 region, uint8 decision, bytes32 details)

hashed as OpenZeppelin's StandardMerkleTree does (and contracts/eligibility must do the same):

    leaf = keccak256(bytes.concat(keccak256(abi.encode(householdId, region, decision, details))))

The double hash keeps a leaf from ever equalling an inner node (a 64-byte preimage). Inner nodes hash the
sorted pair of children (OpenZeppelin's commutative keccak), so proofs need no left/right flags.

``householdId`` is the pseudonymous id (a keyed hash of the ID number, see oracle/), never the ID itself;
``region`` is the household's 12-digit village code; ``decision`` (:class:`govchain.enums.Decision`) is public
notice (公示) by design.

``details`` is a salted commitment to the household's circumstances (the reason bitmask and the
proxy-means-test score), which are not public: a leaf shows *that* a household was admitted, never *why*.
The commitment is a small fixed-shape tree, so one reason bit can later be shown to a contract without
showing the others or the score::

    bitLeaf(i)   = keccak256(abi.encode(bytes32 salt_i, uint8 i, bool reasons >> i & 1))   for i in 0..31
    reasonsRoot  = positional Merkle root of bitLeaf(0..31): node = keccak256(left ‖ right), bit 0 leftmost
    scoreLeaf    = keccak256(abi.encode(bytes32 salt_32, uint32 score))
    details      = keccak256(abi.encode(reasonsRoot, scoreLeaf))
    salt_i       = keccak256(abi.encode(bytes32 detailsSalt, uint8 i))                    for i in 0..32

``detailsSalt`` is 32 secret bytes per household and batch (the oracle derives it from the data authority's
key, see oracle/details.py), so nobody can test a guess of the reasons or the score against ``details``, and
the same circumstances give unrelated commitments in two batches. Opening bit ``i`` reveals ``salt_i``, the
bit, the five siblings on its path and ``scoreLeaf``: salted hashes that say nothing about the other bits,
the score, or ``detailsSalt`` (see :func:`reason_bit_opening` and :func:`verify_reason_bit`).
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi import encode
from eth_utils import keccak

from govchain.enums import Decision

LEAF_TYPES: tuple[str, ...] = ("bytes32", "uint64", "uint8", "bytes32")
REASON_BITS = 32
REASON_TREE_DEPTH = 5  # 2**5 == REASON_BITS
SCORE_SALT_INDEX = REASON_BITS


@dataclass(frozen=True)
class EligibilityLeaf:
    """One household's result as committed on chain."""

    household_id: bytes
    region: int
    decision: Decision
    details: bytes

    def values(self) -> tuple:
        """The leaf's values in ABI order, as StandardMerkleTree and the contract take them."""
        return (self.household_id, self.region, int(self.decision), self.details)

    def hash(self) -> bytes:
        """The leaf hash: keccak256(keccak256(abi.encode(values)))."""
        return leaf_hash(*self.values())


def leaf_hash(household_id: bytes, region: int, decision: int, details: bytes) -> bytes:
    """keccak256(keccak256(abi.encode(householdId, region, decision, details)))."""
    return keccak(keccak(encode(LEAF_TYPES, (household_id, region, decision, details))))


def hash_pair(a: bytes, b: bytes) -> bytes:
    """An inner node: keccak256 of the two children in ascending byte order (OpenZeppelin's Hashes)."""
    return keccak(a + b) if a < b else keccak(b + a)


# -- the details commitment ------------------------------------------------------------------------------------


def detail_salt(details_salt: bytes, index: int) -> bytes:
    """``salt_i``: the salt of reason bit ``index`` (0-31) or of the score (32)."""
    return keccak(encode(("bytes32", "uint8"), (details_salt, index)))


def reason_bit_leaf(salt: bytes, index: int, is_set: bool) -> bytes:
    return keccak(encode(("bytes32", "uint8", "bool"), (salt, index, bool(is_set))))


def score_leaf(salt: bytes, score: int) -> bytes:
    return keccak(encode(("bytes32", "uint32"), (salt, score)))


def _combine(reasons_root: bytes, score_commitment: bytes) -> bytes:
    return keccak(reasons_root + score_commitment)


@dataclass(frozen=True, repr=False)
class LeafDetails:
    """A household's circumstances in one batch and the salt that hides them; ``repr`` shows neither."""

    reasons: int
    score: int
    salt: bytes

    def __post_init__(self):
        if not 0 <= self.reasons < 2**REASON_BITS or not 0 <= self.score < 2**32 or len(self.salt) != 32:
            raise ValueError("reasons and score are uint32 and the details salt is 32 bytes")

    def __repr__(self) -> str:
        return "LeafDetails(<hidden>)"

    def _levels(self) -> list[list[bytes]]:
        level = [reason_bit_leaf(detail_salt(self.salt, i), i, self.reasons >> i & 1) for i in range(REASON_BITS)]
        levels = [level]
        while len(level) > 1:
            level = [keccak(level[j] + level[j + 1]) for j in range(0, len(level), 2)]
            levels.append(level)
        return levels

    def score_commitment(self) -> bytes:
        return score_leaf(detail_salt(self.salt, SCORE_SALT_INDEX), self.score)

    def commitment(self) -> bytes:
        """The leaf's ``details`` value."""
        return _combine(self._levels()[-1][0], self.score_commitment())

    def reason_bit_opening(self, index: int) -> "ReasonBitOpening":
        """What to show a contract so it can check reason bit ``index`` of this household, and nothing else."""
        if not 0 <= index < REASON_BITS:
            raise ValueError(f"reason bit {index} is not in 0..{REASON_BITS - 1}")
        levels, path, position = self._levels(), [], index
        for level in levels[:-1]:
            path.append(level[position ^ 1])
            position //= 2
        return ReasonBitOpening(
            index, bool(self.reasons >> index & 1), detail_salt(self.salt, index), tuple(path), self.score_commitment()
        )


@dataclass(frozen=True)
class ReasonBitOpening:
    """One reason bit of a leaf's ``details``, with what proves it: ``salt_i``, the five siblings from the bit's
    leaf up to ``reasonsRoot``, and ``scoreLeaf``."""

    index: int
    is_set: bool
    salt: bytes
    path: tuple[bytes, ...]
    score_commitment: bytes


def verify_reason_bit(details: bytes, opening: ReasonBitOpening) -> bool:
    """Whether ``opening`` proves its bit against a leaf's ``details`` (what a contract would compute)."""
    if len(opening.path) != REASON_TREE_DEPTH or not 0 <= opening.index < REASON_BITS:
        return False
    node, position = reason_bit_leaf(opening.salt, opening.index, opening.is_set), opening.index
    for sibling in opening.path:
        node = keccak(node + sibling) if position % 2 == 0 else keccak(sibling + node)
        position //= 2
    return _combine(node, opening.score_commitment) == bytes(details)
