"""`ale report`: one self-contained HTML page for a run, or for every run on a problem.

The page works offline and from a single file: the charts are drawn in the browser by plotly.js,
read from the plotly Python package (its wheel bundles the minified library), and inlined. That
library alone is 4.8 MB, so it and the report's data (sources, diffs, figures) are inlined gzipped
and base64-encoded and unpacked by the browser's own DecompressionStream: a 200-candidate report
stays near 2.2 MB. Summary, lessons and model-call tables are plain HTML, readable with scripting off. The figures are built here as plotly JSON, so what they show is testable in Python.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import difflib
import functools
import gzip
import html
import json
import math
import os
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Callable

from ale.search import rank

TOP_HEATMAP = 20  # candidates in the per-seed heatmap
VIS_SEEDS = 3  # seeds drawn by the problem's visualizer
TEMPLATE = Path(__file__).with_name("report_page.html")
MISSING = "-"  # shown where a column (operator, model, role) is absent from an older store


# --- reading the store ------------------------------------------------------------------

def _parse_time(stamp: str | None) -> datetime.datetime | None:
    try:
        return datetime.datetime.fromisoformat(stamp) if stamp else None
    except ValueError:
        return None


def _finite(v):
    return v if isinstance(v, (int, float)) and math.isfinite(v) else None


def _better(objective: str) -> Callable[[float, float], bool]:
    return (lambda a, b: a > b) if objective == "maximize" else (lambda a, b: a < b)


def relative(score, verdict: str, best, objective: str) -> float:
    """AtCoder's relative score of one case against the best known score for its seed."""
    if verdict != "AC" or score is None:
        return 0.0
    if best is None:
        return 1.0
    if objective == "maximize":
        return 1.0 if score >= best else (score / best if best > 0 else 0.0)
    return 1.0 if score <= best else (best / score if score > 0 else 0.0)


def _verdict(accepted, evals: list[dict]) -> str:
    if not evals:
        return MISSING
    if accepted:
        return "AC"
    bad = Counter(e["verdict"] for e in evals if e["verdict"] != "AC")
    v, n = bad.most_common(1)[0]
    return f"{v} {n}/{len(evals)}"


def gather(store, run_ids: list[int], objective: str) -> dict:
    """Everything the page shows, as plain data: runs, candidates (with source, diff, per-seed
    public scores), lessons shown and produced, and model calls."""
    runs, cands, calls = [], [], []
    for run_id in run_ids:
        run = store.get_run(run_id)
        if run is None:
            raise KeyError(f"no run {run_id}")
        runs.append(run)
        start = _parse_time(run["started_at"])
        rows = store.candidates(run_id)
        run_calls = store.model_calls(run_id)
        calls += run_calls
        call_models = defaultdict(list)
        for m in run_calls:
            if m.get("candidate_id") is not None:
                call_models[m["candidate_id"]].append(m)
        by_id = {c["id"]: c for c in rows}
        for i, c in enumerate(rows, 1):
            evals = store.evaluations(c["id"])
            public = [e for e in evals if e["split"] == "public"]
            made = _parse_time(c.get("created_at"))
            private_at = max((_parse_time(e["created_at"]) for e in evals if e["split"] == "private" and e.get("created_at")),
                             default=None)
            # the call that wrote it (draft/refine), not the one that distilled lessons from it
            linked = sorted(call_models.get(c["id"], []), key=lambda m: m["role"] == "distil")
            parent = by_id.get(c.get("parent_id"))
            cands.append({
                "id": c["id"], "run": run_id, "index": i, "parent": c.get("parent_id"), "step": c.get("step"),
                "method": c.get("method") or MISSING,
                "operator": c.get("operator") or MISSING,
                "model": c.get("model") or (linked[0]["model"] if linked else MISSING),
                "role": c.get("role") or (linked[0]["role"] if linked else MISSING),
                "note": c.get("note") or "", "language": c.get("language") or "",
                "accepted": bool(c.get("accepted")), "failed": c.get("failed"),
                "public_mean": _finite(c.get("public_mean")), "private_mean": _finite(c.get("private_mean")),
                "rank_key": _finite(c.get("rank_key")),
                "verdict": _verdict(c.get("accepted"), public),
                "elapsed": (made - start).total_seconds() if made and start else None,
                "private_elapsed": (private_at - start).total_seconds() if private_at and start else None,
                "public": {e["seed"]: (e["verdict"], e["score"]) for e in public},
                "source": c.get("source") or "",
                "diff": _diff(parent, c) if parent else "",
                "shown": [], "produced": [],
            })
    lessons: dict[int, dict] = {}
    for c in cands:
        for row in store.candidate_lessons(c["id"]):
            lessons.setdefault(row["id"], {**row, "shown_to": [], "produced_by": []})
            (lessons[row["id"]]["shown_to"] if row["relation"] == "shown" else lessons[row["id"]]["produced_by"]).append(c["id"])
            c["shown" if row["relation"] == "shown" else "produced"].append(row["id"])
    return {"runs": runs, "candidates": cands, "lessons": list(lessons.values()), "calls": calls,
            "objective": objective}


