"""judge.verdict.decide: the one order in which a case's verdict is decided, for every runner."""

import signal

import pytest

from judge import run, tools
from judge.limits import Limits
from judge.sandbox import Measured
from judge.verdict import VERDICTS, Outcome, checker_failed, crash_message, decide, limit_verdict

LIM = Limits(time=2.0, memory_mib=256, output_bytes=1 << 20, max_procs=8)


def measured(wall=0.5, cpu=0.4, peak=10.0, exit=0, sig=None, killed=None) -> Measured:
    return Measured(wall=wall, cpu=cpu, peak_mib=peak, exit=exit, signal=sig, killed=killed)


AC = Outcome("AC", 123)
WA = Outcome("WA", message="line 3: wrong")


def never() -> Outcome:
    raise AssertionError("the scorer ran on a run that already has its verdict")


def verdict(m, checked=AC, output_size=0, ended_by_judge=False, crash="default"):
    crash = crash_message(m) if crash == "default" else crash
    return decide(m, LIM, checked=checked, crash=crash, output_size=output_size, ended_by_judge=ended_by_judge)


@pytest.mark.parametrize("m, size, want", [
    (measured(killed="memory", peak=100), 0, "MLE"),
    (measured(peak=300), 0, "MLE"),
    (measured(killed="time", wall=2.25, sig=9, exit=None), 0, "TLE"),
    (measured(wall=2.1), 0, "TLE"),
    (measured(cpu=2.5), 0, "TLE"),  # time is max(CPU, wall)
    (measured(sig=signal.SIGXCPU, exit=None), 0, "TLE"),
    (measured(sig=signal.SIGXFSZ, exit=None), 0, "OLE"),
    (measured(), 1 << 20, "OLE"),
    (measured(killed="processes", sig=9, exit=None), 0, "RE"),
    (measured(exit=3), 0, "RE"),
    (measured(sig=signal.SIGSEGV, exit=None), 0, "RE"),
    (measured(killed="sandbox", sig=9, exit=None), 0, "RE"),
    (measured(), 0, "AC"),
])
def test_each_verdict_from_the_measurements(m, size, want):
    assert verdict(m, output_size=size).verdict == want


def test_messages_say_what_was_exceeded():
    assert verdict(measured(peak=300)).message == "peak memory 300 MiB > 256 MiB"
    assert verdict(measured(wall=2.5)).message == "time 2.50 s > 2 s"
    assert verdict(measured(), output_size=2 << 20).message == "output exceeds 1 MiB"
    assert verdict(measured(killed="processes")).message == "more than 8 processes"
    assert verdict(measured(exit=3)).message == "exit code 3"
    assert verdict(measured(sig=signal.SIGSEGV, exit=None)).message == "killed by signal SIGSEGV"


def test_limits_go_in_atcoders_order_mle_tle_ole_then_processes():
    everything = measured(killed="memory", peak=300, wall=3.0, sig=signal.SIGXFSZ)
    assert verdict(everything, output_size=2 << 20).verdict == "MLE"
    assert verdict(measured(wall=3.0, sig=signal.SIGXFSZ), output_size=2 << 20).verdict == "TLE"
    assert verdict(measured(killed="processes", sig=signal.SIGXFSZ)).verdict == "OLE"


def test_a_run_killed_at_the_time_limit_is_tle_not_re():
    # killed by SIGKILL at the wall deadline: a crash by its exit status, but the limit comes first
    m = measured(wall=2.25, cpu=2.2, sig=9, exit=None, killed="time")
    assert crash_message(m) == "killed by signal SIGKILL"
    assert verdict(m).verdict == "TLE"


def test_a_crash_is_re_before_the_scorer_runs():
    assert verdict(measured(exit=1), checked=never).verdict == "RE"
    assert verdict(measured(killed="time", wall=2.3), checked=never).verdict == "TLE"


def test_a_batch_scorer_runs_once_on_a_clean_run_and_its_verdict_stands():
    calls = []
    assert verdict(measured(), checked=lambda: calls.append(1) or WA) == WA
    assert calls == [1]
    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError:
        ie = checker_failed("scorer")
    assert verdict(measured(), checked=lambda: ie).verdict == "IE"


def test_an_interactor_that_failed_or_stopped_a_flood_beats_a_crash():
    try:
        raise KeyError("x")
    except KeyError:
        ie = checker_failed("interactor")
    assert ie.message == "interactor failed: KeyError: 'x'" and "Traceback" in ie.log
    assert verdict(measured(exit=1), checked=ie) is ie
    ole = Outcome("OLE", message="output exceeds 1 MiB")
    assert verdict(measured(exit=1), checked=ole, output_size=LIM.output_bytes).verdict == "OLE"
    # ... but not a limit: the measurements come first
    assert verdict(measured(peak=300, exit=1), checked=ie).verdict == "MLE"


def test_a_crash_that_counts_beats_wa_and_ac():
    assert verdict(measured(exit=1), checked=WA).verdict == "RE"
    assert verdict(measured(exit=1), checked=AC).verdict == "RE"
    # the caller decides a crash does not count (the judge hung up after WA; SIGPIPE; a tester's WA)
    assert verdict(measured(exit=1), checked=WA, crash=None) == WA


def test_ended_by_the_judge_its_figures_do_not_decide():
    # the judge (or tester) killed the sandbox after the verdict: the monitor's figures are its own kill
    m = measured(wall=10.0, sig=9, exit=None, killed="sandbox")
    assert verdict(m, checked=WA, ended_by_judge=True, crash=None) == WA
    assert verdict(m, checked=WA, crash=None).verdict == "TLE"


def test_ac_keeps_the_score():
    assert verdict(measured()) == Outcome("AC", 123)


def test_an_unknown_verdict_is_refused():
    with pytest.raises(ValueError, match="unknown verdict 'XX'"):
        Outcome("XX")
    assert set(VERDICTS) == {"AC", "WA", "TLE", "MLE", "RE", "OLE", "CE", "IE"}


def test_limit_verdict_is_none_within_every_limit():
    assert limit_verdict(measured(wall=2.0, cpu=2.0, peak=256), LIM, (1 << 20) - 1) is None


class _P:
    def __init__(self, interactive, tools=None):
        self.interactive, self.tools = interactive, tools


def test_each_problem_gets_its_case_runner():
    assert run.runner_for(_P(False)) is run.batch
    assert run.runner_for(_P(False, tools="tools")) is run.batch  # batch tools score through problem.score
    assert run.runner_for(_P(True)) is run.interactive
    assert run.runner_for(_P(True, tools="tools")) is tools.run_with_tester
