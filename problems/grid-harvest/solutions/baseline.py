"""Baseline for grid-harvest: T times, step to the neighbouring cell that holds the most fruit
right now (ties: U, D, L, R order)."""

import os
import sys


def main():
    if os.environ.get("ALE_WARMUP"):  # the judge's compile phase: nothing to warm up
        return
    lines = sys.stdin.read().split("\n")
    n, t_max, i, j = (int(v) for v in lines[0].split())
    rock = [lines[1 + k].strip() for k in range(n)]
    cap = [[int(v) for v in lines[1 + n + k].split()] for k in range(n)]
    grow = [[int(v) for v in lines[1 + 2 * n + k].split()] for k in range(n)]
    last = [[-10 ** 9] * n for _ in range(n)]
    last[i][j] = 0
    out = []
    for t in range(1, t_max + 1):
        best = None
        for ch, di, dj in (("U", -1, 0), ("D", 1, 0), ("L", 0, -1), ("R", 0, 1)):
            a, b = i + di, j + dj
            if 0 <= a < n and 0 <= b < n and rock[a][b] != "#":
                v = min(cap[a][b], grow[a][b] * (t - last[a][b]))
                if best is None or v > best[0]:
                    best = (v, ch, a, b)
        _, ch, i, j = best
        last[i][j] = t
        out.append(ch)
    print("".join(out))


main()
