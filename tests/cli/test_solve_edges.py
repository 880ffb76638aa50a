"""`ale solve` at its edges: a run with nothing accepted, --out and the language, --fix checks,
unknown providers, Ctrl-C. The bowl fixture keeps each run to a few seconds."""

import json
import re
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from ale.cli import app
from ale.store import Store

BOWL = Path(__file__).resolve().parent.parent / "solve" / "fixtures" / "bowl"
runner = CliRunner()


def interruptible(cmd: list[str]) -> subprocess.Popen:
    """Start `cmd` with SIGINT at its default, as in a terminal: a test runner started in the
    background by a shell without job control inherits SIGINT ignored, and Python then never
    raises KeyboardInterrupt."""
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def run(tmp_path, *args, problem=BOWL):
    return runner.invoke(app, ["solve", str(problem), "--db", str(tmp_path / "s.db"), "--private-top", "0", *args])


def failing_bowl(tmp_path) -> Path:
    """The bowl with one starting file that always exits non-zero (RE on every seed)."""
    d = tmp_path / "bad" / "bowl"
    shutil.copytree(BOWL, d, ignore=shutil.ignore_patterns("solutions"))
    (d / "solutions").mkdir()
    (d / "solutions" / "baseline.py").write_text("import sys\nX = 1.0  # ale: param float 0 12\nsys.exit(1)\n")
    return d


def test_nothing_accepted_exits_1_and_out_refuses_without_force(tmp_path):
    bad = failing_bowl(tmp_path)
    out = tmp_path / "best.py"
    r = run(tmp_path, "--budget", "2", "--beam", "1", "--out", str(out), problem=bad)
    assert r.exit_code == 1, r.output
    assert not out.exists()
    assert "no candidate was accepted" in r.output and "--force" in r.output
    r = run(tmp_path, "--budget", "2", "--beam", "1", "--out", str(out), "--force", "--json", problem=bad)
    assert r.exit_code == 1, r.output
    assert "sys.exit(1)" in out.read_text()
    assert json.loads(r.stdout)["out"] == str(out)


def test_accepted_run_exits_0_and_writes_out(tmp_path):
    out = tmp_path / "best.py"
    r = run(tmp_path, "--budget", "3", "--beam", "2", "--start", "tuned.py", "--out", str(out), "--json")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["best_accepted"] and doc["out"] == str(out)
    assert out.read_text() == Store(tmp_path / "s.db").get_candidate(doc["best_candidate"])["source"]


def test_out_suffix_follows_the_language(tmp_path):
    d = tmp_path / "cpp" / "bowl"
    shutil.copytree(BOWL, d)
    (d / "solutions" / "main.cpp").write_text('#include <cstdio>\nint main(){double a,b;scanf("%lf %lf",&a,&b);printf("%f %f\\n",a,b);}\n')
    r = run(tmp_path, "--budget", "1", "--start", "main.cpp", "--out", str(tmp_path / "best.py"), problem=d)
    assert r.exit_code == 0, r.output
    assert not (tmp_path / "best.py").exists()
    assert "printf" in (tmp_path / "best.cpp").read_text()
    assert "best.cpp instead of" in r.output
    # No suffix at all: the language's is added.
    r = run(tmp_path, "--budget", "1", "--start", "main.cpp", "--out", str(tmp_path / "best"), problem=d)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "best.cpp").is_file() and not (tmp_path / "best").exists()


def test_fix_is_checked_against_param_lines_before_the_run_exists(tmp_path):
    cases = {
        "X=abc": "float",  # wrong type
        "X=13": "0 to 12",  # out of range: was silently clamped
        "NOPE=1": "no `ale: param` line declares NOPE",  # unknown name
        "X": "NAME=VALUE",
    }
    for fix, says in cases.items():
        r = run(tmp_path, "--budget", "2", "--start", "tuned.py", "--fix", fix)
        assert r.exit_code == 2, (fix, r.output)
        assert says in r.output, (fix, r.output)
        assert "Traceback" not in r.output
    assert not (tmp_path / "s.db").exists() or Store(tmp_path / "s.db").list_runs() == []
    r = run(tmp_path, "--budget", "1", "--start", "tuned.py", "--fix", "X=3", "--json")
    assert r.exit_code == 0, r.output
    assert "X = 3.0" in Store(tmp_path / "s.db").candidates(json.loads(r.stdout)["run"])[0]["source"]


