"""The untimed build step: each language's build commands (judge/languages.py), run in the sandbox.

Builds are cached by a hash of everything that changes one (source, language entry, compilers,
interpreter, numba, sandbox mode and paths), so a solution is compiled once however many
seeds (or runs) judge it. A build folder holds `.lock` and `BUILD.json` (the judge's), `sol/`
(the program and what its build wrote: the only folder a build command may write, shown
read-only to timed runs) and `numba/` (the numba cache the warm-up filled).

Python follows AtCoder: when the program mentions ONLINE_JUDGE, `python Main.py ONLINE_JUDGE`
runs once in `sol/` and whatever it writes there (typically a numba.pycc module) is kept next
to the program, on the import path of every run. A numba program without it is run once with
ALE_WARMUP=1 and NUMBA_CACHE_DIR pointing at `numba/`, so `@njit(cache=True)` kernels are
compiled before any timed run; each timed run gets its own copy of that cache, so no case can
change what the next one loads.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from judge import languages, sandbox
from judge import pch as pch_mod
from judge.cache import cache_home
from judge.languages import Language
from judge.limits import finish_timeout

COMPILE_LIMIT = 60.0  # the default; each language's entry has its own
ONLINE_JUDGE = "ONLINE_JUDGE"
STATUS = "BUILD.json"


@dataclass
class Build:
    ok: bool
    language: str
    dir: Path  # the program's folder (`sol/`), mounted read-only at sandbox.BUILD for runs
    message: str = ""
    seconds: float = 0.0
    cached: bool = False
    aot: bool = False  # the ONLINE_JUDGE phase ran

    @property
    def lang(self) -> Language:
        return languages.get(self.language)

    @property
    def summary(self) -> str:
        """One line for a case's message: the compiler's first error line, else its last line."""
        lines = [ln.rstrip() for ln in self.message.splitlines() if ln.strip()]
        # Not indented: a traceback's code line (`    raise ValueError(...)`) is not the error.
        first = next((ln for ln in lines if not ln[0].isspace() and re.search(r"\berror\b|Error\b", ln)), None)
        return first or (lines[-1].strip() if lines else "compile error")

    @property
    def cache(self) -> Path:
        """The numba cache the warm-up filled (may not exist)."""
        return self.dir.parent / "numba"

    def command(self, build_in_sandbox: str) -> list[str]:
        return self.lang.argv(self.lang.run, sol=build_in_sandbox)

    def env(self, build_in_sandbox: str) -> dict[str, str]:
        return self.lang.run_env(build_in_sandbox)


def compile_info(build: Build) -> dict:
    """What a Report says about the build."""
    return {"ok": build.ok, "message": build.message, "seconds": round(build.seconds, 3), "cached": build.cached}


def language_of(path: Path) -> str:
    """The language id of a solution file; UnknownLanguage (a ValueError) for an unknown suffix."""
    return languages.of_path(path).id


def _identity(path: str | None) -> str:
    """A cheap fingerprint of an executable (no subprocess): path, size and mtime."""
    if not path:
        return "missing"
    try:
        st = os.stat(path)
    except OSError:
        return f"{path}:missing"
    return f"{os.path.realpath(path)}:{st.st_size}:{st.st_mtime_ns}"


def _tool_identities(lang: Language) -> dict[str, str]:
    """The language's compilers, fingerprinted: what a build (and a precompiled header) depends on."""
    return {k: _identity(v) for k, v in lang.tool_paths().items()}


def _numba_identity() -> str:
    spec = importlib.util.find_spec("numba")
    if spec is None or not spec.origin:
        return "none"
    version = Path(spec.origin).with_name("_version.py")
    try:
        return spec.origin + hashlib.sha256(version.read_bytes()).hexdigest()[:16]
    except OSError:
        return _identity(spec.origin)


def build_key(lang: Language, source: str) -> str:
    """Everything that changes a build: a different value here means a different folder."""
    parts = {
        "language": [lang.id, lang.build, lang.run, sorted(lang.env.items()), lang.online_judge, lang.warmup],
        "tools": _tool_identities(lang),
        "machine": os.uname().machine,
        "sandbox": [sandbox.mode(), sandbox.SCRATCH, sandbox.BUILD, sandbox.CACHE],
    }
    if lang.id == "py":
        parts["python"] = [sys.version, os.path.realpath(sys.executable)]
        parts["numba"] = _numba_identity()
    h = hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode())
    h.update(b"\0" + source.encode())
    return h.hexdigest()[:24]


