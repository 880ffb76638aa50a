"""What models are told about languages comes from judge/languages.py (one place)."""

from ale import prompts
from judge.languages import LANGUAGES

from tests.providers.conftest import make_ctx


def test_system_prompt_carries_every_languages_guidance_and_the_aot_convention():
    text = "\n".join(block for block, _ in prompts.system_blocks(make_ctx()))
    for lang in LANGUAGES:
        assert lang.guidance.splitlines()[0] in text
    assert "ONLINE_JUDGE" in text and "numba.pycc" in text  # how to start in 0.1 s instead of 1-2 s


def test_whole_file_answers_name_every_languages_fence():
    for lang in LANGUAGES:
        assert f"```{lang.fence}" in prompts.ANSWER_WHOLE
