"""Scorer for job-shop: makespan plus total tardiness (smaller is better)."""

import numpy as np

from judge import WrongAnswer


def parse_input(input_text: str):
    lines = input_text.split("\n")
    n, w, k = map(int, lines[0].split())
    mach = np.zeros(n, dtype=np.int64)
    dead = np.zeros(n, dtype=np.int64)
    dur = np.zeros((n, w), dtype=np.int64)
    preds = []
    for i in range(n):
        t = list(map(int, lines[1 + i].split()))
        mach[i], dead[i] = t[0], t[1]
        dur[i] = t[2 : 2 + w]
        c = t[2 + w]
        preds.append([a - 1 for a in t[3 + w : 3 + w + c]])
    return n, w, k, mach, dead, dur, preds


def _check_overlaps(res, start, end, what):
    """res[i] = resource used by task i (0 = none). Raises on the first overlap in time order."""
    idx = np.nonzero(res > 0)[0]
    if idx.size < 2:
        return
    order = idx[np.lexsort((start[idx], res[idx]))]
    r, s, e = res[order], start[order], end[order]
    bad = np.nonzero((r[1:] == r[:-1]) & (s[1:] < e[:-1]))[0]
    if bad.size:
        j = bad[0]
        a, b = int(order[j]) + 1, int(order[j + 1]) + 1
        raise WrongAnswer(
            f"line {b}: {what} {int(r[j])} is still busy with task {a} (line {a}) until time {int(e[j])}, "
            f"but task {b} starts there at time {int(s[j + 1])}"
        )


def score(input_text: str, output_text: str) -> int:
    n, w, k, mach, dead, dur, preds = parse_input(input_text)
    out = output_text.split("\n")
    while out and not out[-1].strip():
        out.pop()
    if len(out) < n:
        raise WrongAnswer(f"line {len(out) + 1}: expected {n} lines (one per task), got {len(out)}")
    if len(out) > n:
        raise WrongAnswer(f"line {n + 1}: extra output after the {n} task lines")
    worker = np.zeros(n, dtype=np.int64)
    start = np.zeros(n, dtype=np.int64)
    for i in range(n):
        t = out[i].split()
        if len(t) != 2:
            raise WrongAnswer(f"line {i + 1}: expected 2 integers 'worker start', got {len(t)} tokens")
        try:
            wi, si = int(t[0]), int(t[1])
        except ValueError:
            raise WrongAnswer(f"line {i + 1}: worker and start must be integers: {out[i][:40]!r}") from None
        if not 1 <= wi <= w:
            raise WrongAnswer(f"line {i + 1}: worker {wi} is out of range [1, {w}]")
        if dur[i, wi - 1] == 0:
            raise WrongAnswer(f"line {i + 1}: worker {wi} is not qualified for task {i + 1}")
        if not 0 <= si <= 10**9:
            raise WrongAnswer(f"line {i + 1}: start time {si} is out of range [0, 10^9]")
        worker[i], start[i] = wi, si
    end = start + dur[np.arange(n), worker - 1]
    for i in range(n):
        for a in preds[i]:
            if start[i] < end[a]:
                raise WrongAnswer(
                    f"line {i + 1}: task {i + 1} starts at {int(start[i])} before its predecessor task {a + 1} "
                    f"ends at {int(end[a])}"
                )
    _check_overlaps(worker, start, end, "worker")
    _check_overlaps(mach, start, end, "machine")
    makespan = int(end.max())
    tardiness = int(np.maximum(0, end - dead).sum())
    return max(1, makespan + tardiness)
