"""Judging on a Ray cluster: each seed is a Ray task on a node that has ale installed.

Why tasks, one per seed: Ray schedules them on whichever node has a free CPU, and a task lost
with its node is simply submitted again. A node does what the local judge does: it compiles the
solution once per source hash (the untimed compile phase, in its own build cache, under the same
file lock), then runs each case in a sandbox worker it keeps for the life of its Ray worker process
(one box reused case after case, as a local judge thread does). The problem package travels once
per content hash through Ray's object store and is unpacked into the node's cache, so nodes need
ale but not the problem files. Results are gathered by seed, so the report is in seed order and
identical to local judging; the driver only schedules and collects.

Ray is imported here only, and this module only when a cluster is asked for: `ale judge` starts
without it.
"""

from __future__ import annotations

import atexit
import dataclasses
import fcntl
import hashlib
import contextlib
import os
import re
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from typing import Callable

from judge.errors import ClusterError, ProblemError

INSTALL_HINT = "ray is not installed; install the cluster extra: pip install -e '.[cluster]' (or pip install 'ray[client]')"
MAX_ATTEMPTS = 4  # a case lost with its node runs again elsewhere, up to this many times in all
CONNECT_TIMEOUT = 5.0
SKIP_DIRS = {"solutions", "__pycache__", "target", ".git", "node_modules"}
MAX_PACK_BYTES = 256 << 20
ADDRESS_RE = re.compile(r"^(?:ray://)?(\[[0-9a-fA-F:]+\]|[A-Za-z0-9_.-]+)(?::(\d{1,5}))?$")

LOOPBACK_SWITCH = "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"

_connected: str | None = None


# --- connecting (driver) ---------------------------------------------------------------------
def import_ray():
    """The ray module, or a usage error saying how to install it."""
    try:
        import ray
    except ImportError:
        raise ClusterError(INSTALL_HINT, code=2) from None
    return ray


def parse_address(address: str) -> tuple[str, str | None, int | None]:
    """('local'|'auto'|'client'|'gcs', host, port); a malformed address is a usage error."""
    address = (address or "").strip()
    if address in ("local", "auto"):
        return address, None, None
    m = ADDRESS_RE.match(address)
    client = address.startswith("ray://")
    if not m or (not client and not m[2]):
        raise ClusterError(
            f"cluster address '{address}' is not valid; use ray://HOST:PORT (Ray client), HOST:PORT (the head's GCS), "
            "auto (a cluster started on this machine with `ray start`) or local (start one in this process)", code=2)
    port = int(m[2]) if m[2] else 10001
    return ("client" if client else "gcs"), m[1].strip("[]"), port


@contextlib.contextmanager
def no_cloud_probe():
    """Start Ray processes that probe no cloud metadata service.

    A Ray head's dashboard process asks 169.254.169.254 (AWS, Azure, GCP metadata) which cloud it is on,
    even with usage statistics off, unless `~/ray_bootstrap_config.yaml` names a provider. Processes
    started inside this block see a HOME holding one that says `local`; nothing leaves the machine.
    """
    from judge.cache import cache_home

    home = cache_home() / "cluster" / "home"
    home.mkdir(parents=True, exist_ok=True)
    conf = home / "ray_bootstrap_config.yaml"
    if not conf.is_file():
        conf.write_text("# written by ale: a cluster started here probes no cloud metadata service\nprovider:\n  type: local\n")
    saved = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("HOME", None)
        else:
            os.environ["HOME"] = saved


