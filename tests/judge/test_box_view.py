"""The box is built from an allow-list: a solution sees the system, its interpreter and its own case.

A hostile program that walks the file system must find no problem package (no generator, scorer,
interactor or problem.yaml: with them it could regenerate the hidden input), no store and no cache
of other builds; and Python installed anywhere (a venv under /tmp) must still run in the box.
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from judge import judge, load_problem, sandbox

from tests.conftest import FIXTURES, ROOT, need_bwrap

ANY_COPY = ("problem.yaml", "ale.db", "BUILD.json")  # any of these outside its own build is a leak
# A generator, scorer or interactor is a leak when its bytes are those of a package we ship or test with
# (email/generator.py in the standard library is not).
PACKAGE_FILES = {hashlib.sha256(p.read_bytes()).hexdigest() for base in (ROOT / "problems", FIXTURES)
                 for name in ("generator.py", "scorer.py", "interactor.py") for p in base.glob(f"*/{name}")}


def walker() -> str:
    """Walks everything it can see (but the kernel's own trees) and names what it found on stderr."""
    return f"""
import hashlib, os, sys
found = []
for top in sorted(os.listdir('/')):
    if top in ('proc', 'sys', 'dev'):
        continue
    for d, dirs, files in os.walk('/' + top):
        if d.startswith('/tmp/sol'):
            continue
        for f in files:
            p = os.path.join(d, f)
            if f in {ANY_COPY!r}:
                found.append(p)
            elif f in ('generator.py', 'scorer.py', 'interactor.py'):
                try:
                    if hashlib.sha256(open(p, 'rb').read()).hexdigest() in {sorted(PACKAGE_FILES)!r}:
                        found.append(p)
                except OSError:
                    pass
print('FOUND', len(found), ' '.join(found[:8]), file=sys.stderr)
"""


SUMUP_ANSWER = "a = list(map(int, sys.stdin.read().split()))[1:]\nprint(sum(a))\n"
ECHO_ANSWER = ("k = int(sys.stdin.readline())\nfor _ in range(k):\n"
               "    print(2 * int(sys.stdin.readline()), flush=True)\n")


@pytest.fixture
def planted_store():
    """A store where the old box (all of / but $HOME) would have shown it: /var/tmp."""
    d = Path("/var/tmp") / f"ale-test-{uuid.uuid4().hex[:8]}" / ".ale"
    d.mkdir(parents=True)
    (d / "ale.db").write_bytes(b"SQLite format 3\0")
    yield d / "ale.db"
    shutil.rmtree(d.parent, ignore_errors=True)


def _found(log: str) -> str:
    line = next((ln for ln in log.splitlines() if ln.startswith("FOUND")), None)
    assert line is not None, log
    return line


@pytest.mark.parametrize("fixture,answer", [("sumup", SUMUP_ANSWER), ("echo-game", ECHO_ANSWER)],
                         ids=["batch", "interactive"])
def test_walker_finds_no_problem_package_store_or_cache(fixture, answer, tmp_path, planted_store):
    need_bwrap()
    problem = load_problem(FIXTURES / fixture)
    sol = tmp_path / "walker.py"
    sol.write_text("import sys\n" + walker() + answer)
    # Outside the box the same walk finds the package and the store: the test can fail.
    probe = subprocess.run([sys.executable, "-c", walker()], capture_output=True, text=True, timeout=300)
    assert "FOUND 0" not in probe.stderr, probe.stderr
    limits = sandbox.Limits(time=60, memory_mib=512)
    c = judge(problem, sol, [problem.public_seeds[0]], jobs=1, limits=limits).cases[0]
    assert c.verdict == "AC", (c.verdict, c.message, c.log)
    assert _found(c.log).startswith("FOUND 0"), _found(c.log)


def test_shelf_inside_the_interpreter_prefix_is_hidden(tmp_path, monkeypatch):
    """A shelf installed inside a bound prefix (pip install . puts it in site-packages) stays out of view."""
    need_bwrap()
    shelf = Path(sandbox.python_roots()[0]) / f"ale-test-shelf-{uuid.uuid4().hex[:8]}"
    try:
        shutil.copytree(FIXTURES / "sumup", shelf / "sumup")
        problem = load_problem("sumup", search=[shelf])
        rows = sandbox.view()
        assert ("(empty)", str(shelf), "hidden") in rows
        sol = tmp_path / "peek.py"
        sol.write_text(f"import os, sys\nprint('SEES', os.path.exists({str(shelf / 'sumup' / 'generator.py')!r}),"
                       " file=sys.stderr)\n" + "import sys\n" + SUMUP_ANSWER)
        c = judge(problem, sol, [0], jobs=1).cases[0]
        assert c.verdict == "AC", (c.message, c.log)
        assert "SEES False" in c.log
    finally:
        shutil.rmtree(shelf, ignore_errors=True)


def test_python_from_a_venv_under_tmp_builds_and_runs(tmp_path):
    """A virtual environment outside the system paths: plain Python and numba with its cache are AC."""
    need_bwrap()
    venv = Path("/tmp") / f"ale-venv-{uuid.uuid4().hex[:8]}"
    try:
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", "--system-site-packages", str(venv)],
                       check=True, timeout=120)
        plain = tmp_path / "plain.py"
        plain.write_text("import sys\nprint(sys.prefix, file=sys.stderr)\n" + SUMUP_ANSWER)
        jit = tmp_path / "jit.py"
        jit.write_text(
            "import sys\nimport numpy as np\nfrom numba import njit\n\n@njit(cache=True)\n"
            "def total(a):\n    s = 0\n    for x in a:\n        s += x\n    return s\n\n"
            "a = np.array(list(map(int, sys.stdin.read().split()))[1:], dtype=np.int64)\nprint(total(a))\n"
        )
        script = (
            "import json, sys\nfrom judge import judge, load_problem, sandbox\n"
            f"p = load_problem({str(FIXTURES / 'sumup')!r})\n"
            "out = {}\n"
            "for s in sys.argv[1:]:\n"
            "    r = judge(p, s, [0, 7], jobs=1, limits=sandbox.Limits(time=20, memory_mib=1024))\n"
            "    out[s] = [(c.verdict, c.message, c.log[-300:]) for c in r.cases]\n"
            "out['mode'] = sandbox.mode()\nout['roots'] = sandbox.python_roots()\n"
            "print(json.dumps(out))\n"
        )
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        r = subprocess.run([str(venv / "bin" / "python"), "-c", script, str(plain), str(jit)], capture_output=True,
                           text=True, env=env, timeout=600)
        assert r.returncode == 0, r.stderr[-2000:]
        out = json.loads(r.stdout)
        assert out["mode"] == "bwrap"
        assert str(venv) in out["roots"]
        for s in (plain, jit):
            assert [c[0] for c in out[str(s)]] == ["AC", "AC"], out[str(s)]
        assert str(venv) in out[str(plain)][0][2]  # the solution ran on the venv's interpreter
    finally:
        shutil.rmtree(venv, ignore_errors=True)


