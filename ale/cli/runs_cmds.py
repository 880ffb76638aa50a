"""`ale runs ...`: look at recorded solve runs and their candidates. Read-only."""

from __future__ import annotations

from typing import Optional

import typer

from ale.cli.common import UserError, open_db, out, print_json, user_errors

app = typer.Typer(no_args_is_help=True, help="List and inspect solve runs.")
DB = typer.Option(None, "--db", help="SQLite store (default: .ale/ale.db here).")
JSON = typer.Option(False, "--json", help="Print one JSON document instead of a table.")
# Source code can be large: the JSON view leaves it out; `ale` keeps it in the store.
CANDIDATE_FIELDS = (
    "id", "parent_id", "step", "method", "note", "language", "hash", "params", "public_mean",
    "accepted", "failed", "rank_key", "private_mean", "created_at", "operator", "model", "flags", "seq",
)

def num(value, digits: int = 1) -> str:
    return "" if value is None else f"{value:,.{digits}f}"


def summary_lines(summary) -> list[str]:
    """A finished run's summary in a few lines: best against baseline, why it stopped, what it cost."""
    if not isinstance(summary, dict):
        return [] if not summary else [str(summary)]
    lines = []
    if summary.get("best_candidate") is not None:
        line = f"best #{summary['best_candidate']}: public mean {num(summary.get('best_public_mean')) or '-'}"
        if summary.get("best_private_mean") is not None:
            line += f", private mean {num(summary['best_private_mean'])}"
        if summary.get("baseline_public_mean") is not None:
            line += f" (baseline {num(summary['baseline_public_mean'])})"
        if "best_accepted" in summary and not summary["best_accepted"]:
            line += "; not accepted"
        lines.append(line)
    if summary.get("stop_reason"):
        lines.append(f"stopped: {summary['stop_reason']}")
    tokens = summary.get("tokens") or {}
    if summary.get("cost") or any(tokens.values()):
        lines.append(f"cost ${summary.get('cost') or 0:.4f}, tokens sent {tokens.get('sent', 0):,}, received {tokens.get('received', 0):,}")
    timing = summary.get("timing") or {}
    if timing.get("wall") is not None:
        lines.append(f"took {timing['wall']:,.0f} s, {timing.get('judging') or 0:,.0f} s of it judging")
    return lines


def _stamp(text: str | None) -> str:
    return (text or "")[:16].replace("T", " ")  # to the minute: fits 80 columns


def _took(run: dict) -> str:
    from datetime import datetime

    try:
        secs = (datetime.fromisoformat(run["finished_at"]) - datetime.fromisoformat(run["started_at"])).total_seconds()
    except (TypeError, ValueError):
        return ""
    return f"{secs:.0f}s" if secs < 120 else f"{secs // 60:.0f}m{secs % 60:02.0f}s"


@app.command("list")
def list_cmd(
    problem: Optional[str] = typer.Option(None, "--problem", help="Only runs of this problem."),
    as_json: bool = typer.Option(False, "--json"), db: Optional[str] = DB,
):
    """List runs, newest first."""
    with user_errors(), open_db(db) as store:
        runs = store.list_runs(problem)
        counts = {run["id"]: len(store.candidates(run["id"])) for run in runs}
    if as_json:
        print_json([{**run, "candidates": counts[run["id"]]} for run in runs])
        return
    from rich.table import Table

    table = Table(title=f"{len(runs)} runs")
    for column in ("id", "problem", "provider", "status", "started", "cands", "best"):
        table.add_column(column, no_wrap=column != "provider", justify="right" if column in ("id", "cands", "best") else "left")
    for run in runs:
        table.add_row(
            str(run["id"]), run["problem"], run["provider"], " ".join(filter(None, (run["status"], _took(run)))),
            _stamp(run["started_at"])[5:], str(counts[run["id"]]), str(run["best_candidate"] or ""),
        )
    out.print(table)


@app.command("show")
def show_cmd(
    run_id: int = typer.Argument(..., metavar="RUN"), as_json: bool = JSON, db: Optional[str] = DB,
):
    """Show a run and the table of its candidates."""
    with user_errors(), open_db(db) as store:
        run = store.get_run(run_id)
        if run is None:
            raise UserError(f"no run with id {run_id}")
        candidates = [{k: c.get(k) for k in CANDIDATE_FIELDS} for c in store.candidates(run_id)]
        from ale.standings import describe, run_standing  # the best candidate among the contest's humans

        standing = run_standing(store, run)
    if as_json:
        print_json({"run": run, "candidates": candidates, "standing": standing})
        return
    from rich.table import Table

    out.print(
        f"[bold]run {run['id']}[/] {run['problem']} via {run['provider']}: {run['status']}, "
        f"started {_stamp(run['started_at'])}" + (f", took {_took(run)}" if run["finished_at"] else "")
    )
    for line in summary_lines(run["summary"]):  # the whole summary is in --json
        out.print(line, highlight=False, markup=False)
    if standing is not None:
        out.print(f"best candidate among the contest's humans: {describe(standing)}", highlight=False)
    table = Table(title=f"{len(candidates)} candidates")
    for column in ("id", "parent", "operator", "model", "method", "public mean", "accepted", "private mean", "flags"):
        table.add_column(column, justify="right" if "mean" in column or column in ("id", "parent") else "left",
                         no_wrap=column in ("id", "parent"))  # ids never truncate
    for c in candidates:
        best = "*" if c["id"] == run["best_candidate"] else ""
        accepted = {True: "yes", False: "no", None: ""}[c["accepted"]]
        table.add_row(
            f"{c['id']}{best}", str(c["parent_id"] or ""), c["operator"] or "", c["model"] or "", c["method"],
            num(c["public_mean"]), accepted, num(c["private_mean"]), ", ".join(c["flags"] or []),
        )
    out.print(table)
