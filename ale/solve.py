"""The best-first loop: pick a promising candidate and an operator, propose children, judge, learn.

Up to `parallel` proposals are in flight while earlier ones are judged (one judge at
a time: it has its own `--jobs`). Proposals are issued and taken in one order, each
seeing exactly the candidates taken before it, so a run is the same whatever the
models' latencies: `--replay` reproduces it and `--resume` continues it. Everything a
run knows is in the store, written from this one event loop (the single writer) one
judged candidate at a time (candidate + evaluations in one transaction), so a run
killed at any moment loses at most the proposals in flight.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ale import lessons as lessons_mod
from judge import scoring
from ale import standings as standings_mod
from ale.options import SolveOptions  # noqa: F401  (part of this module's API)
from ale.source_hash import source_hash
from ale.params import ParamError, apply_params, parse_params
from ale.providers.base import BudgetExceeded, Context, Proposal, Provider, ProviderError
from ale.search import complete, rank, select  # noqa: F401  (rank is part of this module's API)
from judge import languages


STALL_STEPS = 8  # steps in a row with nothing new judged before a run gives up
STAGNATION = 6  # judged candidates without a new best before a model is asked for a fresh draft
MAX_DEBUG_DEPTH = 2  # debug children in a row before a failing lineage is left to the search
CROSSOVER_EVERY = 4  # steps between crossovers, once two lineages have accepted candidates
MODEL_PARALLEL = 4  # default --parallel for model providers (the offline drafter: 1)
LOG_TAIL = 1500  # characters of a failing seed's stderr kept for the debug prompt


@dataclass
class Job:
    """One proposal in flight: what was asked, of which node, in which order."""

    seq: int
    step: int
    parent: dict | None
    operator: str
    ctx: Context
    shown: list[int]
    task: asyncio.Task | None = None


class Solver:
    """One run of `ale solve`; `events` receives (kind, data) for progress displays."""

    def __init__(self, problem, store, provider: Provider, options: SolveOptions, *, run_id: int | None = None,
                 events: Callable[[str, dict], None] | None = None, config: dict | None = None):
        self.problem = problem
        self.store = store
        self.provider = provider
        self.options = options
        self.events = events or (lambda kind, data: None)
        self.seeds = problem.seeds(options.seeds)
        self.started = time.monotonic()
        self.judging = 0.0  # seconds spent in the judge, to report the loop's own overhead
        self.judge_cpu = 0.0  # the judge's CPU-seconds in this session (cases' measured time)
        self.public_scores: dict[int, dict] = {}  # candidate id -> per-seed public scores, for racing
        self.stop_reason = ""
        from ale.providers.base import Budget

        self.budget = Budget(max_cost=options.max_cost, max_tokens=options.max_tokens)
        writes = getattr(provider, "writes_code", False)
        if self.options.parallel is None:
            self.options.parallel = MODEL_PARALLEL if writes else 1
        self._start_files()  # a bad --start is a usage error before the run exists
        if run_id is None:
            self.run_id = store.create_run(problem.id, provider.name, {"options": options.to_config(), "seeds": self.seeds, **(config or {})})
        else:
            self.run_id = run_id
            store.update_run(run_id, status="running")
        self.cands: list[dict] = []
        self.template: dict[int, str] = {}
        self.lessons: list = []
        self.seq = 0  # proposals issued so far in this run (kept across --resume)
        self.step = 0
        self.judge_lock = asyncio.Lock()
        self.slots: asyncio.Semaphore | None = None  # at most `parallel` model requests open (proposals and distils)
        self.distils: deque = deque()  # (task, child, parent) in take order; recorded in that order
        self.warnings: list[str] = []
        self.rejected = 0
        self.failed = 0
        self.best_at = 0  # len(cands) when the best last improved
        self.last_draft_at = 0
        self.last_crossover_step = -CROSSOVER_EVERY
        self.drafts_planned = False

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
            self.budget.cache_write += m.get("cache_write_tokens") or 0
            self.budget.cache_read += m.get("cache_read_tokens") or 0
        self.seq = max((c.get("seq") or 0 for c in self.cands), default=-1) + 1
        self.step = max((c.get("step") or 0 for c in self.cands), default=0)
        self.best_at = self.last_draft_at = len(self.cands)

    def _decorate(self, c: dict) -> None:
        c["objective"] = self.problem.objective
        if c.get("parent_id") is None:  # a lineage: the starting file's name, or a draft's own id
            start = c.get("method") == "start" and (c.get("note") or "").split(" ")[0]
            self.template[c["id"]] = start or f"c{c['id']}"
        else:
            self.template[c["id"]] = self.template.get(c["parent_id"], f"c{c['parent_id']}")
        c["template"] = self.template[c["id"]]
        if not complete(c):  # raced out: what its mean over every seed would have been (search.node_key)
            ref = self._by_id(c.get("parent_id"))
            while ref is not None and not complete(ref):
                ref = self._by_id(ref.get("parent_id"))
            est = scoring.estimate_mean(self._scores(c), self._scores(ref)) if ref is not None else None
            c["estimate_key"] = None if est is None else scoring.sign(self.problem.objective) * est
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
    def _judge_source(self, source: str, language: str, best: dict, seeds: list[int] | None = None,
                      refs: dict | None = None, cancel=None):
        """Judge a source text on the run's seeds (in a worker thread: it must not touch the store).

        With `refs` (name -> per-seed scores of the parent and the incumbent) and racing on, the
        child is judged in stages and stopped once it is clearly worse or futile (judge.racing)."""
        import tempfile

        from judge import judge
        from judge.racing import RaceRule, race

        suffix = languages.get(language).suffix
        with tempfile.TemporaryDirectory(prefix="ale-cand-") as d:
            path = Path(d) / f"candidate{suffix}"
            path.write_text(source)
            if refs is not None:
                rule = RaceRule(first=self.options.race_first, alpha=self.options.race_alpha,
                                futility=self.options.race_futility, enabled=self.options.racing)
                return race(self.problem, path, seeds or self.seeds, refs, rule, jobs=self.options.jobs,
                            cache_root=self.options.cache_root, best=best, cluster=self.options.cluster, cancel=cancel)
            return judge(self.problem, path, seeds or self.seeds, self.options.jobs, cache_root=self.options.cache_root, best=best,
                         cluster=self.options.cluster, cancel=cancel)

    def _scores(self, c: dict) -> dict:
        """A judged candidate's public scores per seed (None where it failed), for racing against it."""
        if c["id"] not in self.public_scores:
            self.public_scores[c["id"]] = {e["seed"]: (e["score"] if e["verdict"] == "AC" else None)
                                           for e in self.store.evaluations(c["id"], "public")}
        return self.public_scores[c["id"]]

    def _race_refs(self, parent: dict | None) -> dict:
        """What a new candidate races against: its parent and the incumbent best (complete ones only)."""
        refs = {}
        if parent is not None and complete(parent):
            refs["parent"] = self._scores(parent)
        best = self.best()
        if best is not None and complete(best) and best.get("accepted") and (parent is None or best["id"] != parent["id"]):
            refs["best"] = self._scores(best)
        return refs

    async def _judge(self, source: str, language: str, seeds: list[int] | None = None, refs: dict | None = None):
        """One judge at a time (it runs seeds in parallel itself); proposals keep flowing meanwhile."""
        async with self.judge_lock:
            best = self.store.best_scores(self.problem.id)
            t0 = time.monotonic()
            from judge.runner import Cancel

            cancel = Cancel()
            try:
                report = await asyncio.to_thread(self._judge_source, source, language, best, seeds, refs, cancel)
            except asyncio.CancelledError:  # interrupted (Ctrl-C): its cases are killed, not waited for
                cancel.set()
                raise
            self.judging += time.monotonic() - t0
            self.judge_cpu += report.cpu_seconds
        return report

    def _failure_feedback(self, report) -> dict | None:
        """What a debug prompt shows of a judged program: the compiler's message, and per failing
        seed its verdict, the scorer's message, its stderr tail (a traceback), time and input size;
        and, for a child racing stopped early, why (so its author knows the mean covers fewer seeds)."""
        comp = report.compile or {}
        out: dict = {}
        if report.stopped:  # set only when racing skipped seeds
            out["stopped"] = f"{report.stopped}; judged on {len(report.cases)} of {len(report.cases) + len(report.skipped)} seeds"
        if comp and not comp.get("ok", True):
            out["compile"] = {"ok": False, "message": str(comp.get("message") or "")[-3000:]}
        failures = []
        for case in report.cases:
            if case.verdict == "AC" or len(failures) >= 4:
                continue
            f = {"seed": case.seed, "verdict": case.verdict, "message": case.message, "time": case.time,
                 "log": (case.log or "")[-LOG_TAIL:]}
            if case.verdict == "TLE":
                try:
                    text = self.problem.generate(case.seed)
                    first = text.split("\n", 1)[0][:60]
                    f["input"] = f"{len(text):,} bytes, first line `{first}`"
                except Exception:  # noqa: BLE001 - the size is a hint, not worth failing a run over
                    pass
            failures.append(f)
        if failures and "compile" not in out:
            out["failures"] = failures
        return out or None

    async def _add(self, source: str, language: str, parent: dict | None, method: str, note: str,
                   params: dict | None, step: int, shown: list[int], proposal: Proposal | None = None,
                   operator: str = "", seq: int | None = None) -> dict | None:
        h = source_hash(source)
        if self.store.find_candidate_by_hash(self.run_id, h):
            self.events("taboo", {"note": note})
            return None
        self.events("judging", {"note": note, "step": step})
        report = await self._judge(source, language, refs=self._race_refs(parent))
        rk = report.rank_key()
        summary = {"mean": report.mean, "accepted": report.accepted, "failed": report.failed, "rank_key": rk[2] if rk[2] != float("-inf") else None}
        model = proposal.model if proposal else None
        with self.store.transaction():  # the candidate and everything about it land together, or not at all
            cid = self.store.add_candidate(
                self.run_id, source=source, language=language, hash=h, parent_id=parent["id"] if parent else None,
                method=method, note=note, params=params, step=step, public_cases=[c.to_dict() for c in report.cases], summary=summary,
                operator=operator or None, model=model, feedback=self._failure_feedback(report), seq=seq,
            )
            self.store.update_best_scores(self.problem.id, self.problem.objective, report.best_scores())
            if report.stopped:  # raced out: its evaluations hold only the seeds that ran
                from judge.racing import FUTILE

                self.store.flag_candidate(cid, ["raced"] + ([FUTILE] if report.stopped.startswith(FUTILE) else []))
            c = self.store.get_candidate(cid)
            self._decorate(c)
            if proposal:
                for call in proposal.calls:
                    self._record_call(call, cid)
            by_id = {getattr(lesson, "id", None): lesson for lesson in self.lessons}
            # Credit only lessons that speak to this child's language (no numba tip behind a C++ win).
            shown = [i for i in shown if i not in by_id or lessons_mod.applies(by_id[i].tags, language)]
            if shown:
                self.store.link_lessons(cid, shown, "shown")
                if parent is not None:
                    lessons_mod.credit(self.store, shown, won=rank(c) > rank(parent))
        before = self.best()
        self.cands.append(c)
        if before is None or rank(c) > rank(before):
            self.best_at = len(self.cands)
        self.provider.observe(self._observed(c))
        self.events("judged", {"candidate": c, "report": report, "best": self.best()})
        return c

    def _record_call(self, call, candidate_id=None) -> None:
        self.store.add_model_call(self.run_id, candidate_id=candidate_id, **call.record())

    # --- the loop ---------------------------------------------------------------------
    def _out_of_budget(self, pending: int = 0) -> bool:
        """Whether to stop issuing: `pending` proposals in flight count against the candidate budget."""
        if len(self.cands) + pending >= self.options.budget:
            if not pending:
                self.stop_reason = f"candidate budget {self.options.budget} reached"
            return True
        if self.options.time_budget is not None and time.monotonic() - self.started >= self.options.time_budget:
            self.stop_reason = f"time budget {self.options.time_budget:g}s reached"
            return True
        try:
            self.budget.check()
            return False
        except BudgetExceeded as e:
            self.stop_reason = str(e)
        return True

    def _pin(self, source: str) -> str:
        return apply_params(source, self.options.fixed) if self.options.fixed else source

    def _start_files(self) -> list[Path]:
        if not self.options.starts:
            return self.problem.solutions()
        out = []
        for name in self.options.starts:
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
            await self._add(source, language, None, "start", f"{path.name} (starting file)", params, 0, [], operator="start")

    def _select(self, pending: dict[int, int] | None = None) -> dict | None:
        return select(self.cands, getattr(self.provider, "expandable", lambda c: True), self.options.exploration, pending)

    def _can(self, op: str) -> bool:
        """Whether some model can play `op` (a pool only routes roles its members declare)."""
        has_role = getattr(getattr(self.provider, "model", None), "has_role", None)
        return has_role(op) if callable(has_role) else True

    def _choose(self, inflight) -> tuple[dict | None, str, dict | None]:
        """(node, operator, second parent) from the run's state.

        A model is asked for fresh drafts first and when the best has not moved for
        STAGNATION candidates; a failing node gets `debug`; two lineages with accepted
        candidates get a `crossover` every CROSSOVER_EVERY steps; otherwise `improve`.
        The offline drafter only tunes (`improve`)."""
        pending: dict[int, int] = {}
        for j in inflight:
            if j.parent is not None:
                pending[j.parent["id"]] = pending.get(j.parent["id"], 0) + 1
        writes = getattr(self.provider, "writes_code", False)
        if writes and self._can("draft"):
            if not self.drafts_planned and not any(c.get("operator") == "draft" for c in self.cands):
                self.drafts_planned = True  # fresh drafts first, beside the starting files
                return None, "draft", None
            if len(self.cands) - max(self.best_at, self.last_draft_at) >= STAGNATION:
                self.last_draft_at = len(self.cands)
                return None, "draft", None
        if writes and self._can("debug"):
            failing = self._debug_target(pending)
            if failing is not None:
                return failing, "debug", None
        node = self._select(pending)
        if node is None:
            return None, "", None
        if not writes:
            return node, "improve", None
        if not node.get("accepted") and self._can("debug"):
            return node, "debug", None
        if self.step - self.last_crossover_step >= CROSSOVER_EVERY and self._can("crossover"):
            other = self._other_lineage(node)
            if other is not None:
                self.last_crossover_step = self.step
                return node, "crossover", other
        return node, "improve", None

    def _debug_target(self, pending: dict[int, int]) -> dict | None:
        """The newest failing candidate with no children yet, unless its lineage has already been
        debugged MAX_DEBUG_DEPTH times in a row (then the search decides, as for any node)."""
        parents = {c.get("parent_id") for c in self.cands}
        for c in reversed(self.cands):
            if c.get("accepted") or c["id"] in parents or pending.get(c["id"]):
                continue
            depth, node = 0, c
            while node is not None and node.get("operator") == "debug":
                depth, node = depth + 1, self._by_id(node.get("parent_id"))
            if depth < MAX_DEBUG_DEPTH:
                return c
        return None

    def _other_lineage(self, node: dict) -> dict | None:
        """The best accepted candidate of a different lineage (starting file or draft) than `node`."""
        others = [c for c in self.cands if c.get("accepted") and c.get("template") != node.get("template")]
        return max(others, key=rank, default=None)

    def _context(self, parent: dict | None, operator: str = "", other: dict | None = None) -> Context:
        feedback = None
        if parent is not None:
            evals = self.store.evaluations(parent["id"], "public")
            best = self.store.best_scores(self.problem.id)
            cases = []
            for e in evals:
                b = best.get(e["seed"])
                rel = None
                if e["verdict"] == "AC" and b:
                    rel = scoring.relative(e["score"], b, self.problem.objective)
                cases.append({k: e[k] for k in ("seed", "verdict", "score", "time", "message")} | {"relative": rel})
            fb = parent.get("feedback") or {}
            failures = fb.get("failures") or []
            tail = next((f["log"] for f in failures if f.get("log")), "")
            feedback = {"mean": parent.get("public_mean"), "accepted": bool(parent.get("accepted")), "cases": cases,
                        "stderr_tail": tail, "failures": failures, "compile": fb.get("compile"), "stopped": fb.get("stopped")}
        tried = [c.get("note", "") for c in self.cands if parent is not None and c.get("parent_id") == parent["id"]]
        history = [
            {k: c.get(k) for k in ("id", "parent_id", "params", "public_mean", "accepted", "rank_key", "method", "template",
                                   "objective", "verdicts", "failed", "flags", "estimate_key")}
            for c in self.cands
        ]
        approaches = [f"#{c['id']} {(c.get('note') or '')[:160]} (public mean {c.get('public_mean')})"
                      for c in self.cands if c.get("parent_id") is None]
        return Context(
            problem_id=self.problem.id, statement=self.problem.statement, objective=self.problem.objective,
            time_limit=self.problem.time_limit, memory_limit=self.problem.memory_limit, tags=list(self.problem.tags),
            role="refine" if parent else "draft", parent=parent, feedback=feedback, lessons=list(self.lessons),
            tried=tried, history=history, budget=self.budget, fixed=dict(self.options.fixed),
            solutions={p.name: p.read_text(encoding="utf-8") for p in self.problem.solutions()},
            operator=operator or None, other=other, approaches=approaches if operator == "draft" else [],
        )

    def _issue(self, plan: deque, inflight: deque) -> bool:
        """Start one more proposal (planning a new step when the last one is used up)."""
        if not plan:
            node, op, other = self._choose(inflight)
            if not op:
                if not inflight:
                    self.stop_reason = "no candidate can be expanded by this provider"
                return False
            self.step += 1
            self.events("step", {"step": self.step, "node": node or {"id": None, "note": "fresh draft"}, "operator": op})
            plan.extend((node, op, other, self.step) for _ in range(self.options.beam))
        node, op, other, step = plan.popleft()
        ctx = self._context(node, op, other)
        shown = [lesson.id for lesson in self.lessons if getattr(lesson, "id", None)]
        job = Job(self.seq, step, node, op, ctx, shown)
        self.seq += 1
        job.task = asyncio.ensure_future(self._in_slot(self.provider.propose(ctx)))
        inflight.append(job)
        self.events("issued", {"seq": job.seq, "operator": op, "in_flight": len(inflight)})
        return True

    async def _search(self) -> None:
        """Keep up to `parallel` proposals in flight; take them in the order they were issued."""
        plan: deque = deque()
        inflight: deque = deque()
        stalls = 0
        try:
            while True:
                while (len(inflight) < self.options.parallel and not self.stop_reason
                       and not self._out_of_budget(pending=len(inflight))):
                    if not self._issue(plan, inflight):
                        break
                if not inflight:
                    break
                job = inflight.popleft()
                try:
                    prop = await job.task
                except BudgetExceeded as e:
                    self.stop_reason = self.stop_reason or str(e)
                    continue
                except ProviderError as e:  # a key refused mid-run: nothing more can be asked of this model
                    self.stop_reason = f"stopped: {e}"
                    plan.clear()
                    continue
                before = len(self.cands)
                await self._take(prop, job)
                self._flush_distils()
                stalls = stalls + 1 if len(self.cands) == before else 0
                if stalls >= STALL_STEPS * self.options.beam:
                    self.stop_reason = f"{STALL_STEPS} steps in a row produced nothing new to judge"
                why = self._unusable()
                if why:
                    self.stop_reason = why
                    plan.clear()
        finally:
            for job in inflight:  # over budget or interrupted: nothing more is taken
                job.task.cancel()
            if inflight:
                await asyncio.gather(*(j.task for j in inflight), return_exceptions=True)
        while self.distils:
            await asyncio.wait([self.distils[0][0]])
            self._flush_distils()

    async def _in_slot(self, coro):
        """Run one proposal or distil while holding one of the `parallel` request slots."""
        if self.slots is None:
            self.slots = asyncio.Semaphore(self.options.parallel)
        try:
            async with self.slots:
                return await coro
        except asyncio.CancelledError:
            coro.close()  # cancelled while waiting for a slot: never started
            raise

    def _unusable(self) -> str | None:
        model = getattr(self.provider, "model", None)
        usable = getattr(model, "usable", None)
        return usable() if callable(usable) else None

    def _warn(self) -> None:
        model = getattr(self.provider, "model", None)
        drain = getattr(model, "drain_warnings", None)
        for w in drain() if callable(drain) else []:
            self.warnings.append(w)
            self.events("warning", {"message": w})
        members = model.stats() if model is not None else []  # a pool's members; [] for one model
        if members:
            self.events("pool", {"members": members})

    async def _take(self, prop: Proposal, job: Job) -> None:
        parent, step = job.parent, job.step
        self._warn()
        if prop.error or not prop.source:
            for call in prop.calls:
                self._record_call(call)
            self.failed += 1
            if prop.rejected:
                self.rejected += 1
                self.events("rejected", {"error": prop.error, "model": prop.model})
            self.events("failed", {"error": prop.error or "empty proposal", "method": prop.method, "model": prop.model})
            return
        source = self._pin(prop.source)
        params = _params_or_none(source)  # what the judged source really holds (pins included)
        op = job.operator if getattr(self.provider, "writes_code", False) else "improve"
        child = await self._add(source, prop.language, parent, prop.method or "proposal", prop.note, params, step,
                                job.shown, prop, operator=op, seq=job.seq)
        if child is None:
            for call in prop.calls:
                self._record_call(call)
            return
        # Lessons are distilled beside the search (a model call each); recorded in take order.
        ctx = self._context(parent)
        task = asyncio.ensure_future(self._in_slot(
            self.provider.distil(ctx, child, {"mean": child.get("public_mean"), "accepted": child.get("accepted"),
                                              "stopped": (child.get("feedback") or {}).get("stopped")})))
        self.distils.append((task, child))

    def _flush_distils(self) -> None:
        while self.distils and self.distils[0][0].done():
            task, child = self.distils.popleft()
            try:
                learned, calls = task.result()
            except (BudgetExceeded, ProviderError, asyncio.CancelledError):
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
            if self.options.use_lessons:
                lessons_mod.load_packs(self.store, self.options.packs)
                self.lessons = lessons_mod.retrieve(self.store, self.problem.id, list(self.problem.tags), self.options.lesson_chars)
            self.events("start", {"run": self.run_id, "done": len(self.cands), "lessons": len(self.lessons),
                                  "budget": self.budget, "parallel": self.options.parallel})
            self._warn()
            await self._starting_points()
            await self._search()
            self._warn()
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
        """Re-judge the best few accepted candidates on the private seeds (the overfitting check);
        flag `overfit` where the public mean beats the private one by more than the noise measured
        on the seeds (two standard errors of the difference of the two means)."""
        seeds = self.problem.seeds(self.options.private_seeds)
        await self._rejudge_public()
        top = sorted((c for c in self.cands if c.get("accepted") and complete(c)), key=rank, reverse=True)[: self.options.private_top]
        for c in top:
            if self.store.evaluations(c["id"], "private"):
                continue
            self.events("private", {"candidate": c})
            report = await self._judge(c["source"], c["language"], seeds)
            self.store.add_evaluations(c["id"], "private", [x.to_dict() for x in report.cases], mean=report.mean)
            if _overfit(self.store.evaluations(c["id"], "public"), [x.to_dict() for x in report.cases], self.problem.maximize):
                self.store.flag_candidate(c["id"], list(c.get("flags") or []) + ["overfit"])
        self.cands = [self.store.get_candidate(c["id"]) | {k: c[k] for k in ("template", "verdicts", "objective")} for c in self.cands]

    async def _rejudge_public(self) -> None:
        """Noise-aware best: time-bounded searches vary from run to run, so the top few are judged once
        more on the public seeds and ranked on the average of both runs; the spread is the run's noise."""
        top = sorted((c for c in self.cands if c.get("accepted") and complete(c)), key=rank, reverse=True)
        for c in top[: self.options.rejudge_top]:
            flags = list(c.get("flags") or [])
            if self.store.evaluations(c["id"], "rejudge"):  # written with the averaged mean, in one transaction
                continue
            self.events("rejudge", {"candidate": c})
            report = await self._judge(c["source"], c["language"])
            with self.store.transaction():  # the second run and the averaged mean land together
                self.store.add_evaluations(c["id"], "rejudge", [x.to_dict() for x in report.cases])
                if report.accepted:
                    avg = (c["public_mean"] + report.mean) / 2
                    self.store.set_public_mean(c["id"], avg, scoring.sign(self.problem.objective) * avg)
                else:  # a second run that fails is not the best, whatever the first said
                    self.store.set_public_mean(c["id"], c["public_mean"], None)
                    flags.append("unstable")
                self.store.flag_candidate(c["id"], flags)
            c.update(self.store.get_candidate(c["id"]))

    def noise(self) -> dict | None:
        """Run-to-run noise on the re-judged candidates: |mean1 - mean2| / max(|mean1|, |mean2|) over
        the two public runs (read from the store, so a resumed run reports it too)."""
        diffs = []
        for c in self.cands:
            again = self.store.evaluations(c["id"], "rejudge")
            first = self.store.evaluations(c["id"], "public")
            if not again or not first or not all(e["verdict"] == "AC" for e in again + first):
                continue
            m1 = sum(e["score"] for e in first) / len(first)
            m2 = sum(e["score"] for e in again) / len(again)
            if max(abs(m1), abs(m2)) > 0:
                diffs.append(abs(m1 - m2) / max(abs(m1), abs(m2)))
        if not diffs:
            return None
        return {"candidates": len(diffs), "mean_relative_diff": round(sum(diffs) / len(diffs), 6),
                "max_relative_diff": round(max(diffs), 6)}

    def judge_cost(self) -> dict:
        """Judge CPU-seconds and cases run and skipped, per candidate and in total (from the store)."""
        per = {}
        for c in self.cands:
            ev = self.store.evaluations(c["id"], "public")
            per[c["id"]] = {"cpu_seconds": round(sum(e.get("time") or 0.0 for e in ev), 3), "cases_run": len(ev),
                            "cases_skipped": max(0, len(self.seeds) - len(ev))}
        total = {k: sum(p[k] for p in per.values()) for k in ("cpu_seconds", "cases_run", "cases_skipped")}
        total["cpu_seconds"] = round(total["cpu_seconds"], 3)
        total["cpu_seconds_all"] = round(self.judge_cpu, 3)  # this session, re-judges and private seeds included
        total["racing"] = self.options.racing
        total["raced_out"] = sum(1 for c in self.cands if "raced" in (c.get("flags") or []))
        total["futile"] = sum(1 for c in self.cands if "futile" in (c.get("flags") or []))  # of raced_out: futile, not worse
        return {"total": total, "per_candidate": per}

    def summary(self) -> dict:
        best = self.best()
        cost = self.judge_cost()
        starts = [c for c in self.cands if c.get("method") == "start"]
        baseline = next((c for c in starts if c.get("note", "").startswith("baseline.")), starts[0] if starts else None)
        model = getattr(self.provider, "model", None)
        pool = model.stats() if model is not None else []
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
            "parallel": self.options.parallel,
            "cost": round(self.budget.cost, 6),
            "tokens": {"sent": self.budget.tokens_in, "received": self.budget.tokens_out,
                       "cache_write": self.budget.cache_write, "cache_read": self.budget.cache_read},
            "lessons_shown": len(self.lessons),
            "failed_proposals": self.failed,
            "rejected_proposals": self.rejected,
            "pool": pool,
            "warnings": self.warnings,
            "timing": _timing(time.monotonic() - self.started, self.judging, len(self.cands)),
            "judge": cost["total"],
            "noise": self.noise(),
            "candidates": [
                {k: c.get(k) for k in ("id", "parent_id", "step", "method", "operator", "model", "note", "public_mean",
                                       "accepted", "failed", "private_mean")} | {"flags": c.get("flags") or []}
                | cost["per_candidate"].get(c["id"], {})
                for c in self.cands
            ],
        }


def _overfit(public: list[dict], private: list[dict], maximize: bool) -> bool:
    pub = [float(e.get("score") or 0) for e in public]
    priv = [float(e.get("score") or 0) for e in private]
    if len(pub) < 2 or len(priv) < 2:
        return False

    def mean_var(xs):
        m = sum(xs) / len(xs)
        return m, sum((x - m) ** 2 for x in xs) / (len(xs) - 1)

    (mp, vp), (mq, vq) = mean_var(pub), mean_var(priv)
    gap = (mp - mq) if maximize else (mq - mp)
    noise = 2 * math.sqrt(vp / len(pub) + vq / len(priv))
    return gap > noise


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
