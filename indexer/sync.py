"""Incremental, crash-safe sync of every deployed platform contract's events into the event index.

- Which contracts: every entry of the deployment registry for the node's chain id whose address holds code;
  decoded by the ABI of its brownie artifact (a new contract is indexed as soon as it is recorded).
- Where to start: each contract from its cursor (the last block stored, and its hash), or from its deployment
  block. The re-scan window: the stored blocks among the last ``window`` up to the cursor are checked against
  the node's block hashes, and re-read from the first that differs (one batched header request when nothing
  changed, however many events those blocks hold).
- Each range is read between two looks at its last block's hash (before ``eth_getLogs``, and with the block
  times after); every log's block hash must match too. A chain that moved in between makes the sync start over,
  so a cursor is never stored with a hash from another branch than its rows.
- If the node's hash of a cursor block differs from the stored one (a reorg deeper than the window, or a reset
  chain), the contract is re-read from just after the newest block of its stored events that the node still
  has with the same hash (blocks chain by hash, so everything up to it stands), or from its deployment block
  when none of the newest 64 matches.
- How: block ranges from :func:`govchain.events.fetch_logs` (halved when the node refuses); each range's rows
  and the cursors that cover it are written in one transaction (:meth:`EventStore.write_range`). Contracts at
  different cursors are caught up one group at a time until they share a cursor, then read together.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from web3 import Web3

from govchain.chain import Chain, load_artifact
from govchain.errors import ArtifactMissingError
from govchain.events import EventDecoder, fetch_logs
from indexer.store import Cursor, EventStore

DEFAULT_WINDOW = 12  # blocks re-read on every sync; QBFT is final at once, anvil and PoW-style nodes reorg
DEFAULT_MAX_RANGE = 5_000  # Besu's default --rpc-max-logs-range


@dataclass(frozen=True)
class PlatformContract:
    name: str
    address: str
    abi: list
    deployed_at: int


@dataclass
class SyncReport:
    chain_id: int
    head: int
    events_written: int = 0
    ranges: int = 0
    rewound: list[str] = field(default_factory=list)
    rescanned: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@lru_cache(maxsize=64)
def _abi(build_dir: Path, name: str, modified: int) -> list:
    """A contract's ABI, parsed once per artifact version (artifacts are large; `--follow` syncs every poll)."""
    return load_artifact(build_dir, name)["abi"]


def platform_contracts(chain: Chain) -> tuple[list[PlatformContract], list[str]]:
    """The deployed contracts of the registry that hold code and have an artifact; and the names skipped."""
    found, skipped = [], []
    for name, deployment in sorted(chain.registry.all(chain.chain_id).items()):
        artifact = Path(chain.config.build_dir) / "contracts" / f"{name}.json"
        try:
            abi = _abi(Path(chain.config.build_dir), name, artifact.stat().st_mtime_ns if artifact.exists() else 0)
        except ArtifactMissingError:
            skipped.append(f"{name} (no build artifact)")
            continue
        found.append(PlatformContract(name, Web3.to_checksum_address(deployment.address), abi, deployment.block))
    # One JSON-RPC batch asks every contract's code: a sync's round trips do not grow with the contracts.
    codes = _codes(chain.web3, [c.address for c in found])
    for contract in [c for c in found if not codes[c.address]]:
        skipped.append(f"{contract.name} (no code at {contract.address})")
    return [c for c in found if codes[c.address]], skipped


def _codes(web3: Web3, addresses: list[str]) -> dict[str, bytes]:
    if not addresses:
        return {}
    with web3.batch_requests() as batch:
        for address in addresses:
            batch.add(web3.eth.get_code(address))
        codes = batch.execute()
    return dict(zip(addresses, codes))


def _block_hash(web3: Web3, number: int) -> str | None:
    block = web3.eth.get_block(number)
    return "0x" + bytes(block["hash"]).hex() if block else None


def _blocks(web3: Web3, numbers: set[int]) -> dict[int, tuple[str, int]]:
    """(hash, timestamp) of each block, asked in one JSON-RPC batch."""
    if not numbers:
        return {}
    with web3.batch_requests() as batch:
        for number in sorted(numbers):
            batch.add(web3.eth.get_block(number))
        blocks = batch.execute()
    # A block the node does not have (above its head after a reset) answers null: it is left out.
    return {int(b["number"]): ("0x" + bytes(b["hash"]).hex(), int(b["timestamp"])) for b in blocks if b}


class ChainMovedError(Exception):
    """Raised inside a sync when the node's chain changed while a range was read; the sync starts over."""


def _last_agreeing_block(web3: Web3, store: EventStore, chain_id: int, contract: PlatformContract, below: int) -> int:
    """Where to re-read a contract from after its cursor block was replaced: see the module docstring."""
    stored = store.event_blocks(chain_id, contract.address, below)
    hashes = _blocks(web3, {number for number, _ in stored})
    for number, block_hash in stored:
        if hashes.get(number, ("",))[0] == block_hash:
            return number + 1
    return contract.deployed_at


