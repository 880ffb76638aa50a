"""Run one case (batch or interactive) and turn what happened into a verdict."""

from __future__ import annotations

import functools
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

from judge import sandbox
from judge.compile import Build
from judge.errors import WrongAnswer

VERDICTS = ("AC", "WA", "TLE", "MLE", "RE", "OLE", "CE", "IE")
LOG_TAIL = 8000


@dataclass
class CaseResult:
    seed: int
    verdict: str
    score: int = 0
    time: float = 0.0
    memory: float = 0.0  # peak resident MiB
    message: str = ""
    log: str = ""  # the solution's stderr tail (or the scorer's traceback for IE)
    relative: float | None = None  # vs the best known score for this seed, 0..1

    def to_dict(self) -> dict:
        return asdict(self)


class _OutputLimit(Exception):
    pass


class Channel:
    """What an interactor talks through: lines to and from the solution's pipes."""

    def __init__(self, proc: subprocess.Popen, deadline: float, cap: int):
        self._proc = proc
        self._fd = proc.stdout.fileno()
        self._buf = b""
        self._deadline = deadline
        self._cap = cap
        self.received = 0
        self.eof = False  # the solution closed its output (exited) while we waited
        self.transcript: list[str] = []  # what the solution printed, for visualizers

    def send(self, text: str) -> None:
        if not text.endswith("\n"):
            text += "\n"
        try:
            self._proc.stdin.write(text.encode())
            self._proc.stdin.flush()
        except (BrokenPipeError, OSError):
            raise WrongAnswer("the solution exited before reading everything sent to it") from None

    def recv(self) -> str:
        while b"\n" not in self._buf:
            left = self._deadline - time.monotonic()
            if left <= 0:
                raise WrongAnswer("no answer from the solution before its time ran out")
            ready, _, _ = select.select([self._fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._fd, 65536)
            if not chunk:
                self.eof = True
                raise WrongAnswer("the solution exited without printing the expected line")
            self.received += len(chunk)
            if self.received > self._cap:
                raise _OutputLimit()
            self._buf += chunk
        line, self._buf = self._buf.split(b"\n", 1)
        text = line.decode("utf-8", "replace").rstrip("\r")
        self.transcript.append(text)
        return text


def _tail(path: Path, n: int = LOG_TAIL) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - n))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def _limit_verdict(m: sandbox.Measured, limits: sandbox.Limits, output_size: int) -> tuple[str, str] | None:
    """Verdicts decided by the measurements alone, in AtCoder's order of precedence."""
    if m.killed == "memory" or m.peak_mib > limits.memory_mib:
        return "MLE", f"peak memory {m.peak_mib:.0f} MiB > {limits.memory_mib} MiB"
    if m.killed == "time" or m.time > limits.time or m.signal == signal.SIGXCPU:
        return "TLE", f"time {m.time:.2f} s > {limits.time:g} s"
    if m.signal == signal.SIGXFSZ or output_size >= limits.output_bytes:
        return "OLE", f"output exceeds {limits.output_bytes >> 20} MiB"
    if m.killed == "processes":
        return "RE", f"more than {limits.max_procs} processes"
    return None


def _crash_message(m: sandbox.Measured) -> str | None:
    if m.killed == "sandbox":
        return "the sandbox ended abnormally (the monitor was killed)"
    if m.signal:
        try:
            name = signal.Signals(m.signal).name
        except ValueError:
            name = str(m.signal)
        return f"killed by signal {name}"
    if m.exit:
        return f"exit code {m.exit}"
    return None


def _ie(seed: int, m: sandbox.Measured | None, where: str) -> CaseResult:
    tb = traceback.format_exc()
    last = tb.strip().splitlines()[-1]
    return CaseResult(seed, "IE", 0, m.time if m else 0.0, m.peak_mib if m else 0.0, f"{where} failed: {last}", tb[-LOG_TAIL:])


SHM = "/dev/shm"
NUMBA_CACHE = ".numba-cache"  # each case's copy of the build's numba cache, in its scratch folder
SHM_MIN_FREE = 2 << 30


def work_root() -> str | None:
    """Where case folders go: $TMPDIR if set, else /dev/shm when it has room, else the system default.

    On a disk file system every case's small files cost milliseconds (ext4 flushes a file that is
    truncated and rewritten when it is closed); on tmpfs they cost microseconds.
    """
    if os.environ.get("TMPDIR"):
        return None
    try:
        st = os.statvfs(SHM)
        if st.f_bavail * st.f_frsize >= SHM_MIN_FREE and os.access(SHM, os.W_OK):
            return SHM
    except OSError:
        pass
    return None


