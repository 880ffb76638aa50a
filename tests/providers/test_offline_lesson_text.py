"""The offline drafter's lessons read as a person would write them."""

import asyncio
import re

from ale.providers.base import Context
from ale.providers.offline import OfflineDrafter

SOURCE = "GAMMA = 0.9  # ale: param float 0.1 1.0\nITERS = 1000  # ale: param int 1000 5000000 log\n"


def distil(history, child):
    ctx = Context(problem_id="rect-pack", statement="", objective="maximize", time_limit=2.0, memory_limit=1024,
                  tags=["packing"], history=history)
    lessons, _ = asyncio.run(OfflineDrafter().distil(ctx, child, {}))
    return [l.text for l in lessons]


def test_lesson_text_has_no_empty_ranges_or_exponents():
    history = [  # eight judged candidates of one template: six accepted, two out of time with many iterations
        {"id": i + 1, "template": "strong.cpp", "objective": "maximize", "accepted": True,
         "params": {"GAMMA": 0.9, "ITERS": 2_000_000 + 1000 * i}, "public_mean": 985_356_123.4 - i}
        for i in range(6)
    ] + [
        {"id": 20 + i, "template": "strong.cpp", "objective": "maximize", "accepted": False,
         "verdicts": {"TLE": 4}, "params": {"GAMMA": 0.5, "ITERS": 4_000_000}, "public_mean": None}
        for i in range(2)
    ]
    texts = distil(history, {"template": "strong.cpp", "source": SOURCE})
    joined = "\n".join(texts)
    assert texts, "eight judged candidates of one template give lessons"
    assert "GAMMA was 0.9 in every top-quartile candidate" in joined, joined
    assert "between 0.9 and 0.9" not in joined
    assert not re.search(r"\de[+-]\d", joined), joined  # no 9.85356e+08, no 2e+06
    assert "public mean 985,356,123.4" in joined
    assert "ITERS above 2005000 gave TLE" in joined, joined
