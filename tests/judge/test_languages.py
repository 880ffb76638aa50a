"""The languages table: every accepted suffix builds and runs, Rust's verdicts, compile errors name the
user's file, an unknown suffix is a usage error before any case runs, and the build cache key."""

import json
import os
import subprocess
import sys

import pytest

from judge import judge, languages, sandbox
from judge.compile import build_key, compile_solution, compact_tracebacks
from judge.languages import UnknownLanguage

from tests.conftest import FIXTURES, ROOT, SOLS

# One sum-up program per language in the table: a language added without one fails here.
SUMUP = {
    "py": FIXTURES / "sumup/solutions/baseline.py",
    "cpp": SOLS / "good.cpp",
    "rs": SOLS / "good.rs",
}


def need(lang: languages.Language):
    why = lang.missing()
    if why:
        if lang.id == "rs" and os.environ.get("CI"):
            pytest.fail(f"CI installs rustc (.ci/run): {why}")
        pytest.skip(why)


@pytest.mark.parametrize("lang", languages.LANGUAGES, ids=lambda lang: lang.id)
def test_every_language_in_the_table_is_accepted(sumup, tmp_path, lang):
    assert lang.id in SUMUP, f"add a sum-up solution for {lang.name} to this test"
    need(lang)
    for suffix in lang.suffixes:  # each suffix the table claims reaches this language's build
        sol = tmp_path / f"sum{suffix}"
        sol.write_text(SUMUP[lang.id].read_text())
        r = judge(sumup, sol, [0, 7], jobs=1, cache_root=tmp_path / "cache")
        assert [c.verdict for c in r.cases] == ["AC", "AC"], (suffix, r.compile, [c.message for c in r.cases])


def test_suffixes_fences_and_guesses_come_from_one_table():
    from ale import edits

    assert set(languages.SUFFIXES) == {s for lang in languages.LANGUAGES for s in lang.suffixes}
    for lang in languages.LANGUAGES:
        assert languages.of_path(f"x{lang.suffix.upper()}") is lang  # case-insensitive, as before
        for tag in lang.fences:
            assert edits.guess_language("", tag) == lang.id
        assert lang.comment in ("#", "//")
    assert edits.guess_language(SOLS.joinpath("good.rs").read_text()) == "rs"
    assert edits.guess_language(SOLS.joinpath("good.cpp").read_text()) == "cpp"
    answer = edits.parse_answer("Here:\n```rust\n" + SOLS.joinpath("good.rs").read_text() + "```\n")
    assert answer.language == "rs"


def test_rust_param_lines_are_tunable():
    from ale.params import apply_params, parse_params

    src = "const ITERS: i64 = 300000; // ale: param int 1000 5000000 log\nfn main() {}\n"
    [p] = parse_params(src)
    assert (p.name, p.value, p.kind) == ("ITERS", 300000, "int")
    assert "const ITERS: i64 = 5000;" in apply_params(src, {"ITERS": 5000})


def test_unknown_suffix_is_a_usage_error_before_any_case(sumup, tmp_path, monkeypatch):
    sol = tmp_path / "solution.txt"
    sol.write_text("print(1)\n")
    ran = []
    monkeypatch.setattr(sumup.__class__, "generate", lambda self, seed: ran.append(seed) or "1\n1\n")
    with pytest.raises(UnknownLanguage) as e:
        judge(sumup, sol, [0, 7], jobs=1, cache_root=tmp_path / "cache")
    assert "solution.txt" in str(e.value) and ".rs" in str(e.value)
    assert ran == [] and not (tmp_path / "cache").exists()


def test_unknown_suffix_cli_exits_2_with_one_line(tmp_path):
    sol = tmp_path / "solution.txt"
    sol.write_text("print(1)\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-m", "ale.cli", "judge", str(FIXTURES / "sumup"), str(sol), "--json",
                        "--db", str(tmp_path / "s.db")], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""
    assert "solution.txt" in r.stderr and "Traceback" not in r.stderr
    assert len([ln for ln in r.stderr.splitlines() if ln.strip()]) == 1


def test_rust_ac_ce_re(sumup, tmp_path):
    need(languages.RUST)
    r = judge(sumup, SOLS / "good.rs", [0, 7], jobs=1, cache_root=tmp_path)
    assert [c.verdict for c in r.cases] == ["AC", "AC"]
    ce = judge(sumup, SOLS / "compile_error.rs", [0], jobs=1, cache_root=tmp_path)
    assert ce.cases[0].verdict == "CE"
    msg = ce.compile["message"]
    assert "mismatched types" in msg and "error[E0308]" in ce.cases[0].message
    assert f"{SOLS / 'compile_error.rs'}:2:" in msg  # the user's file and line, not the build folder's main.rs
    assert "main.rs" not in msg and "/build/" not in msg
    re_ = judge(sumup, SOLS / "panic.rs", [0], jobs=1, cache_root=tmp_path)
    assert re_.cases[0].verdict == "RE" and "exit code 101" in re_.cases[0].message
    assert "index out of bounds" in re_.cases[0].log


