"""Runs inside the sandbox: starts the solution, enforces limits, measures it.

Through bwrap the judge's own rusage cannot see the sandboxed program, so this
tiny wrapper runs next to it and reports CPU time, wall time and peak resident
memory of the whole process tree on a result file descriptor. It imports only
the standard library and is started with `python -I -S` to stay cheap.

Usage: python -I -S monitor.py '<json args>'   (stdin/stdout/stderr are the solution's)
"""

import os
import resource
import select
import sys
import time

# json, signal (and the re/enum they pull in) cost more than the interpreter's own start-up,
# paid once per case: the arguments are decoded and the result encoded by hand instead.
SIGKILL = 9  # Linux signal numbers
SWEEP = True  # off under the box server (boxd.py), which sweeps the box itself
_JSON_NAMES = {"null": None, "true": True, "false": False}


def decode_args(text):
    """The judge's json.dumps(...) of plain lists, dicts, strings and numbers, without importing json.

    JSON produced by json.dumps is valid Python once null/true/false are named; \\uXXXX escapes of
    characters beyond the BMP come out as surrogate pairs, which are joined back here.
    """
    value = eval(text, {"__builtins__": {}}, _JSON_NAMES)  # trusted: written by judge/sandbox.py
    return _join_surrogates(value)


def _join_surrogates(v):
    if isinstance(v, str):
        if any("\ud800" <= c <= "\udfff" for c in v):
            return v.encode("utf-16", "surrogatepass").decode("utf-16", "surrogateescape")
        return v
    if isinstance(v, list):
        return [_join_surrogates(x) for x in v]
    if isinstance(v, dict):
        return {_join_surrogates(k): _join_surrogates(x) for k, x in v.items()}
    return v


def encode_result(res):
    """The result as a JSON object (numbers, null and plain-word strings only)."""
    parts = []
    for k, v in res.items():
        if v is None:
            v = "null"
        elif isinstance(v, str):
            v = '"' + v + '"'
        else:
            v = repr(v)
        parts.append(f'"{k}": {v}')
    return "{" + ", ".join(parts) + "}"


def tree(root):
    """Pids of root and all its descendants (via /proc/<pid>/task/<tid>/children)."""
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            pass
    return out


def rss_bytes(pids, page=os.sysconf("SC_PAGE_SIZE")):
    """Resident memory of the tree: RSS for one process, PSS when several share pages (fork)."""
    if len(pids) == 1:
        try:
            with open(f"/proc/{pids[0]}/statm") as f:
                return int(f.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            return 0
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, IndexError, ValueError):
            pass
    return total


def kill_everything(child):
    """Kill the solution's group, its tree, and in a private PID namespace every other process."""
    for pid in tree(child):
        try:
            os.kill(pid, SIGKILL)
        except OSError:
            pass
    try:
        os.killpg(child, SIGKILL)
    except OSError:
        pass
    if SWEEP and os.getpid() <= 3:  # we are (near) PID 1 of our own namespace: sweep the rest
        me = os.getpid()
        for name in os.listdir("/proc"):
            if name.isdigit() and int(name) not in (me, 1):
                try:
                    os.kill(int(name), SIGKILL)
                except OSError:
                    pass


def main():
    global SWEEP
    a = decode_args(sys.argv[1])
    SWEEP = a.get("sweep", True)
    result_fd = a["result_fd"]
    mem_limit = a["memory_bytes"]
    wall_limit = a["wall_limit"]
    max_procs = a.get("max_procs", 64)
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            cpu = a["cpu_limit"]
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
            resource.setrlimit(resource.RLIMIT_FSIZE, (a["output_bytes"], a["output_bytes"]))
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
            # A hard ceiling against runaway allocation; the real MLE check is resident memory.
            if a.get("address_bytes"):
                resource.setrlimit(resource.RLIMIT_AS, (a["address_bytes"], a["address_bytes"]))
            try:
                resource.setrlimit(resource.RLIMIT_STACK, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
            except (ValueError, OSError):
                pass
            if os.getuid() != 0:
                resource.setrlimit(resource.RLIMIT_NPROC, (max_procs, max_procs))
            os.closerange(3, 1024)
            if a.get("cwd"):
                os.chdir(a["cwd"])
            os.execvpe(a["cmd"][0], a["cmd"], a["env"])
        except BaseException as e:  # exec failed: report as a runtime error of the solution
            os.write(2, f"judge: cannot start {a['cmd'][0]}: {e}\n".encode())
            os._exit(127)
    killed = None
    peak = 0
    delay = 0.001
    nap = time.sleep
    try:  # sleep between samples, but wake the moment the solution exits
        pidfd = os.pidfd_open(pid)
        nap = lambda d: select.select([pidfd], [], [], d)  # noqa: E731
    except (AttributeError, OSError):
        pass
    while True:
        done, status, ru = os.wait4(pid, os.WNOHANG)
        if done == pid:
            break
        elapsed = time.monotonic() - t0
        pids = tree(pid)
        peak = max(peak, rss_bytes(pids))
        if peak > mem_limit:
            killed = "memory"
        elif elapsed > wall_limit:
            killed = "time"
        elif len(pids) > max_procs:
            killed = "processes"
        if killed:
            kill_everything(pid)
            _, status, ru = os.wait4(pid, 0)
            break
        nap(delay)
        delay = min(delay * 1.5, 0.01)
    wall = time.monotonic() - t0
    kill_everything(pid)
    res = {
        "wall": wall,
        "cpu": ru.ru_utime + ru.ru_stime,
        "peak_bytes": max(peak, ru.ru_maxrss * 1024),
        "exit": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "killed": killed,
    }
    os.write(result_fd, encode_result(res).encode())
    os.close(result_fd)


if __name__ == "__main__":
    main()
