"""Helpers for tests of the read and segment stages: documents made in the test, paragraphs found."""

import hashlib

from rag.minutes import DocumentInfo, SourceText


def source_from_text(text: str, doc_id: str = "sample") -> SourceText:
    return SourceText(DocumentInfo(doc_id=doc_id, title=doc_id), text, hashlib.sha256(text.encode()).hexdigest())


def containing(minutes, phrase):
    found = [p for p in minutes.paragraphs if phrase in p.text]
    assert found, phrase
    return found[0]
