"""`ale problems list|show|import`: the problem shelf."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ale.cli.common import EXIT_USAGE, UserError, config, err, load, out, print_json, user_errors
from ale.config import problem_folders

app = typer.Typer(help="List and inspect problem packages.", no_args_is_help=True)


def _summary(p) -> dict:
    return {
        "id": p.id, "title": p.title, "path": str(p.path), "objective": p.objective, "time_limit": p.time_limit,
        "memory_limit": p.memory_limit, "interactive": p.interactive, "partial_score": p.partial_score,
        "public_seeds": list(p.public_seeds), "private_seeds": list(p.private_seeds), "tags": p.tags,
        "tools": str(p.tools) if p.tools else None, "solutions": [s.name for s in p.solutions()],
    }


@app.command("list")
def list_cmd(as_json: bool = typer.Option(False, "--json")):
    """Every problem found in the configured folders (broken packages are reported, not fatal)."""
    from judge import ProblemError, load_problem

    with user_errors():
        cfg = config()
        found, broken, seen = [], [], set()
        for folder in problem_folders(cfg):
            if not folder.is_dir():
                continue
            for d in sorted(folder.iterdir()):
                if not (d / "problem.yaml").is_file() or d.name in seen:
                    continue
                seen.add(d.name)
                try:
                    found.append(_summary(load_problem(d)))
                except ProblemError as e:
                    broken.append({"path": str(d), "error": str(e)})
        if as_json:
            print_json({"problems": found, "broken": broken})
            return
        from rich.table import Table

        t = Table(title="problems")
        t.add_column("id", no_wrap=True)  # what users type: never cut
        t.add_column("title", ratio=1, min_width=10)
        t.add_column("kind", no_wrap=True)
        t.add_column("TL", no_wrap=True)
        t.add_column("tags", ratio=1, min_width=10, overflow="fold")
        for p in found:
            kind = ("interactive" if p["interactive"] else "batch") + ", " + p["objective"]
            t.add_row(p["id"], p["title"], kind, f"{p['time_limit']:g}s", ", ".join(p["tags"]))
        out.print(t)
        for b in broken:
            err.print(f"[yellow]skipped:[/] {b['error']}", highlight=False)


@app.command("show")
def show_cmd(problem: str = typer.Argument(...), as_json: bool = typer.Option(False, "--json")):
    """A problem's metadata and statement."""
    with user_errors():
        p = load(problem)
        doc = _summary(p)
        if as_json:
            doc["statement"] = p.statement
            print_json(doc)
            return
        for k, v in doc.items():
            out.print(f"[bold]{k}[/]: {v}", highlight=False)
        out.print()
        out.print(p.statement, markup=False, highlight=False)


# --- ale problems import: a package around a contest's official tools, or from ALE-Bench ------------

@app.command("import")
def import_cmd(
    source: Path = typer.Argument(..., help="The contest's tools folder or tools zip (Rust source), or an ALE-Bench problem folder or zip"),
    pid: Optional[str] = typer.Option(None, "--id", help="Problem id: lowercase letters, digits and '-' (ALE-Bench: default its problem_id)"),
    statement: Optional[Path] = typer.Option(None, "--statement", help="The contest statement, saved as text or markdown (not for ALE-Bench folders)"),
    objective: Optional[str] = typer.Option(None, "--objective", help="max or min (default: read from the statement)"),
    time_limit: float = typer.Option(2.0, "--time-limit", min=0.01, help="Seconds per case"),
    memory_limit: int = typer.Option(1024, "--memory-limit", min=1, help="MiB per case"),
    interactive: Optional[bool] = typer.Option(None, "--interactive/--batch", help="Default: interactive when the tools have a tester"),
    title: Optional[str] = typer.Option(None, "--title", help="Default: the statement's first heading"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="A starting solution (.py, .cpp or .rs) to ship"),
    dest: Path = typer.Option(Path("problems"), "--dest", help="Folder to create the package in"),
    link: bool = typer.Option(False, "--link", help="Refer to the tools folder where it is instead of copying it"),
    lite: bool = typer.Option(False, "--lite", help="ALE-Bench folders: the lite seeds and standings"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Make a problem package from an AtCoder Heuristic Contest's official tools and statement, or from
    a problem folder of the ALE-Bench dataset (statement, tools, seeds and the humans' standings)."""
    from ale import problem_import

    with user_errors():
        if problem_import.is_alebench(source):
            if statement is not None or link:
                raise UserError(f"{source} is an ALE-Bench problem folder: its statement and tools are imported from it; drop --statement/--link", EXIT_USAGE)
            p, info = problem_import.import_alebench(source, dest, pid=pid, lite=lite, baseline=baseline)
            ranked = info["standings"]
            doc = _summary(p) | {"standings": ranked is not None, "humans": ranked.humans if ranked else None, "lite": lite}
            if as_json:
                print_json(doc)
                return
            kind = "interactive" if p.interactive else "batch"
            humans = f"standings of {doc['humans']} humans" if ranked else "no standings"
            err.print(
                f"imported ALE-Bench problem [bold]{p.id}[/] into {p.path} ({kind}, {p.objective}, "
                f"{len(info['public'])} public and {len(info['private'])} private seeds{' (lite)' if lite else ''}, {humans}); "
                f"next: ale judge {p.id} SOLUTION, then ale rank {p.id} RUN",
                highlight=False,
            )
            return
        if lite:
            raise UserError(f"--lite is for ALE-Bench problem folders (with data.json); {source} has none", EXIT_USAGE)
        if pid is None or statement is None:
            raise UserError(f"{source}: not an ALE-Bench problem folder (no data.json), so give --id and --statement for the official tools", EXIT_USAGE)
        p = problem_import.import_official(
            source, statement, dest, pid=pid, objective=objective, time_limit=time_limit, memory_limit=memory_limit,
            interactive=interactive, title=title, baseline=baseline, link=link,
        )
        if as_json:
            print_json(_summary(p))
            return
        err.print(
            f"imported [bold]{p.id}[/] into {p.path} ({'interactive' if p.interactive else 'batch'}, {p.objective}, "
            f"tools {'linked' if link else 'copied'}); check problem.yaml, then: ale judge {p.id} SOLUTION",
            highlight=False,
        )
