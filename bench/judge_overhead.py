"""How much does the judge cost on top of the solution itself?  One command:

    python bench/judge_overhead.py                            # about 6 minutes on 2 cores
    python bench/judge_overhead.py --quick                    # fewer seeds and repeats, to try it out
    python bench/judge_overhead.py --python-only --repeat 15  # the rows near their targets, more rounds
    python bench/judge_overhead.py --only rlimits/cli --repeat 30  # one row, many rounds (~5 minutes)

(a) Overhead: for 50 seeds of a fast solution (the sumup fixture's baseline.py and a
    tiny C++ one), judge wall time divided by the same solution run bare in a shell loop
    (`for i ...; do python3 sol.py < in_i > out_i; done`, with the real interpreter path).
    The judge is measured two ways: the API (`judge.judge(..., jobs=1)` timed around the
    call, in a fresh process, build cache warm) and the CLI (`ale judge ... --jobs 1`
    timed as a whole subprocess, interpreter start-up and imports included).
    Each with bubblewrap (default) and without (ALE_SANDBOX=rlimits); `sandbox.mode()`
    is cached per process, so every configuration runs in its own subprocess.
(b) Parallelism: speed-up of --jobs 2 over --jobs 1 on a CPU-bound solution
    (a ~0.3 s busy loop per case, 20 seeds), through the API.

Bytecode caching is on for both sides (PYTHONDONTWRITEBYTECODE is dropped, ale/ and judge/ are
byte-compiled first), as in a normal install; some environments switch it off, which adds tens of
milliseconds to every `ale` start that a user would not pay.

Targets (issue 2): overhead <= 1.10 without bwrap, <= 1.25 with it; speed-up >= 1.7 on 2 cores.

On a shared 2-core machine the bare loop alone varies by +-10% from one minute to the next, as
much as the margin being measured. So every judge timing is paired with the bare loops run just
before and just after it, the ratio is taken within the pair, and the tables show the median over
--repeat rounds (with the lowest and highest); speed-ups likewise pair --jobs 1 with --jobs 2.
Even so a round's ratio moves by +-5% here, because one Python start-up takes 55-100 ms from one run
to the next. The "own" columns take that out: the judge's wall time minus the solution's time as the
judge measured it (fork to exit, as a shell loop would see it) is what the judge itself adds, and
(bare + own) / bare is the ratio the judge would show if the solution ran exactly as fast in both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "judge" / "fixtures" / "sumup"
PY_SOL = FIXTURE / "solutions" / "baseline.py"
CPP_SRC = """#include <cstdio>
int main() { long long n, s = 0, x; std::scanf("%lld", &n);
  for (long long i = 0; i < n; i++) { std::scanf("%lld", &x); s += x; }
  std::printf("%lld\\n", s); }
"""
BUSY_SRC = """import sys, time
nums = list(map(int, sys.stdin.read().split()))[1:]
end = time.process_time() + {busy}
x = 0
while time.process_time() < end:
    for i in range(2000):
        x += i
