"""The README's newcomer commands, the CI script and the code agree."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def blocks(section: str) -> list[str]:
    body = README.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", body, re.S)


def test_ci_runs_the_readme_install_and_exactly_its_test_command():
    install, tests = blocks("Quick start")
    ci = [ln.strip() for ln in (ROOT / ".ci" / "run").read_text().splitlines() if not ln.lstrip().startswith("#")]
    assert tests in ci, f"`.ci/run` must run the README's test command `{tests}`"
    pip = install.split(" && ")[0]  # pip install -e '.[test]'
    assert pip.startswith("pip install") and "[test]" in pip, "the install brings the test tools the test command needs"
    assert any(ln.endswith(pip.removeprefix("pip install").strip()) and "pip install" in ln for ln in ci), ci


def test_readme_links_the_problem_format_in_the_repo():
    assert "](docs/problem-format.md)" in README and (ROOT / "docs" / "problem-format.md").is_file()


@pytest.mark.slow
def test_quick_start_solve_runs_as_written_and_learns_a_lesson(tmp_path):
    """The Quick start's `ale solve`, verbatim, from an empty folder: exit 0, a working file, lessons learned."""
    install, _ = blocks("Quick start")
    command = shlex.split(install.split(" && ", 1)[1])
    assert command[:3] == ["ale", "solve", "delivery-route"]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "100"}
    r = subprocess.run([sys.executable, "-m", "ale.cli", *command[1:]], capture_output=True, text=True, cwd=tmp_path,
                       env=env, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    written = re.search(r"written to (\S+)", r.stdout)
    assert written and (tmp_path / written[1]).is_file() and written[1].endswith(".cpp"), r.stdout
    learned = re.search(r"lessons: \d+ shown to proposals, (\d+) learned", r.stdout)
    assert learned and int(learned[1]) >= 1, r.stdout[-2000:]
