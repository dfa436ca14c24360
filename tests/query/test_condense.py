import pytest

from rag.query.condense import Condenser, borrow_context, is_valid_rewrite

HISTORY = [("What did Colonel Klaffus say about the UN?", "Col. Klaffus said the UN no longer works as designed [1].")]


@pytest.mark.parametrize(
    "rewrite, valid",
    [
        ("What did Colonel Klaffus say about Afghanistan?", True),
        ("Did Klaffus mention Afghanistan?", True),
        # the previous answer, not a question
        ("Col. Klaffus said the UN no longer works as designed.", False),
        # a question that lost the follow-up's own topic
        ("What did Colonel Klaffus say about the UN?", False),
        # handed back unresolved: "he" or "that" still points into the conversation
        ("And what did he say about Afghanistan?", False),
        ("What did Colonel Klaffus say about that in Afghanistan?", False),
        # "he" replaced by nobody of the conversation
        ("What did the speaker say about Afghanistan?", False),
        ("", False),
    ],
)
def test_a_rewrite_must_be_a_question_keeping_the_follow_ups_topic(rewrite, valid):
    assert is_valid_rewrite(rewrite, "And what did he say about Afghanistan?", HISTORY, 1000) is valid


@pytest.mark.parametrize(
    "rewrite, valid",
    [
        ("How many troops did Germany keep in Mali, according to Colonel Klaffus?", True),
        # the fragment handed back: a question, nothing dropped, and yet it resolves nothing
        ("And in Mali?", False),
        ("What about Mali?", False),
    ],
)
def test_a_fragment_must_be_completed_from_the_conversation(rewrite, valid):
    history = [("How many troops did Germany keep in Afghanistan, according to Colonel Klaffus?", "")]
    assert is_valid_rewrite(rewrite, "And in Mali?", history, 1000) is valid


def test_a_follow_up_leaning_on_the_conversation_borrows_the_earlier_question():
    standalone = borrow_context("And what about this in Mali?", HISTORY)
    assert "klaffus" in standalone.lower() and "Mali" in standalone
    # borrowed as written: a name keeps the capital that tells it from an ordinary word
    assert "Klaffus" in standalone


@pytest.mark.parametrize(
    "follow_up, previous, borrowed",
    [
        # the follow-up asks for another place in the sequence: the previous one is not borrowed
        ("And the third?", "What was the second lesson Ms. Berg drew from Oslo?", "(lesson Ms Berg drew Oslo)"),
        ("And the 4th point?", "What was Mr. Ruiz's 3rd point on budgets?", "(Mr Ruiz's point budgets)"),
        # the same place asked again keeps it, however it is written
        ("And the second one in Oslo?", "What was the second lesson Ms. Berg drew?", "(second lesson Ms Berg drew)"),
        ("And the 2nd in Oslo?", "What was the second lesson Ms. Berg drew?", "(second lesson Ms Berg drew)"),
        # no place asked: the previous question's places stay
        ("And in Oslo?", "What was the first lesson Ms. Berg drew?", "(first lesson Ms Berg drew)"),
    ],
)
def test_a_follow_up_asking_for_another_place_in_a_sequence_borrows_the_rest(follow_up, previous, borrowed):
    assert borrow_context(follow_up, [(previous, "")]) == f"{follow_up} {borrowed}"


def test_a_fragment_with_a_person_and_a_place_in_a_sequence_borrows_the_sequence_too():
    history = [("What was the first observation Colonel Klaffus made on the reports?", "")]
    # "his" is the person; what "second" is the second of is the previous question's topic
    assert borrow_context("And his second?", history, _people) == (
        "And his second? (Werner Klaffus; observation Colonel Klaffus made reports)"
    )
    # a fragment naming no place in a sequence takes the person only, as before
    assert borrow_context("And his view?", history, _people) == "And his view? (Werner Klaffus)"


def _people(text):
    return ["Werner Klaffus"] if "klaffus" in text.lower() else []


def _two_people(text):
    return [name for name in ("Werner Klaffus", "Patrick Cammaert") if name.split()[1].lower() in text.lower()]


