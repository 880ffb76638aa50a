"""A model whose answers a test or benchmark scripts: a function of the prompt, with a latency.

No network and no key; it exercises exactly the Proposer and loop code a real model does.
"""

from __future__ import annotations

import asyncio
import time
from typing import Callable

from ale.providers.model import UNAVAILABLE, ChatModel, Completion, ModelUnavailable


class ScriptedModel(ChatModel):
    """`answer(prompt, role)` returns the text (or raises ModelUnavailable); `latency` seconds per call.

    `open_now` and `most_open` count calls in flight, to show concurrency.
    """

    kind = "scripted"

    def __init__(self, answer: Callable, *, model: str = "scripted", latency: float = 0.0, label: str | None = None):
        super().__init__(model, label=label)
        self.answer, self.latency = answer, latency
        self.open_now = self.most_open = self.calls = 0

    async def complete(self, prompt, *, role: str, max_tokens: int, prefer: str | None = None) -> Completion:
        self.calls += 1
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        start = time.monotonic()
        try:
            if self.latency:
                await asyncio.sleep(self.latency)
            try:
                text = self.answer(prompt, role)
            except ModelUnavailable as e:
                call = Completion(self.kind, self.model, role, prompt.to_json(), "", latency=time.monotonic() - start,
                                  error=f"{UNAVAILABLE}: {e}", member=self.label)
                raise ModelUnavailable(f"{self.label}: {e}", [call]) from None
        finally:
            self.open_now -= 1
        record = prompt.to_json()
        return Completion(self.kind, self.model, role, record, text, input_tokens=len(record) // 4,
                          output_tokens=len(text) // 4, latency=time.monotonic() - start, member=self.label)
