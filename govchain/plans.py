"""Support plans: the enums of contracts/interfaces/IPlanRegistry.sol and the ids PlanRegistry gives its hub
subjects and supervision targets.

The enums are mirrored here, not copied by hand from memory: tests/govchain/test_plans.py checks each against
the Solidity declaration and the compiled ABI (its ``internalType`` names). The subject kinds are the hub's one
namespace (govchain.deploy.SUBJECT_KINDS).
"""

from __future__ import annotations

from enum import IntEnum

# Subject kinds of PlanRegistry on the approval hub (PlanRegistry.PLAN_KIND, MILESTONE_KIND).
PLAN_KIND, MILESTONE_KIND = 3, 4
# The consequence of an upheld finding that cancels a plan (PlanRegistry.CONSEQUENCE_CANCEL).
CONSEQUENCE_CANCEL = 1
# Beneficiaries.statuses bits: registered, exited and in the transition period, under monitoring.
REGISTERED, IN_TRANSITION, UNDER_MONITORING = 1, 2, 4

# The key layout of PlanRegistry's ids (56 bits): tag (8) | plan id (32) | low (16).
TAG_VERSION, TAG_MILESTONE, TAG_PLAN_TARGET, TAG_MILESTONE_TARGET = 1, 2, 3, 4
_REGION_BITS, _KEY_BITS = 40, 56


class SupportType(IntEnum):
    """帮扶类型: the eight support types of a plan (0 is never a plan's)."""

    NONE = 0
    POLICY = 1  # 政策
    PROJECT = 2  # 项目
    FUND = 3  # 资金
    MATERIAL = 4  # 物资
    INDUSTRY = 5  # 产业
    ENTERPRISE = 6  # 企业
    SOCIAL = 7  # 社会
    CROWDFUNDING = 8  # 众筹


class PlanStatus(IntEnum):
    NONE = 0
    DRAFT = 1
    SUBMITTED = 2
    RETURNED = 3
    APPROVED = 4
    EXECUTING = 5
    COMPLETED = 6
    REJECTED = 7
    CANCELLED = 8
    CLOSED = 9


class VersionStatus(IntEnum):
    NONE = 0
    DRAFT = 1
    SUBMITTED = 2
    APPROVED = 3
    REJECTED = 4
    WITHDRAWN = 5


class MilestoneStatus(IntEnum):
    PLANNED = 0
    REPORTED = 1
    APPROVED = 2
    REJECTED = 3


# Solidity enum name (in IPlanRegistry) -> its Python mirror.
ENUMS: dict[str, type[IntEnum]] = {
    "SupportType": SupportType,
    "PlanStatus": PlanStatus,
    "VersionStatus": VersionStatus,
    "MilestoneStatus": MilestoneStatus,
}


def plan_id_of(registry: str, tag: int, plan_id: int, low: int, region: int) -> int:
    """The hub subject or supervision target id of PlanRegistry ``registry`` (an address) for ``tag``."""
    key = tag << 48 | plan_id << 16 | low
    return int(registry, 16) << (_REGION_BITS + _KEY_BITS) | key << _REGION_BITS | region


def version_subject(registry: str, plan_id: int, version: int, region: int) -> int:
    return plan_id_of(registry, TAG_VERSION, plan_id, version, region)


def milestone_subject(registry: str, plan_id: int, index: int, attempt: int, region: int) -> int:
    return plan_id_of(registry, TAG_MILESTONE, plan_id, index << 8 | attempt, region)


def plan_target(registry: str, plan_id: int, region: int) -> int:
    return plan_id_of(registry, TAG_PLAN_TARGET, plan_id, 0, region)


def milestone_target(registry: str, plan_id: int, index: int, region: int) -> int:
    return plan_id_of(registry, TAG_MILESTONE_TARGET, plan_id, index << 8, region)
