"""scripts/deploy.py on brownie's local chain: records, reuses, redeploys, hands over administration."""

import pytest

from govchain.deployments import DeploymentRegistry
from govchain.roles import DEFAULT_ADMIN_ROLE
from scripts import deploy


@pytest.fixture
def registry_path(tmp_path, monkeypatch):
    path = tmp_path / "deployments.json"
    monkeypatch.setenv("GOVCHAIN_DEPLOYMENTS", str(path))
    monkeypatch.delenv("GOVCHAIN_ADMIN", raising=False)
    monkeypatch.delenv("GOVCHAIN_REDEPLOY", raising=False)
    return path


def test_deploy_records_the_role_registry_for_this_chain(registry_path, web3):
    deployed = deploy.main()
    recorded = DeploymentRegistry(registry_path).get(web3.eth.chain_id, "RoleRegistry")
    assert recorded.address == deployed["RoleRegistry"].address


def test_second_deploy_reuses_the_recorded_contract(registry_path):
    first = deploy.main()["RoleRegistry"].address
    assert deploy.main()["RoleRegistry"].address == first


def test_redeploy_flag_deploys_a_new_contract(registry_path, monkeypatch):
    first = deploy.main()["RoleRegistry"].address
    monkeypatch.setenv("GOVCHAIN_REDEPLOY", "1")
    assert deploy.main()["RoleRegistry"].address != first


def test_deploy_hands_administration_to_the_configured_multisig(registry_path, monkeypatch, accounts):
    multisig = accounts[5]
    monkeypatch.setenv("GOVCHAIN_ADMIN", multisig.address)
    role_registry = deploy.main()["RoleRegistry"]
    assert role_registry.hasRole(DEFAULT_ADMIN_ROLE, multisig)
    assert not role_registry.hasRole(DEFAULT_ADMIN_ROLE, accounts[0])
    assert role_registry.getRoleMemberCount(DEFAULT_ADMIN_ROLE) == 1