def _tail(path: Path, n: int = 4000) -> str:
    try:
        data = path.read_bytes()
    except OSError:
        return ""
    return data[-n:].decode("utf-8", "replace").strip()


def _sandboxed(cmd, *, limit, scratch, build=None, cache=None, cache_writable=False, env_extra=None,
               run_env: Language | None = None, stdin_text="", memory_mib=2048):
    """Run one build command in the sandbox; returns (Measured, stderr+stdout tail).

    run_env: also give it that language's run environment (the warm-up runs the program as a case would).
    """
    with tempfile.TemporaryDirectory(prefix="ale-build-") as tmp:
        tmp = Path(tmp)
        (tmp / "in").write_text(stdin_text)
        box, sol, cch = sandbox.paths(scratch, build, cache)
        env = sandbox.clean_env(env_extra, home=box)
        if run_env is not None and sol:
            env.update(run_env.run_env(sol))
        if cch:
            env["NUMBA_CACHE_DIR"] = cch
        limits = sandbox.Limits(time=max(1.0, limit), memory_mib=memory_mib, max_procs=64)
        with open(tmp / "in", "rb") as fi, open(tmp / "out", "wb") as fo, open(tmp / "err", "wb") as fe:
            proc, rfd = sandbox.start(
                cmd(box, sol), limits, scratch=scratch, build=build, cache=cache, cache_writable=cache_writable,
                env=env, stdin=fi, stdout=fo, stderr=fe,
            )
            m = sandbox.finish(proc, rfd, timeout=finish_timeout(limits))
        return m, (_tail(tmp / "err") + "\n" + _tail(tmp / "out", 1000)).strip()


