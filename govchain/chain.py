"""Contract handles for web3.py, built from brownie's build artifacts and the deployment registry.

Components that only read or sign (oracle, indexer, dashboard) use this instead of brownie's runtime, so
they run against any JSON-RPC node, anvil or Besu alike.
"""

from __future__ import annotations

import json
from functools import cached_property
from pathlib import Path

from web3 import Web3
from web3.contract import Contract

from govchain.config import NetworkConfig
from govchain.deployments import DeploymentRegistry
from govchain.errors import ArtifactMissingError, NodeUnreachableError, NotDeployedError, WrongChainError


def load_artifact(build_dir: Path, name: str) -> dict:
    """Brownie's build artifact of contract ``name`` (abi, bytecode, ...)."""
    path = Path(build_dir) / "contracts" / f"{name}.json"
    if not path.exists():
        raise ArtifactMissingError(name, path)
    return json.loads(path.read_text(encoding="utf-8"))


class Chain:
    """A connection to one node, checked against the configured chain id."""

    def __init__(self, config: NetworkConfig, request_timeout: float = 10.0):
        self.config = config
        self.web3 = Web3(Web3.HTTPProvider(config.rpc_url, request_kwargs={"timeout": request_timeout}))
        self.registry = DeploymentRegistry(config.deployments_path)

    @cached_property
    def chain_id(self) -> int:
        """The node's chain id; raises when it differs from the configured one or the node is down."""
        try:
            actual = self.web3.eth.chain_id
        except Exception as exc:  # requests' and web3's connection errors have no common base class
            raise NodeUnreachableError(self.config.rpc_url, exc) from exc
        if self.config.chain_id is not None and actual != self.config.chain_id:
            raise WrongChainError(self.config.rpc_url, self.config.chain_id, actual)
        return actual

    def address_of(self, name: str) -> str:
        """The address of deployed contract ``name``, checked to hold code."""
        deployment = self.registry.get(self.chain_id, name)
        if deployment is None:
            raise NotDeployedError(name, self.chain_id, f"no entry in {self.registry.path}")
        if not self.web3.eth.get_code(deployment.address):
            raise NotDeployedError(
                name, self.chain_id, f"the recorded address {deployment.address} holds no code (was the chain reset?)"
            )
        return deployment.address

    def contract(self, name: str) -> Contract:
        """A web3.py handle on deployed contract ``name``."""
        abi = load_artifact(self.config.build_dir, name)["abi"]
        return self.web3.eth.contract(address=self.address_of(name), abi=abi)

