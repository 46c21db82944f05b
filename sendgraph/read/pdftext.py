"""PDF to plain text with layout: lines rebuilt from pdfium's characters, columns as tabs, paragraphs as blank lines."""

from __future__ import annotations

import bisect
import ctypes
import re
import struct

from sendgraph.errors import InputError

# A horizontal gap wider than this many points between two characters of one line is a column gap.
COLUMN_GAP = 14.0
# A vertical gap larger than this share of the line height starts a new paragraph.
PARAGRAPH_GAP = 0.55
# A line ending this share of the text width short of the right edge may end a paragraph.
SHORT_LINE = 0.12
# A line starting this many points right of the page's left margin belongs to a right-hand column.
INDENT_COLUMN = 150.0
# A line pitch (see _pitch) this share wider than the page's usual pitch, and than its paragraph's,
# sets off a new paragraph after a finished sentence (reports that print little space between paragraphs).
WIDE_PITCH = 1.1
# A drawn horizontal line at most this thick is a rule (a table's row border).
RULE_HEIGHT = 1.5


class _Line:
    """One printed line: its pieces (words, other characters, spaces) with their boxes."""

    __slots__ = ("chars", "bottom", "top", "left", "right")

    def __init__(self, chars):
        self.chars = chars
        ink = [c for c in chars if not c[0].isspace()] or chars
        # The line's band is that of its typical letters, so raised quotes do not widen it: the
        # median height of its characters (a word counts once per character).
        by_height = sorted(ink, key=lambda c: c[4] - c[2])
        middle = sum(c[5] for c in ink) // 2
        for c in by_height:
            middle -= c[5]
            if middle < 0:
                mid = c[4] - c[2]
                break
        tall = [c for c in ink if c[4] - c[2] >= 0.6 * mid] or ink
        self.bottom = min(c[2] for c in tall)
        self.top = max(c[4] for c in tall)
        self.left = min(c[1] for c in ink)
        self.right = max(c[3] for c in ink)

    def bullet_indent(self) -> float | None:
        """x where the text of a bullet item starts, if this line opens with a bullet glyph."""
        ink = [c for c in self.chars if not c[0].isspace()]
        if len(ink) > 1 and not ink[0][0].isalnum() and ink[0][0] not in "'\"(‘“[":
            return ink[1][1]
        return None

    @property
    def visible(self) -> bool:
        return any(not c[0].isspace() for c in self.chars)

    def same_row(self, other: "_Line") -> bool:
        overlap = min(self.top, other.top) - max(self.bottom, other.bottom)
        smaller = min(self.top - self.bottom, other.top - other.bottom)
        return smaller > 0 and overlap > 0.5 * smaller

    def merge(self, other: "_Line") -> None:
        first, second = (self, other) if self.left <= other.left else (other, self)
        # Two printed lines on one row are two cells: a tab between them, however narrow the gap.
        gap = ("\t", first.chars[-1][3], 0, first.chars[-1][3], 0, 1)
        self.chars = first.chars + [gap] + second.chars
        self.top = max(self.top, other.top)
        self.bottom = min(self.bottom, other.bottom)
        self.left = min(self.left, other.left)
        self.right = max(self.right, other.right)

    def text(self) -> str:
        out: list[str] = []
        prev_right = None
        for ch, left, _bottom, right, _top, _count in self.chars:
            if ch == "\t":
                while out and out[-1] == " ":
                    out.pop()
                if out and out[-1] != "\t":
                    out.append("\t")
                continue
            if ch == "\x02":  # a soft hyphen: shown only at the end of a line
                out.append("\x02")
                continue
            if ch.isspace():
                if out and out[-1] not in " \t":
                    out.append(" ")
                continue
            if prev_right is not None and left - prev_right > COLUMN_GAP:
                while out and out[-1] == " ":
                    out.pop()
                out.append("\t")
            out.append(ch)
            prev_right = right
        text = "".join(out).strip()
        return text[:-1].replace("\x02", "") + "-" if text.endswith("\x02") else text.replace("\x02", "")


