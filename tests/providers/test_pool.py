"""The pool routes around a down member, benches repeat failures, and learns from observed outcomes."""


import pytest

from ale.providers import default_provider_name, make_provider
from ale.providers.base import ProviderError

from .conftest import run, BASELINE, fenced, make_ctx, reply


def pool_config(server, *names, key_env=None):
    return {"pool": [{"name": n, "provider": "openai", "model": n, "base_url": server.url, "key_env": key_env,
                      "roles": ["draft", "refine", "distil"], "backoff": 0.01, "retries": 1} for n in names]}




def test_500_forever_benches_member_and_routes_to_second(server):
    server.default["down"] = reply(status=500)
    server.default["up"] = reply(fenced(BASELINE))
    pool = make_provider("pool", pool_config(server, "down", "up"), seed=1)
    pool.members[0].weight = 1000.0  # the bandit would pick "down" first

    async def five():
        return [await pool.propose(make_ctx("draft")) for _ in range(5)]

    props = run(pool, five)
    assert all(p.source == BASELINE and p.model == "up" for p in props)
    down_requests = [r for r in server.requests if r["model"] == "down"]
    assert len(down_requests) == 2  # first call: one try + one retry, then benched for the rest
    assert props[0].calls[0].error.startswith("unavailable") and props[0].calls[-1].model == "up"
    assert pool.benched(pool.member("down")) and any("benched down" in w for w in pool.warnings)


def test_all_down_is_a_failed_proposal(server):
    server.default["a"] = reply(status=503)
    server.default["b"] = reply(status=502)
    pool = make_provider("pool", pool_config(server, "a", "b"))
    prop = run(pool, lambda: pool.propose(make_ctx("draft")))
    assert prop.source is None and prop.error.startswith("all models unavailable")


def test_repeated_unparseable_answers_bench_a_member(server):
    server.default["chatty"] = reply("I think annealing would help.")
    server.default["coder"] = reply(fenced(BASELINE))
    pool = make_provider("pool", pool_config(server, "chatty", "coder"), seed=0, bench_after=2)
    pool.members[0].weight = 1000.0

    async def many():
        return [await pool.propose(make_ctx("draft")) for _ in range(4)]

    props = run(pool, many)
    assert [p.model for p in props] == ["chatty", "chatty", "coder", "coder"]
    assert props[0].error and props[2].source == BASELINE


def test_exclude_and_roles(server):
    cfg = pool_config(server, "a", "b")
    cfg["pool"][1]["roles"] = ["distil"]
    server.default["a"] = reply(fenced(BASELINE))
    pool = make_provider("pool", cfg)
    prop = run(pool, lambda: pool.propose(make_ctx("draft")))
    assert prop.model == "a"
    pool = make_provider("pool", cfg, exclude=["a"])
    assert [m.name for m in pool.members] == ["b"]
    with pytest.raises(ProviderError, match="empty"):
        make_provider("pool", cfg, exclude=["a", "b"])


def test_bandit_prefers_member_that_improves_per_dollar(server):
    pool = make_provider("pool", pool_config(server, "good", "bad"), seed=3)
    for m in pool.members:
        m.calls, m.cost = 10, 0.1
    for i in range(20):
        pool.observe({"id": i, "model": "good", "public_mean": 120.0, "parent_mean": 100.0, "accepted": True})
        pool.observe({"id": 100 + i, "model": "bad", "rank_key": 1.0, "parent_rank_key": 2.0, "accepted": True})
    pool.observe({"id": 999, "model": "offline", "public_mean": 1.0})  # not a member: ignored
    firsts = [pool._order("refine")[0].name for _ in range(200)]
    assert firsts.count("good") > 180
    assert (pool.member("good").wins, pool.member("bad").wins) == (20, 0)


def test_member_without_key_is_skipped_and_defaults(server, monkeypatch, tmp_path):
    monkeypatch.setenv("ALE_KEYS_FILE", str(tmp_path / "keys.json"))
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    cfg = {"pool": [{"name": "claude", "provider": "anthropic", "model": "claude-sonnet-4-5"},
                    {"name": "local", "provider": "openai", "model": "local", "base_url": server.url, "key_env": None}]}
    pool = make_provider("pool", cfg)
    assert [m.name for m in pool.members] == ["local"] and "skipped claude" in pool.warnings[0]
    assert default_provider_name(cfg) == "pool"
    assert default_provider_name({}) == "offline"
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    assert default_provider_name({}) == "anthropic"
    assert default_provider_name({"providers": {"openai": {"model": "m", "key_env": None}}}) == "openai"
