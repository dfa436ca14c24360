import pytest

from rag.query.answerable import AnswerabilityCheck, Vocabulary, key_terms
from rag.text.relevance import SentenceScorer

MINUTES = [
    "Gen. Cammaert said UNMISS protected civilians in South Sudan in 2015.",
    "Dr. Ramos-Horta spoke about Haiti and the budget of 7,800 million dollars.",
    "Afghanistan was discussed by Col. Klaffus.",
]


@pytest.fixture
def check():
    return AnswerabilityCheck(SentenceScorer.from_texts(MINUTES))


@pytest.mark.parametrize(
    "question, terms",
    [
        ("What did Cammaert say about Haiti?", ["Cammaert", "Haiti"]),
        ("Haiti: what did they say?", []),  # the first word is capitalised anyway
        ("How much did Japan pay in 2016?", ["Japan", "2016"]),
        ("How many of the 15 battalions were deployed?", []),  # small numbers are often written out
        ("What Did The Panel Say About UNMISS Training?", ["UNMISS"]),  # Title Case: acronyms only
        ("what did klaffus say about afghanistan's population?", []),
        ("What did Afghanistan's delegate say?", ["Afghanistan"]),
        ("In the 21st century, who spoke?", []),
        ("Who spoke in the Q&A about reform?", []),  # single letters are not names
        ("Who spoke about U.N. reform?", ["UN"]),  # a word spelt letter by letter is read as the word
        ("Why not an L_C_D_ screen?", ["LCD"]),  # as speech transcripts spell acronyms
        # a quotation opens with a capital as a sentence does: its first word is no name
        ('To what extent was "Anyone convicted of assault will be barred" applied by Jenkins?', ["Jenkins"]),
        ("What did Blair say about 'Pearson' and \"UNIFIL\"?", ["Blair", "UNIFIL"]),  # acronyms stay names
        ("Did Merkel or Macron visit Ukraine?", ["Merkel", "Macron", "Ukraine"]),  # names, not Title Case
        ("WHAT DID THE UNMISS CHIEF SAY IN 2016?", ["2016"]),  # capitals: only figures tell
    ],
)
def test_key_terms(question, terms):
    assert key_terms(question) == terms


@pytest.mark.parametrize(
    "question, missing",
    [
        ("What did Gen. Cammaert say about civilians?", None),
        ("What did Cammert say about civilians?", None),  # one letter off a known name
        ("What did Ramos Horta say about Haiti?", None),
        ("What did Ramos-Horta say about Haiti's budget?", None),
        ("What did Klaffus say about Afghanistan's army?", None),
        ("What did Klaffus say about the Arctic?", "“Arctic”"),
        ("What did the Afghan and Sudanese delegates say?", None),  # adjectives of known places
        ("What happened in South Sudan in 2016?", "“2016”"),  # a figure must match exactly
        ("What happened in South Sudan in 2015?", None),
        ("Did Merkel or Macron visit Ukraine?", "“Merkel” or “Macron” or “Ukraine”"),
        ("What did RamosHorta say about Haiti?", None),  # two known names typed without their space
        ("What did HaitiMerkel say?", "“HaitiMerkel”"),  # ... every part of them known
    ],
)
def test_run_names_what_the_minutes_never_mention(check, question, missing):
    reason = check.run(question)
    if missing is None:
        assert reason is None
    else:
        assert reason == f"They never mention {missing}."


@pytest.mark.parametrize(
    "term, known",
    [("Cammert", True), ("Cammaertt", True), ("Zammerx", False), ("Cam", False), ("2016", False)],
)
def test_vocabulary_tolerates_misspellings_of_one_or_two_letters(term, known):
    vocabulary = Vocabulary.of(["General Cammaert spoke in 2015 about peacekeeping"])
    assert vocabulary.knows(term) is known


@pytest.mark.parametrize(
    "term, known",
    [
        ("Cammert", True),  # a name misspelt: one letter off a name of the minutes
        ("Pearson", False),  # one letter off "person", which the minutes write in lower case
        ("SADC", False),  # one letter off "sad"
        ("persn", True),  # a word asked in lower case is forgiven against every word
        ("Person", True),  # the word itself, capitalised, is still known
    ],
)
def test_a_name_is_forgiven_a_misspelling_only_against_names(term, known):
    vocabulary = Vocabulary.of(["General Cammaert said a person may be sad. The UNMISS person."])
    assert vocabulary.knows(term) is known


@pytest.mark.parametrize("term, known", [("Malian", True), ("Pakistani", True), ("Haiti", False)])
def test_a_place_is_known_from_its_adjective_but_not_by_a_near_spelling_of_the_cut_word(term, known):
    # "Haiti" cut like "Pakistani" is "hait", one letter from "wait": not a sign the minutes know Haiti
    vocabulary = Vocabulary.of(["They wait in Mali and in Pakistan."])
    assert vocabulary.knows(term) is known


# --- a question about one speaker: their own turns must hold most of its words -------------------

