"""Report: one solution's cases on one problem, and what they add up to (totals, ranking, relative scores)."""

from __future__ import annotations

from dataclasses import dataclass, field

from judge import scoring
from judge.case import CaseResult


@dataclass
class Report:
    problem: str
    solution: str
    objective: str
    partial_score: bool
    cases: list[CaseResult]
    compile: dict = field(default_factory=dict)
    sandbox: str = ""
    cluster: dict = field(default_factory=dict)  # with --cluster: address, nodes used, retries
    skipped: list[int] = field(default_factory=list)  # seeds not run: the judge was told to stop early
    stopped: str = ""  # why it stopped early (racing), or ""

    @property
    def accepted(self) -> bool:
        """Every case AC."""
        return bool(self.cases) and all(c.verdict == "AC" for c in self.cases)

    @property
    def failed(self) -> int:
        return sum(c.verdict != "AC" for c in self.cases)

    @property
    def total(self) -> int:
        """Sum of case scores; zero for a non-AC case, and for everything when partial_score is false."""
        if not self.partial_score and not self.accepted:
            return 0
        return sum(c.score for c in self.cases if c.verdict == "AC")

    @property
    def mean(self) -> float:
        return self.total / len(self.cases) if self.cases else 0.0

    @property
    def max_time(self) -> float:
        return max((c.time for c in self.cases), default=0.0)

    @property
    def cpu_seconds(self) -> float:
        """What judging cost: the measured time of every case that ran (max of CPU and wall each)."""
        return sum(c.time for c in self.cases)

    def scores(self) -> dict[int, int | None]:
        """Per seed: the score when accepted, else None (the shape judge.scoring compares)."""
        return {c.seed: (c.score if c.verdict == "AC" else None) for c in self.cases}

    @property
    def relative_mean(self) -> float | None:
        rel = [c.relative for c in self.cases if c.relative is not None]
        return sum(rel) / len(rel) if rel else None

    @property
    def n_best(self) -> int:
        return sum(1 for c in self.cases if c.relative is not None and c.relative >= 1.0 and c.verdict == "AC")

    def rank_key(self) -> tuple:
        """Sorts better submissions higher: all-AC first, then more ACs, then the objective."""
        return scoring.compare_key(self.scores(), self.objective, self.partial_score)

    def apply_best(self, best: dict[int, int]) -> None:
        """Fill per-case relative scores against the best known score for each seed."""
        for c in self.cases:
            if c.verdict != "AC" or (not self.partial_score and not self.accepted):
                c.relative = 0.0
                continue
            c.relative = scoring.relative(c.score, best.get(c.seed), self.objective)

    def best_scores(self) -> dict[int, int]:
        """The AC scores of this report, for updating the best-known table."""
        if not self.partial_score and not self.accepted:
            return {}
        return {c.seed: c.score for c in self.cases if c.verdict == "AC"}

    def to_dict(self) -> dict:
        return {
            "problem": self.problem,
            "solution": self.solution,
            "objective": self.objective,
            "sandbox": self.sandbox,
            "compile": self.compile,
            "cases": [c.to_dict() for c in self.cases],
            "total": self.total,
            "mean": self.mean,
            "accepted": self.accepted,
            "failed": self.failed,
            "max_time": self.max_time,
            "relative_mean": self.relative_mean,
            "n_best": self.n_best,
            "cpu_seconds": round(self.cpu_seconds, 3),
            "cases_run": len(self.cases),
            "cases_skipped": len(self.skipped),
            "stopped": self.stopped,
        } | ({"cluster": self.cluster} if self.cluster else {})
