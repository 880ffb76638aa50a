"""The one model interface: `ChatModel.complete(prompt) -> Completion`.

A chat model only sends a prompt and returns an answer with what it cost. Everything
that turns answers into programs and lessons (prompts, edit parsing, retries, the
guard) lives once in `ale.providers.proposer.Proposer`, so the Anthropic SDK, any
OpenAI-compatible server, a recorded run, a scripted test model and a pool of them
all behave alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TRUNCATED = "truncated"  # prefix of Completion.error when the model stopped at max_tokens
UNAVAILABLE = "unavailable"  # prefix of Completion.error when no answer came back


@dataclass
class Completion:
    """One request and its answer, as the store records it (a model call).

    `text` is the answer; `prompt` the request's record (`Prompt.to_json()`, the
    one serialisation replay matches on); `member` names the pool member (else the
    model's label) that answered.
    """

    provider: str
    model: str
    role: str
    prompt: str
    text: str
    input_tokens: int = 0
    output_tokens: int = 0
    cache_write_tokens: int = 0
    cache_read_tokens: int = 0
    cost: float = 0.0
    latency: float = 0.0
    error: str | None = None
    member: str = ""
    failed_before: list["Completion"] = field(default_factory=list)  # a pool's failed attempts for this call

    @property
    def response(self) -> str:
        return self.text

    def record(self) -> dict:
        """The fields the store keeps for a model call (`Store.add_model_call`)."""
        return {"provider": self.provider, "model": self.model, "role": self.role, "prompt": self.prompt,
                "response": self.text, "input_tokens": self.input_tokens, "output_tokens": self.output_tokens,
                "cache_write_tokens": self.cache_write_tokens, "cache_read_tokens": self.cache_read_tokens,
                "cost": self.cost, "latency": self.latency, "error": self.error, "member": self.member or None}


class ModelUnavailable(Exception):
    """A call failed after retries (rate limit, 5xx, timeout, reset): a pool benches the model.

    `calls` are the failed Completions, kept so the store sees them.
    """

    def __init__(self, message: str, calls: list[Completion] | None = None):
        super().__init__(message)
        self.calls = list(calls or [])


def price_cost(prices: dict | None, model: str, input_tokens: int, output_tokens: int,
               cache_write: int = 0, cache_read: int = 0) -> float:
    """Dollars for one call from a per-million-token table (ale.yaml `prices:`).

    The longest table key that prefixes the model name wins, so `claude-sonnet-4-5`
    prices `claude-sonnet-4-5-20250929`. An unknown model costs 0.
    """
    table = prices or {}
    keys = [k for k in table if model == k or model.startswith(k)]
    if not keys:
        return 0.0
    p = table[max(keys, key=len)]
    inp = float(p.get("input", 0.0))
    return (input_tokens * inp + output_tokens * float(p.get("output", 0.0))
            + cache_write * float(p.get("cache_write", inp)) + cache_read * float(p.get("cache_read", inp))) / 1e6


class ChatModel:
    """Base class of every model: subclasses implement `complete` (and `check`/`close` if needed).

    `complete` raises ModelUnavailable when the model cannot answer after its own
    retries, ProviderError when it never will (a refused key). `prefer` names the
    pool member that should answer (a retry in the same conversation); plain models
    ignore it. `outcome` and `observe` are how the proposer tells a pool which
    answers were usable and which candidates improved.
    """

    kind = "chat"  # the provider kind recorded on each call

    def __init__(self, model: str, *, label: str | None = None):
        self.model = model
        self.label = label or model

    async def complete(self, prompt, *, role: str, max_tokens: int, prefer: str | None = None) -> Completion:
        raise NotImplementedError

    async def check(self) -> None:
        """Raise ProviderError if the model cannot be used at all (bad key, unreachable)."""

    async def close(self) -> None:
        pass

    def has_role(self, role: str) -> bool:
        return role != "review"  # a review is asked for only where a pool member is given that role

    def outcome(self, completion: Completion, ok: bool, why: str = "") -> None:
        """Whether an answer was usable (a pool benches members whose answers keep failing)."""

    def observe(self, candidate: dict) -> None:
        """A judged candidate written by this model (`candidate['model']` names the member)."""

    def drain_warnings(self) -> list[str]:
        return []

    def usable(self) -> str | None:
        """None while the model can still answer; else why not (a pool whose members are all gone)."""
        return None

    def stats(self) -> list[dict]:
        """Per member: calls, cost, tokens, wins, benched (a pool's; one model has no members)."""
        return []
