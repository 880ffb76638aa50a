"""An old database file must upgrade in place without losing rows."""

import sqlite3

import pytest
import sqlite_utils

from ale import migrations
from ale.store import Store


def test_old_database_file_is_upgraded_and_keeps_its_rows(tmp_path):
    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    assert migrations.migrate(old, limit=1) == ["m001_core"]
    assert "key" not in old["lessons"].columns_dict
    assert "lessons_fts" not in old.table_names()
    old["runs"].insert({"problem": "ahc001", "provider": "offline", "config": '{"seed": 1}',
                        "started_at": "t", "created_at": "t"})
    old["candidates"].insert({"run_id": 1, "method": "draft", "language": "cpp", "hash": "h1",
                              "source": "int main(){}", "public_mean": 12.5, "created_at": "t"})
    old["lessons"].insert({"kind": "parameter", "text": "Start temperature near the median delta",
                           "scope": "global", "evidence": '{"key": "t0"}', "confidence": 0.6,
                           "created_at": "t"})
    old.close()

    store = Store(path)
    assert [r["name"] for r in store.db.query("select name from _migrations order by number")] == [
        name for _, name, _ in migrations.MIGRATIONS]
    assert store.get_run(1)["config"] == {"seed": 1}
    assert store.get_candidate(1)["public_mean"] == 12.5
    lesson = store.get_lesson(1)
    assert (lesson["key"], lesson["prior"], lesson["updated_at"]) == ("t0", 0.6, "t")
    assert [row["id"] for row in store.search_lessons("temperature")] == [1]
    # new rows work with the upgraded schema too
    store.add_lesson({"kind": "insight", "text": "fresh temperature note", "scope": "global"})
    assert len(store.search_lessons("temperature")) == 2
    store.close()


def test_fresh_store_has_schema_wal_and_foreign_keys(tmp_path):
    store = Store(tmp_path / "nested" / "dir" / "ale.db")
    tables = set(store.db.table_names())
    assert {"runs", "candidates", "evaluations", "model_calls", "lessons", "candidate_lessons",
            "best_scores", "_migrations", "lessons_fts"} <= tables
    assert store.db.journal_mode == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        store.add_candidate(999, source="", language="cpp", hash="x", parent_id=None, method="m")
    store.close()


def test_reopening_applies_nothing_twice(tmp_path):
    Store(tmp_path / "a.db").close()
    store = Store(tmp_path / "a.db")
    assert store.db["_migrations"].count == len(migrations.MIGRATIONS)
    assert migrations.migrate(store.db) == []
    store.close()


def test_failing_migration_rolls_back_and_is_not_recorded(tmp_path, monkeypatch):
    def m003_broken(db):
        db.execute("CREATE TABLE half_done (x)")
        db.execute("ALTER TABLE runs ADD COLUMN extra TEXT")
        raise RuntimeError("boom")

    n = len(migrations.MIGRATIONS) + 1
    monkeypatch.setattr(migrations, "MIGRATIONS", migrations.MIGRATIONS + [(n, "m_broken", m003_broken)])
    db = sqlite_utils.Database(tmp_path / "b.db")
    with pytest.raises(RuntimeError, match="boom"):
        migrations.migrate(db)
    assert "half_done" not in db.table_names()
    assert "extra" not in db["runs"].columns_dict
    assert migrations.applied(db) == list(range(1, n))
