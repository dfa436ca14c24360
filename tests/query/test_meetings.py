import pytest

from rag.minutes import DocumentInfo
from rag.query.meetings import MeetingCheck, qualified_names, qualifier, tokenize

DOCUMENTS = [
    DocumentInfo("committee-2019", "Standing Committee on Public Safety and National Security", date="2019-05-14"),
    DocumentInfo("forum-2022", "Regional Water Forum: Rivers Across Borders", date="2022-10-03"),
]
TEXTS = {
    "committee-2019": ["The Chair opened the meeting and welcomed the Minister."],
    # an edition and another meeting's year, written against their names in the minutes themselves
    "forum-2022": [
        "Welcome to the 5th Regional Water Forum.",
        "The 2021 Coastal Fisheries Summit agreed on quotas.",
        "River levels fell between 2018 and 2020.",
    ],
}
SPEAKERS = {"committee-2019": {"Jane Doe", "Bill Blair"}, "forum-2022": {"Amara Okafor"}}


@pytest.fixture
def check():
    return MeetingCheck(DOCUMENTS, TEXTS, SPEAKERS)


@pytest.mark.parametrize(
    "token, expected",
    [
        ("2019", "2019"),
        ("11th", "#11"),
        ("1st", "#1"),
        ("Eleventh", "#11"),
        ("fifth", "#5"),
        ("19", None),
        ("ten", None),
    ],
)
def test_qualifier(token, expected):
    assert qualifier(token) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("the 12th International Peace Symposium", [("#12", ["International", "Peace", "Symposium"])]),
        (
            "International Peace & Security Symposium 2023",
            [("2023", ["International", "Peace", "Security", "Symposium"])],
        ),
        ("the informal Panel meeting held in Tokyo in January 2019", [("2019", ["informal", "Panel"])]),
        ("What did she say about water rivers in 2019?", []),  # a year dating the topic, not a meeting
        ("Figures rose between 2018 and 2020.", []),
    ],
)
def test_qualified_names(text, expected):
    tokens = tokenize(text)
    assert [(found.qualifier, sorted(tokens[i] for i in found.name)) for found in qualified_names(tokens)] == [
        (q, sorted(name)) for q, name in expected
    ]


@pytest.mark.parametrize(
    "question",
    [
        "Who spoke at the 2019 Standing Committee on Public Safety?",  # the document's date
        "What did the 5th Regional Water Forum decide?",  # an edition the minutes give
        "What did the 2021 Coastal Fisheries Summit agree?",  # a meeting the minutes mention
        "What did the Public Safety committee say about policing in 2015?",  # the year dates the topic
        "What did the first questioner ask the Regional Water Forum?",  # an ordinal of a person
        "Who chaired the forum in 2023?",  # one title word names no meeting
        "What did Amara Okafor say at the 5th Regional Water Forum?",
        "What did Bill Blair tell the Public Safety committee held in 2019?",
    ],
)
def test_run_answers_meetings_the_archive_holds(check, question):
    assert check.run(question) is None


@pytest.mark.parametrize(
    "question, phrase",
    [
        ("Who spoke at the 2017 Standing Committee on Public Safety?", "2017 Standing Committee on Public Safety"),
        ("What did the 3rd Regional Water Forum decide?", "3rd Regional Water Forum"),
        ("What was agreed at the Water Forum held in Lagos in 2020?", "Water Forum held in Lagos in 2020"),
    ],
)
def test_run_declines_a_meeting_at_a_time_the_archive_does_not_hold(check, question, phrase):
    reason = check.run(question)
    assert reason is not None and f"“{phrase}”" in reason
    assert "Regional Water Forum: Rivers Across Borders (2022-10-03)" in reason or "(2019-05-14)" in reason


@pytest.mark.parametrize(
    "speakers, declined",
    [(["Amara Okafor"], True), (["Jane Doe"], False), (["Amara Okafor", "Jane Doe"], False), ([], False)],
)
def test_run_declines_a_speaker_absent_from_the_meeting_named(check, speakers, declined):
    reason = check.run("What did she say at the 2019 Standing Committee on Public Safety?", speakers)
    assert (reason is not None) == declined
    if declined:
        assert reason == (
            "Amara Okafor did not speak at Standing Committee on Public Safety and National Security (2019-05-14)."
        )


def test_run_does_not_decline_a_speaker_when_other_minutes_mention_that_meeting_too():
    # another document writes of the same committee in 2019: there may have been sittings the
    # archive does not hold, so who spoke there is not known
    texts = {**TEXTS, "forum-2022": [*TEXTS["forum-2022"], "The 2019 Standing Committee on Public Safety heard us."]}
    check = MeetingCheck(DOCUMENTS, texts, SPEAKERS)
    assert check.run("What did she say at the 2019 Standing Committee on Public Safety?", ["Amara Okafor"]) is None


def test_run_does_not_place_a_speaker_by_a_meeting_only_mentioned(check):
    # the archive knows the 2021 summit only from another meeting's minutes: who spoke there is unknown
    assert check.run("What did Jane Doe say at the 2021 Coastal Fisheries Summit?", ["Jane Doe"]) is None
