"""API keys: the environment first, then a private JSON file written by `ale keys set`.

Keys never go in ale.yaml (which people commit); the file is created with mode 0600.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

ALIASES = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}


NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def keys_path() -> Path:
    """`$ALE_KEYS_FILE`, else `$XDG_CONFIG_HOME/ale/keys.json` (default ~/.config/ale/keys.json)."""
    override = os.environ.get("ALE_KEYS_FILE")
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"  # the XDG spec ignores relative paths
    return base / "ale" / "keys.json"


def env_name(name: str) -> str:
    """`anthropic` -> ANTHROPIC_API_KEY; any other name is used as the variable name itself."""
    return ALIASES.get(name.lower(), name)


def check_name(name: str) -> str:
    """The variable name a key is stored under; ValueError unless it could be an environment variable."""
    var = env_name(name)
    if not NAME_RE.fullmatch(var):
        raise ValueError(f"key name '{name}' is not an environment variable name: use letters, digits and _, "
                         f"e.g. ANTHROPIC_API_KEY (or the aliases {', '.join(ALIASES)})")
    return var


def load_keys() -> dict[str, str]:
    path = keys_path()
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text() or "{}")
    except ValueError as e:
        raise ValueError(f"{path}: not valid JSON ({e})") from None
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def get_key(name: str | None) -> str | None:
    """The key for an environment variable name (or alias): the environment wins over the file."""
    if not name:
        return None
    var = env_name(name)
    value = os.environ.get(var)
    if value:
        return value
    return load_keys().get(var) or None


def set_key(name: str, value: str) -> Path:
    """Store a key; the file is rewritten atomically and readable by its owner only."""
    var = check_name(name)
    keys = load_keys()
    keys[var] = value
    path = keys_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(keys, f, indent=2, sort_keys=True)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def delete_key(name: str) -> bool:
    keys = load_keys()
    if env_name(name) not in keys:
        return False
    del keys[env_name(name)]
    path = keys_path()
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(keys, f, indent=2, sort_keys=True)
    return True


def key_names() -> list[str]:
    """Names of the keys in the file (values are never listed)."""
    return sorted(load_keys())
