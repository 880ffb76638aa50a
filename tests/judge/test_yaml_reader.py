"""YAML read through the content-keyed JSON cache: same data as PyYAML, never stale, never wrong."""

import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from judge import yaml_reader

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def root(tmp_path, monkeypatch):
    monkeypatch.setenv("ALE_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


def copies(root: Path) -> list[Path]:
    return sorted((root / "yaml").glob("*.json")) if (root / "yaml").is_dir() else []


def test_first_load_parses_and_keeps_a_json_copy(tmp_path, root):
    f = tmp_path / "a.yaml"
    f.write_text("id: demo\nseeds: {public: [0, 49]}\nlimit: 2.5\nok: true\ntags: [x, y]\nnone: null\n")
    want = yaml.safe_load(f.read_text())
    assert yaml_reader.load_yaml(f) == want
    [copy] = copies(root)
    assert json.loads(copy.read_text()) == want
    assert yaml_reader.load_yaml(f) == want


def test_a_second_load_does_not_import_yaml(tmp_path, root):
    f = tmp_path / "a.yaml"
    f.write_text("id: demo\nlist: [1, 2, 3]\n")
    yaml_reader.load_yaml(f)
    probe = ("import json, sys; from judge import yaml_reader; d = yaml_reader.load_yaml(sys.argv[1]); "
             "print(json.dumps({'data': d, 'yaml': 'yaml' in sys.modules}))")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", probe, str(f)], capture_output=True, text=True, env=env)
    doc = json.loads(r.stdout)
    assert doc == {"data": {"id": "demo", "list": [1, 2, 3]}, "yaml": False}, r.stderr


def test_an_edited_file_is_read_again(tmp_path, root):
    f = tmp_path / "a.yaml"
    f.write_text("time_limit: 2.0\n")
    assert yaml_reader.load_yaml(f) == {"time_limit": 2.0}
    f.write_text("time_limit: 3.0\n")
    assert yaml_reader.load_yaml(f) == {"time_limit": 3.0}
    assert len(copies(root)) == 2


@pytest.mark.parametrize("text, want", [
    ("when: 2026-11-28\n", {"when": datetime.date(2026, 11, 28)}),  # JSON has no dates
    ("1: one\n2: two\n", {1: "one", 2: "two"}),  # JSON keys are strings
    ("x: .nan\n", None),  # nan != nan: cannot be checked, so not cached
])
def test_data_json_cannot_hold_exactly_is_not_cached(tmp_path, root, text, want):
    f = tmp_path / "a.yaml"
    f.write_text(text)
    for _ in range(2):
        got = yaml_reader.load_yaml(f)
        if want is not None:
            assert got == want and type(next(iter(got))) is type(next(iter(want)))
    assert copies(root) == []


def test_a_damaged_copy_is_ignored(tmp_path, root):
    f = tmp_path / "a.yaml"
    f.write_text("a: 1\n")
    yaml_reader.load_yaml(f)
    [copy] = copies(root)
    copy.write_text('{"a": ')  # cut short, as by a full disk
    assert yaml_reader.load_yaml(f) == {"a": 1}
    assert json.loads(copy.read_text()) == {"a": 1}


def test_an_unwritable_cache_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("ALE_CACHE_DIR", str(blocker / "cache"))  # under a file: cannot be created
    f = tmp_path / "a.yaml"
    f.write_text("a: [1, 2]\n")
    assert yaml_reader.load_yaml(f) == {"a": [1, 2]}


def test_syntax_errors_name_the_line_and_are_not_cached(tmp_path, root):
    f = tmp_path / "a.yaml"
    f.write_text("a: 1\nb: [1, 2\nc: 3\n")
    with pytest.raises(yaml_reader.YAMLSyntaxError) as e:
        yaml_reader.load_yaml(f)
    assert e.value.line is not None and e.value.line >= 3 and e.value.problem
    assert copies(root) == []


def test_not_utf8_is_a_syntax_error(tmp_path, root):
    f = tmp_path / "a.yaml"
    f.write_bytes(b"a: \xff\xfe\n")
    with pytest.raises(yaml_reader.YAMLSyntaxError, match="not UTF-8"):
        yaml_reader.load_yaml(f)
