"""The batch manifest: every leaf of an eligibility batch and its Merkle tree, published on IPFS.

The manifest's CID is committed on chain with the root, so anyone can fetch it, check it against the root,
and find a household's proof from the pseudonymous id on its card. It holds no personal data and no household's
circumstances: household ids are keyed hashes (oracle.pseudonym), regions are village codes, decisions are
public notice (公示), and reasons and scores appear only as salted commitments (``details``, see
govchain/eligibility.py). Households the batch decides nothing about (decision 0) or sends to a field visit
(decision 4) have no leaf. See oracle/README.md for what an outsider can and cannot learn from a manifest.

Format ``govchain-eligibility-manifest-v2`` (canonical JSON: UTF-8, keys sorted, no spaces, so every oracle
node that builds the same batch produces the same bytes and therefore the same CID)::

    {
      "format": "govchain-eligibility-manifest-v2",
      "batchId": "0x<32 bytes>",        // the id the batch is committed under
      "scope": 530102000000,            // region code the batch covers (a county)
      "root": "0x<32 bytes>",           // Merkle root, equal to tree.tree[0]
      "leafCount": 1234,
      "modelVersion": "0x<32 bytes>",   // the pipeline's policy hash
      "snapshotHash": "0x<32 bytes>",   // sha256 of the results file the batch was built from
      "asOf": 1764460800,               // when the data were true (the pipeline's reference date, UTC midnight)
      "pseudonymKeyId": "<16 hex>",     // fingerprint of the data authority's key (oracle.pseudonym)
      "proofEncoding": "standard-v1-siblings",
      "tree": {                         // @openzeppelin/merkle-tree's own dump format, loadable by
        "format": "standard-v1",        // StandardMerkleTree.load(manifest.tree)
        "leafEncoding": ["bytes32", "uint64", "uint8", "bytes32"],
        "tree": ["0x<root>", ...],      // all 2n-1 nodes, root first, leaves at the end
        "values": [{"value": ["0x<householdId>", "<region>", decision, "0x<details>"], "treeIndex": i}, ...]
      }
    }

The leaves are ``tree.values``, ordered by household id (the results table is ordered by raw ID number, and
keeping its order would tell who is older than whom). The proofs are stored once, inside ``tree.tree``:
the proof of the leaf at ``treeIndex = i`` is ``tree[s(i)], tree[s(p(i))], ...`` up to the root, with
``s(i) = i + 1`` for odd ``i``, ``i - 1`` for even ``i``, and ``p(i) = (i - 1) // 2`` ("standard-v1-siblings",
what ``StandardMerkleTree.getProof`` returns). Writing every proof out would repeat each node once per leaf
below it (n log n nodes instead of 2n); :meth:`Manifest.proof_for` and the JS library's ``getProof`` read it out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from govchain.eligibility import EligibilityLeaf
from oracle.errors import OracleError
from oracle.merkle import EligibilityTree, MerkleTreeError, verify_proof

MANIFEST_FORMAT = "govchain-eligibility-manifest-v2"
PROOF_ENCODING = "standard-v1-siblings"


class ManifestError(OracleError):
    """Raised when a manifest is malformed, does not match its root, or lacks the household asked for."""


def _hex32(value: bytes) -> str:
    if len(value) != 32:
        raise ManifestError(f"Expected 32 bytes, got {len(value)}.")
    return "0x" + bytes(value).hex()


def _bytes32(text: Any, field: str) -> bytes:
    try:
        value = bytes.fromhex(str(text).removeprefix("0x"))
    except ValueError:
        value = b""
    if len(value) != 32:
        raise ManifestError(f"Manifest field {field} is not 0x and 64 hex digits: {text!r}.")
    return value


@dataclass(frozen=True)
class BatchHeader:
    """What identifies a batch, besides its leaves."""

    batch_id: bytes
    scope: int
    model_version: bytes
    snapshot_hash: bytes
    pseudonym_key_id: str
    # The time the batch's data describe (seconds, UTC): committed with the batch, it orders batches on chain.
    as_of: int


@dataclass
class Manifest:
    """A batch's header and Merkle tree."""

    header: BatchHeader
    tree: EligibilityTree

    @property
    def root(self) -> bytes:
        return self.tree.root

    @property
    def leaf_count(self) -> int:
        return len(self.tree)

    def to_json(self) -> dict:
        h = self.header
        return {
            "format": MANIFEST_FORMAT,
            "batchId": _hex32(h.batch_id),
            "scope": h.scope,
            "root": _hex32(self.root),
            "leafCount": self.leaf_count,
            "modelVersion": _hex32(h.model_version),
            "snapshotHash": _hex32(h.snapshot_hash),
            "asOf": h.as_of,
            "pseudonymKeyId": h.pseudonym_key_id,
            "proofEncoding": PROOF_ENCODING,
            "tree": self.tree.dump(),
        }

    def to_bytes(self) -> bytes:
        """The canonical bytes: the same batch gives the same bytes, hence the same CID, on every node."""
        return json.dumps(self.to_json(), sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")

    @classmethod
    def from_bytes(cls, content: bytes, expected_root: bytes | None = None) -> "Manifest":
        """Parses a manifest and checks that its tree hashes to its root (and to ``expected_root`` if given).

        Raises:
            ManifestError: when the content is not a valid manifest or its root is not the expected one.
        """
        try:
            data = json.loads(content)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ManifestError(f"The manifest is not JSON ({exc}); check the CID.") from exc
        if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
            raise ManifestError(
                f"Not a {MANIFEST_FORMAT} manifest (format {data.get('format') if isinstance(data, dict) else None!r})."
            )
        try:
            header = BatchHeader(
                batch_id=_bytes32(data["batchId"], "batchId"),
                scope=int(data["scope"]),
                model_version=_bytes32(data["modelVersion"], "modelVersion"),
                snapshot_hash=_bytes32(data["snapshotHash"], "snapshotHash"),
                pseudonym_key_id=str(data["pseudonymKeyId"]),
                as_of=int(data["asOf"]),
            )
            tree = EligibilityTree.load(data["tree"])
        except KeyError as exc:
            raise ManifestError(f"The manifest lacks field {exc}.") from exc
        except MerkleTreeError as exc:
            raise ManifestError(f"The manifest's tree is invalid: {exc}") from exc
        manifest = cls(header, tree)
        if _bytes32(data["root"], "root") != manifest.root or int(data["leafCount"]) != manifest.leaf_count:
            raise ManifestError("The manifest's root or leaf count does not match its own tree: it was altered.")
        if expected_root is not None and manifest.root != expected_root:
            raise ManifestError(
                f"The manifest's root 0x{manifest.root.hex()} is not the committed root 0x{expected_root.hex()}: "
                f"it is not the manifest of this batch."
            )
        return manifest

    def proof_for(self, household_id: bytes) -> tuple[EligibilityLeaf, list[bytes]]:
        """The household's leaf and its proof, checked against the root.

        Raises:
            ManifestError: when the household has no leaf in this batch.
        """
        try:
            leaf, proof = self.tree.proof_for(household_id)
        except MerkleTreeError as exc:
            raise ManifestError(str(exc)) from exc
        if not verify_proof(self.root, leaf.hash(), proof):  # the tree was checked on load; this guards misuse
            raise ManifestError("The proof read from the manifest does not lead to its root.")
        return leaf, proof


@dataclass(frozen=True)
class FilingArguments:
    """What an intake clerk passes to HouseholdRegistry.fileRegistration / fileExit / enterMonitoring."""

    batch_id: bytes
    leaf: EligibilityLeaf
    proof: list[bytes]

    def contract_args(self) -> tuple[bytes, tuple, list[bytes]]:
        """``(batchId, leaf tuple, proof)`` in the ABI order web3.py and brownie take."""
        return (self.batch_id, self.leaf.values(), list(self.proof))

    def to_json(self) -> dict:
        leaf = self.leaf
        return {
            "batchId": _hex32(self.batch_id),
            "leaf": {
                "householdId": _hex32(leaf.household_id),
                "region": leaf.region,
                "decision": int(leaf.decision),
                "details": _hex32(leaf.details),
            },
            "proof": [_hex32(node) for node in self.proof],
        }


def fetch_manifest(ipfs, cid: str, expected_root: bytes | None = None) -> Manifest:
    """The manifest at ``cid`` from an IPFS node (an :class:`oracle.ipfs.IpfsClient`), checked against the
    committed root when given."""
    return Manifest.from_bytes(ipfs.cat(cid), expected_root=expected_root)


def filing_arguments(manifest: Manifest, household_id: bytes) -> FilingArguments:
    """The proof arguments the registry needs for one household, from its batch's manifest."""
    leaf, proof = manifest.proof_for(household_id)
    return FilingArguments(manifest.header.batch_id, leaf, proof)
