"""Any OpenAI-compatible chat-completions endpoint (vLLM, llama.cpp, ollama, gateways) over aiohttp.

This is how people run fully local models, so the key is optional and the only
assumption is the `/chat/completions` request and response shape.
"""

from __future__ import annotations

import asyncio
import json
import random
import time

import aiohttp

from ale.keys import get_key
from ale.providers.base import ProviderError
from ale.providers.model import TRUNCATED, UNAVAILABLE, ChatModel, Completion, ModelUnavailable, price_cost

RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504, 529}


class OpenAIModel(ChatModel):
    """Chat completions at `base_url` (…/v1).

    `retries` extra attempts on 429/5xx/timeouts/resets, waiting `backoff` * 2**n
    seconds (capped by `max_backoff`; a Retry-After header wins, also capped) before
    ModelUnavailable. `timeout` is per request, in seconds.
    """

    kind = "openai"

    def __init__(self, model: str, base_url: str = "http://127.0.0.1:8000/v1", *,
                 key_env: str | None = "OPENAI_API_KEY", api_key: str | None = None,
                 prices: dict | None = None, retries: int = 4, backoff: float = 0.5,
                 max_backoff: float = 20.0, timeout: float = 600.0, label: str | None = None):
        super().__init__(model, label=label)
        self.base_url = base_url.rstrip("/")
        self.key_env = key_env
        self.api_key = api_key if api_key is not None else (get_key(key_env) if key_env else None)
        self.prices = prices or {}
        self.retries, self.backoff, self.max_backoff, self.timeout = retries, backoff, max_backoff, timeout
        self._session: aiohttp.ClientSession | None = None
        self._loop = None

    def _headers(self) -> dict:
        h = {"Content-Type": "application/json"}
        if self.api_key:
            h["Authorization"] = f"Bearer {self.api_key}"
        return h

    def _client(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
            self._loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None

    def _auth_error(self, status: int, body: str) -> ProviderError:
        where = f"the {self.key_env} key" if self.api_key else f"no key ({self.key_env or 'none'} unset)"
        return ProviderError(f"{self.base_url} refused {where} for model {self.model} (HTTP {status}): {body[:120]}".strip())

    async def check(self) -> None:
        """One GET /models: a bad key or an unreachable server is a one-line ProviderError."""
        try:
            async with self._client().get(f"{self.base_url}/models", headers=self._headers(),
                                          timeout=aiohttp.ClientTimeout(total=min(self.timeout, 30))) as r:
                if r.status in (401, 403):
                    raise self._auth_error(r.status, await r.text())
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            raise ProviderError(f"cannot reach {self.base_url}: {e or type(e).__name__}") from None

    async def complete(self, prompt, *, role: str, max_tokens: int, prefer: str | None = None) -> Completion:
        sys_text = "\n\n".join(text for text, _ in prompt.system)
        body = {"model": self.model, "max_tokens": max_tokens,
                "messages": [{"role": "system", "content": sys_text}, *prompt.messages]}
        record = prompt.to_json()
        start = time.monotonic()
        last = ""
        for attempt in range(self.retries + 1):
            wait = None
            try:
                async with self._client().post(f"{self.base_url}/chat/completions", json=body,
                                               headers=self._headers()) as r:
                    text = await r.text()
                    if r.status in (401, 403):
                        raise self._auth_error(r.status, text)
                    if r.status == 200:
                        return self._parse(text, role, record, time.monotonic() - start)
                    last = f"HTTP {r.status}: {text[:200]}"
                    if r.status not in RETRY_STATUS:
                        break
                    wait = _retry_after(r.headers)
            except (aiohttp.ClientError, asyncio.TimeoutError, ConnectionError) as e:
                last = f"{type(e).__name__}: {e}"
            if attempt < self.retries:
                delay = self.backoff * (2 ** attempt) * (0.75 + 0.25 * random.random())
                await asyncio.sleep(min(wait if wait is not None else delay, self.max_backoff))
        call = Completion(self.kind, self.model, role, record, "", latency=time.monotonic() - start,
                          error=f"{UNAVAILABLE}: {last}", member=self.label)
        raise ModelUnavailable(f"{self.label}: {last}", [call])

    def _parse(self, text: str, role: str, prompt: str, latency: float) -> Completion:
        try:
            data = json.loads(text)
            choice = data["choices"][0]
            content = choice.get("message", {}).get("content") or ""
        except (ValueError, KeyError, IndexError, TypeError, AttributeError):
            call = Completion(self.kind, self.model, role, prompt, text[:2000], latency=latency,
                              error=f"{UNAVAILABLE}: malformed chat completion", member=self.label)
            raise ModelUnavailable(f"{self.label}: malformed chat completion", [call]) from None
        usage = data.get("usage") or {}
        cached = int(((usage.get("prompt_tokens_details") or {}).get("cached_tokens")) or 0)
        tokens_in = max(int(usage.get("prompt_tokens") or 0) - cached, 0)
        tokens_out = int(usage.get("completion_tokens") or 0)
        call = Completion(self.kind, self.model, role, prompt, content,
                          input_tokens=tokens_in, output_tokens=tokens_out, cache_read_tokens=cached,
                          cost=price_cost(self.prices, self.model, tokens_in, tokens_out, 0, cached),
                          latency=latency, member=self.label)
        if choice.get("finish_reason") == "length":
            call.error = f"{TRUNCATED} (finish_reason length at max_tokens)"
        return call


def _retry_after(headers) -> float | None:
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is not None:
            try:
                return max(float(value) / scale, 0.0)
            except ValueError:
                pass
    return None
