"""Serve an earlier run's recorded model answers, so the run can be re-executed with no network.

The prompts and parsing are the Proposer's own, so a replayed answer becomes the
same proposal byte for byte. Answers are matched per role: first a recorded call
with the identical prompt record (robust to calls that finished out of order in
the original run), else the next unused call of that role in id order (the loop
records calls in the order it issued the proposals).
"""

from __future__ import annotations

import json

from ale.providers.base import BudgetExceeded
from ale.providers.model import UNAVAILABLE, ChatModel, Completion

LEGACY_ROLES = {"improve": "refine", "debug": "refine", "crossover": "refine"}  # runs recorded before operators


class ReplayModel(ChatModel):
    """`calls` are the store's model-call rows of the recorded run (`store.model_calls(run_id)`).

    Calls that failed without an answer (recorded with an `unavailable:` error) are
    skipped: in the original run the pool moved on to another model, whose answer
    is the next one recorded. Recorded tokens and cost are charged again so the
    budget stops where it stopped before.
    """

    kind = "replay"

    def __init__(self, calls: list[dict], *, run_id: int | None = None, model: str = "replay", label: str | None = None):
        super().__init__(model, label=label)
        self.run_id = run_id
        self.queues: dict[str, list[dict]] = {}
        for row in calls:
            if str(row.get("error") or "").startswith(UNAVAILABLE):
                continue
            self.queues.setdefault(row["role"], []).append(row)
        self.used: dict[str, set[int]] = {role: set() for role in self.queues}

    @classmethod
    def from_store(cls, store, run_id: int, **kw) -> "ReplayModel":
        calls = store.model_calls(run_id)
        if not calls:
            from ale.providers.base import ProviderError

            raise ProviderError(f"run {run_id} has no recorded model calls to replay")
        return cls(calls, run_id=run_id, **kw)

    def remaining(self) -> int:
        return sum(len(q) - len(self.used[role]) for role, q in self.queues.items())

    def has_role(self, role: str) -> bool:
        return role != "review" or bool(self.queues.get("review"))

    def _next(self, role: str, prompt: str) -> dict:
        if role not in self.queues and role in LEGACY_ROLES:
            role = LEGACY_ROLES[role]
        queue = self.queues.get(role, [])
        used = self.used.setdefault(role, set())
        free = [i for i in range(len(queue)) if i not in used]
        if not free:
            raise BudgetExceeded(f"replay exhausted: no more recorded {role} answers")
        pick = next((i for i in free if _same_prompt(queue[i].get("prompt"), prompt)), free[0])
        used.add(pick)
        return queue[pick]

    async def complete(self, prompt, *, role: str, max_tokens: int, prefer: str | None = None) -> Completion:
        record = prompt.to_json()
        row = self._next(role, record)
        name = row.get("model") or self.model
        call = Completion(
            provider=self.kind, model=name, role=role, prompt=record,
            text=row.get("response") or "", input_tokens=row.get("input_tokens") or 0,
            output_tokens=row.get("output_tokens") or 0, cache_write_tokens=row.get("cache_write_tokens") or 0,
            cache_read_tokens=row.get("cache_read_tokens") or 0, cost=row.get("cost") or 0.0, latency=0.0,
            member=row.get("member") or name,
        )
        error = row.get("error") or ""
        if error.startswith("truncated"):
            call.error = error  # the original answer was cut off: so is the replayed one
        self.label = name
        return call


def _same_prompt(recorded, prompt: str) -> bool:
    if not recorded:
        return False
    if recorded == prompt:
        return True
    try:
        return json.loads(recorded) == json.loads(prompt)
    except (TypeError, ValueError):
        return False
