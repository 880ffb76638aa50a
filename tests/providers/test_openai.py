"""The OpenAI-compatible provider against a real scripted server on 127.0.0.1."""


import pytest

from ale.lessons import Lesson
from ale.providers import make_provider
from ale.providers.base import Budget, BudgetExceeded, ProviderError

from .conftest import run, BASELINE, fenced, lessons_json, make_ctx, reply

MODEL = "local-coder"


def provider(server, **kw):
    return make_provider("openai", {}, model=MODEL, base_url=server.url, backoff=0.01, **kw)




def test_draft_returns_whole_file(server):
    server.script(MODEL, reply(fenced(BASELINE), prompt_tokens=1500, completion_tokens=120))
    p = provider(server)

    prop = run(p, lambda: p.propose(make_ctx("draft")))
    assert prop.error is None and prop.source == BASELINE and prop.language == "py"
    assert prop.method == "draft" and prop.model == MODEL
    [call] = prop.calls
    assert (call.role, call.input_tokens, call.output_tokens, call.provider) == ("draft", 1500, 120, "openai")
    body = server.requests[0]
    assert body["model"] == MODEL and body["messages"][0]["role"] == "system"
    assert "rect-pack" in body["messages"][0]["content"] and "ALE_WARMUP" in body["messages"][0]["content"]
    assert "temperature" not in body


def test_refine_applies_search_replace(server):
    edit = "Use a denser layout.\n<<<<<<< SEARCH\n        print(0, 0)\n=======\n        print(i, i)\n>>>>>>> REPLACE\n"
    server.script(MODEL, reply(edit))
    p = provider(server)
    ctx = make_ctx("refine", BASELINE, tried=["swap T0"])
    prop = run(p, lambda: p.propose(ctx))
    assert prop.error is None and prop.method == "edit"
    assert prop.source == BASELINE.replace("print(0, 0)", "print(i, i)")
    assert prop.note == "Use a denser layout."
    system, user = server.requests[0]["messages"][0]["content"], server.requests[0]["messages"][-1]["content"]
    assert "print(0, 0)" in system and "worst seeds" in system and "iters=1000" in system and "swap T0" in user


def test_distil_returns_lessons(server):
    answer = lessons_json(
        {"kind": "technique", "text": "Placing booths on the diagonal avoids overlaps.", "scope": "problem",
         "tags": ["packing"], "confidence": 0.7},
        {"kind": "pitfall", "text": "Printing (0, 0) for every booth overlaps.", "scope": "tags", "tags": [],
         "confidence": 0.6},
    )
    server.script(MODEL, reply(f"```json\n{answer}\n```"))
    p = provider(server)
    ctx = make_ctx("refine", BASELINE)
    child = {"id": 2, "source": BASELINE.replace("print(0, 0)", "print(i, i)"), "public_mean": 150.0}
    lessons, calls = run(p, lambda: p.distil(ctx, child, {"mean": 150.0, "accepted": True, "cases": []}))
    assert [type(x) for x in lessons] == [Lesson, Lesson]
    assert lessons[0].kind == "technique" and lessons[0].problem == "rect-pack"
    assert lessons[0].evidence["score_change"] == 50.0 and lessons[1].tags == ["packing"]
    assert calls[0].role == "distil"
    assert "-        print(0, 0)" in server.requests[0]["messages"][-1]["content"]


def test_distil_invalid_output_retried_once_then_dropped(server):
    good = lessons_json({"kind": "insight", "text": "Diagonal works.", "scope": "global", "tags": [], "confidence": 0.5})
    server.script(MODEL, reply("not json"), reply(good))
    p = provider(server)
    ctx = make_ctx("refine", BASELINE)
    lessons, calls = run(p, lambda: p.distil(ctx, {"id": 2, "source": BASELINE}, {"mean": 1}))
    assert len(lessons) == 1 and len(calls) == 2 and calls[0].error.startswith("invalid lessons")
    server.script(MODEL, reply('[{"kind": "rumour", "text": "x"}]'), reply("still not json"))
    lessons, calls = run(p, lambda: p.distil(ctx, {"id": 2, "source": BASELINE}, {"mean": 1}))
    assert lessons == [] and len(calls) == 2 and "dropped after one retry" in calls[1].error


def test_429_then_success_is_retried(server):
    server.script(MODEL, reply(status=429, headers={"Retry-After": "0.05"}), reply(status=503), reply(fenced(BASELINE)))
    p = provider(server)
    prop = run(p, lambda: p.propose(make_ctx("draft")))
    assert prop.source == BASELINE and len(server.requests) == 3 and len(prop.calls) == 1


