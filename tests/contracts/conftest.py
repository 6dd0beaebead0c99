"""Fixtures for contract tests: deployments on brownie's local anvil, and named accounts."""

import pytest

from govchain.roles import ROLE_IDS

# Region codes of a small county used throughout the contract tests (12-digit statistical codes).
PROVINCE = 530000000000
CITY = 530100000000
COUNTY = 530102000000
TOWNSHIP = 530102001000
VILLAGE = 530102001001
OTHER_VILLAGE_SAME_TOWNSHIP = 530102001002
OTHER_TOWNSHIP_VILLAGE = 530102002001
OTHER_COUNTY_VILLAGE = 530103001001


@pytest.fixture(scope="module")
def admin(accounts):
    return accounts[0]


@pytest.fixture(scope="module")
def role_registry(RoleRegistry, admin):
    return RoleRegistry.deploy(admin, {"from": admin})


@pytest.fixture(scope="module")
def role():
    """Role name → bytes32 id, as the contracts compute it."""
    return ROLE_IDS
