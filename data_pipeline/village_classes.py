"""乡村分类: each village in one of the national four classes of the rural revitalization strategy
(乡村振兴战略规划 2018–2022, and the 2019 guidance on village planning), from documented indicators.

| class | code | the strategy's words |
|---|---|---|
| 集聚提升 agglomeration & upgrading | ``agglomeration`` | existing central villages of some size and the other villages that will remain |
| 城郊融合 suburban integration | ``suburban`` | villages in the urban fringe and in the county seat's town |
| 特色保护 characteristic protection | ``characteristic`` | historic and cultural villages, traditional villages, ethnic-minority and scenic villages |
| 搬迁撤并 relocation & merger | ``relocation`` | villages with harsh living conditions, fragile ecology, frequent natural disasters, or severe population loss |

**Indicators** per village (households live where their head is registered, as in every other report):

| indicator | from | definition |
|---|---|---|
| ``persons``, ``households`` | 户政 / 普调 (registers) | registered population of the village |
| ``elderly_share`` | birth date in the ID number | persons aged 60 or more ÷ persons (空心化: the young left, the old stayed) |
| ``children_per_elderly`` | birth date in the ID number | persons under 15 ÷ persons aged 60 or more: below 1 the registered population shrinks as the old die and few children replace them — the **population trend** proxy (no source holds two population counts years apart) |
| ``non_farm_income_share`` | 税务 / 银行 (wages), 工商 (business), 农委 (farm income) | (wages + business) ÷ (wages + business + farm income, losses as 0) |
| ``disaster_household_share`` | 农委 (``disaster_loss``) | households whose disaster loss this year is at least 30 % of their income (the monitoring model's "sudden hardship" threshold) |
| ``traditional_village``, ``hazard_zone``, ``distance_to_county_km`` | the county's village designation list (optional, below) | on the traditional-village or historic-village lists; in a geological-hazard or ecological relocation zone; road distance to the county seat |

**Missing from the ten sources**, and the nearest honest proxy used instead:

- heritage (传统村落, 历史文化名村) and hazard-zone designations: no household record can show them. They come from
  the county's planning records in ``village_designations.csv`` beside the source files (columns ``region``,
  ``traditional_village`` 0/1, ``hazard_zone`` 0/1, ``distance_to_county_km`` number or empty). Without that file
  no village is 特色保护 and hazard is judged from disaster losses alone.
- distance to the county seat: when the list gives none, the **non-farm income share** stands in — villages near
  a town live on wages and business. It confounds commuters with migrant workers (a remote village whose people
  work far away also earns wages), so the threshold is high and a distance, when given, always wins.
- resident population (常住人口) and its change: registers count migrants as residents. The **elderly share** and
  **children per elderly** of the registered population are the proxies of hollowing and decline.

**Rules**, first match wins (thresholds in :class:`Thresholds`):

1. 特色保护 if ``traditional_village`` — a listed village is protected by law, and kept (made safe) rather than
   moved, so this comes first;
2. 搬迁撤并 if ``hazard_zone``, or ``disaster_household_share`` ≥ 0.20 (frequent natural disasters), or severe
   population loss: ``persons`` < 300 **and** ``elderly_share`` ≥ 0.35 **and** ``children_per_elderly`` < 0.5;
3. 城郊融合 if ``distance_to_county_km`` ≤ 5, or, with no distance, ``non_farm_income_share`` ≥ 0.90;
4. 集聚提升 otherwise.

The report ``village_classes`` holds the class, the rule that decided it and every indicator, per village: counts
and shares only, no person's data.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from data_pipeline import region_codes
from data_pipeline.errors import PipelineError

DESIGNATIONS_FILE = "village_designations.csv"
ELDERLY_AGE, CHILD_AGE = 60, 15
CLASSES = {  # code -> (中文, English), in the strategy's order
    "agglomeration": ("集聚提升", "agglomeration & upgrading"),
    "suburban": ("城郊融合", "suburban integration"),
    "characteristic": ("特色保护", "characteristic protection"),
    "relocation": ("搬迁撤并", "relocation & merger"),
}
COLUMNS = ["county", "township", "region", "households", "persons", "elderly_share", "children_per_elderly",
           "non_farm_income_share", "disaster_household_share", "traditional_village", "hazard_zone",
           "distance_to_county_km", "village_class", "class_label", "rule"]


@dataclass(frozen=True)
class Thresholds:
    """The rules' thresholds (see the module docstring)."""

    disaster_household_share: float = 0.20
    disaster_loss_of_income: float = 0.30
    small_village_persons: int = 300
    hollow_elderly_share: float = 0.35
    shrinking_children_per_elderly: float = 0.5
    suburban_distance_km: float = 5.0
    suburban_non_farm_share: float = 0.90