def test_500_forever_is_a_failed_proposal_not_a_crash(server):
    server.default[MODEL] = reply(status=500)
    p = provider(server, retries=2)
    prop = run(p, lambda: p.propose(make_ctx("draft")))
    assert prop.source is None and prop.error.startswith("model unavailable") and "HTTP 500" in prop.error
    assert len(server.requests) == 3 and prop.calls[0].error.startswith("unavailable")


def test_response_cut_off_mid_code_is_failed(server):
    server.script(MODEL, reply("```python\nimport sys\nfor i in range(", finish="length"))
    p = provider(server)
    prop = run(p, lambda: p.propose(make_ctx("refine", BASELINE)))
    assert prop.source is None and "truncated" in prop.error and len(server.requests) == 1
    server.script(MODEL, reply("```python\nimport sys\n"))  # unterminated fence, finish_reason stop
    prop = run(p, lambda: p.propose(make_ctx("draft")))
    assert prop.source is None and "unterminated" in prop.error


def test_empty_response_is_failed(server):
    server.script(MODEL, reply(""))
    p = provider(server)
    prop = run(p, lambda: p.propose(make_ctx("draft")))
    assert prop.source is None and "empty" in prop.error


def test_patch_that_does_not_apply_then_whole_file_retry(server):
    bad = "<<<<<<< SEARCH\n    print(1, 1)\n=======\n    print(2, 2)\n>>>>>>> REPLACE\n"
    new = BASELINE.replace("print(0, 0)", "print(i, 0)")
    server.script(MODEL, reply(bad), reply(fenced(new)))
    p = provider(server)
    prop = run(p, lambda: p.propose(make_ctx("refine", BASELINE)))
    assert prop.source == new and prop.method == "whole-retry" and prop.error is None
    assert len(prop.calls) == 2 and "SEARCH text was not found" in prop.calls[0].error
    assert prop.calls[1].error is None
    retry_msgs = server.requests[1]["messages"]
    assert retry_msgs[-2] == {"role": "assistant", "content": bad}
    assert "could not be applied" in retry_msgs[-1]["content"]
    # a second failure on the retry: a failed proposal, still no crash, exactly two calls
    server.script(MODEL, reply(bad), reply(bad))
    prop = run(p, lambda: p.propose(make_ctx("refine", BASELINE)))
    assert prop.source is None and "whole-file retry failed" in prop.error and len(prop.calls) == 2


def test_budget_exceeded_stops_before_the_call(server):
    server.script(MODEL, reply(fenced(BASELINE), prompt_tokens=1000, completion_tokens=100))
    budget = Budget(max_tokens=1000)
    p = provider(server)
    prop = run(p, lambda: p.propose(make_ctx("draft", budget=budget)))
    assert prop.source == BASELINE and budget.tokens_in == 1000 and budget.tokens_out == 100
    with pytest.raises(BudgetExceeded):
        run(p, lambda: p.propose(make_ctx("draft", budget=budget)))
    assert len(server.requests) == 1


def test_cost_from_price_table_with_cached_prompt(server):
    server.script(MODEL, reply(fenced(BASELINE), prompt_tokens=5000, completion_tokens=1000, cached=4000))
    cfg = {"prices": {MODEL: {"input": 1.0, "output": 2.0, "cache_read": 0.1}}}
    p = make_provider("openai", cfg, model=MODEL, base_url=server.url)
    prop = run(p, lambda: p.propose(make_ctx("draft")))
    call = prop.calls[0]
    assert (call.input_tokens, call.cache_read_tokens) == (1000, 4000)
    assert call.cost == pytest.approx((1000 * 1.0 + 1000 * 2.0 + 4000 * 0.1) / 1e6)


def test_check_rejects_bad_key_and_unreachable_server(server, monkeypatch):
    server.key = "right"
    monkeypatch.setenv("MY_KEY", "wrong")
    p = provider(server, key_env="MY_KEY")
    with pytest.raises(ProviderError, match="refused the MY_KEY key"):
        run(p, p.check)
    monkeypatch.setenv("MY_KEY", "right")
    good = provider(server, key_env="MY_KEY")
    run(good, good.check)
    dead = make_provider("openai", {}, model=MODEL, base_url="http://127.0.0.1:9/v1")
    with pytest.raises(ProviderError, match="cannot reach"):
        run(dead, dead.check)
