"""Strong solution for grid-harvest: depth-limited lookahead with a far-target fallback,
restarted with random perturbations while time remains; the best walk wins.

Each step enumerates every walk of DEPTH moves (no immediate U-turns below the root), scoring
the discounted fruit it would collect (regrowth along the walk included). When the best
nearby walk is poor compared with heading for a rich cell further away (found by BFS), the
robot takes the first step towards that cell instead.
"""

import time

T0_WALL = time.perf_counter()

import os  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

TIME_BUDGET = 1.5        # ale: param float 0.8 1.8
DEPTH = 6                # ale: param int 3 8
GAMMA = 0.9              # ale: param float 0.5 1.0
NOISE = 0.15
DIRS = "UDLR"


def walk(n, t_max, start, cap, grow, nbr, depth, gamma, noise, seed, moves):
    """Plan a whole walk into `moves` (direction indices); returns the fruit collected.

    Compiled ahead of time (see the ONLINE_JUDGE branch below): the timed run never imports numba."""
    np.random.seed(seed)
    m = n * n
    last = np.full(m, -1_000_000_000, dtype=np.int64)
    disc = np.empty(depth + 1)
    disc[0] = 1.0
    for k in range(1, depth + 1):
        disc[k] = disc[k - 1] * gamma
    cell = np.empty(depth + 2, dtype=np.int64)
    dirk = np.empty(depth + 2, dtype=np.int64)
    saved = np.empty(depth + 2, dtype=np.int64)
    acc = np.empty(depth + 2)
    grew = np.empty(depth + 2, dtype=np.bool_)
    dist = np.empty(m, dtype=np.int64)
    first = np.empty(m, dtype=np.int64)
    queue = np.empty(m, dtype=np.int64)
    val_first = np.empty(4)
    p = start
    last[p] = 0
    total = cap[p]
    for cur in range(t_max):
        d_eff = min(depth, t_max - cur)
        # ---- lookahead over all walks of d_eff moves
        for k in range(4):
            val_first[k] = -1.0
        level = 0
        cell[0] = p
        dirk[0] = 0
        acc[0] = 0.0
        grew[0] = False
        fdir = -1
        while level >= 0:
            if level == d_eff or dirk[level] == 4:
                if level == d_eff or not grew[level]:
                    if level > 0 and acc[level] > val_first[fdir]:
                        val_first[fdir] = acc[level]
                if level > 0:
                    last[cell[level]] = saved[level]
                level -= 1
                continue
            d = dirk[level]
            dirk[level] += 1
            q = nbr[cell[level], d]
            if q < 0:
                continue
            if level > 0 and q == cell[level - 1]:
                continue
            tt = cur + level + 1
            g = grow[q] * (tt - last[q])
            if g > cap[q]:
                g = cap[q]
            grew[level] = True
            if level == 0:
                fdir = d
            level += 1
            cell[level] = q
            saved[level] = last[q]
            last[q] = tt
            acc[level] = acc[level - 1] + disc[level - 1] * g
            dirk[level] = 0
            grew[level] = False
        best_d = -1
        best_v = -1.0
        for k in range(4):
            if val_first[k] >= 0:
                v = val_first[k] * (1.0 + noise * np.random.random())
                if v > best_v:
                    best_v = v
                    best_d = k
        # ---- far target: BFS, best fruit-at-arrival per step of travel
        wsum = 0.0
        for k in range(d_eff):
            wsum += disc[k]
        rate_here = best_v / wsum
        for k in range(m):
            dist[k] = -1
        head = 0
        tail = 0
        dist[p] = 0
        queue[tail] = p
        tail += 1
        best_rate = 0.0
        best_far = -1
        while head < tail:
            u = queue[head]
            head += 1
            for k in range(4):
                q = nbr[u, k]
                if q >= 0 and dist[q] < 0:
                    dist[q] = dist[u] + 1
                    first[q] = k if u == p else first[u]
                    queue[tail] = q
                    tail += 1
                    if dist[q] <= t_max - cur:
                        g = grow[q] * (cur + dist[q] - last[q])
                        if g > cap[q]:
                            g = cap[q]
                        r = g / (dist[q] + 2.0)
                        if r > best_rate:
                            best_rate = r
                            best_far = q
        if best_far >= 0 and best_rate > rate_here:
            best_d = first[best_far]
        # ---- make the move
        p = nbr[p, best_d]
        g = grow[p] * (cur + 1 - last[p])
        if g > cap[p]:
            g = cap[p]
        total += g
        last[p] = cur + 1
        moves[cur] = best_d
    return total


WALK_SIG = "i8(i8, i8, i8, i8[:], i8[:], i8[:,:], i8, f8, f8, i8, i8[:])"

if sys.argv[-1] == "ONLINE_JUDGE":  # the judge's untimed compile phase: build the kernel module next to this file
    from numba.pycc import CC

    cc = CC("grid_harvest_kernels")
    cc.export("walk", WALK_SIG)(walk)
    cc.compile()
    sys.exit(0)

from grid_harvest_kernels import walk  # noqa: E402,F811  (the compiled kernel replaces the Python one)


def solve(n, t_max, start, cap, grow, nbr, deadline):
    moves = np.zeros(t_max, dtype=np.int64)
    best_moves = moves.copy()
    best = walk(n, t_max, start, cap, grow, nbr, DEPTH, GAMMA, 0.0, 1, moves)
    best_moves[:] = moves
    rng = np.random.default_rng(7)
    run = 0
    last_cost = time.perf_counter()
    while True:
        now = time.perf_counter()
        cost = now - last_cost
        last_cost = now
        if now + 1.2 * cost > deadline:
            break
        run += 1
        depth = int(max(3, min(8, DEPTH + rng.integers(-1, 1))))
        gamma = float(min(1.0, GAMMA * rng.uniform(0.9, 1.1)))
        v = walk(n, t_max, start, cap, grow, nbr, depth, gamma, NOISE, run + 1, moves)
        if v > best:
            best = v
            best_moves[:] = moves
    return best, best_moves


def build(n, rock):
    nbr = np.full((n * n, 4), -1, dtype=np.int64)
    for i in range(n):
        for j in range(n):
            if rock[i][j] == "#":
                continue
            for k, (di, dj) in enumerate(((-1, 0), (1, 0), (0, -1), (0, 1))):
                a, b = i + di, j + dj
                if 0 <= a < n and 0 <= b < n and rock[a][b] != "#":
                    nbr[i * n + j, k] = a * n + b
    return nbr


def main():
    lines = sys.stdin.read().split("\n")
    n, t_max, si, sj = (int(v) for v in lines[0].split())
    rock = [lines[1 + k].strip() for k in range(n)]
    cap = np.array(" ".join(lines[1 + n:1 + 2 * n]).split(), dtype=np.int64)
    grow = np.array(" ".join(lines[1 + 2 * n:1 + 3 * n]).split(), dtype=np.int64)
    best, moves = solve(n, t_max, si * n + sj, cap, grow, build(n, rock), T0_WALL + TIME_BUDGET)
    sys.stdout.write("".join(DIRS[k] for k in moves.tolist()) + "\n")
    sys.stdout.flush()
    print(f"collected {best}", file=sys.stderr)


main()
sys.stderr.flush()
# the output is flushed: skip the interpreter's teardown
os._exit(0)
