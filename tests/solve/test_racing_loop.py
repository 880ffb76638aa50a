"""Racing and the noise-aware best inside `ale solve` (the judge-level race is tested in tests/judge)."""

import json
from pathlib import Path

from typer.testing import CliRunner

from ale.cli import app
from ale.prompts import render_feedback
from ale.search import rank
from ale.store import Store

BOWL = str(Path(__file__).parent / "fixtures" / "bowl")
runner = CliRunner()


def solve(db, *args):
    r = runner.invoke(app, ["solve", BOWL, "--db", str(db), "--json", "--private-top", "1", "--seeds", "0-11",
                            "--start", "tuned.py", "--beam", "3", "--jobs", "2", *args])
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)


def test_racing_stops_worse_children_early_and_the_best_has_every_seed(tmp_path):
    db = tmp_path / "race.db"
    doc = solve(db, "--budget", "10")
    s = Store(db)
    cands = s.candidates(doc["run"])
    raced = [c for c in cands if "raced" in (c.get("flags") or [])]
    assert raced, "some child of the bowl's tuning should be clearly worse than its parent"
    for c in raced:  # stored evaluations hold only the seeds that ran
        seeds = [e["seed"] for e in s.evaluations(c["id"], "public")]
        assert seeds == list(range(len(seeds))) and len(seeds) < 12
        per = next(p for p in doc["candidates"] if p["id"] == c["id"])
        assert per["cases_run"] == len(seeds) and per["cases_skipped"] == 12 - len(seeds)
        # Why it stopped reaches its author (the prompt's feedback), and a futile stop is flagged apart.
        why = c["feedback"]["stopped"]
        assert why.endswith(f"judged on {len(seeds)} of 12 seeds")
        assert why.startswith("futile") == ("futile" in c["flags"]), why
        assert f"stopped early by racing: {why}" in render_feedback(c["feedback"])
    best = s.get_candidate(doc["best_candidate"])
    assert len(s.evaluations(best["id"], "public")) == 12
    assert all(rank(best) >= rank(c) for c in cands)
    assert doc["judge"]["racing"] is True and doc["judge"]["cases_skipped"] > 0
    assert doc["judge"]["raced_out"] == len(raced)
    assert doc["judge"]["futile"] == len([c for c in raced if "futile" in c["flags"]])
    assert doc["judge"]["cpu_seconds"] > 0


def test_no_racing_judges_every_seed(tmp_path):
    db = tmp_path / "full.db"
    doc = solve(db, "--budget", "6", "--no-racing")
    s = Store(db)
    assert all(len(s.evaluations(c["id"], "public")) == 12 for c in s.candidates(doc["run"]))
    assert doc["judge"]["cases_skipped"] == 0 and doc["judge"]["racing"] is False


def test_top_candidates_are_rejudged_and_the_noise_is_reported(tmp_path):
    db = tmp_path / "noise.db"
    doc = solve(db, "--budget", "5")
    s = Store(db)
    rejudged = [c for c in s.candidates(doc["run"]) if s.evaluations(c["id"], "rejudge")]
    assert 1 <= len(rejudged) <= 3
    assert all(not (c.get("flags") or []) for c in rejudged)  # bookkeeping is in the evaluations, not the flags
    assert doc["noise"] is not None and doc["noise"]["candidates"] == len(
        [c for c in rejudged if all(e["verdict"] == "AC" for e in s.evaluations(c["id"], "rejudge"))])
    # the bowl's scores are deterministic: the two runs agree exactly
    assert doc["noise"]["mean_relative_diff"] == 0.0


def test_a_child_that_only_ties_its_parent_stops_as_futile(tmp_path, monkeypatch):
    """Z is never printed, so every child of this start ties its parent seed for seed: not worse
    (the Wilcoxon test cannot fire on ties), but unable to finish ahead. Futility stops each one after
    the first stage, flags it and says so in its feedback; with solve.race_futility 0 they run every seed."""
    start = tmp_path / "idle.py"
    start.write_text("X = 3.0\nZ = 1.0  # ale: param float 0 10\nprint(X, 10.0)\n")
    doc = solve(tmp_path / "tie.db", "--budget", "7", "--start", str(start), "--no-lessons")
    s = Store(tmp_path / "tie.db")
    cands = s.candidates(doc["run"])
    children = [c for c in cands if c["parent_id"] is not None]
    assert children
    for c in children:
        assert c["flags"] == ["futile", "raced"], c["flags"]
        assert len(s.evaluations(c["id"], "public")) == 5
        assert c["feedback"]["stopped"].startswith("futile: chance to finish ahead of its")
    assert doc["judge"]["futile"] == len(children)
    # A futile child is a side step at its estimated mean (here exactly its parent's): once the start
    # has been expanded three times, the search expands one of them, as it would a complete tie.
    raced_ids = {c["id"] for c in children}
    assert any(c["parent_id"] in raced_ids for c in children)
    best = s.get_candidate(doc["best_candidate"])
    assert not best["flags"] and len(s.evaluations(best["id"], "public")) == 12  # the best ran every seed

    cfg = tmp_path / "ale.yaml"
    cfg.write_text("solve:\n  race_futility: 0\n")
    monkeypatch.setenv("ALE_CONFIG", str(cfg))
    doc = solve(tmp_path / "off.db", "--budget", "4", "--start", str(start), "--no-lessons")
    s = Store(tmp_path / "off.db")
    children = [c for c in s.candidates(doc["run"]) if c["parent_id"] is not None]
    assert children and all(len(s.evaluations(c["id"], "public")) == 12 for c in children)
    assert doc["judge"]["futile"] == 0 and doc["judge"]["raced_out"] == 0
