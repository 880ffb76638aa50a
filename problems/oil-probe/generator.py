"""Input generator for oil-probe. The text holds the hidden field; the interactor shows the
solution only the first two lines."""

import random


def _deposit(rng, n, size):
    """A random 4-connected set of `size` cells grown from a random seed cell."""
    i, j = rng.randrange(n), rng.randrange(n)
    cells = [(i, j)]
    taken = {(i, j)}
    while len(cells) < size:
        a, b = cells[rng.randrange(len(cells))]
        d = rng.randrange(4)
        a += (-1, 1, 0, 0)[d]
        b += (0, 0, -1, 1)[d]
        if 0 <= a < n and 0 <= b < n and (a, b) not in taken:
            taken.add((a, b))
            cells.append((a, b))
    return sorted(cells)


def generate(seed: int) -> str:
    rng = random.Random(seed)
    n = rng.randint(10, 20)
    m = rng.randint(2, 6)
    sigma = rng.randint(5, 50) / 100  # 0.05 .. 0.50
    density = rng.uniform(0.08, 0.35)
    hi = max(4, int(n * n * density / m))
    deposits = [_deposit(rng, n, rng.randint(4, hi)) for _ in range(m)]
    v = [[0] * n for _ in range(n)]
    for dep in deposits:
        for i, j in dep:
            v[i][j] += 1
    lines = [f"{n} {m} {sigma:.2f}", " ".join(str(len(d)) for d in deposits)]
    for dep in deposits:
        lines.append(" ".join([str(len(dep))] + [f"{i} {j}" for i, j in dep]))
    lines += [" ".join(map(str, row)) for row in v]
    lines.append(str(rng.randrange(2 ** 31)))
    return "\n".join(lines) + "\n"
