"""The one SQLite store: runs, candidates, evaluations, model calls, best scores and lessons.

This is the only module that writes SQL. Every write is one transaction (`db.atomic()`, which nests
as savepoints), so a killed process leaves whole records or none. JSON columns are decoded on the
way out so callers only ever see Python values.
"""

from __future__ import annotations

import contextlib
import functools
import json
import sqlite3
from pathlib import Path
from typing import Any, Iterator

from judge import scoring
from ale.migrations import migrate, now, up_to_date

RUN_STATUSES = ("running", "done", "interrupted")
RUN_FIELDS = ("status", "finished_at", "best_candidate", "summary", "config")
RELATIONS = ("shown", "produced")
CANDIDATE_JSON = ("params", "feedback", "flags")
OBJECTIVES = ("maximize", "minimize")
LESSON_FIELDS = (
    "kind", "text", "scope", "problem", "tags", "evidence", "confidence", "uses", "wins",
    "source", "key", "prior",
)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True)


def _decode(row: dict | None, *columns: str) -> dict | None:
    if row is None:
        return None
    for column in columns:
        if column in row and isinstance(row[column], str):
            row[column] = json.loads(row[column])
    if row.get("accepted") is not None:
        row["accepted"] = bool(row["accepted"])
    return row


def _mean(cases: list[dict]) -> float | None:
    """Plain mean of raw scores, failed cases counting 0 (AtCoder's rule for a WA case)."""
    if not cases:
        return None
    return sum(case.get("score") or 0 for case in cases) / len(cases)


