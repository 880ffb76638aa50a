"""Fake official tools: one small Rust crate (no dependencies), built once per session.

`tools_folder` assembles a folder laid out like a contest's `tools/`: a Cargo.toml whose binaries
`gen`, `vis` and `tester` are the chosen variants, the sources, and (when `built`) the binaries
already in `target/release/`, copied from the session build so most tests never run cargo.
"""

import os
import shutil
import subprocess
import textwrap
from pathlib import Path

import pytest

from judge.tools import find_cargo

CRATE = Path(__file__).with_name("crate")
VARIANTS = sorted(p.stem for p in (CRATE / "src").glob("*.rs") if p.stem not in ("common", "tester"))


def cargo_toml(bins: dict[str, str]) -> str:
    head = '[package]\nname = "tools"\nversion = "0.1.0"\nedition = "2021"\nautobins = false\n\n[workspace]\n\n'
    fast = "[profile.release]\nopt-level = 0\ndebug = false\ncodegen-units = 16\n\n"  # quick builds for tests
    return head + fast + "".join(f'[[bin]]\nname = "{name}"\npath = "src/{src}.rs"\n\n' for name, src in bins.items())


@pytest.fixture(scope="session")
def cargo() -> str:
    found = find_cargo()
    if not found:
        if os.environ.get("CI"):
            pytest.fail("cargo is required in CI for the official-tools tests")
        pytest.skip("cargo not installed: the official-tools tests build small Rust crates")
    return found


@pytest.fixture(scope="session")
def built(tmp_path_factory, cargo) -> Path:
    """Every variant built once: <dir>/target/release/<variant>."""
    d = tmp_path_factory.mktemp("fake-tools-build")
    shutil.copytree(CRATE / "src", d / "src")
    (d / "Cargo.toml").write_text(cargo_toml({v: v for v in VARIANTS}))
    env = dict(os.environ, CARGO_TARGET_DIR=str(d / "target"))
    r = subprocess.run([cargo, "build", "--release", "--offline"], cwd=d, env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stderr[-3000:]
    return d / "target" / "release"


@pytest.fixture
def tools_folder(built):
    """make(dest, gen=..., vis=..., tester=..., built=True) -> a tools folder at dest."""

    def make(dest: Path, *, gen="gen_file", vis="vis_eq", tester=None, built_bins=True, inputs=()) -> Path:
        dest = Path(dest)
        shutil.copytree(CRATE / "src", dest / "src")
        bins = {"gen": gen, "vis": vis} | ({"tester": tester} if tester else {})
        (dest / "Cargo.toml").write_text(cargo_toml(bins))
        if built_bins:
            (dest / "target" / "release").mkdir(parents=True)
            for name, variant in bins.items():
                shutil.copy2(built / variant, dest / "target" / "release" / name)
        for seed, text in dict(inputs).items():
            (dest / "in").mkdir(exist_ok=True)
            (dest / "in" / f"{seed:04d}.txt").write_text(text)
        return dest

    return make


def write_package(root: Path, pid: str, tools: Path, *, interactive=False, objective="maximize", public=(0, 4)) -> Path:
    """A problem package that names `tools` (no generator, scorer, interactor or baseline)."""
    d = Path(root) / pid
    d.mkdir(parents=True, exist_ok=True)
    rel = os.path.relpath(tools, d)
    (d / "problem.yaml").write_text(textwrap.dedent(f"""\
        id: {pid}
        title: Sum Guess
        objective: {objective}
        time_limit: 2.0
        memory_limit: 512
        interactive: {str(interactive).lower()}
        partial_score: true
        seeds:
          public: [{public[0]}, {public[1]}]
          private: [100, 104]
        tools: {rel}
        """))
    (d / "statement.md").write_text("# Sum Guess\n\nPrint the sum of the numbers. Maximize the score.\n")
    return d


def expected_input(seed: int) -> str:
    """The toy contest's input, computed the same way as common.rs (for checking gen)."""
    mask = (1 << 64) - 1
    x = (seed * 6364136223846793005 + 1442695040888963407) & mask
    n = 5 + seed % 6
    a = []
    for _ in range(n):
        x = (x * 6364136223846793005 + 1442695040888963407) & mask
        a.append((x >> 33) % 100)
    return f"{n}\n{' '.join(map(str, a))}\n"

