"""Real report pages with their layout changed: the text below a printed line moved up or down (with
pdfium, on a copy of the PDF), to make the gaps that other reports print."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from sendgraph.read.pdftext import _page_lines


def line_top(pdf, page_index: int, opening: str) -> float:
    """The top of the printed line of a page that begins with ``opening``."""
    for line in _page_lines(pdf[page_index].get_textpage()):
        if line.text().startswith(opening):
            return line.top
    raise AssertionError(f"no line of page {page_index + 1} begins {opening!r}")


def shift_text(path: Path, page_index: int, opening: str, dy: float) -> bytes:
    """The PDF's bytes with what one page prints from the line beginning with ``opening`` down (text,
    rules, running footer) moved up by ``dy`` points (down if negative)."""
    pdf = pdfium.PdfDocument(Path(path).read_bytes())
    top = line_top(pdf, page_index, opening)
    page = pdf[page_index]
    moved = 0
    for obj in list(page.get_objects(max_depth=1)):
        if obj.type not in (raw.FPDF_PAGEOBJ_TEXT, raw.FPDF_PAGEOBJ_PATH):
            continue
        _left, _bottom, _right, obj_top = obj.get_bounds()
        if obj_top <= top + 0.5:
            obj.transform(pdfium.PdfMatrix().translate(0, dy))
            moved += 1
    assert moved, "nothing moved"
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
