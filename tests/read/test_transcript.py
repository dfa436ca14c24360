"""A malformed transcript is refused in one line and leaves the index as it was (real pipeline,
real Chroma, real embedding model)."""

import json

from rag.pipeline import Pipeline
from tests.helpers import make_settings

GOOD_VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Alice Moreau>We need twelve more trainers.</v>\n"
GOOD_JSON = json.dumps([{"speaker": "Bob Tanaka", "content": "The budget covers four courses."}])


def test_malformed_vtt_and_json_leave_the_index_as_it_was(tmp_path, embedder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "call.vtt").write_text(GOOD_VTT, encoding="utf-8")
    (corpus / "sync.json").write_text(GOOD_JSON, encoding="utf-8")
    pipeline = Pipeline(make_settings(tmp_path / "index"), embedder=embedder)
    first = pipeline.ingest([corpus])
    assert sorted(first.added) == ["call", "sync"] and not first.failed
    before = {doc: [c.to_dict() for c in pipeline.index.chunks(doc)] for doc in ("call", "sync")}
    assert before["call"][0]["speaker"] == "Alice Moreau" and before["sync"][0]["speaker"] == "Bob Tanaka"

    bad_cue = "\n00:00:04 --> soon\n<v Alice Moreau>And a bus.</v>\n"
    (corpus / "call.vtt").write_text(GOOD_VTT + bad_cue, encoding="utf-8")
    (corpus / "sync.json").write_text(GOOD_JSON[:-2], encoding="utf-8")
    second = pipeline.ingest([corpus])
    assert not second.added and not second.replaced
    reasons = sorted(reason for _, reason in second.failed)
    assert reasons[0].startswith("call.vtt: line 6: not a cue timing")
    assert reasons[1].startswith("sync.json: not valid JSON")
    assert all("\n" not in reason for reason in reasons)
    assert {doc: [c.to_dict() for c in pipeline.index.chunks(doc)] for doc in ("call", "sync")} == before
