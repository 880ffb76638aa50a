"""Numbered schema migrations for the ale store.

Every database, old or new, is brought to the current schema by replaying the migrations it has
not seen yet, in order. Each one runs in its own transaction and is recorded in `_migrations`, so a
crash mid-upgrade leaves the file at the last complete step. Never edit a released migration: add a
new one (migrations 2+ may ALTER or rebuild tables with `db[name].transform(...)`).
"""

from __future__ import annotations

import datetime
import sqlite3
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # sqlite_utils costs ~0.1 s to import; a store already up to date never needs it
    import sqlite_utils

Migration = Callable[["sqlite_utils.Database"], None]
MIGRATIONS: list[tuple[int, str, Migration]] = []


def migration(fn: Migration) -> Migration:
    """Register `fn`; its number comes from its name (`m002_...` -> 2) so order is explicit."""
    number = int(fn.__name__.split("_", 1)[0][1:])
    if MIGRATIONS and number != MIGRATIONS[-1][0] + 1:
        raise RuntimeError(f"migration {fn.__name__} is out of sequence")
    MIGRATIONS.append((number, fn.__name__, fn))
    return fn


def now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds")


def applied(db: sqlite_utils.Database) -> list[int]:
    if "_migrations" not in db.table_names():
        return []
    return [row["number"] for row in db.query("select number from _migrations order by number")]


def up_to_date(conn: sqlite3.Connection) -> bool:
    """True when every migration is recorded: the cheap check made on every open."""
    try:
        rows = conn.execute("select number from _migrations").fetchall()
    except sqlite3.OperationalError:  # no _migrations table yet: a new file
        return False
    return {n for n, _, _ in MIGRATIONS} <= {r[0] for r in rows}


