"""`ale rank`, `ale rating`, `ale standings import`: a candidate's place among a contest's humans."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from ale.cli.common import EXIT_USAGE, UserError, config, err, load, open_db, out, print_json, user_errors
from ale.config import cache_root

app = typer.Typer(help="The humans' standings a problem's candidates are ranked against.", no_args_is_help=True)


def _judge_private(store, p, cand: dict, cfg: dict) -> None:
    """Judge a stored candidate on every private seed and record the results (for `--judge`)."""
    import tempfile

    from judge import judge, languages

    seeds = p.seeds("private")
    suffix = languages.get(cand["language"]).suffix
    err.print(f"judging candidate {cand['id']} on {len(seeds)} private seeds...", highlight=False)
    with tempfile.TemporaryDirectory(prefix="ale-rank-") as d:
        path = Path(d) / f"candidate{suffix}"
        path.write_text(cand["source"], encoding="utf-8")
        report = judge(p, path, seeds, cfg["judge"]["jobs"], cache_root=cache_root(cfg))
    store.add_evaluations(cand["id"], "private", [c.to_dict() for c in report.cases], mean=report.mean)


def rank_cmd(
    problem: str = typer.Argument(..., help="Problem id or folder (with standings)"),
    run: int = typer.Argument(..., help="Run id (see `ale runs list`)"),
    candidate: Optional[int] = typer.Option(None, "--candidate", help="Candidate id (default: the run's best)"),
    judge_missing: bool = typer.Option(False, "--judge", help="Judge the candidate on the private seeds first if it was not"),
    db: Optional[str] = typer.Option(None, "--db"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Rank, performance and percentile of a run's candidate among the contest's humans (private seeds)."""
    from ale.standings import Unranked, rank_candidate

    with user_errors():
        cfg = config()
        p = load(problem, cfg)
        store = open_db(db, cfg)
        r = store.get_run(run)
        if r is None:
            raise UserError(f"no run {run} in the store; see `ale runs list`")
        if r["problem"] != p.id:
            raise UserError(f"run {run} is on problem {r['problem']}, not {p.id}")
        cid = candidate if candidate is not None else r["best_candidate"]
        if cid is None:
            raise UserError(f"run {run} has no best candidate yet; pass --candidate ID")
        cand = store.get_candidate(cid)
        if cand is None or cand["run_id"] != run:
            raise UserError(f"candidate {cid} is not in run {run}; see `ale runs show {run}`")
        if judge_missing:
            have = {e["seed"] for e in store.evaluations(cid, "private")}
            if not set(p.seeds("private")) <= have:
                _judge_private(store, p, cand, cfg)
        try:
            doc = rank_candidate(store, p, cid, strict=True)
        except Unranked as e:
            raise UserError(str(e)) from None
        doc = {"run": run, **doc}
        if as_json:
            print_json(doc)
            return
        perf = "-" if doc["performance"] is None else f"{doc['performance']}"
        out.print(
            f"{p.id} run {run} candidate {cid}: rank {doc['rank']} of {doc['humans']} humans, "
            f"performance {perf}, top {doc['percentile']:.1f}% ({doc['score_kind']} score {doc['score']:,})",
            highlight=False,
        )


def _perf_arg(text: str) -> tuple[str, int]:
    pid, sep, value = text.partition("=")
    try:
        if not sep:
            raise ValueError
        return pid.strip(), round(float(value))
    except ValueError:
        raise UserError(f"'{text}': give a performance as PROBLEM=PERFORMANCE, e.g. ahc030=1800", EXIT_USAGE) from None


