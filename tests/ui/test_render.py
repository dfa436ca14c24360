from ui.render import answer_html, export_markdown, sources_html, streaming_html, waiting_html

CITATION = {
    "n": 1,
    "id": "d#p3",
    "doc_id": "d",
    "doc_title": "Minutes",
    "date": "2015-01-28",
    "speaker": "Kenzo Oshima",
    "role": "Executive Director",
    "section": "Discussion",
    "kind": "speech",
    "text": "Japan pays 10.8 % of the budget. <b>Yes</b>.",
    "score": 0.1,
    "quote": "Japan pays 10.8 % of the budget.",
}
OUT = {
    "question": "How much?",
    "answer": "Oshima said Japan pays 10.8 % [1]. Japan pays half [1].",
    "refused": False,
    "citations": [CITATION],
    "retrieved": [CITATION, {**CITATION, "id": "d#p9", "text": "Other"}],
    "unsupported": [{"sentence": "Japan pays half.", "citations": [1]}],
}


def locate(c):
    return c["id"]


def test_markers_link_to_the_viewer_and_unsupported_is_marked():
    page = answer_html(OUT, locate)
    assert page.count('href="/minutes/d#p3"') == 2
    assert '<mark class="mr-unsupported"' in page and ">[1]</a>.</mark> ⚠" in page


def test_refusal_and_error_look_different():
    assert "mr-refusal" in answer_html({"answer": "The minutes do not address this.", "refused": True}, locate)
    assert "mr-error" in answer_html({"error": "the index is empty"}, locate)


def test_sources_highlight_the_quote_escape_text_and_hide_uncited():
    page = sources_html(OUT, locate)
    assert "<mark>Japan pays 10.8 % of the budget.</mark>" in page
    assert "&lt;b&gt;Yes&lt;/b&gt;" in page and "<b>Yes</b>" not in page
    assert "<details><summary>All retrieved passages (2)</summary>" in page and "d#p9" in page


def test_export_has_full_references():
    md = export_markdown([OUT], locate)
    assert "[1] Kenzo Oshima (Executive Director) — Minutes, 2015-01-28, Discussion, paragraph `d#p3`" in md
    assert "> Japan pays 10.8 % of the budget." in md and "Not supported by its citation: Japan pays half." in md


def test_a_rewritten_follow_up_shows_what_was_searched_for():
    follow_up = {**OUT, "question": "And him?", "standalone_question": "And him? (Oshima <budget>)"}
    assert "Searching for: And him? (Oshima &lt;budget&gt;)" in answer_html(follow_up, locate)
    assert "Searching for" not in answer_html({**OUT, "standalone_question": OUT["question"]}, locate)


def test_notices_streaming_and_waiting_escape_what_they_show():
    assert answer_html(OUT, locate, notice="cut <here>").startswith('<p class="mr-note">cut &lt;here&gt;</p>')
    assert streaming_html("Japan <pays>") == "Japan &lt;pays&gt; ▌"
    assert "2 questions ahead" in waiting_html(2) and "1 question ahead" in waiting_html(1)
    assert "Ask a question to see its sources." in sources_html(None, locate)