def _page_chars(textpage) -> str:
    """The page's characters in pdfium's order, read with one call (line ends as CR/LF)."""
    import pypdfium2.raw as raw

    handle = textpage.raw
    count = raw.FPDFText_CountChars(handle)
    buffer = ctypes.create_string_buffer(2 * (count + 1))
    written = raw.FPDFText_GetText(handle, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    # FPDFText_GetText writes U+FFFE where FPDFText_GetUnicode gives 2 (pdfium's line-end hyphen).
    text = buffer.raw[: 2 * max(written - 1, 0)].decode("utf-16-le", errors="surrogatepass").replace("\ufffe", "\x02")
    if len(text) != count:  # characters outside the BMP (surrogate pairs): one call per character
        text = "".join(chr(raw.FPDFText_GetUnicode(handle, i)) for i in range(count))
    return text


class _BoxReader:
    """pdfium's boxes for one text page: a character's (FPDFText_GetCharBox) and a run's
    (FPDFText_CountRects + FPDFText_GetRect: the union of the boxes of consecutive characters of one
    text object), four doubles read with one unpack.

    Called through pypdfium2's binding, ctypes converts and checks each argument against the
    declared pointer types, half the cost of the call; here the same C functions are called through
    prototypes without declared arguments (the handle and the four pointers passed as plain
    addresses, indexes as C ints), which gives the same boxes in half the time.
    """

    _functions = None

    def __init__(self, textpage):
        import pypdfium2.raw as raw

        if _BoxReader._functions is None:
            functions = []
            for name in ("FPDFText_GetCharBox", "FPDFText_CountRects", "FPDFText_GetRect"):
                address = ctypes.cast(getattr(raw, name), ctypes.c_void_p).value
                function = ctypes.CFUNCTYPE(ctypes.c_int)(address)
                function.argtypes = None  # no per-call conversion: arguments are passed as given below
                function.restype = ctypes.c_int
                functions.append(function)
            _BoxReader._functions = tuple(functions)
        self.box = (ctypes.c_double * 4)()
        base = ctypes.addressof(self.box)
        self.args = (ctypes.c_void_p(ctypes.cast(textpage.raw, ctypes.c_void_p).value),
                     *(ctypes.c_void_p(base + 8 * k) for k in range(4)))

    def readers(self):
        """Two functions: character index -> (left, bottom, right, top); (first index, count) ->
        (left, bottom, right, top) of the characters' boxes, or None unless they make one run."""
        get_box, count_rects, get_rect = self._functions
        box, unpack = self.box, _FOUR_DOUBLES
        handle, a, b, c, d = self.args

        def char_box(index: int) -> tuple[float, float, float, float]:
            get_box(handle, index, a, c, b, d)  # left, right, bottom, top
            return unpack(box)

        def run_box(index: int, count: int):
            if count_rects(handle, index, count) != 1:
                return None
            get_rect(handle, 0, a, d, c, b)  # left, top, right, bottom
            return unpack(box)
        return char_box, run_box


_FOUR_DOUBLES = struct.Struct("4d").unpack_from
# A page's text as pieces: a line break, spaces, a word of letters and digits, or one other character.
_PIECES = re.compile(r"[\r\n]|[^\S\r\n]+|[^\W_]+|.", re.S)


def _page_lines(textpage) -> list[_Line]:
    """The page's printed lines, as pieces: (text, left, bottom, right, top, characters).

    A word of letters and digits is one piece with the union of its characters' boxes when pdfium
    gives them as one run (one text rectangle: 115,000 box calls instead of 466,000 on the 29
    corpus PDFs). This takes two things for granted: a word's letters are all tall enough to
    count in the line's band (a letter is at least 0.6 of the median height of the line's
    characters; punctuation, which may not be, keeps its own box), and no gap inside a word is a
    column gap (pdfium puts a space where a text object jumps). Then the lines, rows, cells and
    paragraphs come out as from every character's box: the text of every corpus PDF is
    byte-identical (tests/test_pdftext.py). A word that is not one run (two text objects, a raised
    footnote mark) and every other visible character get their own boxes.
    """
    text = _page_chars(textpage)
    char_box, run_box = _BoxReader(textpage).readers()
    lines: list[_Line] = []
    current: list = []
    for match in _PIECES.finditer(text):
        piece = match.group()
        if piece == "\n" or piece == "\r":
            if current:
                lines.append(_Line(current))
                current = []
            continue
        if piece.isspace():
            current.append((piece, 0.0, 0.0, 0.0, 0.0, 1))  # a space's box is never measured
            continue
        start = match.start()
        if len(piece) == 1:
            items = ((piece, *char_box(start), 1),)
        else:
            box = run_box(start, len(piece))
            if box is None:
                items = [(ch, *char_box(start + k), 1) for k, ch in enumerate(piece)]
            else:
                items = ((piece, *box, len(piece)),)
        for item in items:
            # pdfium sometimes gives no line break after a line-end hyphen (\x02): the next character
            # starting well left of the hyphen opens the next printed line.
            if current and current[-1][0] == "\x02" and item[1] < current[-1][1] - COLUMN_GAP:
                lines.append(_Line(current))
                current = []
            current.append(item)
    if current:
        lines.append(_Line(current))
    lines = [line for line in lines if line.visible]
    lines.sort(key=lambda line: -line.top)
    rows: list[_Line] = []
    for line in lines:
        if rows and rows[-1].same_row(line):
            rows[-1].merge(line)
        else:
            rows.append(line)
    return rows


def _unbullet(text: str) -> str:
    """A line without its leading bullet glyph and the tab after it."""
    if text[:1] and not text[:1].isalnum() and text[1:2] in ("\t", " "):
        return text[2:].lstrip()
    return text


def _ends_paragraph(prev: _Line, prev_text: str, text: str, width: float, right_edge: float,
                    set_off: bool = False) -> bool:
    """A line ending a sentence, followed by a capital, that is short or set off from the next (a
    rule or a wider pitch between them, ``set_off``): a paragraph break printed without extra space."""
    prev_text, text = _unbullet(prev_text), _unbullet(text)
    if "\t" in prev_text or "\t" in text or width <= 0:
        return False
    short = right_edge - prev.right > SHORT_LINE * width
    return (short or set_off) and prev_text.rstrip().endswith((".", "!", "?", ":")) and text[:1].isupper()


def _pitch(upper: _Line, lower: _Line) -> float:
    """The distance from one line to the next: the smaller of top to top and bottom to bottom, so a
    line without ascenders or without descenders does not make it look wider than it is."""
    return min(upper.top - lower.top, upper.bottom - lower.bottom)


def _usual_pitch(lines: list[_Line]) -> float:
    """The commonest pitch between consecutive lines of a page, to the half point (0 for too few lines)."""
    counts: dict = {}
    for upper, lower in zip(lines, lines[1:]):
        pitch = round(2 * _pitch(upper, lower)) / 2
        if pitch > 0:
            counts[pitch] = counts.get(pitch, 0) + 1
    return max(counts, key=lambda p: (counts[p], -p)) if counts else 0.0


def page_rules(page) -> list[tuple[float, float, float]]:
    """The horizontal rules drawn on a page (table borders): (y, left, right) of each thin path, by y."""
    import pypdfium2.raw as raw

    handle = page.raw
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    rules = []
    for index in range(raw.FPDFPage_CountObjects(handle)):
        obj = raw.FPDFPage_GetObject(handle, index)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_PATH:
            continue
        if raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top) and top.value - bottom.value <= RULE_HEIGHT:
            rules.append(((top.value + bottom.value) / 2, left.value, right.value))
    return sorted(rules)


