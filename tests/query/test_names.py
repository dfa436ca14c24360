import pytest

from rag.errors import PipelineError
from rag.query.names import DocumentDirectory, SpeakerDirectory

SPEAKERS = {
    "Werner Klaffus": {"aliases": ["Col. Klaffus", "Colonel Werner Klaffus"]},
    "Hideaki Shinoda": {"aliases": ["SHINODA Hideaki", "Prof. SHINODA"]},
    "Audience member (Question 2)": {"aliases": []},
    "Audience member (Question 5)": {"aliases": []},
}


@pytest.fixture
def speakers():
    return SpeakerDirectory(SPEAKERS)


@pytest.mark.parametrize("name", ["Col. Klaffus", "col klaffus", "Werner Klaffus", "klaffus"])
def test_any_form_of_a_name_resolves_to_the_canonical_speaker(speakers, name):
    assert speakers.resolve(name) == "Werner Klaffus"


def test_unknown_and_ambiguous_names_are_one_line_errors(speakers):
    with pytest.raises(PipelineError, match="no speaker matches"):
        speakers.resolve("Napoleon")
    with pytest.raises(PipelineError, match="several speakers"):
        speakers.resolve("audience member")


@pytest.mark.parametrize(
    "question, named",
    [
        ("What did Klaffus say?", ["Werner Klaffus"]),
        ("How does Shinoda see Klaffus's point?", ["Werner Klaffus", "Hideaki Shinoda"]),
        ("What did the last questioner ask?", ["Audience member (Question 5)"]),
        ("What did the second questioner ask?", ["Audience member (Question 2)"]),
        ("What is peacekeeping?", []),
    ],
)
def test_speakers_a_question_names(speakers, question, named):
    assert speakers.named_in(question) == named


# an archive of several committees: family names and given names shared between members
COMMITTEES = {
    "Julie Morgan": {"aliases": ["Julie Morgan AM"], "docs": ["education_7"]},
    "Eluned Morgan": {"aliases": ["Eluned Morgan AM"], "docs": ["education_19"]},
    "Hefin David": {"aliases": ["Hefin David AM"], "docs": ["education_19"]},
    "David Blaney": {"aliases": ["Dr David Blaney"], "docs": ["education_20"]},
    "Steven Blaney": {"aliases": ["Hon. Steven Blaney (Bellechasse—Les Etchemins—Lévis, CPC)"], "docs": ["covid_3"]},
    "Kate Young": {"aliases": ["Ms. Kate Young (London West, Lib.)"], "docs": ["covid_8"]},
    "Grad D": {"aliases": [], "docs": ["Bed004"]},
    "Janet Finch-Saunders": {"aliases": ["Janet Finch-Saunders AM"], "docs": ["education_6"]},
}

# the minutes write "young" as an ordinary word too, never "blaney"
COMMITTEE_TURNS = {"Julie Morgan": ["Support for young people matters.", "Dr Blaney has answered that."]}


@pytest.mark.parametrize(
    "question, docs, named",
    [
        # a family name inside another member's full name names nobody else
        ("What did Julie Morgan think of the issues with HMRC?", None, ["Julie Morgan"]),
        ("What did Dr. David Blaney think of Brexit?", None, ["David Blaney"]),
        ("Why did Eluned Morgan disagree with Hefin David?", None, ["Eluned Morgan", "Hefin David"]),
        # a family name alone names every member of that name, and the meeting asked about decides
        ("What did Morgan say?", None, ["Julie Morgan", "Eluned Morgan"]),
        ("According to Blaney, why did EU students stop applying?", None, ["David Blaney", "Steven Blaney"]),
        ("According to Blaney, why did EU students stop applying?", ["education_20"], ["David Blaney"]),
        # a title and a family name are a full name when a form of the name has that title
        ("According to Dr. Blaney, why did EU students stop applying?", None, ["David Blaney"]),
        ("Did the Hon. Blaney reply?", None, ["Steven Blaney"]),
        # ... unless no one of that name spoke in it: then the name still stands
        ("What did Blaney say?", ["education_7"], ["David Blaney", "Steven Blaney"]),
        # a name no one else bears stands whatever the meeting: only a shared family name is narrowed
        ("Did Julie Morgan agree with Dr. Blaney?", ["education_20"], ["Julie Morgan", "David Blaney"]),
        # a question written with capitals writes names with them; one all in lower case may not
        ("What did the meeting discuss about the health of young people?", None, []),
        ("what did young say about rents?", None, ["Kate Young"]),
        # a family name the minutes never write as an ordinary word counts typed in lower case
        ("What did blaney say about students?", None, ["David Blaney", "Steven Blaney"]),
        # a label too short for its last word to be looked for alone is named whole
        ("What did Grad D think about the combinatorial input?", None, ["Grad D"]),
        ("What grade did D get?", None, []),
        # a name inside a longer hyphenated word, and a possessive in capitals, are still found
        ("Summarize Janet-Finch-Saunders' opinion on amendments.", None, ["Janet Finch-Saunders"]),
        ("WHAT WAS FINCH-SAUNDERS'S VIEW?", None, ["Janet Finch-Saunders"]),
        # the bracketed riding of a form is not a name ("Lib.)")
        ("What did the Lib. members say?", None, []),
    ],
)
def test_speakers_a_question_names_among_shared_names(question, docs, named):
    assert SpeakerDirectory(COMMITTEES, COMMITTEE_TURNS).named_in(question, docs) == named


