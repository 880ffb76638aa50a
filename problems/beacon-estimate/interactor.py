"""Interactor for beacon-estimate: answers noisy range queries, then scores the final estimate."""

import math
import random

from judge import WrongAnswer


def parse_input(input_text: str):
    lines = input_text.split("\n")
    head = lines[0].split()
    n, qmax, sigma, cost = int(head[0]), int(head[1]), float(head[2]), float(head[3])
    noise_seed = int(lines[1])
    beacons = [tuple(int(v) for v in lines[2 + i].split()) for i in range(n)]
    return n, qmax, sigma, cost, noise_seed, beacons


def measure(d: float, sigma: float, z: float) -> int:
    """The reply to a query at true distance d with standard normal draw z."""
    return int(math.floor(d * math.exp(sigma * z) + 0.5))


def final_score(n: int, cost: float, used: int, err_sum: float) -> int:
    return max(1, round(1e6 * n / (n + err_sum + cost * used)))


def interact(input_text: str, channel) -> int:
    n, qmax, sigma, cost, noise_seed, beacons = parse_input(input_text)
    rng = random.Random(noise_seed)
    channel.send(f"{n} {qmax} {sigma} {cost}")
    used = 0
    line_no = 0
    while True:
        line = channel.recv()
        line_no += 1
        tok = line.split()
        if not tok:
            raise WrongAnswer(f"line {line_no}: empty line, expected '? i x y' or '! ...'")
        if tok[0] == "?":
            if len(tok) != 4:
                raise WrongAnswer(f"line {line_no}: a query needs exactly 3 values '? i x y', got {len(tok) - 1}")
            try:
                i, x, y = int(tok[1]), int(tok[2]), int(tok[3])
            except ValueError:
                raise WrongAnswer(f"line {line_no}: query values must be integers: {line[:60]!r}") from None
            if not 0 <= i < n:
                raise WrongAnswer(f"line {line_no}: beacon index {i} is out of range [0, {n - 1}]")
            if not (0 <= x <= 1000 and 0 <= y <= 1000):
                raise WrongAnswer(f"line {line_no}: query point ({x}, {y}) is outside [0, 1000] x [0, 1000]")
            used += 1
            if used > qmax:
                raise WrongAnswer(f"line {line_no}: query {used} exceeds the limit of {qmax} queries")
            bx, by = beacons[i]
            z = rng.gauss(0.0, 1.0)
            channel.send(str(measure(math.hypot(bx - x, by - y), sigma, z)))
        elif tok[0] == "!":
            if len(tok) != 1 + 2 * n:
                raise WrongAnswer(f"line {line_no}: the answer needs {2 * n} numbers after '!', got {len(tok) - 1}")
            err = 0.0
            for i in range(n):
                try:
                    ex, ey = float(tok[1 + 2 * i]), float(tok[2 + 2 * i])
                except ValueError:
                    raise WrongAnswer(f"line {line_no}: estimate of beacon {i} is not a number") from None
                if not (math.isfinite(ex) and math.isfinite(ey)):
                    raise WrongAnswer(f"line {line_no}: estimate of beacon {i} is not finite")
                bx, by = beacons[i]
                err += math.hypot(ex - bx, ey - by)
            return final_score(n, cost, used, err)
        else:
            raise WrongAnswer(f"line {line_no}: expected a line starting with '?' or '!', got {tok[0][:20]!r}")
