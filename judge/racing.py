"""Racing over seeds (as F-race and irace do): judge a candidate in growing stages and stop it as
soon as it is clearly worse than the programs it must beat, so judge time goes where it decides
something.

Stages: the first `first` seeds, then the seed count doubles until every seed has run. After each
stage, a one-sided Wilcoxon signed-rank test on the paired relative gains over the common seeds
(judge.scoring.worse_p_value) against each reference (the parent, the incumbent best) stops a child
that is worse at level `alpha`. On a problem without partial scores the first failed case stops it:
one failure already makes its total zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from judge import scoring
from judge.report import Report
from judge.runner import judge
from judge.problem import Problem


@dataclass
class RaceRule:
    first: int = 5  # seeds in the first stage (all, if there are fewer)
    alpha: float = 0.05  # one-sided level of the paired test
    enabled: bool = True


def stages(seeds: list[int], first: int) -> list[list[int]]:
    """Consecutive batches: `first` seeds, then doubling the total each time."""
    out, done, size = [], 0, max(1, first)
    while done < len(seeds):
        out.append(seeds[done:size])
        done, size = size, size * 2
    return out


def race(problem: Problem, solution: str | Path, seeds: list[int], refs: dict[str, scoring.Scores],
         rule: RaceRule | None = None, **judge_kw) -> Report:
    """Judge `solution` on `seeds` in stages, stopping early when it is clearly worse than a reference.

    refs: name -> that program's per-seed scores (None for a failed seed), e.g. {"parent": ..., "best": ...}.
    The Report holds only the seeds that ran; `skipped` the rest and `stopped` the reason.
    Without a rule (or rule.enabled false) this is plain judging of every seed.
    """
    rule = rule or RaceRule()
    strict = not problem.partial_score
    if not rule.enabled:
        return judge(problem, solution, seeds, stop=(lambda c: c.verdict != "AC") if strict else None, **judge_kw)
    report: Report | None = None
    batches = stages(list(seeds), rule.first)
    for i, batch in enumerate(batches):
        part = judge(problem, solution, batch, stop=(lambda c: c.verdict != "AC") if strict else None, **judge_kw)
        if report is None:
            report = part
        else:
            report.cases += part.cases
            report.skipped += part.skipped
        rest = [s for b in batches[i + 1:] for s in b]
        if not part.compile.get("ok", True):
            report.stopped = "compile error"
        elif strict and (part.skipped or any(c.verdict != "AC" for c in part.cases)):
            bad = next(c for c in part.cases if c.verdict != "AC")
            report.stopped = f"{bad.verdict} on seed {bad.seed} (no partial scores: its total is 0)"
        elif rest:
            mine = report.scores()
            for name, ref in refs.items():
                p = scoring.worse_p_value(mine, ref, problem.objective)
                if p < rule.alpha:
                    n = len(scoring.common_seeds(mine, ref))
                    report.stopped = f"worse than its {name} (Wilcoxon p={p:.3f} on {n} seeds)"
                    break
        if report.stopped:
            report.skipped += rest
            break
    return report
