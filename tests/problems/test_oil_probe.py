"""Tests for the oil-probe interactive problem package."""

import hashlib
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from judge import WrongAnswer
from tests.conftest import package_module

PROBLEM = Path(__file__).resolve().parents[2] / "problems" / "oil-probe"
GOLDEN = "7441f09dfa7c16034f4eccb4b9ad698b6c41ecf0f4bf68beb582f01643028b75"


gen = package_module(PROBLEM, "generator")
inter = package_module(PROBLEM, "interactor")
vis = package_module(PROBLEM, "visualizer")

# the statement's example: N = 4, one deposit on the central 2 x 2 square
EXAMPLE = ("4 1 0.10\n4\n4 1 1 1 2 2 1 2 2\n"
           "0 0 0 0\n0 1 1 0\n0 1 1 0\n0 0 0 0\n12345\n")
RIGHT = "a 4 1 1 1 2 2 1 2 2"


class ScriptedChannel:
    """Plays the solution: returns scripted lines, records what the interactor sent."""

    def __init__(self, lines):
        self.lines = list(lines)
        self.sent = []

    def send(self, text):
        self.sent.append(text)

    def recv(self):
        if not self.lines:
            raise WrongAnswer("the solution exited without printing a line")
        return self.lines.pop(0)


def run(lines, text=EXAMPLE):
    ch = ScriptedChannel(lines)
    return inter.interact(text, ch), ch.sent


def test_generator_golden_hash():
    text = "".join(gen.generate(s) for s in range(5))
    assert hashlib.sha256(text.encode()).hexdigest() == GOLDEN


def test_generator_matches_statement():
    ns = []
    for s in range(30):
        lines = gen.generate(s).strip().split("\n")
        n, m, sigma = lines[0].split()
        n, m = int(n), int(m)
        assert 10 <= n <= 20 and 2 <= m <= 6 and 0.05 <= float(sigma) <= 0.5
        sizes = list(map(int, lines[1].split()))
        v = [[0] * n for _ in range(n)]
        for k in range(m):
            nums = list(map(int, lines[2 + k].split()))
            cells = {(nums[1 + 2 * q], nums[2 + 2 * q]) for q in range(nums[0])}
            assert len(cells) == nums[0] == sizes[k] >= 4
            first = next(iter(cells))
            seen, stack = {first}, [first]
            while stack:  # 4-connected
                i, j = stack.pop()
                for c in ((i - 1, j), (i + 1, j), (i, j - 1), (i, j + 1)):
                    if c in cells and c not in seen:
                        seen.add(c)
                        stack.append(c)
            assert seen == cells
            for i, j in cells:
                v[i][j] += 1
        assert [list(map(int, lines[2 + m + i].split())) for i in range(n)] == v
        ns.append(n)
    assert min(ns) <= 12 and max(ns) >= 18


def test_statement_example_cost():
    score, sent = run(["s 0 0 1 1", "d 1 1", "d 1 2", "d 2 1", "d 2 2", RIGHT])
    assert score == 5500  # 0.5 + 4 + 1
    assert sent[0] == "4 1 0.10\n4\n"  # only the public part
    assert sent[2:6] == ["1\n"] * 4 and sent[-1] == "1\n"
    assert int(sent[1]) >= 0


def test_costs_by_hand():
    # a wrong answer costs 1 and gets 0; comments are free; a 1 x 3 survey costs 1/sqrt(3)
    score, sent = run(["a 0", "# thinking", "d 0 0", "s 3 0 3 2", RIGHT])
    assert sent[1] == "0\n" and sent[2] == "0\n"
    assert score == round(1000 * (1 + 1 + 3 ** -0.5 + 1))  # 3577
    # answering right away: cost 1
    assert run([RIGHT])[0] == 1000
    # the answer's order does not matter
    assert run(["a 4 2 2 2 1 1 2 1 1"])[0] == 1000


def test_survey_noise_is_reproducible_and_centred():
    lines = [f"s 0 0 {i % 4} 3" for i in range(30)] + [RIGHT]
    _, a = run(lines)
    _, b = run(lines)
    assert a == b
    # rows 0..(i%4) x all columns: S is 0, 2, 4, 4 for i % 4 == 0..3; noise sd <= 0.1 * 4
    for i, reply in enumerate(a[1:31]):
        assert abs(int(reply) - (0, 2, 4, 4)[i % 4]) <= 2


@pytest.mark.parametrize("lines, fragment", [
    (["d 0 0"] * 33, "line 33 (query 33): more than 32 queries"),
    ([""], "line 1 (query 1): empty line"),
    (["x 1 1"], "unknown query type 'x'"),
    (["d 1"], "drill needs 'd i j'"),
    (["d 1 z"], "expected integers"),
    (["d 4 0"], "cell (4, 0) is outside"),
    (["s 2 0 1 3"], "bad survey rectangle"),
    (["s 0 0 0 0"], "at least 2 cells"),
    (["s 0 0 1"], "survey needs"),
    (["a 2 1 1"], "answer needs"),
    (["a 1 1 9"], "outside the field"),
    (["a 2 1 1 1 1"], "listed twice"),
    (["# only a comment", "d 0 0"], "exited"),
])
def test_wrong_answers(lines, fragment):
    with pytest.raises(WrongAnswer) as e:
        run(lines)
    assert fragment in str(e.value)


def _play(solution, text):
    """Run a solution against the interactor over real pipes; returns (score, printed lines)."""
    p = subprocess.Popen([sys.executable, str(solution)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    printed = []

    class Pipe:
        def send(self, t):
            p.stdin.write(t)
            p.stdin.flush()

        def recv(self):
            line = p.stdout.readline()
            if not line:
                raise WrongAnswer("solution exited")
            printed.append(line.rstrip("\n"))
            return line.rstrip("\n")

    try:
        score = inter.interact(text, Pipe())
    finally:
        p.stdin.close()
        p.wait(timeout=10)
    return score, printed


def test_visualizer_svg_and_baseline_over_pipes():
    text = gen.generate(1)
    n = int(text.split()[0])
    score, printed = _play(PROBLEM / "solutions" / "baseline.py", text)
    assert score == 1000 * (n * n + 1)
    for out in ("\n".join(printed), "", "d 0 0\ns 0 0 x 1\na 1 0", "a 3 0 0"):
        root = ET.fromstring(vis.render(text, out))
        assert root.tag.endswith("svg")


def test_strong_over_pipes_is_cheaper():
    text = gen.generate(2)
    n = int(text.split()[0])
    score, _ = _play(PROBLEM / "solutions" / "strong.py", text)
    assert 1 <= score < 1000 * (n * n + 1)
