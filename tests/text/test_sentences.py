import pytest

from rag.text import content_words, is_formality, split_sentences, stem, word_tokens, words


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "Japan pays 10.8 % of the budget. Gen. Cammaert agreed.",
            ["Japan pays 10.8 % of the budget.", "Gen. Cammaert agreed."],
        ),
        (
            "Dr. David M. Malone opened it. Mr. Akashi chaired.",
            ["Dr. David M. Malone opened it.", "Mr. Akashi chaired."],
        ),
        ("- 4. Ms. Mensa-Bonsu spoke. She left.", ["- 4. Ms. Mensa-Bonsu spoke.", "She left."]),
        ("Firstly, 3. he said that the panel reviews.", ["Firstly, 3. he said that the panel reviews."]),
        ('Is it? "Yes" he said.', ["Is it?", '"Yes" he said.']),
        ("Row one\tA\nRow two\tB", ["Row one\tA", "Row two\tB"]),
        ("The U.S. and France acted. Done.", ["The U.S. and France acted.", "Done."]),
    ],
)
def test_split_sentences(text, expected):
    assert split_sentences(text) == expected


def test_words_and_content_words():
    assert words("Mensa-Bonsu's 10.8 %") == ["mensa-bonsu's", "10", "8"]
    assert content_words("What did the panel say about Japan?") == ["panel", "japan"]


@pytest.mark.parametrize(
    "a, b",
    [("contributions", "contribution"), ("deployed", "deploy"), ("deploying", "deploys"), ("elections", "election")],
)
def test_stem_matches_word_forms(a, b):
    assert stem(a) == stem(b)


def test_stem_keeps_short_words():
    assert stem("uses") == "uses" and stem("peace") == "peace"


@pytest.mark.parametrize(
    "sentence, formality",
    [
        ("Thank you very much.", True),
        ("Good morning, ladies and gentlemen, and welcome.", True),
        ("Thank you, Mr. Chair, for giving me the floor.", True),
        ("I am from Embassy of Kenya.", False),
        ("Thank you for the question about training.", False),
        # a transcript's turns of filler and marks of non-speech say nothing either
        ("Yeah .", True),
        ("Mm-hmm , okay .", True),
        ("{vocalsound} {disfmarker}", True),
        ("[Translation]", True),
        ("Yeah , a lot of buttons .", False),
    ],
)
def test_is_formality(sentence, formality):
    assert is_formality(sentence) is formality


@pytest.mark.parametrize(
    "sentence, courtesy",
    [
        ("Thank you very much, General.", True),
        ("Thank you so much, Colonel.", True),
        ("Thank you, Colonel, for the figures on school meals.", False),
        ("The General Assembly met.", False),
    ],
)
def test_a_courtesy_may_address_someone_by_a_title_given(sentence, courtesy):
    from rag.text import TITLE_WORDS

    assert is_formality(sentence, TITLE_WORDS) is courtesy
    assert not is_formality(sentence)  # the titles are words like any other unless given


@pytest.mark.parametrize(
    "text, tokens",
    [
        ("an L_C_D_ display", ["an", "LCD", "display"]),  # a speech transcript spells an acronym
        ("the U.N. mission", ["the", "UN", "mission"]),
        ("two L_C_D_s", ["two", "LCDs"]),
        ("plan B. Then", ["plan", "B", "Then"]),  # one letter and a full stop is no spelling
        ("snake_case", ["snake", "case"]),
    ],
)
def test_a_word_spelt_letter_by_letter_is_one_word(text, tokens):
    assert word_tokens(text) == tokens
