"""Deploys the platform's contracts and records them in the deployment registry.

    brownie run scripts/deploy.py                  # local development chain
    make besu-network && brownie run scripts/deploy.py --network besu

A contract already recorded for this chain id, whose address still holds code, is reused; set
GOVCHAIN_REDEPLOY=1 to deploy afresh. On a fresh deployment with GOVCHAIN_ADMIN set (the address of a
multisig such as a Safe, or of a TimelockController), DEFAULT_ADMIN_ROLE is granted to it and the deployer
renounces its own, so that from then on only that multisig or timelock can grant or revoke roles.
"""

from __future__ import annotations

import os

from brownie import RoleRegistry, accounts, network, web3

from govchain.config import NetworkConfig
from govchain.deployments import Deployment, DeploymentRegistry
from govchain.roles import DEFAULT_ADMIN_ROLE


def deployer_account():
    """anvil's first unlocked account locally; an encrypted keystore (password prompted) elsewhere."""
    if network.show_active() in ("development", "anvil"):
        return accounts[0]
    keystore = os.environ.get("GOVCHAIN_DEPLOYER_KEYSTORE")
    if not keystore:
        raise SystemExit("Set GOVCHAIN_DEPLOYER_KEYSTORE to the deployer's encrypted keystore file.")
    return accounts.load(keystore)


def deploy_or_reuse(registry: DeploymentRegistry, name: str, container, args: tuple, sender):
    """The recorded deployment of ``name`` if it is live on this chain, else a fresh one (then recorded)."""
    chain_id = web3.eth.chain_id
    recorded = registry.get(chain_id, name)
    redeploy = os.environ.get("GOVCHAIN_REDEPLOY", "") not in ("", "0")
    if recorded and not redeploy and len(web3.eth.get_code(recorded.address)) > 0:
        print(f"{name}: reusing {recorded.address} (deployed in block {recorded.block})")
        return container.at(recorded.address), False
    contract = container.deploy(*args, {"from": sender})
    receipt = contract.tx
    registry.record(chain_id, name, Deployment(contract.address, receipt.txid, receipt.block_number))
    print(f"{name}: deployed at {contract.address}")
    return contract, True


def hand_over_administration(role_registry, sender) -> None:
    """Gives DEFAULT_ADMIN_ROLE to GOVCHAIN_ADMIN (multisig or timelock) and renounces the deployer's."""
    new_admin = os.environ.get("GOVCHAIN_ADMIN")
    if not new_admin or new_admin.lower() == sender.address.lower():
        return
    role_registry.grantRole(DEFAULT_ADMIN_ROLE, new_admin, {"from": sender})
    role_registry.renounceRole(DEFAULT_ADMIN_ROLE, sender, {"from": sender})
    print(f"RoleRegistry: administration handed over to {new_admin}")


def main() -> dict:
    """Deploys (or reuses) every contract; returns them by name."""
    sender = deployer_account()
    registry = DeploymentRegistry(NetworkConfig.from_env().deployments_path)
    role_registry, fresh = deploy_or_reuse(registry, "RoleRegistry", RoleRegistry, (sender,), sender)
    if fresh:
        hand_over_administration(role_registry, sender)
    return {"RoleRegistry": role_registry}
