"""Fixtures of the pipeline tests: small synthetic counties, generated once per session.

The pipeline needs no chain, so the chain snapshot fixture of tests/conftest.py is replaced by a no-op
here: these tests run the same with or without brownie's pytest plugin.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

from data_pipeline import households
from data_pipeline import policy as policy_mod
from data_pipeline.run import clean, ingest_all, link_households, run
from data_pipeline.synth.generate import generate

COUNTY_PEOPLE = 4000
COUNTY_SEED = 11


@pytest.fixture(autouse=True)
def isolation():
    """No chain here: overrides the root conftest's fn_isolation wrapper."""
    yield


@dataclass
class Cleaned:
    """A county after ingestion and cleaning, with its ground truth, for row-by-row checks."""

    sources: Path
    items: dict
    persons: pd.DataFrame
    truth_persons: pd.DataFrame
    truth_households: pd.DataFrame
    noise: pd.DataFrame

    def accepted(self, source: str) -> pd.DataFrame:
        return self.items[source].frame

    def quarantined(self, source: str) -> pd.DataFrame:
        return self.items[source].ledger().quarantined.set_index("row")

    def log(self, kind: str) -> pd.DataFrame:
        return self.noise[self.noise["kind"] == kind]


@pytest.fixture(scope="session")
def policy():
    return policy_mod.load()


@pytest.fixture(scope="session")
def county(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("county"), COUNTY_PEOPLE, COUNTY_SEED)


@pytest.fixture
def delivery(county, tmp_path) -> Path:
    """A writable copy of the county's ten source files (no ground truth), for a test to damage or edit."""
    folder = tmp_path / "sources"
    shutil.copytree(county, folder, ignore=shutil.ignore_patterns("ground_truth"))
    return folder


@pytest.fixture(scope="session")
def cleaned(county, policy) -> Cleaned:
    items = ingest_all(county)
    clean(items)
    persons = households.build_persons(items, policy)
    link_households(items, persons)
    truth = county / "ground_truth"
    return Cleaned(
        county, items, persons, pd.read_parquet(truth / "persons.parquet"),
        pd.read_parquet(truth / "households.parquet"), pd.read_parquet(truth / "noise_log.parquet"),
    )


@pytest.fixture(scope="session")
def county_run(county, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run")
    run(county, out, show=False)
    return out
