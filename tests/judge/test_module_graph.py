"""The judge's modules import each other in one direction only: no cycle, even through imports
inside functions (a cycle there once tied judge.run and judge.tools to each other's privates)."""

import ast
from pathlib import Path

import judge

PACKAGE = Path(judge.__file__).parent


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The judge submodules a file imports, at top level or inside functions."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[0] == "judge" and len(parts) > 1:
                    found.add(parts[1])
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] != "judge":
                continue
            if len(parts) > 1:
                found.add(parts[1])
            else:  # from judge import sandbox, languages
                found |= {a.name for a in node.names if a.name in modules}
    return found


def graph() -> dict[str, set[str]]:
    files = {p.stem: p for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    return {name: imports_of(path, set(files)) - {name} for name, path in files.items()}


def find_cycle(g: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as [a, b, ..., a], or None."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        path.append(n)
        for m in sorted(g.get(n, ())):
            if state.get(m) == 1:
                return path[path.index(m):] + [m]
            if m not in state:
                found = visit(m)
                if found:
                    return found
        path.pop()
        state[n] = 2
        return None

    for n in sorted(g):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def test_the_judge_modules_have_no_import_cycle():
    assert find_cycle(graph()) is None, " -> ".join(find_cycle(graph()))


def test_run_and_tools_share_only_the_case_interface():
    g = graph()
    assert "run" not in g["tools"]
    assert {"case", "verdict"} <= g["tools"] and {"case", "verdict"} <= g["run"]


def test_the_cycle_finder_finds_a_cycle_through_a_local_import(tmp_path):
    (tmp_path / "a.py").write_text("from judge import b\n")
    (tmp_path / "b.py").write_text("def f():\n    from judge.a import x\n")
    g = {p.stem: imports_of(p, {"a", "b"}) for p in tmp_path.glob("*.py")}
    assert find_cycle(g) == ["a", "b", "a"]


def test_the_judge_does_not_import_ale():
    for p in PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            assert not any(n == "ale" or n.startswith("ale.") for n in names), p.name


def test_no_exported_name_hides_a_submodule():
    """`from judge import judge` is the function; no judge/<name>.py may share a name __init__ exports
    (judge/judge.py once did, so `import judge.judge` gave the function, not the module)."""
    assert [n for n in judge.__all__ if (PACKAGE / f"{n}.py").exists()] == []
    from judge import judge as fn
    from judge.runner import judge as defined

    assert callable(fn) and fn is defined
