"""Lessons are linked to (and credited by) a child only when they speak to its language."""

import json
from pathlib import Path

from typer.testing import CliRunner

from ale import lessons
from ale.cli import app
from ale.store import Store
from judge import languages

from tests.conftest import FIXTURES

CPP = """#include <cstdio>
const int K = 3;  // ale: param int 1 10
int main() { int n; long long s = 0, x; scanf("%d", &n); for (int i = 0; i < n; i++) { scanf("%lld", &x); s += x; }
  printf("%lld\\n", s + 0 * K); }
"""


def test_numba_lessons_are_not_linked_to_a_cpp_child(tmp_path):
    src = tmp_path / "sum.cpp"
    src.write_text(CPP)
    db = tmp_path / "l.db"
    r = CliRunner().invoke(app, ["solve", str(FIXTURES / "sumup"), "--db", str(db), "--json", "--start", str(src),
                                 "--budget", "2", "--beam", "1", "--private-top", "0", "--seeds", "0-3"])
    assert r.exit_code == 0, r.output
    s = Store(db)
    child = next(c for c in s.candidates(json.loads(r.stdout)["run"]) if c["parent_id"] is not None)
    shown = s.candidate_lessons(child["id"], "shown")
    assert shown, "the packs' general lessons are shown to a C++ child"
    assert not [l for l in shown if "numba" in (l.get("tags") or [])], [l["text"] for l in shown]


def test_applies_reads_language_ids_through_the_table():
    assert lessons.applies(["rust"], "rs") and lessons.applies(["c++"], "cpp") and lessons.applies(["numba"], "py")
    assert not lessons.applies(["numba", "python"], "cpp")
    assert lessons.applies(["time"], "rs")  # no language named: applies to all
    assert languages.get("python").id == "py" and languages.get("c++").id == "cpp" and languages.get(".rs").id == "rs"
