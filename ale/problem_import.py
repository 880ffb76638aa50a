"""Make a problem package from a contest's official tools or from an ALE-Bench problem folder.

What `ale problems import` does, callable without the CLI: each function checks its inputs,
writes problem.yaml, the tools, the statement (and for ALE-Bench the seeds and the humans'
standings) into `dest/<id>/`, and returns the loaded package. A mistake is a ProblemError with one
line naming the file and the fix; a failure leaves no half-written package behind.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path

from judge.errors import ProblemError

OFFICIAL_SEEDS = {"public": [0, 49], "private": [1000, 1149]}  # the seeds of an official-tools package


def is_alebench(source: Path) -> bool:
    """An ALE-Bench problem folder (or a zip of one): it has data.json."""
    from ale.alebench import find_root

    if source.is_dir():
        return find_root(source) is not None
    if source.is_file():
        try:
            with zipfile.ZipFile(source) as z:
                return any(n == "data.json" or n.endswith("/data.json") for n in z.namelist())
        except (zipfile.BadZipFile, OSError):
            return False
    return False


def import_alebench(source: Path, dest: Path, *, pid: str | None = None, lite: bool = False,
                    baseline: Path | None = None):
    """A package from an ALE-Bench problem folder or zip: (the Problem, what alebench.read found)."""
    from ale import alebench
    from judge.problem import ID_RE

    _check_baseline(baseline)
    with tempfile.TemporaryDirectory(prefix="ale-import-") as tmp:
        if source.is_file():
            unzip(source, Path(tmp))
            root = alebench.find_root(Path(tmp))
            if root is None:
                raise ProblemError(f"{source}: the zip holds no single problem folder with data.json")
        else:
            root = alebench.find_root(source)
        info = alebench.read(root, lite=lite)
        pid = pid or info["id"]
        if not ID_RE.match(pid):
            raise ProblemError(f"problem id '{pid}': use lowercase letters, digits and '-'; pass --id")
        pkg = _free(dest / pid)
        public, private, _ = alebench.numbering(info["public"], info["private"])
        meta = {
            "id": pid, "title": info["title"], "objective": info["objective"], "time_limit": info["time_limit"],
            "memory_limit": info["memory_limit"], "interactive": info["interactive"], "partial_score": info["partial_score"],
            "seeds": {"public": list(public), "private": list(private)}, "tags": ["ahc", "ale-bench"] + (["lite"] if lite else []),
            "tools": "tools",
        }

        def fill(pkg: Path) -> None:
            copy_tools(root / "tools", pkg / "tools")
            alebench.write(info, root, pkg)

        return new_package(pkg, meta, baseline, fill), info


def import_official(source: Path, statement: Path, dest: Path, *, pid: str, objective: str | None = None,
                    time_limit: float = 2.0, memory_limit: int = 1024, interactive: bool | None = None,
                    title: str | None = None, baseline: Path | None = None, link: bool = False):
    """A package around a contest's official tools (folder or zip of the Rust crate) and its statement.

    `objective` is maximize/minimize (or max/min), else read from the statement; `interactive`
    defaults to whether the tools have a tester; `link` refers to the tools folder instead of copying it."""
    from judge.problem import ID_RE

    if not ID_RE.match(pid):
        raise ProblemError(f"--id '{pid}': use lowercase letters, digits and '-', e.g. ahc030")
    if not source.exists():
        raise ProblemError(f"{source}: no such tools folder or zip")
    if not statement.is_file() or not statement.read_text(encoding="utf-8", errors="replace").strip():
        raise ProblemError(f"{statement}: statement file missing or empty; save the contest's statement to a file first")
    _check_baseline(baseline)
    if objective is not None and objective not in ("max", "min", "maximize", "minimize"):
        raise ProblemError(f"--objective '{objective}': use max or min")
    pkg = _free(dest / pid)
    text = statement.read_text(encoding="utf-8", errors="replace")
    obj = {"max": "maximize", "min": "minimize"}.get(objective or "", objective) or guess_objective(text, statement)
    with tempfile.TemporaryDirectory(prefix="ale-import-") as tmp:
        if source.is_file():
            if link:
                raise ProblemError("--link needs a tools folder, not a zip")
            unzip(source, Path(tmp))
            crate = find_crate(Path(tmp))
        else:
            crate = source if (source / "Cargo.toml").is_file() else find_crate(source)
        if crate is None:
            raise ProblemError(f"{source}: no Cargo.toml inside; give the tools' Rust source (folder or zip), not a Windows build")
        heading = next((ln.lstrip("#").strip() for ln in text.splitlines() if ln.strip()), "")
        meta = {
            "id": pid, "title": title or heading[:80] or pid, "objective": obj, "time_limit": time_limit,
            "memory_limit": memory_limit, "interactive": has_tester(crate) if interactive is None else interactive,
            "partial_score": True, "seeds": {k: list(v) for k, v in OFFICIAL_SEEDS.items()}, "tags": ["ahc"],
            "tools": str(crate.resolve()) if link else "tools",
        }

        def fill(pkg: Path) -> None:
            if not link:
                copy_tools(crate, pkg / "tools")
            (pkg / "statement.md").write_text(text, encoding="utf-8")

        return new_package(pkg, meta, baseline, fill)


def new_package(pkg: Path, meta: dict, baseline: Path | None, fill):
    """Write a new package: `fill` adds its own files, then problem.yaml (`meta`), solutions/ with
    the baseline; load it. A failure (or a package that does not load) leaves no half package."""
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


def _free(pkg: Path) -> Path:
    if pkg.exists():
        raise ProblemError(f"{pkg} already exists; choose another --id or remove it")
    return pkg


def _check_baseline(baseline: Path | None) -> None:
    from judge import languages

    if baseline is not None and (not baseline.is_file() or not languages.is_solution(baseline)):
        raise ProblemError(f"{baseline}: --baseline must be an existing solution file ending in {languages.suffix_list()}")


def find_crate(root: Path) -> Path | None:
    """The shallowest folder under `root` holding Cargo.toml (official zips wrap it in tools/)."""
    found = sorted((p.parent for p in root.rglob("Cargo.toml") if "target" not in p.parts), key=lambda p: len(p.parts))
    return found[0] if found else None


def unzip(zpath: Path, into: Path) -> None:
    """Extract a zip, refusing paths that leave `into` and keeping executable bits."""
    try:
        with zipfile.ZipFile(zpath) as z:
            for info in z.infolist():
                target = (into / info.filename).resolve()
                if not target.is_relative_to(into.resolve()):
                    raise ProblemError(f"{zpath}: unsafe path '{info.filename}' in the zip; not extracting it")
                z.extract(info, into)
                mode = info.external_attr >> 16
                if mode & 0o111 and target.is_file():
                    target.chmod(target.stat().st_mode | 0o111)
    except zipfile.BadZipFile:
        raise ProblemError(f"{zpath}: not a zip file; give the tools folder or the tools zip from the contest page") from None


def guess_objective(statement: str, source: Path) -> str:
    """maximize or minimize, when the statement says only one of them."""
    low = statement.lower()
    mx = len(re.findall(r"maximi[sz]", low)) + statement.count("最大化")
    mn = len(re.findall(r"minimi[sz]", low)) + statement.count("最小化")
    if bool(mx) != bool(mn):
        return "maximize" if mx else "minimize"
    raise ProblemError(f"{source}: cannot tell from the statement whether the score is maximized or minimized; pass --objective max|min")


def has_tester(crate: Path) -> bool:
    """Interactive tools ship a tester (source, built binary or a [[bin]] entry)."""
    cargo_toml = (crate / "Cargo.toml").read_text(encoding="utf-8", errors="replace")
    return (
        (crate / "src" / "bin" / "tester.rs").is_file()
        or (crate / "target" / "release" / "tester").is_file()
        or 'name = "tester"' in cargo_toml
    )


def copy_tools(crate: Path, dest: Path) -> None:
    """The crate without target/, plus the binaries already built (so they are not rebuilt)."""
    shutil.copytree(crate, dest, ignore=lambda d, names: ["target"] if Path(d) == crate else [])
    for name in ("gen", "vis", "tester"):
        built = crate / "target" / "release" / name
        if built.is_file():
            (dest / "target" / "release").mkdir(parents=True, exist_ok=True)
            shutil.copy2(built, dest / "target" / "release" / name)
