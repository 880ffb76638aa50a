"""Which candidate is best, and which to expand next: the best-first policy, kept pure."""

from __future__ import annotations

import math
from typing import Callable


def complete(c: dict) -> bool:
    """Judged on every public seed: not stopped early by racing (its mean covers fewer seeds)."""
    return "raced" not in (c.get("flags") or [])


def rank(c: dict) -> tuple:
    """Fully accepted candidates judged on every seed first; then fewer failures; then the objective
    (higher better). A raced-out child was stopped because it was worse than its parent or the best
    on their common seeds, or could not finish ahead of either, so it never outranks a complete
    accepted candidate."""
    key = c.get("rank_key")
    return (int(bool(c.get("accepted")) and complete(c)), -(c.get("failed") or 0), key if key is not None else -math.inf)


def node_key(c: dict) -> float | None:
    """What the search ranks a node by when choosing what to expand (higher better): its mean over
    every seed, or for a raced-out child the estimate of it (`estimate_key`, from its nearest complete
    ancestor's scores; judge.scoring.estimate_mean). So a child racing stopped a little behind stays
    a side step the search can take, as it would be had it run every seed; it is still never the best."""
    if c.get("accepted") and complete(c):
        return c.get("rank_key")
    return None if complete(c) else c.get("estimate_key")


def select(cands: list[dict], expandable: Callable[[dict], bool], exploration: float,
           pending: dict[int, int] | None = None) -> dict | None:
    """UCB over judged candidates: normalised objective (node_key) plus a bonus for rarely expanded nodes,
    so one lucky node does not starve the rest. Failing nodes score below every accepted one and
    are expanded only when their exploration bonus is large. `pending` counts children still in
    flight per node, so parallel proposals spread out as if they had been judged."""
    can = [c for c in cands if expandable(c)]
    if not can:
        return None
    expansions = {c["id"]: (pending or {}).get(c["id"], 0) for c in cands}
    for c in cands:
        if c.get("parent_id") in expansions:
            expansions[c["parent_id"]] += 1
    keys = {c["id"]: node_key(c) for c in can}
    ok = [k for k in keys.values() if k is not None]
    lo, hi = (min(ok), max(ok)) if ok else (0.0, 1.0)
    total = sum(expansions.values()) + 1

    def value(c):
        k = keys[c["id"]]
        v = ((k - lo) / (hi - lo) if hi > lo else 1.0) if k is not None else -1.0
        return v + exploration * math.sqrt(math.log(total + 1) / (expansions[c["id"]] + 1))

    return max(can, key=value)
