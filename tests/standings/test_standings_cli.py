"""`ale standings import`, `ale rank` and `ale rating` through the CLI, on small files written here."""

import json
import shutil

import pytest
from typer.testing import CliRunner

from ale.cli import app
from ale.store import Store
from tests.conftest import FIXTURES

runner = CliRunner()


def ale(*args):
    return runner.invoke(app, [str(a) for a in args])


def one_line_error(res, *words, code=3):
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert res.exit_code == code and len(lines) == 1 and "Traceback" not in res.output, res.output
    for w in words:
        assert w in res.output, res.output


@pytest.fixture
def pkg(tmp_path):
    """sumup (private seeds 100-103) copied where the test may add standings."""
    return shutil.copytree(FIXTURES / "sumup", tmp_path / "shelf" / "sumup")


@pytest.fixture
def judged(tmp_path):
    """A store with one run whose best candidate has private results on seeds 100-103."""
    db = tmp_path / "ale.db"
    with Store(db) as store:
        run = store.create_run("sumup", "offline", {})
        cid = store.add_candidate(run, source="print(1)", language="python", hash="h", parent_id=None, method="start")
        cases = [{"seed": s, "verdict": "AC", "score": 250} for s in (100, 101, 102)]
        store.add_evaluations(cid, "private", cases + [{"seed": 103, "verdict": "WA", "score": 0}])
        store.update_run(run, status="done", best_candidate=cid)
    return db, run, cid


