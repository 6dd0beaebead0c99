"""Noise that real government extracts have, injected row by row and logged.

Each row gets at most one kind of noise, so the expected outcome of every logged row is unambiguous and
the tests can check it row by row. The log (ground truth, never read by the pipeline) records the row
number in the written file, the kind, the column touched and whose row it is.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from data_pipeline.synth.idcodes import CHECK_SYMBOLS

CHECK_CHARS = "".join(CHECK_SYMBOLS)
HOUSEHOLD_SOURCES = ("agriculture", "land", "consumption")

FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


@dataclass(frozen=True)
class NoiseRates:
    """Share of a source's rows that get each kind of noise (the default is the "default noise")."""

    full_width: float = 0.01  # ID typed with full-width digits (an IME left in Chinese mode)
    whitespace: float = 0.01  # spaces, a tab or an ideographic space around or inside the ID
    legacy_15: float = 0.01  # the old 15-digit ID of someone born before 2000
    wrong_check_digit: float = 0.005  # check character mistyped
    scientific: float = 0.004  # a spreadsheet stored the ID as a number: 5.32326199001012E+17 (CSV only)
    missing_id: float = 0.001
    missing_value: float = 0.01  # one value cell empty
    impossible_value: float = 0.002  # one value out of range (5e9 yuan, grade 'unknown')
    unparseable_value: float = 0.001  # a number written with thousands separators (CSV only)
    region_format: float = 0.01  # village code as a float, full width, or padded
    invalid_region: float = 0.001  # village code truncated
    duplicate_row: float = 0.005  # the same row delivered twice
    conflicting_duplicate: float = 0.002  # the same person twice with a different value
    stale_village: float = 0.01  # census only: an old village code (conflicts with 户政)
    stale_household: float = 0.01  # census only: listed under another household (conflicts with 户政)

    def scaled(self, factor: float) -> "NoiseRates":
        return NoiseRates(**{f.name: getattr(self, f.name) * factor for f in fields(self)})


ID_KINDS = ["full_width", "whitespace", "legacy_15", "wrong_check_digit", "scientific", "missing_id"]
# The value that differs between the two copies of a conflicting duplicate: one the schema bounds loosely,
# so the changed copy is still plausible and the conflict, not a range check, is what catches it.
CONFLICT_COLUMN = {
    "census": "reported_wage", "household_registration": "relation", "social_security": "pension",
    "bank": "wage_credits", "tax": "wage_income", "agriculture": "farm_net_income",
    "business_registration": "business_net_income", "credit": "debt_outstanding", "land": "contracted_land_mu",
    "consumption": "total_spend",
}


def _format_numbers(values: pd.Series) -> pd.Series:
    """Numbers as a department's CSV export writes them: integers without '.0', empty for missing."""
    integral = values.dropna().mod(1).eq(0).all()
    if integral:
        return values.astype("Int64").astype("str")
    return values.round(2).astype("str")


