"""Every margin around the time limit is a named constant in judge/limits.py, and the sandbox reads it."""

import ast
import json
from pathlib import Path

import judge
from judge import limits, sandbox

PACKAGE = Path(judge.__file__).parent


def _mentions_time_limit(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Attribute) and n.attr == "time" and isinstance(n.value, ast.Name)
               and n.value.id in ("limits", "lim", "limit") for n in ast.walk(node))


def _is_number(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool)


def test_no_module_but_limits_adds_a_bare_number_to_the_time_limit():
    found = []
    for p in sorted(PACKAGE.glob("*.py")):
        if p.name == "limits.py":
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.BinOp) and (
                (_mentions_time_limit(node.left) and _is_number(node.right))
                or (_mentions_time_limit(node.right) and _is_number(node.left))
            ):
                found.append(f"{p.name}:{node.lineno}: {ast.unparse(node)}")
    assert found == []


def test_the_guard_catches_the_margins_it_replaced():
    for old in ("limits.time + 10", "int(limits.time) + 2", "(limits.time + 0.25) * 1000", "time.monotonic() + limits.time + 1.0"):
        tree = ast.parse(old)
        assert any(isinstance(n, ast.BinOp) and ((_mentions_time_limit(n.left) and _is_number(n.right))
                                                 or (_mentions_time_limit(n.right) and _is_number(n.left)))
                   for n in ast.walk(tree)), old


def test_the_monitor_is_told_the_named_margins(monkeypatch):
    lim = limits.Limits(time=2.0, memory_mib=256)
    monkeypatch.setattr(sandbox, "c_monitor", lambda: None)  # the Python monitor: its arguments are JSON
    args = json.loads(sandbox.monitor_argv(5, lim, "/tmp/box", ["true"], {}, in_box=False)[-1])
    assert args["wall_limit"] == 2.0 + limits.WALL_KILL_SLACK
    assert args["cpu_limit"] == 2 + limits.CPU_RLIMIT_SLACK
    monkeypatch.setattr(limits, "WALL_KILL_SLACK", 0.5)
    monkeypatch.setattr(limits, "CPU_RLIMIT_SLACK", 3)
    args = json.loads(sandbox.monitor_argv(5, lim, "/tmp/box", ["true"], {}, in_box=False)[-1])
    assert (args["wall_limit"], args["cpu_limit"]) == (2.5, 5)


def test_the_c_monitor_gets_the_same_deadlines(monkeypatch, tmp_path):
    monkeypatch.setattr(sandbox, "c_monitor", lambda: tmp_path / "monitor")
    argv = sandbox.monitor_argv(5, limits.Limits(time=1.5, memory_mib=64), "/tmp/box", ["true"], {}, in_box=False)
    cpu, wall_ms = argv[2], argv[3]
    assert (cpu, wall_ms) == (str(1 + limits.CPU_RLIMIT_SLACK), str(int((1.5 + limits.WALL_KILL_SLACK) * 1000)))


def test_deadlines_keep_their_order():
    """The monitor's wall kill comes first, then the judge's own backstop; the interactor's wait is
    past the wall kill, so a slow solution is measured (TLE) before the interactor gives up (WA)."""
    lim = limits.Limits(time=2.0, memory_mib=256)
    assert lim.time < limits.wall_kill(lim) < lim.time + limits.INTERACTIVE_SLACK < limits.finish_timeout(lim)
    assert limits.cpu_rlimit(lim) >= limits.wall_kill(lim)
