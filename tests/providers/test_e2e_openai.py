"""`ale solve --provider openai` against the scripted loopback model: drafts, edits, lessons, real judging."""

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("ale.solve", reason="needs the solve loop (ale/solve.py)")

from typer.testing import CliRunner  # noqa: E402

from ale.cli import app  # noqa: E402
from ale.store import Store  # noqa: E402

from .conftest import fenced, lessons_json, reply  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
MODEL = "scripted-coder"
LESSON = {"kind": "technique", "text": "Growing booths in halving steps keeps every answer valid.",
          "scope": "problem", "tags": ["packing"], "confidence": 0.6}


def scripted_model():
    """Answer by role: a whole file for drafts, a SEARCH/REPLACE edit for refines, lessons for distil."""
    baseline = (ROOT / "problems/rect-pack/solutions/baseline.py").read_text()
    count = {"refine": 0}

    def answer(body):
        user = body["messages"][-1]["content"]
        if "Return the lessons" in user:
            return reply(lessons_json(LESSON))
        system = body["messages"][0]["content"]
        m = re.search(r"# Current program .*?```(python|cpp)\n(.*?)\n```", system, re.S)
        if not m:
            return reply(fenced(baseline + "# drafted by the scripted model\n"))
        count["refine"] += 1
        anchor = next((ln for ln in m.group(2).splitlines() if ln.startswith(("import ", "#include"))), None)
        if anchor is None:
            return reply(fenced(baseline))
        extra = f"TWEAK_{count['refine']} = {count['refine']}" if m.group(1) == "python" \
            else f"static int tweak_{count['refine']} = {count['refine']};"
        return reply(f"Add a marker.\n<<<<<<< SEARCH\n{anchor}\n=======\n{anchor}\n{extra}\n>>>>>>> REPLACE\n")

    return answer


def _solve(db, *extra):
    return CliRunner().invoke(app, [
        "solve", "rect-pack", "--start", "baseline.py", "--budget", "6", "--beam", "2", "--seeds", "0-2",
        "--private-seeds", "1000-1001", "--private-top", "1", "--db", str(db), "--json", *extra,
    ])


@pytest.mark.slow
def test_solve_with_openai_provider_end_to_end_then_replay(server, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    server.default[MODEL] = scripted_model()
    db = tmp_path / "ale.db"
    result = _solve(db, "--provider", "openai", "--base-url", server.url, "--model", MODEL)
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["problem"] == "rect-pack" and len(summary["candidates"]) == 6

    store = Store(db)
    calls = store.model_calls(summary["run"])
    roles = {c["role"] for c in calls}
    assert {"draft", "improve", "distil"} <= roles and all(c["provider"] == "openai" for c in calls)
    candidates = store.candidates(summary["run"])
    drafted = [c for c in candidates if "drafted by the scripted model" in c["source"]]
    assert drafted and drafted[0]["accepted"]  # the model's draft was judged for real
    edited = [c for c in candidates if c["method"] == "edit"]
    assert edited and all("TWEAK_" in c["source"] or "tweak_" in c["source"] for c in edited)
    assert all(c["public_mean"] is not None and len(store.evaluations(c["id"], "public")) == 3 for c in edited)
    from ale.lessons import all_lessons

    assert any(lesson.text == LESSON["text"] for lesson in all_lessons(store, problem="rect-pack"))

    # --replay re-executes the run from its recorded calls, with no server, byte for byte.
    served = len(server.requests) if hasattr(server, "requests") else None
    # The recorded run's options come back with it: no need to repeat --budget, --seeds, --start...
    again = CliRunner().invoke(app, ["solve", "rect-pack", "--replay", str(summary["run"]), "--db", str(db), "--json"])
    assert again.exit_code == 0, again.output
    replayed = store.candidates(json.loads(again.stdout)["run"])
    assert [c["source"] for c in replayed] == [c["source"] for c in candidates]
    if served is not None:
        assert len(server.requests) == served  # the replay never touched the network


def test_invalid_key_stops_before_the_run_with_exit_3(server, tmp_path, monkeypatch):
    server.key = "the-right-key"
    monkeypatch.setenv("OPENAI_API_KEY", "a-wrong-key")
    db = tmp_path / "k.db"
    r = _solve(db, "--provider", "openai", "--base-url", server.url, "--model", MODEL)
    assert r.exit_code == 3, r.output
    lines = [ln for ln in r.output.splitlines() if ln.strip()]
    assert len(lines) == 1 and "Traceback" not in r.output and "key" in lines[0].lower()
    assert Store(db).list_runs() == []  # nothing was started
    assert not any(req.get("messages") for req in server.requests)  # no completion was attempted