def test_import_then_rank(tmp_path, pkg, judged):
    db, run, cid = judged
    csv = tmp_path / "results.csv"
    csv.write_text("rank,score,performance\n1,1000,2600\n2,800,2200\n3,750,1900\n3,750,1900\n5,100,900\n")
    res = ale("standings", "import", csv, "--problem", pkg, "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["rows"] == 5
    assert (pkg / "standings" / "performance.csv").read_text().startswith("rank,performance\n1,2600\n")
    res = ale("rank", pkg, run, "--json", "--db", db)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    # partial_score: the WA case counts 0, total 750 ties ranks 3-4 -> rank 3, performance at 3.5
    assert (doc["score"], doc["rank"], doc["performance_rank"]) == (750, 3, 3.5)
    # the two rows on rank 3 put their performance at the middle of ranks 3..4 (ALE-Bench's map): exact
    assert doc["performance"] == 1900
    assert doc["percentile"] == pytest.approx(100 * 3 / 7, abs=1e-3)
    # a second import needs --force, and then replaces the table
    one_line_error(ale("standings", "import", csv, "--problem", pkg), "--force")
    csv.write_text("rank,score\n1,10000\n2,5000\n")
    assert ale("standings", "import", csv, "--problem", pkg, "--force").exit_code == 0
    assert not (pkg / "standings" / "performance.csv").exists()
    doc = json.loads(ale("rank", pkg, run, "--json", "--db", db).stdout)
    assert (doc["rank"], doc["performance"]) == (3, None)


def test_malformed_csv_is_one_line_naming_file_and_line(tmp_path, pkg, judged):
    csv = tmp_path / "results.csv"
    csv.write_text("rank,score\n1,1000\n2,lots\n")
    one_line_error(ale("standings", "import", csv, "--problem", pkg), f"{csv.name}:3:", "'lots'")
    csv.write_text("rank,score\n1,100\n2,200\n")  # rises with rank, but sumup maximizes
    one_line_error(ale("standings", "import", csv, "--problem", pkg), f"{csv.name}:3:", "higher")
    assert not (pkg / "standings").exists()
    (pkg / "standings").mkdir()
    (pkg / "standings" / "standings_scores.csv").write_text("rank,score\n1,100\n3\n")
    db, run, _ = judged
    one_line_error(ale("rank", pkg, run, "--db", db), "standings_scores.csv:3:", "1 value but the header has 2")


def test_rank_says_why_it_cannot(tmp_path, pkg, judged):
    db, run, cid = judged
    one_line_error(ale("rank", pkg, run, "--db", db), "no standings", "ale standings import")
    one_line_error(ale("rank", pkg, 99, "--db", db), "no run 99")
    (tmp_path / "s.csv").write_text("rank,score\n1,10\n")
    assert ale("standings", "import", tmp_path / "s.csv", "--problem", pkg).exit_code == 0
    one_line_error(ale("rank", pkg, run, "--candidate", 12345, "--db", db), "candidate 12345 is not in run")


def test_rating_cli(tmp_path):
    sched = tmp_path / "schedule.csv"
    sched.write_text(
        "problem_id,start_at,end_at,weight\n"
        "ahc001,2021-03-06T12:00:00,2021-03-14T20:00:00,0.5\n"
        "ahc002,2021-04-25T12:00:00,2021-04-25T16:00:00,1\n"
    )
    res = ale("rating", "ahc001=2000", "ahc002=2200", "--schedule", sched, "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["final"] == "ahc002" and doc["performances"] == {"ahc001": 2000, "ahc002": 2200}
    from ale.rating import rating, read_schedule

    assert doc["rating"] == rating({"ahc001": 2000, "ahc002": 2200}, read_schedule(sched), "ahc002")
    one_line_error(ale("rating", "ahc001:2000", "--schedule", sched), "PROBLEM=PERFORMANCE", code=2)
    one_line_error(ale("rating", "ahc999=2000", "--schedule", sched), "ahc999", code=2)
    sched.write_text("problem_id,start_at,end_at,weight\nahc001,2021-03-06,2021-03-14,heavy\n")
    one_line_error(ale("rating", "ahc001=2000", "--schedule", sched), "schedule.csv:2:", "weight")


def test_solve_runs_show_and_replay_report_the_rank(tmp_path):
    """The hooks: `ale solve` summary and --json, `ale runs show`, `ale replay` give what `ale rank` gives."""
    pkg = shutil.copytree(FIXTURES.parent.parent / "solve" / "fixtures" / "bowl", tmp_path / "bowl")
    csv = tmp_path / "humans.csv"
    csv.write_text("rank,score,performance\n1,1000000000000,3200\n2,1,1200\n3,0,400\n")
    assert ale("standings", "import", csv, "--problem", pkg).exit_code == 0
    db = tmp_path / "ale.db"
    res = ale("solve", pkg, "--db", db, "--json", "--budget", "3", "--private-top", "1")
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    ranked = json.loads(ale("rank", pkg, summary["run"], "--json", "--db", db).stdout)
    assert ranked["candidate"] == summary["best_candidate"] and ranked["rank"] == 2
    assert {k: summary[k] for k in ("rank", "performance", "percentile")} == {k: ranked[k] for k in ("rank", "performance", "percentile")}
    shown = json.loads(ale("runs", "show", summary["run"], "--json", "--db", db).stdout)
    assert shown["standing"]["rank"] == 2 and shown["standing"]["performance"] == ranked["performance"]
    story = json.loads(ale("replay", summary["run"], "--json", "--db", db).stdout)
    assert story["standing"]["percentile"] == ranked["percentile"]
    for args in (("runs", "show", summary["run"]), ("replay", summary["run"])):
        text = ale(*args, "--db", db)
        assert "among the contest's humans: rank 2 of 3 humans, performance 1200" in text.output, text.output
    text = ale("solve", pkg, "--db", db, "--budget", "2", "--private-top", "1")
    assert text.exit_code == 0 and "among the contest's humans: rank 2 of 3 humans" in text.output, text.output
    sched = tmp_path / "schedule.csv"
    sched.write_text("problem_id,start_at,end_at,weight\nbowl,2024-01-01T12:00:00,2024-01-01T16:00:00,1\n")
    rated = json.loads(ale("rating", "--run", summary["run"], "--schedule", sched, "--json", "--db", db).stdout)
    assert rated["performances"] == {"bowl": ranked["performance"]}


def test_malformed_file_through_the_real_entry_point(tmp_path, pkg):
    import os
    import subprocess
    import sys

    from tests.conftest import ROOT

    csv = tmp_path / "results.csv"
    csv.write_text("rank,score\n1,1000\n2,900\n3\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-m", "ale.cli", "standings", "import", str(csv), "--problem", str(pkg)],
                       capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode == 3 and r.stdout == "", r
    assert r.stderr.count("\n") == 1 and f"{csv}:4: 1 value but the header has 2 columns" in r.stderr


def test_atcoder_json_standings_and_results(tmp_path, pkg, judged):
    db, run, _ = judged
    entry = lambda rank, score: {"Rank": rank, "UserScreenName": f"u{rank}", "TotalResult": {"Score": score * 100, "Elapsed": 0}}  # noqa: E731
    standings = {"Fixed": True, "StandingsData": [entry(2, 900), entry(1, 1000), entry(3, 750), entry(4, 0), entry(5, 0)]}
    (tmp_path / "standings.json").write_text(json.dumps(standings))
    results = [{"Place": p, "Performance": v, "IsRated": True} for p, v in ((1, 2800), (2, 2400), (3, 2000), (4, 600))]
    (tmp_path / "results.json").write_text(json.dumps(results))
    res = ale("standings", "import", tmp_path / "standings.json", "--results", tmp_path / "results.json", "--problem", pkg, "--json")
    assert res.exit_code == 0, res.output
    assert (pkg / "standings" / "standings_scores.csv").read_text() == "rank,score\n1,1000\n2,900\n3,750\n4,0\n"
    doc = json.loads(ale("rank", pkg, run, "--json", "--db", db).stdout)
    assert (doc["score"], doc["rank"], doc["performance"]) == (750, 3, 2000)
    (tmp_path / "results.json").write_text(json.dumps(results[::-1][:1] + [{"Place": 5, "Performance": 900}]))
    one_line_error(ale("standings", "import", tmp_path / "standings.json", "--results", tmp_path / "results.json",
                       "--problem", pkg, "--force"), "results.json", "must not rise")
