"""What every chat model shares: build the prompt, make one call, turn the answer into a Proposal.

Subclasses (anthropic, openai, replay) only implement `_complete`: one request,
one answer. Everything else, including budgets, the whole-file retry after a
failed edit and lesson validation, lives here once so every model behaves alike.
"""

from __future__ import annotations

from ale import edits, prompts
from ale.providers.base import BudgetExceeded, Context, ModelCall, Proposal, Provider

TRUNCATED = "truncated"  # prefix of ModelCall.error when the model stopped at max_tokens


class ModelUnavailable(Exception):
    """A call failed after retries (rate limit, 5xx, timeout, reset): the pool benches the model.

    `call` is the ModelCall recording the failure, kept so the store sees it.
    """

    def __init__(self, message: str, call: ModelCall | None = None):
        super().__init__(message)
        self.call = call


def price_cost(prices: dict | None, model: str, input_tokens: int, output_tokens: int,
               cache_write: int = 0, cache_read: int = 0) -> float:
    """Dollars for one call from a per-million-token table (ale.yaml `prices:`).

    The longest table key that prefixes the model name wins, so `claude-sonnet-4-5`
    prices `claude-sonnet-4-5-20250929`. An unknown model costs 0.
    """
    table = prices or {}
    keys = [k for k in table if model == k or model.startswith(k)]
    if not keys:
        return 0.0
    p = table[max(keys, key=len)]
    inp = float(p.get("input", 0.0))
    return (input_tokens * inp + output_tokens * float(p.get("output", 0.0))
            + cache_write * float(p.get("cache_write", inp)) + cache_read * float(p.get("cache_read", inp))) / 1e6


