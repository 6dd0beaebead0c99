"""govchain.regions: the 12-digit region code rules shared by every Python component."""

import pytest

from govchain import regions
from govchain.errors import InvalidRegionError
from govchain.regions import RegionLevel


@pytest.mark.parametrize(
    "code, expected",
    [
        (530000000000, RegionLevel.PROVINCE),
        (530100000000, RegionLevel.CITY),
        (530102000000, RegionLevel.COUNTY),
        (530102001000, RegionLevel.TOWNSHIP),
        (530102001001, RegionLevel.VILLAGE),
    ],
)
def test_level_is_the_lowest_non_zero_part(code, expected):
    assert regions.level(code) == expected


def test_ancestor_at_township_of_a_village_zeroes_the_village_part():
    assert regions.ancestor_at(530102001001, RegionLevel.TOWNSHIP) == 530102001000


def test_ancestor_at_a_lower_level_than_the_code_is_the_code_itself():
    assert regions.ancestor_at(530102000000, RegionLevel.VILLAGE) == 530102000000


def test_a_county_covers_its_villages_and_not_its_neighbours():
    assert regions.covers(530102000000, 530102001001)
    assert not regions.covers(530102000000, 530103001001)


def test_a_village_does_not_cover_its_township():
    assert not regions.covers(530102001001, 530102001000)


@pytest.mark.parametrize("code", [0, 12345, 10**12, 530000001000, 530102000001, True, "530102001001"])
def test_validate_rejects_codes_that_are_not_valid_region_codes(code):
    with pytest.raises(InvalidRegionError):
        regions.validate(code)


def test_parse_accepts_twelve_digits_with_surrounding_whitespace():
    assert regions.parse(" 530102001001 ") == 530102001001


@pytest.mark.parametrize("text", ["53010200100", "5301020010011", "53010200100a", "5.30102E+11"])
def test_parse_rejects_text_that_is_not_twelve_digits(text):
    with pytest.raises(InvalidRegionError, match="12 decimal digits"):
        regions.parse(text)
