"""A solve run's options: their defaults, and how flags, an earlier run and ale.yaml combine.

The field defaults of `SolveOptions` are the one source of the solve defaults: ale/config.py's
DEFAULTS take theirs from here (`yaml_defaults`), and a test checks the shipped ale.yaml against
them. `solve_options` is what `ale solve` calls; a library user calls it the same way. This module
imports nothing heavy: ale/config.py (every `ale` start-up) reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class SolveOptions:
    budget: int = 20  # judged candidates, starting files included
    time_budget: float | None = None  # seconds of wall time
    beam: int = 4
    jobs: int | None = None
    seeds: str = "public"
    use_lessons: bool = True
    private_top: int = 3
    private_seeds: str = "private"
    exploration: float = 0.5
    lesson_chars: int = 4000
    fixed: dict = field(default_factory=dict)  # parameters pinned in every candidate
    cache_root: str | None = None
    max_cost: float | None = None
    max_tokens: int | None = None
    packs: str | None = None
    starts: list = field(default_factory=list)  # starting files (names in solutions/ or paths); empty = all
    parallel: int | None = None  # proposals in flight; None: MODEL_PARALLEL for models, 1 offline
    racing: bool = True  # judge children in stages and stop a clearly worse one early (judge.racing)
    race_first: int = 5  # seeds in the first stage
    race_alpha: float = 0.05  # one-sided level of the paired test against the parent and the best
    race_futility: float = 0.05  # stop a child whose chance to finish ahead of its parent and the best is below this (0: off)
    rejudge_top: int = 3  # best candidates judged once more on the public seeds, ranked on the average
    cluster: str | None = None  # a Ray address: every candidate is judged on the cluster (the store stays here)

    def to_config(self) -> dict:
        return dict(self.__dict__)


DEFAULT_PROVIDER = "auto"  # the first configured provider with a key, else offline
# ale.yaml's `solve:` keys that set a field, and that field's name where it differs.
YAML_SOLVE = ("budget", "time", "beam", "seeds", "private_top", "exploration", "parallel", "racing",
              "race_first", "race_alpha", "race_futility", "rejudge_top")
YAML_FIELD = {"time": "time_budget"}


def default(name: str):
    """A field's default value."""
    return SolveOptions.__dataclass_fields__[name].default


def yaml_defaults() -> dict:
    """The defaults of ale.yaml's `solve:`, `judge.jobs` and `lessons.budget_chars`, from the fields."""
    return {
        "solve": {"provider": DEFAULT_PROVIDER, **{k: default(YAML_FIELD.get(k, k)) for k in YAML_SOLVE}},
        "judge": {"jobs": default("jobs")},
        "lessons": {"budget_chars": default("lesson_chars")},
    }


def parse_duration(text: str | None, what: str = "--time") -> float | None:
    """'90', '90s', '30m', '1h30m' -> seconds; anything else is a ValueError naming `what`."""
    if text is None:
        return None
    parts = re.findall(r"(\d+(?:\.\d+)?)\s*([hms]?)", str(text).strip())
    if not parts or "".join(n + u for n, u in parts) != re.sub(r"\s+", "", str(text)):
        raise ValueError(f"bad {what} '{text}': use seconds or a duration like 90s, 30m, 1h30m")
    return sum(float(n) * {"h": 3600, "m": 60, "s": 1, "": 1}[u] for n, u in parts)


def _number(v) -> bool:
    return type(v) in (int, float)  # not bool: `yes` reads as True


# Racing's settings and what each accepts.
_RACING_SETTINGS = {"race_alpha": (lambda v: _number(v) and 0 < v < 1, "a number in (0, 1)"),
                    "race_futility": (lambda v: _number(v) and 0 <= v < 1, "a number in [0, 1)"),
                    "race_first": (lambda v: type(v) is int and v >= 1, "a whole number >= 1")}


def _check_racing(sc: dict, src: str) -> None:
    """A misread racing setting would silently stop every child (futility 2) or none (alpha 0): say so."""
    from ale.config import ConfigError

    for key, (ok, want) in _RACING_SETTINGS.items():
        if not ok(sc.get(key)):
            example = SolveOptions.__dataclass_fields__[key].default
            raise ConfigError(f"{src}: 'solve.{key}' is {sc.get(key)!r}; give {want}, e.g. {example}")


