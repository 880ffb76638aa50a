"""`ale doctor`: what this machine has, what is missing, and how to fix it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import typer

from ale.cli.common import EXIT_FAILED, err, out, print_json


def _version(cmd: list[str]) -> str | None:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return None
    text = (r.stdout or r.stderr).strip().splitlines()
    return text[0] if r.returncode == 0 and text else None


def checks() -> list[dict]:
    from judge import sandbox

    rows = [{"name": "python", "ok": True, "found": sys.version.split()[0], "fix": "", "required": True}]
    try:
        import numba

        rows.append({"name": "numba", "ok": True, "found": numba.__version__, "fix": "", "required": True})
    except ImportError:
        rows.append({"name": "numba", "ok": False, "found": None, "fix": "pip install numba", "required": True})
    from judge import languages

    for lang in languages.LANGUAGES:  # each compiler the table names, where the box can see it
        for key, path in lang.tool_paths().items():
            if lang.tools[key] == "python":
                continue
            found = _version([path, "--version"]) if path else None
            fix = f"{lang.install} (needed for {'/'.join(lang.suffixes)} solutions; looked in {languages.SYSTEM_PATH})"
            rows.append({"name": lang.tools[key], "ok": bool(found), "found": found and f"{found} ({path})", "fix": fix, "required": False})
    bw = _version(["bwrap", "--version"]) if shutil.which("bwrap") else None
    mode = sandbox.mode()
    rows.append({
        "name": "bwrap", "ok": mode == "bwrap", "found": f"{bw} (in use)" if mode == "bwrap" else bw,
        "fix": f"apt-get install bubblewrap (now: {mode} only, weaker isolation)" if mode != "bwrap" else "", "required": False,
    })
    ok, found = sandbox.self_test("import sys, numpy, numba; print('python', sys.version.split()[0], 'numba', numba.__version__)")
    rows.append({
        "name": "case in the box", "ok": ok, "found": found if ok else None, "required": True,
        "fix": "" if ok else f"{found}; see the box's view below (`ale doctor --json`: box) and report it",
    })
    cargo = _version(["cargo", "--version"]) if shutil.which("cargo") else None
    rows.append({"name": "cargo", "ok": bool(cargo), "found": cargo, "fix": "install Rust (rustup or apt-get install cargo) to build official AHC tools", "required": False})
    try:
        from ale.keys import get_key

        has = bool(get_key("ANTHROPIC_API_KEY"))
    except Exception:
        import os

        has = bool(os.environ.get("ANTHROPIC_API_KEY"))
    rows.append({"name": "anthropic key", "ok": has, "found": "set" if has else None, "fix": "export ANTHROPIC_API_KEY=... or `ale keys set ANTHROPIC_API_KEY` (optional: offline works without)", "required": False})
    return rows


def startup_rows(repeat: int) -> list[dict]:
    """Start-up of python, numpy, numba and an AOT module, each run `repeat` times in the box as a case."""
    from judge.startup import probe_startup

    err.print("measuring start-up in the box (the first time builds a small AOT module: up to a minute)...",
              highlight=False)
    return probe_startup(repeat=repeat)


def doctor_cmd(
    as_json: bool = typer.Option(False, "--json"),
    startup: bool = typer.Option(True, "--startup/--no-startup", help="Measure start-up costs in the box"),
):
    """Check python, numba, compilers, bwrap (with one real case in the box), cargo and keys; say how to fix
    what is missing; show what starting python, numpy, numba and an AOT module costs in the box."""
    from judge import sandbox

    rows = checks()
    boot = startup_rows(3) if startup and all(r["ok"] for r in rows if r["required"]) else []
    view = [{"what": w, "where": where, "how": how} for w, where, how in sandbox.view(Path("(each case's scratch folder)"), Path("(the solution's build)"), Path("(its numba cache)"))]
    if as_json:
        print_json({"checks": rows, "sandbox": sandbox.mode(), "box": view, "startup": boot})
    else:
        from rich.table import Table

        t = Table(title="ale doctor")
        for col in ("check", "status", "found", "fix"):
            t.add_column(col)
        for r in rows:
            status = "[green]ok[/]" if r["ok"] else ("[red]missing[/]" if r["required"] else "[yellow]missing[/]")
            t.add_row(r["name"], status, r["found"] or "-", "" if r["ok"] else r["fix"])
        out.print(t)
        if boot:
            b = Table(title="start-up in the box, counted against each case's time (median of 3, max of CPU and wall)")
            for col in ("program", "seconds", "note"):
                b.add_column(col)
            notes = {"python": "the interpreter alone", "numpy": "import numpy",
                     "numba": "import numba (cached @njit kernels cost more on top)",
                     "AOT module": "a numba.pycc module built by `Main.py ONLINE_JUDGE`"}
            for r in boot:
                b.add_row(r["name"], f"{r['median']:.3f}" if r["median"] is not None else "-", r["error"] or notes[r["name"]])
            out.print(b)
        if sandbox.mode() == "bwrap":
            v = Table(title="what a solution sees in its box (nothing else of this machine)")
            for col in ("in the box", "from", "how"):
                v.add_column(col, overflow="fold")
            for r in view:
                v.add_row(r["where"], r["what"], r["how"])
            out.print(v)
        else:
            out.print(f"[yellow]{sandbox.warn_if_weak() or 'no bubblewrap box'}[/]")
    if any(r["required"] and not r["ok"] for r in rows):
        raise typer.Exit(EXIT_FAILED)
