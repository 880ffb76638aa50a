"""Runs, candidates, evaluations, model calls, best scores and lesson links."""

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from ale.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "ale.db")
    yield s
    s.close()


def case(seed, verdict="AC", score=100, time=0.5, message=""):
    return {"seed": seed, "verdict": verdict, "score": score, "time": time, "message": message}


def candidate(store, run_id, **kw):
    args = dict(source="print(1)", language="python", hash="h", parent_id=None, method="draft")
    return store.add_candidate(run_id, **{**args, **kw})


def test_runs_lifecycle(store):
    first = store.create_run("ahc001", "offline", {"budget": 10})
    second = store.create_run("ahc002", "offline", {})
    run = store.get_run(first)
    assert (run["status"], run["config"], run["finished_at"]) == ("running", {"budget": 10}, None)
    assert [r["id"] for r in store.list_runs()] == [second, first]
    assert [r["id"] for r in store.list_runs("ahc001")] == [first]
    store.update_run(first, status="done", best_candidate=None, summary={"best": 3.5})
    run = store.get_run(first)
    assert run["status"] == "done" and run["summary"] == {"best": 3.5} and run["finished_at"]
    with pytest.raises(ValueError, match="status"):
        store.update_run(first, status="exploded")
    with pytest.raises(ValueError, match="colour"):
        store.update_run(first, colour="red")
    assert store.get_run(12345) is None


def test_candidate_with_public_cases_and_summary(store):
    run = store.create_run("ahc001", "offline", {})
    parent = candidate(store, run, hash="p")
    cid = candidate(
        store, run, hash="c", parent_id=parent, method="mutate", params={"T0": 2.0}, step=3,
        public_cases=[case(5, score=50), case(1, "WA", 0), case(3, score=70)],
        summary={"mean": 40.0, "accepted": False, "failed": 1, "rank_key": -1.5},
    )
    row = store.get_candidate(cid)
    assert row["params"] == {"T0": 2.0} and row["parent_id"] == parent and row["step"] == 3
    assert (row["public_mean"], row["accepted"], row["failed"], row["rank_key"]) == (40.0, False, 1, -1.5)
    assert [e["seed"] for e in store.evaluations(cid)] == [1, 3, 5]
    assert store.evaluations(cid, "private") == []
    assert [c["id"] for c in store.candidates(run)] == [parent, cid]

    store.add_evaluations(cid, "private", [case(100, score=30), case(101, "TLE", None)])
    assert store.get_candidate(cid)["private_mean"] == 15.0
    assert [e["verdict"] for e in store.evaluations(cid, "private")] == ["AC", "TLE"]
    with pytest.raises(KeyError):
        store.add_evaluations(9999, "private", [case(1)])


def test_candidate_and_evaluations_are_one_transaction(store):
    run = store.create_run("ahc001", "offline", {})
    # the third case breaks a NOT NULL constraint after the candidate and two cases were written
    with pytest.raises(sqlite3.IntegrityError):
        candidate(store, run, public_cases=[case(1), case(2), case(3, verdict=None)],
                  summary={"mean": 1, "accepted": True, "failed": 0, "rank_key": 1})
    with pytest.raises(KeyError):
        candidate(store, run, public_cases=[case(1), {"verdict": "AC"}])
    assert store.db["candidates"].count == 0
    assert store.db["evaluations"].count == 0
    assert store.candidates(run) == []


