"""From the pipeline's results table to eligibility batches: pseudonymise, split per county, build the trees.

The results table (Parquet, written by data_pipeline) has one row per household::

    household_key  str     the head's 18-digit ID number (never leaves this module unhashed)
    region         int     12-digit village code
    decision       int     0 none, 1 admit, 2 exit, 3 monitor
    reasons        int     uint32 bitmask of reason codes
    score          int     uint32 proxy-means-test score
    policy_hash    str     hex of the policy file's 32-byte hash (the model version)

One batch per county (the pipeline works per county partition, and ORACLE roles are granted per region).
Within a batch the leaves are ordered by pseudonymous id: the results table is sorted by raw ID number, and
keeping that order in the manifest would tell who is older than whom.
The batch id depends only on the results file and the county, not on the oracle node or its key, so every node
that reads the same file commits under the same batch id, and a node with a different view is a conflict::

    snapshotHash = sha256(results file bytes)
    batchId      = keccak256(abi.encode("govchain/eligibility-batch/v1", snapshotHash, scope))
"""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import numpy as np
from eth_abi import encode
from eth_utils import keccak

from govchain import regions
from govchain.errors import InvalidRegionError
from oracle.errors import OracleError
from oracle.manifest import BatchHeader, Manifest
from oracle.merkle import EligibilityTree
from oracle.pseudonym import PseudonymKey

RESULT_COLUMNS = ("household_key", "region", "decision", "reasons", "score", "policy_hash")
BATCH_ID_DOMAIN = "govchain/eligibility-batch/v1"


class ResultsError(OracleError):
    """Raised when a results file cannot be turned into batches."""


def snapshot_hash(path: Path) -> bytes:
    return hashlib.sha256(Path(path).read_bytes()).digest()


def batch_id_for(snapshot: bytes, scope: int) -> bytes:
    return keccak(encode(["string", "bytes32", "uint64"], [BATCH_ID_DOMAIN, snapshot, scope]))


def _policy_hash_bytes(value: object, path: Path) -> bytes:
    if isinstance(value, (bytes, bytearray)) and len(value) == 32:
        return bytes(value)
    text = str(value).strip().lower().removeprefix("sha256:").removeprefix("0x")
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise ResultsError(f"{path}: policy_hash {value!r} is not a 32-byte hash in hex; rerun the pipeline.")
    return raw


def read_results(path: Path, content: bytes | None = None):
    """The results table as a pandas DataFrame, checked for the columns the oracle needs."""
    import pandas as pd

    path = Path(path)
    try:
        table = pd.read_parquet(io.BytesIO(path.read_bytes() if content is None else content))
    except Exception as exc:  # pyarrow raises several error types for unreadable files
        raise ResultsError(f"Cannot read the results file {path} ({exc}); is it a complete Parquet file?") from exc
    missing = [c for c in RESULT_COLUMNS if c not in table.columns]
    if missing:
        raise ResultsError(f"{path} lacks the column(s) {', '.join(missing)} of the pipeline's results table.")
    if table.empty:
        raise ResultsError(f"{path} has no rows; the pipeline wrote an empty results table.")
    return table


def build_batches(path: Path, key: PseudonymKey) -> list[Manifest]:
    """One manifest per county in the results file, ordered by county code.

    Raises:
        ResultsError: when the file is unreadable, a column is missing, a region is invalid, or a county's rows
            carry more than one policy hash.
    """
    path = Path(path)
    content = path.read_bytes()  # hash and parse the same bytes, even if the file is being replaced
    table = read_results(path, content)
    snapshot = hashlib.sha256(content).digest()
    region = table["region"].to_numpy()
    if region.dtype.kind not in "iu":
        raise ResultsError(f"{path}: the region column must hold integer village codes.")
    bad = [int(r) for r in np.unique(region) if not _is_valid_region(int(r))]
    if bad:
        raise ResultsError(f"{path}: {len(bad)} invalid region code(s), e.g. {bad[0]}; fix the pipeline's region step.")
    county = region // 10**6 * 10**6
    manifests = []
    for scope in np.unique(county):
        rows = table[county == scope]
        ids = key.household_ids(rows["household_key"].astype(str))
        order = np.argsort(ids.view("S32").ravel(), kind="stable")
        rows, ids = rows.iloc[order], ids[order]
        policies = rows["policy_hash"].unique()
        if len(policies) != 1:
            raise ResultsError(
                f"{path}: county {int(scope)} has results under {len(policies)} policy versions; a batch is built "
                f"under one policy file."
            )
        tree = EligibilityTree.from_columns(
            ids,
            rows["region"].to_numpy(),
            rows["decision"].to_numpy(),
            rows["reasons"].to_numpy(),
            rows["score"].to_numpy(),
        )
        header = BatchHeader(
            batch_id=batch_id_for(snapshot, int(scope)),
            scope=int(scope),
            model_version=_policy_hash_bytes(policies[0], path),
            snapshot_hash=snapshot,
            pseudonym_key_id=key.key_id,
        )
        manifests.append(Manifest(header, tree))
    return manifests


def _is_valid_region(code: int) -> bool:
    try:
        regions.validate(code)
    except InvalidRegionError:
        return False
    return True
