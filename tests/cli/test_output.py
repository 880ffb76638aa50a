"""What the CLI prints: plain progress lines off a terminal, 80-column tables that keep ids whole
and wrap text, `runs show` without raw JSON, `replay` showing each applicable lesson once."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from ale import lessons as L
from ale.store import Store

ROOT = Path(__file__).resolve().parents[2]
BOWL = ROOT / "tests" / "solve" / "fixtures" / "bowl"


def ale(*args, cwd=None):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "ale.cli", *map(str, args)], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


def test_solve_prints_one_plain_line_per_candidate_when_stderr_is_not_a_terminal(tmp_path):
    r = ale("solve", BOWL, "--db", tmp_path / "s.db", "--budget", "3", "--beam", "2", "--private-top", "0")
    assert r.returncode == 0, r.stderr
    lines = [ln for ln in r.stderr.splitlines() if re.match(r"run \d+ \[\d/3\] #\d+ ", ln)]
    assert len(lines) == 3, r.stderr
    assert "mean" in lines[-1] and "best" in lines[-1]
    assert "\x1b[" not in r.stderr  # no cursor movement or colour codes in a log file


def test_solve_json_keeps_stdout_to_the_document_and_progress_on_stderr(tmp_path):
    r = ale("solve", BOWL, "--db", tmp_path / "s.db", "--budget", "2", "--beam", "2", "--private-top", "0", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["problem"]  # nothing but the document on stdout
    assert len([ln for ln in r.stderr.splitlines() if re.match(r"run \d+ \[\d/2\] #\d+ ", ln)]) == 2, r.stderr


def test_tables_at_80_columns_keep_ids_whole_and_wrap_text(tmp_path):
    r = ale("problems", "list")
    assert r.returncode == 0, r.stderr
    assert max(len(ln) for ln in r.stdout.splitlines()) <= 80
    ids = [p.name for p in (ROOT / "problems").iterdir() if (p / "problem.yaml").is_file()]
    for pid in ids:
        assert re.search(rf"\b{re.escape(pid)}\b", r.stdout), (pid, r.stdout)
    assert "…" not in r.stdout

    db = tmp_path / "l.db"
    assert ale("lessons", "load-packs", "--db", db).returncode == 0
    r = ale("lessons", "list", "--db", db)
    assert max(len(ln) for ln in r.stdout.splitlines()) <= 80
    longest = max(L.all_lessons(Store(db)), key=lambda l: len(l.text))
    words = re.findall(r"[A-Za-z]{4,}", longest.text)
    cells = " ".join(ln.split("│")[-2] for ln in r.stdout.splitlines() if ln.count("│") > 2)
    assert all(w in cells for w in words), "the lesson text wraps in full"

    ale("solve", BOWL, "--db", db, "--budget", "1", "--private-top", "0")
    r = ale("runs", "list", "--db", db)
    assert max(len(ln) for ln in r.stdout.splitlines()) <= 80 and " bowl " in r.stdout and "…" not in r.stdout


def test_runs_show_summarises_instead_of_dumping_json(tmp_path):
    db = tmp_path / "r.db"
    r = ale("solve", BOWL, "--db", db, "--budget", "3", "--beam", "2", "--private-top", "1", "--json")
    doc = json.loads(r.stdout)
    r = ale("runs", "show", doc["run"], "--db", db)
    assert r.returncode == 0, r.stderr
    assert not any(ln.strip().startswith(("{", "}", '"')) for ln in r.stdout.splitlines()), r.stdout
    assert f"best #{doc['best_candidate']}: public mean" in r.stdout and "stopped: candidate budget 3" in r.stdout
    assert len(r.stdout.splitlines()) < 20


def test_replay_shows_each_lesson_once_and_only_where_it_applies(tmp_path):
    db = tmp_path / "p.db"
    s = Store(db)
    general = L.add_or_merge(s, L.Lesson("technique", "Keep the best state seen, not only the current one.", scope="global"))
    numba = L.add_or_merge(s, L.Lesson("pitfall", "Compile njit kernels with cache=True.", scope="global", tags=["numba", "python"]))
    run = s.create_run("bowl", "offline", {})
    ids = {}
    for n, lang in enumerate(("cpp", "py", "cpp")):
        ids[n] = s.add_candidate(run, source=f"src{n}", language=lang, hash=f"h{n}", parent_id=ids.get(0), method="local")
        s.link_lessons(ids[n], [general, numba], "shown")
    s.update_run(run, status="done")
    doc = json.loads(ale("replay", run, "--db", db, "--json").stdout)
    shown = {e["candidate"]: [l["id"] for l in e["shown"]] for e in doc["events"]}
    assert shown == {ids[0]: [general], ids[1]: [general, numba], ids[2]: [general]}
    assert [l["id"] for l in doc["lessons_shown"]] == [general, numba]
    text = ale("replay", run, "--db", db).stdout
    assert text.count("Keep the best state seen") == 1 and text.count("Compile njit kernels") == 1, text
