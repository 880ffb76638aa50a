"""Where a candidate would have placed among a contest's humans: rank, performance, percentile.

A problem package may carry the contest's final standings in an optional `standings/` folder
(docs/standings.md):

    standings/standings_scores.csv   rank,score       one row per human, best first
    standings/performance.csv        rank,performance optional: AtCoder's rank -> performance table
    standings/relative_results.csv   private_0,...    relatively scored contests: one row per human,
                                                      the absolute score of each private case (-1 rejected)
    standings/standings.yaml         optional: relative_score_type (max|min|rank_max|rank_min),
                                     relative_max_score, source, lite

The numbers follow ALE-Bench (SakanaAI/ALE-Bench, src/ale_bench/data.py: `Standings.get_new_rank`,
`RelativeResults.recalculate_relative_score`, `RankPerformanceMap.get_performance`,
`RankingCalculator.convert_rank_to_percentile`), so a
candidate gets the rank and performance ALE-Bench would report for the same case results. Where
ALE-Bench has no answer (a score below every human in a file without the zero-score row, a rank
past the last row of the performance table, scores where lower is better) the rule is documented
in docs/standings.md.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from judge.errors import ProblemError

FOLDER = "standings"
SCORES, PERFORMANCE, RELATIVE, META = "standings_scores.csv", "performance.csv", "relative_results.csv", "standings.yaml"
RELATIVE_TYPES = ("max", "min", "rank_max", "rank_min")
META_KEYS = {"relative_score_type", "relative_max_score", "source", "lite", "higher_is_better"}


class StandingsError(ProblemError):
    """A malformed standings, performance, relative-results or schedule file: `file:line: what; fix`."""


def _bad(path: Path, line: int | None, msg: str) -> StandingsError:
    return StandingsError(f"{path}{f':{line}' if line else ''}: {msg}")


# --- reading files ----------------------------------------------------------------------------

def read_csv(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = (), *, kind=int) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header, [(line number, row)]): every value of the named columns converted by `kind`."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        raise _bad(path, None, f"cannot read it ({e.__class__.__name__}); give a UTF-8 CSV file") from None
    rows = list(csv.reader(text.splitlines()))
    if not rows or not any(c.strip() for c in rows[0]):
        raise _bad(path, 1, f"empty; the first line must be the header {','.join(required)}")
    header = [c.strip().lower() for c in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise _bad(path, 1, f"header has no '{missing[0]}' column (found {','.join(header)}); the header must name {','.join(required)}")
    out = []
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise _bad(path, n, f"{len(row)} value{'s' if len(row) != 1 else ''} but the header has {len(header)} columns")
        values = {}
        for col, raw in zip(header, row):
            if col not in required and col not in optional:
                continue
            try:
                values[col] = kind(raw.strip())
            except ValueError:
                want = "a number" if kind is float else "an integer"
                raise _bad(path, n, f"column '{col}' is {raw.strip()!r}, not {want}; fix or remove the row") from None
        out.append((n, values))
    if not out:
        raise _bad(path, 2, "no rows after the header")
    return header, out


def _int(text: str) -> int:
    """An integer cell; '123.0' (how some exports write integers) is accepted, '12.5' is not."""
    try:
        return int(text)
    except ValueError:
        value = float(text)
        if not value.is_integer():
            raise
        return int(value)


@dataclass
class Standings:
    """One contest's humans: final totals by rank, the performance table, per-case results."""

    rows: list[tuple[int, int]]                      # (rank, score), best first
    performance: list[tuple[int, int]] | None = None  # (rank, performance), rank ascending
    relative: list[list[int]] | None = None          # relative[case][human]: absolute scores, -1 rejected
    relative_type: str | None = None
    relative_max: int | None = None
    higher_is_better: bool = True
    meta: dict = field(default_factory=dict)

    @property
    def humans(self) -> int:
        """How many humans the standings rank (the zero-score row stands for at least one)."""
        return max(self.rows[-1][0], len(self.rows))

    # ALE-Bench's (score, first rank, last rank) groups: equal scores share a rank range.
    def groups(self) -> list[tuple[int, int, int]]:
        out, start = [], self.rows[0][0]
        for (_, score), (next_rank, next_score) in zip(self.rows, self.rows[1:]):
            if score == next_score:
                continue  # early contests gave equal scores different ranks: one group
            out.append((score, start, next_rank - 1))
            start = next_rank
        out.append((self.rows[-1][1], self.rows[-1][0], self.rows[-1][0]))
        return out


