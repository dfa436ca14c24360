"""Chunks: the units retrieved and cited. A chunk is one paragraph, or a run of consecutive
short paragraphs of one speaker turn and one kind (bullets of a slide, a short exchange), so
that a retrieved passage has enough words to be understood; a chunk never spans two turns, so
it never mixes two speakers. Long paragraphs stay whole: the embed stage windows them."""

from __future__ import annotations

from rag.minutes import Chunk, Minutes, Paragraph


def make_chunks(minutes: Minutes, min_words: int = 40, max_words: int = 160) -> list[Chunk]:
    groups: list[list[Paragraph]] = []
    for p in minutes.paragraphs:
        last = groups[-1] if groups else None
        if (
            last
            and last[-1].turn == p.turn
            and last[-1].kind == p.kind
            and last[-1].section == p.section
            and (p.turn >= 0 or p.kind != "speech")
            and _words(last[-1]) < min_words
            and sum(map(_words, last)) + _words(p) <= max_words
        ):
            last.append(p)
        else:
            groups.append([p])
    info = minutes.info
    return [
        Chunk(
            id=group[0].id,
            doc_id=info.doc_id,
            paragraph_ids=[p.id for p in group],
            text="\n\n".join(p.text for p in group),
            kind=group[0].kind,
            speaker=group[0].speaker,
            role=group[0].role,
            section=group[0].section,
            doc_title=info.title,
            date=info.date,
            seq=group[0].seq,
        )
        for group in groups
    ]


def _words(p: Paragraph) -> int:
    return len(p.text.split())
