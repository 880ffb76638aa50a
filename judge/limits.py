"""What a case may use (Limits), and every margin the judge keeps around its time limit.

The verdict's threshold is always `Limits.time` itself, against the measured time (max of CPU and
wall). The margins below only decide when a run is stopped and how long the judge waits for it:
each is wide enough that a run is measured before it is cut off, never so wide that a runaway
solution holds a worker for long. monitor.py / monitor.c add one more, inside the box where this
module cannot be imported: the hard RLIMIT_CPU is the soft one plus 1 s (SIGKILL if SIGXCPU is ignored).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Limits:
    time: float  # seconds; the kill deadline is a little above it (WALL_KILL_SLACK)
    memory_mib: int
    output_bytes: int = 64 << 20
    max_procs: int = 64
    address_mib: int | None = None  # optional hard ceiling on virtual memory


# The monitor kills a run at time + this (wall clock): a run that ends just past the limit is still
# measured whole (and judged TLE by its time) rather than cut off mid-write at the limit itself.
WALL_KILL_SLACK = 0.25
# RLIMIT_CPU is int(time) + this, in whole seconds as rlimits count: a backstop behind the wall
# kill, for CPU the monitor cannot see in time (many threads); SIGXCPU past it is a TLE.
CPU_RLIMIT_SLACK = 2
# The judge waits time + this for the sandbox to end before killing it itself: the monitor should
# have ended the run long before, so this only catches a hung monitor or box on a loaded machine.
FINISH_BACKSTOP = 10.0
# An interactor waits for the solution's next line until time + this: a solution slow at the
# limit is stopped by the monitor and measured (TLE), not judged WA for a missing answer first.
INTERACTIVE_SLACK = 1.0
# After an interactor's verdict the solution's pipes are closed; it gets this long to exit on its
# own (EOF or SIGPIPE) before it is killed: enough for a clean exit, short enough not to stall the worker.
HANGUP_GRACE = 0.5
# An accepted interactive solution may still be running: it gets the time left before its
# interactor deadline (at least HANGUP_GRACE) plus this to exit and be measured.
EXIT_GRACE = 1.0


def wall_kill(limits: Limits) -> float:
    """When the monitor kills the run, in wall seconds."""
    return limits.time + WALL_KILL_SLACK


def cpu_rlimit(limits: Limits) -> int:
    """The soft RLIMIT_CPU, in whole seconds."""
    return int(limits.time) + CPU_RLIMIT_SLACK


def finish_timeout(limits: Limits) -> float:
    """How long the judge waits for a sandboxed run before killing it itself."""
    return limits.time + FINISH_BACKSTOP
