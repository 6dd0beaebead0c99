"""A real local chain for the oracle and end-to-end tests: anvil from npm, the platform deployed by govchain.deploy
(with web3 from brownie's build artifacts), ORACLE accounts of their own, and helpers to run ``python -m oracle run``
as a process."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from eth_account import Account
from web3 import Web3

from govchain.chain import connect
from govchain.config import PROJECT_ROOT, NetworkConfig
from govchain.deploy import DAY, DEFAULT_ROUTES, NodeAccountSender, Settings, deploy_platform
from govchain.deployments import DeploymentRegistry
from govchain.localnode import AnvilNode
from govchain.roles import role_id
from orchestration.flow import oracle_run_command

PROVINCE = 530000000000  # covers the counties 530102 and 530103 of the test results


@dataclass
class LocalChain:
    """anvil with the platform deployed (RoleRegistry, EligibilityRegistry, ApprovalHub, HouseholdRegistry),
    recorded in a deployment registry file."""

    node: AnvilNode
    workdir: Path
    build_dir: Path = PROJECT_ROOT / "build"
    web3: Web3 = field(init=False)

    def __post_init__(self):
        self.web3 = connect(self.node.rpc_url)
        self.admin = self.web3.eth.accounts[0]
        self.deployments = self.workdir / "deployments.json"

    def deploy_platform(self, quorum: int, notice_period: int = 7 * DAY, transition_period: int = 3 * 365 * DAY,
                        routes: dict | None = None) -> None:
        """The platform afresh (k = ``quorum``; ``routes`` as govchain.deploy's DEFAULT_ROUTES, which are the
        default), recorded for the oracle and the flow to find."""
        settings = Settings(oracle_quorum=quorum, notice_period=notice_period, transition_period=transition_period,
                            routes=routes or DEFAULT_ROUTES)
        platform = deploy_platform(self.web3, NodeAccountSender(self.web3, self.admin, self.build_dir), settings,
                                   registry=DeploymentRegistry(self.deployments), redeploy=True,
                                   build_dir=self.build_dir)
        self.roles, self.registry, self.hub, self.households = (
            platform.contract(name) for name in ("RoleRegistry", "EligibilityRegistry", "ApprovalHub",
                                                 "HouseholdRegistry"))

    def new_oracle(self, region: int | None = PROVINCE, fund: bool = True):
        """A fresh account, granted ORACLE over ``region`` (none if None) and funded."""
        account = Account.create()
        if region is not None:
            tx = self.roles.functions.grantRoleIn(role_id("ORACLE"), account.address, region).transact(
                {"from": self.admin}
            )
            self.web3.eth.wait_for_transaction_receipt(tx)
        if fund:
            self.web3.provider.make_request("anvil_setBalance", [account.address, hex(10**18)])
        return account

    def network_config(self) -> NetworkConfig:
        return NetworkConfig(
            rpc_url=self.node.rpc_url, chain_id=self.web3.eth.chain_id, deployments_path=self.deployments
        )


def oracle_command(chain: LocalChain, results: Path, state: Path, ipfs_api: str, *extra: str) -> list[str]:
    return oracle_run_command(
        chain.network_config(), results, state, ipfs_api, "--poll", "0.3", "--max-backoff", "1", *extra
    )


def oracle_env(account, pseudonym_key: bytes, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOVCHAIN_")}
    env.update(
        GOVCHAIN_ORACLE_PRIVATE_KEY="0x" + bytes(account.key).hex(),
        GOVCHAIN_PSEUDONYM_KEY=pseudonym_key.hex(),
        PYTHONPATH=str(PROJECT_ROOT),
        **extra,
    )
    return env


def run_oracle_once(chain, results, state, ipfs_api, account, pseudonym_key, timeout=120, **env_extra):
    """Runs ``python -m oracle run --once`` to the end; returns the completed process."""
    return subprocess.run(
        oracle_command(chain, results, state, ipfs_api, "--once"),
        env=oracle_env(account, pseudonym_key, **env_extra),
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
