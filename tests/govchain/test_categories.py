"""Project categories (govchain/categories.py): the names and DAC sectors the IATI export uses."""

import re

import pytest

from govchain.categories import CATEGORIES, category


@pytest.fixture(autouse=True)
def isolation():
    """No chain here: overrides the root conftest's fn_isolation wrapper."""
    yield


def test_the_demo_plans_category_is_rural_roads_with_its_dac_sector():
    assert (category(101).zh, category(101).dac) == ("农村道路", "21020")


def test_an_unlisted_category_is_named_by_its_code_and_has_no_dac_sector():
    assert (category(205).zh, category(205).en, category(205).dac) == ("类别 205", "category 205", None)


def test_every_listed_dac_sector_is_a_five_digit_purpose_code():
    assert all(re.fullmatch(r"[0-9]{5}", c.dac) for c in CATEGORIES.values() if c.dac is not None)
