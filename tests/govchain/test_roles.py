"""govchain/roles.py agrees with contracts/access/Roles.sol, the one Solidity home of the role ids."""

import re

from eth_utils import keccak

from govchain.config import PROJECT_ROOT
from govchain.roles import DEFAULT_ADMIN_ROLE, ROLE_IDS, ROLE_NAMES, role_id

ROLES_SOL = PROJECT_ROOT / "contracts" / "access" / "Roles.sol"


def solidity_roles() -> dict[str, str]:
    """NAME → the text inside keccak256("...") of every role constant of Roles.sol."""
    source = ROLES_SOL.read_text(encoding="utf-8")
    return dict(re.findall(r'bytes32 internal constant (\w+) = keccak256\("(\w+)"\);', source))


def solidity_regional_order() -> list[str]:
    source = ROLES_SOL.read_text(encoding="utf-8")
    body = re.search(r"function regional\(\).*?return \[(.*?)\];", source, re.S).group(1)
    return [name.strip() for name in body.split(",")]


def test_every_python_role_is_a_solidity_role_of_the_same_name_and_back():
    assert sorted(solidity_roles()) == sorted(ROLE_NAMES)


def test_each_solidity_role_hashes_its_own_name():
    assert all(constant == hashed for constant, hashed in solidity_roles().items())


def test_the_regional_roles_are_listed_in_the_same_order():
    assert solidity_regional_order() == list(ROLE_NAMES)


def test_python_role_ids_are_the_keccak_of_their_names():
    assert all(ROLE_IDS[name] == keccak(text=name) == role_id(name) for name in ROLE_NAMES)


def test_the_admin_role_is_zero_on_both_sides():
    source = ROLES_SOL.read_text(encoding="utf-8")
    assert re.search(r"bytes32 internal constant DEFAULT_ADMIN = 0x00;", source)
    assert DEFAULT_ADMIN_ROLE == bytes(32)


def test_no_other_contract_hashes_a_role_name_itself():
    # Every contract takes its role ids from Roles.sol.
    names = "|".join(ROLE_NAMES)
    offenders = [
        str(path.relative_to(PROJECT_ROOT))
        for path in (PROJECT_ROOT / "contracts").rglob("*.sol")
        if path != ROLES_SOL and re.search(rf'keccak256\("({names})"\)', path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
