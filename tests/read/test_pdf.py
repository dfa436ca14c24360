import pytest
from fpdf import FPDF

from rag.read import ReadError, read_document


def _pdf(path, pages):
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 8, text)
    pdf.output(str(path))


def test_pages_come_back_separated_by_a_blank_line(tmp_path):
    path = tmp_path / "minutes.pdf"
    _pdf(
        path,
        ["1. Mr. Ian Martin said the review covers peace operations.", "2. Ms. Jones replied that prevention matters."],
    )
    text = read_document(path).text
    first, second = text.split("\n\n")
    assert "Ian Martin said" in first and "prevention matters" in second


def test_pdf_without_text_is_refused(tmp_path):
    path = tmp_path / "scan.pdf"
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50)
    pdf.output(str(path))
    with pytest.raises(ReadError, match="no extractable text"):
        read_document(path)
