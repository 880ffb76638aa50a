"""Racing over seeds and the one definition of "better" (judge.scoring)."""

import shutil
import textwrap

import pytest

from judge import judge, load_problem, scoring
from judge.racing import RaceRule, race, stages

from tests.conftest import FIXTURES, SOLS


def _package(tmp_path, partial=True, objective="maximize"):
    """A problem whose score is the number printed (capped at n): quality is easy to dial."""
    d = tmp_path / "dial"
    (d / "solutions").mkdir(parents=True)
    (d / "problem.yaml").write_text(textwrap.dedent(f"""\
        id: dial
        title: Dial
        objective: {objective}
        time_limit: 2.0
        memory_limit: 256
        interactive: false
        partial_score: {str(partial).lower()}
        seeds:
          public: [0, 11]
          private: [100, 101]
        """))
    (d / "statement.md").write_text("Print an integer between 1 and N.\n")
    (d / "generator.py").write_text("def generate(seed):\n    return f'{1000 + 37 * seed}\\n'\n")
    (d / "scorer.py").write_text(textwrap.dedent("""\
        from judge import WrongAnswer

        def score(input_text, output_text):
            n, k = int(input_text), int(output_text.split()[0])
            if not 1 <= k <= n:
                raise WrongAnswer(f"line 1: {k} is not between 1 and {n}")
            return k
        """))
    (d / "solutions" / "baseline.py").write_text("print(int(input()))\n")
    return load_problem(d)


def _solution(tmp_path, name, body):
    p = tmp_path / name
    p.write_text(body)
    return p


# --- scoring ------------------------------------------------------------------------------------

def test_better_and_relative_follow_the_objective():
    assert scoring.better(5, 3, "maximize") and scoring.better(3, 5, "minimize")
    assert not scoring.better(5, 5, "maximize")
    assert scoring.relative(50, 100, "maximize") == 0.5
    assert scoring.relative(200, 100, "minimize") == 0.5
    assert scoring.relative(80, 100, "minimize") == 1.0
    assert scoring.relative(None, 100, "maximize") == 0.0
    assert scoring.relative(7, None, "minimize") == 1.0


def test_compare_key_ranks_accepted_then_fewer_failures_then_objective():
    full_low = {0: 10, 1: 10}
    full_high = {0: 20, 1: 20}
    one_failed = {0: 99, 1: None}
    key = lambda s, o="maximize": scoring.compare_key(s, o)  # noqa: E731
    assert sorted([one_failed, full_high, full_low], key=key, reverse=True) == [full_high, full_low, one_failed]
    assert sorted([full_high, full_low], key=lambda s: key(s, "minimize"), reverse=True) == [full_low, full_high]
    assert scoring.compare_key(one_failed, "maximize", partial_score=False)[2] == float("-inf")
    # Over the common seeds only: a candidate raced out after seed 0 compares on seed 0.
    assert scoring.compare_key({0: 5, 1: 50}, "maximize", seeds=[0]) < scoring.compare_key({0: 6}, "maximize", seeds=[0])


def test_worse_p_value_is_small_only_for_a_consistently_worse_child():
    ref = {s: 1000 + s for s in range(6)}
    worse = {s: 500 + s for s in range(6)}
    mixed = {s: (1100 if s % 2 else 900) for s in range(6)}
    assert scoring.worse_p_value(worse, ref, "maximize") < 0.05
    assert scoring.worse_p_value(mixed, ref, "maximize") > 0.2
    assert scoring.worse_p_value(ref, worse, "maximize") > 0.9
    # Minimize: lower is better, so the same numbers flip.
    assert scoring.worse_p_value(ref, worse, "minimize") < 0.05
    # A failed seed is the worst possible pair.
    assert scoring.paired_gains({0: None}, {0: 5}, "maximize") == [-1.0]


