"""The oracle's exception tree, under :class:`govchain.errors.GovchainError`.

Every message says what went wrong and what the operator should do about it.
"""

from __future__ import annotations

from govchain.errors import GovchainError


class OracleError(GovchainError):
    """Base class of every error the oracle raises."""


class MerkleTreeError(OracleError):
    """Raised when a Merkle tree cannot be built from the given leaves, or a proof is asked for a leaf it lacks."""


class LeafValueError(MerkleTreeError):
    """Raised when a leaf value does not fit the eligibility leaf encoding (bytes32, uint64, uint8, uint32, uint32)."""
