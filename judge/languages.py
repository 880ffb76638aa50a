"""The languages the judge accepts: one entry each, and every place that names a language reads it here.

An entry says how a file in that language is recognised (suffixes, fence tags, how the code
looks), how it is marked for tuning (`ale: param` after its comment marker), how it is built
(commands run in the build folder during the untimed compile phase, under the compile limit)
and run (the timed command and its environment), and what models are told about writing it.
Adding a language is one entry here plus its tests.

Compilers are looked up in system folders only (SYSTEM_PATH): the sandbox shows the solution
the system folders and the interpreter's own prefixes, not the judge's home, so a compiler
installed under ~/.cargo or ~/.local would run at build time and be missing in the box.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

SYSTEM_PATH = "/usr/local/bin:/usr/bin:/bin"


class UnknownLanguage(ValueError):
    """A solution file whose suffix no language claims (a usage error: nothing is judged)."""


@dataclass(frozen=True)
class Language:
    id: str  # what the store and candidates record: py, cpp, rs
    name: str  # for people: Python, C++, Rust
    suffixes: tuple[str, ...]  # the first is what the tools write
    fences: tuple[str, ...]  # Markdown fence tags; the first is what prompts use
    comment: str  # line-comment marker, the one `ale: param` follows
    source: str  # the program's file name in the build folder
    build: tuple[tuple[str, ...], ...]  # commands run in the build folder; {tool} names a compiler in `tools`
    run: tuple[str, ...]  # the timed command; {sol} is the build folder as the run sees it
    tools: dict[str, str] = field(default_factory=dict)  # {placeholder: executable looked up in SYSTEM_PATH}
    compile_limit: float = 60.0  # seconds for the whole compile phase
    env: dict[str, str] = field(default_factory=dict)  # added to every run's environment ({sol} substituted)
    looks_like: str = ""  # a regex that only this language's code matches (to guess an unfenced answer)
    install: str = ""  # how to get the compiler, for messages and `ale doctor`
    guidance: str = ""  # what models are told about writing it (see ale/prompts.py)
    online_judge: bool = False  # Python: run `Main.py ONLINE_JUDGE` in the compile phase when the source asks
    warmup: bool = False  # Python: one untimed run that fills the numba cache
    header: str = ""  # a header most programs include, precompiled once per compiler and flags (judge/pch.py)

    @property
    def suffix(self) -> str:
        return self.suffixes[0]

    @property
    def fence(self) -> str:
        return self.fences[0]

    def tool_paths(self) -> dict[str, str | None]:
        """{placeholder: absolute path or None when missing}; Python is the judge's own interpreter."""
        out = {}
        for key, exe in self.tools.items():
            out[key] = sys.executable if exe == "python" else shutil.which(exe, path=SYSTEM_PATH)
        return out

    def missing(self) -> str | None:
        """A one-line reason this language cannot be built here, or None."""
        for key, path in self.tool_paths().items():
            if path is None:
                return f"{self.tools[key]} not found in {SYSTEM_PATH} (needed for {self.name}); {self.install}"
        return None

    def argv(self, template: tuple[str, ...], sol: str = "") -> list[str]:
        subs = {k: v or self.tools[k] for k, v in self.tool_paths().items()}
        return [a.format(sol=sol, **subs) for a in template]

    def run_env(self, sol: str) -> dict[str, str]:
        return {k: v.format(sol=sol) for k, v in self.env.items()}


# The compile phase's syntax check for Python: only the compiler's message, no traceback of the checker.
PY_CHECK = (
    "import sys,traceback\n"
    "try: compile(open(sys.argv[1],'rb').read(),sys.argv[1],'exec')\n"
    "except (SyntaxError,ValueError) as e: sys.stderr.write(''.join(traceback.format_exception_only(e))); sys.exit(1)\n"
)

PYTHON_GUIDANCE = """\
Python (preferred; CPython with numpy and numba):
- Read all input at once: `data = sys.stdin.buffer.read().split()`.
- Put hot loops in numba functions working on numpy arrays and scalars only; no Python lists of
  objects, dicts or strings inside them.
- Starting numba costs time inside the limit: importing numba and loading `@njit(cache=True)`
  kernels from the cache takes 0.4-2 s of a case's time. Compile ahead of time instead (AtCoder's
  convention): the judge first runs `python Main.py ONLINE_JUDGE` once, untimed, in the program's
  own folder, and keeps what it writes there. Build a module with numba.pycc in that branch, and
  import it in the timed run, which then starts in about 0.1 s and never imports numba:

      import sys
      if sys.argv[-1] == "ONLINE_JUDGE":
          from numba.pycc import CC
          cc = CC("kernels")                      # writes kernels*.so next to Main.py
          @cc.export("anneal", "f8(i8[:], f8[:,:], i8, f8, f8)")   # explicit types, as numba sees them
          def anneal(order, dist, iters, t0, t1):
              ...                                 # the same code you would put under @njit
          cc.compile()
          sys.exit(0)
      from kernels import anneal                  # the timed run

  Exported functions need explicit signatures (i8, f8, i8[:] for a 1-D int64 array, f8[:,:] for
  2-D float64, b1 for bool; arrays passed in must have exactly that dtype and be C-contiguous) and
  may call other functions only if those are @njit (they are compiled into the module). Use it
  whenever the program uses numba; plain @njit(cache=True) without ONLINE_JUDGE still works (the
  judge warms the cache once), but its start-up is paid on every case.
- Numba code cannot read the clock: run the search in chunks of iterations from Python and check
  `time.perf_counter()` between chunks; stop at about 85% of the time limit, then print.
- A program with @njit(cache=True) and no ONLINE_JUDGE branch is run once untimed with the
  environment variable ALE_WARMUP set: read the input, call each @njit function once with a tiny
  iteration count, then exit(0) without the long search.
- Keep a valid answer at all times (build a simple one first, then improve it).
- Mark constants worth tuning with a trailing comment, e.g. `T0 = 2000.0  # ale: param float 1 1e5 log`,
  `ITERS = 300000  # ale: param int 1000 5000000 log`, `MOVE = "swap"  # ale: param choice swap two_opt`."""