def test_an_audience_member_of_another_meeting_is_still_named_within_one():
    """Audience members have no family name: the meeting narrows only names speakers share."""
    speakers = {**SPEAKERS, "Werner Klaffus": {"aliases": [], "docs": ["tokyo"]}}
    speakers["Audience member (Question 2)"] = {"aliases": [], "docs": ["geneva"]}
    named = SpeakerDirectory(speakers).named_in("What did the second questioner ask Klaffus?", ["tokyo"])
    assert named == ["Werner Klaffus", "Audience member (Question 2)"]


# audience members as the segmenter records them: its name, and the document's labels as aliases
LABELLED = {
    "Werner Klaffus": {"aliases": ["Col. Klaffus"]},
    "Audience member (Question 2)": {"aliases": ["(Question 2)"]},
    "Audience member (Question 5)": {"aliases": ["(Question 5)", "(Questioner)"]},
}


@pytest.mark.parametrize(
    "question, named",
    [
        ("What did the 5th audience member ask?", ["Audience member (Question 5)"]),
        ("What did the last audience questioner ask?", ["Audience member (Question 5)"]),
        ("What was asked in question no. 2?", ["Audience member (Question 2)"]),
        (
            "Compare question 2 and the fifth questioner.",
            ["Audience member (Question 2)", "Audience member (Question 5)"],
        ),
        ("What did Klaffus answer to the last question?", ["Werner Klaffus", "Audience member (Question 5)"]),
        # an ordinal before a word that names no audience member, and a question the minutes lack
        ("Which first member states sent troops?", []),
        ("What did the twelfth questioner ask?", []),
    ],
)
def test_audience_members_by_order(question, named):
    assert SpeakerDirectory(LABELLED).named_in(question) == named


HEARING = {
    "Kirsty Williams": {"aliases": ["Kirsty Williams AM"]},
    "Sian Gwenllian": {"aliases": ["Sian Gwenllian AM"]},
    "Marketing": {},
    "Industrial Designer": {},
}


@pytest.mark.parametrize(
    "question, subject",
    [
        ("How did Kirsty Williams AM answer Sian Gwenllian AM's question?", "Kirsty Williams"),
        ("What did Sian Gwenllian ask Kirsty Williams?", "Sian Gwenllian"),
        ("Why did the Industrial Designer disagree with Marketing?", "Industrial Designer"),
        # several subjects, or none in the wh-question's subject place
        ("What did Kirsty Williams AM and Sian Gwenllian agree on?", None),
        ("What did Marketing, and Industrial Designer think?", None),
        ("Summarize what Marketing said to Industrial Designer.", None),
        ("What was said about Marketing by Industrial Designer?", None),
    ],
)
def test_the_speaker_a_question_asks_about_is_the_subject_of_its_wh_question(question, subject):
    directory = SpeakerDirectory(HEARING)
    assert directory.subject_of(question, directory.named_in(question)) == subject


