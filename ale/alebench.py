"""Read one problem folder of the ALE-Bench dataset (SakanaAI/ALE-Bench on Hugging Face) into a package.

The dataset ships each problem as `<id>.zip` holding `<id>/` with (read by ALE-Bench's
`ale_bench.data.load_problem`):

    data.json                   metadata (problem_id, start_at, end_at, title, problem_type batch|reactive,
                                score_type maximize|minimize, [relative_score_type, relative_max_score]),
                                constraints (time_limit s, memory_limit bytes), seeds (public, private,
                                public_lite, private_lite: gen seed values), image_files
    statement_en.md, statement_ja.md, example_input.txt, example_output.txt, images/
    tools/                      the official tools crate (README.md, Cargo.toml, src/bin/...)
    standings_scores.csv        rank,score of the humans on the private seeds (…_lite.csv: lite seeds)
    performance.csv             rank,performance
    relative_results.csv        relatively scored contests: private_0,... per human (…_lite.csv)

The package made from it judges like any official-tools package; the seed values go to
`seed_values.csv` (package seed -> gen value) and the humans' results to `standings/`.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from ale import standings as st_mod
from judge.errors import ProblemError

PRIVATE_BASE = 1000  # package numbers of the private seeds, as `ale problems import` uses for tools


def find_root(source: Path) -> Path | None:
    """The folder holding data.json: `source` itself or its only sub-folder that has one."""
    if (source / "data.json").is_file():
        return source
    found = [d for d in sorted(source.iterdir()) if d.is_dir() and (d / "data.json").is_file()] if source.is_dir() else []
    return found[0] if len(found) == 1 else None


def _field(data: dict, path: Path, *keys: str):
    cur = data
    for i, k in enumerate(keys):
        if not isinstance(cur, dict) or k not in cur:
            raise ProblemError(f"{path}: missing field '{'.'.join(keys[: i + 1])}'; is this an ALE-Bench problem folder?")
        cur = cur[k]
    return cur


def _seed_list(path: Path, data: dict, name: str) -> list[int]:
    value = _field(data, path, "seeds", name)
    if not isinstance(value, list) or not value or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value):
        raise ProblemError(f"{path}: field 'seeds.{name}' must be a non-empty list of non-negative integers")
    return value


def read(root: Path, *, lite: bool = False) -> dict:
    """Everything the package needs, checked: problem.yaml fields, seed values, standings files."""
    path = root / "data.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        line = f":{e.lineno}" if isinstance(e, json.JSONDecodeError) else ""
        raise ProblemError(f"{path}{line}: not valid JSON ({e.__class__.__name__}: {getattr(e, 'msg', e)})") from None
    if not isinstance(data, dict):
        raise ProblemError(f"{path}: must be a JSON object with metadata, constraints and seeds")
    meta = _field(data, path, "metadata")
    pid = str(_field(data, path, "metadata", "problem_id"))
    score_type = _field(data, path, "metadata", "score_type")
    if score_type not in ("maximize", "minimize"):
        raise ProblemError(f"{path}: metadata.score_type is {score_type!r}; expected maximize or minimize")
    kind = _field(data, path, "metadata", "problem_type")
    if kind not in ("batch", "reactive"):
        raise ProblemError(f"{path}: metadata.problem_type is {kind!r}; expected batch or reactive")
    tl = _field(data, path, "constraints", "time_limit")
    ml = _field(data, path, "constraints", "memory_limit")
    if not isinstance(tl, (int, float)) or isinstance(tl, bool) or tl <= 0 or not isinstance(ml, int) or ml <= 0:
        raise ProblemError(f"{path}: constraints need a positive time_limit (seconds) and memory_limit (bytes)")
    try:
        start = dt.datetime.fromisoformat(str(_field(data, path, "metadata", "start_at")))
        end = dt.datetime.fromisoformat(str(_field(data, path, "metadata", "end_at")))
    except ValueError as e:
        raise ProblemError(f"{path}: metadata start_at/end_at: {e}; use ISO 8601 times") from None
    suffix = "_lite" if lite else ""
    public = _seed_list(path, data, "public" + suffix)
    private = _seed_list(path, data, "private" + suffix)
    for name in ("statement_en.md", "tools/Cargo.toml"):
        if not (root / name).is_file():
            raise ProblemError(f"{root / name}: missing; an ALE-Bench problem folder has statement_en.md and tools/")
    rel_type = meta.get("relative_score_type")
    scores = root / f"standings_scores{suffix}.csv"
    standings = None
    if scores.is_file():
        standings = st_mod.load_files(
            scores, root / "performance.csv" if (root / "performance.csv").is_file() else None,
            root / f"relative_results{suffix}.csv", relative_type=rel_type, relative_max=meta.get("relative_max_score"),
            cases=len(private), higher_is_better=True,  # ALE-Bench's totals (absolute or relative) rank higher first
        )
    return {
        "id": pid, "title": str(meta.get("title") or pid), "objective": score_type, "time_limit": float(tl),
        "memory_limit": max(1, ml // (1024 * 1024)), "interactive": kind == "reactive",
        # ALE-Bench keeps a non-AC submission's score only for long contests (its ALLOW_SCORE_NON_AC_PRIVATE);
        # a contest of a day or more is long, the threshold ALE-Bench uses for submission intervals.
        "partial_score": (end - start) >= dt.timedelta(days=1),
        "public": public, "private": private, "lite": lite, "standings": standings,
        "files": {"scores": scores, "performance": root / "performance.csv", "relative": root / f"relative_results{suffix}.csv"},
        "relative_type": rel_type, "relative_max": meta.get("relative_max_score"), "url": meta.get("contest_url"),
    }


def numbering(public: list[int], private: list[int]) -> tuple[tuple[int, int], tuple[int, int], dict[int, int]]:
    """Package seed ranges and the seed -> gen value map (identity entries left out)."""
    base = max(PRIVATE_BASE, len(public))
    values = {i: v for i, v in enumerate(public)} | {base + i: v for i, v in enumerate(private)}
    return (0, len(public) - 1), (base, base + len(private) - 1), {s: v for s, v in values.items() if s != v}


def write(info: dict, root: Path, pkg: Path) -> None:
    """Fill `pkg` (problem.yaml, tools and solutions are the caller's): statement, seeds, standings."""
    (pkg / "statement.md").write_text((root / "statement_en.md").read_text(encoding="utf-8"), encoding="utf-8")
    if (root / "images").is_dir():
        shutil.copytree(root / "images", pkg / "images")
    _, _, values = numbering(info["public"], info["private"])
    if values:
        lines = ["seed,value"] + [f"{s},{v}" for s, v in sorted(values.items())]
        (pkg / "seed_values.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if info["standings"] is None:
        return
    d = pkg / st_mod.FOLDER
    d.mkdir()
    shutil.copy2(info["files"]["scores"], d / st_mod.SCORES)
    if info["files"]["performance"].is_file():
        shutil.copy2(info["files"]["performance"], d / st_mod.PERFORMANCE)
    meta = {"source": "ale-bench", "lite": info["lite"], "higher_is_better": True}
    if info["relative_type"]:
        shutil.copy2(info["files"]["relative"], d / st_mod.RELATIVE)
        meta |= {"relative_score_type": info["relative_type"], "relative_max_score": info["relative_max"]}
    import yaml

    (d / st_mod.META).write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
