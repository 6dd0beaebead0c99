"""IPFS documents named by events (manifests, evidence, comments), fetched lazily and checked by CID.

Content is trusted only after its CID was recomputed from the bytes and matched the CID on chain; only then is
it kept in the index (``documents`` table). CIDv1 ``raw`` content (what the platform adds: up to 256 KiB with
raw leaves) is hashed here; a ``dag-pb`` CID (larger files, chunked) is recomputed by the IPFS node with
``only-hash`` from the fetched bytes, which the verdict says.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from multiformats import CID, multihash

from indexer.store import EventStore
from oracle.ipfs import IpfsClient, IpfsError

LOCAL, NODE = "computed locally (sha2-256, raw)", "computed by the IPFS node (only-hash)"


@dataclass(frozen=True)
class Document:
    """What fetching a CID gave: the content (None if unavailable), the recomputed CID and the verdict."""

    cid: str
    content: bytes | None
    recomputed: str | None
    method: str | None
    error: str | None = None

    @property
    def matches(self) -> bool:
        return self.error is None and self.recomputed == self.cid


def parse_cid(text: str) -> CID:
    """The CID in ``text`` or a ValueError naming what is wrong (chain strings can hold anything)."""
    try:
        return CID.decode(text.strip())
    except Exception as exc:  # multiformats raises several unrelated types for bad input
        raise ValueError(f"not a CID ({type(exc).__name__})") from None


def recompute_cid(content: bytes, cid: CID, ipfs: IpfsClient | None) -> tuple[str, str]:
    """The CID of ``content`` in the form of ``cid`` (version, codec, base) and how it was computed."""
    if cid.codec.name == "raw" and cid.hashfun.name == "sha2-256":
        digest = multihash.digest(content, "sha2-256")
        return CID(cid.base, cid.version, "raw", digest).encode(), LOCAL
    if ipfs is None:
        raise ValueError(f"a {cid.codec.name} CID needs an IPFS node to recompute")
    recomputed = CID.decode(ipfs.cid_of(content, cid_version=cid.version)).set(base=cid.base)
    return recomputed.encode(), NODE


def fetch_document(store: EventStore | None, ipfs: IpfsClient, cid_text: str, refresh: bool = False) -> Document:
    """The document at ``cid_text``: from the index if it was fetched and checked before (unless ``refresh``),
    else from IPFS, its CID recomputed; kept in the index only when it matches."""
    try:
        cid = parse_cid(cid_text)
    except ValueError as exc:
        return Document(cid_text, None, None, None, str(exc))
    canonical = cid.encode()
    if store is not None and not refresh:
        cached = store.document(canonical)
        if cached is not None:
            return Document(canonical, cached, canonical, "checked when first fetched")
    try:
        content = ipfs.cat(canonical)
        recomputed, method = recompute_cid(content, cid, ipfs)
    except (IpfsError, ValueError) as exc:
        return Document(canonical, None, None, None, str(exc))
    document = Document(canonical, content, recomputed, method)
    if document.matches and store is not None:
        try:
            store.save_document(canonical, content, int(time.time()))
        except Exception:  # a read-only index (the site's) keeps nothing; the check itself stands
            pass
    return document


@dataclass
class DocumentReport:
    fetched: int = 0
    failed: dict[str, str] | None = None


def referenced_cids(store: EventStore) -> list[str]:
    """Every CID-named string argument of the indexed events (``evidenceCid``, ``manifestCid``, ``cid``, ...)."""
    found = []
    for row in store.events():
        for name, value in row.args.items():
            if name.lower().endswith("cid") and isinstance(value, str) and value not in found:
                found.append(value)
    return found


def fetch_referenced(store: EventStore, ipfs: IpfsClient) -> DocumentReport:
    """Fetches every referenced document not in the index yet and keeps those whose CID matches; the others
    are reported with the reason (not a CID, unavailable, or content that does not hash to the CID)."""
    report = DocumentReport(failed={})
    for text in referenced_cids(store):
        try:
            if store.document(parse_cid(text).encode()) is not None:
                continue
        except ValueError:
            pass
        document = fetch_document(store, ipfs, text)
        if document.matches:
            report.fetched += 1
        else:
            report.failed[text] = document.error or f"content hashes to {document.recomputed}"
    return report
