"""Cold versus warm: does a run that reads an earlier run's lessons get there sooner?

For each problem and repetition: a cold run (no lessons shown) of K candidates, then a warm run of
the same budget that reads the lessons the cold run wrote. Prints the best public mean after
k = 5, 10, 20, 40 candidates for both, and whether warm reached cold's 40-candidate score within 20.

    python bench/lessons_ablation.py                 # the full table (about 30-60 min on 2 cores)
    python bench/lessons_ablation.py --quick         # one problem, one repetition, K=10

Each run judges the C++ strong solution of the problem with TIME_BUDGET pinned at its lowest (0.5 s), on 4 public
seeds, so that the experiment measures the search, not the time limit.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = {  # problem -> (starting file, objective)
    "delivery-route": "strong.cpp",
    "job-shop": "strong.cpp",
    "rect-pack": "strong.cpp",
}
KS = (5, 10, 20, 40)


def solve(problem, start, db, budget, seed, lessons, seeds, time_budget):
    cmd = [sys.executable, "-m", "ale.cli", "solve", problem, "--provider", "offline", "--db", str(db), "--budget", str(budget),
           "--beam", "4", "--seeds", seeds, "--start", start, "--fix", f"TIME_BUDGET={time_budget}", "--private-top", "0",
           "--seed", str(seed), "--json"]
    if not lessons:
        cmd.append("--no-lessons")
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if r.returncode != 0:
        raise SystemExit(f"solve failed ({r.returncode}): {r.stderr[-2000:]}")
    return json.loads(r.stdout)


def curve(doc, objective, ks):
    """Best public mean among accepted candidates after the first k judged."""
    sign = 1 if objective == "maximize" else -1
    best, out, seen = None, {}, 0
    for c in doc["candidates"]:
        seen += 1
        if c["accepted"] and c["public_mean"] is not None:
            if best is None or sign * c["public_mean"] > sign * best:
                best = c["public_mean"]
        for k in ks:
            if seen == k:
                out[k] = best
    for k in ks:
        out.setdefault(k, best)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seeds", default="0-3")
    ap.add_argument("--time-budget", default="0.5")  # the lowest the strong.cpp files allow
    ap.add_argument("--json", type=Path, help="also write the raw results here; an existing file is resumed "
                    "(its problems and repetitions are not run again)")
    ap.add_argument("--summarise", type=Path, help="only print the table of an earlier --json file")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from judge import load_problem

    problems = dict(list(PROBLEMS.items())[:1]) if a.quick else PROBLEMS
    reps = 1 if a.quick else a.reps
    ks = (5, 10) if a.quick else KS
    budget = max(ks)
    earlier = a.summarise or (a.json if a.json and a.json.exists() else None)
    results = json.loads(earlier.read_text()) if earlier else []
    for r in results:  # JSON turned the k keys into strings
        for side in ("cold", "warm"):
            r[side] = {int(k): v for k, v in r[side].items()}
    t0 = time.monotonic()
    done = {(r["problem"], r["rep"]) for r in results}
    order = [] if a.summarise else [(name, start, rep) for rep in range(reps) for name, start in problems.items()
                                    if (name, rep) not in done]
    for name, start, rep in order:
        objective = load_problem(ROOT / "problems" / name).objective
        with tempfile.TemporaryDirectory() as d:
            db = Path(d) / "ale.db"
            cold = solve(name, start, db, budget, rep, False, a.seeds, a.time_budget)
            warm = solve(name, start, db, budget, 100 + rep, True, a.seeds, a.time_budget)
        results.append({"problem": name, "objective": objective, "rep": rep,
                        "cold": curve(cold, objective, ks), "warm": curve(warm, objective, ks)})
        if a.json:  # progressively, so a long run that is cut short still leaves its data
            a.json.write_text(json.dumps(results, indent=2))
        print(f"[{time.monotonic() - t0:6.0f}s] {name} rep {rep}: cold {results[-1]['cold']} warm {results[-1]['warm']}", file=sys.stderr)
    if a.json:
        a.json.write_text(json.dumps(results, indent=2))
    half = max(k for k in ks if k <= budget // 2)  # "within 20 candidates" of a 40-candidate budget
    print("\n| problem | obj | " + " | ".join(f"cold@{k}" for k in ks) + " | " + " | ".join(f"warm@{k}" for k in ks)
          + f" | warm@{half} / cold@{budget} | warm reaches cold@{budget} by {half} |")
    print("|" + "---|" * (3 + 2 * len(ks) + 1))
    wins = 0
    for name in problems:
        rows = [r for r in results if r["problem"] == name]
        if not rows:
            continue
        obj = rows[0]["objective"]
        med = lambda side, k: statistics.median(r[side][k] for r in rows if r[side][k] is not None)
        cold_end, warm_half = med("cold", budget), med("warm", half)
        reached = warm_half >= cold_end if obj == "maximize" else warm_half <= cold_end
        ratio = warm_half / cold_end if obj == "maximize" else cold_end / warm_half
        wins += reached
        cells = [f"{med('cold', k):,.0f}" for k in ks] + [f"{med('warm', k):,.0f}" for k in ks]
        print(f"| {name} | {obj[:3]} | " + " | ".join(cells) + f" | {ratio:.4f} | {'yes' if reached else 'no'} |")
    print(f"\nmedians over up to {reps} repetition(s); warm reached cold's {budget}-candidate score within {half} on "
          f"{wins}/{len(problems)} problems (target: at least 2 of 3); {time.monotonic() - t0:.0f}s")


if __name__ == "__main__":
    main()
