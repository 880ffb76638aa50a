# Baseline for job-shop: schedule tasks in input order (a valid topological order, since every
# predecessor has a smaller number), each on the qualified worker that finishes it earliest,
# never earlier than its predecessors, its worker and its machine are free.
import sys


def main():
    lines = sys.stdin.read().split("\n")
    if not lines[0].strip():
        return
    n, w, k = map(int, lines[0].split())
    worker_free = [0] * (w + 1)
    machine_free = [0] * (k + 1)
    end = [0] * n
    out = []
    for i in range(n):
        t = list(map(int, lines[1 + i].split()))
        m, dur, c = t[0], t[2 : 2 + w], t[2 + w]
        ready = max((end[a - 1] for a in t[3 + w : 3 + w + c]), default=0)
        if m:
            ready = max(ready, machine_free[m])
        best = None
        for j in range(w):
            if dur[j]:
                s = max(ready, worker_free[j + 1])
                if best is None or s + dur[j] < best[0]:
                    best = (s + dur[j], s, j + 1)
        fin, s, j = best
        worker_free[j] = fin
        if m:
            machine_free[m] = fin
        end[i] = fin
        out.append(f"{j} {s}")
    print("\n".join(out))


main()
