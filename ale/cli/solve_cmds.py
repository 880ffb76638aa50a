"""`ale solve` and `ale replay`: run the agent, and tell a run's story afterwards."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer

from ale.config import cache_root
from ale.cli.common import open_db, EXIT_FAILED, EXIT_USAGE, UserError, config, err, load, out, print_json, user_errors


PROVIDERS = ("auto", "offline", "anthropic", "openai", "pool", "replay")


def _fixed(items: list[str]) -> dict:
    from ale.params import _literal

    out = {}
    for item in items or []:
        if "=" not in item:
            raise UserError(f"bad --fix '{item}': use NAME=VALUE, e.g. --fix TIME_BUDGET=0.5", EXIT_USAGE)
        k, v = item.split("=", 1)
        try:
            out[k.strip()] = _literal(v.strip())
        except ValueError:
            out[k.strip()] = v.strip()
    return out


def _out_file(path: Path, language: str) -> tuple[Path, str]:
    """Where --out really writes: the suffix follows the candidate's language (best.py for C++ becomes best.cpp)."""
    from judge import languages  # the one table of languages; its first suffix is the usual one

    try:
        lang = languages.get(language)
        suffix, name, ok = lang.suffixes[0], lang.name, lang.suffixes
    except languages.UnknownLanguage:
        suffix, name, ok = f".{language}", language, (f".{language}",)
    if path.suffix.lower() in ok:
        return path, ""
    if not path.suffix:
        return path.with_name(path.name + suffix), ""
    fixed = path.with_suffix(suffix)
    return fixed, f"the best candidate is {name}, not {path.suffix}: wrote {fixed} instead of {path}"


class Progress:
    """Live status on stderr: best so far, candidates judged, current step."""

    def __init__(self, budget: int):
        self.total = budget
        self.state = {"run": "?", "step": 0, "judged": 0, "best": None, "last": "", "taboo": 0, "failed": 0, "lessons": 0}
        self.live, self.plain = None, False
        self.budget = None  # the run's Budget: tokens and dollars spent so far

    def __enter__(self):
        # A log file or a pipe gets one plain line per judged candidate instead of a live display.
        # With --json too: the document goes to stdout, progress to stderr.
        self.plain = not err.get().is_terminal
        if not self.plain:
            from rich.live import Live

            self.live = Live(self._render(), console=err.get(), refresh_per_second=4, transient=True)
            self.live.__enter__()
        return self

    def __exit__(self, *exc):
        if self.live:
            self.live.__exit__(*exc)

    def model_event(self, kind: str, data: dict) -> None:
        """A pool's warnings (benched, skipped, dropped members) print as lines; its members' state
        (calls, cost, benched) shows under the live status."""
        if kind == "warning":
            from rich.markup import escape

            err.print(f"[yellow]pool: {escape(data['message'])}[/]", highlight=False, soft_wrap=True)
            return
        parts = []
        for m in data["members"]:
            if m.get("excluded"):
                parts.append(f"{m['name']} excluded")
                continue
            parts.append(f"{m['name']} {m['calls']} calls ${m['cost']:.4f} wins {m['wins']}" + (" BENCHED" if m["benched"] else ""))
        from rich.markup import escape

        self.state["pool"] = escape("pool: " + " · ".join(parts))

    def _render(self):
        s = self.state
        best = f"{s['best']:,.1f}" if s["best"] is not None else "-"
        spend = ""
        b = self.budget
        if b is not None and (b.tokens_in or b.tokens_out or b.cache_read or b.cache_write):
            spend = (f"  tokens sent {b.tokens_in:,} cache-write {b.cache_write:,} cache-read {b.cache_read:,} "
                     f"received {b.tokens_out:,}  ${b.cost:.4f}")
        from rich.text import Text

        return Text.from_markup(
            f"[bold]run {s['run']}[/] step {s['step']}  judged {s['judged']}/{self.total}  best [green]{best}[/]  "
            f"taboo {s['taboo']}  failed {s['failed']}  lessons +{s['lessons']}{spend}\n{s['last']}"
            + (f"\n{s['pool']}" if s.get("pool") else ""),
        )

    def __call__(self, kind: str, data: dict) -> None:
        s = self.state
        if kind == "start":
            s["run"], s["judged"], self.budget = data["run"], data["done"], data.get("budget")
        elif kind == "step":
            s["step"] = data["step"]
        elif kind == "judging":
            s["last"] = f"judging: {data['note'][:100]}"
        elif kind == "judged":
            c, best = data["candidate"], data["best"]
            s["judged"] += 1
            s["best"] = best.get("public_mean") if best else None
            verdict = "AC" if c.get("accepted") else f"{c.get('failed')} failed"
            s["last"] = f"#{c['id']} {c.get('method')}: mean {c.get('public_mean') or 0:,.1f} ({verdict})"
            if self.plain:
                b = f"{s['best']:,.1f}" if s["best"] is not None else "-"
                note = " ".join((c.get("note") or "").split())[:60]
                sys.stderr.write(f"run {s['run']} [{s['judged']}/{self.total}] #{c['id']} {note}: "
                                 f"mean {c.get('public_mean') or 0:,.1f} ({verdict}), best {b}\n")
                sys.stderr.flush()
        elif kind == "taboo":
            s["taboo"] += 1
        elif kind == "failed":
            s["failed"] += 1
            from rich.markup import escape

            s["last"] = f"failed proposal: {escape(data['error'][:100])}"
        elif kind == "lessons":
            s["lessons"] += data["count"]
        elif kind == "private":
            s["last"] = f"private seeds: candidate #{data['candidate']['id']}"
        elif kind in ("warning", "pool"):
            self.model_event(kind, data)
        if self.live:
            self.live.update(self._render())


