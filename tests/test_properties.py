"""Property tests: any text or bytes either gives complete records or raises InputError, never another exception;
every graph built from parsed text conforms to the SHACL shapes; IRIs minted from any name or file name keep every
serialisation whole; graph files and query parameters either read or raise the project's own errors."""

import gc
import hashlib
import os
import re
import string

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from rdflib import Dataset, Literal, URIRef

from support import badfiles
from sendgraph.stores import embedded as emb
from sendgraph.graph import files as gfiles
from sendgraph.stores import target as tgt
from sendgraph.errors import GraphError, InputError, QueryError, SendgraphError
from sendgraph.read.extract import decode_text, document_text, parse_report
from sendgraph.graph.build import build_graph, document_graph
from sendgraph.graph.files import load_graph, serialise, sorted_nquads
from sendgraph.stores.sparql import param_term, parse_param
from sendgraph.stores.named import run_query
from sendgraph.read.records import new_record
from sendgraph.vocab import CAPACITIES, DOCUMENT_TYPES, ORGANISATION_KINDS, RECORD_OUTCOMES as OUTCOMES
from sendgraph.graph.validate import validate

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


# ---------------------------------------------------------------------------------------------
# Every graph built from what the parsers give conforms to the SHACL shapes, and IRIs minted from
# any name or file name keep every serialisation whole.
# ---------------------------------------------------------------------------------------------

GRAPH_EXAMPLES = settings(max_examples=max(1, EXAMPLES // 4), deadline=None, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SAFE_IRI = re.compile(r"^https://w3id\.org/sendgraph/id/[A-Za-z0-9\-._~%/]+(?:#\d+)?$")
HOSTILE_NAMES = ['O\'Brien "the <boss>"', "a b\tc\nd", "<script>alert(1)</script>", "} ; DROP GRAPH <x> .",
                 "../../etc/passwd", "名前", " ", "%2F%00", "#fragment?query=1&x", "\\u0000 \\", "Zoë Ångström-Đặng",
                 "Hartlepool", "Nick Whittaker", "Dr Jo O'Neil", "NHS North East and North Cumbria ICB"]
NAMES = st.sampled_from(HOSTILE_NAMES) | st.text(max_size=30)


def round_trips(dataset) -> None:
    """Every serialisation reads back as the same quads, and every minted IRI is plain and safe."""
    expected = sorted_nquads(dataset)
    for fmt, parse_as in (("trig", "trig"), ("nquads", "nquads")):
        back = Dataset(default_union=True).parse(data=serialise(dataset, fmt), format=parse_as)
        assert sorted_nquads(back) == expected, fmt
    back = Dataset(default_union=True).parse(data=serialise(dataset, "turtle"), format="turtle")
    assert set(back.triples((None, None, None))) == set(dataset.triples((None, None, None)))
    minted = {t for quad in dataset.quads((None, None, None, None)) for t in quad
              if isinstance(t, URIRef) and str(t).startswith("https://w3id.org/sendgraph/id/")}
    for term in minted:
        assert SAFE_IRI.match(str(term)), term


def conforms(dataset) -> None:
    ok, report = validate(dataset)
    assert ok, report


def graph_of_text(text: str) -> None:
    """Parse text as read_report does (checksum included), build the graph, check it."""
    try:
        records = parse_report(text, "reports/generated report.txt")
    except InputError:
        return
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
    for record in records:
        record["sha256"] = digest
    dataset = build_graph(records)
    round_trips(dataset)
    conforms(dataset)


REAL_REPORTS = [badfiles.hartlepool_text(), badfiles.STOCKTON_2019.read_text(encoding="utf-8")]
DAMAGED = st.builds(lambda text, start, length, junk: text[:start] + junk + text[start + length:],
                    st.sampled_from(REAL_REPORTS), st.integers(0, 60_000), st.integers(0, 4000),
                    st.one_of(st.text(max_size=30), FILLED))


@GRAPH_EXAMPLES
@given(st.one_of(DAMAGED, DOCUMENTS))
def test_any_parsed_text_gives_a_graph_that_conforms_and_round_trips(text):
    graph_of_text(text)


ISO_DAYS = st.dates().map(lambda d: d.isoformat())
DATES = st.none() | ISO_DAYS | ISO_DAYS.map(lambda d: d[:7]) | ISO_DAYS.map(lambda d: d[:4]) | st.text(max_size=12)
KINDS = st.sampled_from(["strength", "weakness", "priority_action", "improvement", "main_finding",
                         "significant_weakness", "narrative", "council", "weird kind", ""])
THEMES = ["ehc-plan-quality", "waiting-times", "coproduction", "health-contribution"]
SOURCES = st.sampled_from(["with spaces.txt", 'it\'s "quoted" <x> & y.txt', "Łódź 名前.pdf", "line\nbreak.txt",
                           "%2e%2e.txt", "..txt", "a#1.txt", "sub/dir/r.txt", "r.txt#2"]) | st.text(min_size=1, max_size=20)


@st.composite
def records(draw):
    """A record as the parsers fill it, with any names and file names (dates are ISO, as the parsers write them)."""
    record = new_record(draw(st.sampled_from(DOCUMENT_TYPES)))
    record["source"] = "reports/" + draw(SOURCES)
    record["sha256"] = hashlib.sha256(record["source"].encode("utf-8", "surrogatepass")).hexdigest()
    record.update(title=draw(st.none() | NAMES), area=draw(st.none() | NAMES), date=draw(DATES),
                  gss_code=draw(st.none() | st.sampled_from(["E06000001", "E06000002", "E9999<>"]) | st.text(max_size=9)))
    inspection = record["inspection"]
    inspection.update(start_date=draw(DATES), end_date=draw(DATES), outcome_text=draw(st.none() | NAMES),
                      outcome=draw(st.none() | st.sampled_from(OUTCOMES) | st.text(max_size=8)),
                      next_full_within=draw(st.none() | st.sampled_from(["P5Y", "P18M", "five years", "P"])))
    if draw(st.booleans()):
        inspection["previous"] = {"start_date": draw(DATES), "end_date": draw(DATES)}
    optional = st.none() | NAMES
    record["organisations"] = draw(st.lists(st.fixed_dictionaries({
        "name": optional, "kind": st.sampled_from(ORGANISATION_KINDS), "gss_code": st.none() | st.text(max_size=9)}),
        max_size=3))
    record["people"] = draw(st.lists(st.fixed_dictionaries({
        "name": optional, "title": optional, "organisation": optional, "capacity": st.sampled_from(CAPACITIES)}),
        max_size=3))
    record["inspectors"] = draw(st.lists(st.fixed_dictionaries({
        "name": optional, "organisation": st.sampled_from(["Ofsted", "CQC"]), "role": optional, "lead": st.booleans()}),
        max_size=3))
    record["findings"] = draw(st.lists(st.fixed_dictionaries({
        "kind": KINDS, "section": optional, "text": NAMES, "themes": st.lists(st.sampled_from(THEMES), unique=True),
        "services": st.just([]), "position": st.none() | st.integers(0, 500)}), max_size=3))
    record["mentions"] = draw(st.lists(st.fixed_dictionaries({
        "area": optional, "when": DATES, "kind": st.sampled_from(["inspection", "revisit"]), "result": optional}),
        max_size=2))
    return record


def _file_of(record) -> str:
    return re.sub(r"#\d+$", "", record["source"])


@GRAPH_EXAMPLES
@given(st.lists(records(), min_size=1, max_size=3, unique_by=_file_of))
def test_iris_minted_from_any_names_keep_the_graph_whole_and_conforming(batch):
    dataset = build_graph(batch)
    round_trips(dataset)
    conforms(dataset)


@FAST
@given(st.lists(SOURCES, min_size=2, max_size=4, unique=True))
def test_every_file_gets_its_own_safe_graph_iri(names):
    files = [n for n in names if not re.search(r"#\d+$", n)]
    iris = [document_graph("reports/" + name, "reports", None) for name in files]
    assert len(set(iris)) == len(iris)  # two files never share a graph
    for term in iris:
        assert SAFE_IRI.match(str(term)), term


# ---------------------------------------------------------------------------------------------
# Other text the project reads: graph files, query parameters
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("properties")


GRAPH_TEXT = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from(['<https://w3id.org/sendgraph/id/a> <https://w3id.org/sendgraph/id/p> "x" .',
                              "@prefix sg: <https://w3id.org/sendgraph/ontology#> .", "sg:a sg:b sg:c .", "{", "}",
                              '"unterminated', "<a b>", "_:b1 <http://x/p> _:b2 .", "GRAPH <http://x/g> {",
                              '{"@id": "http://x/a", "http://x/p": "v"}', "[", "]", ","]),
             max_size=8).map(lambda lines: "\n".join(lines).encode()),
)


