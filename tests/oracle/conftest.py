"""Fixtures for the oracle tests: the npm reference Merkle library, random eligibility leaves."""

from __future__ import annotations

import json
import random
import subprocess
from pathlib import Path

import pytest

from govchain.config import PROJECT_ROOT
from govchain.eligibility import LEAF_TYPES, Decision, EligibilityLeaf

OZ_REFERENCE = PROJECT_ROOT / "oracle" / "oz_reference.js"


def random_leaves(count: int, seed: int) -> list[EligibilityLeaf]:
    """Leaves with random pseudonymous ids, 12-digit village codes, decisions, reason masks and scores."""
    rng = random.Random(seed)
    return [
        EligibilityLeaf(
            household_id=rng.randbytes(32),
            region=rng.randrange(110000000000, 660000000000),
            decision=Decision(rng.randrange(4)),
            reasons=rng.randrange(2**32),
            score=rng.randrange(2**32),
        )
        for _ in range(count)
    ]


def oz_values(leaves: list[EligibilityLeaf]) -> list[list]:
    """Leaf values as the JS library takes them (uint64 as a decimal string)."""
    return [["0x" + l.household_id.hex(), str(l.region), int(l.decision), l.reasons, l.score] for l in leaves]


def run_oz_reference(leaves: list[EligibilityLeaf], workdir: Path) -> dict:
    """Root and every proof from @openzeppelin/merkle-tree on the same leaves."""
    values_file = workdir / "values.json"
    out_file = workdir / "oz.json"
    values_file.write_text(json.dumps({"leafEncoding": list(LEAF_TYPES), "values": oz_values(leaves)}))
    subprocess.run(["node", str(OZ_REFERENCE), str(values_file), str(out_file)], check=True, cwd=PROJECT_ROOT)
    return json.loads(out_file.read_text())


@pytest.fixture
def oz_reference(tmp_path):
    return lambda leaves: run_oz_reference(leaves, tmp_path)
