"""`ale report RUN|PROBLEM -o report.html`: a run (or every run on a problem) as one offline page."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ale.cli.common import UserError, config, err, load, open_db, print_json, user_errors


def _problem_for(run: dict, cfg: dict):
    """The folder the run used, else the id on today's shelf; None when neither loads (the report
    then has no visualizer pictures, and says why)."""
    from judge.errors import ProblemError

    path = (run.get("config") or {}).get("problem_path")
    for ref in ([path] if path and Path(path).is_dir() else []) + [run["problem"]]:
        try:
            return load(ref, cfg)
        except ProblemError:
            continue
    return None


def report_cmd(
    target: str = typer.Argument(..., help="A run id (see `ale runs list`) or a problem id: every run on it"),
    out_path: Path = typer.Option(Path("report.html"), "-o", "--out", help="Where to write the HTML page"),
    no_vis: bool = typer.Option(False, "--no-vis", help="Skip the visualizer pictures (they judge the best candidate again)"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Parallel seeds for the visualizer's re-judge"),
    db: Optional[str] = typer.Option(None, "--db", help="SQLite store (default from ale.yaml: .ale/ale.db)"),
    as_json: bool = typer.Option(False, "--json", help="Print {path, bytes, runs, candidates} on stdout"),
):
    """Write a self-contained HTML report: score curves, lineage, per-seed heatmap, lessons, model calls."""
    from ale import report
    from ale.config import cache_root, db_path

    with user_errors():
        cfg = config()
        store = open_db(db, cfg)
        if target.isdigit():
            run = store.get_run(int(target))
            if run is None:
                raise UserError(f"no run {target} in {db_path(cfg, db)}; see `ale runs list`")
            runs = [run]
        else:
            runs = sorted(store.list_runs(target), key=lambda r: r["id"])
            if not runs and Path(target).is_dir():  # a problem folder: its runs are under its id
                runs = sorted(store.list_runs(load(target, cfg).id), key=lambda r: r["id"])
            if not runs:
                raise UserError(f"no runs on problem '{target}' in {db_path(cfg, db)}; see `ale runs list`")
        problem = _problem_for(runs[-1], cfg)
        if problem is None and not no_vis:
            err.print(f"[yellow]problem '{runs[-1]['problem']}' not found: the report has no visualizer pictures[/]", highlight=False)
        page = report.build(store, [r["id"] for r in runs], problem=problem, vis=not no_vis,
                            jobs=jobs or cfg["judge"]["jobs"], cache_root=cache_root(cfg))
        try:
            report.write_atomic(out_path, page)
        except OSError as e:
            raise UserError(f"cannot write {out_path}: {e.strerror or e}") from None
        size = out_path.stat().st_size
        n = sum(len(store.candidates(r["id"])) for r in runs)
        if as_json:
            print_json({"path": str(out_path), "bytes": size, "runs": [r["id"] for r in runs], "candidates": n})
        else:
            err.print(f"wrote {out_path} ({size / 1e6:.1f} MB, {len(runs)} run(s), {n} candidates)", highlight=False)
