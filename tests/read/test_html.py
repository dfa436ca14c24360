from rag.read import read_document
from rag.segment import segment_minutes

PAGE = """<!DOCTYPE html>
<html><head><title>Joint Sitting &ndash; Hansard</title><style>p { color: red }</style>
<script>var speakers = ["nobody"];</script></head>
<body><nav><a href="/">Home</a></nav>
<h1>JOINT SITTING</h1>
<p><b>The CHAIRPERSON:</b> Order! Hon members, the sitting is constituted.</p>
<p><strong>Adv Z L MADASA</strong> Chairperson, we support the budget&nbsp;of the department.</p>
<p>We ask only that the money reaches the soldiers.</p>
<p><b>An HON MEMBER:</b> Hear, hear!</p>
<p><b>Mnr C AUCAMP</b> Voorsitter, die weermag het meer geld nodig.<br>Dit is dringend.</p>
<table><tr><th>Vote</th><th>Ayes</th></tr><tr><td>Defence</td><td>210</td></tr></table>
<p><b>The CHAIRPERSON:</b> Order!</p>
</body></html>"""


def test_html_blocks_bold_names_and_tables(tmp_path):
    path = tmp_path / "hansard.html"
    path.write_text(PAGE, encoding="utf-8")
    source = read_document(path)
    assert source.info.title == "Joint Sitting – Hansard"
    assert source.text.split("\n\n") == [
        "JOINT SITTING",
        "The CHAIRPERSON: Order! Hon members, the sitting is constituted.",
        "Adv Z L MADASA\nChairperson, we support the budget of the department.",
        "We ask only that the money reaches the soldiers.",
        "An HON MEMBER: Hear, hear!",
        "Mnr C AUCAMP\nVoorsitter, die weermag het meer geld nodig.\nDit is dringend.",
        "Vote\tAyes\nDefence\t210",
        "The CHAIRPERSON: Order!",
    ]
    minutes = segment_minutes(source)
    assert [t.speaker for t in minutes.turns] == [
        "The Chairperson",
        "Z L Madasa",
        "An Hon Member",
        "C Aucamp",
        "The Chairperson",
    ]
    assert next(p for p in minutes.paragraphs if "soldiers" in p.text).speaker == "Z L Madasa"
