"""Load and validate a problem package (the format contract in docs/problem-format.md)."""

from __future__ import annotations

import importlib.util
import re
import sys
import traceback
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType

from judge import sandbox
from judge.yaml_reader import YAMLSyntaxError, load_yaml
from judge.errors import ProblemError

ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
REQUIRED = ("id", "title", "objective", "time_limit", "memory_limit", "interactive", "partial_score", "seeds")
OPTIONAL = ("tags", "tools")
KNOWN = set(REQUIRED) | set(OPTIONAL)
EXAMPLES = {
    "id": "id: my-problem", "title": "title: My Problem", "objective": "objective: maximize", "time_limit": "time_limit: 2.0",
    "memory_limit": "memory_limit: 1024", "interactive": "interactive: false", "partial_score": "partial_score: true",
    "seeds": "seeds: {public: [0, 49], private: [1000, 1149]}",
}
MAX_SEEDS = 1_000_000


@dataclass
class Problem:
    """A validated problem package; scorer and generator modules load on first use."""

    id: str
    title: str
    path: Path
    objective: str
    time_limit: float
    memory_limit: int
    interactive: bool
    partial_score: bool
    public_seeds: tuple[int, int]
    private_seeds: tuple[int, int]
    tags: list[str] = field(default_factory=list)
    tools: Path | None = None

    @property
    def statement(self) -> str:
        return (self.path / "statement.md").read_text(encoding="utf-8")

    @property
    def maximize(self) -> bool:
        return self.objective == "maximize"

    def solutions(self) -> list[Path]:
        d = self.path / "solutions"
        from judge import languages

        return sorted(p for p in d.iterdir() if languages.is_solution(p)) if d.is_dir() else []

    def seeds(self, spec: str) -> list[int]:
        return parse_seeds(spec, self)

    # --- the package's Python files --------------------------------------------------
    def _module(self, name: str) -> ModuleType:
        return _import_file(self.path / f"{name}.py", f"_ale_problem_{self.id.replace('-', '_')}_{name}")

    @cached_property
    def _tools(self):
        from judge.tools import OfficialTools

        return OfficialTools(self)

    def generate(self, seed: int) -> str:
        if self.tools:
            return self._tools.generate(seed)
        return self._module("generator").generate(seed)

    def score(self, input_text: str, output_text: str) -> int:
        if self.tools:
            return self._tools.score(input_text, output_text)
        return self._module("scorer").score(input_text, output_text)

    def interact(self, input_text: str, channel) -> int:
        return self._module("interactor").interact(input_text, channel)

    def render(self, input_text: str, output_text: str) -> str:
        if self.tools and not (self.path / "visualizer.py").is_file():
            return self._tools.render(input_text, output_text)
        if not (self.path / "visualizer.py").is_file():
            raise ProblemError(f"{self.path / 'visualizer.py'}: missing; this problem has no visualizer")
        return self._module("visualizer").render(input_text, output_text)


_MODULES: dict[tuple[str, Path], ModuleType] = {}


def _import_file(path: Path, name: str) -> ModuleType:
    key = (name, path)  # no resolve(): this runs twice per case, and loaded problems have absolute paths
    if key in _MODULES:
        return _MODULES[key]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod  # before running it: dataclasses and pickle look the module up there
    try:
        spec.loader.exec_module(mod)
    except SyntaxError as e:
        raise ProblemError(f"{path}:{e.lineno}: syntax error: {e.msg}; fix the file") from None
    except Exception as e:  # the problem author's bug, reported with where it happened
        frames = [f for f in traceback.extract_tb(e.__traceback__) if Path(f.filename).resolve() == path.resolve()]
        line = frames[-1].lineno if frames else "?"
        raise ProblemError(f"{path}: importing failed at line {line}: {type(e).__name__}: {e}; fix the file") from None
    _MODULES[key] = mod
    return mod


SPEC = "docs/problem-format.md"  # the package format, in ale's repository


def _fail(path: Path, msg: str) -> ProblemError:
    if path.name == "problem.yaml" and SPEC not in msg:
        msg += f" (format: {SPEC})"
    return ProblemError(f"{path}: {msg}")


def _seed_range(y: Path, name: str, value) -> tuple[int, int]:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        or value[0] > value[1]
        or value[0] < 0
    ):
        raise _fail(y, f"field 'seeds.{name}' must be an inclusive range [first, last] of non-negative integers, e.g. [0, 49]")
    return (value[0], value[1])


def load_problem(ref: str | Path, search: list[str | Path] = ()) -> Problem:
    """A problem from a folder path, or an id looked up in the `search` folders."""
    path = Path(ref)
    if not (path / "problem.yaml").is_file():
        for folder in search:
            cand = Path(folder) / str(ref)
            if (cand / "problem.yaml").is_file():
                path = cand
                break
        else:
            if path.is_dir():
                raise _fail(path / "problem.yaml", f"missing; a problem package needs problem.yaml (see {SPEC})")
            where = ", ".join(str(s) for s in search) or "nowhere"
            raise ProblemError(f"problem '{ref}' not found: not a folder with problem.yaml, and no such id in {where}; check `ale problems list`")
    for folder in search:  # a shelf inside an installed package must not show in a box (the judge's own folders)
        sandbox.hide(folder)
    path = path.resolve()
    sandbox.hide(path)
    return _validate(path)


