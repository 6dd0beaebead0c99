"""scripts/deploy.py (through govchain.deploy) on brownie's local chain: records, reuses, redeploys, wires clients and
routes, hands over administration."""

from dataclasses import replace

import pytest

from govchain import deploy as platform_deploy
from govchain.deployments import DeploymentRegistry
from govchain.roles import DEFAULT_ADMIN_ROLE, ROLE_IDS
from scripts import deploy

CONTRACTS = ("RoleRegistry", "EligibilityRegistry", "ApprovalHub", "HouseholdRegistry")


@pytest.fixture
def registry_path(tmp_path, monkeypatch):
    path = tmp_path / "deployments.json"
    monkeypatch.setenv("GOVCHAIN_DEPLOYMENTS", str(path))
    for name in ("GOVCHAIN_ADMIN", "GOVCHAIN_REDEPLOY", "GOVCHAIN_ORACLE_QUORUM", "GOVCHAIN_NOTICE_DAYS",
                 "GOVCHAIN_BATCH_SCOPE_LEVELS", "GOVCHAIN_ADMIN_DELAY_HOURS"):
        monkeypatch.delenv(name, raising=False)
    return path


def test_deploy_records_every_contract_for_this_chain(registry_path, web3):
    deployed = deploy.main()
    recorded = DeploymentRegistry(registry_path).all(web3.eth.chain_id)
    assert {name: recorded[name].address for name in CONTRACTS} == {name: deployed[name].address for name in CONTRACTS}


def test_second_deploy_reuses_every_recorded_contract(registry_path):
    first = {name: contract.address for name, contract in deploy.main().items()}
    assert {name: contract.address for name, contract in deploy.main().items()} == first


def stale_role_registry_record(registry_path, web3):
    """Marks the recorded RoleRegistry as built from other sources."""
    registry = DeploymentRegistry(registry_path)
    recorded = registry.get(web3.eth.chain_id, "RoleRegistry")
    registry.record(web3.eth.chain_id, "RoleRegistry", replace(recorded, code_hash="0x" + "ab" * 32))


def test_a_contract_built_from_other_sources_is_deployed_afresh_on_the_local_chain(registry_path, web3):
    first = deploy.main()
    stale_role_registry_record(registry_path, web3)
    second = deploy.main()
    # The contracts built on the role registry follow it.
    assert all(second[name].address != first[name].address for name in CONTRACTS)


def test_a_contract_built_from_other_sources_stops_the_deploy_on_another_chain(registry_path, web3, monkeypatch):
    first = deploy.main()
    stale_role_registry_record(registry_path, web3)
    monkeypatch.setattr(platform_deploy, "LOCAL_CHAIN_ID", web3.eth.chain_id + 1)
    with pytest.raises(SystemExit, match="built from other sources"):
        deploy.main()
    assert (
        DeploymentRegistry(registry_path).get(web3.eth.chain_id, "RoleRegistry").address
        == first["RoleRegistry"].address
    )


def test_redeploy_flag_deploys_new_contracts(registry_path, monkeypatch):
    first = deploy.main()
    monkeypatch.setenv("GOVCHAIN_REDEPLOY", "1")
    second = deploy.main()
    assert all(second[name].address != first[name].address for name in CONTRACTS)


def test_contracts_are_wired_to_the_role_registry_and_eligibility_registry(registry_path):
    deployed = deploy.main()
    assert deployed["EligibilityRegistry"].roles() == deployed["RoleRegistry"]
    assert deployed["HouseholdRegistry"].eligibility() == deployed["EligibilityRegistry"]
    assert deployed["HouseholdRegistry"].approvalHub() == deployed["ApprovalHub"]
    assert deployed["ApprovalHub"].roles() == deployed["RoleRegistry"]


def test_the_household_registry_is_registered_on_the_hub_for_registration_and_exit(registry_path):
    deployed = deploy.main()
    kinds = deployed["ApprovalHub"].clientKinds(deployed["HouseholdRegistry"])
    assert kinds == (1 << deploy.REGISTRATION) | (1 << deploy.EXIT)


