import pytest

from rag.answer.evidence import ANSWER_KINDS, AnswerKindCheck, counted_words, names_in, years_asked
from rag.answer.extractive import ExtractiveGenerator
from rag.query.analyse import Query
from rag.text import SentenceScorer
from tests.helpers.passages import Hit, make_chunk

SAKAMOTO = (
    "Currently, Japan has dispatched staff officers to the UN Missions in South Sudan and the multinational "
    "force and observers in Sinai. Since this year, engineer staff officers have been additionally sent."
)


FIGURE, TIME, NAME = (ANSWER_KINDS[kind].reason for kind in ("count", "time", "name"))


def check(scorer, sentences: int = 3, kinds=tuple(ANSWER_KINDS)) -> AnswerKindCheck:
    return AnswerKindCheck(ExtractiveGenerator(scorer, sentences=3, min_relevance=0.30), kinds, sentences)


def ask(question: str) -> Query:
    return Query(question=question, standalone=question)


@pytest.mark.parametrize(
    "question",
    [
        "How many names are on the memorial wall in Bamako?",
        "What share of the peacekeeping budget does Japan pay?",
        "How much of the UN peacekeeping budget does Japan finance?",
    ],
)
def test_a_quantity_the_passages_give_is_answered(passages, scorer, question):
    assert check(scorer).run(ask(question), passages) is None


def test_a_quantity_the_passages_never_give_is_declined(scorer):
    passages = [Hit(make_chunk(3, SAKAMOTO, "Koichi Sakamoto", "Lieutenant General"), dense=0.6)]
    question = ask("How many staff officers has Japan dispatched to South Sudan?")
    assert check(scorer).run(question, passages) == FIGURE
    # the same passages answer a question that asks for no figure
    assert check(scorer).run(ask("Where has Japan dispatched staff officers?"), passages) is None


def test_a_figure_the_question_itself_gives_is_not_evidence(scorer):
    text = "Japan dispatched 40 staff officers to the UN Mission in South Sudan."
    passages = [Hit(make_chunk(3, text, "Koichi Sakamoto", "Lieutenant General"), dense=0.6)]
    assert check(scorer).run(ask("How many of the 40 staff officers did Japan dispatch to South Sudan?"), passages)
    assert check(scorer).run(ask("How many staff officers did Japan dispatch to South Sudan?"), passages) is None


@pytest.mark.parametrize("when", ["In 2023", "For the 8th time"])
def test_a_year_or_an_ordinal_is_not_a_count(scorer, when):
    text = f"{when} Japan dispatched staff officers to the UN Mission in South Sudan."
    passages = [Hit(make_chunk(3, text, "Koichi Sakamoto", "Lieutenant General"), dense=0.6)]
    assert check(scorer).run(ask("How many staff officers did Japan dispatch to South Sudan?"), passages)


def test_nothing_relevant_is_left_to_the_answer_step(passages, scorer):
    for p in passages:
        p.dense = 0.1
    assert check(scorer).run(ask("How many moons does Jupiter have?"), passages) is None


def test_only_the_best_sentences_count():
    """A figure in a sentence further down (about the Sinai, not South Sudan) does not answer the
    question: the three best sentences give none; read five and it would pass."""
    text = (
        "Japan has dispatched staff officers to the UN Mission in South Sudan. "
        "The staff officers Japan dispatched to South Sudan serve at the mission headquarters. "
        "Japan dispatched staff officers to South Sudan for the engineering work as well. "
        "Japan also dispatched 4 staff officers to the Sinai."
    )
    passages = [Hit(make_chunk(3, text, "Koichi Sakamoto", "Lieutenant General"), dense=0.6)]
    scorer = SentenceScorer.from_texts([text, "The Security Council met.", "Peace operations were discussed."])
    question = ask("How many staff officers has Japan dispatched to South Sudan?")
    assert check(scorer, sentences=3).run(question, passages) == FIGURE
    assert check(scorer, sentences=5).run(question, passages) is None


# -- a time, a name -----------------------------------------------------------------------------
AKASHI = (
    "In Cambodia, although the election was ultimately successful, initially there was a revolt in three "
    "provinces. The UN mission then held the line, and the revolt ended before the new government formed."
)
LATER = "The revolt in three provinces of Cambodia broke out in March 1993, in Kampot, Takeo and Kandal."
# words the minutes use everywhere ("UN") are their setting, not a name anyone asks for
SETTING = ["The UN met.", "The UN mission spoke.", "UN staff and the UN mission.", "A UN course."]


