"""Deploys the platform's contracts and records them in the deployment registry.

    brownie run scripts/deploy.py                  # local development chain
    make besu-network && brownie run scripts/deploy.py --network besu

What is deployed, in which order, and how it is wired (approval clients registered on the hub, routes) is
govchain/deploy.py's, the one deploy path the tests and the demo use too; this script brings brownie's account
(anvil's first account locally, an encrypted keystore elsewhere) and the deployment registry.

A contract already recorded for this chain id, whose address still holds code, is reused unless one of the
contracts it is built on was deployed afresh in this run; set GOVCHAIN_REDEPLOY=1 to deploy everything anew.
A recorded contract built from other sources than today's (its creation code differs) is deployed afresh on the
local chain; elsewhere the script stops, since the old contract holds grants and records a new one would not.

Settings (environment, see network/deploy.env): GOVCHAIN_ORACLE_QUORUM (k of the k-of-n oracle quorum,
default 2), GOVCHAIN_NOTICE_DAYS (public notice 公示, default 7, at least 5), GOVCHAIN_TRANSITION_DAYS
(脱贫不脱政策 transition period after exit, default 3 years), GOVCHAIN_BATCH_SCOPE_LEVELS (region levels eligibility
batches may be scoped at, comma-separated, default 3: counties; fixed when the EligibilityRegistry is deployed).

Administration: on a fresh deployment with GOVCHAIN_ADMIN set (the address of a multisig such as a Safe, or
of a TimelockController), the deployer schedules the transfer of DEFAULT_ADMIN_ROLE to it — after the clients
and routes are wired, since wiring needs governance — and the multisig accepts it with
`RoleRegistry.acceptDefaultAdminTransfer()` once GOVCHAIN_ADMIN_DELAY_HOURS (default 48) have passed; the
deployer's role ends then. From then on only that multisig or timelock can grant roles or change routes,
clients, quorum and periods; it hands administration on the same two-step way.
"""

from __future__ import annotations

from brownie import accounts, network, project, web3

from govchain import deploy as platform_deploy
from govchain.config import Settings
from govchain.deploy import ANY_AMOUNT, DAY, DEFAULT_ROUTES, EXIT, REGISTRATION  # noqa: F401 (the script's vocabulary)
from govchain.deployments import Deployment, DeploymentRegistry, code_hash


class BrownieSender:
    """Creates contracts and sends calls with a brownie account (which may sign with a keystore's key)."""

    def __init__(self, account):
        self.account = account
        self.address = account.address

    def _container(self, name: str):
        return getattr(project.get_loaded_projects()[0], name)

    def create(self, name: str, args: tuple) -> Deployment:
        container = self._container(name)
        contract = container.deploy(*args, {"from": self.account})
        return Deployment(contract.address, contract.tx.txid, contract.tx.block_number, code_hash(container.bytecode))

    def send(self, name: str, address: str, function: str, args: tuple) -> str:
        tx = getattr(self._container(name).at(address), function)(*args, {"from": self.account})
        return tx.txid


def deployer_account():
    """anvil's first unlocked account locally; an encrypted keystore (password prompted) elsewhere."""
    if network.show_active() in ("development", "anvil"):
        return accounts[0]
    keystore = Settings.from_env().deployer_keystore
    if not keystore:
        raise SystemExit("Set GOVCHAIN_DEPLOYER_KEYSTORE to the deployer's encrypted keystore file.")
    return accounts.load(str(keystore))


def main() -> dict:
    """Deploys (or reuses) every contract and wires them; returns them by name, as brownie contracts."""
    settings = Settings.from_env()
    sender = BrownieSender(deployer_account())
    registry = DeploymentRegistry(settings.network.deployments_path)
    try:
        deployed = platform_deploy.deploy_platform(
            web3, sender, platform_deploy.Settings.from_env(), registry=registry,
            redeploy=settings.redeploy, log=print,
        )
    except platform_deploy.DeployError as exc:
        raise SystemExit(str(exc)) from None
    new_admin = settings.admin
    if "RoleRegistry" in deployed.fresh and new_admin:
        if platform_deploy.hand_over_administration(deployed, sender, new_admin):
            print(f"RoleRegistry: administration transfer to {new_admin} scheduled; it must accept: "
                  f"{deployed.pending[-1]}")
    return {name: sender._container(name).at(address) for name, address in deployed.addresses.items()}