def rating_cmd(
    performances: List[str] = typer.Argument(None, help="PROBLEM=PERFORMANCE pairs, e.g. ahc030=1800"),
    schedule: Path = typer.Option(..., "--schedule", help="CSV problem_id,start_at,end_at,weight (ALE-Bench's schedule.csv)"),
    runs: List[int] = typer.Option([], "--run", help="Add the performance of this run's best candidate (repeatable)"),
    final: Optional[str] = typer.Option(None, "--final", help="Rate as of this contest (default: the schedule's last)"),
    db: Optional[str] = typer.Option(None, "--db"),
    as_json: bool = typer.Option(False, "--json"),
):
    """AHC rating (formula v2, as ALE-Bench computes it) from performances on several contests."""
    from ale.rating import rating, read_schedule
    from ale.standings import rank_candidate

    with user_errors():
        if not schedule.is_file():
            raise UserError(f"{schedule}: no such schedule file (CSV problem_id,start_at,end_at,weight)")
        table = read_schedule(schedule)
        perfs = dict(_perf_arg(t) for t in performances or [])
        if runs:
            cfg = config()
            store = open_db(db, cfg)
            for run in runs:
                r = store.get_run(run)
                if r is None or r["best_candidate"] is None:
                    raise UserError(f"run {run}: no such run, or it has no best candidate yet")
                path = (r.get("config") or {}).get("problem_path")
                p = load(path if path and Path(path).is_dir() else r["problem"], cfg)
                doc = rank_candidate(store, p, r["best_candidate"])
                if doc is None or doc["performance"] is None:
                    raise UserError(f"run {run}: its best candidate has no performance (see `ale rank {p.id} {run}`)")
                perfs[p.id] = doc["performance"]
        value = rating(perfs, table, final)
        if as_json:
            print_json({"rating": value, "performances": perfs, "final": final or max(table, key=lambda k: table[k][1])})
            return
        out.print(f"rating {value} from {len(perfs)} performance(s)", highlight=False)


@app.command("import")
def import_cmd(
    file: Path = typer.Argument(..., help="CSV with a header: rank,score[,performance]; or AtCoder's standings JSON"),
    problem: str = typer.Option(..., "--problem", help="Problem id or folder to attach the standings to"),
    results: Optional[Path] = typer.Option(None, "--results", help="With a standings JSON: AtCoder's results JSON (performances)"),
    force: bool = typer.Option(False, "--force", help="Replace standings the package already has"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Attach a contest's final standings (rank,score and optionally performance) to a problem package."""
    import yaml

    from ale import standings as S

    with user_errors():
        p = load(problem)
        if not file.is_file():
            raise UserError(f"{file}: no such file; give a CSV with the header rank,score[,performance]")
        if results is not None and not results.is_file():
            raise UserError(f"{results}: no such file; give AtCoder's results JSON of the contest")
        if file.suffix.lower() == ".json":  # AtCoder's own files: standings/json, results/json
            rows, perf = S.atcoder_standings(file, results)
            higher = True  # AtCoder ranks higher totals first
        elif results is not None:
            raise UserError("--results goes with AtCoder's standings JSON; a CSV carries a performance column instead", EXIT_USAGE)
        else:
            rows, higher = S.parse_rows(file, higher_is_better=p.objective == "maximize")
            header, _ = S.read_csv(file, ("rank", "score"), ("performance",), kind=S._int)
            perf = S.parse_performance(file) if "performance" in header else None  # the checks of a performance.csv
        d = p.path / S.FOLDER
        if (d / S.SCORES).exists() and not force:
            raise UserError(f"{d} already holds standings; pass --force to replace them")
        d.mkdir(exist_ok=True)
        for name in (S.SCORES, S.PERFORMANCE, S.RELATIVE, S.META):
            (d / name).unlink(missing_ok=True)
        (d / S.SCORES).write_text("rank,score\n" + "".join(f"{r},{s}\n" for r, s in rows), encoding="utf-8")
        if perf:
            (d / S.PERFORMANCE).write_text("rank,performance\n" + "".join(f"{r},{v}\n" for r, v in perf), encoding="utf-8")
        meta = {"source": file.name, "higher_is_better": higher}
        (d / S.META).write_text(yaml.safe_dump(meta, sort_keys=False), encoding="utf-8")
        doc = {"problem": p.id, "path": str(d), "rows": len(rows), "performance": perf is not None, "higher_is_better": higher}
        if as_json:
            print_json(doc)
            return
        err.print(f"standings of {len(rows)} rows attached to {p.id} ({d}); rank a run with: ale rank {p.id} RUN", highlight=False)