class Store:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(str(self.path))  # as sqlite_utils.Database(path) would open it
        # Several workers (judge pool, a second `ale` process) may share the file.
        self.conn.execute("PRAGMA busy_timeout=10000")
        if self.conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            self.conn.execute("PRAGMA journal_mode=wal")
        if not up_to_date(self.conn):
            migrate(self.db)
        self.conn.execute("PRAGMA foreign_keys=ON")
        # With WAL, NORMAL syncs at checkpoints, not on every commit (~10 ms each here): a committed
        # transaction still survives the process being killed (kill -9), and the file is never corrupt;
        # only a power loss or OS crash may undo the last few commits.
        self.conn.execute("PRAGMA synchronous=NORMAL")

    @functools.cached_property
    def db(self):
        """The sqlite-utils view of the same connection, imported on first use: `ale judge` only
        reads and writes best scores, and importing sqlite-utils would double its start-up time."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Group several store calls into one commit (used by lesson import)."""
        with self.db.atomic():
            yield

    @contextlib.contextmanager
    def _write(self) -> Iterator[None]:
        """One transaction on the raw connection; inside an open one it nests as a savepoint."""
        if self.conn.in_transaction:
            with self.db.atomic():
                yield
        else:
            with self.conn:  # commits, or rolls back on an exception
                yield

    def _one(self, sql: str, params: list | dict) -> dict | None:
        return next(self.db.query(sql, params), None)

    # runs

    def create_run(self, problem: str, provider: str, config: dict) -> int:
        stamp = now()
        with self.db.atomic():
            return self.db["runs"].insert({
                "problem": problem, "provider": provider, "config": _json(config or {}),
                "status": "running", "started_at": stamp, "created_at": stamp,
            }).last_pk

    def get_run(self, run_id: int) -> dict | None:
        return _decode(self._one("select * from runs where id = ?", [run_id]), "config", "summary")

    def list_runs(self, problem: str | None = None) -> list[dict]:
        where, params = ("where problem = ?", [problem]) if problem else ("", [])
        rows = self.db.query(f"select * from runs {where} order by id desc", params)
        return [_decode(row, "config", "summary") for row in rows]

    def update_run(self, run_id: int, **fields) -> None:
        """Finishing a run ('done'/'interrupted') stamps finished_at unless one is given."""
        unknown = set(fields) - set(RUN_FIELDS)
        if unknown:
            raise ValueError(f"update_run: unknown field(s) {sorted(unknown)}")
        if "status" in fields:
            if fields["status"] not in RUN_STATUSES:
                raise ValueError(f"update_run: status must be one of {RUN_STATUSES}")
            if fields["status"] != "running":
                fields.setdefault("finished_at", now())
        for column in ("summary", "config"):
            if column in fields:
                fields[column] = _json(fields[column])
        if not fields:
            return
        with self.db.atomic():
            if self.get_run(run_id) is None:
                raise KeyError(f"no run {run_id}")
            self.db["runs"].update(run_id, fields)

    # candidates and evaluations

    def add_candidate(
        self, run_id: int, *, source: str, language: str, hash: str, parent_id: int | None,
        method: str, note: str = "", params: dict | None = None, step: int = 0,
        public_cases: list[dict] | None = None, summary: dict | None = None,
        operator: str | None = None, model: str | None = None, feedback: dict | None = None,
        seq: int | None = None,
    ) -> int:
        """Write a judged candidate with its public evaluations in one transaction.

        `operator` asked for it, `model` wrote it, `feedback` is what a debug prompt shows of
        its failures, `seq` the order its proposal was issued in."""
        summary = summary or {}
        accepted = summary.get("accepted")
        row = {
            "run_id": run_id, "parent_id": parent_id, "step": step, "method": method,
            "note": note, "language": language, "hash": hash, "source": source,
            "params": _json(params), "public_mean": summary.get("mean"),
            "accepted": None if accepted is None else int(bool(accepted)),
            "failed": summary.get("failed"), "rank_key": summary.get("rank_key"),
            "created_at": now(),
        }
        extra = {"operator": operator, "model": model, "feedback": _json(feedback), "seq": seq}
        row.update({k: v for k, v in extra.items() if v is not None})
        with self.db.atomic():
            candidate_id = self.db["candidates"].insert(row).last_pk
            if public_cases:
                self._insert_evaluations(candidate_id, "public", public_cases)
        return candidate_id

    def _insert_evaluations(self, candidate_id: int, split: str, cases: list[dict]) -> None:
        stamp = now()
        for case in cases:
            self.db.execute(
                "INSERT OR REPLACE INTO evaluations "
                "(candidate_id, split, seed, verdict, score, time, message, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [candidate_id, split, case["seed"], case.get("verdict"), case.get("score"),
                 case.get("time"), case.get("message") or "", stamp],
            )

    def add_evaluations(
        self, candidate_id: int, split: str, cases: list[dict], *, mean: float | None = None
    ) -> None:
        """Add evaluations (e.g. the private split judged at the end). For split 'private' the
        candidate's private_mean is set to `mean`, or to the mean raw score (failures count 0)."""
        with self.db.atomic():
            if self.get_candidate(candidate_id) is None:
                raise KeyError(f"no candidate {candidate_id}")
            self._insert_evaluations(candidate_id, split, cases)
            if split == "private":
                value = mean if mean is not None else _mean(cases)
                self.db["candidates"].update(candidate_id, {"private_mean": value})

    def candidates(self, run_id: int) -> list[dict]:
        rows = self.db.query("select * from candidates where run_id = ? order by id", [run_id])
        return [_decode(row, *CANDIDATE_JSON) for row in rows]

    def get_candidate(self, candidate_id: int) -> dict | None:
        return _decode(self._one("select * from candidates where id = ?", [candidate_id]), *CANDIDATE_JSON)

    def set_public_mean(self, candidate_id: int, mean: float, rank_key: float | None) -> None:
        """Replace a candidate's public mean and rank key (the average of two public runs)."""
        with self.db.atomic():
            self.db["candidates"].update(candidate_id, {"public_mean": mean, "rank_key": rank_key})

    def flag_candidate(self, candidate_id: int, flags: list[str]) -> None:
        """Set a candidate's flags (e.g. `overfit` after the private re-judge)."""
        with self.db.atomic():
            self.db["candidates"].update(candidate_id, {"flags": _json(sorted(set(flags)))})

    def find_candidate_by_hash(
        self, run_id: int | None, hash: str, *, problem: str | None = None
    ) -> dict | None:
        """The earliest candidate with this source hash: in `run_id`, or in any run (of `problem`,
        if given) when run_id is None."""
        sql = "select c.* from candidates c join runs r on r.id = c.run_id where c.hash = ?"
        params: list = [hash]
        if run_id is not None:
            sql, params = sql + " and c.run_id = ?", params + [run_id]
        if problem is not None:
            sql, params = sql + " and r.problem = ?", params + [problem]
        return _decode(self._one(sql + " order by c.id limit 1", params), *CANDIDATE_JSON)

    def evaluations(self, candidate_id: int, split: str | None = None) -> list[dict]:
        sql, params = "select * from evaluations where candidate_id = ?", [candidate_id]
        if split is not None:
            sql, params = sql + " and split = ?", params + [split]
        return list(self.db.query(sql + " order by seed, split", params))

    # model calls

    def add_model_call(
        self, run_id: int, *, candidate_id: int | None, provider: str, model: str, role: str,
        prompt: str, response: str, input_tokens: int = 0, output_tokens: int = 0,
        cache_write_tokens: int = 0, cache_read_tokens: int = 0, cost: float = 0.0,
        latency: float = 0.0, error: str | None = None, member: str | None = None,
    ) -> int:
        row = {
            "run_id": run_id, "candidate_id": candidate_id, "provider": provider,
            "model": model, "role": role, "prompt": prompt, "response": response,
            "input_tokens": input_tokens, "output_tokens": output_tokens,
            "cache_write_tokens": cache_write_tokens, "cache_read_tokens": cache_read_tokens,
            "cost": cost, "latency": latency, "error": error, "created_at": now(),
        }
        if member:
            row["member"] = member
        with self.db.atomic():
            return self.db["model_calls"].insert(row).last_pk

    def model_calls(self, run_id: int) -> list[dict]:
        return list(self.db.query("select * from model_calls where run_id = ? order by id", [run_id]))

    # best known scores, the reference for relative scoring

    def best_scores(self, problem: str) -> dict[int, int]:
        rows = self.conn.execute("select seed, score from best_scores where problem = ?", [problem])
        return {seed: score for seed, score in rows}

    def update_best_scores(self, problem: str, objective: str, scores: dict[int, int]) -> None:
        """Keep the better score per seed; callers pass accepted scores only."""
        if objective not in OBJECTIVES:
            raise ValueError(f"objective must be one of {OBJECTIVES}, not {objective!r}")
        better = ">" if scoring.sign(objective) > 0 else "<"  # judge.scoring.better, in SQL
        stamp = now()
        with self._write():
            for seed, score in scores.items():
                self.conn.execute(
                    "INSERT INTO best_scores (problem, seed, score, objective, created_at, updated_at)"
                    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (problem, seed) DO UPDATE SET"
                    " score = excluded.score, objective = excluded.objective,"
                    " updated_at = excluded.updated_at"
                    f" WHERE excluded.score {better} best_scores.score",
                    [problem, int(seed), int(score), objective, stamp, stamp],
                )

    # lessons: rows only; the logic lives in ale/lessons.py

    def add_lesson(self, row: dict) -> int:
        stamp = now()
        record = {k: row[k] for k in LESSON_FIELDS if k in row}
        record["tags"] = _json(record.get("tags") or [])
        record["evidence"] = _json(record.get("evidence") or {})
        record.setdefault("prior", record.get("confidence", 0.5))
        with self.db.atomic():
            return self.db["lessons"].insert({**record, "created_at": stamp, "updated_at": stamp}).last_pk

    def update_lesson(self, lesson_id: int, **fields) -> None:
        unknown = set(fields) - set(LESSON_FIELDS)
        if unknown:
            raise ValueError(f"update_lesson: unknown field(s) {sorted(unknown)}")
        for column in ("tags", "evidence"):
            if column in fields:
                fields[column] = _json(fields[column])
        with self.db.atomic():
            if self.get_lesson(lesson_id) is None:
                raise KeyError(f"no lesson {lesson_id}")
            self.db["lessons"].update(lesson_id, {**fields, "updated_at": now()})

    def get_lesson(self, lesson_id: int) -> dict | None:
        return _decode(self._one("select * from lessons where id = ?", [lesson_id]), "tags", "evidence")

    def list_lessons(
        self, problem: str | None = None, kind: str | None = None, kinds: list[str] | None = None,
    ) -> list[dict]:
        """Lessons in id order, optionally of one problem and of some kinds."""
        clauses, params = [], []
        if problem is not None:
            clauses, params = clauses + ["problem = ?"], params + [problem]
        wanted = ([kind] if kind else []) + list(kinds or [])
        if wanted:
            clauses.append(f"kind in ({', '.join('?' for _ in wanted)})")
            params += wanted
        where = f"where {' and '.join(clauses)}" if clauses else ""
        rows = self.db.query(f"select * from lessons {where} order by id", params)
        return [_decode(row, "tags", "evidence") for row in rows]

    def search_lessons(self, query: str, limit: int = 20) -> list[dict]:
        """FTS5 match, best first. Queries that are not valid FTS syntax are retried as plain
        words, so a user typing `time-limit` or `O(n)` still gets results."""
        sql = (
            "select lessons.* from lessons join lessons_fts on lessons_fts.rowid = lessons.rowid"
            " where lessons_fts match ? order by lessons_fts.rank limit ?"
        )
        try:
            rows = list(self.db.query(sql, [query, limit]))
        except sqlite3.OperationalError:
            rows = list(self.db.query(sql, [self.db.quote_fts(query), limit]))
        return [_decode(row, "tags", "evidence") for row in rows]

    def link_lessons(self, candidate_id: int, lesson_ids: list[int], relation: str) -> None:
        """Record which lessons were shown to the proposer for, or produced by, a candidate."""
        if relation not in RELATIONS:
            raise ValueError(f"relation must be one of {RELATIONS}, not {relation!r}")
        stamp = now()
        with self.db.atomic():
            for lesson_id in lesson_ids:
                self.db.execute(
                    "INSERT OR IGNORE INTO candidate_lessons"
                    " (candidate_id, lesson_id, relation, created_at) VALUES (?, ?, ?, ?)",
                    [candidate_id, lesson_id, relation, stamp],
                )

    def candidate_lessons(self, candidate_id: int, relation: str | None = None) -> list[dict]:
        """Lesson rows linked to a candidate, each with its `relation`."""
        sql = (
            "select l.*, cl.relation from candidate_lessons cl join lessons l on l.id = cl.lesson_id"
            " where cl.candidate_id = ?"
        )
        params: list = [candidate_id]
        if relation is not None:
            sql, params = sql + " and cl.relation = ?", params + [relation]
        rows = self.db.query(sql + " order by l.id, cl.relation", params)
        return [_decode(row, "tags", "evidence") for row in rows]
