"""Project categories (项目类别) of support plans: the code a plan carries on chain (``IPlanRegistry.Plan.category``,
a ``uint32``) and what it means.

The contracts store the code and never interpret it; this is the one list that names the codes for the site
(项目类别占比) and the IATI export. ``dac`` is the OECD DAC CRS purpose code (IATI sector vocabulary 1) of the
same kind of work, where one fits; a code missing from the list is shown as its number and exported without a
DAC sector. Codes are grouped by hundreds: 1xx infrastructure, 2xx industry, 3xx skills and education,
4xx health and social assistance, 5xx relocation.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: int
    zh: str
    en: str
    dac: str | None  # OECD DAC CRS 5-digit purpose code, None when no DAC code fits


CATEGORIES: dict[int, Category] = {c.code: c for c in (
    Category(101, "农村道路", "Rural roads", "21020"),  # Road transport
    Category(102, "饮水安全", "Safe drinking water", "14030"),  # Basic drinking water supply and basic sanitation
    Category(103, "农村电网", "Rural power grid", "23630"),  # Electric power transmission and distribution
    Category(104, "危房改造", "Housing renovation", "16040"),  # Low-cost housing
    Category(201, "种植业", "Crop farming", "31161"),  # Food crop production
    Category(202, "养殖业", "Livestock", "31163"),  # Livestock
    Category(203, "农产品加工", "Agro-processing", "32161"),  # Agro-industries
    Category(204, "乡村旅游", "Rural tourism", "33210"),  # Tourism policy and administrative management
    Category(301, "职业技能培训", "Vocational training", "11330"),  # Vocational training
    Category(302, "教育资助", "Education support", "11220"),  # Primary education
    Category(401, "医疗救助", "Medical assistance", "12220"),  # Basic health care
    Category(402, "社会救助", "Social assistance", "16010"),  # Social protection
    Category(501, "易地扶贫搬迁", "Poverty relocation", "43040"),  # Rural development
    Category(999, "其他", "Other", None),
)}


def category(code: int) -> Category:
    """The category of ``code``; an unknown code gets its number as its name and no DAC sector."""
    return CATEGORIES.get(int(code)) or Category(int(code), f"类别 {int(code)}", f"category {int(code)}", None)
