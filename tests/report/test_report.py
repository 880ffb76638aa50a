"""`ale report` without a browser: what the figures and tables hold, the CLI's errors, atomic writes."""

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ale import report
from ale.cli import app
from ale.store import Store

runner = CliRunner()


def case(seed, score, verdict="AC"):
    return {"seed": seed, "verdict": verdict, "score": score if verdict == "AC" else None, "time": 0.1}


def add(s, run, scores, parent=None, objective="minimize", source=None, **kw):
    accepted = all(v is not None for v in scores)
    cases = [case(i, v) if v is not None else case(i, None, "WA") for i, v in enumerate(scores)]
    mean = sum(v or 0 for v in scores) / len(scores)
    return s.add_candidate(
        run, source=source or f"print({scores})\n", language="py", hash=str(scores), parent_id=parent,
        method=kw.pop("method", "proposal"), note="", public_cases=cases,
        summary={"mean": mean, "accepted": accepted, "failed": sum(v is None for v in scores),
                 "rank_key": (-mean if objective == "minimize" else mean) if accepted else None}, **kw)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "ale.db")
    yield s
    s.close()


def test_best_so_far_follows_the_objective(store):
    run = store.create_run("p", "offline", {})
    a = add(store, run, [100, 100])
    add(store, run, [80, 90], parent=a)  # better (minimize)
    add(store, run, [None, 10], parent=a)  # failing: never the best, however low its mean
    add(store, run, [120, 130], parent=a)  # worse
    store.add_evaluations(a, "private", [case(100, 50)])
    data = report.gather(store, [run], "minimize")
    by_n, by_t = report.curve_figures(data)
    public = next(t for t in by_n["data"] if t["name"] == "public best")
    assert public["x"] == [1, 2, 3, 4] and public["y"] == [100, 85, 85, 85]
    private = next(t for t in by_n["data"] if t["name"].startswith("private best"))
    assert private["y"] == [50]
    assert len(next(t for t in by_t["data"] if t["name"] == "public best")["x"]) == 4
    # maximize: the same candidates read the other way
    data = report.gather(store, [run], "maximize")
    assert next(t for t in report.curve_figures(data)[0]["data"] if t["name"] == "public best")["y"] == [100, 100, 100, 125]


def test_heatmap_is_relative_per_seed_best_first(store):
    run = store.create_run("p", "offline", {})
    a = add(store, run, [100, 200], objective="maximize")
    add(store, run, [50, 400], parent=a, objective="maximize")
    add(store, run, [None, 400], parent=a, objective="maximize")
    data = report.gather(store, [run], "maximize")
    ref = report.reference(data, {0: 200})  # the store knows a better score for seed 0
    fig = report.heatmap_figure(data, ref)
    h = fig["data"][0]
    assert h["x"] == ["0", "1"]
    assert h["y"][0].startswith(f"#{a + 1} ")  # mean 225 beats 150; the failing one is last
    assert h["z"] == [[0.25, 1.0], [0.5, 0.5], [0.0, 1.0]]


def test_tree_layout_depth_and_a_deep_chain():
    cands = [{"id": 1, "parent": None}, {"id": 2, "parent": 1}, {"id": 3, "parent": 1}, {"id": 4, "parent": 3}]
    pos = report.tree_layout(cands)
    assert [pos[i][0] for i in (1, 2, 3, 4)] == [0, 1, 1, 2]
    assert pos[1][1] == (pos[2][1] + pos[3][1]) / 2 and pos[2][1] != pos[4][1]
    chain = [{"id": i, "parent": i - 1 if i else None} for i in range(5000)]  # no recursion limit
    assert report.tree_layout(chain)[4999] == (4999, 0)


