"""Property-based: whatever the text, reading and segmenting never crash and never lose a word of
it (issue 11). Documents are built from the pieces transcripts are made of: labels of every
shape, headings with colons, interjections, names alone on their lines, and arbitrary text."""

import html
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rag.read import read_document
from rag.segment import make_chunks, segment_minutes
from tests.helpers.segment import source_from_text

NAMES = st.sampled_from(
    [
        "Mr J SMITH",
        "Adv Z L MADASA",
        "Kirsty Williams AM",
        "The CHAIRPERSON",
        "An HON MEMBER",
        "Ms Jones (Canada)",
        "PROJECT MANAGER",
        "Professor B",
        "Item 3",
        "Agenda",
        "Note",
        "The Chair (Hon. A Rota (Nipissing, Lib.))",
        "Dr. Ana Pérez",
        "x",
        "(",
        "A: B",
    ]
)
WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=60)
PIECE = st.one_of(
    st.builds(lambda n, w: f"{n}: {w}", NAMES, WORDS),
    st.builds(lambda n, w: f"{n}\n{w}", NAMES, WORDS),
    NAMES,
    WORDS,
)
DOCUMENT = st.lists(PIECE, min_size=1, max_size=12).map(lambda pieces: "\n\n".join(pieces))
_INVISIBLE = re.compile(r"[\s\u200b]+")


def visible(text: str) -> str:
    return _INVISIBLE.sub("", text)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
def test_segmenting_keeps_every_character(text):
    minutes = segment_minutes(source_from_text(text))
    assert visible("".join(p.text for p in minutes.paragraphs)) == visible(text)
    chunks = make_chunks(minutes)
    assert visible("".join(c.text for c in chunks)) == visible(text)
    for p in minutes.paragraphs:
        assert p.turn == -1 or minutes.turns[p.turn].speaker == p.speaker


TURN = st.fixed_dictionaries({"speaker": st.one_of(NAMES, WORDS), "content": WORDS})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(TURN, min_size=1, max_size=8))
def test_json_transcripts_keep_every_turn(tmp_path, turns):
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"meeting_transcripts": turns}), encoding="utf-8")
    if not any(t["content"].strip() for t in turns):
        return  # nothing said: refused as empty, tested elsewhere
    minutes = segment_minutes(read_document(path))
    said = [" ".join(t["content"].split()) for t in turns if t["content"].strip()]
    assert [p.text for p in minutes.paragraphs] == said


CUE_WORDS = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "Zs"), whitelist_characters=".,?!'-"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip())


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(NAMES, CUE_WORDS), min_size=1, max_size=8))
def test_webvtt_keeps_every_word(tmp_path, cues):
    body = "\n\n".join(
        f"00:00:{i:02d}.000 --> 00:00:{i + 1:02d}.000\n<v {who}>{words}</v>" for i, (who, words) in enumerate(cues)
    )
    path = tmp_path / "t.vtt"
    path.write_text("WEBVTT\n\n" + body, encoding="utf-8")
    minutes = segment_minutes(read_document(path))
    assert visible("".join(p.text for p in minutes.paragraphs)) == visible("".join(w for _, w in cues))


PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=60)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.one_of(st.none(), NAMES), PRINTABLE), min_size=1, max_size=8))
def test_html_keeps_every_word(tmp_path, paragraphs):
    body = "".join(
        f"<p>{'<b>' + html.escape(name) + '</b> ' if name else ''}{html.escape(words)}</p>"
        for name, words in paragraphs
    )
    expected = visible("".join(f"{name or ''}{words}" for name, words in paragraphs))
    if not expected:
        return  # an empty page: refused, tested elsewhere
    path = tmp_path / "t.html"
    path.write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
    minutes = segment_minutes(read_document(path))
    assert visible("".join(p.text for p in minutes.paragraphs)) == expected