def _diff(parent: dict, child: dict) -> str:
    return _unified(parent["id"], child["id"], parent.get("source") or "", child.get("source") or "")


@functools.lru_cache(maxsize=4096)
def _unified(parent_id: int, child_id: int, old: str, new: str) -> str:
    """Cached: `solve --report` rebuilds the page after every candidate, and diffs are most of it."""
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 f"#{parent_id}", f"#{child_id}", n=3)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def best_candidate(cands: list[dict]) -> dict | None:
    """The best by the loop's own rule (all-AC first, fewest failures, then the objective)."""
    return max(cands, key=rank, default=None)


# --- the figures (plotly JSON) ------------------------------------------------------------

def _best_so_far(points: list[tuple], better) -> tuple[list, list]:
    """Running best of (x, value) pairs in x order, one point per x (None until the first value)."""
    xs, ys, best = [], [], None
    for x, v in points:
        if v is not None and (best is None or better(v, best)):
            best = v
        xs.append(x)
        ys.append(best)
    return xs, ys


def curve_figures(data: dict) -> tuple[dict, dict]:
    """Best-so-far public and private mean, over candidates and over wall time; one line per run."""
    better = _better(data["objective"])
    by_run = defaultdict(list)
    for c in data["candidates"]:
        by_run[c["run"]].append(c)
    multi = len(by_run) > 1
    over_n, over_t = [], []
    for run_id, cs in by_run.items():
        tag = f"run {run_id} " if multi else ""
        public = [c["public_mean"] if c["accepted"] else None for c in cs]
        private = [c["private_mean"] for c in cs]
        minutes = lambda v: (v or 0) / 60  # noqa: E731
        for traces, xs, private_xs in ((over_n, [c["index"] for c in cs], [c["index"] for c in cs]),
                                       (over_t, [minutes(c["elapsed"]) for c in cs], [minutes(c["private_elapsed"]) for c in cs])):
            pub_x, pub_y = _best_so_far(list(zip(xs, public)), better)
            traces.append({"type": "scatter", "mode": "lines", "line": {"shape": "hv", "width": 2},
                           "name": f"{tag}public best", "x": pub_x, "y": pub_y, "legendgroup": f"{run_id}p"})
            traces.append({"type": "scatter", "mode": "markers", "marker": {"size": 5, "opacity": 0.45},
                           "name": f"{tag}public, each", "legendgroup": f"{run_id}p",
                           "x": [x for x, v in zip(xs, public) if v is not None],
                           "y": [v for v in public if v is not None],
                           "text": [f"#{c['id']} {c['operator']} {c['verdict']}" for c, v in zip(cs, public) if v is not None]})
            judged = sorted((x, v) for x, v in zip(private_xs, private) if v is not None)  # by when it was judged
            if judged:
                prv_x, prv_y = _best_so_far(judged, better)
                traces.append({"type": "scatter", "mode": "lines+markers", "line": {"shape": "hv", "dash": "dot"},
                               "name": f"{tag}private best (re-judged)", "x": prv_x, "y": prv_y})
    layout = lambda title, xt: {  # noqa: E731
        "title": {"text": title, "x": 0.01, "xanchor": "left"}, "xaxis": {"title": {"text": xt}}, "yaxis": {"title": {"text": "mean score"}},
        "height": 380, "margin": {"t": 50, "r": 20, "b": 50, "l": 80}, "legend": {"orientation": "h", "y": -0.25},
    }
    return ({"data": over_n, "layout": layout("Best so far, by candidate", "candidates judged")},
            {"data": over_t, "layout": layout("Best so far, by wall time", "minutes since the run started")})


