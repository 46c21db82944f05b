"""Property tests: any text or bytes either gives complete records or raises InputError, never another exception."""

import os
import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import badfiles
from sendgraph.errors import InputError
from sendgraph.extract import decode_text, document_text, parse_report
from sendgraph.records import new_record

KEYS = set(new_record())
# Modest by default, so that the suite stays fast; SENDGRAPH_EXAMPLES=2000 for a long bug hunt.
EXAMPLES = int(os.environ.get("SENDGRAPH_EXAMPLES", "60"))
FAST = settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=max(1, EXAMPLES * 2 // 5), deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Lines of real reports and letters, so that generated text reaches deep into the parsers.
REPORT_LINES = [line for line in badfiles.hartlepool_text().splitlines() if line.strip()]
LETTER_LINES = [line for line in badfiles.STOCKTON_2019.read_text(encoding="utf-8").splitlines() if line.strip()]
HEADINGS = [
    "Area SEND inspection of {} Local Area Partnership", "Area SEND inspection: {}",
    "Joint local area SEND inspection in {}", "Joint local area SEND revisit in {}",
    "Inspection dates: {} to 17 March 2023", "Date of previous inspection: {}", "Inspection outcome",
    "What is the area partnership doing that is effective?", "What does the area partnership need to do better?",
    "Areas for priority action", "Areas for improvement", "Local area partnership details", "Inspection team",
    "Ofsted\tCare Quality Commission", "Local Authority\tIntegrated Care Board", "Main findings", "Strengths",
    "Areas for development", "Yours sincerely", "Report of: {}", "Executive summary", "Purpose of the report",
    "• {}", "- {}", "◼ {}", "{}\t{}", "Area SEND inspection report: {} 13 to 17 March 2023 4", "\f", "",
]
WORDS = st.sampled_from(["Hartlepool", "Telford and Wrekin", "the", "SEND", "EHC", "Mr", "HMI", "31 February 2023",
                         "13 to 17", "Ofsted", "CQC", "ICB", "Lead Inspector", "P5Y", "(", ")", "'", "\u2019", "-", ":",
                         "\t", "\x00", "\u200b", "\x02", "\r", "\u00ad", "é", "2023", "1"]) | st.text(max_size=12)
FILLED = st.builds(lambda h, a, b: h.format(a, b), st.sampled_from(HEADINGS), WORDS, WORDS)
LINES = st.one_of(st.sampled_from(REPORT_LINES), st.sampled_from(LETTER_LINES), FILLED, st.text(max_size=80))
DOCUMENTS = st.lists(LINES, min_size=1, max_size=60).map("\n".join)


def check_records(records):
    assert isinstance(records, list) and records
    for record in records:
        assert KEYS <= set(record), KEYS - set(record)
        for key in ("organisations", "people", "inspectors", "findings", "mentions"):
            assert isinstance(record[key], list)


def parse_or_input_error(text):
    try:
        records = parse_report(text, "generated.txt")
    except InputError as error:
        assert "\n" not in str(error) and error.path == "generated.txt"
        return None
    check_records(records)
    return records


@FAST
@given(st.text())
def test_any_text_parses_or_raises_input_error(text):
    parse_or_input_error(text)


@SLOW
@given(DOCUMENTS)
def test_report_like_text_parses_or_raises_input_error(text):
    parse_or_input_error(text)


@SLOW
@given(st.lists(st.sampled_from(REPORT_LINES), min_size=1, max_size=40, unique=True), st.randoms(use_true_random=False))
def test_shuffled_and_cut_report_parses_or_raises_input_error(lines, rnd):
    rnd.shuffle(lines)
    parse_or_input_error(REPORT_LINES[0] + "\n\n" + "\n\n".join(lines))


@SLOW
@given(st.integers(0, len(badfiles.hartlepool_text())), st.integers(0, 5000), st.text(max_size=30))
def test_damaged_real_report_parses_or_raises_input_error(start, length, junk):
    text = badfiles.hartlepool_text()
    parse_or_input_error(text[:start] + junk + text[start + length:])


@FAST
@given(st.binary(max_size=4096), st.sampled_from(["x.txt", "x.pdf", "x.text", "x"]))
def test_any_bytes_give_text_or_input_error(data, name):
    try:
        text = document_text(data, name)
    except InputError as error:
        assert error.path == name and "\n" not in str(error)
        return
    assert isinstance(text, str)
    parse_or_input_error(text)


PDF_PREFIXES = [b"%PDF-1.4\n", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", b"PK\x03\x04", b"\xff\xfe", b"\xef\xbb\xbf", b"<html>"]


@FAST
@given(st.sampled_from(PDF_PREFIXES), st.binary(max_size=2048), st.booleans())
def test_bytes_with_a_known_header_give_text_or_input_error(prefix, body, eof):
    data = prefix + body + (b"\n%%EOF\n" if eof else b"")
    try:
        assert isinstance(document_text(data, "x.pdf"), str)
    except InputError:
        pass


SMALL_PDF = badfiles.text_pdf("Area SEND inspection of Hartlepool Local Area Partnership\n\n" + badfiles.NOT_SEND_TEXT)


@FAST
@given(st.lists(st.tuples(st.integers(0, len(SMALL_PDF) - 1), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_pdf_gives_text_or_input_error(changes):
    data = bytearray(SMALL_PDF)
    for offset, value in changes:
        data[offset] = value
    try:
        text = document_text(bytes(data), "damaged.pdf")
    except InputError:
        return
    parse_or_input_error(text)


@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1))
def test_text_without_control_characters_decodes_as_written(text):
    assert decode_text(text.encode("utf-8"), "x.txt") == text


@FAST
@given(st.text(alphabet=string.printable + "£€‘’“”–—éü", min_size=1))
def test_legacy_encoded_text_decodes_as_written(text):
    data = text.encode("cp1252")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        assert decode_text(data, "x.txt") == text
