"""Scorer for rect-pack (Exhibition Hall Booths)."""

import numpy as np

from judge import WrongAnswer


def parse_input(input_text: str):
    tok = input_text.split()
    L, n = int(tok[0]), int(tok[1])
    vals = np.array(tok[2:2 + 3 * n], dtype=np.int64).reshape(n, 3)
    return L, n, vals[:, 0], vals[:, 1], vals[:, 2]


def parse_output(output_text: str, L: int, n: int) -> np.ndarray:
    lines = output_text.split("\n")
    while lines and lines[-1].strip() == "":
        lines.pop()
    if len(lines) < n:
        raise WrongAnswer(f"expected {n} lines, got {len(lines)}")
    if len(lines) > n:
        raise WrongAnswer(f"line {n + 1}: expected {n} lines, got {len(lines)}")
    rects = np.zeros((n, 4), dtype=np.int64)
    for k, line in enumerate(lines):
        parts = line.split()
        if len(parts) != 4:
            raise WrongAnswer(f"line {k + 1}: expected 4 integers, got {len(parts)} tokens")
        try:
            a, b, c, d = (int(p) for p in parts)
        except ValueError:
            raise WrongAnswer(f"line {k + 1}: not an integer in {line.strip()!r}") from None
        if not (0 <= a < c <= L and 0 <= b < d <= L):
            raise WrongAnswer(
                f"line {k + 1}: rectangle {k + 1} ({a} {b} {c} {d}) must satisfy "
                f"0 <= a < c <= {L} and 0 <= b < d <= {L}")
        rects[k] = (a, b, c, d)
    return rects


def satisfaction(r, w, h, inside):
    """Per-booth satisfaction p_i (numpy arrays in, float array out)."""
    s = w * h
    ratio = np.minimum(r, s) / np.maximum(r, s)
    p = 1.0 - (1.0 - ratio) ** 2
    p = np.where(np.maximum(w, h) > 4 * np.minimum(w, h), 0.5 * p, p)
    return np.where(inside, p, 0.0)


def score(input_text: str, output_text: str) -> int:
    L, n, x, y, r = parse_input(input_text)
    rects = parse_output(output_text, L, n)
    a, b, c, d = rects[:, 0], rects[:, 1], rects[:, 2], rects[:, 3]
    ov = ((np.maximum(a[:, None], a[None, :]) < np.minimum(c[:, None], c[None, :]))
          & (np.maximum(b[:, None], b[None, :]) < np.minimum(d[:, None], d[None, :])))
    np.fill_diagonal(ov, False)
    if ov.any():
        i, j = np.argwhere(np.triu(ov))[0]  # i < j: report the later line
        raise WrongAnswer(f"line {j + 1}: rectangle {j + 1} overlaps rectangle {i + 1}")
    inside = (a <= x) & (x < c) & (b <= y) & (y < d)
    p = satisfaction(r.astype(np.float64), (c - a).astype(np.float64), (d - b).astype(np.float64), inside)
    return max(1, int(round(1e9 * float(p.sum()) / n)))
