"""Several models behind one ChatModel: a conductor routes each call by role, failing models sit on the bench.

A pool turns "which model is worth its price for this kind of call on this problem"
into data: members declare the roles they play (draft, improve, debug, crossover,
distil, review); each call goes to the member with the best sampled
improvement-per-dollar for that role, and one model being down never stops a run
while another member can take the call.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field

from judge import scoring
from ale.providers.base import ProviderError
from ale.providers.model import ChatModel, Completion, ModelUnavailable

ROLES = ("draft", "improve", "debug", "crossover", "distil", "review")
ROLE_ALIASES = {"refine": ("improve", "debug", "crossover")}  # the one editing role of older configs
DEFAULT_ROLES = ("draft", "improve", "debug", "crossover", "distil")  # review only when asked for


def expand_roles(roles) -> set[str]:
    out: set[str] = set()
    for r in roles:
        out.update(ROLE_ALIASES.get(r, (r,)))
    return out


@dataclass
class Member:
    """One configured model and what the pool has seen of it."""

    name: str
    model: ChatModel
    roles: set[str] = field(default_factory=lambda: set(DEFAULT_ROLES))
    weight: float = 1.0
    trials: dict = field(default_factory=dict)  # role -> judged candidates it wrote in that role
    won: dict = field(default_factory=dict)  # role -> ... that beat their parent
    calls: int = 0
    cost: float = 0.0
    tokens: int = 0
    failures: int = 0  # consecutive failed calls or unusable answers
    benched_until: float = 0.0  # monotonic seconds
    benched_calls: int = 0  # pool call count at which the bench ends
    last_error: str = ""
    max_tokens: int | None = None  # this member's own cap on an answer (ale.yaml `max_tokens`)

    @property
    def provider(self) -> ChatModel:  # the name before models and proposers were split
        return self.model

    @property
    def wins(self) -> int:
        return sum(self.won.values())


class Pool(ChatModel):
    """Route each call to a member chosen by Thompson sampling on improvement per cost, per role.

    Per member and role, P(child beats parent) ~ Beta(1 + wins, 1 + trials - wins); the
    sampled rate times `weight`, divided by (mean dollars per call + `cost_eps`),
    ranks the members able to play the role. A member is benched after
    `bench_after` consecutive failures (errors, timeouts, unparseable, unappliable or
    rejected answers), or at once when it is unavailable after its own retries; the
    bench lasts `bench_seconds` or `bench_calls` pool calls, whichever ends first.
    When every member is benched, the one whose bench ends soonest is tried; a key
    refused mid-run benches a member for good, and a pool with no member left stops.
    """

    kind = "pool"

    def __init__(self, members: list[Member], *, objective: str = "maximize", seed: int | None = None,
                 bench_after: int = 3, bench_seconds: float = 120.0, bench_calls: int = 10,
                 cost_eps: float = 0.01):
        if not members:
            raise ProviderError("the model pool is empty (every member was excluded or lacks a key)")
        super().__init__("pool", label="pool")
        self.members = members
        self.objective = objective
        self.rng = random.Random(seed)
        self.bench_after, self.bench_seconds, self.bench_calls = bench_after, bench_seconds, bench_calls
        self.cost_eps = cost_eps
        self.ncalls = 0
        self.warnings: list[str] = []
        self._shown = 0
        self.excluded: list[str] = []

    # choosing

    def benched(self, m: Member) -> bool:
        return m.benched_until > time.monotonic() and m.benched_calls > self.ncalls

    def _value(self, m: Member, role: str) -> float:
        trials, wins = m.trials.get(role, 0), m.won.get(role, 0)
        rate = self.rng.betavariate(1 + wins, 1 + max(trials - wins, 0))
        per_call = m.cost / m.calls if m.calls else 0.0
        return m.weight * rate / (per_call + self.cost_eps)

    def _order(self, role: str) -> list[Member]:
        """Members able to play `role`: the bandit's ranking of the available, then the benched."""
        role = ROLE_ALIASES.get(role, (role,))[0]
        able = [m for m in self.members if role in m.roles and m.benched_until != float("inf")]
        if not able and role != "review":
            able = [m for m in self.members if m.benched_until != float("inf")]
        ready = sorted((m for m in able if not self.benched(m)), key=lambda m: self._value(m, role), reverse=True)
        waiting = sorted((m for m in able if self.benched(m)), key=lambda m: m.benched_until)
        return ready + waiting

    def has_role(self, role: str) -> bool:
        return any(role in m.roles for m in self.members if m.benched_until != float("inf"))

    def _bench(self, m: Member, why: str, forever: bool = False) -> None:
        """A refused key (ProviderError mid-run) benches for good; anything else for a while.
        Calls that were already in flight when a member was benched do not bench it again."""
        if self.benched(m) and (not forever or m.benched_until == float("inf")):
            return
        m.benched_until = float("inf") if forever else time.monotonic() + self.bench_seconds
        m.benched_calls = 1 << 62 if forever else self.ncalls + self.bench_calls
        m.failures = 0
        self.warnings.append(f"benched {m.name}{' for the rest of the run' if forever else ''}: {why}")

    def _account(self, m: Member, calls: list[Completion]) -> None:
        m.calls += len(calls)
        m.cost += sum(c.cost for c in calls)
        m.tokens += sum(c.input_tokens + c.output_tokens + c.cache_read_tokens + c.cache_write_tokens for c in calls)

    # ChatModel

    async def complete(self, prompt, *, role: str, max_tokens: int, prefer: str | None = None) -> Completion:
        self.ncalls += 1
        order = self._order(role)
        if prefer:
            order = sorted(order, key=lambda m: m.name != prefer)
        failed: list[Completion] = []
        errors = []
        for m in order:
            try:
                cap = min(max_tokens, m.max_tokens) if m.max_tokens else max_tokens
                done = await m.model.complete(prompt, role=role, max_tokens=cap)
            except (ModelUnavailable, ProviderError) as e:
                calls = getattr(e, "calls", [])
                for c in calls:
                    c.member = m.name
                self._account(m, calls)
                failed += calls
                m.last_error = str(e)
                self._bench(m, str(e), forever=isinstance(e, ProviderError))
                errors.append(str(e) if str(e).startswith(f"{m.name}:") else f"{m.name}: {e}")
                continue
            self._account(m, [done])
            done.member = m.name
            done.failed_before = failed + done.failed_before
            return done
        why = "; ".join(errors) or f"no member can play the role {role}"
        raise ModelUnavailable(f"all models unavailable: {why}", failed)

    def outcome(self, completion: Completion, ok: bool, why: str = "") -> None:
        m = self.member(completion.member)
        if m is None:
            return
        if ok:
            m.failures = 0
            return
        m.failures += 1
        m.last_error = why
        if m.failures >= self.bench_after:
            self._bench(m, f"{m.failures} failures in a row, last: {why}")

    def observe(self, candidate: dict) -> None:
        m = self.member(candidate.get("model"))
        if m is None:
            return
        improved = self._improved(candidate)
        if improved is None:
            return
        role = candidate.get("operator") or "improve"
        role = ROLE_ALIASES.get(role, (role,))[0]
        m.trials[role] = m.trials.get(role, 0) + 1
        m.won[role] = m.won.get(role, 0) + int(improved)

    def _improved(self, c: dict) -> bool | None:
        if c.get("improved") is not None:
            return bool(c["improved"])
        if not c.get("accepted", True):
            return False
        mean, parent = c.get("public_mean"), c.get("parent_mean")
        if isinstance(mean, (int, float)) and isinstance(parent, (int, float)):
            return scoring.better(mean, parent, self.objective)
        key, parent_key = c.get("rank_key"), c.get("parent_rank_key")
        if key is not None and parent_key is not None:
            return key > parent_key
        return None

    def member(self, name: str | None) -> Member | None:
        return next((m for m in self.members if name in (m.name, m.model.label)), None)

    def usable(self) -> str | None:
        if all(m.benched_until == float("inf") for m in self.members):
            return "no usable model left in the pool: " + "; ".join(f"{m.name}: {m.last_error}" for m in self.members)
        return None

    def drain_warnings(self) -> list[str]:
        new = self.warnings[self._shown:]
        self._shown = len(self.warnings)
        return new

    async def check(self) -> None:
        """Drop members whose key is refused (with a warning); fail only if none is left."""
        ok, reasons = [], []
        for m in self.members:
            try:
                await m.model.check()
                ok.append(m)
            except ProviderError as e:
                reasons.append(f"{m.name}: {e}")
                self.warnings.append(f"dropped {m.name}: {e}")
        if not ok:
            raise ProviderError("no usable model in the pool: " + "; ".join(reasons))
        self.members = ok

    async def close(self) -> None:
        for m in self.members:
            await m.model.close()

    def stats(self) -> list[dict]:
        """Per member: calls, cost, tokens, wins, benched; for the run summary and progress."""
        return [{"name": m.name, "model": m.model.model, "roles": sorted(m.roles), "calls": m.calls,
                 "cost": round(m.cost, 6), "tokens": m.tokens, "trials": sum(m.trials.values()), "wins": m.wins,
                 "benched": self.benched(m) or m.benched_until == float("inf"), "last_error": m.last_error}
                for m in self.members] + [{"name": n, "excluded": True} for n in self.excluded]
