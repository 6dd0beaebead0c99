"""The Python tree against @openzeppelin/merkle-tree (npm) and the shared leaf encoding."""

from __future__ import annotations

import json
import subprocess

import numpy as np
import pytest

from govchain.config import PROJECT_ROOT
from govchain.eligibility import Decision, EligibilityLeaf, leaf_hash
from oracle.errors import LeafValueError, MerkleTreeError
from oracle.merkle import EligibilityTree, leaf_hashes, process_proof, verify_proof
from tests.oracle.conftest import random_leaves

# Sizes around powers of two, where the flat layout puts leaves on two depths.
RANDOM_SET_SIZES = [1, 2, 3, 4, 5, 7, 8, 9, 31, 33, 100, 255, 257, 1000]


def test_batch_leaf_hashes_equal_the_shared_leaf_hash():
    leaves = random_leaves(500, seed=1) + [
        EligibilityLeaf(b"\x00" * 32, 0, Decision.NONE, b"\x00" * 32),
        EligibilityLeaf(b"\xff" * 32, 2**64 - 1, Decision.MONITOR, b"\xff" * 32),
    ]
    batch = leaf_hashes(
        [leaf.household_id for leaf in leaves],
        [leaf.region for leaf in leaves],
        [int(leaf.decision) for leaf in leaves],
        [leaf.details for leaf in leaves],
    )
    assert [row.tobytes() for row in batch] == [leaf_hash(*leaf.values()) for leaf in leaves]


@pytest.mark.parametrize("size", RANDOM_SET_SIZES)
def test_root_equals_the_js_library_root_on_random_leaves(size, oz_reference):
    leaves = random_leaves(size, seed=size)
    assert "0x" + EligibilityTree.of(leaves).root.hex() == oz_reference(leaves)["root"]


@pytest.mark.parametrize("size", [1, 2, 3, 9, 100, 257])
def test_every_proof_equals_the_js_library_proof(size, oz_reference):
    leaves = random_leaves(size, seed=1000 + size)
    tree = EligibilityTree.of(leaves)
    expected = oz_reference(leaves)["proofs"]
    assert [["0x" + node.hex() for node in tree.proof(i)] for i in range(size)] == expected


def test_every_proof_leads_from_its_leaf_to_the_root():
    leaves = random_leaves(300, seed=7)
    tree = EligibilityTree.of(leaves)
    assert all(verify_proof(tree.root, leaf.hash(), tree.proof(i)) for i, leaf in enumerate(leaves))


def test_a_proof_of_one_leaf_does_not_prove_a_changed_leaf():
    leaves = random_leaves(50, seed=8)
    tree = EligibilityTree.of(leaves)
    changed = EligibilityLeaf(leaves[3].household_id, leaves[3].region, leaves[3].decision, bytes(32))
    assert not verify_proof(tree.root, changed.hash(), tree.proof(3))


def test_proof_indices_of_all_leaves_match_the_single_leaf_proofs():
    tree = EligibilityTree.of(random_leaves(77, seed=9))
    paths = tree.proof_indices()
    assert all([int(i) for i in paths[v] if i >= 0] == tree.proof_path(v) for v in range(len(tree)))


def test_proof_for_a_household_id_returns_its_leaf_and_a_valid_proof():
    leaves = random_leaves(40, seed=10)
    tree = EligibilityTree.of(leaves)
    leaf, proof = tree.proof_for(leaves[17].household_id)
    assert leaf == leaves[17] and process_proof(leaf.hash(), proof) == tree.root


def test_proof_for_an_unknown_household_raises_a_merkle_error():
    tree = EligibilityTree.of(random_leaves(5, seed=11))
    with pytest.raises(MerkleTreeError, match="has no leaf in this batch"):
        tree.proof_for(b"\x01" * 32)


def test_the_dump_loads_in_the_js_library_with_the_same_root(tmp_path):
    tree = EligibilityTree.of(random_leaves(20, seed=12))
    dump_file = tmp_path / "dump.json"
    dump_file.write_text(json.dumps(tree.dump()))
    script = (
        "const {StandardMerkleTree}=require('@openzeppelin/merkle-tree');"
        "const t=StandardMerkleTree.load(JSON.parse(require('fs').readFileSync(process.argv[1],'utf8')));"
        "console.log(JSON.stringify({root:t.root,proof:t.getProof(5)}));"
    )
    out = subprocess.run(
        ["node", "-e", script, str(dump_file)], cwd=PROJECT_ROOT, check=True, capture_output=True, text=True
    )
    loaded = json.loads(out.stdout)
    assert loaded == {"root": "0x" + tree.root.hex(), "proof": ["0x" + n.hex() for n in tree.proof(5)]}


def test_loading_a_dump_gives_back_the_same_tree():
    tree = EligibilityTree.of(random_leaves(33, seed=13))
    loaded = EligibilityTree.load(tree.dump())
    assert np.array_equal(loaded.tree, tree.tree) and np.array_equal(loaded.tree_index, tree.tree_index)


def test_loading_a_tampered_dump_raises():
    dump = EligibilityTree.of(random_leaves(10, seed=14)).dump()
    dump["values"][2]["value"][2] = 1 if dump["values"][2]["value"][2] != 1 else 2
    with pytest.raises(MerkleTreeError, match="altered or corrupted"):
        EligibilityTree.load(dump)


def test_an_empty_batch_raises():
    with pytest.raises(MerkleTreeError, match="no leaves"):
        EligibilityTree.of([])


def test_a_household_id_twice_in_a_batch_raises():
    leaves = random_leaves(3, seed=15)
    with pytest.raises(LeafValueError, match="appears twice"):
        EligibilityTree.of(leaves + [leaves[0]])


def test_a_raw_id_number_instead_of_a_pseudonymous_id_raises():
    with pytest.raises(LeafValueError, match="never a raw ID number"):
        EligibilityTree.from_columns([b"110101199003071234"], [110101001001], [1], [b"\x03" * 32])


@pytest.mark.parametrize(
    "column, value",
    [("region", 2**64), ("region", -1), ("decision", 4), ("details", b"\x01" * 31), ("details", 7)],
)
def test_a_value_outside_its_abi_type_raises(column, value):
    columns = {"region": [110101001001], "decision": [1], "details": [b"\x03" * 32]}
    columns[column] = [value]
    with pytest.raises(LeafValueError):
        EligibilityTree.from_columns([b"\x02" * 32], **columns)
