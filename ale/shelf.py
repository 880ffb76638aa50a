"""Where the shipped problems and lesson packs are.

In a checkout they are the top-level `problems/` and `lessons/` folders; an installed wheel carries
them inside the package as `ale/problems` and `ale/packs` (see pyproject.toml's package-dir).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def _shipped(inside: str, checkout: str) -> Path:
    packaged = HERE / inside
    return packaged if packaged.is_dir() else HERE.parent / checkout


def problems_dir() -> Path:
    """The shipped problem shelf."""
    return _shipped("problems", "problems")


def packs_dir() -> Path:
    """The shipped lesson packs."""
    return _shipped("packs", "lessons")
