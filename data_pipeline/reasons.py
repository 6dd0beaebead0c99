"""Decision codes and reason-code bits: the one definition of what the numbers in a result mean.

The on-chain leaf is (bytes32 householdId, uint64 region, uint8 decision, uint32 reasons, uint32 score);
``reasons`` is a bitmask of the flags below. Every rule that fired sets its bit, whatever the decision,
so a result explains itself. Bits are never renumbered: add new ones in the gaps.
"""

from __future__ import annotations

from enum import IntEnum, IntFlag

from govchain.enums import Decision as ChainDecision

# What the pipeline proposes for a household: the chain's decisions (govchain.enums.Decision, a uint8 in a leaf:
# 0 no change, 1 admit 建档立卡, 2 exit 脱贫, 3 monitor 防返贫监测), and a value of its own the chain never sees:
# VERIFY = 4, the sources cannot settle it, send to a field visit (入户核查); no leaf is published for it.
Decision = IntEnum("Decision", [(member.name, member.value) for member in ChainDecision] + [("VERIFY", 4)],
                   module=__name__)
Decision.__doc__ = "The chain's eligibility decisions (govchain.enums.Decision) and the pipeline's own VERIFY = 4."


class Reason(IntFlag):
    """Reason-code bits (uint32 on chain)."""

    # Admission: income line and the two assurances, three guarantees (两不愁三保障) plus drinking water.
    INCOME_BELOW_LINE = 1 << 0
    FOOD_CLOTHING_INSECURE = 1 << 1
    COMPULSORY_EDUCATION_NOT_MET = 1 << 2  # a child of compulsory school age is out of school
    BASIC_MEDICAL_NOT_INSURED = 1 << 3  # a member has no basic medical insurance
    HOUSING_UNSAFE = 1 << 4  # dangerous house (appraisal grade C or D)
    DRINKING_WATER_UNSAFE = 1 << 5
    KEY_SOURCE_MISSING = 1 << 7  # an admission bit rests only on a survey answer: no record confirms it
    # Exit.
    REGISTERED_POOR = 1 << 8  # currently registered (建档立卡户)
    STABLY_ABOVE_LINE = 1 << 9  # above the line in each of the policy's stable periods
    GUARANTEES_MET = 1 << 10  # none of bits 1-5 set
    # Return-to-poverty monitoring (防返贫).
    INCOME_BELOW_MONITORING_LINE = 1 << 12  # below income_line_multiple x the poverty line
    RIGID_EXPENDITURE_ABOVE_INCOME = 1 << 13  # medical + education spending above household income
    SUDDEN_HARDSHIP = 1 << 14  # major-illness claim or a disaster loss large against income
    INCOME_UNCERTAIN = 1 << 15  # the range the sources leave for income straddles the poverty line
    # Root causes (致贫原因), set for admitted, registered and monitored households.
    CAUSE_ILLNESS = 1 << 16
    CAUSE_DISABILITY = 1 << 17
    CAUSE_LACK_OF_LABOUR = 1 << 18
    CAUSE_EDUCATION = 1 << 19
    CAUSE_SKILLS = 1 << 20
    CAUSE_LAND = 1 << 21
    CAUSE_FUNDS = 1 << 22
    CAUSE_DISASTER = 1 << 23
    # Triangulation (triangulate.py): where the sources disagree.
    WAGE_SOURCES_DISAGREE = 1 << 24  # tax and bank wages differ beyond tolerance: the higher was taken
    WAGE_NOT_REPORTED = 1 << 25  # a record shows a wage the person's census answer does not (misfiled?)
    FARM_INCOME_ESTIMATED = 1 << 26  # farm income is land x standard yield, blended with the census answer
    INCOME_CONSUMPTION_DISAGREE = 1 << 27  # consumption points to the other side of the line than income
    # Data quality.
    DATA_FROM_SURVEY = 1 << 28  # some input came from the census survey because no record had it
    PMT_USED = 1 << 29  # income uncertain and no consumption record: the proxy-means test stood in


CAUSES = [
    Reason.CAUSE_ILLNESS, Reason.CAUSE_DISABILITY, Reason.CAUSE_LACK_OF_LABOUR, Reason.CAUSE_EDUCATION,
    Reason.CAUSE_SKILLS, Reason.CAUSE_LAND, Reason.CAUSE_FUNDS, Reason.CAUSE_DISASTER,
]
CAUSE_NAMES = {
    Reason.CAUSE_ILLNESS: "illness 因病", Reason.CAUSE_DISABILITY: "disability 因残",
    Reason.CAUSE_LACK_OF_LABOUR: "lack of labour 缺劳力", Reason.CAUSE_EDUCATION: "education 因学",
    Reason.CAUSE_SKILLS: "lack of skills 缺技术", Reason.CAUSE_LAND: "lack of land 缺土地",
    Reason.CAUSE_FUNDS: "lack of funds 缺资金", Reason.CAUSE_DISASTER: "disaster 因灾",
}


def describe(mask: int) -> list[str]:
    """Names of the bits set in ``mask``, lowest first."""
    return [flag.name for flag in Reason if mask & flag]
