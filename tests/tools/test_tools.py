"""Official AHC tools (gen / vis / tester) as a problem's generator, scorer and interactor."""

import os
import stat
import time
from pathlib import Path

import pytest

from judge import ProblemError, judge, load_problem, sandbox
from judge.tools import parse_score

from .conftest import expected_input, write_package

SUM_PY = """\
import sys
FACTOR = {factor}  # ale: param float 0 2
n = int(input())
a = list(map(int, input().split()))
print("thinking", file=sys.stderr)
print(int(sum(a) * FACTOR))
"""

ASK_PY = """\
import sys
n = int(input())
s = 0
for i in range(n):
    print("?", i, flush=True)
    s += int(input())
print("asked", n, "times", file=sys.stderr)
print("!", s + {off}, flush=True)
"""


def solution(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def score_of(text: str, x: int) -> int:
    s = sum(map(int, text.split()[1:]))
    return max(1, 10000 - 10 * abs(x - s))


def test_parse_score():
    assert parse_score("Score = 123\n") == (123, "")
    assert parse_score("Score = 0\nline 3: out of range\n") == (0, "line 3: out of range")
    assert parse_score("debug\n42\n") == (42, "debug")
    assert parse_score("Score = 5\nScore = 7\n")[0] == 7
    assert parse_score("panicked at src/main.rs\n") == (None, "panicked at src/main.rs")


@pytest.mark.parametrize("gen", ["gen_file", "gen_dir", "gen_stdin"])
def test_gen_conventions_and_cache(tmp_path, tools_folder, gen):
    tools = tools_folder(tmp_path / "pkg" / "tools", gen=gen)
    p = load_problem(write_package(tmp_path, "pkg", tools))
    assert p.generate(3) == expected_input(3)
    assert p.generate(1001) == expected_input(1001)
    # Cached under the cache dir, keyed by tools folder + gen's hash + seed: a second problem object reads it.
    cached = p._tools.cache / "in" / p._tools._gen_hash / "3.txt"
    assert cached.read_text() == expected_input(3)
    cached.write_text("1\n42\n")
    assert load_problem(p.path).generate(3) == "1\n42\n"
    # A rebuilt gen (another binary) does not reuse the old inputs.
    gen_bin = tools / "target" / "release" / "gen"
    gen_bin.write_bytes(gen_bin.read_bytes() + b"\0")
    assert load_problem(p.path).generate(3) == expected_input(3)


def test_shipped_inputs_are_seed_n(tmp_path, tools_folder):
    tools = tools_folder(tmp_path / "pkg" / "tools", inputs={2: "5\n1 2 3 4 5\n"})
    p = load_problem(write_package(tmp_path, "pkg", tools))
    assert p.generate(2) == "5\n1 2 3 4 5\n"
    assert p.generate(3) == expected_input(3)


@pytest.mark.parametrize("vis", ["vis_eq", "vis_bare"])
def test_batch_scores_from_vis(tmp_path, tools_folder, vis):
    tools = tools_folder(tmp_path / "pkg" / "tools", vis=vis)
    p = load_problem(write_package(tmp_path, "pkg", tools))
    r = judge(p, solution(tmp_path, "half.py", SUM_PY.format(factor=0.5)), [0, 1, 2], jobs=2)
    assert [c.verdict for c in r.cases] == ["AC"] * 3, [c.message for c in r.cases]
    for c in r.cases:
        text = expected_input(c.seed)
        assert c.score == score_of(text, int(sum(map(int, text.split()[1:])) * 0.5))
        assert "thinking" in c.log
    exact = judge(p, solution(tmp_path, "exact.py", SUM_PY.format(factor=1.0)), [0, 1], jobs=2)
    assert [c.score for c in exact.cases] == [10000, 10000]


@pytest.mark.parametrize("vis", ["vis_eq", "vis_bare"])
def test_wa_from_vis_carries_its_message(tmp_path, tools_folder, vis):
    tools = tools_folder(tmp_path / "pkg" / "tools", vis=vis)
    p = load_problem(write_package(tmp_path, "pkg", tools))
    bad = solution(tmp_path, "bad.py", "print('foo')\n")
    c = judge(p, bad, [0], jobs=1).cases[0]
    assert c.verdict == "WA" and "'foo' is not an integer" in c.message, (c.verdict, c.message)
    neg = solution(tmp_path, "neg.py", "print(-5)\n")
    c = judge(p, neg, [0], jobs=1).cases[0]
    assert c.verdict == "WA" and "negative" in c.message


def test_render_uses_vis_picture(tmp_path, tools_folder):
    tools = tools_folder(tmp_path / "pkg" / "tools")
    p = load_problem(write_package(tmp_path, "pkg", tools))
    svg = p.render(p.generate(0), "7\n")
    assert svg.startswith("<svg") and svg.endswith("</svg>")


@pytest.mark.parametrize("tester", ["tester_stdin", "tester_path"])
def test_interactive_through_tester(tmp_path, tools_folder, tester):
    tools = tools_folder(tmp_path / "pkg" / "tools", tester=tester)
    p = load_problem(write_package(tmp_path, "pkg", tools, interactive=True))
    r = judge(p, solution(tmp_path, "ask.py", ASK_PY.format(off=0)), [0, 1, 2], jobs=2, save_outputs=tmp_path / "saved")
    assert [c.verdict for c in r.cases] == ["AC"] * 3, [(c.verdict, c.message, c.log) for c in r.cases]
    assert [c.score for c in r.cases] == [10000] * 3
    c = r.cases[1]
    n = int(expected_input(1).split()[0])
    assert f"asked {n} times" in c.log and "Score" not in c.log  # the solution's own stderr, not tester's
    assert c.time > 0 and c.memory > 0  # measured by our monitor inside the sandbox
    assert "! " in (tmp_path / "saved" / "out" / "0001.txt").read_text()  # tester's stdout is the case output
    off = judge(p, solution(tmp_path, "off.py", ASK_PY.format(off=3)), [1], jobs=1).cases[0]
    assert off.verdict == "AC" and off.score == 10000 - 30


def test_interactive_verdicts_through_tester(tmp_path, tools_folder):
    tools = tools_folder(tmp_path / "pkg" / "tools", tester="tester_stdin")
    p = load_problem(write_package(tmp_path, "pkg", tools, interactive=True))
    wa = judge(p, solution(tmp_path, "wa.py", "input()\nprint('hello', flush=True)\n"), [0], jobs=1).cases[0]
    assert wa.verdict == "WA" and "invalid line: hello" in wa.message, (wa.verdict, wa.message)
    t0 = time.monotonic()
    lim = sandbox.Limits(time=1.0, memory_mib=512)
    tle = judge(p, solution(tmp_path, "slow.py", "import time\ninput()\ntime.sleep(30)\n"), [0], jobs=1, limits=lim).cases[0]
    assert tle.verdict == "TLE", (tle.verdict, tle.message)
    assert time.monotonic() - t0 < 15
    re_ = judge(p, solution(tmp_path, "crash.py", "import sys\nsys.stderr.write('boom')\nsys.exit(4)\n"), [0], jobs=1).cases[0]
    # tester judged first (its message leads), the crash is noted; the solution's stderr is the log
    assert re_.verdict == "WA" and "EOF" in re_.message and "exit code 4" in re_.message and "boom" in re_.log, (re_.verdict, re_.message)


def _counting_cargo(tmp_path: Path, real: str, monkeypatch) -> Path:
    """A `cargo` first on PATH that logs each call, then runs the real one."""
    bindir = tmp_path / "bin"
    bindir.mkdir()
    log = tmp_path / "cargo-calls.log"
    wrapper = bindir / "cargo"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {real} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bindir}:{os.environ['PATH']}")
    return log


