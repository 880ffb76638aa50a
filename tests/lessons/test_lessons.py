"""Lesson validation, merging, credit, retrieval, search, import/export and packs."""

import json

import pytest
import yaml

from ale import lessons as L
from ale.lessons import Lesson
from ale.store import Store


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "ale.db")
    yield s
    s.close()


def add(store, text, kind="technique", **kw):
    kw.setdefault("problem", "ahc001" if kw.get("scope", "problem") == "problem" else None)
    return L.add_or_merge(store, Lesson(kind=kind, text=text, **kw))


@pytest.mark.parametrize("data, field", [
    ({"kind": "trick", "text": "x", "scope": "global"}, "kind"),
    ({"kind": "insight", "text": "  ", "scope": "global"}, "text"),
    ({"kind": "insight", "text": "x", "scope": "global", "confidence": 1.5}, "confidence"),
    ({"kind": "insight", "text": "x", "scope": "galaxy"}, "scope"),
    ({"kind": "insight", "text": "x"}, "problem"),
    ({"kind": "insight", "text": "x", "scope": "global", "tags": "a,b"}, "tags"),
    ({"kind": "insight", "text": "x", "scope": "global", "uses": 1, "wins": 2}, "wins"),
    ({"kind": "insight", "text": "x", "scope": "global", "confidance": 0.5}, "confidance"),
    ({"text": "x"}, "kind"),
])
def test_from_dict_names_the_bad_field(data, field):
    with pytest.raises(ValueError, match=rf"^{field}:"):
        Lesson.from_dict(data)


def test_to_dict_from_dict_round_trip():
    lesson = Lesson("parameter", "T0 = 2000", scope="tags", tags=["routing"], evidence={"key": "T0"}, id=4)
    assert Lesson.from_dict(lesson.to_dict()) == lesson


def test_near_duplicates_merge(store):
    first = add(store, "Use incremental score deltas for swap moves in annealing.", confidence=0.5,
                evidence={"candidates": [1, 2], "n": 10})
    second = add(store, "Use incremental score deltas for swap moves during annealing!", confidence=0.6,
                 evidence={"candidates": [2, 3], "n": 5, "delta": 12.0}, tags=["annealing"])
    assert second == first
    row = store.get_lesson(first)
    assert row["text"] == "Use incremental score deltas for swap moves during annealing!"
    assert row["evidence"] == {"candidates": [1, 2, 3], "n": 15, "delta": 12.0}
    assert row["tags"] == ["annealing"]
    assert row["confidence"] == pytest.approx(1 - 0.5 * 0.4)  # two sightings corroborate
    assert store.db["lessons"].count == 1


def test_distinct_or_differently_scoped_lessons_do_not_merge(store):
    a = add(store, "Use incremental score deltas for swap moves in annealing.")
    b = add(store, "Beam width should follow the remaining time budget.")
    c = add(store, "Use incremental score deltas for swap moves in annealing.", problem="ahc002")
    d = add(store, "Use incremental score deltas for swap moves in annealing.", kind="pitfall")
    assert len({a, b, c, d}) == 4


def test_parameter_lessons_merge_by_key(store):
    a = add(store, "T0 of 2000 worked best", kind="parameter", evidence={"key": "T0", "value": 2000})
    b = add(store, "Start temperature 500 beats 2000 on large N", kind="parameter",
            evidence={"key": "T0", "value": 500})
    assert a == b
    row = store.get_lesson(a)
    assert row["evidence"]["value"] == 500 and row["text"].startswith("Start temperature 500")


def test_exact_repeat_does_not_inflate_confidence(store):
    a = add(store, "Check the clock every 256 iterations.", confidence=0.6, evidence={"n": 3})
    b = add(store, "Check the clock every 256 iterations.", confidence=0.6, evidence={"n": 3})
    assert a == b and store.get_lesson(a)["confidence"] == 0.6


def test_credit_moves_confidence_with_wins_and_losses(store):
    a = add(store, "lesson a", confidence=0.5)
    b = add(store, "a quite different lesson b", confidence=0.5)
    for _ in range(6):
        L.credit(store, [a], won=True)
        L.credit(store, [b], won=False)
    ra, rb = store.get_lesson(a), store.get_lesson(b)
    assert (ra["uses"], ra["wins"], rb["uses"], rb["wins"]) == (6, 6, 6, 0)
    assert ra["confidence"] > 0.7 and rb["confidence"] < 0.3
    L.credit(store, [a, a], won=False)  # a repeated id counts once
    assert store.get_lesson(a)["uses"] == 7
    assert store.get_lesson(a)["confidence"] < ra["confidence"]
    with pytest.raises(KeyError):
        L.credit(store, [999], won=True)


