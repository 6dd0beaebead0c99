"""The generator's truth does not depend on pipeline code: it imports none, and computes ID check
characters its own way, checked against the examples published in GB 11643-1999."""

import subprocess
import sys
from pathlib import Path

import numpy as np

from data_pipeline import idnumbers
from data_pipeline.synth import idcodes

ROOT = Path(__file__).resolve().parents[2]


def test_generating_a_county_loads_no_pipeline_or_govchain_module(tmp_path):
    code = (
        "import sys\n"
        "from data_pipeline.synth.generate import generate\n"
        f"generate({str(tmp_path)!r}, 300, 1)\n"
        "print(sorted(m for m in sys.modules if (m.startswith('data_pipeline')"
        " and not m.startswith('data_pipeline.synth'))"
        " or m.split('.')[0] in ('govchain', 'oracle', 'dashboard')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "['data_pipeline']"  # the package itself, whose __init__ is empty


def test_the_package_init_imports_nothing():
    source = (ROOT / "data_pipeline" / "__init__.py").read_text(encoding="utf-8")
    assert "import" not in source


def test_the_generator_check_character_matches_the_standards_examples():
    assert idcodes.check_symbol("11010519491231002") == "X"  # GB 11643-1999, 11010519491231002X
    assert idcodes.check_symbol("44052418800101001") == "4"  # GB 11643-1999, 440524188001010014


def test_the_generator_and_the_pipeline_agree_on_random_bodies():
    bodies = np.random.default_rng(7).integers(10**16, 10**17, 5000)
    ours = idcodes.with_check(bodies)
    theirs = bodies.astype(str).astype(object) + idnumbers.check_chars(bodies.astype(str).astype(object))
    assert list(ours) == list(theirs)