def connect(address: str):
    """Connect this process to the cluster (once; again only for another address); returns ray."""
    global _connected
    kind, host, port = parse_address(address)
    # Ray's usage statistics probe cloud metadata services (169.254.169.254) and report home: a judge
    # sends nothing anywhere but to its cluster.
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if kind == "local" and "ray" not in sys.modules:
        # A cluster started in this process serves this machine only: keep its ports on loopback
        # (Ray's switch for single-machine platforms; read when ray is imported).
        os.environ.setdefault(LOOPBACK_SWITCH, "0")
    ray = import_ray()
    if ray.is_initialized():
        if _connected == address:
            return ray
        ray.shutdown()
    if host is not None:  # fail in seconds with one line, not after Ray's minute of retries
        try:
            socket.create_connection((host, port), timeout=CONNECT_TIMEOUT).close()
        except OSError as e:
            raise ClusterError(f"cannot reach the Ray cluster at {address}: {e.strerror or e}; "
                               "check that its head is running (ray start --head) and the address (--cluster or judge.cluster in ale.yaml)") from None
    import logging

    kw = dict(logging_level=logging.WARNING, log_to_driver=False)
    try:
        if kind == "local":
            with no_cloud_probe():
                ray.init(address="local", include_dashboard=False, **kw)  # always a new one, never a stale address
        elif kind == "auto":
            ray.init(address="auto", **kw)
        else:
            ray.init(address=address, **kw)
    except Exception as e:  # ConnectionError, a version mismatch, a missing client extra...
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise ClusterError(f"cannot connect to the Ray cluster at {address}: {first}") from None
    _connected = address
    return ray


def nodes(address: str) -> list[dict]:
    """What each alive node says about itself (for `ale doctor`): address, CPUs, ale version, sandbox."""
    ray = connect(address)
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    alive = [n for n in ray.nodes() if n.get("Alive")]
    probe = ray.remote(num_cpus=0, max_retries=0)(_node_facts)
    refs = [probe.options(scheduling_strategy=NodeAffinitySchedulingStrategy(n["NodeID"], soft=False)).remote() for n in alive]
    out = []
    for n, ref in zip(alive, refs):
        row = {"node": n["NodeID"][:12], "address": n.get("NodeManagerAddress"), "cpus": n.get("Resources", {}).get("CPU", 0)}
        try:
            row |= ray.get(ref, timeout=120)
        except Exception as e:
            row["error"] = _one_line(e)
        out.append(row)
    return out


def _node_facts() -> dict:
    import platform

    from judge import sandbox

    return {"ale": ale_version(), "judge_code": judge_code_hash(), "python": platform.python_version(), "sandbox": sandbox.mode()}


def ale_version() -> str:
    try:
        from importlib.metadata import version

        return version("ale")
    except Exception:
        return "unknown"


def judge_code_hash() -> str:
    """A short hash of the judge's own source: nodes with the same version but other code differ here."""
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for p in sorted(here.glob("*.py")) + sorted(here.glob("*.c")):
        h.update(p.name.encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


# --- the problem package, shipped by content ---------------------------------------------------
_PACKS: dict[tuple, tuple[str, dict]] = {}


def _walk(root: Path, prefix: str) -> list[tuple[str, Path]]:
    found = []
    for d, dirs, files in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x not in SKIP_DIRS and not x.startswith("."))
        for f in sorted(files):
            if not f.startswith(".") and not f.endswith(".pyc"):
                p = Path(d) / f
                found.append((prefix + str(p.relative_to(root)), p))
    return found


def pack_problem(problem) -> tuple[str, dict]:
    """(content key, {relative path: (bytes, mode)}) of the problem folder, and of its official tools
    when they live elsewhere (their sources: `target/` is rebuilt on the node)."""
    files = _walk(problem.path, f"{problem.id}/")
    if problem.tools and problem.path not in Path(problem.tools).parents:
        files += _walk(Path(problem.tools), "__tools__/")
    sig = tuple((rel, st.st_size, st.st_mtime_ns) for rel, p in files for st in [p.stat()])
    if sig in _PACKS:
        return _PACKS[sig]
    if sum(s for _, s, _ in sig) > MAX_PACK_BYTES:
        raise ProblemError(f"{problem.path}: the problem package is over {MAX_PACK_BYTES >> 20} MiB; too large to ship to cluster nodes")
    h, pack = hashlib.sha256(), {}
    for rel, p in files:
        data = p.read_bytes()
        pack[rel] = (data, p.stat().st_mode & 0o777)
        h.update(rel.encode() + b"\0" + hashlib.sha256(data).digest())
    _PACKS[sig] = (h.hexdigest()[:24], pack)
    return _PACKS[sig]


