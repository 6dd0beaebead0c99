"""核验: any indexed item re-checked against the chain node and IPFS, without trusting the index.

For an item (transaction hash, log index) the node is asked for the receipt and the block, the log is decoded
again by the contract's ABI, and every field of the index row is compared with what the node says: an index
row edited after sync is caught. Every CID among the event's arguments is fetched from IPFS and recomputed from
the bytes; a batch manifest is also checked against the root committed on chain.

The household self-check (:func:`check_household`) proves a household's eligibility leaf against the batch
root by calling the registry's own ``verify`` on the node, with the proof taken from the manifest on IPFS.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hexbytes import HexBytes

from dashboard import queries
from dashboard.safety import inert
from govchain.chain import Chain
from govchain.config import NetworkConfig
from govchain.eligibility import Decision
from govchain.events import EventDecoder
from indexer.documents import Document, fetch_document
from indexer.sync import platform_contracts


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class Verdict:
    """The checks made on one item; verified only when every one passed."""

    checks: list[Check] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    def add(self, name: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(name, bool(ok), inert(detail)))
        return bool(ok)


def _hex(value) -> str:
    return "0x" + bytes(HexBytes(value)).hex()


def verify_item(index, network: NetworkConfig, ipfs_api: str, tx_hash: str, log_index: int) -> Verdict:
    """Re-checks the indexed event (``tx_hash``, ``log_index``) against the node and IPFS."""
    from oracle.ipfs import IpfsClient

    verdict = Verdict()
    tx_hash = tx_hash.strip().lower()
    chain = Chain(network)
    store = queries.open_index(index)
    try:
        row = store.event(chain.chain_id, tx_hash, int(log_index))
    finally:
        store.close()
    if not verdict.add("index", row is not None, f"{tx_hash} #{log_index}"):
        return verdict
    web3 = chain.web3
    try:
        receipt = web3.eth.get_transaction_receipt(tx_hash)
    except Exception as exc:  # web3 raises TransactionNotFound, or connection errors
        verdict.add("transaction", False, f"the node does not know this transaction ({type(exc).__name__})")
        return verdict
    verdict.add("transaction", receipt["status"] == 1, f"status {receipt['status']}")
    verdict.add("block", receipt["blockNumber"] == row.block_number and _hex(receipt["blockHash"]) == row.block_hash,
                f"node: block {receipt['blockNumber']} {_hex(receipt['blockHash'])}; index: block {row.block_number} "
                f"{row.block_hash}")
    block = web3.eth.get_block(receipt["blockNumber"])
    verdict.add("canonical", _hex(block["hash"]) == _hex(receipt["blockHash"]),
                "the block is on the node's current chain")
    verdict.add("block time", int(block["timestamp"]) == row.block_time,
                f"node {block['timestamp']}, index {row.block_time}")
    log = next((entry for entry in receipt["logs"] if int(entry["logIndex"]) == row.log_index), None)
    if not verdict.add("log", log is not None, f"log #{row.log_index} in the receipt"):
        return verdict
    contracts, _ = platform_contracts(chain)
    decoded = EventDecoder({c.name: (c.address, c.abi) for c in contracts}).decode(log)
    verdict.add("contract", decoded.address == row.address and decoded.contract == row.contract,
                f"node: {decoded.contract} {decoded.address}; index: {row.contract} {row.address}")
    verdict.add("event", decoded.event == row.event, f"node: {decoded.event}; index: {row.event}")
    differing = sorted(k for k in set(decoded.args) | set(row.args) if decoded.args.get(k) != row.args.get(k))
    verdict.add(
        "arguments",
        not differing,
        "all arguments equal the node's" if not differing else f"index differs from chain in: {', '.join(differing)}",
    )

    ipfs = IpfsClient(ipfs_api, timeout=20)
    for value, names in cid_arguments(decoded.args).items():
        document = fetch_document(None, ipfs, value, refresh=True)
        verdict.documents.append(document)
        verdict.add(f"IPFS {', '.join(names)}", document.matches,
                    f"recomputed {document.recomputed} ({document.method})" if document.error is None
                    else f"{value!r}: {document.error}")
        if decoded.event == "BatchCommitted" and document.matches:
            verdict.add("manifest root", _manifest_root(document.content) == decoded.args["root"],
                        "the manifest's tree hashes to the committed root")
    return verdict


def cid_arguments(args: dict, prefix: str = "") -> dict[str, list[str]]:
    """Every CID-named string among an event's arguments, nested ones too (a plan's ``terms.documentCid``, its
    milestones' ``deliverableCid``): CID → the argument paths that name it (each document is fetched once)."""
    found: dict[str, list[str]] = {}

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}" if path else key)
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, f"{path}[{i}]")
        elif isinstance(value, str) and path.rsplit(".", 1)[-1].lower().endswith("cid") and value:
            found.setdefault(value, []).append(path)

    walk(args, prefix)
    return found


def _manifest_root(content: bytes) -> str | None:
    from oracle.manifest import Manifest, ManifestError

    try:
        return "0x" + Manifest.from_bytes(content).root.hex()
    except ManifestError:
        return None


@dataclass
class HouseholdProof:
    """The outcome of a household self-check: its leaf (decision and village only) and the on-chain verdict."""

    household_id: str
    batch_id: str | None = None
    decision: str | None = None
    region: int | None = None
    proven: bool = False
    detail: str = ""


def check_household(index, network: NetworkConfig, ipfs_api: str, household_id: bytes) -> HouseholdProof:
    """Finds the household's leaf in the batch it was filed under (else in the newest final batch holding it),
    takes its proof from the manifest on IPFS (CID and root checked) and asks the registry to verify it."""
    from oracle.ipfs import IpfsClient

    hid = "0x" + household_id.hex()
    result = HouseholdProof(hid)
    table = queries.batches(index)
    filing = queries.filing_of(index, hid)
    candidates = table[table.final].iloc[::-1]
    if filing:
        candidates = candidates[candidates.batch_id == filing["batch_id"]]
    ipfs = IpfsClient(ipfs_api, timeout=20)
    chain = Chain(network)
    registry = chain.contract("EligibilityRegistry")
    store = queries.open_index(index)  # manifests the indexer fetched and checked (--ipfs-api) are read from it
    try:
        for batch in candidates.itertuples():
            if _prove_in(batch, store, ipfs, registry, household_id, result):
                return result
    finally:
        store.close()
    result.detail = result.detail or "no final batch holds this household"
    return result


def _prove_in(batch, store, ipfs, registry, household_id: bytes, result: HouseholdProof) -> bool:
    """Fills ``result`` from ``batch`` if its manifest holds the household; False (with the reason) if not."""
    from oracle.manifest import Manifest, ManifestError

    document = fetch_document(store, ipfs, batch.manifest_cid)
    if not document.matches:
        result.detail = f"manifest {batch.manifest_cid}: {document.error or 'CID mismatch'}"
        return False
    try:
        manifest = Manifest.from_bytes(document.content, expected_root=bytes.fromhex(batch.root[2:]))
        leaf, proof = manifest.proof_for(household_id)
    except ManifestError as exc:
        result.detail = str(exc)
        return False
    result.batch_id, result.region = batch.batch_id, leaf.region
    result.decision = Decision(int(leaf.decision)).name.lower()
    result.proven = bool(registry.functions.verify(bytes.fromhex(batch.batch_id[2:]), leaf.values(), proof).call())
    result.detail = "EligibilityRegistry.verify returned " + str(result.proven).lower()
    return True
