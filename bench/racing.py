"""Racing against judging every seed: the same search, how much judge time, and where it ends up.

For each problem and repetition: an offline run of K candidates with racing on and one with racing
off (same drafter seed), each ending with the private re-judge of its best. Prints judge CPU-seconds
(the measured time of every public case) and the best candidate's private mean, and the target:
racing reaches the no-racing private mean within the measured noise with <= 0.5x the CPU-seconds.

    python bench/racing.py                 # 3 problems x 3 repetitions, K=40, 20 seeds (about 70 min on 2 cores)
    python bench/racing.py --quick         # one problem, one repetition, K=16

Each run tunes the C++ strong solution with TIME_BUDGET pinned at its lowest (0.5 s) on 20 public seeds, so that the
experiment measures the judging, not the time limit. "CPU-s" is the measured time of every public case
of the search; "with re-judges" adds the top three's second public run and the private seeds, which
both arms pay alike.
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
FIRST = 5  # racing's first stage (solve.race_first)
PROBLEMS = {"delivery-route": "strong.cpp", "job-shop": "strong.cpp", "rect-pack": "strong.cpp"}


def solve(problem, start, db, budget, seed, racing, seeds, private, time_budget):
    cmd = [sys.executable, "-m", "ale.cli", "solve", problem, "--provider", "offline", "--db", str(db),
           "--budget", str(budget), "--beam", "4", "--seeds", seeds, "--private-seeds", private, "--start", start,
           "--fix", f"TIME_BUDGET={time_budget}", "--private-top", "1", "--seed", str(seed), "--json",
           "--racing" if racing else "--no-racing"]
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if r.returncode not in (0, 1):
        raise SystemExit(f"solve failed ({r.returncode}): {r.stderr[-2000:]}")
    doc = json.loads(r.stdout)
    return {"cpu": doc["judge"]["cpu_seconds"], "cpu_all": doc["judge"]["cpu_seconds_all"], "cases": doc["judge"]["cases_run"],
            "skipped": doc["judge"]["cases_skipped"], "raced_out": doc["judge"]["raced_out"], "futile": doc["judge"]["futile"],
            "private": doc["best_private_mean"], "public": doc["best_public_mean"],
            "noise": (doc.get("noise") or {}).get("mean_relative_diff")}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--budget", type=int, default=40)
    ap.add_argument("--seeds", default="0-19")
    ap.add_argument("--private", default="1000-1009")
    ap.add_argument("--time-budget", default="0.5")
    ap.add_argument("--json", type=Path, help="also write the raw results here; an existing file is resumed "
                    "(an arm it holds is not run again: delete a row's \"on\" to rerun its racing arm)")
    ap.add_argument("--arms", choices=("both", "on", "off"), default="both",
                    help="run only this arm where it is missing (e.g. all-seeds arms while racing changes)")
    a = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from judge import load_problem

    problems = dict(list(PROBLEMS.items())[:1]) if a.quick else PROBLEMS
    reps, budget = (1, 16) if a.quick else (a.reps, a.budget)
    results, t0 = (json.loads(a.json.read_text()) if a.json and a.json.exists() else []), time.monotonic()
    rows = {(r["problem"], r["rep"]): r for r in results}
    arms = {"both": ("on", "off"), "on": ("on",), "off": ("off",)}[a.arms]
    for rep in range(reps):
        for name, start in problems.items():
            row = rows.get((name, rep))
            if row is None:
                row = rows[name, rep] = {"problem": name, "rep": rep,
                                         "objective": load_problem(ROOT / "problems" / name).objective}
                results.append(row)
            for side in arms:
                if side in row:
                    continue
                with tempfile.TemporaryDirectory() as d:
                    row[side] = solve(name, start, Path(d) / f"{side}.db", budget, rep, side == "on", a.seeds,
                                      a.private, a.time_budget)
                if a.json:
                    a.json.write_text(json.dumps(results, indent=2))
                print(f"[{time.monotonic() - t0:6.0f}s] {name} rep {rep} {'racing' if side == 'on' else 'all seeds'}: "
                      f"{row[side]}", file=sys.stderr)
    results = [r for r in results if "on" in r and "off" in r]
    table(results, problems, budget)
    print(f"{time.monotonic() - t0:.0f}s", file=sys.stderr)


def table(results, problems, budget):
    """One row per problem. Judge time: medians over the repetitions. Private means: the paired gap
    (racing minus all seeds, same drafter seed, as a fraction of all-seeds; > 0: racing ended better),
    its mean over the repetitions and that mean's standard error. The error comes from the spread
    between repetitions, which is the noise of the compared quantity (a whole search's outcome); the
    re-judge noise of one program is its floor. "Within noise": the mean gap is no further below zero
    than that standard error (a one-sigma bound, stricter than a significance test); p is the one-sided
    t-test that racing ends worse."""
    from scipy.stats import ttest_1samp

    print("\n| problem | reps | CPU-s racing | CPU-s all seeds | ratio | ratio with re-judges | raced out "
          "| of them futile | floor | private racing (mean) | private all seeds (mean) | search spread "
          "| private gap | re-judge noise | p (racing worse) | within noise |")
    print("|" + "---|" * 16)
    for name in problems:
        rows = [r for r in results if r["problem"] == name]
        if not rows:
            continue
        med = lambda side, k: statistics.median(r[side][k] for r in rows if r[side][k] is not None)  # noqa: E731
        cpu_on, cpu_off = med("on", "cpu"), med("off", "cpu")
        all_on, all_off = med("on", "cpu_all"), med("off", "cpu_all")
        raced = statistics.median(r["on"]["raced_out"] for r in rows)
        futile = statistics.median(r["on"].get("futile") or 0 for r in rows)
        # What racing's own search would cost if every raced-out child had stopped at the first stage
        # (5 seeds): the least a test that only stops clearly worse children can spend.
        floor = statistics.median((r["off"]["cases"] - r["on"]["raced_out"] * (r["off"]["cases"] / budget - FIRST))
                                  / r["off"]["cases"] for r in rows)
        sign = 1 if rows[0]["objective"] == "maximize" else -1
        gaps = [sign * (r["on"]["private"] - r["off"]["private"]) / abs(r["off"]["private"]) for r in rows]
        gap = statistics.mean(gaps)
        se = statistics.stdev(gaps) / len(gaps) ** 0.5 if len(gaps) > 1 else float("inf")
        p = float(ttest_1samp(gaps, 0.0, alternative="less").pvalue) if len(gaps) > 1 else float("nan")
        offs = [r["off"]["private"] for r in rows]
        spread = statistics.stdev(offs) / abs(statistics.mean(offs)) if len(offs) > 1 else float("nan")
        noises = [r[s]["noise"] for r in rows for s in ("on", "off") if r[s]["noise"] is not None]
        noise = statistics.median(noises) if noises else 0.0
        ok = gap >= -max(noise, se)
        p_on, p_off = statistics.mean(r["on"]["private"] for r in rows), statistics.mean(offs)
        print(f"| {name} | {len(rows)} | {cpu_on:,.1f} | {cpu_off:,.1f} | {cpu_on / cpu_off:.2f} | {all_on / all_off:.2f} "
              f"| {raced:g} | {futile:g} | {floor:.2f} | {p_on:,.1f} | {p_off:,.1f} | {100 * spread:.2f}% "
              f"| {100 * gap:+.2f}% ± {100 * se:.2f}% | {100 * noise:.2f}% | {p:.2f} | {'yes' if ok else 'no'} |")
    print(f"\nrepetitions per row in `reps`, {budget} candidates each; CPU-s, raced out and floor: medians; floor: "
          f"racing's cost had every raced-out child stopped at {FIRST} seeds; search spread: standard deviation "
          f"of all-seeds' private mean between repetitions; private gap: mean ± standard error of the paired "
          f"gaps; target: ratio <= 0.50 and the gap within the noise (no further below 0 than the larger of "
          f"its standard error and the re-judge noise)")


if __name__ == "__main__":
    main()
