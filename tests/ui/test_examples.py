import pytest

from tests.helpers import CORPUS
from ui.examples import ExamplesError, example_questions


def test_examples_come_from_the_manifest_chat_table_then_documents(tmp_path):
    (tmp_path / "minutes.toml").write_text(
        '[chat]\nexamples = ["Who chaired?", "What was decided?"]\n\n'
        '["a.txt"]\ntitle = "A"\nexamples = ["What was decided?", "Who spoke last?"]\n'
    )
    assert example_questions(tmp_path) == ["Who chaired?", "What was decided?", "Who spoke last?"]


def test_no_manifest_or_no_examples_means_no_examples(tmp_path):
    assert example_questions(tmp_path) == []
    (tmp_path / "minutes.toml").write_text('["a.txt"]\ntitle = "A"\n')
    assert example_questions(tmp_path) == []


def test_the_corpus_offers_its_examples_and_a_bad_list_is_one_line(tmp_path):
    assert "How much of the UN peacekeeping budget does Japan pay?" in example_questions(CORPUS)
    (tmp_path / "minutes.toml").write_text('[chat]\nexamples = "one question"\n')
    with pytest.raises(ExamplesError, match="`examples` must be a list of questions"):
        example_questions(tmp_path)
