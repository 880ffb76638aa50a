"""Interactive problems: pipes, timeouts, early exits and floods never hang the judge."""

import time

from judge import judge, sandbox

from tests.conftest import FIXTURES


def test_interactive_ac(echo_game):
    r = judge(echo_game, FIXTURES / "echo-game/solutions/baseline.py", [0, 1, 2], jobs=2)
    assert [c.verdict for c in r.cases] == ["AC"] * 3
    assert [c.score for c in r.cases] == [13, 14, 15]


def test_interactive_wrong_answer(echo_game, tmp_path):
    sol = tmp_path / "bad.py"
    sol.write_text("import sys\nk=int(input())\nfor _ in range(k):\n    x=int(input()); print(x*3, flush=True)\n")
    c = judge(echo_game, sol, [1], jobs=1).cases[0]
    assert c.verdict == "WA" and "query 1" in c.message


def test_silent_solution_is_tle_not_hang(echo_game, tmp_path):
    sol = tmp_path / "silent.py"
    sol.write_text("import time, sys\nsys.stdin.readline()\ntime.sleep(60)\n")
    t0 = time.monotonic()
    c = judge(echo_game, sol, [0], jobs=1).cases[0]
    assert c.verdict == "TLE", (c.verdict, c.message)
    assert time.monotonic() - t0 < 15


def test_early_exit_is_wa(echo_game, tmp_path):
    sol = tmp_path / "quit.py"
    sol.write_text("print('bye')\n")
    c = judge(echo_game, sol, [0], jobs=1).cases[0]
    assert c.verdict == "WA", (c.verdict, c.message)


def test_flood_is_ole(echo_game, tmp_path):
    sol = tmp_path / "flood.py"
    sol.write_text("import sys\nwhile True:\n    sys.stdout.write('1' * 100000)\n")
    lim = sandbox.Limits(time=5.0, memory_mib=256, output_bytes=2 << 20)
    t0 = time.monotonic()
    c = judge(echo_game, sol, [0], jobs=1, limits=lim).cases[0]
    assert c.verdict == "OLE", (c.verdict, c.message)
    assert time.monotonic() - t0 < 15


def test_crash_mid_dialogue_is_re(echo_game, tmp_path):
    sol = tmp_path / "crash.py"
    sol.write_text("import sys\nsys.stdin.readline()\nraise SystemExit(3)\n")
    c = judge(echo_game, sol, [0], jobs=1).cases[0]
    assert c.verdict in ("RE", "WA"), c.verdict
    assert c.verdict == "RE" and "exit code 3" in c.message
