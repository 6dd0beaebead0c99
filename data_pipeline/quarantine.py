"""Quarantine reason codes and the run ledger.

Every row read is either accepted or quarantined with exactly one reason (the first problem found, in
pipeline order), so per file rows_read == rows_accepted + rows_quarantined holds by construction and is
checked again before the ledger is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import pandas as pd


class Reason(str, Enum):
    """Why a row was quarantined. The value is what the ledger and quarantine files show."""

    MISSING_ID = "MISSING_ID"  # the key ID column is empty
    MALFORMED_ID = "MALFORMED_ID"  # not an 18- or 15-digit ID, nor a recoverable spreadsheet number
    INVALID_BIRTH_DATE = "INVALID_BIRTH_DATE"  # ID's birth date not a real date, before 1900 or in the future
    UNKNOWN_ADDRESS_CODE = "UNKNOWN_ADDRESS_CODE"  # ID's first six digits are no GB/T 2260 division code
    CHECK_DIGIT_MISMATCH = "CHECK_DIGIT_MISMATCH"  # wrong check digit and no known person with that body
    UNMATCHED_SCIENTIFIC_ID = "UNMATCHED_SCIENTIFIC_ID"  # scientific notation, no unique matching person
    UNPARSEABLE_VALUE = "UNPARSEABLE_VALUE"  # a number column holds text that is not a number
    IMPOSSIBLE_VALUE = "IMPOSSIBLE_VALUE"  # a value outside what the schema allows (negative income, ...)
    INVALID_REGION = "INVALID_REGION"  # not a valid 12-digit village code
    DUPLICATE_ROW = "DUPLICATE_ROW"  # same person and same values as an earlier row of the same file
    CONFLICTING_DUPLICATE = "CONFLICTING_DUPLICATE"  # same person twice with different values: both held
    UNKNOWN_PERSON = "UNKNOWN_PERSON"  # a valid ID that neither register (户政, 普调) knows
    UNKNOWN_HOUSEHOLD = "UNKNOWN_HOUSEHOLD"  # household-level row whose head heads no known household


@dataclass
class FileLedger:
    """What happened to one source file."""

    source: str
    file: str
    encoding: str
    rows_read: int
    quarantined: pd.DataFrame = field(repr=False)  # row, reason, column, value, then raw_<column>
    repairs: dict[str, int] = field(default_factory=dict)

    @property
    def rows_quarantined(self) -> int:
        return len(self.quarantined)

    @property
    def rows_accepted(self) -> int:
        return self.rows_read - self.rows_quarantined

    def as_dict(self) -> dict:
        reasons = self.quarantined["reason"].value_counts().sort_index()
        return {
            "source": self.source,
            "encoding": self.encoding,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_quarantined": self.rows_quarantined,
            "quarantine_reasons": {str(k): int(v) for k, v in reasons.items()},
            "repairs": {k: int(v) for k, v in sorted(self.repairs.items()) if v},
        }


def write_ledger(ledgers: list[FileLedger], out_dir: Path, partition: str | None = None) -> dict:
    """Writes ledger.json and quarantine/<source>.parquet into ``out_dir``.

    Returns:
        The ledger as written.
    """
    qdir = out_dir / "quarantine"
    qdir.mkdir(parents=True, exist_ok=True)
    files = {}
    for led in ledgers:
        entry = led.as_dict()
        # The arithmetic the issue asks for; a failure here is a bug in the pipeline, not in the data.
        assert entry["rows_read"] == entry["rows_accepted"] + entry["rows_quarantined"], entry
        key = f"{partition}/{led.file}" if partition else led.file
        entry["quarantine_file"] = f"quarantine/{led.source}.parquet"
        files[key] = entry
        led.quarantined.to_parquet(qdir / f"{led.source}.parquet", index=False)
    ledger = {
        "files": files,
        "totals": {
            k: sum(f[k] for f in files.values()) for k in ("rows_read", "rows_accepted", "rows_quarantined")
        },
    }
    (out_dir / "ledger.json").write_text(json.dumps(ledger, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return ledger
