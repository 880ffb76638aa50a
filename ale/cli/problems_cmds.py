"""`ale problems list|show|import`: the problem shelf."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from ale.cli.common import UserError, config, err, load, out, print_json, user_errors
from ale.config import problem_folders

app = typer.Typer(help="List and inspect problem packages.", no_args_is_help=True)


def _summary(p) -> dict:
    return {
        "id": p.id, "title": p.title, "path": str(p.path), "objective": p.objective, "time_limit": p.time_limit,
        "memory_limit": p.memory_limit, "interactive": p.interactive, "partial_score": p.partial_score,
        "public_seeds": list(p.public_seeds), "private_seeds": list(p.private_seeds), "tags": p.tags,
        "tools": str(p.tools) if p.tools else None, "solutions": [s.name for s in p.solutions()],
    }


@app.command("list")
def list_cmd(as_json: bool = typer.Option(False, "--json")):
    """Every problem found in the configured folders (broken packages are reported, not fatal)."""
    from judge import ProblemError, load_problem

    with user_errors():
        cfg = config()
        found, broken, seen = [], [], set()
        for folder in problem_folders(cfg):
            if not folder.is_dir():
                continue
            for d in sorted(folder.iterdir()):
                if not (d / "problem.yaml").is_file() or d.name in seen:
                    continue
                seen.add(d.name)
                try:
                    found.append(_summary(load_problem(d)))
                except ProblemError as e:
                    broken.append({"path": str(d), "error": str(e)})
        if as_json:
            print_json({"problems": found, "broken": broken})
            return
        from rich.table import Table

        t = Table(title="problems")
        t.add_column("id", no_wrap=True)  # what users type: never cut
        t.add_column("title", ratio=1, min_width=10)
        t.add_column("kind", no_wrap=True)
        t.add_column("TL", no_wrap=True)
        t.add_column("tags", ratio=1, min_width=10, overflow="fold")
        for p in found:
            kind = ("interactive" if p["interactive"] else "batch") + ", " + p["objective"]
            t.add_row(p["id"], p["title"], kind, f"{p['time_limit']:g}s", ", ".join(p["tags"]))
        out.print(t)
        for b in broken:
            err.print(f"[yellow]skipped:[/] {b['error']}", highlight=False)


@app.command("show")
def show_cmd(problem: str = typer.Argument(...), as_json: bool = typer.Option(False, "--json")):
    """A problem's metadata and statement."""
    with user_errors():
        p = load(problem)
        doc = _summary(p)
        if as_json:
            doc["statement"] = p.statement
            print_json(doc)
            return
        for k, v in doc.items():
            out.print(f"[bold]{k}[/]: {v}", highlight=False)
        out.print()
        out.print(p.statement, markup=False, highlight=False)


# --- ale problems import: a package around a contest's official tools ---------------------------

def _find_crate(root: Path) -> Path | None:
    """The shallowest folder under `root` holding Cargo.toml (official zips wrap it in tools/)."""
    found = sorted((p.parent for p in root.rglob("Cargo.toml") if "target" not in p.parts), key=lambda p: len(p.parts))
    return found[0] if found else None


def _unzip(zpath: Path, into: Path) -> None:
    import zipfile

    try:
        with zipfile.ZipFile(zpath) as z:
            for info in z.infolist():
                target = (into / info.filename).resolve()
                if not target.is_relative_to(into.resolve()):
                    raise UserError(f"{zpath}: unsafe path '{info.filename}' in the zip; not extracting it")
                z.extract(info, into)
                mode = info.external_attr >> 16
                if mode & 0o111 and target.is_file():
                    target.chmod(target.stat().st_mode | 0o111)
    except zipfile.BadZipFile:
        raise UserError(f"{zpath}: not a zip file; give the tools folder or the tools zip from the contest page") from None


def _guess_objective(statement: str, source: Path) -> str:
    import re

    low = statement.lower()
    mx = len(re.findall(r"maximi[sz]", low)) + statement.count("最大化")
    mn = len(re.findall(r"minimi[sz]", low)) + statement.count("最小化")
    if bool(mx) != bool(mn):
        return "maximize" if mx else "minimize"
    raise UserError(f"{source}: cannot tell from the statement whether the score is maximized or minimized; pass --objective max|min")


def _has_tester(crate: Path) -> bool:
    cargo_toml = (crate / "Cargo.toml").read_text(encoding="utf-8", errors="replace")
    return (
        (crate / "src" / "bin" / "tester.rs").is_file()
        or (crate / "target" / "release" / "tester").is_file()
        or 'name = "tester"' in cargo_toml
    )


