from rag.answer.extractive import ExtractiveAnswerer
from rag.answer.result import REFUSAL
from rag.verify.citations import renumber


def test_quotes_the_sentence_that_answers_with_its_marker(passages, scorer):
    text, refused = ExtractiveAnswerer(scorer, sentences=1).run("What share of the peacekeeping budget does Japan pay?", passages)
    assert not refused
    assert "10.8 %" in text and text.startswith("Kenzo Oshima: “") and text.endswith("[1]")


def test_markers_point_to_the_quoted_passage(passages, scorer):
    text, _ = ExtractiveAnswerer(scorer, sentences=1).run("How many names are on the memorial wall in Bamako?", passages)
    assert "309 names" in text and "[2]" in text
    assert renumber(text, len(passages)).order == [2]


def test_refuses_when_nothing_is_similar_enough(passages, scorer):
    for p in passages:
        p.dense = 0.1
    assert ExtractiveAnswerer(scorer).run("What is the capital of France?", passages) == (REFUSAL, True)


def test_refuses_without_passages(scorer):
    assert ExtractiveAnswerer(scorer).run("Anything?", []) == (REFUSAL, True)