def _problem_fields(problem) -> dict:
    return {f.name: getattr(problem, f.name) for f in dataclasses.fields(problem) if f.name not in ("path", "tools")}


def _tools_where(problem) -> str | None:
    if not problem.tools:
        return None
    tools = Path(problem.tools)
    if problem.path in tools.parents:
        return f"{problem.id}/{tools.relative_to(problem.path)}"
    return "__tools__"


# --- on a node (inside a Ray worker process) ----------------------------------------------------
_node: dict = {"problems": {}, "builds": {}, "worker": None}


def _unpacked(key: str, pack: dict) -> Path:
    """The package under the node's cache, written once per node (by whichever worker gets there first)."""
    from judge.cache import cache_home

    base = cache_home() / "cluster"
    root = base / key
    if (root / ".complete").exists():
        return root
    base.mkdir(parents=True, exist_ok=True)
    with open(base / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / ".complete").exists():
            shutil.rmtree(root, ignore_errors=True)
            for rel, (data, mode) in pack.items():
                p = root / rel
                p.parent.mkdir(parents=True, exist_ok=True)
                p.write_bytes(data)
                os.chmod(p, mode)
            (root / ".complete").touch()
    return root


def _problem_on_node(spec: dict, pack: dict):
    from judge.problem import Problem

    key = spec["key"]
    if key not in _node["problems"]:
        root = _unpacked(key, pack)
        tools = root / spec["tools"] if spec["tools"] else None
        _node["problems"][key] = Problem(**spec["fields"], path=root / spec["fields"]["id"], tools=tools)
    return _node["problems"][key]


def _build_on_node(problem, spec: dict):
    """The node's build of this source (compile_solution caches it on disk by source hash)."""
    from judge.cache import cache_home
    from judge.compile import compile_solution

    key = (spec["source_hash"], spec["suffix"])
    if key not in _node["builds"]:
        src = cache_home() / "cluster" / "sources" / f"{spec['source_hash']}{spec['suffix']}"
        if not src.exists():
            src.parent.mkdir(parents=True, exist_ok=True)
            tmp = src.with_name(f"{src.name}.{os.getpid()}")
            tmp.write_text(spec["source"], encoding="utf-8")
            os.replace(tmp, src)
        _node["builds"][key] = compile_solution(src, warmup_input=problem.generate(spec["warm_seed"]),
                                                shown_as=spec.get("shown_as"))
    return _node["builds"][key]


def _worker_for(build):
    """This process's sandbox worker for `build`, reused case after case like a local judge thread's."""
    from judge.run import Worker

    held = _node["worker"]
    if held is not None and held[0] == build.dir:
        return held[1]
    if held is not None:
        held[1].close()
    w = Worker(build)
    _node["worker"] = (build.dir, w)
    return w


@atexit.register
def _close_worker() -> None:
    if _node["worker"] is not None:
        _node["worker"][1].close()
        _node["worker"] = None


def _node_case(spec: dict, pack: dict, seed: int) -> dict:
    """One seed on this node: the same compile and case as the local judge; never raises for a case."""
    import ray

    from judge import sandbox
    from judge.compile import compile_info
    from judge.run import run_one

    try:
        problem = _problem_on_node(spec, pack)
        build = _build_on_node(problem, spec)
        saved = None
        if spec["save"]:
            with tempfile.TemporaryDirectory(prefix="ale-save-") as d:
                r = run_one(problem, build, seed, spec["limits"], Path(d), lambda: _worker_for(build))
                name = f"{seed:04d}.txt"
                saved = {sub: (Path(d) / sub / name).read_bytes() for sub in ("in", "out", "err") if (Path(d) / sub / name).exists()}
        else:
            r = run_one(problem, build, seed, spec["limits"], None, lambda: _worker_for(build))
    except ProblemError as e:  # the package is broken (tools do not build...): the driver says so, exit 3
        return {"problem_error": str(e)}
    return {"case": r, "compile": compile_info(build), "node": ray.get_runtime_context().get_node_id(),
            "sandbox": sandbox.mode(), "saved": saved}