def tree_layout(cands: list[dict]) -> dict[int, tuple[float, float]]:
    """(depth, row) for each candidate: leaves in depth-first order, a parent centred on its children;
    runs stacked one under the other."""
    ids = {c["id"] for c in cands}
    children = defaultdict(list)
    roots = []
    for c in cands:
        (children[c["parent"]] if c["parent"] in ids else roots).append(c["id"])
    pos: dict[int, tuple[float, float]] = {}
    row = 0.0
    for root in roots:
        stack = [(root, 0, False)]
        while stack:  # iterative post-order: a chain of hundreds of improvements would overflow recursion
            node, depth, done = stack.pop()
            kids = children.get(node, [])
            if done or not kids:
                if kids:
                    pos[node] = (depth, sum(pos[k][1] for k in kids) / len(kids))
                else:
                    pos[node] = (depth, row)
                    row += 1
                continue
            stack.append((node, depth, True))
            stack.extend((k, depth + 1, False) for k in reversed(kids))
    return pos


def lineage_figure(data: dict, ref: dict[int, int]) -> dict:
    cands = data["candidates"]
    pos = tree_layout(cands)
    ex, ey = [], []
    for c in cands:
        if c["parent"] in pos:
            (x0, y0), (x1, y1) = pos[c["parent"]], pos[c["id"]]
            ex += [x0, x0, x1, None]
            ey += [y0, y1, y1, None]
    traces = [{"type": "scatter", "mode": "lines", "x": ex, "y": ey, "hoverinfo": "skip", "showlegend": False,
               "line": {"color": "#b8bec8", "width": 1}}]
    symbols = {}
    for c in cands:
        symbols.setdefault(c["operator"] if c["operator"] != MISSING else c["method"], None)
    marks = ["circle", "diamond", "square", "triangle-up", "star", "hexagon", "cross", "triangle-down", "pentagon"]
    for i, op in enumerate(symbols):
        symbols[op] = marks[i % len(marks)]
    for accepted in (True, False):
        cs = [c for c in cands if c["accepted"] == accepted]
        if not cs:
            continue
        rel = [_mean_relative(c, ref, data["objective"]) for c in cs]
        traces.append({
            "type": "scatter", "mode": "markers", "name": "accepted" if accepted else "failing",
            "x": [pos[c["id"]][0] for c in cs], "y": [pos[c["id"]][1] for c in cs],
            "customdata": [c["id"] for c in cs],
            "marker": {"size": 11 if accepted else 9, "color": rel if accepted else "#d9534f",
                       "colorscale": "Viridis",  # scaled to the run's own range: near-equal scores stay apart
                       "symbol": [symbols[c["operator"] if c["operator"] != MISSING else c["method"]] + ("" if accepted else "-open") for c in cs],
                       "line": {"width": 1, "color": "#333"},
                       **({"colorbar": {"title": {"text": "mean relative"}, "len": 0.6}} if accepted else {})},
            "text": [
                f"#{c['id']} (run {c['run']}) · operator {c['operator']} · method {c['method']}<br>"
                f"model {c['model']} · role {c['role']} · {c['verdict']}<br>public mean {_fmt(c['public_mean'])}"
                for c in cs
            ],
            "hovertemplate": "%{text}<extra></extra>",
        })
    for op, symbol in symbols.items():  # a legend entry per operator (or method, in stores without one)
        traces.append({"type": "scatter", "mode": "markers", "x": [None], "y": [None], "name": op,
                       "marker": {"symbol": symbol, "color": "#8a8f98", "size": 10}})
    rows = max((p[1] for p in pos.values()), default=0) + 1
    return {"data": traces, "layout": {
        "title": {"text": "Click a candidate: its source, and its diff against its parent", "x": 0.01, "xanchor": "left",
                  "font": {"size": 13}},
        "xaxis": {"title": {"text": "generation (depth from a starting file)"}, "zeroline": False, "dtick": 1},
        "yaxis": {"visible": False, "autorange": "reversed"},
        "height": int(min(1400, max(360, 60 + rows * 14))), "hovermode": "closest",
        "margin": {"t": 50, "r": 20, "b": 50, "l": 20}, "legend": {"orientation": "h", "y": -0.08},
    }, "symbols": symbols}


def _mean_relative(c: dict, ref: dict[int, int], objective: str) -> float:
    cases = c["public"]
    if not cases:
        return 0.0
    return sum(relative(s, v, ref.get(seed), objective) for seed, (v, s) in cases.items()) / len(cases)


