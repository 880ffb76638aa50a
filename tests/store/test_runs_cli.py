"""`ale runs ...` through typer's CliRunner."""

import json

import pytest
import typer
from typer.testing import CliRunner

from ale.cli import runs_cmds
from ale.store import Store

root = typer.Typer()
root.add_typer(runs_cmds.app, name="runs")
runner = CliRunner()


def run(*args):
    return runner.invoke(root, ["runs", *map(str, args)])


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "ale.db"
    with Store(path) as store:
        first = store.create_run("ahc001", "offline", {"steps": 3})
        parent = store.add_candidate(first, source="big source", language="cpp", hash="a", parent_id=None,
                                     method="draft", summary={"mean": 10.0, "accepted": True, "failed": 0,
                                                              "rank_key": 10.0})
        child = store.add_candidate(first, source="x", language="cpp", hash="b", parent_id=parent,
                                    method="mutate", params={"T0": 5})
        store.add_evaluations(child, "private", [{"seed": 1, "verdict": "AC", "score": 42}])
        store.update_run(first, status="done", best_candidate=child, summary={"best": 42})
        store.create_run("ahc002", "anthropic", {})
    return path


def test_list_json_newest_first_and_filter(db):
    result = run("list", "--json", "--db", db)
    assert result.exit_code == 0
    runs = json.loads(result.stdout)
    assert [(r["id"], r["problem"], r["candidates"]) for r in runs] == [(2, "ahc002", 0), (1, "ahc001", 2)]
    assert runs[1]["config"] == {"steps": 3}
    only = json.loads(run("list", "--problem", "ahc001", "--json", "--db", db).stdout)
    assert [r["id"] for r in only] == [1]


def test_show_json_shape(db):
    result = run("show", "1", "--json", "--db", db)
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert set(doc) == {"run", "candidates", "standing"} and doc["standing"] is None  # ahc001 has no package here
    assert doc["run"]["status"] == "done" and doc["run"]["summary"] == {"best": 42}
    parent, child = doc["candidates"]
    assert (parent["public_mean"], parent["accepted"], parent["parent_id"]) == (10.0, True, None)
    assert (child["parent_id"], child["private_mean"], child["params"]) == (parent["id"], 42.0, {"T0": 5})
    assert "source" not in child


def test_show_table(db):
    result = run("show", "1", "--db", db)
    assert result.exit_code == 0
    assert "2 candidates" in result.stdout and "mutate" in result.stdout and "42.0" in result.stdout
    assert "ahc002" in run("list", "--db", db).stdout


def test_unknown_run_exit_3_and_usage_exit_2(db):
    result = run("show", "77", "--db", db)
    assert result.exit_code == 3 and result.stderr.strip() == "error: no run with id 77"
    assert run("show", "--db", db).exit_code == 2
    assert run("list", "--bogus").exit_code == 2
