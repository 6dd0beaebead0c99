"""RoleRegistry: region-scoped roles, their administration, and every revert."""

import brownie
import pytest
from brownie import ZERO_ADDRESS
from hypothesis import given, settings
from hypothesis import strategies as st

from govchain import regions
from govchain.roles import DEFAULT_ADMIN_ROLE, ROLE_IDS, ROLE_NAMES
from tests.contracts.conftest import (
    CITY,
    COUNTY,
    OTHER_COUNTY_VILLAGE,
    OTHER_TOWNSHIP_VILLAGE,
    OTHER_VILLAGE_SAME_TOWNSHIP,
    PROVINCE,
    TOWNSHIP,
    VILLAGE,
)

CLERK = ROLE_IDS["INTAKE_CLERK"]
# The delay of an administrator transfer (govchain.deploy Settings.admin_delay, the platform fixture's).
ADMIN_DELAY = 2 * 86400
MAX_ADMIN_DELAY = 30 * 86400
LEADER = ROLE_IDS["LEADER"]


@pytest.fixture(scope="module")
def official(accounts):
    return accounts[1]


@pytest.fixture(scope="module")
def stranger(accounts):
    return accounts[2]


def revert_text(error: str, *args) -> str:
    """The revert string brownie decodes from a custom error: ``"Name: arg1, arg2"`` (``"Name: "`` bare)."""
    return f"{error}: {', '.join(str(a) for a in args)}"


# --- roles and their ids ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ROLE_NAMES)
def test_every_role_constant_matches_the_python_role_id(role_registry, name):
    assert getattr(role_registry, name)() == "0x" + ROLE_IDS[name].hex()


@pytest.mark.parametrize("name", ROLE_NAMES)
def test_every_architecture_role_is_regional(role_registry, name):
    assert role_registry.isRegionalRole(ROLE_IDS[name])


def test_admin_role_is_not_regional(role_registry):
    assert not role_registry.isRegionalRole(DEFAULT_ADMIN_ROLE)


def test_deployer_given_as_admin_holds_the_default_admin_role(role_registry, admin):
    assert role_registry.hasRole(DEFAULT_ADMIN_ROLE, admin)
    assert role_registry.getRoleMemberCount(DEFAULT_ADMIN_ROLE) == 1


def test_constructor_rejects_a_zero_admin(RoleRegistry, admin):
    with brownie.reverts(revert_text("RoleRegistryZeroAccount")):
        RoleRegistry.deploy(ZERO_ADDRESS, ADMIN_DELAY, {"from": admin})


# --- granting ------------------------------------------------------------------------------------------------


def test_grant_emits_regional_role_granted_with_role_account_region_and_sender(role_registry, admin, official):
    tx = role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    event = tx.events["RegionalRoleGranted"]
    assert event["role"] == "0x" + CLERK.hex()
    assert event["account"] == official
    assert event["region"] == VILLAGE
    assert event["sender"] == admin


def test_grant_is_listed_by_regions_of_and_holders_in(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    role_registry.grantRoleIn(CLERK, official, OTHER_COUNTY_VILLAGE, {"from": admin})
    assert list(role_registry.regionsOf(CLERK, official)) == [VILLAGE, OTHER_COUNTY_VILLAGE]
    assert list(role_registry.holdersIn(CLERK, VILLAGE)) == [official]


def test_grant_by_a_non_admin_reverts_with_access_control_unauthorized_account(role_registry, official, stranger):
    with brownie.reverts(revert_text("AccessControlUnauthorizedAccount", official.address.lower(), DEFAULT_ADMIN_ROLE)):
        role_registry.grantRoleIn(CLERK, stranger, VILLAGE, {"from": official})


def test_grant_of_an_unknown_role_reverts_with_unknown_role(role_registry, admin, official):
    unknown = b"\x12" * 32
    with brownie.reverts(revert_text("RoleRegistryUnknownRole", unknown)):
        role_registry.grantRoleIn(unknown, official, VILLAGE, {"from": admin})


@pytest.mark.parametrize(
    "code",
    [
        0,  # no province
        99_999_999_999,  # 11 digits
        1_000_000_000_000,  # 13 digits
        530000001000,  # township under a zero city and county
        530100001001,  # village under a zero county
        530102000001,  # village under a zero township
    ],
)
def test_grant_over_an_invalid_region_reverts_with_invalid_region(role_registry, admin, official, code):
    with brownie.reverts(revert_text("RoleRegistryInvalidRegion", code)):
        role_registry.grantRoleIn(CLERK, official, code, {"from": admin})


def test_grant_to_the_zero_address_reverts_with_zero_account(role_registry, admin):
    with brownie.reverts(revert_text("RoleRegistryZeroAccount")):
        role_registry.grantRoleIn(CLERK, ZERO_ADDRESS, VILLAGE, {"from": admin})


def test_granting_the_same_grant_twice_reverts_with_grant_exists(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    with brownie.reverts(revert_text("RoleRegistryGrantExists", CLERK, official.address.lower(), VILLAGE)):
        role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})