def solve_options(
    cfg: dict, *, earlier: dict | None = None, budget: int | None = None, time_budget: float | None = None,
    beam: int | None = None, jobs: int | None = None, seeds: str | None = None, use_lessons: bool | None = None,
    private_top: int | None = None, private_seeds: str | None = None, fixed: dict | None = None,
    starts: list | None = None, parallel: int | None = None, racing: bool | None = None,
    max_cost: float | None = None, max_tokens: int | None = None, cluster: str | None = None,
) -> SolveOptions:
    """A run's options: each flag given (not None) wins, then the options of the `earlier` run
    being resumed or replayed (its stored `options`), then ale.yaml (`cfg`, from
    `config.load_config`), then the field defaults. `exploration`, the lesson budget, the cache,
    the packs and the cluster come from ale.yaml (or their flag) only, as do the spending limits."""
    from ale.config import ConfigError, cache_root, cluster_address, packs_path

    run, sc = earlier or {}, cfg["solve"]
    if time_budget is None and "time_budget" not in run:
        try:
            time_budget = parse_duration(sc["time"], "time")
        except ValueError as e:
            raise ConfigError(f"{cfg.get('_file') or 'ale.yaml'}: 'solve.time': {e}") from None
    elif time_budget is None:
        time_budget = run["time_budget"]
    _check_racing(sc, cfg.get("_file") or "ale.yaml")
    packs = packs_path(cfg)
    return SolveOptions(
        budget=budget or run.get("budget") or sc["budget"],
        time_budget=time_budget,
        beam=beam or run.get("beam") or sc["beam"],
        jobs=jobs or run.get("jobs") or cfg["judge"]["jobs"],
        seeds=seeds or run.get("seeds") or sc["seeds"],
        use_lessons=use_lessons if use_lessons is not None else run.get("use_lessons", default("use_lessons")),
        private_top=private_top if private_top is not None else run.get("private_top", sc["private_top"]),
        private_seeds=private_seeds or run.get("private_seeds") or default("private_seeds"),
        exploration=sc["exploration"],
        lesson_chars=cfg["lessons"]["budget_chars"],
        fixed=fixed if fixed is not None else run.get("fixed", {}),
        starts=list(starts or []) or run.get("starts", []),
        cache_root=cache_root(cfg), max_cost=max_cost, max_tokens=max_tokens,
        packs=str(packs) if packs else None, cluster=cluster_address(cfg, cluster),
        parallel=parallel or run.get("parallel") or sc.get("parallel"),
        racing=racing if racing is not None else run.get("racing", sc["racing"]),
        race_first=run.get("race_first", sc["race_first"]), race_alpha=run.get("race_alpha", sc["race_alpha"]),
        race_futility=run.get("race_futility", sc["race_futility"]),
        rejudge_top=run.get("rejudge_top", sc["rejudge_top"]),
    )


def provider_name(cfg: dict, flag: str | None = None, *, resumed: str | None = None, replay: bool = False) -> str:
    """Which provider a run uses: replay when replaying; else the flag; else the resumed run's
    own provider; else ale.yaml's `solve.provider` (default auto)."""
    if replay:
        return "replay"
    return flag or resumed or cfg["solve"]["provider"]


def earlier_run(store, run_id: int, problem_id: str) -> dict:
    """The run `--resume`/`--replay` names, which must exist and be on this problem (else ConfigError)."""
    from ale.config import ConfigError

    run = store.get_run(run_id)
    if run is None:
        raise ConfigError(f"no run {run_id} in {store.path}; see `ale runs list`")
    if run["problem"] != problem_id:
        raise ConfigError(f"run {run_id} is for problem '{run['problem']}', not '{problem_id}'")
    return run


def checked_fixed(fixed: dict, problem, starts: list[str]) -> dict:
    """Pinned parameters checked against the starting files' `ale: param` lines (ValueError naming
    the pin and the file): a mistake is found before the run exists."""
    from ale.params import check_fixed

    files = [Path(s) if Path(s).is_file() else problem.path / "solutions" / s for s in starts] or problem.solutions()
    sources = {f.name: f.read_text(encoding="utf-8") for f in files if f.is_file()}  # a missing start is reported later
    return check_fixed(fixed, sources)