class DesignationsError(PipelineError):
    """Raised when the village designation list cannot be read: a reference list is fixed, not quarantined."""

    def __init__(self, file: object, problem: str):
        super().__init__(f"{file}: {problem}. Columns: region (12-digit village code), traditional_village (0/1), "
                         f"hazard_zone (0/1), distance_to_county_km (number or empty); "
                         f"see data_pipeline/village_classes.py.")
        self.file = str(file)


def indicators(households: pd.DataFrame, persons: pd.DataFrame, thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """Per village: population, ages, incomes and disaster losses (the indicators of the docstring).

    ``households`` needs household, region, members, wage, business, farm_income, income, disaster_loss;
    ``persons`` needs household and age."""
    h = households
    region_of = pd.Series(h["region"].to_numpy(dtype="int64"), index=h["household"].to_numpy())
    age = persons["age"].to_numpy(dtype=float, na_value=np.nan)
    people = pd.DataFrame({
        "region": region_of.reindex(persons["household"].to_numpy()).to_numpy(),
        "elderly": age >= ELDERLY_AGE,
        "children": age < CHILD_AGE,
    }).dropna(subset=["region"]).astype({"region": "int64"}).groupby("region")[["elderly", "children"]].sum()
    non_farm = (h["wage"] + h["business"]).to_numpy(dtype=float)
    farm = h["farm_income"].clip(lower=0).to_numpy(dtype=float)
    loss = h["disaster_loss"].to_numpy(dtype=float)
    hit = (loss > 0) & (loss >= thresholds.disaster_loss_of_income * h["income"].clip(lower=0).to_numpy(dtype=float))
    v = pd.DataFrame({"region": h["region"].to_numpy(dtype="int64"), "households": 1,
                      "persons": h["members"].to_numpy(dtype="int64"), "non_farm": non_farm,
                      "all_income": non_farm + farm,
                      "disaster_households": hit.astype(int)}).groupby("region").sum()
    v = v.join(people, how="left").fillna({"elderly": 0, "children": 0})
    out = pd.DataFrame(index=v.index)
    out["households"] = v["households"].astype("int64")
    out["persons"] = v["persons"].astype("int64")
    out["elderly_share"] = (v["elderly"] / v["persons"]).round(4)
    # No elderly at all: nothing ages out, the trend is not shrinking (an infinite ratio).
    out["children_per_elderly"] = (v["children"] / v["elderly"].where(v["elderly"] > 0)).round(4).fillna(np.inf)
    out["non_farm_income_share"] = (v["non_farm"] / v["all_income"].where(v["all_income"] > 0)).round(4).fillna(0.0)
    out["disaster_household_share"] = (v["disaster_households"] / v["households"]).round(4)
    return out.reset_index()


def read_designations(folder: Path) -> pd.DataFrame | None:
    """The county's village designation list in ``folder`` (None when there is none).

    Raises:
        DesignationsError: a column is missing, a code is not a village, a flag is not 0/1, a distance is negative.
    """
    path = Path(folder) / DESIGNATIONS_FILE
    if not path.exists():
        return None
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DesignationsError(path, f"cannot be read as UTF-8 CSV ({exc})") from None
    missing = [c for c in ("region", "traditional_village", "hazard_zone") if c not in raw.columns]
    if missing:
        raise DesignationsError(path, f"column {missing[0]} is missing")
    codes = region_codes.normalise(raw["region"])["code"]
    if codes.isna().any():
        row = int(np.flatnonzero(codes.isna().to_numpy())[0]) + 1
        raise DesignationsError(path, f"row {row}: region {raw['region'].iloc[row - 1]!r} is not a village code")
    out = pd.DataFrame({"region": codes.astype("int64").to_numpy()})
    for flag in ("traditional_village", "hazard_zone"):
        values = raw[flag].str.strip()
        bad = ~values.isin(["0", "1"])
        if bad.any():
            row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
            raise DesignationsError(path, f"row {row}: {flag} must be 0 or 1, not {values.iloc[row - 1]!r}")
        out[flag] = values.eq("1").to_numpy()
    text = raw["distance_to_county_km"].str.strip() if "distance_to_county_km" in raw else pd.Series("", raw.index)
    distance = pd.to_numeric(text.where(text != ""), errors="coerce")
    bad = ((text != "") & distance.isna()) | (distance < 0)
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0]) + 1
        raise DesignationsError(path, f"row {row}: distance_to_county_km must be a number of km, 0 or more")
    out["distance_to_county_km"] = distance.to_numpy(dtype=float)
    if out["region"].duplicated().any():
        raise DesignationsError(path, f"village {out['region'][out['region'].duplicated()].iloc[0]} is listed twice")
    return out