class ChatProvider(Provider):
    """A Provider backed by a chat model; subclasses implement `_complete`.

    `label` names the model in proposals (a pool member's name); `max_tokens` caps
    each answer.
    """

    name = "chat"

    def __init__(self, model: str, *, label: str | None = None, max_tokens: int = 16000,
                 distil_max_tokens: int = 2000):
        self.model = model
        self.label = label or model
        self.max_tokens = max_tokens
        self.distil_max_tokens = distil_max_tokens

    async def _complete(self, role: str, system: list[tuple[str, bool]], messages: list[dict],
                        max_tokens: int) -> tuple[str, ModelCall]:
        """One request; returns the text and its ModelCall (error starts with 'truncated' if cut off).

        Raises ModelUnavailable when the model cannot answer after retries,
        ProviderError when it never will (bad key).
        """
        raise NotImplementedError

    async def check(self) -> None:
        """Raise ProviderError if the model cannot be used at all (bad key, unreachable)."""

    async def _call(self, ctx: Context, role: str, prompt: prompts.Prompt, max_tokens: int,
                    calls: list[ModelCall]) -> str:
        ctx.budget.check()
        try:
            text, call = await self._complete(role, prompt.system, prompt.messages, max_tokens)
        except ModelUnavailable as e:
            if e.call is not None:
                ctx.budget.add(e.call)
                calls.append(e.call)
            raise
        ctx.budget.add(call)
        calls.append(call)
        return text

    # proposals

    async def propose(self, ctx: Context) -> Proposal:
        """Never raises for a bad answer or a down model: those are failed proposals."""
        calls: list[ModelCall] = []
        try:
            return await self._propose(ctx, calls)
        except ModelUnavailable as e:
            return Proposal(None, method=ctx.role, error=f"model unavailable: {e}", model=self.label, calls=calls)

    async def _propose(self, ctx: Context, calls: list[ModelCall]) -> Proposal:
        """Like propose, but lets ModelUnavailable through (the pool tries another model)."""
        refine = ctx.role != "draft" and ctx.parent is not None and ctx.parent.get("source")
        prompt = prompts.refine(ctx) if refine else prompts.draft(ctx)
        role = "refine" if refine else "draft"
        parent_lang = (ctx.parent or {}).get("language") or "py"
        text = await self._call(ctx, role, prompt, self.max_tokens, calls)
        try:
            return self._to_proposal(text, calls[-1], ctx, role, parent_lang, calls)
        except edits.EditError as e:
            reason = str(e)
            calls[-1].error = calls[-1].error or reason
            if not refine or isinstance(e, edits.Truncated) or calls[-1].error.startswith(TRUNCATED):
                return self._failed(reason, role, calls)
        # An edit that did not apply: recorded on the call above; ask once for the whole file.
        try:
            ctx.budget.check()
        except BudgetExceeded as e:
            return self._failed(f"{reason}; no whole-file retry: {e}", role, calls)
        retry = prompts.whole_file_retry(prompt, text, reason)
        text = await self._call(ctx, role, retry, self.max_tokens, calls)
        try:
            proposal = self._to_proposal(text, calls[-1], ctx, role, parent_lang, calls, whole_only=True)
        except edits.EditError as e:
            calls[-1].error = calls[-1].error or str(e)
            return self._failed(f"{reason}; whole-file retry failed: {e}", role, calls)
        proposal.method = "whole-retry"
        proposal.note = f"edit failed ({reason}); whole file on retry. {proposal.note}".strip()
        return proposal

    def _to_proposal(self, text: str, call: ModelCall, ctx: Context, role: str, parent_lang: str,
                     calls: list[ModelCall], whole_only: bool = False) -> Proposal:
        if call.error and call.error.startswith(TRUNCATED):
            raise edits.Truncated(call.error)
        answer = edits.parse_answer(text, default_language=parent_lang)
        note = _summary(text)
        if answer.kind == "edit":
            if whole_only:
                raise edits.EditError("edit blocks again where a whole file was asked for")
            if role == "draft":
                raise edits.EditError("edit blocks in a draft, which has no parent to edit")
            source = edits.apply_edits(ctx.parent["source"], answer.edits)
            return Proposal(source, language=parent_lang, method="edit", note=note, model=self.label, calls=calls)
        language = answer.language or parent_lang
        return Proposal(answer.source, language=language, method=role if role == "draft" else "whole",
                        note=note, model=self.label, calls=calls)

    def _failed(self, reason: str, role: str, calls: list[ModelCall]) -> Proposal:
        return Proposal(None, method=role, error=reason, model=self.label, calls=calls)

    # lessons

    async def distil(self, ctx: Context, child: dict, child_feedback: dict) -> tuple[list, list[ModelCall]]:
        calls: list[ModelCall] = []
        try:
            return await self._distil(ctx, child, child_feedback, calls)
        except ModelUnavailable:
            return [], calls

    async def _distil(self, ctx: Context, child: dict, child_feedback: dict,
                      calls: list[ModelCall]) -> tuple[list, list[ModelCall]]:
        """Lessons as Lesson objects; invalid JSON is retried once, then dropped (noted on the call)."""
        prompt = prompts.distil(ctx, child, child_feedback)
        for attempt in range(2):
            text = await self._call(ctx, "distil", prompt, self.distil_max_tokens, calls)
            try:
                if calls[-1].error and calls[-1].error.startswith(TRUNCATED):
                    raise ValueError(calls[-1].error)
                items = prompts.parse_lessons(text)
                return [self._lesson(ctx, child, child_feedback, item) for item in items], calls
            except ValueError as e:
                calls[-1].error = calls[-1].error or f"invalid lessons: {e}"
                if attempt == 1:
                    calls[-1].error += "; dropped after one retry"
                    return [], calls
                try:
                    ctx.budget.check()
                except BudgetExceeded:
                    calls[-1].error += "; dropped (budget)"
                    return [], calls
                prompt = prompts.distil_retry(prompt, text, str(e))
        return [], calls

    def _lesson(self, ctx: Context, child: dict, child_feedback: dict, item: dict):
        from ale.lessons import Lesson  # lazily: written alongside this module

        parent = ctx.parent or {}
        tags = item["tags"] or list(ctx.tags)
        scope = item["scope"] if (item["scope"] != "tags" or tags) else "problem"
        before, after = parent.get("public_mean"), (child_feedback or {}).get("mean", child.get("public_mean"))
        evidence = {"parent": parent.get("id"), "candidates": [child.get("id")], "model": self.label}
        if isinstance(before, (int, float)) and isinstance(after, (int, float)):
            evidence["score_change"] = after - before
        return Lesson(kind=item["kind"], text=item["text"], scope=scope, problem=ctx.problem_id,
                      tags=tags, evidence=evidence, confidence=item["confidence"], source="run")


def _summary(text: str) -> str:
    """The model's one-line explanation before its code, kept as the proposal's note."""
    head = text.split("```", 1)[0].split("<<<<<<<", 1)[0].strip()
    return " ".join(head.split())[:300]
