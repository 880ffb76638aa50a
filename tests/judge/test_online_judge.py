"""Python's ahead-of-time compile phase (`python Main.py ONLINE_JUDGE`, AtCoder's convention) and the
numba cache a timed run cannot change."""

import dataclasses
import math

from judge import judge
from judge.compile import compile_solution

from tests.conftest import need_bwrap

KERNELS = '''
def total(a):
    s = 0
    for x in a:
        s += x
    return s

def spread(a, k):
    best = 0
    for i in range(a.shape[0]):
        for j in range(a.shape[0]):
            d = (a[i] - a[j]) * k % 1000003
            if d > best:
                best = d
    return best

def walk(n, seed):
    x = seed
    acc = 0.0
    for i in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFF
        acc += math.sqrt(x % 1000) / (1 + i % 7)
    return acc
'''

# The same three kernels and the same work: compiled ahead of time into a module ...
AOT = '''import math, sys
if sys.argv[-1] == "ONLINE_JUDGE":
    from numba.pycc import CC
    cc = CC("sumk")
''' + "\n".join(
    ("    " + ln if ln else ln) for ln in KERNELS.replace("def total", '@cc.export("total", "i8(i8[:])")\ndef total')
    .replace("def spread", '@cc.export("spread", "i8(i8[:], i8)")\ndef spread')
    .replace("def walk", '@cc.export("walk", "f8(i8, i8)")\ndef walk').splitlines()
) + '''
    cc.compile()
    sys.exit(0)
import numpy as np
from sumk import total, spread, walk
a = np.array(sys.stdin.read().split()[1:], dtype=np.int64)
print(total(a) + 0 * spread(a, 7) + 0 * int(walk(200000, 5)))
'''

# ... and as cached @njit kernels, loaded (with numba) in every timed run.
NJIT = '''import math, sys
import numpy as np
from numba import njit
''' + KERNELS.replace("def ", "@njit(cache=True)\ndef ") + '''
a = np.array(sys.stdin.read().split()[1:], dtype=np.int64)
print(total(a) + 0 * spread(a, 7) + 0 * int(walk(200000, 5)))
'''


def test_aot_program_is_ac_where_its_cached_njit_twin_times_out(sumup, tmp_path):
    aot, njit = tmp_path / "aot.py", tmp_path / "njit.py"
    aot.write_text(AOT)
    njit.write_text(NJIT)
    cache = tmp_path / "cache"
    b = compile_solution(aot, sumup.generate(0), cache_root=cache)
    assert b.ok and b.aot, b.message
    assert any(p.name.startswith("sumk") and p.suffix == ".so" for p in b.dir.iterdir()), list(b.dir.iterdir())
    seeds = [0, 7, 3]
    # Both start-ups measured by the judge in one go, with room to spare, then a limit between them.
    roomy = dataclasses.replace(sumup, time_limit=20.0)
    ra = judge(roomy, aot, seeds, jobs=1, cache_root=cache)
    rn = judge(roomy, njit, seeds, jobs=1, cache_root=cache)
    assert ra.accepted and rn.accepted, (ra.compile, rn.compile, [c.log for c in ra.cases + rn.cases])
    slowest_aot = max(c.time for c in ra.cases)
    fastest_njit = min(c.time for c in rn.cases)
    assert slowest_aot * 2.5 < fastest_njit, (slowest_aot, fastest_njit)
    tl = round(math.sqrt(slowest_aot * fastest_njit), 2)  # >= 1.58x headroom either side
    tight = dataclasses.replace(sumup, time_limit=tl)
    ra = judge(tight, aot, seeds, jobs=1, cache_root=cache)
    rn = judge(tight, njit, seeds, jobs=1, cache_root=cache)
    assert [c.verdict for c in ra.cases] == ["AC"] * 3, (tl, [(c.verdict, c.time) for c in ra.cases])
    assert [c.verdict for c in rn.cases] == ["TLE"] * 3, (tl, [(c.verdict, c.time) for c in rn.cases])


