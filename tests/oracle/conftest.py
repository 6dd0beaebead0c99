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
    """Leaves with random pseudonymous ids, 12-digit village codes, decisions and details commitments."""
    rng = random.Random(seed)
    return [
        EligibilityLeaf(
            household_id=rng.randbytes(32),
            region=rng.randrange(110000000000, 660000000000),
            decision=Decision(rng.randrange(4)),
            details=rng.randbytes(32),
        )
        for _ in range(count)
    ]


def oz_values(leaves: list[EligibilityLeaf]) -> list[list]:
    """Leaf values as the JS library takes them (uint64 as a decimal string)."""
    return [["0x" + leaf.household_id.hex(), str(leaf.region), int(leaf.decision), "0x" + leaf.details.hex()]
            for leaf in leaves]


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


def make_id_number(rng: random.Random, county_prefix: str = "530102") -> str:
    """A valid 18-digit ID number (correct GB 11643 check digit) of someone born 1940-2005."""
    from oracle.pseudonym import id_check_digit

    birth = f"{rng.randrange(1940, 2006)}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}"
    first17 = f"{county_prefix}{birth}{rng.randrange(1000):03d}"
    return first17 + id_check_digit(first17)


POLICY_HASH = "0x" + "ab" * 32


# The as-of date of the test results files (the pipeline writes its policy's reference date).
AS_OF = "2026-11-30"


def write_results(
    path: Path, households: int, seed: int, villages=(530102001001, 530102001002, 530103002001), decisions=range(5),
    reasons=None, score=None, metadata: dict[str, str] | None = None,
) -> list[str]:
    """A results table as the pipeline writes it; returns the raw ID numbers it holds, in row order.

    Decisions are drawn from ``decisions`` (0-4; only 1-3 get a leaf); ``reasons`` and ``score`` are callables
    of the random generator (uniform over uint32 by default); ``metadata`` is written as Parquet file-level
    key-value metadata (as the pipeline marks a file not for publication), beside the as-of date every pipeline
    results file carries (``govchain.as_of``, AS_OF unless ``metadata`` gives another).
    """
    import pandas as pd

    from data_pipeline.schemas import Results

    rng = random.Random(seed)
    ids: list[str] = []
    seen = set()
    while len(ids) < households:
        number = make_id_number(rng)
        if number not in seen:
            seen.add(number)
            ids.append(number)
    # The dtypes and columns of data_pipeline.outputs.results_table, checked with the pipeline's own schema.
    table = pd.DataFrame(
        {
            "household_key": ids,
            "region": pd.array([rng.choice(villages) for _ in ids], dtype="UInt64"),
            "decision": pd.array([rng.choice(decisions) for _ in ids], dtype="UInt8"),
            "reasons": pd.array([(reasons or (lambda r: r.randrange(2**32)))(rng) for _ in ids], dtype="UInt32"),
            "score": pd.array([(score or (lambda r: r.randrange(2**32)))(rng) for _ in ids], dtype="UInt32"),
            "policy_version": ["2026.1"] * len(ids),
            "policy_hash": [POLICY_HASH] * len(ids),
        }
    ).sort_values(["region", "household_key"], ignore_index=True)
    # Decision 4 (verify) is being added to the pipeline's schema in its own branch; check the other rows.
    Results.validate(table[table["decision"] != 4], lazy=True)
    save_results(table, path, metadata)
    return table["household_key"].tolist()


def save_results(table, path: Path, metadata: dict[str, str] | None = None) -> None:
    """Writes a results table (e.g. one a test has altered) as the pipeline does: with its as-of time
    (``govchain.as_of`` = AS_OF) and ``metadata``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    path.parent.mkdir(parents=True, exist_ok=True)
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    arrow = arrow.replace_schema_metadata({**arrow.schema.metadata, "govchain.as_of": AS_OF, **(metadata or {})})
    pq.write_table(arrow, path)


@pytest.fixture(scope="session")
def ipfs_node(tmp_path_factory):
    """A real js-ipfs daemon on loopback for the session, stopped by PID afterwards."""
    from oracle.ipfs import JsIpfsNode

    node = JsIpfsNode(repo_dir=tmp_path_factory.mktemp("ipfs") / "repo")
    node.start()
    yield node
    node.remove()


@pytest.fixture
def ipfs(ipfs_node):
    from oracle.ipfs import IpfsClient

    return IpfsClient(ipfs_node.api_url)


@pytest.fixture(scope="module")
def anvil():
    """A real anvil node (npm) for the module, stopped by PID afterwards."""
    from govchain.localnode import AnvilNode

    node = AnvilNode()
    node.start()
    yield node
    node.stop()
