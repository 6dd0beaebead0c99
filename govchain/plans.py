"""Support plans: the ids PlanRegistry gives its hub subjects and supervision targets, and its constants.

The enums of contracts/interfaces/IPlanRegistry.sol live in govchain/enums.py (checked against the compiled
contracts there) and are re-exported here. The subject kinds are the hub's one namespace
(govchain.deploy.SUBJECT_KINDS).
"""

from __future__ import annotations

from govchain.enums import MilestoneStatus, PlanStatus, SupportType, VersionStatus  # noqa: F401 (re-exported)

# Subject kinds of PlanRegistry on the approval hub (PlanRegistry.PLAN_KIND, MILESTONE_KIND).
PLAN_KIND, MILESTONE_KIND = 3, 4
# The consequence of an upheld finding that cancels a plan (PlanRegistry.CONSEQUENCE_CANCEL).
CONSEQUENCE_CANCEL = 1
# Beneficiaries.statuses bits: registered, exited and in the transition period, under monitoring.
REGISTERED, IN_TRANSITION, UNDER_MONITORING = 1, 2, 4

# The key layout of PlanRegistry's ids (56 bits): tag (8) | plan id (32) | low (16).
TAG_VERSION, TAG_MILESTONE, TAG_PLAN_TARGET, TAG_MILESTONE_TARGET = 1, 2, 3, 4
_REGION_BITS, _KEY_BITS = 40, 56


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
