"""`ale judge`, `ale gen`, `ale problems`, `ale doctor` from the command line.

Through typer's CliRunner with ALE_CONFIG pointing at a temporary ale.yaml that
lists the fixtures folder, plus one run of the installed `ale` console script.
Exit codes: 0 all AC, 1 some case not AC, 2 usage error, 3 bad problem or config.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ale.cli import app
from judge import load_problem

from tests.conftest import FIXTURES, SOLS

BASELINE = FIXTURES / "sumup" / "solutions" / "baseline.py"
CASE_KEYS = {"seed", "verdict", "score", "time", "message"}
TOP_KEYS = {"problem", "solution", "cases", "total", "mean", "accepted", "failed"}


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A tmp ale.yaml listing the fixtures and a shelf folder; a tmp store; cwd in tmp_path."""
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    cfg = tmp_path / "ale.yaml"
    cfg.write_text(f"problems: [{FIXTURES}, {shelf}]\ndb: {tmp_path / 'ale.db'}\n")
    monkeypatch.setenv("ALE_CONFIG", str(cfg))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def one_line_error(result) -> str:
    """The error is one line on stderr: no traceback, no wrapped panel."""
    text = result.stderr.strip()
    assert text, "expected an error message on stderr"
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert len(text.splitlines()) == 1, text
    return text


def judged(result) -> dict:
    assert "Traceback" not in result.output, result.output
    doc = json.loads(result.stdout)  # exactly one JSON document, nothing else on stdout
    assert TOP_KEYS <= set(doc), set(doc)
    for c in doc["cases"]:
        assert CASE_KEYS <= set(c), set(c)
    return doc


# --- ale judge: exit codes and the JSON document ------------------------------------------


def test_judge_all_ac_exit_0_and_json_shape(env):
    r = run("judge", "sumup", BASELINE, "--seeds", "3,7,9", "--jobs", "1", "--json")
    assert r.exit_code == 0, r.output
    doc = judged(r)
    assert doc["problem"] == "sumup" and doc["solution"] == str(BASELINE)
    assert [c["seed"] for c in doc["cases"]] == [3, 7, 9]
    assert [c["verdict"] for c in doc["cases"]] == ["AC"] * 3
    p = load_problem(FIXTURES / "sumup")
    expected = [sum(map(int, p.generate(s).split()[1:])) + 1 for s in (3, 7, 9)]
    assert [c["score"] for c in doc["cases"]] == expected
    assert doc["total"] == sum(expected) and doc["mean"] == pytest.approx(sum(expected) / 3)
    assert doc["accepted"] is True and doc["failed"] == 0
    assert all(isinstance(c["time"], float) and c["time"] > 0 for c in doc["cases"])
    assert all(c["message"] == "" for c in doc["cases"])
    assert doc["cases_run"] == 3 and doc["cases_skipped"] == 0
    assert doc["cpu_seconds"] == pytest.approx(sum(c["time"] for c in doc["cases"]), abs=0.01)


def test_judge_default_seeds_are_public(env):
    r = run("judge", "sumup", BASELINE, "--json", "--jobs", "2")
    assert r.exit_code == 0, r.output
    assert [c["seed"] for c in judged(r)["cases"]] == list(range(8))


def test_judge_by_path_and_private_seeds(env):
    r = run("judge", FIXTURES / "sumup", BASELINE, "-s", "private", "-j", "1", "--json")
    assert r.exit_code == 0, r.output
    assert [c["seed"] for c in judged(r)["cases"]] == [100, 101, 102, 103]


def test_judge_wrong_answer_exit_1(env):
    r = run("judge", "sumup", SOLS / "wrong.py", "--seeds", "0-1", "--jobs", "1", "--json")
    assert r.exit_code == 1, r.output
    doc = judged(r)
    assert [c["verdict"] for c in doc["cases"]] == ["WA", "WA"]
    assert "line 1: expected" in doc["cases"][0]["message"]
    assert doc["accepted"] is False and doc["failed"] == 2 and doc["total"] == 0


def test_judge_some_cases_fail_exit_1(env, tmp_path):
    sol = tmp_path / "half.py"
    sol.write_text("import sys\nn,*a=map(int,sys.stdin.read().split())\nprint(sum(a) if n%2 else -1)\n")
    r = run("judge", "sumup", sol, "--seeds", "0-3", "--jobs", "2", "--json")
    assert r.exit_code == 1
    doc = judged(r)
    assert {c["verdict"] for c in doc["cases"]} == {"AC", "WA"}
    assert doc["failed"] == sum(c["verdict"] != "AC" for c in doc["cases"]) >= 1
    assert doc["total"] == sum(c["score"] for c in doc["cases"] if c["verdict"] == "AC") > 0


