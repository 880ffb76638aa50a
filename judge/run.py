"""Run one case of a native problem (batch, or interactive with a Python interactor) in a worker's folder.

`run_case` is what every judge worker calls per seed; `runner_for` picks the CaseRunner (judge.case)
for the problem: `batch`, `interactive` here, or the official tester's (judge.tools).
"""

from __future__ import annotations

import functools
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Callable

from judge import sandbox
from judge.case import Case, CaseResult, CaseRunner, save, tail
from judge.compile import Build
from judge.errors import WrongAnswer
from judge.limits import EXIT_GRACE, HANGUP_GRACE, INTERACTIVE_SLACK, Limits, finish_timeout
from judge.verdict import Outcome, checker_failed, crash_message, decide, output_limit


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
        self.running: subprocess.Popen | None = None  # the one-shot sandbox of the case now running (no box)
        self.aborted = False
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

    def abort(self) -> None:
        """Kill the case running in this worker, from another thread (judge's `cancel`), and any it
        starts later. (An official tester's case still ends at its time limit.)"""
        self.aborted = True
        if self.box is not None:
            self.box.abort()
        sandbox.abort(self.running)

    def close(self) -> None:
        if self.box is not None:
            self.box.close()
        _remove_tree(str(self.dir))

    def __enter__(self) -> "Worker":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def run_one(problem, build: Build, seed: int, limits: Limits, save_outputs, worker_for: Callable[[], Worker]) -> CaseResult:
    """One seed, as every judge worker runs it (local thread or cluster node): CE, IE or run_case."""
    if not build.ok:
        return CaseResult(seed, "CE", message=build.summary, log=build.message)
    try:
        text = problem.generate(seed)
    except Exception as e:  # the generator's bug, not the solution's
        return CaseResult(seed, "IE", message=f"generator failed: {type(e).__name__}: {e}")
    return run_case(problem, build, seed, text, limits, save_dir=save_outputs, worker=worker_for())


def run_case(problem, build: Build, seed: int, input_text: str, limits: Limits, save_dir: Path | None = None,
             worker: Worker | None = None) -> CaseResult:
    """Judge one seed. Never raises for anything the solution or scorer does."""
    if worker is None:
        with Worker(build) as w:
            return run_case(problem, build, seed, input_text, limits, save_dir, w)
    folder = worker.fresh()
    home, sol, _ = sandbox.paths(worker.scratch, build.dir, None)
    env = sandbox.clean_env(build.env(sol), home=home)
    if worker.cache is not None:
        env["NUMBA_CACHE_DIR"] = f"{home}/{NUMBA_CACHE}"
    kw = dict(scratch=worker.scratch, build=build.dir, cache=None, cache_writable=False, env=env)
    case = Case(problem, seed, input_text, limits, folder, build.command(sol), kw, save_dir, worker.box, worker)
    try:
        return runner_for(problem)(case)
    finally:
        worker.running = None


def runner_for(problem) -> CaseRunner:
    """The problem's way of running a case: batch, its Python interactor, or its official tester."""
    if not problem.interactive:
        return batch
    if getattr(problem, "tools", None):  # official tools: their `tester` talks to the sandboxed solution
        from judge.tools import run_with_tester

        return run_with_tester
    return interactive


class _Popened:
    """A one-shot sandbox process with the same surface as a case in a Box."""

    def __init__(self, proc: subprocess.Popen, rfd: int):
        self.proc, self.rfd, self.stdin, self.stdout = proc, rfd, proc.stdin, proc.stdout
        self.t0 = time.monotonic()

    def finish(self, timeout: float) -> sandbox.Measured:
        return sandbox.finish(self.proc, self.rfd, timeout, started=self.t0)


def _start(case: Case, stdin, stdout, stderr):
    if case.box is not None:
        return case.box.start(case.cmd, case.limits, case.sandbox["env"], stdin, stdout, stderr)
    run = _Popened(*sandbox.start(case.cmd, case.limits, stdin=stdin, stdout=stdout, stderr=stderr, **case.sandbox))
    if case.worker is not None:
        case.worker.running = run.proc
        if case.worker.aborted:
            sandbox.kill(run.proc)
    return run


def batch(case: Case) -> CaseResult:
    """The solution reads the input file and writes its output; the problem's scorer scores it."""
    tmp, limits = case.folder, case.limits
    (tmp / "in").write_text(case.input_text)
    with open(tmp / "in", "rb") as fi, open(tmp / "out", "wb") as fo, open(tmp / "err", "wb") as fe:
        m = _start(case, fi, fo, fe).finish(timeout=finish_timeout(limits))
    log = tail(tmp / "err")
    size = (tmp / "out").stat().st_size
    if case.save_dir:
        save(case.save_dir, case.seed, case.input_text, tmp / "out", log)

    def score() -> Outcome:
        output = (tmp / "out").read_bytes().decode("utf-8", "replace")
        try:
            return Outcome("AC", int(case.problem.score(case.input_text, output)))
        except WrongAnswer as e:
            return Outcome("WA", message=str(e) or "wrong answer")
        except Exception:
            return checker_failed("scorer")

    outcome = decide(m, limits, checked=score, crash=crash_message(m), output_size=size)
    return CaseResult.of(case.seed, outcome, m.time, m.peak_mib, log)


def interactive(case: Case) -> CaseResult:
    """The problem's interactor talks to the solution through a Channel while it runs."""
    tmp, limits, seed = case.folder, case.limits, case.seed
    with open(tmp / "err", "wb") as fe:
        proc = _start(case, subprocess.PIPE, subprocess.PIPE, fe)
        chan = Channel(proc, deadline=time.monotonic() + limits.time + INTERACTIVE_SLACK, cap=limits.output_bytes)
        try:
            checked = Outcome("AC", int(case.problem.interact(case.input_text, chan)))
        except WrongAnswer as e:
            checked = Outcome("WA", message=str(e) or "wrong answer")
        except _OutputLimit:
            checked = Outcome("OLE", message=output_limit(limits))
        except Exception:
            checked = checker_failed("interactor")
        accepted = checked.verdict == "AC"
        for pipe in (proc.stdin,) if accepted else (proc.stdin, proc.stdout):
            try:
                pipe.close()  # EOF / SIGPIPE for a solution still talking
            except OSError:
                pass
        grace = max(HANGUP_GRACE, chan._deadline - time.monotonic()) + EXIT_GRACE if accepted else HANGUP_GRACE
        m = proc.finish(timeout=grace)
        if not proc.stdout.closed:
            proc.stdout.close()
    log = tail(tmp / "err")
    if case.save_dir:
        (tmp / "out").write_text("\n".join(chan.transcript) + "\n")
        save(case.save_dir, seed, case.input_text, tmp / "out", log)
    hung_up = m.killed == "sandbox" and not accepted  # we ended it ourselves after the verdict was known
    if checked.verdict == "IE":
        checked = replace(checked, log=checked.log + "\n--- solution stderr ---\n" + log)
    # A crash explains the case only if the solution ended on its own, not after we judged WA and hung up.
    crash = None if m.killed == "sandbox" or (checked.verdict == "WA" and not chan.eof) else crash_message(m)
    if m.signal == signal.SIGPIPE:
        crash = None
    size = limits.output_bytes if checked.verdict == "OLE" else chan.received
    outcome = decide(m, limits, checked=checked, crash=crash, output_size=size, ended_by_judge=hung_up)
    return CaseResult.of(seed, outcome, 0.0 if hung_up else m.time, m.peak_mib, log)
