import docx

from rag.read import read_document


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
    assert source.text == "Mr J SMITH: The budget is approved.\n\nMission\tTroops\nUNMISS\t3,912\n\nMs Jones (Canada): Thank you."
    assert source.info.title == "Board minutes"