def test_the_nouns_for_audience_members_are_the_documents_labels():
    """Minutes that label their floor turns "(Intervention 2)" are asked about "the second
    intervention"; a noun no label uses points at nobody."""
    speakers = {"Audience member (Question 2)": {"aliases": ["(Intervention 2)"]}}
    directory = SpeakerDirectory(speakers)
    assert directory.named_in("What did the second intervention propose?") == ["Audience member (Question 2)"]
    assert directory.named_in("What did intervention 2 propose?") == ["Audience member (Question 2)"]
    assert directory.named_in("What did the second participant propose?") == []


def test_documents_by_id_file_name_or_unique_part():
    documents = DocumentDirectory(["2015-01-28-hippo", "2023-12-07-symposium"])
    assert documents.resolve("hippo") == "2015-01-28-hippo"
    assert documents.resolve("2023-12-07-symposium.txt") == "2023-12-07-symposium"
    with pytest.raises(PipelineError, match="several documents"):
        documents.resolve("20")


DESCRIBED = {
    "Werner Klaffus": {
        "role": "Colonel, Commander, Bundeswehr UN Training Centre; German Bundeswehr",
        "aliases": ["Col. Klaffus"],
    },
    "Machiko Kawasaki": {
        "role": "Colonel, Commander, Military Medicine Research Unit, JGSDF",
        "aliases": ["Colonel Kawasaki"],
    },
    "Audience member (Question 7)": {"role": "Embassy of Kenya", "aliases": []},
    "Audience member (Question 4)": {"role": "Sudan Embassy", "aliases": []},
    "Bill Blair": {"role": "Minister of Public Safety and Emergency Preparedness", "aliases": ["Hon. Bill Blair"]},
    "Alain Therrien": {"role": "", "affiliation": "La Prairie, BQ", "aliases": ["Mr. Alain Therrien"]},
}


@pytest.mark.parametrize(
    "question, described",
    [
        ("What did the German colonel say about why the UN no longer works?", ["Werner Klaffus"]),
        ("What did the Kenyan embassy participant ask?", ["Audience member (Question 7)"]),
        ("What did the Minister say about the border?", ["Bill Blair"]),
        ("What did the member for La Prairie ask?", ["Alain Therrien"]),
        # two colonels: "the colonel" alone singles out no one
        ("What did the colonel recommend?", []),
        # "embassy" describes two audience members: not enough on its own
        ("What did the embassy ask?", []),
        ("What is peacekeeping?", []),
        # a word of someone's role inside another phrase is no reference to them
        ("How large was the engineering unit Japan sent?", []),
    ],
)
def test_speakers_described_by_role_affiliation_or_nationality(question, described):
    assert SpeakerDirectory(DESCRIBED).described_in(question) == described


PRONOUN_SPEAKERS = {
    "Junko Sazaki": {"aliases": ["Ms. Junko Sazaki"]},
    "Kenzo Oshima": {"aliases": ["Mr. Oshima"]},
    "Akiko Yuge": {"aliases": ["Prof. Akiko Yuge"]},
    "Hideaki Shinoda": {"aliases": ["Prof. Shinoda"]},
    "Ian Martin": {"aliases": ["Prof. Martin"]},
}
PRONOUN_TURNS = {
    # reported minutes: the pronoun after the speaker's name is theirs
    "Akiko Yuge": ["Prof. Akiko Yuge said that, speaking from her 30 years of experience, prevention matters."],
    # first person, and a pronoun far from any name of theirs: nothing to learn
    "Hideaki Shinoda": ["I am Shinoda, the moderator of this panel today and I would like to thank him."],
    # the minutes' two pronouns after the name disagree: unknown, not guessed
    "Ian Martin": ["Prof. Martin said he agreed.", "Martin recalled that she had asked first."],
}


def test_the_pronoun_a_speaker_takes_is_learnt_from_honorifics_and_reported_minutes():
    speakers = SpeakerDirectory(PRONOUN_SPEAKERS, PRONOUN_TURNS)
    assert speakers.pronoun_of("Junko Sazaki") == "she"
    assert speakers.pronoun_of("Kenzo Oshima") == "he"
    assert speakers.pronoun_of("Akiko Yuge") == "she"
    assert speakers.pronoun_of("Hideaki Shinoda") is None
    assert speakers.pronoun_of("Ian Martin") is None
    # without the turns only the honorifics say anything
    assert SpeakerDirectory(PRONOUN_SPEAKERS).pronoun_of("Akiko Yuge") is None
