"""Input generator for beacon-estimate.

The text holds hidden information (the beacon positions and the noise seed); the interactor only
ever sends the solution the first line.
"""

import random


def generate(seed: int) -> str:
    rng = random.Random(seed * 1000003 + 5)
    n = rng.randint(5, 40)
    sigma = round(rng.uniform(0.03, 0.30), 3)
    cost = round(rng.uniform(0.2, 3.0), 2)
    qmax = 100 * n
    noise_seed = rng.randrange(1 << 31)
    lines = [f"{n} {qmax} {sigma} {cost}", str(noise_seed)]
    for _ in range(n):
        lines.append(f"{rng.randint(0, 1000)} {rng.randint(0, 1000)}")
    return "\n".join(lines) + "\n"
