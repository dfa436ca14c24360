import pytest

from rag.answer.extractive import ExtractiveGenerator, answer_sentences
from rag.answer.result import REFUSAL
from rag.verify.citations import renumber


def test_quotes_the_sentence_that_answers_with_its_marker(passages, scorer):
    text, refused = ExtractiveGenerator(scorer, sentences=1, min_relevance=0.30).quote(
        "What share of the peacekeeping budget does Japan pay?", passages
    )
    assert not refused
    assert "10.8 %" in text and text.startswith("Kenzo Oshima: “") and text.endswith("[1]")


def test_markers_point_to_the_quoted_passage(passages, scorer):
    text, _ = ExtractiveGenerator(scorer, sentences=1, min_relevance=0.30).quote(
        "How many names are on the memorial wall in Bamako?", passages
    )
    assert "309 names" in text and "[2]" in text
    assert renumber(text, len(passages)).order == [2]


def test_refuses_when_nothing_is_similar_enough(passages, scorer):
    for p in passages:
        p.dense = 0.1
    assert ExtractiveGenerator(scorer, sentences=3, min_relevance=0.30).quote(
        "What is the capital of France?", passages
    ) == (REFUSAL, True)


def test_refuses_without_passages(scorer):
    assert ExtractiveGenerator(scorer, sentences=3, min_relevance=0.30).quote("Anything?", []) == (REFUSAL, True)


def test_courtesies_are_never_quoted_and_the_turns_own_words_break_ties(scorer):
    from tests.helpers.passages import Hit, make_chunk

    turn = (
        "Thank you very much. I am from Embassy of Kenya. Good morning, ladies and gentlemen. "
        "My question is whether regional forces can be trained to the UN standard. Thank you very much, General."
    )
    passages = [
        Hit(
            make_chunk(70, turn, "Audience member (Question 7)", "Embassy of Kenya", "Questions and Answers"), dense=0.5
        )
    ]
    text, refused = ExtractiveGenerator(scorer, sentences=2, min_relevance=0.30).quote(
        "What did the audience member from Kenya ask?", passages
    )
    assert not refused
    assert "Thank you" not in text and "Good morning" not in text
    assert text.splitlines()[0] == "Audience member (Question 7): “I am from Embassy of Kenya.” [1]"
    # a courtesy to someone by a title is none either
    assert [sentence for _, sentence in answer_sentences(passages[0])] == [
        "I am from Embassy of Kenya.",
        "My question is whether regional forces can be trained to the UN standard.",
    ]
    assert "regional forces" in text.splitlines()[1]


def test_the_passage_with_the_best_sentence_is_quoted_first(passages, scorer):
    from tests.helpers.passages import Hit, make_chunk

    # a passage retrieved first that answers only in part, then Oshima's, which answers best
    partial = Hit(
        make_chunk(3, "The peacekeeping budget share was discussed at length by the delegates.", "Jane Doe", "Delegate")
    )
    reordered = [partial, passages[0]]
    text, _ = ExtractiveGenerator(scorer, sentences=2, min_relevance=0.30).quote(
        "What share of the peacekeeping budget does Japan pay?", reordered
    )
    lines = text.splitlines()
    assert len(lines) == 2, text
    assert lines[0].startswith("Kenzo Oshima: “") and "10.8 %" in lines[0] and lines[0].endswith("[2]")
    assert lines[1].startswith("Jane Doe: “") and lines[1].endswith("[1]")


@pytest.mark.parametrize(
    "question, about, answered",
    [
        # a sentence holds the question's words: the turn's blurred embedding does not decide
        ("What share of the peacekeeping budget does Japan finance?", (), True),
        # what is covered is only the name of whom the question is about: nothing of its topic
        ("At which university did Kenzo Oshima study?", ("Kenzo Oshima",), False),
        ("What is the capital of France?", (), False),
    ],
)
def test_a_sentence_holding_the_question_addresses_it_when_the_turn_embeds_far(
    passages, scorer, question, about, answered
):
    for p in passages:
        p.dense = 0.2  # below min_relevance, as a long turn's one relevant sentence embeds
    gate = ExtractiveGenerator(scorer, sentences=1, min_relevance=0.30, min_topic_coverage=0.6)
    assert gate.addresses(question, passages, about) is answered
    text, refused = gate.quote(question, passages, about)
    assert refused is not answered and (not answered or "10.8 %" in text)
    # without the sentence's test only the embedding decides, and every one is refused
    assert not ExtractiveGenerator(scorer, sentences=1, min_relevance=0.30).addresses(question, passages, about)


