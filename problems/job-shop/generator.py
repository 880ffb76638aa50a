"""Input generator for job-shop (tasks, workers, machines, precedence, deadlines)."""

import random


def generate(seed: int) -> str:
    rng = random.Random(seed * 65537 + 3)
    n = rng.randint(50, 500)
    w = rng.randint(3, 20)
    k = rng.randint(1, 10)
    skill = [rng.uniform(0.7, 1.5) for _ in range(w)]
    qual_p = rng.uniform(0.3, 0.9)
    machine_p = rng.uniform(0.2, 0.8)
    pred_mean = rng.uniform(0.3, 2.5)
    tasks = []
    for i in range(n):
        base = rng.randint(5, 50)
        durs = []
        for j in range(w):
            if rng.random() < qual_p:
                durs.append(max(1, round(base * skill[j] * rng.uniform(0.8, 1.2))))
            else:
                durs.append(0)
        if not any(durs):
            j = rng.randrange(w)
            durs[j] = max(1, round(base * skill[j]))
        m = rng.randint(1, k) if rng.random() < machine_p else 0
        preds = set()
        if i > 0:
            c = min(3, int(rng.expovariate(1.0 / pred_mean)))
            lo = max(0, i - 40)
            for _ in range(c):
                preds.add(rng.randint(lo, i - 1))
        tasks.append([m, durs, sorted(preds)])
    # deadlines: earliest finish along precedence chains (fastest worker) plus slack
    total = sum(min(d for d in t[1] if d) for t in tasks)
    spread = total / w
    ef = [0] * n
    for i, (m, durs, preds) in enumerate(tasks):
        start = max((ef[a] for a in preds), default=0)
        ef[i] = start + min(d for d in durs if d)
    tight = rng.uniform(0.2, 1.2)
    lines = [f"{n} {w} {k}"]
    for i, (m, durs, preds) in enumerate(tasks):
        dl = ef[i] + round(rng.uniform(0.0, tight) * spread)
        lines.append(" ".join(map(str, [m, dl] + durs + [len(preds)] + [a + 1 for a in preds])))
    return "\n".join(lines) + "\n"
