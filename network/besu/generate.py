"""Writes a Besu QBFT network for the platform: genesis, one folder per validator, allowlists.

    # local trial: four validators on this host, node keys generated into DIR (never into the repository)
    python -m network.besu.generate --validators 4 --deployer 0xDEPLOYER --out DIR

    # production: each department brings its validator's enode URL (its key never leaves its host)
    python -m network.besu.generate --validator enode://<pubkey>@10.1.0.11:30303 ... \\
        --deployer 0xDEPLOYER --accounts-file accounts.txt --out DIR

DIR/genesis.json is the network's genesis; DIR/validator-<i>/ holds what validator i runs with: config.toml,
genesis.json and permissions_config.toml (accounts and nodes allowlists, the same for every node), plus, in a
local trial only, its node key (``key``, mode 0600) and ``key.pub``. DIR/network.json summarises the network.
See network/besu/RUNBOOK.md.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from govchain.config import PROJECT_ROOT
from network.besu.genesis import (
    BFT_MINIMUM,
    CHAIN_ID,
    DEFAULT_GAS_LIMIT,
    NetworkConfigError,
    QbftTiming,
    checked_address,
    qbft_genesis,
    validators_in_extra_data,
)
from network.besu.nodes import (
    P2P_PORT,
    RPC_PORT,
    ValidatorNode,
    allowed_accounts,
    distinct_nodes,
    node_config_toml,
    permissions_toml,
    write_secret,
)

# The one place of the repository a local trial may write node keys: data/ is ignored by git.
IGNORED_DATA = PROJECT_ROOT / "data"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m network.besu.generate", description=__doc__.split("\n\n")[0])
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--validators", type=int, metavar="N",
                     help="local trial: generate N validator node keys into --out")
    who.add_argument("--validator", action="append", metavar="ENODE",
                     help="production: a validator's enode URL enode://<node public key>@<host>:<port> (repeat)")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the network into (must not exist)")
    parser.add_argument("--deployer", required=True,
                        help="the account that runs scripts/deploy.py: allocated in the genesis and allowlisted")
    parser.add_argument("--account", action="append", default=[], metavar="ADDRESS",
                        help="another account allowed to send transactions (oracle, official, relayer; repeat)")
    parser.add_argument("--accounts-file", type=Path,
                        help="a file of allowed accounts, one address a line (# starts a comment)")
    parser.add_argument("--chain-id", type=int, default=CHAIN_ID, help=f"the network's chain id (default {CHAIN_ID})")
    parser.add_argument("--host", default="127.0.0.1", help="local trial: the validators' host (default 127.0.0.1)")
    parser.add_argument("--p2p-port", type=int, default=P2P_PORT,
                        help=f"local trial: validator i listens on this port + i - 1 (default {P2P_PORT})")
    parser.add_argument("--rpc-port", type=int, default=RPC_PORT,
                        help=f"JSON-RPC port; in a local trial validator i uses this + i - 1 (default {RPC_PORT})")
    parser.add_argument("--block-period", type=int, default=QbftTiming.block_period_seconds, help="seconds a block")
    parser.add_argument("--request-timeout", type=int, default=QbftTiming.request_timeout_seconds,
                        help="seconds before a QBFT round change")
    parser.add_argument("--epoch-length", type=int, default=QbftTiming.epoch_length,
                        help="blocks between resets of validator votes")
    parser.add_argument("--gas-limit", type=int, default=DEFAULT_GAS_LIMIT, help="block gas limit")
    return parser


def _accounts(args: argparse.Namespace) -> list[str]:
    accounts = [checked_address(args.deployer, "deployer"), *args.account]
    if args.accounts_file:
        try:
            lines = args.accounts_file.read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise NetworkConfigError(f"Cannot read the accounts file {args.accounts_file}: {exc.strerror}.") from None
        accounts += [line.split("#", 1)[0].strip() for line in lines if line.split("#", 1)[0].strip()]
    return allowed_accounts(accounts)


def _nodes(args: argparse.Namespace) -> list[ValidatorNode]:
    if args.validator:
        return distinct_nodes([ValidatorNode.from_enode(text) for text in args.validator])
    if args.validators < 1:
        raise NetworkConfigError(
            f"--validators {args.validators}: a QBFT network needs at least one validator "
            f"({BFT_MINIMUM} to keep producing blocks when one fails)."
        )
    if not (0 < args.p2p_port and args.p2p_port + args.validators - 1 < 65536):
        raise NetworkConfigError(f"--p2p-port {args.p2p_port} leaves no room for {args.validators} ports.")
    # Ports follow the genesis's validator order (ascending addresses), so validator-1 listens on --p2p-port.
    keys = sorted((ValidatorNode.generated(args.host, 0) for _ in range(args.validators)),
                  key=lambda node: node.address.lower())
    return distinct_nodes([replace(node, p2p_port=args.p2p_port + i) for i, node in enumerate(keys)])


def _check_out(out: Path, writes_keys: bool) -> Path:
    out = out.resolve()
    if out.exists() and any(out.iterdir()):
        raise NetworkConfigError(f"{out} is not empty: the generator never overwrites a network. Choose a new folder.")
    inside_repository = out == PROJECT_ROOT or PROJECT_ROOT in out.parents
    if writes_keys and inside_repository and not (out == IGNORED_DATA or IGNORED_DATA in out.parents):
        raise NetworkConfigError(
            f"{out} is inside the repository: node keys are never written there. Choose a folder outside it, or "
            f"under {IGNORED_DATA} (ignored by git)."
        )
    return out


def generate(args: argparse.Namespace) -> dict:
    """Writes the network described by the command line; returns its summary (also written as network.json)."""
    nodes = _nodes(args)
    accounts = _accounts(args)
    timing = QbftTiming(args.block_period, args.request_timeout, args.epoch_length)
    genesis = qbft_genesis(args.chain_id, [n.address for n in nodes], args.deployer, timing=timing,
                           gas_limit=args.gas_limit)
    local_trial = args.validator is None
    out = _check_out(args.out, writes_keys=local_trial)
    ordered = validators_in_extra_data(genesis["extraData"])
    by_address = {n.address: n for n in nodes}
    nodes = [by_address[a] for a in ordered]  # folders numbered in the genesis's validator order

    genesis_text = json.dumps(genesis, indent=2) + "\n"
    permissions = permissions_toml(accounts, nodes)
    out.mkdir(parents=True, exist_ok=True)
    (out / "genesis.json").write_text(genesis_text, encoding="utf-8")
    summary = {"chainId": args.chain_id, "validators": [], "accountsAllowlist": accounts}
    for i, node in enumerate(nodes, 1):
        folder = out / f"validator-{i}"
        folder.mkdir()
        rpc_port = args.rpc_port + (i - 1 if local_trial else 0)
        (folder / "genesis.json").write_text(genesis_text, encoding="utf-8")
        (folder / "permissions_config.toml").write_text(permissions, encoding="utf-8")
        (folder / "config.toml").write_text(
            node_config_toml(node, nodes, rpc_port=rpc_port, key_file="key" if node.private_key else None),
            encoding="utf-8",
        )
        if node.private_key:
            write_secret(folder / "key", "0x" + node.private_key.hex())
            (folder / "key.pub").write_text("0x" + node.public_key.hex(), encoding="utf-8")
        summary["validators"].append({"folder": folder.name, "address": node.address, "enode": node.enode,
                                      "rpcPort": rpc_port})
    (out / "network.json").write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        summary = generate(args)
    except NetworkConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    count = len(summary["validators"])
    print(f"QBFT network, chain id {summary['chainId']}, {count} validators, "
          f"{len(summary['accountsAllowlist'])} allowlisted accounts: {args.out.resolve()}")
    for validator in summary["validators"]:
        print(f"  {validator['folder']}: {validator['address']}  {validator['enode']}")
    if count < BFT_MINIMUM:
        print(f"warning: {count} validator(s) cannot tolerate a failed one; production needs at least {BFT_MINIMUM}.",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
