"""One CLI style: every command prints JSON, tables and errors through ale.cli.common."""

import ast
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ale.cli import build_app

CLI = Path(__file__).resolve().parents[2] / "ale" / "cli"
runner = CliRunner()


def invoke(*args, env=None):
    return runner.invoke(build_app(), list(map(str, args)), env=env)


def test_no_command_module_brings_its_own_console_json_or_error_helper():
    """`Console()`, `json.dumps` to stdout, a local `emit_json`/`store_at`/`fail`: the other style, gone."""
    found = []
    for path in sorted(CLI.glob("*.py")):
        if path.name == "common.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                f = node.func
                name = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", "")
                owner = getattr(f.value, "id", "") if isinstance(f, ast.Attribute) else ""
                if name == "Console" or (owner, name) == ("json", "dumps"):
                    found.append(f"{path.name}:{node.lineno} {owner + '.' if owner else ''}{name}()")
            if isinstance(node, ast.FunctionDef) and node.name in ("emit_json", "store_at", "fail"):
                found.append(f"{path.name}:{node.lineno} def {node.name}")
            if isinstance(node, ast.alias) and (node.asname or node.name) in ("store_at", "fail", "emit_json"):
                found.append(f"{path.name}:{node.lineno} import {node.name}")
    assert not found, found


@pytest.mark.parametrize("args", [("runs", "list"), ("lessons", "list"), ("lessons", "search", "x")])
def test_a_broken_ale_yaml_is_one_line_exit_3_in_runs_and_lessons(tmp_path, args):
    """These opened the store outside the error wrapper: a bad ale.yaml was an internal error."""
    cfg = tmp_path / "ale.yaml"
    cfg.write_text("solve:\n  budgett: 3\n")
    r = invoke(*args, "--db", tmp_path / "a.db", env={"ALE_CONFIG": str(cfg)})
    assert r.exit_code == 3, r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and "solve.budgett" in lines[0], r.stderr


def test_store_that_cannot_be_opened_is_one_line_exit_3(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    for args in (("runs", "list"), ("lessons", "list"), ("report", "1")):
        r = invoke(*args, "--db", blocker / "a.db")
        assert r.exit_code == 3, (args, r.output)
        assert r.stderr.startswith("error: cannot open store"), (args, r.stderr)


def test_json_documents_are_the_same_shape_everywhere(tmp_path):
    """runs, lessons and keys print through print_json: two-space indented, one document."""
    db = tmp_path / "a.db"
    assert invoke("lessons", "load-packs", "--db", db).exit_code == 0
    for args in (("runs", "list", "--json"), ("lessons", "list", "--json")):
        r = invoke(*args, "--db", db)
        assert r.exit_code == 0, r.output
        doc = json.loads(r.stdout)
        assert r.stdout == json.dumps(doc, indent=2, default=str) + "\n"


def test_keys_delete_of_a_missing_key_is_one_error_line_exit_1(tmp_path):
    r = invoke("keys", "delete", "NOPE_KEY", env={"ALE_KEYS_FILE": str(tmp_path / "k.json")})
    assert r.exit_code == 1 and r.stderr.strip() == "error: no stored key NOPE_KEY", r.stderr