def minutes(*texts: str) -> tuple[list[Hit], SentenceScorer]:
    passages = [Hit(make_chunk(i, text, "Yasushi Akashi", "Chairman"), dense=0.6) for i, text in enumerate(texts)]
    return passages, SentenceScorer.from_texts(list(texts) + SETTING)


@pytest.mark.parametrize(
    "question, reason",
    [
        ("In which years did the revolt in Cambodia break out?", TIME),
        ("When did the revolt in the Cambodian provinces break out?", TIME),
        ("The election in Cambodia succeeded; when did the revolt break out?", TIME),
        ("In which three Cambodian provinces did the revolt break out?", NAME),
        ("What were the names of the provinces where the revolt broke out in Cambodia?", NAME),
    ],
)
def test_a_time_or_a_name_the_passages_never_give_is_declined(question, reason):
    passages, scorer = minutes(AKASHI)
    assert check(scorer).run(ask(question), passages) == reason
    # the same question is answered by minutes that give it, and is not checked when the kind is off
    assert check(scorer, kinds=["count"]).run(ask(question), passages) is None
    given, scorer = minutes(AKASHI + " " + LATER)
    assert check(scorer).run(ask(question), given) is None


@pytest.mark.parametrize(
    "question",
    [
        "What did Akashi say when the revolt in Cambodia broke out?",  # "when" inside: not asking for a time
        "Which revolt did Akashi describe in Cambodia?",  # "which" of no place or name class
        "Where did the revolt in Cambodia break out?",
    ],
)
def test_questions_that_ask_for_no_time_or_name_are_left_to_the_answer(question):
    passages, scorer = minutes(AKASHI)
    assert check(scorer).run(ask(question), passages) is None


def test_a_time_the_question_gives_still_answers_it():
    """ "The panel met in 2015; when did its report come out?" - "in 2015" is the answer."""
    text = "The panel issued its report in 2015, at the seventieth anniversary of the United Nations."
    passages, scorer = minutes(text)
    assert check(scorer).run(ask("The panel met in 2015. When did its report come out?"), passages) is None


def test_a_name_is_one_the_question_the_speaker_and_the_setting_do_not_already_give():
    _, scorer = minutes(AKASHI + " " + LATER)
    known = "In which Cambodian provinces did the UN see a revolt? Yasushi Akashi"
    assert names_in(LATER, known, scorer) == {"March", "Kampot", "Takeo", "Kandal"}
    # the sentence's first word, a form of the question's own ("Cambodia" of "Cambodian"), the
    # speaker's name and a word in most passages ("UN") are not names it gives
    said = "Then Akashi said the UN mission in Cambodia held the line."
    assert names_in(said, known, scorer) == set()


def test_a_transcript_in_lower_case_shows_no_names_so_it_is_not_declined_for_lacking_one():
    lower = AKASHI.lower() + " " + LATER.lower()
    passages, scorer = minutes(lower)
    assert check(scorer).run(ask("In which three Cambodian provinces did the revolt break out?"), passages) is None


# minutes of 2023 that speak of the present: a question set in another year asks what they do not hold
BRIEFING = (
    "Currently, there are 12 peacekeeping missions under way, primarily in Africa and the Middle East, "
    "with approximately 86,000 personnel."
)
YEAR = ANSWER_KINDS["year"].reason


def dated(text: str, date: str) -> tuple[list[Hit], SentenceScorer]:
    passages = [Hit(make_chunk(1, text, "Takashi Kobayashi", "Colonel", date=date), dense=0.6)]
    return passages, SentenceScorer.from_texts([text, *SETTING])


@pytest.mark.parametrize(
    "question, years",
    [
        ("How many peacekeeping missions were under way in 2015?", {"2015"}),
        ("Which mission did the Security Council decide to withdraw in 2019?", {"2019"}),  # "to" is no bound
        ("What was the 2023 budget for peacekeeping?", {"2023"}),
        ("How many people were trained by the middle of 2023?", {"2023"}),  # "of" places it
        ("How many people were trained by July 2023?", set()),
        ("How has peacekeeping changed since 2015?", set()),
        ("How many missions closed between 2015 and 2023?", set()),
        ("How many missions closed from 2015 to 2019?", set()),
        ("How many missions are under way?", set()),
    ],
)
def test_the_years_a_question_is_set_in_are_not_the_bounds_of_a_span(question, years):
    assert years_asked(question) == years