def parse_rows(path: Path, *, higher_is_better: bool | None = None) -> tuple[list[tuple[int, int]], bool]:
    """A `rank,score` file, sorted by rank: scores must be monotone; returns (rows, higher_is_better)."""
    _, rows = read_csv(path, ("rank", "score"), ("performance",), kind=_int)
    for n, r in rows:
        if r["rank"] < 1:
            raise _bad(path, n, f"rank {r['rank']}; ranks start at 1")
    rows.sort(key=lambda t: t[1]["rank"])  # ALE-Bench sorts by rank too (stable: equal ranks keep file order)
    out = [(r["rank"], r["score"]) for _, r in rows]
    ups = downs = None
    for (n, r), prev in zip(rows[1:], out):
        if r["score"] > prev[1] and ups is None:
            ups = n
        if r["score"] < prev[1] and downs is None:
            downs = n
    if ups and downs:
        raise _bad(path, max(ups, downs), "scores go both up and down as rank grows; a better rank must never have a worse score")
    inferred = True if downs else False if ups else None
    if higher_is_better is not None and inferred is not None and inferred != higher_is_better:
        raise _bad(path, ups or downs, f"scores {'rise' if ups else 'fall'} as rank grows, but this contest's {'higher' if higher_is_better else 'lower'} totals are better")
    return out, inferred if inferred is not None else (True if higher_is_better is None else higher_is_better)


def _json_list(path: Path, key: str | None) -> list:
    import json

    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as e:
        raise _bad(path, None, f"cannot read it ({e.__class__.__name__})") from None
    except json.JSONDecodeError as e:
        raise _bad(path, e.lineno, f"not valid JSON ({e.msg})") from None
    items = doc.get(key) if key and isinstance(doc, dict) else doc
    if not isinstance(items, list):
        what = f"an object with '{key}' (AtCoder's standings/json)" if key else "a list (AtCoder's results/json)"
        raise _bad(path, None, f"expected {what}")
    return items


def atcoder_standings(path: Path, results: Path | None = None) -> tuple[list[tuple[int, int]], list[tuple[int, int]] | None]:
    """(rows, performance table) from AtCoder's standings JSON (StandingsData[].Rank and
    .TotalResult.Score, which AtCoder stores x100) and optionally its results JSON ([].Place,
    .Performance). Humans on 0 collapse into one final row, as in ALE-Bench's standings files."""
    rows = []
    for i, e in enumerate(_json_list(path, "StandingsData")):
        try:
            rank, score = int(e["Rank"]), int(e["TotalResult"]["Score"]) // 100
        except (KeyError, TypeError, ValueError):
            raise _bad(path, None, f"StandingsData[{i}] has no integer Rank and TotalResult.Score") from None
        if rank >= 1:
            rows.append((rank, score))
    rows.sort()
    zero = next((k for k, (_, s) in enumerate(rows) if s == 0), None)
    rows = rows if zero is None else rows[: zero + 1]
    if not rows:
        raise _bad(path, None, "no ranked entries in StandingsData")
    for (_, s0), (r1, s1) in zip(rows, rows[1:]):
        if s1 > s0:
            raise _bad(path, None, f"rank {r1} has score {s1}, above the rank before it ({s0}); not a final standings")
    perf = None
    if results is not None:
        perf = []
        for i, e in enumerate(_json_list(results, None)):
            try:
                place, value = int(e["Place"]), int(e["Performance"])
            except (KeyError, TypeError, ValueError):
                raise _bad(results, None, f"entry {i} has no integer Place and Performance") from None
            perf.append((place, value))
        perf.sort(key=lambda t: (t[0], -t[1]))
        for (r0, p0), (r1, p1) in zip(perf, perf[1:]):
            if p1 > p0 or (r0 == r1 and p0 != p1):
                raise _bad(results, None, f"place {r1} has performance {p1} after {p0} at place {r0}; performance must not rise with place")
        if len(perf) < 2:
            raise _bad(results, None, "needs at least 2 entries to interpolate between")
    return rows, perf


