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
from web3.types import RPCEndpoint

from govchain.config import NetworkConfig
from govchain.deployments import DeploymentRegistry
from govchain.errors import ArtifactMissingError, NodeUnreachableError, NotDeployedError, WrongChainError


def load_artifact(build_dir: Path, name: str) -> dict:
    """Brownie's build artifact of contract ``name`` (abi, bytecode, ...)."""
    path = Path(build_dir) / "contracts" / f"{name}.json"
    if not path.exists():
        raise ArtifactMissingError(name, path)
    return json.loads(path.read_text(encoding="utf-8"))


def node_gas_price(web3: Web3, transaction: dict) -> int:
    """The gas price the node asks for (eth_gasPrice): 0 on the platform's free-gas network."""
    return web3.eth.gas_price


def connect(rpc_url: str, request_timeout: float = 10.0) -> Web3:
    """A web3.py connection that sends legacy (type 0) transactions at the node's gas price.

    The production network has free gas (Besu with --min-gas-price=0 and a zero base fee, network/besu): its
    accounts hold no ether, and web3.py's default EIP-1559 fields would ask for a priority fee the node suggests
    (1 gwei on some nodes) above a max fee of twice a zero base fee, which the node refuses. With a gas price
    strategy web3.py fills ``gasPrice`` from eth_gasPrice instead: 0 there, whatever a local node asks for
    elsewhere. The oracle's signed transactions are built the same way (oracle/committer.py).
    """
    # eth_chainId is cached per connection: web3.py's validation asks for it before every call and transaction
    # (a second `make demo` sent it 1,300 times, a third of its requests); a node's chain id does not change.
    provider = Web3.HTTPProvider(rpc_url, request_kwargs={"timeout": request_timeout},
                                 cache_allowed_requests=True, cacheable_requests={RPCEndpoint("eth_chainId")})
    web3 = Web3(provider)
    web3.eth.set_gas_price_strategy(node_gas_price)
    return web3


class Chain:
    """A connection to one node, checked against the configured chain id."""

    def __init__(self, config: NetworkConfig, request_timeout: float = 10.0):
        self.config = config
        self.web3 = connect(config.rpc_url, request_timeout)
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

