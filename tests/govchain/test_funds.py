"""govchain.funds mirrors the fund contracts: subject kinds and token flags checked against the Solidity source
(the enums in test_enums.py), and the batch multiproof checked the way OpenZeppelin's MerkleProof.processMultiProof
reads it."""

import re

import numpy as np
import pytest

from govchain.config import PROJECT_ROOT
from govchain.deploy import APPROPRIATION, DEFAULT_ROUTES, PAYMENT_BATCH, SUBJECT_KINDS
from govchain.eligibility import hash_pair
from govchain.enums import Method
from govchain.funds import (
    APPROPRIATION_KIND,
    MINTER,
    PAYMENT_BATCH_KIND,
    PLATFORM,
    RECOVERER,
    PaymentEntry,
    multiproof,
)
from oracle.merkle import StandardMerkleTree

CONTRACTS = PROJECT_ROOT / "contracts"


@pytest.mark.parametrize("path, constant, value", [
    ("funds/FundLedger.sol", "APPROPRIATION_KIND", APPROPRIATION_KIND),
    ("funds/PaymentBatches.sol", "PAYMENT_BATCH_KIND", PAYMENT_BATCH_KIND),
    ("funds/FundToken.sol", "PLATFORM", PLATFORM),
    ("funds/FundToken.sol", "MINTER", MINTER),
    ("funds/FundToken.sol", "RECOVERER", RECOVERER),
])
def test_the_contract_constants_match(path, constant, value):
    source = (CONTRACTS / path).read_text(encoding="utf-8")
    assert re.search(rf"uint8 public constant {constant} = (\d+);", source).group(1) == str(value)


def test_the_fund_kinds_are_named_in_the_hubs_one_namespace_with_default_routes():
    assert (APPROPRIATION, PAYMENT_BATCH) == (APPROPRIATION_KIND, PAYMENT_BATCH_KIND)
    assert {APPROPRIATION, PAYMENT_BATCH} <= set(SUBJECT_KINDS) & set(DEFAULT_ROUTES)


def process_multiproof(leaves: list[bytes], proof: list[bytes], flags: list[bool]) -> bytes:
    """OpenZeppelin MerkleProof.processMultiProof, step by step."""
    hashes, leaf_pos, hash_pos, proof_pos = [], 0, 0, 0
    for flag in flags:
        if leaf_pos < len(leaves):
            a = leaves[leaf_pos]
            leaf_pos += 1
        else:
            a = hashes[hash_pos]
            hash_pos += 1
        if flag:
            if leaf_pos < len(leaves):
                b = leaves[leaf_pos]
                leaf_pos += 1
            else:
                b = hashes[hash_pos]
                hash_pos += 1
        else:
            b = proof[proof_pos]
            proof_pos += 1
        hashes.append(hash_pair(a, b))
    if flags:
        assert proof_pos == len(proof)
        return hashes[-1]
    return leaves[0] if leaves else proof[0]


@pytest.mark.parametrize("count, chosen", [(1, [0]), (2, [1]), (7, [0, 3, 6]), (100, list(range(100))),
                                           (100, [5, 17, 99]), (13, [12, 0])])
def test_a_multiproof_leads_from_the_chosen_entries_to_the_root(count, chosen):
    entries = [PaymentEntry(i, bytes([i % 256]) * 32, 100 + i, Method(i % 2)) for i in range(count)]
    tree = StandardMerkleTree.from_leaf_hashes(
        np.frombuffer(b"".join(e.leaf_hash() for e in entries), dtype=np.uint8).reshape(-1, 32))
    order, proof, flags = multiproof(tree.tree, tree.tree_index, chosen)
    assert sorted(order) == sorted(chosen)
    assert process_multiproof([entries[i].leaf_hash() for i in order], proof, flags) == tree.root


def test_a_multiproof_refuses_an_entry_given_twice():
    entries = [PaymentEntry(i, bytes([i]) * 32, 1) for i in range(3)]
    tree = StandardMerkleTree.from_leaf_hashes(
        np.frombuffer(b"".join(e.leaf_hash() for e in entries), dtype=np.uint8).reshape(-1, 32))
    with pytest.raises(ValueError, match="twice"):
        multiproof(tree.tree, tree.tree_index, [1, 1])
