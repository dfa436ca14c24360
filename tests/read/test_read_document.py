import hashlib

import pytest

from rag.read import ReadError, find_documents, load_manifest, read_document
from tests.helpers import CORPUS, HIPPO, SYMPOSIUM


def test_corpus_files_read_with_manifest_metadata():
    manifest = load_manifest(CORPUS)
    for path, date in ((HIPPO, "2015-01-28"), (SYMPOSIUM, "2023-12-07")):
        source = read_document(path, manifest)
        assert source.text == path.read_text(encoding="utf-8")
        assert source.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
        assert source.info.doc_id == path.stem and source.info.date == date and source.info.venue
    assert "HIPPO" in read_document(HIPPO, manifest).info.title


def test_find_documents_skips_readme_and_manifest(tmp_path):
    for name in ("b.txt", "a.md", "README.md", "minutes.toml", "notes.csv"):
        (tmp_path / name).write_text("Some minutes.")
    assert [p.name for p in find_documents([tmp_path])] == ["a.md", "b.txt"]


def test_document_without_manifest_entry(tmp_path):
    path = tmp_path / "2020-05-01-board.md"
    path.write_text("\n# Board meeting\n\nThe CHAIR: Welcome.\n", encoding="utf-8")
    info = read_document(path).info
    assert info.title == "Board meeting" and info.date == "2020-05-01" and info.doc_id == "2020-05-01-board"


def test_crlf_normalised_and_bom_stripped(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes("\ufeffLine one.\r\n\r\nLine two.".encode("utf-8"))
    assert read_document(path).text == "Line one.\n\nLine two."


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("minutes.xyz", b"hello", "unsupported format '.xyz'"),
        ("empty.txt", b"", "empty document"),
        ("blank.txt", b"  \n\n\t\n", "empty document"),
        ("latin1.txt", "Caf\xe9 minutes".encode("latin-1"), "not UTF-8 text (invalid byte 0xe9 at offset 3)"),
        ("junk.txt", bytes(range(256)) * 4, "binary content, not text"),
        ("broken.pdf", b"%PDF-1.4 this is not really a pdf", "not a readable PDF"),
        ("broken.docx", b"PK\x03\x04 garbage", "not a readable Word document"),
    ],
)
def test_bad_files_give_one_line_errors(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError) as err:
        read_document(path)
    message = str(err.value)
    assert message.startswith(name + ": ") and reason in message and "\n" not in message


def test_missing_file_and_bad_manifest(tmp_path):
    with pytest.raises(ReadError, match="no such file"):
        find_documents([tmp_path / "nope.txt"])
    (tmp_path / "minutes.toml").write_text("[broken")
    with pytest.raises(ReadError, match=r"minutes\.toml: not a valid manifest"):
        load_manifest(tmp_path)
