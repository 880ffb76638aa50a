"""Proposal sources: offline (built in), and chat models (anthropic, openai-compatible, replay,
scripted, a pool of them) behind one Proposer.

Model providers register in `REGISTRY`: the class, the variable that holds the key,
and the options an `ale.yaml` `providers.<kind>` section or `pool:` entry may set.
Adding a provider is one module with a ChatModel and one entry here.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from ale.config import ConfigError
from ale.providers.base import (  # noqa: F401
    Budget,
    BudgetExceeded,
    Context,
    ModelCall,
    Proposal,
    Provider,
    ProviderError,
)


@dataclass(frozen=True)
class Kind:
    """One model provider: where its ChatModel lives, its key variable, the options it takes."""

    target: str  # "module:Class"
    key_env: str | None
    options: tuple[str, ...]
    needs_model: bool = False

    def cls(self):
        module, name = self.target.split(":")
        return getattr(importlib.import_module(module), name)


REGISTRY: dict[str, Kind] = {
    "anthropic": Kind("ale.providers.anthropic:AnthropicModel", "ANTHROPIC_API_KEY",
                      ("model", "key_env", "base_url", "max_retries", "timeout", "prompt_cache")),
    "openai": Kind("ale.providers.openai:OpenAIModel", "OPENAI_API_KEY",
                   ("model", "base_url", "key_env", "retries", "backoff", "max_backoff", "timeout"), needs_model=True),
}
PROPOSER_OPTIONS = ("max_tokens",)  # per provider or member: read by the Proposer, not the model
POOL_ENTRY_KEYS = ("name", "provider", "roles", "weight")
CODE_ONLY = ("api_key", "http_client", "label")  # passed by tests and code, never read from ale.yaml
KEY_ENVS = {kind: k.key_env for kind, k in REGISTRY.items()}


def validate(config: dict) -> None:
    """Unknown provider kinds and keys in `providers:` sections and `pool:` entries are config errors."""
    where = (config or {}).get("_file") or "ale.yaml"
    for kind, section in ((config or {}).get("providers") or {}).items():
        if kind not in REGISTRY:
            raise ConfigError(f"{where}: unknown provider 'providers.{kind}'; known providers: {', '.join(REGISTRY)}")
        known = REGISTRY[kind].options + PROPOSER_OPTIONS
        for key in section or {}:
            if key not in known:
                raise ConfigError(f"{where}: unknown key 'providers.{kind}.{key}'; known keys: {', '.join(known)}")
    from ale.providers.pool import ROLE_ALIASES, ROLES

    for n, item in enumerate((config or {}).get("pool") or [], 1):
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: pool entry {n} must be a mapping (name, provider, roles, model, ...)")
        kind = item.get("provider")
        label = f"pool entry {n} ({item.get('name') or item.get('model') or kind})"
        if kind not in REGISTRY:
            raise ConfigError(f"{where}: {label}: provider must be one of {', '.join(REGISTRY)}, not {kind!r}")
        known = POOL_ENTRY_KEYS + REGISTRY[kind].options + PROPOSER_OPTIONS
        for key in item:
            if key not in known:
                raise ConfigError(f"{where}: {label}: unknown key '{key}'; known keys: {', '.join(known)}")
        bad = set(item.get("roles") or []) - set(ROLES) - set(ROLE_ALIASES)
        if bad:
            raise ConfigError(f"{where}: {label}: unknown role(s) {', '.join(sorted(bad))}; roles: {', '.join(ROLES)}")


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
    pass an httpx2.AsyncClient); scripted (a ScriptedModel, tests and benchmarks).
    `auto` resolves via default_provider_name. Raises ConfigError for a bad
    ale.yaml entry, ProviderError for a provider that cannot work.
    """
    from ale.providers.proposer import Proposer

    config = config or {}
    validate(config)
    opts = {k: v for k, v in options.items() if v is not None}
    if name in (None, "", "auto"):
        name = default_provider_name(config)
    if name == "offline":
        from ale.providers.offline import OfflineDrafter

        return OfflineDrafter(seed=opts.get("seed", 0))
    if name == "replay":
        from ale.providers.replay import ReplayModel

        if "replay_run" not in opts or "store" not in opts:
            raise ProviderError("replay needs a run id (--replay RUN) and the store")
        return Proposer(ReplayModel.from_store(opts["store"], int(opts["replay_run"])))
    if name == "scripted":
        if "scripted" not in opts:
            raise ProviderError("the scripted provider is for tests and benchmarks (pass scripted=ScriptedModel)")
        return Proposer(opts["scripted"])
    if name == "pool":
        return Proposer(_make_pool(config, opts))
    if name in REGISTRY:
        spec = {**_section(config, name), **opts}
        model = _make_member(name, spec, config.get("prices") or {})
        exclude = set(opts.get("exclude") or [])
        if exclude & {model.model, model.label, name}:
            raise ProviderError(f"provider {name} (model {model.model}) is excluded")
        return Proposer(model, **_proposer_options(spec))
    known = ", ".join(["offline", *REGISTRY, "replay", "pool"])
    raise ProviderError(f"unknown provider '{name}': use {known}")


def _proposer_options(spec: dict) -> dict:
    return {k: spec[k] for k in PROPOSER_OPTIONS if spec.get(k) is not None}


def _make_member(kind: str, spec: dict, prices: dict):
    entry = REGISTRY.get(kind)
    if entry is None:
        raise ProviderError(f"unknown provider kind '{kind}' (use {', '.join(REGISTRY)})")
    kw = {k: v for k, v in spec.items() if k in entry.options + CODE_ONLY and v is not None}
    if entry.needs_model and not kw.get("model"):
        raise ProviderError(f"the {kind} provider needs a model name (--model NAME or providers.{kind}.model)")
    if "key_env" in spec and not spec["key_env"]:
        kw.pop("key_env", None)
        if kind == "openai":
            kw["key_env"] = None  # a local server that needs no key
    return entry.cls()(prices=prices, **kw)


def _make_pool(config: dict, opts: dict):
    from ale.providers.pool import DEFAULT_ROLES, Member, Pool, expand_roles

    exclude = set(opts.get("exclude") or [])
    members, skipped, excluded = [], [], []
    for n, item in enumerate(config.get("pool") or [], 1):
        name = item.get("name") or item.get("model") or f"member{n}"
        if exclude & {name, item.get("model")}:
            excluded.append(name)
            continue
        roles = expand_roles(item.get("roles") or DEFAULT_ROLES)
        spec = {**_section(config, item.get("provider", "")), **item, "label": name}
        if "http_client" in opts:
            spec["http_client"] = opts["http_client"]
        try:
            model = _make_member(item.get("provider", ""), spec, config.get("prices") or {})
        except ProviderError as e:
            skipped.append(f"{name}: {e}")
            continue
        members.append(Member(name, model, roles, float(item.get("weight", 1.0)), max_tokens=item.get("max_tokens")))
    if not members:
        why = "; ".join(skipped) or "no `pool:` members in ale.yaml (or all excluded)"
        raise ProviderError(f"the model pool is empty: {why}")
    pool = Pool(members, objective=opts.get("objective", "maximize"), seed=opts.get("seed"),
                **{k: opts[k] for k in ("bench_after", "bench_seconds", "bench_calls") if k in opts})
    pool.warnings.extend(f"skipped {s}" for s in skipped)
    pool.excluded = excluded
    return pool