def parse_performance(path: Path) -> list[tuple[int, int]]:
    """A `rank,performance` file (ALE-Bench's performance.csv): ranks ascending, performance not rising."""
    _, rows = read_csv(path, ("rank", "performance"), ("score",), kind=_int)
    out = sorted(((r["rank"], r["performance"], n) for n, r in rows), key=lambda t: t[0])
    if len(out) < 2:
        raise _bad(path, out[0][2], "the performance table needs at least 2 rows to interpolate between")
    for (r0, p0, _), (r1, p1, n) in zip(out, out[1:]):
        if p1 > p0:
            raise _bad(path, n, f"performance {p1} at rank {r1} is above {p0} at rank {r0}; performance must not rise with rank")
        if r0 == r1 and p0 != p1:
            raise _bad(path, n, f"rank {r1} appears with two performances ({p0}, {p1}); tied ranks share one performance")
    return [(r, p) for r, p, _ in out]


def parse_relative(path: Path, cases: int | None) -> list[list[int]]:
    """relative_results.csv: columns private_0..private_{n-1}, one row per human."""
    try:
        first = Path(path).read_text(encoding="utf-8-sig").splitlines()[:1]
    except (OSError, UnicodeDecodeError) as e:
        raise _bad(path, None, f"cannot read it ({e.__class__.__name__})") from None
    header = [c.strip() for c in first[0].split(",")] if first else []
    n = cases if cases is not None else len(header)
    want = tuple(f"private_{i}" for i in range(n))
    if tuple(header) != want:
        shown = ",".join(want[:3]) + (",..." if n > 3 else "")
        raise _bad(path, 1, f"header must be {shown} (one column per private seed, {n} here), found {len(header)} columns")
    _, rows = read_csv(path, want, kind=_int)
    for line, r in rows:
        for col in want:
            if r[col] < -1:
                raise _bad(path, line, f"column '{col}' is {r[col]}; use the case's score, or -1 for a rejected case")
    return [[r[col] for _, r in rows] for col in want]


def _read_meta(path: Path) -> dict:
    from judge.yaml_reader import YAMLSyntaxError, load_yaml

    try:
        meta = load_yaml(path) or {}
    except YAMLSyntaxError as e:
        raise _bad(path, e.line, f"not valid YAML ({e.problem})") from None
    if not isinstance(meta, dict):
        raise _bad(path, 1, "must be a mapping (relative_score_type: max, relative_max_score: 1000000000, ...)")
    unknown = sorted(set(meta) - META_KEYS)
    if unknown:
        raise _bad(path, None, f"unknown key '{unknown[0]}'; allowed keys are {', '.join(sorted(META_KEYS))}")
    if not isinstance(meta.get("higher_is_better", True), bool):
        raise _bad(path, None, f"higher_is_better is {meta['higher_is_better']!r}; use true or false")
    kind = meta.get("relative_score_type")
    if kind is not None and kind not in RELATIVE_TYPES:
        raise _bad(path, None, f"relative_score_type is {kind!r}; use one of {', '.join(RELATIVE_TYPES)}")
    top = meta.get("relative_max_score")
    if kind is not None and (not isinstance(top, int) or isinstance(top, bool) or top <= 0):
        raise _bad(path, None, f"relative_max_score is {top!r}; a relatively scored contest needs the per-case maximum, e.g. 1000000000")
    return meta