def _validate(path: Path) -> Problem:
    y = path / "problem.yaml"
    try:
        meta = load_yaml(y)
    except YAMLSyntaxError as e:
        line = f":{e.line}" if e.line else ""
        raise ProblemError(f"{y}{line}: not valid YAML ({e.problem}); fix the syntax (format: {SPEC})") from None
    if not isinstance(meta, dict):
        raise _fail(y, "must be a mapping of keys (id, title, objective, ...)")
    unknown = sorted(set(meta) - KNOWN)
    if unknown:
        raise _fail(y, f"unknown key '{unknown[0]}'; allowed keys are {', '.join(sorted(KNOWN))}")
    for k in REQUIRED:
        if k not in meta:
            raise _fail(y, f"missing required field '{k}'; add it (see {SPEC}, e.g. {EXAMPLES[k]})")
    pid = meta["id"]
    if not isinstance(pid, str) or not ID_RE.match(pid):
        raise _fail(y, f"field 'id' ({pid!r}) must use lowercase letters, digits and '-'")
    if pid != path.name:
        raise _fail(y, f"field 'id' is '{pid}' but the folder is '{path.name}'; make them equal")
    if meta["objective"] not in ("maximize", "minimize"):
        raise _fail(y, f"field 'objective' is {meta['objective']!r}; use maximize or minimize")
    tl = meta["time_limit"]
    if isinstance(tl, bool) or not isinstance(tl, (int, float)) or tl <= 0:
        raise _fail(y, f"field 'time_limit' is {tl!r}; give seconds per case as a positive number, e.g. 2.0")
    ml = meta["memory_limit"]
    if isinstance(ml, bool) or not isinstance(ml, int) or ml <= 0:
        raise _fail(y, f"field 'memory_limit' is {ml!r}; give MiB per case as a positive integer, e.g. 1024")
    for k in ("interactive", "partial_score"):
        if not isinstance(meta[k], bool):
            raise _fail(y, f"field '{k}' is {meta[k]!r}; use true or false")
    seeds = meta["seeds"]
    if isinstance(seeds, dict) and set(seeds) - {"public", "private"}:
        extra = sorted(set(seeds) - {"public", "private"}, key=str)[0]
        raise _fail(y, f"unknown key 'seeds.{extra}'; seeds has only 'public' and 'private'")
    if not isinstance(seeds, dict) or set(seeds) != {"public", "private"}:
        raise _fail(y, "field 'seeds' must have exactly 'public' and 'private' ranges, e.g. public: [0, 49]")
    public = _seed_range(y, "public", seeds["public"])
    private = _seed_range(y, "private", seeds["private"])
    tags = meta.get("tags", []) or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise _fail(y, "field 'tags' must be a list of words, e.g. [routing, permutation]")
    tools = None
    if meta.get("tools") is not None:
        tools = (path / str(meta["tools"])).resolve()
        if not tools.is_dir():
            raise _fail(y, f"field 'tools' names {tools}, which is not a folder; point it at the official tools folder")
    if not (path / "statement.md").is_file():
        raise _fail(path / "statement.md", "missing; every problem needs the statement the agent reads")
    if not tools:
        needed = ["generator.py", "interactor.py" if meta["interactive"] else "scorer.py"]
        for name in needed:
            if not (path / name).is_file():
                kind = "interactive" if meta["interactive"] else "batch"
                raise _fail(path / name, f"missing; a {kind} problem needs it (or name official tools with 'tools:')")
    sol = path / "solutions" / "baseline.py"
    if not tools and not sol.is_file():
        raise _fail(sol, "missing; ship a simple valid baseline solution")
    return Problem(
        id=pid, title=str(meta["title"]), path=path, objective=meta["objective"], time_limit=float(tl),
        memory_limit=ml, interactive=meta["interactive"], partial_score=meta["partial_score"],
        public_seeds=public, private_seeds=private, tags=list(tags), tools=tools,
    )


def parse_seeds(spec: str, problem: Problem | None = None) -> list[int]:
    """'public', 'private', '0-49', '3,7,9', '0-4,10' -> sorted unique seeds."""
    spec = str(spec).strip()
    if problem is not None and spec in ("public", "private"):
        lo, hi = problem.public_seeds if spec == "public" else problem.private_seeds
        return list(range(lo, hi + 1))
    seeds: set[int] = set()
    for part in spec.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)\s*-\s*(\d+)", part)
        if m and int(m[1]) <= int(m[2]):
            if int(m[2]) - int(m[1]) >= MAX_SEEDS:
                raise ValueError(f"seed range '{part}' is too large; judge at most {MAX_SEEDS:,} seeds at once")
            seeds.update(range(int(m[1]), int(m[2]) + 1))
        elif part.isdigit():
            seeds.add(int(part))
        else:
            raise ValueError(f"bad seed list '{spec}': use public, private, a range like 0-49 or a list like 3,7,9")
    return sorted(seeds)
