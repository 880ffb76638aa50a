"""`ale problems list|show`: the problem shelf."""

from __future__ import annotations

import typer
from rich.table import Table

from ale.cli.common import config, err, load, out, print_json, user_errors
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
        t = Table(title="problems")
        for col in ("id", "title", "objective", "kind", "TL", "tags"):
            t.add_column(col)
        for p in found:
            kind = "interactive" if p["interactive"] else "batch"
            t.add_row(p["id"], p["title"], p["objective"], kind, f"{p['time_limit']:g}s", ", ".join(p["tags"]))
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
