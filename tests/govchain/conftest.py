"""A role registry and an approval hub on an anvil of their own (started and stopped by PID), through web3.py."""

import pytest
from web3 import Web3

from govchain.chain import load_artifact
from govchain.config import NetworkConfig
from govchain.localnode import AnvilNode


def deploy(web3: Web3, name: str, *args):
    artifact = load_artifact(NetworkConfig().build_dir, name)
    factory = web3.eth.contract(abi=artifact["abi"], bytecode=artifact["bytecode"])
    receipt = web3.eth.wait_for_transaction_receipt(factory.constructor(*args).transact({"from": web3.eth.accounts[0]}))
    return web3.eth.contract(address=receipt.contractAddress, abi=artifact["abi"])


@pytest.fixture(scope="module")
def hub_chain():
    """(web3, RoleRegistry, ApprovalHub) on a fresh anvil."""
    with AnvilNode() as node:
        web3 = Web3(Web3.HTTPProvider(node.rpc_url))
        roles = deploy(web3, "RoleRegistry", web3.eth.accounts[0], 2 * 86400)
        yield web3, roles, deploy(web3, "ApprovalHub", roles.address)
