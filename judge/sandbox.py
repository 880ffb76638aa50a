"""Run an untrusted command in a sandbox with limits, and measure it from inside.

Isolation comes from bubblewrap when present (read-only system, private /tmp,
a fresh writable scratch folder, no network, its own PID namespace, dies with
the judge). Without bwrap we fall back to rlimits plus `unshare` (network and
PID namespaces) when that works, and say so loudly once.
"""

from __future__ import annotations

import functools
import json
import os
import select
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from judge.cache import cache_home
from judge.limits import Limits, cpu_rlimit, finish_timeout, wall_kill

MONITOR = Path(__file__).with_name("monitor.py")
MONITOR_C = Path(__file__).with_name("monitor.c")
MONITOR_IN_BOX = "/tmp/.ale-monitor"  # where bwrap shows the compiled monitor to the sandbox
MONITOR_PY_IN_BOX = "/tmp/.ale-monitor.py"  # and the Python one (the checkout may itself live under /tmp)
SCRATCH = "/tmp/box"  # the solution's working folder inside bwrap (under its private /tmp)
BUILD = "/tmp/sol"  # the compiled solution inside bwrap (read-only)
CACHE = "/tmp/cache"  # the numba cache inside bwrap


@dataclass
class Measured:
    wall: float
    cpu: float
    peak_mib: float
    exit: int | None
    signal: int | None
    killed: str | None  # time | memory | processes | None

    @property
    def time(self) -> float:
        """Time as ALE-Bench counts it: max(CPU, wall)."""
        return max(self.cpu, self.wall)


@functools.lru_cache(maxsize=1)
def mode() -> str:
    """'bwrap', 'unshare' or 'rlimits': the strongest isolation that works here."""
    forced = os.environ.get("ALE_SANDBOX")
    if forced in ("bwrap", "unshare", "rlimits"):
        return forced
    if shutil.which("bwrap"):
        probe = ["bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-net", "--unshare-pid", "true"]
        if subprocess.run(probe, capture_output=True).returncode == 0:
            return "bwrap"
    if shutil.which("unshare"):
        if subprocess.run(["unshare", "--net", "--pid", "--fork", "--mount-proc", "true"], capture_output=True).returncode == 0:
            return "unshare"
    return "rlimits"


_warned = False


def warn_if_weak() -> str | None:
    """A one-line warning (once per process) when bwrap is not in use."""
    global _warned
    m = mode()
    if m == "bwrap" or _warned:
        return None
    _warned = True
    lacks = ("solutions can read every file this user can (problem packages with their generators and "
             "scorers, the store, your home), write outside their scratch folder, and share /tmp")
    if m == "rlimits":
        lacks += "; nor are they cut off from the network or from other processes"
    if os.environ.get("ALE_SANDBOX") == m:
        return f"warning: ALE_SANDBOX={m}: no bubblewrap box: {lacks}; unset ALE_SANDBOX to use bwrap"
    return f"warning: bubblewrap (bwrap) not available, running with {m} only: {lacks}; install it: apt-get install bubblewrap"


SECRET_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "CREDENTIAL", "AUTH")


