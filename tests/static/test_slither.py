"""slither over contracts/: no High or Medium finding that is not justified at its line."""

import textwrap

import pytest

from tools.slither.check import run_slither


@pytest.fixture(scope="module")
def project_findings():
    return run_slither()


def test_the_contracts_have_no_unjustified_high_or_medium_finding(project_findings):
    blocking = [f"[{f.impact}] {f.check} at {f.location}: {f.description}" for f in project_findings if f.blocks]
    assert blocking == []


def test_the_check_reports_a_high_impact_finding_in_a_contract(tmp_path):
    contracts = tmp_path / "contracts"
    contracts.mkdir()
    (contracts / "Drain.sol").write_text(textwrap.dedent("""\
        // SPDX-License-Identifier: Apache-2.0
        pragma solidity ^0.8.24;

        contract Drain {
            function drain(address payable to) external {
                to.transfer(address(this).balance);
            }
        }
        """))
    findings = run_slither(tmp_path)
    assert ("arbitrary-send-eth", "High") in {(f.check, f.impact) for f in findings}