@FAST
@given(GRAPH_TEXT, st.sampled_from([".ttl", ".trig", ".nq", ".nt", ".jsonld"]))
def test_any_graph_file_reads_or_raises_graph_error(folder, data, suffix):
    assume(b"@context" not in data)  # a JSON-LD context may name a URL to fetch: not for a property test
    path = folder / f"graph{suffix}"
    path.write_bytes(data)
    for read in (load_graph, gfiles.load_graph):
        try:
            dataset = read(path)
        except GraphError as error:
            assert str(path) in str(error)
            continue
        assert isinstance(dataset, Dataset)


@FAST
@given(st.text(max_size=40))
def test_any_parameter_text_parses_or_raises_query_error(text):
    try:
        name, value = parse_param(text)
    except QueryError:
        return
    assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) and text.endswith(value)


@pytest.fixture(scope="module")
def engines(folder):
    """An empty rdflib dataset and an empty on-disk store, to bind values in."""
    store = emb.open_store(folder / "store")
    yield Dataset(default_union=True), store
    del store
    gc.collect()


@FAST
@given(st.one_of(st.text(max_size=40), st.sampled_from(['x") } ?s ?p ?o {("', '<a> } ?s ?p ?o {<b>', "<urn:x>",
                                                          '"""', "\\", "2023-02-30", "http://x/a b", "-12"])))
def test_a_bound_value_comes_back_as_the_one_value_it_is(engines, text):
    """Whatever a --param value holds, the query keeps its shape: one row, holding exactly that value
    (an IRI, a date, a number or a string, as param_term reads it), from rdflib and from the store."""
    assume("\x00" not in text)
    query = "SELECT ?v WHERE { }"
    try:
        term = param_term(text)
    except SendgraphError:
        return
    answers = []
    memory, store = engines
    for run in (lambda: run_query(memory, query, {"v": text}), lambda: tgt.query_target(store, query, {"v": text})):
        try:
            result = run()
        except QueryError:  # a value that reads as an IRI but cannot be one
            assert isinstance(term, URIRef)
            continue
        assert len(result.rows) == 1 and len(result.rows[0]) == 1, result.rows
        answers.append(result.rows[0][0])
    for answer in answers:
        if isinstance(term, Literal) and term.datatype is None:
            assert answer == Literal(text)
        else:
            assert str(answer) == str(term)
