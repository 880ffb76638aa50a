"""The one way every `ale` command talks to the user, and opens what it needs.

- stdout: `print_json(doc)` for `--json` (one document), else `out` (rich: tables, text);
- stderr: `err` (progress, warnings, notes);
- the store: `open_db(db, cfg)`; a problem: `load(ref, cfg)`; ale.yaml: `config()`;
- mistakes: raise `UserError` (or the library's ProblemError/ConfigError/ValueError) inside
  `with user_errors():`, which prints one line and exits 2 (usage) or 3 (config), never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager

import typer

from ale.config import ConfigError, load_config, problem_folders


class LazyConsole:
    """A rich Console made on first use: importing rich.console costs ~50 ms of every start-up,
    and a `--json` run never prints through it."""

    def __init__(self, **options):
        self._options, self._console = options, None

    def get(self):
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name):
        return getattr(self.get(), name)


out = LazyConsole()  # stdout: tables, or the one --json document
err = LazyConsole(stderr=True)  # progress, warnings, errors

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CONFIG = 0, 1, 2, 3


class UserError(Exception):
    """A mistake the user can fix: one line, exit 3 (or the given code)."""

    def __init__(self, message: str, code: int = EXIT_CONFIG):
        super().__init__(message)
        self.code = code


def config() -> dict:
    return load_config(os.environ.get("ALE_CONFIG"))


def load(ref: str, cfg: dict | None = None):
    """A problem by path or id, with the configured search folders."""
    from judge import load_problem

    cfg = cfg or config()
    return load_problem(ref, problem_folders(cfg))


def open_db(db: str | None, cfg: dict | None = None):
    """The store named by --db, else by ale.yaml; one that cannot be opened is a one-line error."""
    import sqlite3

    from ale.config import db_path
    from ale.store import Store

    path = db_path(cfg or config(), db)
    try:
        return Store(path)
    except (sqlite3.Error, OSError) as e:
        raise UserError(f"cannot open store {path}: {e}") from None


def print_json(doc) -> None:
    sys.stdout.write(json.dumps(doc, indent=2, default=str) + "\n")
    sys.stdout.flush()


def _fail(message: str, code: int):
    from rich.markup import escape  # a message may hold brackets: pip install -e '.[cluster]'

    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


@contextmanager
def user_errors():
    """Turn the errors a user can fix into one line and an exit code; never a traceback."""
    from judge.errors import ClusterError, ProblemError

    try:
        yield
    except (ProblemError, ConfigError) as e:
        _fail(str(e), EXIT_CONFIG)
    except ClusterError as e:  # no ray (2), or a cluster that cannot be reached (3)
        _fail(str(e), e.code)
    except UserError as e:
        _fail(str(e), e.code)
    except ValueError as e:  # bad flag values parsed by our own helpers
        _fail(str(e), EXIT_USAGE)
