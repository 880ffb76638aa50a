"""Structured lessons: what a run learned, kept as records that can be merged, credited, retrieved.

A lesson is small and typed (technique, pitfall, parameter, insight) so the proposer can be shown
the few that matter for a problem instead of a growing wall of notes. Repeated observations merge
into one record; each lesson's confidence follows how often candidates that were shown it won.
"""

from __future__ import annotations

import dataclasses
import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ale.shelf import packs_dir
from judge.yaml_reader import YAMLSyntaxError, parse_yaml

KINDS = ("technique", "pitfall", "parameter", "insight")
SCOPES = ("problem", "tags", "global")
SIMILAR = 0.85  # difflib ratio of normalised texts above which two lessons are the same lesson
PRIOR_WEIGHT = 4  # how many uses of evidence the prior confidence is worth
CONFIDENCE_CAP = 0.95  # corroboration never makes a lesson certain
PACKS_DIR = packs_dir()


@dataclass
class Lesson:
    kind: str
    text: str
    scope: str = "problem"
    problem: str | None = None
    tags: list[str] = field(default_factory=list)
    evidence: dict = field(default_factory=dict)
    confidence: float = 0.5
    uses: int = 0
    wins: int = 0
    id: int | None = None
    source: str = "run"

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> "Lesson":
        """Validate a mapping (from a file, an import or a provider); errors name the field."""
        if not isinstance(d, dict):
            raise ValueError(f"lesson: expected a mapping, got {type(d).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"{unknown[0]}: unknown field")
        for name in ("kind", "text"):
            if name not in d:
                raise ValueError(f"{name}: missing")
        lesson = cls(**d)
        lesson.tags = list(lesson.tags) if isinstance(lesson.tags, (list, tuple)) else lesson.tags
        _check(lesson)
        return lesson


def _check(lesson: Lesson) -> None:
    def bad(name: str, why: str) -> ValueError:
        return ValueError(f"{name}: {why} (got {getattr(lesson, name)!r})")

    if lesson.kind not in KINDS:
        raise bad("kind", f"must be one of {', '.join(KINDS)}")
    if not isinstance(lesson.text, str) or not lesson.text.strip():
        raise bad("text", "must be non-empty text")
    if lesson.scope not in SCOPES:
        raise bad("scope", f"must be one of {', '.join(SCOPES)}")
    if lesson.problem is not None and not isinstance(lesson.problem, str):
        raise bad("problem", "must be text or null")
    if lesson.scope == "problem" and not lesson.problem:
        raise bad("problem", "is required when scope is 'problem'")
    if not isinstance(lesson.tags, list) or not all(isinstance(t, str) for t in lesson.tags):
        raise bad("tags", "must be a list of strings")
    if lesson.scope == "tags" and not lesson.tags:
        raise bad("tags", "must not be empty when scope is 'tags'")
    if not isinstance(lesson.evidence, dict):
        raise bad("evidence", "must be a mapping")
    conf = lesson.confidence
    if isinstance(conf, bool) or not isinstance(conf, (int, float)) or not 0 <= conf <= 1:
        raise bad("confidence", "must be a number from 0 to 1")
    lesson.confidence = float(conf)
    for name in ("uses", "wins"):
        value = getattr(lesson, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise bad(name, "must be a non-negative integer")
    if lesson.wins > lesson.uses:
        raise bad("wins", "cannot exceed uses")
    if lesson.id is not None and (isinstance(lesson.id, bool) or not isinstance(lesson.id, int)):
        raise bad("id", "must be an integer or null")
    if not isinstance(lesson.source, str) or not (
        lesson.source in ("run", "import") or lesson.source.startswith("pack:")
    ):
        raise bad("source", "must be 'run', 'import' or 'pack:<name>'")


def _from_row(row: dict) -> Lesson:
    names = {f.name for f in dataclasses.fields(Lesson)}
    return Lesson(**{k: v for k, v in row.items() if k in names})


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w.+-]+", " ", text.lower()).split())


def blend(prior: float, uses: int, wins: int) -> float:
    """Confidence after `uses` trials: the Laplace win rate, trusted more as uses grow."""
    weight = uses / (uses + PRIOR_WEIGHT)
    return round((1 - weight) * prior + weight * (wins + 1) / (uses + 2), 4)


def _same_lesson(row: dict, lesson: Lesson) -> float:
    """Similarity score in [0, 1] of a stored row to `lesson`, 0 if they cannot be one lesson."""
    if row["scope"] != lesson.scope or row["problem"] != lesson.problem:
        return 0.0
    if lesson.scope == "tags" and not set(row["tags"]) & set(lesson.tags):
        return 0.0
    key = lesson.evidence.get("key")
    if key is not None and row.get("key") == str(key):
        return 1.0
    a, b = normalise(row["text"]), normalise(lesson.text)
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    # the quick ratios are cheap upper bounds: most pairs are rejected without the full ratio
    if matcher.real_quick_ratio() < SIMILAR or matcher.quick_ratio() < SIMILAR:
        return 0.0
    ratio = matcher.ratio()
    return ratio if ratio >= SIMILAR else 0.0


def _merge_evidence(old: dict, new: dict) -> dict:
    """Lists union (candidates, seeds), counts 'n' add up, other values take the newer."""
    merged = dict(old)
    for key, value in new.items():
        if isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + [v for v in value if v not in merged[key]]
        elif key == "n" and isinstance(value, (int, float)) and isinstance(merged.get(key), (int, float)):
            merged[key] = merged[key] + value
        else:
            merged[key] = value
    return merged


def _nothing_new(row: dict, lesson: Lesson) -> bool:
    same_text = normalise(row["text"]) == normalise(lesson.text)
    return same_text and all(row["evidence"].get(k) == v for k, v in lesson.evidence.items())


def add_or_merge(store, lesson: Lesson) -> int:
    """Store `lesson`, or fold it into the stored lesson it repeats; return the id.

    A repeat of the very same observation (same text, no new evidence: re-importing a file,
    reloading a pack) changes nothing but the tags, so it cannot inflate confidence; a pack may
    still update its own prior. A genuinely new sighting takes the newer text, merges evidence and
    corroborates: confidence combines as a capped noisy-or.
    """
    _check(lesson)
    key = lesson.evidence.get("key")
    with store.transaction():
        rows = [r for r in store.list_lessons(kind=lesson.kind)]
        scored = [(_same_lesson(r, lesson), r["id"], r) for r in rows]
        scored = [s for s in scored if s[0] > 0]
        if not scored:
            return store.add_lesson({
                **lesson.to_dict(), "key": None if key is None else str(key),
                "prior": lesson.confidence,
            })
        _, _, row = max(scored, key=lambda s: (s[0], -s[1]))
        tags = row["tags"] + [t for t in lesson.tags if t not in row["tags"]]
        if _nothing_new(row, lesson):
            fields: dict = {"tags": tags}
            if lesson.source.startswith("pack:") and lesson.source == row["source"]:
                fields["prior"] = lesson.confidence
                fields["confidence"] = blend(lesson.confidence, row["uses"], row["wins"])
            store.update_lesson(row["id"], **fields)
            return row["id"]
        old = row["prior"] if row["prior"] is not None else row["confidence"]
        prior = min(CONFIDENCE_CAP, 1 - (1 - old) * (1 - lesson.confidence))
        uses, wins = row["uses"] + lesson.uses, row["wins"] + lesson.wins
        store.update_lesson(
            row["id"], text=lesson.text, tags=tags,
            evidence=_merge_evidence(row["evidence"], lesson.evidence),
            prior=prior, confidence=blend(prior, uses, wins), uses=uses, wins=wins,
            key=row["key"] if key is None else str(key),
        )
        return row["id"]


def credit(store, lesson_ids: list[int], won: bool) -> None:
    """After a candidate that was shown these lessons is judged: count the use, and the win if it
    beat its parent. Unknown ids raise KeyError rather than silently losing the credit."""
    with store.transaction():
        for lesson_id in dict.fromkeys(lesson_ids):
            row = store.get_lesson(lesson_id)
            if row is None:
                raise KeyError(f"no lesson {lesson_id}")
            uses, wins = row["uses"] + 1, row["wins"] + int(bool(won))
            prior = row["prior"] if row["prior"] is not None else row["confidence"]
            store.update_lesson(lesson_id, uses=uses, wins=wins, confidence=blend(prior, uses, wins))


def _usefulness(lesson: Lesson) -> tuple:
    return (-lesson.confidence, -lesson.wins, lesson.id or 0)


def retrieve(
    store, problem: str, tags: list[str], budget_chars: int = 4000, kinds: list[str] | None = None,
) -> list[Lesson]:
    """Lessons for a prompt, most specific first: this problem's, then those of problems sharing
    a tag (and tag-scoped ones), then global ones; best first within a tier. Stops at the first
    lesson that would overflow `budget_chars` of text, so the order is never reshuffled by size."""
    wanted = set(tags)
    tiers: list[list[Lesson]] = [[], [], []]
    for row in store.list_lessons(kinds=kinds):
        lesson = _from_row(row)
        if lesson.problem == problem and lesson.scope != "global":
            tiers[0].append(lesson)
        elif lesson.scope in ("problem", "tags") and wanted & set(lesson.tags):
            tiers[1].append(lesson)
        elif lesson.scope == "global":
            tiers[2].append(lesson)
    chosen, used = [], 0
    for tier in tiers:
        for lesson in sorted(tier, key=_usefulness):
            if used + len(lesson.text) > budget_chars:
                return chosen
            chosen.append(lesson)
            used += len(lesson.text)
    return chosen


LANGUAGE_TAGS = {"python": "py", "numba": "py", "cpp": "cpp", "c++": "cpp", "rust": "rs"}  # tag -> judge.languages id


def applies(tags: list[str], language: str | None) -> bool:
    """Whether a lesson with these tags speaks to a solution in `language`: numba tips are for
    Python, not for a C++ candidate; a lesson naming no language applies to all."""
    langs = {LANGUAGE_TAGS[t.lower()] for t in tags or [] if t.lower() in LANGUAGE_TAGS}
    if not langs or language is None:
        return True
    from judge import languages

    try:
        return languages.get(language).id in langs
    except languages.UnknownLanguage:
        return language in langs


def search(store, query: str, limit: int = 20) -> list[Lesson]:
    return [_from_row(row) for row in store.search_lessons(query, limit)]


def all_lessons(store, problem: str | None = None, kind: str | None = None) -> list[Lesson]:
    return [_from_row(row) for row in store.list_lessons(problem=problem, kind=kind)]


def get(store, lesson_id: int) -> Lesson | None:
    row = store.get_lesson(lesson_id)
    return None if row is None else _from_row(row)


def export_lessons(store, fmt: str = "yaml", problem: str | None = None) -> str:
    """The same document shape as a pack (`lessons: [...]`), so exports can be imported or
    dropped into lessons/ as-is."""
    doc = {"lessons": [lesson.to_dict() for lesson in all_lessons(store, problem=problem)]}
    if fmt == "json":
        return json.dumps(doc, indent=2, sort_keys=False) + "\n"
    if fmt == "yaml":
        import yaml

        return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)
    raise ValueError(f"format: must be 'yaml' or 'json' (got {fmt!r})")


