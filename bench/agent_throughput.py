"""Agent throughput: proposals in flight while candidates are judged (`ale solve --parallel`).

A scripted OpenAI-protocol model on loopback answers every call after LATENCY seconds and
breaks 30% of the programs it writes (they raise before printing). `ale solve` runs
on a shipped problem until 24 model-written candidates are judged, once with `--parallel 1`
and once with `--parallel 4`, in the same invocation; then once more with an instant model
and `--parallel 1`, to measure the loop's own cost per candidate (proposing over HTTP,
parsing, the guard, store writes, lessons; not the judge, not the model's latency).

    python bench/agent_throughput.py                    # the table (about 2-3 minutes)
    python bench/agent_throughput.py --latency 1 --candidates 8   # a quick look

Target (issue 11): wall(--parallel 4) / wall(--parallel 1) <= 0.40.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from aiohttp import web

ROOT = Path(__file__).resolve().parent.parent
PROBLEM, START, SEEDS = "job-shop", "baseline.py", "0-3"
BROKEN_EVERY = (3, 6, 9)  # of every 10 programs written: 30% raise before printing


class Model:
    """An OpenAI-compatible chat server on 127.0.0.1 in its own thread; every answer waits `latency`."""

    def __init__(self, latency: float):
        self.latency = latency
        self.base = (ROOT / "problems" / PROBLEM / "solutions" / START).read_text()
        self.n = 0
        self.open = self.most_open = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()
        threading.Thread(target=self._serve, args=(ready,), daemon=True).start()
        ready.wait(10)

    def _serve(self, ready):
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        app.router.add_get("/v1/models", lambda r: web.json_response({"data": [{"id": "bench"}]}))
        runner = web.AppRunner(app)
        self.loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/v1"
        ready.set()
        self.loop.run_forever()

    def program(self) -> str:
        self.n += 1
        src = self.base + f"\n# variant {self.n}\n"
        if self.n % 10 in BROKEN_EVERY:
            src = "raise RuntimeError('broken by the scripted model')\n" + src
        return f"A variant.\n\n```python\n{src}```\n"

    async def _chat(self, request):
        body = await request.json()
        self.open += 1
        self.most_open = max(self.most_open, self.open)
        try:
            await asyncio.sleep(self.latency)
        finally:
            self.open -= 1
        user = body["messages"][-1]["content"]
        text = "[]" if "Return the lessons" in user else self.program()
        return web.json_response({"choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                                               "finish_reason": "stop"}],
                                  "usage": {"prompt_tokens": 1000, "completion_tokens": 300}})


def solve(model: Model, parallel: int, candidates: int, db: Path) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "ale.cli", "solve", PROBLEM, "--provider", "openai", "--base-url", model.url,
           "--model", "bench", "--key-env", "", "--start", START, "--seeds", SEEDS, "--budget", str(candidates + 1),
           "--beam", "4", "--parallel", str(parallel), "--private-top", "0", "--no-lessons", "--db", str(db), "--json"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.monotonic()
    r = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    wall = time.monotonic() - t0
    if r.returncode not in (0, 1):
        raise SystemExit(f"solve failed ({r.returncode}): {r.stderr[-2000:]}")
    return wall, json.loads(r.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--latency", type=float, default=3.0, help="seconds before each model answer")
    ap.add_argument("--candidates", type=int, default=24, help="model-written candidates per run")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="ale-bench-") as d:
        for parallel, latency in ((1, args.latency), (4, args.latency), (1, 0.0)):
            model = Model(latency)
            wall, doc = solve(model, parallel, args.candidates, Path(d) / f"p{parallel}-{latency}.db")
            t = doc["timing"]
            n = len(doc["candidates"])
            failed = sum(1 for c in doc["candidates"] if not c["accepted"])
            rows.append({"parallel": parallel, "latency": latency, "wall": wall, "candidates": n, "failing": failed,
                         "judging": t["judging"], "judge_share": t["judging"] / t["wall"] if t["wall"] else None,
                         "loop_per_candidate": t["loop_per_candidate"], "most_open": model.most_open})
            print(f"--parallel {parallel}, latency {latency:g} s: {wall:.1f} s", file=sys.stderr)
    p1, p4, instant = rows
    ratio = p4["wall"] / p1["wall"]
    print("| run | model latency | wall s | candidates (failing) | judging s | judge share | most requests open |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| --parallel {r['parallel']} | {r['latency']:g} s | {r['wall']:.1f} | {r['candidates']} ({r['failing']}) "
              f"| {r['judging']:.1f} | {r['judge_share']:.0%} | {r['most_open']} |")
    print()
    print(f"wall ratio --parallel 4 / --parallel 1: **{ratio:.2f}** (target <= 0.40: {'met' if ratio <= 0.40 else 'MISSED'})")
    print(f"loop's own cost per candidate (instant model, --parallel 1, judge excluded): "
          f"**{instant['loop_per_candidate'] * 1000:.0f} ms**")


if __name__ == "__main__":
    main()