print(sum(nums))
"""

# Runs in a fresh interpreter: judge once, print the seconds spent in judge() and the verdicts.
API_SNIPPET = """
import json, sys, time
sys.path.insert(0, {root!r})
from judge import judge, load_problem, sandbox
p = load_problem({problem!r})
limits = sandbox.Limits(time={tl}, memory_mib=p.memory_limit)
seeds = list(range({n}))
t0 = time.perf_counter()
r = judge(p, {sol!r}, seeds, jobs={jobs}, limits=limits)
dt = time.perf_counter() - t0
print(json.dumps({{"seconds": dt, "mode": sandbox.mode(), "verdicts": [c.verdict for c in r.cases], "solution": sum(c.time for c in r.cases)}}))
"""


def env_for(mode: str | None, work: Path) -> dict:
    e = dict(os.environ)
    e.pop("ALE_SANDBOX", None)
    if mode:
        e["ALE_SANDBOX"] = mode
    e["ALE_CACHE_DIR"] = str(work / "cache")  # shared: every configuration finds the builds warm
    e["ALE_CONFIG"] = str(work / "ale.yaml")
    e["PYTHONPATH"] = str(ROOT)
    return e


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    return time.perf_counter() - t0, r


def bare(cmd: str, n: int, work: Path) -> float:
    loop = f"cd {work}/io && for i in $(seq 0 {n - 1}); do {cmd} < in_$i > out_$i; done"
    dt, r = timed(["bash", "-c", loop])
    if r.returncode:
        sys.exit(f"bare loop failed: {r.stderr}")
    return dt


def api(sol: Path, n: int, jobs: int, mode: str | None, work: Path, tl: float) -> tuple[float, str, list[str], float]:
    code = API_SNIPPET.format(root=str(ROOT), problem=str(FIXTURE), sol=str(sol), n=n, jobs=jobs, tl=tl)
    _, r = timed([sys.executable, "-c", code], env_for(mode, work))
    if r.returncode:
        sys.exit(f"judge API run failed:\n{r.stderr}")
    doc = json.loads(r.stdout.strip().splitlines()[-1])
    return doc["seconds"], doc["mode"], doc["verdicts"], doc["solution"]


def ale_command() -> list[str]:
    script = Path(sys.executable).parent / "ale"  # the installed console script, not a pyenv shim
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from ale.cli import main; main()"]


def cli(sol: Path, n: int, jobs: int, mode: str | None, work: Path) -> tuple[float, str, list[str], float]:
    """Seconds for the whole `ale judge` process, its sandbox, the verdicts, and the solution's own
    seconds as the judge measured them (summed over the cases)."""
    cmd = ale_command() + ["judge", str(FIXTURE), str(sol), "--seeds", f"0-{n - 1}", "--jobs", str(jobs), "--json"]  # as users run it: best scores recorded
    dt, r = timed(cmd, env_for(mode, work))
    if r.returncode not in (0, 1):
        sys.exit(f"ale judge failed (exit {r.returncode}):\n{r.stderr}")
    doc = json.loads(r.stdout)
    return dt, doc["sandbox"], [c["verdict"] for c in doc["cases"]], sum(c["time"] for c in doc["cases"])


def setup(work: Path, n: int, busy: float) -> dict:
    sys.path.insert(0, str(ROOT))
    from judge import load_problem

    p = load_problem(FIXTURE)
    io = work / "io"
    io.mkdir()
    for i in range(n):
        (io / f"in_{i}").write_text(p.generate(i))
    (work / "ale.yaml").write_text(f"problems: [{FIXTURE.parent}]\ndb: {work / 'ale.db'}\n")
    cpp = work / "tiny.cpp"
    cpp.write_text(CPP_SRC)
    sols = {"py": PY_SOL}
    if shutil.which("g++"):
        subprocess.run(["g++", "-std=gnu++20", "-O2", "-o", str(work / "tiny"), str(cpp)], check=True)
        sols["cpp"] = cpp
    busy_sol = work / "busy.py"
    busy_sol.write_text(BUSY_SRC.format(busy=busy))
    sols["busy"] = busy_sol
    # Warm the build cache (compile is untimed by design) so no configuration pays for it.
    for s in sols.values():
        api(s, 1, 1, None, work, 10.0)
    cli(PY_SOL, 1, 1, None, work)  # and create the store (its first open runs the migrations)
    return sols


def machine() -> str:
    try:
        model = next(ln.split(":", 1)[1].strip() for ln in open("/proc/cpuinfo") if ln.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or "?"
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}, {platform.system()} {platform.release()}; load average {load}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=3, help="rounds; medians are reported")
    ap.add_argument("--cpu-seeds", type=int, default=20)
    ap.add_argument("--busy", type=float, default=0.3, help="CPU seconds per case of the CPU-bound solution")
    ap.add_argument("--quick", action="store_true", help="10 seeds, 1 repeat, 6 CPU-bound seeds")
    ap.add_argument("--no-cli", action="store_true", help="skip the `ale judge` subprocess measurements")
    ap.add_argument("--only", metavar="SANDBOX/HOW", help="one overhead configuration, e.g. rlimits/cli (implies --python-only)")
    ap.add_argument("--python-only", action="store_true",
                    help="only the Python solution's overhead rows (for long runs of the rows near their targets)")
    a = ap.parse_args()
    if a.quick:
        a.seeds, a.repeat, a.cpu_seeds = 10, 1, 6
    n, rep = a.seeds, a.repeat
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # every subprocess below inherits this
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "ale"), str(ROOT / "judge")], capture_output=True)
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory(prefix="ale-bench-") as tmp:
        work = Path(tmp)
        sols = setup(work, max(n, a.cpu_seeds), a.busy)
        try:
            import judge.sandbox as sb

            have_bwrap = sb.mode() == "bwrap"
        except Exception:
            have_bwrap = False
        modes = [(None, "bwrap")] if have_bwrap else []
        modes.append(("rlimits", "rlimits"))
        bare_cmd = {"py": f"{sys.executable} {PY_SOL}", "cpp": str(work / "tiny")}
        solname = {"py": "sumup baseline.py", "cpp": "tiny C++"}
        configs = [(mode, label, how) for mode, label in modes for how in ("api", "cli") if how == "api" or not a.no_cli]
        if a.only:
            configs = [c for c in configs if f"{c[1]}/{c[2]}" == a.only.lower()]
            if not configs:
                sys.exit(f"--only {a.only}: no such configuration here; use bwrap/api, bwrap/cli, rlimits/api or rlimits/cli")
            a.python_only = True
        rows = []
        for lang in [k for k in ("py", "cpp") if k in sols and (k == "py" or not a.python_only)]:
            ratios: dict[tuple, list[float]] = {c: [] for c in configs}
            own: dict[tuple, list[float]] = {c: [] for c in configs}  # the judge's own seconds
            secs: dict[tuple, list[float]] = {c: [] for c in configs}
            bares: list[float] = []
            bad: set[str] = set()
            for _ in range(rep):
                before = bare(bare_cmd[lang], n, work)
                bares.append(before)
                for c in configs:  # bare, judge, bare, judge, ...: each judge run sits between two bare ones
                    mode, label, how = c
                    if how == "api":
                        dt, got, verdicts, solution = api(sols[lang], n, 1, mode, work, 10.0)
                    else:
                        dt, got, verdicts, solution = cli(sols[lang], n, 1, mode, work)
                    assert got == label, (got, label)
                    bad |= {v for v in verdicts if v != "AC"}
                    after = bare(bare_cmd[lang], n, work)
                    bares.append(after)
                    ratios[c].append(dt / ((before + after) / 2))
                    own[c].append(dt - solution)
                    secs[c].append(dt)
                    before = after
            for c in configs:
                rows.append((lang, c[1], c[2].upper(), median(bares), median(secs[c]), ratios[c], median(own[c]),
                             1.25 if c[1] == "bwrap" else 1.10))
            if bad:
                print(f"note: {lang}: some cases were not AC ({', '.join(sorted(bad))}); timings still count")
        print()
        print(f"(a) overhead, {n} seeds, --jobs 1, {rep} rounds: seconds are medians; ratio = median of paired ratios [lowest-highest];")
        print("    own = the judge's wall time minus the solution's time as the judge measured it (no drift of the solution in it),")
        print("    own ratio = (bare + own) / bare")
        print("| solution | sandbox | judge via | bare loop s | judge s | ratio | own ms/case | own ratio | target |")
        print("|---|---|---|---|---|---|---|---|---|")
        for lang, label, how, b, t, rs, ow, target in rows:
            ratio = median(rs)
            ok = "ok" if ratio <= target else "MISS"
            print(f"| {solname[lang]} | {label} | {how} | {b:.2f} | {t:.2f} | **{ratio:.2f}** [{min(rs):.2f}-{max(rs):.2f}] | "
                  f"{1000 * ow / n:.1f} | {(b + ow) / b:.3f} | <= {target:.2f} {ok} |")
        # (b) --jobs 2 over --jobs 1 on a CPU-bound solution.
        if a.python_only:
            return
        print()
        print(f"(b) parallel speed-up, CPU-bound solution ({a.busy:.1f} s CPU per case), {a.cpu_seeds} seeds, API, {rep} rounds, medians")
        print("| sandbox | --jobs 1 s | --jobs 2 s | speed-up | target |")
        print("|---|---|---|---|---|")
        for mode, label in modes:
            j1, j2, sps, bad = [], [], [], set()
            for _ in range(rep):
                for jobs, acc in ((1, j1), (2, j2)):
                    dt, _, verdicts, _ = api(sols["busy"], a.cpu_seeds, jobs, mode, work, 10.0)
                    acc.append(dt)
                    bad |= {v for v in verdicts if v != "AC"}
                sps.append(j1[-1] / j2[-1])
            sp = median(sps)
            ok = "ok" if sp >= 1.7 else "MISS"
            print(f"| {label} | {median(j1):.2f} | {median(j2):.2f} | **{sp:.2f}** [{min(sps):.2f}-{max(sps):.2f}] | >= 1.70 {ok} |")
            if bad:
                print(f"note: busy: some cases were not AC ({', '.join(sorted(bad))})")
        print()
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
