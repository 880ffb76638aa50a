"""Racing over seeds (as F-race and irace do): judge a candidate seed by seed and stop it as soon as
the seeds still to run can no longer change what the search does with it.

Once the first `first` seeds are in, every finished case triggers two checks against each reference
(the parent, the incumbent best), both on the paired relative gains over the common seeds:
- clearly worse: a one-sided Wilcoxon signed-rank test at level `alpha` against either reference
  (judge.scoring.worse_p_value; irace tests after each instance the same way);
- futile: its chance of finishing ahead of the parent and of the best, extrapolating the trend of the
  seeds so far, is below `futility` for both (judge.scoring.chance_to_finish_ahead; group-sequential
  trials stop for futility this way, and Optuna's pruners stop unpromising trials for the same
  reason). This stops near-copies that are slightly behind and would otherwise run every seed. The
  search still takes such a child as a side step, at its estimated mean (ale.search.node_key): the
  best lineages of all-seeds runs pass through children a little worse than their parents.
Either stops the child and the seeds not yet started are skipped. Seeds are submitted in stages of
`first`, then doubling, so that a cluster, which runs a whole stage at once, still checks between
stages. On a problem without partial scores the first failed case stops it: one failure already
makes its total zero.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from judge import scoring
from judge.report import Report
from judge.runner import judge
from judge.problem import Problem


FUTILE = "futile"  # how a futility stop's reason starts (and the flag ale gives such a candidate)


@dataclass
class RaceRule:
    first: int = 5  # seeds in the first stage (all, if there are fewer)
    alpha: float = 0.05  # one-sided level of the paired test
    futility: float = 0.05  # stop when the chance to finish ahead of every reference is below this (0: off)
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
    """Judge `solution` on `seeds`, stopping early when it is clearly worse than a reference.

    refs: name -> that program's per-seed scores (None for a failed seed), e.g. {"parent": ..., "best": ...}.
    The Report holds only the seeds that ran; `skipped` the rest and `stopped` the reason.
    Without a rule (or rule.enabled false) this is plain judging of every seed.
    """
    rule = rule or RaceRule()
    strict = not problem.partial_score
    if not rule.enabled:
        return judge(problem, solution, seeds, stop=(lambda c: c.verdict != "AC") if strict else None, **judge_kw)
    seeds = list(seeds)
    mine: dict[int, float | None] = {}  # every finished case so far
    why: list[str] = []
    lock = threading.Lock()

    def stop(case) -> bool:  # called by the judge's worker threads as each case finishes
        with lock:
            mine[case.seed] = case.score if case.verdict == "AC" else None
            if why:
                return True
            if strict and case.verdict != "AC":
                why.append(f"{case.verdict} on seed {case.seed} (no partial scores: its total is 0)")
            elif rule.first <= len(mine) < len(seeds):
                why.extend(_stop_reason(mine, refs, problem.objective, rule, len(seeds)))
            return bool(why)

    report: Report | None = None
    batches = stages(seeds, rule.first)
    cancel = judge_kw.get("cancel")
    for i, batch in enumerate(batches):
        if report is not None and cancel is not None and cancel.is_set():  # abandoned by the caller: no more stages
            break
        part = judge(problem, solution, batch, stop=stop, **judge_kw)
        if report is None:
            report = part
        else:
            report.cases += part.cases
            report.skipped += part.skipped
        if not part.compile.get("ok", True):
            why[:] = ["compile error"]
        elif not why and judge_kw.get("cluster") and i + 1 < len(batches):  # a cluster ignores `stop`
            why.extend(_stop_reason(report.scores(), refs, problem.objective, rule, len(seeds)))
        if why:
            report.skipped += [s for b in batches[i + 1:] for s in b]
            break
    if why and report.skipped:  # a test that fired on the last case saved nothing: the child is complete
        report.stopped = why[0]
    return report


def _stop_reason(mine: scoring.Scores, refs: dict[str, scoring.Scores], objective: str, rule: RaceRule,
                 total: int) -> list[str]:
    """[why the child should stop], or [] if the seeds still to run could change its fate."""
    for name, ref in refs.items():
        p = scoring.worse_p_value(mine, ref, objective)
        if p < rule.alpha:
            return [f"worse than its {name} (Wilcoxon p={p:.3f} on {len(scoring.common_seeds(mine, ref))} seeds)"]
    if rule.futility > 0 and refs:
        chances = {name: scoring.chance_to_finish_ahead(mine, ref, objective, total) for name, ref in refs.items()}
        if all(c < rule.futility for c in chances.values()):
            said = ", ".join(f"{name} {100 * c:.1f}%" for name, c in chances.items())
            return [f"{FUTILE}: chance to finish ahead of its {said} after {len(mine)} of {total} seeds"]
    return []
