"""`pip install .` (not editable): the wheel carries the problem shelf and the lesson packs."""

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_every_package_is_listed_in_pyproject():
    from setuptools import find_packages

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = set(find_packages(str(ROOT), include=["ale", "ale.*", "judge", "judge.*"]))
    assert found <= listed, f"add {sorted(found - listed)} to [tool.setuptools] packages in pyproject.toml"


@pytest.mark.slow
def test_installed_wheel_lists_the_shelf_and_loads_the_packs(tmp_path):
    """A copy of this tree installed with `pip install` into a fresh venv, run from an empty folder."""
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".ale", "__pycache__", "build", "dist", "*.egg-info", ".pytest_cache"))
    venv = tmp_path / "venv"
    # Dependencies come from this interpreter; ale itself only from the wheel pip builds (with build
    # isolation, as `pip install .` does: it fetches setuptools from PyPI).
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    r = subprocess.run([str(py), "-m", "pip", "install", "-q", "--no-deps", str(src)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    shutil.rmtree(src)  # nothing may point back at the source tree
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "ALE_CONFIG")}

    def ale(*args):
        return subprocess.run([str(venv / "bin" / "ale"), *args], capture_output=True, text=True, cwd=work, env=env, timeout=120)

    r = ale("problems", "list", "--json")
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    shipped = sorted(p.name for p in (ROOT / "problems").iterdir() if (p / "problem.yaml").is_file())
    assert sorted(p["id"] for p in doc["problems"]) == shipped and not doc["broken"]
    assert all(str(venv) in p["path"] for p in doc["problems"]), doc["problems"][0]["path"]
    packs = len(list((ROOT / "lessons").glob("*.yaml")))
    r = ale("lessons", "load-packs", "--db", str(work / "l.db"))
    assert r.returncode == 0 and f"from {venv}" in r.stdout, (r.stdout, r.stderr)
    assert int(r.stdout.split()[1]) >= packs
    r = ale("gen", "delivery-route", "3")  # a shipped problem's generator runs from the wheel
    assert r.returncode == 0 and r.stdout.strip(), r.stderr
    assert ale("--version").stdout.startswith("ale ")
