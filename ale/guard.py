"""A static review of model-written programs before they are judged: no benchmark hacking.

The sandbox already stops a program from doing harm; this guard stops it from
scoring by cheating, as far as a reading of the source can: reading files other than stdin (a cached answer, the scorer,
the generator), environment variables (except ALE_WARMUP, which the prompts
recommend), sockets, subprocesses, answer tables keyed by input, or code that
detects the judge. A rejected program goes back to its model with the reasons.
"""

from __future__ import annotations

import re

# (pattern, reason); patterns run on the source without comments. A match inside a string literal
# is text, not code (`print("open(...) failed")`), and does not count, except for the rules in
# `_PATHS`, which are about what a string names.
_PATHS = ("/proc/",)
_PY = [
    (r"\bopen\s*\((?!\s*0\s*[,)])(?!\s*sys\.stdin)", "opens a file (only standard input may be read)"),
    (r"\b(?:io\.open|os\.open|pathlib|Path\s*\(|os\.listdir|os\.scandir|glob\.|os\.walk)\b", "reads the file system"),
    (r"\bos\.(?:environ|getenv)\b(?![^\n]*ALE_WARMUP)", "reads environment variables (only ALE_WARMUP is allowed)"),
    (r"\b(?:import\s+socket|from\s+socket\b|socket\.socket|urllib|http\.client|requests\b)", "opens network connections"),
    (r"\b(?:import\s+subprocess|from\s+subprocess\b|subprocess\.|os\.system|os\.popen|os\.exec\w*|os\.spawn\w*|os\.fork|pty\.)",
     "starts subprocesses"),
    # sys.argv only to take AtCoder's ONLINE_JUDGE compile phase (`if sys.argv[-1] == "ONLINE_JUDGE":`).
    (r"/proc/", "inspects its environment (detecting the judge)"),
    (r"\b(?:os\.getppid|psutil|sys\.argv(?![^\n]*ONLINE_JUDGE)|__file__|inspect\.stack|ctypes)",
     "inspects its environment (detecting the judge)"),
    (r"\b(?:hashlib|zlib\.crc32|hash\s*\(\s*(?:data|sys\.stdin|inp|input))", "hashes its input (an answer table keyed by input)"),
    # Code built from strings would hide from the rules above what it calls.
    (r"(?<![.\w])(?:exec|eval|compile|__import__)\s*\(|\bimportlib\.import_module\s*\(|\bgetattr\s*\(\s*(?:__builtins__|builtins)\b",
     "runs code built from strings (the review cannot see what it calls)"),
]
_CPP = [
    (r"\b(?:fopen|ifstream|ofstream|fstream|freopen|opendir|std::filesystem|open\s*\()", "opens a file (only standard input may be read)"),
    (r"\b(?:getenv|environ|secure_getenv)\b(?![^\n]*ALE_WARMUP)", "reads environment variables (only ALE_WARMUP is allowed)"),
    (r"\b(?:socket|connect|gethostbyname|getaddrinfo)\s*\(", "opens network connections"),
    (r"\b(?:system|popen|fork|execv\w*|execl\w*|posix_spawn\w*)\s*\(", "starts subprocesses"),
    (r"/proc/", "inspects its environment (detecting the judge)"),
    (r"(?:\bgetppid\s*\(|\bptrace\s*\()", "inspects its environment (detecting the judge)"),
    (r"\bstd::hash\s*<\s*std::string\s*>", "hashes its input (an answer table keyed by input)"),
]
_RS = [
    (r"\b(?:std::fs|fs::|File::open|File::create|OpenOptions|read_dir|read_to_string\s*\(\s*\")",
     "opens a file (only standard input may be read)"),
    (r"\b(?:env::var\w*|env::vars)\b", "reads environment variables"),
    (r"\b(?:std::net|TcpStream|UdpSocket)\b", "opens network connections"),
    (r"\b(?:process::Command|Command::new)\b", "starts subprocesses"),
    (r"/proc/", "inspects its environment (detecting the judge)"),
    (r"(?:\benv::args\b|\benv::current_exe\b)", "inspects its environment (detecting the judge)"),
]
RULES = {"cpp": _CPP, "rs": _RS}  # by language id (judge/languages.py); Python's otherwise
LOOKUP_MIN = 40  # string keys in one literal table before it looks like answers keyed by input


def check(source: str, language: str = "py") -> list[str]:
    """Reasons to reject `source` (empty when it may be judged)."""
    code, strings = _read(source, language)
    rules = RULES.get(language, _PY)
    reasons = []
    for pattern, reason in rules:
        in_text = pattern in _PATHS
        m = next((m for m in re.finditer(pattern, code) if in_text or not _inside(m.start(), strings)), None)
        if m and reason not in reasons:
            line = code.count("\n", 0, m.start()) + 1
            reasons.append(f"line {line}: {reason} (`{m.group(0).strip()}`)")
    table = _lookup_table(code)
    if table:
        reasons.append(table)
    return reasons


def _read(source: str, language: str) -> tuple[str, list[tuple[int, int]]]:
    """The source with comments blanked (same length, so a comment saying "do not read files" is no
    reason to reject and offsets and lines stay put), and the [start, end) offsets of its string
    literals, sorted: one tokenizer pass for Python."""
    if language in ("cpp", "rs"):  # `//` and `/* */` comments
        code = re.sub(r"/\*.*?\*/|//[^\n]*", lambda m: re.sub(r"[^\n]", " ", m.group(0)), source, flags=re.S)
        return code, [m.span() for m in re.finditer(r'"(?:\\.|[^"\\\n])*"' + r"|'(?:\\.|[^'\\\n])'", code)]
    import io
    import tokenize

    starts = [0]  # offset of each line
    for line in source.splitlines(keepends=True):
        starts.append(starts[-1] + len(line))
    offset = lambda pos: starts[pos[0] - 1] + pos[1]  # noqa: E731
    kinds = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING)}  # 3.12+: f-string text parts
    code, strings = list(source), []
    try:
        for t in tokenize.generate_tokens(io.StringIO(source).readline):
            if t.type == tokenize.COMMENT:
                code[offset(t.start):offset(t.end)] = " " * (offset(t.end) - offset(t.start))
            elif t.type in kinds:
                strings.append((offset(t.start), offset(t.end)))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return source, []  # not valid Python: judged as it is (it will fail to run anyway)
    return "".join(code), strings


def _inside(offset: int, spans: list[tuple[int, int]]) -> bool:
    import bisect

    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _lookup_table(code: str) -> str | None:
    """A literal mapping with many long string or big-number keys: precomputed answers by input."""
    keys = re.findall(r"""(?:["'][^"'\n]{16,}["']|\b\d{12,}\b)\s*[:,]\s*["'\[{(]""", code)
    if len(keys) >= LOOKUP_MIN:
        return f"holds a literal table of {len(keys)} long keys (answers keyed by input)"
    return None
