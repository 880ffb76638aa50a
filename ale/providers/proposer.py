"""Turn a chat model's answers into proposals and lessons: the same for every model.

A `Proposer` wraps any `ChatModel` (Anthropic, OpenAI-compatible, replay, scripted,
or a pool of them). It owns the prompts of each operator (draft, improve, debug,
crossover), edit parsing, the whole-file retry after an edit that does not apply,
the static guard (a rejected program goes back to its model once, with the reason),
an optional review by a pool member, and lesson distillation.
"""

from __future__ import annotations

from ale import edits, guard, prompts
from ale.providers.base import BudgetExceeded, Context, Proposal, Provider
from ale.providers.model import TRUNCATED, ChatModel, Completion, ModelUnavailable

OPERATORS = ("draft", "improve", "debug", "crossover")


class Proposer(Provider):
    """A Provider backed by a ChatModel. `max_tokens` caps each answer."""

    def __init__(self, model: ChatModel, *, max_tokens: int = 16000, distil_max_tokens: int = 2000,
                 review_max_tokens: int = 1500):
        self.model = model
        self.name = model.kind
        self.max_tokens = max_tokens
        self.distil_max_tokens = distil_max_tokens
        self.review_max_tokens = review_max_tokens

    def __getattr__(self, name):
        # A proposer shows its model's own attributes (a pool's members and warnings, a replay's queue).
        if name == "model":
            raise AttributeError(name)
        return getattr(self.model, name)

    @property
    def label(self) -> str:
        return self.model.label

    async def check(self) -> None:
        await self.model.check()

    async def close(self) -> None:
        await self.model.close()

    def observe(self, candidate: dict) -> None:
        self.model.observe(candidate)

    async def _call(self, ctx: Context, role: str, prompt: prompts.Prompt, max_tokens: int,
                    calls: list[Completion], prefer: str | None = None) -> Completion:
        ctx.budget.check()
        try:
            done = await self.model.complete(prompt, role=role, max_tokens=max_tokens, prefer=prefer)
        except ModelUnavailable as e:
            for c in e.calls:
                ctx.budget.add(c)
                calls.append(c)
            raise
        for c in done.failed_before + [done]:
            ctx.budget.add(c)
            calls.append(c)
        return done

    # proposals

    async def propose(self, ctx: Context) -> Proposal:
        """Never raises for a bad answer or a down model: those are failed proposals."""
        calls: list[Completion] = []
        op = operator_of(ctx)
        try:
            return await self._propose(ctx, op, calls)
        except ModelUnavailable as e:
            why = str(e) if str(e).startswith("all models") else f"model unavailable: {e}"
            return Proposal(None, method=op, error=why, model=_member(calls, self.label),
                            calls=calls, operator=op)

    async def _propose(self, ctx: Context, op: str, calls: list[Completion]) -> Proposal:
        prompt = prompts.for_operator(op, ctx)
        parent_lang = (ctx.parent or {}).get("language") or "py"
        done = await self._call(ctx, op, prompt, self.max_tokens, calls)
        member = done.member
        try:
            proposal = self._to_proposal(done, ctx, op, parent_lang, calls)
        except edits.EditError as e:
            reason = str(e)
            done.error = done.error or reason
            if op == "draft" or isinstance(e, edits.Truncated) or done.error.startswith(TRUNCATED):
                self.model.outcome(done, False, reason)
                return self._failed(reason, op, calls)
            # An edit that did not apply: recorded on the call above; ask once for the whole file.
            prompt = prompts.whole_file_retry(prompt, done.text, reason)
            done, proposal = await self._ask_again(
                ctx, op, prompt, done, reason, member, calls, parent_lang,
                lambda b: self._failed(f"{reason}; no whole-file retry: {b}", op, calls),
                lambda e: self._failed(f"{reason}; whole-file retry failed: {e}", op, calls))
            if proposal.error:
                return proposal
            proposal.method = "whole-retry"
            proposal.note = f"edit failed ({reason}); whole file on retry. {proposal.note}".strip()
        # The guard, then an optional review: a rejected program goes back to its model once, with the reason.
        why = await self._reject_reason(ctx, proposal, calls)
        if why:
            done.error = done.error or f"rejected: {why}"
            done, again = await self._ask_again(
                ctx, op, prompts.rejected_retry(prompt, done.text, why), done, why, member, calls, parent_lang,
                lambda b: self._failed(f"rejected before judging: {why}; no retry: {b}", op, calls, rejected=why),
                lambda e: self._failed(f"rejected before judging: {why}; retry failed: {e}", op, calls, rejected=why))
            if again.error:
                return again
            why2 = await self._reject_reason(ctx, again, calls)
            if why2:
                done.error = done.error or f"rejected: {why2}"
                self.model.outcome(done, False, why2)
                return self._failed(f"rejected before judging: {why2}", op, calls, rejected=why2)
            again.method = "guard-retry"
            again.note = f"rejected ({why}); rewritten. {again.note}".strip()
            proposal = again
        self.model.outcome(done, True)
        proposal.model = done.member or self.label
        return proposal

    async def _ask_again(self, ctx: Context, op: str, retry, done: Completion, why: str, member, calls: list[Completion],
                         parent_lang, no_budget, failed) -> tuple[Completion, Proposal]:
        """One more call for a whole program (after an edit that did not apply, or a rejection): the new
        completion and its proposal, or a failed proposal made by `no_budget(b)` / `failed(e)`."""
        try:
            ctx.budget.check()
        except BudgetExceeded as b:
            self.model.outcome(done, False, why)
            return done, no_budget(b)
        done = await self._call(ctx, op, retry, self.max_tokens, calls, prefer=member)
        try:
            return done, self._to_proposal(done, ctx, op, parent_lang, calls, whole_only=True)
        except edits.EditError as e:
            done.error = done.error or str(e)
            self.model.outcome(done, False, str(e))
            return done, failed(e)

    async def _reject_reason(self, ctx: Context, proposal: Proposal, calls: list[Completion]) -> str | None:
        found = guard.check(proposal.source or "", proposal.language)
        if found:
            return "; ".join(found)
        if not self.model.has_role("review"):
            return None
        try:
            ctx.budget.check()
            done = await self._call(ctx, "review", prompts.review(ctx, proposal.source or "", proposal.language),
                                    self.review_max_tokens, calls)
        except (BudgetExceeded, ModelUnavailable):
            return None  # no review is not a reason to reject
        verdict = prompts.parse_review(done.text)
        if verdict:
            done.error = f"review rejected: {verdict}"
            return f"review: {verdict}"
        return None

    def _to_proposal(self, done: Completion, ctx: Context, op: str, parent_lang: str,
                     calls: list[Completion], whole_only: bool = False) -> Proposal:
        if done.error and done.error.startswith(TRUNCATED):
            raise edits.Truncated(done.error)
        answer = edits.parse_answer(done.text, default_language=parent_lang)
        note = _summary(done.text)
        if answer.kind == "edit":
            if whole_only:
                raise edits.EditError("edit blocks again where a whole file was asked for")
            if op == "draft" or not ctx.parent:
                raise edits.EditError("edit blocks in a draft, which has no parent to edit")
            source = edits.apply_edits(ctx.parent["source"], answer.edits)
            return Proposal(source, language=parent_lang, method="edit", note=note, model=done.member or self.label,
                            calls=calls, operator=op)
        language = answer.language or parent_lang
        return Proposal(answer.source, language=language, method="draft" if op == "draft" else "whole",
                        note=note, model=done.member or self.label, calls=calls, operator=op)

    def _failed(self, reason: str, op: str, calls: list[Completion], rejected: str | None = None) -> Proposal:
        return Proposal(None, method=op, error=reason, model=_member(calls, self.label), calls=calls, operator=op,
                        rejected=rejected)

    # lessons

    async def distil(self, ctx: Context, child: dict, child_feedback: dict) -> tuple[list, list[Completion]]:
        calls: list[Completion] = []
        try:
            return await self._distil(ctx, child, child_feedback, calls)
        except ModelUnavailable:
            return [], calls

    async def _distil(self, ctx: Context, child: dict, child_feedback: dict,
                      calls: list[Completion]) -> tuple[list, list[Completion]]:
        """Lessons as Lesson objects; invalid JSON is retried once, then dropped (noted on the call)."""
        prompt = prompts.distil(ctx, child, child_feedback)
        member = None
        for attempt in range(2):
            done = await self._call(ctx, "distil", prompt, self.distil_max_tokens, calls, prefer=member)
            member = done.member
            try:
                if done.error and done.error.startswith(TRUNCATED):
                    raise ValueError(done.error)
                items = prompts.parse_lessons(done.text)
                self.model.outcome(done, True)
                return [self._lesson(ctx, child, child_feedback, item, done.member) for item in items], calls
            except ValueError as e:
                done.error = done.error or f"invalid lessons: {e}"
                if attempt == 1:
                    done.error += "; dropped after one retry"
                    self.model.outcome(done, False, done.error)
                    return [], calls
                try:
                    ctx.budget.check()
                except BudgetExceeded:
                    done.error += "; dropped (budget)"
                    return [], calls
                prompt = prompts.distil_retry(prompt, done.text, str(e))
        return [], calls

    def _lesson(self, ctx: Context, child: dict, child_feedback: dict, item: dict, member: str = ""):
        from ale.lessons import Lesson

        parent = ctx.parent or {}
        tags = item["tags"] or list(ctx.tags)
        scope = item["scope"] if (item["scope"] != "tags" or tags) else "problem"
        before, after = parent.get("public_mean"), (child_feedback or {}).get("mean", child.get("public_mean"))
        evidence = {"parent": parent.get("id"), "candidates": [child.get("id")], "model": member or self.label}
        if isinstance(before, (int, float)) and isinstance(after, (int, float)):
            evidence["score_change"] = after - before
        return Lesson(kind=item["kind"], text=item["text"], scope=scope, problem=ctx.problem_id,
                      tags=tags, evidence=evidence, confidence=item["confidence"], source="run")


def operator_of(ctx: Context) -> str:
    """The operator a context asks for; a parent without source can only be drafted from scratch."""
    op = ctx.operator or ("improve" if ctx.role != "draft" else "draft")
    if op == "refine":
        op = "improve"
    if op != "draft" and not (ctx.parent and ctx.parent.get("source")):
        return "draft"
    if op == "crossover" and not (ctx.other and ctx.other.get("source")):
        return "improve"
    return op


def _member(calls: list[Completion], default: str) -> str:
    return next((c.member for c in reversed(calls) if c.member), default)


def _summary(text: str) -> str:
    """The model's one-line explanation before its code, kept as the proposal's note."""
    head = text.split("```", 1)[0].split("<<<<<<<", 1)[0].strip()
    return " ".join(head.split())[:300]
