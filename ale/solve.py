"""The best-first loop: pick a promising candidate, expand it into children, judge, learn.

Everything a run knows is in the store, written one judged candidate at a time
(candidate + evaluations in one transaction), so a run killed at any moment
resumes from the store and loses at most the candidate being judged.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ale import lessons as lessons_mod
from ale import standings as standings_mod
from ale.candidate import source_hash
from ale.params import ParamError, apply_params, parse_params
from ale.providers.base import BudgetExceeded, Context, Proposal, Provider
from ale.search import rank, select  # noqa: F401  (rank is part of this module's API)
from judge import languages


STALL_STEPS = 8  # steps in a row with nothing new judged before a run gives up


@dataclass
class SolveOptions:
    budget: int = 20  # judged candidates, starting files included
    time_budget: float | None = None  # seconds of wall time
    beam: int = 4
    jobs: int | None = None
    seeds: str = "public"
    use_lessons: bool = True
    private_top: int = 3
    private_seeds: str = "private"
    exploration: float = 0.5
    lesson_chars: int = 4000
    fixed: dict = field(default_factory=dict)  # parameters pinned in every candidate
    cache_root: str | None = None
    max_cost: float | None = None
    max_tokens: int | None = None
    packs: str | None = None
    starts: list = field(default_factory=list)  # starting files (names in solutions/ or paths); empty = all

    def to_config(self) -> dict:
        return dict(self.__dict__)


class Solver:
    """One run of `ale solve`; `events` receives (kind, data) for progress displays."""

    def __init__(self, problem, store, provider: Provider, options: SolveOptions, *, run_id: int | None = None,
                 events: Callable[[str, dict], None] | None = None, config: dict | None = None):
        self.problem = problem
        self.store = store
        self.provider = provider
        self.o = options
        self.events = events or (lambda kind, data: None)
        self.seeds = problem.seeds(options.seeds)
        self.started = time.monotonic()
        self.judging = 0.0  # seconds spent in the judge, to report the loop's own overhead
        self.stop_reason = ""
        from ale.providers.base import Budget

        self.budget = Budget(max_cost=options.max_cost, max_tokens=options.max_tokens)
        self._start_files()  # a bad --start is a usage error before the run exists
        if run_id is None:
            self.run_id = store.create_run(problem.id, provider.name, {"options": options.to_config(), "seeds": self.seeds, **(config or {})})
        else:
            self.run_id = run_id
            store.update_run(run_id, status="running")
        self.cands: list[dict] = []
        self.template: dict[int, str] = {}
        self.lessons: list = []

    # --- state ------------------------------------------------------------------------
    def _load(self) -> None:
        """Rebuild the run's state from the store (fresh start or --resume)."""
        self.cands = self.store.candidates(self.run_id)
        for c in self.cands:
            self._decorate(c)
            self.provider.observe(self._observed(c))
        for m in self.store.model_calls(self.run_id):
            self.budget.cost += m.get("cost") or 0.0
            self.budget.tokens_in += m.get("input_tokens") or 0
            self.budget.tokens_out += m.get("output_tokens") or 0

    def _decorate(self, c: dict) -> None:
        c["objective"] = self.problem.objective
        if c.get("parent_id") is None:
            self.template[c["id"]] = c.get("note", "").split(" ")[0] or f"c{c['id']}"
        else:
            self.template[c["id"]] = self.template.get(c["parent_id"], f"c{c['parent_id']}")
        c["template"] = self.template[c["id"]]
        if "verdicts" not in c:
            counts: dict[str, int] = {}
            for e in self.store.evaluations(c["id"], "public"):
                counts[e["verdict"]] = counts.get(e["verdict"], 0) + 1
            c["verdicts"] = counts

    def _observed(self, c: dict) -> dict:
        parent = self._by_id(c.get("parent_id"))
        d = dict(c)
        if parent:
            d["parent_mean"] = parent.get("public_mean")
            d["parent_rank_key"] = parent.get("rank_key")
            d["improved"] = rank(c) > rank(parent)
        return d

    def _by_id(self, cid):
        return next((c for c in self.cands if c["id"] == cid), None) if cid is not None else None

    def best(self) -> dict | None:
        return max(self.cands, key=rank, default=None)

    # --- judging ----------------------------------------------------------------------
    def _judge_source(self, source: str, language: str, best: dict, seeds: list[int] | None = None):
        """Judge a source text on the run's seeds (in a worker thread: it must not touch the store)."""
        import tempfile

        from judge import judge

        suffix = languages.get(language).suffix
        with tempfile.TemporaryDirectory(prefix="ale-cand-") as d:
            path = Path(d) / f"candidate{suffix}"
            path.write_text(source)
            return judge(self.problem, path, seeds or self.seeds, self.o.jobs, cache_root=self.o.cache_root, best=best)

    async def _add(self, source: str, language: str, parent: dict | None, method: str, note: str,
                   params: dict | None, step: int, shown: list[int], proposal: Proposal | None = None) -> dict | None:
        h = source_hash(source)
        if self.store.find_candidate_by_hash(self.run_id, h):
            self.events("taboo", {"note": note})
            return None
        self.events("judging", {"note": note, "step": step})
        best = self.store.best_scores(self.problem.id)
        t0 = time.monotonic()
        report = await asyncio.to_thread(self._judge_source, source, language, best)
        self.judging += time.monotonic() - t0
        rk = report.rank_key()
        summary = {"mean": report.mean, "accepted": report.accepted, "failed": report.failed, "rank_key": rk[2] if rk[2] != float("-inf") else None}
        with self.store.transaction():  # the candidate and everything about it land together, or not at all
            cid = self.store.add_candidate(
                self.run_id, source=source, language=language, hash=h, parent_id=parent["id"] if parent else None,
                method=method, note=note, params=params, step=step, public_cases=[c.to_dict() for c in report.cases], summary=summary,
            )
            self.store.update_best_scores(self.problem.id, self.problem.objective, report.best_scores())
            c = self.store.get_candidate(cid)
            c["model"] = proposal.model if proposal else None
            self._decorate(c)
            if proposal:
                for call in proposal.calls:
                    self._record_call(call, cid)
            if shown:
                self.store.link_lessons(cid, shown, "shown")
                if parent is not None:
                    lessons_mod.credit(self.store, shown, won=rank(c) > rank(parent))
        self.cands.append(c)
        self.provider.observe(self._observed(c))
        self.events("judged", {"candidate": c, "report": report, "best": self.best()})
        return c

    def _record_call(self, call, candidate_id=None) -> None:
        self.store.add_model_call(
            self.run_id, candidate_id=candidate_id, provider=call.provider, model=call.model, role=call.role,
            prompt=call.prompt, response=call.response, input_tokens=call.input_tokens, output_tokens=call.output_tokens,
            cache_write_tokens=call.cache_write_tokens, cache_read_tokens=call.cache_read_tokens, cost=call.cost,
            latency=call.latency, error=call.error,
        )

    # --- the loop ---------------------------------------------------------------------
    def _out_of_budget(self) -> bool:
        if len(self.cands) >= self.o.budget:
            self.stop_reason = f"candidate budget {self.o.budget} reached"
        elif self.o.time_budget is not None and time.monotonic() - self.started >= self.o.time_budget:
            self.stop_reason = f"time budget {self.o.time_budget:g}s reached"
        else:
            try:
                self.budget.check()
                return False
            except BudgetExceeded as e:
                self.stop_reason = str(e)
        return True

    def _pin(self, source: str) -> str:
        return apply_params(source, self.o.fixed) if self.o.fixed else source

    def _start_files(self) -> list[Path]:
        if not self.o.starts:
            return self.problem.solutions()
        out = []
        for name in self.o.starts:
            p = Path(name)
            if not p.is_file():
                p = self.problem.path / "solutions" / name
            if not p.is_file():
                raise ValueError(f"--start {name}: no such file here or in {self.problem.path / 'solutions'}")
            languages.of_path(p)  # an unknown suffix is a usage error (a ValueError) before the run judges anything
            out.append(p)
        return out

    async def _starting_points(self) -> None:
        for path in self._start_files():
            if self._out_of_budget():
                return
            source = self._pin(path.read_text(encoding="utf-8"))
            language = languages.of_path(path).id
            params = _params_or_none(source)
            await self._add(source, language, None, "start", f"{path.name} (starting file)", params, 0, [])
        if getattr(self.provider, "writes_code", False):
            drafts = await self._propose(None, self.o.beam)
            for prop in drafts:
                if self._out_of_budget():
                    return
                await self._take(prop, None, 0)

    def _select(self) -> dict | None:
        return select(self.cands, getattr(self.provider, "expandable", lambda c: True), self.o.exploration)

    def _context(self, parent: dict | None) -> Context:
        feedback = None
        if parent is not None:
            evals = self.store.evaluations(parent["id"], "public")
            best = self.store.best_scores(self.problem.id)
            cases = []
            for e in evals:
                b = best.get(e["seed"])
                rel = None
                if e["verdict"] == "AC" and b:
                    rel = min(1.0, e["score"] / b) if self.problem.maximize else (min(1.0, b / e["score"]) if e["score"] else 0.0)
                cases.append({k: e[k] for k in ("seed", "verdict", "score", "time", "message")} | {"relative": rel})
            feedback = {"mean": parent.get("public_mean"), "accepted": bool(parent.get("accepted")), "cases": cases, "stderr_tail": ""}
        tried = [c.get("note", "") for c in self.cands if parent is not None and c.get("parent_id") == parent["id"]]
        history = [
            {k: c.get(k) for k in ("id", "parent_id", "params", "public_mean", "accepted", "rank_key", "method", "template", "objective", "verdicts", "failed")}
            for c in self.cands
        ]
        return Context(
            problem_id=self.problem.id, statement=self.problem.statement, objective=self.problem.objective,
            time_limit=self.problem.time_limit, memory_limit=self.problem.memory_limit, tags=list(self.problem.tags),
            role="refine" if parent else "draft", parent=parent, feedback=feedback, lessons=list(self.lessons),
            tried=tried, history=history, budget=self.budget, fixed=dict(self.o.fixed),
            solutions={p.name: p.read_text(encoding="utf-8") for p in self.problem.solutions()},
        )

    async def _propose(self, parent: dict | None, n: int) -> list[Proposal]:
        ctx = self._context(parent)
        out = []
        for _ in range(n):  # one at a time so each proposal sees the budget the previous one spent
            try:
                out.append(await self.provider.propose(ctx))
            except BudgetExceeded as e:
                self.stop_reason = str(e)
                break
        return out

    async def _take(self, prop: Proposal, parent: dict | None, step: int) -> None:
        if prop.error or not prop.source:
            for call in prop.calls:
                self._record_call(call)
            self.events("failed", {"error": prop.error or "empty proposal", "method": prop.method})
            return
        source = self._pin(prop.source)
        params = _params_or_none(source)  # what the judged source really holds (pins included)
        shown = [l.id for l in self.lessons if getattr(l, "id", None)]
        child = await self._add(source, prop.language, parent, prop.method or "proposal", prop.note, params, step, shown, prop)
        if child is None:
            for call in prop.calls:
                self._record_call(call)
            return
        try:
            ctx = self._context(parent)
            learned, calls = await self.provider.distil(ctx, child, {"mean": child.get("public_mean"), "accepted": child.get("accepted")})
        except BudgetExceeded:
            learned, calls = [], []
        for call in calls:
            self._record_call(call, child["id"])
        produced = []
        for lesson in learned:
            try:
                produced.append(lessons_mod.add_or_merge(self.store, lesson))
            except ValueError as e:
                self.events("failed", {"error": f"lesson dropped: {e}", "method": "distil"})
        if produced:
            self.store.link_lessons(child["id"], produced, "produced")
            self.events("lessons", {"count": len(produced)})

    async def run(self) -> dict:
        """Run (or resume) until a budget is reached; then re-judge the best on private seeds."""
        try:
            self._load()
            if self.o.use_lessons:
                lessons_mod.load_packs(self.store, self.o.packs)
                self.lessons = lessons_mod.retrieve(self.store, self.problem.id, list(self.problem.tags), self.o.lesson_chars)
            self.events("start", {"run": self.run_id, "done": len(self.cands), "lessons": len(self.lessons), "budget": self.budget})
            await self._starting_points()
            step = max((c.get("step") or 0 for c in self.cands), default=0) + 1
            stalls = 0
            while not self._out_of_budget() and not self.stop_reason:
                node = self._select()
                if node is None:
                    self.stop_reason = "no candidate can be expanded by this provider"
                    break
                self.events("step", {"step": step, "node": node})
                proposals = await self._propose(node, min(self.o.beam, self.o.budget - len(self.cands)))
                if not proposals:
                    break
                before = len(self.cands)
                for prop in proposals:
                    if self._out_of_budget():
                        break
                    await self._take(prop, node, step)
                # Failed or taboo proposals judge nothing; a search that keeps repeating itself stops.
                stalls = stalls + 1 if len(self.cands) == before else 0
                if stalls >= STALL_STEPS:
                    self.stop_reason = f"{STALL_STEPS} steps in a row produced nothing new to judge"
                step += 1
            await self._private()
        except (KeyboardInterrupt, asyncio.CancelledError):
            self.store.update_run(self.run_id, status="interrupted")
            raise
        finally:
            await self.provider.close()
        summary = self.summary()
        self.store.update_run(self.run_id, status="done", best_candidate=summary["best_candidate"], summary=summary)
        return summary

    async def _private(self) -> None:
        """Re-judge the best few accepted candidates on the private seeds (the overfitting check)."""
        seeds = self.problem.seeds(self.o.private_seeds)
        top = sorted((c for c in self.cands if c.get("accepted")), key=rank, reverse=True)[: self.o.private_top]
        for c in top:
            if self.store.evaluations(c["id"], "private"):
                continue
            self.events("private", {"candidate": c})
            best = self.store.best_scores(self.problem.id)
            t0 = time.monotonic()
            report = await asyncio.to_thread(self._judge_source, c["source"], c["language"], best, seeds)
            self.judging += time.monotonic() - t0
            self.store.add_evaluations(c["id"], "private", [x.to_dict() for x in report.cases], mean=report.mean)
        self.cands = [self.store.get_candidate(c["id"]) | {k: c[k] for k in ("template", "verdicts", "objective")} for c in self.cands]

    def summary(self) -> dict:
        best = self.best()
        starts = [c for c in self.cands if c.get("method") == "start"]
        baseline = next((c for c in starts if c.get("note", "").startswith("baseline.")), starts[0] if starts else None)
        return {
            "run": self.run_id,
            "problem": self.problem.id,
            "provider": self.provider.name,
            "stop_reason": self.stop_reason,
            "best_candidate": best["id"] if best else None,
            "baseline_public_mean": baseline.get("public_mean") if baseline else None,
            "best_public_mean": best.get("public_mean") if best else None,
            "best_private_mean": best.get("private_mean") if best else None,
            "best_accepted": bool(best.get("accepted")) if best else False,
            # rank, performance, percentile among the contest's humans (None without standings)
            **standings_mod.summary_fields(self.store, self.problem, best["id"] if best else None),
            "seeds": self.seeds,
            "cost": round(self.budget.cost, 6),
            "tokens": {"sent": self.budget.tokens_in, "received": self.budget.tokens_out,
                       "cache_write": self.budget.cache_write, "cache_read": self.budget.cache_read},
            "lessons_shown": len(self.lessons),
            "timing": _timing(time.monotonic() - self.started, self.judging, len(self.cands)),
            "candidates": [
                {k: c.get(k) for k in ("id", "parent_id", "step", "method", "note", "public_mean", "accepted", "failed", "private_mean")}
                for c in self.cands
            ],
        }


def _params_or_none(source: str) -> dict | None:
    try:
        ps = parse_params(source)
    except ParamError:
        return None
    return {p.name: p.value for p in ps} or None


def _timing(wall: float, judging: float, n: int) -> dict:
    """Where this session's time went: the judge, and everything else (proposals, store, lessons)."""
    return {"wall": round(wall, 3), "judging": round(judging, 3),
            "loop_per_candidate": round((wall - judging) / n, 4) if n else None}