def reference(data: dict, stored: dict[int, int]) -> dict[int, int]:
    """Best known score per seed: the store's table, completed by what the report itself holds."""
    better = _better(data["objective"])
    ref = dict(stored)
    for c in data["candidates"]:
        for seed, (verdict, score) in c["public"].items():
            if verdict == "AC" and score is not None and (seed not in ref or better(score, ref[seed])):
                ref[seed] = score
    return ref


def heatmap_figure(data: dict, ref: dict[int, int], top: int = TOP_HEATMAP) -> dict:
    """Relative score per public seed for the best `top` candidates (best at the top)."""
    ranked = sorted(data["candidates"], key=rank, reverse=True)[:top]
    seeds = sorted({s for c in ranked for s in c["public"]})
    z, text = [], []
    for c in ranked:
        row, trow = [], []
        for s in seeds:
            if s in c["public"]:
                v, score = c["public"][s]
                row.append(round(relative(score, v, ref.get(s), data["objective"]), 4))
                trow.append(f"{v} {score if score is not None else ''}")
            else:
                row.append(None)
                trow.append("not judged")
        z.append(row)
        text.append(trow)
    labels = [f"#{c['id']} {c['operator'] if c['operator'] != MISSING else c['method']}" for c in ranked]
    return {"data": [{
        "type": "heatmap", "z": z, "x": [str(s) for s in seeds], "y": labels, "text": text,
        "colorscale": "Viridis", "zmin": 0, "zmax": 1, "colorbar": {"title": {"text": "relative"}},
        "hovertemplate": "%{y} · seed %{x}<br>%{text}<br>relative %{z:.4f}<extra></extra>",
    }], "layout": {
        "title": {"text": f"Top {len(ranked)} candidates, best first", "x": 0.01, "xanchor": "left"},
        "xaxis": {"title": {"text": "seed"}, "type": "category"},
        "yaxis": {"autorange": "reversed", "type": "category"},
        "height": int(max(300, 90 + 22 * len(ranked))), "margin": {"t": 50, "r": 20, "b": 50, "l": 140},
    }}


