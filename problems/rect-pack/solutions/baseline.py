"""Baseline for rect-pack: start every booth as a 1x1 cell on its point, then let all
booths grow in rounds (halving the step) while they stay free of overlaps and under their
requested area."""

import os
import sys

import numpy as np


def main():
    if os.environ.get("ALE_WARMUP"):  # the judge's compile phase: nothing to warm up
        return
    tok = sys.stdin.read().split()
    L, n = int(tok[0]), int(tok[1])
    v = np.array(tok[2:2 + 3 * n], dtype=np.int64).reshape(n, 3)
    x, y, r = v[:, 0], v[:, 1], v[:, 2]
    R = np.stack([x, y, x + 1, y + 1], axis=1)  # a b c d

    def free(i, a, b, c, d):
        ov = (np.maximum(R[:, 0], a) < np.minimum(R[:, 2], c)) & (np.maximum(R[:, 1], b) < np.minimum(R[:, 3], d))
        ov[i] = False
        return not ov.any()

    step = 1024
    while step >= 1:
        for _ in range(2):
            for i in range(n):
                for side in range(4):
                    a, b, c, d = (int(t) for t in R[i])
                    if side == 0:
                        a -= step
                    elif side == 1:
                        b -= step
                    elif side == 2:
                        c += step
                    else:
                        d += step
                    if a < 0 or b < 0 or c > L or d > L or (c - a) * (d - b) > r[i]:
                        continue
                    if free(i, a, b, c, d):
                        R[i] = (a, b, c, d)
        step //= 2
    sys.stdout.write("".join(f"{a} {b} {c} {d}\n" for a, b, c, d in R.tolist()))


main()