def compile_solution(solution: Path, warmup_input: str | None = None, cache_root: Path | None = None,
                     shown_as: str | Path | None = None) -> Build:
    """Build (or fetch from cache) one solution file; CE is a result, not an exception.

    An unknown suffix raises languages.UnknownLanguage (a usage error: there is nothing to judge).
    shown_as: the name messages give the file (a cluster node builds a copy of the user's file).
    """
    solution = Path(solution)
    lang = languages.of_path(solution)
    root = Path(cache_root or cache_home()) / "build"
    source = solution.read_text(encoding="utf-8", errors="replace")
    missing = lang.missing()
    if missing:  # not cached: installing the compiler must fix it
        return Build(False, lang.id, root / "missing", f"{solution}: {missing}")
    top = root / build_key(lang, source)
    top.mkdir(parents=True, exist_ok=True)
    d = top / "sol"
    with open(top / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        status = top / STATUS
        if status.exists():
            s = json.loads(status.read_text())
            return Build(s["ok"], lang.id, d, user_paths(s["message"], lang, Path(shown_as or solution)), s["seconds"],
                         cached=True, aot=s.get("aot", False))
        t0 = time.monotonic()
        ok, message, aot = _build(lang, source, top, warmup_input)
        b = Build(ok, lang.id, d, message, time.monotonic() - t0, aot=aot)
        tmp = top / f".{STATUS}.{os.getpid()}"
        tmp.write_text(json.dumps({"ok": ok, "message": message, "seconds": b.seconds, "aot": aot}))
        os.replace(tmp, status)
        b.message = user_paths(message, lang, Path(shown_as or solution))
        return b


def user_paths(message: str, lang: Language, solution: Path) -> str:
    """The compiler's message with the build folder's copy of the program named as the user's file."""
    # Any path to it: the host's build folder, /tmp/sol, /tmp/box, or relative (numba says ../sol/Main.py).
    pattern = rf"(?<![\w/.-])(?:[\w.-]*/)*{re.escape(lang.source)}(?![\w.])"
    return re.sub(pattern, lambda _: str(solution), message)


def _build(lang: Language, source: str, top: Path, warmup_input: str | None) -> tuple[bool, str, bool]:
    """Run the language's build commands, then Python's ONLINE_JUDGE phase or numba warm-up."""
    for p in top.iterdir():  # a half-done earlier build (killed judge): start clean
        if p.name != ".lock":
            shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()
    d = top / "sol"
    d.mkdir()
    (d / lang.source).write_text(source)
    deadline = time.monotonic() + lang.compile_limit
    pch = pch_mod.folder(lang, source, json.dumps(_tool_identities(lang)))
    for i, step in enumerate(lang.build):
        left = deadline - time.monotonic()
        use = pch if i == 0 else None  # shown read-only where a run sees its build: -I there
        m, log = _sandboxed(lambda box, sol: lang.argv(step) + (["-I", sol] if use and sol else []), limit=left,
                            scratch=d, build=use)
        if m.killed == "time":
            return False, f"compiling took longer than the {lang.compile_limit:.0f} s compile limit", False
        if m.exit != 0:
            tool = os.path.basename(lang.argv(step)[0])
            return False, _only_message(log) or f"{tool} failed ({_how(m)})", False
    aot = lang.online_judge and ONLINE_JUDGE in source
    if aot:
        left = deadline - time.monotonic()
        # The program's own folder is the writable scratch: what it writes stays next to Main.py.
        m, log = _sandboxed(lambda box, sol: lang.argv(("{python}", f"{box}/{lang.source}", ONLINE_JUDGE)),
                            limit=left, scratch=d)
        if m.killed == "time":
            return False, f"`{lang.source} {ONLINE_JUDGE}` did not finish within the {lang.compile_limit:.0f} s compile limit", True
        if m.exit != 0:
            return False, f"`{lang.source} {ONLINE_JUDGE}` failed ({_how(m)}):\n" + compact_tracebacks(log, lang.source), True
    # A program that compiles ahead of time needs the warm-up only for kernels it still caches.
    wants_warmup = lang.warmup and "numba" in source and (not aot or "cache=True" in source)
    if wants_warmup and warmup_input is not None:
        (top / "numba").mkdir(exist_ok=True)
        left = deadline - time.monotonic()
        with tempfile.TemporaryDirectory(prefix="ale-warm-") as scratch:
            m, log = _sandboxed(
                lambda box, sol: lang.argv(lang.run, sol=sol), limit=left, scratch=Path(scratch), build=d,
                cache=top / "numba", cache_writable=True, env_extra={"ALE_WARMUP": "1"}, run_env=lang, stdin_text=warmup_input,
            )
        if m.exit != 0 and ("numba.core.errors" in log or "TypingError" in log or "LoweringError" in log):
            return False, "numba compilation failed:\n" + compact_tracebacks(log, lang.source), aot
        if m.killed == "time":
            return False, f"numba warm-up exceeded the {lang.compile_limit:.0f} s compile limit", aot
    return True, "", aot


def _how(m: sandbox.Measured) -> str:
    if m.signal:
        return f"signal {m.signal}"
    return f"exit {m.exit}"


def _only_message(log: str) -> str:
    log = ANSI.sub("", log)
    lines = [ln for ln in log.splitlines() if ln.strip()]
    return "\n".join(lines[-40:])


FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in ')  # numba's `File "x", line 6:` is message
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def compact_tracebacks(log: str, source_name: str) -> str:
    """A program's output with its Python traceback cut to the program's own frames and the error.

    Numba's and the interpreter's internal frames, and the chained tracebacks before the last
    one ("During handling of the above exception ..."), say nothing the user can act on.
    """
    log = ANSI.sub("", log)
    marker = "Traceback (most recent call last):"
    first = log.find(marker)
    if first < 0:
        return _only_message(log)
    before = [ln for ln in log[:first].splitlines() if ln.strip()][-10:]
    block = log[log.rfind(marker):].splitlines()[1:]
    frames = [i for i, ln in enumerate(block) if FRAME.match(ln)]
    if not frames:
        return _only_message(log)
    end = frames[-1] + 1
    while end < len(block) and block[end].startswith((" ", "\t")):  # the last frame's code and ^^^ lines
        end += 1
    keep = []
    for i in frames:
        if FRAME.match(block[i]).group("file").endswith(source_name):
            keep.append(block[i])
            if i + 1 < len(block) and block[i + 1].startswith("    ") and not FRAME.match(block[i + 1]):
                keep.append(block[i + 1])
    error = [ln for ln in block[end:] if ln.strip()]
    return "\n".join(before + keep + error[:40])