def call_rows(calls: list[dict]) -> list[dict]:
    """Model calls per (model, role): tokens (cache included), cost and latency."""
    groups = defaultdict(list)
    for m in calls:
        groups[(m["model"], m["role"])].append(m)
    rows = []
    for (model, role), ms in sorted(groups.items()):
        lat = sorted(m["latency"] or 0 for m in ms)
        rows.append({
            "model": model, "role": role, "calls": len(ms), "errors": sum(1 for m in ms if m.get("error")),
            **{k: sum(m[k] or 0 for m in ms) for k in ("input_tokens", "cache_write_tokens", "cache_read_tokens", "output_tokens")},
            "cost": sum(m["cost"] or 0 for m in ms),
            "latency_mean": sum(lat) / len(lat), "latency_p50": lat[len(lat) // 2], "latency_max": lat[-1],
        })
    return rows


def calls_figure(rows: list[dict]) -> dict | None:
    if not rows:
        return None
    labels = [f"{r['model']} · {r['role']}" for r in rows]
    parts = (("input_tokens", "input"), ("cache_read_tokens", "cache read"), ("cache_write_tokens", "cache write"),
             ("output_tokens", "output"))
    data = [{"type": "bar", "orientation": "h", "name": name, "y": labels, "x": [r[k] for r in rows]} for k, name in parts]
    data.append({"type": "bar", "orientation": "h", "name": "cost ($)", "y": labels, "x": [r["cost"] for r in rows],
                 "xaxis": "x2", "yaxis": "y", "marker": {"color": "#444"}, "opacity": 0.5})
    return {"data": data, "layout": {
        "title": {"text": "Tokens and cost per model and role", "x": 0.01, "xanchor": "left"}, "barmode": "stack",
        "xaxis": {"title": {"text": "tokens"}, "domain": [0, 0.68]},
        "xaxis2": {"title": {"text": "dollars"}, "domain": [0.74, 1], "anchor": "y"},
        "height": int(max(260, 120 + 40 * len(rows))), "margin": {"t": 50, "r": 20, "b": 50, "l": 200},
        "legend": {"orientation": "h", "y": -0.3},
    }}


# --- the visualizer and the standings -----------------------------------------------------

def visualize(problem, cand: dict, seeds: list[int], *, jobs=None, cache_root=None) -> list[dict]:
    """The problem's visualizer on `cand`'s outputs for a few seeds: [{seed, svg | error}].
    The candidate runs again in the judge's sandbox (outputs are not kept in the store)."""
    from judge import judge, languages

    shots = []
    with tempfile.TemporaryDirectory(prefix="ale-report-") as d:
        src = Path(d) / f"candidate{languages.get(cand['language']).suffix}"
        src.write_text(cand["source"], encoding="utf-8")
        outs = Path(d) / "outputs"
        report = judge(problem, src, seeds, jobs, save_outputs=outs, cache_root=cache_root)
        for case in report.cases:
            name = f"{case.seed:04d}.txt"
            try:
                svg = problem.render((outs / "in" / name).read_text(), (outs / "out" / name).read_text(errors="replace"))
                shots.append({"seed": case.seed, "verdict": case.verdict, "score": case.score, "svg": svg})
            except Exception as e:  # a visualizer that cannot draw this output: say so, keep the report
                shots.append({"seed": case.seed, "verdict": case.verdict, "score": case.score,
                              "error": f"{type(e).__name__}: {e}"})
    return shots


def standings_for(store, problem, cand: dict) -> dict | None:
    """Rank and performance of `cand` against the problem's contest standings, when it has them and
    the candidate was judged on every private seed: {rank, performance, percentile, contestants}."""
    from ale.standings import StandingsError, rank_candidate

    try:
        r = rank_candidate(store, problem, cand["id"])
    except StandingsError:
        return None
    if r is None:
        return None
    return {"rank": r["rank"], "performance": r.get("performance"), "percentile": r.get("percentile"),
            "contestants": r.get("humans")}


# --- the page ----------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def plotly_bundle() -> tuple[str, str]:
    """(plotly.js version, the library gzipped and base64-encoded), read from the plotly package."""
    from plotly.offline import get_plotlyjs_version, get_plotlyjs

    return get_plotlyjs_version(), _pack(get_plotlyjs())


def _pack(text: str) -> str:
    return base64.b64encode(gzip.compress(text.encode("utf-8"), 6, mtime=0)).decode("ascii")


def _fmt(v, digits: int = 1) -> str:
    return MISSING if v is None else f"{v:,.{digits}f}"


def _e(v) -> str:
    return html.escape("" if v is None else str(v))


def _table(headers: list[str], rows: list[list], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td{' class=num' if i in numeric else ''}>{cell}</td>" for i, cell in enumerate(r)) + "</tr>"
        for r in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _summary_html(data: dict, best: dict | None, title: str) -> str:
    runs, cands = data["runs"], data["candidates"]
    starts = [c for c in cands if c["method"] == "start"]
    cost = sum(m["cost"] or 0 for m in data["calls"])
    items = [
        ("problem", _e(runs[0]["problem"])), ("objective", _e(data["objective"])),
        ("runs", ", ".join(f"{r['id']} ({_e(r['provider'])}, {_e(r['status'])})" for r in runs)),
        ("candidates", f"{len(cands)} ({sum(c['accepted'] for c in cands)} accepted)"),
        ("best", f"#{best['id']} · public {_fmt(best['public_mean'])} · private {_fmt(best['private_mean'])}" if best else MISSING),
        ("starting files", ", ".join(f"#{c['id']} {_fmt(c['public_mean']) if c['accepted'] else c['verdict']}" for c in starts) or MISSING),
        ("model cost", f"${cost:.4f} over {len(data['calls'])} calls"),
    ]
    stops = [(r.get("summary") or {}).get("stop_reason") for r in runs]
    if any(stops):
        items.append(("stopped", "; ".join(_e(s) for s in stops if s)))
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items)
    return f"<h1>{_e(title)}</h1><dl class=summary>{dl}</dl>"


def _lessons_html(data: dict) -> str:
    if not data["lessons"]:
        return "<p class=muted>No lessons were shown or produced.</p>"
    by_id = {c["id"]: c for c in data["candidates"]}

    def beat_parent(cid):
        c = by_id[cid]
        p = by_id.get(c["parent"])
        return p is not None and rank(c) > rank(p)

    out = []
    for title, key in (("Produced", "produced_by"), ("Shown", "shown_to")):
        ls = [l for l in data["lessons"] if l[key]]
        rows = []
        for l in sorted(ls, key=lambda l: -(l.get("confidence") or 0)):
            shown = [cid for cid in l["shown_to"] if by_id[cid]["parent"] is not None]
            here = f"{sum(beat_parent(c) for c in shown)}/{len(shown)}" if shown else MISSING
            rows.append([
                _e(l["id"]), _e(l["kind"]), _e(l["text"]), _e(l.get("scope")), f"{l.get('confidence') or 0:.2f}",
                _e(l.get("uses")), _e(l.get("wins")), here,
                _e(", ".join(f"#{c}" for c in l["produced_by"])) or MISSING,
            ])
        out.append(f"<h3>{title} ({len(ls)})</h3>" + (_table(
            ["id", "kind", "text", "scope", "confidence", "uses", "wins", "beat parent here", "produced by"],
            rows, {4, 5, 6, 7}) if rows else "<p class=muted>none</p>"))
    return "".join(out)


def _calls_html(rows: list[dict]) -> str:
    if not rows:
        return "<p class=muted>No model calls (the offline drafter needs none).</p>"
    body = [[_e(r["model"]), _e(r["role"]), r["calls"], r["errors"], f"{r['input_tokens']:,}", f"{r['cache_write_tokens']:,}",
             f"{r['cache_read_tokens']:,}", f"{r['output_tokens']:,}", f"${r['cost']:.4f}", f"{r['latency_mean']:.2f}",
             f"{r['latency_p50']:.2f}", f"{r['latency_max']:.2f}"] for r in rows]
    return _table(["model", "role", "calls", "errors", "input", "cache write", "cache read", "output", "cost",
                   "latency mean (s)", "p50", "max"], body, set(range(2, 12)))


def _vis_html(shots: list[dict] | None, best: dict | None, note: str) -> str:
    """Captions here; the pictures travel gzipped in the data block (a grid-harvest SVG is 850 KB as
    text) and the page's script shows each as an <img>, so an SVG drawn from an untrusted program's
    output never runs script in the page."""
    if not shots:
        return f"<p class=muted>{_e(note)}</p>"
    cells = []
    for i, s in enumerate(shots):
        head = f"seed {s['seed']} · {_e(s['verdict'])} · score {_e(s['score'])}"
        body = (f"<div class=pic data-pic={i}></div>" if "svg" in s else f"<p class=muted>{_e(s['error'])}</p>")
        cells.append(f"<figure><figcaption>{head}</figcaption>{body}</figure>")
    return f"<p>Candidate #{best['id']}.</p><div class=vis>{''.join(cells)}</div>"


def _rank_html(standing: dict | None) -> str:
    if not standing:
        return ""
    pct = standing.get("percentile")
    return ("<section id=rank><h2>Standings</h2><dl class=summary>"
            f"<dt>rank</dt><dd>{_e(standing.get('rank'))} of {_e(standing.get('contestants'))}</dd>"
            f"<dt>performance</dt><dd>{_e(standing.get('performance'))}</dd>"
            f"<dt>percentile</dt><dd>{_e(f'{pct:.1f}' if isinstance(pct, (int, float)) else pct)}</dd></dl></section>")


def render(data: dict, *, title: str, stored_best: dict[int, int] | None = None, shots: list[dict] | None = None,
           vis_note: str = "", standing: dict | None = None) -> str:
    """The whole page as one string."""
    ref = reference(data, stored_best or {})
    best = best_candidate(data["candidates"])
    by_n, by_t = curve_figures(data)
    lineage = lineage_figure(data, ref)
    rows = call_rows(data["calls"])
    figures = {"curve-n": by_n, "curve-t": by_t, "lineage": lineage, "heatmap": heatmap_figure(data, ref)}
    if calls_figure(rows):
        figures["calls"] = calls_figure(rows)
    nodes = {c["id"]: {k: c[k] for k in ("id", "run", "parent", "operator", "method", "model", "role", "verdict", "note",
                                         "public_mean", "private_mean", "language", "source", "diff")}
             for c in data["candidates"]}
    pictures = [s.get("svg") for s in shots or []]
    payload = json.dumps({"figures": figures, "nodes": nodes, "best": best["id"] if best else None, "pictures": pictures}, separators=(",", ":"), allow_nan=False)
    version, plotly_js = plotly_bundle()
    sections = {
        "TITLE": _e(title),
        "SUMMARY": _summary_html(data, best, title),
        "RANK": _rank_html(standing),
        "LESSONS": _lessons_html(data),
        "CALLS": _calls_html(rows) + ("<div class=chart id=chart-calls></div>" if "calls" in figures else ""),
        "VIS": _vis_html(shots, best, vis_note or "No visualizer pictures."),
        "PLOTLY_VERSION": _e(version),
        "GENERATED": _e(datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")),
        "DATA": _pack(payload),
        "PLOTLY": plotly_js,
    }
    page = TEMPLATE.read_text(encoding="utf-8")
    for key, value in sections.items():
        page = page.replace(f"%%{key}%%", value)
    return page


def write_atomic(path: str | Path, text: str) -> None:
    """Write next to `path`, then rename over it: a browser refreshing mid-write sees the old page
    or the new one, never half of one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def build(store, run_ids: list[int], *, problem=None, objective: str | None = None, vis: bool = True,
          jobs=None, cache_root=None, title: str | None = None) -> str:
    """The report page for `run_ids` (one run, or every run on a problem). `problem` (a loaded
    judge Problem) gives the objective and the visualizer; without it the page has no pictures."""
    runs = [store.get_run(r) for r in run_ids]
    problem_id = runs[0]["problem"]
    objective = objective or (problem.objective if problem is not None else _guess_objective(store, run_ids))
    data = gather(store, run_ids, objective)
    best = best_candidate(data["candidates"])
    shots, note = None, ""
    if not vis:
        note = "Visualizer pictures are drawn when the run ends (or with `ale report`)."
    elif problem is None:
        note = f"Problem '{problem_id}' could not be loaded, so its visualizer could not run."
    elif best is None or not best["accepted"]:
        note = "No accepted candidate to draw."
    else:
        seeds = (runs[0].get("config") or {}).get("seeds") or problem.seeds("public")
        try:
            shots = visualize(problem, best, list(seeds)[:VIS_SEEDS], jobs=jobs, cache_root=cache_root)
        except Exception as e:  # no visualizer, or the judge cannot run here: the rest of the report stands
            note = f"Visualizer unavailable: {e}"
    standing = standings_for(store, problem, best) if (problem is not None and best is not None) else None
    if title is None:
        title = f"ale report · {problem_id} · " + (f"run {run_ids[0]}" if len(run_ids) == 1 else f"{len(run_ids)} runs")
    return render(data, title=title, stored_best=store.best_scores(problem_id), shots=shots, vis_note=note,
                  standing=standing)


def _guess_objective(store, run_ids: list[int]) -> str:
    """Without the problem: the judge stores rank_key = -mean for minimising problems."""
    for run_id in run_ids:
        for c in store.candidates(run_id):
            if c.get("accepted") and c.get("rank_key") and c.get("public_mean"):
                return "minimize" if c["rank_key"] < 0 < c["public_mean"] else "maximize"
    return "maximize"


class LiveReport:
    """`ale solve --report FILE`: rewrite the report after each judged candidate (no visualizer
    then: it would judge again), and once more with pictures when the run ends. A report that
    cannot be written is a warning, never the end of the run."""

    def __init__(self, path: str | Path, store, problem, *, jobs=None, cache_root=None,
                 warn: Callable[[str], None] | None = None):
        self.path, self.store, self.problem = Path(path), store, problem
        self.jobs, self.cache_root = jobs, cache_root
        self.warn = warn or (lambda text: sys.stderr.write(text + "\n"))
        self.run_id: int | None = None
        self.writes = 0
        self.failed = False

    def chain(self, events: Callable[[str, dict], None]) -> Callable[[str, dict], None]:
        """`events` (the progress display) first, then this report."""
        def both(kind: str, data: dict) -> None:
            events(kind, data)
            self(kind, data)
        return both

    def __call__(self, kind: str, data: dict) -> None:
        if kind == "start":
            self.run_id = data["run"]
        elif kind == "judged" and self.run_id is not None:
            self.write(vis=False)

    def write(self, vis: bool = True) -> None:
        if self.run_id is None:
            return
        try:
            write_atomic(self.path, build(self.store, [self.run_id], problem=self.problem, vis=vis,
                                          jobs=self.jobs, cache_root=self.cache_root))
            self.writes += 1
        except Exception as e:  # noqa: BLE001 - the run matters more than its report
            if not self.failed:
                self.warn(f"warning: cannot write the report {self.path}: {type(e).__name__}: {e}")
            self.failed = True
