"""Both monitors (the compiled C one and the Python fallback) give the same verdicts."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, ROOT, SOLS

SCRIPT = f"""
import json, sys
from judge import judge, load_problem, sandbox
p = load_problem({str(FIXTURES / 'sumup')!r})
import judge as _j
out = {{"monitor": str(sandbox.c_monitor()), "judge_file": _j.__file__}}
for name, sol, lim in [
    ("ac", {str(FIXTURES / 'sumup/solutions/baseline.py')!r}, None),
    ("cpp", {str(SOLS / 'good.cpp')!r}, None),
    ("tle", {str(SOLS / 'loop.py')!r}, None),
    ("mle", {str(SOLS / 'alloc4g.py')!r}, sandbox.Limits(time=20.0, memory_mib=256)),
    ("re", {str(SOLS / 'segfault.cpp')!r}, None),
    ("fork", {str(SOLS / 'fork200.py')!r}, sandbox.Limits(time=10.0, memory_mib=256)),  # 200 forks: slow under load
]:
    c = judge(p, sol, [0], jobs=1, limits=lim).cases[0]
    out[name] = [c.verdict, c.time, c.memory]
print(json.dumps(out))
"""


@pytest.mark.parametrize("monitor", ["c", "python"])
def test_monitor_verdicts(monitor, tmp_path):
    # Run a copy of the judge from under /tmp, which the sandbox hides behind its private /tmp:
    # the monitor must still be reachable (a CI checkout may live there).
    import shutil

    shutil.copytree(ROOT / "judge", tmp_path / "judge", ignore=shutil.ignore_patterns("__pycache__"))
    env = dict(os.environ, ALE_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(tmp_path))
    if monitor == "python":
        env["ALE_MONITOR"] = "python"
    r = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    out = json.loads(r.stdout.strip().splitlines()[-1])
    assert (out["monitor"] == "None") == (monitor == "python")
    assert out["judge_file"].startswith(str(tmp_path))
    assert out["ac"][0] == "AC" and out["ac"][2] > 1  # measured from inside: memory is non-zero
    assert out["cpp"][0] == "AC"
    assert out["tle"][0] == "TLE" and out["tle"][1] >= 1.0
    assert out["mle"][0] == "MLE" and out["mle"][2] > 256
    assert out["re"][0] == "RE"
    assert out["fork"][0] in ("AC", "RE")


def test_monitor_builds_dynamically_where_static_linking_fails(tmp_path):
    """No libc.a (a minimal system): the monitor is still compiled, without -static, and still judges."""
    import shutil

    real = shutil.which("cc") or shutil.which("gcc")
    if not real:
        pytest.skip("no C compiler")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("cc", "gcc"):
        fake = bin_dir / name
        fake.write_text(f'#!/bin/sh\nfor a in "$@"; do [ "$a" = -static ] && exit 1; done\nexec {real} "$@"\n')
        fake.chmod(0o755)
    env = dict(os.environ, ALE_CACHE_DIR=str(tmp_path / "cache"), PATH=f"{bin_dir}:{os.environ['PATH']}", PYTHONPATH=str(ROOT))
    probe = (
        "import json; from judge import judge, load_problem, sandbox; "
        f"p = load_problem({str(FIXTURES / 'sumup')!r}); "
        f"c = judge(p, {str(SOLS / 'good.cpp')!r}, [0], jobs=1).cases[0]; "
        "print(json.dumps([str(sandbox.c_monitor()), c.verdict]))"
    )
    r = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    monitor, verdict = json.loads(r.stdout.strip().splitlines()[-1])
    assert monitor.startswith(str(tmp_path / "cache")) and verdict == "AC"
    kind = subprocess.run(["file", monitor], capture_output=True, text=True).stdout if shutil.which("file") else ""
    assert "statically linked" not in kind
