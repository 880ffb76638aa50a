import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "judge" / "fixtures"
SOLS = ROOT / "tests" / "judge" / "solutions"


@pytest.fixture(autouse=True, scope="session")
def _isolated_cache(tmp_path_factory):
    """Each test session builds into its own cache so results never depend on an old build."""
    if not os.environ.get("ALE_CACHE_DIR"):
        os.environ["ALE_CACHE_DIR"] = str(tmp_path_factory.mktemp("ale-cache"))
    yield


def need_bwrap():
    """In CI bwrap is installed and nothing is skipped; elsewhere say why."""
    from judge import sandbox

    if sandbox.mode() != "bwrap":
        if os.environ.get("CI"):
            pytest.fail("bwrap is required in CI (apt-get install bubblewrap)")
        pytest.skip("bwrap not available: install bubblewrap to run containment tests")


@pytest.fixture
def sumup():
    from judge import load_problem

    return load_problem(FIXTURES / "sumup")


@pytest.fixture
def echo_game():
    from judge import load_problem

    return load_problem(FIXTURES / "echo-game")


def package_module(problem_dir, name: str):
    """A problem's file (generator, scorer, ...) loaded exactly as the judge loads it."""
    from judge import load_problem

    return load_problem(problem_dir)._module(name)
