"""The `ale` command: thin typer commands that parse, call and render."""

from __future__ import annotations

import importlib
import sys

import typer

HELP = "A local AtCoder-style judge and an agent that improves heuristic solutions by trial and error."

# Each command lives in its own module, imported only when that command runs: `ale judge` should
# not pay start-up time for the solver, the lessons or the providers.
COMMANDS = {
    "judge": ("ale.cli.judge_cmds", "judge_cmd"),
    "gen": ("ale.cli.judge_cmds", "gen_cmd"),
    "vis": ("ale.cli.judge_cmds", "vis_cmd"),
    "doctor": ("ale.cli.doctor", "doctor_cmd"),
    "solve": ("ale.cli.solve_cmds", "solve_cmd"),
    "replay": ("ale.cli.solve_cmds", "replay_cmd"),
    "rank": ("ale.cli.standings_cmds", "rank_cmd"),
    "rating": ("ale.cli.standings_cmds", "rating_cmd"),
    "report": ("ale.cli.report_cmds", "report_cmd"),
}
GROUPS = {
    "problems": "ale.cli.problems_cmds",
    "lessons": "ale.cli.lessons_cmds",
    "runs": "ale.cli.runs_cmds",
    "keys": "ale.cli.keys_cmds",
    "standings": "ale.cli.standings_cmds",
}


def build_app(only: str | None = None) -> typer.Typer:
    """The `ale` app: every command, or with `only` just that one (what `main` runs)."""
    app = typer.Typer(name="ale", help=HELP, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False)

    @app.callback()
    def _root() -> None:  # keeps `ale` a group even when only one command is mounted
        pass

    for name, (module, attr) in COMMANDS.items():
        if only in (None, name):
            app.command(name)(getattr(importlib.import_module(module), attr))
    for name, module in GROUPS.items():
        if only in (None, name):
            app.add_typer(importlib.import_module(module).app, name=name)
    return app


def __getattr__(name: str):
    if name == "app":  # `from ale.cli import app`: the whole CLI (tests, CliRunner)
        return build_app()
    raise AttributeError(name)


def _requested(argv: list[str]) -> str | None:
    first = argv[0] if argv else None
    return first if first in COMMANDS or first in GROUPS else None


def main() -> None:
    """Entry point: exit 3 with one line (not a traceback) for anything unexpected."""
    try:
        _main()
    finally:
        # The interpreter's shutdown collections walk every object the imports made: ~25 ms of
        # each `ale` run here, for memory the OS takes back anyway. Frozen objects are skipped;
        # files and the store are closed or committed by then (stdout/stderr are still flushed).
        import gc

        gc.freeze()


def _main() -> None:
    try:  # typer >= 0.20 carries its own copy of click
        from typer._click import exceptions as click
    except ImportError:  # pragma: no cover
        import click.exceptions as click

    try:
        rc = build_app(_requested(sys.argv[1:]))(standalone_mode=False)
    except click.UsageError as e:  # one line, not a box: what is wrong and where to look
        if not e.format_message():  # no arguments: the help was shown, nothing to add
            sys.exit(2)
        where = e.ctx.command_path if e.ctx else "ale"
        sys.stderr.write(f"error: {e.format_message()} (see `{where} --help`)\n")
        sys.exit(2)
    except click.ClickException as e:
        sys.stderr.write(f"error: {e.format_message()}\n")
        sys.exit(e.exit_code)
    except (KeyboardInterrupt, typer.Abort):
        sys.stderr.write("interrupted\n")
        sys.exit(130)
    except Exception as e:  # an internal error: say what and where, keep it to one line
        sys.stderr.write(f"internal error: {type(e).__name__}: {e} (run with ALE_DEBUG=1 for a traceback)\n")
        import os

        if os.environ.get("ALE_DEBUG"):
            raise
        sys.exit(3)
    sys.exit(rc if isinstance(rc, int) else 0)