# --- the driver's side ---------------------------------------------------------------------------
def _one_line(e: BaseException) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0] if text else ''}".strip()


def run_on_cluster(address: str, problem, solution: Path, seeds: list[int], limits, warm_seed: int, *,
                   save_outputs=None, progress: Callable | None = None):
    """Every seed as a Ray task; a task lost with its node is submitted again (counted as a retry)."""
    from judge.case import CaseResult
    from judge.report import Report
    from judge.verdict import LOG_TAIL

    ray = connect(address)
    source = solution.read_text(encoding="utf-8", errors="replace")
    key, pack = pack_problem(problem)
    spec = {
        "key": key, "fields": _problem_fields(problem), "tools": _tools_where(problem), "source": source,
        "source_hash": hashlib.sha256(source.encode()).hexdigest()[:24], "suffix": solution.suffix.lower(),
        "shown_as": str(solution), "warm_seed": warm_seed, "limits": limits, "save": save_outputs is not None,
    }
    task = ray.remote(num_cpus=1, max_retries=0)(_node_case)  # retries are ours, to count them
    spec_ref, pack_ref = ray.put(spec), ray.put(pack)
    pending = {task.remote(spec_ref, pack_ref, s): s for s in seeds}
    attempts = {s: 1 for s in seeds}
    results: dict[int, CaseResult] = {}
    compiles, node_ids, modes, retries = [], set(), set(), 0
    try:
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            if len(pending) > 1:  # and whatever else is ready, without waiting
                more, _ = ray.wait([r for r in pending if r not in done], num_returns=len(pending) - 1, timeout=0)
                done += more
            for ref in done:
                seed = pending.pop(ref)
                try:
                    out = ray.get(ref)
                except ray.exceptions.RayTaskError as e:  # our own code failed on the node
                    cause = str(e)
                    if "No module named 'judge'" in cause:
                        raise ClusterError("a cluster node cannot import the judge: install ale on every node "
                                           "(pip install 'ale[cluster]' in the image or setup commands)") from None
                    r = CaseResult(seed, "IE", message=f"cluster task failed: {_one_line(e)}", log=cause[-LOG_TAIL:])
                except ray.exceptions.RayError as e:  # the node or its worker was lost: run it again elsewhere
                    if attempts[seed] < MAX_ATTEMPTS:
                        attempts[seed] += 1
                        retries += 1
                        pending[task.remote(spec_ref, pack_ref, seed)] = seed
                        continue
                    r = CaseResult(seed, "IE", message=f"lost on the cluster {MAX_ATTEMPTS} times: {_one_line(e)}")
                else:
                    if "problem_error" in out:
                        raise ProblemError(out["problem_error"])
                    r = out["case"]
                    compiles.append(out["compile"])
                    node_ids.add(out["node"])
                    modes.add(out["sandbox"])
                    if out["saved"] is not None:
                        _save(save_outputs, seed, out["saved"])
                results[seed] = r
                if progress:
                    progress(r)
    finally:
        for ref in pending:  # an interrupted judge leaves nothing running on the cluster
            ray.cancel(ref, force=True)
    built = next((c for c in compiles if not c["cached"]), compiles[0] if compiles else {})
    return Report(
        problem=problem.id, solution=str(solution), objective=problem.objective, partial_score=problem.partial_score,
        cases=[results[s] for s in seeds], compile=dict(built), sandbox=",".join(sorted(modes)),
        cluster={"address": address, "nodes": len(node_ids), "retries": retries},
    )


def _save(folder, seed: int, saved: dict) -> None:
    name = f"{seed:04d}.txt"
    for sub in ("in", "out", "err"):
        (Path(folder) / sub).mkdir(parents=True, exist_ok=True)
        (Path(folder) / sub / name).write_bytes(saved.get(sub, b""))
