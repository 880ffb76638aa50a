"""Tests of the beacon-estimate problem package (interactive)."""

import hashlib
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from judge import WrongAnswer
from tests.conftest import package_module

PROBLEM = Path(__file__).resolve().parents[2] / "problems" / "beacon-estimate"
GOLDEN = "ca7f3ba649a672e40c16bd076db0b8d68787411baf3821780e59bb2340a8b713"

# Hand-made case: two beacons, sigma 0.1, cost 1.0, at most 200 queries.
SMALL = "2 200 0.1 1.0\n12345\n300 400\n1000 1000\n"


gen = package_module(PROBLEM, "generator")
inter = package_module(PROBLEM, "interactor")
vis = package_module(PROBLEM, "visualizer")


class ScriptedChannel:
    """Plays a fixed list of solution lines; records what the interactor sends."""

    def __init__(self, lines):
        self.lines = list(lines)
        self.sent = []

    def send(self, text):
        self.sent.append(text.rstrip("\n"))

    def recv(self):
        if not self.lines:
            raise WrongAnswer("the solution exited without printing the expected line")
        return self.lines.pop(0)


def play(lines, input_text=SMALL):
    ch = ScriptedChannel(lines)
    return inter.interact(input_text, ch), ch.sent


def test_generator_golden_hash():
    text = "".join(gen.generate(s) for s in range(5))
    assert hashlib.sha256(text.encode()).hexdigest() == GOLDEN


def test_generator_ranges():
    ns = []
    for s in range(50):
        head = gen.generate(s).split("\n")[0].split()
        n, qmax, sigma, cost = int(head[0]), int(head[1]), float(head[2]), float(head[3])
        assert 5 <= n <= 40 and qmax == 100 * n and 0.03 <= sigma <= 0.3 and 0.2 <= cost <= 3.0
        ns.append(n)
    assert min(ns) <= 10 and max(ns) >= 35


def test_sends_only_public_header():
    score, sent = play(["! 300 400 1000 1000"])
    assert sent == ["2 200 0.1 1.0"]
    assert score == 1_000_000  # exact, no queries


def test_exact_after_three_queries():
    score, sent = play(["? 0 0 0", "? 0 300 400", "? 1 1000 1000", "! 300 400 1000 1000"])
    assert sent[2:] == ["0", "0"]  # standing on a beacon always reads 0
    assert 300 <= int(sent[1]) <= 800  # true distance 500, noisy
    assert score == round(1e6 * 2 / (2 + 0 + 3.0))  # 400000


def test_error_term():
    # beacon 0 estimated at (0, 0): error 500; beacon 1 exact; no queries
    score, _ = play(["! 0 0 1000 1000.0"])
    assert score == 3984  # round(2e6 / 502)


def test_replies_are_deterministic():
    a = play(["? 0 0 0", "? 1 0 0", "! 0 0 0 0"])[1]
    b = play(["? 0 0 0", "? 1 0 0", "! 0 0 0 0"])[1]
    assert a == b


@pytest.mark.parametrize(
    "lines, fragment",
    [
        ([""], "line 1: empty line"),
        (["hello"], "line 1: expected a line starting with '?' or '!'"),
        (["? 0 1"], "line 1: a query needs exactly 3 values"),
        (["? 0 1.5 2"], "line 1: query values must be integers"),
        (["? 2 1 1"], "line 1: beacon index 2 is out of range"),
        (["? 0 1 1", "? 0 1001 5"], "line 2: query point (1001, 5) is outside"),
        (["! 1 2 3"], "line 1: the answer needs 4 numbers"),
        (["! 1 2 x 4"], "line 1: estimate of beacon 1 is not a number"),
        (["! 1 2 nan 4"], "line 1: estimate of beacon 1 is not finite"),
        (["? 0 1 1"], "exited without printing"),
    ],
)
def test_wrong_answers(lines, fragment):
    with pytest.raises(WrongAnswer) as e:
        play(lines)
    assert fragment in str(e.value)


def test_query_limit():
    tight = "2 1 0.1 1.0\n7\n300 400\n1000 1000\n"
    with pytest.raises(WrongAnswer) as e:
        play(["? 0 1 1", "? 0 1 1"], tight)
    assert "line 2: query 2 exceeds the limit of 1 queries" in str(e.value)


def _baseline_transcript(input_text):
    """Run the baseline through the interactor over real pipes; return (score, transcript)."""
    import subprocess

    proc = subprocess.Popen(
        [sys.executable, str(PROBLEM / "solutions" / "baseline.py")],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    log = []

    class Pipe:
        def send(self, text):
            proc.stdin.write(text.rstrip("\n") + "\n")
            proc.stdin.flush()

        def recv(self):
            line = proc.stdout.readline()
            if not line:
                raise WrongAnswer("the solution exited without printing the expected line")
            log.append(line.rstrip("\n"))
            return log[-1]

    try:
        score = inter.interact(input_text, Pipe())
    finally:
        proc.stdin.close()
        proc.wait(timeout=10)
    return score, "\n".join(log) + "\n"


def test_baseline_and_visualizer():
    inp = gen.generate(2)
    score, transcript = _baseline_transcript(inp)
    assert score > 0
    root = ET.fromstring(vis.render(inp, transcript))
    assert root.tag.endswith("svg")
    ET.fromstring(vis.render(inp, ""))
    ET.fromstring(vis.render(inp, "? 0 1 1\n? 9 x 1\n! 1"))
