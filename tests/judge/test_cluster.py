"""Judging on a Ray cluster (judge/cluster.py, `--cluster`): a real two-node cluster on this machine.

One cluster per module (a head and a second node, one CPU each, as separate raylet processes), started
by ray.cluster_utils on loopback. The tests compare against the local judge on the same seeds, kill
the second node in the middle of a run, and check the CLI's one-line errors. The node-killing test
runs last: it leaves the cluster with one node.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ale.cli import app
from judge import judge, load_problem
from tests.conftest import FIXTURES, ROOT, SOLS

# Ray's switch for single-machine platforms: every address stays on loopback (read when ray is imported).
os.environ.setdefault("RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER", "0")
os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # no cloud-metadata probes, no reporting home
try:
    import ray
except ImportError:
    ray = None
    if os.environ.get("CI"):
        raise RuntimeError("ray is required in CI: .ci/run installs it with pip install -e '.[test,cluster]'") from None

needs_ray = pytest.mark.skipif(ray is None, reason="ray is not installed: pip install -e '.[cluster]' to run the cluster tests")
BASELINE = FIXTURES / "sumup" / "solutions" / "baseline.py"
FAST_DEATH = {  # a killed node is declared dead in ~2 s instead of ~30 s
    "RAY_health_check_period_ms": "500", "RAY_health_check_timeout_ms": "500", "RAY_health_check_failure_threshold": "3",
}


@pytest.fixture(scope="module")
def cluster():
    from ray.cluster_utils import Cluster

    saved = {k: os.environ.get(k) for k in FAST_DEATH}
    os.environ.update(FAST_DEATH)
    temp = tempfile.mkdtemp(prefix="ale-ray-", dir="/tmp")  # short: Ray's socket paths live under it
    from judge.cluster import no_cloud_probe

    # Cluster writes this machine's "auto" address into Ray's default temp folder whatever temp_dir
    # says, and fails on a machine where nothing has created that folder yet (a fresh CI machine).
    from ray._common.utils import get_ray_address_file

    os.makedirs(os.path.dirname(get_ray_address_file(None)), exist_ok=True)
    with no_cloud_probe():  # a head's dashboard would otherwise ask 169.254.169.254 which cloud this is
        c = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False, "temp_dir": temp})
        worker = c.add_node(num_cpus=1, temp_dir=temp)
    try:
        yield c, worker
    finally:
        ray.shutdown()
        c.shutdown()
        for k, v in saved.items():
            os.environ.pop(k) if v is None else os.environ.__setitem__(k, v)
        shutil.rmtree(temp, ignore_errors=True)
        try:  # the "auto" address Cluster wrote for this machine points at a cluster that is gone
            os.remove(get_ray_address_file(None))
        except OSError:
            pass


@pytest.fixture
def slow_sumup(tmp_path):
    """sumup with a 5 s limit and a solution that takes ~1 s a case, so cases are in flight when a node dies."""
    prob = tmp_path / "sumup"
    shutil.copytree(FIXTURES / "sumup", prob)
    y = prob / "problem.yaml"
    y.write_text(y.read_text().replace("time_limit: 1.0", "time_limit: 5.0"))
    sol = tmp_path / "slow.py"
    sol.write_text("import sys, time\ntime.sleep(1.0)\nnums = list(map(int, sys.stdin.read().split()))[1:]\nprint(sum(nums))\n")
    return load_problem(prob), sol


def _descendants(pid: int) -> list[int]:
    out, stack = [], [pid]
    while stack:
        p = stack.pop()
        for t in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                kids = [int(x) for x in t.read_text().split()]
            except OSError:
                kids = []
            out += kids
            stack += kids
    return out


def _lose_node(c, node) -> None:
    """What a machine that dies does to its node: every process of it killed at once, the workers running
    cases included (killing the raylet alone lets a running task finish and report its result)."""
    import signal

    from ray._private import ray_constants

    raylet = node.all_processes[ray_constants.PROCESS_TYPE_RAYLET][0].process.pid
    for pid in _descendants(raylet):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    c.remove_node(node, allow_graceful=False)


def _cases(report):
    return [(c.seed, c.verdict, c.score, c.message) for c in report.cases]


@needs_ray
def test_scores_equal_local_judging_for_the_same_seeds(cluster, sumup, tmp_path):
    c, _ = cluster
    seeds = list(range(8))
    for orig in (BASELINE, SOLS / "wrong.py", SOLS / "good.cpp", SOLS / "compile_error.cpp"):
        sol = tmp_path / orig.name  # a source no test has built yet: the node's compile phase runs
        sol.write_text(orig.read_text() + ("\n// " if orig.suffix == ".cpp" else "\n# ") + str(tmp_path) + "\n")
        seen = []
        remote = judge(sumup, sol, seeds, cluster=c.address, progress=seen.append)
        local = judge(sumup, sol, seeds, jobs=2)
        assert remote.compile["cached"] is False and local.compile["cached"] is True  # built once, on a node
        assert _cases(remote) == _cases(local), sol.name
        assert remote.total == local.total and remote.accepted == local.accepted
        assert remote.compile["ok"] == local.compile["ok"] and remote.compile["message"] == local.compile["message"]
        assert sorted(r.seed for r in seen) == seeds  # progress saw every case once
        assert remote.cluster["retries"] == 0 and remote.cluster["address"] == c.address
        assert remote.sandbox and remote.cluster["nodes"] >= 1
    assert any(x[1] == "WA" for x in _cases(judge(sumup, SOLS / "wrong.py", seeds, cluster=c.address)))


@needs_ray
def test_interactive_problem_equal_to_local(cluster, echo_game):
    c, _ = cluster
    sol = FIXTURES / "echo-game" / "solutions" / "baseline.py"
    remote = judge(echo_game, sol, [0, 1, 2, 3], cluster=c.address)
    local = judge(echo_game, sol, [0, 1, 2, 3], jobs=2)
    assert remote.accepted and _cases(remote) == _cases(local)


@needs_ray
def test_save_outputs_come_back_to_the_driver(cluster, sumup, tmp_path):
    c, _ = cluster
    judge(sumup, BASELINE, [0, 1], save_outputs=tmp_path / "local")
    judge(sumup, BASELINE, [0, 1], cluster=c.address, save_outputs=tmp_path / "remote")
    for sub in ("in", "out", "err"):
        for name in ("0000.txt", "0001.txt"):
            assert (tmp_path / "remote" / sub / name).read_bytes() == (tmp_path / "local" / sub / name).read_bytes()
    assert (tmp_path / "remote" / "out" / "0000.txt").read_text().strip().isdigit()


@needs_ray
def test_cli_judge_and_doctor_through_the_cluster(cluster, tmp_path):
    """Separate driver processes: `ale judge --cluster ADDRESS --json` and `ale doctor --cluster ADDRESS`."""
    c, _ = cluster
    cfg = tmp_path / "ale.yaml"
    cfg.write_text(f"problems: [{FIXTURES}]\ndb: {tmp_path / 'ale.db'}\n")
    env = dict(os.environ, ALE_CONFIG=str(cfg), PYTHONPATH=str(ROOT))
    args = [sys.executable, "-m", "ale.cli", "judge", "sumup", str(BASELINE), "--seeds", "0-7", "--json", "--no-record"]
    local = json.loads(subprocess.run(args, capture_output=True, text=True, env=env, timeout=120).stdout)
    r = subprocess.run(args + ["--cluster", c.address], capture_output=True, text=True, env=env, timeout=180)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert [(x["seed"], x["verdict"], x["score"]) for x in doc["cases"]] == [(x["seed"], x["verdict"], x["score"]) for x in local["cases"]]
    assert doc["cluster"]["retries"] == 0 and "cluster" not in local
    # judge.cluster in ale.yaml does the same as the flag
    cfg.write_text(cfg.read_text() + f"judge:\n  cluster: '{c.address}'\n")
    r = subprocess.run(args, capture_output=True, text=True, env=env, timeout=180)
    assert r.returncode == 0 and json.loads(r.stdout)["cluster"]["address"] == c.address, r.stderr
    r = subprocess.run([sys.executable, "-m", "ale.cli", "doctor", "--json"], capture_output=True, text=True, env=env, timeout=180)
    rows = {x["name"]: x for x in json.loads(r.stdout)["checks"]}
    assert rows["cluster"]["ok"] and "2 node(s), 2 CPUs" in rows["cluster"]["found"], rows
    node_rows = [x for n, x in rows.items() if n.startswith("node ")]
    assert len(node_rows) == 2 and all(x["ok"] and "ale 0.1.0" in x["found"] for x in node_rows), node_rows


@needs_ray
def test_solve_judges_through_the_cluster_and_keeps_the_store_here(cluster, tmp_path, monkeypatch):
    c, _ = cluster
    cfg = tmp_path / "ale.yaml"
    cfg.write_text(f"problems: [{FIXTURES}]\ndb: {tmp_path / 'ale.db'}\njudge:\n  cluster: '{c.address}'\n")
    monkeypatch.setenv("ALE_CONFIG", str(cfg))
    monkeypatch.chdir(tmp_path)
    calls = []
    import judge.cluster as jc

    real = jc.run_on_cluster
    monkeypatch.setattr(jc, "run_on_cluster", lambda *a, **k: calls.append(a[0]) or real(*a, **k))
    r = CliRunner().invoke(app, ["solve", "sumup", "--budget", "1", "--json", "--private-top", "1", "--no-lessons"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["best_accepted"] and doc["best_private_mean"] is not None
    # public seeds (in racing's stages), their noise-aware second run, then the private re-judge: all on the cluster
    assert len(calls) >= 3 and set(calls) == {c.address}
    import sqlite3

    with sqlite3.connect(tmp_path / "ale.db") as db:
        assert db.execute("select count(*) from evaluations").fetchone()[0] == 8 + 8 + 4  # public 0-7 twice, private 100-103


@needs_ray
def test_killing_a_node_mid_run_loses_no_case(cluster, slow_sumup):
    c, worker = cluster
    problem, sol = slow_sumup
    for _ in range(3):  # until both nodes built it and have a warm worker (a loaded head may take all four)
        warm = judge(problem, sol, list(range(4)), cluster=c.address)
        if warm.cluster["nodes"] == 2:
            break
    assert warm.accepted and warm.cluster["nodes"] == 2, warm.cluster
    seeds = list(range(10))
    expected = _cases(judge(problem, BASELINE, seeds, jobs=2))
    done, killer = [], threading.Timer(0.6, _lose_node, (c, worker))

    def progress(r):
        done.append(r.seed)
        if len(done) == 2:  # each node has finished a case; ~0.6 s into their next ones, the second node dies
            killer.start()

    report = judge(problem, sol, seeds, cluster=c.address, progress=progress)
    killer.join()
    assert [(s, v, sc) for s, v, sc, _ in _cases(report)] == [(s, v, sc) for s, v, sc, _ in expected]
    assert report.accepted and sorted(done) == seeds
    assert report.cluster["retries"] >= 1, report.cluster


# --- without a cluster -------------------------------------------------------------------------
@needs_ray
def test_unreachable_address_is_one_line_exit_3(tmp_path):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(ROOT), ALE_CONFIG=str(tmp_path / "ale.yaml"))
    (tmp_path / "ale.yaml").write_text(f"problems: [{FIXTURES}]\ndb: {tmp_path / 'ale.db'}\n")
    for address in (f"127.0.0.1:{port}", f"ray://127.0.0.1:{port}"):
        r = subprocess.run([sys.executable, "-m", "ale.cli", "judge", "sumup", str(BASELINE), "--cluster", address, "--json"],
                           capture_output=True, text=True, env=env, timeout=60)
        assert r.returncode == 3, r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1 and "cannot reach the Ray cluster" in lines[0] and address in lines[0], r.stderr
        assert r.stdout == ""


def test_without_ray_cluster_says_how_to_install_it_exit_2(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "ray", None)  # `import ray` fails as if it were not installed
    monkeypatch.setenv("ALE_CONFIG", str(tmp_path / "ale.yaml"))
    (tmp_path / "ale.yaml").write_text(f"problems: [{FIXTURES}]\ndb: {tmp_path / 'ale.db'}\n")
    r = CliRunner().invoke(app, ["judge", "sumup", str(BASELINE), "--cluster", "local"])
    assert r.exit_code == 2
    assert "pip install -e '.[cluster]'" in r.output and "Traceback" not in r.output


def test_malformed_address_and_config_value_are_usage_and_config_errors(tmp_path, monkeypatch):
    monkeypatch.setenv("ALE_CONFIG", str(tmp_path / "ale.yaml"))
    (tmp_path / "ale.yaml").write_text(f"problems: [{FIXTURES}]\ndb: {tmp_path / 'ale.db'}\n")
    r = CliRunner().invoke(app, ["judge", "sumup", str(BASELINE), "--cluster", "head node:6379"])
    assert r.exit_code == 2 and "ray://HOST:PORT" in r.output
    (tmp_path / "ale.yaml").write_text(f"problems: [{FIXTURES}]\ndb: {tmp_path / 'ale.db'}\njudge:\n  cluster: 6379\n")
    r = CliRunner().invoke(app, ["judge", "sumup", str(BASELINE)])
    assert r.exit_code == 3 and "judge.cluster" in r.output
