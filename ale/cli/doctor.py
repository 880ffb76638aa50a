"""`ale doctor`: what this machine has, what is missing, and how to fix it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import typer

from ale.cli.common import EXIT_FAILED, out, print_json


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
    gxx = _version(["g++", "--version"]) if shutil.which("g++") else None
    rows.append({"name": "g++", "ok": bool(gxx), "found": gxx, "fix": "apt-get install g++ (needed for .cpp solutions)", "required": False})
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


def doctor_cmd(as_json: bool = typer.Option(False, "--json")):
    """Check python, numba, g++, bwrap (with one real case in the box), cargo and keys; say how to fix what is missing."""
    from judge import sandbox

    rows = checks()
    view = [{"what": w, "where": where, "how": how} for w, where, how in sandbox.view(Path("(each case's scratch folder)"), Path("(the solution's build)"), Path("(its numba cache)"))]
    if as_json:
        print_json({"checks": rows, "sandbox": sandbox.mode(), "box": view})
    else:
        from rich.table import Table

        t = Table(title="ale doctor")
        for col in ("check", "status", "found", "fix"):
            t.add_column(col)
        for r in rows:
            status = "[green]ok[/]" if r["ok"] else ("[red]missing[/]" if r["required"] else "[yellow]missing[/]")
            t.add_row(r["name"], status, r["found"] or "-", "" if r["ok"] else r["fix"])
        out.print(t)
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
