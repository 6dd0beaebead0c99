"""``python -m oracle run``: watches the pipeline's results folder and commits every batch, exactly once.

For each new or changed results file (``*results.parquet`` in the results folder or one folder below it, so
``python -m data_pipeline run --out RESULTS/2026-11`` can write straight into it; names starting with ``.`` are
ignored) the service builds one batch per county, publishes each manifest on IPFS, and commits root + CID on
chain. A file that cannot be published (unreadable or half-written, marked not for publication by the
pipeline, a bad or repeated head ID, a bad value: any :class:`ResultsError`) is set aside: its reason is
recorded in the checkpoint and as an alarm, the other files go on, and it is tried again once its content
changes. An unreadable file modified less than ``settle_seconds`` ago is only skipped (it may still be being
written). Progress is kept in ``STATE/checkpoint.json``, written
to a temporary file, fsynced and renamed over the old one, so it is always either the old or the new state.

Why a SIGKILL at any point neither loses a batch nor duplicates a transaction:

- a batch is done only when the checkpoint says so *and* that was written after the receipt; until then it is
  redone from the results file, which is deterministic (same manifest bytes, same CID; adding to IPFS twice
  is harmless);
- before a commit is sent, the signed transaction (with its nonce) is written to the checkpoint; after a
  restart that same transaction is re-sent (same hash), never a new one;
- the registry's ``commitmentOf(batchId, oracle)`` is asked before anything is signed: a commit that landed
  but was not yet checkpointed is recognised and recorded, not repeated.

Nonces: the next nonce is the larger of the node's pending count and the checkpoint's, so a transaction the
node dropped does not make the service reuse its nonce for another batch. Only one service may use an account.
A signed commit that was never sent would leave a gap below every later nonce, and the node would hold every
later transaction forever; so each pass starts with :meth:`OracleService.recover_pending`, which sends every
pending commit of the checkpoint (in nonce order) before anything new is signed. When a pending commit's batch
can no longer be built (its results file was replaced or removed), its nonce is filled with a harmless
transaction instead (a 0-value transfer to this account, logged and recorded in the checkpoint).

The node or IPFS being down is retried with exponential backoff (up to ``max_backoff`` seconds between tries);
a wrong chain id, a missing ORACLE role or an unfunded account stop the service with a message that says
what to do. Conflicting commits for a batch this node committed (``BatchConflict``) are alarms: logged at
ERROR and appended to ``STATE/alarms.jsonl``.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import requests

from govchain.errors import NodeUnreachableError
from oracle.batches import ResultsError, ResultsUnreadableError, batch_id_for, build_batches, snapshot_hash
from oracle.committer import CommitRejectedError, Committer, NonceTakenError, SignedCommit
from oracle.errors import OracleError
from oracle.ipfs import IpfsClient, IpfsUnavailableError
from oracle.manifest import Manifest
from oracle.pseudonym import PseudonymKey

log = logging.getLogger("oracle")
T = TypeVar("T")
CHECKPOINT_VERSION = 1
# Fault injection for the kill-and-restart tests: the process SIGKILLs itself when it reaches this point.
FAULT_ENV = "GOVCHAIN_ORACLE_KILL_AT"
KILL_POINTS = ("after_publish", "after_sign", "after_send", "after_receipt")
MAX_REVERTED_COMMITS = 3


class CheckpointError(OracleError):
    """Raised when the checkpoint belongs to another chain or account, or cannot be read."""


def crash_point(name: str) -> None:
    """SIGKILLs this process at ``name`` when GOVCHAIN_ORACLE_KILL_AT names it (tests only)."""
    if os.environ.get(FAULT_ENV) == name:
        log.warning("fault injection: SIGKILL at %s", name)
        os.kill(os.getpid(), signal.SIGKILL)


class Checkpoint:
    """The service's durable state: per batch, where it got to; the next nonce; the alarm scan position."""

    def __init__(self, path: Path, chain_id: int, account: str):
        self.path = Path(path)
        self.data = {
            "version": CHECKPOINT_VERSION,
            "chainId": chain_id,
            "account": account,
            "nextNonce": 0,
            "files": {},
            "setAside": {},
            "batches": {},
        }
        if self.path.exists():
            try:
                stored = json.loads(self.path.read_text(encoding="utf-8"))
            except json.JSONDecodeError as exc:  # cannot happen with rename-over writes unless edited by hand
                raise CheckpointError(f"The checkpoint {self.path} is not JSON ({exc}); restore or remove it.") from exc
            if stored.get("chainId") != chain_id or stored.get("account", "").lower() != account.lower():
                raise CheckpointError(
                    f"The checkpoint {self.path} belongs to chain {stored.get('chainId')} and account "
                    f"{stored.get('account')}, not chain {chain_id} and {account}. Use a separate --state folder "
                    f"per chain and oracle account."
                )
            self.data = stored
            self.data.setdefault("setAside", {})

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".checkpoint-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self.data, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        dir_fd = os.open(self.path.parent, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)

    def batch(self, batch_id: bytes) -> dict:
        return self.data["batches"].setdefault("0x" + batch_id.hex(), {"status": "new"})

    def file_done(self, name: str, snapshot: str) -> bool:
        return self.data["files"].get(name) == snapshot