def test_judge_compile_error_exit_1(env):
    r = run("judge", "sumup", SOLS / "compile_error.cpp", "--seeds", "0", "--json")
    assert r.exit_code == 1
    doc = judged(r)
    assert doc["cases"][0]["verdict"] == "CE"


def test_judge_table_output_without_json(env):
    r = run("judge", "sumup", BASELINE, "--seeds", "0-1", "--jobs", "1")
    assert r.exit_code == 0, r.output
    assert "Mean" in r.stdout and "#Fail 0" in r.stdout and "AC" in r.stdout


def test_jobs_1_and_2_give_the_same_results(env):
    a = judged(run("judge", "sumup", BASELINE, "--seeds", "0-5", "--jobs", "1", "--json", "--no-record"))
    b = judged(run("judge", "sumup", BASELINE, "--seeds", "0-5", "--jobs", "2", "--json", "--no-record"))
    key = lambda d: [(c["seed"], c["verdict"], c["score"]) for c in d["cases"]]  # noqa: E731
    assert key(a) == key(b)


def test_judge_records_best_scores(env):
    sol = env / "worse.py"
    sol.write_text("import sys\nn,*a=map(int,sys.stdin.read().split())\nprint(sum(a))\n")
    first = judged(run("judge", "sumup", BASELINE, "--seeds", "0-1", "--jobs", "1", "--json"))
    assert [c["relative"] for c in first["cases"]] == [1.0, 1.0]
    again = judged(run("judge", "sumup", sol, "--seeds", "0-1", "--jobs", "1", "--json"))
    assert [c["relative"] for c in again["cases"]] == [1.0, 1.0]  # ties the best
    assert again["n_best"] == 2


def test_save_outputs_writes_in_out_err(env, tmp_path):
    sol = tmp_path / "chatty.py"
    sol.write_text("import sys\nn,*a=map(int,sys.stdin.read().split())\nprint('hello from', n, file=sys.stderr)\nprint(sum(a))\n")
    dest = tmp_path / "saved"
    r = run("judge", "sumup", sol, "--seeds", "3,7", "--jobs", "1", "--json", "--save-outputs", dest)
    assert r.exit_code == 0, r.output
    p = load_problem(FIXTURES / "sumup")
    for seed in (3, 7):
        name = f"{seed:04d}.txt"
        inp = (dest / "in" / name).read_text()
        assert inp == p.generate(seed)
        assert (dest / "out" / name).read_text().strip() == str(sum(map(int, inp.split()[1:])))
        assert "hello from" in (dest / "err" / name).read_text()
    assert sorted(x.name for x in (dest / "in").iterdir()) == ["0003.txt", "0007.txt"]


def test_save_outputs_interactive_keeps_transcript(env, tmp_path):
    dest = tmp_path / "saved"
    sol = FIXTURES / "echo-game" / "solutions" / "baseline.py"
    r = run("judge", "echo-game", sol, "--seeds", "1", "--json", "--save-outputs", dest)
    assert r.exit_code == 0, r.output
    for sub in ("in", "out", "err"):
        assert (dest / sub / "0001.txt").is_file()
    xs = list(map(int, (dest / "in" / "0001.txt").read_text().split()))[1:]
    assert (dest / "out" / "0001.txt").read_text().split() == [str(2 * x) for x in xs]


# --- usage errors: exit 2 -----------------------------------------------------------------


@pytest.mark.parametrize("seeds", ["3-x", "9-1", "publik", "1,,2", ""])
def test_bad_seeds_exit_2_one_line(env, seeds):
    r = run("judge", "sumup", BASELINE, "--seeds", seeds, "--json")
    assert r.exit_code == 2, (r.exit_code, r.output)
    msg = one_line_error(r)
    assert "bad seed list" in msg and "3,7,9" in msg
    assert r.stdout == ""


def test_missing_argument_exit_2(env):
    r = run("judge", "sumup")
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    assert "Missing argument" in r.stderr


def test_missing_solution_file_exit_2(env):
    r = run("judge", "sumup", env / "nope.py")
    assert r.exit_code == 2
    assert "Traceback" not in r.output
    assert "no such file" in " ".join(r.stderr.replace("│", " ").split())  # the usage panel may wrap


def test_bad_jobs_exit_2(env):
    r = run("judge", "sumup", BASELINE, "--jobs", "0")
    assert r.exit_code == 2 and "Traceback" not in r.output


def test_gen_bad_seed_exit_2(env):
    r = run("gen", "sumup", "x")
    assert r.exit_code == 2 and "Traceback" not in r.output


# --- bad problem or config: exit 3 --------------------------------------------------------


