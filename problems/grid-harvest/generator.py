"""Input generator for grid-harvest (Orchard Robot)."""

import random


def _smooth_field(rng, n, bumps):
    """A field in [0, 1] made from random smooth bumps (only + - * /, so every machine
    computes the same bits)."""
    centres = [(rng.uniform(0, n), rng.uniform(0, n), rng.uniform(n / 5, n / 1.5), rng.uniform(0.3, 1.0))
               for _ in range(bumps)]
    f = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            v = 0.0
            for ci, cj, s, h in centres:
                q = 1.0 - ((i - ci) * (i - ci) + (j - cj) * (j - cj)) / (s * s)
                if q > 0:
                    v += h * q * q
            f[i][j] = v
    hi = max(max(row) for row in f) or 1.0
    return [[v / hi for v in row] for row in f]


def generate(seed: int) -> str:
    rng = random.Random(seed)
    n = rng.randint(10, 40)
    t_max = int(round(n * n * rng.uniform(0.5, 3.0)))
    rock_density = rng.uniform(0.0, 0.25)

    rock = [[False] * n for _ in range(n)]
    target = int(rock_density * n * n)
    placed = 0
    while placed < target:
        i, j = rng.randrange(n), rng.randrange(n)
        for _ in range(rng.randint(1, 8)):  # a short random walk of rocks
            if not rock[i][j]:
                rock[i][j] = True
                placed += 1
            d = rng.randrange(4)
            i = min(n - 1, max(0, i + (-1, 1, 0, 0)[d]))
            j = min(n - 1, max(0, j + (0, 0, -1, 1)[d]))

    # keep only the largest 4-connected open region; everything else becomes rock
    comp = [[-1] * n for _ in range(n)]
    best, best_size = -1, 0
    k = 0
    for si in range(n):
        for sj in range(n):
            if rock[si][sj] or comp[si][sj] >= 0:
                continue
            stack = [(si, sj)]
            comp[si][sj] = k
            size = 0
            while stack:
                i, j = stack.pop()
                size += 1
                for di, dj in ((-1, 0), (1, 0), (0, -1), (0, 1)):
                    a, b = i + di, j + dj
                    if 0 <= a < n and 0 <= b < n and not rock[a][b] and comp[a][b] < 0:
                        comp[a][b] = k
                        stack.append((a, b))
            if size > best_size:
                best, best_size = k, size
            k += 1
    for i in range(n):
        for j in range(n):
            if comp[i][j] != best:
                rock[i][j] = True

    cap = _smooth_field(rng, n, rng.randint(2, 8))
    grow = _smooth_field(rng, n, rng.randint(2, 8))
    sharp = rng.randint(2, 4)  # capacity = 1 + 99 * field^sharp
    open_cells = [(i, j) for i in range(n) for j in range(n) if not rock[i][j]]
    si, sj = open_cells[rng.randrange(len(open_cells))]

    lines = [f"{n} {t_max} {si} {sj}"]
    lines += ["".join("#" if rock[i][j] else "." for j in range(n)) for i in range(n)]

    def power(v, k):
        out = 1.0
        for _ in range(k):
            out *= v
        return out

    lines += [" ".join("0" if rock[i][j] else str(1 + int(99 * power(cap[i][j], sharp))) for j in range(n)) for i in range(n)]
    lines += [" ".join("0" if rock[i][j] else str(1 + int(4.99 * power(grow[i][j], 2))) for j in range(n)) for i in range(n)]
    return "\n".join(lines) + "\n"
