"""Several models behind one Provider: a bandit picks who answers, failing models sit on the bench.

A pool turns "which model is worth its price on this problem" into data: each
call goes to the member with the best sampled improvement-per-dollar, and one
model being down never stops a run while another member can take the call.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from ale.providers.base import Context, ModelCall, Proposal, Provider, ProviderError
from ale.providers.chat import ChatProvider, ModelUnavailable

ROLES = ("draft", "refine", "distil")


@dataclass
class Member:
    """One configured model and what the pool has seen of it."""

    name: str
    provider: ChatProvider
    roles: set[str] = field(default_factory=lambda: set(ROLES))
    weight: float = 1.0
    trials: int = 0  # judged candidates it wrote
    wins: int = 0  # ... that beat their parent
    calls: int = 0
    cost: float = 0.0
    failures: int = 0  # consecutive failed calls or unusable answers
    benched_until: float = 0.0  # monotonic seconds
    benched_calls: int = 0  # pool call count at which the bench ends
    last_error: str = ""


class Pool(Provider):
    """Route each call to a member chosen by Thompson sampling on improvement per cost.

    Per member, P(child beats parent) ~ Beta(1 + wins, 1 + trials - wins); the
    sampled rate times `weight`, divided by (mean dollars per call + `cost_eps`),
    ranks the members able to play the role. A member is benched after
    `bench_after` consecutive failures (errors, timeouts, unparseable or
    unappliable answers), or at once when it is unavailable after its own retries;
    the bench lasts `bench_seconds` or `bench_calls` pool calls, whichever ends
    first. When every member is benched, the one whose bench ends soonest is tried.

    `observe(candidate)` reads: `model` (the member name, as set on
    Proposal.model), and either `improved` (bool), or `public_mean` with
    `parent_mean` (compared by `objective`, default maximize), or `rank_key` with
    `parent_rank_key` (higher is better). Rows it cannot attribute are ignored.
    """

    name = "pool"

    def __init__(self, members: list[Member], *, objective: str = "maximize", seed: int | None = None,
                 bench_after: int = 3, bench_seconds: float = 120.0, bench_calls: int = 10,
                 cost_eps: float = 0.01):
        if not members:
            raise ProviderError("the model pool is empty (every member was excluded or lacks a key)")
        self.members = members
        self.objective = objective
        self.rng = random.Random(seed)
        self.bench_after, self.bench_seconds, self.bench_calls = bench_after, bench_seconds, bench_calls
        self.cost_eps = cost_eps
        self.ncalls = 0
        self.warnings: list[str] = []

    # choosing

    def benched(self, m: Member) -> bool:
        return m.benched_until > time.monotonic() and m.benched_calls > self.ncalls

    def _value(self, m: Member) -> float:
        rate = self.rng.betavariate(1 + m.wins, 1 + max(m.trials - m.wins, 0))
        per_call = m.cost / m.calls if m.calls else 0.0
        return m.weight * rate / (per_call + self.cost_eps)

    def _order(self, role: str) -> list[Member]:
        """Members able to play `role`: the bandit's ranking of the available, then the benched."""
        able = [m for m in self.members if role in m.roles] or list(self.members)
        ready = sorted((m for m in able if not self.benched(m)), key=self._value, reverse=True)
        waiting = sorted((m for m in able if self.benched(m)), key=lambda m: m.benched_until)
        return ready + waiting

    def _bench(self, m: Member, why: str, forever: bool = False) -> None:
        """A refused key (ProviderError mid-run) benches for good; anything else for a while."""
        m.benched_until = float("inf") if forever else time.monotonic() + self.bench_seconds
        m.benched_calls = 1 << 62 if forever else self.ncalls + self.bench_calls
        m.failures = 0
        self.warnings.append(f"benched {m.name}: {why}")

    def _account(self, m: Member, calls: list[ModelCall]) -> None:
        m.calls += len(calls)
        m.cost += sum(c.cost for c in calls)

    def _failed(self, m: Member, why: str) -> None:
        m.failures += 1
        m.last_error = why
        if m.failures >= self.bench_after:
            self._bench(m, f"{m.failures} failures in a row, last: {why}")

    # Provider

    async def propose(self, ctx: Context) -> Proposal:
        refine = ctx.role != "draft" and ctx.parent is not None and ctx.parent.get("source")
        role = "refine" if refine else "draft"
        self.ncalls += 1
        calls: list[ModelCall] = []
        errors = []
        for m in self._order(role):
            before = len(calls)
            try:
                proposal = await m.provider._propose(ctx, calls)
            except (ModelUnavailable, ProviderError) as e:
                self._account(m, calls[before:])
                m.last_error = str(e)
                self._bench(m, str(e), forever=isinstance(e, ProviderError))
                errors.append(f"{m.name}: {e}")
                continue
            self._account(m, calls[before:])
            proposal.model = m.name
            proposal.calls = calls
            if proposal.error:
                self._failed(m, proposal.error)
            else:
                m.failures = 0
            return proposal
        return Proposal(None, method=role, error="all models unavailable: " + "; ".join(errors), calls=calls)

    async def distil(self, ctx: Context, child: dict, child_feedback: dict) -> tuple[list, list[ModelCall]]:
        self.ncalls += 1
        calls: list[ModelCall] = []
        for m in self._order("distil"):
            before = len(calls)
            try:
                lessons, _ = await m.provider._distil(ctx, child, child_feedback, calls)
            except (ModelUnavailable, ProviderError) as e:
                self._account(m, calls[before:])
                self._bench(m, str(e), forever=isinstance(e, ProviderError))
                continue
            self._account(m, calls[before:])
            if any(c.error for c in calls[before:]) and not lessons:
                self._failed(m, calls[-1].error or "invalid lessons")
            else:
                m.failures = 0
            return lessons, calls
        return [], calls

    def observe(self, candidate: dict) -> None:
        m = self.member(candidate.get("model"))
        if m is None:
            return
        improved = self._improved(candidate)
        if improved is None:
            return
        m.trials += 1
        m.wins += int(improved)

    def _improved(self, c: dict) -> bool | None:
        if c.get("improved") is not None:
            return bool(c["improved"])
        if not c.get("accepted", True):
            return False
        mean, parent = c.get("public_mean"), c.get("parent_mean")
        if isinstance(mean, (int, float)) and isinstance(parent, (int, float)):
            return mean < parent if self.objective == "minimize" else mean > parent
        key, parent_key = c.get("rank_key"), c.get("parent_rank_key")
        if key is not None and parent_key is not None:
            return key > parent_key
        return None

    def member(self, name: str | None) -> Member | None:
        return next((m for m in self.members if name in (m.name, m.provider.label)), None)

    async def check(self) -> None:
        """Drop members whose key is refused (with a warning); fail only if none is left."""
        ok, reasons = [], []
        for m in self.members:
            try:
                await m.provider.check()
                ok.append(m)
            except ProviderError as e:
                reasons.append(f"{m.name}: {e}")
                self.warnings.append(f"dropped {m.name}: {e}")
        if not ok:
            raise ProviderError("no usable model in the pool: " + "; ".join(reasons))
        self.members = ok

    async def close(self) -> None:
        for m in self.members:
            await m.provider.close()

    def stats(self) -> list[dict]:
        """Per member: calls, cost, trials, wins, benched; for the run summary."""
        return [{"name": m.name, "model": m.provider.model, "calls": m.calls, "cost": round(m.cost, 6),
                 "trials": m.trials, "wins": m.wins, "benched": self.benched(m), "last_error": m.last_error}
                for m in self.members]
