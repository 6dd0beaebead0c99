"""Merkle trees of eligibility leaves, laid out exactly as OpenZeppelin's ``StandardMerkleTree`` (npm
``@openzeppelin/merkle-tree`` 1.0.8) lays them out, so roots and proofs match the JS library and the contracts.

The layout (``makeMerkleTree`` and ``MerkleTreeImpl.prepare`` in the library):

- every value is hashed with the shared leaf encoding of :mod:`govchain.eligibility`
  (``keccak256(keccak256(abi.encode(...)))``);
- the leaf hashes are sorted ascending as 256-bit numbers, stably (equal hashes keep their input order);
- the tree is one flat array of ``2n - 1`` nodes, a complete binary tree: the root at index 0, the children of
  node ``i`` at ``2i + 1`` and ``2i + 2``, and the sorted leaves at the end in reverse order, so the leaf with
  the smallest hash sits at index ``2n - 2``;
- an inner node is :func:`govchain.eligibility.hash_pair` of its two children (commutative keccak);
- the proof of the leaf at tree index ``i`` is the sibling of ``i``, then the sibling of its parent, and so on
  up to (not including) the root.

Speed: a million leaves are three million keccak calls. The values are ABI-encoded for all leaves at once with
numpy (fixed 128-byte rows, see :func:`encode_leaf_rows`), each level of the tree is paired and ordered with
numpy, and only the keccak itself runs per row, through the C implementation of safe-pysha3 when it is
installed (it is pinned in requirements.txt) and pycryptodome's otherwise. A proof is a view into the stored
tree: :meth:`StandardMerkleTree.proof_indices` gives the sibling indices of every leaf in one array.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from govchain.eligibility import LEAF_TYPES, Decision, EligibilityLeaf, hash_pair
from oracle.errors import LeafValueError, MerkleTreeError

try:  # safe-pysha3: a C keccak, about six times faster per call than pycryptodome's through its wrapper.
    from sha3 import keccak_256 as _keccak_256

    def _keccak_rows(rows: np.ndarray) -> np.ndarray:
        return np.frombuffer(b"".join([_keccak_256(row).digest() for row in rows]), dtype=np.uint8)

except ImportError:  # pragma: no cover - safe-pysha3 is pinned; this keeps the module usable without it
    from Crypto.Hash import keccak as _pycryptodome_keccak

    def _keccak_rows(rows: np.ndarray) -> np.ndarray:
        digests = [_pycryptodome_keccak.new(digest_bits=256, data=row.tobytes()).digest() for row in rows]
        return np.frombuffer(b"".join(digests), dtype=np.uint8)


HASH_SIZE = 32
# abi.encode of (bytes32, uint64, uint8, bytes32): four 32-byte words, integers right-aligned.
LEAF_ROW_SIZE = 4 * 32
_UINT_LIMITS = {"region": 2**64, "decision": 2**8, "reasons": 2**32, "score": 2**32}


def keccak_rows(rows: np.ndarray) -> np.ndarray:
    """keccak256 of every row of a 2-D uint8 array, as an ``(m, 32)`` uint8 array."""
    rows = np.ascontiguousarray(rows, dtype=np.uint8)
    if rows.ndim != 2:
        raise ValueError("keccak_rows takes a 2-D array of rows")
    return _keccak_rows(rows).reshape(len(rows), HASH_SIZE)


def as_uint_column(name: str, values: Any, count: int) -> np.ndarray:
    column = np.asarray(values)
    if column.dtype.kind == "f" and not isinstance(values, np.ndarray):
        # numpy turns a list mixing small ints and ints >= 2**63 into float64; keep them exact instead.
        column = np.array(list(values), dtype=object)
    if column.shape != (count,):
        raise LeafValueError(
            f"The {name} column has shape {column.shape}, expected ({count},): give one value per leaf."
        )
    if column.dtype.kind not in "iu":
        if column.dtype.kind == "O":
            # Python ints beyond int64 (e.g. a region of 2**64) arrive as objects; check them one by one.
            if not all(isinstance(v, (int, np.integer)) and 0 <= v < _UINT_LIMITS[name] for v in column):
                raise LeafValueError(
                    f"A {name} value is not an integer in [0, {_UINT_LIMITS[name]}); fix the results table."
                )
            return column.astype(np.uint64)
        raise LeafValueError(f"The {name} column holds {column.dtype} values; it must hold integers.")
    if len(column) and (column.min() < 0 or column.max() >= _UINT_LIMITS[name]):
        raise LeafValueError(
            f"A {name} value is outside [0, {_UINT_LIMITS[name]}) and does not fit the leaf encoding; "
            f"fix the results table."
        )
    return column.astype(np.uint64)


def _as_bytes32_column(values: Any, what: str, count: int | None = None) -> np.ndarray:
    if isinstance(values, np.ndarray) and values.dtype == np.uint8 and values.ndim == 2:
        column = values
    else:
        items = list(values)
        if any(not isinstance(i, (bytes, bytearray)) or len(i) != HASH_SIZE for i in items):
            raise LeafValueError(f"Every {what} must be 32 bytes.")
        column = np.frombuffer(b"".join(items), dtype=np.uint8).reshape(len(items), HASH_SIZE)
    if column.shape[1:] != (HASH_SIZE,) or (count is not None and len(column) != count):
        raise LeafValueError(f"The {what} column has shape {column.shape}; it must hold one 32-byte value per leaf.")
    return column


def _as_id_column(household_ids: Any) -> np.ndarray:
    try:
        return _as_bytes32_column(household_ids, "household id")
    except LeafValueError:
        raise LeafValueError(
            "Every household id must be 32 bytes (a pseudonymous id from oracle.pseudonym), never a raw ID number."
        ) from None


def encode_leaf_rows(household_ids: Any, region: Any, decision: Any, details: Any) -> np.ndarray:
    """``abi.encode(householdId, region, decision, details)`` of every leaf, as ``(n, 128)`` uint8 rows.

    Args:
        household_ids: ``(n, 32)`` uint8 array, or a sequence of 32-byte values (pseudonymous ids).
        region, decision: integer sequences of length n.
        details: ``(n, 32)`` uint8 array, or a sequence of 32-byte values (details commitments).

    Raises:
        LeafValueError: when a value does not fit its ABI type or decision is not a :class:`Decision`.
    """
    ids = _as_id_column(household_ids)
    count = len(ids)
    region_col = as_uint_column("region", region, count)
    decision_col = as_uint_column("decision", decision, count)
    if len(decision_col) and decision_col.max() > max(Decision):
        raise LeafValueError(f"A decision is not one of {[int(d) for d in Decision]} (none, admit, exit, monitor).")
    details_col = _as_bytes32_column(details, "details commitment", count)
    rows = np.zeros((count, LEAF_ROW_SIZE), dtype=np.uint8)
    rows[:, 0:32] = ids
    rows[:, 56:64] = region_col.astype(">u8").view(np.uint8).reshape(count, 8)
    rows[:, 95] = decision_col.astype(np.uint8)
    rows[:, 96:128] = details_col
    return rows


def leaf_hashes(household_ids: Any, region: Any, decision: Any, details: Any) -> np.ndarray:
    """:func:`govchain.eligibility.leaf_hash` of many leaves at once, as an ``(n, 32)`` uint8 array."""
    return keccak_rows(keccak_rows(encode_leaf_rows(household_ids, region, decision, details)))


def _less_than(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Row-wise ``left < right`` of two ``(m, 32)`` uint8 arrays read as 256-bit big-endian numbers."""
    lw = left.view(">u8")
    rw = right.view(">u8")
    less = lw[:, 3] < rw[:, 3]
    for word in (2, 1, 0):
        less = np.where(lw[:, word] == rw[:, word], less, lw[:, word] < rw[:, word])
    return less