def _sci(ids: pd.Series) -> pd.Series:
    """An 18-digit number as a spreadsheet prints it: 15 significant digits, trailing zeros dropped."""
    mantissa = ((ids.astype("int64") + 500) // 1000).astype("str")
    fraction = mantissa.str.slice(1).str.rstrip("0")
    return mantissa.str.slice(0, 1) + np.where(fraction == "", "", "." + fraction) + "E+17"


@dataclass(frozen=True)
class _Layout:
    """A source's columns as the generator wrote them (numbers are the float columns): the generator's
    own view of the files, not the pipeline's schemas."""

    key: str
    columns: list[str]
    numeric_columns: list[str]

    @classmethod
    def of(cls, name: str, frame: pd.DataFrame) -> "_Layout":
        columns = [c for c in frame.columns if c != "_true_key"]
        key = "head_id_number" if name in HOUSEHOLD_SOURCES else "id_number"
        return cls(key, columns, [c for c in columns if frame[c].dtype == np.float64])

    @property
    def id_columns(self) -> list[str]:
        return [c for c in ("id_number", "head_id_number") if c in self.columns]

    @property
    def text_columns(self) -> list[str]:
        return [c for c in self.columns if c not in self.numeric_columns]


class _Injector:
    def __init__(self, rng: np.random.Generator, name: str, frame: pd.DataFrame, csv: bool, villages: np.ndarray):
        self.rng, self.name, self.csv, self.villages = rng, name, csv, villages
        self.spec = _Layout.of(name, frame)
        self.frame = frame.copy()
        if csv:
            for column in self.spec.numeric_columns:
                self.frame[column] = _format_numbers(self.frame[column])
        self.log: list[pd.DataFrame] = []
        self.extra: list[pd.DataFrame] = []

    def note(self, rows, kind: str, column: str | None) -> None:
        rows = np.asarray(rows, dtype=np.int64)
        self.log.append(pd.DataFrame({"row": rows, "kind": kind, "column": column,
                                      "true_key": self.frame["_true_key"].to_numpy()[rows],
                                      "related_row": pd.array([pd.NA] * len(rows), dtype="Int64")}))

    def set(self, rows, column: str, values) -> None:
        self.frame.loc[self.frame.index[rows], column] = values

    def value_columns(self) -> list[str]:
        return [c for c in self.spec.columns if c not in self.spec.id_columns and c != "village_code"]

    def pick_column(self, rows: np.ndarray, columns: list[str]) -> np.ndarray:
        return np.array(columns, dtype=object)[self.rng.integers(0, len(columns), len(rows))]

    # --- ID noise on the key column -------------------------------------------------------------
    def ids(self, kind: str, rows: np.ndarray) -> None:
        key = self.spec.key
        ids = self.frame[key].iloc[rows]
        if kind == "full_width":
            self.set(rows, key, ids.str.translate(FULL_WIDTH).to_numpy())
        elif kind == "whitespace":
            style = self.rng.integers(0, 4, len(rows))
            spaced = np.where(style == 0, " " + ids, np.where(style == 1, ids + "\t",
                              np.where(style == 2, ids.str.slice(0, 6) + " " + ids.str.slice(6), "\u3000" + ids)))
            self.set(rows, key, spaced)
        elif kind == "legacy_15":
            rows = rows[(ids.str.slice(6, 8) == "19").to_numpy()]  # only IDs issued before 1999 had 15 digits
            ids = self.frame[key].iloc[rows]
            self.set(rows, key, (ids.str.slice(0, 6) + ids.str.slice(8, 17)).to_numpy())
        elif kind == "wrong_check_digit":
            right = ids.str.slice(17).map(CHECK_CHARS.index).to_numpy(dtype=np.int64)
            wrong = (right + self.rng.integers(1, 11, len(rows))) % 11
            self.set(rows, key, (ids.str.slice(0, 17) + np.array(list(CHECK_CHARS))[wrong]).to_numpy())
        elif kind == "scientific":
            if not self.csv:
                return
            rows = rows[ids.str.isdigit().to_numpy()]  # an ID ending in X stays text in a spreadsheet
            self.set(rows, key, _sci(self.frame[key].iloc[rows]).to_numpy())
        elif kind == "missing_id":
            self.set(rows, key, None)
        self.note(rows, kind, key)

    # --- value noise ----------------------------------------------------------------------------
    def missing_value(self, rows: np.ndarray) -> None:
        columns = self.pick_column(rows, self.value_columns())
        for column in set(columns):
            chosen = rows[columns == column]
            self.set(chosen, column, None if self.csv or column in self.spec.text_columns else np.nan)
            self.note(chosen, "missing_value", column)

    def impossible_value(self, rows: np.ndarray) -> None:
        numeric = [c for c in self.value_columns() if c in self.spec.numeric_columns]
        categorical = [c for c in ("relation", "house_safety_grade") if c in self.spec.columns]
        columns = self.pick_column(rows, numeric or categorical)
        for column in set(columns):
            chosen = rows[columns == column]
            if column in categorical:
                value = "未知"
            else:
                value = "5000000000" if self.csv else 5e9
            self.set(chosen, column, value)
            self.note(chosen, "impossible_value", column)

    def unparseable_value(self, rows: np.ndarray) -> None:
        numeric = [c for c in self.value_columns() if c in self.spec.numeric_columns]
        if not self.csv or not numeric:
            return
        columns = self.pick_column(rows, numeric)
        for column in set(columns):
            chosen = rows[columns == column]
            current = pd.to_numeric(self.frame[column].iloc[chosen], errors="coerce").fillna(1234)
            self.set(chosen, column, [f"{v + 1000:,.0f}" for v in current])  # always has a separator
            self.note(chosen, "unparseable_value", column)

    def region(self, kind: str, rows: np.ndarray) -> None:
        if "village_code" not in self.spec.columns:
            return
        codes = self.frame["village_code"].iloc[rows]
        if kind == "region_format":
            style = self.rng.integers(0, 3, len(rows))
            codes = np.where(
                style == 0, codes + ".0", np.where(style == 1, codes.str.translate(FULL_WIDTH), " " + codes + " ")
            )
        else:
            codes = codes.str.slice(0, 10)
        self.set(rows, "village_code", codes)
        self.note(rows, kind, "village_code")

    def census_stale(self, kind: str, rows: np.ndarray) -> None:
        if self.name != "census":
            return
        if kind == "stale_village":
            true = self.frame["village_code"].iloc[rows].to_numpy()
            other = self.villages[self.rng.integers(0, len(self.villages), len(rows))].astype(str)
            rows, other = rows[other != true], other[other != true]
            self.set(rows, "village_code", other)
            self.note(rows, kind, "village_code")
        else:
            heads = self.frame["head_id_number"].unique()
            other = heads[self.rng.integers(0, len(heads), len(rows))]
            keep = other != self.frame["head_id_number"].iloc[rows].to_numpy()
            rows, other = rows[keep], other[keep]
            self.set(rows, "head_id_number", other)
            self.note(rows, kind, "head_id_number")

    # --- duplicated rows ------------------------------------------------------------------------
    def duplicates(self, kind: str, rows: np.ndarray) -> None:
        copies = self.frame.iloc[rows].copy()
        column = None
        if kind == "conflicting_duplicate":
            column = CONFLICT_COLUMN[self.name]
            if column == "relation":
                copies[column] = np.where(copies[column] == "其他", "子女", "其他")
            else:
                value = pd.to_numeric(copies[column], errors="coerce").fillna(0)
                changed = value + (1 if column == "contracted_land_mu" else 100)
                copies[column] = _format_numbers(changed).to_numpy() if self.csv else changed.to_numpy()
        start = len(self.frame) + sum(len(e) for e in self.extra)
        new_rows = np.arange(start, start + len(rows))
        self.extra.append(copies)
        self.log.append(pd.DataFrame({"row": new_rows, "kind": kind, "column": column,
                                      "true_key": copies["_true_key"].to_numpy(),
                                      "related_row": pd.array(rows, dtype="Int64")}))

    def run(self, rates: NoiseRates) -> tuple[pd.DataFrame, pd.DataFrame]:
        kinds = [f.name for f in fields(NoiseRates)]
        thresholds = np.cumsum([getattr(rates, k) for k in kinds])
        if thresholds[-1] >= 1:
            raise ValueError("noise rates add up to 100% or more")
        draw = np.searchsorted(thresholds, self.rng.random(len(self.frame)), side="right")
        for i, kind in enumerate(kinds):
            rows = np.flatnonzero(draw == i)
            if kind in ID_KINDS:
                self.ids(kind, rows)
            elif kind in ("region_format", "invalid_region"):
                self.region(kind, rows)
            elif kind in ("stale_village", "stale_household"):
                self.census_stale(kind, rows)
            elif kind in ("duplicate_row", "conflicting_duplicate"):
                self.duplicates(kind, rows)
            else:
                getattr(self, kind)(rows)
        frame = pd.concat([self.frame, *self.extra], ignore_index=True)
        # Shuffle: duplicates and noisy rows are scattered through a real extract, not appended.
        order = self.rng.permutation(len(frame))
        position = np.empty(len(frame), dtype=np.int64)
        position[order] = np.arange(1, len(frame) + 1)  # 1-based data row number in the written file
        log = pd.concat(self.log, ignore_index=True)
        log["row"] = position[log["row"].to_numpy(dtype=np.int64)]
        related = log["related_row"].notna()
        log.loc[related, "related_row"] = position[log.loc[related, "related_row"].to_numpy(dtype=np.int64)]
        log.insert(0, "source", self.name)
        return frame.iloc[order].drop(columns="_true_key").reset_index(drop=True), log


def inject(rng: np.random.Generator, name: str, frame: pd.DataFrame, csv: bool, villages: np.ndarray,
           rates: NoiseRates) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Returns the noisy extract (without the hidden key) and its noise log."""
    return _Injector(rng, name, frame, csv, villages).run(rates)
