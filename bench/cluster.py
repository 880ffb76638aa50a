"""What does judging on a Ray cluster cost, and what does a second node buy?  One command:

    python bench/cluster.py            # about 3 minutes on 2 cores (needs pip install -e '.[cluster]')
    python bench/cluster.py --quick    # fewer seeds and rounds

A local Ray cluster on this machine (ray.cluster_utils, loopback only): a head node with one CPU,
later joined by a second node with one CPU, each its own raylet and worker processes.

(a) Per-case overhead: 40 seeds of a fast solution (the sumup fixture's baseline.py, ~60 ms a case,
    most of it Python's start-up) judged by the local judge's threads and by the cluster with the
    same number of CPUs (jobs=1 vs the one-node cluster, jobs=2 vs the two-node cluster);
    (cluster wall - local wall) / seeds is what a case costs on top when it is a Ray task.
(b) Speed-up: a CPU-bound solution (~0.4 s busy loop per case, 12 seeds) on the two-node cluster
    over the one-node one.

Both sides are warm (build cached, Ray workers started) before anything is timed; each timing is the
median of --repeat rounds, local and cluster alternating so that load drifts hit both alike.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")  # loopback only (read when ray is imported)
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
FIXTURE = ROOT / "tests" / "judge" / "fixtures" / "sumup"
FAST = FIXTURE / "solutions" / "baseline.py"
BUSY_SRC = """import sys, time
nums = list(map(int, sys.stdin.read().split()))[1:]
end = time.process_time() + {busy}
x = 0
while time.process_time() < end:
    x += 1
print(sum(nums))
"""


def timed(fn) -> float:
    t0 = time.perf_counter()
    r = fn()
    wall = time.perf_counter() - t0
    assert r.accepted, [c.verdict for c in r.cases]
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--repeat", type=int, default=None)
    a = ap.parse_args()
    try:
        import ray  # noqa: F401
        from ray.cluster_utils import Cluster
    except ImportError:
        sys.exit("ray is not installed: pip install -e '.[cluster]'")
    from functools import partial

    from judge import judge as judge_, load_problem, sandbox

    judge = partial(judge_, limits=sandbox.Limits(time=10.0, memory_mib=512))  # load must not turn timings into TLEs

    repeat = a.repeat or (2 if a.quick else 5)
    n_fast, n_busy, busy = (16, 6, 0.3) if a.quick else (40, 12, 0.4)
    problem = load_problem(FIXTURE)
    fast_seeds, busy_seeds = list(range(n_fast)), list(range(n_busy))
    with tempfile.TemporaryDirectory(prefix="ale-bench-") as d:
        os.environ.setdefault("ALE_CACHE_DIR", str(Path(d) / "cache"))
        busy_sol = Path(d) / "busy.py"
        busy_sol.write_text(BUSY_SRC.format(busy=busy))
        temp = tempfile.mkdtemp(prefix="ale-ray-", dir="/tmp")
        c = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False, "temp_dir": temp})
        try:
            rows, load0 = [], os.getloadavg()[0]
            busy_times = {}
            for nodes, jobs in ((1, 1), (2, 2)):
                if nodes == 2:
                    c.add_node(num_cpus=1, temp_dir=temp)
                    time.sleep(2)
                # warm: builds cached, Ray's worker processes started on every node
                judge(problem, FAST, fast_seeds, jobs=jobs)
                judge(problem, FAST, fast_seeds, cluster=c.address)
                judge(problem, busy_sol, busy_seeds[:2 * nodes], cluster=c.address)
                local, remote, busy_runs = [], [], []
                for _ in range(repeat):
                    local.append(timed(lambda: judge(problem, FAST, fast_seeds, jobs=jobs)))
                    remote.append(timed(lambda: judge(problem, FAST, fast_seeds, cluster=c.address)))
                    busy_runs.append(timed(lambda: judge(problem, busy_sol, busy_seeds, cluster=c.address)))
                lo, re_ = median(local), median(remote)
                rows.append((nodes, jobs, lo, re_, 1000 * (re_ - lo) / n_fast, re_ / lo))
                busy_times[nodes] = busy_runs
                print(f"  {nodes} node(s): local {lo:.2f} s, cluster {re_:.2f} s, busy {median(busy_runs):.2f} s", file=sys.stderr)
        finally:
            import ray

            ray.shutdown()
            c.shutdown()
    print(f"\n{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"ray {ray.__version__}, load average {load0:.1f} at the start, {os.getloadavg()[0]:.1f} at the end; "
          f"median of {repeat} rounds\n")
    print(f"(a) {n_fast} seeds of sumup baseline.py\n")
    print("| CPUs | local threads s | cluster s | overhead ms/case | ratio |")
    print("|---|---|---|---|---|")
    for nodes, jobs, lo, re_, per, ratio in rows:
        print(f"| {jobs} (jobs={jobs} / {nodes} node{'s' if nodes > 1 else ''}) | {lo:.2f} | {re_:.2f} | {per:+.1f} | **{ratio:.2f}** |")
    one, two = median(busy_times[1]), median(busy_times[2])
    pairs = sorted(b1 / b2 for b1, b2 in zip(busy_times[1], busy_times[2]))
    print(f"\n(b) {n_busy} seeds of a {busy} s busy loop\n")
    print("| 1 node s | 2 nodes s | speed-up |")
    print("|---|---|---|")
    print(f"| {one:.2f} | {two:.2f} | **{one / two:.2f}** [{pairs[0]:.2f}-{pairs[-1]:.2f}] |")


if __name__ == "__main__":
    main()
