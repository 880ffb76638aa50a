# Baseline for beacon-estimate: three range queries per beacon from three corners,
# then solve the circle equations by linear elimination.
import sys


def ask(i, x, y):
    print(f"? {i} {x} {y}", flush=True)
    return int(sys.stdin.readline())


def main():
    first = sys.stdin.readline().split()
    if not first:
        return
    n = int(first[0])
    est = []
    for i in range(n):
        r0 = ask(i, 0, 0)
        r1 = ask(i, 1000, 0)
        r2 = ask(i, 0, 1000)
        x = (r0 * r0 - r1 * r1 + 1000 * 1000) / 2000.0
        y = (r0 * r0 - r2 * r2 + 1000 * 1000) / 2000.0
        est.append((min(1000.0, max(0.0, x)), min(1000.0, max(0.0, y))))
    print("! " + " ".join(f"{x:.2f} {y:.2f}" for x, y in est), flush=True)


main()