def parse_lessons(text: str, fmt: str | None = None, default_source: str = "import") -> tuple[str | None, list[Lesson]]:
    """Parse a pack or an export into (pack name, lessons), validating every entry before any is
    stored; errors read `lessons[3].kind: ...`."""
    if fmt is None:
        fmt = "json" if text.lstrip()[:1] in ("{", "[") else "yaml"
    try:
        doc = json.loads(text) if fmt == "json" else parse_yaml(text)
    except (json.JSONDecodeError, YAMLSyntaxError) as e:
        where = f"line {e.line}: " if getattr(e, "line", None) else ""
        raise ValueError(f"not valid {fmt.upper()}: {where}{str(e).splitlines()[0]}") from None
    pack = None
    if isinstance(doc, dict):
        pack = doc.get("pack")
        if pack is not None and (not isinstance(pack, str) or not pack.strip()):
            raise ValueError("pack: must be a non-empty name")
        if "lessons" not in doc:
            raise ValueError("lessons: missing")
        doc = doc["lessons"]
    if not isinstance(doc, list):
        raise ValueError("lessons: must be a list")
    lessons = []
    for i, entry in enumerate(doc):
        if isinstance(entry, dict):
            entry = {k: v for k, v in entry.items() if k != "id"}
            if pack:
                entry.setdefault("scope", "global")
                entry["source"] = f"pack:{pack}"
            entry.setdefault("source", default_source)
        try:
            lessons.append(Lesson.from_dict(entry))
        except (TypeError, ValueError) as e:
            raise ValueError(f"lessons[{i}].{e}" if isinstance(entry, dict) else f"lessons[{i}]: {e}") from None
    return pack, lessons


