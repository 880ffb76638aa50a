"""Tests of the delivery-route problem package."""

import hashlib
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from judge import WrongAnswer
from tests.conftest import package_module

PROBLEM = Path(__file__).resolve().parents[2] / "problems" / "delivery-route"
GOLDEN = "aef736eea32379d6a3790eaa10941d7aa6038ce3864630f6cb5f66217b2d5f51"

EXAMPLE_IN = "4 10\n500 500\n500 600 4\n600 600 5\n500 400 6\n400 400 3\n"


gen = package_module(PROBLEM, "generator")
scorer = package_module(PROBLEM, "scorer")
vis = package_module(PROBLEM, "visualizer")


def test_generator_golden_hash():
    text = "".join(gen.generate(s) for s in range(5))
    assert hashlib.sha256(text.encode()).hexdigest() == GOLDEN


def test_generator_sizes_spread():
    ns = [int(gen.generate(s).split()[0]) for s in range(50)]
    assert min(ns) < 120 and max(ns) > 430
    assert all(50 <= n <= 500 for n in ns)


def test_example_score():
    assert scorer.score(EXAMPLE_IN, "2\n2 1 2\n2 3 4\n") == 683


def test_single_café_trips_and_blank_lines():
    # each café alone: 2*(100 + 141.42 + 100 + 141.42) = 965.69 -> 966
    assert scorer.score(EXAMPLE_IN, "4\n\n1 1\n1 2\n1 3\n1 4\n\n") == 966


@pytest.mark.parametrize(
    "output, fragment",
    [
        ("", "line 1: empty output"),
        ("x\n", "line 1: R must be an integer"),
        ("2 3\n", "line 1: expected one integer R"),
        ("0\n", "line 1: R = 0 is out of range"),
        ("3\n2 1 2\n2 3 4\n", "only 2 route lines follow"),
        ("2\n2 1 2\n2 3 4\n1 1\n", "line 4: extra line"),
        ("2\n0\n4 1 2 3 4\n", "line 2: route size m = 0"),
        ("2\n3 1 2\n2 3 4\n", "line 2: route size m = 3 but 2 customers"),
        ("2\n2 1 9\n2 3 4\n", "line 2: customer 9 is out of range"),
        ("2\n2 1 2\n2 3 1\n", "line 3: customer 1 visited twice"),
        ("2\n2 1 2\n1 3\n", "customer 4 is never visited"),
        ("2\n3 1 2 3\n1 4\n", "line 2: route load 15 exceeds capacity 10"),
        ("2\n2 1 a\n2 3 4\n", "line 2: customer must be an integer"),
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
    inp, out = _baseline_output(3)
    assert scorer.score(inp, out) > 0
    root = ET.fromstring(vis.render(inp, out))
    assert root.tag.endswith("svg")
    ET.fromstring(vis.render(inp, ""))
    ET.fromstring(vis.render(inp, "5\n2 1 zz\n"))


def test_scorer_fast_on_largest_case():
    import time

    seed = max(range(50), key=lambda s: int(gen.generate(s).split()[0]))
    inp, out = _baseline_output(seed)
    scorer.score(inp, out)  # warm (numba load)
    t = time.perf_counter()
    scorer.score(inp, out)
    assert time.perf_counter() - t < 0.2
