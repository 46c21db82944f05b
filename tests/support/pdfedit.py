"""Real report pages changed as other reports print them (with pdfium, on a copy of the PDF): what is
below a printed line moved up or down, or one piece of text printed otherwise."""

from __future__ import annotations

import ctypes
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


def _object_text(obj, textpage) -> str:
    size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
    buffer = ctypes.create_string_buffer(size)
    raw.FPDFTextObj_GetText(obj.raw, textpage.raw, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)), size)
    return buffer.raw.decode("utf-16-le").rstrip("\x00")


def retext(path: Path, page_index: int, printed: str, new: str) -> bytes:
    """The PDF's bytes with the one text object of a page that prints ``printed`` printing ``new``
    (in its own font, from the same place)."""
    pdf = pdfium.PdfDocument(Path(path).read_bytes())
    page = pdf[page_index]
    textpage = page.get_textpage()
    found = [obj for obj in page.get_objects(max_depth=1)
             if obj.type == raw.FPDF_PAGEOBJ_TEXT and _object_text(obj, textpage) == printed]
    assert len(found) == 1, f"{len(found)} text objects print {printed!r}"
    encoded = (new + "\x00").encode("utf-16-le")  # pdfium's FPDF_WIDESTRING
    wide = ctypes.create_string_buffer(encoded, len(encoded))
    assert raw.FPDFText_SetText(found[0].raw, ctypes.cast(wide, ctypes.POINTER(ctypes.c_ushort)))
    page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
