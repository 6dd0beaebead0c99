"""ruff over the Python code, with the rules of pyproject.toml ([tool.ruff]): part of the test command."""

import subprocess
import sys

from govchain.config import PROJECT_ROOT


def ruff(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", *args],
                          cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120)


def test_the_python_code_passes_ruff():
    result = ruff(".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_reports_an_unused_import_under_the_projects_rules(tmp_path):
    module = tmp_path / "careless.py"
    module.write_text("import os\n")
    result = ruff("--config", str(PROJECT_ROOT / "pyproject.toml"), str(module))
    assert result.returncode == 1 and "F401" in result.stdout
