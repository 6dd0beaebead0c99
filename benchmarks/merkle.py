"""Merkle benchmark: build the eligibility tree and the proof of every leaf, in Python and in the JS library.

usage: python benchmarks/merkle.py [--leaves N] [--seed S]

Both sides get the same random leaves. The Python time covers building the tree from the leaf columns (ABI
encoding, leaf hashes, sorting, inner nodes) and the proofs of all leaves as sibling indices into the stored
tree (a proof is a view of the tree). The JS time is measured inside node around
``StandardMerkleTree.of`` plus ``getProof(i)`` for every leaf (oracle/oz_reference.js). Roots are compared, and
so are all proofs, through a sha256 over every proof's nodes in leaf order.

The last line printed is one JSON object: leaves, python_s, oz_js_s, ratio (JS time / Python time),
peak_rss_mb (the Python process), roots_equal, plus proofs_equal and oz_js_peak_rss_mb.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PROJECT_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_ROOT))

from govchain.localnode import use_project_tools  # noqa: E402

use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand

from govchain.eligibility import LEAF_TYPES  # noqa: E402
from oracle.merkle import EligibilityTree  # noqa: E402


def progress(message: str) -> None:
    print(message, flush=True)


def random_columns(count: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "household_ids": rng.integers(0, 256, size=(count, 32), dtype=np.uint8),
        "region": rng.integers(110000000000, 660000000000, size=count, dtype=np.int64),
        "decision": rng.integers(1, 4, size=count, dtype=np.int64),  # 0 and 4 get no leaf
        "details": rng.integers(0, 256, size=(count, 32), dtype=np.uint8),
    }


def proofs_sha256(tree: EligibilityTree, paths: np.ndarray, chunk: int = 65536) -> str:
    """sha256 over every proof's nodes in leaf order (the same digest oz_reference.js computes)."""
    digest = hashlib.sha256()
    for start in range(0, len(paths), chunk):
        block = paths[start : start + chunk]
        digest.update(tree.tree[block[block >= 0]].tobytes())
    return digest.hexdigest()


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaves", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    progress(f"generating {args.leaves:,} random leaves (seed {args.seed})")
    columns = random_columns(args.leaves, args.seed)

    progress("python: building the tree and the proofs of every leaf")
    started = time.perf_counter()
    tree = EligibilityTree.from_columns(**columns)
    built = time.perf_counter()
    paths = tree.proof_indices()
    python_s = time.perf_counter() - started
    python_rss = peak_rss_mb()
    progress(
        f"python: tree {built - started:.2f} s, proofs {python_s - (built - started):.2f} s, total {python_s:.2f} s"
    )

    progress("python: digest of all proofs (not timed)")
    python_digest = proofs_sha256(tree, paths)

    with tempfile.TemporaryDirectory(prefix="merkle-bench-") as workdir:
        values_file = Path(workdir) / "values.json"
        out_file = Path(workdir) / "oz.json"
        progress("writing the same leaves for the JS library (not timed)")
        values = [
            ["0x" + row.tobytes().hex(), str(int(r)), int(d), "0x" + details.tobytes().hex()]
            for row, r, d, details in zip(
                columns["household_ids"], columns["region"], columns["decision"], columns["details"]
            )
        ]
        values_file.write_text(json.dumps({"leafEncoding": list(LEAF_TYPES), "values": values}))
        del values
        progress("js: StandardMerkleTree.of and getProof of every leaf (@openzeppelin/merkle-tree)")
        subprocess.run(
            ["node", "--max-old-space-size=16384", str(PROJECT_ROOT / "oracle" / "oz_reference.js"),
             str(values_file), str(out_file), "--digest"],
            check=True,
            cwd=PROJECT_ROOT,
        )
        oz = json.loads(out_file.read_text())
    progress(f"js: {oz['seconds']:.2f} s")

    result = {
        "leaves": args.leaves,
        "python_s": round(python_s, 3),
        "oz_js_s": round(oz["seconds"], 3),
        "ratio": round(oz["seconds"] / python_s, 2),
        "peak_rss_mb": round(python_rss, 1),
        "roots_equal": oz["root"] == "0x" + tree.root.hex(),
        "proofs_equal": oz["proofsSha256"] == python_digest,
        "oz_js_peak_rss_mb": round(peak_rss_mb(resource.RUSAGE_CHILDREN), 1),
    }
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
