"""The validators' node identities and the node configuration files (TOML) of a Besu QBFT network.

A Besu node's key is its identity twice over: its address is the validator address in the genesis, and its
public key is the ``enode://`` id the other nodes allowlist. Production validators bring their own keys (each
department generates one on its own host, ``besu public-key export``) and give their enode URLs; for a local
trial the generator makes the keys itself.

Every node gets the same two allowlists (Besu's local permissioning, ``permissions_config.toml`` beside its
``config.toml``): ``nodes-allowlist`` (the validators' enodes: only they may connect) and ``accounts-allowlist``
(the deployer, oracles, officials and relayers: only they may send transactions). Besu's on-chain permissioning
contracts are deprecated since 24.11, so the lists are local files, kept the same on every node.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from eth_keys import keys
from eth_keys.exceptions import ValidationError

from network.besu.genesis import NetworkConfigError, checked_address

ENODE = re.compile(r"^enode://(?P<key>(0x)?[0-9a-fA-F]{128})@(?P<host>[^:@/\s]+):(?P<port>\d{1,5})$")
PUBLIC_KEY = re.compile(r"^(0x)?[0-9a-fA-F]{128}$")
P2P_PORT = 30303
RPC_PORT = 8545
# Besu's JSON-RPC APIs the platform needs: ETH/NET/WEB3 for every client, QBFT to vote validators in or out,
# TXPOOL to watch pending transactions, PERM to change the allowlists at run time (perm_addAccountsToAllowlist).
RPC_APIS = ("ETH", "NET", "WEB3", "QBFT", "TXPOOL", "PERM")


@dataclass(frozen=True)
class ValidatorNode:
    """One validator: its node public key (64 bytes), where its peers reach it, and (local trial only) its key."""

    public_key: bytes
    host: str
    p2p_port: int
    private_key: bytes | None = None

    @property
    def address(self) -> str:
        return keys.PublicKey(self.public_key).to_checksum_address()

    @property
    def enode(self) -> str:
        return f"enode://{self.public_key.hex()}@{self.host}:{self.p2p_port}"

    @classmethod
    def generated(cls, host: str, p2p_port: int) -> "ValidatorNode":
        """A new node key (for a local trial: production nodes make theirs on their own hosts)."""
        private = keys.PrivateKey(secrets.token_bytes(32))
        return cls(private.public_key.to_bytes(), host, p2p_port, private.to_bytes())

    @classmethod
    def from_enode(cls, text: str) -> "ValidatorNode":
        """A validator that brings its own key, from its enode URL ``enode://<public key>@<host>:<port>``."""
        text = text.strip()
        match = ENODE.match(text)
        if not match:
            if text.startswith("0x") and len(text) == 42:
                raise NetworkConfigError(
                    f"{text} is an address; give the validator's enode URL (enode://<node public key>@<host>:<port>) "
                    f"instead: the nodes allowlist needs its public key, from which the address follows "
                    f"(`besu public-key export` on the validator's host prints it)."
                )
            raise NetworkConfigError(
                f"{text!r} is not an enode URL: expected enode://<128 hex digits of the node public key>@<host>:<port>."
            )
        port = int(match["port"])
        if not 0 < port < 65536:
            raise NetworkConfigError(f"Port {port} of {text} is not a TCP port (1-65535).")
        public_key = bytes.fromhex(match["key"].removeprefix("0x"))
        try:
            keys.PublicKey(public_key)
        except ValidationError:
            raise NetworkConfigError(f"{text} does not hold a valid secp256k1 public key.") from None
        return cls(public_key, match["host"], port)


def distinct_nodes(nodes: Sequence[ValidatorNode]) -> list[ValidatorNode]:
    """``nodes`` checked to have distinct keys and distinct host:port endpoints."""
    seen_keys: dict[bytes, ValidatorNode] = {}
    seen_endpoints: dict[tuple[str, int], ValidatorNode] = {}
    for node in nodes:
        if node.public_key in seen_keys:
            raise NetworkConfigError(
                f"Validator {node.address} is listed twice ({seen_keys[node.public_key].enode} and {node.enode}): "
                f"each validator is a distinct node with its own key."
            )
        if (node.host, node.p2p_port) in seen_endpoints:
            raise NetworkConfigError(f"Two validators listen on {node.host}:{node.p2p_port}; give each its own port.")
        seen_keys[node.public_key] = node
        seen_endpoints[(node.host, node.p2p_port)] = node
    return list(nodes)


