"""Scorer for grid-harvest (Orchard Robot)."""

from judge import WrongAnswer

MOVES = {"U": (-1, 0), "D": (1, 0), "L": (0, -1), "R": (0, 1)}


def parse_input(input_text: str):
    lines = input_text.split("\n")
    n, t_max, si, sj = (int(v) for v in lines[0].split())
    rock = [[ch == "#" for ch in lines[1 + i].strip()] for i in range(n)]
    cap = [[int(v) for v in lines[1 + n + i].split()] for i in range(n)]
    grow = [[int(v) for v in lines[1 + 2 * n + i].split()] for i in range(n)]
    return n, t_max, si, sj, rock, cap, grow


def parse_moves(output_text: str, t_max: int) -> str:
    lines = output_text.split("\n")
    while lines and lines[-1].strip() == "":
        lines.pop()
    if len(lines) > 1:
        raise WrongAnswer(f"line 2: expected a single line of moves, got {len(lines)} lines")
    moves = lines[0].strip() if lines else ""
    if len(moves) > t_max:
        raise WrongAnswer(f"line 1: {len(moves)} moves, more than T = {t_max}")
    return moves


def simulate(input_text: str, moves: str):
    """Yields (step, i, j, gained) for the start (step 0) and every move. Raises WrongAnswer."""
    n, t_max, si, sj, rock, cap, grow = parse_input(input_text)
    last = [[None] * n for _ in range(n)]
    i, j = si, sj
    last[i][j] = 0
    yield 0, i, j, cap[i][j]
    for t, ch in enumerate(moves, start=1):
        d = MOVES.get(ch)
        if d is None:
            raise WrongAnswer(f"line 1, move {t}: invalid character {ch!r} (expected U, D, L or R)")
        a, b = i + d[0], j + d[1]
        if not (0 <= a < n and 0 <= b < n):
            raise WrongAnswer(f"line 1, move {t} ({ch}): leaves the orchard from ({i}, {j})")
        if rock[a][b]:
            raise WrongAnswer(f"line 1, move {t} ({ch}): cell ({a}, {b}) is a rock")
        i, j = a, b
        h = last[i][j]
        gain = cap[i][j] if h is None else min(cap[i][j], grow[i][j] * (t - h))
        last[i][j] = t
        yield t, i, j, gain


def score(input_text: str, output_text: str) -> int:
    t_max = int(input_text.split()[1])
    moves = parse_moves(output_text, t_max)
    total = 0
    for _, _, _, gain in simulate(input_text, moves):
        total += gain
    return max(1, total)