TURNS = {
    "Werner Klaffus": [
        "Werner Klaffus, Colonel, German Bundeswehr\nThe last 30 years were happy years. All the nations agreed on every mission.",
        "Werner Klaffus, Colonel, German Bundeswehr\nThe coalition trained Afghan soldiers, but the army collapsed within days.",
    ],
    "Rika Yamamoto": [
        "Rika Yamamoto, Peace Winds Japan\nOften their ardent wish is for the fighting to stop and for school."
    ],
}
NAMES = {"Werner Klaffus": ["Werner Klaffus", "Colonel Klaffus"], "Rika Yamamoto": ["Rika Yamamoto"]}
IDF_TEXTS = [text for turns in TURNS.values() for text in turns] + [
    "Climate change and the weather were discussed by the moderator.",
    "Where the training centre was born is a story of the Cold War.",
]


def speaker_check(min_coverage: float) -> AnswerabilityCheck:
    return AnswerabilityCheck(SentenceScorer.from_texts(IDF_TEXTS), TURNS, NAMES, min_coverage)


@pytest.mark.parametrize(
    "question, speaker, unsaid",
    [
        ("Where was Colonel Klaffus born?", "Werner Klaffus", ["born"]),
        ("What did Rika Yamamoto say about climate change?", "Rika Yamamoto", ["climate", "change"]),
        ("Why did Klaffus say the last years were happy?", "Werner Klaffus", None),
        # a paraphrase: most of the question's weight is still in his words
        (
            "What did Klaffus say about the Afghan army the coalition trained and how it fell apart?",
            "Werner Klaffus",
            None,
        ),
        ("What did Klaffus say?", "Werner Klaffus", None),  # nothing but his name to check
    ],
)
def test_a_question_about_one_speaker_mostly_in_words_they_never_used_is_suspect(question, speaker, unsaid):
    check = speaker_check(0.25)
    assert check.run(question, [speaker]) is None  # words are not names: no refusal before the evidence
    found = check.unsaid(question, [speaker])
    if unsaid is None:
        assert found is None
    else:
        assert found is not None and found.speaker == speaker and sorted(found.words) == sorted(unsaid)
        assert (
            found.reason
            == f"They never record {speaker} mentioning " + " or ".join(f"“{w}”" for w in found.words) + "."
        )
        # the topic is the question without the speaker's name: the name alone makes all their turns similar
        assert "Klaffus" not in found.topic and "Yamamoto" not in found.topic and unsaid[0] in found.topic


def test_without_a_coverage_share_only_names_and_figures_of_a_speaker_are_checked():
    assert speaker_check(0.0).unsaid("Where was Colonel Klaffus born?", ["Werner Klaffus"]) is None
    # ... and the words are checked only for a question about one speaker
    assert speaker_check(0.25).unsaid("Where was the training centre born?", []) is None


# --- a hearing: a witness answers the question put to them -----------------------------------------
QUESTION_PUT = "On May 27 the border agency seized 65 handguns at Pearson airport."
ANSWER_GIVEN = "Gun violence in any of our communities is unacceptable, and the agency works with police."
ELSEWHERE = "Flights to Halifax resumed last week."


@pytest.mark.parametrize("answered, refused", [(True, False), (False, True)], ids=["answered-turns", "own-turns-only"])
def test_a_name_in_the_question_a_speaker_answered_is_no_name_they_never_heard(answered, refused):
    scorer = SentenceScorer.from_texts([QUESTION_PUT, f"Bill Blair: {ANSWER_GIVEN}", ELSEWHERE])
    check = AnswerabilityCheck(
        scorer,
        {"Bill Blair": [ANSWER_GIVEN]},
        {"Bill Blair": ["Bill Blair"]},
        answered_texts={"Bill Blair": [QUESTION_PUT]} if answered else None,
    )
    reason = check.run("What did Bill Blair respond about the seizure at Pearson airport?", ["Bill Blair"])
    assert reason == ("They never record Bill Blair mentioning “Pearson”." if refused else None)
    # a name only others said, in turns he did not answer, is still one he is not recorded saying
    assert check.run("What did Bill Blair say about Halifax?", ["Bill Blair"]) == (
        "They never record Bill Blair mentioning “Halifax”."
    )


BY_DOCUMENT = {"hippo": MINUTES[1:], "symposium": MINUTES[:1], "other": ["Col. Klaffus spoke of Kabul."]}


@pytest.mark.parametrize(
    "docs, reason",
    [
        (["hippo"], None),  # Ramos-Horta and Haiti are in the minutes searched
        (["symposium"], "The minutes searched never mention “Ramos-Horta” or “Haiti”."),
        (["symposium", "hippo"], None),  # every document searched counts
        (["symposium", "hippo", "other"], None),  # the whole archive: the archive's check decided
        (None, None),
        (["unknown"], None),  # no document of the archive: nothing to check against
    ],
    ids=["there", "another-meeting", "two-searched", "all-searched", "no-filter", "unknown-document"],
)
def test_a_search_within_documents_turns_on_names_those_documents_hold(docs, reason):
    check = AnswerabilityCheck(SentenceScorer.from_texts(MINUTES), document_texts=BY_DOCUMENT)
    assert check.run("What did Ramos-Horta say about Haiti?", docs=docs) == reason
    # a name the whole archive lacks is reported as before, whatever the filter
    assert check.run("What did Klaffus say about the Arctic?", docs=["hippo"]) == "They never mention “Arctic”."
