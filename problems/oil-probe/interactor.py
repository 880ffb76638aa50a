"""Interactor for oil-probe."""

import math
import random

from judge import WrongAnswer


def parse_input(input_text: str):
    lines = input_text.strip().split("\n")
    n_s, m_s, sigma_s = lines[0].split()
    n, m = int(n_s), int(m_s)
    v = [[int(x) for x in lines[2 + m + i].split()] for i in range(n)]
    noise_seed = int(lines[2 + m + n])
    return n, m, float(sigma_s), lines[0].strip() + "\n" + lines[1].strip() + "\n", v, noise_seed


def query_limit(n: int) -> int:
    return 2 * n * n


def survey_noise(rng: random.Random) -> float:
    """Approximately standard normal: sum of 12 uniforms minus 6 (only + and -, so every
    machine gets the same bits)."""
    s = 0.0
    for _ in range(12):
        s += rng.random()
    return s - 6.0


def _ints(tokens, where):
    try:
        return [int(t) for t in tokens]
    except ValueError:
        raise WrongAnswer(f"{where}: expected integers, got {' '.join(tokens)!r}") from None


def interact(input_text: str, channel) -> int:
    n, m, sigma, public, v, noise_seed = parse_input(input_text)
    rng = random.Random(noise_seed)
    oil = {(i, j) for i in range(n) for j in range(n) if v[i][j] > 0}
    limit = query_limit(n)
    channel.send(public)
    cost = 0.0
    queries = 0
    line_no = 0
    while True:
        line = channel.recv()
        line_no += 1
        tok = line.split()
        if tok and tok[0].startswith("#"):
            continue  # comment line: free, not a query
        queries += 1
        where = f"line {line_no} (query {queries})"
        if queries > limit:
            raise WrongAnswer(f"{where}: more than {limit} queries")
        if not tok:
            raise WrongAnswer(f"{where}: empty line")
        kind = tok[0]
        if kind == "d":
            if len(tok) != 3:
                raise WrongAnswer(f"{where}: drill needs 'd i j', got {line.strip()!r}")
            i, j = _ints(tok[1:], where)
            if not (0 <= i < n and 0 <= j < n):
                raise WrongAnswer(f"{where}: cell ({i}, {j}) is outside the {n}x{n} field")
            cost += 1.0
            channel.send(f"{v[i][j]}\n")
        elif kind == "s":
            if len(tok) != 5:
                raise WrongAnswer(f"{where}: survey needs 's i0 j0 i1 j1', got {line.strip()!r}")
            i0, j0, i1, j1 = _ints(tok[1:], where)
            if not (0 <= i0 <= i1 < n and 0 <= j0 <= j1 < n):
                raise WrongAnswer(f"{where}: bad survey rectangle ({i0}, {j0})-({i1}, {j1}); "
                                  f"need 0 <= i0 <= i1 < {n} and 0 <= j0 <= j1 < {n}")
            k = (i1 - i0 + 1) * (j1 - j0 + 1)
            if k < 2:
                raise WrongAnswer(f"{where}: a survey must cover at least 2 cells (use 'd' for one)")
            total = sum(v[i][j] for i in range(i0, i1 + 1) for j in range(j0, j1 + 1))
            reading = max(0, round(total + sigma * math.sqrt(k) * survey_noise(rng)))
            cost += 1.0 / math.sqrt(k)
            channel.send(f"{reading}\n")
        elif kind == "a":
            nums = _ints(tok[1:], where)
            if not nums or nums[0] < 0 or len(nums) != 1 + 2 * nums[0]:
                raise WrongAnswer(f"{where}: answer needs 'a K i_1 j_1 ... i_K j_K'")
            cells = set()
            for q in range(nums[0]):
                c = (nums[1 + 2 * q], nums[2 + 2 * q])
                if not (0 <= c[0] < n and 0 <= c[1] < n):
                    raise WrongAnswer(f"{where}: answer cell {c} is outside the field")
                if c in cells:
                    raise WrongAnswer(f"{where}: answer cell {c} listed twice")
                cells.add(c)
            cost += 1.0
            if cells == oil:
                channel.send("1\n")
                return max(1, round(1000 * cost))
            channel.send("0\n")
        else:
            raise WrongAnswer(f"{where}: unknown query type {kind!r} (expected d, s or a)")