def migrate(db: sqlite_utils.Database, limit: int | None = None) -> list[str]:
    """Apply pending migrations (up to number `limit`, for tests of old files); return their names.

    Foreign keys are switched off while the schema changes, because a table rebuild would otherwise
    cascade; `foreign_key_check` runs before each commit so a migration cannot leave broken links.
    BEGIN IMMEDIATE takes the write lock first, so two processes opening the same new file do not
    both try to create the tables.
    """
    fk_was_on = db.execute("PRAGMA foreign_keys").fetchone()[0]
    db.execute("PRAGMA foreign_keys=OFF")
    done: list[str] = []
    try:
        for number, name, fn in MIGRATIONS:
            if limit is not None and number > limit:
                break
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute(
                    "CREATE TABLE IF NOT EXISTS _migrations ("
                    "number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
                if number in applied(db):
                    db.execute("COMMIT")
                    continue
                fn(db)
                bad = db.execute("PRAGMA foreign_key_check").fetchall()
                if bad:
                    raise RuntimeError(f"migration {name} broke foreign keys: {bad[:3]}")
                db.execute(
                    "INSERT INTO _migrations (number, name, applied_at) VALUES (?, ?, ?)",
                    [number, name, now()],
                )
                db.execute("COMMIT")
            except BaseException:
                if db.conn.in_transaction:
                    db.execute("ROLLBACK")
                raise
            done.append(name)
    finally:
        if fk_was_on:
            db.execute("PRAGMA foreign_keys=ON")
    return done


@migration
def m001_core(db: sqlite_utils.Database) -> None:
    """Runs, candidates and their evaluations, model calls, best scores, lessons."""
    for sql in [
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY,
            problem TEXT NOT NULL,
            provider TEXT NOT NULL,
            config TEXT NOT NULL DEFAULT '{}',
            status TEXT NOT NULL DEFAULT 'running',
            started_at TEXT NOT NULL,
            finished_at TEXT,
            best_candidate INTEGER,
            summary TEXT,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE candidates (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            parent_id INTEGER REFERENCES candidates(id),
            step INTEGER NOT NULL DEFAULT 0,
            method TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            language TEXT NOT NULL,
            hash TEXT NOT NULL,
            source TEXT NOT NULL,
            params TEXT,
            public_mean REAL,
            accepted INTEGER,
            failed INTEGER,
            rank_key REAL,
            private_mean REAL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX idx_candidates_run ON candidates(run_id)",
        "CREATE INDEX idx_candidates_hash ON candidates(hash)",
        """CREATE TABLE evaluations (
            id INTEGER PRIMARY KEY,
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            split TEXT NOT NULL,
            seed INTEGER NOT NULL,
            verdict TEXT NOT NULL,
            score INTEGER,
            time REAL,
            message TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            UNIQUE (candidate_id, split, seed)
        )""",
        """CREATE TABLE model_calls (
            id INTEGER PRIMARY KEY,
            run_id INTEGER NOT NULL REFERENCES runs(id),
            candidate_id INTEGER REFERENCES candidates(id),
            provider TEXT NOT NULL,
            model TEXT NOT NULL,
            role TEXT NOT NULL,
            prompt TEXT NOT NULL,
            response TEXT NOT NULL,
            input_tokens INTEGER NOT NULL DEFAULT 0,
            output_tokens INTEGER NOT NULL DEFAULT 0,
            cache_write_tokens INTEGER NOT NULL DEFAULT 0,
            cache_read_tokens INTEGER NOT NULL DEFAULT 0,
            cost REAL NOT NULL DEFAULT 0,
            latency REAL NOT NULL DEFAULT 0,
            error TEXT,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX idx_model_calls_run ON model_calls(run_id)",
        """CREATE TABLE best_scores (
            problem TEXT NOT NULL,
            seed INTEGER NOT NULL,
            score INTEGER NOT NULL,
            objective TEXT NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (problem, seed)
        )""",
        """CREATE TABLE lessons (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            scope TEXT NOT NULL DEFAULT 'problem',
            problem TEXT,
            tags TEXT NOT NULL DEFAULT '[]',
            evidence TEXT NOT NULL DEFAULT '{}',
            confidence REAL NOT NULL DEFAULT 0.5,
            uses INTEGER NOT NULL DEFAULT 0,
            wins INTEGER NOT NULL DEFAULT 0,
            source TEXT NOT NULL DEFAULT 'run',
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE candidate_lessons (
            candidate_id INTEGER NOT NULL REFERENCES candidates(id),
            lesson_id INTEGER NOT NULL REFERENCES lessons(id),
            relation TEXT NOT NULL,
            created_at TEXT NOT NULL,
            PRIMARY KEY (candidate_id, lesson_id, relation)
        )""",
    ]:
        db.execute(sql)


@migration
def m002_lesson_keys_and_fts(db: sqlite_utils.Database) -> None:
    """Merging and crediting lessons needs a merge key, a kept prior and an update time; search
    needs a full-text index kept in sync by triggers. Existing lessons are backfilled."""
    lessons = db["lessons"]
    lessons.add_column("key", str)
    lessons.add_column("prior", float)
    lessons.add_column("updated_at", str)
    db.execute(
        "UPDATE lessons SET key = json_extract(evidence, '$.key'), prior = confidence, "
        "updated_at = created_at"
    )
    db.execute("CREATE INDEX idx_lessons_kind_problem ON lessons(kind, problem)")
    lessons.enable_fts(["text", "tags", "kind"], create_triggers=True, tokenize="porter")
    lessons.populate_fts(["text", "tags", "kind"])


@migration
def m003_agent_loop(db: sqlite_utils.Database) -> None:
    """The agent loop records, per candidate, the operator that asked for it, the model (pool
    member) that wrote it, the judge feedback a debug prompt needs (failing seeds' stderr
    tails, the compiler message), flags such as `overfit`, and the order proposals were issued
    in (`seq`); per model call, the pool member that answered."""
    candidates = db["candidates"]
    candidates.add_column("operator", str)
    candidates.add_column("model", str)
    candidates.add_column("feedback", str)
    candidates.add_column("flags", str)
    candidates.add_column("seq", int)
    db["model_calls"].add_column("member", str)
