"""orchestration.demo: when the demo may deploy with web3.py, skipping brownie (which compiles), and how."""

from __future__ import annotations

import json
import os

import pytest

from govchain.deploy import CONTRACTS
from orchestration.demo import build_is_current, deploy_environment, mark_build_current

SOURCES = ("contracts/Main.sol", "node_modules/@openzeppelin/contracts/access/AccessControl.sol")


@pytest.fixture
def project(tmp_path):
    """A project folder whose every platform contract has an artifact compiled after its two sources."""
    for source in (*SOURCES, "brownie-config.yaml"):
        (tmp_path / source).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / source).write_text("// source\n")
        os.utime(tmp_path / source, (1_000, 1_000))
    (tmp_path / "build" / "contracts").mkdir(parents=True)
    for spec in CONTRACTS:
        artifact = tmp_path / "build" / "contracts" / f"{spec.name}.json"
        artifact.write_text(json.dumps({"allSourcePaths": {str(i): s for i, s in enumerate(SOURCES)}}))
        os.utime(artifact, (2_000, 2_000))
    return tmp_path


def test_a_build_newer_than_every_source_is_current(project):
    assert build_is_current(project)


def test_a_source_changed_after_the_build_makes_it_stale(project):
    os.utime(project / SOURCES[1], (3_000, 3_000))
    assert not build_is_current(project)


def test_compiler_settings_changed_after_the_build_make_it_stale(project):
    os.utime(project / "brownie-config.yaml", (3_000, 3_000))
    assert not build_is_current(project)


def test_a_missing_artifact_makes_the_build_stale(project):
    (project / "build" / "contracts" / f"{CONTRACTS[-1].name}.json").unlink()
    assert not build_is_current(project)


def test_a_missing_source_makes_the_build_stale(project):
    (project / SOURCES[0]).unlink()
    assert not build_is_current(project)


def test_the_web3_deploy_reads_network_deploy_env_under_the_processs_environment(tmp_path, monkeypatch):
    env_file = tmp_path / "deploy.env"
    env_file.write_text("# GOVCHAIN_ADMIN=0x...\nGOVCHAIN_NOTICE_DAYS=9\nGOVCHAIN_ORACLE_QUORUM=3\n")
    monkeypatch.setenv("GOVCHAIN_ORACLE_QUORUM", "2")
    environ = deploy_environment(env_file)
    assert environ["GOVCHAIN_NOTICE_DAYS"] == "9" and environ["GOVCHAIN_ORACLE_QUORUM"] == "2"
    assert "GOVCHAIN_ADMIN" not in environ


def test_a_build_brownie_has_just_checked_is_current_though_a_source_was_touched_before(project):
    os.utime(project / SOURCES[0], (3_000, 3_000))  # touched, content unchanged: brownie does not recompile
    mark_build_current(project)
    assert build_is_current(project)
