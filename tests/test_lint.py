"""The code stays within the project's lint rules (pyproject.toml [tool.ruff]: pyflakes, import order,
complexity C901 at 15), checked with the ruff the test extra installs."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def test_ruff_finds_nothing():
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed (pip install -e '.[test]' brings it)")
    run = subprocess.run([ruff, "check", "kg", "tests"], cwd=REPO, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-1000:]


def test_ruff_sees_a_violation(tmp_path):
    """The check above can fail: with the project's settings ruff reports an unused import."""
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    bad = tmp_path / "probe.py"
    bad.write_text("import os\n", encoding="utf-8")
    run = subprocess.run([ruff, "check", "--config", str(REPO / "pyproject.toml"), str(bad)], capture_output=True,
                         text=True)
    assert run.returncode != 0 and "F401" in run.stdout, run.stdout
