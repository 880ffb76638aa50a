"""One case: what a case runner is given (Case), what it returns (CaseResult), and the interface
(CaseRunner) that native problems (judge.run) and official tools (judge.tools) both implement."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from judge.limits import Limits
from judge.verdict import LOG_TAIL, Outcome, checker_failed


@dataclass
class CaseResult:
    seed: int
    verdict: str
    score: int = 0
    time: float = 0.0
    memory: float = 0.0  # peak resident MiB
    message: str = ""
    log: str = ""  # the solution's stderr tail (or the scorer's traceback for IE)
    relative: float | None = None  # vs the best known score for this seed, 0..1

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def of(cls, seed: int, outcome: Outcome, time: float, memory: float, log: str) -> "CaseResult":
        """The result of a decided case: the judge's own log (an IE's traceback) in place of the solution's."""
        return cls(seed, outcome.verdict, outcome.score, time, memory, outcome.message, outcome.log or log)


@dataclass
class Case:
    """One seed, ready to run in a worker's folder."""

    problem: object  # a judge.problem.Problem, or anything with its interactive/tools/score/interact
    seed: int
    input_text: str
    limits: Limits
    folder: Path  # the worker's folder for this case's files (in, out, err)
    cmd: list[str]  # the solution's command, as seen from inside the sandbox
    sandbox: dict  # sandbox.start's keywords: scratch, build, cache, cache_writable, env
    save_dir: Path | None = None  # where --save-outputs keeps in/out/err per seed
    box: object = None  # the worker's long-lived judge.box.Box, or None for a one-shot sandbox
    worker: object = None  # the judge.run.Worker running it (so that judge's `cancel` can kill its sandbox)


class CaseRunner(Protocol):
    """Runs one case in the sandbox and returns its result; never raises for what the solution or checker does."""

    def __call__(self, case: Case) -> CaseResult: ...


def tail(path: Path, n: int = LOG_TAIL) -> str:
    """The last `n` bytes of a file as text ("" if it cannot be read)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - n))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def internal_error(seed: int, where: str) -> CaseResult:
    """IE for the exception being handled, before the solution ran (a tester that did not start)."""
    return CaseResult.of(seed, checker_failed(where), 0.0, 0.0, "")


def save(folder: Path, seed: int, input_text: str, out: Path, log: str) -> None:
    """--save-outputs: the case's input, output and stderr as in/NNNN.txt, out/NNNN.txt, err/NNNN.txt."""
    folder = Path(folder)
    for sub in ("in", "out", "err"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    name = f"{seed:04d}.txt"
    (folder / "in" / name).write_text(input_text)
    (folder / "out" / name).write_bytes(out.read_bytes() if out.exists() else b"")
    (folder / "err" / name).write_text(log)
