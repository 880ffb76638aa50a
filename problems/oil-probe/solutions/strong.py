"""Strong solution for oil-probe.

1. If the survey noise is low enough, survey the field in b x b blocks (b chosen so that the
   reading's noise, sigma * b, is about NOISE_TARGET) to learn where the oil is likely to be.
2. Drill blocks from the richest reading down. Inside a block, drill a sparse pattern first,
   then the rest of one checkerboard colour. Every drilled cell with oil floods: its undrilled
   neighbours are drilled next, so a found deposit is mapped at once.
3. Stop as soon as the drilled oil adds up to the total (sum of deposit sizes): every
   undrilled cell is then empty. This also makes the answer certain: a deposit has >= 4
   connected cells, so it always covers a cell of the drilled colour, which starts a flood.
"""

import math
import os
import sys
import time

T0_WALL = time.perf_counter()

NOISE_TARGET = 1.0       # ale: param float 0.1 5.0 log
MAX_SIDE = 5             # ale: param int 2 8
TIME_BUDGET = 1.2        # ale: param float 0.3 1.5


class Field:
    def __init__(self, n, total):
        self.n = n
        self.total = total
        self.known = {}
        self.found = 0

    def drill(self, i, j):
        print(f"d {i} {j}", flush=True)
        v = int(sys.stdin.readline())
        self.known[(i, j)] = v
        self.found += v
        return v

    def done(self):
        return self.found >= self.total


def survey(i0, j0, i1, j1):
    print(f"s {i0} {j0} {i1} {j1}", flush=True)
    return int(sys.stdin.readline())


def main():
    if os.environ.get("ALE_WARMUP"):  # nothing to compile
        return
    n_s, _m, sigma_s = sys.stdin.readline().split()
    n, sigma = int(n_s), float(sigma_s)
    sizes = [int(x) for x in sys.stdin.readline().split()]
    f = Field(n, sum(sizes))

    side = int(min(MAX_SIDE, math.floor(NOISE_TARGET / sigma)))
    blocks = []  # (reading, cells)
    if side >= 2:
        for i0 in range(0, n, side):
            for j0 in range(0, n, side):
                i1, j1 = min(n, i0 + side) - 1, min(n, j0 + side) - 1
                cells = [(i, j) for i in range(i0, i1 + 1) for j in range(j0, j1 + 1)]
                if len(cells) >= 2 and time.perf_counter() - T0_WALL < TIME_BUDGET:
                    r = survey(i0, j0, i1, j1)
                else:
                    r = 0.5  # not surveyed: somewhere between empty and one unit of oil
                blocks.append((r, cells))
    else:
        blocks.append((1, [(i, j) for i in range(n) for j in range(n)]))
    blocks.sort(key=lambda b: -b[0] / len(b[1]))

    def flood(i, j):
        stack = [(i, j)]
        while stack and not f.done():
            a, b = stack.pop()
            for c, d in ((a - 1, b), (a + 1, b), (a, b - 1), (a, b + 1)):
                if 0 <= c < n and 0 <= d < n and (c, d) not in f.known:
                    if f.drill(c, d) > 0:
                        stack.append((c, d))
                    if f.done():
                        return

    def visit(i, j):
        if (i, j) in f.known or f.done():
            return
        if f.drill(i, j) > 0:
            flood(i, j)

    for _r, cells in blocks:
        sparse = [c for c in cells if (c[0] + 2 * c[1]) % 5 == 0]
        black = [c for c in cells if (c[0] + c[1]) % 2 == 0 and (c[0] + 2 * c[1]) % 5 != 0]
        for c in sparse + black:
            visit(*c)
        if f.done():
            break
    # safety net (never needed when the statement's guarantees hold): drill what is left
    for i in range(n):
        for j in range(n):
            if not f.done():
                visit(i, j)
    oil = [f"{i} {j}" for (i, j), v in sorted(f.known.items()) if v > 0]
    print(f"a {len(oil)} {' '.join(oil)}", flush=True)
    sys.stdin.readline()


main()
