"""Deploys the platform's contracts and records them in the deployment registry.

    brownie run scripts/deploy.py                  # local development chain
    make besu-network && brownie run scripts/deploy.py --network besu

A contract already recorded for this chain id, whose address still holds code, is reused unless one of the
contracts it is built on was deployed afresh in this run; set GOVCHAIN_REDEPLOY=1 to deploy everything anew.
A recorded contract built from other sources than today's (its creation code differs) is deployed afresh on the
local chain; elsewhere the script stops, since the old contract holds grants and records a new one would not.

Settings (environment, see network/deploy.env): GOVCHAIN_ORACLE_QUORUM (k of the k-of-n oracle quorum,
default 2), GOVCHAIN_NOTICE_DAYS (public notice 公示, default 7, at least 5), GOVCHAIN_TRANSITION_DAYS
(脱贫不脱政策 transition period after exit, default 3 years).

Administration: on a fresh deployment with GOVCHAIN_ADMIN set (the address of a multisig such as a Safe, or
of a TimelockController), DEFAULT_ADMIN_ROLE is granted to it and the deployer renounces its own — after the
approval routes are defined, since defining them needs governance. From then on only that multisig or
timelock can grant roles or change routes, quorum and periods.
"""

from __future__ import annotations

import os

from brownie import EligibilityRegistry, HouseholdRegistry, RoleRegistry, accounts, network, web3

from govchain.config import NetworkConfig
from govchain.deployments import Deployment, DeploymentRegistry, code_hash
from govchain.localnode import LOCAL_CHAIN_ID
from govchain.roles import DEFAULT_ADMIN_ROLE, ROLE_IDS

DAY = 86_400

# Subject kinds of the household registry (HouseholdRegistry.ProcedureKind).
REGISTRATION, EXIT = 1, 2

# Approval routes as (role, region level, threshold M, timeout before escalation). Region levels:
# 3 county, 4 township, 5 village. Registration (建档立卡): village leader, township reviewer, county leader;
# exit: township reviewer, county leader. Public notice follows the last level.
HOUSEHOLD_ROUTES: dict[int, list[tuple[str, int, int, int]]] = {
    REGISTRATION: [("LEADER", 5, 1, 3 * DAY), ("REVIEWER", 4, 1, 5 * DAY), ("LEADER", 3, 1, 7 * DAY)],
    EXIT: [("REVIEWER", 4, 1, 5 * DAY), ("LEADER", 3, 1, 7 * DAY)],
}
ANY_AMOUNT = 2**128 - 1


def setting(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def deployer_account():
    """anvil's first unlocked account locally; an encrypted keystore (password prompted) elsewhere."""
    if network.show_active() in ("development", "anvil"):
        return accounts[0]
    keystore = os.environ.get("GOVCHAIN_DEPLOYER_KEYSTORE")
    if not keystore:
        raise SystemExit("Set GOVCHAIN_DEPLOYER_KEYSTORE to the deployer's encrypted keystore file.")
    return accounts.load(keystore)


def deploy_or_reuse(registry: DeploymentRegistry, name: str, container, args: tuple, sender, force: bool = False):
    """The recorded deployment of ``name`` if it is live on this chain, else a fresh one (then recorded).

    Returns the contract and whether it was deployed in this run.
    """
    chain_id = web3.eth.chain_id
    recorded = registry.get(chain_id, name)
    redeploy = force or os.environ.get("GOVCHAIN_REDEPLOY", "") not in ("", "0")
    built = code_hash(container.bytecode)
    if recorded and not redeploy and len(web3.eth.get_code(recorded.address)) > 0:
        if recorded.code_hash == built:
            print(f"{name}: reusing {recorded.address} (deployed in block {recorded.block})")
            return container.at(recorded.address), False
        if chain_id != LOCAL_CHAIN_ID:
            raise SystemExit(
                f"{name} at {recorded.address} on chain {chain_id} was built from other sources than today's. "
                f"Its grants and records stay with it; set GOVCHAIN_REDEPLOY=1 to deploy today's build anew."
            )
        print(f"{name}: {recorded.address} was built from other sources; deploying today's build")
    contract = container.deploy(*args, {"from": sender})
    receipt = contract.tx
    registry.record(chain_id, name, Deployment(contract.address, receipt.txid, receipt.block_number, built))
    print(f"{name}: deployed at {contract.address}")
    return contract, True


def define_household_routes(household_registry, sender) -> None:
    """Defines the registration and exit routes and points every amount of each kind at them."""
    for kind, levels in HOUSEHOLD_ROUTES.items():
        encoded = [(ROLE_IDS[role], region_level, threshold, timeout) for role, region_level, threshold, timeout in levels]
        tx = household_registry.defineRoute(kind, encoded, {"from": sender})
        household_registry.setRouteBands(kind, 0, [(ANY_AMOUNT, tx.return_value)], {"from": sender})


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

    roles, roles_fresh = deploy_or_reuse(registry, "RoleRegistry", RoleRegistry, (sender,), sender)
    eligibility, eligibility_fresh = deploy_or_reuse(
        registry, "EligibilityRegistry", EligibilityRegistry,
        (roles, setting("GOVCHAIN_ORACLE_QUORUM", 2)), sender, force=roles_fresh,
    )
    households, households_fresh = deploy_or_reuse(
        registry, "HouseholdRegistry", HouseholdRegistry,
        (roles, eligibility, setting("GOVCHAIN_NOTICE_DAYS", 7) * DAY, setting("GOVCHAIN_TRANSITION_DAYS", 3 * 365) * DAY),
        sender, force=roles_fresh or eligibility_fresh,
    )
    if households_fresh:
        if roles.hasRole(DEFAULT_ADMIN_ROLE, sender):
            define_household_routes(households, sender)
        else:
            print("HouseholdRegistry: the deployer no longer governs; the administrators (GOVCHAIN_ADMIN) must "
                  f"define its approval routes: {HOUSEHOLD_ROUTES}")
    if roles_fresh:
        hand_over_administration(roles, sender)
    return {"RoleRegistry": roles, "EligibilityRegistry": eligibility, "HouseholdRegistry": households}
