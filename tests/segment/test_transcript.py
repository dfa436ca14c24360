import hashlib

from rag.minutes import DocumentInfo, SourceText, TranscriptTurn
from rag.segment import segment_minutes


def transcript(*turns: TranscriptTurn) -> SourceText:
    return SourceText(
        DocumentInfo("call", "call"), "unused: the turns are given", hashlib.sha256(b"x").hexdigest(), turns=turns
    )


def test_given_turns_are_used_as_they_are():
    minutes = segment_minutes(
        transcript(
            TranscriptTurn("The Chair (Hon. Anthony Rota (Nipissing, Lib.))", "Order.", "00:00:01.000", "00:00:02.000"),
            TranscriptTurn("Hon. Bill Blair", "Item 3: Budget", "00:00:02.000"),  # a heading-like line, said by him
            TranscriptTurn("Hon. Bill Blair", "It is balanced."),
            TranscriptTurn("The Chair", "Thank you."),
            TranscriptTurn("", "[inaudible]"),
        )
    )
    assert minutes.layout == "transcript"
    assert [(p.speaker, p.text, p.start) for p in minutes.paragraphs] == [
        ("Anthony Rota", "Order.", "00:00:01.000"),
        ("Bill Blair", "Item 3: Budget", "00:00:02.000"),
        ("Bill Blair", "It is balanced.", ""),
        ("Anthony Rota", "Thank you.", ""),
        ("", "[inaudible]", ""),
    ]
    assert [t.speaker for t in minutes.turns] == ["Anthony Rota", "Bill Blair", "Anthony Rota"]
    assert minutes.speakers["Anthony Rota"].affiliation == "Nipissing, Lib."
    assert minutes.speakers["Anthony Rota"].role == "Chair"
