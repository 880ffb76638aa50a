"""The taboo list: a child whose normalised source was already judged is skipped, not re-judged."""

import asyncio
from pathlib import Path

from judge import load_problem

from ale.providers.base import Proposal, Provider
from ale.solve import SolveOptions, Solver
from ale.store import Store

BOWL = Path(__file__).parent / "fixtures" / "bowl"


class Repeater(Provider):
    """Proposes the same few sources over and over (with whitespace noise)."""

    name = "repeater"
    writes_code = False

    def __init__(self):
        self.n = 0

    async def propose(self, ctx):
        self.n += 1
        x = self.n % 3
        return Proposal(f"print({x}, 50)\n\n   \n" + " " * self.n, method="repeat", note=f"x={x}")


def test_taboo_skips_already_judged_sources(tmp_path):
    store = Store(tmp_path / "t.db")
    events = []
    p = load_problem(BOWL)
    solver = Solver(p, store, Repeater(), SolveOptions(budget=20, beam=3, seeds="0-1", private_top=0, use_lessons=False,
                                                       starts=["baseline.py"]),
                    events=lambda kind, data: events.append(kind))
    summary = asyncio.run(solver.run())
    cands = store.candidates(summary["run"])
    hashes = [c["hash"] for c in cands]
    assert len(hashes) == len(set(hashes))
    # baseline + three distinct children; everything after that was taboo
    assert len(cands) == 4
    assert events.count("taboo") >= 3
    assert summary["stop_reason"]  # it stopped by itself instead of spinning
