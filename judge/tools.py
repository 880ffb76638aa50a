"""Official AtCoder Heuristic Contest tools (`gen`, `vis`, `tester`) as a problem's generator and scorer.

Every AHC ships a `tools` folder, a Rust crate whose binaries make inputs (`gen`), score an output
(`vis`) and, for interactive contests, run and judge a solution (`tester`). A package that names it
with `tools:` needs no Python generator, scorer or interactor:

- binaries are `<tools>/target/release/{gen,vis,tester}`; when one that is needed is missing,
  `cargo build --release` runs once in the folder (under a file lock, so parallel judges wait for it);
- seed N is the input `gen` makes from the seed value N, or `<tools>/in/NNNN.txt` when that file exists
  (the shipped `seeds.txt` lists 0, 1, 2, ... in order, so both agree). `gen` is run for one seed at a
  time: a seeds file of one line, given as the argument and on stdin, which covers `gen seeds.txt`
  (writing `in/0000.txt`, or `-d DIR`) and `gen < seeds.txt`; generated inputs are cached;
- a package may map its seed numbers to other `gen` seed values with `seed_values.csv` (header
  `seed,value`): ALE-Bench's private seeds are arbitrary 64-bit values, numbered 1000, 1001, ... on
  import so problem.yaml keeps its ranges; a mapped seed never reads `in/NNNN.txt`;
- batch score: `vis INPUT OUTPUT`; the last `Score = N` line (or a bare number on the last line) of its
  output; a zero score with a message is a wrong answer carrying that message;
- interactive: `tester CMD...` with the input on stdin (newer contests) or `tester INPUT CMD...` (older
  ones: detected when the first way does not start the solution); CMD is our sandbox invocation, so
  the solution keeps our limits and measurements; the last `Score = N` of tester's stderr is the score.

The tools are the contest's own trusted code and run outside the sandbox.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from functools import cached_property
from pathlib import Path

from judge import sandbox
from judge.cache import cache_home
from judge.case import Case, CaseResult, internal_error, save, tail
from judge.errors import ProblemError, WrongAnswer
from judge.limits import finish_timeout
from judge.verdict import LOG_TAIL, Outcome, crash_message, decide

TOOL_TIMEOUT = 120.0  # seconds for one gen or vis run
BUILD_TIMEOUT = 1800.0
SCORE_RE = re.compile(r"^\s*score\s*[=:]\s*(-?\d+)\s*$", re.I)
BARE_RE = re.compile(r"^\s*(-?\d+)\s*$")
# How `gen` is asked for one seed; the first that produces an input is remembered.
GEN_WAYS = (["{seeds}"], ["{seeds}", "-d", "in"], [])


def parse_score(text: str) -> tuple[int | None, str]:
    """(score, message): the last `Score = N` line, else a bare integer on the last line; the other lines are the message."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    score, at = None, None
    for i, ln in enumerate(lines):
        m = SCORE_RE.match(ln)
        if m:
            score, at = int(m[1]), i
    if score is None and lines and BARE_RE.match(lines[-1]):
        score, at = int(lines[-1]), len(lines) - 1
    rest = [ln for i, ln in enumerate(lines) if i != at and not SCORE_RE.match(ln)]
    return score, "; ".join(rest)[-500:]


