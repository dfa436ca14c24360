from pathlib import Path

import pytest

from rag.answer.context import ContextBuilder, approx_tokens
from rag.prompts import PromptError, Prompts

PROMPTS = Path(__file__).resolve().parents[2] / "prompts"


@pytest.fixture
def prompts():
    return Prompts.load(PROMPTS)


def test_prompts_load_with_versions(prompts):
    assert "system@" in prompts.version and "#" in prompts.version
    assert "{passages}" in prompts.answer and "{question}" in prompts.answer
    assert prompts.refusal == "The minutes do not address this."


def test_prompt_without_version_line_is_rejected(tmp_path):
    for name in ("system.md", "answer.md", "condense.md", "refusal.txt", "passage.md"):
        (tmp_path / name).write_text((PROMPTS / name).read_text())
    (tmp_path / "system.md").write_text("no version here\n")
    with pytest.raises(PromptError, match=r"system\.md"):
        Prompts.load(tmp_path)


def test_context_names_speakers_and_numbers_passages(prompts, scorer, passages):
    context = ContextBuilder(prompts, scorer, budget_tokens=1000, sentences_per_passage=2).build(
        "What does Japan pay?", passages
    )
    user = context.messages[1].content
    assert context.messages[0].content == prompts.system
    assert "[1] Kenzo Oshima (Executive Director, Africa Association), Discussion, Test minutes (2015-01-28):" in user
    assert "[2] Patrick Cammaert" in user and "Question: What does Japan pay?" in user
    assert context.trimmed == 0 and len(context.shown) == 3


def test_budget_trims_by_rank_never_mid_passage(prompts, scorer, passages):
    builder = ContextBuilder(prompts, scorer, budget_tokens=approx_tokens("x" * 400), sentences_per_passage=2)
    context = builder.build("What does Japan pay?", passages)
    assert len(context.shown) < len(passages) and context.shown[0] is passages[0]
    assert context.trimmed == len(passages) - len(context.shown)


def test_the_passage_with_the_best_sentence_is_read_first(prompts, scorer, passages):
    # retrieval put Oshima first; the question's words are in Yuge's sentence
    builder = ContextBuilder(prompts, scorer, budget_tokens=1000, sentences_per_passage=2)
    context = builder.build("Which lens did she want applied to development activities?", passages)
    assert context.shown[0] is passages[2]
    assert context.messages[1].content.index("[1] Akiko Yuge") < context.messages[1].content.index("Kenzo Oshima")
    # what the budget leaves out is the passage that answers least
    tight = ContextBuilder(prompts, scorer, budget_tokens=approx_tokens("x" * 400), sentences_per_passage=2)
    assert tight.build("Which lens did she want applied to development activities?", passages).shown[0] is passages[2]


def test_excerpt_keeps_relevant_sentences_in_order_with_gaps(prompts, scorer):
    builder = ContextBuilder(prompts, scorer, budget_tokens=340, sentences_per_passage=1)
    text = "Alpha opened the session. Japan pays 10.8 % of the budget. Others spoke about rain."
    assert builder.excerpt("How much does Japan pay of the budget?", text) == "… Japan pays 10.8 % of the budget. …"


@pytest.mark.parametrize("asked, shown", [("And to Timor?", "Timor"), ("", "Haiti")], ids=["follow-up", "standalone"])
def test_a_follow_ups_own_words_choose_what_the_model_reads(prompts, scorer, asked, shown):
    from tests.helpers.passages import Hit, make_chunk

    table = (
        "Japan sent 2,200 personnel to the mission in Haiti, by the table of deployments. "
        "Japan sent 2,300 personnel to Timor. The table ends there."
    )
    builder = ContextBuilder(prompts, scorer, budget_tokens=1000, sentences_per_passage=1)
    context = builder.build(
        "And to Timor? (personnel japan sent mission haiti table)", [Hit(make_chunk(50, table, "A", "B"))], asked
    )
    passage = context.messages[1].content.split("Question:")[0]
    other = "Haiti" if shown == "Timor" else "Timor"
    assert shown in passage and other not in passage


@pytest.mark.parametrize(
    "answer, cleaned",
    [
        (
            "Kenzo Oshima (Executive Director, Africa Association), Discussion, Test minutes (2015-01-28): "
            "Japan pays around 10.8 % [1].",
            "Kenzo Oshima: Japan pays around 10.8 % [1].",
        ),
        ("Kenzo Oshima said Japan pays around 10.8 % [1].", "Kenzo Oshima said Japan pays around 10.8 % [1]."),
        (  # a header alone answers nothing
            "Kenzo Oshima (Executive Director, Africa Association), Discussion, Test minutes (2015-01-28) [1].",
            "",
        ),
        (
            "Japan pays 10.8 % [1]. Kenzo Oshima (Executive Director, Africa Association), Discussion, "
            "Test minutes (2015-01-28) [1].",
            "Japan pays 10.8 % [1].",
        ),
        (
            "Kenzo Oshima (Executive Director, Africa Association), Discussion, Test minutes (2015-01-28) [1] "
            "stated that Japan pays 10.8 %.",
            "Kenzo Oshima [1] stated that Japan pays 10.8 %.",
        ),
    ],
)
def test_a_copied_header_line_becomes_the_speakers_name(prompts, scorer, passages, answer, cleaned):
    context = ContextBuilder(prompts, scorer, budget_tokens=1000, sentences_per_passage=2).build(
        "What does Japan pay?", passages
    )
    assert context.without_echoed_headers(answer) == cleaned
