"""A proposed faster ``sendgraph.pdftext._page_lines``, measured against the shipped one (not used by sendgraph).

The shipped function makes two ctypes calls per character (FPDFText_GetUnicode, FPDFText_GetCharBox):
about 560,000 characters in the 29 corpus PDFs, most of pdf_text's time over the pypdfium2 floor.
This version reads the page's text with one FPDFText_GetText call and asks for boxes of visible
characters only (a whitespace character's box is never used: _Line measures ink, text() skips
spaces, and a line of spaces only is dropped as invisible). The output must be byte-identical.

Usage: python benchmarks/proto_pdftext.py [PDF...]   (default: the corpus)
"""

from __future__ import annotations

import ctypes
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import corpus_dir  # noqa: E402


def page_lines_fast(textpage):
    import pypdfium2.raw as raw

    from sendgraph.pdftext import _Line

    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = raw.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    # FPDFText_GetText writes U+FFFE where FPDFText_GetUnicode gives 2 (pdfium's soft-hyphen marker).
    text = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", errors="surrogatepass").replace("\ufffe", "\x02")
    if len(text) != count:  # characters outside the BMP (surrogate pairs): the per-character way
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    refs = [ctypes.byref(v) for v in (left, right, bottom, top)]
    get_box = raw.FPDFText_GetCharBox
    lines = []
    current = []
    append = current.append
    for i, ch in enumerate(text):
        if ch == "\n" or ch == "\r":
            if current:
                lines.append(_Line(current))
                current = []
                append = current.append
            continue
        if ch.isspace():
            append((ch, 0.0, 0.0, 0.0, 0.0))  # never measured
            continue
        get_box(handle, i, *refs)
        append((ch, left.value, bottom.value, right.value, top.value))
    if current:
        lines.append(_Line(current))
    lines = [line for line in lines if line.visible]
    lines.sort(key=lambda line: -line.top)
    rows = []
    for line in lines:
        if rows and rows[-1].same_row(line):
            rows[-1].merge(line)
        else:
            rows.append(line)
    return rows


def main() -> int:
    from sendgraph import pdftext

    pdfs = [Path(p) for p in sys.argv[1:]] or sorted(corpus_dir().glob("*.pdf"))
    blobs = [(p.read_bytes(), p) for p in pdfs]
    shipped = pdftext._page_lines

    def timed(fn):
        pdftext._page_lines = fn
        runs, out = [], None
        for _ in range(3):
            start = time.perf_counter()
            out = [pdftext.pdf_text(data, path) for data, path in blobs]
            runs.append(time.perf_counter() - start)
        pdftext._page_lines = shipped
        return statistics.median(runs), min(runs), max(runs), out

    a = timed(shipped)
    b = timed(page_lines_fast)
    same = sum(x == y for x, y in zip(a[3], b[3]))
    print(f"shipped _page_lines : pdf_text {a[0]:.3f} s (min {a[1]:.3f}, max {a[2]:.3f}) over {len(blobs)} PDFs")
    print(f"proposed            : pdf_text {b[0]:.3f} s (min {b[1]:.3f}, max {b[2]:.3f})")
    print(f"identical text: {same} of {len(blobs)} PDFs")
    for (x, y, (_data, path)) in zip(a[3], b[3], blobs):
        if x != y:
            print(f"  differs: {path.name}")
    return 0 if same == len(blobs) else 1


if __name__ == "__main__":
    sys.exit(main())
