"""Where a judged case's time goes, layer by layer. One command (about a minute):

    python bench/judge_layers.py

Runs the sumup baseline.py (a ~90 ms Python solution, mostly interpreter start-up) and a tiny
C++ one, interleaving for --rounds rounds:
  bare      the solution started from Python with subprocess (what a shell loop does)
  monitor   the same under the C monitor (rlimits, memory polling, process-tree kill)
  run_case  judge.run.run_case (scratch folder, files, monitor, scoring) without bubblewrap,
            with a new bwrap per case (as before the box), and in the worker's long-lived box
and the fixed start-up of `ale judge --json` against `python -c pass` and its big imports.
Medians per layer and the difference to bare; interleaving cancels most of the machine's drift.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE = ROOT / "tests" / "judge" / "fixtures" / "sumup"
CPP = """#include <cstdio>
int main() { long long n, s = 0, x; std::scanf("%lld", &n);
  for (long long i = 0; i < n; i++) { std::scanf("%lld", &x); s += x; }
  std::printf("%lld\\n", s); }
"""


def layers(sol: Path, work: Path, rounds: int) -> dict[str, float]:
    from judge import load_problem, sandbox
    from judge.compile import compile_solution
    from judge.run import Worker, run_case

    p = load_problem(FIXTURE)
    build = compile_solution(sol, warmup_input=p.generate(0), cache_root=work / "cache")
    text = p.generate(3)
    (work / "in").write_text(text)
    cmd = build.command(str(build.dir))
    env = sandbox.clean_env(home=str(work))
    mon = str(sandbox.c_monitor())
    limits = sandbox.Limits(time=2, memory_mib=1024)

    def bare():
        with open(work / "in", "rb") as fi, open(work / "out", "wb") as fo:
            subprocess.run(cmd, stdin=fi, stdout=fo, env=env)

    def monitored():
        r, w = os.pipe()
        with open(work / "in", "rb") as fi, open(work / "out", "wb") as fo:
            subprocess.run(sandbox.monitor_argv(w, limits, str(work), cmd, env, in_box=False), stdin=fi, stdout=fo,
                           env=env, pass_fds=(w,))
        os.close(w)
        os.read(r, 4096)
        os.close(r)

    real_mode = sandbox.mode()

    def in_mode(name: str, worker):
        def run():
            sandbox.mode = lambda: name  # run_case asks the module each time
            try:
                run_case(p, build, 3, text, limits, worker=worker)
            finally:
                sandbox.mode = real_mode_fn
        return run

    real_mode_fn = sandbox.mode
    fns = {"bare": bare, "monitor": monitored}
    if mon == "None":
        del fns["monitor"]
    sandbox.mode = lambda: "rlimits"
    rl = Worker(build)
    sandbox.mode = real_mode_fn
    fns["run_case, rlimits"] = in_mode("rlimits", rl)
    bw = one = None
    if real_mode == "bwrap":
        one = Worker(build)
        one.box = None  # without its box, run_case starts a new bwrap for the case: how it was before
        fns["run_case, new bwrap per case"] = in_mode("bwrap", one)
        bw = Worker(build)
        fns["run_case, bwrap box (reused)"] = in_mode("bwrap", bw)
    samples: dict[str, list[float]] = {k: [] for k in fns}
    try:
        for f in fns.values():  # warm-up (and start the box)
            f()
        for _ in range(rounds):
            for k, f in fns.items():
                t = time.perf_counter()
                f()
                samples[k].append(time.perf_counter() - t)
    finally:
        for w in (rl, one, bw):
            if w is not None:
                w.close()
    return {k: statistics.median(v) for k, v in samples.items()}


FREEZE = "; import gc; gc.freeze()"  # as `ale` exits: no shutdown collections (~25 ms here)


def startup(work: Path, cpp: Path, rounds: int) -> dict[str, float]:
    py = sys.executable
    ale = Path(py).parent / "ale"
    env = dict(os.environ, ALE_SANDBOX="rlimits", ALE_CONFIG=str(work / "ale.yaml"), ALE_CACHE_DIR=str(work / "cache"),
               PYTHONPATH=str(ROOT))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    (work / "ale.yaml").write_text(f"problems: [{FIXTURE.parent}]\ndb: {work / 'ale.db'}\n")
    judge_cmd = [str(ale)] if ale.is_file() else [py, "-m", "ale.cli"]
    cmds = {
        "python -c pass": [py, "-c", "pass"],
        "python -S -c pass (no site)": [py, "-S", "-c", "pass"],
        "+ import typer": [py, "-c", "import typer" + FREEZE],
        "+ import judge.runner": [py, "-c", "import typer, judge.runner" + FREEZE],
        "+ ale.cli.judge_cmds, ale.store": [py, "-c", "import typer, judge.runner, ale.cli.judge_cmds, ale.store" + FREEZE],
        "import typer, without gc.freeze() at exit": [py, "-c", "import typer"],
        "(python + import yaml: paid only when a YAML file is new)": [py, "-c", "import yaml" + FREEZE],
        "ale judge --json, one C++ case": judge_cmd + ["judge", str(FIXTURE), str(cpp), "--seeds", "0-0", "--jobs", "1", "--json"],
    }
    subprocess.run(cmds["ale judge --json, one C++ case"], env=env, capture_output=True)  # store, build cache
    samples: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(rounds):
        for k, c in cmds.items():
            t = time.perf_counter()
            subprocess.run(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            samples[k].append(time.perf_counter() - t)
    return {k: statistics.median(v) for k, v in samples.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=40)
    a = ap.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ale"), str(ROOT / "judge")], capture_output=True)
    with tempfile.TemporaryDirectory(prefix="ale-layers-") as tmp:
        work = Path(tmp)
        os.environ["ALE_CACHE_DIR"] = str(work / "cache")
        cpp = work / "tiny.cpp"
        cpp.write_text(CPP)
        sols = {"sumup baseline.py": FIXTURE / "solutions" / "baseline.py"}
        if shutil.which("g++"):
            sols["tiny C++"] = cpp
        print(f"per case, median of {a.rounds} interleaved rounds")
        print("| solution | layer | ms | + vs bare |")
        print("|---|---|---|---|")
        for name, sol in sols.items():
            m = layers(sol, work, a.rounds)
            for k, v in m.items():
                print(f"| {name} | {k} | {1000 * v:.2f} | {1000 * (v - m['bare']):+.2f} |")
        print()
        n = max(5, a.rounds // 3)
        s = startup(work, cpp, n)
        print(f"start-up, median of {n} interleaved rounds")
        print("| process | ms |")
        print("|---|---|")
        for k, v in s.items():
            print(f"| {k} | {1000 * v:.1f} |")


if __name__ == "__main__":
    main()