def test_operator_model_role_columns_when_present_else_dash(store):
    run = store.create_run("p", "anthropic", {})
    a = add(store, run, [10])
    b = add(store, run, [5], parent=a)
    store.add_model_call(run, candidate_id=b, provider="anthropic", model="m-1", role="refine", prompt="",
                         response="", input_tokens=10, output_tokens=5, cache_read_tokens=100, cache_write_tokens=7,
                         cost=0.5, latency=2.0)
    store.add_model_call(run, candidate_id=b, provider="anthropic", model="m-1", role="refine", prompt="",
                         response="", input_tokens=1, output_tokens=1, cost=0.25, latency=4.0, error="timeout")
    data = report.gather(store, [run], "minimize")
    first, second = data["candidates"]
    assert (first["operator"], first["model"], first["role"]) == ("-", "-", "-")
    assert (second["operator"], second["model"], second["role"]) == ("-", "m-1", "refine")
    assert second["diff"].startswith(f"--- #{a}\n+++ #{b}\n") and "-print([10])" in second["diff"]
    (row,) = report.call_rows(data["calls"])
    assert row == {"model": "m-1", "role": "refine", "calls": 2, "errors": 1, "input_tokens": 11, "output_tokens": 6,
                   "cache_read_tokens": 100, "cache_write_tokens": 7, "cost": 0.75, "latency_mean": 3.0,
                   "latency_p50": 4.0, "latency_max": 4.0}
    # the loop's own columns, when the candidate carries them
    store.conn.execute("UPDATE candidates SET operator = 'improve', model = 'm-2' WHERE id = ?", [b])
    store.conn.commit()
    second = report.gather(store, [run], "minimize")["candidates"][1]
    assert (second["operator"], second["model"]) == ("improve", "m-2")
    page = report.render(report.gather(store, [run], "minimize"), title="t")
    assert "$0.7500" in page and "100" in page


def test_lessons_shown_and_produced_with_credit(store):
    run = store.create_run("p", "offline", {})
    lesson = store.add_lesson({"kind": "pitfall", "text": "never <script> here", "problem": "p", "uses": 4, "wins": 3})
    a = add(store, run, [10])
    b = add(store, run, [5], parent=a)
    c = add(store, run, [20], parent=a)
    store.link_lessons(b, [lesson], "shown")
    store.link_lessons(c, [lesson], "shown")
    store.link_lessons(c, [lesson], "produced")
    data = report.gather(store, [run], "minimize")
    (l,) = data["lessons"]
    assert l["shown_to"] == [b, c] and l["produced_by"] == [c]
    html = report._lessons_html(data)
    assert "never &lt;script&gt; here" in html and "<script>" not in html
    assert "<td class=num>1/2</td>" in html  # b beat its parent, c did not


def test_rank_section_only_when_given(store):
    run = store.create_run("p", "offline", {})
    add(store, run, [10])
    data = report.gather(store, [run], "minimize")
    assert "id=rank" not in report.render(data, title="t")
    page = report.render(data, title="t", standing={"rank": 12, "performance": 2400, "percentile": 97.25, "contestants": 800})
    assert "<dd>12 of 800</dd>" in page and "<dd>2400</dd>" in page and "<dd>97.2</dd>" in page


def test_page_is_self_contained_and_escapes_titles(store):
    run = store.create_run("p", "offline", {})
    add(store, run, [10])
    page = report.render(report.gather(store, [run], "minimize"), title="<b>x</b>")
    assert "<title>&lt;b&gt;x&lt;/b&gt;</title>" in page
    assert not re.search(r"<(script|img|link)[^>]+(src|href)=", page)
    assert "%%" not in page  # every placeholder filled


