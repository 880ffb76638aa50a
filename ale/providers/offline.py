"""The offline drafter: a real optimiser over a solution's `ale: param` lines, no model needed.

Children of a node are the node's source with new parameter values: half are
suggestions from Optuna's TPE sampler fitted on every judged candidate of the
same starting file, half are local moves around the node itself. Lessons act
as priors (known good ranges narrow the moves, known failures cap them, the
best known setting is tried first) and the drafter writes lessons back from
the statistics of what it judged.
"""

from __future__ import annotations

import math
import random
import re

from judge import scoring
from ale.params import Param, ParamError, apply_params, parse_params, rounded
from ale.providers.base import Context, Proposal, Provider

RANGE_MIN_N = 8  # judged candidates of a template before a range lesson is stated
TOP_FRACTION = 0.25


def _num(v) -> str:
    """A value as a person writes it: 0.9, 1500000, 985400000 (4 significant digits, no exponent)."""
    if isinstance(v, int) or not isinstance(v, float):
        return str(v)
    if v == 0 or not 1e-4 <= abs(v) < 1e15:
        return f"{v:.4g}"
    text = f"{float(f'{v:.4g}'):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _mean(v: float) -> str:
    return f"{v:,.1f}" if abs(v) < 1e15 else f"{v:.4g}"


def _objective(c: dict, estimated: bool = False) -> float | None:
    """Higher is better; None for candidates that did not pass every case. A raced-out child's own
    mean covers a few seeds only, so it is None too, unless `estimated`: then its estimate over every
    seed (`estimate_key`, ale.search.node_key). TPE needs that: scored as failures, the
    near-copies racing stops early would teach it that the incumbent's neighbourhood is the worst."""
    if "raced" in (c.get("flags") or []):
        return c.get("estimate_key") if estimated else None
    if not c.get("accepted") or c.get("public_mean") is None:
        return None
    return scoring.sign(c.get("objective", "maximize")) * c["public_mean"]


