"""ale: an agent that drafts, judges and improves heuristic solutions, and learns lessons."""

__version__ = "0.1.0"
