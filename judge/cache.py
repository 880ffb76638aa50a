"""Where ale keeps what it derives from its inputs (builds, the monitor, contest tools, parsed YAML).

Everything under it is keyed by content, so nothing in it is ever stale and any of it may be deleted.
"""

from __future__ import annotations

import os
from pathlib import Path


def cache_home() -> Path:
    """$ALE_CACHE_DIR, else $XDG_CACHE_HOME/ale, else ~/.cache/ale."""
    base = os.environ.get("ALE_CACHE_DIR") or os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "ale")
    return Path(base)