class OfflineDrafter(Provider):
    name = "offline"
    writes_code = False

    def __init__(self, seed: int = 0):
        self.seed = seed
        self.calls = 0
        self.fixed: set[str] = set()  # pinned names, learnt from the contexts it is given

    def expandable(self, candidate: dict) -> bool:
        try:
            return any(p.name not in self.fixed for p in parse_params(candidate.get("source") or ""))
        except ParamError:
            return False

    # --- proposals --------------------------------------------------------------------
    async def propose(self, ctx: Context) -> Proposal:
        parent = ctx.parent
        self.fixed = set(ctx.fixed)
        if parent is None:
            return Proposal(None, error="the offline drafter only tunes existing solutions (no parent given)", method="tpe")
        try:
            params = parse_params(parent["source"])
        except ParamError as e:
            return Proposal(None, error=f"cannot tune this source: {e}", method="tpe")
        params = [p for p in params if p.name not in ctx.fixed]
        if not params:
            return Proposal(None, error="no `ale: param` lines to tune (or all are pinned)", method="tpe")
        self.calls += 1
        rng = random.Random(hash((self.seed, parent["id"], len(ctx.history), self.calls)))
        template = parent.get("template")
        mine = [h for h in ctx.history if h.get("template") == template and h.get("params")]
        priors = _priors(ctx.lessons, ctx.problem_id, template, params)
        values, method = None, ""
        best = priors.get("best")
        timed = _time_params(params, mine)
        failure = _failure(ctx)
        if failure == "TLE" and timed:  # repair before anything else is tuned
            values, method = _shrink(params, parent, timed, ctx), "repair-tle"
        elif failure in ("RE", "WA", "MLE", "OLE") and _grandparent(ctx) is not None:
            values, method = _towards(params, parent.get("params") or {}, _grandparent(ctx), rng), "revert"
        elif best and not any(_same(h["params"], best, params) for h in mine):
            values, method = dict(best), "lesson-best"
        elif rng.random() < 0.5 and len(mine) >= 3:
            values, method = _tpe(params, mine, rng.randrange(1 << 30)), "tpe"
        else:
            values, method = _local(params, parent.get("params") or {}, priors, rng), "local"
        caps = _tle_caps(timed, mine)
        values = {p.name: _below(p, rounded(p, _capped(p, values.get(p.name, p.value), priors)), caps) for p in params}
        source = apply_params(parent["source"], values)
        values = {**(parent.get("params") or {}), **values}
        changed = {k: v for k, v in values.items() if v != (parent.get("params") or {}).get(k)}
        note = f"{method}: " + (", ".join(f"{k}={v}" for k, v in changed.items()) or "no change")
        return Proposal(source, language=parent.get("language", "py"), method=method, note=note, params=values, model="offline")

    # --- lessons ----------------------------------------------------------------------
    async def distil(self, ctx: Context, child: dict, child_feedback: dict):
        """Statistical lessons over this template's judged candidates (every 4th child from n=8)."""
        from ale.lessons import Lesson

        template = child.get("template")
        mine = [h for h in ctx.history if h.get("template") == template and h.get("params")]
        if len(mine) < RANGE_MIN_N or len(mine) % 4:
            return [], []
        try:
            params = [p for p in parse_params(child.get("source") or "") if p.name not in ctx.fixed]
        except ParamError:
            return [], []
        pid, tags = ctx.problem_id, list(ctx.tags)
        lessons = []
        ok = sorted((h for h in mine if _objective(h) is not None), key=_objective, reverse=True)
        if ok:
            top = ok[: max(2, math.ceil(len(ok) * TOP_FRACTION))]
            b = top[0]
            setting = ", ".join(f"{k}={v}" for k, v in b["params"].items())
            lessons.append(Lesson(
                kind="insight", scope="problem", problem=pid, tags=tags, confidence=0.6,
                text=f"Best setting of {template} on {pid} so far: {setting} (public mean {_mean(b['public_mean'])}, n={len(mine)})",
                evidence={"key": f"{pid}:{template}:best", "template": template, "best_params": b["params"],
                          "mean": b["public_mean"], "candidates": [b["id"]], "n": len(mine)},
            ))
            for p in params:
                if p.kind == "choice":
                    vals = {h["params"].get(p.name) for h in top}
                    if len(vals) == 1 and len(p.choices) > 1:
                        v = vals.pop()
                        lessons.append(Lesson(
                            kind="parameter", scope="problem", problem=pid, tags=tags, confidence=0.55,
                            text=f"{p.name} was {v} in every top-quartile candidate of {template} on {pid} (n={len(mine)})",
                            evidence={"key": f"{pid}:{template}:{p.name}:range", "template": template, "param": p.name,
                                      "choices": [v], "n": len(mine), "candidates": [h["id"] for h in top]},
                        ))
                    continue
                vs = [h["params"][p.name] for h in top if p.name in h["params"]]
                if len(vs) < 2:
                    continue
                lo, hi = min(vs), max(vs)
                if _span(p, lo, hi) < 0.5 * _span(p, p.lo, p.hi):
                    where = _num(lo) if _num(lo) == _num(hi) else f"between {_num(lo)} and {_num(hi)}"
                    lessons.append(Lesson(
                        kind="parameter", scope="problem", problem=pid, tags=tags, confidence=0.55,
                        text=f"{p.name} was {where} in every top-quartile candidate of {template} on {pid} (n={len(mine)})",
                        evidence={"key": f"{pid}:{template}:{p.name}:range", "template": template, "param": p.name,
                                  "lo": lo, "hi": hi, "n": len(mine), "candidates": [h["id"] for h in top]},
                    ))
        for p in params:
            if p.kind == "choice":
                continue
            fails = [h for h in mine if h.get("verdicts", {}).get("TLE") and p.name in h["params"]]
            good = [h["params"][p.name] for h in mine if h.get("accepted") and p.name in h["params"]]
            if len(fails) >= 2 and good:
                cut = max(good)
                above = [h for h in fails if h["params"][p.name] > cut]
                if len(above) == len(fails):
                    lessons.append(Lesson(
                        kind="pitfall", scope="problem", problem=pid, tags=tags, confidence=0.6,
                        text=f"{p.name} above {_num(cut)} gave TLE in {len(fails)} candidates of {template} on {pid}; keep it below",
                        evidence={"key": f"{pid}:{template}:{p.name}:tle", "template": template, "param": p.name,
                                  "above": cut, "verdict": "TLE", "candidates": [h["id"] for h in fails], "n": len(mine)},
                    ))
        return lessons, []


