import docx

from rag.read import read_document
from rag.segment import segment_minutes


def test_paragraphs_and_tables_in_document_order(tmp_path):
    document = docx.Document()
    document.core_properties.title = "Board minutes"
    document.add_paragraph("Mr J SMITH: The budget is approved.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Mission", "Troops"
    table.cell(1, 0).text, table.cell(1, 1).text = "UNMISS", "3,912"
    document.add_paragraph("Ms Jones (Canada): Thank you.")
    path = tmp_path / "board.docx"
    document.save(path)
    source = read_document(path)
    assert source.text == (
        "Mr J SMITH: The budget is approved.\n\nMission\tTroops\nUNMISS\t3,912\n\nMs Jones (Canada): Thank you."
    )
    assert source.info.title == "Board minutes"


def test_speaker_names_in_bold_runs_go_on_their_own_line(tmp_path):
    document = docx.Document()
    for name, words in (
        ("Kirsty Williams AM", "Thank you, Lynne."),
        ("Lynne Neagle AM", "Thank you, Minister."),
        ("Kirsty Williams AM", "Schools will reopen."),
    ):
        paragraph = document.add_paragraph()
        paragraph.add_run(name).bold = True
        paragraph.add_run(" " + words)
    marked = document.add_paragraph()
    marked.add_run("Hefin David AM:").bold = True
    marked.add_run(" When?")
    emphasis = document.add_paragraph("Plain text with ")
    emphasis.add_run("bold").bold = True
    path = tmp_path / "committee.docx"
    document.save(path)
    blocks = read_document(path).text.split("\n\n")
    assert blocks == [
        "Kirsty Williams AM\nThank you, Lynne.",
        "Lynne Neagle AM\nThank you, Minister.",
        "Kirsty Williams AM\nSchools will reopen.",
        "Hefin David AM: When?",
        "Plain text with bold",
    ]
    minutes = segment_minutes(read_document(path))
    assert [t.speaker for t in minutes.turns] == ["Kirsty Williams", "Lynne Neagle", "Kirsty Williams", "Hefin David"]
