"""Clean document text: one set of characters, no page furniture, paragraphs rebuilt across lines and pages."""

from __future__ import annotations

import re
import unicodedata

BULLET = "•"
# Bullet glyphs seen in reports and their text exports (Wingdings bullets land in the private-use area).
_BULLETS = "◼■▪●•◾◆♦►▶➢✓□○◦·\uf0a7\uf0b7\uf0d8\uf0fc\uf076\uf06e\uf0a8"
_CHAR_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u00a0": " ", "\u2002": " ", "\u2003": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ",
    "\u2010": "-", "\u2011": "-", "\x02": "-", "\ufffe": "-",
    "\u00ad": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\x00": "",
}
_TRANSLATE = str.maketrans({**_CHAR_MAP, **{b: BULLET for b in _BULLETS}})
# Running headers and footers of Ofsted/CQC reports, e.g.
# "Area SEND inspection report: Bedford Borough Local Area Partnership 18 to 22 November 2024 5".
_FOOTER = re.compile(
    r"^\s*(?:Area SEND )?inspection report:.*$"
    r"|^\s*(?:Joint )?local area SEND inspection (?:report|letter)?:.*\b\d{4}\s*\d*\s*$"
    r"|^\s*Page \d+ of \d+\s*$"
    r"|^\s*\d{1,3}\s*$",
    re.IGNORECASE,
)
# A date-and-page line on its own, the second line of a two-line footer: "18 to 22 November 2024 2".
_FOOTER_DATE = re.compile(
    r"^\s*(?:\d{1,2}(?: [A-Za-z]+)?(?: \d{4})? (?:to|and|-|–) )?\d{1,2} [A-Za-z]+ \d{4}\s*\t?\s*\d{0,3}\s*$"
)
_TERMINAL = tuple(".!?:;)\"'")


# Characters other than printable ASCII and line, tab and page breaks: the only ones that may be controls.
_UNUSUAL = re.compile(r"[^\x20-\x7e\n\t\f]")


def _drop_control(match) -> str:
    """A control, format, private-use or unassigned character (Unicode category C) removed; others kept."""
    ch = match.group()
    return "" if unicodedata.category(ch)[0] == "C" else ch


def clean_chars(text: str) -> str:
    """One form for quotes, dashes, spaces and bullets; control and zero-width characters removed."""
    text = unicodedata.normalize("NFC", text.translate(_TRANSLATE))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _UNUSUAL.sub(_drop_control, text)
    text = re.sub(r"[ ]{2,}", " ", text)
    # A dash opening a line is a list bullet in text exports ("- Leaders ...", "-<tab>reduce ...").
    text = re.sub(r"(?m)^([ \t]*)[-–−—‒](?:[ \t]+)(?=\S)", r"\1" + BULLET + " ", text)
    text = re.sub(BULLET + r"[ \t]+", BULLET + " ", text)
    return text


def strip_furniture(text: str) -> str:
    """Remove running headers, footers and page numbers; pages (form feeds) become line breaks."""
    pages = text.split("\f")
    out = []
    for page in pages:
        lines = page.split("\n")
        kept = []
        for i, line in enumerate(lines):
            if _FOOTER.match(line):
                # A two-line running header: the date line that follows belongs to it.
                if i + 1 < len(lines) and _FOOTER_DATE.match(lines[i + 1]) and "report:" in line.lower():
                    lines[i + 1] = ""
                continue
            kept.append(line)
        out.append("\n".join(kept))
    return "\n\f\n".join(out)


# A word broken at a hyphen across two lines: "multi-" / "agency", "chil-" / "dren". The break is
# found first and the letters before it are walked back by hand (see _without_line_breaks): a pattern
# opening with [A-Za-z]+ is tried from every letter of a long word and takes time in its length squared.
_LINE_BREAK = re.compile(r"-[ \t]*\n[ \t]*[a-z]+")
_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# After a hyphen at a line end, these words show a suspended hyphen ("one- and two-year"), not a broken word.
_SUSPENDED = re.compile(r"(?:and|or|to|nor)\b")
# A hyphenated word that a line break in a table cell may have made ("Cen-tral").
_COMPOUND = re.compile(r"\b[A-Za-z]+-[a-z]+\b")
# Hyphenated words; the look-behind makes a match start only where a word starts (linear time).
_HYPHENATED = re.compile(r"(?<![A-Za-z])[A-Za-z]+(?:-[A-Za-z]+)+")


def _letters_before(text: str, end: int, start: int = 0) -> int:
    """Where the run of ASCII letters that ends at ``end`` begins (not before ``start``)."""
    i = end
    while i > start and text[i - 1] in _ASCII_LETTERS:
        i -= 1
    return i


def _without_line_breaks(text: str) -> str:
    """text with each word broken at a hyphen across two lines ("multi-" / "agency") replaced by a space.

    The same as ``re.sub(r"([A-Za-z]+)-[ \t]*\n[ \t]*([a-z]+)", " ", text)`` in time linear in the text.
    """
    pieces = []
    done = pos = 0  # text[:done] is written out; the next break is looked for from pos
    while True:
        match = _LINE_BREAK.search(text, pos)
        if match is None:
            break
        start = _letters_before(text, match.start(), done)
        if start == match.start():  # no letters before the hyphen
            pos = match.start() + 1
            continue
        pieces += [text[done:start], " "]
        done = pos = match.end()
    pieces.append(text[done:])
    return "".join(pieces)


def _ends_in_broken_word(text: str) -> bool:
    """Whether text ends in a letter and a hyphen ("multi-"), as ``re.search(r"[A-Za-z]-$", text)``."""
    return text.endswith("-") and text[-2:-1] in _ASCII_LETTERS


