"""A judge worker's folder is reused case after case, so it must come back empty every time."""

import os

from judge import run
from judge.compile import compile_solution

from tests.conftest import FIXTURES


def _build(tmp_path):
    return compile_solution(FIXTURES / "sumup" / "solutions" / "baseline.py", cache_root=tmp_path / "cache")


def test_fresh_empties_scratch_whatever_the_last_case_left(tmp_path):
    w = run.Worker(_build(tmp_path))
    try:
        s = w.scratch
        (s / "a.txt").write_text("x")
        (s / "deep" / "er").mkdir(parents=True)
        (s / "deep" / "er" / "b.bin").write_bytes(b"\0" * 100)
        os.symlink("/etc/passwd", s / "link")
        os.chmod(s / "deep", 0o500)
        os.chmod(s, 0o500)
        w.fresh()
        assert list(s.iterdir()) == []
        assert os.stat(s).st_mode & 0o777 == 0o755
        (s / "c.txt").write_text("writable again")
    finally:
        w.close()
    assert not w.dir.exists()


def test_work_root_prefers_tmpdir_then_shm(monkeypatch):
    monkeypatch.setenv("TMPDIR", "/somewhere")
    assert run.work_root() is None  # tempfile then uses $TMPDIR
    monkeypatch.delenv("TMPDIR")
    monkeypatch.setattr(run, "SHM_MIN_FREE", 0)
    expected = run.SHM if os.access(run.SHM, os.W_OK) else None
    assert run.work_root() == expected
    monkeypatch.setattr(run, "SHM_MIN_FREE", 1 << 62)  # more room than any machine has
    assert run.work_root() is None


def test_folders_of_killed_judges_are_reaped(tmp_path):
    dead = tmp_path / "ale-worker-99999999-x1"  # above any pid_max: that process cannot exist
    live = tmp_path / f"ale-worker-{os.getpid()}-x2"
    other = tmp_path / "ale-worker-notapid-x3"
    for d in (dead, live, other):
        (d / "box").mkdir(parents=True)
        (d / "out").write_text("x")
    os.chmod(dead / "box", 0o500)
    run._reap_stale.__wrapped__(str(tmp_path))
    assert not dead.exists()
    assert live.exists() and other.exists()
