"""Read YAML files (problem.yaml, ale.yaml, lessons): safe_load's rules, a 1-based line on a
syntax error, and a JSON copy of each file under the cache so that PyYAML is rarely imported."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

from judge.cache import cache_home

YAML_CACHE_VERSION = b"1"  # bump if what a cached parse holds ever changes


class YAMLSyntaxError(ValueError):
    """The file is not valid YAML; `line` is 1-based when the parser knows it."""

    def __init__(self, problem: str, line: int | None = None):
        super().__init__(problem)
        self.problem, self.line = problem, line


def parse_yaml(text: str):
    """YAML text with safe_load's rules, at libyaml's speed when it is there."""
    import yaml

    try:
        return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        raise YAMLSyntaxError(str(getattr(e, "problem", None) or e), mark.line + 1 if mark else None) from None


def load_yaml(path: Path):
    """A YAML file's data, through a JSON copy keyed by the file's bytes.

    Importing PyYAML costs ~30 ms (its reader compiles a large regex even when libyaml parses),
    a sizeable share of a short `ale judge`; the JSON copy of an unchanged file loads in
    microseconds. Data JSON cannot hold exactly (dates, integer keys) is simply not cached.
    """
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise YAMLSyntaxError(f"not UTF-8 text (byte {e.start})") from None
    key = hashlib.sha256(YAML_CACHE_VERSION + b"\0" + raw).hexdigest()[:32]
    copy = cache_home() / "yaml" / f"{key}.json"
    try:
        return json.loads(copy.read_bytes())
    except (OSError, ValueError):
        pass
    data = parse_yaml(text)
    try:
        dumped = json.dumps(data)
        if json.loads(dumped) == data:
            copy.parent.mkdir(parents=True, exist_ok=True)
            tmp = copy.with_name(f"{copy.name}.{os.getpid()}.{threading.get_ident()}")
            tmp.write_text(dumped, encoding="utf-8")
            os.replace(tmp, copy)  # atomic: a concurrent reader sees all of it or nothing
    except (TypeError, ValueError, OSError):
        pass
    return data
