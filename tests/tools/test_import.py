"""`ale problems import` makes a package from a contest's tools; `ale judge` and `ale solve` then use it."""

import json
import os
import zipfile
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from ale.cli import app

from .test_tools import ASK_PY, SUM_PY

runner = CliRunner()
STATEMENT = "# Sum Guess\n\nGuess the sum of the numbers.\n\nYour goal is to maximize the score.\n"


def ale(*args):
    return runner.invoke(app, [str(a) for a in args])


def one_line_error(res, *words):
    assert res.exit_code == 3, res.output
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in res.output, res.output
    for w in words:
        assert w in res.output, res.output


@pytest.fixture
def statement(tmp_path):
    p = tmp_path / "statement.md"
    p.write_text(STATEMENT)
    return p


def test_import_folder_then_judge(tmp_path, tools_folder, statement):
    tools = tools_folder(tmp_path / "contest" / "tools")
    res = ale("problems", "import", tools, "--id", "sum-guess", "--statement", statement, "--time-limit", "3", "--dest", tmp_path / "shelf")
    assert res.exit_code == 0, res.output
    pkg = tmp_path / "shelf" / "sum-guess"
    meta = yaml.safe_load((pkg / "problem.yaml").read_text())
    assert meta["tools"] == "tools" and meta["objective"] == "maximize" and meta["interactive"] is False
    assert meta["time_limit"] == 3.0 and meta["title"] == "Sum Guess"
    assert (pkg / "statement.md").read_text() == STATEMENT
    assert (pkg / "tools" / "Cargo.toml").is_file() and (pkg / "tools" / "target" / "release" / "vis").is_file()
    assert not (pkg / "solutions" / "baseline.py").exists()  # optional for tools packages

    sol = tmp_path / "exact.py"
    sol.write_text(SUM_PY.format(factor=1.0))
    res = ale("judge", pkg, sol, "--seeds", "0-2", "--json", "--db", tmp_path / "ale.db")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert [c["verdict"] for c in doc["cases"]] == ["AC"] * 3 and doc["mean"] == 10000


def test_import_zip_detects_interactive_and_keeps_built_tester(tmp_path, tools_folder, statement):
    tools = tools_folder(tmp_path / "src" / "tools", tester="tester_stdin")
    zpath = tmp_path / "tools.zip"
    with zipfile.ZipFile(zpath, "w") as z:  # laid out like the contest's zip: everything under tools/
        for p in sorted(tools.rglob("*")):
            if p.is_file():
                info = zipfile.ZipInfo(str(p.relative_to(tools.parent)))
                info.external_attr = (p.stat().st_mode & 0o777) << 16
                z.writestr(info, p.read_bytes())
    res = ale("problems", "import", zpath, "--id", "sum-ask", "--statement", statement, "--dest", tmp_path / "shelf", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["interactive"] is True and doc["tools"].endswith("sum-ask/tools")
    tester = Path(doc["tools"]) / "target" / "release" / "tester"
    assert os.access(tester, os.X_OK)
    sol = tmp_path / "ask.py"
    sol.write_text(ASK_PY.format(off=0))
    res = ale("judge", doc["path"], sol, "--seeds", "0-1", "--json", "--db", tmp_path / "ale.db")
    assert res.exit_code == 0, res.output
    assert [c["score"] for c in json.loads(res.stdout)["cases"]] == [10000, 10000]


def test_import_bad_input_is_one_line_exit_3(tmp_path, tools_folder, statement):
    tools = tools_folder(tmp_path / "contest" / "tools")
    shelf = tmp_path / "shelf"
    one_line_error(ale("problems", "import", tools, "--id", "Bad_Id", "--statement", statement, "--dest", shelf), "--id")
    one_line_error(ale("problems", "import", tools, "--id", "x", "--statement", tmp_path / "nope.md", "--dest", shelf), "nope.md")
    one_line_error(ale("problems", "import", tmp_path / "missing", "--id", "x", "--statement", statement, "--dest", shelf), "missing")
    empty = tmp_path / "empty"
    empty.mkdir()
    one_line_error(ale("problems", "import", empty, "--id", "x", "--statement", statement, "--dest", shelf), "no Cargo.toml")
    notzip = tmp_path / "tools.zip"
    notzip.write_text("hello")
    one_line_error(ale("problems", "import", notzip, "--id", "x", "--statement", statement, "--dest", shelf), "not a zip")
    vague = tmp_path / "vague.md"
    vague.write_text("# Something\n\nDo your best.\n")
    one_line_error(ale("problems", "import", tools, "--id", "x", "--statement", vague, "--dest", shelf), "--objective max|min")
    assert not (shelf / "x").exists()  # nothing half-made left behind
    assert ale("problems", "import", tools, "--id", "x", "--statement", vague, "--objective", "min", "--dest", shelf).exit_code == 0
    assert yaml.safe_load((shelf / "x" / "problem.yaml").read_text())["objective"] == "minimize"
    one_line_error(ale("problems", "import", tools, "--id", "x", "--statement", statement, "--dest", shelf), "already exists")


def test_solve_offline_on_imported_package(tmp_path, tools_folder, statement):
    pytest.importorskip("ale.solve", reason="needs the solve loop (ale/solve.py)")
    tools = tools_folder(tmp_path / "contest" / "tools")
    base = tmp_path / "start.py"
    base.write_text(SUM_PY.format(factor=0.5))
    shelf = tmp_path / "shelf"
    res = ale("problems", "import", tools, "--id", "sum-guess", "--statement", statement, "--baseline", base, "--dest", shelf)
    assert res.exit_code == 0, res.output
    assert (shelf / "sum-guess" / "solutions" / "baseline.py").read_text() == base.read_text()
    res = ale(
        "solve", shelf / "sum-guess", "--provider", "offline", "--budget", "6", "--beam", "3", "--seeds", "0-3",
        "--private-top", "1", "--private-seeds", "1000-1003", "--jobs", "2", "--db", tmp_path / "ale.db", "--json",
    )
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert len(doc["candidates"]) == 6
    assert doc["best_public_mean"] > doc["baseline_public_mean"], doc
    assert doc["best_private_mean"] is not None
