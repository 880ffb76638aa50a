import pytest

from ale.edits import Edit, EditError, Truncated, apply_edits, parse_answer, parse_edits

SRC = """\
import sys

T0 = 100.0

def main():
    x = 1
    if x:
        y = 2
    print(x)
"""


def block(search: str, replace: str) -> str:
    return f"<<<<<<< SEARCH\n{search}=======\n{replace}>>>>>>> REPLACE\n"


def test_exact_edit_applies():
    out = apply_edits(SRC, parse_edits(block("T0 = 100.0\n", "T0 = 250.0\n")))
    assert "T0 = 250.0\n" in out and "T0 = 100.0" not in out
    assert out.count("\n") == SRC.count("\n")


def test_multiple_blocks_apply_in_order():
    text = "I change two things.\n```python\n" + block("    x = 1\n", "    x = 5\n") + block("    print(x)\n", "    print(x, y)\n") + "```\n"
    answer = parse_answer(text)
    assert answer.kind == "edit" and len(answer.edits) == 2
    out = apply_edits(SRC, answer.edits)
    assert "x = 5" in out and "print(x, y)" in out


def test_trailing_whitespace_tolerated():
    out = apply_edits(SRC, [Edit("    x = 1   \n    if x:\n", "    x = 3\n    if x:\n")])
    assert "    x = 3\n    if x:\n" in out


def test_indentation_shift_tolerated_and_replacement_reindented():
    out = apply_edits(SRC, [Edit("if x:\n    y = 2\n", "if x:\n    y = 7\n    z = 1\n")])
    assert "    if x:\n        y = 7\n        z = 1\n" in out


def test_missing_search_is_an_error_with_reason():
    with pytest.raises(EditError, match="edit block 1: the SEARCH text was not found"):
        apply_edits(SRC, [Edit("T0 = 999.0\n", "T0 = 1.0\n")])


def test_ambiguous_search_is_an_error():
    src = "a = 1\nb = 2\na = 1\n"
    with pytest.raises(EditError, match="matches 2 places"):
        apply_edits(src, [Edit("a = 1\n", "a = 3\n")])


def test_second_block_failure_names_it():
    with pytest.raises(EditError, match="edit block 2"):
        apply_edits(SRC, [Edit("T0 = 100.0\n", "T0 = 2.0\n"), Edit("nope\n", "x\n")])


def test_whole_file_picks_largest_code_block_and_language():
    text = "Idea: `x`.\n```\nsmall\n```\nFull:\n```cpp\n#include <cstdio>\nint main(){return 0;}\n```\n"
    answer = parse_answer(text)
    assert answer.kind == "whole" and answer.language == "cpp"
    assert answer.source == "#include <cstdio>\nint main(){return 0;}\n"


def test_unterminated_fence_is_truncated():
    with pytest.raises(Truncated):
        parse_answer("```python\nimport sys\nfor i in range(")


def test_unterminated_edit_block_is_truncated():
    with pytest.raises(Truncated):
        parse_answer("<<<<<<< SEARCH\nT0 = 100.0\n=======\nT0 =")


def test_empty_and_codeless_answers_are_errors():
    with pytest.raises(EditError, match="empty"):
        parse_answer("   ")
    with pytest.raises(EditError, match="no fenced code block"):
        parse_answer("I would use simulated annealing.")
