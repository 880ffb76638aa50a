"""A long-lived bwrap sandbox per judge worker, so a case does not pay for a new one.

A fresh `bwrap` (namespaces, mounts, no network) costs ~10 ms, as much as a small solution
runs. A Box starts bwrap once around `boxd.py`, a tiny server, and sends it each case over a
Unix socket: the monitor's argv and environment, plus the case's stdin/stdout/stderr and
result pipe as file descriptors. Isolation is the same as a one-shot bwrap: the server kills
every leftover process and empties /tmp after each case, and the judge empties the scratch
folder before the next. A case that outlives its deadline takes the whole box down with it;
the next case starts a new one.
"""

from __future__ import annotations

import json
import os
import select
import socket
import subprocess
import sys
import time
from pathlib import Path

from judge import sandbox

BOXD = Path(__file__).with_name("boxd.py")
BOXD_IN_BOX = "/tmp/.ale-boxd.py"
START_TIMEOUT = 10.0  # seconds for a new box to say it is ready
CLOSE_GRACE = 2.0  # seconds the server gets to exit on its own at the end of a worker before it is killed


class Box:
    def __init__(self, scratch: Path, build: Path | None, cache: Path | None, cache_writable: bool = True):
        self._mounts = (scratch, build, cache, cache_writable)
        self._proc: subprocess.Popen | None = None
        self._sock: socket.socket | None = None

    def _ensure(self) -> bool:
        """Start the box if it is not running; False if it cannot be started."""
        if self._proc is not None and self._proc.poll() is None:
            return True
        self.kill()
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # What the server must not remove from the box's /tmp: the judge's mounts (an interpreter under /tmp too).
        keep = {where.split("/")[2] for _, where, how in sandbox.view(*self._mounts)
                if where.startswith("/tmp/") and how != "tmpfs"} | {os.path.basename(BOXD_IN_BOX)}
        cmd = sandbox.bwrap_prefix(*self._mounts) + ["--ro-bind", str(BOXD), BOXD_IN_BOX]
        cmd += [sys.executable, "-I", "-S", BOXD_IN_BOX, str(theirs.fileno()), *sorted(keep)]
        try:
            self._proc = subprocess.Popen(
                cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=None if os.environ.get("ALE_DEBUG") else subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),), env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
                start_new_session=True,
            )
        except OSError:
            ours.close()
            return False
        finally:
            theirs.close()
        self._sock = ours
        if self._reply(START_TIMEOUT) is None:
            self.kill()
            return False
        return True

    def _reply(self, timeout: float) -> dict | None:
        """The server's next message, or None if it died or said nothing within `timeout`."""
        ready, _, _ = select.select([self._sock], [], [], timeout)
        if not ready:
            return None
        try:
            data = self._sock.recv(1 << 16)
        except OSError:
            return None
        return json.loads(data) if data else None

    def start(self, cmd: list[str], limits: sandbox.Limits, env: dict[str, str], stdin, stdout, stderr) -> "BoxRun":
        """Start one case. stdin/stdout are file objects or subprocess.PIPE; stderr a file object."""
        ends, mine = [], []  # fds to hand over (closed here once sent), and our ends of pipes
        for i, stream in enumerate((stdin, stdout, stderr)):
            if stream is subprocess.PIPE:
                r, w = os.pipe()
                child, parent = (r, w) if i == 0 else (w, r)
                ends.append(child)
                mine.append(os.fdopen(parent, "wb" if i == 0 else "rb", buffering=0 if i else -1))
            else:
                ends.append(os.dup(stream.fileno()))
                mine.append(None)
        rfd, wfd = os.pipe()
        ends.append(wfd)
        t0 = time.monotonic()
        started = False
        try:
            if self._ensure():
                argv = sandbox.monitor_argv(3, limits, sandbox.SCRATCH, cmd, env, in_box=True, sweep=False)
                msg = json.dumps({"argv": argv, "env": env}).encode()
                try:
                    socket.send_fds(self._sock, [msg], ends)
                    started = True
                except OSError:
                    self.kill()
        finally:
            for fd in ends:
                os.close(fd)
        return BoxRun(self, rfd, mine[0], mine[1], started, t0)

    def kill(self) -> None:
        """Take the box down (its PID namespace and everything in it)."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._proc is not None:
            sandbox.kill(self._proc)
            self._proc.wait()
            self._proc = None

    def abort(self) -> None:
        """Kill the box from another thread; the thread waiting on the case sees it die and cleans up."""
        sandbox.abort(self._proc)

    def close(self) -> None:
        """Let the server exit on its own (end of the socket), or kill it."""
        if self._sock is not None:
            self._sock.close()
            self._sock = None
        if self._proc is not None:
            try:
                self._proc.wait(timeout=CLOSE_GRACE)
            except subprocess.TimeoutExpired:
                pass
            self.kill()


class BoxRun:
    """One running case in a Box: the same surface as a one-shot sandbox process."""

    def __init__(self, box: Box, rfd: int, stdin, stdout, started: bool, t0: float):
        self.box, self.rfd, self.stdin, self.stdout, self.started, self.t0 = box, rfd, stdin, stdout, started, t0

    def finish(self, timeout: float) -> sandbox.Measured:
        """Wait for the case to end (killing the box past `timeout`) and read the monitor's figures."""
        reply = self.box._reply(timeout) if self.started else None
        wall = time.monotonic() - self.t0
        if reply is None or "error" in reply:  # the box died, failed, or we gave up waiting: a new one next time
            self.box.kill()
        return sandbox.read_result(self.rfd, min(wall, timeout))
