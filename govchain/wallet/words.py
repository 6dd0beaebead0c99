"""What an official is about to sign, in plain words: Chinese first with the English beside, or English alone.

Pure functions over facts already read from the chain (see :mod:`govchain.wallet.subjects`), so the wording is
tested without a node. Nothing here can show personal data: the chain holds none (a household is its
pseudonymous id and its village).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from govchain import regions
from govchain.deploy import APPROPRIATION, EXIT, MILESTONE, PAYMENT_BATCH, PLAN, PROCUREMENT, REGISTRATION
from govchain.eligibility import Decision
from govchain.plans import SupportType

LANGUAGES = ("zh", "en")

# IApprovalHub.SubjectState.
SUBJECT_STATES = {0: ("不存在", "unknown"), 1: ("待审批", "pending"), 2: ("已退回修改", "returned for revision"),
                  3: ("已批准", "approved"), 4: ("已否决", "rejected")}
PENDING = 1

KINDS = {
    REGISTRATION: ("贫困户建档立卡", "household registration"),
    EXIT: ("贫困户退出", "household exit"),
    PLAN: ("帮扶计划（版本）", "support plan version"),
    MILESTONE: ("计划里程碑验收", "plan milestone report"),
    APPROPRIATION: ("预算指标", "appropriation"),
    PAYMENT_BATCH: ("资金发放批次", "payment batch"),
    PROCUREMENT: ("物资采购", "material procurement"),
}

# ARCHITECTURE.md §2.
ROLES = {
    "INTAKE_CLERK": "受理员", "HANDLER": "经办人", "REVIEWER": "审核员", "DISPATCHER": "派遣员",
    "GRID_WORKER": "网格员", "LEADER": "领导", "DEPARTMENT": "专业部门承办人", "SUPERVISOR": "监督员",
    "ASSESSOR": "考核管理员", "ANALYST": "分析师", "TREASURY": "财政", "ORACLE": "数据节点", "BANK": "银行",
    "SUPPLIER": "供应商", "ENTERPRISE": "企业",
}

REGION_LEVELS = {1: ("省", "province"), 2: ("市", "city"), 3: ("县", "county"), 4: ("乡镇", "township"),
                 5: ("村", "village")}

SUPPORT_TYPES = {
    SupportType.POLICY: "政策", SupportType.PROJECT: "项目", SupportType.FUND: "资金", SupportType.MATERIAL: "物资",
    SupportType.INDUSTRY: "产业", SupportType.ENTERPRISE: "企业", SupportType.SOCIAL: "社会",
    SupportType.CROWDFUNDING: "众筹",
}

DECISIONS = {Decision.NONE: ("无变化", "none"), Decision.ADMIT: ("纳入", "admit"), Decision.EXIT: ("退出", "exit"),
             Decision.MONITOR: ("监测", "monitor")}


@dataclass(frozen=True)
class SubjectFacts:
    """A hub subject as read from the chain: where it stands and what its client says it is.

    ``details`` holds the client's facts by kind (see :func:`describe`); ``role`` and ``role_region`` are what its
    current level needs: holders of ``role`` over ``role_region`` (after any escalation).
    """

    subject: int
    kind: int
    region: int
    state: int
    level: int
    level_count: int
    role: str
    role_region: int
    threshold: int
    approvals: int
    frozen: bool = False
    details: dict = field(default_factory=dict)


def subject_text(subject: int) -> str:
    """How the wallet writes a subject id: 0x-hex (its decimal form has some 70 digits)."""
    return hex(subject)


def yuan(fen: int) -> tuple[str, str]:
    """An amount in fen (the fund token's 2 decimals) as yuan."""
    text = f"{fen // 100:,}.{fen % 100:02d}"
    return f"{text} 元", f"CNY {text}"


def region_words(code: int) -> tuple[str, str]:
    """A region code with its level: ``530102001001（村）`` / ``530102001001 (village)``."""
    try:
        zh, en = REGION_LEVELS[int(regions.level(code))]
    except Exception:  # an invalid code is shown as it is: the official must see what the chain holds
        return str(code), str(code)
    return f"{code}（{zh}）", f"{code} ({en})"


def role_words(role: str) -> tuple[str, str]:
    return f"{ROLES.get(role, role)} {role}", role


def kind_words(kind: int) -> tuple[str, str]:
    return KINDS.get(kind, (f"类别 {kind}", f"kind {kind}"))


def support_type_words(value: int) -> tuple[str, str]:
    try:
        support = SupportType(value)
    except ValueError:
        return str(value), str(value)
    return SUPPORT_TYPES.get(support, support.name.lower()), support.name.lower()


def _pair(value) -> tuple[str, str]:
    return value if isinstance(value, tuple) else (str(value), str(value))


class Lines:
    """Lines of ``label: value``, each label and value a (Chinese, English) pair or one text for both."""

    def __init__(self, lang: str):
        if lang not in LANGUAGES:
            raise ValueError(f"language {lang!r}: choose one of {', '.join(LANGUAGES)}")
        self.lang = lang
        self.lines: list[str] = []

    def add(self, label, value) -> None:
        (label_zh, label_en), (value_zh, value_en) = _pair(label), _pair(value)
        if self.lang == "en":
            self.lines.append(f"{label_en}: {value_en}")
        elif value_zh == value_en:
            self.lines.append(f"{label_zh} {label_en}: {value_zh}")
        else:
            self.lines.append(f"{label_zh} {label_en}: {value_zh}  {value_en}")


def standing_words(facts: SubjectFacts) -> tuple[str, str]:
    """Where the subject stands: its state and, while pending, its level and what the level needs."""
    state_zh, state_en = SUBJECT_STATES.get(facts.state, (str(facts.state), str(facts.state)))
    if facts.state != PENDING:
        return state_zh, state_en
    role_zh, role_en = role_words(facts.role)
    area_zh, area_en = region_words(facts.role_region)
    frozen_zh, frozen_en = ("，已被监督冻结", ", frozen by supervision") if facts.frozen else ("", "")
    return (
        f"{state_zh}：第 {facts.level + 1}/{facts.level_count} 级，需 {area_zh} 的{role_zh} {facts.threshold} 人同意，"
        f"已 {facts.approvals} 人{frozen_zh}",
        f"{state_en}: level {facts.level + 1} of {facts.level_count}, needs {facts.threshold} {role_en} over "
        f"{area_en}, has {facts.approvals}{frozen_en}",
    )


def describe(facts: SubjectFacts, lang: str = "zh") -> list[str]:
    """The lines ``show`` prints for one subject.

    ``facts.details`` by kind: registration/exit ``household`` (hex id), ``batch`` (hex); plan ``plan_id``,
    ``version``, ``support_type``, ``category``, ``budget`` (fen); milestone ``plan_id``, ``index``, ``amount``
    (fen), ``support_type``; appropriation ``appropriation_id``, ``year``, ``budget_line``, ``cap`` (fen); payment
    batch ``batch_id``, ``plan_id``, ``tranche``, ``count``, ``total`` (fen); procurement ``procurement_id``,
    ``plan_id``, ``supplier``, ``material_kind``, ``unit``, ``quantity``, ``unit_price`` (fen). A missing key is
    left out, so a subject whose client is unknown still shows what the hub knows.
    """
    out = Lines(lang)
    d = facts.details
    out.add(("审批事项", "Subject"), subject_text(facts.subject))
    out.add(("类别", "Kind"), kind_words(facts.kind))
    if facts.kind in (REGISTRATION, EXIT):
        decision = Decision.ADMIT if facts.kind == REGISTRATION else Decision.EXIT
        out.add(("村", "Village"), region_words(facts.region))
        if "household" in d:
            out.add(("户（化名编号）", "Household (pseudonymous id)"), d["household"])
        out.add(("决定", "Decision"), DECISIONS[decision])
        if "batch" in d:
            out.add(("资格批次", "Eligibility batch"), d["batch"])
    elif facts.kind == PLAN:
        out.add(("计划", "Plan"), (f"第 {d.get('plan_id')} 号，第 {d.get('version')} 版",
                                   f"no. {d.get('plan_id')}, version {d.get('version')}"))
        if "support_type" in d:
            out.add(("帮扶类型", "Support type"), support_type_words(d["support_type"]))
        if "category" in d:
            out.add(("项目类别", "Category"), d["category"])
        if "budget" in d:
            out.add(("预算", "Budget"), yuan(d["budget"]))
        out.add(("地区", "Region"), region_words(facts.region))
    elif facts.kind == MILESTONE:
        out.add(("计划", "Plan"), (f"第 {d.get('plan_id')} 号", f"no. {d.get('plan_id')}"))
        if "support_type" in d:
            out.add(("帮扶类型", "Support type"), support_type_words(d["support_type"]))
        if "index" in d:
            out.add(("里程碑", "Milestone"), (f"第 {d['index'] + 1} 个", f"no. {d['index'] + 1}"))
        if "amount" in d:
            out.add(("拨付金额", "Tranche amount"), yuan(d["amount"]))
        out.add(("地区", "Region"), region_words(facts.region))
    elif facts.kind == APPROPRIATION:
        if "appropriation_id" in d:
            out.add(("预算指标", "Appropriation"), (f"第 {d['appropriation_id']} 号", f"no. {d['appropriation_id']}"))
        if "year" in d:
            out.add(("年度", "Year"), d["year"])
        if d.get("budget_line"):
            out.add(("预算科目", "Budget line"), d["budget_line"])
        if "cap" in d:
            out.add(("金额", "Amount"), yuan(d["cap"]))
        out.add(("地区", "Region"), region_words(facts.region))
    elif facts.kind == PAYMENT_BATCH:
        if "batch_id" in d:
            out.add(("发放批次", "Payment batch"), (f"第 {d['batch_id']} 号", f"no. {d['batch_id']}"))
        if "plan_id" in d:
            out.add(("计划", "Plan"), (f"第 {d['plan_id']} 号，第 {d.get('tranche', 0) + 1} 笔拨款",
                                       f"no. {d['plan_id']}, tranche {d.get('tranche', 0) + 1}"))
        if "total" in d:
            out.add(("合计", "Total"), yuan(d["total"]))
        if "count" in d:
            out.add(("笔数", "Payments"), (f"{d['count']} 户", f"{d['count']} households"))
        out.add(("地区", "Region"), region_words(facts.region))
    elif facts.kind == PROCUREMENT:
        if "procurement_id" in d:
            out.add(("采购", "Procurement"), (f"第 {d['procurement_id']} 号，计划第 {d.get('plan_id')} 号",
                                            f"no. {d['procurement_id']}, plan no. {d.get('plan_id')}"))
        if "supplier" in d:
            out.add(("供应商", "Supplier"), d["supplier"])
        if "quantity" in d:
            unit = d.get("unit") or ""
            out.add(("数量", "Quantity"), (f"{d['quantity']:,} {unit}（物资种类 {d.get('material_kind')}）".strip(),
                                         f"{d['quantity']:,} {unit} (material kind {d.get('material_kind')})"))
        if "unit_price" in d:
            out.add(("单价", "Unit price"), yuan(d["unit_price"]))
            if "quantity" in d:
                out.add(("总价", "Total price"), yuan(d["unit_price"] * d["quantity"]))
        out.add(("仓库地区", "Warehouse region"), region_words(facts.region))
    else:
        out.add(("地区", "Region"), region_words(facts.region))
    out.add(("当前", "Now"), standing_words(facts))
    return out.lines


def pending_line(facts: SubjectFacts, lang: str = "zh") -> str:
    """One line of the ``pending`` list: id, kind, region and level."""
    kind_zh, kind_en = kind_words(facts.kind)
    area_zh, area_en = region_words(facts.region)
    level = f"{facts.level + 1}/{facts.level_count}"
    if lang == "en":
        return f"{subject_text(facts.subject)}  {kind_en}  {area_en}  level {level}"
    return f"{subject_text(facts.subject)}  {kind_zh} {kind_en}  {area_zh}  第 {level} 级 level {level}"