@pytest.mark.parametrize("asked, first", [("And to Timor?", "Timor"), ("", "Haiti")], ids=["follow-up", "standalone"])
def test_a_follow_ups_own_words_choose_the_sentence_over_the_words_it_borrowed(scorer, asked, first):
    """ "And to Timor?" completed with the previous question's words: the sentence about Haiti
    holds more of them, the one about Timor holds what the follow-up asks."""
    from tests.helpers.passages import Hit, make_chunk

    table = (
        "Japan sent 2,200 personnel to the mission in Haiti, by the table of deployments. "
        "Japan sent 2,300 personnel to Timor."
    )
    passages = [Hit(make_chunk(50, table, "Tomonori Yoshizaki", "Professor"), dense=0.5)]
    completed = "And to Timor? (personnel japan sent mission haiti table)"
    text, refused = ExtractiveGenerator(scorer, sentences=1, min_relevance=0.30).quote(completed, passages, asked=asked)
    assert not refused and first in text


@pytest.mark.parametrize("short_forms_known", [True, False])
def test_a_heading_that_hands_the_question_back_is_not_quoted(scorer, short_forms_known):
    from tests.helpers.passages import Hit, make_chunk

    question = "When was the Triangular Partnership Programme launched?"
    passages = [
        Hit(make_chunk(203, "Triangular Partnership Programme (TPP)", "Machiko Kawasaki", kind="slide"), dense=0.5),
        Hit(make_chunk(206, "TPP was launched in 2015 with funding from Japan.", "Machiko Kawasaki"), dense=0.4),
    ]

    def short_forms(text: str) -> str:  # as `Abbreviations.expand` writes what the documents define
        return text.replace("Triangular Partnership Programme", "Triangular Partnership Programme (TPP)")

    generator = ExtractiveGenerator(
        scorer, sentences=2, min_relevance=0.30, **({"short_forms": short_forms} if short_forms_known else {})
    )
    text, refused = generator.quote(question, passages)
    assert not refused
    # the heading covers the question best of all, so well that the answer falls below it; only
    # what the documents define shows that its "(TPP)" is no news
    assert ("“Triangular Partnership Programme (TPP)”" in text) is not short_forms_known
    assert ("launched in 2015" in text) is short_forms_known


@pytest.mark.parametrize(
    "about, first",
    [
        (("Alastair Birch",), "Alastair Birch"),
        ((), "Jayne Bryant"),
        (("Alastair Birch", "Jayne Bryant"), "Jayne Bryant"),
    ],
    ids=["about-him", "about-nobody", "about-two"],
)
def test_a_question_about_one_speaker_is_answered_in_their_words_first(about, first):
    """The member's question restates what is asked, adds to it, and covers its words best; the
    witness's answer covers them nearly as well. A question about the witness quotes the witness
    first (`SPEAKER_BONUS`); about nobody, or two people, the best cover leads."""
    from rag.text import SentenceScorer
    from tests.helpers.passages import Hit, make_chunk

    asked = (
        "Given the cuts to local budgets this year, how confident are you that schools will have the training "
        "to support pupils with anxiety?"
    )
    reply = "I am confident that schools will have the training they need for those pupils."
    passages = [
        Hit(make_chunk(10, asked, "Jayne Bryant", "Chair"), dense=0.6),
        Hit(make_chunk(11, reply, "Alastair Birch", "Witness"), dense=0.55),
    ]
    scorer = SentenceScorer.from_texts([asked, reply, "The committee met.", "Budgets were discussed."])
    text, refused = ExtractiveGenerator(scorer, sentences=2, min_relevance=0.30).quote(
        "How confident was Alastair Birch that schools will have the training to support pupils with anxiety?",
        passages,
        about,
    )
    assert not refused and text.splitlines()[0].startswith(f"{first}: “")


