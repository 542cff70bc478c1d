"""Strict checks for the PDFs the site renders: qpdf's structural check (which refuses what
lenient readers such as poppler and pypdf forgive) and a second reader's text (pdfminer)."""

import io
import subprocess
import tempfile

from pdfminer.high_level import extract_text
from pdfminer.pdfpage import PDFPage


def qpdf_check(pdf: bytes) -> str:
    """qpdf's verdict on the file; fails the test on any error or warning."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf)
        handle.flush()
        result = subprocess.run(
            ["qpdf", "--check", handle.name], capture_output=True, text=True, check=False
        )
    assert result.returncode == 0, f"qpdf --check: {result.stdout}{result.stderr}"
    return result.stdout


def page_texts(pdf: bytes) -> list[str]:
    """Each page's text as pdfminer reads it (it sees no page whose tree it cannot parse)."""
    count = sum(1 for _ in PDFPage.get_pages(io.BytesIO(pdf)))
    return [extract_text(io.BytesIO(pdf), page_numbers=[number]) for number in range(count)]


def check_statement_pdf(pdf: bytes, *, pages: int) -> list[str]:
    """A statement passes qpdf, and pdfminer finds its pages, each stamped "Page N of M"."""
    qpdf_check(pdf)
    texts = page_texts(pdf)
    assert len(texts) == pages, f"pdfminer sees {len(texts)} pages, the statement says {pages}"
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {pages}" in text, text
    return texts
