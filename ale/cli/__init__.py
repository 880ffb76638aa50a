"""The `ale` command: thin typer commands that parse, call and render."""

from __future__ import annotations

import importlib
import sys

import typer

from ale.cli import judge_cmds, problems_cmds
from ale.cli.doctor import doctor_cmd

app = typer.Typer(
    name="ale",
    help="A local AtCoder-style judge and an agent that improves heuristic solutions by trial and error.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("judge")(judge_cmds.judge_cmd)
app.command("gen")(judge_cmds.gen_cmd)
app.command("vis")(judge_cmds.vis_cmd)
app.command("doctor")(doctor_cmd)
app.add_typer(problems_cmds.app, name="problems")

# Command groups that live in their own modules; mounted when present.
for _module, _name in (("ale.cli.lessons_cmds", "lessons"), ("ale.cli.runs_cmds", "runs"), ("ale.cli.keys_cmds", "keys")):
    try:
        app.add_typer(importlib.import_module(_module).app, name=_name)
    except ImportError as _e:  # pragma: no cover - only while a module is missing
        if _e.name != _module:
            raise

try:
    importlib.import_module("ale.cli.solve_cmds").register(app)
except ImportError as _e:  # pragma: no cover
    if _e.name != "ale.cli.solve_cmds":
        raise


def main() -> None:
    """Entry point: exit 3 with one line (not a traceback) for anything unexpected."""
    try:  # typer >= 0.20 carries its own copy of click
        from typer._click import exceptions as click
    except ImportError:  # pragma: no cover
        import click.exceptions as click

    try:
        rc = app(standalone_mode=False)
    except click.UsageError as e:  # one line, not a box: what is wrong and where to look
        where = e.ctx.command_path if e.ctx else "ale"
        sys.stderr.write(f"error: {e.format_message()} (see `{where} --help`)\n")
        sys.exit(2)
    except click.ClickException as e:
        sys.stderr.write(f"error: {e.format_message()}\n")
        sys.exit(e.exit_code)
    except (KeyboardInterrupt, click.Abort):
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as e:  # an internal error: say what and where, keep it to one line
        sys.stderr.write(f"internal error: {type(e).__name__}: {e} (run with ALE_DEBUG=1 for a traceback)\n")
        import os

        if os.environ.get("ALE_DEBUG"):
            raise
        sys.exit(3)
    sys.exit(rc if isinstance(rc, int) else 0)
