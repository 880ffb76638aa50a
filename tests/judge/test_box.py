"""One long-lived sandbox per judge worker: each case still starts from a clean box."""

import subprocess
import time

import pytest

from judge import judge

from tests.conftest import need_bwrap

MARK = "ale-box-test-daemon"

# Case 1 leaves files (scratch, /tmp), an escaped daemon and a chmod behind; every later case
# checks it sees none of them, and prints a wrong answer if it does.
LEAVER = f"""
import os, sys
a = list(map(int, sys.stdin.read().split()))[1:]
dirty = []
if os.listdir("."):
    dirty.append("scratch: " + ",".join(os.listdir(".")))
if os.path.exists("/tmp/left.txt"):
    dirty.append("/tmp/left.txt")
for p in os.listdir("/proc"):
    if p.isdigit():
        try:
            if b"{MARK}" in open(f"/proc/{{p}}/cmdline", "rb").read():
                dirty.append("daemon " + p)
        except OSError:
            pass
open("left.txt", "w").write("x")
open("/tmp/left.txt", "w").write("x")
# Double fork + new session: the daemon is no child of the solution any more.
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv("/bin/sh", ["/bin/sh", "-c", "sleep 60; true", "{MARK}"])
    os._exit(0)
os.wait()
os.chmod(".", 0o500)
print(-1 if dirty else sum(a))
print("dirty:", dirty, file=sys.stderr)
"""

# With n == 5 (seed 0) the solution kills every process it can see: monitor and box server too.
KILLER = """
import os, signal, sys
a = list(map(int, sys.stdin.read().split()))
if a[0] == 5:
    for p in os.listdir("/proc"):
        if p.isdigit() and int(p) != os.getpid():
            try:
                os.kill(int(p), signal.SIGKILL)
            except OSError:
                pass
print(sum(a[1:]))
"""


@pytest.fixture(autouse=True)
def _bwrap():
    need_bwrap()


def _daemons() -> int:
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines() if MARK in line)


def test_each_case_starts_clean_in_a_reused_box(sumup, tmp_path):
    sol = tmp_path / "leaver.py"
    sol.write_text(LEAVER)
    r = judge(sumup, sol, [0, 1, 2, 3], jobs=1)  # one worker: all four cases share its box
    for c in r.cases:
        assert c.verdict == "AC", (c.seed, c.message, c.log)
    time.sleep(0.3)
    assert _daemons() == 0


def test_case_that_kills_the_box_does_not_spoil_the_next(sumup, tmp_path):
    sol = tmp_path / "killer.py"
    sol.write_text(KILLER)
    r = judge(sumup, sol, [0, 1, 2], jobs=1)
    assert r.cases[0].verdict == "RE", (r.cases[0].message, r.cases[0].log)
    assert "sandbox" in r.cases[0].message
    assert [c.verdict for c in r.cases[1:]] == ["AC", "AC"], [(c.message, c.log) for c in r.cases]