def test_a_redeployed_household_registry_on_a_reused_hub_is_registered_again(registry_path, web3):
    first = deploy.main()
    registry = DeploymentRegistry(registry_path)
    recorded = registry.get(web3.eth.chain_id, "HouseholdRegistry")
    registry.record(web3.eth.chain_id, "HouseholdRegistry", replace(recorded, code_hash="0x" + "cd" * 32))
    second = deploy.main()
    assert second["ApprovalHub"] == first["ApprovalHub"] and second["HouseholdRegistry"] != first["HouseholdRegistry"]
    assert second["ApprovalHub"].clientKinds(second["HouseholdRegistry"]) != 0


def test_settings_come_from_the_environment(registry_path, monkeypatch):
    monkeypatch.setenv("GOVCHAIN_ORACLE_QUORUM", "3")
    monkeypatch.setenv("GOVCHAIN_NOTICE_DAYS", "10")
    deployed = deploy.main()
    assert deployed["EligibilityRegistry"].quorum() == 3
    assert deployed["HouseholdRegistry"].noticePeriod() == 10 * deploy.DAY


def test_batches_are_scoped_at_counties_unless_configured(registry_path):
    assert deploy.main()["EligibilityRegistry"].scopeLevels() == 1 << 3


def test_batch_scope_levels_come_from_the_environment(registry_path, monkeypatch):
    monkeypatch.setenv("GOVCHAIN_BATCH_SCOPE_LEVELS", "3,4")
    assert deploy.main()["EligibilityRegistry"].scopeLevels() == (1 << 3) | (1 << 4)


def test_batch_scope_levels_outside_province_to_village_stop_the_deploy():
    with pytest.raises(platform_deploy.DeployError, match="province"):
        platform_deploy.Settings.from_env({"GOVCHAIN_BATCH_SCOPE_LEVELS": "3,6"})


def test_registration_route_runs_village_leader_township_reviewer_county_leader(registry_path):
    hub = deploy.main()["ApprovalHub"]
    kind, levels = hub.route(hub.routeFor(deploy.REGISTRATION, 0, 0))
    assert kind == deploy.REGISTRATION
    assert [(level[0], level[1], level[2]) for level in levels] == [
        ("0x" + ROLE_IDS["LEADER"].hex(), 5, 1),
        ("0x" + ROLE_IDS["REVIEWER"].hex(), 4, 1),
        ("0x" + ROLE_IDS["LEADER"].hex(), 3, 1),
    ]


def test_exit_route_covers_any_amount(registry_path):
    hub = deploy.main()["ApprovalHub"]
    assert hub.routeFor(deploy.EXIT, 0, deploy.ANY_AMOUNT) == hub.routeFor(deploy.EXIT, 0, 0) != 0


def test_deploy_schedules_administration_for_the_configured_multisig(registry_path, monkeypatch, accounts, chain):
    multisig = accounts[5]
    monkeypatch.setenv("GOVCHAIN_ADMIN", multisig.address)
    role_registry = deploy.main()["RoleRegistry"]
    new_admin, accept_after = role_registry.pendingDefaultAdmin()
    assert new_admin == multisig
    assert accept_after == chain[-1].timestamp + 48 * 3600  # scheduled by the deploy's last transaction
    assert role_registry.defaultAdmin() == accounts[0]


def test_the_multisig_governs_alone_once_it_accepts_after_the_delay(registry_path, monkeypatch, accounts, chain):
    multisig = accounts[5]
    monkeypatch.setenv("GOVCHAIN_ADMIN", multisig.address)
    role_registry = deploy.main()["RoleRegistry"]
    chain.sleep(role_registry.pendingDefaultAdmin()[1] - chain.time() + 1)
    role_registry.acceptDefaultAdminTransfer({"from": multisig})
    assert role_registry.hasRole(DEFAULT_ADMIN_ROLE, multisig)
    assert not role_registry.hasRole(DEFAULT_ADMIN_ROLE, accounts[0])
    assert role_registry.getRoleMemberCount(DEFAULT_ADMIN_ROLE) == 1


def test_the_admin_delay_comes_from_the_environment(registry_path, monkeypatch):
    monkeypatch.setenv("GOVCHAIN_ADMIN_DELAY_HOURS", "72")
    assert deploy.main()["RoleRegistry"].defaultAdminDelay() == 72 * 3600