def clean_env(extra: dict[str, str] | None = None, home: str = SCRATCH) -> dict[str, str]:
    """Only what a language needs; nothing that looks like a secret can pass."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": home,
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONUNBUFFERED": "0",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "NUMBA_NUM_THREADS": "1",
    }
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "NUMBA_BOUNDSCHECK"):
        if k in os.environ:
            env[k] = os.environ[k]
    env.update(extra or {})
    return {k: v for k, v in env.items() if not any(w in k.upper() for w in SECRET_WORDS)}


# What a solution (and its compiler) may see, besides its own build, cache and scratch folder.
# Everything else -- problem packages, the store, caches of other builds, other cases, the user's
# home and current folder -- is simply not in the box.
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
# From /etc only what the dynamic loader, compilers and the C library read.
ETC_ENTRIES = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives", "localtime", "passwd", "group",
               "nsswitch.conf", "os-release")
SYS_ENTRIES = ("/sys/devices/system/cpu",)  # core counts for OpenBLAS, numba and os.cpu_count()

_hidden: set[str] = {os.path.dirname(os.path.realpath(__file__))}  # the judge itself, when installed as a package


def hide(path: Path | str) -> None:
    """Never show `path` in a box, even where it lies inside a bound folder (a shelf installed in site-packages)."""
    _hidden.add(os.path.realpath(path))


def _inside(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


@functools.lru_cache(maxsize=1)
def python_roots() -> tuple[str, ...]:
    """The interpreter's own folders, wherever it is installed (a venv under /tmp, /opt, $HOME ...).

    sys.prefix and sys.base_prefix (a venv and the Python it was made from), the real location of the
    executable and of libpython, and the folders numpy/numba were installed into when those lie
    elsewhere. Never "/" or a folder holding the user's home or current folder.
    """
    import sysconfig

    cands = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    exe = os.path.realpath(sys.executable)
    cands.add(os.path.dirname(os.path.dirname(exe)))  # <root>/bin/python3.x
    libdir = sysconfig.get_config_var("LIBDIR")
    if libdir:
        cands.add(os.path.dirname(libdir))
    import importlib.util

    for mod in ("numpy", "numba", "llvmlite"):
        try:
            spec = importlib.util.find_spec(mod)
        except (ImportError, ValueError):
            spec = None
        if spec and spec.origin:
            cands.add(os.path.dirname(os.path.dirname(os.path.realpath(spec.origin))))
    forbidden = {"/", os.path.realpath(os.path.expanduser("~")), os.path.realpath(os.getcwd())}
    roots = []
    for c in sorted({os.path.realpath(c) for c in cands if c}):
        if not os.path.isdir(c) or any(_inside(f, c) for f in forbidden):
            continue
        if any(_inside(c, s) for s in SYSTEM_DIRS if os.path.isdir(s) and not os.path.islink(s)):
            continue  # already in the box
        roots.append(c)
    # Keep the outermost: a venv inside the base install needs no second bind.
    return tuple(r for r in roots if not any(o != r and _inside(r, o) for o in roots))


def view(scratch: Path | None = None, build: Path | None = None, cache: Path | None = None,
         cache_writable: bool = False) -> list[tuple[str, str, str]]:
    """The box's mounts as (what, where in the box, how): `ale doctor` prints this."""
    # bwrap mounts in this order: /tmp first, so an interpreter installed under /tmp is bound over it.
    rows = [("(empty)", "/tmp", "tmpfs"), ("(new)", "/dev", "dev"), ("(new)", "/proc", "proc")]
    for d in SYSTEM_DIRS:
        if os.path.islink(d):
            rows.append((os.readlink(d), d, "symlink"))
        elif os.path.isdir(d):
            rows.append((d, d, "ro"))
    for name in ETC_ENTRIES:
        if os.path.lexists(f"/etc/{name}"):
            rows.append((f"/etc/{name}", f"/etc/{name}", "ro"))
    for d in SYS_ENTRIES:
        if os.path.isdir(d):
            rows.append((d, d, "ro"))
    for r in python_roots():
        rows.append((r, r, "ro"))
    bound = [w for _, w, how in rows if how == "ro"]
    for h in sorted(_hidden | {p for p in os.environ.get("ALE_SANDBOX_HIDE", "").split(":") if p}):
        if os.path.isdir(h) and any(_inside(h, b) for b in bound):
            rows.append(("(empty)", h, "hidden"))
    if scratch is not None:
        rows.append((str(scratch), SCRATCH, "rw"))
    if build is not None:
        rows.append((str(build), BUILD, "ro"))
    if cache is not None:
        rows.append((str(cache), CACHE, "rw" if cache_writable else "ro"))
    mon = c_monitor()
    rows.append((str(mon), MONITOR_IN_BOX, "ro") if mon is not None else (str(MONITOR), MONITOR_PY_IN_BOX, "ro"))
    return rows


@functools.lru_cache(maxsize=1)
def c_monitor() -> Path | None:
    """The monitor compiled from monitor.c (cached by its hash), or None to use monitor.py.

    A Python interpreter's start-up costs tens of milliseconds per case; the C build costs about one.
    ALE_MONITOR=python forces the Python one; without a C compiler it is used automatically.
    """
    if os.environ.get("ALE_MONITOR") == "python":
        return None
    import hashlib

    src = MONITOR_C.read_bytes()
    out = cache_home() / "monitor" / hashlib.sha256(src + b"\0static").hexdigest()[:16] / "monitor"
    if out.is_file() and os.access(out, os.X_OK):
        return out
    cc = shutil.which("cc") or shutil.which("gcc")
    if not cc:
        return None
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f"monitor.{os.getpid()}")
    # Static when libc.a is there: no dynamic loader on each case's exec (~0.3 ms a case).
    for flags in (["-O2", "-static"], ["-O2"]):
        r = subprocess.run([cc, *flags, "-o", str(tmp), str(MONITOR_C)], capture_output=True)
        if r.returncode == 0 and tmp.is_file():
            break
    else:
        return None
    os.replace(tmp, out)  # atomic: parallel judges never see half a binary
    return out


