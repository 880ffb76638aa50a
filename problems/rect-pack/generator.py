"""Input generator for rect-pack (Exhibition Hall Booths)."""

import random

L = 10000


def generate(seed: int) -> str:
    rng = random.Random(seed)
    n = rng.randint(30, 200)
    fill = rng.uniform(0.5, 1.0)
    spread = rng.uniform(1.0, 20.0)  # ratio between the largest and smallest weight
    points = set()
    pts = []
    while len(pts) < n:
        x = rng.randrange(L)
        y = rng.randrange(L)
        if (x, y) in points:
            continue
        points.add((x, y))
        pts.append((x, y))
    # only + - * / on floats, so every machine computes the same bits
    weights = []
    for _ in range(n):
        u = rng.random()
        weights.append(1.0 + (spread - 1.0) * u * u)
    total = sum(weights)
    lines = [f"{L} {n}"]
    for (x, y), w in zip(pts, weights):
        r = max(1, int(L * L * fill * w / total))
        lines.append(f"{x} {y} {r}")
    return "\n".join(lines) + "\n"