# --- failures: repair what broke before tuning anything else --------------------------------
TIME_NAME = re.compile(r"TIME|ITER|STEP|LOOP|ROUND|TRIAL|BEAM|WIDTH|DEPTH", re.I)
STARTUP_MARGIN = 0.2  # of the time limit: interpreter start-up and measurement noise


def _failure(ctx: Context) -> str | None:
    """The parent's worst verdict when it failed some seeds: TLE first (it decides what to shrink)."""
    cases = (ctx.feedback or {}).get("cases") or []
    verdicts = {c.get("verdict") for c in cases} - {"AC", None}
    if not verdicts and ctx.parent is not None and not ctx.parent.get("accepted", True):
        verdicts = set((ctx.parent.get("verdicts") or {})) - {"AC"}
    for v in ("TLE", "RE", "MLE", "WA", "OLE"):
        if v in verdicts:
            return v
    return None


def _grandparent(ctx: Context) -> dict | None:
    """The parameters the failing parent was made from (its own parent's), if known."""
    pid = (ctx.parent or {}).get("parent_id")
    for h in ctx.history:
        if h.get("id") == pid and h.get("params"):
            return h["params"]
    return None


def _time_params(params: list[Param], mine: list[dict]) -> list[Param]:
    """Parameters that scale a run's time: named like a time budget or an iteration count, or whose
    values track the measured time in this run (Spearman's rho >= 0.7 over >= 4 candidates)."""
    out = []
    for p in params:
        if p.kind == "choice":
            continue
        if TIME_NAME.search(p.name):
            out.append(p)
            continue
        pts = [(h["params"][p.name], h["max_time"]) for h in mine if p.name in h["params"] and h.get("max_time")]
        if len({x for x, _ in pts}) >= 4 and _spearman(pts) >= 0.7:
            out.append(p)
    return out


def _spearman(pts: list[tuple[float, float]]) -> float:
    def ranks(xs):
        order = sorted(range(len(xs)), key=xs.__getitem__)
        r = [0.0] * len(xs)
        for i, j in enumerate(order):
            r[j] = float(i)
        return r

    a, b = ranks([x for x, _ in pts]), ranks([y for _, y in pts])
    n = len(pts)
    ma, mb = sum(a) / n, sum(b) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    va, vb = sum((x - ma) ** 2 for x in a), sum((y - mb) ** 2 for y in b)
    return cov / math.sqrt(va * vb) if va and vb else 0.0


def _shrink(params: list[Param], parent: dict, timed: list[Param], ctx: Context) -> dict:
    """After a TLE: scale the time-scaling parameters down by what the measured times say.

    The slowest case took t >= the limit L (a killed run took at least that); aim at (1 - margin) * L.
    """
    cur = {p.name: (parent.get("params") or {}).get(p.name, p.value) for p in params}
    times = [c.get("time") or 0.0 for c in (ctx.feedback or {}).get("cases") or []]
    limit = ctx.time_limit
    t = max(times + [limit * 1.05])
    factor = (1 - STARTUP_MARGIN) * limit / t
    for p in timed:
        cur[p.name] = p.clip(cur[p.name] * factor)
    return cur


def _towards(params: list[Param], current: dict, before: dict, rng: random.Random) -> dict:
    """After RE/WA: the child goes back towards the values the failing parent was made from."""
    out = {}
    for p in params:
        now, was = current.get(p.name, p.value), before.get(p.name, p.value)
        if p.kind == "choice" or now == was:
            out[p.name] = was
        else:
            w = rng.uniform(0.5, 1.0)  # at least half way back
            out[p.name] = now + w * (was - now)
    return out


def _tle_caps(timed: list[Param], mine: list[dict]) -> dict[str, float]:
    """For each time-scaling parameter, the smallest value that has timed out in this run."""
    caps: dict[str, float] = {}
    for p in timed:
        bad = [h["params"][p.name] for h in mine if (h.get("verdicts") or {}).get("TLE") and p.name in h["params"]]
        if bad:
            caps[p.name] = min(bad)
    return caps


