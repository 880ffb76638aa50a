"""`ale judge`, `ale gen`, `ale vis`: the judge from the command line."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Optional

import typer

from ale.config import cache_root, cluster_address
from ale.cli.common import open_db, EXIT_FAILED, config, err, load, out, print_json, user_errors

VERDICT_STYLE = {"AC": "green", "WA": "red", "TLE": "yellow", "MLE": "yellow", "RE": "magenta", "OLE": "yellow", "CE": "red", "IE": "bold red"}


def run_judge(problem, solution: Path, seeds: list[int], jobs: int | None, *, quiet: bool, save_outputs=None, cache_root=None, best=None,
              cluster: str | None = None):
    """Judge with a progress bar on stderr (when it is a terminal and not quiet); on a Ray cluster when given."""
    from judge import judge, sandbox

    warning = None if cluster else sandbox.warn_if_weak()  # on a cluster each node's sandbox is in the report
    if warning:
        typer.secho(warning, fg="yellow", err=True)  # not rich: a --json run never imports it
    if cluster:
        from judge.cluster import connect

        connect(cluster)  # before the bar: Ray's start-up lines and a one-line error come first
    kw = dict(save_outputs=save_outputs, cache_root=cache_root, best=best, cluster=cluster)
    if quiet:  # no bar, and no rich import for it (~60 ms of start-up)
        return judge(problem, solution, seeds, jobs, **kw)
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[last]}"),
        TimeElapsedColumn(), console=err.get(), transient=True,
    ) as bar:
        task = bar.add_task(f"{problem.id} {solution.name}", total=len(seeds), last="")

        def tick(c):
            bar.update(task, advance=1, last=f"seed {c.seed}: {c.verdict} {c.score}")

        return judge(problem, solution, seeds, jobs, progress=tick, **kw)


def render_report(report) -> None:
    from rich.table import Table

    t = Table(title=f"{report.problem} · {Path(report.solution).name}", show_lines=False)
    for col in ("seed", "verdict", "score", "relative", "time", "memory", "message"):
        t.add_column(col, justify="right" if col in ("seed", "score", "relative", "time", "memory") else "left")
    for c in report.cases:
        rel = f"{100 * c.relative:.1f}%" if c.relative is not None else ""
        style = VERDICT_STYLE.get(c.verdict, "")
        t.add_row(str(c.seed), f"[{style}]{c.verdict}[/]", f"{c.score:,}", rel, f"{c.time:.2f}s", f"{c.memory:.0f}M", c.message[:70])
    out.print(t)
    rel = f"{100 * report.relative_mean:.2f}%" if report.relative_mean is not None else "-"
    out.print(
        f"Mean [bold]{report.mean:,.1f}[/]  Total {report.total:,}  Relative {rel}  "
        f"#Best {report.n_best}  #Fail {report.failed}  Max time {report.max_time:.2f}s  "
        f"({len(report.cases)} seeds, judge {report.cpu_seconds:.1f} CPU-s, sandbox: {report.sandbox}{_cluster_note(report)})",
        highlight=False,
    )


def _cluster_note(report) -> str:
    c = report.cluster
    return f", cluster {c['address']}: {c['nodes']} node(s), {c['retries']} retried" if c else ""


def judge_cmd(
    problem: str = typer.Argument(..., help="Problem id or folder"),
    solution: Path = typer.Argument(..., help="Solution file (.py, .cpp or .rs)"),
    seeds: str = typer.Option("public", "--seeds", "-s", help="public, private, a range 0-49 or a list 3,7,9"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Parallel seeds (default: cores)"),
    as_json: bool = typer.Option(False, "--json", help="One JSON document on stdout"),
    save_outputs: Optional[Path] = typer.Option(None, "--save-outputs", help="Write in/, out/, err/ per seed here"),
    db: Optional[str] = typer.Option(None, "--db", help="Store with best-known scores (default from ale.yaml)"),
    no_record: bool = typer.Option(False, "--no-record", help="Do not update the best-known scores"),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Judge on a Ray cluster: ray://HOST:PORT, HOST:PORT, auto or local (default: judge.cluster in ale.yaml)"),
):
    """Judge SOLUTION on PROBLEM's seeds: verdicts, scores, relative scores vs the best seen."""
    with user_errors():
        cfg = config()
        p = load(problem, cfg)
        if not solution.is_file():
            raise typer.BadParameter(f"{solution}: no such file", param_hint="SOLUTION")
        if save_outputs is not None and save_outputs.exists() and not save_outputs.is_dir():
            raise typer.BadParameter(f"{save_outputs} is a file; name a folder (it is created if missing)", param_hint="--save-outputs")
        seed_list = p.seeds(seeds)
        store = open_db(db, cfg)  # best-known scores per seed, for relative scores
        best = store.best_scores(p.id)
        t0 = time.monotonic()
        report = run_judge(
            p, solution, seed_list, jobs or cfg["judge"]["jobs"], quiet=as_json, save_outputs=save_outputs,
            cache_root=cache_root(cfg), best=best, cluster=cluster_address(cfg, cluster),
        )
        if not no_record:
            store.update_best_scores(p.id, p.objective, report.best_scores())
        if as_json:
            doc = report.to_dict()
            doc["wall"] = round(time.monotonic() - t0, 3)
            print_json(doc)
        else:
            render_report(report)
            if not report.compile.get("ok", True):
                err.print(f"[red]compile error:[/]\n{report.compile['message']}", highlight=False)
        if not report.accepted:
            raise typer.Exit(EXIT_FAILED)


def gen_cmd(problem: str = typer.Argument(...), seed: int = typer.Argument(..., min=0)):
    """Print the input of one seed."""
    with user_errors():
        p = load(problem)
        typer.echo(p.generate(seed), nl=False)


def vis_cmd(
    problem: str = typer.Argument(...),
    seed: int = typer.Argument(..., min=0),
    output_file: Path = typer.Argument(..., help="The solution's output for this seed"),
    out_path: Path = typer.Option(Path("case.svg"), "-o", "--out", help="Where to write the SVG"),
):
    """Draw a case and a solution's output as SVG."""
    with user_errors():
        p = load(problem)
        if not output_file.is_file():
            raise typer.BadParameter(f"{output_file}: no such file", param_hint="OUTPUT_FILE")
        svg = p.render(p.generate(seed), output_file.read_text(encoding="utf-8", errors="replace"))
        out_path.write_text(svg, encoding="utf-8")
        err.print(f"wrote {out_path}", highlight=False)
