"""Administrative region codes: the 12-digit statistical division code.

Layout: 2 digits province, 2 city, 2 county, 3 township, 3 village. A code names the lowest level whose
part is non-zero; every part below it is zero. Authority over a code covers every code under it. The rules
here are the same as contracts/utils/RegionCode.sol, which the tests check against each other.
"""

from __future__ import annotations

from enum import IntEnum

from govchain.errors import InvalidRegionError

MIN_CODE = 10**11  # province part must be non-zero, so the code has exactly 12 digits
MAX_CODE = 10**12 - 1


class RegionLevel(IntEnum):
    """Administrative levels, numbered as in RegionCode.sol."""

    PROVINCE = 1
    CITY = 2
    COUNTY = 3
    TOWNSHIP = 4
    VILLAGE = 5


# Divisor that isolates each level's prefix: code // divisor is the prefix down to that level.
_LEVEL_DIVISOR = {
    RegionLevel.PROVINCE: 10**10,
    RegionLevel.CITY: 10**8,
    RegionLevel.COUNTY: 10**6,
    RegionLevel.TOWNSHIP: 10**3,
    RegionLevel.VILLAGE: 1,
}


def parts(code: int) -> tuple[int, int, int, int, int]:
    """Splits a code into (province, city, county, township, village)."""
    return (code // 10**10, code // 10**8 % 100, code // 10**6 % 100, code // 10**3 % 1000, code % 1000)


def validate(code: int) -> int:
    """Returns the code if it is valid.

    Raises:
        InvalidRegionError: the code does not have 12 digits, or a lower part is set under a zero part.
    """
    if isinstance(code, bool) or not isinstance(code, int):
        raise InvalidRegionError(code, "it must be an integer")
    if not MIN_CODE <= code <= MAX_CODE:
        raise InvalidRegionError(code, "it must have exactly 12 digits with a non-zero province part")
    seen_zero = False
    for part in parts(code)[1:]:
        if part and seen_zero:
            raise InvalidRegionError(code, "a lower level is set under a zero level")
        seen_zero = seen_zero or part == 0
    return code


def level(code: int) -> RegionLevel:
    """The level a valid code names: the lowest level whose part is non-zero."""
    validate(code)
    for lvl in (RegionLevel.VILLAGE, RegionLevel.TOWNSHIP, RegionLevel.COUNTY, RegionLevel.CITY):
        if parts(code)[lvl - 1]:
            return lvl
    return RegionLevel.PROVINCE


def ancestor_at(code: int, lvl: RegionLevel) -> int:
    """The code of the region at ``lvl`` that contains ``code`` (itself if already at or above it)."""
    validate(code)
    divisor = _LEVEL_DIVISOR[lvl]
    return code // divisor * divisor


def covers(authority: int, code: int) -> bool:
    """Whether authority over ``authority`` extends to ``code`` (a code covers itself)."""
    validate(authority)
    validate(code)
    return ancestor_at(code, level(authority)) == authority


def parse(text: str) -> int:
    """Parses a code written as text (``"530102001001"``), as found in data files and forms."""
    stripped = str(text).strip()
    if not stripped.isdigit() or len(stripped) != 12:
        raise InvalidRegionError(text, "it must be 12 decimal digits")
    return validate(int(stripped))