def _window_mismatches(web3: Web3, store: EventStore, chain_id: int, cursors: dict[str, Cursor],
                       window: int) -> dict[str, int]:
    """The re-scan window: per contract address, the stored blocks of its events among the last ``window`` up
    to its cursor, checked against the node's hashes (all contracts' blocks in one batch); the first block that
    differs, for the addresses where one does."""
    stored = {address: [(n, h) for n, h in store.event_blocks(chain_id, address, cursor.block, limit=window)
                        if n > cursor.block - window]
              for address, cursor in cursors.items()}
    hashes = _blocks(web3, {n for blocks in stored.values() for n, _ in blocks})
    differing = {address: [n for n, h in blocks if n not in hashes or hashes[n][0] != h]
                 for address, blocks in stored.items()}
    return {address: min(numbers) for address, numbers in differing.items() if numbers}


def sync_once(
    chain: Chain,
    store: EventStore,
    window: int = DEFAULT_WINDOW,
    max_range: int = DEFAULT_MAX_RANGE,
    on_range: Callable[[int, int, int], None] | None = None,
    attempts: int = 3,
) -> SyncReport:
    """Brings the index up to the node's current head; returns what was done. A sync that saw the chain move
    under it (a reorg while a range was read) starts over, up to ``attempts`` times."""
    for attempt in range(attempts):
        try:
            return _sync(chain, store, window, max_range, on_range)
        except ChainMovedError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _sync(chain: Chain, store: EventStore, window: int, max_range: int,
          on_range: Callable[[int, int, int], None] | None) -> SyncReport:
    web3 = chain.web3
    chain_id = chain.chain_id
    head = web3.eth.block_number
    contracts, skipped = platform_contracts(chain)
    report = SyncReport(chain_id, head, skipped=skipped)
    decoder = EventDecoder({c.name: (c.address, c.abi) for c in contracts})
    cursors = store.cursors(chain_id)

    # The cursors' own blocks and the re-scan windows are checked in one batch each, for all contracts.
    known = {c.address: cursors[c.address] for c in contracts if c.address in cursors}
    node_hashes = _blocks(web3, {cursor.block for cursor in known.values() if cursor.block <= head})
    standing = {address: cursor for address, cursor in known.items()
                if cursor.block <= head and cursor.block in node_hashes
                and node_hashes[cursor.block][0] == cursor.block_hash}
    mismatches = _window_mismatches(web3, store, chain_id, standing, window) if window > 0 else {}

    next_block: dict[str, int] = {}
    for contract in contracts:
        cursor = cursors.get(contract.address)
        if cursor is None:
            next_block[contract.address] = contract.deployed_at
        elif contract.address not in standing:
            report.rewound.append(contract.name)
            restart = _last_agreeing_block(web3, store, chain_id, contract, min(cursor.block, head))
            store.rewind(chain_id, contract.address, contract.name, restart - 1,
                         (_block_hash(web3, restart - 1) if restart > 0 else None) or "")
            next_block[contract.address] = restart
        else:
            differs = mismatches.get(contract.address)
            if differs is not None:
                report.rescanned.append(contract.name)
            next_block[contract.address] = cursor.block + 1 if differs is None else differs

    names = {c.address: c.name for c in contracts}
    while True:
        pending = {a: b for a, b in next_block.items() if b <= head}
        if not pending:
            break
        low = min(pending.values())
        group = {a: names[a] for a, b in pending.items() if b == low}
        higher = [b for b in pending.values() if b > low]
        end = min(higher) - 1 if higher else head
        for part in fetch_logs(web3, list(group), low, end, max_range):
            decoded = [decoder.decode(log) for log in part.logs]
            blocks = _blocks(web3, {d.block_number for d in decoded} | {part.last})
            if blocks.get(part.last, ("",))[0] != part.last_hash or any(
                    blocks.get(d.block_number, ("",))[0] != d.block_hash for d in decoded):
                raise ChainMovedError(f"blocks {part.first}-{part.last} changed while they were read")
            times = {number: timestamp for number, (_, timestamp) in blocks.items()}
            report.events_written += store.write_range(chain_id, group, part.first, part.last, decoded, times,
                                                      part.last_hash)
            report.ranges += 1
            if on_range:
                on_range(part.first, part.last, len(decoded))
        for address in group:
            next_block[address] = end + 1
    return report


def follow(
    make_chain: Callable[[], Chain],
    store: EventStore,
    poll: float = 2.0,
    max_backoff: float = 30.0,
    log: Callable[[str], None] = print,
    stop: Callable[[], bool] = lambda: False,
    **options,
) -> None:
    """Syncs, waits ``poll`` seconds, syncs again, until ``stop()``. A node that goes away (restart, network)
    is retried with exponential backoff; the index resumes from its cursors when it is back."""
    backoff = poll
    chain = make_chain()
    while not stop():
        try:
            report = sync_once(chain, store, **options)
        except Exception as exc:  # a node restart surfaces as connection errors of several libraries
            log(f"sync failed ({type(exc).__name__}: {exc}); retrying in {backoff:.0f} s")
            time.sleep(backoff)
            backoff = min(max_backoff, backoff * 2)
            chain = make_chain()  # a restarted node may come back as another chain (then the id check says so)
            continue
        backoff = poll
        if report.events_written or report.rewound:
            log(f"block {report.head}: {report.events_written} events in {report.ranges} ranges"
                + (f"; re-read from deployment: {', '.join(report.rewound)}" if report.rewound else ""))
        time.sleep(poll)