def test_build_on_demand_runs_cargo_once(tmp_path, tools_folder, cargo, monkeypatch, capfd):
    log = _counting_cargo(tmp_path, cargo, monkeypatch)
    tools = tools_folder(tmp_path / "pkg" / "tools", built_bins=False)
    assert not (tools / "target").exists()
    p = load_problem(write_package(tmp_path, "pkg", tools))
    sol = solution(tmp_path, "exact.py", SUM_PY.format(factor=1.0))
    r = judge(p, sol, [0, 1, 2, 3], jobs=4)  # parallel cases wait for the one build
    assert [c.score for c in r.cases] == [10000] * 4, [c.message for c in r.cases]
    assert log.read_text().splitlines() == ["build --release"]
    assert "building the official tools" in capfd.readouterr().err
    assert (tools / "target" / "release" / "gen").is_file() and (tools / "target" / "release" / "vis").is_file()
    again = judge(load_problem(p.path), sol, [5], jobs=1)
    assert again.cases[0].verdict == "AC"
    assert log.read_text().splitlines() == ["build --release"]  # not rebuilt


def test_failed_build_is_one_clear_error(tmp_path, tools_folder, cargo, monkeypatch):
    from typer.testing import CliRunner

    from ale.cli import app

    log = _counting_cargo(tmp_path, cargo, monkeypatch)
    tools = tools_folder(tmp_path / "pkg" / "tools", built_bins=False)
    vis = tools / "src" / "vis_eq.rs"
    vis.write_text(vis.read_text().replace("println!(\"Score = {}\", score);", "println!(\"Score = {}\", scor);"))
    pkg = write_package(tmp_path, "pkg", tools)
    p = load_problem(pkg)
    with pytest.raises(ProblemError) as e:
        p.generate(0)
    msg = str(e.value)
    assert "\n" not in msg and str(tools) in msg and "cargo build --release" in msg and "scor" in msg, msg
    with pytest.raises(ProblemError, match="failed"):  # remembered: no second build in the same process
        p.score("1\n5\n", "5\n")
    assert len(log.read_text().splitlines()) == 1
    sol = solution(tmp_path, "exact.py", SUM_PY.format(factor=1.0))
    res = CliRunner().invoke(app, ["judge", str(pkg), str(sol), "--seeds", "0", "--no-record", "--db", str(tmp_path / "a.db")])
    assert res.exit_code == 3, res.output
    assert "cargo build --release` failed" in res.output and "Traceback" not in res.output


def test_missing_cargo_says_how_to_fix(tmp_path, tools_folder, monkeypatch):
    tools = tools_folder(tmp_path / "pkg" / "tools", built_bins=False)
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    monkeypatch.setenv("CARGO_HOME", str(tmp_path / "no-cargo"))
    monkeypatch.setenv("HOME", str(tmp_path))
    if os.path.exists("/usr/bin/cargo"):
        pytest.skip("a system cargo is installed in /usr/bin")
    p = load_problem(write_package(tmp_path, "pkg", tools))
    with pytest.raises(ProblemError, match="cargo was not found; install Rust"):
        p.generate(0)
