"""Claude through the official SDK, with prompt caching on the stable prefix.

The statement, guidance and lessons are the same for every call on a problem, so
they are sent as system blocks marked `cache_control: ephemeral`: after the first
call they are read from the cache at a tenth of the input price.
"""

from __future__ import annotations

import time

from ale.keys import get_key
from ale.providers.base import ProviderError
from ale.providers.model import TRUNCATED, UNAVAILABLE, ChatModel, Completion, ModelUnavailable, price_cost

DEFAULT_MODEL = "claude-sonnet-4-6"


class AnthropicModel(ChatModel):
    """Messages API via `anthropic.AsyncAnthropic` (imported lazily: it takes about a second).

    `prices` is ale.yaml's table (per million tokens: input, output, cache_write,
    cache_read); `max_retries` is the SDK's own retry count on 429/5xx/529 and
    connection errors, after which the call raises ModelUnavailable for the pool.
    `http_client` (an httpx2.AsyncClient) lets tests use a mock transport;
    `prompt_cache=False` sends no cache_control (to measure what caching saves).
    """

    kind = "anthropic"

    def __init__(self, model: str = DEFAULT_MODEL, *, key_env: str = "ANTHROPIC_API_KEY",
                 api_key: str | None = None, prices: dict | None = None, max_retries: int = 3,
                 timeout: float | None = None, http_client=None, base_url: str | None = None,
                 prompt_cache: bool = True, label: str | None = None):
        super().__init__(model, label=label)
        self.key_env = key_env
        self.api_key = api_key if api_key is not None else get_key(key_env)
        if not self.api_key:
            raise ProviderError(f"no Anthropic key: set {key_env} or run `ale keys set {key_env}`")
        self.prices = prices or {}
        self.max_retries, self.timeout, self.http_client, self.base_url = max_retries, timeout, http_client, base_url
        self.prompt_cache = prompt_cache
        self._client = None

    def client(self):
        if self._client is None:
            import anthropic

            kw = {"api_key": self.api_key, "max_retries": self.max_retries}
            if self.http_client is not None:
                kw["http_client"] = self.http_client
            if self.timeout is not None:
                kw["timeout"] = self.timeout
            if self.base_url:
                kw["base_url"] = self.base_url
            self._client = anthropic.AsyncAnthropic(**kw)
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def check(self) -> None:
        """List one model: cheap, and a bad key fails here, before the run starts."""
        import anthropic

        try:
            await self.client().models.list(limit=1)
        except (anthropic.AuthenticationError, anthropic.PermissionDeniedError) as e:
            raise ProviderError(f"Anthropic rejected the key in {self.key_env}: {_message(e)}") from None
        except anthropic.APIError as e:
            raise ProviderError(f"cannot reach the Anthropic API: {_message(e)}") from None

    def system_param(self, system: list[tuple[str, bool]]) -> list[dict]:
        """Text blocks; each cacheable block ends a cached prefix (at most 4 breakpoints)."""
        blocks, marks = [], 0
        for text, cacheable in system:
            block = {"type": "text", "text": text}
            if cacheable and self.prompt_cache and marks < 4:
                block["cache_control"] = {"type": "ephemeral"}
                marks += 1
            blocks.append(block)
        return blocks

    async def complete(self, prompt, *, role: str, max_tokens: int, prefer: str | None = None) -> Completion:
        import anthropic

        request = {"model": self.model, "max_tokens": max_tokens, "system": self.system_param(prompt.system),
                   "messages": prompt.messages}
        record = prompt.to_json()
        start = time.monotonic()
        try:
            resp = await self.client().messages.create(**request)
        except (anthropic.AuthenticationError, anthropic.PermissionDeniedError) as e:
            raise ProviderError(f"Anthropic rejected the key in {self.key_env}: {_message(e)}") from None
        except anthropic.APIError as e:
            status = getattr(e, "status_code", None)
            what = f"HTTP {status}: {_message(e)}" if status else f"{type(e).__name__}: {_message(e)}"
            call = Completion(self.kind, self.model, role, record, "", latency=time.monotonic() - start,
                              error=f"{UNAVAILABLE}: {what}", member=self.label)
            raise ModelUnavailable(f"{self.label}: {what}", [call]) from None
        text = "".join(getattr(b, "text", "") for b in resp.content if getattr(b, "type", "") == "text")
        u = resp.usage
        tin, tout = u.input_tokens or 0, u.output_tokens or 0
        cw, cr = u.cache_creation_input_tokens or 0, u.cache_read_input_tokens or 0
        call = Completion(self.kind, self.model, role, record, text, input_tokens=tin, output_tokens=tout,
                          cache_write_tokens=cw, cache_read_tokens=cr,
                          cost=price_cost(self.prices, self.model, tin, tout, cw, cr),
                          latency=time.monotonic() - start, member=self.label)
        if resp.stop_reason == "max_tokens":
            call.error = f"{TRUNCATED} (stop_reason max_tokens)"
        return call


def _message(e: Exception) -> str:
    body = getattr(e, "body", None)
    if isinstance(body, dict):
        err = body.get("error")
        if isinstance(err, dict) and err.get("message"):
            return str(err["message"])
    return str(e).splitlines()[0][:200] if str(e) else type(e).__name__
