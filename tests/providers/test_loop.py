"""The agent loop with real models' shape: a scripted OpenAI-protocol server on loopback (real HTTP,
real latency and failures) drives `ale solve` on the bowl fixture with the real judge."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ale.cli import app
from ale.store import Store

from .conftest import fenced, reply

BOWL = str(Path(__file__).resolve().parents[1] / "solve" / "fixtures" / "bowl")
MODEL = "loop-coder"
CRASHES = ("import sys\na, b = map(float, sys.stdin.read().split())\n"
           "if a > 4:\n    raise ValueError(f'bowl too wide: {a}')\nprint(round(a), round(b))\n")
NO_COMPILE = "#include <cstdio>\nint main( { printf(\"1 1\\n\"); }\n"
READS_FILE = "data = open('/srv/answers.txt').read()\nprint(data)\n"


def program(n: int) -> str:
    """A valid bowl answer, a different one for each n (so no two are taboo)."""
    return f"import sys\na, b = map(float, sys.stdin.read().split())\nprint(round(a) + {n % 3}, round(b) + {n})\n"


def kind(body: dict) -> str:
    """Which operator (or role) a request is, read from its last user message."""
    user = body["messages"][-1]["content"]
    for key, words in (("distil", "Return the lessons"), ("rejected", "rejected before judging"),
                       ("review", "Review this program"), ("retry", "could not be applied"),
                       ("debug", "fails on some seeds"), ("crossover", "Combine the strengths"),
                       ("improve", "Improve the score"), ("draft", "Write a strong first solution")):
        if words in user:
            return key
    return "other"


class Script:
    """Answers by operator; `drafts` are served first to draft requests, then fresh valid programs."""

    def __init__(self, drafts=(), delay=0.0, jitter=False):
        self.drafts = list(drafts)
        self.delay, self.jitter = delay, jitter
        self.n = 0
        self.seen: list[tuple[str, str, str]] = []  # (kind, model, full text of the request)

    def __call__(self, body):
        k = kind(body)
        text = json.dumps(body["messages"])
        self.seen.append((k, body["model"], text))
        self.n += 1
        delay = self.delay * ((self.n * 7919) % 5 + 1) / 3 if self.jitter else self.delay
        if k == "distil":
            return reply("[]", delay=delay)
        if k == "review":
            return reply("OK")
        if k in ("draft", "rejected") and self.drafts:
            return reply(_fence(self.drafts.pop(0)), delay=delay)
        return reply(_fence(program(self.n)), delay=delay)


def _fence(source: str) -> str:
    return fenced(source, "cpp" if source.startswith("#include") else "python")


def solve(db, *args, env=None):
    r = CliRunner().invoke(app, ["solve", BOWL, "--db", str(db), "--json", "--start", "baseline.py",
                                 "--private-top", "0", "--seeds", "0,3", *args], env=env)
    return r


def openai_args(server):
    return ["--provider", "openai", "--base-url", server.url, "--model", MODEL]


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("ALE_KEYS_FILE", str(tmp_path / "keys.json"))


def test_parallel_4_keeps_4_requests_open_and_stores_every_candidate(server, tmp_path):
    server.default[MODEL] = Script(delay=0.6)
    db = tmp_path / "p.db"
    r = solve(db, *openai_args(server), "--budget", "10", "--beam", "2", "--parallel", "4")
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["parallel"] == 4 and len(doc["candidates"]) == 10
    assert server.most_open == 4  # four requests (proposals and distils) open at the server, never more
    store = Store(db)
    cands = store.candidates(doc["run"])
    assert len(cands) == 10 and all(len(store.evaluations(c["id"], "public")) == 2 for c in cands)
    assert sorted(c["seq"] for c in cands if c["seq"] is not None) == sorted({c["seq"] for c in cands if c["seq"] is not None})
    assert {c["operator"] for c in cands} >= {"start", "draft", "improve"}


def test_parallel_defaults_to_1_offline_and_4_for_models(server, tmp_path):
    r = CliRunner().invoke(app, ["solve", BOWL, "--db", str(tmp_path / "o.db"), "--json", "--budget", "3",
                                 "--private-top", "0"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["parallel"] == 1
    server.default[MODEL] = Script()
    r = solve(tmp_path / "m.db", *openai_args(server), "--budget", "3")
    assert json.loads(r.stdout)["parallel"] == 4


def test_debug_prompt_shows_traceback_and_compiler_message(server, tmp_path):
    server.default[MODEL] = script = Script(drafts=[CRASHES, NO_COMPILE])
    db = tmp_path / "d.db"
    r = solve(db, *openai_args(server), "--budget", "8", "--beam", "2", "--parallel", "1")
    assert r.exit_code == 0, r.output
    debug = [text for k, _, text in script.seen if k == "debug"]
    crash = [t for t in debug if "bowl too wide" in t]
    assert crash, [k for k, _, _ in script.seen]
    assert "Traceback (most recent call last)" in crash[0] and "ValueError" in crash[0]
    assert "seed 0: RE" in crash[0]  # seed 0's a = 4.69 raises; seed 3 passes
    ce = [t for t in debug if "Compilation failed" in t]
    assert ce and "error:" in ce[0] and "expected" in ce[0]  # g++'s own message
    store = Store(db)
    ops = {c["id"]: c["operator"] for c in store.candidates(json.loads(r.stdout)["run"])}
    assert "debug" in ops.values()
    # the operator is shown by replay and runs show
    story = json.loads(CliRunner().invoke(app, ["replay", str(json.loads(r.stdout)["run"]), "--db", str(db), "--json"]).stdout)
    assert [e["operator"] for e in story["events"]] == [ops[e["candidate"]] for e in story["events"]]
    shown = CliRunner().invoke(app, ["runs", "show", str(json.loads(r.stdout)["run"]), "--db", str(db)],
                               env={"COLUMNS": "200"})  # at 80 columns the words wrap inside their cells
    assert "debug" in shown.stdout and "operator" in shown.stdout


def write_config(tmp_path, server, pool, **extra) -> dict:
    cfg = {"pool": pool, **extra}
    path = tmp_path / "ale.yaml"
    path.write_text(json.dumps(cfg))  # JSON is YAML
    return {"ALE_CONFIG": str(path)}


def member(name, roles, server, **kw):
    return {"name": name, "provider": "openai", "model": name, "base_url": server.url, "key_env": None,
            "roles": roles, "retries": 0, "backoff": 0.01, **kw}


def test_pool_routes_by_role_and_never_calls_an_excluded_member(server, tmp_path):
    server.default["drafter"] = drafter = Script(drafts=[CRASHES])
    server.default["fixer"] = fixer = Script()
    server.default["ghost"] = Script()
    env = write_config(tmp_path, server, [member("drafter", ["draft"], server),
                                          member("fixer", ["improve", "debug", "distil"], server),
                                          member("ghost", ["draft", "improve", "debug", "distil"], server)])
    r = solve(tmp_path / "r.db", "--provider", "pool", "--exclude", "ghost", "--budget", "7", "--beam", "2",
              "--parallel", "2", env=env)
    assert r.exit_code == 0, r.output
    assert {k for k, _, _ in drafter.seen} == {"draft"}
    assert {"debug", "improve"} <= {k for k, _, _ in fixer.seen} and "draft" not in {k for k, _, _ in fixer.seen}
    assert not [q for q in server.requests if q["model"] == "ghost"]
    doc = json.loads(r.stdout)
    pool = {m["name"]: m for m in doc["pool"]}
    assert pool["ghost"] == {"name": "ghost", "excluded": True}
    assert pool["drafter"]["calls"] == len(drafter.seen) and pool["fixer"]["calls"] == len(fixer.seen)
    assert {c["model"] for c in doc["candidates"] if c["operator"] == "draft"} == {"drafter"}


def test_typo_in_a_pool_entry_is_a_config_error_naming_the_key(server, tmp_path):
    env = write_config(tmp_path, server, [member("a", ["draft"], server, modle="x")])
    r = solve(tmp_path / "t.db", "--provider", "pool", "--budget", "2", env=env)
    assert r.exit_code == 3
    assert "unknown key 'modle'" in r.output and "known keys:" in r.output and "base_url" in r.output
    assert "Traceback" not in r.output


def test_unknown_provider_option_is_a_config_error(server, tmp_path):
    path = tmp_path / "ale.yaml"
    path.write_text("providers:\n  openai:\n    model: m\n    base_ur1: http://x\n")
    r = solve(tmp_path / "u.db", "--provider", "openai", "--budget", "2", env={"ALE_CONFIG": str(path)})
    assert r.exit_code == 3 and "providers.openai.base_ur1" in r.output and "base_url" in r.output


def test_pool_with_no_usable_member_stops_with_one_line(server, tmp_path):
    server.key = "right"
    env = write_config(tmp_path, server, [member("a", ["draft"], server)])
    r = solve(tmp_path / "n.db", "--provider", "pool", "--budget", "3", env=env)
    assert r.exit_code == 3
    assert "no usable model in the pool" in r.output and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1


def test_guard_rejects_a_program_reading_a_file_and_tells_its_model(server, tmp_path):
    server.default[MODEL] = script = Script(drafts=[READS_FILE, program(50), READS_FILE, READS_FILE])
    db = tmp_path / "g.db"
    r = solve(db, *openai_args(server), "--budget", "4", "--beam", "2", "--parallel", "1")
    assert r.exit_code == 0, r.output
    kinds = [k for k, _, _ in script.seen]
    assert kinds[:2] == ["draft", "rejected"]
    told = script.seen[1][2]
    assert "opens a file" in told and "/srv/answers.txt" in told  # the rejected answer and the reason
    doc = json.loads(r.stdout)
    store = Store(db)
    assert not any("/srv/answers.txt" in c["source"] for c in store.candidates(doc["run"]))  # never judged
    assert doc["rejected_proposals"] == 1  # the second draft was rejected twice: a failed proposal


def test_replay_of_a_parallel_run_reproduces_its_candidates(server, tmp_path):
    server.default[MODEL] = Script(drafts=[CRASHES], delay=0.15, jitter=True)  # answers finish out of order
    db = tmp_path / "rp.db"
    r = solve(db, *openai_args(server), "--budget", "9", "--beam", "2", "--parallel", "3")
    assert r.exit_code == 0, r.output
    run = json.loads(r.stdout)["run"]
    server.requests.clear()
    r2 = CliRunner().invoke(app, ["solve", BOWL, "--db", str(db), "--json", "--replay", str(run)])
    assert r2.exit_code == 0, r2.output
    assert server.requests == []
    store = Store(db)
    first = [(c["source"], c["parent_id"] is None, c["operator"]) for c in store.candidates(run)]
    again = [(c["source"], c["parent_id"] is None, c["operator"]) for c in store.candidates(json.loads(r2.stdout)["run"])]
    assert again == first and json.loads(r2.stdout)["parallel"] == 3


def test_kill_9_during_a_parallel_run_then_resume(server, tmp_path):
    server.default[MODEL] = Script(delay=0.4)
    db = tmp_path / "k.db"
    cmd = [sys.executable, "-m", "ale.cli", "solve", BOWL, "--db", str(db), "--json", "--start", "baseline.py",
           "--private-top", "0", "--seeds", "0,3", "--budget", "14", "--beam", "2", "--parallel", "4", *openai_args(server)]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    n, deadline = 0, time.monotonic() + 120
    while time.monotonic() < deadline and n < 5:
        time.sleep(0.2)
        try:
            n = sqlite3.connect(db).execute("select count(*) from candidates").fetchone()[0] if db.exists() else 0
        except sqlite3.Error:
            continue
    assert n >= 5, proc.communicate()[1][-2000:]
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    store = Store(db)
    run = store.list_runs()[0]
    before = {c["id"]: c["hash"] for c in store.candidates(run["id"])}
    r = CliRunner().invoke(app, ["solve", BOWL, "--db", str(db), "--json", "--resume", str(run["id"]), *openai_args(server)])
    assert r.exit_code == 0, r.output
    after = store.candidates(run["id"])
    assert {c["id"]: c["hash"] for c in after if c["id"] in before} == before  # nothing stored was lost
    assert len(after) == 14 and len({c["hash"] for c in after}) == 14
    seqs = [c["seq"] for c in after if c["seq"] is not None]
    assert len(seqs) == len(set(seqs))  # issue order continues after the resume


def test_resume_counts_cache_tokens_of_earlier_calls(tmp_path):
    """Issue 17 item 5: the token budget counts cache reads and writes, so must a resume."""
    db = tmp_path / "c.db"
    store = Store(db)
    run = store.create_run("bowl", "openai", {"options": {"budget": 5, "beam": 2, "seeds": "public",
                                                          "private_top": 0, "starts": ["baseline.py"]}})
    store.add_model_call(run, candidate_id=None, provider="openai", model="m", role="draft", prompt="{}",
                         response="", input_tokens=100, output_tokens=100, cache_write_tokens=3000,
                         cache_read_tokens=2000)
    r = CliRunner().invoke(app, ["solve", BOWL, "--db", str(db), "--json", "--resume", str(run),
                                 "--provider", "offline", "--max-tokens", "1000"])
    assert r.exit_code == 1, r.output  # the budget is spent before anything is judged: nothing accepted
    doc = json.loads(r.stdout)
    assert doc["tokens"]["cache_read"] == 2000 and doc["tokens"]["cache_write"] == 3000
    assert doc["stop_reason"].startswith("token budget")


def test_pool_warnings_are_shown(server, tmp_path):
    """Issue 17 item 6: a skipped or benched member is visible on stderr and in the summary."""
    server.default["down"] = reply(status=500)
    server.default["up"] = Script()
    env = write_config(tmp_path, server, [member("down", ["draft", "improve", "debug", "distil"], server, weight=1000),
                                          member("up", ["draft", "improve", "debug", "distil"], server),
                                          {"name": "claude", "provider": "anthropic", "model": "claude-sonnet-4-6"}])
    r = solve(tmp_path / "w.db", "--provider", "pool", "--budget", "4", "--parallel", "1", env=env)
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert any(w.startswith("skipped claude") for w in doc["warnings"])
    assert any(w.startswith("benched down") for w in doc["warnings"])
    assert "pool: skipped claude" in r.stderr and "pool: benched down" in r.stderr
    assert {m["name"]: m["benched"] for m in doc["pool"]}["down"] is True


def test_guard_unit():
    from ale import guard

    assert guard.check("import sys\nprint(sys.stdin.read())\n") == []
    assert guard.check("import os\nif os.environ.get('ALE_WARMUP'):\n    raise SystemExit\n") == []
    assert guard.check("# never open('x')\nprint(1)\n") == []  # comments are not code
    assert any("environment" in r for r in guard.check("import os\nk = os.environ['HOME']\n"))
    assert any("subprocess" in r for r in guard.check("import subprocess\n"))
    assert any("network" in r for r in guard.check("import socket\n"))
    assert any("file" in r for r in guard.check('#include <fstream>\nint main(){std::ifstream f("a");}\n', "cpp"))
    table = "A = {" + ",".join(f"'{i:020d}': '{i}'" for i in range(50)) + "}\n"
    assert any("table" in r for r in guard.check(table))
    for path in Path(BOWL).parent.parent.parent.parent.joinpath("problems").glob("*/solutions/*"):
        assert guard.check(path.read_text(), "cpp" if path.suffix == ".cpp" else "py") == [], path


def test_overfit_flag_rule():
    from ale.solve import _overfit

    pub = [{"score": s} for s in (100, 102, 98, 101)]
    assert _overfit(pub, [{"score": s} for s in (80, 82, 79, 81)], maximize=True)
    assert not _overfit(pub, [{"score": s} for s in (99, 103, 97, 100)], maximize=True)
    assert not _overfit(pub, [{"score": s} for s in (80, 82, 79, 81)], maximize=False)  # lower is better: private is better



def test_anthropic_sdk_in_the_loop_debugs_with_the_traceback(tmp_path):
    """The same loop through the Anthropic SDK over httpx2.MockTransport: operators, feedback, cache tokens."""
    import asyncio

    import httpx2

    from ale.providers import make_provider
    from ale.solve import SolveOptions, Solver
    from judge import load_problem

    seen, drafts = [], [CRASHES]

    def api(request):
        if request.url.path == "/v1/models":
            return httpx2.Response(200, json={"data": [], "has_more": False, "first_id": None, "last_id": None})
        body = json.loads(request.content)
        k = kind(body)
        seen.append((k, json.dumps(body["messages"]), body["system"]))
        text = "[]" if k == "distil" else _fence(drafts.pop(0) if k == "draft" and drafts else program(len(seen)))
        return httpx2.Response(200, json={
            "id": f"msg_{len(seen)}", "type": "message", "role": "assistant", "model": body["model"],
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": None,
            "usage": {"input_tokens": 50, "output_tokens": 80, "cache_creation_input_tokens": 0 if len(seen) > 1 else 900,
                      "cache_read_input_tokens": 900 if len(seen) > 1 else 0}})

    client = httpx2.AsyncClient(transport=httpx2.MockTransport(api))
    prov = make_provider("anthropic", {"prices": {}}, api_key="sk-good", http_client=client)
    store = Store(tmp_path / "a.db")
    opts = SolveOptions(budget=6, beam=2, seeds="0,3", private_top=0, starts=["baseline.py"], parallel=2,
                        use_lessons=False)
    summary = asyncio.run(Solver(load_problem(BOWL), store, prov, opts).run())
    assert len(summary["candidates"]) == 6 and summary["parallel"] == 2
    debug = [text for k, text, _ in seen if k == "debug"]
    assert debug and "bowl too wide" in debug[0] and "Traceback" in debug[0]
    assert all(s[0].get("cache_control") for _, _, s in seen)  # the statement prefix is cached for every operator
    assert summary["tokens"]["cache_read"] == 900 * (len(seen) - 1)
    calls = store.model_calls(summary["run"])
    assert {c["role"] for c in calls} >= {"draft", "debug", "distil"} and all(c["provider"] == "anthropic" for c in calls)


def test_pool_whose_last_member_loses_its_key_mid_run_stops_with_a_reason(server, tmp_path):
    script = Script()

    def answer(body):
        server.key = "rotated"  # every later request is refused (401)
        return script(body)

    server.default["a"] = answer
    env = write_config(tmp_path, server, [member("a", ["draft", "improve", "debug", "distil"], server)])
    r = solve(tmp_path / "k.db", "--provider", "pool", "--budget", "8", "--parallel", "1", env=env)
    assert "Traceback" not in r.output
    doc = json.loads(r.stdout)
    assert doc["stop_reason"].startswith("no usable model left in the pool: a:")
    assert len(doc["candidates"]) < 8 and any("for the rest of the run" in w for w in doc["warnings"])


def test_review_role_rejects_a_program_and_its_author_is_told(server, tmp_path):
    verdicts = ["REJECT: prints a fixed answer whatever the input", "OK"]
    reviews = []

    def reviewer(body):
        reviews.append(kind(body))
        return reply(verdicts.pop(0) if verdicts else "OK")

    server.default["coder"] = coder = Script()
    server.default["critic"] = reviewer
    env = write_config(tmp_path, server, [member("coder", ["draft", "improve", "debug", "distil"], server),
                                          member("critic", ["review"], server)])
    r = solve(tmp_path / "v.db", "--provider", "pool", "--budget", "3", "--beam", "1", "--parallel", "1", env=env)
    assert r.exit_code == 0, r.output
    assert reviews and set(reviews) == {"review"}  # the critic only reviews
    told = [text for k, _, text in coder.seen if k == "rejected"]
    assert told and "review: prints a fixed answer whatever the input" in told[0]


OVERFIT = ("import sys\ntext = sys.stdin.read()\na, b = text.split()\n"
           "print(a, b) if a in ('4.689', '3.476') else print(0, 0)  # knows the public seeds' answers\n")


def test_a_candidate_that_knows_the_public_seeds_is_flagged_overfit(tmp_path):
    src = tmp_path / "knows.py"
    src.write_text(OVERFIT)
    db = tmp_path / "o.db"
    r = CliRunner().invoke(app, ["solve", BOWL, "--db", str(db), "--json", "--provider", "offline", "--start", str(src),
                                 "--seeds", "0,3", "--private-seeds", "100-103", "--budget", "1", "--private-top", "1"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["candidates"][0]["flags"] == ["overfit"]
    story = json.loads(CliRunner().invoke(app, ["replay", str(doc["run"]), "--db", str(db), "--json"]).stdout)
    assert story["events"][0]["flags"] == ["overfit"]
    assert "overfit" in CliRunner().invoke(app, ["runs", "show", str(doc["run"]), "--db", str(db)], env={"COLUMNS": "200"}).stdout
    honest = tmp_path / "honest.py"
    honest.write_text("import sys\na, b = map(float, sys.stdin.read().split())\nprint(a, b)\n")
    r = CliRunner().invoke(app, ["solve", BOWL, "--db", str(db), "--json", "--provider", "offline", "--start", str(honest),
                                 "--seeds", "0,3", "--private-seeds", "100-103", "--budget", "1", "--private-top", "1"])
    assert json.loads(r.stdout)["candidates"][0]["flags"] == []


def test_cost_budget_is_overshot_by_at_most_the_calls_in_flight(server, tmp_path):
    server.default[MODEL] = Script(delay=0.3)
    path = tmp_path / "ale.yaml"
    path.write_text(json.dumps({"prices": {MODEL: {"input": 1000.0, "output": 1000.0}}}))  # $1.50 a call
    r = solve(tmp_path / "b.db", *openai_args(server), "--budget", "30", "--parallel", "4", "--max-cost", "5",
              env={"ALE_CONFIG": str(path)})
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["stop_reason"].startswith("cost budget $5.00 reached")
    assert 5.0 <= doc["cost"] <= 5.0 + 4 * 1.5  # what was spent, plus at most the four calls in flight
    assert len(doc["candidates"]) < 30


def test_debug_prompt_shows_wa_message_and_time_against_the_limit():
    from ale import prompts

    from .conftest import BASELINE, make_ctx

    ctx = make_ctx("refine", BASELINE, operator="debug")
    ctx.feedback["failures"] = [
        {"seed": 4, "verdict": "WA", "message": "line 3: booth 2 overlaps booth 5", "time": 0.2, "log": ""},
        {"seed": 7, "verdict": "TLE", "message": "", "time": 2.31, "log": "iteration 90000",
         "input": "48,213 bytes, first line `2000 180`"},
    ]
    text = prompts.for_operator("debug", ctx).messages[-1]["content"]
    assert "seed 4: WA: line 3: booth 2 overlaps booth 5" in text
    assert "seed 7: TLE (time 2.31 s, limit 2 s; input 48,213 bytes, first line `2000 180`)" in text
    assert "iteration 90000" in text and "fails on some seeds" in text
