"""ALE-Bench problem folders: import (full and --lite), judge on the mapped seeds, rank a run among the humans."""

import json
import zipfile

import pytest
import yaml
from typer.testing import CliRunner

from ale.cli import app
from ale.store import Store

from .conftest import expected_input
from .test_tools import SUM_PY

runner = CliRunner()
PUBLIC, PRIVATE = [0, 1, 2], [777, 123456789012, 5]
PUBLIC_LITE, PRIVATE_LITE = [0], [777, 5]


def ale(*args):
    return runner.invoke(app, [str(a) for a in args])


def make_folder(root, tools_folder, *, relative=None, start="2024-05-25T19:00:00+09:00", end="2024-05-25T23:00:00+09:00"):
    """A problem folder laid out as ALE-Bench's dataset ships it (<id>/data.json, tools/, CSVs)."""
    d = root / "ahc900"
    tools_folder(d / "tools")
    (d / "tools" / "README.md").write_text("# tools\n")
    meta = {
        "problem_id": "ahc900", "start_at": start, "end_at": end, "contest_url": "https://atcoder.jp/contests/ahc900",
        "title": "Sum Guess", "problem_type": "batch", "score_type": "maximize",
    }
    if relative:
        meta |= {"relative_score_type": relative, "relative_max_score": 100}
    data = {
        "metadata": meta, "constraints": {"time_limit": 2.0, "memory_limit": 1073741824}, "image_files": {},
        "seeds": {"public": PUBLIC, "private": PRIVATE, "public_lite": PUBLIC_LITE, "private_lite": PRIVATE_LITE},
    }
    (d / "data.json").write_text(json.dumps(data))
    (d / "statement_en.md").write_text("# Sum Guess\n\nPrint the sum. Maximize the score.\n")
    (d / "statement_ja.md").write_text("# 和\n")
    # The exact solution scores 10000 on every case (30000 full, 20000 lite): tied with rank 2.
    (d / "standings_scores.csv").write_text("rank,score\n1,40000\n2,30000\n3,25000\n4,0\n")
    (d / "standings_scores_lite.csv").write_text("rank,score\n1,25000\n2,20000\n3,15000\n4,0\n")
    (d / "performance.csv").write_text("rank,performance\n1,2800\n2,2400\n3,2000\n4,800\n")
    if relative:
        (d / "standings_scores.csv").write_text("rank,score\n1,300\n2,150\n3,0\n")
        (d / "relative_results.csv").write_text("private_0,private_1,private_2\n10000,10000,10000\n5000,5000,5000\n")
        (d / "relative_results_lite.csv").write_text("private_0,private_1\n10000,10000\n5000,-1\n")
    return d


@pytest.fixture
def exact(tmp_path):
    p = tmp_path / "exact.py"
    p.write_text(SUM_PY.format(factor=1.0))
    return p


def test_import_maps_seeds_and_keeps_standings(tmp_path, tools_folder):
    folder = make_folder(tmp_path / "data", tools_folder)
    res = ale("problems", "import", folder, "--dest", tmp_path / "shelf", "--json")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["id"] == "ahc900" and doc["standings"] is True and doc["humans"] == 4
    pkg = tmp_path / "shelf" / "ahc900"
    meta = yaml.safe_load((pkg / "problem.yaml").read_text())
    assert meta["seeds"] == {"public": [0, 2], "private": [1000, 1002]}
    assert meta["memory_limit"] == 1024 and meta["time_limit"] == 2.0 and meta["interactive"] is False
    assert meta["partial_score"] is False  # a 4-hour contest: ALE-Bench voids a submission with a failed case
    assert (pkg / "statement.md").read_text().startswith("# Sum Guess")
    assert (pkg / "standings" / "standings_scores.csv").read_text() == (folder / "standings_scores.csv").read_text()
    # Seed 1001 is the input gen makes from ALE-Bench's private value, not from 1001.
    res = ale("gen", pkg, "1001")
    assert res.exit_code == 0, res.output
    assert res.stdout.strip() == expected_input(123456789012).strip()
    assert ale("gen", pkg, "1").stdout.strip() == expected_input(1).strip()


def test_rank_a_run_judged_on_the_private_seeds(tmp_path, tools_folder, exact):
    folder = make_folder(tmp_path / "data", tools_folder)
    assert ale("problems", "import", folder, "--dest", tmp_path / "shelf").exit_code == 0
    pkg, db = tmp_path / "shelf" / "ahc900", tmp_path / "ale.db"
    with Store(db) as store:
        run = store.create_run("ahc900", "offline", {})
        cid = store.add_candidate(run, source=exact.read_text(), language="python", hash="h", parent_id=None, method="start")
        store.update_run(run, status="done", best_candidate=cid)
    unjudged = ale("rank", pkg, run, "--db", db)
    assert unjudged.exit_code == 3 and "0 of the 3 private seeds" in unjudged.output
    res = ale("rank", pkg, run, "--judge", "--json", "--db", db)
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    # 3 x 10000 ties the human on 30000: rank 2, that row's performance, 100 * 2 / (4 + 2) percent
    assert (doc["rank"], doc["performance"], doc["score"], doc["humans"]) == (2, 2400, 30000, 4)
    assert doc["percentile"] == pytest.approx(100 * 2 / 6, abs=1e-3) and doc["candidate"] == cid
    text = ale("rank", pkg, run, "--db", db)  # now recorded: no --judge needed
    assert text.exit_code == 0 and "rank 2 of 4 humans, performance 2400" in text.output


