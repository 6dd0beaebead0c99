"""The event index: one SQLite file (WAL mode), behind this one module.

Everything that touches the database goes through :class:`EventStore`, so a province that outgrows one file
replaces this module (same methods, a server database behind them) and nothing else.

Tables:

- ``events``: one row per log, id ``(chain_id, tx_hash, log_index)``; the decoded arguments as JSON text;
  block number, hash and timestamp. Written by upsert, so a replayed range never duplicates a row.
- ``cursors``: per contract address, the last block indexed and its hash (the checkpoint). It is written in
  the same transaction as the rows of the range it covers, so a crash leaves either both or neither.
- ``documents``: IPFS content fetched lazily, stored only after its CID was recomputed and matched.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from govchain.errors import GovchainError
from govchain.events import DecodedLog

# The tables are created in this order; the last one existing means the schema is complete.
SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    chain_id     INTEGER NOT NULL,
    tx_hash      TEXT    NOT NULL,
    log_index    INTEGER NOT NULL,
    contract     TEXT    NOT NULL,
    address      TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    args         TEXT    NOT NULL,
    block_number INTEGER NOT NULL,
    block_hash   TEXT    NOT NULL,
    block_time   INTEGER NOT NULL,
    PRIMARY KEY (chain_id, tx_hash, log_index)
);
CREATE INDEX IF NOT EXISTS events_by_kind ON events (chain_id, contract, event, block_number);
CREATE INDEX IF NOT EXISTS events_by_place ON events (chain_id, address, block_number);
-- The site's reads name events (and a contract) but no chain id, which events_by_kind cannot serve.
CREATE INDEX IF NOT EXISTS events_by_event ON events (event, contract);
-- The newest events (the site's latest block and recent events) without sorting the whole table.
CREATE INDEX IF NOT EXISTS events_by_block ON events (block_number, log_index);
CREATE TABLE IF NOT EXISTS cursors (
    chain_id     INTEGER NOT NULL,
    address      TEXT    NOT NULL,
    contract     TEXT    NOT NULL,
    block_number INTEGER NOT NULL,
    block_hash   TEXT    NOT NULL,
    PRIMARY KEY (chain_id, address)
);
CREATE TABLE IF NOT EXISTS documents (
    cid        TEXT PRIMARY KEY,
    content    BLOB NOT NULL,
    fetched_at INTEGER NOT NULL
);
"""


@dataclass(frozen=True)
class Cursor:
    """How far one contract's events are indexed: up to and including ``block``, whose hash was ``block_hash``."""

    contract: str
    block: int
    block_hash: str


@dataclass(frozen=True)
class EventRow:
    """One indexed event as the pages read it."""

    chain_id: int
    tx_hash: str
    log_index: int
    contract: str
    address: str
    event: str
    args: dict
    block_number: int
    block_hash: str
    block_time: int


_COLUMNS = "chain_id, tx_hash, log_index, contract, address, event, args, block_number, block_hash, block_time"


class IndexNotReadyError(GovchainError):
    """Raised when an index is opened for reading before the indexer created it."""

    def __init__(self, path: Path):
        super().__init__(f"No event index at {path} yet: run `python -m indexer sync --db {path}` first.")
        self.path = path


