from rag.segment import make_chunks, segment_minutes


def test_chunks_never_span_two_turns_and_cover_every_paragraph(hippo, symposium):
    for minutes in (hippo, symposium):
        chunks = make_chunks(minutes, 40, 160)
        by_id = {p.id: p for p in minutes.paragraphs}
        covered = [pid for c in chunks for pid in c.paragraph_ids]
        assert covered == [p.id for p in minutes.paragraphs]
        for c in chunks:
            paragraphs = [by_id[pid] for pid in c.paragraph_ids]
            assert len({(p.turn, p.speaker, p.kind) for p in paragraphs}) == 1
            assert c.text == "\n\n".join(p.text for p in paragraphs) and c.id == c.paragraph_ids[0]
        assert any(len(c.paragraph_ids) > 1 for c in chunks) or minutes is hippo


def test_ids_stable_across_runs(symposium_source):
    first, second = segment_minutes(symposium_source), segment_minutes(symposium_source)
    assert [p.id for p in first.paragraphs] == [p.id for p in second.paragraphs]
    assert [c.id for c in make_chunks(first)] == [c.id for c in make_chunks(second)]


def test_nothing_of_the_text_is_lost(hippo_source, symposium_source):
    for source in (hippo_source, symposium_source):
        minutes = segment_minutes(source)
        assert "".join("".join(p.text.split()) for p in minutes.paragraphs) == "".join(source.text.split())
