"""The one small interface every proposal source implements.

A provider turns a `Context` (problem, parent, judge feedback, lessons) into a
`Proposal` (a new source file, or a reason it failed). The loop never knows
whether a model, a recording or the offline optimiser wrote the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class ProviderError(Exception):
    """A provider cannot work at all (bad key, bad config): stop before the run."""


class BudgetExceeded(Exception):
    """The run's cost or token budget would be exceeded by another call."""


@dataclass
class Budget:
    """Spend limits checked before each model call; None means unlimited."""

    max_cost: float | None = None
    max_tokens: int | None = None
    cost: float = 0.0
    tokens_in: int = 0
    tokens_out: int = 0
    cache_write: int = 0
    cache_read: int = 0

    def check(self) -> None:
        if self.max_cost is not None and self.cost >= self.max_cost:
            raise BudgetExceeded(f"cost budget ${self.max_cost:.2f} reached (${self.cost:.4f} spent)")
        total = self.tokens_in + self.tokens_out + self.cache_write + self.cache_read
        if self.max_tokens is not None and total >= self.max_tokens:
            raise BudgetExceeded(f"token budget {self.max_tokens} reached ({total} used)")

    def add(self, call: "ModelCall") -> None:
        self.cost += call.cost
        self.tokens_in += call.input_tokens
        self.tokens_out += call.output_tokens
        self.cache_write += call.cache_write_tokens
        self.cache_read += call.cache_read_tokens


from ale.providers.model import Completion as ModelCall  # noqa: E402  (one record of a model call)


@dataclass
class Context:
    """Everything a provider may read to write one proposal."""

    problem_id: str
    statement: str
    objective: str  # maximize | minimize
    time_limit: float
    memory_limit: int
    tags: list[str]
    role: str = "refine"  # draft (no parent) | refine: kept for older callers; `operator` wins when set
    parent: dict | None = None  # candidate row: id, source, language, params, public_mean, accepted
    feedback: dict | None = None  # {mean, accepted, cases: [{seed, verdict, score, time, message, relative}],
    #   stderr_tail, failures: [{seed, verdict, message, log, time}], compile: {ok, message}}
    operator: str | None = None  # draft | improve | debug | crossover (ale.providers.proposer.OPERATORS)
    other: dict | None = None  # crossover: the second parent (candidate row with source)
    approaches: list[str] = field(default_factory=list)  # draft: what the run's lineages already do
    lessons: list = field(default_factory=list)  # ale.lessons.Lesson
    tried: list[str] = field(default_factory=list)  # notes of children already made from this parent
    history: list[dict] = field(default_factory=list)  # judged candidates of this run (id, parent_id, params, public_mean, accepted, rank_key, method)
    solutions: dict[str, str] = field(default_factory=dict)  # starting files of the package: name -> source
    budget: Budget = field(default_factory=Budget)
    fixed: dict = field(default_factory=dict)  # parameters the user pinned (--fix): not to be tuned


@dataclass
class Proposal:
    """A provider's answer: new source, or the reason there is none."""

    source: str | None
    language: str = "py"
    method: str = ""  # e.g. tpe, draft, edit, whole
    note: str = ""
    params: dict[str, Any] | None = None
    error: str | None = None  # a failed proposal: unparseable output, a patch that did not apply...
    model: str | None = None
    calls: list[ModelCall] = field(default_factory=list)
    operator: str = ""  # the operator that asked for it (draft, improve, debug, crossover; tune offline)
    rejected: str | None = None  # why the guard or a review refused it before judging


class Provider:
    """Base class: subclasses implement `propose`; `distil` and `observe` are optional."""

    name = "base"
    writes_code = True  # drafts fresh solutions from the statement (the offline drafter does not)

    def expandable(self, candidate: dict) -> bool:
        """Whether this provider can make children from `candidate` (offline needs param lines)."""
        return True

    async def propose(self, ctx: Context) -> Proposal:
        raise NotImplementedError

    async def distil(self, ctx: Context, child: dict, child_feedback: dict) -> tuple[list, list[ModelCall]]:
        """Lessons learnt from one judged child (compared with ctx.parent)."""
        return [], []

    def observe(self, candidate: dict) -> None:
        """A judged candidate (row with public_mean, accepted, params): for stateful optimisers."""

    async def close(self) -> None:
        pass
