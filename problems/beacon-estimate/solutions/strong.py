# Strong solution for beacon-estimate: adaptive homing with maximum-likelihood estimates.
# For each beacon: three spread-out range queries, then repeatedly query at the current
# maximum-likelihood position (coarse-to-fine grid search in numba, compiled ahead of time in the
# judge's ONLINE_JUDGE phase) until the reply is 0
# (we stand on the beacon) or one more query is not worth its cost.
import time

T0 = time.perf_counter()

import math  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402

STOP_R_PER_COST = 0.8  # ale: param float 0.05 20 log
MAX_PER_BEACON = 30  # ale: param int 4 100
GRID = 40  # ale: param int 12 120
RESERVE_PER_BEACON = 0.004  # seconds kept for each beacon still to come
TIME_BUDGET = 1.6  # ale: param float 0.5 1.8
# If the imports alone took longer than this (a very loaded machine), the search could break the
# time limit: then fall back to plain trilateration.
LATE_IMPORT = 0.65  # ale: param float 0.3 1.5


def _loglik(px, py, qx, qy, qr, k, sigma, blur):
    ll = 0.0
    for j in range(k):
        d = math.sqrt((px - qx[j]) ** 2 + (py - qy[j]) ** 2)
        r = qr[j]
        s = math.sqrt(sigma * sigma + (blur / max(d, 1.0)) ** 2)
        if d < 1e-9:
            if r > 0:
                ll += -1e6
            continue
        ld = math.log(d)
        if r >= 4:
            t = (math.log(r) - ld) / s
            ll += -0.5 * t * t
        else:
            hi = 0.5 * (1.0 + math.erf((math.log(r + 0.5) - ld) / (s * math.sqrt(2.0))))
            if r == 0:
                lo = 0.0
            else:
                lo = 0.5 * (1.0 + math.erf((math.log(r - 0.5) - ld) / (s * math.sqrt(2.0))))
            ll += math.log(max(hi - lo, 1e-300))
    return ll