def allowed_accounts(addresses: Sequence[str]) -> list[str]:
    """The accounts allowlist: each an address, none twice (case-insensitively), in the order given."""
    allowed: list[str] = []
    for text in addresses:
        address = checked_address(text, "account")
        if address not in allowed:
            allowed.append(address)
    return allowed


def _toml_list(values: Sequence[str]) -> str:
    # A TOML basic string takes JSON's escapes for the characters enode URLs and addresses can hold.
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


def permissions_toml(accounts: Sequence[str], nodes: Sequence[ValidatorNode]) -> str:
    """``permissions_config.toml``: who may send transactions, which nodes may connect."""
    return (
        "# Besu local permissioning (--permissions-accounts-config-file, --permissions-nodes-config-file).\n"
        "# Keep this file the same on every node: a node accepts transactions only from these accounts, and\n"
        "# connections only from these nodes. Change it at run time with perm_addAccountsToAllowlist /\n"
        "# perm_addNodesToAllowlist on every node (or edit it everywhere and call perm_reloadPermissionsFromFile).\n"
        f"accounts-allowlist={_toml_list([a.lower() for a in accounts])}\n"
        f"nodes-allowlist={_toml_list([n.enode for n in nodes])}\n"
    )


def node_config_toml(node: ValidatorNode, nodes: Sequence[ValidatorNode], rpc_port: int = RPC_PORT,
                     key_file: str | None = "key") -> str:
    """A validator's ``config.toml`` (``besu --config-file=config.toml``, run from the node's folder)."""
    bootnodes = [n.enode for n in nodes if n is not node]
    lines = [
        f"# Besu QBFT validator {node.address} ({node.enode}).",
        "# Run from this folder: besu --config-file=config.toml (relative paths are taken from the working folder).",
        'data-path="data"',
        'genesis-file="genesis.json"',
        *([f'node-private-key-file="{key_file}"'] if key_file else
          ["# The node key: Besu's default, data/key, made on this host by the department (mode 0600); never copied."]),
        "",
        "# Peer to peer: only the allowlisted validators (permissions_config.toml).",
        f'p2p-host="{node.host}"',
        f"p2p-port={node.p2p_port}",
        f"bootnodes={_toml_list(bootnodes)}",
        "",
        "# JSON-RPC for the deployer, the oracle nodes, the wallets and the indexer. Bound to loopback: other hosts",
        "# reach it through the department's reverse proxy (TLS, client allowlist), never directly.",
        "rpc-http-enabled=true",
        'rpc-http-host="127.0.0.1"',
        f"rpc-http-port={rpc_port}",
        f"rpc-http-api={_toml_list(list(RPC_APIS))}",
        'host-allowlist=["localhost", "127.0.0.1"]',
        "",
        "# Free gas: with zeroBaseFee in the genesis, every node must also accept a gas price of 0, or it silently",
        "# drops the platform's transactions (Besu's free-gas guide).",
        "min-gas-price=0",
        "",
        "# Local permissioning: accounts and nodes allowlists, the same file on every node.",
        "permissions-accounts-config-file-enabled=true",
        'permissions-accounts-config-file="permissions_config.toml"',
        "permissions-nodes-config-file-enabled=true",
        'permissions-nodes-config-file="permissions_config.toml"',
        "",
        "# The sequenced pool (first come, first served) is Besu's choice for private networks, where every gas",
        "# price is 0. The oracle and the deployer send many transactions from one account: let one sender hold",
        "# half the pool (the default, 0.1% of it, is a handful of transactions: a batch would stall).",
        'tx-pool="sequenced"',
        "tx-pool-limit-by-account-percentage=0.5",
        "",
    ]
    return "\n".join(lines)


def write_secret(path: Path, text: str) -> None:
    """Writes ``text`` to a new file readable by its owner only (node keys)."""
    path.touch(mode=0o600, exist_ok=False)
    path.write_text(text, encoding="utf-8")
