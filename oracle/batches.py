"""From the pipeline's results table to eligibility batches: pseudonymise, split per county, build the trees.

The results table (Parquet, written by data_pipeline) has one row per household::

    household_key  str     the head's 18-digit ID number (never leaves this module unhashed)
    region         int     12-digit village code
    decision       int     0 none, 1 admit, 2 exit, 3 monitor, 4 verify (入户核查: a field visit first)
    reasons        int     uint32 bitmask of reason codes
    score          int     uint32 proxy-means-test score
    policy_hash    str     hex of the policy file's 32-byte hash (the model version)

Only decisions 1, 2 and 3 get a leaf: a household the batch decides nothing about (0) or sends to a field
visit (4) is not published at all. Reasons and score never appear in clear: the leaf carries a salted
commitment to them (oracle/details.py).

A file the pipeline marked not for publication (Parquet key-value metadata ``govchain.publish`` = ``false``,
with the failed quality gates in ``govchain.quality``) is refused with :class:`ResultsNotPublishableError`.

The file's data describe one moment, its as-of time (Parquet key-value metadata ``govchain.as_of``, ISO 8601,
which the pipeline writes: when the source extract was taken; a date alone means midnight UTC). It dates every
batch built from the file (seconds) and is part of the committed tuple, so the oracles agree on it and the
EligibilityRegistry orders batches by it: a batch of older data finalized late never replaces one of newer data.
A file without it is refused.

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
from oracle.details import details_commitments, details_salts
from oracle.errors import MerkleTreeError, OracleError
from oracle.manifest import BatchHeader, Manifest
from oracle.merkle import EligibilityTree, as_uint_column
from oracle.pseudonym import IdNumberError, PseudonymKey

RESULT_COLUMNS = ("household_key", "region", "decision", "reasons", "score", "policy_hash")
BATCH_ID_DOMAIN = "govchain/eligibility-batch/v1"
KNOWN_DECISIONS = (0, 1, 2, 3, 4)  # none, admit, exit, monitor, verify
PUBLISHED_DECISIONS = (1, 2, 3)  # admit, exit, monitor; 0 (none) and 4 (verify) get no leaf
PUBLISH_KEY, QUALITY_KEY, AS_OF_KEY = b"govchain.publish", b"govchain.quality", b"govchain.as_of"


class ResultsError(OracleError):
    """Raised when a results file cannot be turned into batches; the message names the file and what is wrong."""


class ResultsUnreadableError(ResultsError):
    """Raised when a results file is not a complete Parquet file (possibly still being written)."""


class ResultsNotPublishableError(ResultsError):
    """Raised when the pipeline marked a results file not for publication (failed quality gates)."""


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
    """The results table as a pandas DataFrame, checked for the columns the oracle needs.

    Raises:
        ResultsError: when the file is unreadable, lacks a column or is empty.
        ResultsNotPublishableError: when the pipeline marked it not for publication.
    """
    import pandas as pd
    import pyarrow.parquet as pq

    path = Path(path)
    content = path.read_bytes() if content is None else content
    try:
        metadata = pq.read_metadata(io.BytesIO(content)).metadata or {}
        table = pd.read_parquet(io.BytesIO(content))
    except Exception as exc:  # pyarrow raises several error types for unreadable files
        raise ResultsUnreadableError(
            f"Cannot read the results file {path} ({exc}); is it a complete Parquet file?"
        ) from exc
    if metadata.get(PUBLISH_KEY, b"").strip().lower() == b"false":
        gates = metadata.get(QUALITY_KEY, b"[]").decode("utf-8", "replace")
        raise ResultsNotPublishableError(
            f"{path} is marked not for publication by the pipeline (govchain.publish = false; failed quality gates: "
            f"{gates}). Fix the data and rerun the pipeline; this file is never committed."
        )
    missing = [c for c in RESULT_COLUMNS if c not in table.columns]
    if missing:
        raise ResultsError(f"{path} lacks the column(s) {', '.join(missing)} of the pipeline's results table.")
    if table.empty:
        raise ResultsError(f"{path} has no rows; the pipeline wrote an empty results table.")
    table.attrs["as_of"] = _as_of(path, metadata)
    return table


def _as_of(path: Path, metadata: dict) -> int:
    """The as-of time of the file's data (``govchain.as_of``, ISO 8601; UTC unless it says otherwise), in
    seconds."""
    from datetime import datetime, timezone

    text = metadata.get(AS_OF_KEY, b"").decode("utf-8", "replace").strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ResultsError(
            f"{path} carries no valid as-of time (Parquet metadata govchain.as_of = {text!r}); batches are ordered "
            f"by it. Rerun the pipeline, which writes when its source extract was taken there."
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return int(moment.timestamp())


def build_batches(path: Path, key: PseudonymKey) -> list[Manifest]:
    """One manifest per county with at least one published decision (1, 2, 3), ordered by county code.

    Raises:
        ResultsError: when anything in the file keeps it from being published as a whole (it is unreadable or
            marked not for publication, a column is missing, a region, head ID or value is invalid, a head ID
            repeats within a county, or a county's rows carry more than one policy hash).
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
        try:
            manifest = _county_batch(path, table[county == scope], int(scope), snapshot, table.attrs["as_of"], key)
        except (IdNumberError, MerkleTreeError) as exc:  # MerkleTreeError covers LeafValueError
            raise ResultsError(f"{path}, county {int(scope)}: {exc}") from exc
        if manifest is not None:
            manifests.append(manifest)
    return manifests


def _county_batch(path: Path, rows, scope: int, snapshot: bytes, as_of: int, key: PseudonymKey) -> Manifest | None:
    policies = rows["policy_hash"].unique()
    if len(policies) != 1:
        raise ResultsError(
            f"{path}: county {scope} has results under {len(policies)} policy versions; a batch is built under one "
            f"policy file."
        )
    decision = as_uint_column("decision", rows["decision"].to_numpy(), len(rows))
    unknown = np.setdiff1d(decision, KNOWN_DECISIONS)
    if len(unknown):
        raise ResultsError(
            f"{path}: county {scope} has decision {int(unknown[0])}, not one of {list(KNOWN_DECISIONS)}."
        )
    rows = rows[np.isin(decision, PUBLISHED_DECISIONS)]
    if rows.empty:
        return None
    ids = key.household_ids(rows["household_key"].astype(str))
    order = np.argsort(ids.view("S32").ravel(), kind="stable")
    rows, ids = rows.iloc[order], ids[order]
    batch_id = batch_id_for(snapshot, scope)
    count = len(rows)
    details = details_commitments(
        details_salts(key, batch_id, ids),
        as_uint_column("reasons", rows["reasons"].to_numpy(), count),
        as_uint_column("score", rows["score"].to_numpy(), count),
    )
    tree = EligibilityTree.from_columns(ids, rows["region"].to_numpy(), rows["decision"].to_numpy(), details)
    header = BatchHeader(
        batch_id=batch_id,
        scope=scope,
        model_version=_policy_hash_bytes(policies[0], path),
        snapshot_hash=snapshot,
        pseudonym_key_id=key.key_id,
        as_of=as_of,
    )
    return Manifest(header, tree)


def _is_valid_region(code: int) -> bool:
    try:
        regions.validate(code)
    except InvalidRegionError:
        return False
    return True
