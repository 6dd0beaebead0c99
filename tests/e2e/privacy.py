"""The privacy scan of the end-to-end tests: every form in which a synthetic person's ID number, name, phone
number, bank account number or household number (户号) could sit in published bytes (calldata, event logs, IPFS
documents, the public event index).

- as text: the UTF-8 bytes (an ID number also without its check character; a name also as JSON's ``\\u``
  escapes), and the hex of them as text (a string field holding ``"3533..."``);
- as an integer: an ID number's digits (the 17-digit body when it ends in X), a phone, account or household
  number, as a uint256 word and as a packed uint64, raw and as 64-digit hex text (a JSON document holding it);
- as an unkeyed hash of an ID number: keccak256 and sha256 of its text (X in either case, or its 17-digit body)
  and of its uint256 word, raw and as hex text.
  A plain hash of an 18-digit ID is reversible by enumeration; only the data authority's keyed hash may appear.

Hex text is searched in the lower-cased haystack, so either case is found. Values come from the synthetic
county's ground truth (data_pipeline.synth: ``ground_truth/persons.parquet``) and its household registration
extract (household numbers).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from eth_utils import keccak

FIELDS = ("id_number", "name", "phone", "bank_account", "household_no")


@dataclass(frozen=True)
class Needle:
    """One form of one person's value: ``hex_text`` needles are searched in the lower-cased haystack."""

    row: int
    field: str
    form: str
    pattern: bytes
    hex_text: bool = False


def people(sources: Path) -> pd.DataFrame:
    """The synthetic people's values to look for: the county's ground truth, and each person's household number
    (户号) from the household registration extract ("" where the extract has none)."""
    persons = pd.read_parquet(Path(sources) / "ground_truth" / "persons.parquet", columns=list(FIELDS[:4]))
    registration = pd.read_csv(Path(sources) / "household_registration.csv", dtype=str, encoding="gbk",
                               encoding_errors="replace", usecols=["id_number", "household_no"])
    numbers = registration.dropna().drop_duplicates("id_number").set_index("id_number")["household_no"]
    persons["household_no"] = persons["id_number"].map(numbers).fillna("")
    return persons.astype(str).reset_index(drop=True)


def _binary_forms(row: int, field: str, form: str, raw: bytes) -> list[Needle]:
    return [Needle(row, field, form, raw), Needle(row, field, f"{form} as hex text", raw.hex().encode(), True)]


def _number_forms(row: int, field: str, digits: str) -> list[Needle]:
    number = int(digits)
    return [*_binary_forms(row, field, "uint256 word", number.to_bytes(32, "big")),
            Needle(row, field, "packed uint64", number.to_bytes(8, "big"))]


def needles_of(row: int, person: pd.Series) -> list[Needle]:
    found: list[Needle] = []
    for field in FIELDS:
        text = person[field]
        if not text:
            continue
        # An ID number also as its 17-digit body (the check character dropped), X in either case.
        variants = {text, text.lower(), text[:17]} if field == "id_number" else {text}
        for variant in sorted(variants):
            found += _binary_forms(row, field, "text", variant.encode("utf-8"))
        if field == "name":
            # As JSON writes it with ensure_ascii (\\u53f6...), searched case-insensitively.
            found.append(Needle(row, field, "JSON \\u escapes", json.dumps(text).strip('"').lower().encode(), True))
            continue
        digits = text[:17] if field == "id_number" and not text.isdigit() else text
        found += _number_forms(row, field, digits)
        if field == "id_number":
            word = int(digits).to_bytes(32, "big")
            for variant in sorted({text, text.lower(), text.upper(), text[:17]}):
                found += _binary_forms(row, field, "keccak256 of the text", keccak(text=variant))
                found += _binary_forms(row, field, "sha256 of the text", hashlib.sha256(variant.encode()).digest())
            found += _binary_forms(row, field, "keccak256 of the uint256 word", keccak(word))
            found += _binary_forms(row, field, "sha256 of the uint256 word", hashlib.sha256(word).digest())
    # Several variants may coincide (an all-digit ID has one case): each pattern once.
    return list({(n.pattern, n.hex_text): n for n in found}.values())


def needles(persons: pd.DataFrame) -> list[Needle]:
    return [n for row, person in persons.iterrows() for n in needles_of(int(row), person)]


def scan(haystack: bytes, needles: Iterable[Needle]) -> list[Needle]:
    """The needles found in ``haystack``."""
    lowered = haystack.lower()
    return [n for n in needles if n.pattern in (lowered if n.hex_text else haystack)]


def describe(hits: list[Needle], persons: pd.DataFrame) -> list[str]:
    """Hits for an assertion message, the value masked (a failing test must not print the data it guards)."""
    return [f"person {h.row}: {h.field} ({persons.at[h.row, h.field][:3]}…) as {h.form}" for h in hits]
