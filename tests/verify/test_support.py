import pytest

from rag.verify.support import SupportChecker, answer_sentences
from tests.helpers.passages import CAMMAERT, OSHIMA, Hit, make_chunk


@pytest.fixture
def cited():
    return [
        Hit(make_chunk(6, OSHIMA, "Kenzo Oshima", "Executive Director, Africa Association")),
        Hit(make_chunk(40, CAMMAERT, "Patrick Cammaert", "Royal Netherlands Marine Corps")),
    ]


@pytest.fixture
def checker(cited):
    from rag.text.relevance import SentenceScorer

    return SupportChecker(
        SentenceScorer.from_texts([c.chunk.text for c in cited] + ["Peace.", "The UN met."]), threshold=0.5
    )


def test_supported_claims_and_quotes(checker, cited):
    answer = "Kenzo Oshima said Japan pays around 10.8 % of the peacekeeping budget [1]. Cammaert saw 309 names on the memorial wall in Bamako [2]."
    report = checker.check(answer, cited)
    assert report.unsupported == []
    assert "10.8 %" in report.quotes[1] and "309 names" in report.quotes[2]


@pytest.mark.parametrize(
    "answer, why",
    [
        ("Japan pays around 25 % of the peacekeeping budget [1].", "wrong number"),
        ("Japan pays around 10.8 % of the peacekeeping budget [2].", "wrong citation"),
        ("The Khmer Rouge attacked UNTAC headquarters in Phnom Penh [1].", "unrelated claim"),
    ],
)
def test_unsupported_claims_are_listed(checker, cited, answer, why):
    report = checker.check(answer, cited)
    assert len(report.unsupported) == 1, why
    assert report.unsupported[0]["citations"] == [int(answer[-3])]


@pytest.mark.parametrize(
    "answer, supported",
    [
        ("Cammaert saw six names on the memorial wall in Bamako [2].", False),  # a figure in words must be the source's
        (
            "Cammaert saw 30 names on the memorial wall in Bamako [2].",
            False,
        ),  # "30" is inside "309", not a figure of it
        ("Cammaert saw hundreds of names on the memorial wall in Bamako [2].", True),  # 309 states hundreds
        ("Cammaert saw 309 names on the memorial wall in Bamako [2].", True),
    ],
)
def test_a_claims_figures_must_be_figures_of_its_source_in_digits_or_words(checker, cited, answer, supported):
    assert (checker.check(answer, cited).unsupported == []) is supported


def test_a_figure_the_source_writes_in_words_supports_the_same_in_digits():
    from rag.text.relevance import SentenceScorer

    source = [
        Hit(make_chunk(3, "The course lasted two weeks in Tokyo with twenty-five senior officials.", "Hideaki Shinoda"))
    ]
    checker = SupportChecker(SentenceScorer.from_texts([source[0].chunk.text, "Peace."]), threshold=0.5)
    assert checker.check("The course in Tokyo lasted 2 weeks with 25 senior officials [1].", source).unsupported == []
    assert checker.check("The course in Tokyo lasted six weeks [1].", source).unsupported != []


def test_uncited_sentences_are_reported_separately(checker, cited):
    report = checker.check("Peacekeeping matters. Japan pays 10.8 % [1].", cited)
    assert report.uncited == ["Peacekeeping matters."] and report.unsupported == []


def test_trailing_marker_stays_with_its_sentence():
    assert answer_sentences("Japan pays 10.8 %. [1] Cammaert saw names. [2]") == [
        "Japan pays 10.8 %. [1]",
        "Cammaert saw names. [2]",
    ]


def test_a_wrong_citation_is_repointed_to_the_one_passage_that_supports_it(checker, cited):
    text, repairs = checker.repair("Japan pays around 10.8 % of the peacekeeping budget [2].", cited)
    assert text == "Japan pays around 10.8 % of the peacekeeping budget [1]."
    assert repairs == [{"sentence": "Japan pays around 10.8 % of the peacekeeping budget.", "from": [2], "to": 1}]


def test_right_or_unsupportable_citations_are_left_alone(checker, cited):
    right = "Japan pays around 10.8 % of the peacekeeping budget [1]."
    assert checker.repair(right, cited) == (right, [])
    invented = "The Khmer Rouge attacked UNTAC headquarters in Phnom Penh [1]."
    assert checker.repair(invented, cited) == (invented, [])


