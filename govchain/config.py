"""The platform's settings: every environment variable the Python side reads, documented once, here.

Values come from the process environment over a ``.env`` file in the project root (python-dotenv, as brownie
reads its own): the environment wins, the file fills in what it lacks, and the file is ignored by git (secrets
belong there or in the environment, never in the repository). :func:`environment` is that merged view and
:class:`Settings` the parsed one; :class:`NetworkConfig` is the part every chain client needs.

Chain and deployments (:class:`NetworkConfig`):

- ``GOVCHAIN_RPC_URL``        JSON-RPC endpoint (default ``http://127.0.0.1:8545``, the local anvil of ``make demo``)
- ``GOVCHAIN_CHAIN_ID``       chain id the node must report (optional; checked on connect when set)
- ``GOVCHAIN_DEPLOYMENTS``    path of the deployment registry (default ``data/deployments.json``)
- ``GOVCHAIN_BUILD_DIR``      brownie's build folder holding the artifacts (default ``build``)

Services (:class:`Settings`):

- ``GOVCHAIN_IPFS_API``       IPFS HTTP RPC of the oracle, indexer and site (default ``http://127.0.0.1:5001``)
- ``GOVCHAIN_INDEX``          the indexer's SQLite event index, which the site reads (default ``data/index.sqlite``)
- ``GOVCHAIN_REPORTS``        the pipeline's reports folder the site shows (optional)
- ``GOVCHAIN_DEMO_PORT``      port of the demo's anvil (default 8545)

Deployment (scripts/deploy.py and govchain.deploy; network/deploy.env lists them for operators):

- ``GOVCHAIN_DEPLOYER_KEYSTORE``  the deployer's encrypted keystore outside the local chain (password prompted)
- ``GOVCHAIN_REDEPLOY``       ``1``: deploy every contract afresh instead of reusing recorded ones
- ``GOVCHAIN_ADMIN``          multisig or timelock that DEFAULT_ADMIN_ROLE is handed to on a fresh deployment
- ``GOVCHAIN_ADMIN_DELAY_HOURS``  delay of an administrator transfer (default 48)
- ``GOVCHAIN_ORACLE_QUORUM``  k of the k-of-n oracle quorum (default 2)
- ``GOVCHAIN_NOTICE_DAYS``    public notice 公示 in days (default 7, at least 5)
- ``GOVCHAIN_TRANSITION_DAYS``  transition period after exit 脱贫不脱政策 in days (default 3 years)
- ``GOVCHAIN_BATCH_SCOPE_LEVELS``  region levels eligibility batches may cover, comma-separated (default 3)
- ``BESU_RPC_URL``, ``BESU_CHAIN_ID``  the production network ``make besu-network`` registers in brownie

Secrets (read from :func:`environment` by the package that owns them, never kept in :class:`Settings`, so no
``repr`` or log line can show them):

- ``GOVCHAIN_PSEUDONYM_KEY_FILE``, ``GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE_FILE``, ``GOVCHAIN_PSEUDONYM_KEY_PASSPHRASE``,
  ``GOVCHAIN_PSEUDONYM_KEY``  the data authority's pseudonymisation key (oracle/pseudonym.py)
- ``GOVCHAIN_ORACLE_KEYSTORE``, ``GOVCHAIN_ORACLE_KEYSTORE_PASSWORD``, ``GOVCHAIN_ORACLE_PRIVATE_KEY``  an oracle
  node's signing account (oracle/committer.py)

Tools (govchain.localnode.use_project_tools sets them when missing): ``PATH`` gains the project's ``.make/bin``
(anvil), ``SOLCX_BINARY_PATH`` defaults to the project's ``.solcx`` (the offline solc wrapper).

Test hooks, read by the tests and the services' crash points only: ``GOVCHAIN_ORACLE_KILL_AT``,
``GOVCHAIN_INDEXER_KILLS``, ``GOVCHAIN_SCREENSHOTS``.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from govchain.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ENV_FILE = PROJECT_ROOT / ".env"
DEFAULT_RPC_URL = "http://127.0.0.1:8545"
DEFAULT_IPFS_API = "http://127.0.0.1:5001"
DEFAULT_DEMO_PORT = 8545


def environment(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> dict[str, str]:
    """The variables the platform reads: ``environ`` if given (a test's own, nothing else), else the process
    environment over ``env_file`` (default: the project's ``.env``, if there is one); the environment wins."""
    if environ is not None:
        return dict(environ)
    env_file = Path(env_file) if env_file is not None else ENV_FILE
    values: dict[str, str] = {}
    if env_file.is_file():
        values = {name: value for name, value in dotenv_values(env_file).items() if value is not None}
    values.update(os.environ)
    return values


def _number(env: Mapping[str, str], name: str, default: int | None, what: str) -> int | None:
    text = env.get(name, "").strip()
    try:
        return int(text, 0) if text else default
    except ValueError:
        raise ConfigError(f"{name}={text!r} is not a number; set it to {what}.") from None


@dataclass(frozen=True)
class NetworkConfig:
    """Where the chain is and where this project keeps what it knows about it."""

    rpc_url: str = DEFAULT_RPC_URL
    chain_id: int | None = None
    deployments_path: Path = PROJECT_ROOT / "data" / "deployments.json"
    build_dir: Path = PROJECT_ROOT / "build"

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> "NetworkConfig":
        """Reads the configuration from the environment and ``.env`` (see the module docstring)."""
        env = environment(environ)
        return cls(
            rpc_url=env.get("GOVCHAIN_RPC_URL", DEFAULT_RPC_URL),
            chain_id=_number(env, "GOVCHAIN_CHAIN_ID", None, "the chain id of the network (31337 for the local anvil)"),
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


@dataclass(frozen=True)
class Settings:
    """Every non-secret setting of the platform, parsed once (see the module docstring for each variable)."""

    network: NetworkConfig = field(default_factory=NetworkConfig)
    ipfs_api: str = DEFAULT_IPFS_API
    index_path: Path = PROJECT_ROOT / "data" / "index.sqlite"
    reports_dir: Path | None = None
    demo_port: int = DEFAULT_DEMO_PORT
    deployer_keystore: Path | None = None
    redeploy: bool = False
    admin: str | None = None
    besu_rpc_url: str | None = None
    besu_chain_id: int | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Settings":
        """The settings of the environment and ``.env`` (``environ``: a test's own variables instead)."""
        env = environment(environ)

        def path(name: str) -> Path | None:
            return Path(env[name]) if env.get(name, "").strip() else None

        return cls(
            network=NetworkConfig.from_env(env),
            ipfs_api=env.get("GOVCHAIN_IPFS_API") or DEFAULT_IPFS_API,
            index_path=path("GOVCHAIN_INDEX") or cls.index_path,
            reports_dir=path("GOVCHAIN_REPORTS"),
            demo_port=_number(env, "GOVCHAIN_DEMO_PORT", DEFAULT_DEMO_PORT, "a free TCP port for the demo's anvil"),
            deployer_keystore=path("GOVCHAIN_DEPLOYER_KEYSTORE"),
            redeploy=env.get("GOVCHAIN_REDEPLOY", "").strip() not in ("", "0"),
            admin=env.get("GOVCHAIN_ADMIN", "").strip() or None,
            besu_rpc_url=env.get("BESU_RPC_URL", "").strip() or None,
            besu_chain_id=_number(env, "BESU_CHAIN_ID", None, "the Besu network's chain id (a number)"),
        )