def test_compile_errors_name_the_users_file_and_line(sumup, tmp_path):
    cpp = judge(sumup, SOLS / "compile_error.cpp", [0], jobs=1, cache_root=tmp_path)
    assert f"{SOLS / 'compile_error.cpp'}:2:" in cpp.compile["message"]
    assert f"{SOLS / 'compile_error.cpp'}:2:" in cpp.cases[0].message  # the case's line is the error, not a ^~~~ line
    py = judge(sumup, SOLS / "syntax.py", [0], jobs=1, cache_root=tmp_path)
    msg = py.compile["message"]
    assert f'File "{SOLS / "syntax.py"}", line' in msg and "SyntaxError" in msg
    for noise in ("Main.py", "/tmp/sol", "/build/", "Traceback", "py_compile", "During handling"):
        assert noise not in msg, (noise, msg)


def test_numba_error_shows_the_users_frame_and_numbas_message_only(sumup, tmp_path):
    sol = tmp_path / "typing.py"
    sol.write_text("import sys\nfrom numba import njit\n\n@njit(cache=True)\ndef f(x):\n    return x + 'a'\n\nprint(f(1))\n")
    r = judge(sumup, sol, [0], jobs=1, cache_root=tmp_path / "c")
    msg = r.compile["message"]
    assert r.cases[0].verdict == "CE" and "TypingError" in msg
    assert f'File "{sol}", line 8' in msg
    for noise in ("Main.py", "/tmp/sol", "/build/", "site-packages", "During handling"):
        assert noise not in msg, (noise, msg)


def test_compact_tracebacks_keeps_output_the_programs_frames_and_the_last_error():
    log = (
        "building kernels\n"
        "Traceback (most recent call last):\n"
        '  File "/tmp/sol/Main.py", line 3, in <module>\n    f()\n'
        '  File "/usr/lib/python3/x.py", line 9, in f\n    raise KeyError(1)\nKeyError: 1\n\n'
        "During handling of the above exception, another exception occurred:\n\n"
        "Traceback (most recent call last):\n"
        '  File "/tmp/sol/Main.py", line 5, in <module>\n    g()\n'
        '  File "/site-packages/numba/core.py", line 77, in g\n    raise ValueError("boom")\n'
        "ValueError: boom\n"
    )
    out = compact_tracebacks(log, "Main.py")
    assert out.splitlines() == ["building kernels", '  File "/tmp/sol/Main.py", line 5, in <module>', "    g()",
                                "ValueError: boom"]


def test_build_key_covers_what_changes_a_build(monkeypatch):
    py, cpp = languages.PYTHON, languages.CPP
    base = build_key(py, "print(1)\n")
    assert build_key(py, "print(2)\n") != base
    assert build_key(cpp, "print(1)\n") != base
    other = "rlimits" if sandbox.mode() != "rlimits" else "bwrap"
    monkeypatch.setattr(sandbox, "mode", lambda: other)
    assert build_key(py, "print(1)\n") != base
    monkeypatch.undo()
    monkeypatch.setattr(sandbox, "BUILD", "/tmp/elsewhere")
    assert build_key(py, "print(1)\n") != base
    monkeypatch.undo()
    from judge import compile as comp

    monkeypatch.setattr(comp, "_numba_identity", lambda: "numba 9.9")
    assert build_key(py, "print(1)\n") != base
    assert build_key(cpp, "x") == build_key(cpp, "x")  # and it is stable


def test_cached_build_reports_the_current_file_name(sumup, tmp_path):
    a, b = tmp_path / "a.cpp", tmp_path / "b.cpp"
    a.write_text(SOLS.joinpath("compile_error.cpp").read_text())
    b.write_text(a.read_text())
    first = compile_solution(a, cache_root=tmp_path / "c")
    second = compile_solution(b, cache_root=tmp_path / "c")
    assert second.cached and f"{a}:2:" in first.message and f"{b}:2:" in second.message and str(a) not in second.message
    status = json.loads((second.dir.parent / "BUILD.json").read_text())
    assert str(a) not in status["message"]  # stored with the build's own names, shown with the caller's


def test_doctor_reports_rust_and_startup_costs_in_the_box():
    from typer.testing import CliRunner

    from ale.cli import app

    r = CliRunner().invoke(app, ["doctor", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    rows = {c["name"]: c for c in doc["checks"]}
    rust = languages.RUST.tool_paths()["rustc"]
    assert rows["rustc"]["ok"] == bool(rust)
    assert (rust in rows["rustc"]["found"]) if rust else "apt-get install rustc" in rows["rustc"]["fix"]
    boot = {b["name"]: b for b in doc["startup"]}
    assert list(boot) == ["python", "numpy", "numba", "AOT module"]
    assert all(b["error"] is None and b["median"] > 0 for b in boot.values()), boot
    # The AOT module imports numpy, not numba: it must start well under numba's import alone.
    assert boot["AOT module"]["median"] < boot["numba"]["median"], boot
    assert boot["python"]["median"] < boot["numpy"]["median"], boot
    quick = CliRunner().invoke(app, ["doctor", "--json", "--no-startup"])
    assert json.loads(quick.stdout)["startup"] == []


def test_python_guidance_teaches_aot_with_a_valid_example():
    import textwrap

    text = languages.PYTHON.guidance
    assert "ONLINE_JUDGE" in text and "numba.pycc" in text and "ONLINE_JUDGE" in languages.guidance()
    example = textwrap.dedent("\n".join(ln for ln in text.splitlines() if ln.startswith("      ")))
    compile(example, "example", "exec")  # the snippet models copy is valid Python
    assert 'sys.argv[-1] == "ONLINE_JUDGE"' in example and "cc.compile()" in example
