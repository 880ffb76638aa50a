"""Tests of the job-shop problem package."""

import hashlib
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from judge import WrongAnswer
from tests.conftest import package_module

PROBLEM = Path(__file__).resolve().parents[2] / "problems" / "job-shop"
GOLDEN = "ecf11f0340fb1af12113951dd07a1e36cbf555b536176eeb90d254355a18c36a"

EXAMPLE_IN = "3 2 1\n1 10 5 0 0\n1 9 4 6 0\n0 15 3 3 1 1\n"


gen = package_module(PROBLEM, "generator")
scorer = package_module(PROBLEM, "scorer")
vis = package_module(PROBLEM, "visualizer")


def test_generator_golden_hash():
    text = "".join(gen.generate(s) for s in range(5))
    assert hashlib.sha256(text.encode()).hexdigest() == GOLDEN


def test_generator_sizes_spread():
    ns = [int(gen.generate(s).split()[0]) for s in range(50)]
    assert min(ns) < 120 and max(ns) > 430 and all(50 <= n <= 500 for n in ns)


def test_example_scores():
    # makespan 11 + task 2 late by 2
    assert scorer.score(EXAMPLE_IN, "1 0\n2 5\n1 5\n") == 13
    # makespan 9, nothing late; trailing blank lines are fine
    assert scorer.score(EXAMPLE_IN, "1 0\n1 5\n2 5\n\n\n") == 9
    # idle time is allowed: the day ends at 30; task 2 ends at 30 (21 late), task 3 at 23 (8 late)
    assert scorer.score(EXAMPLE_IN, "1 0\n1 26\n2 20\n") == 30 + 21 + 8


@pytest.mark.parametrize(
    "output, fragment",
    [
        ("1 0\n2 5\n", "line 3: expected 3 lines"),
        ("1 0\n2 5\n1 5\n1 9\n", "line 4: extra output"),
        ("1 0\n2 5 7\n1 5\n", "line 2: expected 2 integers"),
        ("1 0\n2 x\n1 5\n", "line 2: worker and start must be integers"),
        ("3 0\n2 5\n1 5\n", "line 1: worker 3 is out of range"),
        ("2 0\n1 5\n1 9\n", "line 1: worker 2 is not qualified for task 1"),
        ("1 -1\n2 5\n1 5\n", "line 1: start time -1 is out of range"),
        ("1 0\n2 5\n1 4\n", "line 3: task 3 starts at 4 before its predecessor task 1 ends at 5"),
        # task 2 [5,9) and task 3 [7,10) both on worker 1
        ("1 0\n1 5\n1 7\n", "line 3: worker 1 is still busy with task 2 (line 2) until time 9"),
        # task 2 on worker 2 uses the machine from 4, task 1 holds it until 5
        ("1 0\n2 4\n1 5\n", "line 2: machine 1 is still busy with task 1 (line 1) until time 5"),
    ],
)
def test_wrong_answers(output, fragment):
    with pytest.raises(WrongAnswer) as e:
        scorer.score(EXAMPLE_IN, output)
    assert fragment in str(e.value)


def _baseline_output(seed):
    inp = gen.generate(seed)
    out = subprocess.run(
        [sys.executable, str(PROBLEM / "solutions" / "baseline.py")], input=inp, capture_output=True, text=True, check=True
    ).stdout
    return inp, out


def test_baseline_output_scores_and_visualizer_svg():
    inp, out = _baseline_output(2)
    assert scorer.score(inp, out) > 0
    assert ET.fromstring(vis.render(inp, out)).tag.endswith("svg")
    ET.fromstring(vis.render(inp, ""))
    ET.fromstring(vis.render(inp, "1 0\nfoo\n99 3\n"))


def test_scorer_fast_on_largest_case():
    seed = max(range(50), key=lambda s: int(gen.generate(s).split()[0]))
    inp, out = _baseline_output(seed)
    scorer.score(inp, out)
    t = time.perf_counter()
    scorer.score(inp, out)
    assert time.perf_counter() - t < 0.2
