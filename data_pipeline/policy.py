"""The versioned policy file: thresholds of every model, and the hash recorded with every result.

The hash is SHA-256 of the file's bytes, so anyone holding the file can check which rules produced a
result on chain; a change of a single character changes the hash.

``policy_version`` is checked against the content hash: policies/released.json maps every released
version to the hash of its file, and a file that claims a released version with other content (its
thresholds edited, the version left alone) is refused. A version not yet released (a draft) is
reported as ``<version>+<first 8 hex digits of the hash>``, so two drafts never share a version.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from data_pipeline.errors import PolicyError

DEFAULT_POLICY = Path(__file__).parent / "policies" / "policy-2026.2.json"
RELEASED = Path(__file__).parent / "policies" / "released.json"
# The census records two earlier assessments, so with the current one three periods are known.
MAX_STABLE_PERIODS = 3

# Proxies the PMT may weigh (pmt.features); a fitted policy uses pmt.FEATURES.
_PMT_FEATURES = {
    "log_members", "dependency_ratio", "disabled_share", "chronic_share", "land_mu_per_capita", "unsafe_house",
    "has_business", "log1p_balance_per_capita", "log1p_spend_per_capita", "overdue", "mean_education", "durables",
    "village_durables",
}


@dataclass(frozen=True)
class Policy:
    """A loaded policy: ``rules`` is the parsed JSON, ``hash`` is 0x + SHA-256 of the file bytes."""

    path: str
    version: str
    hash: str
    rules: dict

    @property
    def reference_date(self) -> date:
        return date.fromisoformat(self.rules["reference_date"])

    @property
    def line(self) -> float:
        return float(self.rules["poverty_line_per_capita"])

    def __getitem__(self, key: str):
        return self.rules[key]


def load(path: Path | str = DEFAULT_POLICY) -> Policy:
    """Loads and checks a policy file.

    Raises:
        PolicyError: the file is missing, not JSON, or lacks or misstates a threshold.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise PolicyError(path, f"cannot be read ({e})") from e
    try:
        rules = json.loads(data)
    except json.JSONDecodeError as e:
        raise PolicyError(path, f"is not valid JSON ({e})") from e
    try:
        version = str(rules["version"])
        date.fromisoformat(rules["reference_date"])
        if float(rules["poverty_line_per_capita"]) <= 0:
            raise PolicyError(path, "poverty_line_per_capita must be positive")
        periods = int(rules["exit"]["stable_periods"])
        if not 1 <= periods <= MAX_STABLE_PERIODS:
            raise PolicyError(
                path, f"exit.stable_periods is {periods}, but the sources hold at most {MAX_STABLE_PERIODS} periods"
            )
        for section, keys in {
            "admission": ["food_clothing_min_per_capita", "compulsory_school_age", "unsafe_house_grades"],
            "monitoring": ["income_line_multiple", "disaster_loss_share_of_income"],
            "root_causes": ["working_age", "land_min_mu_per_capita", "education_spend_share_of_income",
                            "debt_to_income_ratio", "disaster_loss_share_of_income"],
            "pmt": ["intercept", "weights"],
        }.items():
            for key in keys:
                if key not in rules[section]:
                    raise PolicyError(path, f"{section}.{key} is missing")
        unknown = set(rules["pmt"]["weights"]) - _PMT_FEATURES
        if unknown:
            raise PolicyError(path, f"pmt.weights names unknown features {sorted(unknown)}")
    except (KeyError, TypeError, ValueError) as e:  # PolicyError is none of these, so it passes through
        raise PolicyError(path, f"is missing or misstates {e}") from e
    digest = "0x" + hashlib.sha256(data).hexdigest()
    released = released_versions()
    if version in released and released[version] != digest:
        raise PolicyError(
            path, f"claims version {version}, released with content hash {released[version]}, but its content hash "
                  f"is {digest}: its rules were edited without a new version. Give it a new version (and release it "
                  f"with data_pipeline.policy.release) or restore the released file"
        )
    if version not in released:
        version = f"{version}+{digest[2:10]}"  # a draft: the version names its content
    return Policy(str(path), version, digest, rules)


def released_versions() -> dict[str, str]:
    """Released policy versions and the content hash each was released with."""
    return json.loads(RELEASED.read_text(encoding="utf-8"))


def release(path: Path | str) -> str:
    """Records a policy file's version and content hash in policies/released.json.

    Raises:
        PolicyError: that version was already released with other content.
    """
    policy = load(path)
    version = str(policy.rules["version"])
    released = released_versions()
    released[version] = policy.hash
    RELEASED.write_text(json.dumps(dict(sorted(released.items())), indent=2) + "\n", encoding="utf-8")
    return version
