"""`ale lessons ...`: inspect, search, move and seed the lesson store. Thin: parse, call, render."""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Optional

import typer

from ale import lessons as L
from ale.cli.common import EXIT_USAGE, UserError, err, open_db, out, print_json, user_errors

app = typer.Typer(no_args_is_help=True, help="Inspect, search, export and import lessons.")
DB = typer.Option(None, "--db", help="SQLite store (default: .ale/ale.db here).")
JSON = typer.Option(False, "--json", help="Print one JSON document instead of a table.")


class Format(str, Enum):
    yaml = "yaml"
    json = "json"


def _scope(lesson: L.Lesson) -> str:
    """Scope, problem and tags in one narrow cell: `delivery-route`, `tags: numba, python`, `global (numba)`."""
    tags = ", ".join(lesson.tags)
    if lesson.scope == "problem":
        return (lesson.problem or "problem") + (f" ({tags})" if tags else "")
    if lesson.scope == "tags":
        return f"tags: {tags}"
    return "global" + (f" ({tags})" if tags else "")


def render(lessons: list[L.Lesson], title: str) -> None:
    """One row per lesson; at 80 columns ids stay whole and the text wraps instead of vanishing."""
    from rich.table import Table

    table = Table(title=title)
    table.add_column("id", no_wrap=True, justify="right")
    table.add_column("kind", no_wrap=True)
    table.add_column("scope", overflow="fold", max_width=14)
    table.add_column("conf", no_wrap=True, justify="right")
    table.add_column("won", no_wrap=True, justify="right")  # wins of uses
    table.add_column("text", ratio=1, min_width=20, overflow="fold")
    for lesson in lessons:
        table.add_row(
            str(lesson.id), lesson.kind, _scope(lesson),
            f"{lesson.confidence:.2f}", f"{lesson.wins} of {lesson.uses}", lesson.text,
        )
    out.print(table)


@app.command("list")
def list_cmd(
    problem: Optional[str] = typer.Option(None, "--problem", help="Only this problem's lessons."),
    kind: Optional[str] = typer.Option(None, "--kind", help="technique, pitfall, parameter or insight."),
    as_json: bool = JSON, db: Optional[str] = DB,
):
    """List lessons in id order."""
    with user_errors():
        if kind is not None and kind not in L.KINDS:
            raise UserError(f"--kind must be one of {', '.join(L.KINDS)}, not {kind!r}", code=EXIT_USAGE)
        with open_db(db) as store:
            lessons = L.all_lessons(store, problem=problem, kind=kind)
    if as_json:
        print_json([lesson.to_dict() for lesson in lessons])
    else:
        render(lessons, f"{len(lessons)} lessons")


@app.command("show")
def show_cmd(lesson_id: int = typer.Argument(..., metavar="ID"), as_json: bool = JSON, db: Optional[str] = DB):
    """Show one lesson with its evidence."""
    with user_errors():
        with open_db(db) as store:
            lesson = L.get(store, lesson_id)
        if lesson is None:
            raise UserError(f"no lesson with id {lesson_id}")
    if as_json:
        print_json(lesson.to_dict())
        return
    out.print(f"[bold]#{lesson.id}[/] {lesson.kind} ({lesson.scope}"
              f"{': ' + lesson.problem if lesson.problem else ''}) from {lesson.source}")
    out.print(lesson.text, markup=False)
    out.print(f"tags: {', '.join(lesson.tags) or '-'}   confidence: {lesson.confidence:.2f}"
              f"   uses: {lesson.uses}   wins: {lesson.wins}")
    if lesson.evidence:
        out.print_json(data=lesson.evidence, default=str)


@app.command("search")
def search_cmd(
    query: str, limit: int = typer.Option(20, "--limit", min=1), as_json: bool = JSON,
    db: Optional[str] = DB,
):
    """Full-text search over lesson text, tags and kind."""
    with user_errors(), open_db(db) as store:
        lessons = L.search(store, query, limit)
    if as_json:
        print_json([lesson.to_dict() for lesson in lessons])
    else:
        render(lessons, f"{len(lessons)} lessons matching {query!r}")


@app.command("export")
def export_cmd(
    fmt: Format = typer.Option(Format.yaml, "--format"),
    problem: Optional[str] = typer.Option(None, "--problem"),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Write here instead of stdout."),
    db: Optional[str] = DB,
):
    """Export lessons as YAML or JSON (the same shape `import` and packs read)."""
    with user_errors():
        with open_db(db) as store:
            text = L.export_lessons(store, fmt.value, problem=problem)
        if output is None:
            typer.echo(text, nl=False)  # the document itself, as export wrote it
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as e:
            raise UserError(f"{output}: {e.strerror or e}") from None
    err.print(f"wrote {output}", highlight=False, markup=False, soft_wrap=True)


@app.command("import")
def import_cmd(file: Path = typer.Argument(..., metavar="FILE"), db: Optional[str] = DB):
    """Import lessons from a .yaml/.yml/.json file; near-duplicates merge. All or nothing."""
    fmt = "json" if file.suffix.lower() == ".json" else "yaml"
    with user_errors():
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise UserError(f"{file}: cannot read: {getattr(e, 'strerror', None) or e}") from None
        with open_db(db) as store:
            try:
                new, merged = L.import_lessons(store, text, fmt)
            except ValueError as e:
                raise UserError(f"{file}: {e}") from None
    out.print(f"read {new + merged} lessons from {file}: {new} new, {merged} merged into existing ones",
              highlight=False, markup=False, soft_wrap=True)


@app.command("load-packs")
def load_packs_cmd(
    folder: Optional[Path] = typer.Argument(None, help="Folder of *.yaml packs (default: ale's lessons/)."),
    db: Optional[str] = DB,
):
    """Load curated lesson packs; loading again does not duplicate."""
    with user_errors(), open_db(db) as store:
        try:
            count = L.load_packs(store, folder)
        except (ValueError, OSError) as e:
            raise UserError(str(e)) from None
    out.print(f"loaded {count} lessons from {folder or L.PACKS_DIR}", highlight=False, markup=False, soft_wrap=True)
