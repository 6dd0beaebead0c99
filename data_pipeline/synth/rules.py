"""The policy's thresholds as the generator reads them: the JSON file parsed here, not through the
pipeline's policy.py, so that the truth shares no code with what it checks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

POLICY_FILE = Path(__file__).resolve().parent.parent / "policies" / "policy-2026.2.json"


def load(path: Path | str = POLICY_FILE) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def line(rules: dict) -> float:
    return float(rules["poverty_line_per_capita"])


def reference_date(rules: dict) -> date:
    return date.fromisoformat(rules["reference_date"])
