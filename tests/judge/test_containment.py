"""The sandbox keeps secrets, the network and the file system away from solutions."""

import socket
import subprocess
import threading
import time

import pytest

from judge import judge

from tests.conftest import SOLS, need_bwrap


@pytest.fixture(autouse=True)
def _bwrap():
    need_bwrap()


def test_api_key_in_judge_env_is_invisible(sumup, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test-secret")
    monkeypatch.setenv("GITHUB_TOKEN", "ghp-secret")
    r = judge(sumup, SOLS / "env_key.py", [0], jobs=1)
    c = r.cases[0]
    assert c.verdict == "AC", (c.message, c.log)
    assert "ANTHROPIC_API_KEY" not in c.log and "GITHUB_TOKEN" not in c.log


def test_cannot_connect_to_loopback_server(sumup, tmp_path):
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen()
    port = srv.getsockname()[1]
    accepted = []
    srv.settimeout(5)
    t = threading.Thread(target=lambda: accepted.append(_accept(srv)), daemon=True)
    t.start()
    sol = tmp_path / "connect.py"
    sol.write_text(
        "import socket, sys\n"
        "a = list(map(int, sys.stdin.read().split()))[1:]\n"
        "try:\n"
        f"    socket.create_connection(('127.0.0.1', {port}), timeout=2); print(-999)\n"
        "except OSError as e:\n"
        "    print(sum(a)); print('connect failed:', e, file=sys.stderr)\n"
    )
    # The same program outside the sandbox does connect: the test can fail.
    probe = subprocess.run(["python3", str(sol)], input="2 1 1", capture_output=True, text=True)
    assert probe.stdout.strip() == "-999"
    accepted.clear()
    c = judge(sumup, sol, [0], jobs=1).cases[0]
    assert c.verdict == "AC", (c.message, c.log)
    assert "connect failed" in c.log
    srv.close()


def _accept(srv):
    try:
        conn, _ = srv.accept()
        conn.close()
        return True
    except OSError:
        return False


def test_cannot_write_outside_scratch(sumup, tmp_path):
    target = tmp_path / "escaped.txt"
    sol = tmp_path / "write.py"
    sol.write_text(
        "import sys\n"
        "a = list(map(int, sys.stdin.read().split()))[1:]\n"
        "try:\n"
        f"    open({str(target)!r}, 'w').write('x'); print(-999)\n"
        "except OSError as e:\n"
        "    print(sum(a)); print('write failed:', e, file=sys.stderr)\n"
        "open('scratch_ok.txt', 'w').write('fine')\n"
    )
    c = judge(sumup, sol, [0], jobs=1).cases[0]
    assert c.verdict == "AC", (c.message, c.log)
    assert not target.exists()
    assert "write failed" in c.log


def _sleepers() -> int:
    out = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    return sum(1 for line in out.splitlines() if "fork200.py" in line)


def test_forked_children_are_all_killed(sumup):
    before = _sleepers()
    c = judge(sumup, SOLS / "fork200.py", [0], jobs=1).cases[0]
    assert c.verdict in ("AC", "RE"), c.message
    time.sleep(0.5)
    assert _sleepers() == before


def test_judge_reports_sandbox_mode(sumup):
    r = judge(sumup, SOLS / "wrong.py", [0], jobs=1)
    assert r.sandbox == "bwrap"
