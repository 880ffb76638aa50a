"""Judge one solution on many seeds in parallel and summarise the result."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from judge import languages, sandbox, scoring
from judge.compile import Build, compile_solution
from judge.errors import ProblemError
from judge.problem import Problem
from judge.run import CaseResult, Worker, run_case


@dataclass
class Report:
    problem: str
    solution: str
    objective: str
    partial_score: bool
    cases: list[CaseResult]
    compile: dict = field(default_factory=dict)
    sandbox: str = ""
    cluster: dict = field(default_factory=dict)  # with --cluster: address, nodes used, retries
    skipped: list[int] = field(default_factory=list)  # seeds not run: the judge was told to stop early
    stopped: str = ""  # why it stopped early (racing), or ""

    @property
    def accepted(self) -> bool:
        """Every case AC."""
        return bool(self.cases) and all(c.verdict == "AC" for c in self.cases)

    @property
    def failed(self) -> int:
        return sum(c.verdict != "AC" for c in self.cases)

    @property
    def total(self) -> int:
        """Sum of case scores; zero for a non-AC case, and for everything when partial_score is false."""
        if not self.partial_score and not self.accepted:
            return 0
        return sum(c.score for c in self.cases if c.verdict == "AC")

    @property
    def mean(self) -> float:
        return self.total / len(self.cases) if self.cases else 0.0

    @property
    def max_time(self) -> float:
        return max((c.time for c in self.cases), default=0.0)

    @property
    def cpu_seconds(self) -> float:
        """What judging cost: the measured time of every case that ran (max of CPU and wall each)."""
        return sum(c.time for c in self.cases)

    def scores(self) -> dict[int, int | None]:
        """Per seed: the score when accepted, else None (the shape judge.scoring compares)."""
        return {c.seed: (c.score if c.verdict == "AC" else None) for c in self.cases}

    @property
    def relative_mean(self) -> float | None:
        rel = [c.relative for c in self.cases if c.relative is not None]
        return sum(rel) / len(rel) if rel else None

    @property
    def n_best(self) -> int:
        return sum(1 for c in self.cases if c.relative is not None and c.relative >= 1.0 and c.verdict == "AC")

    def rank_key(self) -> tuple:
        """Sorts better submissions higher: all-AC first, then more ACs, then the objective."""
        return scoring.compare_key(self.scores(), self.objective, self.partial_score)

    def apply_best(self, best: dict[int, int]) -> None:
        """Fill per-case relative scores against the best known score for each seed."""
        for c in self.cases:
            if c.verdict != "AC" or (not self.partial_score and not self.accepted):
                c.relative = 0.0
                continue
            c.relative = scoring.relative(c.score, best.get(c.seed), self.objective)

    def best_scores(self) -> dict[int, int]:
        """The AC scores of this report, for updating the best-known table."""
        if not self.partial_score and not self.accepted:
            return {}
        return {c.seed: c.score for c in self.cases if c.verdict == "AC"}

    def to_dict(self) -> dict:
        return {
            "problem": self.problem,
            "solution": self.solution,
            "objective": self.objective,
            "sandbox": self.sandbox,
            "compile": self.compile,
            "cases": [c.to_dict() for c in self.cases],
            "total": self.total,
            "mean": self.mean,
            "accepted": self.accepted,
            "failed": self.failed,
            "max_time": self.max_time,
            "relative_mean": self.relative_mean,
            "n_best": self.n_best,
            "cpu_seconds": round(self.cpu_seconds, 3),
            "cases_run": len(self.cases),
            "cases_skipped": len(self.skipped),
            "stopped": self.stopped,
        } | ({"cluster": self.cluster} if self.cluster else {})


def default_jobs() -> int:
    return os.cpu_count() or 1


def judge(
    problem: Problem,
    solution: str | Path,
    seeds: list[int] | None = None,
    jobs: int | None = None,
    *,
    save_outputs: str | Path | None = None,
    cache_root: str | Path | None = None,
    best: dict[int, int] | None = None,
    progress: Callable[[CaseResult], None] | None = None,
    limits: sandbox.Limits | None = None,
    cluster: str | None = None,
    stop: Callable[[CaseResult], bool] | None = None,
) -> Report:
    """Compile once (untimed), then run every seed; results come back in seed order.

    stop: once it returns True for a finished case, seeds not yet started are skipped (listed in
    `Report.skipped`); with parallel jobs, cases already running finish. (Not on a cluster, where
    every seed is submitted at once: racing's stages still apply there.)

    With `cluster` (a Ray address: ray://host:port, host:port, auto or local) each seed is a Ray task
    on a node that compiles and runs it exactly as below; see judge/cluster.py.
    """
    solution = Path(solution)
    if not solution.is_file():
        raise ProblemError(f"{solution}: solution file not found")
    languages.of_path(solution)  # an unknown suffix is a usage error (UnknownLanguage), before anything runs
    seeds = list(seeds) if seeds is not None else problem.seeds("public")
    limits = limits or sandbox.Limits(time=problem.time_limit, memory_mib=problem.memory_limit)
    warm_seed = seeds[0] if seeds else problem.public_seeds[0]
    if cluster:  # the seam: the same compile and cases, run as Ray tasks on the cluster's nodes
        from judge.cluster import run_on_cluster

        report = run_on_cluster(cluster, problem, solution, seeds, limits, warm_seed, save_outputs=save_outputs, progress=progress)
    else:
        build: Build = compile_solution(solution, warmup_input=problem.generate(warm_seed), cache_root=cache_root)
        report = Report(
            problem=problem.id, solution=str(solution), objective=problem.objective,
            partial_score=problem.partial_score, cases=[], sandbox=sandbox.mode(), compile=compile_info(build),
        )
        ran = _run_local(problem, build, seeds, limits, jobs, save_outputs, progress, stop)
        report.cases = [c for c in ran if c is not None]
        report.skipped = [s for s, c in zip(seeds, ran) if c is None]
    if best is not None:
        report.apply_best(best)
    return report


def compile_info(build: Build) -> dict:
    return {"ok": build.ok, "message": build.message, "seconds": round(build.seconds, 3), "cached": build.cached}


def run_one(problem: Problem, build: Build, seed: int, limits: sandbox.Limits, save_outputs, worker_for: Callable[[], Worker]) -> CaseResult:
    """One seed, as every judge worker runs it (local thread or cluster node): CE, IE or run_case."""
    if not build.ok:
        return CaseResult(seed, "CE", message=build.summary, log=build.message)
    try:
        text = problem.generate(seed)
    except Exception as e:  # the generator's bug, not the solution's
        return CaseResult(seed, "IE", message=f"generator failed: {type(e).__name__}: {e}")
    return run_case(problem, build, seed, text, limits, save_dir=save_outputs, worker=worker_for())


def _run_local(problem, build, seeds, limits, jobs, save_outputs, progress, stop=None) -> list[CaseResult | None]:
    """Seeds on a thread pool, one folder and one sandbox per thread, reused; results in seed order
    (None for a seed skipped once `stop` said so)."""
    local, workers, halt = threading.local(), [], threading.Event()

    def worker_for() -> Worker:
        if not hasattr(local, "worker"):
            local.worker = Worker(build)
            workers.append(local.worker)
        return local.worker

    def one(seed: int) -> CaseResult | None:
        if halt.is_set():
            return None
        r = run_one(problem, build, seed, limits, save_outputs, worker_for)
        if progress:
            progress(r)
        if stop is not None and stop(r):
            halt.set()
        return r

    workers_wanted = min(max(1, jobs or default_jobs()), max(1, len(seeds))) if build.ok else 1
    try:
        if workers_wanted == 1:  # no pool: one thread fewer, and concurrent.futures is not imported
            return [one(s) for s in seeds]
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=workers_wanted) as pool:
            return list(pool.map(one, seeds))
    finally:
        for w in workers:
            w.close()
