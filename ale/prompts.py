"""The words sent to models: one stable system prefix, then a short role-specific message.

The system prefix (instructions, language guidance, statement, lessons) is the same
for draft, refine and distil calls on one problem, so providers that cache prompt
prefixes pay for it once; everything that changes per call goes in the user message.
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

from ale.providers.base import Context
from judge import languages

LESSON_KINDS = ("technique", "pitfall", "parameter", "insight")
LESSON_SCOPES = ("problem", "tags", "global")


@dataclass
class Prompt:
    """System blocks as (text, cacheable) pairs, then chat messages ({role, content})."""

    system: list[tuple[str, bool]]
    messages: list[dict] = field(default_factory=list)

    def to_json(self) -> str:
        """The request as the store records it (and replay matches on)."""
        return json.dumps({"system": [t for t, _ in self.system], "messages": self.messages}, ensure_ascii=False)


INSTRUCTIONS = """\
You are an expert competitive programmer working on an AtCoder Heuristic Contest (AHC) style
optimisation problem. Your programs are judged on many seeds; the score of each case counts, and a
case that is wrong, crashes or exceeds the time limit is worth nothing. Write robust, fast code that
uses the whole time limit to improve its answer, and always prints a valid answer."""

def language_guidance() -> str:
    """What models are told about each language: one place, judge/languages.py (AOT numba included)."""
    from judge.languages import guidance

    return guidance()


def system_blocks(ctx: Context) -> list[tuple[str, bool]]:
    """The stable prefix; the statement and the lessons each end a cacheable block."""
    limits = (
        f"Problem `{ctx.problem_id}`: objective {ctx.objective} the score; time limit {ctx.time_limit:g} s "
        f"per case; memory limit {ctx.memory_limit} MiB; tags: {', '.join(ctx.tags) or 'none'}."
    )
    blocks = [
        (f"{INSTRUCTIONS}\n\n{language_guidance()}\n\n{limits}\n\n# Statement\n\n{ctx.statement.strip()}\n", True),
    ]
    lessons = render_lessons(ctx.lessons)
    if lessons:
        blocks.append((f"# Domain knowledge and lessons from earlier attempts\n\n{lessons}\n", True))
    return blocks


def render_lessons(lessons: list) -> str:
    lines = []
    for lesson in lessons:
        get = (lambda k, d=None: lesson.get(k, d)) if isinstance(lesson, dict) else (lambda k, d=None: getattr(lesson, k, d))
        conf = get("confidence")
        tail = f" (confidence {conf:.2f})" if isinstance(conf, (int, float)) else ""
        lines.append(f"- [{get('kind', 'insight')}] {str(get('text', '')).strip()}{tail}")
    return "\n".join(lines)


def _fences() -> str:
    from judge.languages import LANGUAGES

    return " or ".join(f"```{lang.fence}" for lang in LANGUAGES)


ANSWER_WHOLE = (f"Answer with the complete program in one fenced code block ({_fences()}). Nothing may be\n"
                "left out: the block is saved and run as it is.")

ANSWER_EDIT = """\
Answer EITHER with the complete new program in one fenced code block, OR with one or more edit
blocks in this exact form (the SEARCH text must match the current program exactly, once):

<<<<<<< SEARCH
lines copied exactly from the current program
=======
the lines that replace them
>>>>>>> REPLACE