FAILING_PHASE = '''import sys
if sys.argv[-1] == "ONLINE_JUDGE":
    print("building kernels")
    def build():
        raise ValueError("no kernel named spread")
    build()
print(1)
'''


def test_failing_online_judge_phase_is_ce_with_its_output(sumup, tmp_path):
    sol = tmp_path / "failing.py"
    sol.write_text(FAILING_PHASE)
    r = judge(sumup, sol, [0, 7], jobs=1, cache_root=tmp_path / "c")
    assert [c.verdict for c in r.cases] == ["CE", "CE"]
    msg = r.compile["message"]
    assert "ONLINE_JUDGE" in msg and "building kernels" in msg and "ValueError: no kernel named spread" in msg
    assert f'File "{sol}", line 5, in build' in msg and f'File "{sol}", line 6' in msg
    assert "Main.py" not in msg and "/tmp/sol" not in msg and "/tmp/box" not in msg
    assert r.cases[0].message == "ValueError: no kernel named spread"


def test_online_judge_phase_writes_only_its_build_folder_and_runs_cannot_write_it(sumup, tmp_path):
    need_bwrap()
    outside = tmp_path / "outside"
    outside.mkdir()
    sol = tmp_path / "writer.py"
    sol.write_text(f'''import os, sys
here = os.path.dirname(os.path.abspath(__file__))
if sys.argv[-1] == "ONLINE_JUDGE":
    for target in ({str(outside / "escape.txt")!r}, "/usr/escape.txt", os.path.expanduser("~/../escape.txt")):
        try:
            with open(target, "w") as f:
                f.write("x")
        except OSError:
            pass
    with open(os.path.join(here, "offset.txt"), "w") as f:
        f.write("0")
    sys.exit(0)
offset = int(open(os.path.join(here, "offset.txt")).read())  # kept next to the program
try:
    open(os.path.join(here, "offset.txt"), "w").write("5")
    offset = 99  # a timed run could change the build: wrong answer
except OSError:
    pass
print(sum(map(int, sys.stdin.read().split()[1:])) + offset)
''')
    r = judge(sumup, sol, [0, 7], jobs=1, cache_root=tmp_path / "c")
    assert [c.verdict for c in r.cases] == ["AC", "AC"], (r.compile, [(c.message, c.log) for c in r.cases])
    assert list(outside.iterdir()) == []
    assert not (tmp_path / "c" / "build" / "escape.txt").exists()


LEAKY = '''import os, sys
import numpy as np
from numba import njit

@njit(cache=True)
def total(a):
    s = 0
    for x in a:
        s += x
    return s

d = os.environ.get("NUMBA_CACHE_DIR")
if d and not os.environ.get("ALE_WARMUP"):
    if os.path.exists(os.path.join(d, "note")):
        sys.stderr.write("NOTE FROM AN EARLIER CASE\\n")
    open(os.path.join(d, "note"), "w").write("x")
print(total(np.array(sys.stdin.read().split()[1:], dtype=np.int64)))
'''


def test_timed_runs_cannot_change_the_numba_cache(sumup, tmp_path):
    sol = tmp_path / "leaky.py"
    sol.write_text(LEAKY)
    roomy = dataclasses.replace(sumup, time_limit=20.0)  # numba's start-up alone can pass 1 s under load
    r = judge(roomy, sol, [0, 7, 3], jobs=1, cache_root=tmp_path / "c")
    assert [c.verdict for c in r.cases] == ["AC"] * 3, [(c.message, c.log) for c in r.cases]
    assert not any("EARLIER CASE" in c.log for c in r.cases)
    b = compile_solution(sol, sumup.generate(0), cache_root=tmp_path / "c")
    assert b.cached and any(b.cache.rglob("*.nbi")) and not list(b.cache.rglob("note"))