def test_global_grant_of_a_regional_role_reverts_with_region_required(role_registry, admin, official):
    with brownie.reverts(revert_text("RoleRegistryRegionRequired", CLERK)):
        role_registry.grantRole(CLERK, official, {"from": admin})


# --- region coverage -----------------------------------------------------------------------------------------


def test_village_grant_covers_only_that_village(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    assert role_registry.hasRoleIn(CLERK, official, VILLAGE)
    assert not role_registry.hasRoleIn(CLERK, official, OTHER_VILLAGE_SAME_TOWNSHIP)
    assert not role_registry.hasRoleIn(CLERK, official, TOWNSHIP)


def test_township_grant_covers_its_villages_but_not_a_neighbouring_township(role_registry, admin, official):
    role_registry.grantRoleIn(LEADER, official, TOWNSHIP, {"from": admin})
    assert role_registry.hasRoleIn(LEADER, official, TOWNSHIP)
    assert role_registry.hasRoleIn(LEADER, official, VILLAGE)
    assert role_registry.hasRoleIn(LEADER, official, OTHER_VILLAGE_SAME_TOWNSHIP)
    assert not role_registry.hasRoleIn(LEADER, official, OTHER_TOWNSHIP_VILLAGE)
    assert not role_registry.hasRoleIn(LEADER, official, COUNTY)


def test_county_grant_covers_every_township_and_village_of_the_county(role_registry, admin, official):
    role_registry.grantRoleIn(LEADER, official, COUNTY, {"from": admin})
    for code in (COUNTY, TOWNSHIP, VILLAGE, OTHER_VILLAGE_SAME_TOWNSHIP, OTHER_TOWNSHIP_VILLAGE):
        assert role_registry.hasRoleIn(LEADER, official, code)
    assert not role_registry.hasRoleIn(LEADER, official, OTHER_COUNTY_VILLAGE)
    assert not role_registry.hasRoleIn(LEADER, official, CITY)


def test_province_grant_covers_a_village_in_any_of_its_counties(role_registry, admin, official):
    role_registry.grantRoleIn(LEADER, official, PROVINCE, {"from": admin})
    assert role_registry.hasRoleIn(LEADER, official, VILLAGE)
    assert role_registry.hasRoleIn(LEADER, official, OTHER_COUNTY_VILLAGE)
    assert not role_registry.hasRoleIn(LEADER, official, 540102001001)


def test_a_grant_of_one_role_does_not_give_another_role(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, COUNTY, {"from": admin})
    assert not role_registry.hasRoleIn(LEADER, official, VILLAGE)


def test_has_role_in_is_false_for_an_invalid_region(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, COUNTY, {"from": admin})
    assert not role_registry.hasRoleIn(CLERK, official, 530102000001)


def test_check_role_in_passes_for_a_covered_region(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, TOWNSHIP, {"from": admin})
    role_registry.checkRoleIn(CLERK, official, VILLAGE)


def test_check_role_in_reverts_with_unauthorized_outside_the_granted_region(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, TOWNSHIP, {"from": admin})
    with brownie.reverts(
        revert_text("RoleRegistryUnauthorized", official.address.lower(), CLERK, OTHER_TOWNSHIP_VILLAGE)
    ):
        role_registry.checkRoleIn(CLERK, official, OTHER_TOWNSHIP_VILLAGE)


# --- revoking and renouncing ----------------------------------------------------------------------------------


def test_revoke_removes_the_grant_and_emits_regional_role_revoked(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    tx = role_registry.revokeRoleIn(CLERK, official, VILLAGE, {"from": admin})
    event = tx.events["RegionalRoleRevoked"]
    assert (event["role"], event["account"], event["region"], event["sender"]) == (
        "0x" + CLERK.hex(),
        official,
        VILLAGE,
        admin,
    )
    assert not role_registry.hasRoleIn(CLERK, official, VILLAGE)
    assert list(role_registry.regionsOf(CLERK, official)) == []
    assert list(role_registry.holdersIn(CLERK, VILLAGE)) == []


def test_revoking_a_township_grant_keeps_a_separate_village_grant(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, TOWNSHIP, {"from": admin})
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    role_registry.revokeRoleIn(CLERK, official, TOWNSHIP, {"from": admin})
    assert role_registry.hasRoleIn(CLERK, official, VILLAGE)
    assert not role_registry.hasRoleIn(CLERK, official, OTHER_VILLAGE_SAME_TOWNSHIP)


def test_revoke_of_a_missing_grant_reverts_with_grant_not_found(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, TOWNSHIP, {"from": admin})
    # Covered, but not granted over exactly that village: revocation must name the grant itself.
    with brownie.reverts(revert_text("RoleRegistryGrantNotFound", CLERK, official.address.lower(), VILLAGE)):
        role_registry.revokeRoleIn(CLERK, official, VILLAGE, {"from": admin})


def test_revoke_by_a_non_admin_reverts_with_access_control_unauthorized_account(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    with brownie.reverts(revert_text("AccessControlUnauthorizedAccount", official.address.lower(), DEFAULT_ADMIN_ROLE)):
        role_registry.revokeRoleIn(CLERK, official, VILLAGE, {"from": official})


def test_holder_can_renounce_own_grant(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    tx = role_registry.renounceRoleIn(CLERK, VILLAGE, {"from": official})
    assert tx.events["RegionalRoleRevoked"]["sender"] == official
    assert not role_registry.hasRoleIn(CLERK, official, VILLAGE)


def test_renouncing_a_grant_not_held_reverts_with_grant_not_found(role_registry, stranger):
    with brownie.reverts(revert_text("RoleRegistryGrantNotFound", CLERK, stranger.address.lower(), VILLAGE)):
        role_registry.renounceRoleIn(CLERK, VILLAGE, {"from": stranger})


# --- official ids ----------------------------------------------------------------------------------------------
# Contracts record officials by a small id (approvers packed into a subject's slot); the id comes with the first
# regional grant and stays with the account.


def test_a_first_regional_grant_gives_the_next_official_id(role_registry, admin, official, stranger):
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    tx = role_registry.grantRoleIn(LEADER, stranger, TOWNSHIP, {"from": admin})
    assert (tx.events["OfficialEnrolled"]["account"], tx.events["OfficialEnrolled"]["official"]) == (stranger, 2)
    assert (role_registry.officialOf(official), role_registry.officialOf(stranger)) == (1, 2)
    assert (role_registry.accountOf(1), role_registry.accountOf(2)) == (official, stranger)


def test_a_further_grant_keeps_the_official_id(role_registry, admin, official):
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    tx = role_registry.grantRoleIn(LEADER, official, COUNTY, {"from": admin})
    assert "OfficialEnrolled" not in tx.events
    assert role_registry.officialOf(official) == 1


def test_an_official_keeps_the_id_after_losing_every_grant(role_registry, admin, official, stranger):
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    role_registry.revokeRoleIn(CLERK, official, VILLAGE, {"from": admin})
    role_registry.grantRoleIn(CLERK, stranger, VILLAGE, {"from": admin})
    role_registry.grantRoleIn(CLERK, official, VILLAGE, {"from": admin})
    assert (role_registry.officialOf(official), role_registry.officialOf(stranger)) == (1, 2)


def test_an_account_never_granted_a_regional_role_has_no_official_id(role_registry, stranger):
    assert role_registry.officialOf(stranger) == 0
    assert role_registry.accountOf(1) == ZERO_ADDRESS


def test_official_in_names_the_official_holding_the_role_through_a_region_above(role_registry, admin, official):
    role_registry.grantRoleIn(LEADER, official, COUNTY, {"from": admin})
    assert tuple(role_registry.officialIn(LEADER, official, VILLAGE)) == (1, True)


def test_official_in_names_an_official_without_the_role_as_unauthorized(role_registry, admin, official):
    role_registry.grantRoleIn(LEADER, official, VILLAGE, {"from": admin})
    assert tuple(role_registry.officialIn(LEADER, official, OTHER_VILLAGE_SAME_TOWNSHIP)) == (1, False)
    assert tuple(role_registry.officialIn(CLERK, official, VILLAGE)) == (1, False)


def test_official_in_after_a_revocation_is_unauthorized(role_registry, admin, official):
    role_registry.grantRoleIn(LEADER, official, TOWNSHIP, {"from": admin})
    role_registry.revokeRoleIn(LEADER, official, TOWNSHIP, {"from": admin})
    assert tuple(role_registry.officialIn(LEADER, official, VILLAGE)) == (1, False)


def test_official_in_for_a_stranger_is_id_zero_and_unauthorized(role_registry, stranger):
    assert tuple(role_registry.officialIn(LEADER, stranger, VILLAGE)) == (0, False)


# --- administration ------------------------------------------------------------------------------------------


def _schedule_admin_transfer(role_registry, admin, new_admin):
    """The current admin schedules the transfer; returns when it can be accepted."""
    role_registry.beginDefaultAdminTransfer(new_admin, {"from": admin})
    return role_registry.pendingDefaultAdmin()[1]


def test_admin_hands_administration_over_in_two_steps(role_registry, admin, official, chain):
    accept_after = _schedule_admin_transfer(role_registry, admin, official)
    chain.sleep(accept_after - chain.time() + 1)
    role_registry.acceptDefaultAdminTransfer({"from": official})
    assert role_registry.defaultAdmin() == official
    assert role_registry.getRoleMember(DEFAULT_ADMIN_ROLE, 0) == official
    assert role_registry.getRoleMemberCount(DEFAULT_ADMIN_ROLE) == 1


def test_the_old_admin_governs_no_more_once_the_transfer_is_accepted(role_registry, admin, official, chain):
    accept_after = _schedule_admin_transfer(role_registry, admin, official)
    chain.sleep(accept_after - chain.time() + 1)
    role_registry.acceptDefaultAdminTransfer({"from": official})
    with brownie.reverts(revert_text("AccessControlUnauthorizedAccount", admin.address.lower(), DEFAULT_ADMIN_ROLE)):
        role_registry.grantRoleIn(CLERK, admin, VILLAGE, {"from": admin})
    role_registry.grantRoleIn(CLERK, admin, VILLAGE, {"from": official})
    assert role_registry.hasRoleIn(CLERK, admin, VILLAGE)


def test_admin_transfer_waits_for_the_delay(role_registry, admin, official, chain):
    accept_after = _schedule_admin_transfer(role_registry, admin, official)
    assert accept_after == chain[-1].timestamp + ADMIN_DELAY
    chain.sleep(ADMIN_DELAY - 10)
    with brownie.reverts(revert_text("AccessControlEnforcedDefaultAdminDelay", accept_after)):
        role_registry.acceptDefaultAdminTransfer({"from": official})
    assert role_registry.defaultAdmin() == admin


def test_admin_transfer_is_accepted_only_by_the_scheduled_account(role_registry, admin, official, stranger, chain):
    accept_after = _schedule_admin_transfer(role_registry, admin, official)
    chain.sleep(accept_after - chain.time() + 1)
    with brownie.reverts(revert_text("AccessControlInvalidDefaultAdmin", stranger.address.lower())):
        role_registry.acceptDefaultAdminTransfer({"from": stranger})
    assert role_registry.defaultAdmin() == admin


def test_a_scheduled_admin_transfer_can_be_cancelled(role_registry, admin, official, chain):
    accept_after = _schedule_admin_transfer(role_registry, admin, official)
    role_registry.cancelDefaultAdminTransfer({"from": admin})
    chain.sleep(accept_after - chain.time() + 1)
    with brownie.reverts(revert_text("AccessControlInvalidDefaultAdmin", official.address.lower())):
        role_registry.acceptDefaultAdminTransfer({"from": official})


def test_the_admin_role_is_never_granted_directly(role_registry, admin, official):
    # A second administrator beside the first is what made sharing the role with address 0 possible.
    with brownie.reverts(revert_text("AccessControlEnforcedDefaultAdminRules")):
        role_registry.grantRole(DEFAULT_ADMIN_ROLE, official, {"from": admin})
    assert role_registry.getRoleMemberCount(DEFAULT_ADMIN_ROLE) == 1


def test_only_the_admin_schedules_an_admin_transfer(role_registry, official):
    with brownie.reverts(revert_text("AccessControlUnauthorizedAccount", official.address.lower(), DEFAULT_ADMIN_ROLE)):
        role_registry.beginDefaultAdminTransfer(official, {"from": official})


def test_an_admin_transfer_to_the_zero_account_is_refused(role_registry, admin):
    # Issue 15 #4 in OpenZeppelin's rules: a transfer to address 0, accepted after the delay, is how the
    # administrator renounces; here it is refused, so the registry cannot be left without one.
    with brownie.reverts(revert_text("RoleRegistryZeroAccount")):
        role_registry.beginDefaultAdminTransfer(ZERO_ADDRESS, {"from": admin})
    assert tuple(role_registry.pendingDefaultAdmin()) == (ZERO_ADDRESS, 0)
    assert role_registry.defaultAdmin() == admin


def test_renouncing_admin_on_behalf_of_another_account_reverts_with_bad_confirmation(role_registry, admin, official):
    with brownie.reverts(revert_text("AccessControlBadConfirmation")):
        role_registry.renounceRole(DEFAULT_ADMIN_ROLE, admin, {"from": official})


def test_the_admin_delay_is_at_most_thirty_days(RoleRegistry, admin):
    with brownie.reverts(revert_text("RoleRegistryAdminDelayTooLong", MAX_ADMIN_DELAY + 1, MAX_ADMIN_DELAY)):
        RoleRegistry.deploy(admin, MAX_ADMIN_DELAY + 1, {"from": admin})


def test_a_new_admin_delay_is_at_most_thirty_days(role_registry, admin):
    with brownie.reverts(revert_text("RoleRegistryAdminDelayTooLong", MAX_ADMIN_DELAY + 1, MAX_ADMIN_DELAY)):
        role_registry.changeDefaultAdminDelay(MAX_ADMIN_DELAY + 1, {"from": admin})
    assert role_registry.defaultAdminDelay() == ADMIN_DELAY


def test_renouncing_the_last_admin_reverts_with_last_admin(role_registry, admin):
    with brownie.reverts(revert_text("RoleRegistryLastAdmin", admin.address.lower())):
        role_registry.renounceRole(DEFAULT_ADMIN_ROLE, admin, {"from": admin})


def test_revoking_the_last_admin_reverts_with_last_admin(role_registry, admin):
    with brownie.reverts(revert_text("RoleRegistryLastAdmin", admin.address.lower())):
        role_registry.revokeRole(DEFAULT_ADMIN_ROLE, admin, {"from": admin})


def test_the_admin_role_cannot_be_granted_to_the_zero_address(role_registry, admin):
    # The attack of issue 15 #4: share the admin role with address 0, then renounce the real one.
    with brownie.reverts(revert_text("RoleRegistryZeroAccount")):
        role_registry.grantRole(DEFAULT_ADMIN_ROLE, ZERO_ADDRESS, {"from": admin})
    assert role_registry.getRoleMemberCount(DEFAULT_ADMIN_ROLE) == 1
    with brownie.reverts(revert_text("RoleRegistryLastAdmin", admin.address.lower())):
        role_registry.renounceRole(DEFAULT_ADMIN_ROLE, admin, {"from": admin})
    assert role_registry.hasRole(DEFAULT_ADMIN_ROLE, admin)


# --- region codes: Solidity and Python agree -----------------------------------------------------------------

region_like = st.one_of(
    st.integers(min_value=0, max_value=2**64 - 1),
    st.builds(
        lambda p, c, d, t, v: p * 10**10 + c * 10**8 + d * 10**6 + t * 10**3 + v,
        st.integers(0, 99), st.sampled_from([0, 1, 99]), st.sampled_from([0, 2, 99]),
        st.sampled_from([0, 1, 999]), st.sampled_from([0, 1, 999]),
    ),
)


def _python_is_valid(code: int) -> bool:
    try:
        regions.validate(code)
        return True
    except regions.InvalidRegionError:
        return False


@settings(max_examples=60, deadline=None)
@given(code=region_like)
def test_contract_and_python_agree_on_region_validity(role_registry, code):
    assert role_registry.isValidRegion(code) == _python_is_valid(code)
