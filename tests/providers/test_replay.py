"""Replaying a recorded run serves the same answers, so the proposals match byte for byte, offline."""

import asyncio

import pytest

from ale.providers import make_provider
from ale.providers.base import BudgetExceeded
from ale.store import Store

from .conftest import BASELINE, fenced, lessons_json, make_ctx, reply

MODEL = "local-coder"
EDIT = "Walk the diagonal.\n<<<<<<< SEARCH\n        print(0, 0)\n=======\n        print(i, i)\n>>>>>>> REPLACE\n"
BAD = "<<<<<<< SEARCH\n    nothing like this\n=======\n    x\n>>>>>>> REPLACE\n"
WHOLE = BASELINE.replace("print(0, 0)", "print(i, 2 * i)")
LESSONS = lessons_json({"kind": "technique", "text": "Diagonal placement avoids overlaps.", "scope": "problem",
                        "tags": ["packing"], "confidence": 0.7})


async def session(p):
    """What a short run asks: a draft, two refines (one needing the whole-file retry), a distil."""
    out = [await p.propose(make_ctx("draft"))]
    out.append(await p.propose(make_ctx("refine", BASELINE)))
    out.append(await p.propose(make_ctx("refine", BASELINE, tried=["diagonal"])))
    lessons, calls = await p.distil(make_ctx("refine", BASELINE), {"id": 2, "source": WHOLE}, {"mean": 3.0})
    await p.close()
    return out, lessons, calls


def test_replay_reproduces_proposals_byte_for_byte(server, tmp_path):
    server.script(MODEL, reply(fenced(BASELINE)), reply(EDIT), reply(BAD), reply(fenced(WHOLE)), reply(LESSONS))
    live = make_provider("openai", {}, model=MODEL, base_url=server.url)
    proposals, lessons, distil_calls = asyncio.run(session(live))
    assert [p.method for p in proposals] == ["draft", "edit", "whole-retry"]

    store = Store(tmp_path / "ale.db")
    run_id = store.create_run("rect-pack", "openai", {})
    for call in [c for p in proposals for c in p.calls] + distil_calls:
        store.add_model_call(run_id, candidate_id=None, **call.record())
    server.requests.clear()

    replay = make_provider("replay", {}, replay_run=run_id, store=store)
    again, lessons2, calls2 = asyncio.run(session(replay))
    assert server.requests == []  # no network
    for a, b in zip(proposals, again):
        assert (a.source, a.language, a.method, a.note, a.error) == (b.source, b.language, b.method, b.note, b.error)
        assert [c.prompt for c in a.calls] == [c.prompt for c in b.calls]
        assert [(c.input_tokens, c.output_tokens, c.cost) for c in a.calls] == \
               [(c.input_tokens, c.output_tokens, c.cost) for c in b.calls]
    assert [x.to_dict() for x in lessons] == [x.to_dict() for x in lessons2]

    with pytest.raises(BudgetExceeded, match="replay exhausted"):
        asyncio.run(replay.propose(make_ctx("draft")))


def test_replay_skips_unavailable_calls_and_matches_prompts():
    from ale.providers.proposer import Proposer
    from ale.providers.replay import ReplayModel

    ctx_a, ctx_b = make_ctx("refine", BASELINE, tried=["a"]), make_ctx("refine", BASELINE, tried=["b"])
    from ale import prompts

    rows = [
        {"role": "refine", "model": "m", "prompt": "", "response": "", "error": "unavailable: HTTP 500"},
        {"role": "refine", "model": "m", "prompt": prompts.refine(ctx_b).to_json(), "response": fenced("print('b')\n")},
        {"role": "refine", "model": "m", "prompt": prompts.refine(ctx_a).to_json(), "response": fenced("print('a')\n")},
    ]
    p = Proposer(ReplayModel(rows))
    first = asyncio.run(p.propose(ctx_a))  # finished second in the original run, asked first now
    second = asyncio.run(p.propose(ctx_b))
    assert (first.source, second.source) == ("print('a')\n", "print('b')\n") and p.remaining() == 0


def test_replay_needs_a_run_with_calls(tmp_path):
    from ale.providers.base import ProviderError

    store = Store(tmp_path / "ale.db")
    run_id = store.create_run("rect-pack", "offline", {})
    with pytest.raises(ProviderError, match="no recorded model calls"):
        make_provider("replay", {}, replay_run=run_id, store=store)
