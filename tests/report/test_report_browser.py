"""`ale report` pages loaded in headless Chromium: the page's own script draws the charts, logs
nothing, and a 200-candidate report stays under 5 MB. Skipped (saying why) without chromium."""

import base64
import gzip
import json
import random
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ale.cli import app
from ale.store import Store
from tests.report.browser import body_attr, chromium, inside, load

ROOT = Path(__file__).resolve().parents[2]
BOWL = ROOT / "tests" / "solve" / "fixtures" / "bowl"
STRONG = ROOT / "problems" / "delivery-route" / "solutions" / "strong.py"
CHARTS = ("chart-curve-n", "chart-curve-t", "chart-lineage", "chart-heatmap")
runner = CliRunner()
pytestmark = pytest.mark.slow  # real runs, and Chromium starts in ~9 s on these machines

VISUALIZER = '''
from xml.sax.saxutils import escape


def render(input_text, output_text):
    a, b = map(float, input_text.split())
    try:
        x, y = map(float, output_text.split()[:2])
    except ValueError:
        x, y = 0.0, 0.0
    return ("<svg xmlns='http://www.w3.org/2000/svg' width='200' height='200' viewBox='0 0 10 100'>"
            f"<circle cx='{a}' cy='{b}' r='1' fill='green'/><circle cx='{x}' cy='{y}' r='1' fill='red'/>"
            f"<text x='0' y='8' font-size='6'>{escape(output_text.strip())}</text></svg>")
'''


def payload(html: str) -> dict:
    """The page's gzipped data block, decoded as its script decodes it."""
    block = re.search(r'<script id="data-gz"[^>]*>([^<]*)</script>', html).group(1)
    return json.loads(gzip.decompress(base64.b64decode(block)))


def inside_attrs(dom: str, element_id: str) -> list[tuple[str, dict]]:
    """(tag, attributes) of the elements inside one element of the rendered DOM."""
    start = dom.index(f'id="{element_id}"')
    end = dom.index("</section>", start)
    return [(m.group(1), dict(re.findall(r'([\w-]+)="([^"]*)"', m.group(2))))
            for m in re.finditer(r"<(\w+)([^>]*)>", dom[start:end])]


def assert_drawn(page: Path, charts=CHARTS) -> str:
    dom, console = load(page)
    assert console == [], f"the page logged: {console}"
    assert body_attr(dom, "data-charts") == "drawn", "the page's script did not finish drawing"
    found = inside(dom)
    for chart in charts:
        tags = found.get(chart, [])
        assert ("svg", "main-svg") in tags, f"{chart}: no plotly SVG in the rendered DOM"
    # The heatmap's cells are a bitmap plotly paints (an <image> in the SVG).
    assert any(t == "image" for t, _ in found["chart-heatmap"])
    return dom


@pytest.fixture(scope="module")
def real_run(tmp_path_factory):
    """A real small run: the offline drafter on a copy of the bowl problem that has a visualizer,
    with `ale solve --report` keeping a live page."""
    chromium()  # skip before spending time on the run
    tmp = tmp_path_factory.mktemp("report-run")
    problem = tmp / "bowl"
    shutil.copytree(BOWL, problem)
    (problem / "visualizer.py").write_text(VISUALIZER)
    db, live = tmp / "ale.db", tmp / "live.html"
    r = runner.invoke(app, ["solve", str(problem), "--db", str(db), "--budget", "8", "--beam", "3", "--json",
                            "--private-top", "2", "--report", str(live)])
    assert r.exit_code == 0, r.output
    return {"tmp": tmp, "problem": problem, "db": db, "live": live, "summary": json.loads(r.stdout)}


