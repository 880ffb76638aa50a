"""Start-up and a fixed workload of the same five kernels as cached @njit, as an AOT module, and in C++.

    python bench/numba_startup.py [--rounds 5] [--work 40000000]

Each program is built once by the judge (the @njit one with its warm-up, the AOT one with
`Main.py ONLINE_JUDGE`), then run as judged cases, round-robin so load hits every variant alike:
with input 0 (start-up: imports, loading kernels, no work) and with the fixed workload. Times are
the judge's (max of CPU and wall), medians over the rounds. Targets (issue 13): AOT start-up
<= 0.25 s and <= 1/3 of the cached-njit start-up.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Five kernels of the kinds a heuristic solution has: a sum, a pairwise scan, a random walk with
# float maths, a swap-based local search and a 2-D grid relaxation. `n` scales all of them.
KERNELS = '''
def k_sum(a):
    s = 0
    for x in a:
        s += x
    return s

def k_pairs(a, k):
    best = 0
    for i in range(a.shape[0]):
        for j in range(i + 1, a.shape[0]):
            d = (a[i] * k + a[j]) % 1000003
            if d > best:
                best = d
    return best

def k_walk(n, seed):
    x = seed
    acc = 0.0
    for i in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) & 0xFFFFFFFF
        acc += math.sqrt(x % 1000) / (1 + i % 7)
    return acc

def k_swap(p, iters, seed):
    x = seed
    m = p.shape[0]
    cost = 0
    for i in range(m - 1):
        cost += abs(p[i] - p[i + 1])
    for _ in range(iters):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF
        i = x % (m - 1)
        before = abs(p[i] - p[i + 1])
        p[i], p[i + 1] = p[i + 1], p[i]
        after = abs(p[i] - p[i + 1])
        if after > before:
            p[i], p[i + 1] = p[i + 1], p[i]
        else:
            cost += after - before
    return cost

def k_grid(g, sweeps):
    h, w = g.shape
    for _ in range(sweeps):
        for i in range(1, h - 1):
            for j in range(1, w - 1):
                g[i, j] = 0.25 * (g[i - 1, j] + g[i + 1, j] + g[i, j - 1] + g[i, j + 1])
    return g[h // 2, w // 2]
'''

SIGS = {"k_sum": "i8(i8[:])", "k_pairs": "i8(i8[:], i8)", "k_walk": "f8(i8, i8)", "k_swap": "i8(i8[:], i8, i8)",
        "k_grid": "f8(f8[:,:], i8)"}

MAIN = '''
n = int(sys.stdin.read().split()[0])
a = np.arange(max(2, int(n ** 0.5) // 8), dtype=np.int64)
p = (np.arange(1000, dtype=np.int64) * 7919) % 1000
g = np.zeros((64, 64))
g[0, :] = 1.0
r = k_sum(a) + k_pairs(a, 7) + int(k_walk(n, 5)) + k_swap(p, n // 4, 3) + int(k_grid(g, n // 40000) * 1000)
print(r)
'''


def njit_source() -> str:
    body = KERNELS.replace("\ndef ", "\n@njit(cache=True)\ndef ")
    return "import math, sys\nimport numpy as np\nfrom numba import njit\n" + body + MAIN


def aot_source() -> str:
    body = KERNELS
    for name, sig in SIGS.items():
        body = body.replace(f"\ndef {name}(", f'\n@cc.export("{name}", "{sig}")\ndef {name}(')
    indented = "\n".join(("    " + ln) if ln else ln for ln in body.splitlines())
    return (
        "import math, sys\n"
        'if sys.argv[-1] == "ONLINE_JUDGE":\n'
        "    from numba.pycc import CC\n"
        '    cc = CC("kernels")\n' + indented + "\n    cc.compile()\n    sys.exit(0)\n"
        "import numpy as np\nfrom kernels import " + ", ".join(SIGS) + "\n" + MAIN
    )


CPP = r'''#include <bits/stdc++.h>
using namespace std;
typedef long long ll;
ll k_sum(const vector<ll>& a) { ll s = 0; for (ll x : a) s += x; return s; }
ll k_pairs(const vector<ll>& a, ll k) { ll best = 0; for (size_t i = 0; i < a.size(); i++) for (size_t j = i + 1; j < a.size(); j++) { ll d = (a[i] * k + a[j]) % 1000003; if (d > best) best = d; } return best; }
double k_walk(ll n, ll seed) { unsigned long long x = seed; double acc = 0; for (ll i = 0; i < n; i++) { x = (x * 6364136223846793005ULL + 1442695040888963407ULL) & 0xFFFFFFFFULL; acc += sqrt((double)(x % 1000)) / (1 + i % 7); } return acc; }
ll k_swap(vector<ll>& p, ll iters, ll seed) { ll x = seed, m = p.size(), cost = 0; for (ll i = 0; i + 1 < m; i++) cost += llabs(p[i] - p[i + 1]);
  for (ll t = 0; t < iters; t++) { x = (x * 1103515245 + 12345) & 0x7FFFFFFF; ll i = x % (m - 1); ll before = llabs(p[i] - p[i + 1]); swap(p[i], p[i + 1]); ll after = llabs(p[i] - p[i + 1]);
    if (after > before) swap(p[i], p[i + 1]); else cost += after - before; } return cost; }
double k_grid(vector<vector<double>>& g, ll sweeps) { int h = g.size(), w = g[0].size(); for (ll s = 0; s < sweeps; s++) for (int i = 1; i < h - 1; i++) for (int j = 1; j < w - 1; j++) g[i][j] = 0.25 * (g[i-1][j] + g[i+1][j] + g[i][j-1] + g[i][j+1]); return g[h/2][w/2]; }
int main() { ll n; if (scanf("%lld", &n) != 1) return 1;
  ll m = max(2LL, (ll)sqrt((double)n) / 8); vector<ll> a(m); for (ll i = 0; i < m; i++) a[i] = i;
  vector<ll> p(1000); for (int i = 0; i < 1000; i++) p[i] = (ll)i * 7919 % 1000;
  vector<vector<double>> g(64, vector<double>(64, 0.0)); for (int j = 0; j < 64; j++) g[0][j] = 1.0;
  ll r = k_sum(a) + k_pairs(a, 7) + (ll)k_walk(n, 5) + k_swap(p, n / 4, 3) + (ll)(k_grid(g, n / 40000) * 1000);
  printf("%lld\n", r); }
'''


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--work", type=int, default=40_000_000, help="n for the fixed workload")
    a = ap.parse_args()

    from judge import sandbox
    from judge.startup import time_source

    variants = {"cached @njit": (njit_source(), ".py"), "AOT (numba.pycc)": (aot_source(), ".py"), "C++ -O2": (CPP, ".cpp")}
    # The floors under the AOT start-up: the interpreter alone, and numpy (which a pycc module imports).
    floors = {"python, no imports": ("import sys\nprint(sys.stdin.read().split()[0])\n", ".py"),
              "python + import numpy": ("import sys\nimport numpy\nprint(sys.stdin.read().split()[0])\n", ".py")}
    with tempfile.TemporaryDirectory(prefix="ale-bench-numba-") as tmp:
        cache = Path(tmp)
        built = {}
        for name, (src, suffix) in {**variants, **floors}.items():
            t0 = time.monotonic()
            time_source(src, suffix, "10\n", repeat=1, cache_root=cache)  # build (and warm up) once
            built[name] = time.monotonic() - t0
            print(f"built {name} in {built[name]:.1f} s", file=sys.stderr)
        times = {(name, kind): [] for name in {**variants, **floors} for kind in ("start", "work")}
        load0 = os.getloadavg()[0]
        for r in range(a.rounds):
            for kind, n in (("start", 0), ("work", a.work)):
                for name, (src, suffix) in {**variants, **(floors if kind == "start" else {})}.items():
                    times[name, kind] += time_source(src, suffix, f"{n}\n", repeat=1, cache_root=cache)
            print(f"round {r + 1}/{a.rounds}", file=sys.stderr)
        load1 = os.getloadavg()[0]

    med = {k: statistics.median(v) for k, v in times.items() if v}
    print(f"sandbox {sandbox.mode()}, {a.rounds} rounds, workload n={a.work:,}, load average {load0:.1f} -> {load1:.1f}\n")
    print("| variant | build s | start-up s | start-up range | workload s | workload - start-up s |")
    print("|---|---|---|---|---|---|")
    for name in variants:
        st, wk = times[name, "start"], times[name, "work"]
        print(f"| {name} | {built[name]:.1f} | {med[name, 'start']:.3f} | {min(st):.3f}-{max(st):.3f} | "
              f"{med[name, 'work']:.3f} | {med[name, 'work'] - med[name, 'start']:.3f} |")
    for name in floors:
        st = times[name, "start"]
        print(f"| {name} | {built[name]:.1f} | {med[name, 'start']:.3f} | {min(st):.3f}-{max(st):.3f} | - | - |")
    aot, njit = med["AOT (numba.pycc)", "start"], med["cached @njit", "start"]
    ratio = aot / njit
    print()
    print("| target | measured | |")
    print("|---|---|---|")
    print(f"| AOT start-up <= 0.25 s | {aot:.3f} s | {'ok' if aot <= 0.25 else 'MISS'} |")
    print(f"| AOT / cached-njit start-up <= 1/3 | {ratio:.2f} | {'ok' if ratio <= 1 / 3 else 'MISS'} |")


if __name__ == "__main__":
    main()