def test_unknown_problem_exit_3(env):
    r = run("judge", "no-such-problem", BASELINE)
    assert r.exit_code == 3
    msg = one_line_error(r)
    assert "no-such-problem" in msg and "not found" in msg


def test_broken_package_exit_3(env):
    bad = env / "shelf" / "broken"
    shutil.copytree(FIXTURES / "sumup", bad)
    (bad / "problem.yaml").write_text((FIXTURES / "sumup" / "problem.yaml").read_text().replace("id: sumup", "id: broken") + "colour: red\n")
    r = run("judge", "broken", BASELINE, "--seeds", "0")
    assert r.exit_code == 3
    msg = one_line_error(r)
    assert "problem.yaml" in msg and "unknown key 'colour'" in msg


def test_problem_yaml_not_utf8_exit_3(env):
    bad = env / "shelf" / "latin"
    shutil.copytree(FIXTURES / "sumup", bad)
    text = (FIXTURES / "sumup" / "problem.yaml").read_text().replace("id: sumup", "id: latin")
    (bad / "problem.yaml").write_bytes(text.replace("title: Sum Up", "title: Caf\xe9").encode("latin-1"))
    r = run("judge", "latin", BASELINE, "--seeds", "0")
    assert r.exit_code == 3
    msg = one_line_error(r)
    assert "problem.yaml" in msg and "not UTF-8" in msg


def test_generator_syntax_error_exit_3(env):
    bad = env / "shelf" / "badgen"
    shutil.copytree(FIXTURES / "sumup", bad)
    (bad / "problem.yaml").write_text((FIXTURES / "sumup" / "problem.yaml").read_text().replace("id: sumup", "id: badgen"))
    (bad / "generator.py").write_text("def generate(seed):\n    return (\n")
    r = run("judge", "badgen", BASELINE, "--seeds", "0", "--json")
    assert r.exit_code == 3
    msg = one_line_error(r)
    assert "generator.py:2" in msg and "syntax error" in msg


def test_bad_config_exit_3(env, monkeypatch):
    cfg = env / "bad.yaml"
    cfg.write_text("problems: [x]\njuge: {jobs: 2}\n")
    monkeypatch.setenv("ALE_CONFIG", str(cfg))
    r = run("judge", "sumup", BASELINE)
    assert r.exit_code == 3
    msg = one_line_error(r)
    assert str(cfg) in msg and "unknown key 'juge'" in msg


def test_missing_config_file_exit_3(env, monkeypatch):
    monkeypatch.setenv("ALE_CONFIG", str(env / "missing.yaml"))
    r = run("problems", "list")
    assert r.exit_code == 3
    assert "config file not found" in one_line_error(r)


def test_invalid_yaml_config_exit_3(env, monkeypatch):
    cfg = env / "bad.yaml"
    cfg.write_text("problems: [x\n")
    monkeypatch.setenv("ALE_CONFIG", str(cfg))
    r = run("problems", "show", "sumup")
    assert r.exit_code == 3
    assert "not valid YAML" in one_line_error(r)


# --- ale problems, ale gen, ale doctor ----------------------------------------------------


