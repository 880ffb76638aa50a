"""The one place a case's verdict is decided, from what was measured and what the checker said.

Every way of running a case (batch, a Python interactor, an official `tester`) measures the run
and asks a checker (scorer, interactor, tester); `decide` turns both into the verdict, in one order
of precedence, so the paths cannot drift apart.
"""

from __future__ import annotations

import signal
import traceback
from dataclasses import dataclass
from typing import Callable

from judge.limits import Limits
from judge.sandbox import Measured

VERDICTS = ("AC", "WA", "TLE", "MLE", "RE", "OLE", "CE", "IE")
LOG_TAIL = 8000  # characters of a log (stderr, a traceback) kept with a case


@dataclass(frozen=True)
class Outcome:
    """A verdict with its score and message; `log` is the judge's own (a checker's traceback), if any."""

    verdict: str
    score: int = 0
    message: str = ""
    log: str = ""

    def __post_init__(self):
        if self.verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {self.verdict!r}; one of {', '.join(VERDICTS)}")


def checker_failed(where: str) -> Outcome:
    """IE for the exception being handled: the judge's side (scorer, interactor, tester) failed."""
    tb = traceback.format_exc()
    return Outcome("IE", message=f"{where} failed: {tb.strip().splitlines()[-1]}", log=tb[-LOG_TAIL:])


def output_limit(limits: Limits) -> str:
    return f"output exceeds {limits.output_bytes >> 20} MiB"


def limit_verdict(m: Measured, limits: Limits, output_size: int) -> Outcome | None:
    """Verdicts decided by the measurements alone, in AtCoder's order: MLE, TLE, OLE, then too many processes (RE)."""
    if m.killed == "memory" or m.peak_mib > limits.memory_mib:
        return Outcome("MLE", message=f"peak memory {m.peak_mib:.0f} MiB > {limits.memory_mib} MiB")
    if m.killed == "time" or m.time > limits.time or m.signal == signal.SIGXCPU:
        return Outcome("TLE", message=f"time {m.time:.2f} s > {limits.time:g} s")
    if m.signal == signal.SIGXFSZ or output_size >= limits.output_bytes:
        return Outcome("OLE", message=output_limit(limits))
    if m.killed == "processes":
        return Outcome("RE", message=f"more than {limits.max_procs} processes")
    return None


def crash_message(m: Measured) -> str | None:
    """Why the run ended badly on its own (a signal, a non-zero exit, a dead monitor), or None."""
    if m.killed == "sandbox":
        return "the sandbox ended abnormally (the monitor was killed)"
    if m.signal:
        try:
            name = signal.Signals(m.signal).name
        except ValueError:
            name = str(m.signal)
        return f"killed by signal {name}"
    if m.exit:
        return f"exit code {m.exit}"
    return None


def decide(m: Measured, limits: Limits, *, checked: Outcome | Callable[[], Outcome], crash: str | None,
           output_size: int = 0, ended_by_judge: bool = False) -> Outcome:
    """The verdict of one case. In order:

    1. a limit, from the measurements (`limit_verdict`); skipped when `ended_by_judge`: the judge or
       tester ended the sandbox itself after judging, so its figures say nothing about the solution;
    2. a checker that already ran (an interactor, given as an Outcome) and failed (IE) or stopped
       an output flood (OLE);
    3. a crash (RE), where the caller decided one counts (`crash`, from `crash_message`, or None);
    4. the checker's WA or AC. A checker given as a function (a batch scorer) runs only now, on a
       run that ended cleanly, and what it returns (AC, WA or IE) is the verdict.
    """
    if not ended_by_judge:
        over = limit_verdict(m, limits, output_size)
        if over is not None:
            return over
    if not callable(checked) and checked.verdict in ("IE", "OLE"):
        return checked
    if crash:
        return Outcome("RE", message=crash)
    return checked() if callable(checked) else checked