def bwrap_prefix(scratch: Path, build: Path | None, cache: Path | None, cache_writable: bool) -> list[str]:
    """bwrap's options for a box built from an allow-list (see `view`): nothing else of the host is there."""
    cmd = ["bwrap", "--unshare-net", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--die-with-parent",
           "--new-session"]
    flags = {"ro": "--ro-bind", "rw": "--bind"}
    for what, where, how in view(scratch, build, cache, cache_writable):
        if how in flags:
            cmd += [flags[how], what, where]
        elif how == "symlink":
            cmd += ["--symlink", what, where]
        elif how in ("hidden", "tmpfs"):
            cmd += ["--tmpfs", where]
        else:
            cmd += [f"--{how}", where]
    cmd += ["--chdir", SCRATCH]
    return cmd


def paths(scratch: Path, build: Path | None, cache: Path | None) -> tuple[str, str | None, str | None]:
    """Where scratch, build and cache appear to the solution in the current mode."""
    if mode() == "bwrap":
        return SCRATCH, BUILD if build else None, CACHE if cache else None
    return str(scratch), str(build) if build else None, str(cache) if cache else None


def monitor_argv(result_fd: int, limits: Limits, cwd: str, cmd: list[str], env: dict[str, str], in_box: bool,
                 sweep: bool = True) -> list[str]:
    """The monitor's command line: the C one when it could be built, else monitor.py (which takes env itself).

    sweep=False: the monitor must not kill the rest of its PID namespace at the end (under boxd.py).
    """
    mon = c_monitor()
    if mon is not None:
        return [MONITOR_IN_BOX if in_box else str(mon), *([] if sweep else ["--no-sweep"]), str(result_fd),
                str(cpu_rlimit(limits)), str(int(wall_kill(limits) * 1000)), str(limits.memory_mib << 20),
                str(limits.output_bytes), str(limits.max_procs), str((limits.address_mib or 0) << 20), cwd, "--", *cmd]
    args = {
        "cmd": cmd,
        "env": env,
        "cwd": cwd,
        "result_fd": result_fd,
        "cpu_limit": cpu_rlimit(limits),
        "wall_limit": wall_kill(limits),
        "memory_bytes": limits.memory_mib << 20,
        "output_bytes": limits.output_bytes,
        "max_procs": limits.max_procs,
        "address_bytes": (limits.address_mib << 20) if limits.address_mib else None,
        "sweep": sweep,
    }
    return [sys.executable, "-I", "-S", MONITOR_PY_IN_BOX if in_box else str(MONITOR), json.dumps(args)]


