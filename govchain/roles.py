"""Role identifiers, shared with contracts/access/RoleRegistry.sol (``keccak256("<NAME>")``)."""

from __future__ import annotations

from eth_utils import keccak

# The regional roles of ARCHITECTURE.md §2. PUBLIC and DONOR need no role: anyone may read and donate.
ROLE_NAMES: tuple[str, ...] = (
    "INTAKE_CLERK",
    "HANDLER",
    "REVIEWER",
    "DISPATCHER",
    "GRID_WORKER",
    "LEADER",
    "DEPARTMENT",
    "SUPERVISOR",
    "ASSESSOR",
    "ANALYST",
    "TREASURY",
    "ORACLE",
    "BANK",
    "SUPPLIER",
    "ENTERPRISE",
)

DEFAULT_ADMIN_ROLE = b"\x00" * 32


def role_id(name: str) -> bytes:
    """The bytes32 identifier of a role name, as the contracts compute it."""
    if name not in ROLE_NAMES:
        raise KeyError(f"Unknown role {name!r}; known roles: {', '.join(ROLE_NAMES)}")
    return keccak(text=name)


ROLE_IDS: dict[str, bytes] = {name: keccak(text=name) for name in ROLE_NAMES}
ROLE_BY_ID: dict[bytes, str] = {value: name for name, value in ROLE_IDS.items()}