def test_he_is_resolved_to_the_person_the_conversation_named():
    history = [*HISTORY, ("What is the budget of MINUSMA?", "It was about one billion dollars [1].")]
    # "he" is the person of the earlier question, not the topic of the last one
    assert borrow_context("And what did he say about Afghanistan?", history, _people) == (
        "And what did he say about Afghanistan? (Werner Klaffus)"
    )
    # a follow-up that names its person needs nothing added
    assert borrow_context("And what did Klaffus say about Afghanistan?", history, _people) == (
        "And what did Klaffus say about Afghanistan?"
    )


def test_she_asked_about_again_is_the_person_an_earlier_turn_named():
    history = [
        ("Who spoke for the Ministry?", "Colonel Klaffus spoke for it [1]."),
        # the "he" question's answer quotes whoever its passages hold: not the person asked about
        ("What did he say about Mali?", "General Cammaert described Mali [1]."),
    ]
    assert borrow_context("And what did he say about Afghanistan?", history, _two_people) == (
        "And what did he say about Afghanistan? (Werner Klaffus)"
    )


@pytest.mark.parametrize(
    "rewrite, valid",
    [
        ("What did Werner Klaffus say about Afghanistan?", True),
        # "he" given to someone the conversation was not about (the small model puts whoever its
        # passages quoted last)
        ("What did Patrick Cammaert say about Afghanistan?", False),
        ("What did Klaffus and Cammaert say about Afghanistan?", True),
    ],
)
def test_he_in_a_rewrite_must_be_the_person_the_conversation_is_about(rewrite, valid):
    history = [("What did Colonel Klaffus say about the UN?", "General Cammaert said the UN needs drones [1].")]
    question = "And what did he say about Afghanistan?"
    assert is_valid_rewrite(rewrite, question, history, 1000, _two_people) is valid
    # without knowing who is who, only the form is judged
    assert is_valid_rewrite(rewrite, question, history, 1000)


def test_a_standalone_follow_up_is_kept_as_asked():
    question = "What did Ian Martin say about peace operations in Mali?"
    assert borrow_context(question, HISTORY) == question


def test_without_a_model_the_condenser_uses_the_heuristic():
    condenser = Condenser(None, None, 1000)
    assert condenser.run("And Afghanistan?", HISTORY) == borrow_context("And Afghanistan?", HISTORY)
    assert condenser.run("And Afghanistan?", []) == "And Afghanistan?"
    # one form to search: nothing beside it
    assert condenser.forms("And Afghanistan?", HISTORY) == [borrow_context("And Afghanistan?", HISTORY)]


def _three_people(text):
    return [n for n in ("Akiko Yuge", "Hideaki Shinoda", "Kenzo Oshima") if n.split()[1].lower() in text.lower()]


PRONOUNS = {"Akiko Yuge": "she", "Kenzo Oshima": "he"}


def test_she_is_resolved_to_the_people_the_minutes_call_she():
    history = [("Who spoke about prevention?", "Prof. Yuge and Prof. Shinoda spoke of it [1][2].")]
    question = "And what did she suggest about the rules?"
    assert borrow_context(question, history, _three_people, PRONOUNS.get) == f"{question} (Akiko Yuge)"
    # "he": Yuge is not meant, and nobody is known to be "he", so the person of unknown pronoun is
    assert borrow_context("And what did he say?", history, _three_people, PRONOUNS.get) == (
        "And what did he say? (Hideaki Shinoda)"
    )
    # without pronouns known, everyone the turn named
    assert borrow_context(question, history, _three_people) == f"{question} (Akiko Yuge, Hideaki Shinoda)"


def test_a_turn_naming_only_the_other_pronoun_is_passed_over():
    history = [
        ("What did Prof. Yuge say about prevention?", "She stressed a prevention lens [1]."),
        ("And Mr. Oshima?", "Mr. Oshima spoke of funding [1]."),
    ]
    # the last turn named only Oshima ("he"): "she" is the person of the turn before
    assert borrow_context("What did she say about rules?", history, _three_people, PRONOUNS.get) == (
        "What did she say about rules? (Akiko Yuge)"
    )
    # and a rewrite putting Oshima for "she" is refused
    assert not is_valid_rewrite(
        "What did Kenzo Oshima say about rules?",
        "What did she say about rules?",
        history,
        1000,
        _three_people,
        PRONOUNS.get,
    )
