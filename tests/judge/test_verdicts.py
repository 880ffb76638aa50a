"""Every verdict, produced by a real solution file run through the judge API."""

from judge import judge, load_problem

from tests.conftest import FIXTURES, SOLS


def one(problem, solution, seeds=(0,)):
    r = judge(problem, solution, list(seeds), jobs=1)
    return r, r.cases[0]


def test_ac_python(sumup):
    r, c = one(sumup, FIXTURES / "sumup/solutions/baseline.py", seeds=range(3))
    assert [x.verdict for x in r.cases] == ["AC"] * 3
    assert r.accepted and r.failed == 0
    assert c.score == sum(map(int, sumup.generate(0).split()[1:])) + 1
    assert r.total == sum(x.score for x in r.cases)
    assert c.time > 0 and c.memory > 1


def test_ac_cpp(sumup):
    _, c = one(sumup, SOLS / "good.cpp")
    assert c.verdict == "AC", c.message


def test_wrong_answer_carries_scorer_message(sumup):
    _, c = one(sumup, SOLS / "wrong.py")
    assert c.verdict == "WA"
    assert "line 1: expected" in c.message and c.score == 0


def test_infinite_loop_is_tle(sumup):
    _, c = one(sumup, SOLS / "loop.py")
    assert c.verdict == "TLE"
    assert c.time >= sumup.time_limit


def test_4gib_allocation_is_mle(sumup):
    from judge import sandbox

    # A generous time limit so the verdict can only come from memory.
    r = judge(sumup, SOLS / "alloc4g.py", [0], jobs=1, limits=sandbox.Limits(time=20.0, memory_mib=256))
    c = r.cases[0]
    assert c.verdict == "MLE", (c.verdict, c.message, c.log[-300:])
    assert c.memory > sumup.memory_limit


def test_segfault_is_re(sumup):
    _, c = one(sumup, SOLS / "segfault.py")
    assert c.verdict == "RE"
    assert "SIGSEGV" in c.message


def test_cpp_segfault_is_re(sumup):
    _, c = one(sumup, SOLS / "segfault.cpp")
    assert c.verdict == "RE" and "SIGSEGV" in c.message


def test_endless_output_is_ole(sumup):
    from judge import sandbox

    r = judge(sumup, SOLS / "flood.py", [0], jobs=1, limits=sandbox.Limits(time=5.0, memory_mib=256, output_bytes=4 << 20))
    c = r.cases[0]
    assert c.verdict == "OLE", (c.verdict, c.message)


def test_python_syntax_error_is_ce(sumup):
    r, c = one(sumup, SOLS / "syntax.py", seeds=(0, 1))
    assert [x.verdict for x in r.cases] == ["CE", "CE"]
    assert not r.compile["ok"]
    assert "SyntaxError" in r.compile["message"]


def test_cpp_compile_error_is_ce_with_compiler_message(sumup):
    r, c = one(sumup, SOLS / "compile_error.cpp")
    assert c.verdict == "CE"
    assert "undefined_function" in r.compile["message"]


def test_scorer_exception_is_ie_with_traceback():
    p = load_problem(FIXTURES / "bad-scorer")
    r = judge(p, FIXTURES / "bad-scorer/solutions/baseline.py", [0, 1], jobs=2)
    assert [c.verdict for c in r.cases] == ["IE", "IE"]
    assert "KeyError" in r.cases[0].message
    assert "Traceback" in r.cases[0].log and "scorer.py" in r.cases[0].log


def test_partial_score_false_voids_total(sumup, tmp_path):
    import dataclasses

    strict = dataclasses.replace(sumup, partial_score=False)
    sol = tmp_path / "half.py"
    sol.write_text(
        "import sys\nn,*a=map(int,sys.stdin.read().split())\nprint(sum(a) if n%2 else -1)\n"
    )
    r = judge(strict, sol, list(range(4)), jobs=2)
    assert {c.verdict for c in r.cases} == {"AC", "WA"}
    assert r.total == 0 and r.mean == 0 and not r.accepted
    ok = judge(strict, FIXTURES / "sumup/solutions/baseline.py", list(range(4)), jobs=2)
    assert ok.rank_key() > r.rank_key()


def test_failing_never_outranks_accepted_even_when_minimizing(sumup, tmp_path):
    import dataclasses

    mini = dataclasses.replace(sumup, objective="minimize")
    bad = tmp_path / "bad.py"
    bad.write_text("print(-1)\n")
    good = judge(mini, FIXTURES / "sumup/solutions/baseline.py", [0, 1], jobs=1)
    worse = judge(mini, bad, [0, 1], jobs=1)
    assert good.rank_key() > worse.rank_key()


def test_results_identical_whatever_jobs(sumup):
    a = judge(sumup, FIXTURES / "sumup/solutions/baseline.py", list(range(8)), jobs=1)
    b = judge(sumup, FIXTURES / "sumup/solutions/baseline.py", list(range(8)), jobs=2)
    assert [(c.seed, c.verdict, c.score) for c in a.cases] == [(c.seed, c.verdict, c.score) for c in b.cases]
    assert [c.seed for c in b.cases] == list(range(8))


def test_relative_scores_against_best(sumup):
    r = judge(sumup, FIXTURES / "sumup/solutions/baseline.py", [0, 1], jobs=1)
    s0, s1 = r.cases[0].score, r.cases[1].score
    r.apply_best({0: s0 * 2, 1: s1 - 1})
    assert abs(r.cases[0].relative - 0.5) < 1e-9
    assert r.cases[1].relative == 1.0
    assert r.n_best == 1
    assert abs(r.relative_mean - 0.75) < 1e-9