def _summary_table(summary: dict):
    from rich.table import Table

    t = Table(title=f"ale solve {summary['problem']} · run {summary['run']}")
    for col in ("id", "parent", "method", "note", "public mean", "AC", "private mean"):
        t.add_column(col, justify="right" if "mean" in col or col in ("id", "parent") else "left")
    best = summary["best_candidate"]
    for c in summary["candidates"]:
        style = "bold green" if c["id"] == best else ""
        t.add_row(
            str(c["id"]), str(c["parent_id"] or ""), c["method"] or "", (c["note"] or "")[:48],
            f"{c['public_mean']:,.1f}" if c["public_mean"] is not None else "", "yes" if c["accepted"] else "no",
            f"{c['private_mean']:,.1f}" if c.get("private_mean") is not None else "", style=style,
        )
    return t


def solve_cmd(
    problem: str = typer.Argument(..., help="Problem id or folder"),
    provider: Optional[str] = typer.Option(None, "--provider", "-p", help="offline | anthropic | openai | pool | replay (default: ale.yaml, else first with a key, else offline)"),
    budget: Optional[int] = typer.Option(None, "--budget", "-n", min=1, help="Candidates to judge, starting files included"),
    time_: Optional[str] = typer.Option(None, "--time", help="Wall-clock budget, e.g. 30m"),
    beam: Optional[int] = typer.Option(None, "--beam", "-b", min=1, help="Children per expansion"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Parallel seeds"),
    seeds: Optional[str] = typer.Option(None, "--seeds", "-s", help="public or a range/list of seeds"),
    no_lessons: bool = typer.Option(False, "--no-lessons", help="Neither read nor show lessons (a cold start)"),
    resume: Optional[int] = typer.Option(None, "--resume", help="Continue an interrupted run"),
    out_path: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the best solution here (the suffix follows its language)"),
    force: bool = typer.Option(False, "--force", help="With --out: write the best candidate even when it fails some seeds"),
    fix: List[str] = typer.Option([], "--fix", help="Pin a parameter in every candidate: NAME=VALUE"),
    start: List[str] = typer.Option([], "--start", help="Starting file (in solutions/ or a path); repeatable; default all"),
    model: Optional[str] = typer.Option(None, "--model", help="Model name (anthropic/openai)"),
    base_url: Optional[str] = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint, e.g. http://127.0.0.1:8000/v1"),
    key_env: Optional[str] = typer.Option(None, "--key-env", help="Environment variable holding the key"),
    exclude: List[str] = typer.Option([], "--exclude", help="Never use this pool member or model"),
    racing: Optional[bool] = typer.Option(None, "--racing/--no-racing", help="Judge children in stages and stop a clearly worse or futile one early (default: solve.racing, on)"),
    parallel: Optional[int] = typer.Option(None, "--parallel", "-P", min=1, help="Proposals in flight while candidates are judged (default: solve.parallel, else 4 for models, 1 offline)"),
    replay: Optional[int] = typer.Option(None, "--replay", help="Re-execute a run from its recorded model calls"),
    max_cost: Optional[float] = typer.Option(None, "--max-cost", help="Stop before spending more dollars than this"),
    max_tokens: Optional[int] = typer.Option(None, "--max-tokens", help="Stop before using more tokens than this"),
    private_top: Optional[int] = typer.Option(None, "--private-top", min=0, help="Best candidates re-judged on private seeds"),
    private_seeds: Optional[str] = typer.Option(None, "--private-seeds", help="private (default) or a range/list"),
    seed: int = typer.Option(0, "--seed", help="Random seed of the offline drafter"),
    db: Optional[str] = typer.Option(None, "--db", help="SQLite store (default from ale.yaml: .ale/ale.db)"),
    as_json: bool = typer.Option(False, "--json", help="One JSON document on stdout at the end"),
    report_path: Optional[Path] = typer.Option(None, "--report", help="Rewrite this HTML report after each judged candidate (see `ale report`)"),
    cluster: Optional[str] = typer.Option(None, "--cluster", help="Judge candidates on a Ray cluster: ray://HOST:PORT, HOST:PORT, auto or local (default: judge.cluster in ale.yaml)"),
):
    """Improve solutions to PROBLEM by best-first search, judging every candidate and learning lessons."""
    from ale.options import checked_fixed, earlier_run, parse_duration, provider_name, solve_options
    from ale.providers import ProviderError, make_provider
    from ale.solve import Solver

    if provider is not None and provider not in PROVIDERS:
        raise typer.BadParameter(f"unknown provider '{provider}': use {', '.join(PROVIDERS)}", param_hint="--provider")
    with user_errors():
        cfg = config()
        store = open_db(db, cfg)
        p = load(problem, cfg)
        # --resume continues a run with its own options; --replay re-runs one with them (flags still win).
        earlier = resume if resume is not None else replay
        run = earlier_run(store, earlier, p.id) if earlier is not None else {}
        name = provider_name(cfg, provider, resumed=run.get("provider") if resume is not None else None, replay=replay is not None)
        opts = solve_options(
            cfg, earlier=(run.get("config") or {}).get("options", {}), budget=budget,
            time_budget=parse_duration(time_) if time_ else None, beam=beam, jobs=jobs, seeds=seeds,
            use_lessons=False if no_lessons else None, private_top=private_top, private_seeds=private_seeds,
            starts=list(start), parallel=parallel, racing=racing, max_cost=max_cost, max_tokens=max_tokens, cluster=cluster,
        )
        if fix:  # checked against the starting files' `ale: param` lines: a usage error before the run exists
            opts.fixed = checked_fixed(_fixed(fix), p, opts.starts)
        p.seeds(opts.seeds), p.seeds(opts.private_seeds)  # bad seeds: a usage error before anything runs
        try:
            prov = make_provider(
                name, cfg, model=model, base_url=base_url, key_env=key_env, exclude=list(exclude) or None,
                replay_run=replay, store=store, seed=seed, objective=p.objective, max_tokens=None,
            )
        except ProviderError as e:
            raise UserError(str(e)) from None
        from judge import sandbox

        warning = None if opts.cluster else sandbox.warn_if_weak()
        if warning:
            err.print(f"[yellow]{warning}[/]", highlight=False)
        if opts.cluster:  # connect here, in the main thread, so an unreachable cluster fails before the run starts
            from judge.cluster import connect

            connect(opts.cluster)

        live = None
        if report_path:  # `ale report` kept current during the run: refresh the browser to follow it
            from ale.report import LiveReport

            live = LiveReport(report_path, store, p, jobs=opts.jobs, cache_root=opts.cache_root)

        started = {}  # the Solver, once it exists: Ctrl-C names its run

        async def go():
            check = getattr(prov, "check", None)
            if check is not None:
                try:
                    await check()
                except ProviderError as e:
                    await prov.close()
                    raise UserError(str(e)) from None
            with Progress(opts.budget) as progress:
                solver = started["solver"] = Solver(p, store, prov, opts, run_id=resume, events=live.chain(progress) if live else progress, config={"provider_name": name, "problem_path": str(p.path)})
                return await solver.run()

        import asyncio

        try:
            summary = asyncio.run(go())
        except KeyboardInterrupt:
            _interrupted(started.get("solver"), problem, db)
        if live:
            live.write()  # the final page, with the visualizer's pictures of the best candidate
        best = store.get_candidate(summary["best_candidate"]) if summary["best_candidate"] else None
        accepted = bool(summary.get("best_accepted"))
        written, note = None, ""
        if out_path and best:
            target, note = _out_file(out_path, best["language"])
            if accepted or force:
                target.write_text(best["source"], encoding="utf-8")
                written = target
        learned = _learned(store, summary)
        if as_json:
            print_json(summary | {"out": str(written) if written else None, "lessons_learned": [l["id"] for l in learned]})
        else:
            out.print(_summary_table(summary))
            gap = ""
            if summary["best_private_mean"] is not None and summary["best_public_mean"]:
                gap = f"  (private/public {summary['best_private_mean'] / summary['best_public_mean']:.3f})"
            bp, pub, priv = summary["baseline_public_mean"], summary["best_public_mean"], summary["best_private_mean"]
            fmt = lambda v: f"{v:,.1f}" if v is not None else "-"  # noqa: E731
            out.print(f"baseline public mean {fmt(bp)}  →  best public mean {fmt(pub)}, private mean {fmt(priv)}{gap}", highlight=False)
            j, noise = summary.get("judge") or {}, summary.get("noise")
            if j:
                out.print(f"judge: {j['cpu_seconds']:,.1f} CPU-s on {j['cases_run']} public cases, {j['cases_skipped']} skipped"
                          + (f" (racing stopped {j['raced_out']} candidates early, {j.get('futile', 0)} of them futile)" if j.get("racing") else " (racing off)")
                          + (f"; run-to-run noise {100 * noise['mean_relative_diff']:.2f}% on {noise['candidates']} re-judged"
                             if noise else ""), highlight=False)
            if summary.get("rank") is not None:  # the problem has standings: where the best would have placed
                from ale.standings import describe

                out.print(f"among the contest's humans: {describe(summary)}", highlight=False)
            out.print(f"run {summary['run']} · best candidate #{summary['best_candidate']} · {summary['stop_reason']}"
                      + (f" · written to {written}" if written else ""), highlight=False)
            _print_lessons(summary, learned, p.id)
        if note and written:
            err.print(f"[yellow]note:[/] {note}", highlight=False, soft_wrap=True)
        if not accepted:
            what = f"best candidate #{best['id']} fails {best.get('failed')} seed(s)" if best else "no candidate was judged"
            if out_path and best and not written:
                what += f"; not writing {out_path} (add --force to write it anyway)"
            err.print(f"[bold red]no candidate was accepted:[/] {what}; see `ale runs show {summary['run']}`", highlight=False, soft_wrap=True)
            raise typer.Exit(EXIT_FAILED)


def _learned(store, summary: dict) -> list[dict]:
    """Lessons this run produced, each once, in the order they were learned."""
    seen: dict[int, dict] = {}
    for c in summary["candidates"]:
        for row in store.candidate_lessons(c["id"], "produced"):
            seen.setdefault(row["id"], row)
    return list(seen.values())


def _print_lessons(summary: dict, learned: list[dict], problem_id: str) -> None:
    """What lessons are, shown on the run itself: what it read, what it wrote for the next run."""
    out.print(f"lessons: {summary.get('lessons_shown', 0)} shown to proposals, {len(learned)} learned"
              + (" (the next run on this problem reads them back):" if learned else ""), highlight=False)
    for l in learned:
        out.print(f"  L{l['id']} [{l['kind']}] {l['text']}", highlight=False, markup=False)
    if learned:
        out.print(f"  all of them: ale lessons list --problem {problem_id}", highlight=False, markup=False)


def _interrupted(solver, problem: str, db: str | None):
    """Ctrl-C: the store already holds every judged candidate; say so and how to go on (exit 130)."""
    if solver is None:
        err.print("interrupted before the run started; nothing was saved", highlight=False)
    else:
        again = f"ale solve {problem} --resume {solver.run_id}" + (f" --db {db}" if db else "")
        err.print(f"interrupted: run {solver.run_id} is saved ({len(solver.cands)} candidates judged); "
                  f"continue it with `{again}`", highlight=False, soft_wrap=True)
    raise typer.Exit(130)


def replay_cmd(
    run: int = typer.Argument(..., help="Run id (see `ale runs list`)"),
    rejudge: bool = typer.Option(False, "--rejudge", help="Judge the recorded candidates again and show differences"),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1),
    db: Optional[str] = typer.Option(None, "--db"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Tell a run's story: each candidate, its parent, its score change, lessons shown and produced."""
    from ale.story import story

    with user_errors():
        cfg = config()
        store = open_db(db, cfg)
        r = store.get_run(run)
        if r is None:
            raise UserError(f"no run {run} in {db or cfg['db']}; see `ale runs list`")
        problem = None
        if rejudge:  # the folder the run used, else the id on today's shelf
            path = (r.get("config") or {}).get("problem_path")
            problem = load(path if path and Path(path).is_dir() else r["problem"], cfg)
        doc = story(store, run, rejudge_problem=problem, jobs=jobs or cfg["judge"]["jobs"], cache_root=cache_root(cfg))
        if as_json:
            print_json(doc)
            return
        out.print(f"[bold]run {run}[/] · {r['problem']} · {r['provider']} · {r['status']}", highlight=False)
        if doc["lessons_shown"]:  # once per run, not under every candidate
            from rich.table import Table
            from rich.text import Text

            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True, justify="right")
            grid.add_column(ratio=1)
            for l in doc["lessons_shown"]:
                tags = f" ({', '.join(l['tags'])})" if l["tags"] else ""
                grid.add_row(f"  L{l['id']}", Text(f"[{l['kind']}]{tags} {l['text']}"))
            out.print(f"lessons shown to this run's proposals ({len(doc['lessons_shown'])}):", highlight=False)
            out.print(grid)
        for e in doc["events"]:
            delta = f"{e['delta']:+,.1f}" if e["delta"] is not None else "   (start)"
            who = f"{e.get('operator') or '':<9} {(e.get('model') or '')[:16]:<16} " if e.get("operator") else ""
            flags = "  [" + ", ".join(e["flags"]) + "]" if e.get("flags") else ""
            out.print(
                f"#{e['candidate']:<4} ← {str(e['parent'] or '-'):<4} {who}{e['method']:<12} mean {e['public_mean'] or 0:>14,.1f} {delta:>12}  {e['note'][:60]}{flags}",
                highlight=False, markup=False,
            )
            if e["shown"]:
                ids = [l["id"] for l in e["shown"]]
                which = "the lessons above" if len(ids) == len(doc["lessons_shown"]) else " ".join(f"L{i}" for i in ids)
                out.print(f"      shown    {len(ids)}: {which}", highlight=False, markup=False)
            for l in e["produced"]:
                out.print(f"      learned  L{l['id']} [{l['kind']}] {l['text']}", highlight=False, markup=False)
            if e.get("rejudged") is not None:
                mark = "same" if e["rejudge_same"] else "DIFFERS"
                out.print(f"      rejudged mean {e['rejudged']:,.1f} ({mark})", highlight=False, markup=False)
        if doc.get("standing") and "rank" in doc["standing"]:  # the best candidate among the contest's humans
            from ale.standings import describe

            out.print(f"among the contest's humans: {describe(doc['standing'])}", highlight=False)
        for m in doc.get("models") or []:
            state = " excluded" if m.get("excluded") else (" benched" if m.get("benched") else "")
            out.print(f"model {m['name']}: {m['calls']} calls, {m['failed']} failed, ${m['cost']:.4f}{state}",
                      highlight=False, markup=False)
