"""A run's story from the store, in order; optionally judged again to spot drift."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ale.lessons import applies


def _lesson_brief(row: dict) -> dict:
    return {"id": row["id"], "kind": row["kind"], "text": row["text"], "confidence": row.get("confidence"),
            "tags": row.get("tags") or []}


def story(store, run_id: int, *, rejudge_problem=None, jobs=None, cache_root=None) -> dict:
    """Each candidate with its parent, score change, lessons shown and produced (and a re-judge)."""
    run = store.get_run(run_id)
    seeds = (run.get("config") or {}).get("seeds")
    cands = store.candidates(run_id)
    by_id = {c["id"]: c for c in cands}
    calls = store.model_calls(run_id)
    events = []
    for c in cands:
        parent = by_id.get(c["parent_id"])
        delta = None
        if parent and c["public_mean"] is not None and parent["public_mean"] is not None:
            delta = c["public_mean"] - parent["public_mean"]
        links = store.candidate_lessons(c["id"])
        e = {
            "candidate": c["id"], "parent": c["parent_id"], "step": c["step"], "method": c["method"], "note": c["note"] or "",
            "params": c["params"], "public_mean": c["public_mean"], "accepted": bool(c["accepted"]),
            "private_mean": c.get("private_mean"), "delta": delta,
            "operator": c.get("operator"), "model": c.get("model"), "flags": c.get("flags") or [],
            # Only the lessons that speak to this candidate's language (no numba tips under C++).
            "shown": [_lesson_brief(r) for r in links if r["relation"] == "shown" and applies(r.get("tags"), c["language"])],
            "produced": [_lesson_brief(r) for r in links if r["relation"] == "produced"],
            "model_calls": sum(1 for m in calls if m.get("candidate_id") == c["id"]),
        }
        if rejudge_problem is not None:
            e.update(_rejudge(store, rejudge_problem, c, seeds, jobs, cache_root))
        events.append(e)
    shown: dict[int, dict] = {}  # each lesson once per run, in the order first shown
    for e in events:
        for lesson in e["shown"]:
            shown.setdefault(lesson["id"], lesson)
    from ale.standings import run_standing

    return {"run": run_id, "problem": run["problem"], "provider": run["provider"], "status": run["status"],
            "summary": run.get("summary"), "lessons_shown": list(shown.values()), "events": events,
            "models": _models(calls, run.get("summary") or {}),
            "standing": run_standing(store, run)}  # rank/performance/percentile of the best, or None


def _models(calls: list[dict], summary: dict) -> list[dict]:
    """Who was called (per model or pool member: calls, failures, cost), and who was benched or excluded."""
    out: dict[str, dict] = {}
    for m in calls:
        name = m.get("member") or m.get("model") or "?"
        row = out.setdefault(name, {"name": name, "calls": 0, "failed": 0, "cost": 0.0})
        row["calls"] += 1
        row["failed"] += int(bool(m.get("error")))
        row["cost"] += m.get("cost") or 0.0
    for p in summary.get("pool") or []:
        row = out.setdefault(p["name"], {"name": p["name"], "calls": 0, "failed": 0, "cost": 0.0})
        row["benched"] = bool(p.get("benched"))
        row["excluded"] = bool(p.get("excluded"))
    return list(out.values())


def _rejudge(store, problem, c: dict, seeds, jobs, cache_root) -> dict:
    from judge import judge, languages

    recorded = {e["seed"]: e for e in store.evaluations(c["id"], "public")}
    seeds = seeds or sorted(recorded)
    suffix = languages.get(c["language"]).suffix
    with tempfile.TemporaryDirectory(prefix="ale-rejudge-") as d:
        path = Path(d) / f"candidate{suffix}"
        path.write_text(c["source"])
        report = judge(problem, path, seeds, jobs, cache_root=cache_root)
    diffs = []
    for case in report.cases:
        old = recorded.get(case.seed)
        if old is None or old["verdict"] != case.verdict or old["score"] != case.score:
            diffs.append({"seed": case.seed, "recorded": (old["verdict"], old["score"]) if old else None,
                          "now": (case.verdict, case.score)})
    return {"rejudged": report.mean, "rejudge_same": not diffs, "rejudge_diffs": diffs}