def mle(qx, qy, qr, k, sigma, x0, y0, x1, y1, grid):
    """Coarse-to-fine grid search of the log-likelihood over integer points of [x0,x1]x[y0,y1]."""
    bx, by = (x0 + x1) // 2, (y0 + y1) // 2
    while True:
        w = max(x1 - x0, y1 - y0)
        step = max(1, (w + grid - 1) // grid)
        best = -1e300
        blur = 0.5 * step if step > 1 else 0.0
        x = x0
        while x <= x1:
            y = y0
            while y <= y1:
                v = _loglik(float(x), float(y), qx, qy, qr, k, sigma, blur)
                if v > best:
                    best = v
                    bx, by = x, y
                y += step
            x += step
        if step == 1:
            return bx, by
        x0, x1 = max(0, bx - 2 * step), min(1000, bx + 2 * step)
        y0, y1 = max(0, by - 2 * step), min(1000, by + 2 * step)


if sys.argv[-1] == "ONLINE_JUDGE":  # the judge's untimed compile phase: build the kernel module next to this file
    from numba import njit
    from numba.pycc import CC

    cc = CC("beacon_estimate_kernels")
    _loglik = njit(_loglik)  # the helper mle calls: compiled into the module with it
    cc.export("mle", "UniTuple(i8, 2)(f8[:], f8[:], i8[:], i8, f8, i8, i8, i8, i8, i8)")(mle)
    cc.compile()
    sys.exit(0)

from beacon_estimate_kernels import mle  # noqa: E402,F811  (the compiled kernel)


def ask(i, x, y):
    sys.stdout.write(f"? {i} {x} {y}\n")
    sys.stdout.flush()
    return int(sys.stdin.readline())


def solve_beacon(i, sigma, cost, left, deadline):
    qx, qy, qr = np.zeros(128), np.zeros(128), np.zeros(128, dtype=np.int64)
    k = 0
    for x, y in ((200, 200), (800, 250), (450, 800)):
        if k >= left:
            break
        qx[k], qy[k], qr[k] = x, y, ask(i, x, y)
        k += 1
    if k == 0:
        return 500.0, 500.0, 0
    best = (500, 500)
    limit = min(left, MAX_PER_BEACON, 128)
    while True:
        j = int(np.argmin(qr[:k]))
        reach = int((qr[j] + 1) * math.exp(4 * sigma)) + 2
        x0, x1 = max(0, int(qx[j]) - reach), min(1000, int(qx[j]) + reach)
        y0, y1 = max(0, int(qy[j]) - reach), min(1000, int(qy[j]) + reach)
        best = mle(qx, qy, qr, k, sigma, x0, y0, x1, y1, GRID)
        if qr[j] == 0:
            return float(qx[j]), float(qy[j]), k
        if k >= limit or time.perf_counter() > deadline:
            return float(best[0]), float(best[1]), k
        if qr[:k].min() <= STOP_R_PER_COST * cost:
            return float(best[0]), float(best[1]), k
        bx, by = int(best[0]), int(best[1])
        if any(qx[t] == bx and qy[t] == by for t in range(k)):
            # already asked here: probe a neighbour instead
            bx = min(1000, max(0, bx + (1 if bx < 1000 else -1)))
        qx[k], qy[k], qr[k] = bx, by, ask(i, bx, by)
        k += 1


def gauss_newton(px, py, obs):
    """Weighted least squares on |p - q| = r (weight 1/r^2: the noise is multiplicative)."""
    for _ in range(12):
        a11 = a12 = a22 = b1 = b2 = 0.0
        for qx, qy, r in obs:
            dx, dy = px - qx, py - qy
            d = math.hypot(dx, dy)
            if d < 1e-6:
                continue
            wgt = 1.0 / max(r, 0.5) ** 2
            jx, jy = dx / d, dy / d
            f = d - r
            a11 += wgt * jx * jx
            a12 += wgt * jx * jy
            a22 += wgt * jy * jy
            b1 += wgt * jx * f
            b2 += wgt * jy * f
        det = a11 * a22 - a12 * a12
        if abs(det) < 1e-12:
            break
        sx = (a22 * b1 - a12 * b2) / det
        sy = (a11 * b2 - a12 * b1) / det
        px = min(1000.0, max(0.0, px - sx))
        py = min(1000.0, max(0.0, py - sy))
        if abs(sx) + abs(sy) < 1e-3:
            break
    return px, py


def home_py(i, cost, left, deadline):
    """Pure-Python homing for a late start: trilaterate, then query at the estimate and refine."""
    obs = [(x, y, ask(i, x, y)) for x, y in ((0, 0), (1000, 0), (0, 1000))[: max(0, left)]]
    if len(obs) < 3:
        return 500.0, 500.0, len(obs)
    r0, r1, r2 = (o[2] for o in obs)
    px = min(1000.0, max(0.0, (r0 * r0 - r1 * r1 + 1000 * 1000) / 2000.0))
    py = min(1000.0, max(0.0, (r0 * r0 - r2 * r2 + 1000 * 1000) / 2000.0))
    px, py = gauss_newton(px, py, obs)
    while len(obs) < min(left, MAX_PER_BEACON) and time.perf_counter() < deadline:
        if min(o[2] for o in obs) <= STOP_R_PER_COST * cost:
            break
        qx, qy = int(round(px)), int(round(py))
        if any(o[0] == qx and o[1] == qy for o in obs):
            qx = qx + 1 if qx < 1000 else qx - 1
        r = ask(i, qx, qy)
        obs.append((qx, qy, r))
        if r == 0:
            return float(qx), float(qy), len(obs)
        px, py = gauss_newton(px, py, obs)
    return px, py, len(obs)


def main():
    late = time.perf_counter() - T0 > LATE_IMPORT
    if late:
        t_load = time.perf_counter()
        print(f"late start ({t_load - T0:.3f} s): pure-Python homing", file=sys.stderr)
    else:
        # touch the compiled kernel once before the clock matters per beacon
        q = np.array([0.0, 1000.0, 0.0]), np.array([0.0, 0.0, 1000.0]), np.array([700, 700, 700])
        mle(q[0], q[1], q[2], 3, 0.1, 0, 0, 1000, 1000, GRID)
        t_load = time.perf_counter()
    first = sys.stdin.readline().split()
    n, qmax, sigma, cost = int(first[0]), int(first[1]), float(first[2]), float(first[3])
    used = 0
    est = []
    for i in range(n):
        # keep time and queries in reserve for the beacons still to come
        deadline = T0 + TIME_BUDGET - RESERVE_PER_BEACON * (n - i - 1)
        left = qmax - used - 3 * (n - i - 1)
        if late:
            x, y, k = home_py(i, cost, max(0, left), deadline)
        else:
            x, y, k = solve_beacon(i, sigma, cost, max(0, left), deadline)
        used += k
        est.append((x, y))
    sys.stdout.write("! " + " ".join(f"{x:.1f} {y:.1f}" for x, y in est) + "\n")
    sys.stdout.flush()
    print(f"queries {used} load {t_load - T0:.3f} time {time.perf_counter() - T0:.3f}", file=sys.stderr)


main()
sys.stdout.flush()
sys.stderr.flush()
os._exit(0)