CPP_GUIDANCE = """\
C++ (g++ -std=gnu++20 -O2): fast I/O, std::chrono::steady_clock for the time limit, the same
`// ale: param ...` comments."""

RUST_GUIDANCE = """\
Rust (rustc 1.63 or later, edition 2021, -O, no crates: std only): read stdin into a String at
once, std::time::Instant for the time limit, write a small xorshift for randomness, the same
`// ale: param ...` comments on `const` lines."""

PYTHON = Language(
    id="py", name="Python", suffixes=(".py",), fences=("python", "py", "python3"), comment="#", source="Main.py",
    build=(("{python}", "-c", PY_CHECK, "Main.py"),),
    run=("{python}", "{sol}/Main.py"),
    tools={"python": "python"},
    # numba.pycc compiles each exported function through LLVM and then a C extension with the C
    # compiler: 20-80 s for a few kernels on a loaded 2-core machine, so more room than g++ needs.
    compile_limit=180.0,
    env={"PYTHONPATH": "{sol}"},  # modules the ONLINE_JUDGE phase wrote next to Main.py import from anywhere
    looks_like=r"^\s*(import|from)\s+\w+|^\s*def\s+\w+\(",
    install="it is the judge's own interpreter",
    guidance=PYTHON_GUIDANCE, online_judge=True, warmup=True,
)

CPP = Language(
    id="cpp", name="C++", suffixes=(".cpp", ".cc", ".cxx"), fences=("cpp", "c++", "cc", "cxx"), comment="//",
    source="main.cpp",
    build=(("{gxx}", "-std=gnu++20", "-O2", "-o", "a.out", "main.cpp"),),
    run=("{sol}/a.out",),
    tools={"gxx": "g++"},
    looks_like=r"^\s*#include\s*[<\"]|\bint\s+main\s*\(",
    install="install it: apt-get install g++",
    guidance=CPP_GUIDANCE, header="bits/stdc++.h",
)

RUST = Language(
    id="rs", name="Rust", suffixes=(".rs",), fences=("rust", "rs"), comment="//", source="main.rs",
    build=(("{rustc}", "--edition", "2021", "-O", "-o", "a.out", "main.rs"),),
    run=("{sol}/a.out",),
    tools={"rustc": "rustc"},
    looks_like=r"^\s*fn\s+main\s*\(|^\s*use\s+std::",
    install="install it: apt-get install rustc",
    guidance=RUST_GUIDANCE,
)

LANGUAGES: tuple[Language, ...] = (PYTHON, CPP, RUST)
BY_ID = {lang.id: lang for lang in LANGUAGES}
BY_SUFFIX = {s: lang for lang in LANGUAGES for s in lang.suffixes}
BY_FENCE = {t: lang for lang in LANGUAGES for t in lang.fences}
SUFFIXES = tuple(BY_SUFFIX)


def get(language_id: str) -> Language:
    """The entry for a recorded language id (`py`, `cpp`, `rs`)."""
    key = (language_id or "").lower()
    lang = BY_ID.get(key) or BY_FENCE.get(key) or BY_SUFFIX.get(key if key.startswith(".") else f".{key}")
    if lang is not None:  # ids, and the names other tools record (python, c++, rust, .cpp)
        return lang
    try:
        return BY_ID[language_id]
    except KeyError:
        raise UnknownLanguage(f"unknown language id '{language_id}'; known: {', '.join(BY_ID)}") from None


def of_path(path: str | os.PathLike) -> Language:
    """The language of a solution file by its suffix; UnknownLanguage names the file and the accepted suffixes."""
    p = Path(path)
    lang = BY_SUFFIX.get(p.suffix.lower())
    if lang is None:
        what = f"'{p.suffix}'" if p.suffix else "no suffix"
        raise UnknownLanguage(f"{p}: unknown language ({what}); a solution file ends in {suffix_list()}")
    return lang


def suffix_list() -> str:
    s = list(SUFFIXES)
    return ", ".join(s[:-1]) + " or " + s[-1]


def is_solution(path: str | os.PathLike) -> bool:
    return Path(path).suffix.lower() in BY_SUFFIX


def from_fence(tag: str) -> Language | None:
    return BY_FENCE.get(tag.lower())


def guess(source: str) -> Language | None:
    """The language whose `looks_like` the code matches (compiled languages first: Python's is loosest)."""
    for lang in sorted(LANGUAGES, key=lambda lang: lang.id == "py"):
        if lang.looks_like and re.search(lang.looks_like, source, re.M):
            return lang
    return None


def guidance() -> str:
    """Every language's guidance for models, Python first (the project's main language)."""
    return "Language guidance.\n" + "\n".join(lang.guidance for lang in LANGUAGES if lang.guidance)
