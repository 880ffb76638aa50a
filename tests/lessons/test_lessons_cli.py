"""`ale lessons ...` through typer's CliRunner, mounted the way the lead mounts it."""

import json

import pytest
import typer
from typer.testing import CliRunner

from ale.cli import lessons_cmds
from ale.lessons import PACKS_DIR

root = typer.Typer()
root.add_typer(lessons_cmds.app, name="lessons")
runner = CliRunner()


def run(*args):
    return runner.invoke(root, ["lessons", *map(str, args)])


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "ale.db"
    assert run("load-packs", "--db", path).exit_code == 0
    return path


def test_load_packs_is_idempotent_and_list_json_shape(db):
    assert run("load-packs", PACKS_DIR, "--db", db).exit_code == 0
    result = run("list", "--json", "--db", db)
    assert result.exit_code == 0, result.output
    lessons = json.loads(result.stdout)
    assert len(lessons) == sum(1 for p in PACKS_DIR.glob("*.yaml") for line in p.read_text().splitlines()
                               if line.startswith("  - kind:"))
    assert set(lessons[0]) == {"id", "kind", "text", "scope", "problem", "tags", "evidence",
                               "confidence", "uses", "wins", "source"}
    pitfalls = json.loads(run("list", "--kind", "pitfall", "--json", "--db", db).stdout)
    assert pitfalls and {x["kind"] for x in pitfalls} == {"pitfall"}


def test_list_table_and_show(db):
    result = run("list", "--db", db)
    assert result.exit_code == 0 and "lessons" in result.stdout and "global" in result.stdout
    shown = json.loads(run("show", "1", "--json", "--db", db).stdout)
    assert shown["id"] == 1 and shown["source"].startswith("pack:")
    text = run("show", "1", "--db", db)
    assert text.exit_code == 0 and "#1" in text.stdout


def test_unknown_lesson_exits_3_and_a_bad_kind_is_a_usage_error(db):
    result = run("show", "999", "--db", db)
    assert result.exit_code == 3
    assert result.stderr.strip() == "error: no lesson with id 999" and result.stdout == ""
    bad = run("list", "--kind", "magic", "--db", db)
    assert bad.exit_code == 2 and "--kind must be one of" in bad.stderr


def test_usage_errors_exit_2(db):
    assert run("show", "not-a-number", "--db", db).exit_code == 2
    assert run("export", "--format", "xml", "--db", db).exit_code == 2


def test_search_json(db):
    result = run("search", "numba", "--json", "--db", db)
    found = json.loads(result.stdout)
    assert result.exit_code == 0 and found
    assert all("numba" in (x["text"] + " ".join(x["tags"])).lower() for x in found)


@pytest.mark.parametrize("suffix, fmt", [(".yaml", "yaml"), (".json", "json")])
def test_export_to_file_then_import_elsewhere(tmp_path, db, suffix, fmt):
    out = tmp_path / f"dump{suffix}"
    assert run("export", "--format", fmt, "-o", out, "--db", db).exit_code == 0
    other = tmp_path / "other.db"
    result = run("import", out, "--db", other)
    assert result.exit_code == 0, result.output
    n = len(json.loads(run("list", "--json", "--db", db).stdout))
    assert f"read {n} lessons from {out}: {n} new, 0 merged" in result.stdout
    assert run("export", "--format", fmt, "--db", other).stdout == out.read_text()
    again = run("import", out, "--db", other)  # every entry is already there: all merge
    assert f": 0 new, {n} merged into existing ones" in again.stdout


def test_bad_import_file_is_one_line_exit_3(tmp_path, db):
    bad = tmp_path / "bad.yaml"
    bad.write_text("lessons:\n  - {kind: insight, text: fine, scope: global}\n  - {kind: hunch, text: x}\n")
    result = run("import", bad, "--db", db)
    assert result.exit_code == 3
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(bad) in lines[0] and "lessons[1].kind" in lines[0]
    assert "Traceback" not in result.output
    missing = run("import", tmp_path / "nope.json", "--db", db)
    assert missing.exit_code == 3 and "nope.json" in missing.stderr


def test_default_db_is_under_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("list", "--json").exit_code == 0
    assert (tmp_path / ".ale" / "ale.db").exists()