def test_write_atomic_replaces_whole_or_keeps_old(tmp_path, monkeypatch):
    path = tmp_path / "r.html"
    report.write_atomic(path, "old")
    report.write_atomic(path, "new")
    assert path.read_text() == "new" and os.listdir(tmp_path) == ["r.html"]

    def boom(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(report.os, "replace", boom)
    with pytest.raises(OSError):
        report.write_atomic(path, "partial")
    assert path.read_text() == "new" and os.listdir(tmp_path) == ["r.html"]


def test_live_report_writes_after_each_judged_and_warns_once(store, tmp_path):
    run = store.create_run("p", "offline", {})
    warnings = []
    live = report.LiveReport(tmp_path / "live.html", store, None, warn=warnings.append)
    seen = []
    events = live.chain(lambda kind, data: seen.append(kind))
    events("start", {"run": run})
    add(store, run, [10])
    events("judged", {})
    add(store, run, [5])
    events("judged", {})
    assert seen == ["start", "judged", "judged"] and live.writes == 2
    assert "#2" in (tmp_path / "live.html").read_text()
    live.path = tmp_path / "missing-dir-is-a-file" / "x.html"
    (tmp_path / "missing-dir-is-a-file").write_text("")
    events("judged", {})
    events("judged", {})
    assert len(warnings) == 1 and "cannot write the report" in warnings[0]


def test_cli_errors_are_one_line(tmp_path):
    db = tmp_path / "ale.db"
    s = Store(db)
    run = s.create_run("nosuch-problem", "offline", {})
    add(s, run, [3])
    s.close()
    r = runner.invoke(app, ["report", "99", "--db", str(db), "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 3 and "no run 99" in r.output and "Traceback" not in r.output
    r = runner.invoke(app, ["report", "other", "--db", str(db), "-o", str(tmp_path / "r.html")])
    assert r.exit_code == 3 and "no runs on problem 'other'" in r.output
    (tmp_path / "file").write_text("")
    r = runner.invoke(app, ["report", str(run), "--db", str(db), "-o", str(tmp_path / "file" / "r.html")])
    assert r.exit_code == 3 and "cannot write" in r.output and "Traceback" not in r.output
    # a run whose problem is not on the shelf: a report without pictures, saying why
    r = runner.invoke(app, ["report", str(run), "--db", str(db), "-o", str(tmp_path / "r.html"), "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["candidates"] == 1
    assert "could not be loaded" in (tmp_path / "r.html").read_text()


def test_report_by_problem_id_or_folder_covers_every_run(tmp_path):
    bowl = Path(__file__).resolve().parents[1] / "solve" / "fixtures" / "bowl"
    db = tmp_path / "ale.db"
    s = Store(db)
    for _ in range(2):
        add(s, s.create_run("bowl", "offline", {"problem_path": str(bowl)}), [3, 4], objective="maximize")
    add(s, s.create_run("other", "offline", {}), [1])
    s.close()
    for target in ("bowl", str(bowl)):
        r = runner.invoke(app, ["report", target, "--db", str(db), "-o", str(tmp_path / "r.html"), "--no-vis", "--json"])
        assert r.exit_code == 0, r.output
        assert json.loads(r.stdout)["runs"] == [1, 2]
    data = report.gather(Store(db), [1, 2], "maximize")
    names = [t["name"] for t in report.curve_figures(data)[0]["data"]]
    assert "run 1 public best" in names and "run 2 public best" in names


def test_visualizer_pictures_travel_compressed(store):
    """A large SVG (grid-harvest's are up to 850 KB) must not blow the page up: it is packed."""
    run = store.create_run("p", "offline", {})
    add(store, run, [10])
    data = report.gather(store, [run], "minimize")
    plain = len(report.render(data, title="t"))
    big = "<svg xmlns='http://www.w3.org/2000/svg'>" + "<rect x='1' y='2' width='3' height='4'/>" * 50000 + "</svg>"
    shots = [{"seed": i, "verdict": "AC", "score": 1, "svg": big} for i in range(3)]
    page = report.render(data, title="t", shots=shots)
    assert len(big) * 3 > 5_000_000 and len(page) - plain < 100_000
    assert page.count("<div class=pic data-pic=") == 3 and "<svg" not in page
    failed = report.render(data, title="t", shots=[{"seed": 4, "verdict": "WA", "score": 0, "error": "ValueError: <bad>"}])
    assert "ValueError: &lt;bad&gt;" in failed and "class=pic" not in failed


def test_report_shows_rank_against_the_contest_standings(tmp_path):
    """Wired to ale.standings: a problem with standings/ and a candidate judged on every private seed."""
    import shutil

    from tests.conftest import FIXTURES

    pkg = shutil.copytree(FIXTURES / "sumup", tmp_path / "shelf" / "sumup")
    (pkg / "standings").mkdir()
    (pkg / "standings" / "standings_scores.csv").write_text("rank,score\n1,2000\n2,900\n3,500\n")
    db = tmp_path / "ale.db"
    with Store(db) as s:
        run = s.create_run("sumup", "offline", {"problem_path": str(pkg)})
        cid = add(s, run, [300, 300], objective="maximize")
        s.add_evaluations(cid, "private", [{"seed": x, "verdict": "AC", "score": 250} for x in (100, 101, 102, 103)])
        s.update_run(run, status="done", best_candidate=cid)
    r = runner.invoke(app, ["report", str(run), "--db", str(db), "-o", str(tmp_path / "r.html"), "--no-vis", "--json"])
    assert r.exit_code == 0, r.output
    page = (tmp_path / "r.html").read_text()
    # private total 1000 sits between 2000 and 900: rank 2 of 3 humans
    assert re.search(r"rank\D{0,80}2\D", page) and "of 3" in page, page[page.find("rank"):][:300]
