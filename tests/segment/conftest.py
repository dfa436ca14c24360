import hashlib

import pytest

from rag.minutes import DocumentInfo, SourceText
from rag.segment import segment_minutes


def source_from_text(text: str, doc_id: str = "sample") -> SourceText:
    return SourceText(DocumentInfo(doc_id=doc_id, title=doc_id), text, hashlib.sha256(text.encode()).hexdigest())


@pytest.fixture(scope="session")
def hippo(hippo_source):
    return segment_minutes(hippo_source)


@pytest.fixture(scope="session")
def symposium(symposium_source):
    return segment_minutes(symposium_source)


def containing(minutes, phrase):
    found = [p for p in minutes.paragraphs if phrase in p.text]
    assert found, phrase
    return found[0]
