"""Tests for the grid-harvest problem package (Orchard Robot)."""

import hashlib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from judge import WrongAnswer
from tests.conftest import package_module

PROBLEM = Path(__file__).resolve().parents[2] / "problems" / "grid-harvest"
GOLDEN = "5b17c15186e4407e4cd3668f40cdeb5891d9c2f5fe1be02c01d7441f2e5fa6c7"


gen = package_module(PROBLEM, "generator")
scorer = package_module(PROBLEM, "scorer")
vis = package_module(PROBLEM, "visualizer")

EXAMPLE_IN = "3 4 0 0\n...\n.#.\n...\n5 1 9\n2 0 3\n7 4 6\n1 1 2\n1 0 1\n3 1 1\n"


def test_generator_golden_hash():
    text = "".join(gen.generate(s) for s in range(5))
    assert hashlib.sha256(text.encode()).hexdigest() == GOLDEN


def test_generator_respects_constraints():
    ns = []
    for s in range(20):
        lines = gen.generate(s).split("\n")
        n, t, si, sj = map(int, lines[0].split())
        assert 10 <= n <= 40 and n * n / 2 <= t <= 3 * n * n
        rock = lines[1:1 + n]
        cap = [list(map(int, lines[1 + n + i].split())) for i in range(n)]
        grow = [list(map(int, lines[1 + 2 * n + i].split())) for i in range(n)]
        assert rock[si][sj] == "."
        for i in range(n):
            for j in range(n):
                if rock[i][j] == "#":
                    assert cap[i][j] == grow[i][j] == 0
                else:
                    assert 1 <= cap[i][j] <= 100 and 1 <= grow[i][j] <= 5
        # one connected open region
        seen, stack = {(si, sj)}, [(si, sj)]
        while stack:
            i, j = stack.pop()
            for a, b in ((i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)):
                if 0 <= a < n and 0 <= b < n and rock[a][b] == "." and (a, b) not in seen:
                    seen.add((a, b))
                    stack.append((a, b))
        assert len(seen) == sum(row.count(".") for row in rock)
        ns.append(n)
    assert min(ns) < 20 and max(ns) > 32


def test_statement_example_score():
    assert scorer.score(EXAMPLE_IN, "RLDD\n") == 17


def test_scores_by_hand():
    # start (0,0) = 5; (1,0) fresh 2; (2,0) fresh 7; (1,0) again at t=3: min(2, 1*(3-1)) = 2;
    # (0,0) at t=4: min(5, 1*4) = 4
    assert scorer.score(EXAMPLE_IN, "DDUU\n") == 5 + 2 + 7 + 2 + 4
    # ping-pong on (0,0)/(0,1): 5, 1, min(5,2)=2, min(1,1*2)=1
    assert scorer.score(EXAMPLE_IN, "RLR") == 5 + 1 + 2 + 1
    # no moves: only the start cell; empty output is fine
    assert scorer.score(EXAMPLE_IN, "") == 5
    assert scorer.score(EXAMPLE_IN, "\n\n") == 5
    # fast regrowth: (2,0) has g=3, cap 7: D D U D -> 5 + 2 + 7 + min(2, 1*2)=2 + min(7, 3*2)=6
    assert scorer.score(EXAMPLE_IN, "DDUD\n") == 5 + 2 + 7 + 2 + 6


def test_score_is_at_least_one():
    inp = "1 1 0 0\n.\n0\n0\n"  # degenerate hand-made case: a single empty cell
    assert scorer.score(inp, "") == 1


@pytest.mark.parametrize("out, fragment", [
    ("RR\nDD\n", "line 2: expected a single line"),
    ("RLRLR\n", "5 moves, more than T = 4"),
    ("RX\n", "move 2: invalid character 'X'"),
    ("R L\n", "move 2: invalid character ' '"),
    ("U\n", "move 1 (U): leaves the orchard"),
    ("RD\n", "move 2 (D): cell (1, 1) is a rock"),
])
def test_wrong_answers(out, fragment):
    with pytest.raises(WrongAnswer) as e:
        scorer.score(EXAMPLE_IN, out)
    assert fragment in str(e.value)


def test_visualizer_svg():
    inp = gen.generate(3)
    n = int(inp.split()[0])
    for out in ("", "UDLR" * 10, "Q", "D" * (n + 2)):
        root = ET.fromstring(vis.render(inp, out))
        assert root.tag.endswith("svg")
    assert ET.fromstring(vis.render(EXAMPLE_IN, "RLDD\n")) is not None
    assert "fruit=17" in vis.render(EXAMPLE_IN, "RLDD\n")