def test_kill_9_leaves_only_whole_candidates(tmp_path):
    """A writer killed mid-stream leaves every stored candidate with all of its cases."""
    path = tmp_path / "k.db"
    Store(path).close()
    script = textwrap.dedent(f"""
        import sys
        from ale.store import Store
        s = Store({str(path)!r})
        run = s.create_run("p", "offline", {{}})
        for i in range(100000):
            cases = [{{"seed": k, "verdict": "AC", "score": k, "time": 0.0, "message": "x" * 200}}
                     for k in range(200)]
            s.add_candidate(run, source="x", language="cpp", hash=str(i), parent_id=None,
                            method="m", public_cases=cases)
            print(i, flush=True)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    for _ in range(5):
        proc.stdout.readline()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    store = Store(path)
    counts = [r["n"] for r in store.db.query(
        "select count(e.id) n from candidates c left join evaluations e on e.candidate_id = c.id group by c.id")]
    store.close()
    assert len(counts) >= 5
    assert set(counts) == {200}


def test_find_candidate_by_hash(store):
    a = store.create_run("ahc001", "offline", {})
    b = store.create_run("ahc002", "offline", {})
    first = candidate(store, a, hash="same")
    other = candidate(store, b, hash="same")
    assert store.find_candidate_by_hash(a, "same")["id"] == first
    assert store.find_candidate_by_hash(b, "same")["id"] == other
    assert store.find_candidate_by_hash(None, "same")["id"] == first
    assert store.find_candidate_by_hash(None, "same", problem="ahc002")["id"] == other
    assert store.find_candidate_by_hash(a, "missing") is None


def test_model_calls_in_order(store):
    run = store.create_run("ahc001", "anthropic", {})
    cid = candidate(store, run)
    first = store.add_model_call(run, candidate_id=None, provider="anthropic", model="m", role="draft",
                                 prompt="p", response="r", input_tokens=10, output_tokens=5, cost=0.01)
    second = store.add_model_call(run, candidate_id=cid, provider="anthropic", model="m", role="improve",
                                  prompt="p2", response="", error="timeout", latency=30.0)
    calls = store.model_calls(run)
    assert [c["id"] for c in calls] == [first, second]
    assert (calls[0]["input_tokens"], calls[0]["cost"], calls[1]["error"]) == (10, 0.01, "timeout")
    assert calls[1]["candidate_id"] == cid and calls[0]["created_at"]


@pytest.mark.parametrize("objective, expected", [("maximize", {1: 120, 2: 90, 3: 5}),
                                                 ("minimize", {1: 100, 2: 80, 3: 5})])
def test_best_scores_keep_the_better(store, objective, expected):
    store.update_best_scores("p", objective, {1: 100, 2: 90})
    store.update_best_scores("p", objective, {1: 120, 2: 80, 3: 5})
    assert store.best_scores("p") == expected
    assert store.best_scores("other") == {}


def test_best_scores_written_inside_a_transaction_roll_back_with_it(store, tmp_path):
    store.update_best_scores("p", "maximize", {1: 100})
    with pytest.raises(RuntimeError):
        with store.transaction():  # best scores nest as a savepoint, not as a commit of their own
            store.update_best_scores("p", "maximize", {1: 200, 2: 50})
            raise RuntimeError("abort")
    assert store.best_scores("p") == {1: 100}
    with store.transaction():
        store.update_best_scores("p", "maximize", {2: 60})
    assert Store(tmp_path / "ale.db").best_scores("p") == {1: 100, 2: 60}  # committed, seen by a new connection


def test_best_scores_rejects_unknown_objective(store):
    with pytest.raises(ValueError, match="objective"):
        store.update_best_scores("p", "maximise", {1: 1})


def test_lesson_links(store):
    run = store.create_run("ahc001", "offline", {})
    cid = candidate(store, run)
    a = store.add_lesson({"kind": "insight", "text": "a", "scope": "global"})
    b = store.add_lesson({"kind": "pitfall", "text": "b", "scope": "global"})
    store.link_lessons(cid, [a, b], "shown")
    store.link_lessons(cid, [a], "shown")  # linking twice is harmless
    store.link_lessons(cid, [b], "produced")
    assert [(r["id"], r["relation"]) for r in store.candidate_lessons(cid)] == [
        (a, "shown"), (b, "produced"), (b, "shown")]
    assert [r["id"] for r in store.candidate_lessons(cid, "produced")] == [b]
    with pytest.raises(ValueError, match="relation"):
        store.link_lessons(cid, [a], "liked")
    with pytest.raises(sqlite3.IntegrityError):
        store.link_lessons(cid, [999], "shown")