def invocation(
    cmd: list[str], limits: Limits, *, scratch: Path, build: Path | None = None, cache: Path | None = None,
    cache_writable: bool = False, env: dict[str, str] | None = None, env_in_argv: bool = True,
) -> tuple[list[str], int, int]:
    """The command line that runs `cmd` in the sandbox under the monitor, and the result pipe (read, write).

    `start` runs it itself; a trusted harness (an official `tester`) may run it as its child instead,
    as long as the write end is inherited (pass_fds) and closed here once that harness has started.
    With env_in_argv the command line sets the solution's environment itself (`env -i`), whoever
    runs it; `start` passes it to the process directly instead, one exec fewer.
    """
    m = mode()
    rfd, wfd = os.pipe()
    box, _, _ = paths(scratch, build, cache)
    env = env if env is not None else clean_env(home=box)
    inner = monitor_argv(wfd, limits, box, cmd, env, in_box=m == "bwrap")
    if c_monitor() is not None and env_in_argv:
        # env -i: the solution sees exactly `env`, whoever starts this command line (a tester too).
        inner = ["/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items()), *inner]
    if m == "bwrap":
        full = bwrap_prefix(scratch, build, cache, cache_writable) + inner
    elif m == "unshare":
        full = ["unshare", "--net", "--pid", "--fork", "--kill-child", "--mount-proc"] + inner
    else:
        full = inner
    return full, rfd, wfd


def start(
    cmd: list[str], limits: Limits, *, scratch: Path, build: Path | None = None, cache: Path | None = None,
    cache_writable: bool = False, env: dict[str, str] | None = None, stdin=None, stdout=None, stderr=None,
) -> tuple[subprocess.Popen, int]:
    """Start `cmd` under the monitor; returns the process and the read end of the result pipe.

    stdin/stdout/stderr are file objects or subprocess.PIPE; the monitor hands them to the solution.
    """
    box, _, _ = paths(scratch, build, cache)
    env = env if env is not None else clean_env(home=box)
    full, rfd, wfd = invocation(cmd, limits, scratch=scratch, build=build, cache=cache, cache_writable=cache_writable,
                                env=env, env_in_argv=False)
    if full[0] in ("bwrap", "unshare"):  # resolved with the judge's PATH, not the solution's
        full[0] = shutil.which(full[0]) or full[0]
    proc = subprocess.Popen(
        full, stdin=stdin, stdout=stdout, stderr=stderr, pass_fds=(wfd,), env=env, start_new_session=True,
    )
    os.close(wfd)
    return proc, rfd


def finish(proc: subprocess.Popen, rfd: int, timeout: float, started: float | None = None) -> Measured:
    """Wait for the sandbox to end (killing it past `timeout`) and read the monitor's figures.

    If the monitor left no figures (something killed it), the wall time is the time since
    `started` when the sandbox ended by itself, and `timeout` when we had to end it.
    """
    if not _wait(proc, timeout):
        kill(proc)
        proc.wait()
        started = None
    return read_result(rfd, timeout if started is None else time.monotonic() - started)


def read_result(rfd: int, wall: float) -> Measured:
    """The monitor's figures from the result pipe (closing it); `wall` is reported if the monitor died."""
    with os.fdopen(rfd, "rb") as f:
        raw = f.read()
    try:
        r = json.loads(raw)
    except ValueError:
        # The monitor itself died (killed by the solution, or the sandbox failed to start).
        return Measured(wall=wall, cpu=0.0, peak_mib=0.0, exit=None, signal=9, killed="sandbox")
    return Measured(
        wall=r["wall"], cpu=r["cpu"], peak_mib=r["peak_bytes"] / (1 << 20),
        exit=r["exit"], signal=r["signal"], killed=r["killed"],
    )


def _wait(proc: subprocess.Popen, timeout: float) -> bool:
    """Wait for `proc` to exit; False on timeout.

    Popen.wait(timeout) polls with sleeps of up to 50 ms, which cost a fast solution
    ~20 ms per case; a pidfd wakes us the moment the process ends.
    """
    try:
        fd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):  # no pidfd (old kernel, or the process is already reaped)
        try:
            proc.wait(timeout=timeout)
            return True
        except subprocess.TimeoutExpired:
            return False
    try:
        ready, _, _ = select.select([fd], [], [], timeout)
    finally:
        os.close(fd)
    if not ready:
        return False
    proc.wait()
    return True


def kill(proc: subprocess.Popen) -> None:
    """Kill the sandbox's whole session (bwrap takes its PID namespace down with it)."""
    try:
        os.killpg(proc.pid, 9)
    except OSError:
        pass


def abort(proc: subprocess.Popen | None) -> None:
    """kill(), from a thread that does not own `proc`: only while it runs (once it is reaped its
    process group id may belong to someone else)."""
    if proc is not None and proc.poll() is None:
        kill(proc)


def self_test(code: str = "import sys; print(sys.version.split()[0])") -> tuple[bool, str]:
    """Run one Python case in a real box (as the judge would) and say what went wrong if it failed.

    `ale doctor` uses it: a box that cannot start the interpreter turns every case into RE.
    """
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ale-doctor-") as tmp:
        scratch = Path(tmp) / "box"
        scratch.mkdir()
        out, err = Path(tmp) / "out", Path(tmp) / "err"
        with open(os.devnull, "rb") as fi, open(out, "wb") as fo, open(err, "wb") as fe:
            limits = Limits(time=20, memory_mib=2048)
            proc, rfd = start([sys.executable, "-c", code], limits, scratch=scratch, stdin=fi, stdout=fo, stderr=fe)
            m = finish(proc, rfd, timeout=finish_timeout(limits))
        text, errs = out.read_text(errors="replace").strip(), err.read_text(errors="replace").strip()
    if m.exit == 0:
        return True, text
    why = errs.splitlines()[-1] if errs else (f"killed ({m.killed})" if m.killed else f"exit {m.exit}, signal {m.signal}")
    return False, f"{sys.executable} in the {mode()} box: {why}"