def test_problems_list_json(env):
    bad = env / "shelf" / "broken"
    shutil.copytree(FIXTURES / "sumup", bad)  # id 'sumup' in folder 'broken': reported, not fatal
    r = run("problems", "list", "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    ids = {p["id"]: p for p in doc["problems"]}
    assert {"sumup", "echo-game", "bad-scorer"} <= set(ids)
    s = ids["sumup"]
    assert s["objective"] == "maximize" and s["interactive"] is False and s["time_limit"] == 1.0
    assert s["public_seeds"] == [0, 7] and s["private_seeds"] == [100, 103] and "baseline.py" in s["solutions"]
    assert ids["echo-game"]["interactive"] is True
    broken = [b for b in doc["broken"] if b["path"] == str(bad)]
    assert broken and "field 'id'" in broken[0]["error"]


def test_problems_list_table(env):
    r = run("problems", "list")
    assert r.exit_code == 0
    assert "sumup" in r.stdout and "echo-game" in r.stdout


def test_problems_show(env):
    r = run("problems", "show", "sumup")
    assert r.exit_code == 0, r.output
    assert "Sum Up" in r.stdout and "maximize" in r.stdout
    assert (FIXTURES / "sumup" / "statement.md").read_text().strip().splitlines()[0] in r.stdout


def test_problems_show_json(env):
    r = run("problems", "show", "echo-game", "--json")
    assert r.exit_code == 0
    doc = json.loads(r.stdout)
    assert doc["id"] == "echo-game" and doc["interactive"] is True
    assert doc["statement"] == (FIXTURES / "echo-game" / "statement.md").read_text()


def test_problems_show_unknown_exit_3(env):
    r = run("problems", "show", "nope")
    assert r.exit_code == 3 and "not found" in one_line_error(r)


def test_gen_prints_generator_text(env):
    p = load_problem(FIXTURES / "sumup")
    for seed in (0, 3, 100):
        r = run("gen", "sumup", seed)
        assert r.exit_code == 0
        assert r.stdout == p.generate(seed)


def test_gen_unknown_problem_exit_3(env):
    r = run("gen", "nope", 0)
    assert r.exit_code == 3 and "not found" in one_line_error(r)


def test_doctor_json(env):
    r = run("doctor", "--json")
    assert r.exit_code == 0, r.output
    rows = {c["name"]: c for c in json.loads(r.stdout)["checks"]}
    assert {"python", "numba", "g++", "bwrap", "cargo"} <= set(rows)
    for name in ("python", "numba", "g++", "bwrap", "cargo"):
        row = rows[name]
        assert {"ok", "found", "fix", "required"} <= set(row)
        assert row["ok"] or row["fix"], f"{name}: missing without a fix"
    assert rows["python"]["ok"] and rows["python"]["found"] == sys.version.split()[0]
    assert rows["numba"]["ok"]
    assert rows["g++"]["ok"] == bool(shutil.which("g++"))
    assert rows["cargo"]["ok"] == bool(shutil.which("cargo"))
    from judge import sandbox

    assert rows["bwrap"]["ok"] == (sandbox.mode() == "bwrap")


# --- the installed console script ---------------------------------------------------------


def _ale_script() -> str | None:
    here = Path(sys.executable).parent / "ale"  # the real script, not a pyenv shim
    return str(here) if here.is_file() else shutil.which("ale")


@pytest.mark.skipif(_ale_script() is None, reason="the `ale` console script is not installed (pip install -e .)")
def test_installed_console_script(env):
    ale = _ale_script()
    e = dict(os.environ, ALE_CONFIG=str(env / "ale.yaml"))
    r = subprocess.run([ale, "judge", "sumup", str(BASELINE), "--seeds", "0-2", "--jobs", "1", "--json"],
                       capture_output=True, text=True, env=e, timeout=120)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert TOP_KEYS <= set(doc) and [c["verdict"] for c in doc["cases"]] == ["AC"] * 3
    # What the process wrote before exiting is all there (main() skips the shutdown collections).
    import sqlite3

    with sqlite3.connect(env / "ale.db") as db:
        best = dict(db.execute("select seed, score from best_scores where problem = 'sumup'"))
    assert best == {c["seed"]: c["score"] for c in doc["cases"]}
    r = subprocess.run([ale, "judge", "sumup", str(BASELINE), "--seeds", "x"], capture_output=True, text=True, env=e, timeout=60)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    r = subprocess.run([ale, "judge", "nope", str(BASELINE)], capture_output=True, text=True, env=e, timeout=60)
    assert r.returncode == 3 and len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert r.stdout == ""


STARTUP_PROBE = """
import json, sys
from ale.cli import main
sys.argv = ["ale"] + json.loads(sys.argv[1])
try:
    main()
except SystemExit as e:
    code = e.code
heavy = sorted({m.split(".")[0] for m in sys.modules} & {"numpy", "sqlite_utils", "rich", "pydantic", "optuna", "aiohttp", "anthropic", "yaml", "ray"})
sys.stderr.write("HEAVY " + json.dumps({"code": code, "heavy": heavy}) + "\\n")
"""


def test_judge_json_start_up_imports_nothing_heavy(env):
    """`ale judge --json` is timed as a whole by the overhead benchmark: it must not import what it
    does not use (numpy via sqlite-utils, rich without a terminal, the solver's and providers' libraries,
    PyYAML once ale.yaml and problem.yaml have been parsed and cached)."""
    args = ["judge", "sumup", str(BASELINE), "--seeds", "0-1", "--json"]
    for _ in range(2):  # the first run creates the store (migrations may import sqlite-utils) and parses the YAML
        r = subprocess.run([sys.executable, "-c", STARTUP_PROBE, json.dumps(args)], capture_output=True, text=True, env=os.environ.copy())
    line = next(ln for ln in r.stderr.splitlines() if ln.startswith("HEAVY "))
    doc = json.loads(line[len("HEAVY "):])
    assert doc["code"] == 0, r.stderr
    assert doc["heavy"] == [], doc
    assert json.loads(r.stdout)["accepted"] is True


def test_no_arguments_shows_help_without_an_empty_error_line(env):
    r = subprocess.run([sys.executable, "-c", "from ale.cli import main; main()"], capture_output=True, text=True)
    assert r.returncode == 2
    assert "judge" in r.stdout + r.stderr and "Usage" in r.stdout + r.stderr
    assert "error:" not in r.stdout + r.stderr