def import_lessons(store, text: str, fmt: str | None = None) -> tuple[int, int]:
    """Import all lessons of a document or none; returns (new, merged): how many became new
    records and how many folded into lessons already stored (or into an earlier entry)."""
    _, lessons = parse_lessons(text, fmt)
    new, merged = 0, 0
    with store.transaction():
        seen = {row["id"] for row in store.list_lessons()}
        for lesson in lessons:
            lid = add_or_merge(store, lesson)
            if lid in seen:
                merged += 1
            else:
                new += 1
                seen.add(lid)
    return new, merged


def load_pack(store, path: str | Path) -> int:
    """Load one curated pack. Idempotent: reloading merges into the same records."""
    path = Path(path)
    try:
        pack, lessons = parse_lessons(path.read_text(encoding="utf-8"), "yaml")
        if not pack:
            raise ValueError("pack: missing (a pack file starts with `pack: <name>`)")
    except ValueError as e:
        raise ValueError(f"{path}: {e}") from None
    with store.transaction():
        for lesson in lessons:
            add_or_merge(store, lesson)
    return len(lessons)


def load_packs(store, folder: str | Path | None = None) -> int:
    """Load every *.yaml pack in `folder` (default: the packs shipped in lessons/)."""
    folder = Path(folder) if folder is not None else PACKS_DIR
    if not folder.is_dir():
        raise FileNotFoundError(f"no lesson pack folder {folder}")
    return sum(load_pack(store, path) for path in sorted(folder.glob("*.yaml")))
