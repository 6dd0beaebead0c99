"""Contact details of the synthetic people: a mobile phone number each and a bank card (account) number each.

The platform never needs them, but real extracts carry them: the census (普调) records a contact phone and the
bank's extract the account its wage credits arrive on. They are in the sources so that a test can show they never
reach the chain or IPFS (tests/e2e/test_demo_scenario.py), and in the ground truth so that it knows the values.

They are drawn from a random stream of their own and added to the extracts after the noise is injected, so the
rest of a county's bytes are the same as without them. A row whose ID number the noise garbled keeps a blank
contact cell: the person cannot be matched, as in a real extract with gaps.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# The random stream of contact details (any constant other streams do not use).
STREAM = 0xC0_47AC7
# Source → (column written, contact field): where each extract carries a contact detail.
COLUMNS = {"census": ("phone", "phone"), "bank": ("account_number", "bank_account")}
# Mobile prefixes of the three carriers and UnionPay debit card BINs (six digits) of large banks.
MOBILE_PREFIXES = np.array(["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "157",
                            "158", "159", "166", "177", "180", "182", "186", "187", "188", "189", "198", "199"])
CARD_BINS = np.array(["621700", "622848", "621226", "622202", "621661", "622588"])


def _digits(rng: np.random.Generator, rows: int, width: int) -> np.ndarray:
    block = rng.integers(0, 10, size=(rows, width)).astype(str)
    return np.array(["".join(r) for r in block], dtype=object)


def luhn_check_digit(body: str) -> str:
    """The Luhn check digit that completes ``body`` (bank cards end with one)."""
    total = 0
    for i, char in enumerate(reversed(body)):
        d = int(char) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str((10 - total % 10) % 10)


def draw(rng: np.random.Generator, id_numbers: pd.Series) -> pd.DataFrame:
    """One distinct phone number (11 digits) and one distinct 19-digit card number per ID number."""
    n = len(id_numbers)
    phones: list[str] = []
    cards: list[str] = []
    seen_phones, seen_cards = set(), set()
    while len(phones) < n:
        more = n - len(phones)
        candidates = MOBILE_PREFIXES[rng.integers(0, len(MOBILE_PREFIXES), more)].astype(object) + _digits(rng, more, 8)
        for phone in candidates:
            if phone not in seen_phones:
                seen_phones.add(phone)
                phones.append(phone)
    while len(cards) < n:
        more = n - len(cards)
        bodies = CARD_BINS[rng.integers(0, len(CARD_BINS), more)].astype(object) + _digits(rng, more, 12)
        for body in bodies:
            card = body + luhn_check_digit(body)
            if card not in seen_cards:
                seen_cards.add(card)
                cards.append(card)
    return pd.DataFrame({"id_number": id_numbers.to_numpy(), "phone": phones[:n], "bank_account": cards[:n]})


def attach(extract: pd.DataFrame, source: str, contacts: pd.DataFrame) -> pd.DataFrame:
    """``extract`` with its contact column (if the source carries one), matched by the row's ID number."""
    if source not in COLUMNS:
        return extract
    column, field = COLUMNS[source]
    by_id = dict(zip(contacts["id_number"], contacts[field]))
    values = [by_id.get(i) if isinstance(i, str) else None for i in extract["id_number"]]
    return extract.assign(**{column: pd.array(values, dtype="str")})