def classify(villages: pd.DataFrame, designations: pd.DataFrame | None = None,
             thresholds: Thresholds = Thresholds()) -> pd.DataFrame:
    """The ``village_classes`` report: :func:`indicators` joined with the designation list, each village's class
    and the rule that decided it."""
    t = thresholds
    v = villages.copy()
    if designations is not None:
        v = v.merge(designations, on="region", how="left")
    for flag in ("traditional_village", "hazard_zone"):
        v[flag] = v[flag].fillna(False).astype(bool) if flag in v else False
    if "distance_to_county_km" not in v:
        v["distance_to_county_km"] = np.nan
    v["distance_to_county_km"] = v["distance_to_county_km"].astype(float)
    has_distance = v["distance_to_county_km"].notna()
    population_loss = ((v["persons"] < t.small_village_persons) & (v["elderly_share"] >= t.hollow_elderly_share)
                       & (v["children_per_elderly"] < t.shrinking_children_per_elderly))
    # (rule, class, condition) in order: the first that holds decides.
    rules = [
        ("traditional_village", "characteristic", v["traditional_village"]),
        ("hazard_zone", "relocation", v["hazard_zone"]),
        ("disaster_households", "relocation", v["disaster_household_share"] >= t.disaster_household_share),
        ("population_loss", "relocation", population_loss),
        ("near_county_seat", "suburban", has_distance & (v["distance_to_county_km"] <= t.suburban_distance_km)),
        ("non_farm_income", "suburban", ~has_distance & (v["non_farm_income_share"] >= t.suburban_non_farm_share)),
    ]
    v["village_class"], v["rule"] = "agglomeration", "default"
    decided = pd.Series(False, index=v.index)
    for rule, cls, condition in rules:
        fires = condition.fillna(False).astype(bool) & ~decided
        v.loc[fires, "village_class"], v.loc[fires, "rule"] = cls, rule
        decided |= fires
    v["class_label"] = v["village_class"].map(lambda c: CLASSES[c][0])
    v["township"] = v["region"] // 1000 * 1000
    v["county"] = v["region"] // 10**6 * 10**6
    return v[COLUMNS].sort_values("region", ignore_index=True)


