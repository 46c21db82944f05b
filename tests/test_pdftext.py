"""pdftext: real report PDFs to text with lines, columns as tabs and paragraphs as blank lines."""

import re

import pytest

from support.paths import corpus_pdf
from sendgraph.errors import InputError
from sendgraph.read.pdftext import pdf_text


def _text(name):
    return pdf_text(corpus_pdf(name).read_bytes(), corpus_pdf(name))


@pytest.fixture(scope="module")
def enfield():
    return _text("enfield")


@pytest.fixture(scope="module")
def bedford():
    return _text("bedford")


def test_pages_are_separated_by_form_feeds(bedford):
    assert bedford.count("\f") >= 5
    assert bedford.startswith("Local area partnership report\n\nArea SEND inspection of Bedford\nBorough Local Area Partnership\n")


def test_header_label_and_value_are_two_cells(enfield):
    assert "Inspection dates:\t20 March 2023 to 24 March 2023" in enfield


def test_a_hyphen_at_a_line_end_ends_the_line(bedford, enfield):
    # pdfium gives no line break after these hyphens; the next printed line must not be glued on.
    assert re.search(r"lot of well-\nconsidered", bedford)
    assert re.search(r"\bchil-\ndren or young people", enfield)
    assert "\x02" not in bedford + enfield


def test_team_table_columns_come_out_as_cells(bedford):
    team = bedford[bedford.index("Inspection team") :]
    assert "Ofsted" in team and "Care Quality Commission" in team
    ofsted_row = next(line for line in team.splitlines() if line.startswith("Ofsted"))
    assert "\tCare Quality Commission" in ofsted_row


def test_not_a_pdf_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="truncated PDF"):
        pdf_text(b"%PDF-1.7\n1 0 obj <<>> endobj\n", tmp_path / "cut.pdf")


FOX = ("The quick brown fox jumps over the lazy dog. " * 30 + "\n\n") * 20


def test_a_check_decides_from_the_first_pages_of_a_long_pdf():
    from support.badfiles import shared_stream_pdf, text_pdf

    from sendgraph.read.pdftext import FIRST_PAGES

    seen = []

    def check(text):
        seen.append(text.count("\f") + 1)
        return "not wanted"

    with pytest.raises(InputError) as caught:
        pdf_text(shared_stream_pdf(FOX, 2000), "fox.pdf", check=check)
    assert seen == [FIRST_PAGES]
    assert str(caught.value) == f"fox.pdf: not wanted in its first {FIRST_PAGES} pages (of 2000; the rest was not read)"
    assert pdf_text(shared_stream_pdf(FOX, 30), "fox.pdf", check=lambda text: None).count("\f") == 29
    short = text_pdf(FOX)  # no more pages than the first ones: read whole, the check never asked
    assert pdf_text(short, "fox.pdf", check=check) and seen == [FIRST_PAGES]


def test_the_text_of_every_corpus_pdf_is_unchanged():
    # tests/golden/pdftext.sha256 was written (tools/pdftext_checksums.py write) before the layout
    # read pdfium's text rectangles instead of every character's box: the same text, byte for byte.
    # Written again when a rule between two lines (a table's row border) and a line pitch wider than
    # the page's came to end a paragraph: 28 PDFs gained blank lines between ruled table rows, and
    # three of them a break between two recommendations read as one before (Bury, Halton,
    # Southend-on-Sea; tests/test_inspection2023.py); no other character changed.
    import hashlib
    from pathlib import Path

    from support.paths import CORPUS

    listed = Path(__file__).resolve().parent / "golden" / "pdftext.sha256"
    expected = dict(reversed(line.split(None, 1)) for line in listed.read_text().splitlines()
                    if line.strip() and not line.startswith("#"))
    assert len(expected) == 29
    changed = []
    for name, value in sorted(expected.items()):
        path = CORPUS / name
        assert path.is_file(), f"corpus PDF missing: {path} (set SENDGRAPH_CORPUS to the folder of report PDFs)"
        text = pdf_text(path.read_bytes(), path)
        if hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest() != value:
            changed.append(name)
    assert not changed, f"text changed: {changed}"
