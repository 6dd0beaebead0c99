"""Static analysis of the project's contracts with slither, through the project's offline compiler.

`slither .` cannot read a brownie project here (it trips on OpenZeppelin's re-export-only files and would try to
download solc), so this writes the standard-JSON input the project compiles with — every source under
`contracts/`, the OpenZeppelin remapping, the optimizer and EVM version of `brownie-config.yaml` — and runs
slither's `solc-json` platform on it with the solcjs wrapper on PATH as `solc` (see shared TOOLCHAIN.md).

A finding of High or Medium impact fails the check unless it is justified where it stands: a
`// slither-disable-next-line <detector>` comment at the line, under a comment that says why the pattern is
intended. Dependencies (node_modules) and test-only contracts (contracts/test) are not analysed.

Run by hand: `python tools/slither/check.py [--root DIR]`; prints every finding, exits 1 when one blocks.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BLOCKING_IMPACTS = ("High", "Medium")
IGNORED_PATHS = "node_modules|contracts/test"


@dataclass(frozen=True)
class Finding:
    """One slither result: its detector, impact, where it is and what it says."""

    check: str
    impact: str
    location: str
    description: str

    @property
    def blocks(self) -> bool:
        return self.impact in BLOCKING_IMPACTS


class SlitherError(RuntimeError):
    """Raised when slither could not analyse the contracts at all (compile error, missing compiler)."""


def compiler_settings(root: Path) -> dict:
    """The solc version, optimizer, EVM version and remappings of `brownie-config.yaml` (defaults without one)."""
    config_file = root / "brownie-config.yaml"
    config = yaml.safe_load(config_file.read_text()) if config_file.exists() else {}
    compiler = (config or {}).get("compiler", {})
    solc = compiler.get("solc", {})
    remappings = [_as_prefix_remapping(line) for line in solc.get("remappings", [])]
    return {
        "version": str(solc.get("version", "0.8.37")),
        "evm_version": compiler.get("evm_version", "paris"),
        "optimizer": solc.get("optimizer", {"enabled": False, "runs": 200}),
        "remappings": remappings,
    }


def _as_prefix_remapping(line: str) -> str:
    # brownie writes "@openzeppelin=node_modules/@openzeppelin"; solc wants the prefix form with slashes.
    prefix, target = line.split("=", 1)
    return f"{prefix.rstrip('/')}/={target.rstrip('/')}/"


def standard_json_input(root: Path, settings: dict) -> dict:
    """The compiler input for every source under `root/contracts`, as the project compiles it."""
    sources = {
        path.relative_to(root).as_posix(): {"content": path.read_text(encoding="utf-8")}
        for path in sorted((root / "contracts").rglob("*.sol"))
    }
    if not sources:
        raise SlitherError(f"No Solidity sources under {root / 'contracts'}.")
    return {
        "language": "Solidity",
        "sources": sources,
        "settings": {
            "remappings": settings["remappings"],
            "optimizer": settings["optimizer"],
            "evmVersion": settings["evm_version"],
            "outputSelection": {"*": {"*": ["abi", "evm.bytecode", "evm.deployedBytecode"], "": ["ast"]}},
        },
    }


def run_slither(root: Path = PROJECT_ROOT, solc_dir: Path | None = None) -> list[Finding]:
    """Every finding of slither over `root/contracts` (informational and optimization detectors excluded).

    Raises:
        SlitherError: when slither produced no report (the message carries its output).
    """
    settings = compiler_settings(root)
    solc_dir = solc_dir or Path(os.environ.get("SOLCX_BINARY_PATH", PROJECT_ROOT / ".solcx"))
    wrapper = solc_dir / f"solc-v{settings['version']}"
    if not wrapper.exists():
        raise SlitherError(f"The offline compiler {wrapper} is missing; run `make setup` first.")
    with tempfile.TemporaryDirectory(prefix="slither-") as work:
        work_dir = Path(work)
        bin_dir = work_dir / "bin"
        bin_dir.mkdir()
        # slither calls `solc`; ahead of solc-select's shim (which would download) stands the project's wrapper.
        (bin_dir / "solc").symlink_to(wrapper)
        input_file = work_dir / "input.json"
        input_file.write_text(json.dumps(standard_json_input(root, settings)))
        report_file = work_dir / "report.json"
        env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
        completed = subprocess.run(
            [
                sys.executable, "-m", "slither", str(input_file),
                "--compile-force-framework", "solc-json",
                "--filter-paths", IGNORED_PATHS,
                "--exclude-informational", "--exclude-optimization",
                "--json", str(report_file),
            ],
            cwd=root, env=env, capture_output=True, text=True, timeout=600,
        )
        if not report_file.exists():
            raise SlitherError(f"slither wrote no report (exit {completed.returncode}):\n{completed.stderr[-4000:]}")
        report = json.loads(report_file.read_text())
    if not report.get("success", False):
        raise SlitherError(f"slither failed: {report.get('error')}\n{completed.stderr[-4000:]}")
    return [
        Finding(
            check=result["check"],
            impact=result["impact"],
            location=result.get("first_markdown_element", ""),
            description=result["description"].strip(),
        )
        for result in report.get("results", {}).get("detectors", [])
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="project root (default: this checkout)")
    args = parser.parse_args(argv)
    findings = run_slither(args.root)
    for finding in sorted(findings, key=lambda f: (not f.blocks, f.location)):
        print(f"[{finding.impact}] {finding.check} at {finding.location}\n    {finding.description.splitlines()[0]}")
    blocking = [finding for finding in findings if finding.blocks]
    print(f"{len(findings)} finding(s), {len(blocking)} of High or Medium impact not justified at their line")
    return 1 if blocking else 0


if __name__ == "__main__":
    sys.exit(main())
