"""The offline drafter repairs what failed before it tunes anything else."""

import asyncio

from ale.params import parse_params
from ale.providers.base import Context
from ale.providers.offline import OfflineDrafter

SOURCE = (
    "import time\n"
    "TIME_BUDGET = 1.9  # ale: param float 0.05 5.0\n"
    "T0 = 100.0  # ale: param float 1 1000 log\n"
    "print(1)\n"
)


def _ctx(parent, history, cases):
    return Context(problem_id="p", statement="", objective="maximize", time_limit=2.0, memory_limit=256, tags=[],
                   parent=parent, feedback={"cases": cases, "accepted": parent.get("accepted")}, history=history)


def _cand(cid, params, verdicts, accepted, parent_id=None, mean=None):
    from ale.params import apply_params

    return {"id": cid, "parent_id": parent_id, "source": apply_params(SOURCE, params), "params": params,
            "template": "t", "verdicts": verdicts, "accepted": accepted, "public_mean": mean, "language": "py",
            "objective": "maximize"}


def _propose(ctx, n=1, seed=0):
    d = OfflineDrafter(seed=seed)
    return [asyncio.run(d.propose(ctx)) for _ in range(n)]


def test_after_a_tle_the_time_budget_goes_down_by_what_was_measured():
    parent = _cand(1, {"TIME_BUDGET": 1.9, "T0": 100.0}, {"TLE": 3}, False)
    cases = [{"seed": s, "verdict": "TLE", "time": 2.25, "score": 0} for s in range(3)]
    (p,) = _propose(_ctx(parent, [parent], cases))
    assert p.method == "repair-tle"
    new = p.params["TIME_BUDGET"]
    assert new < 1.9 * 2.0 / 2.25  # below the measured ratio, with a margin for start-up
    assert p.params["T0"] == 100.0  # nothing else is touched while repairing
    assert {q.name: q.value for q in parse_params(p.source)}["TIME_BUDGET"] == new


def test_a_setting_that_timed_out_is_not_proposed_again():
    ok = _cand(1, {"TIME_BUDGET": 1.2, "T0": 100.0}, {"AC": 3}, True, mean=50.0)
    tle = _cand(2, {"TIME_BUDGET": 1.5, "T0": 90.0}, {"TLE": 1, "AC": 2}, False, parent_id=1)
    hist = [ok, tle] + [_cand(10 + i, {"TIME_BUDGET": 0.8 + 0.05 * i, "T0": 50.0 + i}, {"AC": 3}, True, 1, 40.0 + i)
                        for i in range(6)]
    cases = [{"seed": s, "verdict": "AC", "time": 1.5, "score": 50} for s in range(3)]
    proposals = _propose(_ctx(ok, hist, cases), n=60)
    budgets = [p.params["TIME_BUDGET"] for p in proposals]
    assert max(budgets) < 1.5, sorted(budgets)[-5:]
    # Without the timed-out candidate in the history the drafter does go there: the cap is what stops it.
    free = _propose(_ctx(ok, [h for h in hist if h["id"] != 2], cases), n=60)
    assert max(p.params["TIME_BUDGET"] for p in free) >= 1.5


def test_after_a_runtime_error_the_child_goes_back_towards_the_parents_values():
    good = _cand(1, {"TIME_BUDGET": 1.0, "T0": 100.0}, {"AC": 3}, True, mean=10.0)
    broke = _cand(2, {"TIME_BUDGET": 1.0, "T0": 900.0}, {"RE": 3}, False, parent_id=1)
    cases = [{"seed": s, "verdict": "RE", "time": 0.1, "score": 0} for s in range(3)]
    for p in _propose(_ctx(broke, [good, broke], cases), n=5):
        assert p.method == "revert"
        assert 100.0 <= p.params["T0"] <= 500.0  # at least half way back from 900 to 100


def test_iteration_counts_are_time_parameters_too():
    src = "ITERS = 2000000  # ale: param int 1000 50000000 log\nGAMMA = 0.9  # ale: param float 0.5 0.99\n"
    from ale.params import apply_params

    parent = {"id": 1, "parent_id": None, "source": src, "params": {"ITERS": 2000000, "GAMMA": 0.9}, "template": "t",
              "verdicts": {"TLE": 2}, "accepted": False, "language": "py"}
    cases = [{"seed": s, "verdict": "TLE", "time": 2.3, "score": 0} for s in range(2)]
    (p,) = _propose(_ctx(parent, [parent], cases))
    assert p.method == "repair-tle" and p.params["ITERS"] < 2000000 * 0.8 and p.params["GAMMA"] == 0.9
    assert apply_params(src, p.params) == p.source