@pytest.mark.parametrize(
    "answer, repaired, to",
    [
        # one marker after two sentences of the same passage: the first gets it too
        (
            "Oshima said Japan's financial contribution to UN peacekeeping is the second largest. It is around 10.8 % of the overall budget [1].",
            "Oshima said Japan's financial contribution to UN peacekeeping is the second largest [1]. It is around 10.8 % of the overall budget [1].",
            1,
        ),
        # no neighbour cites anything: the one passage that supports it
        (
            "Cammaert saw 309 names on the memorial wall in Bamako.",
            "Cammaert saw 309 names on the memorial wall in Bamako [2].",
            2,
        ),
    ],
)
def test_an_uncited_sentence_gets_the_passage_that_supports_it(checker, cited, answer, repaired, to):
    text, repairs = checker.repair(answer, cited)
    assert text == repaired
    assert [r["to"] for r in repairs] == [to] and repairs[0]["from"] == []


def test_an_uncited_sentence_no_passage_supports_stays_uncited(checker, cited):
    answer = "The Khmer Rouge attacked UNTAC headquarters in Phnom Penh. Japan pays around 10.8 % of the budget [1]."
    assert checker.repair(answer, cited) == (answer, [])


@pytest.mark.parametrize("year, supported", [("2015", True), ("2019", False)])
def test_a_year_may_come_from_the_date_the_passage_is_shown_with(checker, cited, year, supported):
    # the model reads "Kenzo Oshima (...), Discussion, Test minutes (2015-01-28):" above the text
    report = checker.check(
        f"In {year}, Kenzo Oshima said Japan pays around 10.8 % of the peacekeeping budget [1].", cited
    )
    assert (report.unsupported == []) is supported


def test_a_copied_header_line_is_not_a_supported_claim(checker, cited):
    header_only = "Kenzo Oshima (Executive Director, Africa Association), Discussion, Test minutes (2015-01-28) [1]."
    assert checker.check(header_only, cited).unsupported != []
    assert checker.check("Kenzo Oshima [1].", cited).unsupported == []  # "Who said ...?" answered by a name


# a question whose premise one passage holds and whose answer another gives
RESILIENCE = [
    Hit(make_chunk(1, "NATO set seven baseline requirements for resilience in member states.", "Tomonori Yoshizaki")),
    Hit(make_chunk(2, "On the top, the most important one, is continuity of government.", "Tomonori Yoshizaki")),
]
RESILIENCE_QUESTION = "Which of NATO's seven baseline requirements for resilience is the most important?"


def resilience_checker() -> SupportChecker:
    from rag.text.relevance import SentenceScorer

    texts = [p.chunk.text for p in RESILIENCE] + ["Peace.", "The UN met.", "Japan pays.", "Mali."]
    return SupportChecker(SentenceScorer.from_texts(texts), threshold=0.5)


def test_a_claim_restating_the_premise_the_shown_passages_hold_is_judged_by_what_it_adds():
    checker = resilience_checker()
    claim = "Continuity of government is the most important of NATO's baseline requirements for resilience [1]."
    # without the question, the premise's words count against passage 2, which does not repeat them
    assert checker.check(claim, [RESILIENCE[1]]).unsupported
    premise = checker.grounded(RESILIENCE_QUESTION, RESILIENCE)
    assert {"baseline", "requirement", "resilience", "nato"} <= premise["doc", "Tomonori Yoshizaki"]
    assert checker.check(claim, [RESILIENCE[1]], premise).unsupported == []


def test_what_a_claim_adds_must_still_be_in_the_passage_it_cites():
    checker = resilience_checker()
    premise = checker.grounded(RESILIENCE_QUESTION, RESILIENCE)
    wrong = "Energy security is the most important of NATO's baseline requirements for resilience [1]."
    assert checker.check(wrong, [RESILIENCE[1]], premise).unsupported
    # a figure is not excused for being the question's: it must be the cited passage's
    seven = "Continuity of government is the most important of the seven requirements [1]."
    assert checker.check(seven, [RESILIENCE[1]], premise).unsupported
    # a premise no shown passage holds is no premise: "Arctic" is not grounded
    assert (
        "arctic"
        not in checker.grounded("What did NATO require in the Arctic?", RESILIENCE)["doc", "Tomonori Yoshizaki"]
    )
    # another speaker's passage holding the premise is no premise of this speaker's claim
    other = [Hit(make_chunk(1, RESILIENCE[0].chunk.text, "Patrick Cammaert")), RESILIENCE[1]]
    claim = "Continuity of government is the most important of NATO's baseline requirements for resilience [1]."
    assert checker.check(claim, [RESILIENCE[1]], checker.grounded(RESILIENCE_QUESTION, other)).unsupported