def test_view_lists_the_allow_list_and_nothing_of_the_user():
    rows = sandbox.view(Path("/tmp/x"), Path("/tmp/b"), None)
    where = {w for _, w, _ in rows}
    assert {"/usr", "/tmp", "/proc", "/dev", sandbox.SCRATCH, sandbox.BUILD} <= where
    assert "/" not in where
    home = os.path.expanduser("~")
    assert all(not (w == home or w == os.getcwd()) for w in where)
    for r in sandbox.python_roots():
        assert (r, r, "ro") in rows


def test_doctor_runs_a_case_in_the_box_and_shows_its_view():
    need_bwrap()
    from typer.testing import CliRunner

    from ale.cli import app

    r = CliRunner().invoke(app, ["doctor", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    rows = {c["name"]: c for c in doc["checks"]}
    assert rows["case in the box"]["ok"] and "numba" in rows["case in the box"]["found"]
    where = {v["where"]: v for v in doc["box"]}
    assert where["/usr"]["how"] == "ro" and where[sandbox.SCRATCH]["how"] == "rw"


def test_doctor_says_when_the_interpreter_is_not_in_the_box(monkeypatch):
    """The newcomer's failure (a venv the box did not bind): doctor names it instead of every case being RE."""
    need_bwrap()
    from typer.testing import CliRunner

    from ale.cli import app

    if sys.base_prefix.startswith("/usr/"):
        pytest.skip("the interpreter is a system one: nothing to leave out of the box")
    monkeypatch.setattr(sandbox, "python_roots", lambda: ())
    r = CliRunner().invoke(app, ["doctor", "--json"])
    assert r.exit_code == 1, r.output
    row = {c["name"]: c for c in json.loads(r.stdout)["checks"]}["case in the box"]
    assert not row["ok"] and sys.executable in row["fix"]


def test_weak_sandbox_warning_names_what_is_missing(tmp_path):
    env = {**os.environ, "ALE_SANDBOX": "rlimits", "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "ale.cli", "judge", str(FIXTURES / "sumup"),
                        str(FIXTURES / "sumup" / "solutions" / "baseline.py"), "--seeds", "0", "--json", "--db", str(tmp_path / "ale.db")],
                       capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "problem packages" in r.stderr and "network" in r.stderr, r.stderr
    assert json.loads(r.stdout)["sandbox"] == "rlimits"
