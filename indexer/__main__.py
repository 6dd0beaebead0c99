"""``python -m indexer sync [--follow] [--db FILE]``: the event index, once or following the chain.

The node and deployments come from the usual GOVCHAIN_* variables or options (govchain/config.py); the index
file from ``--db`` or GOVCHAIN_INDEX (default data/index.sqlite).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govchain.chain import Chain
from govchain.config import NetworkConfig, Settings, environment
from govchain.errors import GovchainError
from govchain.localnode import use_project_tools
from indexer.store import EventStore
from indexer.sync import DEFAULT_MAX_RANGE, DEFAULT_WINDOW, follow, sync_once

DEFAULT_INDEX = Settings.index_path


def index_path(value: Path | None = None) -> Path:
    """The index file: ``value`` if given, else GOVCHAIN_INDEX (environment or .env), else data/index.sqlite."""
    return Path(value or Settings.from_env().index_path)


def main(argv: list[str] | None = None) -> int:
    use_project_tools()  # this checkout's anvil and solc wrapper, with no PATH set by hand
    parser = argparse.ArgumentParser(prog="python -m indexer", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sync = sub.add_parser("sync", help="index the platform contracts' events")
    NetworkConfig.add_arguments(sync)
    sync.add_argument("--db", type=Path, help="index file (env GOVCHAIN_INDEX, default data/index.sqlite)")
    sync.add_argument("--follow", action="store_true", help="keep following the chain")
    sync.add_argument("--poll", type=float, default=2.0, help="seconds between syncs when following")
    sync.add_argument("--window", type=int, default=DEFAULT_WINDOW, help="blocks re-read for reorgs")
    sync.add_argument("--max-range", type=int, default=DEFAULT_MAX_RANGE, help="largest eth_getLogs block range")
    sync.add_argument("--progress", action="store_true", help="print each block range as it is stored")
    sync.add_argument("--ipfs-api", help="also fetch the documents the events name (CIDs checked) from this IPFS "
                                         "node (env GOVCHAIN_IPFS_API); once mode only")
    args = parser.parse_args(argv)

    config = NetworkConfig.from_args(args)
    store = EventStore(index_path(args.db))
    options = {"window": args.window, "max_range": args.max_range}
    if args.progress:
        options["on_range"] = lambda first, last, count: print(f"blocks {first}-{last}: {count} events", flush=True)
    try:
        if args.follow:
            follow(lambda: Chain(config), store, poll=args.poll, **options)
        else:
            report = sync_once(Chain(config), store, **options)
            print(f"chain {report.chain_id} block {report.head}: {report.events_written} events in "
                  f"{report.ranges} ranges" + (f"; skipped {', '.join(report.skipped)}" if report.skipped else ""))
            ipfs_api = args.ipfs_api or environment().get("GOVCHAIN_IPFS_API")
            if ipfs_api:
                from indexer.documents import fetch_referenced
                from oracle.ipfs import IpfsClient

                documents = fetch_referenced(store, IpfsClient(ipfs_api))
                print(f"documents: {documents.fetched} fetched and checked, {len(documents.failed)} refused")
                for cid, reason in documents.failed.items():
                    print(f"  refused {cid!r}: {reason}")
    except GovchainError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
