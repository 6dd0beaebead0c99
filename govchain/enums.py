"""The contracts' enums, in one Python home: every other module and package imports them from here.

Solidity enums reach the ABI only as ``uint8`` (with an ``internalType`` such as ``enum IPlanRegistry.PlanStatus``),
so their member names and order live in the sources alone. tests/govchain/test_enums.py checks every enum below
against the compiler's own view of them, the ``EnumDefinition`` nodes of the solc AST in brownie's build
artifacts: member for member and in order (``PaidToWallet`` is ``PAID_TO_WALLET`` here), every enum the contracts
declare has its mirror in :data:`SOLIDITY_ENUMS`, and every ``enum`` an ABI names is one of them. The AST rather
than a regular expression over the source, because it is what the contracts were compiled from: comments,
formatting and imports cannot fool it, and its canonical names are the ABI's.

:class:`Decision` is not a Solidity enum (a leaf's ``decision`` is a ``uint8``, so a new value never breaks the
leaf encoding) but the constants of ``library EligibilityDecision`` in contracts/eligibility/EligibilityLeaf.sol;
the same test checks it against them. The pipeline's extra value 4 (verify: send to a field visit) is layered
on it in data_pipeline/reasons.py and never reaches the chain.
"""

from __future__ import annotations

from enum import IntEnum


class Decision(IntEnum):
    """The decision an eligibility leaf carries (EligibilityDecision); the oracle publishes leaves for 1-3 only."""

    NONE = 0
    ADMIT = 1  # candidate for registration as poor (建档立卡)
    EXIT = 2  # registered household that meets the exit rule (脱贫)
    MONITOR = 3  # at risk of (returning to) poverty: monitor (防返贫监测)


# -- approval hub (IApprovalHub) -------------------------------------------------------------------------------


class SubjectState(IntEnum):
    """IApprovalHub.SubjectState: where a subject stands on the hub."""

    NONE = 0
    PENDING = 1
    RETURNED = 2
    APPROVED = 3
    REJECTED = 4


class Outcome(IntEnum):
    """IApprovalHub.Outcome: what an ``ApprovalTransition`` event records."""

    SUBMITTED = 0
    APPROVED = 1
    ADVANCED = 2
    COMPLETED = 3
    RETURNED = 4
    RESUBMITTED = 5
    REJECTED = 6
    ESCALATED = 7
    CLOSED = 8


class SkipReason(IntEnum):
    """IApprovalHub.SkipReason: why a relayed signature of a batch was skipped."""

    EXPIRED = 0
    NONCE_USED = 1


# -- households (IHouseholdRegistry) ---------------------------------------------------------------------------


class HouseholdStatus(IntEnum):
    """IHouseholdRegistry.Status: a household's standing (建档立卡, 脱贫, 防返贫监测)."""

    NONE = 0
    REGISTERED = 1
    EXITED = 2
    MONITORING = 3


class ProcedureKind(IntEnum):
    """IHouseholdRegistry.ProcedureKind: the household procedures, numbered as their hub subject kinds."""

    NONE = 0
    REGISTRATION = 1
    EXIT = 2


class ObjectionState(IntEnum):
    """IHouseholdRegistry.ObjectionState: an objection (异议) raised during public notice."""

    NONE = 0
    OPEN = 1
    UPHELD = 2
    DISMISSED = 3


# -- plans (IPlanRegistry) -------------------------------------------------------------------------------------


class SupportType(IntEnum):
    """IPlanRegistry.SupportType, 帮扶类型: the eight support types of a plan (0 is never a plan's)."""

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
    """IPlanRegistry.PlanStatus: a plan's lifecycle."""

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
    """IPlanRegistry.VersionStatus: one version (amendment) of a plan."""

    NONE = 0
    DRAFT = 1
    SUBMITTED = 2
    APPROVED = 3
    REJECTED = 4
    WITHDRAWN = 5


class MilestoneStatus(IntEnum):
    """IPlanRegistry.MilestoneStatus: a milestone's report and acceptance (验收)."""

    PLANNED = 0
    REPORTED = 1
    APPROVED = 2
    REJECTED = 3


# -- funds (IFundLedger, IPaymentBatches) ----------------------------------------------------------------------


