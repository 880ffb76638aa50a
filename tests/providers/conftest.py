"""A scripted OpenAI-compatible server on loopback, and Context builders.

The server runs in its own thread and event loop, so tests (and the CLI under
test, which calls asyncio.run itself) talk to it over real HTTP.
"""

from __future__ import annotations

import asyncio
import json
import threading

import pytest
from aiohttp import web

from ale.providers.base import Budget, Context

STATEMENT = "Place N booths in a hall. Input: N then N lines. Output: N lines of coordinates."

BASELINE = """\
import sys


def main():
    data = sys.stdin.buffer.read().split()
    n = int(data[0])
    for i in range(n):
        print(0, 0)


main()
"""


def reply(content: str = "", *, status: int = 200, finish: str = "stop", prompt_tokens: int = 1200,
          completion_tokens: int = 300, cached: int = 0, headers: dict | None = None, delay: float = 0.0) -> dict:
    """One scripted answer of the fake server; `delay` seconds of latency before it is sent."""
    return {"content": content, "status": status, "finish": finish, "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens, "cached": cached, "headers": headers or {}, "delay": delay}


class ChatServer:
    """Answers /v1/chat/completions from per-model scripts; `default[model]` once a script runs out.

    An answer is a `reply(...)` dict, or a callable taking the request body and returning one.
    `open_now` / `most_open` count requests in flight (latency makes them overlap).
    """

    def __init__(self):
        self.scripts: dict[str, list[dict]] = {}
        self.default: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.key: str | None = None  # when set, other bearer tokens get 401
        self.open_now = self.most_open = 0
        self.loop = asyncio.new_event_loop()
        self.port = None
        self._ready = threading.Event()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        self._ready.wait(10)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, model: str, *answers: dict) -> None:
        self.scripts.setdefault(model, []).extend(answers)

    def _serve(self):
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", self._models)
        self.runner = web.AppRunner(app)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = site._server.sockets[0].getsockname()[1]
        self._ready.set()
        self.loop.run_forever()

    def _authorised(self, request) -> bool:
        return self.key is None or request.headers.get("Authorization") == f"Bearer {self.key}"

    async def _models(self, request):
        if not self._authorised(request):
            return web.json_response({"error": {"message": "invalid api key"}}, status=401)
        return web.json_response({"data": [{"id": m} for m in self.scripts]})

    async def _chat(self, request):
        self.open_now += 1
        self.most_open = max(self.most_open, self.open_now)
        try:
            return await self._answer(request)
        finally:
            self.open_now -= 1

    async def _answer(self, request):
        body = await request.json()
        self.requests.append(body)
        if not self._authorised(request):
            return web.json_response({"error": {"message": "invalid api key"}}, status=401)
        model = body.get("model")
        queue = self.scripts.get(model, [])
        answer = queue.pop(0) if queue else self.default.get(model)
        if callable(answer):
            answer = answer(body)
        if answer is None:
            return web.json_response({"error": {"message": f"nothing scripted for {model}"}}, status=500)
        if answer.get("delay"):
            await asyncio.sleep(answer["delay"])
        if answer["status"] != 200:
            return web.json_response({"error": {"message": "scripted failure"}}, status=answer["status"],
                                     headers=answer["headers"])
        usage = {"prompt_tokens": answer["prompt_tokens"], "completion_tokens": answer["completion_tokens"],
                 "total_tokens": answer["prompt_tokens"] + answer["completion_tokens"]}
        if answer["cached"]:
            usage["prompt_tokens_details"] = {"cached_tokens": answer["cached"]}
        return web.json_response({
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer["content"]},
                         "finish_reason": answer["finish"]}],
            "usage": usage,
        }, headers=answer["headers"])

    def close(self):
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def server():
    s = ChatServer()
    yield s
    s.close()


def make_ctx(role: str = "draft", parent_source: str | None = None, budget: Budget | None = None, **kw) -> Context:
    parent = feedback = None
    if parent_source is not None:
        parent = {"id": 1, "source": parent_source, "language": "py", "public_mean": 100.0, "accepted": True}
        feedback = {"mean": 100.0, "accepted": True, "stderr_tail": "iters=1000",
                    "cases": [{"seed": s, "verdict": "AC", "score": 90 + 5 * s, "time": 0.4, "message": "",
                               "relative": 0.5 + 0.1 * s} for s in range(3)]}
    return Context(problem_id="rect-pack", statement=STATEMENT, objective="maximize", time_limit=2.0,
                   memory_limit=1024, tags=["packing"], role=role, parent=parent, feedback=feedback,
                   budget=budget or Budget(), **kw)


def fenced(source: str, lang: str = "python") -> str:
    return f"Here is the program.\n\n```{lang}\n{source}```\n"


def lessons_json(*items: dict) -> str:
    return json.dumps(list(items))


def run(p, coro_fn):
    """Run one provider call in a fresh loop and close the provider's session after it."""

    async def go():
        try:
            return await coro_fn()
        finally:
            await p.close()

    return asyncio.run(go())