def test_chance_to_finish_ahead_extrapolates_the_trend_so_far():
    ref = {s: 1000 for s in range(20)}
    behind = {s: (990 if s % 2 else 1005) for s in range(5)}  # a little behind on average, noisy
    ahead = {s: (1010 if s % 2 else 995) for s in range(5)}
    p_behind = scoring.chance_to_finish_ahead(behind, ref, "maximize", 20)
    p_ahead = scoring.chance_to_finish_ahead(ahead, ref, "maximize", 20)
    assert 0.0 < p_behind < 0.5 < p_ahead < 1.0
    # The fewer seeds are left, the surer the same trend is: 19 of 20 run, one to go.
    late = {s: (990 if s % 2 else 1005) for s in range(19)}
    assert scoring.chance_to_finish_ahead(late, ref, "maximize", 20) < p_behind
    # The gains follow the objective: the same numbers flip on a minimize problem.
    assert scoring.chance_to_finish_ahead(behind, ref, "minimize", 20) > 0.5
    # Identical so far: nothing to extrapolate, and a tie never finishes ahead.
    assert scoring.chance_to_finish_ahead({s: 1000 for s in range(5)}, ref, "maximize", 20) == 0.0
    assert scoring.chance_to_finish_ahead({0: 900}, ref, "maximize", 20) == 1.0  # one seed: too little to say


def test_estimate_mean_adds_the_paired_difference_to_the_reference_mean():
    ref = {0: 10.0, 1: 200.0, 2: 30.0, 3: 4000.0}  # seeds of very different scale
    child = {0: 12.0, 1: 201.0}  # raced out after two seeds, ahead by 2 and 1
    assert scoring.estimate_mean(child, ref) == pytest.approx(sum(ref.values()) / 4 + 1.5)
    # its own two-seed mean (106.5) says nothing about the other seeds; the estimate does
    assert scoring.estimate_mean({0: 8.0, 1: 199.0, 2: 30.0, 3: 4000.0}, ref) == pytest.approx(1060.0 - 0.75)
    assert scoring.estimate_mean({0: None, 1: 201.0}, ref) is None  # a failed seed has no difference
    assert scoring.estimate_mean({0: 12.0}, {**ref, 3: None}) is None  # the reference's mean is unknown
    assert scoring.estimate_mean({7: 1.0}, ref) is None  # nothing in common


def test_stages_double_until_every_seed():
    assert stages(list(range(12)), 5) == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]]
    assert stages([1, 2], 5) == [[1, 2]]


# --- racing through the judge ---------------------------------------------------------------------

def test_a_clearly_worse_child_stops_after_the_first_stage(tmp_path):
    problem = _package(tmp_path)
    parent = judge(problem, problem.path / "solutions" / "baseline.py", problem.seeds("public"), jobs=2)
    assert parent.accepted and len(parent.cases) == 12
    child = _solution(tmp_path, "half.py", "print(int(input()) // 2)\n")
    r = race(problem, child, problem.seeds("public"), {"parent": parent.scores()}, RaceRule(first=5), jobs=2)
    assert [c.seed for c in r.cases] == [0, 1, 2, 3, 4]  # what was stored: only the seeds that ran
    assert r.skipped == list(range(5, 12))
    assert "worse than its parent" in r.stopped
    assert r.to_dict()["cases_run"] == 5 and r.to_dict()["cases_skipped"] == 7
    # Without racing the same child runs every seed: racing is what saved the judge time.
    full = race(problem, child, problem.seeds("public"), {"parent": parent.scores()}, RaceRule(enabled=False), jobs=2)
    assert len(full.cases) == 12 and not full.stopped


def test_after_the_first_stage_every_case_is_a_test(tmp_path):
    """Better on seed 0, clearly worse after: five seeds cannot show it (p=0.0625), the sixth can,
    and the child stops there rather than at the end of a stage (irace tests after each instance)."""
    problem = _package(tmp_path)
    parent = judge(problem, _solution(tmp_path, "near.py", "print(int(input()) - 10)\n"), problem.seeds("public"), jobs=1)
    child = _solution(tmp_path, "lucky.py", "n = int(input())\nprint(n if n == 1000 else n // 2)\n")
    wilcoxon_only = RaceRule(first=5, futility=0)
    r = race(problem, child, problem.seeds("public"), {"parent": parent.scores()}, wilcoxon_only, jobs=1)
    assert [c.seed for c in r.cases] == [0, 1, 2, 3, 4, 5]
    assert r.skipped == list(range(6, 12))
    assert "p=0.031 on 6 seeds" in r.stopped
    # Its trend already shows after five seeds that it cannot finish ahead: futility stops it there.
    r = race(problem, child, problem.seeds("public"), {"parent": parent.scores()}, RaceRule(first=5), jobs=1)
    assert [c.seed for c in r.cases] == [0, 1, 2, 3, 4]
    assert r.stopped.startswith("futile: chance to finish ahead of its parent ") and "after 5 of 12 seeds" in r.stopped