def test_lite_import_uses_lite_seeds_and_standings(tmp_path, tools_folder, exact):
    folder = make_folder(tmp_path / "data", tools_folder)
    zpath = tmp_path / "ahc900.zip"  # the dataset's zip: everything under ahc900/
    with zipfile.ZipFile(zpath, "w") as z:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                info = zipfile.ZipInfo(str(p.relative_to(folder.parent)))
                info.external_attr = (p.stat().st_mode & 0o777) << 16
                z.writestr(info, p.read_bytes())
    res = ale("problems", "import", zpath, "--lite", "--dest", tmp_path / "shelf", "--json")
    assert res.exit_code == 0, res.output
    pkg = tmp_path / "shelf" / "ahc900"
    meta = yaml.safe_load((pkg / "problem.yaml").read_text())
    assert meta["seeds"] == {"public": [0, 0], "private": [1000, 1001]} and "lite" in meta["tags"]
    assert (pkg / "standings" / "standings_scores.csv").read_text().startswith("rank,score\n1,25000\n")
    assert ale("gen", pkg, "1001").stdout.strip() == expected_input(5).strip()
    db = tmp_path / "ale.db"
    with Store(db) as store:
        run = store.create_run("ahc900", "offline", {})
        cid = store.add_candidate(run, source=exact.read_text(), language="python", hash="h", parent_id=None, method="start")
    doc = json.loads(ale("rank", pkg, run, "--candidate", cid, "--judge", "--json", "--db", db).stdout)
    assert (doc["rank"], doc["score"], doc["performance"]) == (2, 20000, 2400)


def test_relative_contest_recomputed_with_ours(tmp_path, tools_folder, exact):
    folder = make_folder(tmp_path / "data", tools_folder, relative="max", end="2024-06-02T19:00:00+09:00")
    res = ale("problems", "import", folder, "--dest", tmp_path / "shelf", "--json")
    assert res.exit_code == 0, res.output
    pkg = tmp_path / "shelf" / "ahc900"
    assert yaml.safe_load((pkg / "problem.yaml").read_text())["partial_score"] is True  # an 8-day contest
    st = yaml.safe_load((pkg / "standings" / "standings.yaml").read_text())
    assert st["relative_score_type"] == "max" and st["relative_max_score"] == 100
    db = tmp_path / "ale.db"
    with Store(db) as store:
        run = store.create_run("ahc900", "offline", {})
        cid = store.add_candidate(run, source=exact.read_text(), language="python", hash="h", parent_id=None, method="start")
    doc = json.loads(ale("rank", pkg, run, "--candidate", cid, "--judge", "--json", "--db", db).stdout)
    # Every case: ours 10000 ties the best human (100 each), the other gets 50: totals 300, 300, 150.
    assert doc["relative_scores"] == [100, 100, 100] and doc["score_kind"] == "relative"
    assert (doc["rank"], doc["performance_rank"], doc["performance"]) == (1, 1.0, 2800)


def test_malformed_alebench_files_are_one_line_exit_3(tmp_path, tools_folder):
    folder = make_folder(tmp_path / "data", tools_folder)
    (folder / "standings_scores.csv").write_text("rank,score\n1,40000\n2,x\n")
    res = ale("problems", "import", folder, "--dest", tmp_path / "shelf")
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert res.exit_code == 3 and len(lines) == 1, res.output
    assert "standings_scores.csv:3:" in res.output and not (tmp_path / "shelf" / "ahc900").exists()
    (folder / "standings_scores.csv").write_text("rank,score\n1,1\n2,0\n")
    (folder / "data.json").write_text('{"metadata": {"problem_id": "ahc900"}, ')
    res = ale("problems", "import", folder, "--dest", tmp_path / "shelf")
    assert res.exit_code == 3 and "data.json:1: not valid JSON" in res.output


def test_bad_seed_values_file_is_one_line(tmp_path, tools_folder):
    folder = make_folder(tmp_path / "data", tools_folder)
    assert ale("problems", "import", folder, "--dest", tmp_path / "shelf").exit_code == 0
    pkg = tmp_path / "shelf" / "ahc900"
    (pkg / "seed_values.csv").write_text("seed,value\n1000,777\n1001,-5\n")
    res = ale("gen", pkg, "1000")
    lines = [ln for ln in res.output.splitlines() if ln.strip()]
    assert res.exit_code == 3 and len(lines) == 1 and "seed_values.csv:3:" in res.output, res.output


def test_lite_relative_results_and_option_mistakes(tmp_path, tools_folder):
    from ale import alebench

    folder = make_folder(tmp_path / "data", tools_folder, relative="rank_max")
    info = alebench.read(folder, lite=True)
    assert info["private"] == PRIVATE_LITE and info["standings"].relative == [[10000, 5000], [10000, -1]]
    assert info["standings"].relative_type == "rank_max" and alebench.numbering(PUBLIC_LITE, PRIVATE_LITE)[2] == {1000: 777, 1001: 5}
    res = ale("problems", "import", folder, "--statement", folder / "statement_en.md", "--dest", tmp_path / "shelf")
    assert res.exit_code == 2 and "drop --statement" in res.output, res.output
    res = ale("problems", "import", tmp_path / "data" / "nothing-here", "--lite", "--dest", tmp_path / "shelf")
    assert res.exit_code != 0 and "Traceback" not in res.output
    (tmp_path / "tools-only").mkdir()  # a folder, but no data.json: --lite makes no sense there (a usage error)
    res = ale("problems", "import", tmp_path / "tools-only", "--lite", "--dest", tmp_path / "shelf")
    assert res.exit_code == 2 and "--lite is for ALE-Bench" in res.output, res.output