def _rule_y(rule: tuple[float, float, float]) -> float:
    return rule[0]


def _ruled_between(rules, upper: _Line, lower: _Line) -> bool:
    """Whether rules (sorted by y) between two lines span most of both (a row border; an underline
    spans a few words)."""
    span_left, span_right = min(upper.left, lower.left), max(upper.right, lower.right)
    covered = []
    for y, left, right in rules[bisect.bisect_right(rules, lower.top, key=_rule_y):]:
        if y >= min(upper.bottom + 0.5, upper.top - 2.0):
            break
        covered.append((max(left, span_left), min(right, span_right)))
    reach, end = 0.0, span_left
    for left, right in sorted(covered):
        if right > max(left, end):
            reach += right - max(left, end)
            end = right
    return reach >= 0.8 * (span_right - span_left)


def _page_text(textpage, rules=()) -> str:
    out: list[str] = []
    prev = None
    lines = _page_lines(textpage)
    margin = min((line.left for line in lines), default=0.0)
    right_edge = max((line.right for line in lines), default=0.0)
    usual = _usual_pitch(lines)
    paragraph_pitch = 0.0  # the pitch between the last two lines of the paragraph being read
    prev_text = ""
    indent = None  # text indent of the bullet item being read
    for line in lines:
        text = line.text()
        opens = line.bullet_indent()
        if prev is not None:
            height = max(prev.top - prev.bottom, line.top - line.bottom, 1.0)
            pitch = _pitch(prev, line)
            ruled = _ruled_between(rules, prev, line)
            set_off = ruled or pitch > WIDE_PITCH * max(usual, paragraph_pitch) > 0
            # A rule between two rows of a table, however close: a row of cells, or a row of more than
            # one line (not a table's heading) followed by a capital, finished sentence or not.
            row_ends = ruled and ("\t" in prev_text + text or (paragraph_pitch > 0 and _unbullet(text)[:1].isupper()))
            paragraph_pitch = pitch
            if (
                prev.bottom - line.top > PARAGRAPH_GAP * height
                or row_ends
                or _ends_paragraph(prev, prev_text, text, right_edge - margin, right_edge, set_off)
                # a paragraph at the margin after an indented bullet item
                or (indent is not None and opens is None and line.left < indent - 6 and text[:1].isupper())
            ):
                out.append("")
                indent = None
                paragraph_pitch = 0.0
        if opens is not None:
            indent = opens
        # A line that starts far right of the margin continues a right-hand column.
        column = "\t" if line.left - margin > INDENT_COLUMN else ""
        out.append(column + text)
        prev = line
        prev_text = text
    return "\n".join(out)