@functools.lru_cache(maxsize=None)
def _reap_stale(root: str) -> None:
    """Remove worker folders left by judges that were killed (once per process and folder):
    on /dev/shm they would hold memory until the next reboot."""
    try:
        names = os.listdir(root)
    except OSError:
        return
    for name in names:
        parts = name.split("-")
        if name.startswith("ale-worker-") and len(parts) > 3 and parts[2].isdigit():
            if not os.path.exists(f"/proc/{parts[2]}"):
                _remove_tree(os.path.join(root, name))


def _remove_tree(path: str) -> None:
    """rmtree, also of folders a solution left without read or write permission for us."""
    try:
        shutil.rmtree(path)
        return
    except OSError:
        pass
    stack = [path]
    while stack:  # give ourselves rwx on every folder under path, then try again
        d = stack.pop()
        try:
            os.chmod(d, 0o700)
            with os.scandir(d) as entries:
                stack += [e.path for e in entries if e.is_dir(follow_symlinks=False)]
        except OSError:
            pass
    shutil.rmtree(path, ignore_errors=True)


class Worker:
    """One judge worker's folder, reused case after case, and with bwrap its long-lived Box.

    A temporary folder per case costs ~1 ms to create and remove on ext4, and a new bwrap per
    case ~10 ms; a solution that runs 2 ms would otherwise be judged mostly on overhead.
    """

    def __init__(self, build: Build):
        root = work_root()
        _reap_stale(root or tempfile.gettempdir())
        self.dir = Path(tempfile.mkdtemp(prefix=f"ale-worker-{os.getpid()}-", dir=root))
        self.scratch = self.dir / "box"
        self.scratch.mkdir()
        # The warm-up's numba cache, copied into each case's scratch folder: numba only loads from a
        # folder it can write, and a case that could write the shared one could leave state for the next.
        self.cache = build.cache if build.cache.is_dir() and any(build.cache.iterdir()) else None
        self.box = None
        if sandbox.mode() == "bwrap":
            from judge.box import Box  # (and socket) only when there is a box

            self.box = Box(self.scratch, build.dir, None, cache_writable=False)

    def fresh(self) -> Path:
        """Empty the scratch folder (whatever the last case left, even a chmod) for the next case."""
        os.chmod(self.scratch, 0o755)
        with os.scandir(self.scratch) as entries:
            for e in entries:
                if e.is_dir(follow_symlinks=False):
                    _remove_tree(e.path)
                else:
                    os.unlink(e.path)
        if self.cache is not None:
            shutil.copytree(self.cache, self.scratch / NUMBA_CACHE, symlinks=True)
        return self.dir

    def close(self) -> None:
        if self.box is not None:
            self.box.close()
        _remove_tree(str(self.dir))

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def run_case(problem, build: Build, seed: int, input_text: str, limits: sandbox.Limits, save_dir: Path | None = None,
             worker: Worker | None = None) -> CaseResult:
    """Judge one seed. Never raises for anything the solution or scorer does."""
    if worker is None:
        with Worker(build) as w:
            return run_case(problem, build, seed, input_text, limits, save_dir, w)
    tmp = worker.fresh()
    home, sol, _ = sandbox.paths(worker.scratch, build.dir, None)
    cmd = build.command(sol)
    env = sandbox.clean_env(build.env(sol), home=home)
    if worker.cache is not None:
        env["NUMBA_CACHE_DIR"] = f"{home}/{NUMBA_CACHE}"
    kw = dict(scratch=worker.scratch, build=build.dir, cache=None, cache_writable=False, env=env)
    if problem.interactive:
        return _interactive(problem, seed, input_text, limits, tmp, cmd, kw, save_dir, worker.box)
    return _batch(problem, seed, input_text, limits, tmp, cmd, kw, save_dir, worker.box)


class _Popened:
    """A one-shot sandbox process with the same surface as a case in a Box."""

    def __init__(self, proc: subprocess.Popen, rfd: int):
        self.proc, self.rfd, self.stdin, self.stdout = proc, rfd, proc.stdin, proc.stdout
        self.t0 = time.monotonic()

    def finish(self, timeout: float) -> sandbox.Measured:
        return sandbox.finish(self.proc, self.rfd, timeout, started=self.t0)


def _start(box, cmd, limits, kw, stdin, stdout, stderr):
    if box is not None:
        return box.start(cmd, limits, kw["env"], stdin, stdout, stderr)
    return _Popened(*sandbox.start(cmd, limits, stdin=stdin, stdout=stdout, stderr=stderr, **kw))