def test_retrieve_orders_tiers_and_respects_budget(store):
    own_low = add(store, "Rotations rarely help on this grid", confidence=0.3)
    own_high = add(store, "Precompute all-pairs shortest paths once", confidence=0.9)
    sibling = add(store, "from a routing sibling problem", problem="ahc009", tags=["routing"], confidence=0.99)
    tagged = add(store, "tag-scoped routing advice", scope="tags", tags=["routing", "grid"], confidence=0.5)
    add(store, "unrelated problem without shared tags", problem="ahc010", tags=["packing"], confidence=0.99)
    add(store, "tags lesson about packing only", scope="tags", tags=["packing"], confidence=0.99)
    glob = add(store, "global advice", scope="global", confidence=0.99)
    ids = [x.id for x in L.retrieve(store, "ahc001", ["routing"])]
    assert ids == [own_high, own_low, sibling, tagged, glob]

    texts = [x.text for x in L.retrieve(store, "ahc001", ["routing"])]
    budget = len(texts[0]) + len(texts[1]) + len(texts[2]) - 1
    limited = L.retrieve(store, "ahc001", ["routing"], budget_chars=budget)
    assert [x.id for x in limited] == [own_high, own_low]
    assert sum(len(x.text) for x in limited) <= budget
    assert L.retrieve(store, "ahc001", ["routing"], budget_chars=3) == []

    pit = add(store, "own pitfall", kind="pitfall")
    assert [x.id for x in L.retrieve(store, "ahc001", [], kinds=["pitfall"])] == [pit]


def test_full_text_search(store):
    a = add(store, "Geometric cooling schedules for simulated annealing", scope="global", tags=["sa"])
    add(store, "Beam search with Zobrist hashing", scope="global")
    assert [x.id for x in L.search(store, "anneal")] == [a]  # porter stemming
    assert [x.id for x in L.search(store, "sa")] == [a]  # tags are indexed
    store.update_lesson(a, text="Linear cooling")  # triggers keep the index in sync
    assert L.search(store, "annealing") == []
    assert [x.id for x in L.search(store, "linear")] == [a]
    assert L.search(store, 'time-limit "O(n)') == []  # not FTS syntax: retried as plain words


def populate(store):
    add(store, "Delta evaluation for 2-opt", evidence={"candidates": [3, 4], "delta": 12.5, "n": 24},
        tags=["routing"], confidence=0.7)
    add(store, "Time check every 128 iterations", kind="pitfall", scope="global", uses=3, wins=2)
    add(store, "Width 300", kind="parameter", scope="tags", tags=["beam"], evidence={"key": "width"})
    add(store, "Ünïcode note: ≥ 2 passes", kind="insight", problem="ahc002")


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_export_import_round_trip(tmp_path, store, fmt):
    populate(store)
    text = L.export_lessons(store, fmt)
    other = Store(tmp_path / "other.db")
    assert L.import_lessons(other, text) == (4, 0)  # format detected from the text: all new
    assert L.export_lessons(other, fmt) == text
    assert L.all_lessons(other) == L.all_lessons(store)
    assert L.import_lessons(other, text, fmt) == (0, 4)  # importing again merges, adds nothing
    assert L.export_lessons(other, fmt) == text
    other.close()


def test_export_filters_by_problem(store):
    populate(store)
    doc = yaml.safe_load(L.export_lessons(store, "yaml", problem="ahc002"))
    assert [x["problem"] for x in doc["lessons"]] == ["ahc002"]
    assert json.loads(L.export_lessons(store, "json", problem="nope")) == {"lessons": []}


@pytest.mark.parametrize("text, message", [
    ("lessons:\n  - {kind: insight, text: ok, scope: global}\n  - {kind: insight, text: x, scope: global, confidence: high}\n",
     r"lessons\[1\]\.confidence"),
    ("lessons: {kind: insight}\n", r"^lessons: must be a list"),
    ("other: 1\n", r"^lessons: missing"),
    ("lessons: [ {kind: insight\n", r"not valid YAML"),
    ('{"lessons": [', r"not valid JSON"),
    ("lessons:\n  - just a string\n", r"lessons\[0\]"),
])
def test_bad_import_names_the_field_and_imports_nothing(store, text, message):
    with pytest.raises(ValueError, match=message):
        L.import_lessons(store, text)
    assert store.db["lessons"].count == 0


def test_shipped_packs_are_valid_and_load_idempotently(store):
    for path in sorted(L.PACKS_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text())
        assert doc["pack"] == path.stem
        assert 5 <= len(doc["lessons"]) <= 10, path
    assert {p.stem for p in L.PACKS_DIR.glob("*.yaml")} >= {
        "simulated_annealing", "beam_search", "time_management", "numba_pitfalls"}
    n = L.load_packs(store)
    assert n == store.db["lessons"].count
    assert all(x.scope in ("global", "tags") and x.source.startswith("pack:") for x in L.all_lessons(store))
    first = L.all_lessons(store)[0]
    L.credit(store, [first.id], won=False)
    credited = L.get(store, first.id)
    assert L.load_packs(store) == n
    assert store.db["lessons"].count == n
    assert L.get(store, first.id) == credited  # reloading does not undo what was learned


def test_pack_edits_update_in_place(tmp_path, store):
    pack = tmp_path / "mine.yaml"
    pack.write_text("pack: mine\nlessons:\n  - {kind: technique, text: Use a geometric cooling schedule, confidence: 0.6}\n")
    L.load_pack(store, pack)
    pack.write_text("pack: mine\nlessons:\n  - {kind: technique, text: Use a geometric cooling schedule., confidence: 0.8}\n")
    L.load_pack(store, pack)
    (lesson,) = L.all_lessons(store)
    assert lesson.text == "Use a geometric cooling schedule." and lesson.source == "pack:mine"
    assert lesson.scope == "global"


def test_pack_without_name_is_rejected(tmp_path, store):
    path = tmp_path / "anon.yaml"
    path.write_text("lessons:\n  - {kind: insight, text: x, scope: global}\n")
    with pytest.raises(ValueError, match=r"anon\.yaml: pack: missing"):
        L.load_pack(store, path)