def test_report_of_a_real_run_draws_in_chromium(real_run):
    out = real_run["tmp"] / "report.html"
    r = runner.invoke(app, ["report", str(real_run["summary"]["run"]), "--db", str(real_run["db"]), "-o", str(out), "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["candidates"] == 8 and doc["bytes"] == out.stat().st_size
    html = out.read_text()
    # Self-contained: nothing is fetched (no external script, stylesheet or picture).
    assert not re.search(r"<(script|img|link)[^>]+(src|href)=['\"](?!data:)", html)
    # The best candidate drawn by the problem's visualizer on three seeds, shown by the page as <img>
    # (never inline SVG, which could run script) once the browser has decoded each picture.
    pictures = payload(html)["pictures"]
    assert len(pictures) == 3 and all(p.startswith("<svg") for p in pictures)
    dom = assert_drawn(out)
    loaded = [a for tag, a in inside_attrs(dom, "visualizer") if tag == "img" and a.get("data-loaded") == "yes"]
    assert len(loaded) == 3 and all(a["src"].startswith("blob:") for a in loaded)
    best = real_run["summary"]["best_candidate"]
    # The best candidate is selected on load: its source panel shows its own header.
    assert f"#{best} (run {real_run['summary']['run']})" in dom


def test_live_report_of_solve_draws_and_has_the_final_pictures(real_run):
    live = real_run["live"]
    assert live.is_file()
    assert len(payload(live.read_text())["pictures"]) == 3  # the final write, after the run
    assert not list(live.parent.glob(".live.html.*"))  # no temp file left behind by the atomic writes
    assert_drawn(live)


def test_report_of_every_run_on_a_problem(real_run):
    db = real_run["db"]
    r = runner.invoke(app, ["solve", str(real_run["problem"]), "--db", str(db), "--budget", "4", "--beam", "2", "--json"])
    assert r.exit_code == 0, r.output
    out = real_run["tmp"] / "problem.html"
    r = runner.invoke(app, ["report", "bowl", "--db", str(db), "-o", str(out), "--no-vis", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert len(doc["runs"]) == 2 and doc["candidates"] == 12
    assert_drawn(out)


def synthesise(db: Path, n: int = 200, seeds: int = 50) -> int:
    """A run of `n` model-written candidates through the store's API: each a rewrite of a real
    12 KB solution with its own parameters and its own added block, judged on `seeds` seeds, with
    model calls and lessons."""
    rnd = random.Random(7)
    base = STRONG.read_text()
    s = Store(db)
    run = s.create_run("delivery-route", "anthropic", {"seeds": list(range(seeds))})
    lessons = [s.add_lesson({"kind": "technique", "text": f"lesson {i}: try move {i}", "problem": "delivery-route"})
               for i in range(12)]
    ids: list[int] = []
    for i in range(n):
        src = base.replace("T_START = 30.0", f"T_START = {rnd.uniform(1, 300):.3f}").replace("KNN = 12", f"KNN = {rnd.randint(4, 40)}")
        words = " ".join(rnd.choice(["swap", "relocate", "two_opt", "or_opt", "kick", "merge"]) for _ in range(40))
        src += f"\n\ndef extra_{i}(state):\n    # {words}\n" + "".join(f"    state.v{k} = state.v{k} * {rnd.random():.6f}\n" for k in range(20))
        accepted = rnd.random() > 0.15
        cases = [{"seed": sd, "verdict": "AC" if accepted or sd % 7 else "TLE", "score": rnd.randint(15000, 30000) if accepted or sd % 7 else None, "time": 1.1}
                 for sd in range(seeds)]
        mean = sum(c["score"] or 0 for c in cases) / seeds
        cid = s.add_candidate(run, source=src, language="py", hash=f"h{i}", parent_id=rnd.choice(ids) if ids else None,
                              method="proposal", note=f"candidate {i}", step=i // 4, public_cases=cases,
                              summary={"mean": mean, "accepted": accepted, "failed": sum(c["verdict"] != "AC" for c in cases),
                                       "rank_key": -mean})
        s.add_model_call(run, candidate_id=cid, provider="anthropic", model=rnd.choice(["claude-a", "claude-b"]),
                         role=rnd.choice(["draft", "refine"]), prompt="p" * 2000, response=src, input_tokens=4000,
                         output_tokens=3000, cache_read_tokens=12000, cache_write_tokens=500, cost=0.05, latency=rnd.uniform(5, 40))
        s.link_lessons(cid, lessons[:8], "shown")
        if i % 20 == 0:
            s.link_lessons(cid, [lessons[8 + (i // 20) % 4]], "produced")
        ids.append(cid)
    s.update_run(run, status="done")
    s.close()
    return run


def test_report_of_200_candidates_is_under_5_mb_and_draws(tmp_path):
    chromium()
    db = tmp_path / "ale.db"
    run = synthesise(db)
    out = tmp_path / "big.html"
    r = runner.invoke(app, ["report", str(run), "--db", str(db), "-o", str(out), "--no-vis", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["candidates"] == 200
    assert out.stat().st_size < 5_000_000, f"{out.stat().st_size:,} bytes"
    assert_drawn(out, CHARTS + ("chart-calls",))


def test_the_harness_catches_a_page_that_fails(tmp_path, real_run):
    """The browser checks above can fail: a page whose data block is damaged logs an error and
    draws no chart."""
    good = (real_run["tmp"] / "report.html")
    if not good.exists():
        runner.invoke(app, ["report", str(real_run["summary"]["run"]), "--db", str(real_run["db"]), "-o", str(good)])
    page = good.read_text()
    broken = tmp_path / "broken.html"
    broken.write_text(re.sub(r'(<script id="data-gz"[^>]*>)[^<]{40}', r"\1" + "A" * 40, page, count=1))
    dom, console = load(broken)
    assert console, "a failing page must show up in the console log"
    assert body_attr(dom, "data-charts") == "failed"
    assert ("svg", "main-svg") not in inside(dom).get("chart-lineage", [])
