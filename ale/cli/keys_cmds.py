"""`ale keys set|list|path|delete`: manage API keys without putting them in ale.yaml or shell history."""

from __future__ import annotations

import os

import typer

from ale import keys

app = typer.Typer(help="Store API keys (file mode 0600); the environment always wins.", no_args_is_help=True)


@app.command("set")
def set_(
    name: str = typer.Argument(..., help="variable name, e.g. ANTHROPIC_API_KEY (or: anthropic, openai)"),
    value: str = typer.Option(None, "--value", help="the key; prompted for (hidden) when left out"),
) -> None:
    """Store a key under NAME."""
    if value is None:
        value = typer.prompt(f"{keys.env_name(name)}", hide_input=True)
    if not value.strip():
        typer.echo("empty key: nothing stored", err=True)
        raise typer.Exit(2)
    path = keys.set_key(name, value.strip())
    typer.echo(f"stored {keys.env_name(name)} in {path}")


@app.command("list")
def list_() -> None:
    """Key names in the file, and which are also set in the environment (never the values)."""
    stored = keys.key_names()
    env = sorted(v for v in set(keys.ALIASES.values()) | set(stored) if os.environ.get(v))
    for name in sorted(set(stored) | set(env)):
        where = ", ".join(w for w, ok in (("file", name in stored), ("environment", name in env)) if ok)
        typer.echo(f"{name}\t{where}")


@app.command("path")
def path() -> None:
    """Where keys are stored."""
    typer.echo(str(keys.keys_path()))


@app.command("delete")
def delete(name: str) -> None:
    """Remove a stored key."""
    if not keys.delete_key(name):
        typer.echo(f"no stored key {keys.env_name(name)}", err=True)
        raise typer.Exit(1)
    typer.echo(f"deleted {keys.env_name(name)}")