def _hash_sorted_pairs(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """hash_pair of every row pair: keccak256 of the two children, smaller first."""
    left_first = _less_than(left, right)[:, None]
    pairs = np.empty((len(left), 2 * HASH_SIZE), dtype=np.uint8)
    pairs[:, :HASH_SIZE] = np.where(left_first, left, right)
    pairs[:, HASH_SIZE:] = np.where(left_first, right, left)
    return keccak_rows(pairs)


def sibling_index(i: int) -> int:
    """The other child of node ``i``'s parent."""
    if i <= 0:
        raise MerkleTreeError("The root has no sibling.")
    return i + 1 if i % 2 else i - 1


def parent_index(i: int) -> int:
    return (i - 1) // 2


class StandardMerkleTree:
    """A tree over precomputed leaf hashes, in OpenZeppelin's StandardMerkleTree layout.

    Attributes:
        tree: ``(2n - 1, 32)`` uint8 array of all nodes; ``tree[0]`` is the root.
        tree_index: ``(n,)`` array; ``tree_index[v]`` is where the leaf of input value ``v`` sits in ``tree``.
    """

    def __init__(self, tree: np.ndarray, tree_index: np.ndarray):
        self.tree = tree
        self.tree_index = tree_index

    @classmethod
    def from_leaf_hashes(cls, hashes: np.ndarray) -> "StandardMerkleTree":
        """Builds the tree over ``(n, 32)`` leaf hashes given in input-value order."""
        hashes = np.ascontiguousarray(hashes, dtype=np.uint8)
        count = len(hashes)
        if count == 0:
            raise MerkleTreeError("A batch with no leaves has no Merkle root; commit only batches with households.")
        # Stable sort by hash, as the library does (equal hashes keep their input order).
        order = np.argsort(hashes.view(f"S{HASH_SIZE}").ravel(), kind="stable")
        size = 2 * count - 1
        tree = np.empty((size, HASH_SIZE), dtype=np.uint8)
        tree[count - 1 :] = hashes[order][::-1]
        tree_index = np.empty(count, dtype=np.int64)
        tree_index[order] = size - 1 - np.arange(count, dtype=np.int64)
        # Inner nodes level by level, deepest first: level d holds indices [2^d - 1, 2^(d+1) - 1).
        depth = (size).bit_length() - 1
        for level in range(depth, -1, -1):
            start, end = 2**level - 1, min(2 ** (level + 1) - 1, count - 1)
            if start >= end:
                continue
            tree[start:end] = _hash_sorted_pairs(
                tree[2 * start + 1 : 2 * end + 1 : 2], tree[2 * start + 2 : 2 * end + 2 : 2]
            )
        return cls(tree, tree_index)

    @property
    def root(self) -> bytes:
        return self.tree[0].tobytes()

    def __len__(self) -> int:
        return len(self.tree_index)

    def leaf_hash_at(self, value_index: int) -> bytes:
        return self.tree[self._tree_index_of(value_index)].tobytes()

    def _tree_index_of(self, value_index: int) -> int:
        if not 0 <= value_index < len(self.tree_index):
            raise MerkleTreeError(f"Leaf {value_index} is out of range: the tree has {len(self.tree_index)} leaves.")
        return int(self.tree_index[value_index])

    def proof_path(self, value_index: int) -> list[int]:
        """Tree indices of the proof of input value ``value_index`` (siblings from the leaf up)."""
        i = self._tree_index_of(value_index)
        path = []
        while i > 0:
            path.append(sibling_index(i))
            i = parent_index(i)
        return path

    def proof_nodes(self, value_index: int) -> np.ndarray:
        """The proof of ``value_index`` as a ``(depth, 32)`` array taken from the stored tree."""
        return self.tree[self.proof_path(value_index)]

    def proof(self, value_index: int) -> list[bytes]:
        """The proof of ``value_index`` as the list of 32-byte siblings that MerkleProof.verify takes."""
        return [self.tree[i].tobytes() for i in self.proof_path(value_index)]

    def proof_indices(self) -> np.ndarray:
        """The proofs of every leaf at once: ``(n, max_depth)`` tree indices, padded with -1 on shallower leaves.

        Row ``v`` holds the proof of input value ``v``; ``tree[row[row >= 0]]`` are its nodes.
        """
        current = self.tree_index.copy()
        max_depth = (len(self.tree)).bit_length() - 1
        paths = np.full((len(current), max_depth), -1, dtype=np.int64)
        for step in range(max_depth):
            active = current > 0
            siblings = np.where(current % 2 == 1, current + 1, current - 1)
            paths[active, step] = siblings[active]
            current = np.where(active, (current - 1) // 2, 0)
        return paths

    def hex_tree(self) -> list[str]:
        return ["0x" + node.hex() for node in (row.tobytes() for row in self.tree)]


def process_proof(leaf: bytes, proof: Iterable[bytes]) -> bytes:
    """The root that ``proof`` leads to from ``leaf`` (OpenZeppelin's ``MerkleProof.processProof``)."""
    node = bytes(leaf)
    for sibling in proof:
        node = hash_pair(node, bytes(sibling))
    return node


def verify_proof(root: bytes, leaf: bytes, proof: Iterable[bytes]) -> bool:
    """True when ``proof`` proves ``leaf`` (a leaf hash) under ``root``."""
    return process_proof(leaf, proof) == bytes(root)


class EligibilityTree(StandardMerkleTree):
    """A StandardMerkleTree over eligibility leaves; keeps the leaf values to answer proofs by household id."""

    def __init__(self, tree: np.ndarray, tree_index: np.ndarray, columns: dict[str, np.ndarray]):
        super().__init__(tree, tree_index)
        self.columns = columns
        self._value_index_by_id: dict[bytes, int] | None = None

    @classmethod
    def from_columns(cls, household_ids: Any, region: Any, decision: Any, details: Any) -> "EligibilityTree":
        """Builds the tree from column arrays (e.g. the pipeline's results table after pseudonymisation).

        Raises:
            LeafValueError: when a value does not fit the leaf encoding, or a household id appears twice.
        """
        ids = _as_id_column(household_ids)
        if len(ids) == 0:
            raise MerkleTreeError("A batch with no leaves has no Merkle root; commit only batches with households.")
        rows = encode_leaf_rows(ids, region, decision, details)
        if len(np.unique(ids.view(f"V{HASH_SIZE}").ravel())) != len(ids):
            raise LeafValueError("A household id appears twice in the batch; a batch holds one result per household.")
        base = StandardMerkleTree.from_leaf_hashes(keccak_rows(keccak_rows(rows)))
        columns = {
            "household_id": ids,
            "region": rows[:, 56:64].copy().view(">u8").ravel().astype(np.uint64),
            "decision": rows[:, 95].copy(),
            "details": rows[:, 96:128].copy(),
        }
        return cls(base.tree, base.tree_index, columns)

    @classmethod
    def of(cls, leaves: Sequence[EligibilityLeaf]) -> "EligibilityTree":
        """Builds the tree from :class:`EligibilityLeaf` values."""
        return cls.from_columns(
            [leaf.household_id for leaf in leaves],
            [leaf.region for leaf in leaves],
            [int(leaf.decision) for leaf in leaves],
            [leaf.details for leaf in leaves],
        )

    def leaf(self, value_index: int) -> EligibilityLeaf:
        self._tree_index_of(value_index)
        c = self.columns
        return EligibilityLeaf(
            household_id=c["household_id"][value_index].tobytes(),
            region=int(c["region"][value_index]),
            decision=Decision(int(c["decision"][value_index])),
            details=c["details"][value_index].tobytes(),
        )

    def value_index_of(self, household_id: bytes) -> int:
        """The input position of a household's leaf.

        Raises:
            MerkleTreeError: when the household has no leaf in this batch.
        """
        if self._value_index_by_id is None:
            self._value_index_by_id = {row.tobytes(): i for i, row in enumerate(self.columns["household_id"])}
        try:
            return self._value_index_by_id[bytes(household_id)]
        except KeyError:
            raise MerkleTreeError(
                f"Household 0x{bytes(household_id).hex()} has no leaf in this batch; check the pseudonymous id "
                f"(it is computed with the data authority's current key) and the batch."
            ) from None

    def proof_for(self, household_id: bytes) -> tuple[EligibilityLeaf, list[bytes]]:
        """The leaf and proof of one household, by pseudonymous id."""
        index = self.value_index_of(household_id)
        return self.leaf(index), self.proof(index)

    def dump(self) -> dict:
        """The tree in the library's own ``standard-v1`` format: ``StandardMerkleTree.load(dump)`` accepts it."""
        c = self.columns
        values = [
            {
                "value": [
                    "0x" + c["household_id"][v].tobytes().hex(),
                    str(int(c["region"][v])),
                    int(c["decision"][v]),
                    "0x" + c["details"][v].tobytes().hex(),
                ],
                "treeIndex": int(self.tree_index[v]),
            }
            for v in range(len(self))
        ]
        return {"format": "standard-v1", "leafEncoding": list(LEAF_TYPES), "tree": self.hex_tree(), "values": values}

    @classmethod
    def load(cls, dump: dict) -> "EligibilityTree":
        """Rebuilds a tree from :meth:`dump` output and checks that every stored node is what it claims to be.

        Raises:
            MerkleTreeError: when the dump is not a standard-v1 eligibility tree or does not hash to itself.
        """
        if dump.get("format") != "standard-v1" or list(dump.get("leafEncoding", [])) != list(LEAF_TYPES):
            raise MerkleTreeError(
                f"Not an eligibility tree dump (format {dump.get('format')!r}, encoding {dump.get('leafEncoding')!r}); "
                f"expected standard-v1 over {list(LEAF_TYPES)}."
            )
        values = dump["values"]
        try:
            ids = [bytes.fromhex(v["value"][0].removeprefix("0x")) for v in values]
            region, decision = ([int(v["value"][k]) for v in values] for k in (1, 2))
            details = [bytes.fromhex(v["value"][3].removeprefix("0x")) for v in values]
        except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
            raise MerkleTreeError(
                f"A leaf value in the tree dump is malformed ({exc}); fetch the manifest again."
            ) from exc
        rebuilt = cls.from_columns(ids, region, decision, details)
        if rebuilt.hex_tree() != [node.lower() for node in dump["tree"]] or [
            int(v["treeIndex"]) for v in values
        ] != rebuilt.tree_index.tolist():
            raise MerkleTreeError("The tree dump does not match its own leaves: it was altered or corrupted.")
        return rebuilt