def _new_package(pkg: Path, meta: dict, baseline: Path | None, fill) -> "Problem":
    """Write a new problem package (`fill` adds its own files) and load it; a failure leaves no half package."""
    import shutil

    import yaml

    from judge import load_problem

    try:
        pkg.mkdir(parents=True)
        fill(pkg)
        (pkg / "problem.yaml").write_text(yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8")
        (pkg / "solutions").mkdir()
        if baseline is not None:
            shutil.copy2(baseline, pkg / "solutions" / f"baseline{baseline.suffix}")
        return load_problem(pkg)
    except BaseException:
        shutil.rmtree(pkg, ignore_errors=True)
        raise


def _copy_tools(crate: Path, dest: Path) -> None:
    """The crate without target/, plus the binaries already built (so they are not rebuilt)."""
    import shutil

    shutil.copytree(crate, dest, ignore=lambda d, names: ["target"] if Path(d) == crate else [])
    for name in ("gen", "vis", "tester"):
        built = crate / "target" / "release" / name
        if built.is_file():
            (dest / "target" / "release").mkdir(parents=True, exist_ok=True)
            shutil.copy2(built, dest / "target" / "release" / name)


def _alebench_root(source: Path) -> Path | None:
    from ale.alebench import find_root

    return find_root(source) if source.is_dir() else None


def _zip_has_data_json(source: Path) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(source) as z:
            return any(n == "data.json" or n.endswith("/data.json") for n in z.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _import_alebench(source: Path, pid: str | None, lite: bool, baseline: Path | None, dest: Path, as_json: bool):
    """`ale problems import` for a problem folder (or zip) of the ALE-Bench dataset."""
    import shutil
    import tempfile

    import yaml

    from ale import alebench
    from judge import languages, load_problem
    from judge.problem import ID_RE

    if baseline is not None and (not baseline.is_file() or not languages.is_solution(baseline)):
        raise UserError(f"{baseline}: --baseline must be an existing solution file ending in {languages.suffix_list()}")
    with tempfile.TemporaryDirectory(prefix="ale-import-") as tmp:
        if source.is_file():
            _unzip(source, Path(tmp))
            root = alebench.find_root(Path(tmp))
            if root is None:
                raise UserError(f"{source}: the zip holds no single problem folder with data.json")
        else:
            root = alebench.find_root(source)
        info = alebench.read(root, lite=lite)
        pid = pid or info["id"]
        if not ID_RE.match(pid):
            raise UserError(f"problem id '{pid}': use lowercase letters, digits and '-'; pass --id")
        pkg = dest / pid
        if pkg.exists():
            raise UserError(f"{pkg} already exists; choose another --id or remove it")
        public, private, _ = alebench.numbering(info["public"], info["private"])
        meta = {
            "id": pid, "title": info["title"], "objective": info["objective"], "time_limit": info["time_limit"],
            "memory_limit": info["memory_limit"], "interactive": info["interactive"], "partial_score": info["partial_score"],
            "seeds": {"public": list(public), "private": list(private)}, "tags": ["ahc", "ale-bench"] + (["lite"] if lite else []),
            "tools": "tools",
        }
        def fill(pkg: Path) -> None:
            _copy_tools(root / "tools", pkg / "tools")
            alebench.write(info, root, pkg)

        p = _new_package(pkg, meta, baseline, fill)
    doc = _summary(p) | {"standings": info["standings"] is not None, "humans": info["standings"].humans if info["standings"] else None, "lite": lite}
    if as_json:
        print_json(doc)
        return
    kind = "interactive" if p.interactive else "batch"
    ranked = f"standings of {doc['humans']} humans" if doc["standings"] else "no standings"
    err.print(
        f"imported ALE-Bench problem [bold]{p.id}[/] into {p.path} ({kind}, {p.objective}, "
        f"{len(info['public'])} public and {len(info['private'])} private seeds{' (lite)' if lite else ''}, {ranked}); "
        f"next: ale judge {p.id} SOLUTION, then ale rank {p.id} RUN",
        highlight=False,
    )


@app.command("import")
def import_cmd(
    source: Path = typer.Argument(..., help="The contest's tools folder or tools zip (Rust source), or an ALE-Bench problem folder or zip"),
    pid: Optional[str] = typer.Option(None, "--id", help="Problem id: lowercase letters, digits and '-' (ALE-Bench: default its problem_id)"),
    statement: Optional[Path] = typer.Option(None, "--statement", help="The contest statement, saved as text or markdown (not for ALE-Bench folders)"),
    objective: Optional[str] = typer.Option(None, "--objective", help="max or min (default: read from the statement)"),
    time_limit: float = typer.Option(2.0, "--time-limit", min=0.01, help="Seconds per case"),
    memory_limit: int = typer.Option(1024, "--memory-limit", min=1, help="MiB per case"),
    interactive: Optional[bool] = typer.Option(None, "--interactive/--batch", help="Default: interactive when the tools have a tester"),
    title: Optional[str] = typer.Option(None, "--title", help="Default: the statement's first heading"),
    baseline: Optional[Path] = typer.Option(None, "--baseline", help="A starting solution (.py, .cpp or .rs) to ship"),
    dest: Path = typer.Option(Path("problems"), "--dest", help="Folder to create the package in"),
    link: bool = typer.Option(False, "--link", help="Refer to the tools folder where it is instead of copying it"),
    lite: bool = typer.Option(False, "--lite", help="ALE-Bench folders: the lite seeds and standings"),
    as_json: bool = typer.Option(False, "--json"),
):
    """Make a problem package from an AtCoder Heuristic Contest's official tools and statement, or from
    a problem folder of the ALE-Bench dataset (statement, tools, seeds and the humans' standings)."""
    import shutil
    import tempfile

    import yaml

    from judge import languages, load_problem
    from judge.problem import ID_RE

    with user_errors():
        if _alebench_root(source) is not None or (source.is_file() and _zip_has_data_json(source)):
            if statement is not None or link:
                raise UserError(f"{source} is an ALE-Bench problem folder: its statement and tools are imported from it; drop --statement/--link", 2)
            return _import_alebench(source, pid, lite, baseline, dest, as_json)
        if lite:
            raise UserError(f"--lite is for ALE-Bench problem folders (with data.json); {source} has none")
        if pid is None or statement is None:
            raise UserError(f"{source}: not an ALE-Bench problem folder (no data.json), so give --id and --statement for the official tools", 2)
        if not ID_RE.match(pid):
            raise UserError(f"--id '{pid}': use lowercase letters, digits and '-', e.g. ahc030")
        if not source.exists():
            raise UserError(f"{source}: no such tools folder or zip")
        if not statement.is_file() or not statement.read_text(encoding="utf-8", errors="replace").strip():
            raise UserError(f"{statement}: statement file missing or empty; save the contest's statement to a file first")
        if baseline is not None and (not baseline.is_file() or not languages.is_solution(baseline)):
            raise UserError(f"{baseline}: --baseline must be an existing solution file ending in {languages.suffix_list()}")
        if objective is not None and objective not in ("max", "min", "maximize", "minimize"):
            raise UserError(f"--objective '{objective}': use max or min")
        pkg = dest / pid
        if pkg.exists():
            raise UserError(f"{pkg} already exists; choose another --id or remove it")
        text = statement.read_text(encoding="utf-8", errors="replace")
        obj = {"max": "maximize", "min": "minimize"}.get(objective or "", objective) or _guess_objective(text, statement)
        with tempfile.TemporaryDirectory(prefix="ale-import-") as tmp:
            if source.is_file():
                if link:
                    raise UserError("--link needs a tools folder, not a zip")
                _unzip(source, Path(tmp))
                crate = _find_crate(Path(tmp))
            else:
                crate = source if (source / "Cargo.toml").is_file() else _find_crate(source)
            if crate is None:
                raise UserError(f"{source}: no Cargo.toml inside; give the tools' Rust source (folder or zip), not a Windows build")
            is_interactive = _has_tester(crate) if interactive is None else interactive
            heading = next((ln.lstrip("#").strip() for ln in text.splitlines() if ln.strip()), "")
            meta = {
                "id": pid, "title": title or heading[:80] or pid, "objective": obj, "time_limit": time_limit,
                "memory_limit": memory_limit, "interactive": is_interactive, "partial_score": True,
                "seeds": {"public": [0, 49], "private": [1000, 1149]}, "tags": ["ahc"],
                "tools": str(crate.resolve()) if link else "tools",
            }
            def fill(pkg: Path) -> None:
                if not link:
                    _copy_tools(crate, pkg / "tools")
                (pkg / "statement.md").write_text(text, encoding="utf-8")

            p = _new_package(pkg, meta, baseline, fill)
        doc = _summary(p)
        if as_json:
            print_json(doc)
            return
        kind = "interactive" if p.interactive else "batch"
        err.print(
            f"imported [bold]{p.id}[/] into {p.path} ({kind}, {p.objective}, tools {'linked' if link else 'copied'}); "
            f"check problem.yaml, then: ale judge {p.id} SOLUTION",
            highlight=False,
        )
