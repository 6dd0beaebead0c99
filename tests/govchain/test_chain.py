"""govchain.chain, config and deployments against a real local anvil node (started and stopped by PID)."""

import pytest
from eth_account import Account
from web3 import Web3

from govchain.chain import Chain, connect, load_artifact
from govchain.config import NetworkConfig
from govchain.deployments import Deployment, DeploymentRegistry
from govchain.errors import (
    ArtifactMissingError,
    ConfigError,
    NodeUnreachableError,
    NotDeployedError,
    WrongChainError,
)
from govchain.localnode import LOCAL_CHAIN_ID, AnvilNode, free_port
from govchain.roles import ROLE_IDS

VILLAGE = 530102001001


@pytest.fixture(scope="module")
def node():
    with AnvilNode() as running:
        yield running


@pytest.fixture
def config(node, tmp_path):
    return NetworkConfig(rpc_url=node.rpc_url, chain_id=LOCAL_CHAIN_ID, deployments_path=tmp_path / "deployments.json")


def deploy_role_registry(web3: Web3) -> tuple[str, str, int]:
    artifact = load_artifact(NetworkConfig().build_dir, "RoleRegistry")
    admin = web3.eth.accounts[0]
    factory = web3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    tx = factory.constructor(admin, 2 * 86400).transact({"from": admin})  # admin, administrator transfer delay
    receipt = web3.eth.wait_for_transaction_receipt(tx)
    return receipt.contractAddress, tx.hex(), receipt.blockNumber


def test_contract_handle_reads_a_deployed_role_registry(config):
    chain = Chain(config)
    address, tx, block = deploy_role_registry(chain.web3)
    chain.registry.record(LOCAL_CHAIN_ID, "RoleRegistry", Deployment(address, tx, block))
    registry = chain.contract("RoleRegistry")
    assert registry.functions.isRegionalRole(ROLE_IDS["LEADER"]).call()
    assert not registry.functions.hasRoleIn(ROLE_IDS["LEADER"], Account.create().address, VILLAGE).call()


def test_a_connection_asks_the_node_for_its_chain_id_once_however_many_calls_validate_it(node):
    web3 = connect(node.rpc_url)
    sent = []
    send = web3.provider._make_request
    web3.provider._make_request = lambda method, params: sent.append(method) or send(method, params)
    for _ in range(5):
        web3.eth.call({"to": web3.eth.accounts[0], "data": "0x"})  # each call is validated against the chain id
    assert sent.count("eth_call") == 5 and sent.count("eth_chainId") <= 2  # web3.py's cache set-up asks once too


def test_unreachable_node_raises_node_unreachable_with_the_url(tmp_path):
    url = f"http://127.0.0.1:{free_port()}"
    chain = Chain(NetworkConfig(rpc_url=url, deployments_path=tmp_path / "d.json"), request_timeout=2)
    with pytest.raises(NodeUnreachableError, match=url):
        _ = chain.chain_id


def test_node_on_another_chain_raises_wrong_chain_naming_both_ids(config):
    chain = Chain(NetworkConfig(rpc_url=config.rpc_url, chain_id=1337, deployments_path=config.deployments_path))
    with pytest.raises(WrongChainError, match="chain id 31337, but chain id 1337 was expected"):
        _ = chain.chain_id


def test_contract_missing_from_the_registry_raises_not_deployed(config):
    with pytest.raises(NotDeployedError, match="RoleRegistry is not deployed on chain id 31337: no entry"):
        Chain(config).contract("RoleRegistry")


def test_recorded_address_without_code_raises_not_deployed(config):
    DeploymentRegistry(config.deployments_path).record(
        LOCAL_CHAIN_ID, "RoleRegistry", Deployment(Account.create().address, "0x" + "00" * 32, 1)
    )
    with pytest.raises(NotDeployedError, match="holds no code"):
        Chain(config).contract("RoleRegistry")


def test_missing_artifact_raises_artifact_missing_with_the_compile_hint(tmp_path):
    with pytest.raises(ArtifactMissingError, match="brownie compile"):
        load_artifact(tmp_path, "RoleRegistry")


def test_registry_keeps_deployments_of_each_chain_apart(tmp_path):
    registry = DeploymentRegistry(tmp_path / "deployments.json")
    registry.record(1, "RoleRegistry", Deployment("0x" + "11" * 20, "0xaa", 5))
    registry.record(2, "RoleRegistry", Deployment("0x" + "22" * 20, "0xbb", 7))
    assert registry.get(1, "RoleRegistry").address == "0x" + "11" * 20
    assert registry.get(2, "RoleRegistry").block == 7
    assert registry.get(3, "RoleRegistry") is None


def test_corrupt_registry_file_raises_config_error_naming_the_file(tmp_path):
    path = tmp_path / "deployments.json"
    path.write_text("{not json")
    with pytest.raises(ConfigError, match=str(path)):
        DeploymentRegistry(path).get(1, "RoleRegistry")


def test_config_reads_rpc_url_and_chain_id_from_the_environment(tmp_path):
    config = NetworkConfig.from_env({"GOVCHAIN_RPC_URL": "http://node:8545", "GOVCHAIN_CHAIN_ID": "0x539"})
    assert (config.rpc_url, config.chain_id) == ("http://node:8545", 1337)


def test_config_rejects_a_chain_id_that_is_not_a_number():
    with pytest.raises(ConfigError, match="GOVCHAIN_CHAIN_ID"):
        NetworkConfig.from_env({"GOVCHAIN_CHAIN_ID": "mainnet"})


def test_anvil_node_stopped_by_pid_leaves_nothing_listening():
    node = AnvilNode().start()
    pid = node.process.pid
    node.stop()
    assert node.process.poll() is not None
    with pytest.raises(ProcessLookupError):
        import os

        os.kill(pid, 0)
