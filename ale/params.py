"""`ale: param` lines: tunable constants marked in a solution's source (see docs/problem-format.md).

    T_START = 2000.0        # ale: param float 1 100000 log
    constexpr int ITERS = 300000;  // ale: param int 1000 5000000 log
    MOVE = "two_opt"        # ale: param choice two_opt or_opt swap

Tools rewrite only the literal on such a line, so everything else stays byte for byte.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from judge import languages

MARK = re.compile("(" + "|".join(sorted({re.escape(lang.comment) for lang in languages.LANGUAGES})) + r")\s*ale:\s*param\b(?P<spec>.*)$")
ASSIGN = re.compile(r"(?P<name>[A-Za-z_]\w*)\s*(?::\s*[\w\[\], ]+)?=\s*(?P<lit>\"[^\"]*\"|'[^']*'|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)")


class ParamError(ValueError):
    """A malformed `ale: param` line; the message names the line."""


@dataclass
class Param:
    name: str
    kind: str  # float | int | choice
    lo: float | None = None
    hi: float | None = None
    log: bool = False
    choices: tuple[str, ...] = ()
    value: object = None
    line: int = 0  # 1-based

    def clip(self, v):
        if self.kind == "choice":
            return v if v in self.choices else self.choices[0]
        v = min(max(v, self.lo), self.hi)
        return int(round(v)) if self.kind == "int" else float(v)


def _literal(text: str):
    if text[0] in "\"'":
        return text[1:-1]
    return float(text) if any(c in text for c in ".eE") else int(text)


def parse_params(source: str) -> list[Param]:
    """Every marked parameter with its current value; ParamError names a bad line."""
    out = []
    for no, line in enumerate(source.splitlines(), 1):
        m = MARK.search(line)
        if not m:
            continue
        code = line[: m.start()]
        assigns = list(ASSIGN.finditer(code))
        if not assigns:
            raise ParamError(f"line {no}: 'ale: param' on a line with no `NAME = literal`")
        a = assigns[-1]
        spec = m.group("spec").split()
        if not spec or spec[0] not in ("float", "int", "choice"):
            raise ParamError(f"line {no}: param kind must be float, int or choice")
        kind = spec[0]
        p = Param(a.group("name"), kind, value=_literal(a.group("lit")), line=no)
        if kind == "choice":
            if len(spec) < 2:
                raise ParamError(f"line {no}: choice needs at least one value")
            p.choices = tuple(spec[1:])
        else:
            try:
                p.lo, p.hi = float(spec[1]), float(spec[2])
            except (IndexError, ValueError):
                raise ParamError(f"line {no}: {kind} needs LO HI, e.g. '# ale: param {kind} 1 100'") from None
            p.log = len(spec) > 3 and spec[3] == "log"
            if p.lo > p.hi or (p.log and p.lo <= 0):
                raise ParamError(f"line {no}: bad range {spec[1]}..{spec[2]} for {p.name}")
        out.append(p)
    return out


def _format(p: Param, old_literal: str, value) -> str:
    if p.kind == "choice":
        q = old_literal[0] if old_literal[0] in "\"'" else '"'
        return f"{q}{value}{q}"
    if p.kind == "int":
        return str(int(value))
    v = float(value)
    text = f"{v:.4g}"
    if "e" not in text and "." not in text:
        text += ".0"
    return text


def apply_params(source: str, values: dict) -> str:
    """The source with the literals of the named parameters replaced; nothing else changes."""
    params = {p.name: p for p in parse_params(source)}
    lines = source.splitlines(keepends=True)
    for name, value in values.items():
        p = params.get(name)
        if p is None:
            continue
        line = lines[p.line - 1]
        m = MARK.search(line)
        a = list(ASSIGN.finditer(line[: m.start()]))[-1]
        lit = a.group("lit")
        lines[p.line - 1] = line[: a.start("lit")] + _format(p, lit, p.clip(value)) + line[a.end("lit"):]
    return "".join(lines)


def values(source: str) -> dict:
    return {p.name: p.value for p in parse_params(source)}


def rounded(p: Param, v):
    """Values with few significant digits keep sources readable and make the taboo list bite."""
    if p.kind == "choice":
        return v
    if p.kind == "int":
        v = int(round(v))
        if abs(v) >= 100:
            mag = 10 ** (int(math.log10(abs(v))) - 2)
            v = int(round(v / mag) * mag)
        return p.clip(v)
    return p.clip(float(f"{v:.3g}"))


def check_fixed(fixed: dict, sources: dict[str, str]) -> dict:
    """`--fix NAME=VALUE` pins checked against the `ale: param` lines of the starting files.

    `sources` maps a file name to its text. Returns the pins with values of the parameter's type;
    raises ValueError naming the pin, the file and line, and what is allowed: an unknown name, a
    value of the wrong type or one outside the declared range would otherwise be clamped or
    crash mid-run.
    """
    declared: dict[str, list[tuple[str, Param]]] = {}
    for fname, text in sources.items():
        try:
            ps = parse_params(text)
        except ParamError as e:
            raise ValueError(f"{fname}: {e}") from None
        for p in ps:
            declared.setdefault(p.name, []).append((fname, p))
    out = {}
    for name, value in fixed.items():
        if name not in declared:
            known = ", ".join(sorted(declared)) or "none"
            raise ValueError(f"--fix {name}: no `ale: param` line declares {name} in {', '.join(sources) or 'the starting files'}"
                             f" (parameters: {known})")
        for fname, p in declared[name]:
            where = f"{fname} line {p.line}"
            if p.kind == "choice":
                if str(value) not in p.choices:
                    raise ValueError(f"--fix {name}={value}: {where} allows {' '.join(p.choices)}")
                out[name] = str(value)
                continue
            if isinstance(value, str) or isinstance(value, bool):
                raise ValueError(f"--fix {name}={value}: {where} declares a {p.kind}; give a number, e.g. {name}={p.value}")
            if p.kind == "int" and float(value) != int(value):
                raise ValueError(f"--fix {name}={value}: {where} declares an int; give a whole number")
            if not p.lo <= value <= p.hi:
                raise ValueError(f"--fix {name}={value}: out of range; {where} allows {p.lo:g} to {p.hi:g}")
            out[name] = int(value) if p.kind == "int" else float(value)
    return out
