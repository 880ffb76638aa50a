"""AHC rating (formula v2) from performances on several contests, as ALE-Bench computes it.

Follows `RatingCalculator.calculate_rating` in SakanaAI/ALE-Bench (src/ale_bench/data.py), itself
AtCoder's https://img.atcoder.jp/file/AHC_rating_v2.pdf; the schedule file is ALE-Bench's
schedule.csv (problem_id,start_at,end_at,weight).
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

from ale.standings import _bad, read_csv

RATING_S, RATING_R, RATING_TERMS = 724.4744301, 0.8271973364, 100
JST = dt.timezone(dt.timedelta(hours=9))  # AtCoder's clock; Japan has no daylight saving

def _when(path: Path, line: int, text: str) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise _bad(path, line, f"'{text}' is not a date and time; use ISO 8601, e.g. 2024-05-25T19:00:00+09:00") from None
    return (t.replace(tzinfo=JST) if t.tzinfo is None else t).astimezone(JST)


def read_schedule(path: Path) -> dict[str, tuple[dt.datetime, dt.datetime, float]]:
    """schedule.csv as ALE-Bench ships it: problem_id,start_at,end_at,weight (times without a zone are JST)."""
    header, _ = read_csv(path, ("problem_id", "start_at", "end_at", "weight"), kind=str)
    text = Path(path).read_text(encoding="utf-8-sig").splitlines()
    out = {}
    for n, row in enumerate(csv.DictReader(text, fieldnames=header), start=1):
        if n == 1 or not any((v or "").strip() for v in row.values()):
            continue
        pid = row["problem_id"].strip()
        start, end = _when(path, n, row["start_at"]), _when(path, n, row["end_at"])
        try:
            weight = float(row["weight"])
        except (TypeError, ValueError):
            raise _bad(path, n, f"weight {row['weight']!r} is not a number") from None
        if not pid or weight <= 0 or not math.isfinite(weight):
            raise _bad(path, n, "needs a problem id and a positive weight")
        if end < start:
            raise _bad(path, n, f"{pid} ends before it starts")
        if pid in out:
            raise _bad(path, n, f"{pid} is listed twice")
        out[pid] = (start, end, weight)
    return out


def rating(performances: dict[str, int], schedule: dict[str, tuple], final: str | None = None) -> int:
    """AHC rating (formula v2) as ALE-Bench computes it: each performance decays by 100 a year before
    the final contest, gains 150, and is repeated 100 times at -S*ln(j); the sorted values are
    weighted by R^W - R^(W+w); below 400 the rating is compressed to 400/exp((400-r)/400)."""
    if not performances:
        raise ValueError("no performances to rate; give at least one PROBLEM=PERFORMANCE")
    unknown = [p for p in performances if p not in schedule]
    if unknown:
        raise ValueError(f"problem '{unknown[0]}' is not in the schedule file; add its row (problem_id,start_at,end_at,weight)")
    if final is None:
        final = max(schedule, key=lambda p: schedule[p][1])
    if final not in schedule:
        raise ValueError(f"final contest '{final}' is not in the schedule file")
    last = schedule[final][1].date()
    values = []
    for pid, perf in performances.items():
        _, end, weight = schedule[pid]
        if end > schedule[final][1]:
            continue  # after the final contest: not counted
        decayed = perf + 150 - 100 * (last - end.date()).days / 365
        values += [(decayed - RATING_S * math.log(j), weight) for j in range(1, RATING_TERMS + 1)]
    values.sort(key=lambda v: v[0], reverse=True)
    total, r = 0.0, 0.0
    for value, weight in values:
        r += value * (RATING_R ** total - RATING_R ** (total + weight))
        total += weight
    if r < 400:
        r = 400 / math.exp((400 - r) / 400)
    return round(r)