Before the code, say in one or two sentences what you change and why."""


def draft(ctx: Context) -> Prompt:
    """A new approach from the statement and lessons, told what the run already has."""
    starts = ""
    if ctx.solutions:
        name, src = next(iter(ctx.solutions.items()))
        starts = f"\n\nA simple valid baseline (`{name}`) you may start from:\n\n```\n{src.rstrip()}\n```"
    have = ""
    if ctx.approaches:
        have = ("\n\nThis run already has these approaches; write a different one:\n"
                + "\n".join(f"- {a}" for a in ctx.approaches))
    text = (
        "Write a strong first solution for this problem: a good constructive start, then a "
        f"time-limited improvement loop.{starts}{have}\n\n{ANSWER_WHOLE}"
    )
    return Prompt(system_blocks(ctx), [{"role": "user", "content": text}])


def parent_block(ctx: Context) -> tuple[str, bool]:
    """The parent program and its feedback: shared (and cached) by all its children and distils."""
    parent = ctx.parent or {}
    lang = parent.get("language") or "py"
    text = (
        f"# Current program (candidate {parent.get('id', '?')}, language {lang})\n\n"
        f"```{languages.get(lang).fence}\n{str(parent.get('source', '')).rstrip()}\n```\n\n"
        "Judge feedback on the public seeds:\n\n" + render_feedback(ctx.feedback, ctx.objective, ctx.time_limit) + "\n"
    )
    return text, True


def improve(ctx: Context) -> Prompt:
    """Edit a good parent to raise its score."""
    parts = []
    if ctx.tried:
        parts.append("Already tried from this program (do something different):\n" + "\n".join(f"- {t}" for t in ctx.tried))
    parts.append(f"Improve the score of the current program. {ANSWER_EDIT}")
    return Prompt(system_blocks(ctx) + [parent_block(ctx)], [{"role": "user", "content": "\n\n".join(parts)}])


refine = improve  # the operator's name before operators had names


def debug(ctx: Context) -> Prompt:
    """A failing parent, shown what failed: compiler message, tracebacks, WA messages, time against the limit."""
    parts = ["The current program fails on some seeds. What failed:\n\n" + render_failures(ctx.feedback, ctx.time_limit)]
    if ctx.tried:
        parts.append("Already tried from this program (do something different):\n" + "\n".join(f"- {t}" for t in ctx.tried))
    parts.append(f"Fix the program so that every seed is accepted within the limits. {ANSWER_EDIT}")
    return Prompt(system_blocks(ctx) + [parent_block(ctx)], [{"role": "user", "content": "\n\n".join(parts)}])


def crossover(ctx: Context) -> Prompt:
    """Two strong programs of different lineages, combined into one."""
    other = ctx.other or {}
    lang = other.get("language") or "py"
    text = (
        f"A second strong program (candidate {other.get('id', '?')}, another lineage, public mean "
        f"{other.get('public_mean')}):\n\n```{languages.get(lang).fence}\n{str(other.get('source', '')).rstrip()}\n```\n\n"
        "Combine the strengths of the current program and this one into a single program that scores "
        f"better than both. {ANSWER_WHOLE}"
    )
    return Prompt(system_blocks(ctx) + [parent_block(ctx)], [{"role": "user", "content": text}])


def for_operator(op: str, ctx: Context) -> Prompt:
    return {"draft": draft, "improve": improve, "debug": debug, "crossover": crossover}[op](ctx)


def rejected_retry(prompt: Prompt, answer: str, reason: str) -> Prompt:
    """The same conversation plus the rejected answer and the guard's (or reviewer's) reason."""
    ask = (f"Your program was rejected before judging: {reason}. Programs may read only standard input and "
           f"must not use files, environment variables (except ALE_WARMUP), sockets, subprocesses, answer "
           f"tables keyed by input, or detect the judge. Send the complete corrected program. {ANSWER_WHOLE}")
    messages = prompt.messages + [{"role": "assistant", "content": answer}, {"role": "user", "content": ask}]
    return Prompt(prompt.system, messages)


def review(ctx: Context, source: str, language: str) -> Prompt:
    """Ask a reviewer whether a program keeps to the statement's rules before it is judged."""
    text = (
        f"Review this program before it is judged:\n\n```{languages.get(language).fence}\n{source.rstrip()}\n```\n\n"
        "Does it break the statement's constraints or the contest's rules (reading anything but standard "
        "input, hard-coded answers for particular inputs, detecting the judge, ignoring the output format)? "
        "Reply with exactly `OK` on the first line, or `REJECT: <one-line reason>`."
    )
    return Prompt(system_blocks(ctx), [{"role": "user", "content": text}])


def parse_review(text: str) -> str | None:
    """None when the reviewer accepts; else its reason."""
    first = text.strip().splitlines()[0].strip() if text.strip() else ""
    if first.upper().startswith("REJECT"):
        return first.split(":", 1)[1].strip() if ":" in first else "rejected by the reviewer"
    return None


def whole_file_retry(prompt: Prompt, answer: str, reason: str) -> Prompt:
    """The same conversation plus the failed answer and a request for the whole file."""
    ask = f"Your edit could not be applied: {reason}. Send the complete new program instead. {ANSWER_WHOLE}"
    messages = prompt.messages + [{"role": "assistant", "content": answer}, {"role": "user", "content": ask}]
    return Prompt(prompt.system, messages)


def render_feedback(feedback: dict | None, objective: str = "maximize", time_limit: float = 0.0) -> str:
    """Mean, per-seed scores and relative scores, worst seeds, messages, time and stderr tail."""
    if not feedback:
        return "(no feedback)"
    cases = feedback.get("cases") or []
    lines = [f"mean score {feedback.get('mean')}; all accepted: {feedback.get('accepted')}"]
    if feedback.get("stopped"):
        lines.append(f"stopped early by racing: {feedback['stopped']}")
    if cases:
        times = [c.get("time") or 0.0 for c in cases]
        lines.append(f"time used: max {max(times):.2f} s, mean {sum(times) / len(times):.2f} s (limit {time_limit:g} s)")
        lines.append("seed  verdict  score  relative  time")
        for c in cases:
            lines.append(f"{c.get('seed')}  {c.get('verdict')}  {c.get('score')}  {_fmt(c.get('relative'))}  {_fmt(c.get('time'))}")
        worst = sorted(cases, key=lambda c: (c.get("verdict") == "AC", c.get("relative") if c.get("relative") is not None else 0.0))[:3]
        lines.append("worst seeds: " + ", ".join(str(c.get("seed")) for c in worst))
        msgs = [f"seed {c.get('seed')}: {c.get('verdict')} {c.get('message')}" for c in cases if c.get("message")]
        if msgs:
            lines.append("messages:\n" + "\n".join(msgs[:8]))
    if feedback.get("stderr_tail"):
        lines.append("stderr (tail):\n" + str(feedback["stderr_tail"])[-1500:])
    return "\n".join(lines)


