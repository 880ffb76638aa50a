"""Scorer for delivery-route: total length of all routes (smaller is better)."""

import sys
import types

import numpy as np
from numba import njit

from judge import WrongAnswer

# numba's on-disk cache records the module a compiled function belongs to and re-imports it by
# name when it loads the cache. This file may be loaded by path under any module name (or none),
# so the kernels are attached to a stand-in module with a fixed name that we register ourselves.
_KERNELS = "_ale_delivery_route_kernels"


def _kernel(fn):
    if _KERNELS not in sys.modules:
        stand_in = types.ModuleType(_KERNELS)
        stand_in.np = np
        sys.modules[_KERNELS] = stand_in
    fn.__module__ = _KERNELS
    return njit(cache=True)(fn)


def parse_input(input_text: str):
    tok = input_text.split()
    n, q = int(tok[0]), int(tok[1])
    xs = np.empty(n + 1, dtype=np.float64)
    ys = np.empty(n + 1, dtype=np.float64)
    dem = np.zeros(n + 1, dtype=np.int64)
    xs[0], ys[0] = float(tok[2]), float(tok[3])
    k = 4
    for i in range(1, n + 1):
        xs[i], ys[i], dem[i] = float(tok[k]), float(tok[k + 1]), int(tok[k + 2])
        k += 3
    return n, q, xs, ys, dem


@_kernel
def _total_length(xs, ys, flat, starts):
    """Sum over routes of depot -> c1 -> ... -> cm -> depot (Euclidean, float)."""
    total = 0.0
    for r in range(starts.shape[0] - 1):
        prev = 0
        for k in range(starts[r], starts[r + 1]):
            c = flat[k]
            total += np.sqrt((xs[c] - xs[prev]) ** 2 + (ys[c] - ys[prev]) ** 2)
            prev = c
        total += np.sqrt((xs[0] - xs[prev]) ** 2 + (ys[0] - ys[prev]) ** 2)
    return total


def _int(token: str, line_no: int, what: str) -> int:
    try:
        return int(token)
    except ValueError:
        raise WrongAnswer(f"line {line_no}: {what} must be an integer, got {token[:20]!r}") from None


def score(input_text: str, output_text: str) -> int:
    n, q, xs, ys, dem = parse_input(input_text)
    lines = [(i + 1, ln.split()) for i, ln in enumerate(output_text.splitlines())]
    lines = [(no, t) for no, t in lines if t]
    if not lines:
        raise WrongAnswer("line 1: empty output, expected the number of routes R")
    no, t = lines[0]
    if len(t) != 1:
        raise WrongAnswer(f"line {no}: expected one integer R, got {len(t)} tokens")
    r = _int(t[0], no, "R")
    if not 1 <= r <= n:
        raise WrongAnswer(f"line {no}: R = {r} is out of range [1, {n}]")
    if len(lines) - 1 < r:
        raise WrongAnswer(f"line {no}: R = {r} but only {len(lines) - 1} route lines follow")
    if len(lines) - 1 > r:
        raise WrongAnswer(f"line {lines[r + 1][0]}: extra line after the {r} routes")
    visited_at = [0] * (n + 1)
    flat = []
    starts = [0]
    for idx in range(1, r + 1):
        no, t = lines[idx]
        m = _int(t[0], no, "route size m")
        if m < 1:
            raise WrongAnswer(f"line {no}: route size m = {m} must be at least 1")
        if len(t) != m + 1:
            raise WrongAnswer(f"line {no}: route size m = {m} but {len(t) - 1} customers listed")
        load = 0
        for tok in t[1:]:
            c = _int(tok, no, "customer")
            if not 1 <= c <= n:
                raise WrongAnswer(f"line {no}: customer {c} is out of range [1, {n}]")
            if visited_at[c]:
                raise WrongAnswer(f"line {no}: customer {c} visited twice (first on line {visited_at[c]})")
            visited_at[c] = no
            load += int(dem[c])
            flat.append(c)
        if load > q:
            raise WrongAnswer(f"line {no}: route load {load} exceeds capacity {q}")
        starts.append(len(flat))
    if len(flat) != n:
        missing = next(c for c in range(1, n + 1) if not visited_at[c])
        raise WrongAnswer(f"line {lines[-1][0]}: customer {missing} is never visited")
    total = _total_length(xs, ys, np.array(flat, dtype=np.int64), np.array(starts, dtype=np.int64))
    return max(1, int(round(total)))