class Vocabulary:
    """The words and hyphenated words a document prints within its lines.

    It decides what a hyphen at a line end is: the document's own usage tells "multi-agency"
    (printed with a hyphen elsewhere, or never printed as one word) from "chil-dren" (a hyphen
    added by justification, where "children" is printed whole elsewhere).
    """

    def __init__(self, text: str):
        inline = _without_line_breaks(text)
        self.words = {w.lower() for w in re.findall(r"[A-Za-z]+", inline)}
        self.compounds = {w.lower() for w in _HYPHENATED.findall(inline)}

    def join(self, head: str, tail: str) -> str:
        """head ending in "-" joined to the tail that went on the next line."""
        if _SUSPENDED.match(tail):
            return f"{head} {tail}"  # "one- and two-year", "pre- or post-16"
        if not tail[:1].islower():
            return head + tail  # "Southend-on-" / "Sea"
        first = head[_letters_before(head, len(head) - 1) : -1].lower()
        second = re.match(r"[a-z]+", tail).group(0)
        whole = first + second
        kept = f"{first}-{second}"
        if whole in self.words and not any(kept in c for c in self.compounds):
            return head[:-1] + tail
        return head + tail

    def mend(self, text: str) -> str:
        """text with words hyphenated by a line break in a table cell ("Cen-tral") made whole again.

        Only where the whole word is printed elsewhere in the document and the hyphenated form never is.
        """

        def whole(match: re.Match) -> str:
            word = match.group(0)
            low = word.lower()
            if low in self.compounds or low.replace("-", "") not in self.words:
                return word
            return word.replace("-", "")

        return _COMPOUND.sub(whole, text) if "-" in text else text


_NO_VOCABULARY = Vocabulary("")


def join_wrapped(parts) -> str:
    """Pieces of one phrase printed on several lines (a table cell), joined with spaces.

    A piece ending in a hyphen goes on without a space ("North Cen-" / "tral" becomes
    "North Cen-tral": without the document's vocabulary the hyphen stays).
    """
    return _join_lines([" ".join(str(part).split()) for part in parts])


def _join_lines(lines: list[str], vocabulary: Vocabulary = _NO_VOCABULARY) -> str:
    """One paragraph from its lines; a table block (any line with a tab) keeps its line breaks."""
    if any("\t" in line for line in lines):
        return "\n".join(line.rstrip() for line in lines if line.strip())
    out = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        if not out:
            out = line
        elif _ends_in_broken_word(out) and line[:1].isalpha():
            out = vocabulary.join(out, line)  # a word broken at a hyphen across lines
        else:
            out += " " + line
    return out


_SPACE_START = re.compile(r"^ (?=\S)")


def space_bullets(text: str) -> str:
    """Bullets a text export lost: a line opening with one space (where the glyph was) becomes "• ...".

    Only in a text with several such lines that are still a minority of its lines. A line going on
    with a digit (a letter's date, a paragraph number) starts a new paragraph instead of a bullet.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    marked = [i for i, line in enumerate(lines) if _SPACE_START.match(line)]
    filled = sum(1 for line in lines if line.strip())
    if len(marked) < 3 or 2 * len(marked) > filled:
        return text
    for i in marked:
        rest = lines[i][1:]
        if rest[:1].isalpha() or rest[:1] in "'\"\u2018\u201c(":
            lines[i] = BULLET + " " + rest
        elif rest[:1].isdigit():
            lines[i] = "\n" + rest
    return "\n".join(lines)


def paragraphs(text: str) -> list[str]:
    """Paragraphs of cleaned text, in order.

    A paragraph ends at a blank line, and a bullet starts a new one. Two paragraphs are joined
    again where the first stops mid-sentence and the next goes on in lower case: text broken by a
    page break or by a text export's stray blank lines.
    """
    return paragraphs_and_vocabulary(text)[0]


def paragraphs_and_vocabulary(text: str) -> tuple[list[str], Vocabulary]:
    """:func:`paragraphs` and the document's :class:`Vocabulary`, from one cleaning of the text."""
    text = strip_furniture(clean_chars(space_bullets(text)))
    vocabulary = Vocabulary(text)
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.split("\n"):
        line = raw.strip()
        if not line or line == "\f":
            if current:
                blocks.append(current)
                current = []
            if line == "\f":
                blocks.append(["\f"])
            continue
        if line.startswith(BULLET) and current:
            blocks.append(current)
            current = []
        current.append(raw.rstrip())
    if current:
        blocks.append(current)
    paras: list[str] = []
    after_break = False
    for block in blocks:
        if block == ["\f"]:
            after_break = True
            continue
        para = _join_lines(block, vocabulary)
        if paras and "\t" not in para and "\t" not in paras[-1] and _continues(paras[-1], para, after_break):
            paras[-1] = _join_lines([paras[-1], para], vocabulary)
        else:
            paras.append(para)
        after_break = False
    return paras, vocabulary


def _continues(previous: str, para: str, after_break: bool) -> bool:
    if para.startswith(BULLET):
        return False
    first = para[:1]
    if previous.endswith(_TERMINAL):
        return False
    if first.islower():
        return True
    # Across a page break a sentence may go on with a capital (a name, "EHC", "SEND").
    return after_break and previous[-1:].isalpha() and previous.split()[-1][:1].islower() and len(previous) > 60


def lines(text: str) -> list[str]:
    """Cleaned lines with furniture removed, blank lines and page breaks dropped; tabs kept."""
    text = strip_furniture(clean_chars(text))
    return [line.rstrip() for line in text.split("\n") if line.strip() and line.strip() != "\f"]