# pdfium's document-loading error codes (FPDF_ERR_*).
_ERR_FILE, _ERR_FORMAT, _ERR_PASSWORD, _ERR_SECURITY = 2, 3, 4, 5
# At least this many visible characters on average per page, or the PDF counts as having no text layer.
MIN_TEXT = 20


def _open_error(exc, path) -> InputError:
    """The InputError for a PDF pdfium refused to open."""
    code = getattr(exc, "err_code", None)
    message = " ".join(str(exc).split()).rstrip(".")
    lowered = message.lower()
    if code == _ERR_PASSWORD or "password" in lowered:
        return InputError(path, "encrypted PDF (password required)")
    if code == _ERR_SECURITY or "security" in lowered:
        return InputError(path, "encrypted PDF (unsupported security scheme)")
    detail = message.split("PDFium:")[-1].strip(" ()").lower() if "PDFium:" in message else message
    return InputError(path, f"damaged PDF: it cannot be opened ({detail})")


FIRST_PAGES = 10  # pages read before the rest of a longer PDF, for ``check`` to decide on


def pdf_text(data: bytes, path="<pdf>", check=None) -> str:
    """The text of a PDF given as bytes; pages are separated by form feeds.

    ``check(text)``, given the text of the first :data:`FIRST_PAGES` pages of a longer PDF, returns
    None to go on or the reason to refuse the file without reading the rest (not a SEND document).
    Raises InputError for a truncated file, one pdfium cannot open, an encrypted file, or one with no text layer.
    """
    import pypdfium2 as pdfium

    # Every complete PDF ends with an end-of-file marker; a download cut short does not.
    if b"%%EOF" not in data.rstrip(b"\x00 \t\r\n")[-1024:]:
        raise InputError(path, "truncated PDF (the end of the file is missing: an incomplete download or copy?)")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise _open_error(exc, path) from None
    pages = []
    try:
        count = len(pdf)
        if count == 0:
            raise InputError(path, "PDF has no pages")
        for number in range(count):
            try:
                page = pdf[number]
                textpage = page.get_textpage()
            except pdfium.PdfiumError:
                raise InputError(path, f"damaged PDF (page {number + 1} of {count} cannot be read)") from None
            pages.append(_page_text(textpage, page_rules(page)))
            textpage.close()
            page.close()
            if check is not None and number + 1 == FIRST_PAGES and count > FIRST_PAGES:
                reason = check("\f".join(pages))
                if reason:
                    raise InputError(path, f"{reason} in its first {FIRST_PAGES} pages (of {count}; the rest was not read)")
    finally:
        pdf.close()
    text = "\f".join(pages)
    if len("".join(text.split())) < MIN_TEXT * min(len(pages), 3):  # visible characters, counted in C
        raise InputError(path, "PDF has no text layer (scanned or image-only; it needs OCR first)")
    return text
