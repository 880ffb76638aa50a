"""The in-sandbox case server: runs inside one long-lived bwrap box per judge worker.

Starting a new bwrap (namespaces, mounts) costs ~10 ms a case, as much as a small solution.
This server instead receives each case over a Unix socket: a JSON message with the monitor's
argv and environment, and four file descriptors (stdin, stdout, stderr, result pipe) as
SCM_RIGHTS. It starts the monitor on them, waits, then sweeps the box so the next case starts
clean: every other process in the PID namespace is killed, and /tmp is emptied except the
mounts the judge made. It replies with one JSON message ({"ok": true} or {"error": ...}).

Runs as `python -I -S boxd.py SOCKET_FD KEEP...`: standard library only, no site-packages.
"""

import fcntl
import json
import os
import shutil
import signal
import socket
import sys
import time


def sweep(me: int) -> None:
    """Kill every process in this PID namespace except init (1) and us; wait until they are gone."""
    deadline = time.monotonic() + 2.0
    while True:
        others = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in (1, me)]
        if not others:
            return
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        try:  # our own children (none once the monitor is reaped, but be sure)
            while os.waitpid(-1, os.WNOHANG)[0]:
                pass
        except ChildProcessError:
            pass
        if time.monotonic() > deadline:
            return
        time.sleep(0.001)


def clean_tmp(keep: set) -> None:
    """Remove what a case left in the box's private /tmp (the scratch folder is emptied by the judge)."""
    for name in os.listdir("/tmp"):
        if name in keep:
            continue
        path = os.path.join("/tmp", name)
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.unlink(path)
        except OSError:
            pass


def run_one(msg: dict, fds: list) -> None:
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10) for fd in fds]  # above the dup2 targets 0-3
    for fd in fds:
        os.close(fd)
    try:
        actions = [(os.POSIX_SPAWN_DUP2, fd, target) for target, fd in enumerate(high)]
        pid = os.posix_spawn(msg["argv"][0], msg["argv"], msg["env"], file_actions=actions)
    finally:
        for fd in high:
            os.close(fd)
    os.waitpid(pid, 0)


def main() -> None:
    fd = int(sys.argv[1])
    os.set_inheritable(fd, False)  # the monitor and the solution must not hold the judge's socket
    sock = socket.socket(fileno=fd)
    keep = set(sys.argv[2:])
    me = os.getpid()
    sock.sendall(b'{"ready": true}')
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(sock, 1 << 20, 4)
        except OSError:
            return
        if not data:
            return  # the judge closed its end: this worker is done
        try:
            run_one(json.loads(data), fds)
            reply = {"ok": True}
        except Exception as e:  # report, stay up: the judge turns this into a verdict
            reply = {"error": f"{type(e).__name__}: {e}"}
        sweep(me)
        clean_tmp(keep)
        sock.sendall(json.dumps(reply).encode())


if __name__ == "__main__":
    main()
