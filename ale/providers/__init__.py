"""Proposal sources: offline (built in), anthropic, openai-compatible, replay, and a pool of them."""

from __future__ import annotations

from ale.providers.base import (  # noqa: F401
    Budget,
    BudgetExceeded,
    Context,
    ModelCall,
    Proposal,
    Provider,
    ProviderError,
)


KEY_ENVS = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}


def _section(config: dict, name: str) -> dict:
    return dict(((config or {}).get("providers") or {}).get(name) or {})


def _has_key(kind: str, section: dict) -> bool:
    from ale.keys import get_key

    if kind == "openai" and "key_env" in section and not section["key_env"]:
        return bool(section.get("model"))  # a local server that needs no key
    return bool(get_key(section.get("key_env") or KEY_ENVS.get(kind)))


def default_provider_name(config: dict) -> str:
    """The first configured provider that has a key, else offline.

    Order: the `pool` (if any member has a key), then `providers:` in file
    order, then Anthropic if ANTHROPIC_API_KEY is known even without a section.
    """
    config = config or {}
    if any(_has_key(item.get("provider", ""), item) for item in config.get("pool") or []):
        return "pool"
    for kind, section in (config.get("providers") or {}).items():
        if kind in KEY_ENVS and _has_key(kind, section or {}):
            return kind
    if _has_key("anthropic", {}):
        return "anthropic"
    return "offline"


def make_provider(name: str, config: dict, **options) -> Provider:
    """Build the provider named on the command line (or in ale.yaml).

    `config` is the loaded ale.yaml (`providers:` sections per kind, `pool:`,
    `prices:`); `options` are command-line overrides, None meaning "not given":
    model, base_url, key_env, max_tokens; exclude (names or models never used);
    replay_run (int) with store (Store) for replay; seed and objective (pool);
    retries, backoff, timeout (openai); max_retries, http_client (anthropic; tests
    pass an httpx2.AsyncClient). `auto` resolves via default_provider_name.
    """
    config = config or {}
    opts = {k: v for k, v in options.items() if v is not None}
    if name in (None, "", "auto"):
        name = default_provider_name(config)
    if name == "offline":
        from ale.providers.offline import OfflineDrafter

        return OfflineDrafter(seed=opts.get("seed", 0))
    if name == "replay":
        from ale.providers.replay import ReplayProvider

        if "replay_run" not in opts or "store" not in opts:
            raise ProviderError("replay needs a run id (--replay RUN) and the store")
        return ReplayProvider.from_store(opts["store"], int(opts["replay_run"]))
    if name == "pool":
        return _make_pool(config, opts)
    if name in KEY_ENVS:
        provider = _make_member(name, {**_section(config, name), **opts}, config.get("prices") or {})
        exclude = set(opts.get("exclude") or [])
        if exclude & {provider.model, provider.label, name}:
            raise ProviderError(f"provider {name} (model {provider.model}) is excluded")
        return provider
    raise ProviderError(f"unknown provider '{name}': use offline, anthropic, openai, replay or pool")


MEMBER_KEYS = {"model", "base_url", "key_env", "max_tokens", "label", "retries", "backoff", "max_backoff",
               "timeout", "max_retries", "http_client", "api_key", "prompt_cache"}


def _make_member(kind: str, spec: dict, prices: dict):
    kw = {k: v for k, v in spec.items() if k in MEMBER_KEYS and v is not None}
    if kind == "anthropic":
        from ale.providers.anthropic import AnthropicProvider

        for k in ("retries", "backoff", "max_backoff"):
            kw.pop(k, None)
        if "key_env" in kw and not kw["key_env"]:
            kw.pop("key_env")
        return AnthropicProvider(prices=prices, **kw)
    if kind == "openai":
        from ale.providers.openai import OpenAIProvider

        if not kw.get("model"):
            raise ProviderError("the openai provider needs a model name (--model NAME or providers.openai.model)")
        for k in ("max_retries", "http_client", "prompt_cache"):
            kw.pop(k, None)
        if "key_env" in spec and not spec["key_env"]:
            kw["key_env"] = None
        return OpenAIProvider(prices=prices, **kw)
    raise ProviderError(f"unknown provider kind '{kind}' (use anthropic or openai)")


def _make_pool(config: dict, opts: dict) -> Provider:
    from ale.providers.pool import Member, Pool, ROLES

    exclude = set(opts.get("exclude") or [])
    members, skipped = [], []
    for n, item in enumerate(config.get("pool") or [], 1):
        name = item.get("name") or item.get("model") or f"member{n}"
        if exclude & {name, item.get("model")}:
            continue
        roles = set(item.get("roles") or ROLES)
        if roles - set(ROLES):
            raise ProviderError(f"pool member {name}: unknown role(s) {sorted(roles - set(ROLES))}")
        spec = {**_section(config, item.get("provider", "")), **item, "label": name}
        if "http_client" in opts:
            spec["http_client"] = opts["http_client"]
        try:
            provider = _make_member(item.get("provider", ""), spec, config.get("prices") or {})
        except ProviderError as e:
            skipped.append(f"{name}: {e}")
            continue
        members.append(Member(name, provider, roles, float(item.get("weight", 1.0))))
    if not members:
        why = "; ".join(skipped) or "no `pool:` members in ale.yaml (or all excluded)"
        raise ProviderError(f"the model pool is empty: {why}")
    pool = Pool(members, objective=opts.get("objective", "maximize"), seed=opts.get("seed"),
                **{k: opts[k] for k in ("bench_after", "bench_seconds", "bench_calls") if k in opts})
    pool.warnings.extend(f"skipped {s}" for s in skipped)
    return pool