def load_files(scores: Path, performance: Path | None = None, relative: Path | None = None, *,
               relative_type: str | None = None, relative_max: int | None = None, cases: int | None = None,
               higher_is_better: bool | None = None, meta: dict | None = None) -> Standings:
    """Standings from explicit files (the package folder, or an ALE-Bench folder before import)."""
    rows, higher = parse_rows(scores, higher_is_better=higher_is_better)
    perf = parse_performance(performance) if performance is not None else None
    rel = None
    if relative_type is not None and relative_type not in RELATIVE_TYPES:
        raise _bad(Path(relative or RELATIVE), None, f"relative_score_type is {relative_type!r}; use one of {', '.join(RELATIVE_TYPES)}")
    if relative_type is not None and (not isinstance(relative_max, int) or isinstance(relative_max, bool) or relative_max <= 0):
        raise _bad(Path(relative or RELATIVE), None, f"relative_max_score is {relative_max!r}; a relatively scored contest needs the per-case maximum")
    if relative_type is not None:
        if relative is None or not Path(relative).is_file():
            raise _bad(Path(relative or RELATIVE), None, f"missing; a relatively scored ({relative_type}) contest needs the humans' per-case results")
        rel = parse_relative(relative, cases)
        for i, case in enumerate(rel):
            if relative_type == "min" and 0 in case:
                line = case.index(0) + 2
                raise _bad(relative, line, f"private_{i} is 0; a relative 'min' contest divides by scores, so 0 is not allowed (use -1 for rejected)")
    return Standings(rows, perf, rel, relative_type, relative_max, higher, meta or {})


def load_standings(package: Path, *, cases: int | None = None, objective: str | None = None) -> Standings | None:
    """The package's `standings/` folder, or None when it has none."""
    folder = Path(package) / FOLDER
    if not (folder / SCORES).is_file():
        return None
    meta = _read_meta(folder / META) if (folder / META).is_file() else {}
    higher = meta.get("higher_is_better")  # else inferred from the file; the objective breaks a tie
    st = load_files(
        folder / SCORES, folder / PERFORMANCE if (folder / PERFORMANCE).is_file() else None, folder / RELATIVE,
        relative_type=meta.get("relative_score_type"), relative_max=meta.get("relative_max_score"), cases=cases,
        higher_is_better=higher, meta=meta,
    )
    if higher is None and objective is not None and len({s for _, s in st.rows}) == 1:
        st.higher_is_better = objective == "maximize"
    return st


# --- the computation --------------------------------------------------------------------------

def _round_half_up_div(num: int, den: int) -> int:
    q, r = divmod(num, den)
    return q + (1 if r * 2 >= den else 0)


def relative_scores(kind: str, top: int, case: list[int]) -> list[int]:
    """Every entry's relative score on one case (ALE-Bench's recalculation; -1 = rejected, scores 0)."""
    ok = sorted(s for s in case if s >= 0)
    out = []
    for s in case:
        if s < 0 or not ok:
            out.append(0)
        elif kind == "max":
            out.append(_round_half_up_div(top * s, ok[-1]) if ok[-1] > 0 else 0)
        elif kind == "min":
            out.append(_round_half_up_div(top * ok[0], s) if s > 0 else 0)
        else:  # rank_max / rank_min: share of the case's submissions beaten, ties counting half
            lose = sum(1 for o in ok if (o > s if kind == "rank_max" else o < s))
            tie = sum(1 for o in ok if o == s) - 1
            out.append(round(top * (1.0 - (lose + tie / 2) / len(case))))
    return out


