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


def test_documents_by_id_file_name_or_unique_part():
    documents = DocumentDirectory(["2015-01-28-hippo", "2023-12-07-symposium"])
    assert documents.resolve("hippo") == "2015-01-28-hippo"
    assert documents.resolve("2023-12-07-symposium.txt") == "2023-12-07-symposium"
    with pytest.raises(PipelineError, match="several documents"):
        documents.resolve("20")