class AppropriationStatus(IntEnum):
    """IFundLedger.AppropriationStatus: a budget appropriation (预算指标)."""

    NONE = 0
    PROPOSED = 1
    APPROVED = 2
    REJECTED = 3


class Movement(IntEnum):
    """IFundLedger.Movement: the ledger's money movements."""

    MINTED = 0
    ESCROWED = 1
    RELEASED = 2
    PAID_TO_WALLET = 3
    BANK_INSTRUCTED = 4
    BANK_CONFIRMED = 5
    BANK_FAILED = 6
    RETURNED = 7
    RECOVERED = 8


class BatchStatus(IntEnum):
    """IPaymentBatches.BatchStatus: a payment batch (资金发放) on its route."""

    NONE = 0
    PENDING = 1
    APPROVED = 2
    REJECTED = 3


class Method(IntEnum):
    """IPaymentBatches.Method: how an entry is paid."""

    WALLET = 0
    BANK = 1


class PaymentKind(IntEnum):
    """IPaymentBatches.PaymentKind: the per-household money movements."""

    PAID_TO_WALLET = 0
    BANK_INSTRUCTED = 1
    BANK_CONFIRMED = 2
    BANK_FAILED = 3
    RECOVERED = 4


# -- materials, supervision, disclosure, social ----------------------------------------------------------------


class ProcurementStatus(IntEnum):
    """IMaterialSupply.ProcurementStatus: a procurement (商品采购)."""

    NONE = 0
    PROPOSED = 1
    APPROVED = 2
    REJECTED = 3
    RECEIVED = 4
    CANCELLED = 5  # by an upheld supervision case (what remains in the warehouse is written off)


class ReceiptMethod(IntEnum):
    """IMaterialSupply.ReceiptMethod: how a delivery's receipt was confirmed."""

    SIGNATURE = 0
    ATTESTATION = 1


class CaseState(IntEnum):
    """ISupervision.CaseState: a supervision case (合规监管) on a target."""

    NONE = 0
    FLAGGED = 1
    FROZEN = 2
    CLEARED = 3
    UPHELD = 4


class DisclosureKind(IntEnum):
    """IDisclosure.DisclosureKind: what a disclosure (数据披露) publishes."""

    MAJOR_EVENT = 0
    REPORT = 1


class PledgeKind(IntEnum):
    """ISocialPledges.PledgeKind: what an enterprise or social pledge offers."""

    MONEY = 0
    GOODS = 1
    JOBS = 2


# The Solidity enums by canonical name (as the AST and the ABI's internalType name them) -> their mirror.
SOLIDITY_ENUMS: dict[str, type[IntEnum]] = {
    "IApprovalHub.SubjectState": SubjectState,
    "IApprovalHub.Outcome": Outcome,
    "IApprovalHub.SkipReason": SkipReason,
    "IHouseholdRegistry.Status": HouseholdStatus,
    "IHouseholdRegistry.ProcedureKind": ProcedureKind,
    "IHouseholdRegistry.ObjectionState": ObjectionState,
    "IPlanRegistry.SupportType": SupportType,
    "IPlanRegistry.PlanStatus": PlanStatus,
    "IPlanRegistry.VersionStatus": VersionStatus,
    "IPlanRegistry.MilestoneStatus": MilestoneStatus,
    "IFundLedger.AppropriationStatus": AppropriationStatus,
    "IFundLedger.Movement": Movement,
    "IPaymentBatches.BatchStatus": BatchStatus,
    "IPaymentBatches.Method": Method,
    "IPaymentBatches.PaymentKind": PaymentKind,
    "IMaterialSupply.ProcurementStatus": ProcurementStatus,
    "IMaterialSupply.ReceiptMethod": ReceiptMethod,
    "ISupervision.CaseState": CaseState,
    "IDisclosure.DisclosureKind": DisclosureKind,
    "ISocialPledges.PledgeKind": PledgeKind,
}


def enum_of(internal_type: str) -> type[IntEnum] | None:
    """The Python enum of an ABI ``internalType`` (``enum IPlanRegistry.PlanStatus``), or None if it names none."""
    if not internal_type.startswith("enum "):
        return None
    return SOLIDITY_ENUMS.get(internal_type[len("enum "):])