class EventStore:
    """The event index in one SQLite file."""

    def __init__(self, path: Path | str, read_only: bool = False):
        self.path = Path(path)
        if read_only:
            try:
                self.db = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
                ready = self.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'documents'").fetchone()
            except sqlite3.OperationalError:
                ready = None
            if not ready:
                raise IndexNotReadyError(self.path)
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, check_same_thread=False)
            self.db.execute("PRAGMA journal_mode=WAL")  # readers (the site) never block the indexer
            self.db.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a commit survives a process kill
            self.db.executescript(SCHEMA)
        self.db.execute("PRAGMA busy_timeout=5000")

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------------ writing (the indexer)

    def cursors(self, chain_id: int) -> dict[str, Cursor]:
        rows = self.db.execute(
            "SELECT address, contract, block_number, block_hash FROM cursors WHERE chain_id = ?", (chain_id,)
        )
        return {address: Cursor(contract, block, block_hash) for address, contract, block, block_hash in rows}

    def write_range(
        self,
        chain_id: int,
        contracts: dict[str, str],
        first: int,
        last: int,
        logs: Iterable[DecodedLog],
        block_times: dict[int, int],
        last_hash: str,
    ) -> int:
        """Stores the logs of ``contracts`` ({address: name}) in blocks ``first..last`` and moves their cursors
        to ``last``, in one transaction. Rows of those contracts in that range that the node no longer returns
        (a reorg dropped them) are deleted. Returns the number of rows written."""
        logs = list(logs)
        addresses = list(contracts)
        marks = ",".join("?" * len(addresses))
        with self.db:
            self.db.execute(
                f"DELETE FROM events WHERE chain_id = ? AND address IN ({marks}) AND block_number BETWEEN ? AND ?",
                (chain_id, *addresses, first, last),
            )
            self.db.executemany(
                f"INSERT INTO events ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (chain_id, tx_hash, log_index) DO UPDATE SET contract = excluded.contract, "
                "address = excluded.address, event = excluded.event, args = excluded.args, "
                "block_number = excluded.block_number, block_hash = excluded.block_hash, "
                "block_time = excluded.block_time",
                [
                    (chain_id, log.tx_hash, log.log_index, log.contract, log.address, log.event,
                     json.dumps(log.args, sort_keys=True, ensure_ascii=False), log.block_number, log.block_hash,
                     block_times[log.block_number])
                    for log in logs
                ],
            )
            self.db.executemany(
                "INSERT INTO cursors (chain_id, address, contract, block_number, block_hash) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (chain_id, address) DO UPDATE SET contract = excluded.contract, "
                "block_number = excluded.block_number, block_hash = excluded.block_hash",
                [(chain_id, address, name, last, last_hash) for address, name in contracts.items()],
            )
        return len(logs)

    def event_blocks(self, chain_id: int, address: str, below: int, limit: int = 64) -> list[tuple[int, str]]:
        """The newest distinct (block number, block hash) holding events of ``address`` at or below ``below``."""
        return self.db.execute(
            "SELECT DISTINCT block_number, block_hash FROM events WHERE chain_id = ? AND address = ? "
            "AND block_number <= ? ORDER BY block_number DESC LIMIT ?",
            (chain_id, address, below, limit),
        ).fetchall()

    def rewind(self, chain_id: int, address: str, contract: str, block: int, block_hash: str) -> None:
        """Forgets ``address``'s events after ``block`` and sets its cursor there, in one transaction (after a
        reorg or a chain reset replaced the blocks above it)."""
        with self.db:
            self.db.execute("DELETE FROM events WHERE chain_id = ? AND address = ? AND block_number > ?",
                            (chain_id, address, block))
            self.db.execute(
                "INSERT INTO cursors (chain_id, address, contract, block_number, block_hash) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (chain_id, address) DO UPDATE SET block_number = excluded.block_number, "
                "block_hash = excluded.block_hash",
                (chain_id, address, contract, block, block_hash),
            )

    def save_document(self, cid: str, content: bytes, fetched_at: int) -> None:
        with self.db:
            self.db.execute(
                "INSERT INTO documents (cid, content, fetched_at) VALUES (?, ?, ?) ON CONFLICT (cid) DO NOTHING",
                (cid, content, fetched_at),
            )

    # ------------------------------------------------------------------ reading (the site)

    def document(self, cid: str) -> bytes | None:
        row = self.db.execute("SELECT content FROM documents WHERE cid = ?", (cid,)).fetchone()
        return bytes(row[0]) if row else None

    def events(
        self,
        contract: str | None = None,
        event: str | Sequence[str] | None = None,
        chain_id: int | None = None,
        newest: int | None = None,
    ) -> list[EventRow]:
        """Indexed events, oldest first, optionally of one contract name and of one or several event names;
        ``newest=N`` keeps only the N most recent."""
        where, params = [], []
        if contract is not None:
            where.append("contract = ?")
            params.append(contract)
        if chain_id is not None:
            where.append("chain_id = ?")
            params.append(chain_id)
        if event is not None:
            names = [event] if isinstance(event, str) else list(event)
            where.append(f"event IN ({','.join('?' * len(names))})")
            params.extend(names)
        sql = f"SELECT {_COLUMNS} FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        if newest is None:
            sql += " ORDER BY block_number, log_index"
        else:
            sql = f"SELECT * FROM ({sql} ORDER BY block_number DESC, log_index DESC LIMIT {int(newest)}) " \
                  "ORDER BY block_number, log_index"
        return [self._row(r) for r in self.db.execute(sql, params)]

    def arguments(self, event: Sequence[str], names: Sequence[str], contract: str | None = None) -> list[tuple]:
        """Rows ``(event, address, block_number, block_time, tx_hash, log_index, *values)`` of the named events,
        oldest first, with only the arguments ``names`` (None where an event has no such argument).

        SQLite picks the arguments out of the stored JSON (``json_extract``, in C), so a fold over tens of
        thousands of events does not decode every argument dict in Python. Integers beyond 2**53 are stored as
        decimal strings (govchain.events) and come back as such; arrays and tuples come back as JSON text."""
        picks = "".join(", json_extract(args, ?)" for _ in names)
        where = f"event IN ({','.join('?' * len(event))})"
        params: list = [f'$."{name}"' for name in names] + list(event)
        if contract is not None:
            where += " AND contract = ?"
            params.append(contract)
        return self.db.execute(
            f"SELECT event, address, block_number, block_time, tx_hash, log_index{picks} FROM events "
            f"WHERE {where} ORDER BY block_number, log_index", params).fetchall()

    def event(self, chain_id: int, tx_hash: str, log_index: int) -> EventRow | None:
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM events WHERE chain_id = ? AND tx_hash = ? AND log_index = ?",
            (chain_id, tx_hash.lower(), log_index),
        ).fetchone()
        return self._row(row) if row else None

    def counts(self) -> dict[tuple[str, str], int]:
        """Number of indexed events per (contract, event)."""
        return {(c, e): n for c, e, n in self.db.execute("SELECT contract, event, COUNT(*) FROM events GROUP BY 1, 2")}

    def dump(self) -> list[tuple]:
        """Every event row and cursor in a fixed order: two indexes of the same chain dump equal."""
        events = self.db.execute(f"SELECT {_COLUMNS} FROM events ORDER BY chain_id, tx_hash, log_index").fetchall()
        cursors = self.db.execute("SELECT * FROM cursors ORDER BY chain_id, address").fetchall()
        return events + cursors

    @staticmethod
    def _row(row: tuple) -> EventRow:
        chain_id, tx_hash, log_index, contract, address, event, args, number, block_hash, time = row
        return EventRow(
            chain_id, tx_hash, log_index, contract, address, event, json.loads(args), number, block_hash, time
        )
