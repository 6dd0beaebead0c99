"""Shared chain access for the GovChain platform: the ground floor every other package builds on (it imports none
of them).

The oracle, the indexer, the dashboard, the orchestration and the brownie scripts reach the chain through it:
settings from the environment and ``.env`` (:mod:`govchain.config`), the deployment registry
(:mod:`govchain.deployments`) and the one deploy path (:mod:`govchain.deploy`), contract handles built from
brownie's build artifacts (:mod:`govchain.chain`), the contracts' enums (:mod:`govchain.enums`), struct results
read by name (:mod:`govchain.structs`), revert data decoded into custom errors (:mod:`govchain.reverts`), event
logs read in ranges and decoded (:mod:`govchain.events`), the hub's EIP-712 approvals
(:mod:`govchain.approvals`), region codes (:mod:`govchain.regions`), role identifiers (:mod:`govchain.roles`),
a local anvil and the project's tools (:mod:`govchain.localnode`) and one exception tree
(:mod:`govchain.errors`).
"""

from govchain.errors import GovchainError

__all__ = ["GovchainError"]
