"""The ten sources: file names, declared encodings, keys, and which source wins a conflict.

Encodings are what each department's system exports; ingestion still detects a BOM or valid UTF-8 first,
so a department that switches to UTF-8 does not break the run.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandera.pandas as pa

from data_pipeline import schemas


@dataclass(frozen=True)
class SourceSpec:
    """How one department's extract looks.

    Attributes:
        name: short name used in file names, the ledger and the quarantine.
        label: the department in Chinese, for operators.
        schema: pandera model of the typed extract.
        encoding: declared encoding of CSV exports when there is no BOM and the bytes are not UTF-8.
        key: the ID column that identifies the row's person (or household head, for household sources).
        level: "person" or "household".
        key_columns: columns a usable delivery must fill (gates.py: KEY_COLUMN_NULL).
        min_coverage: least share of the registered persons (or households) the accepted rows must cover
            (gates.py: LOW_COVERAGE); about half of what an extract of a county normally covers.
    """

    name: str
    label: str
    schema: type[pa.DataFrameModel]
    encoding: str
    key: str
    level: str
    key_columns: tuple[str, ...] = ()
    min_coverage: float = 0.0

    @property
    def columns(self) -> list[str]:
        return list(self.schema.to_schema().columns)

    @property
    def id_columns(self) -> list[str]:
        return [c for c in ("id_number", "head_id_number") if c in self.columns]

    @property
    def numeric_columns(self) -> list[str]:
        return [c for c, col in self.schema.to_schema().columns.items() if str(col.dtype) == "float64"]

    @property
    def text_columns(self) -> list[str]:
        return [c for c in self.columns if c not in self.numeric_columns]

    @property
    def file_names(self) -> list[str]:
        return [f"{self.name}.csv", f"{self.name}.parquet"]


SOURCES: dict[str, SourceSpec] = {
    s.name: s
    for s in [
        SourceSpec("census", "普调", schemas.Census, "gb18030", "id_number", "person",
                   ("id_number", "head_id_number"), 0.45),
        SourceSpec("household_registration", "户政", schemas.HouseholdRegistration, "gbk", "id_number", "person",
                   ("id_number", "head_id_number", "village_code"), 0.45),
        SourceSpec("social_security", "社保", schemas.SocialSecurity, "utf-8", "id_number", "person",
                   ("id_number", "medical_insured"), 0.4),
        SourceSpec("bank", "银行", schemas.Bank, "utf-8", "id_number", "person", ("id_number", "wage_credits"), 0.3),
        SourceSpec("tax", "税务", schemas.Tax, "utf-8", "id_number", "person", ("id_number", "wage_income"), 0.15),
        SourceSpec("agriculture", "农委", schemas.Agriculture, "gb18030", "head_id_number", "household",
                   ("head_id_number", "farm_net_income"), 0.4),
        SourceSpec("business_registration", "工商", schemas.BusinessRegistration, "gbk", "id_number", "person",
                   ("id_number", "business_net_income"), 0.0025),
        SourceSpec("credit", "征信", schemas.Credit, "utf-8", "id_number", "person", ("id_number",), 0.07),
        SourceSpec("land", "土地", schemas.Land, "utf-8", "head_id_number", "household",
                   ("head_id_number", "house_safety_grade"), 0.4),
        SourceSpec("consumption", "消费", schemas.Consumption, "utf-8", "head_id_number", "household",
                   ("head_id_number", "total_spend"), 0.4),
    ]
}

# Source priority per derived field, highest first: the first source with a usable value wins. Registers
# and administrative records beat what people tell a survey; the census comes last because it is
# self-reported and the oldest. Documented in README.md ("Conflict resolution").
FIELD_PRIORITY: dict[str, list[tuple[str, str]]] = {
    "head_id_number": [("household_registration", "head_id_number"), ("census", "head_id_number")],
    "relation": [("household_registration", "relation"), ("census", "relation")],
    "village_code": [("household_registration", "village_code"), ("census", "village_code")],
    "name": [("household_registration", "name"), ("census", "name")],
    "medical_insured": [("social_security", "medical_insured"), ("census", "medical_insured")],
    "wage": [("tax", "wage_income"), ("bank", "wage_credits"), ("census", "reported_wage")],
    "business": [("business_registration", "business_net_income"), ("census", "reported_business")],
    "farm_income": [("agriculture", "farm_net_income"), ("census", "reported_farm_income")],
    "drinking_water_safe": [("agriculture", "drinking_water_safe"), ("census", "drinking_water_safe")],
    "housing_safe": [("land", "house_safety_grade"), ("census", "housing_safe")],
}
