"""What "better" means, in one place: objective-aware comparison, relative score, common-seed means,
the paired test racing uses to stop a clearly worse candidate early, and the chance it uses to stop
a futile one.

Scores are per seed ({seed: score}); a seed that was not accepted has score None. The judge, the
search, the pool and the offline drafter all compare through these functions, so a minimize problem
can never be ranked upside down in one place and right in another.
"""

from __future__ import annotations

import math
from typing import Mapping, Optional

Scores = Mapping[int, Optional[float]]


def sign(objective: str) -> int:
    """+1 when higher scores are better, -1 when lower are."""
    return 1 if objective == "maximize" else -1


def better(a: float, b: float, objective: str) -> bool:
    """Is score `a` strictly better than score `b`?"""
    return a * sign(objective) > b * sign(objective)


def relative(score: float | None, best: float | None, objective: str) -> float:
    """AtCoder's relative score of one seed, 0..1: score/best (maximize) or best/score (minimize).

    A failed seed is 0; a seed with no known best (or beating it) is 1.
    """
    if score is None:
        return 0.0
    if best is None or not better(best, score, objective):
        return 1.0
    if objective == "maximize":
        return score / best if best > 0 else 0.0
    return best / score if score > 0 else 0.0


def common_seeds(a: Scores, b: Scores) -> list[int]:
    return sorted(set(a) & set(b))


def mean_over(scores: Scores, seeds: list[int], objective: str, partial_score: bool = True) -> float | None:
    """Mean score over `seeds` (failed seeds count 0, as in a contest); None if no seed or, when
    partial_score is false, if any seed failed."""
    if not seeds:
        return None
    vals = [scores.get(s) for s in seeds]
    if not partial_score and any(v is None for v in vals):
        return None
    return sum(v or 0 for v in vals) / len(vals)


def compare_key(scores: Scores, objective: str, partial_score: bool = True, seeds: list[int] | None = None) -> tuple:
    """A sort key (higher is better) over `seeds` (default all): fully accepted first, then fewer
    failures, then the objective's mean of the accepted seeds."""
    seeds = sorted(scores) if seeds is None else seeds
    ok = [scores[s] for s in seeds if scores.get(s) is not None]
    accepted = bool(seeds) and len(ok) == len(seeds)
    if not partial_score and not accepted:
        return (0, 0, float("-inf"))
    if not ok:
        return (int(accepted), 0, float("-inf"))
    if objective == "maximize":
        return (int(accepted), len(ok), sum(ok) / len(seeds))
    return (int(accepted), len(ok), -sum(ok) / len(ok))


def estimate_mean(child: Scores, ref: Scores) -> float | None:
    """A partly judged child's mean over all of the reference's seeds, estimated from the seeds both
    ran: the reference's mean plus the child's mean difference on the common seeds (the difference
    estimator of survey sampling; paired seeds cancel most of the seed-to-seed spread). This lets a
    model of the search learn from a raced-out child instead of scoring it as a failure. None when
    no seed is common or either failed a seed (a failure has no difference to average)."""
    common = common_seeds(child, ref)
    if not common or not ref or any(v is None for v in ref.values()) or any(child[s] is None for s in common):
        return None
    return sum(ref.values()) / len(ref) + sum(child[s] - ref[s] for s in common) / len(common)


def paired_gains(child: Scores, ref: Scores, objective: str) -> list[float]:
    """Per common seed, how much better the child did than the reference, as a fraction of the
    better of the two (so seeds of different scale weigh alike): in [-1, 1], > 0 means better.
    A seed only one of them failed counts as the full -1 or +1; seeds both failed are left out."""
    out = []
    for s in common_seeds(child, ref):
        c, r = child[s], ref[s]
        if c is None and r is None:
            continue
        if c is None or r is None:
            out.append(-1.0 if c is None else 1.0)
            continue
        scale = max(abs(c), abs(r)) or 1.0
        out.append(sign(objective) * (c - r) / scale)
    return out


def worse_p_value(child: Scores, ref: Scores, objective: str) -> float:
    """One-sided p-value that the child is worse than the reference on their common seeds:
    Wilcoxon signed-rank on the paired relative gains (exact for small samples, zero gains dropped).
    1.0 when there is nothing to test."""
    gains = [g for g in paired_gains(child, ref, objective) if g != 0.0]
    if len(gains) < 2:
        return 1.0
    from scipy.stats import wilcoxon  # only when racing: ~0.2 s to import

    return float(wilcoxon(gains, alternative="less").pvalue)


def chance_to_finish_ahead(child: Scores, ref: Scores, objective: str, total: int) -> float:
    """Conditional power, as group-sequential trials use it to stop for futility: the chance that the
    child's mean paired gain over `total` seeds ends above 0 if the seeds not yet run follow the trend
    of those that have (normal, with the mean and spread seen so far). A child identical to the
    reference on every seed so far has no trend to extrapolate and cannot finish ahead: 0.
    1.0 when there is too little to extrapolate from (fewer than 2 common seeds)."""
    gains = paired_gains(child, ref, objective)
    m = len(gains)
    if m < 2:
        return 1.0
    mean = sum(gains) / m
    rest = total - m
    if rest <= 0:
        return float(mean > 0)
    sd = math.sqrt(sum((g - mean) ** 2 for g in gains) / (m - 1))
    if sd == 0:
        return float(mean > 0)
    z = total * mean / (sd * math.sqrt(rest))  # final sum = m*mean + rest*mean +- sd*sqrt(rest)
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))
