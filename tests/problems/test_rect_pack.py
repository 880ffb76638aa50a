"""Tests for the rect-pack problem package (Exhibition Hall Booths)."""

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from judge import WrongAnswer
from tests.conftest import package_module

PROBLEM = Path(__file__).resolve().parents[2] / "problems" / "rect-pack"
GOLDEN = "ef547a384a1b0c57129171bd7f63c1b1c74bc124d39a6cf861b7d5c3455e722e"


gen = package_module(PROBLEM, "generator")
scorer = package_module(PROBLEM, "scorer")
vis = package_module(PROBLEM, "visualizer")

EXAMPLE_IN = "10 3\n1 1 16\n7 2 12\n4 7 20\n"
EXAMPLE_OUT = "0 0 4 4\n5 0 10 3\n0 6 10 8\n"


def test_generator_golden_hash():
    text = "".join(gen.generate(s) for s in range(5))
    assert hashlib.sha256(text.encode()).hexdigest() == GOLDEN


def test_generator_respects_constraints():
    ns = []
    for s in range(30):
        tok = gen.generate(s).split()
        L, n = int(tok[0]), int(tok[1])
        assert L == 10000 and 30 <= n <= 200
        rows = [tuple(map(int, tok[2 + 3 * i:5 + 3 * i])) for i in range(n)]
        assert len({(x, y) for x, y, _ in rows}) == n
        assert all(0 <= x < L and 0 <= y < L and r >= 1 for x, y, r in rows)
        assert sum(r for _, _, r in rows) <= L * L
        ns.append(n)
    assert min(ns) < 80 and max(ns) > 150


def test_statement_example_score():
    # p = 1 + 0.96 + 0.5 (corridor) -> 1e9 * 2.46 / 3
    assert scorer.score(EXAMPLE_IN, EXAMPLE_OUT) == 820000000


def test_scores_by_hand():
    inp = "10 2\n0 0 4\n9 9 8\n"
    # booth 1: 2x2 = 4 -> 1; booth 2 misses its spot (9,9) -> 0
    assert scorer.score(inp, "0 0 2 2\n5 5 7 7\n") == 500000000
    # booth 1: 1x1 vs 4 -> 1-(0.75)^2 = 0.4375; booth 2: 2x2 vs 8 -> 1-0.25 = 0.75
    assert scorer.score(inp, "0 0 1 1\n8 8 10 10\n") == round(1e9 * (0.4375 + 0.75) / 2)
    # booth 1: 1x8 corridor with area 8 vs 4 -> (1-0.25)*0.5 ; booth 2: 8 x 1 exact, corridor -> 0.5
    assert scorer.score(inp, "0 0 1 8\n2 9 10 10\n") == round(1e9 * (0.375 + 0.5) / 2)
    # nothing contains its spot: the floor of 1
    assert scorer.score(inp, "1 1 2 2\n3 3 4 4\n") == 1
    # edge-sharing booths are fine; trailing blank lines are ignored
    assert scorer.score(inp, "0 0 2 2\n2 0 4 2\n\n\n") == 500000000


@pytest.mark.parametrize("out, fragment", [
    ("0 0 2 2\n", "expected 2 lines, got 1"),
    ("0 0 2 2\n8 8 10 10\n1 1 2 2\n", "line 3"),
    ("0 0 2 2\n8 8 10\n", "line 2: expected 4 integers"),
    ("0 0 2 2\n8 8 10 x\n", "line 2: not an integer"),
    ("0 0 2 2\n8 8 11 10\n", "line 2: rectangle 2"),
    ("0 0 2 2\n8 8 8 10\n", "line 2: rectangle 2"),
    ("0 0 9 9\n8 8 10 10\n", "line 2: rectangle 2 overlaps rectangle 1"),
])
def test_wrong_answers(out, fragment):
    with pytest.raises(WrongAnswer) as e:
        scorer.score("10 2\n0 0 4\n9 9 8\n", out)
    assert fragment in str(e.value)


def test_visualizer_svg():
    inp = gen.generate(0)
    n = int(inp.split()[1])
    tok = inp.split()
    out = "".join(f"{tok[2 + 3 * i]} {tok[3 + 3 * i]} {int(tok[2 + 3 * i]) + 1} {int(tok[3 + 3 * i]) + 1}\n" for i in range(n))
    assert scorer.score(inp, out) >= 1
    for o in (out, "", "garbage\n", out[: len(out) // 2]):
        root = ET.fromstring(vis.render(inp, o))
        assert root.tag.endswith("svg")
