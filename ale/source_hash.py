"""A candidate's source hash: what makes two sources "the same" for the taboo list."""

from __future__ import annotations

import hashlib


def normalise(source: str) -> str:
    """Trailing spaces, blank lines and line endings do not make a new candidate."""
    lines = (line.rstrip() for line in source.replace("\r\n", "\n").split("\n"))
    return "\n".join(line for line in lines if line)


def source_hash(source: str) -> str:
    return hashlib.sha256(normalise(source).encode()).hexdigest()
