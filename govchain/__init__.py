"""Shared chain access for the GovChain platform.

The oracle, the indexer, the dashboard and the brownie scripts all reach the chain through this package:
network configuration (:mod:`govchain.config`), the deployment registry (:mod:`govchain.deployments`),
contract handles built from brownie's build artifacts (:mod:`govchain.chain`), region codes
(:mod:`govchain.regions`), role identifiers (:mod:`govchain.roles`) and one exception tree
(:mod:`govchain.errors`).
"""

from govchain.errors import GovchainError

__all__ = ["GovchainError"]
