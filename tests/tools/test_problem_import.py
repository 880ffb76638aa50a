"""ale.problem_import: what `ale problems import` does, called as a library (no CLI)."""

import pytest
import yaml

from ale import problem_import as PI
from judge.errors import ProblemError

from .test_alebench import PRIVATE, PUBLIC, make_folder

STATEMENT = "# Sum Guess\n\nGuess the sum of the numbers.\n\nYour goal is to maximize the score.\n"


def test_import_official_writes_problem_yaml_and_returns_the_package(tmp_path, tools_folder):
    tools = tools_folder(tmp_path / "contest" / "tools", tester="tester_stdin")
    statement = tmp_path / "statement.md"
    statement.write_text(STATEMENT)
    baseline = tmp_path / "mine.py"
    baseline.write_text("print(0)\n")
    p = PI.import_official(tools, statement, tmp_path / "shelf", pid="sum-guess", time_limit=1.5, baseline=baseline)
    assert p.id == "sum-guess" and p.path == tmp_path / "shelf" / "sum-guess"
    meta = yaml.safe_load((p.path / "problem.yaml").read_text())
    assert meta == {"id": "sum-guess", "title": "Sum Guess", "objective": "maximize", "time_limit": 1.5,
                    "memory_limit": 1024, "interactive": True, "partial_score": True,
                    "seeds": {"public": [0, 49], "private": [1000, 1149]}, "tags": ["ahc"], "tools": "tools"}
    assert (p.path / "statement.md").read_text() == STATEMENT
    assert (p.path / "solutions" / "baseline.py").read_text() == "print(0)\n"
    assert (p.path / "tools" / "Cargo.toml").is_file() and not PI.is_alebench(tools)


def test_import_official_mistakes_are_problem_errors_and_leave_nothing(tmp_path, tools_folder):
    tools = tools_folder(tmp_path / "tools")
    vague = tmp_path / "vague.md"
    vague.write_text("# Something\n\nDo your best.\n")
    with pytest.raises(ProblemError, match="--objective max|min"):
        PI.import_official(tools, vague, tmp_path / "shelf", pid="x")
    with pytest.raises(ProblemError, match="use lowercase"):
        PI.import_official(tools, vague, tmp_path / "shelf", pid="Bad_Id", objective="min")
    assert not (tmp_path / "shelf" / "x").exists()


def test_new_package_removes_a_half_written_package(tmp_path):
    def fill(pkg):
        (pkg / "statement.md").write_text("x")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        PI.new_package(tmp_path / "p", {"id": "p"}, None, fill)
    assert not (tmp_path / "p").exists()


def test_import_alebench_maps_seeds_and_keeps_standings(tmp_path, tools_folder):
    folder = make_folder(tmp_path / "src", tools_folder)
    assert PI.is_alebench(folder)
    p, info = PI.import_alebench(folder, tmp_path / "shelf")
    meta = yaml.safe_load((p.path / "problem.yaml").read_text())
    assert meta["id"] == "ahc900" and meta["tags"] == ["ahc", "ale-bench"]
    assert meta["seeds"] == {"public": [0, len(PUBLIC) - 1], "private": [1000, 1000 + len(PRIVATE) - 1]}
    assert info["standings"].humans == 4 and (p.path / "standings").is_dir()
    with pytest.raises(ProblemError, match="already exists"):
        PI.import_alebench(folder, tmp_path / "shelf")
