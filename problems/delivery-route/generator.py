"""Input generator for delivery-route (capacitated vehicle routing)."""

import math
import random


def generate(seed: int) -> str:
    rng = random.Random(seed * 7919 + 17)
    n = rng.randint(50, 500)
    depot = (rng.randint(300, 700), rng.randint(300, 700))
    n_clusters = rng.randint(0, 8)
    centers = [(rng.randint(100, 900), rng.randint(100, 900), rng.randint(30, 150)) for _ in range(n_clusters)]
    uniform_share = 1.0 if n_clusters == 0 else rng.uniform(0.1, 0.6)
    max_demand = rng.randint(1, 10)
    pts = []
    seen = {depot}
    while len(pts) < n:
        if rng.random() < uniform_share:
            x, y = rng.randint(0, 1000), rng.randint(0, 1000)
        else:
            cx, cy, r = centers[rng.randrange(n_clusters)]
            x = int(round(rng.gauss(cx, r)))
            y = int(round(rng.gauss(cy, r)))
            if not (0 <= x <= 1000 and 0 <= y <= 1000):
                continue
        if (x, y) in seen:
            continue
        seen.add((x, y))
        pts.append((x, y, rng.randint(1, max_demand)))
    total = sum(p[2] for p in pts)
    target_routes = rng.randint(3, max(3, n // 8))
    q = max(max_demand, 10, math.ceil(total / target_routes))
    lines = [f"{n} {q}", f"{depot[0]} {depot[1]}"]
    lines += [f"{x} {y} {d}" for x, y, d in pts]
    return "\n".join(lines) + "\n"
