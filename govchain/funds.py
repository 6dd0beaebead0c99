"""Earmarked funds: the subject kinds and token access flags of contracts/funds/ (its enums are govchain.enums',
re-exported here), and the leaf encodings of payment batches and plans' explicit beneficiary lists (the same as
PaymentBatches.entryLeaf and _checkBeneficiary compute; tests/contracts/test_payment_batches.py checks them against
the contract).

A batch's tree is OpenZeppelin's StandardMerkleTree over :func:`entry_leaf_hash` (oracle.merkle builds it).
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi import encode
from eth_utils import keccak

from govchain.enums import Method, Movement, PaymentKind  # noqa: F401 (re-exported)

# Subject kinds on the approval hub (FundLedger.APPROPRIATION_KIND, PaymentBatches.PAYMENT_BATCH_KIND).
APPROPRIATION_KIND, PAYMENT_BATCH_KIND = 5, 6
# FundToken access flags.
PLATFORM, MINTER, RECOVERER = 1, 2, 4


@dataclass(frozen=True)
class PaymentEntry:
    """One entry of a payment batch: its index in the batch, the pseudonymous household id, amount in fen and
    method."""

    index: int
    household: bytes
    amount: int
    method: Method = Method.WALLET

    def leaf_hash(self) -> bytes:
        return entry_leaf_hash(self.index, self.household, self.amount, self.method)


def _double_hash(encoded: bytes) -> bytes:
    # OpenZeppelin StandardMerkleTree leaves are hashed twice (no leaf can pass for an inner node).
    return keccak(keccak(encoded))


def entry_leaf_hash(index: int, household: bytes, amount: int, method: int) -> bytes:
    """The leaf of a batch entry: keccak256(keccak256(abi.encode(uint32, bytes32, uint128, uint8)))."""
    return _double_hash(encode(["uint32", "bytes32", "uint128", "uint8"], [index, household, amount, int(method)]))


def list_leaf_hash(household: bytes) -> bytes:
    """The leaf of a household on a plan's explicit list: keccak256(keccak256(abi.encode(bytes32)))."""
    return _double_hash(encode(["bytes32"], [household]))


def multiproof(nodes, tree_index, value_indices) -> tuple[list[int], list[bytes], list[bool]]:
    """A multiproof of several leaves of an OpenZeppelin StandardMerkleTree (as its merkle-tree library makes
    one, for MerkleProof.multiProofVerify).

    Args:
        nodes: the tree's nodes, root first (``oracle.merkle.StandardMerkleTree.tree``: indexable, each 32 bytes).
        tree_index: where each input value's leaf sits among ``nodes`` (``StandardMerkleTree.tree_index``).
        value_indices: the input values to prove.

    Returns:
        (the value indices in the order the proof takes their leaves, the proof nodes, the proof flags).
    """
    positions = sorted({int(tree_index[v]) for v in value_indices}, reverse=True)
    if len(positions) != len(value_indices):
        raise ValueError("A multiproof proves each leaf once; a value index is given twice.")
    value_at = {int(tree_index[v]): v for v in value_indices}
    stack = list(positions)
    proof: list[bytes] = []
    flags: list[bool] = []
    while stack and stack[0] > 0:
        j = stack.pop(0)
        sibling = j + 1 if j % 2 == 1 else j - 1
        if stack and stack[0] == sibling:
            flags.append(True)
            stack.pop(0)
        else:
            flags.append(False)
            proof.append(bytes(nodes[sibling]))
        stack.append((j - 1) // 2)
    if not positions:
        proof.append(bytes(nodes[0]))
    return [value_at[p] for p in positions], proof, flags
