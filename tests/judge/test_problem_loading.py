"""Loading and validating problem packages: every bad package gets one clear line.

Each bad-package case builds a package in tmp_path and checks the message names
the file, the field and the fix, on a single line.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from judge import ProblemError, load_problem, parse_seeds
from judge.problem import Problem

from tests.conftest import FIXTURES

GOOD_YAML = """\
id: {id}
title: Test Problem
objective: maximize
time_limit: 2.0
memory_limit: 1024
interactive: {interactive}
partial_score: true
seeds:
  public: [0, 9]
  private: [100, 119]
tags: [test]
"""


def make_pkg(tmp_path: Path, pid: str = "demo", *, interactive: bool = False, yaml_text: str | None = None,
             drop: tuple[str, ...] = (), folder: str | None = None) -> Path:
    """A valid package in tmp_path/<folder or pid>, optionally with files removed or problem.yaml replaced."""
    src = FIXTURES / ("echo-game" if interactive else "sumup")
    d = tmp_path / (folder or pid)
    shutil.copytree(src, d)
    (d / "problem.yaml").write_text(
        yaml_text if yaml_text is not None else GOOD_YAML.format(id=pid, interactive=str(interactive).lower())
    )
    for name in drop:
        p = d / name
        shutil.rmtree(p) if p.is_dir() else p.unlink()
    return d


def with_field(field: str, value: str | None, pid: str = "demo") -> str:
    """GOOD_YAML with one top-level field replaced (value=None removes it)."""
    lines, out, skip = GOOD_YAML.format(id=pid, interactive="false").splitlines(), [], False
    for ln in lines:
        if skip and ln.startswith("  "):
            continue
        skip = False
        if ln.split(":")[0] == field:
            skip = True
            if value is not None:
                out.append(f"{field}: {value}")
            continue
        out.append(ln)
    return "\n".join(out) + "\n"


def error_of(path) -> str:
    with pytest.raises(ProblemError) as ei:
        load_problem(path)
    msg = str(ei.value)
    assert "\n" not in msg, f"not one line: {msg!r}"
    assert "Traceback" not in msg
    return msg


# --- the good path ------------------------------------------------------------------------


def test_valid_package_loads(tmp_path):
    p = load_problem(make_pkg(tmp_path))
    assert isinstance(p, Problem)
    assert (p.id, p.title, p.objective, p.time_limit, p.memory_limit) == ("demo", "Test Problem", "maximize", 2.0, 1024)
    assert (p.interactive, p.partial_score, p.public_seeds, p.private_seeds) == (False, True, (0, 9), (100, 119))
    assert p.tags == ["test"] and p.tools is None and p.maximize
    assert p.path == (tmp_path / "demo").resolve()
    assert "sum" in p.statement.lower()
    assert [s.name for s in p.solutions()] == ["baseline.py"]
    assert isinstance(p.time_limit, float)  # an int in YAML becomes seconds as a float


def test_int_time_limit_and_no_tags(tmp_path):
    text = with_field("time_limit", "3", ) .replace("tags: [test]\n", "")
    p = load_problem(make_pkg(tmp_path, yaml_text=text))
    assert p.time_limit == 3.0 and p.tags == []


def test_interactive_package_loads_without_scorer(tmp_path):
    d = make_pkg(tmp_path, interactive=True)
    assert not (d / "scorer.py").exists()
    p = load_problem(d)
    assert p.interactive


def test_fixtures_and_shipped_problems_load():
    for name in ("sumup", "echo-game", "bad-scorer"):
        assert load_problem(FIXTURES / name).id == name


# --- loading by id ------------------------------------------------------------------------


def test_load_by_id_via_search_folders(tmp_path):
    make_pkg(tmp_path / "shelf", "my-prob")
    empty = tmp_path / "empty"
    empty.mkdir()
    p = load_problem("my-prob", [empty, tmp_path / "shelf"])
    assert p.id == "my-prob" and p.path == (tmp_path / "shelf" / "my-prob").resolve()
    # The first folder that has the id wins.
    make_pkg(tmp_path / "first", "my-prob")
    assert load_problem("my-prob", [tmp_path / "first", tmp_path / "shelf"]).path.parent == (tmp_path / "first").resolve()


def test_load_by_id_with_str_folders(tmp_path):
    make_pkg(tmp_path, "by-str")
    assert load_problem("by-str", [str(tmp_path)]).id == "by-str"


def test_unknown_id_names_where_it_looked(tmp_path):
    msg = error_of_id("no-such-problem", [tmp_path])
    assert "no-such-problem" in msg and str(tmp_path) in msg
    assert "ale problems list" in msg


def error_of_id(ref, search):
    with pytest.raises(ProblemError) as ei:
        load_problem(ref, search)
    msg = str(ei.value)
    assert "\n" not in msg
    return msg


# --- bad packages: one line naming file, field and fix ------------------------------------


def test_missing_problem_yaml(tmp_path):
    d = make_pkg(tmp_path, drop=("problem.yaml",))
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert "missing" in msg and "docs/problem-format.md" in msg


def test_invalid_yaml_names_the_line(tmp_path):
    text = GOOD_YAML.format(id="demo", interactive="false").replace("objective: maximize", "objective: [maximize")
    d = make_pkg(tmp_path, yaml_text=text)
    msg = error_of(d)
    line = next(i for i, ln in enumerate(text.splitlines(), 1) if ln.startswith("objective"))
    m = re.match(rf"{re.escape(str(d / 'problem.yaml'))}:(\d+): not valid YAML", msg)
    assert m, msg
    assert int(m[1]) >= line  # the parser notices at or after the broken line
    assert "fix the syntax" in msg


def test_invalid_yaml_tab_indentation_line(tmp_path):
    text = "id: demo\ntitle: x\nseeds:\n\tpublic: [0, 9]\n"
    msg = error_of(make_pkg(tmp_path, yaml_text=text))
    assert "problem.yaml:4:" in msg and "not valid YAML" in msg


@pytest.mark.parametrize("text", ["", "- a\n- b\n", "just a string\n"])
def test_yaml_not_a_mapping(tmp_path, text):
    d = make_pkg(tmp_path, yaml_text=text)
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml")) and "mapping" in msg


def test_unknown_key_is_named(tmp_path):
    text = GOOD_YAML.format(id="demo", interactive="false") + "difficulty: hard\n"
    d = make_pkg(tmp_path, yaml_text=text)
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert "unknown key 'difficulty'" in msg
    assert "allowed keys" in msg and "time_limit" in msg  # the fix: what is allowed


@pytest.mark.parametrize("field", ["id", "title", "objective", "time_limit", "memory_limit", "interactive", "partial_score", "seeds"])
def test_missing_required_field(tmp_path, field):
    d = make_pkg(tmp_path, yaml_text=with_field(field, None))
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert f"missing required field '{field}'" in msg


@pytest.mark.parametrize("value", ["Demo", "de_mo", "-demo", "'de mo'", "42x!", "[demo]"])
def test_bad_id(tmp_path, value):
    d = make_pkg(tmp_path, yaml_text=with_field("id", value))
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert "field 'id'" in msg and "lowercase letters, digits and '-'" in msg


def test_id_differs_from_folder(tmp_path):
    d = make_pkg(tmp_path, "other", folder="demo")
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert "field 'id' is 'other'" in msg and "folder is 'demo'" in msg and "make them equal" in msg


@pytest.mark.parametrize("value", ["maximise", "max", "MAXIMIZE", "1", "null"])
def test_bad_objective(tmp_path, value):
    d = make_pkg(tmp_path, yaml_text=with_field("objective", value))
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert "field 'objective'" in msg and "use maximize or minimize" in msg


@pytest.mark.parametrize("value", ["0", "-1", "fast", "true", "null", "[2]", "'2.0'"])
def test_bad_time_limit(tmp_path, value):
    d = make_pkg(tmp_path, yaml_text=with_field("time_limit", value))
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert "field 'time_limit'" in msg and "positive number" in msg and "e.g. 2.0" in msg


@pytest.mark.parametrize("value", ["0", "-256", "1.5", "1GB", "true", "null", "'1024'"])
def test_bad_memory_limit(tmp_path, value):
    d = make_pkg(tmp_path, yaml_text=with_field("memory_limit", value))
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert "field 'memory_limit'" in msg and "positive integer" in msg and "e.g. 1024" in msg


@pytest.mark.parametrize("field", ["interactive", "partial_score"])
@pytest.mark.parametrize("value", ["1", "0", "'true'", "maybe", "null"])
def test_non_bool_flags(tmp_path, field, value):
    d = make_pkg(tmp_path, yaml_text=with_field(field, value))
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert f"field '{field}'" in msg and "use true or false" in msg


@pytest.mark.parametrize(
    "seeds, which",
    [
        ("{public: [9, 0], private: [100, 119]}", "public"),  # reversed
        ("{public: [0], private: [100, 119]}", "public"),  # one end only
        ("{public: [0, 9, 10], private: [100, 119]}", "public"),
        ("{public: [-1, 9], private: [100, 119]}", "public"),  # negative
        ("{public: [0, 9.5], private: [100, 119]}", "public"),  # not an integer
        ("{public: '0-9', private: [100, 119]}", "public"),  # a string, not a range
        ("{public: [true, 9], private: [100, 119]}", "public"),  # bool is not an int here
        ("{public: [0, 9], private: 100}", "private"),
        ("{public: [0, 9], private: [119, 100]}", "private"),
    ],
)
def test_bad_seed_ranges(tmp_path, seeds, which):
    d = make_pkg(tmp_path, yaml_text=with_field("seeds", seeds))
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert f"field 'seeds.{which}'" in msg and "inclusive range" in msg and "e.g. [0, 49]" in msg


def test_unknown_seeds_subkey_is_named(tmp_path):
    d = make_pkg(tmp_path, yaml_text=with_field("seeds", "{public: [0, 9], private: [10, 19], extra: [20, 29]}"))
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml")) and "seeds.extra" in msg and "'public' and 'private'" in msg


@pytest.mark.parametrize("seeds", ["[0, 49]", "{public: [0, 9]}", "null"])
def test_bad_seeds_shape(tmp_path, seeds):
    d = make_pkg(tmp_path, yaml_text=with_field("seeds", seeds))
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert "field 'seeds'" in msg and "'public' and 'private'" in msg and "e.g. public: [0, 49]" in msg


@pytest.mark.parametrize("tags", ["routing", "[1, 2]", "{a: b}"])
def test_bad_tags(tmp_path, tags):
    d = make_pkg(tmp_path, yaml_text=with_field("tags", tags))
    msg = error_of(d)
    assert "field 'tags'" in msg and "list of words" in msg


def test_missing_statement(tmp_path):
    d = make_pkg(tmp_path, drop=("statement.md",))
    msg = error_of(d)
    assert msg.startswith(str(d.resolve() / "statement.md"))
    assert "missing" in msg and "statement" in msg


@pytest.mark.parametrize("name", ["generator.py", "scorer.py"])
def test_batch_missing_generator_or_scorer(tmp_path, name):
    d = make_pkg(tmp_path, drop=(name,))
    msg = error_of(d)
    assert msg.startswith(str(d.resolve() / name))
    assert "missing" in msg and "batch problem needs it" in msg and "tools:" in msg


@pytest.mark.parametrize("name", ["generator.py", "interactor.py"])
def test_interactive_missing_generator_or_interactor(tmp_path, name):
    d = make_pkg(tmp_path, interactive=True, drop=(name,))
    msg = error_of(d)
    assert msg.startswith(str(d.resolve() / name))
    assert "missing" in msg and "interactive problem needs it" in msg and "tools:" in msg


def test_batch_problem_needs_scorer_not_interactor(tmp_path):
    # A batch package with an interactor but no scorer is still missing the scorer.
    d = make_pkg(tmp_path, drop=("scorer.py",))
    shutil.copy(FIXTURES / "echo-game" / "interactor.py", d / "interactor.py")
    assert error_of(d).startswith(str(d.resolve() / "scorer.py"))


@pytest.mark.parametrize("drop", ["solutions/baseline.py", "solutions"])
def test_missing_baseline(tmp_path, drop):
    d = make_pkg(tmp_path, drop=(drop,))
    msg = error_of(d)
    assert msg.startswith(str(d.resolve() / "solutions" / "baseline.py"))
    assert "missing" in msg and "baseline" in msg


def test_tools_folder_missing(tmp_path):
    text = GOOD_YAML.format(id="demo", interactive="false") + "tools: tools/\n"
    d = make_pkg(tmp_path, yaml_text=text)
    msg = error_of(d)
    assert msg.startswith(str(d / "problem.yaml"))
    assert "field 'tools'" in msg and str(d.resolve() / "tools") in msg
    assert "not a folder" in msg and "official tools folder" in msg


def test_tools_that_is_a_file_is_rejected(tmp_path):
    text = GOOD_YAML.format(id="demo", interactive="false") + "tools: statement.md\n"
    msg = error_of(make_pkg(tmp_path, yaml_text=text))
    assert "field 'tools'" in msg and "not a folder" in msg


def test_first_problem_wins_checks_in_order(tmp_path):
    # Several things wrong: the metadata error is reported first, not the missing files.
    text = with_field("objective", "best")
    d = make_pkg(tmp_path, yaml_text=text, drop=("statement.md", "scorer.py"))
    assert "field 'objective'" in error_of(d)


# --- the package's Python files, loaded on first use --------------------------------------


def test_generator_syntax_error_names_file_and_line(tmp_path):
    d = make_pkg(tmp_path)
    (d / "generator.py").write_text("import random\n\ndef generate(seed):\n    return 'x' +\n")
    p = load_problem(d)  # validation does not import the files
    with pytest.raises(ProblemError) as ei:
        p.generate(0)
    msg = str(ei.value)
    assert "\n" not in msg
    assert msg.startswith(f"{d.resolve() / 'generator.py'}:4: syntax error")
    assert "fix the file" in msg


def test_scorer_import_error_names_file_and_line(tmp_path):
    d = make_pkg(tmp_path)
    (d / "scorer.py").write_text("import math\n\nx = 1 / 0\n\ndef score(i, o):\n    return 1\n")
    p = load_problem(d)
    with pytest.raises(ProblemError) as ei:
        p.score("1\n1\n", "1\n")
    msg = str(ei.value)
    assert "\n" not in msg
    assert str(d.resolve() / "scorer.py") in msg and "line 3" in msg and "ZeroDivisionError" in msg


def test_generator_with_dataclass_and_future_annotations(tmp_path):
    # dataclasses look the module up in sys.modules while the file runs.
    d = make_pkg(tmp_path, "dc-gen")
    (d / "generator.py").write_text(
        "from __future__ import annotations\nfrom dataclasses import dataclass\n\n"
        "@dataclass\nclass Case:\n    n: int\n\n"
        "def generate(seed: int) -> str:\n    return f'1\\n{Case(seed + 1).n}\\n'\n"
    )
    p = load_problem(d)
    assert p.generate(4) == "1\n5\n"


def test_generate_is_deterministic_and_modules_are_cached(tmp_path):
    p = load_problem(FIXTURES / "sumup")
    assert p.generate(3) == p.generate(3)
    assert p._module("generator") is p._module("generator")


def test_render_without_visualizer(tmp_path):
    p = load_problem(make_pkg(tmp_path))
    with pytest.raises(ProblemError, match="visualizer.py: missing"):
        p.render("", "")


# --- seed specifications ------------------------------------------------------------------


def test_parse_seeds_public_private(sumup):
    assert parse_seeds("public", sumup) == list(range(0, 8))
    assert parse_seeds("private", sumup) == [100, 101, 102, 103]
    assert sumup.seeds("public") == list(range(8))


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("0-4,10", [0, 1, 2, 3, 4, 10]),
        ("3,7,9", [3, 7, 9]),
        ("9,3,7,3", [3, 7, 9]),  # sorted, unique
        ("5", [5]),
        ("0-0", [0]),
        (" 2 - 4 , 1 ", [1, 2, 3, 4]),
        ("0-49", list(range(50))),
        ("1-3,2-5", [1, 2, 3, 4, 5]),
    ],
)
def test_parse_seeds_lists_and_ranges(spec, expected):
    assert parse_seeds(spec) == expected


@pytest.mark.parametrize("spec", ["", "abc", "5-3", "-1", "1,,2", "1-", "1.5", "0-4,x", "public", "private", "3;7"])
def test_parse_seeds_bad_is_value_error(spec):
    # 'public'/'private' need a problem to resolve; without one they are an error too.
    with pytest.raises(ValueError) as ei:
        parse_seeds(spec)
    assert "bad seed list" in str(ei.value) and "3,7,9" in str(ei.value)


def test_parse_seeds_bad_with_problem(sumup):
    with pytest.raises(ValueError):
        parse_seeds("publik", sumup)


@pytest.mark.parametrize("yaml_text", [
    "just a string\n", "id: demo\n", "a: [1\n", GOOD_YAML.format(id="demo", interactive="false") + "difficulty: hard\n",
    with_field("objective", "max"), with_field("seeds", "{public: [0, 9]}"),
])
def test_problem_yaml_errors_name_the_format_doc(tmp_path, yaml_text):
    """The format is the project's contract: every problem.yaml error says where it is written down."""
    msg = error_of(make_pkg(tmp_path, yaml_text=yaml_text))
    assert "problem.yaml" in msg and "docs/problem-format.md" in msg, msg
    assert (Path(__file__).resolve().parents[2] / "docs" / "problem-format.md").is_file()
