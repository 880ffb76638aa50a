"""Turn a model's answer into a source file: a whole file in a fence, or SEARCH/REPLACE edits.

Models answer in two shapes. A whole file is robust but costs output tokens; edit
blocks (aider-style) are cheap but fail when the SEARCH text is not in the parent.
This module never guesses silently: an edit that cannot be placed exactly once is
an `EditError` with a reason the model can be shown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from judge import languages

FENCE_OPEN = re.compile(r"^(`{3,}|~{3,})\s*([\w+#.-]*)[^\n]*$")
SEARCH_RE = re.compile(r"^\s*<{5,9}\s*SEARCH\s*$")
DIVIDER_RE = re.compile(r"^\s*={5,9}\s*$")
REPLACE_RE = re.compile(r"^\s*>{5,9}\s*REPLACE\s*$")

LANGS = {tag: lang.id for tag, lang in languages.BY_FENCE.items()}  # fence tag -> language id


class EditError(Exception):
    """The answer cannot become a source file; the message says why, for the model to read."""


class Truncated(EditError):
    """The answer stops in the middle (unterminated fence or edit block)."""


@dataclass
class Edit:
    search: str
    replace: str


@dataclass
class Answer:
    """What a model's text turned into: a whole file or a list of edits."""

    kind: str  # whole | edit
    source: str | None = None
    language: str | None = None
    edits: list[Edit] | None = None


def fenced_blocks(text: str) -> list[tuple[str, str]]:
    """All fenced blocks as (language tag, body); an unterminated fence raises Truncated."""
    blocks = []
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        m = FENCE_OPEN.match(lines[i].strip())
        if not m:
            i += 1
            continue
        fence, tag = m.group(1), m.group(2).lower()
        body = []
        i += 1
        while i < len(lines) and not _closes(lines[i], fence):
            body.append(lines[i])
            i += 1
        if i >= len(lines):
            raise Truncated("the answer ends inside an unterminated code fence (truncated?)")
        blocks.append((tag, "\n".join(body) + "\n"))
        i += 1
    return blocks


def _closes(line: str, fence: str) -> bool:
    s = line.strip()
    return len(s) >= len(fence) and set(s) == {fence[0]}


def guess_language(source: str, tag: str = "", default: str | None = None) -> str | None:
    """Language from the fence tag, else from the code itself, else `default`."""
    if tag in LANGS:
        return LANGS[tag]
    lang = languages.guess(source)
    return lang.id if lang else default


def parse_edits(text: str) -> list[Edit]:
    """SEARCH/REPLACE blocks, in order, wherever they appear (inside fences or not)."""
    edits = []
    state, search, replace = None, [], []
    for line in text.split("\n"):
        if state is None:
            if SEARCH_RE.match(line):
                state, search, replace = "search", [], []
        elif state == "search":
            if DIVIDER_RE.match(line):
                state = "replace"
            elif SEARCH_RE.match(line) or REPLACE_RE.match(line):
                raise EditError("malformed edit block: expected ======= between SEARCH and REPLACE")
            else:
                search.append(line)
        elif state == "replace":
            if REPLACE_RE.match(line):
                edits.append(Edit(_joined(search), _joined(replace)))
                state = None
            elif SEARCH_RE.match(line):
                raise EditError("malformed edit block: SEARCH inside a REPLACE section")
            else:
                replace.append(line)
    if state is not None:
        raise Truncated("the answer ends inside a SEARCH/REPLACE block (truncated?)")
    return edits


def _joined(lines: list[str]) -> str:
    return "\n".join(lines) + "\n" if lines else ""


def parse_answer(text: str, default_language: str | None = None) -> Answer:
    """Edits if there are SEARCH/REPLACE blocks, else the largest fenced code block."""
    if not text or not text.strip():
        raise EditError("empty answer")
    edits = parse_edits(text)
    if edits:
        return Answer("edit", edits=edits)
    blocks = [(tag, body) for tag, body in fenced_blocks(text) if body.strip()]
    if not blocks:
        raise EditError("no fenced code block and no SEARCH/REPLACE block in the answer")
    coded = [b for b in blocks if b[0] in LANGS] or blocks
    tag, body = max(coded, key=lambda b: len(b[1]))
    return Answer("whole", source=body, language=guess_language(body, tag, default_language))


def apply_edits(source: str, edits: list[Edit]) -> str:
    """Apply each edit in order; each SEARCH must match exactly one place.

    Matching tries the exact text first, then ignores trailing whitespace, then
    ignores a uniform change of indentation (re-indenting the replacement to match).
    """
    for n, edit in enumerate(edits, 1):
        if not edit.search.strip():
            raise EditError(f"edit block {n}: the SEARCH section is empty")
        try:
            source = _apply_one(source, edit)
        except EditError as e:
            raise EditError(f"edit block {n}: {e}") from None
    return source


def _apply_one(source: str, edit: Edit) -> str:
    count = source.count(edit.search)
    if count == 1:
        return source.replace(edit.search, edit.replace, 1)
    if count > 1:
        raise EditError(f"the SEARCH text matches {count} places; include more surrounding lines")
    lines = source.split("\n")
    had_final_newline = source.endswith("\n")
    if had_final_newline:
        lines = lines[:-1]
    want = edit.search.rstrip("\n").split("\n")
    repl = edit.replace.rstrip("\n").split("\n") if edit.replace else []
    for loose in (False, True):
        hits = [i for i in range(len(lines) - len(want) + 1) if _match(lines[i : i + len(want)], want, loose)]
        if len(hits) > 1:
            raise EditError(f"the SEARCH text matches {len(hits)} places; include more surrounding lines")
        if hits:
            i = hits[0]
            new = _reindent(repl, lines[i : i + len(want)], want) if loose else repl
            lines[i : i + len(want)] = new
            return "\n".join(lines) + ("\n" if had_final_newline else "")
    first = next((w for w in want if w.strip()), "")
    raise EditError(f"the SEARCH text was not found in the parent (first line: {first.strip()[:80]!r})")


def _match(have: list[str], want: list[str], loose: bool) -> bool:
    if not loose:
        return all(h.rstrip() == w.rstrip() for h, w in zip(have, want))
    if any(h.strip() != w.strip() for h, w in zip(have, want)):
        return False
    shifts = {_indent(h) - _indent(w) for h, w in zip(have, want) if w.strip()}
    return len(shifts) <= 1


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _reindent(repl: list[str], have: list[str], want: list[str]) -> list[str]:
    shift = next((_indent(h) - _indent(w) for h, w in zip(have, want) if w.strip()), 0)
    pad = " " * max(shift, 0)
    out = []
    for line in repl:
        if not line.strip():
            out.append(line)
        elif shift >= 0:
            out.append(pad + line)
        else:
            cut = min(-shift, _indent(line))
            out.append(line[cut:])
    return out