def test_a_question_set_in_a_year_the_passages_are_not_of_is_declined():
    passages, scorer = dated(BRIEFING, "2023-12-07")
    question = ask("How many peacekeeping missions were under way in 2015?")
    assert check(scorer).run(question, passages) == YEAR
    assert check(scorer, kinds=["count", "time", "name"]).run(question, passages) is None
    # minutes of the year asked answer it, and so does a passage that writes the year
    assert check(scorer).run(ask("How many peacekeeping missions were under way in 2023?"), passages) is None
    passages, scorer = dated(BRIEFING + " In 2015 there were 16.", "2023-12-07")
    assert check(scorer).run(question, passages) is None


@pytest.mark.parametrize(
    "text, date",
    [
        (BRIEFING, ""),  # undated minutes writing no year: no evidence of when they speak
        (BRIEFING + " Eight years ago there were 16.", "2023-12-07"),  # a time in words may be 2015
        (BRIEFING + " Last year there were 11.", "2023-12-07"),
    ],
)
def test_passages_that_may_speak_of_the_year_asked_are_no_evidence_against_it(text, date):
    passages, scorer = dated(text, date)
    assert check(scorer).run(ask("How many peacekeeping missions were under way in 2015?"), passages) is None


def test_a_question_bounding_a_span_by_a_year_is_not_checked_for_it():
    passages, scorer = dated(BRIEFING, "2023-12-07")
    assert check(scorer).run(ask("How many peacekeeping missions have been under way since 2015?"), passages) is None


@pytest.mark.parametrize(
    "question, counted",
    [
        ("How many Japanese staff officers are posted with UNMISS?", ["japanese", "staff", "officers"]),
        ("How many people had gone through the training?", ["people"]),
        ("Roughly how many personnel from how many countries take part?", ["personnel"]),
        ("What share of the budget does Japan pay?", []),  # a count, but of no named thing
    ],
)
def test_a_how_many_question_counts_the_words_after_how_many(question, counted):
    assert counted_words(question) == counted


KHARTOUM = "Clashes in Khartoum resulted in thousands of casualties, including UN staff."


def test_a_count_of_something_else_does_not_answer_how_many():
    passages = [Hit(make_chunk(3, KHARTOUM, "Takashi Kobayashi", "Colonel"), dense=0.6)]
    scorer = SentenceScorer.from_texts([KHARTOUM, *SETTING])
    assert check(scorer).run(ask("How many UN staff members were killed in Khartoum?"), passages) == FIGURE
    assert check(scorer).run(ask("How many casualties did the clashes in Khartoum cause?"), passages) is None


@pytest.mark.parametrize(
    "text",
    [
        "As of the 1st of July, more than 16,000 personnel have participated in training courses.",
        "UNMISS (South Sudan)\t63 months\t16,000\t260km",  # a table row: what it counts is in the header
    ],
)
def test_a_count_of_the_thing_asked_or_in_a_table_row_answers_how_many(text):
    passages = [Hit(make_chunk(3, text, "Machiko Kawasaki", "Colonel"), dense=0.6)]
    scorer = SentenceScorer.from_texts([text, *SETTING])
    assert (
        check(scorer).run(ask("How many personnel have taken part in training courses in South Sudan?"), passages)
        is None
    )


def test_a_name_of_several_words_mostly_in_the_question_is_no_new_name():
    """ "What was the title of the article he wrote opposing the intervention brigade?" is not
    answered by "I was against this Force Intervention Brigade": its one new word, "Force", is
    part of a name the question already gives."""
    said = "I was against this Force Intervention Brigade, more vigorous against."
    _, scorer = minutes(said, AKASHI, LATER)
    known = "What was the title of the article he wrote opposing the intervention brigade? Yasushi Akashi"
    assert names_in(said, known, scorer) == set()
    # half known is a name beside a known word: "Japanese Minister Kishida" names Kishida
    beside = "They heard the Japanese Minister Kishida on the brigade."
    _, scorer = minutes(beside, AKASHI, LATER)
    assert names_in(beside, "Which Japanese minister spoke?", scorer) == {"Kishida"}
    # a list is several names, not one: "Cambodia" known does not hide "Kampot" or "Kandal"
    listed = "The revolt was in Cambodia and Kampot, then Takeo and Kandal."
    _, scorer = minutes(listed, AKASHI, SAKAMOTO)
    assert names_in(listed, "Where in Cambodia was the revolt?", scorer) == {"Kampot", "Takeo", "Kandal"}
