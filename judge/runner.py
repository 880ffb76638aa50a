"""judge(): compile one solution once, run it on many seeds in parallel (or on a Ray cluster), and
summarise the cases in a Report. `from judge import judge` is this function."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Callable

from judge import languages, sandbox
from judge.case import CaseResult
from judge.compile import Build, compile_info, compile_solution
from judge.errors import ProblemError
from judge.problem import Problem
from judge.report import Report
from judge.run import Worker, run_one


def default_jobs() -> int:
    return os.cpu_count() or 1


class Cancel:
    """Set (from any thread) to abandon a judge run: no case starts after it, and the sandboxes of
    running cases are killed, so a caller that is interrupted does not wait for every seed."""

    def __init__(self):
        self._lock, self._set, self._hooks = threading.Lock(), False, []

    def set(self) -> None:
        with self._lock:
            self._set, hooks = True, list(self._hooks)
        for hook in hooks:
            hook()

    def is_set(self) -> bool:
        return self._set

    def on_set(self, hook: Callable[[], None]) -> Callable[[], None]:
        """Call `hook` when set (now, if already set); returns a function that forgets it."""
        with self._lock:
            if not self._set:
                self._hooks.append(hook)
                return lambda: self._forget(hook)
        hook()
        return lambda: None

    def _forget(self, hook) -> None:
        with self._lock:
            if hook in self._hooks:
                self._hooks.remove(hook)


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
    cancel: Cancel | None = None,
) -> Report:
    """Compile once (untimed), then run every seed; results come back in seed order.

    stop: once it returns True for a finished case, seeds not yet started are skipped (listed in
    `Report.skipped`); with parallel jobs, cases already running finish. (Not on a cluster, where
    every seed is submitted at once: racing's stages still apply there.)

    cancel: once set, the run is abandoned: seeds not yet started are skipped and running cases
    are killed (their results are meaningless; the caller discards the Report). Local runs only.

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
        ran = _run_local(problem, build, seeds, limits, jobs, save_outputs, progress, stop, cancel)
        report.cases = [c for c in ran if c is not None]
        report.skipped = [s for s, c in zip(seeds, ran) if c is None]
    if best is not None:
        report.apply_best(best)
    return report


def _run_local(problem, build, seeds, limits, jobs, save_outputs, progress, stop=None,
               cancel: Cancel | None = None) -> list[CaseResult | None]:
    """Seeds on a thread pool, one folder and one sandbox per thread, reused; results in seed order
    (None for a seed skipped once `stop` said so, or after `cancel`)."""
    local, workers, halt, forget = threading.local(), [], threading.Event(), []
    if cancel is not None:
        forget.append(cancel.on_set(halt.set))

    def worker_for() -> Worker:
        if not hasattr(local, "worker"):
            local.worker = Worker(build)
            workers.append(local.worker)
            if cancel is not None:
                forget.append(cancel.on_set(local.worker.abort))
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
        for f in forget:
            f()
        for w in workers:
            w.close()
