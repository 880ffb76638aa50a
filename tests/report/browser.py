"""Load a page in headless Chromium: its rendered DOM and what it logged to the console."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

NAMES = ("chromium", "chromium-browser", "google-chrome")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
CONSOLE = re.compile(r":CONSOLE(?:\(\d+\))?:?\d*\]\s*(.*)")


def chromium() -> str:
    """The browser's path, or skip saying why (CI installs Debian's chromium: see .ci/run)."""
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    pytest.skip("chromium not installed (apt-get install chromium): the report's browser tests need it")


def load(page: Path, budget_ms: int = 20000) -> tuple[str, list[str]]:
    """(DOM after the page's scripts ran, console lines). Virtual time lets the page's async
    work (unpacking plotly.js, drawing) finish before the DOM is dumped."""
    exe = chromium()
    with tempfile.TemporaryDirectory(prefix="ale-chromium-") as profile:
        r = subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
             "--enable-logging=stderr", "--v=0", f"--virtual-time-budget={budget_ms}", "--dump-dom",
             Path(page).resolve().as_uri()],
            capture_output=True, text=True, timeout=180,
        )
    assert r.returncode == 0, r.stderr[-2000:]
    console = [m.group(1) for line in r.stderr.splitlines() if (m := CONSOLE.search(line))]
    return r.stdout, console


def screenshot(page: Path, png: Path, width: int = 1280, height: int = 2000) -> None:
    exe = chromium()
    with tempfile.TemporaryDirectory(prefix="ale-chromium-") as profile:
        subprocess.run(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", f"--user-data-dir={profile}",
             f"--window-size={width},{height}", "--virtual-time-budget=20000", f"--screenshot={png}",
             Path(page).resolve().as_uri()],
            capture_output=True, timeout=180, check=True,
        )


class Inside(HTMLParser):
    """Tags (and svg classes) found inside each element that has an id."""

    def __init__(self):
        super().__init__()
        self.stack: list[str | None] = []
        self.found: dict[str, list[tuple[str, str]]] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for owner in self.stack:
            if owner is not None:
                self.found[owner].append((tag, a.get("class") or ""))
        if tag in VOID:
            return
        if a.get("id"):
            self.found.setdefault(a["id"], [])
        self.stack.append(a.get("id"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()


def inside(dom: str) -> dict[str, list[tuple[str, str]]]:
    p = Inside()
    p.feed(dom)
    return p.found


def body_attr(dom: str, name: str) -> str | None:
    m = re.search(r"<body[^>]*\s" + re.escape(name) + r'="([^"]*)"', dom)
    return m.group(1) if m else None