def test_an_equal_child_is_not_worse_but_is_futile(tmp_path):
    problem = _package(tmp_path)
    parent = judge(problem, problem.path / "solutions" / "baseline.py", problem.seeds("public"), jobs=2)
    same = _solution(tmp_path, "same.py", "n = int(input())\nprint(n)\n")
    refs = {"parent": parent.scores(), "best": parent.scores()}
    r = race(problem, same, problem.seeds("public"), refs, RaceRule(futility=0), jobs=2)
    assert len(r.cases) == 12 and not r.skipped and not r.stopped  # the Wilcoxon test alone never stops a tie
    r = race(problem, same, problem.seeds("public"), refs, jobs=2)  # by default: a tie cannot finish ahead
    assert len(r.cases) == 5 and r.skipped == list(range(5, 12))
    assert r.stopped == "futile: chance to finish ahead of its parent 0.0%, best 0.0% after 5 of 12 seeds"


def test_a_child_ahead_on_some_seeds_and_behind_on_others_runs_every_seed(tmp_path):
    """Futility needs the trend to point down: a child well ahead on half the seeds and a little
    behind on the rest is neither worse nor futile, and is judged on every seed."""
    problem = _package(tmp_path)
    parent = judge(problem, _solution(tmp_path, "minus30.py", "print(int(input()) - 30)\n"), problem.seeds("public"), jobs=2)
    child = _solution(tmp_path, "zigzag.py", "n = int(input())\nprint(n if n % 2 == 0 else n - 40)\n")
    r = race(problem, child, problem.seeds("public"), {"parent": parent.scores()}, jobs=2)
    assert len(r.cases) == 12 and not r.skipped and not r.stopped


def test_a_tle_without_partial_scores_stops_after_one_case(tmp_path):
    d = tmp_path / "sumup"
    shutil.copytree(FIXTURES / "sumup", d)
    y = d / "problem.yaml"
    y.write_text(y.read_text().replace("partial_score: true", "partial_score: false"))
    problem = load_problem(d)
    r = race(problem, SOLS / "loop.py", problem.seeds("public"), {}, jobs=1)
    assert len(r.cases) == 1 and r.cases[0].verdict == "TLE"
    assert r.skipped == problem.seeds("public")[1:]
    assert "TLE on seed" in r.stopped
    assert r.cpu_seconds == pytest.approx(r.cases[0].time)


# --- cancel: an interrupted caller does not wait for the seeds ------------------------------------

def _cancel_after(cancel, seconds):
    import threading

    t = threading.Timer(seconds, cancel.set)
    t.start()
    return t


def test_cancel_kills_running_cases_and_skips_the_rest(tmp_path):
    import time

    from judge import sandbox
    from judge.runner import Cancel

    problem = _package(tmp_path)
    slow = _solution(tmp_path, "slow.py", "import time\ntime.sleep(20)\nprint(int(input()))\n")
    seeds = list(range(6))
    cancel = Cancel()
    _cancel_after(cancel, 1.5)
    t0 = time.monotonic()
    r = judge(problem, slow, seeds, jobs=2, limits=sandbox.Limits(time=30, memory_mib=256), cancel=cancel)
    took = time.monotonic() - t0
    assert len(r.skipped) >= 4 and len(r.cases) <= 2, (r.skipped, r.cases)
    assert took < 12, took  # the running cases were killed, not waited for (20 s each), in every sandbox mode
    assert all(c.verdict != "AC" for c in r.cases), r.cases


def test_a_cancelled_race_starts_no_further_stage(tmp_path):
    from judge.runner import Cancel

    problem = _package(tmp_path)
    seeds = list(range(12))
    cancel = Cancel()
    calls = []

    def progress(case):
        calls.append(case.seed)
        cancel.set()  # the caller gives up as the first case finishes

    r = race(problem, tmp_path / "dial" / "solutions" / "baseline.py", seeds, {}, RaceRule(first=2), jobs=1,
             cancel=cancel, progress=progress)
    assert len(calls) == 1 and [c.seed for c in r.cases] == [0], (calls, r.cases)
    assert r.skipped == [1], r.skipped  # the first stage's rest; later stages were never started


def test_cancel_set_before_a_hook_is_registered_calls_it_at_once():
    from judge.runner import Cancel

    c, seen = Cancel(), []
    forget = c.on_set(lambda: seen.append("early"))
    forget()
    c.set()
    assert seen == []  # forgotten hooks are not called
    c.on_set(lambda: seen.append("late"))
    assert c.is_set() and seen == ["late"]
