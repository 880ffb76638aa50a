"""Precompiled <bits/stdc++.h>: built once per compiler and flags, used by builds in the box,
and never able to change what a program does (a bad one is ignored by g++)."""

import shutil
import subprocess

import pytest

from judge import judge, languages, pch
from judge.cache import cache_home

pytestmark = pytest.mark.skipif(shutil.which("g++") is None, reason="needs g++")

# sumup: read N then N integers, print their sum; a build that saw the marker prints -1 instead (WA).
MARKED = """#include <bits/stdc++.h>
int main() {
    long long n, s = 0, x;
    std::cin >> n;
    for (long long i = 0; i < n; i++) { std::cin >> x; s += x; }
#ifdef ALE_PCH_MARK
    s = -1;
#endif
    std::cout << s << "\\n";
}
"""


def _gch():
    found = sorted(cache_home().glob("pch/*/bits/stdc++.h.gch"))
    assert found, "no precompiled header was built"
    return found[0]


def test_the_flags_are_the_build_commands_before_its_output():
    assert pch.flags(languages.CPP)[1:] == ["-std=gnu++20", "-O2"]
    assert pch.includes(languages.CPP, "#include <bits/stdc++.h>\n")
    assert not pch.includes(languages.CPP, "#include <iostream>\n")
    assert not pch.includes(languages.PYTHON, "#include <bits/stdc++.h>\n")


def test_a_build_uses_the_precompiled_header_and_a_broken_one_is_ignored(sumup, tmp_path):
    first = tmp_path / "first.cpp"
    first.write_text(MARKED.replace("ALE_PCH_MARK", "NOTHING"))
    assert judge(sumup, first, [1, 2], jobs=1).accepted  # builds the .gch (once per session)
    gch = _gch()
    # Replace it with one that also defines a marker: a build that prints -1 read it, in the box.
    wrapper = tmp_path / "h.hpp"
    wrapper.write_text("#include <bits/stdc++.h>\n#define ALE_PCH_MARK 1\n")
    saved = gch.read_bytes()
    try:
        subprocess.run([*pch.flags(languages.CPP), "-x", "c++-header", str(wrapper), "-o", str(gch)], check=True)
        marked = tmp_path / "marked.cpp"
        marked.write_text(MARKED)
        r = judge(sumup, marked, [1], jobs=1)
        assert r.cases[0].verdict == "WA"  # printed -1: the precompiled header was used
        # A corrupt one is not a wrong program: g++ falls back to the header itself.
        gch.write_bytes(b"not a precompiled header")
        fallback = tmp_path / "fallback.cpp"
        fallback.write_text(MARKED + "// another build\n")
        assert judge(sumup, fallback, [1, 2], jobs=1).accepted
    finally:
        gch.write_bytes(saved)
