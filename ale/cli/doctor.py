"""`ale doctor`: what this machine has, what is missing, and how to fix it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import typer

from ale.cli.common import EXIT_FAILED, config, err, out, print_json, user_errors


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


def cluster_checks(address: str) -> list[dict]:
    """The Ray cluster: reachable, its nodes and CPUs, and on each node ale's version, judge code and sandbox."""
    from judge.cluster import ale_version, judge_code_hash, nodes
    from judge.errors import ClusterError

    try:
        found = nodes(address)
    except ClusterError as e:
        return [{"name": "cluster", "ok": False, "found": None, "fix": str(e), "required": True}]
    cpus = sum(n["cpus"] for n in found)
    rows = [{"name": "cluster", "ok": bool(found), "found": f"{address}: {len(found)} node(s), {cpus:g} CPUs", "required": True,
             "fix": "start nodes: ray start --address HEAD:6379 on each machine"}]
    mine = (ale_version(), judge_code_hash())
    for n in found:
        name = f"node {n['address']} ({n['node']})"
        if "error" in n:
            rows.append({"name": name, "ok": False, "found": n["error"], "required": True,
                         "fix": "install ale on this node: pip install 'ale[cluster]' (same version as here)"})
            continue
        ok = (n["ale"], n["judge_code"]) == mine
        fix = f"install the same ale as here (ale {mine[0]}, judge code {mine[1]}) on this node" if not ok else ""
        if ok and n["sandbox"] != "bwrap":
            fix = f"apt-get install bubblewrap on this node (now: {n['sandbox']} only)"
        rows.append({"name": name, "ok": ok, "required": True, "fix": fix,
                     "found": f"ale {n['ale']} (judge code {n['judge_code']}), python {n['python']}, sandbox {n['sandbox']}, {n['cpus']:g} CPUs"})
    return rows


def doctor_cmd(
    as_json: bool = typer.Option(False, "--json"),
    startup: bool = typer.Option(True, "--startup/--no-startup", help="Measure start-up costs in the box"),
    cluster: str = typer.Option(None, "--cluster", help="Also check this Ray cluster (default: judge.cluster in ale.yaml)"),
):
    """Check python, numba, compilers, bwrap (with one real case in the box), cargo, keys and the Ray cluster if
    any; say how to fix what is missing; show what starting python, numpy, numba and an AOT module costs in the box."""
    from ale.config import ConfigError, cluster_address
    from judge import sandbox

    rows = checks()
    boot = startup_rows(3) if startup and all(r["ok"] for r in rows if r["required"]) else []
    view = [{"what": w, "where": where, "how": how} for w, where, how in sandbox.view(Path("(each case's scratch folder)"), Path("(the solution's build)"), Path("(its numba cache)"))]
    with user_errors():  # a malformed address or no ray: one line, exit 2
        try:
            address = cluster if cluster else cluster_address(config())
        except ConfigError as e:  # doctor still reports the rest
            rows.append({"name": "ale.yaml", "ok": False, "found": None, "fix": str(e), "required": True})
            address = None
        if address:
            from judge.cluster import import_ray, parse_address

            parse_address(address)
            import_ray()
            rows += cluster_checks(address)
    if as_json:
        print_json({"checks": rows, "sandbox": sandbox.mode(), "box": view, "startup": boot})
    else:
        from rich.markup import escape
        from rich.table import Table

        t = Table(title="ale doctor")
        for col in ("check", "status", "found", "fix"):
            t.add_column(col)
        for r in rows:
            status = "[green]ok[/]" if r["ok"] else ("[red]missing[/]" if r["required"] else "[yellow]missing[/]")
            t.add_row(escape(r["name"]), status, escape(r["found"] or "-"), "" if r["ok"] else escape(r["fix"]))
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