@pytest.mark.parametrize("about", [("Alastair Birch",), ()], ids=["about-him", "about-nobody"])
def test_the_named_speakers_best_sentence_is_quoted_at_a_lower_bar_and_only_that_one(about):
    """The witness's reply covers under half of what the member's question covers: too little to be
    quoted beside it, but for a question about the witness their best sentence is what answers
    (`SPEAKER_GOOD_ENOUGH`), and it is quoted first; their weaker sentence is not let in with it."""
    from rag.text import SentenceScorer
    from tests.helpers.passages import Hit, make_chunk

    asked = (
        "Given the budget cuts in rural Powys, how confident are you that schools will have the specialist "
        "training and counselling staff to support pupils with anxiety?"
    )
    reply = "I am confident that schools will have the training and the staff they need."
    weaker = "Counselling staff for pupils were discussed last spring."
    passages = [
        Hit(make_chunk(10, asked, "Jayne Bryant", "Chair"), dense=0.6),
        Hit(make_chunk(11, f"{reply} {weaker}", "Alastair Birch", "Witness"), dense=0.55),
    ]
    scorer = SentenceScorer.from_texts([asked, reply, weaker, "The committee met.", "Budgets were discussed."])
    question = (
        "How confident was Alastair Birch that schools in rural Powys will have the specialist training and "
        "counselling staff to support pupils with anxiety after the budget cuts?"
    )
    text, refused = ExtractiveGenerator(scorer, sentences=3, min_relevance=0.30).quote(question, passages, about)
    assert not refused and text.splitlines()[-1].startswith("Jayne Bryant: “Given the budget cuts")
    assert text.startswith(f"Alastair Birch: “{reply}” [2]") is bool(about)
    assert weaker not in text


@pytest.mark.parametrize("subject, first", [("Alastair Birch", "Alastair Birch"), (None, "Jayne Bryant")])
def test_of_two_speakers_named_the_subject_of_the_question_is_quoted_first(subject, first):
    """ "How did Alastair Birch answer Jayne Bryant's question ...?" names both; it asks about
    Birch (`Query.subject`), so his reply goes first, though her question covers its words best."""
    from rag.query.analyse import Query
    from rag.text import SentenceScorer
    from tests.helpers.passages import Hit, make_chunk

    asked = "How confident are you that schools will have the training to support pupils with anxiety?"
    reply = "I am confident that schools will have the training they need."
    passages = [
        Hit(make_chunk(10, asked, "Jayne Bryant", "Chair"), dense=0.6),
        Hit(make_chunk(11, reply, "Alastair Birch", "Witness"), dense=0.55),
    ]
    scorer = SentenceScorer.from_texts([asked, reply, "The committee met.", "Budgets were discussed."])
    question = "How did Alastair Birch answer Jayne Bryant's question on training to support pupils with anxiety?"
    query = Query(
        question=question,
        standalone=question,
        named_speakers=["Alastair Birch", "Jayne Bryant"],
        subject=subject,
    )
    (draft,) = ExtractiveGenerator(scorer, sentences=2, min_relevance=0.30).run(query, passages)
    assert not draft.refused and draft.text.startswith(f"{first}: “")


def test_the_other_speaker_a_question_names_is_no_topic_to_find():
    """Far in meaning (cosine under `min_relevance`), a question is answered only when a sentence
    holds its topic; "Jayne Bryant" is no part of it because Birch, its subject, goes first."""
    from rag.query.analyse import Query
    from rag.text import SentenceScorer
    from tests.helpers.passages import Hit, make_chunk

    reply = "My reply on school training is short."
    passages = [Hit(make_chunk(11, reply, "Alastair Birch", "Witness"), dense=0.1)]
    scorer = SentenceScorer.from_texts([reply, "The committee met.", "Budgets were discussed."])
    question = "How did Alastair Birch reply to Jayne Bryant on school training?"
    query = Query(question, question, named_speakers=["Alastair Birch", "Jayne Bryant"], subject="Alastair Birch")
    extractive = ExtractiveGenerator(scorer, sentences=2, min_relevance=0.30, min_topic_coverage=0.6)
    (draft,) = extractive.run(query, passages)
    assert not draft.refused and draft.text.startswith("Alastair Birch: “My reply")