def render_failures(feedback: dict | None, time_limit: float = 0.0) -> str:
    """Per failing seed: the verdict with what explains it (compiler message, traceback or stderr
    tail, the scorer's WA message, time used against the limit and the input size for TLE)."""
    feedback = feedback or {}
    comp = feedback.get("compile") or {}
    lines = []
    if comp and not comp.get("ok", True):
        lines.append("Compilation failed. Compiler message:\n" + str(comp.get("message") or "").strip()[-3000:])
        return "\n".join(lines)
    for f in (feedback.get("failures") or [])[:4]:
        v = f.get("verdict")
        head = f"seed {f.get('seed')}: {v}"
        if v in ("TLE",):
            head += f" (time {f.get('time') or 0:.2f} s, limit {time_limit:g} s"
            head += f"; input {f['input']})" if f.get("input") else ")"
        elif f.get("message"):
            head += f": {f['message']}"
        lines.append(head)
        log = str(f.get("log") or "").strip()
        if log:
            lines.append("stderr / traceback (tail):\n" + log[-1500:])
    if not lines:
        lines.append(render_feedback(feedback, time_limit=time_limit))
    return "\n".join(lines)


def _fmt(x) -> str:
    return f"{x:.3f}" if isinstance(x, float) else str(x)


LESSON_SCHEMA = """\
[{"kind": "technique|pitfall|parameter|insight",
  "text": "one specific, reusable sentence (numbers and names welcome)",
  "scope": "problem|tags|global",
  "tags": ["short", "keywords"],
  "confidence": 0.0-1.0}]"""


def distil(ctx: Context, child: dict, child_feedback: dict) -> Prompt:
    parent = ctx.parent or {}
    diff = "".join(
        difflib.unified_diff(
            str(parent.get("source", "")).splitlines(keepends=True),
            str(child.get("source", "")).splitlines(keepends=True),
            f"parent-{parent.get('id', '?')}",
            f"child-{child.get('id', '?')}",
        )
    )
    text = (
        "A child program was made from the current program and judged. Learn from it.\n\n"
        f"Diff (current program -> child):\n```diff\n{diff.rstrip() or '(identical)'}\n```\n\n"
        f"Child feedback:\n{render_feedback(child_feedback, ctx.objective, ctx.time_limit)}\n\n"
        "Return the lessons worth keeping for later attempts (0 to 3) as a JSON array and nothing else:\n"
        f"{LESSON_SCHEMA}\n"
        "Scope `problem` is for this problem only, `tags` for problems sharing its tags, `global` for any."
    )
    return Prompt(system_blocks(ctx) + [parent_block(ctx)], [{"role": "user", "content": text}])


def distil_retry(prompt: Prompt, answer: str, reason: str) -> Prompt:
    ask = f"That was not valid: {reason}. Reply with only the JSON array, matching:\n{LESSON_SCHEMA}"
    return Prompt(prompt.system, prompt.messages + [{"role": "assistant", "content": answer}, {"role": "user", "content": ask}])


def parse_lessons(text: str) -> list[dict]:
    """Validated lesson dicts from a model's JSON answer; ValueError says what is wrong."""
    body = text.strip()
    if body.startswith("```"):
        body = body.split("\n", 1)[1] if "\n" in body else ""
        body = body.rsplit("```", 1)[0]
    start = min([i for i in (body.find("["), body.find("{")) if i >= 0], default=-1)
    if start < 0:
        raise ValueError("no JSON in the answer")
    try:
        data = json.loads(body[start:])
    except json.JSONDecodeError as e:
        raise ValueError(f"invalid JSON ({e.msg} at char {e.pos})") from None
    if isinstance(data, dict):
        data = data.get("lessons", [data] if "kind" in data else None)
    if not isinstance(data, list):
        raise ValueError("expected a JSON array of lessons")
    out = []
    for n, item in enumerate(data, 1):
        if not isinstance(item, dict):
            raise ValueError(f"lesson {n} is not an object")
        kind, text_ = item.get("kind"), item.get("text")
        if kind not in LESSON_KINDS:
            raise ValueError(f"lesson {n}: kind must be one of {', '.join(LESSON_KINDS)}")
        if not isinstance(text_, str) or not text_.strip():
            raise ValueError(f"lesson {n}: text must be a non-empty string")
        scope = item.get("scope", "problem")
        if scope not in LESSON_SCOPES:
            raise ValueError(f"lesson {n}: scope must be one of {', '.join(LESSON_SCOPES)}")
        tags = item.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
            raise ValueError(f"lesson {n}: tags must be a list of strings")
        conf = item.get("confidence", 0.5)
        if not isinstance(conf, (int, float)) or not 0.0 <= conf <= 1.0:
            raise ValueError(f"lesson {n}: confidence must be a number between 0 and 1")
        out.append({"kind": kind, "text": text_.strip(), "scope": scope, "tags": tags, "confidence": float(conf)})
    return out