def place(st: Standings, verdicts: list[str], scores: list[int], total: int) -> dict:
    """Rank among the humans for one candidate's private results (in private-seed order).

    `total` is the candidate's contest total (the judge's Report.total: AC scores, or 0 when the
    problem voids a submission with a failed case); per-case results are used for relative contests.
    Returns rank (an integer, ties share the best rank), performance_rank (ties averaged, as the
    performance table is read) and the score compared.
    """
    last = st.groups()[-1]
    if st.relative is not None:
        ours = [s if v == "AC" else -1 for v, s in zip(verdicts, scores)]
        if st.relative_type == "min":
            ours = [s if s != 0 else -1 for s in ours]  # a 0 cannot be divided by: counted as rejected
        totals = [0] * len(st.relative[0])
        mine = []
        for case, s in zip(st.relative, ours):
            rel = relative_scores(st.relative_type, st.relative_max, case + [s])
            mine.append(rel[-1])
            for i, r in enumerate(rel[:-1]):
                totals[i] += r
        score = sum(mine)
        if score == 0:  # the zero-score row: last place
            return {"rank": last[1], "performance_rank": float(last[1]), "score": 0, "relative_scores": mine}
        rank, tied = 1, 0
        for t in totals:
            if t > score:
                rank += 1
            elif t == score:
                tied += 1
        # Tied with k humans: the middle of the k ranks they hold (ALE-Bench: rank + max(0.5*(k+1) - 1, 0)).
        return {"rank": rank, "performance_rank": rank + max(tied - 1, 0) / 2,
                "score": score, "relative_scores": mine}
    # Absolute totals against the standings rows.
    if st.higher_is_better:
        if total == 0 and last[0] == 0:
            return {"rank": last[1], "performance_rank": float(last[1]), "score": 0}
        better = lambda a, b: a > b  # noqa: E731
    else:
        if any(v != "AC" for v in verdicts):  # a failed case has no total to compare: last
            total = None
        better = lambda a, b: a < b  # noqa: E731
    if total is not None:
        for score, start, end in st.groups():
            if better(total, score):
                return {"rank": start, "performance_rank": float(start), "score": total}
            if total == score:
                return {"rank": start, "performance_rank": (start + end) / 2, "score": total}
    below = len(st.rows) + 1  # worse than every human listed (no zero-score row to tie with)
    return {"rank": below, "performance_rank": float(below), "score": total}


def performance_keys(table: list[tuple[int, int]]) -> list[tuple[float, int]]:
    """ALE-Bench's rank -> performance points: a run of tied ranks sits at the middle of its span."""
    keys = []
    for (rank, perf), (next_rank, _) in zip(table, table[1:]):
        if rank == next_rank:
            continue
        keys.append(((rank + next_rank - 1) / 2, perf))
    keys.append((float(table[-1][0]), table[-1][1]))
    return keys


def performance(table: list[tuple[int, int]], rank: float) -> int:
    """Performance at `rank`: exact at a table point, else linear between the two around it; above
    the first point the first two points are extended, below the last the last two (ALE-Bench
    extends only the first pair; past its last row it has no answer)."""
    keys = performance_keys(table)
    for r, p in keys:
        if r == rank:
            return p
    if len(keys) == 1:
        return keys[0][1]
    i = next((k for k, (r, _) in enumerate(keys) if rank < r), len(keys))
    i = min(max(i, 1), len(keys) - 1)
    (r_hi, p_hi), (r_lo, p_lo) = keys[i - 1], keys[i]
    return round(p_hi - (p_hi - p_lo) * (rank - r_hi) / (r_lo - r_hi))


def percentile(rank: int, humans: int) -> float:
    """100 * rank / (N + 2): ALE-Bench's default ('weibull') rank-to-percentile; lower is better."""
    return 100.0 * rank / (humans + 2)


def evaluate(st: Standings, verdicts: list[str], scores: list[int], total: int) -> dict:
    """rank, performance (None without a performance table), percentile and what was compared."""
    p = place(st, verdicts, scores, total)
    perf = performance(st.performance, p["performance_rank"]) if st.performance else None
    doc = {
        "rank": p["rank"], "performance": perf, "percentile": round(percentile(p["rank"], st.humans), 3),
        "humans": st.humans, "performance_rank": p["performance_rank"], "score": p["score"],
        "score_kind": "relative" if st.relative is not None else "absolute",
    }
    if "relative_scores" in p:
        doc["relative_scores"] = p["relative_scores"]
    return doc


