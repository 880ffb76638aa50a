"""`ale solve` end to end with the real judge, the offline drafter and the store."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ale.cli import app
from ale.store import Store

FIX = Path(__file__).parent / "fixtures"
BOWL = str(FIX / "bowl")
runner = CliRunner()


def solve(db, *args):
    r = runner.invoke(app, ["solve", BOWL, "--db", str(db), "--json", "--private-top", "1", *args])
    assert r.exit_code == 0, (r.output, r.stderr if hasattr(r, "stderr") else "")
    return json.loads(r.stdout)


def test_offline_solve_improves_and_records_everything(tmp_path):
    db = tmp_path / "ale.db"
    out = tmp_path / "best.py"
    doc = solve(db, "--budget", "16", "--beam", "3", "--out", str(out))
    assert set(doc) >= {"run", "problem", "best_candidate", "baseline_public_mean", "best_public_mean", "best_private_mean", "candidates"}
    assert doc["best_public_mean"] > doc["baseline_public_mean"]
    assert doc["best_public_mean"] > max(c["public_mean"] for c in doc["candidates"] if c["method"] == "start")
    assert doc["best_private_mean"] is not None
    assert len(doc["candidates"]) == 16
    s = Store(db)
    cands = s.candidates(doc["run"])
    assert len(cands) == 16 and all(len(s.evaluations(c["id"], "public")) == 4 for c in cands)
    assert out.read_text() == s.get_candidate(doc["best_candidate"])["source"]
    produced = [l for c in cands for l in s.candidate_lessons(c["id"], "produced")]
    assert produced, "the offline drafter distils lessons from what it judged"
    assert any(l["kind"] == "insight" and "best_params" in l["evidence"] for l in produced)

    # A second run reads the first run's lessons back and shows them to its candidates.
    doc2 = solve(db, "--budget", "6", "--beam", "3")
    shown = {l["id"] for c in s.candidates(doc2["run"]) for l in s.candidate_lessons(c["id"], "shown")}
    assert {l["id"] for l in produced} & shown
    # ... and it starts from the best known setting instead of rediscovering it.
    first_child = next(c for c in s.candidates(doc2["run"]) if c["method"] != "start")
    assert first_child["method"] == "lesson-best"


def test_budget_and_no_lessons(tmp_path):
    doc = solve(tmp_path / "a.db", "--budget", "4", "--beam", "2", "--no-lessons")
    assert len(doc["candidates"]) == 4 and doc["stop_reason"].startswith("candidate budget")
    s = Store(tmp_path / "a.db")
    assert not any(s.candidate_lessons(c["id"], "shown") for c in s.candidates(doc["run"]))


def test_time_budget_stops(tmp_path):
    t0 = time.monotonic()
    doc = solve(tmp_path / "t.db", "--budget", "500", "--time", "4s", "--private-top", "0")
    assert doc["stop_reason"].startswith("time budget")
    assert time.monotonic() - t0 < 60
    assert len(doc["candidates"]) < 500


def test_failing_candidates_never_outrank_accepted(tmp_path):
    from ale.solve import rank

    ok = {"accepted": 1, "failed": 0, "rank_key": 10.0}
    failing = {"accepted": 0, "failed": 1, "rank_key": 1e9}
    assert rank(ok) > rank(failing)
    doc = solve(tmp_path / "r.db", "--budget", "12", "--beam", "4")
    best = next(c for c in doc["candidates"] if c["id"] == doc["best_candidate"])
    assert best["accepted"]


def test_bad_flags_are_usage_errors(tmp_path):
    r = runner.invoke(app, ["solve", BOWL, "--db", str(tmp_path / "x.db"), "--seeds", "banana"])
    assert r.exit_code == 2 and "bad seed list" in r.output
    r = runner.invoke(app, ["solve", BOWL, "--db", str(tmp_path / "x.db"), "--time", "soon"])
    assert r.exit_code == 2 and "--time" in r.output
    r = runner.invoke(app, ["solve", "no-such-problem", "--db", str(tmp_path / "x.db")])
    assert r.exit_code == 3 and "not found" in r.output
    r = runner.invoke(app, ["solve", BOWL, "--db", str(tmp_path / "x.db"), "--resume", "99"])
    assert r.exit_code == 3 and "no run 99" in r.output


def test_replay_tells_the_story_and_rejudges(tmp_path):
    db = tmp_path / "p.db"
    doc = solve(db, "--budget", "10", "--beam", "2")
    r = runner.invoke(app, ["replay", str(doc["run"]), "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    story = json.loads(r.stdout)
    assert [e["candidate"] for e in story["events"]] == [c["id"] for c in doc["candidates"]]
    child = next(e for e in story["events"] if e["parent"])
    assert child["delta"] is not None and child["shown"]
    assert any(e["produced"] for e in story["events"])
    text = runner.invoke(app, ["replay", str(doc["run"]), "--db", str(db)])
    assert "shown" in text.stdout and "learned" in text.stdout
    rj = runner.invoke(app, ["replay", str(doc["run"]), "--db", str(db), "--rejudge", "--json"])
    assert rj.exit_code == 0, rj.output
    events = json.loads(rj.stdout)["events"]
    # The bowl's solutions are deterministic: today's scores equal the recorded ones.
    assert all(e["rejudge_same"] for e in events), [e["rejudge_diffs"] for e in events if not e["rejudge_same"]]


def test_kill_9_then_resume_loses_nothing_and_judges_nothing_twice(tmp_path):
    db = tmp_path / "k.db"
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "ale.cli", "solve", BOWL, "--db", str(db), "--budget", "24", "--beam", "3",
           "--private-top", "0", "--json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    deadline = time.monotonic() + 120
    n = 0
    while time.monotonic() < deadline:
        time.sleep(0.3)
        if db.exists():
            try:
                n = sqlite3.connect(db).execute("select count(*) from candidates").fetchone()[0]
            except sqlite3.Error:
                continue
            if n >= 8:
                break
    assert n >= 8, proc.communicate()[1][-2000:]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    s = Store(db)
    run = s.list_runs()[0]
    before = {c["id"]: c["hash"] for c in s.candidates(run["id"])}
    assert run["status"] == "running"  # killed: nobody marked it done
    r = runner.invoke(app, ["solve", BOWL, "--db", str(db), "--resume", str(run["id"]), "--json"])
    assert r.exit_code == 0, r.output
    after = s.candidates(run["id"])
    assert {c["id"]: c["hash"] for c in after if c["id"] in before} == before  # nothing lost
    hashes = [c["hash"] for c in after]
    assert len(hashes) == len(set(hashes))  # nothing judged twice
    assert len(after) == 24
    for c in after:
        assert len(s.evaluations(c["id"], "public")) == 4  # every stored candidate is complete
    assert s.get_run(run["id"])["status"] == "done"


@pytest.mark.slow
def test_offline_solve_on_a_shipped_problem(tmp_path):
    """About 20 candidates on delivery-route with the real judge; a second run reads the lessons back."""
    db = tmp_path / "d.db"
    common = ["--db", str(db), "--json", "--seeds", "0-2", "--start", "baseline.py", "--start", "strong.cpp",
              "--fix", "TIME_BUDGET=0.5", "--beam", "4", "--private-top", "1", "--private-seeds", "1000-1002"]
    r = runner.invoke(app, ["solve", "delivery-route", "--budget", "20", *common])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["best_public_mean"] < doc["baseline_public_mean"]  # minimise: strictly better
    s = Store(db)
    cands = s.candidates(doc["run"])
    assert len(cands) == 20
    assert all(s.evaluations(c["id"], "public") for c in cands)
    assert any(c["method"] not in ("start",) and c["accepted"] for c in cands)
    produced = {l["id"] for c in cands for l in s.candidate_lessons(c["id"], "produced")}
    assert produced
    r2 = runner.invoke(app, ["solve", "delivery-route", "--budget", "4", *common])
    assert r2.exit_code == 0, r2.output
    shown = {l["id"] for c in s.candidates(json.loads(r2.stdout)["run"]) for l in s.candidate_lessons(c["id"], "shown")}
    assert produced & shown


def test_fixed_parameters_are_pinned_and_not_tuned(tmp_path):
    db = tmp_path / "f.db"
    doc = solve(db, "--budget", "8", "--beam", "3", "--fix", "Y=50.0", "--start", "tuned.py", "--no-lessons")
    s = Store(db)
    for c in s.candidates(doc["run"]):
        assert "Y = 50.0" in c["source"] and c["params"]["Y"] == 50.0
    children = [c for c in s.candidates(doc["run"]) if c["parent_id"]]
    assert children and all("Y=" not in c["note"] for c in children)
    r = runner.invoke(app, ["solve", BOWL, "--db", str(db), "--start", "nope.py"])
    assert r.exit_code == 2 and "nope.py" in r.output


def test_start_file_with_unknown_suffix_is_a_usage_error_before_the_run(tmp_path):
    db = tmp_path / "u.db"
    notes = tmp_path / "notes.txt"
    notes.write_text("print(1)\n")
    r = runner.invoke(app, ["solve", BOWL, "--db", str(db), "--start", str(notes)])
    assert r.exit_code == 2 and "notes.txt" in r.output and ".rs" in r.output
    assert not db.exists() or Store(db).list_runs() == []
