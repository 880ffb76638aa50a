"""Precompiled headers: AtCoder C++ starts with `#include <bits/stdc++.h>`, and parsing that one
header is most of a build (g++ -O2 on a strong.cpp here: 7.2 s without, 1.7 s with; the binary is
byte-identical). The build phase is untimed, but the search waits on every compile.

The header is compiled once per compiler and flags, on the host (its input is the system's own
headers, nothing a solution wrote), into the cache; a build that includes it gets `-I` to that
folder, read-only in the sandbox. g++ uses a `.gch` only when it matches the build's flags and
reads the header otherwise, so a stale or broken one costs time, never a wrong program.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import subprocess
import tempfile
from pathlib import Path

from judge.cache import cache_home
from judge.languages import Language

PCH_LIMIT = 300.0  # seconds to build one (about 17 s on a loaded 2-core machine)


def flags(lang: Language) -> list[str]:
    """The first build command's compiler and options: everything before `-o`."""
    step = lang.argv(lang.build[0])
    return step[: step.index("-o")] if "-o" in step else step[:1]


def includes(lang: Language, source: str) -> bool:
    return bool(lang.header) and re.search(rf"#\s*include\s*<{re.escape(lang.header)}>", source) is not None


def folder(lang: Language, source: str, identity: str) -> Path | None:
    """The folder to pass with -I for this build (holding `<header>.gch`), built if missing; None when
    the source does not include the header or the header cannot be precompiled here."""
    if not includes(lang, source):
        return None
    argv = flags(lang)
    key = hashlib.sha256(json.dumps([identity, argv, lang.header]).encode()).hexdigest()[:16]
    top = cache_home() / "pch" / key
    gch = top / (lang.header + ".gch")
    if gch.exists():
        return top
    top.mkdir(parents=True, exist_ok=True)
    with open(top / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if gch.exists():  # another judge built it while we waited
            return top
        if (top / "FAILED").exists():
            return None
        gch.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="ale-pch-") as tmp:
            wrapper = Path(tmp) / "h.hpp"
            wrapper.write_text(f"#include <{lang.header}>\n")
            out = gch.with_name(f".{gch.name}.{os.getpid()}")
            try:
                r = subprocess.run([*argv, "-x", "c++-header", str(wrapper), "-o", str(out)],
                                   capture_output=True, timeout=PCH_LIMIT, cwd=tmp)
            except (OSError, subprocess.TimeoutExpired):
                r = None
            if r is None or r.returncode != 0 or not out.exists():
                out.unlink(missing_ok=True)
                (top / "FAILED").write_text((r.stderr.decode(errors="replace")[-2000:] if r else "timed out"))
                return None
            os.replace(out, gch)
    return top