class Unranked(Exception):
    """Why a candidate cannot be placed (no standings, private seeds not all judged, ...)."""


def rank_candidate(store, problem, candidate_id: int, *, strict: bool = False) -> dict | None:
    """Rank, performance and percentile of a stored candidate judged on all of `problem`'s private seeds.

    Returns {"candidate", "problem", "rank", "performance", "percentile", "humans", "performance_rank",
    "score", "score_kind", ["relative_scores"]}, or None when the problem has no standings or the
    candidate lacks private results for some seed (with strict=True: raises Unranked saying why;
    a malformed standings file raises StandingsError either way).
    """
    seeds = problem.seeds("private")
    st = load_standings(problem.path, cases=len(seeds), objective=problem.objective)
    try:
        if st is None:
            raise Unranked(f"problem {problem.id} has no standings; import them with `ale standings import FILE --problem {problem.id}`")
        if store.get_candidate(candidate_id) is None:
            raise Unranked(f"no candidate {candidate_id} in the store")
        evals = {e["seed"]: e for e in store.evaluations(candidate_id, "private")}
        missing = [s for s in seeds if s not in evals]
        if missing:
            raise Unranked(f"candidate {candidate_id} was judged on {len(seeds) - len(missing)} of the {len(seeds)} private seeds (first missing: {missing[0]}); rank it with `ale rank ... --judge`")
    except Unranked:
        if strict:
            raise
        return None
    verdicts = [evals[s]["verdict"] for s in seeds]
    scores = [int(evals[s]["score"] or 0) for s in seeds]
    ok = all(v == "AC" for v in verdicts)
    total = sum(s for v, s in zip(verdicts, scores) if v == "AC") if (ok or problem.partial_score) else 0
    return {"candidate": candidate_id, "problem": problem.id, **evaluate(st, verdicts, scores, total)}


FIELDS = ("rank", "performance", "percentile")


def summary_fields(store, problem, candidate_id: int | None) -> dict:
    """{"rank", "performance", "percentile"} for a run summary: None values when the candidate cannot
    be ranked (no standings, not judged on every private seed); a malformed standings file adds
    "standings_error" instead of failing the run that has just finished."""
    try:
        doc = rank_candidate(store, problem, candidate_id) if candidate_id is not None else None
    except StandingsError as e:
        return dict.fromkeys(FIELDS) | {"standings_error": str(e)}
    return {k: (doc or {}).get(k) for k in FIELDS} | ({"humans": doc["humans"]} if doc else {})


def run_standing(store, run: dict, search=(), candidate_id: int | None = None) -> dict | None:
    """rank_candidate for a stored run's best (or given) candidate, loading the run's problem from
    the folder it used (config problem_path) or by id in `search`; None when it cannot be ranked
    (problem gone, no standings, private seeds not all judged), {"error": ...} for malformed standings."""
    from judge import load_problem

    cid = candidate_id if candidate_id is not None else run.get("best_candidate")
    if cid is None:
        return None
    path = (run.get("config") or {}).get("problem_path")
    try:
        problem = load_problem(path if path and Path(path).is_dir() else run["problem"], list(search))
    except ProblemError:
        return None  # the package moved or was deleted: the run itself is still worth showing
    try:
        return rank_candidate(store, problem, cid)
    except StandingsError as e:
        return {"error": str(e)}


def describe(doc: dict | None) -> str:
    """One line for tables and stories: 'rank 3 of 804 humans, performance 2412, top 0.4%'."""
    if not doc or doc.get("rank") is None:
        return (doc or {}).get("error") or (doc or {}).get("standings_error") or "not ranked"
    perf = "" if doc.get("performance") is None else f", performance {doc['performance']}"
    humans = f" of {doc['humans']} humans" if doc.get("humans") else ""
    return f"rank {doc['rank']}{humans}{perf}, top {doc['percentile']:.1f}%"
