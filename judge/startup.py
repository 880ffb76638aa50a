"""What starting a program costs in the judge's box: python, numpy, numba, an ahead-of-time module.

Start-up is paid on every case and counts against the time limit, so it decides whether a
Python solution should load cached @njit kernels or compile them ahead of time (ONLINE_JUDGE).
`ale doctor` shows these figures for this machine; bench/numba_startup.py uses `time_source`.
"""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from judge import sandbox
from judge.compile import compile_solution
from judge.run import Worker, run_case

# A tiny AOT module: the cost of importing what numba.pycc builds (it imports numpy, not numba).
AOT_TINY = '''import sys
if sys.argv[-1] == "ONLINE_JUDGE":
    from numba.pycc import CC
    cc = CC("ale_startup_probe")
    @cc.export("one", "i8(i8)")
    def one(x):
        return x + 1
    cc.compile()
    sys.exit(0)
from ale_startup_probe import one
one(1)
'''

PROBES = {
    "python": "pass\n",
    "numpy": "import numpy\n",
    "numba": "import numba\n",
    "AOT module": AOT_TINY,
}


class _Blank:
    """The least a case needs from a problem: batch, and any output scores 0."""

    interactive = False
    tools = None

    @staticmethod
    def score(input_text: str, output_text: str) -> int:
        return 0


def time_source(source: str, suffix: str, input_text: str = "", repeat: int = 5, time_limit: float = 20.0,
                cache_root: Path | None = None) -> list[float]:
    """The judge's time (max of CPU and wall) of `repeat` runs of one program in one box, after its build.

    Raises RuntimeError with the compiler's message when it does not build, or the case's when it fails.
    """
    with tempfile.TemporaryDirectory(prefix="ale-startup-") as tmp:
        path = Path(tmp) / f"Main{suffix}"
        path.write_text(source)
        build = compile_solution(path, warmup_input=input_text, cache_root=cache_root)
    if not build.ok:
        raise RuntimeError(build.message)
    limits = sandbox.Limits(time=time_limit, memory_mib=2048)
    times = []
    with Worker(build) as w:
        for i in range(repeat):
            r = run_case(_Blank(), build, i, input_text, limits, worker=w)
            if r.verdict != "AC":
                raise RuntimeError(f"{r.verdict}: {r.message} {r.log[-500:]}")
            times.append(r.time)
    return times


def probe_startup(repeat: int = 5, cache_root: Path | None = None) -> list[dict]:
    """[{name, median, min, error}] for each probe; a probe that cannot run says why instead."""
    rows = []
    for name, source in PROBES.items():
        try:
            t = time_source(source, ".py", repeat=repeat, cache_root=cache_root)
            rows.append({"name": name, "median": statistics.median(t), "min": min(t), "error": None})
        except RuntimeError as e:
            rows.append({"name": name, "median": None, "min": None, "error": str(e).strip().splitlines()[-1][:200]})
    return rows
