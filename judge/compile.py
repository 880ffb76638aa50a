"""The untimed build step: g++ for C++, byte-compile plus a numba warm-up for Python.

Builds are cached by a hash of language, source and toolchain, so a solution is
compiled once however many seeds (or runs) judge it. The warm-up runs the
solution once with ALE_WARMUP=1 and NUMBA_CACHE_DIR pointing at the build's
cache, so `@njit(cache=True)` functions are compiled before any timed run, as
AtCoder does for Python.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from judge import sandbox
from judge.cache import cache_home

COMPILE_LIMIT = 60.0
CXX_FLAGS = ["-std=gnu++20", "-O2"]
LANGUAGES = {".py": "py", ".cpp": "cpp", ".cc": "cpp", ".cxx": "cpp"}


@dataclass
class Build:
    ok: bool
    language: str
    dir: Path
    message: str = ""
    seconds: float = 0.0
    cached: bool = False

    @property
    def cache(self) -> Path:
        return self.dir / "numba"

    def command(self, build_in_sandbox: str) -> list[str]:
        if self.language == "py":
            return [sys.executable, f"{build_in_sandbox}/Main.py"]
        return [f"{build_in_sandbox}/a.out"]


def language_of(path: Path) -> str | None:
    return LANGUAGES.get(path.suffix.lower())


def build_key(language: str, source: str) -> str:
    h = hashlib.sha256()
    h.update(f"{language}\0{sys.version}\0{os.uname().machine}\0{' '.join(CXX_FLAGS)}\0".encode())
    h.update(source.encode())
    return h.hexdigest()[:24]


def _tail(path: Path, n: int = 4000) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    return data[-n:].decode("utf-8", "replace").strip()


def _sandboxed(cmd, *, scratch, build=None, cache=None, cache_writable=False, env_extra=None, stdin_text="", memory_mib=2048):
    """Run one build command in the sandbox; returns (Measured, stderr+stdout tail)."""
    with tempfile.TemporaryDirectory(prefix="ale-build-") as tmp:
        tmp = Path(tmp)
        (tmp / "in").write_text(stdin_text)
        box, sol, cch = sandbox.paths(scratch, build, cache)
        env = sandbox.clean_env(env_extra, home=box)
        if cch:
            env["NUMBA_CACHE_DIR"] = cch
        limits = sandbox.Limits(time=COMPILE_LIMIT, memory_mib=memory_mib, max_procs=64)
        with open(tmp / "in", "rb") as fi, open(tmp / "out", "wb") as fo, open(tmp / "err", "wb") as fe:
            proc, rfd = sandbox.start(
                cmd(box, sol), limits, scratch=scratch, build=build, cache=cache, cache_writable=cache_writable,
                env=env, stdin=fi, stdout=fo, stderr=fe,
            )
            m = sandbox.finish(proc, rfd, timeout=COMPILE_LIMIT + 10)
        return m, (_tail(tmp / "err") + "\n" + _tail(tmp / "out", 1000)).strip()


def compile_solution(solution: Path, warmup_input: str | None = None, cache_root: Path | None = None) -> Build:
    """Build (or fetch from cache) one solution file; CE is a result, not an exception."""
    solution = Path(solution)
    language = language_of(solution)
    root = Path(cache_root or cache_home()) / "build"
    if language is None:
        return Build(False, "?", root, f"{solution}: unknown language '{solution.suffix}'; use .py or .cpp")
    source = solution.read_text(encoding="utf-8", errors="replace")
    d = root / build_key(language, source)
    d.mkdir(parents=True, exist_ok=True)
    with open(d / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        status = d / "BUILD.json"
        if status.exists():
            s = json.loads(status.read_text())
            return Build(s["ok"], language, d, s["message"], s["seconds"], cached=True)
        t0 = time.monotonic()
        ok, message = _build(language, source, d, warmup_input)
        b = Build(ok, language, d, message, time.monotonic() - t0)
        status.write_text(json.dumps({"ok": ok, "message": message, "seconds": b.seconds}))
        return b


def _build(language: str, source: str, d: Path, warmup_input: str | None) -> tuple[bool, str]:
    for p in d.iterdir():  # a half-done earlier build (killed judge): start clean
        if p.name != ".lock":
            shutil.rmtree(p) if p.is_dir() else p.unlink()
    if language == "cpp":
        (d / "main.cpp").write_text(source)
        gxx = shutil.which("g++") or "g++"
        m, log = _sandboxed(lambda box, sol: [gxx, *CXX_FLAGS, "-o", "a.out", "main.cpp"], scratch=d)
        if m.exit != 0 or not (d / "a.out").exists():
            why = "compiler timed out" if m.killed == "time" else log or f"g++ failed (exit {m.exit}, signal {m.signal})"
            return False, why
        return True, log
    (d / "Main.py").write_text(source)
    check = "import py_compile,sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)"
    with tempfile.TemporaryDirectory(prefix="ale-pyc-") as scratch:
        m, log = _sandboxed(
            lambda box, sol: [sys.executable, "-c", check, f"{sol}/Main.py", f"{box}/Main.pyc"],
            scratch=Path(scratch), build=d,
        )
    if m.exit != 0:
        lines = [ln for ln in log.splitlines() if ln.strip()]
        return False, "\n".join(lines[-6:]) or "python could not compile the file"
    if "numba" in source and warmup_input is not None:
        (d / "numba").mkdir(exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="ale-warm-") as scratch:
            m, log = _sandboxed(
                lambda box, sol: [sys.executable, f"{sol}/Main.py"], scratch=Path(scratch), build=d,
                cache=d / "numba", cache_writable=True, env_extra={"ALE_WARMUP": "1"}, stdin_text=warmup_input,
            )
        if m.exit != 0 and ("numba.core.errors" in log or "TypingError" in log or "LoweringError" in log):
            lines = [ln for ln in log.splitlines() if ln.strip()]
            return False, "numba compilation failed:\n" + "\n".join(lines[-12:])
        if m.killed == "time":
            return False, f"numba warm-up exceeded the {COMPILE_LIMIT:.0f} s compile limit"
    return True, ""
