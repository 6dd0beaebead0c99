"""Network configuration, from the environment or the command line.

Environment variables (a ``.env`` file in the project root is read too, as brownie does):

- ``GOVCHAIN_RPC_URL``   JSON-RPC endpoint (default ``http://127.0.0.1:8545``, the local anvil of ``make demo``)
- ``GOVCHAIN_CHAIN_ID``  chain id the node must report (optional; checked on connect when set)
- ``GOVCHAIN_DEPLOYMENTS`` path of the deployment registry (default ``data/deployments.json``)
- ``GOVCHAIN_BUILD_DIR`` brownie's build folder holding the artifacts (default ``build``)
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from pathlib import Path

from govchain.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RPC_URL = "http://127.0.0.1:8545"


@dataclass(frozen=True)
class NetworkConfig:
    """Where the chain is and where this project keeps what it knows about it."""

    rpc_url: str = DEFAULT_RPC_URL
    chain_id: int | None = None
    deployments_path: Path = PROJECT_ROOT / "data" / "deployments.json"
    build_dir: Path = PROJECT_ROOT / "build"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "NetworkConfig":
        """Reads the configuration from environment variables (see the module docstring)."""
        env = dict(os.environ if environ is None else environ)
        chain_id_text = env.get("GOVCHAIN_CHAIN_ID", "").strip()
        try:
            chain_id = int(chain_id_text, 0) if chain_id_text else None
        except ValueError:
            raise ConfigError(
                f"GOVCHAIN_CHAIN_ID={chain_id_text!r} is not a number; set it to the chain id of the network "
                f"(31337 for the local anvil)."
            ) from None
        return cls(
            rpc_url=env.get("GOVCHAIN_RPC_URL", DEFAULT_RPC_URL),
            chain_id=chain_id,
            deployments_path=Path(env.get("GOVCHAIN_DEPLOYMENTS", cls.deployments_path)),
            build_dir=Path(env.get("GOVCHAIN_BUILD_DIR", cls.build_dir)),
        )

    @staticmethod
    def add_arguments(parser: argparse.ArgumentParser) -> None:
        """Adds ``--rpc-url``, ``--chain-id`` and ``--deployments`` to a command-line parser."""
        parser.add_argument("--rpc-url", help="JSON-RPC endpoint (env GOVCHAIN_RPC_URL)")
        parser.add_argument("--chain-id", type=int, help="expected chain id (env GOVCHAIN_CHAIN_ID)")
        parser.add_argument("--deployments", type=Path, help="deployment registry file (env GOVCHAIN_DEPLOYMENTS)")

    @classmethod
    def from_args(cls, args: argparse.Namespace, environ: dict[str, str] | None = None) -> "NetworkConfig":
        """The environment's configuration, overridden by whatever the command line gave."""
        base = cls.from_env(environ)
        return cls(
            rpc_url=args.rpc_url or base.rpc_url,
            chain_id=args.chain_id if args.chain_id is not None else base.chain_id,
            deployments_path=args.deployments or base.deployments_path,
            build_dir=base.build_dir,
        )