def _below(p: Param, v, caps: dict[str, float]):
    """A setting at or beyond one that timed out is not proposed again."""
    cap = caps.get(p.name)
    if cap is None or p.kind == "choice" or v < cap:
        return v
    return rounded(p, p.clip(cap * (1 - STARTUP_MARGIN / 2))) if cap * (1 - STARTUP_MARGIN / 2) >= p.lo else p.lo


def _span(p: Param, lo: float, hi: float) -> float:
    if p.log and lo > 0 and hi > 0:
        return math.log(hi) - math.log(lo)
    return hi - lo


def _same(a: dict, b: dict, params: list[Param]) -> bool:
    return all(rounded(p, a.get(p.name, p.value)) == rounded(p, b.get(p.name, p.value)) for p in params)


def _priors(lessons, problem: str, template: str | None, params: list[Param]) -> dict:
    """Ranges, caps and the best known setting that lessons give for these parameters."""
    names = {p.name for p in params}
    out: dict = {"range": {}, "cap": {}}
    for lesson in lessons or []:
        ev = getattr(lesson, "evidence", None) or {}
        if getattr(lesson, "problem", None) != problem or ev.get("template") not in (None, template):
            continue
        if "best_params" in ev and names <= set(ev["best_params"]):
            out["best"] = {k: v for k, v in ev["best_params"].items() if k in names}
        elif ev.get("param") in names and "lo" in ev:
            out["range"][ev["param"]] = (ev["lo"], ev["hi"])
        elif ev.get("param") in names and "choices" in ev:
            out["range"][ev["param"]] = tuple(ev["choices"])
        elif ev.get("param") in names and "above" in ev:
            out["cap"][ev["param"]] = ev["above"]
    return out


def _capped(p: Param, v, priors: dict):
    cap = priors["cap"].get(p.name)
    if cap is not None and p.kind != "choice" and v > cap:
        return cap
    return v


def _local(params: list[Param], current: dict, priors: dict, rng: random.Random) -> dict:
    """Move one or two parameters a little; inside a lesson's good range most of the time."""
    values = {p.name: current.get(p.name, p.value) for p in params}
    for p in rng.sample(params, k=min(len(params), rng.choice((1, 1, 2)))):
        good = priors["range"].get(p.name)
        if p.kind == "choice":
            pool = list(good) if isinstance(good, tuple) and rng.random() < 0.7 else list(p.choices)
            values[p.name] = rng.choice(pool)
            continue
        if good and not isinstance(good, tuple) and rng.random() < 0.7:
            lo, hi = good
        else:
            lo, hi = p.lo, p.hi
        v = values[p.name]
        if p.log and lo > 0:
            x = math.log(max(v, p.lo)) + rng.gauss(0, 0.35 * max(0.3, math.log(hi / lo)) / 2)
            v = math.exp(min(max(x, math.log(lo)), math.log(hi)))
        else:
            v = min(max(v + rng.gauss(0, 0.15 * (hi - lo)), lo), hi)
        values[p.name] = v
    return values


def _tpe(params: list[Param], history: list[dict], seed: int) -> dict:
    """One TPE suggestion fitted on the judged candidates (failures count as the worst; a raced-out
    child at its estimated mean)."""
    import optuna
    from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    dists = {}
    for p in params:
        if p.kind == "choice":
            dists[p.name] = CategoricalDistribution(list(p.choices))
        elif p.kind == "int":
            dists[p.name] = IntDistribution(int(p.lo), int(p.hi), log=p.log)
        else:
            dists[p.name] = FloatDistribution(p.lo, p.hi, log=p.log)
    scored = [(h, _objective(h, estimated=True)) for h in history]
    ok = [v for _, v in scored if v is not None]
    floor = (min(ok) - (max(ok) - min(ok) + 1.0)) if ok else -1.0
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=seed, n_startup_trials=3, multivariate=True))
    for h, v in scored:
        ps = {}
        for p in params:
            if p.name not in h["params"]:
                break
            ps[p.name] = p.clip(h["params"][p.name]) if p.kind != "choice" else h["params"][p.name]
            if p.kind == "choice" and ps[p.name] not in p.choices:
                break
        else:
            study.add_trial(optuna.trial.create_trial(params=ps, distributions=dists, value=v if v is not None else floor))
    trial = study.ask(dists)
    return dict(trial.params)