def _sha(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def find_cargo() -> str | None:
    found = shutil.which("cargo")
    if found:
        return found
    home = os.environ.get("CARGO_HOME") or os.path.expanduser("~/.cargo")
    cand = Path(home) / "bin" / "cargo"
    return str(cand) if os.access(cand, os.X_OK) else None


def _first_error(log: str) -> str:
    lines = [ln.strip() for ln in log.splitlines() if ln.strip()]
    for ln in lines:
        if ln.startswith("error"):
            return ln
    return lines[-1] if lines else "no output"


class OfficialTools:
    """The tools folder of one problem: build on demand, generate, score, render, run the tester."""

    def __init__(self, problem):
        self.problem = problem
        self.folder = Path(problem.tools)
        self.bin_dir = self.folder / "target" / "release"
        key = hashlib.sha256(str(self.folder.resolve()).encode()).hexdigest()[:16]
        self.cache = cache_home() / "tools" / key
        self._lock = threading.Lock()
        self._build_error: str | None = None
        self._gen_way: int | None = None
        self._gen_hash: str | None = None
        self.tester_input: str | None = None  # "stdin" or "path", found on the first interactive case

    # --- building -------------------------------------------------------------------------
    def binary(self, name: str) -> Path:
        """target/release/<name>, building the crate once when it is missing."""
        exe = self.bin_dir / name
        if exe.is_file():
            return exe
        with self._lock:
            if not exe.is_file():
                self._build(name)
        return exe

    def _build(self, name: str) -> None:
        if self._build_error:
            raise ProblemError(self._build_error)
        fix = f"cd {self.folder} && cargo build --release"
        if not (self.folder / "Cargo.toml").is_file():
            self._build_error = f"{self.folder}: no target/release/{name} and no Cargo.toml to build it from; put the official tools folder here (or build it: {fix})"
            raise ProblemError(self._build_error)
        cargo = find_cargo()
        if cargo is None:
            self._build_error = f"{self.folder}: the tools are not built and cargo was not found; install Rust (https://rustup.rs) or build them yourself: {fix}"
            raise ProblemError(self._build_error)
        self.cache.mkdir(parents=True, exist_ok=True)
        with open(self.cache / "build.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another process may be building the same folder
            if (self.bin_dir / name).is_file():
                return
            sys.stderr.write(f"building the official tools in {self.folder} (cargo build --release, once)...\n")
            sys.stderr.flush()
            env = dict(os.environ, CARGO_TARGET_DIR=str(self.folder / "target"))
            try:
                r = subprocess.run(
                    [cargo, "build", "--release"], cwd=self.folder, env=env, capture_output=True, text=True,
                    timeout=BUILD_TIMEOUT,
                )
                ok, log = r.returncode == 0, r.stderr + r.stdout
            except subprocess.TimeoutExpired:
                ok, log = False, f"error: took more than {BUILD_TIMEOUT:.0f} s"
            if not ok:
                self._build_error = f"{self.folder}: `cargo build --release` failed: {_first_error(log)}; fix the crate or build it yourself: {fix}"
                raise ProblemError(self._build_error)
            if not (self.bin_dir / name).is_file():
                self._build_error = f"{self.folder}: `cargo build --release` made no '{name}' binary; this contest's tools do not provide it (check problem.yaml's 'interactive')"
                raise ProblemError(self._build_error)

    # --- inputs ---------------------------------------------------------------------------
    def ready(self) -> None:
        """Build now if the judging binary this problem needs (tester or vis) is missing: fail early, once."""
        self.binary("tester" if self.problem.interactive else "vis")

    @cached_property
    def seed_values(self) -> dict[int, int]:
        """seed -> the value given to `gen`, from the package's optional seed_values.csv."""
        path = Path(self.problem.path) / "seed_values.csv"
        if not path.is_file():
            return {}
        out: dict[int, int] = {}
        lines = path.read_text(encoding="utf-8").splitlines()
        if not lines or [c.strip() for c in lines[0].split(",")] != ["seed", "value"]:
            raise ProblemError(f"{path}:1: the header must be 'seed,value'")
        for n, line in enumerate(lines[1:], start=2):
            if not line.strip():
                continue
            parts = [c.strip() for c in line.split(",")]
            if len(parts) != 2 or not all(p.isdigit() for p in parts):
                raise ProblemError(f"{path}:{n}: '{line.strip()}' is not 'SEED,VALUE' (two non-negative integers)")
            out[int(parts[0])] = int(parts[1])
        return out

    def generate(self, seed: int) -> str:
        self.ready()
        value = self.seed_values.get(seed, seed)
        shipped = self.folder / "in" / f"{seed:04d}.txt"
        if value == seed and shipped.is_file():
            return shipped.read_text(encoding="utf-8")
        gen = self.binary("gen")
        if self._gen_hash is None:
            self._gen_hash = _sha(gen)[:16]
        cached = self.cache / "in" / self._gen_hash / f"{value}.txt"
        if cached.is_file():
            return cached.read_text(encoding="utf-8")
        text = self._run_gen(gen, value)
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{value}.{os.getpid()}.{threading.get_ident()}")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, cached)
        return text

    def _run_gen(self, gen: Path, seed: int) -> str:
        ways = [self._gen_way] if self._gen_way is not None else range(len(GEN_WAYS))
        why = ""
        for i in ways:
            with tempfile.TemporaryDirectory(prefix="ale-gen-") as tmp:
                tmp = Path(tmp)
                seeds = tmp / "seeds.txt"
                seeds.write_text(f"{seed}\n")
                args = [str(gen)] + [a.format(seeds=seeds) for a in GEN_WAYS[i]]
                try:
                    with open(seeds, "rb") as fi:
                        r = subprocess.run(args, cwd=tmp, stdin=fi, capture_output=True, timeout=TOOL_TIMEOUT)
                except subprocess.TimeoutExpired:
                    raise ProblemError(f"{gen}: gen took more than {TOOL_TIMEOUT:.0f} s for seed {seed}") from None
                made = sorted(p for p in tmp.rglob("*.txt") if p != seeds)
                if r.returncode == 0 and made:
                    named = [p for p in made if p.name == "0000.txt"]
                    self._gen_way = i
                    return (named or made)[0].read_text(encoding="utf-8")
                if r.returncode == 0 and r.stdout.strip():
                    self._gen_way = i
                    return r.stdout.decode("utf-8", "replace")
                why = _first_error(r.stderr.decode("utf-8", "replace")) if r.returncode else "it wrote no input file"
        raise ProblemError(f"{gen}: could not make the input of seed {seed} ({why}); check that `gen seeds.txt` works in {self.folder}")

    # --- batch scoring ----------------------------------------------------------------------
    def _vis(self, input_text: str, output_text: str) -> tuple[subprocess.CompletedProcess, Path]:
        vis = self.binary("vis")
        tmp = Path(tempfile.mkdtemp(prefix="ale-vis-"))
        (tmp / "in.txt").write_text(input_text, encoding="utf-8")
        (tmp / "out.txt").write_text(output_text, encoding="utf-8")
        try:
            r = subprocess.run([str(vis), "in.txt", "out.txt"], cwd=tmp, capture_output=True, timeout=TOOL_TIMEOUT)
        except subprocess.TimeoutExpired:
            shutil.rmtree(tmp, ignore_errors=True)
            raise ProblemError(f"{vis}: vis took more than {TOOL_TIMEOUT:.0f} s") from None
        return r, tmp

    def score(self, input_text: str, output_text: str) -> int:
        r, tmp = self._vis(input_text, output_text)
        shutil.rmtree(tmp, ignore_errors=True)
        # The score is on stdout (`Score = N` or a bare number); stderr is a fallback and extra message.
        score, message = parse_score(r.stdout.decode("utf-8", "replace"))
        err_score, err_message = parse_score(r.stderr.decode("utf-8", "replace"))
        score = err_score if score is None else score
        message = "; ".join(m for m in (message, err_message) if m)
        if score is None:
            raise WrongAnswer(f"vis gave no score (exit {r.returncode}): {message or 'no output'}")
        if score == 0 and message:
            raise WrongAnswer(message)
        return score

    def render(self, input_text: str, output_text: str) -> str:
        """The SVG that vis draws (out.svg, or the <svg> inside vis.html)."""
        r, tmp = self._vis(input_text, output_text)
        try:
            for p in sorted(tmp.glob("*.svg")):
                return p.read_text(encoding="utf-8", errors="replace")
            for p in sorted(tmp.glob("*.html")):
                m = re.search(r"<svg.*?</svg>", p.read_text(encoding="utf-8", errors="replace"), re.S)
                if m:
                    return m.group(0)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        raise ProblemError(f"{self.folder}: vis wrote no SVG picture (looked for *.svg and vis.html)")

    # --- interactive ------------------------------------------------------------------------
    def run_tester(self, input_path: Path, invocation: list[str], wfd: int, stdout, stderr, way: str):
        """Start `tester` around our sandbox invocation; `way` is 'stdin' or 'path'. Returns the Popen."""
        tester = self.binary("tester")
        if way == "stdin":
            args, stdin = [str(tester), *invocation], open(input_path, "rb")
        else:
            args, stdin = [str(tester), str(input_path), *invocation], subprocess.DEVNULL
        try:
            return subprocess.Popen(
                args, cwd=input_path.parent, stdin=stdin, stdout=stdout, stderr=stderr, pass_fds=(wfd,),
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")}, start_new_session=True,
            )
        finally:
            if stdin is not subprocess.DEVNULL:
                stdin.close()


def run_with_tester(case: Case) -> CaseResult:
    """One interactive case through the official tester: the CaseRunner (judge.case) of tools packages."""
    tools: OfficialTools = case.problem._tools
    tmp, limits, seed, kw = case.folder, case.limits, case.seed, case.sandbox
    (tmp / "in.txt").write_text(case.input_text)
    # The solution's own stderr goes to a file in its scratch folder: tester's stderr carries the score.
    box = sandbox.paths(kw["scratch"], None, None)[0]
    wrapped = ["/bin/sh", "-c", 'exec "$@" 2>>"$0"', f"{box}/.stderr", *case.cmd]
    ways = [tools.tester_input] if tools.tester_input else ["stdin", "path"]
    for way in ways:
        full, rfd, wfd = sandbox.invocation(wrapped, limits, **kw)
        try:
            with open(tmp / "out", "wb") as fo, open(tmp / "tester.err", "wb") as fe:
                proc = tools.run_tester(tmp / "in.txt", full, wfd, fo, fe, way)
        except Exception:
            os.close(wfd)
            os.close(rfd)
            return internal_error(seed, "tester")
        os.close(wfd)
        m = sandbox.finish(proc, rfd, timeout=finish_timeout(limits))
        tester_err = tail(tmp / "tester.err", LOG_TAIL)
        score, message = parse_score(tester_err)
        started = m.killed != "sandbox" or (kw["scratch"] / ".stderr").exists()
        if started or score is not None:
            tools.tester_input = way
            break
    log = tail(kw["scratch"] / ".stderr")
    if case.save_dir:
        save(case.save_dir, seed, case.input_text, tmp / "out", log)
    if not started and score is None:
        last = message or f"exit code {proc.returncode}"
        return CaseResult(seed, "IE", message=f"tester did not run the solution: {last}"[:300], log=tester_err)
    hung_up = m.killed == "sandbox"  # tester ended the sandbox itself after judging the solution
    # SIGPIPE: tester hung up first, which is no crash.
    crash = None if hung_up or m.signal == signal.SIGPIPE else crash_message(m)
    note = f" (solution: {crash})" if crash else ""
    if score is None:
        checked = Outcome("WA", message=f"tester gave no score: {message or 'no output'}"[:300] + note)
    elif score == 0 and message:
        checked = Outcome("WA", message=message[:300] + note)
    else:
        checked = Outcome("AC", score)
    # The tester's WA wins over a crash, which it then carries as a note: the tester may have caused it.
    outcome = decide(m, limits, checked=checked, crash=crash if checked.verdict == "AC" else None, ended_by_judge=hung_up)
    return CaseResult.of(seed, outcome, 0.0 if hung_up else m.time, 0.0 if hung_up else m.peak_mib, log)
