"""`ale keys set|list|path|delete`: manage API keys without putting them in ale.yaml or shell history."""

from __future__ import annotations

import os
import sys

import typer

from ale import keys
from ale.cli.common import EXIT_FAILED, EXIT_USAGE, UserError, out, print_json, user_errors

app = typer.Typer(help="Store API keys (file mode 0600); the environment always wins.", no_args_is_help=True)


def _read_hidden(prompt: str) -> str:
    """The key from a hidden prompt on a terminal, else the first line of stdin (no GetPassWarning)."""
    if sys.stdin is not None and sys.stdin.isatty():
        return typer.prompt(prompt, hide_input=True)
    return sys.stdin.readline().rstrip("\r\n") if sys.stdin is not None else ""


def _line(text: str) -> None:
    out.print(text, markup=False, highlight=False, soft_wrap=True)


@app.command("set")
def set_(
    name: str = typer.Argument(..., help="variable name, e.g. ANTHROPIC_API_KEY (or: anthropic, openai)"),
    value: str = typer.Option(None, "--value", help="the key; prompted for (hidden), or read from stdin when piped"),
) -> None:
    """Store a key under NAME."""
    try:
        var = keys.check_name(name)
    except ValueError as e:
        raise typer.BadParameter(str(e), param_hint="NAME") from None
    if value is None:
        value = _read_hidden(var)
    with user_errors():
        if not value.strip():
            raise UserError("empty key: nothing stored", EXIT_USAGE)
        path = keys.set_key(name, value.strip())
    _line(f"stored {var} in {path}")


@app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="One JSON document on stdout.")) -> None:
    """Key names in the file, and which are also set in the environment (never the values)."""
    stored = keys.key_names()
    env = sorted(v for v in set(keys.ALIASES.values()) | set(stored) if os.environ.get(v))
    rows = [{"name": n, "file": n in stored, "environment": n in env} for n in sorted(set(stored) | set(env))]
    if as_json:
        print_json({"path": str(keys.keys_path()), "keys": rows})
        return
    if not rows:
        _line(f"no keys: none in {keys.keys_path()} and none of {', '.join(sorted(keys.ALIASES.values()))} "
                   "in the environment; add one with `ale keys set anthropic`")
        return
    for r in rows:
        where = ", ".join(w for w in ("file", "environment") if r[w])
        _line(f"{r['name']}\t{where}")


@app.command("path")
def path() -> None:
    """Where keys are stored."""
    _line(str(keys.keys_path()))


@app.command("delete")
def delete(name: str) -> None:
    """Remove a stored key."""
    with user_errors():
        if not keys.delete_key(name):
            raise UserError(f"no stored key {keys.env_name(name)}", EXIT_FAILED)
    _line(f"deleted {keys.env_name(name)}")