def test_fix_on_a_shipped_problem_names_file_and_range(tmp_path):
    r = runner.invoke(app, ["solve", "delivery-route", "--db", str(tmp_path / "d.db"), "--start", "strong.cpp", "--fix", "TIME_BUDGET=0.3"])
    assert r.exit_code == 2, r.output
    assert "strong.cpp line 11" in r.output and "0.5 to 1.8" in r.output


def test_unknown_provider_is_a_usage_error(tmp_path):
    r = run(tmp_path, "--provider", "bogus")
    assert r.exit_code == 2, r.output
    assert "bogus" in r.output and "offline" in r.output


def test_ctrl_c_says_the_run_is_saved_and_how_to_resume(tmp_path):
    db = tmp_path / "c.db"
    cmd = [sys.executable, "-m", "ale.cli", "solve", str(BOWL), "--db", str(db), "--budget", "500", "--beam", "2", "--private-top", "0"]
    proc = interruptible(cmd)
    deadline, n = time.monotonic() + 90, 0
    while time.monotonic() < deadline and n < 3:
        time.sleep(0.3)
        try:
            n = sqlite3.connect(db).execute("select count(*) from candidates").fetchone()[0]
        except sqlite3.Error:
            pass
    assert n >= 3, proc.communicate()[1][-2000:]
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    run_id = Store(db).list_runs()[0]["id"]
    assert f"run {run_id} is saved" in stderr and f"--resume {run_id}" in stderr, stderr
    assert Store(db).get_run(run_id)["status"] == "interrupted"


def test_ctrl_c_during_judging_kills_the_cases_instead_of_waiting_for_every_seed(tmp_path):
    """The candidate being judged is abandoned: its running case is killed and no other seed starts
    (before, Ctrl-C here waited 74 s for all 50 seeds of a 1.5 s program to finish)."""
    d = tmp_path / "slow" / "bowl"
    shutil.copytree(BOWL, d)
    (d / "solutions" / "slow.py").write_text("import time\ntime.sleep(1.5)\nprint(0)\n")
    db = tmp_path / "c.db"
    cmd = [sys.executable, "-m", "ale.cli", "solve", str(d), "--db", str(db), "--start", "slow.py",
           "--seeds", "0-29", "--jobs", "1", "--budget", "3", "--private-top", "0"]
    proc = interruptible(cmd)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the run's row is written just before the starting file is judged
        try:
            if sqlite3.connect(db).execute("select count(*) from runs").fetchone()[0]:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.1)
    time.sleep(3)  # well into judging 30 seeds x 1.5 s
    assert proc.poll() is None, proc.communicate()[1][-2000:]
    t0 = time.monotonic()
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130, stderr
    assert time.monotonic() - t0 < 15, stderr  # all seeds would take 40 s more
    assert "run 1 is saved (0 candidates judged)" in stderr, stderr


def test_the_summary_shows_the_lessons_the_run_learned(tmp_path):
    r = run(tmp_path, "--budget", "8", "--beam", "3", "--start", "tuned.py")
    assert r.exit_code == 0, r.output
    assert re.search(r"lessons: \d+ shown to proposals, [1-9]\d* learned", r.output), r.output
    assert re.search(r"L\d+ \[insight\] Best setting of tuned.py on bowl so far: X=", r.output), r.output
    assert "ale lessons list --problem bowl" in r.output
    doc = json.loads(run(tmp_path, "--budget", "8", "--beam", "3", "--start", "tuned.py", "--json", "--seed", "1").stdout)
    assert doc["lessons_learned"] and all(isinstance(i, int) for i in doc["lessons_learned"])