def _batch(problem, seed, input_text, limits, tmp, cmd, kw, save_dir, box=None) -> CaseResult:
    (tmp / "in").write_text(input_text)
    with open(tmp / "in", "rb") as fi, open(tmp / "out", "wb") as fo, open(tmp / "err", "wb") as fe:
        m = _start(box, cmd, limits, kw, fi, fo, fe).finish(timeout=limits.time + 10)
    log = _tail(tmp / "err")
    size = (tmp / "out").stat().st_size
    if save_dir:
        _save(save_dir, seed, input_text, tmp / "out", log)
    base = dict(time=m.time, memory=m.peak_mib, log=log)
    lv = _limit_verdict(m, limits, size)
    if lv:
        return CaseResult(seed, lv[0], message=lv[1], **base)
    crash = _crash_message(m)
    if crash:
        return CaseResult(seed, "RE", message=crash, **base)
    output = (tmp / "out").read_bytes().decode("utf-8", "replace")
    try:
        score = int(problem.score(input_text, output))
    except WrongAnswer as e:
        return CaseResult(seed, "WA", message=str(e) or "wrong answer", **base)
    except Exception:
        return _ie(seed, m, "scorer")
    return CaseResult(seed, "AC", score, **base)


def _interactive(problem, seed, input_text, limits, tmp, cmd, kw, save_dir, box=None) -> CaseResult:
    if getattr(problem, "tools", None):  # official tools: their `tester` talks to the sandboxed solution
        from judge.tools import run_interactive

        return run_interactive(problem, seed, input_text, limits, tmp, cmd, kw, save_dir)
    with open(tmp / "err", "wb") as fe:
        proc = _start(box, cmd, limits, kw, subprocess.PIPE, subprocess.PIPE, fe)
        chan = Channel(proc, deadline=time.monotonic() + limits.time + 1.0, cap=limits.output_bytes)
        outcome, score, message = "AC", 0, ""
        try:
            score = int(problem.interact(input_text, chan))
        except WrongAnswer as e:
            outcome, message = "WA", str(e) or "wrong answer"
        except _OutputLimit:
            outcome, message = "OLE", f"output exceeds {limits.output_bytes >> 20} MiB"
        except Exception:
            outcome = "IE"
            ie = _ie(seed, None, "interactor")
        for pipe in (proc.stdin, proc.stdout) if outcome != "AC" else (proc.stdin,):
            try:
                pipe.close()  # EOF / SIGPIPE for a solution still talking
            except OSError:
                pass
        grace = 0.5 if outcome != "AC" else max(0.5, chan._deadline - time.monotonic()) + 1
        m = proc.finish(timeout=grace)
        if not proc.stdout.closed:
            proc.stdout.close()
    log = _tail(tmp / "err")
    if save_dir:
        (tmp / "out").write_text("\n".join(chan.transcript) + "\n")
        _save(save_dir, seed, input_text, tmp / "out", log)
    base = dict(time=m.time, memory=m.peak_mib, log=log)
    if m.killed == "sandbox" and outcome != "AC":  # we ended it ourselves after the verdict was known
        base["time"] = 0.0
    else:
        lv = _limit_verdict(m, limits, chan.received if outcome != "OLE" else limits.output_bytes)
        if lv:
            return CaseResult(seed, lv[0], message=lv[1], **base)
    if outcome == "IE":
        ie.time, ie.memory, ie.log = base["time"], m.peak_mib, ie.log + "\n--- solution stderr ---\n" + log
        return ie
    if outcome == "OLE":
        return CaseResult(seed, outcome, message=message, **base)
    # A crash explains the case only if the solution ended on its own, not after we judged WA and hung up.
    crash = None if m.killed == "sandbox" or (outcome == "WA" and not chan.eof) else _crash_message(m)
    if crash and m.signal != signal.SIGPIPE:
        return CaseResult(seed, "RE", message=crash, **base)
    if outcome == "WA":
        return CaseResult(seed, outcome, message=message, **base)
    return CaseResult(seed, "AC", score, **base)


def _save(folder: Path, seed: int, input_text: str, out: Path, log: str) -> None:
    folder = Path(folder)
    for sub in ("in", "out", "err"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    name = f"{seed:04d}.txt"
    (folder / "in" / name).write_text(input_text)
    (folder / "out" / name).write_bytes(out.read_bytes() if out.exists() else b"")
    (folder / "err" / name).write_text(log)
