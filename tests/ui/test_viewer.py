import http.client
import urllib.error
import urllib.request
from urllib.parse import urlparse

import pytest

from rag.minutes import DocumentInfo, Paragraph
from ui.viewer import render_document


def test_minutes_text_is_never_html():
    info = DocumentInfo("d", "Title <b>", "2020-01-01")
    paragraphs = [Paragraph("d#p1", "d", 1, "Hello <script>alert(1)</script> & <b>bold</b>", speaker="Ann <i>", turn=0)]
    page = render_document(info, paragraphs, {})
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page and "Ann &lt;i&gt;" in page and 'id="p1"' in page


def test_a_transcripts_timestamps_are_shown_beside_its_paragraphs():
    info = DocumentInfo("call", "Weekly call", "2024-05-02")
    paragraphs = [
        Paragraph(
            "call#p1",
            "call",
            1,
            "We start with the budget.",
            speaker="Ann Lee",
            turn=0,
            start="00:00:01.000",
            end="00:00:04.500",
        ),
        Paragraph("call#p2", "call", 2, "No timestamp here.", speaker="Bo Kim", turn=1),
    ]
    page = render_document(info, paragraphs, {})
    assert '<time class="at">[00:00:01.000–00:00:04.500]</time>' in page
    assert page.count('<time class="at">') == 1


def test_viewer_groups_turns_and_marks_kinds(corpus_pipeline):
    index = corpus_pipeline.index
    doc = "2023-12-07-international-peace-security-symposium"
    page = render_document(index.document(doc), index.paragraphs(doc), index.speakers())
    assert page.count('<div class="turn" id="t') == len({p.turn for p in index.paragraphs(doc) if p.turn >= 0})
    assert 'class="p table"' in page and 'class="p slide"' in page
    assert "Keynote Speech</a>" in page and "Patrick Cammaert</a>" in page  # table of contents


def test_viewer_serves_documents_and_404s(server):
    with urllib.request.urlopen(server + "/minutes/2015-01-28-hippo-informal-meeting-tokyo") as r:
        page = r.read().decode()
    assert 'id="p11"' in page and "Kenzo Oshima" in page and "¶6" in page
    for path in ("/minutes/no-such-doc", "/minutes/..%2F..%2Fetc%2Fpasswd"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(server + path)
        assert err.value.code == 404
    parsed = urlparse(server)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    conn.request("GET", "/minutes/../../etc/passwd")  # sent as is, not normalised
    response = conn.getresponse()
    assert response.status == 404 and b"root:" not in response.read()
