"""A real local chain for the oracle tests: anvil from npm, the registries deployed with web3 from brownie's
build artifacts, ORACLE accounts of their own, and helpers to run ``python -m oracle run`` as a process."""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from eth_account import Account
from web3 import Web3

from govchain.chain import deploy_contract as deploy  # tests import it from here too
from govchain.config import PROJECT_ROOT, NetworkConfig
from govchain.deployments import Deployment, DeploymentRegistry
from govchain.flow import oracle_run_command
from govchain.localnode import AnvilNode
from govchain.roles import role_id

PROVINCE = 530000000000  # covers the counties 530102 and 530103 of the test results


@dataclass
class LocalChain:
    """anvil with a RoleRegistry and an EligibilityRegistry (and, on request, a HouseholdRegistry), recorded in a
    deployment registry file."""

    node: AnvilNode
    workdir: Path
    build_dir: Path = PROJECT_ROOT / "build"
    web3: Web3 = field(init=False)

    def __post_init__(self):
        self.web3 = Web3(Web3.HTTPProvider(self.node.rpc_url))
        self.admin = self.web3.eth.accounts[0]
        self.deployments = self.workdir / "deployments.json"

    def deploy_registries(self, quorum: int) -> None:
        """Fresh RoleRegistry and EligibilityRegistry (k = ``quorum``), recorded for the oracle to find."""
        self.roles, roles_receipt = deploy(self.web3, self.build_dir, "RoleRegistry", self.admin, sender=self.admin)
        self.registry, receipt = deploy(
            self.web3, self.build_dir, "EligibilityRegistry", self.roles.address, quorum, sender=self.admin
        )
        registry = DeploymentRegistry(self.deployments)
        chain_id = self.web3.eth.chain_id
        for name, contract, rec in (("RoleRegistry", self.roles, roles_receipt), ("EligibilityRegistry", self.registry, receipt)):
            registry.record(chain_id, name, Deployment(contract.address, "0x" + bytes(rec.transactionHash).hex(), rec.blockNumber))

    def deploy_household_registry(self, notice_period: int, transition_period: int, routes: dict) -> None:
        """A HouseholdRegistry on the registries above, with ``routes`` ({kind: [(role, region level, M,
        timeout)]}, as scripts/deploy.py's HOUSEHOLD_ROUTES) for every amount, recorded like them."""
        self.households, rec = deploy(
            self.web3, self.build_dir, "HouseholdRegistry", self.roles.address, self.registry.address, notice_period,
            transition_period, sender=self.admin,
        )
        for kind, levels in routes.items():
            encoded = [(role_id(role), region_level, threshold, timeout) for role, region_level, threshold, timeout in levels]
            defined = self.web3.eth.wait_for_transaction_receipt(
                self.households.functions.defineRoute(kind, encoded).transact({"from": self.admin})
            )
            route_id = self.households.events.RouteDefined().process_receipt(defined)[0]["args"]["routeId"]
            self.web3.eth.wait_for_transaction_receipt(
                self.households.functions.setRouteBands(kind, 0, [(2**128 - 1, route_id)]).transact({"from": self.admin})
            )
        DeploymentRegistry(self.deployments).record(
            self.web3.eth.chain_id, "HouseholdRegistry",
            Deployment(self.households.address, "0x" + bytes(rec.transactionHash).hex(), rec.blockNumber),
        )

    def new_oracle(self, region: int | None = PROVINCE, fund: bool = True):
        """A fresh account, granted ORACLE over ``region`` (none if None) and funded."""
        account = Account.create()
        if region is not None:
            tx = self.roles.functions.grantRoleIn(role_id("ORACLE"), account.address, region).transact({"from": self.admin})
            self.web3.eth.wait_for_transaction_receipt(tx)
        if fund:
            self.web3.provider.make_request("anvil_setBalance", [account.address, hex(10**18)])
        return account

    def network_config(self) -> NetworkConfig:
        return NetworkConfig(rpc_url=self.node.rpc_url, chain_id=self.web3.eth.chain_id, deployments_path=self.deployments)


def oracle_command(chain: LocalChain, results: Path, state: Path, ipfs_api: str, *extra: str) -> list[str]:
    return oracle_run_command(chain.network_config(), results, state, ipfs_api, "--poll", "0.3", "--max-backoff", "1", *extra)


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
