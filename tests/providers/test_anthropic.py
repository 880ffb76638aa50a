"""The Anthropic provider through the real SDK over httpx2.MockTransport: shape, caching, cost, retries."""

import json

import httpx2
import pytest

from ale.providers import make_provider
from ale.providers.base import Budget, ProviderError

from .conftest import run, BASELINE, fenced, make_ctx

PRICES = {"claude-sonnet-4-6": {"input": 3.0, "output": 15.0, "cache_write": 3.75, "cache_read": 0.30}}
CONFIG = {"prices": PRICES}


def tokens(text: str) -> int:
    """A stand-in tokenizer: about four characters per token, as for English and code."""
    return max(1, len(text) // 4)


class FakeMessagesAPI:
    """Answers /v1/messages like the real API accounts for caching.

    A system prefix ending at a block marked cache_control is written to the
    cache the first time (cache_creation_input_tokens) and read afterwards
    (cache_read_input_tokens); everything else is input_tokens.
    """

    def __init__(self, answers=(), failures=()):
        self.answers = list(answers)
        self.failures = list(failures)  # HTTP statuses to return before answering
        self.cache: set[str] = set()
        self.requests: list[dict] = []
        self.key = "sk-good"

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        if self.key not in (request.headers.get("x-api-key"), request.headers.get("authorization", "")[7:]):
            return httpx2.Response(401, json={"type": "error", "error": {"type": "authentication_error",
                                                                          "message": "invalid x-api-key"}})
        if request.url.path == "/v1/models":
            return httpx2.Response(200, json={"data": [{"id": "claude-sonnet-4-6", "type": "model",
                                                        "display_name": "Sonnet", "created_at": "2025-09-29T00:00:00Z"}],
                                               "has_more": False, "first_id": None, "last_id": None})
        body = json.loads(request.content)
        self.requests.append(body)
        if self.failures:
            status = self.failures.pop(0)
            return httpx2.Response(status, headers={"retry-after-ms": "1"},
                                   json={"type": "error", "error": {"type": "overloaded_error", "message": "busy"}})
        text, stop = self.answers.pop(0) if self.answers else (fenced(BASELINE), "end_turn")
        written = read = 0
        prefix = ""
        uncached = 0
        for block in body["system"]:
            prefix += block["text"]
            uncached += tokens(block["text"])
            if "cache_control" in block:
                if prefix in self.cache:
                    read += uncached
                else:
                    self.cache.add(prefix)
                    written += uncached
                uncached = 0
        uncached += sum(tokens(m["content"]) for m in body["messages"])
        return httpx2.Response(200, json={
            "id": f"msg_{len(self.requests)}", "type": "message", "role": "assistant", "model": body["model"],
            "content": [{"type": "text", "text": text}], "stop_reason": stop, "stop_sequence": None,
            "usage": {"input_tokens": uncached, "output_tokens": tokens(text),
                      "cache_creation_input_tokens": written, "cache_read_input_tokens": read},
        })


def provider(api, **kw):
    client = httpx2.AsyncClient(transport=httpx2.MockTransport(api))
    return make_provider("anthropic", CONFIG, api_key="sk-good", http_client=client, **kw)




def test_request_shape_and_usage_and_cost():
    api = FakeMessagesAPI([(fenced(BASELINE), "end_turn")] * 2)
    p = provider(api)
    lessons = [{"kind": "technique", "text": "Anneal on booth positions.", "confidence": 0.8}]
    budget = Budget()

    async def two():
        a = await p.propose(make_ctx("draft", budget=budget, lessons=lessons))
        b = await p.propose(make_ctx("refine", BASELINE, budget=budget, lessons=lessons))
        return a, b

    a, b = run(p, two)
    req = api.requests[0]
    assert req["model"] == "claude-sonnet-4-6" and req["max_tokens"] == 16000
    assert "temperature" not in req and "top_p" not in req
    assert [blk.get("cache_control") for blk in req["system"]] == [{"type": "ephemeral"}] * 2
    assert "Anneal on booth positions." in req["system"][1]["text"]
    assert req["system"] == api.requests[1]["system"][:2]  # draft and refine share the cached prefix
    assert "print(0, 0)" in api.requests[1]["system"][2]["text"]  # the parent: cached for its siblings
    first, second = a.calls[0], b.calls[0]
    assert first.cache_write_tokens > 0 and first.cache_read_tokens == 0
    assert second.cache_read_tokens == first.cache_write_tokens and second.cache_write_tokens > 0
    price = PRICES["claude-sonnet-4-6"]
    assert second.cost == pytest.approx((second.input_tokens * price["input"] + second.output_tokens * price["output"]
                                         + second.cache_write_tokens * price["cache_write"]
                                         + second.cache_read_tokens * price["cache_read"]) / 1e6)
    assert budget.cache_read == second.cache_read_tokens and budget.cost == pytest.approx(first.cost + second.cost)
    assert a.source == BASELINE and a.model == "claude-sonnet-4-6"


def test_retries_on_529_and_500_then_answers():
    api = FakeMessagesAPI(failures=[529, 500])
    p = provider(api, max_retries=2)
    prop = run(p, lambda: p.propose(make_ctx("draft")))
    assert prop.source == BASELINE and len(api.requests) == 3


def test_overloaded_after_retries_is_unavailable():
    api = FakeMessagesAPI(failures=[529, 529, 529])
    p = provider(api, max_retries=2)
    prop = run(p, lambda: p.propose(make_ctx("draft")))
    assert prop.source is None and "model unavailable" in prop.error and "529" in prop.error


def test_max_tokens_stop_is_a_failed_proposal():
    api = FakeMessagesAPI([("```python\nimport sys\nfor i in", "max_tokens")])
    p = provider(api)
    prop = run(p, lambda: p.propose(make_ctx("draft")))
    assert prop.source is None and "truncated" in prop.error


def test_invalid_key_is_a_provider_error(monkeypatch, tmp_path):
    api = FakeMessagesAPI()
    api.key = "sk-other"
    p = provider(api)
    with pytest.raises(ProviderError, match="rejected the key in ANTHROPIC_API_KEY"):
        run(p, p.check)
    monkeypatch.setenv("ALE_KEYS_FILE", str(tmp_path / "none.json"))
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(ProviderError, match="no Anthropic key"):
        make_provider("anthropic", CONFIG)


def test_unknown_model_costs_nothing_but_counts_tokens():
    api = FakeMessagesAPI()
    p = provider(api, model="claude-future-9")
    prop = run(p, lambda: p.propose(make_ctx("draft")))
    assert prop.calls[0].cost == 0.0 and prop.calls[0].cache_write_tokens > 0


def twenty_call_run(prompt_cache: bool):
    """A scripted run on the shipped rect-pack problem: 1 draft, then refine/distil in turn (20 calls).

    Token counts come from FakeMessagesAPI (about 4 characters a token, caching as the API does it).
    """
    from pathlib import Path

    from ale.lessons import parse_lessons

    root = Path(__file__).resolve().parents[2]
    statement = (root / "problems/rect-pack/statement.md").read_text()
    strong = (root / "problems/rect-pack/solutions/strong.py").read_text()
    lessons = []
    for pack in ("simulated_annealing.yaml", "time_management.yaml"):
        lessons += parse_lessons((root / "lessons" / pack).read_text())[1]
    edit = ("Raise the starting temperature and try more moves per step.\n<<<<<<< SEARCH\n"
            + strong.splitlines(keepends=True)[0] + "=======\n" + strong.splitlines(keepends=True)[0]
            + ">>>>>>> REPLACE\n")
    lesson_answer = json.dumps([{"kind": "parameter", "text": "On rect-pack a starting temperature near 2% of "
                                 "the mean booth value beat colder starts on 8 of 10 seeds.", "scope": "problem",
                                 "tags": ["packing"], "confidence": 0.6}] * 2)
    answers = [(fenced(strong), "end_turn")]
    for i in range(19):
        answers.append((edit, "end_turn") if i % 2 == 0 else (lesson_answer, "end_turn"))
    api = FakeMessagesAPI(answers)
    p = provider(api, prompt_cache=prompt_cache)
    budget = Budget()

    def ctx(role, parent=None):
        c = make_ctx(role, parent, budget=budget, lessons=lessons)
        c.statement = statement
        return c

    async def calls():
        out = list((await p.propose(ctx("draft"))).calls)
        for i in range(19):
            parent = strong + f"VERSION = {i // 4}\n"  # a new parent every 4 calls, as with beam 2
            if i % 2 == 0:
                out += (await p.propose(ctx("refine", parent))).calls
            else:
                out += (await p.distil(ctx("refine", parent), {"id": 3, "source": strong}, {"mean": 1.0}))[1]
        return out

    return run(p, calls), budget


def test_twenty_call_run_caching_cost():
    cached, b1 = twenty_call_run(True)
    plain, b2 = twenty_call_run(False)
    assert len(cached) == len(plain) == 20 and all(c.error is None for c in cached)
    assert cached[0].cache_write_tokens > 0 and all(c.cache_read_tokens > 0 for c in cached[1:])
    assert [n for n, c in enumerate(cached) if c.cache_write_tokens] == [0, 1, 5, 9, 13, 17]  # new parents
    assert all(c.cache_read_tokens == 0 and c.cache_write_tokens == 0 for c in plain)
    total = [c.input_tokens + c.cache_write_tokens + c.cache_read_tokens for c in cached]
    assert total == [c.input_tokens for c in plain]  # same prompts, only the accounting differs
    assert b1.cost < 0.6 * b2.cost
    print(f"\n{'call':>4} {'role':7} {'in':>6} {'c.write':>7} {'c.read':>6} {'out':>5} {'$cached':>8} | {'in':>6} {'$plain':>8}")
    for n, (c, q) in enumerate(zip(cached, plain), 1):
        print(f"{n:>4} {c.role:7} {c.input_tokens:>6} {c.cache_write_tokens:>7} {c.cache_read_tokens:>6} "
              f"{c.output_tokens:>5} {c.cost:>8.5f} | {q.input_tokens:>6} {q.cost:>8.5f}")
    print(f"total cached ${b1.cost:.4f} (in {b1.tokens_in}, write {b1.cache_write}, read {b1.cache_read}, "
          f"out {b1.tokens_out}); plain ${b2.cost:.4f} (in {b2.tokens_in}, out {b2.tokens_out})")