@dataclass
class ServiceConfig:
    results_dir: Path
    state_dir: Path
    poll_interval: float = 2.0
    max_backoff: float = 30.0
    receipt_timeout: float = 120.0
    # An unreadable file younger than this may still be being written: it is skipped without an alarm.
    settle_seconds: float = 10.0


class OracleService:
    """Builds, publishes and commits the batches of every results file, crash-safely."""

    def __init__(self, config: ServiceConfig, committer: Committer, ipfs: IpfsClient, key: PseudonymKey):
        self.config = config
        self.committer = committer
        self.ipfs = ipfs
        self.key = key
        self.checkpoint = Checkpoint(config.state_dir / "checkpoint.json", committer.chain_id, committer.address)
        self.alarms_path = config.state_dir / "alarms.jsonl"
        # path -> (size, mtime, inode) when hashed, and the hash: a pass re-reads only files that changed since,
        # not every results file of every earlier run every poll_interval seconds.
        self._snapshots: dict[Path, tuple[tuple[int, int, int], bytes]] = {}

    # -- retries -------------------------------------------------------------------------------------------

    def retry(self, what: str, action: Callable[[], T]) -> T:
        """Runs ``action``, retrying with exponential backoff while the chain node or IPFS is unreachable."""
        delay = 0.5
        while True:
            try:
                return action()
            except (IpfsUnavailableError, NodeUnreachableError, requests.ConnectionError, requests.Timeout) as exc:
                log.warning("%s: %s; retrying in %.1f s", what, str(exc).splitlines()[0], delay)
            time.sleep(delay)
            delay = min(delay * 2, self.config.max_backoff)

    # -- one pass ------------------------------------------------------------------------------------------

    def results_files(self) -> list[Path]:
        """``*results.parquet`` in the results folder and in its immediate subfolders (one per pipeline run)."""
        root = self.config.results_dir
        found = list(root.glob("*results.parquet")) + list(root.glob("*/*results.parquet"))
        return sorted(p for p in found if not any(part.startswith(".") for part in p.relative_to(root).parts))

    def run_once(self) -> None:
        self.recover_pending()
        for path in self.results_files():
            name = str(path.relative_to(self.config.results_dir))
            snapshot = "0x" + self._snapshot(path).hex()
            if self.checkpoint.file_done(name, snapshot) or self._set_aside_already(name, snapshot):
                continue
            try:
                manifests = build_batches(path, self.key)
            except ResultsUnreadableError as exc:
                if time.time() - path.stat().st_mtime < self.config.settle_seconds:
                    log.info("%s (it may still be being written; tried again on the next pass)", exc)
                else:
                    self._set_aside(name, snapshot, exc)
                continue
            except ResultsError as exc:
                self._set_aside(name, snapshot, exc)
                continue
            self.checkpoint.data["setAside"].pop(name, None)
            log.info("%s: %d batch(es) to commit", name, len(manifests))
            for manifest in manifests:
                self.commit_batch(manifest, name)
            self.checkpoint.data["files"][name] = snapshot
            self.checkpoint.save()
        self.scan_alarms()

    # -- bad results files ----------------------------------------------------------------------------------

    def _set_aside_already(self, name: str, snapshot: str) -> bool:
        return self.checkpoint.data["setAside"].get(name, {}).get("snapshot") == snapshot

    def _set_aside(self, name: str, snapshot: str, exc: ResultsError) -> None:
        """Records a results file that cannot be published, with its reason, and raises the alarm once per
        version of the file; the file is tried again when its content changes (e.g. a half-written file)."""
        reason = str(exc)
        self.checkpoint.data["setAside"][name] = {"snapshot": snapshot, "reason": reason, "error": type(exc).__name__}
        self.checkpoint.save()
        log.error("ALARM: results file %s set aside: %s (tried again when the file changes)", name, reason)
        self._record_alarms([{"kind": "results-file-set-aside", "file": name, "snapshot": snapshot,
                              "error": type(exc).__name__, "reason": reason}])

    def _record_alarms(self, alarms: list[dict]) -> None:
        with open(self.alarms_path, "a", encoding="utf-8") as handle:
            for alarm in alarms:
                handle.write(json.dumps(alarm, sort_keys=True) + "\n")
            handle.flush()
            os.fsync(handle.fileno())

    # -- pending commits after a restart ---------------------------------------------------------------------

    def recover_pending(self) -> None:
        """Sends every signed commit of the checkpoint that has no receipt yet, lowest nonce first, so that no
        nonce below a new commit is left unsent; fills the nonce of one whose batch can no longer be built."""
        pending = [
            (entry["tx"]["nonce"], batch_hex, entry)
            for batch_hex, entry in self.checkpoint.data["batches"].items()
            if entry.get("status") in ("signed", "filling") and entry.get("tx")
        ]
        for _, batch_hex, entry in sorted(pending):
            batch_id = bytes.fromhex(batch_hex[2:])
            label = f"batch {batch_hex[:14]}… (region {entry.get('scope')})"
            signed = SignedCommit(entry["tx"]["hash"], entry["tx"]["raw"], entry["tx"]["nonce"])
            receipt = self.retry("reading a receipt", lambda tx_hash=signed.tx_hash: self.committer.receipt(tx_hash))
            if receipt is None and entry["status"] == "signed" and self._still_built(batch_id, entry):
                log.info(
                    "%s: sending the pending commit %s (nonce %d) before anything new",
                    label,
                    signed.tx_hash,
                    signed.nonce,
                )
                receipt = self._send_until_mined(signed, label)
            if receipt is not None:
                self._settle(entry, label, receipt, signed)
            else:
                self._fill_nonce(entry, label, signed)

    def _still_built(self, batch_id: bytes, entry: dict) -> bool:
        """Whether the results file of a batch still gives that batch (same content, hence same batch id)."""
        path = self.config.results_dir / entry.get("file", "")
        if not entry.get("file") or not path.is_file():
            return False
        return batch_id_for(self._snapshot(path), int(entry["scope"])) == batch_id

    def _snapshot(self, path: Path) -> bytes:
        """The file's content hash, computed again only when its size, modification time or inode changed (the
        pipeline writes a results file anew or renames one over it, and either changes them)."""
        st = path.stat()
        stamp = (st.st_size, st.st_mtime_ns, st.st_ino)
        known = self._snapshots.get(path)
        if known is None or known[0] != stamp:
            known = self._snapshots[path] = (stamp, snapshot_hash(path))
        return known[1]

    def _settle(self, entry: dict, label: str, receipt, signed: SignedCommit) -> None:
        """Records the receipt of a pending commit found or sent by :meth:`recover_pending`."""
        entry.pop("filler", None)  # a filler not needed any more: the commit itself took the nonce
        if receipt["status"] == 1:
            self._mark_committed(entry, label, receipt)
            return
        # The batch is signed again when its file is processed.
        self._record_reverted(entry, receipt)
        log.warning("%s: pending commit %s reverted in block %d", label, signed.tx_hash, receipt["blockNumber"])

    def _record_reverted(self, entry: dict, receipt) -> None:
        """Moves a reverted commit from ``tx`` to the batch's ``reverted`` list: it used its nonce and changed
        nothing on chain, so the batch goes back to 'published' and is signed anew."""
        entry.setdefault("reverted", []).append({**entry.pop("tx"), "block": receipt["blockNumber"]})
        entry["status"] = "published"
        self.checkpoint.save()

    def _fill_nonce(self, entry: dict, label: str, pending: SignedCommit) -> None:
        """Uses the nonce of a commit that must not be sent any more for a 0-value transfer to this account."""
        filler = entry.get("filler")
        if filler is None:
            made = self.retry("signing the filler", lambda: self.committer.sign_filler(pending.nonce))
            filler = entry["filler"] = {"hash": made.tx_hash, "raw": made.raw, "nonce": made.nonce}
            entry["status"] = "filling"
            self.checkpoint.save()
        signed = SignedCommit(filler["hash"], filler["raw"], filler["nonce"])
        log.warning(
            "%s: its results file %s was replaced or removed, so the pending commit %s is not sent; nonce %d is "
            "filled with the 0-value transfer %s",
            label,
            entry.get("file"),
            pending.tx_hash,
            pending.nonce,
            signed.tx_hash,
        )
        try:
            receipt = self._send_until_mined(signed, label)
        except NonceTakenError:
            # The pending commit had been sent before the crash after all: it is mined or waiting in the node,
            # and takes the nonce itself.
            receipt = self.retry(
                "waiting for the pending commit",
                lambda: self.committer.wait_for_receipt(pending, timeout=self.config.receipt_timeout),
            )
            if receipt is None:
                raise
            entry["status"] = "signed"
            self._settle(entry, label, receipt, pending)
            return
        entry["status"] = "abandoned"
        entry["abandonedTx"] = entry.pop("tx")
        entry["filler"]["block"] = receipt["blockNumber"]
        self.checkpoint.save()
        log.warning(
            "%s: nonce %d filled in block %d; the batch will not be committed",
            label,
            signed.nonce,
            receipt["blockNumber"],
        )

    def _send_until_mined(self, signed: SignedCommit, label: str):
        """Sends ``signed`` and waits for its receipt, re-sending while the node does not mine it."""
        self.retry("sending a transaction", lambda: self.committer.send(signed))
        crash_point("after_send")
        receipt = None
        while receipt is None:
            receipt = self.retry(
                "waiting for the receipt",
                lambda: self.committer.wait_for_receipt(signed, timeout=self.config.receipt_timeout),
            )
            if receipt is None:
                log.warning(
                    "%s: transaction %s not mined after %.0f s; re-sending",
                    label,
                    signed.tx_hash,
                    self.config.receipt_timeout,
                )
                self.retry("re-sending a transaction", lambda: self.committer.send(signed))
        return receipt

    # -- one batch ------------------------------------------------------------------------------------------

    def commit_batch(self, manifest: Manifest, file_name: str) -> None:
        batch_id = manifest.header.batch_id
        entry = self.checkpoint.batch(batch_id)
        if entry["status"] == "committed":
            return
        label = f"batch 0x{batch_id.hex()[:12]}… (region {manifest.header.scope}, {manifest.leaf_count} households)"

        cid = self.retry("publishing the manifest on IPFS", lambda: self.ipfs.add(manifest.to_bytes()))
        if entry.get("cid") != cid:
            entry.update(file=file_name, scope=manifest.header.scope, root="0x" + manifest.root.hex(), cid=cid)
            entry["status"] = "published" if entry["status"] == "new" else entry["status"]
            self.checkpoint.save()
        crash_point("after_publish")

        # A commit that landed before the last checkpoint write is recognised here, not repeated.
        if self.retry("reading the registry", lambda: self.committer.commitment_of(batch_id)) is not None:
            self._mark_committed(entry, label, receipt=None)
            return

        # A reverted commit (e.g. out of gas because another oracle's commit changed what this one must write)
        # changed nothing on chain; it is kept in the checkpoint for the record and the commit is signed again.
        while len(entry.get("reverted", [])) < MAX_REVERTED_COMMITS:
            receipt, signed = self._send_and_wait(manifest, cid, entry, label)
            if receipt["status"] == 1:
                self._mark_committed(entry, label, receipt)
                return
            self._record_reverted(entry, receipt)
            log.warning(
                "%s: commit %s reverted in block %d; signing it again", label, signed.tx_hash, receipt["blockNumber"]
            )
            if self.retry("reading the registry", lambda: self.committer.commitment_of(batch_id)) is not None:
                self._mark_committed(entry, label, receipt=None)
                return
        raise CommitRejectedError(
            f"{label}: {MAX_REVERTED_COMMITS} commits reverted (see 'reverted' in {self.checkpoint.path}). Check the "
            f"batch with the registry (commitmentOf, batch) and the account's role; then remove the batch's entry "
            f"from the checkpoint to try again."
        )

    def _send_and_wait(self, manifest: Manifest, cid: str, entry: dict, label: str):
        """Sends the pending commit of ``entry`` (signing one first if there is none) and waits for its receipt."""
        pending = entry.get("tx")
        if pending:
            signed = SignedCommit(pending["hash"], pending["raw"], pending["nonce"])
            log.info("%s: resuming pending commit %s (nonce %d)", label, signed.tx_hash, signed.nonce)
        else:
            nonce = max(self.retry("reading the nonce", self.committer.next_nonce), self.checkpoint.data["nextNonce"])
            signed = self.retry("signing the commit", lambda: self.committer.sign_commit(manifest, cid, nonce))
            entry["tx"] = {"hash": signed.tx_hash, "raw": signed.raw, "nonce": signed.nonce}
            entry["status"] = "signed"
            self.checkpoint.data["nextNonce"] = signed.nonce + 1
            self.checkpoint.save()
            crash_point("after_sign")

        receipt = self._send_until_mined(signed, label)
        crash_point("after_receipt")
        return receipt, signed

    def _mark_committed(self, entry: dict, label: str, receipt) -> None:
        entry["status"] = "committed"
        if receipt is not None:
            entry["block"] = receipt["blockNumber"]
        self.checkpoint.save()
        where = f"in block {entry.get('block')}" if entry.get("block") is not None else "(found on chain)"
        log.info("%s: committed %s, manifest %s", label, where, entry.get("cid"))

    def scan_alarms(self) -> list[dict]:
        """Records BatchConflict events on batches this node works on; returns the new ones.

        Each batch keeps its own scan position, starting at block 0, so a conflict committed before this node
        first saw the batch is found too. One read of the registry's conflicts from the lowest position serves
        every batch (conflicts are rare, so reading other batches' too costs little), rather than one per batch
        on every pass.
        """
        latest = self.retry("reading the block number", lambda: self.committer.web3.eth.block_number)
        batches = self.checkpoint.data["batches"]
        start = min((entry.get("alarmScanBlock", 0) for entry in batches.values()), default=latest + 1)
        found = self.retry("reading conflict events", lambda: self.committer.conflicts_since(start, latest))
        new = [
            alarm for alarm in found
            if alarm["batchId"] in batches and alarm["block"] >= batches[alarm["batchId"]].get("alarmScanBlock", 0)
        ]
        for entry in batches.values():
            entry["alarmScanBlock"] = latest + 1
        for alarm in new:
            log.error(
                "ALARM: batch %s has a conflicting commitment %s from oracle %s (expected %s), tx %s",
                alarm["batchId"], alarm["commitment"], alarm["oracle"], alarm["expected"], alarm["tx"],
            )
        if new:
            self._record_alarms([{"kind": "batch-conflict", **alarm} for alarm in new])
        self.checkpoint.save()
        return new

    def run(self, once: bool = False) -> None:
        log.info(
            "oracle %s on chain %d watching %s",
            self.committer.address,
            self.committer.chain_id,
            self.config.results_dir,
        )
        while True:
            self.run_once()
            if once:
                return
            time.sleep(self.config.poll_interval)

