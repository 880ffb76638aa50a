# Baseline for delivery-route: sweep customers by angle around the depot,
# start a new route whenever the next customer would exceed the capacity.
import math
import sys


def main():
    tok = sys.stdin.read().split()
    if not tok:  # e.g. the judge's warm-up run with empty input
        return
    n, q = int(tok[0]), int(tok[1])
    dx, dy = int(tok[2]), int(tok[3])
    cust = []
    for i in range(1, n + 1):
        x, y, d = int(tok[1 + 3 * i]), int(tok[2 + 3 * i]), int(tok[3 + 3 * i])
        cust.append((math.atan2(y - dy, x - dx), i, d))
    cust.sort()
    routes, cur, load = [], [], 0
    for _, i, d in cust:
        if load + d > q:
            routes.append(cur)
            cur, load = [], 0
        cur.append(i)
        load += d
    routes.append(cur)
    out = [str(len(routes))]
    out += [" ".join(map(str, [len(r)] + r)) for r in routes]
    print("\n".join(out))


main()
