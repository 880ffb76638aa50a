"""ale.yaml: loading, validation, paths. Flags override what is read here; the solve defaults are SolveOptions' (ale/options.py)."""

from __future__ import annotations

import copy
from pathlib import Path

from ale.options import yaml_defaults
from ale.shelf import packs_dir, problems_dir
from judge.yaml_reader import YAMLSyntaxError, load_yaml

REPO_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(Exception):
    """ale.yaml (or a flag) is wrong; the message names the file and field."""


_SOLVE = yaml_defaults()  # the solve defaults are SolveOptions' field defaults (ale/options.py)
# What ale.yaml may hold, with the values used when it does not; the shipped ale.yaml spells out
# the same values (tests/solve/test_defaults.py keeps the three in step).
DEFAULTS: dict = {
    "problems": ["problems"],
    "db": ".ale/ale.db",
    "cache_dir": None,
    "judge": {"jobs": _SOLVE["judge"]["jobs"], "cluster": None},
    "solve": _SOLVE["solve"],
    "lessons": {"packs": "lessons", "budget_chars": _SOLVE["lessons"]["budget_chars"]},
    "providers": {},
    "prices": {},
    "pool": [],
}


def _merge(base: dict, over: dict, path: str, src: Path) -> dict:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if k not in base:
            raise ConfigError(f"{src}: unknown key '{path}{k}'; known keys: {', '.join(sorted(base))}")
        if isinstance(base[k], dict) and base[k] and isinstance(v, dict):
            out[k] = _merge(base[k], v, f"{path}{k}.", src)
        elif isinstance(base[k], dict) and v is not None and not isinstance(v, dict):
            raise ConfigError(f"{src}: '{path}{k}' must be a mapping")
        else:
            out[k] = v
    return out


def find_config(explicit: str | None = None) -> Path | None:
    if explicit:
        p = Path(explicit)
        if not p.is_file():
            raise ConfigError(f"{p}: config file not found; check --config")
        return p
    for p in (Path.cwd() / "ale.yaml", REPO_ROOT / "ale.yaml"):
        if p.is_file():
            return p
    return None


def load_config(explicit: str | None = None) -> dict:
    """The merged configuration; `_dir` is the folder relative paths are resolved against."""
    path = find_config(explicit)
    cfg = copy.deepcopy(DEFAULTS)
    base = Path.cwd()
    if path is not None:
        try:
            data = load_yaml(path) or {}
        except YAMLSyntaxError as e:
            line = f":{e.line}" if e.line else ""
            raise ConfigError(f"{path}{line}: not valid YAML ({e.problem}); fix the syntax") from None
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: must be a mapping of keys")
        cfg = _merge(cfg, data, "", path)
        # A project's own ale.yaml anchors its relative paths; the shipped default anchors at cwd.
        base = path.resolve().parent if (explicit or path.resolve() != (REPO_ROOT / "ale.yaml").resolve()) else Path.cwd()
    cfg["_dir"] = str(base)
    cfg["_file"] = str(path) if path else None
    return cfg


def problem_folders(cfg: dict) -> list[Path]:
    """Where problem ids are looked up: ./problems, the configured folders, the shipped shelf."""
    base = Path(cfg["_dir"])
    out = [Path.cwd() / "problems"]
    for f in cfg.get("problems") or []:  # also relative to this file's folder when it is not the shipped one
        out.append((base / f).resolve())
    out.append(problems_dir())
    seen, uniq = set(), []
    for p in out:
        if p not in seen:
            seen.add(p)
            uniq.append(p)
    return uniq


def resolve_path(cfg: dict, value: str | None) -> Path | None:
    if value is None:
        return None
    p = Path(value).expanduser()
    return p if p.is_absolute() else Path(cfg["_dir"]) / p


def db_path(cfg: dict, flag: str | None = None) -> Path:
    """The store: --db, else ale.yaml's `db` (relative to that file's folder, or to cwd by default)."""
    return Path(flag) if flag else resolve_path(cfg, cfg["db"])


def cache_root(cfg: dict) -> Path | None:
    return resolve_path(cfg, cfg.get("cache_dir"))


def packs_path(cfg: dict) -> Path | None:
    """Lesson packs: ale.yaml's `lessons.packs` (relative to that file or cwd), else the shipped ones."""
    value = (cfg.get("lessons") or {}).get("packs")
    if not value:
        return None
    p = resolve_path(cfg, value)
    if not p.is_dir() and value == DEFAULTS["lessons"]["packs"]:  # the default and no such folder here: the shipped packs
        return packs_dir()
    if not p.is_dir() and not Path(value).is_absolute() and (REPO_ROOT / value).is_dir():
        return REPO_ROOT / value
    return p


def cluster_address(cfg: dict, flag: str | None = None) -> str | None:
    """The Ray cluster to judge on: --cluster, else ale.yaml's `judge.cluster`, else none (local judging)."""
    if flag:
        return flag
    value = (cfg.get("judge") or {}).get("cluster")
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ConfigError(f"{cfg.get('_file') or 'ale.yaml'}: 'judge.cluster' is {value!r}; give a Ray address "
                          "(ray://HOST:10001, HOST:6379, auto or local) or null")
    return value or None
