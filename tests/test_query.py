"""Named queries on the graph of data/, parameters bound safely, result formats."""

import csv
import io
import json

import pytest
from support.paths import DATA
from rdflib import Dataset, Literal, URIRef
from rdflib.plugins.stores.memory import Memory

from sendgraph.errors import QueryError
from sendgraph.read.extract import extract_paths
from sendgraph.graph.build import build_graph
from sendgraph.stores.results import format_result
from sendgraph.stores.named import list_queries, query_text, run_query
from sendgraph.stores.sparql import param_term, parse_param

NAMES = {"area-inspections", "repeat-inspectors", "weakness-themes", "shared-icb", "theme-findings", "decisions"}


@pytest.fixture(scope="module")
def dataset():
    return build_graph(extract_paths([DATA]).records)


def _in_rdflib(dataset):
    """The built graph copied into rdflib's own Memory store (its SPARQL is rdflib's engine)."""
    copy = Dataset(store=Memory(), default_union=True)
    copy.addN(dataset.quads((None, None, None, None)))
    return copy


def test_oxigraph_and_rdflib_answer_every_query_alike(dataset):
    """Built and loaded graphs' queries run in Oxigraph; rdflib's engine gives the same rows."""
    in_rdflib = _in_rdflib(dataset)
    for name in sorted(NAMES) + ["area-inspections?area=Hartlepool", "theme-findings?theme=waiting-times"]:
        name, _, param = name.partition("?")
        params = dict([param.split("=")]) if param else None
        ox_rows, rdflib_rows = run_query(dataset, name, params), run_query(in_rdflib, name, params)
        assert ox_rows.variables == rdflib_rows.variables, name
        assert sorted(map(str, ox_rows.rows)) == sorted(map(str, rdflib_rows.rows)), name
        assert ox_rows.rows, name


def column(result, name):
    index = result.variables.index(name)
    return [None if row[index] is None else str(row[index]) for row in result.rows]


def test_every_shipped_query_has_a_description():
    queries = dict(list_queries())
    assert set(queries) == NAMES
    for name, description in queries.items():
        assert len(description) > 20 and not description.startswith("#"), name
        assert query_text(name).startswith("# ")


def test_the_inspections_of_an_area_over_time(dataset):
    result = run_query(dataset, "area-inspections", {"area": "middlesbrough"})
    assert column(result, "start") == ["2017-03-20", "2019-07-08", "2023-10-09"]
    assert column(result, "kind") == ["joint local area SEND inspection", "revisit", "area SEND inspection"]
    assert column(result, "outcome") == ["Written statement of action required", "Sufficient progress",
                                         "Positive experiences and outcomes"]
    assert column(result, "leadInspectors") == ["Nick Whittaker", None, "Claire Mason; David Mills"]
    # By ONS code too; without the parameter, every area.
    assert column(run_query(dataset, "area-inspections", {"area": "E06000001"}), "start") == ["2016-10-03", "2023-03-13"]
    assert len(run_query(dataset, "area-inspections").rows) == 6


def test_inspectors_on_more_than_one_inspection(dataset):
    result = run_query(dataset, "repeat-inspectors")
    assert column(result, "name") == ["Nick Whittaker"]
    assert column(result, "inspections") == ["2"]
    assert column(result, "worked_on") == ["Hartlepool joint local area SEND inspection, 2016-10-03; "
                                           "Middlesbrough joint local area SEND inspection, 2017-03-20"]


def test_areas_sharing_an_icb(dataset):
    result = run_query(dataset, "shared-icb")
    assert column(result, "name") == ["NHS North East and North Cumbria Integrated Care Board"]
    assert column(result, "area_names") == ["Hartlepool; Middlesbrough"]


def test_most_frequent_themes_among_weaknesses(dataset):
    result = run_query(dataset, "weakness-themes")
    counts = [int(c) for c in column(result, "findings")]
    assert counts == sorted(counts, reverse=True) and counts[0] >= 5
    assert all(t.startswith("https://w3id.org/sendgraph/id/theme/") for t in column(result, "theme"))


def test_findings_on_a_theme_with_quotes(dataset):
    themes = column(run_query(dataset, "weakness-themes"), "theme")
    code = themes[0].rsplit("/", 1)[-1]
    by_code = run_query(dataset, "theme-findings", {"theme": code})
    assert by_code.rows
    assert all(q and len(q) > 20 for q in column(by_code, "quote"))
    assert all(d for d in column(by_code, "document"))
    label = column(run_query(dataset, "weakness-themes"), "label")[0]
    assert len(run_query(dataset, "theme-findings", {"theme": label.upper()}).rows) == len(by_code.rows)


def test_resolution_decisions(dataset):
    people = run_query(dataset, "decisions", {"rule": "person-name"})
    assert set(column(people, "decisionRule")) == {"person-name"}
    kirby = [row for row in zip(column(people, "reason"), column(people, "printed")) if "Kirby" in row[0]]
    assert kirby == [("same surname (Kirby), the same organisation, compatible first names (Cathryn / Cathy)",
                      "Cathryn Kirby | Cathy Kirby")]
    everything = run_query(dataset, "decisions")
    assert {"ccg-to-icb", "inspection-date", "organisation-name", "person-name"} == set(column(everything, "decisionRule"))
    related = [r for r, d in zip(column(everything, "reason"), column(everything, "decision")) if d == "related"]
    assert len(related) == 2 and all("not merged" in r for r in related)


def test_parameters_are_bound_not_pasted(dataset):
    hostile = 'x") || true || ("'
    assert run_query(dataset, "area-inspections", {"area": hostile}).rows == []
    assert run_query(dataset, "area-inspections", {"area": "Hartlepool } UNION { ?s ?p ?o"}).rows == []
    with pytest.raises(QueryError, match="no variable"):
        run_query(dataset, "area-inspections", {"nosuch": "1"})
    with pytest.raises(QueryError):
        run_query(dataset, "area-inspections", {"bad name": "1"})


def test_param_parsing():
    assert parse_param("area=Stockton-on-Tees") == ("area", "Stockton-on-Tees")
    assert parse_param("?x=a=b") == ("x", "a=b")
    with pytest.raises(QueryError):
        parse_param("novalue")
    assert param_term("<https://w3id.org/x>") == URIRef("https://w3id.org/x")
    assert param_term("2023-03-13").datatype is not None
    assert param_term("42") == Literal(42)
    assert param_term("plain words") == Literal("plain words")


def test_sparql_text_files_and_ask(dataset, tmp_path):
    text = "SELECT (COUNT(?i) AS ?n) WHERE { ?i a sg:Inspection }"
    assert column(run_query(dataset, text), "n") == ["6"]
    path = tmp_path / "count.rq"
    path.write_text("# count\n" + text, encoding="utf-8")
    assert column(run_query(dataset, str(path)), "n") == ["6"]
    assert run_query(dataset, "ASK { ?p foaf:name 'Nick Whittaker' }").answer is True
    with pytest.raises(QueryError, match="unknown query"):
        run_query(dataset, "no-such-query")
    with pytest.raises(QueryError, match="SPARQL syntax error: error at 1:21"):
        run_query(dataset, "SELECT ?x WHERE { ?x ")  # a built graph: Oxigraph parses the query
    with pytest.raises(QueryError, match="failed"):
        run_query(_in_rdflib(dataset), "SELECT ?x WHERE { ?x ")  # a graph in rdflib's store: rdflib's engine
    with pytest.raises(QueryError, match="no such query file"):
        run_query(dataset, str(tmp_path / "missing.rq"))


def test_result_formats(dataset):
    result = run_query(dataset, "shared-icb")
    table = format_result(result, "table")
    # The table leaves out the column of IRIs and says so; CSV and JSON keep it.
    assert table.splitlines()[0].split() == ["name", "areas", "area_names"]
    assert table.rstrip().endswith("(1 row; IRI columns left out: icb (--iris shows them))")
    assert format_result(result, "table", iris=True).splitlines()[0].split() == ["icb", "name", "areas", "area_names"]
    rows = list(csv.reader(io.StringIO(format_result(result, "csv"))))
    assert rows[0] == ["icb", "name", "areas", "area_names"] and len(rows) == 2
    data = json.loads(format_result(result, "json"))
    assert data[0]["areas"] == 2 and data[0]["name"].startswith("NHS North East")
    assert json.loads(format_result(run_query(dataset, "ASK { ?s ?p ?o }"), "json")) == {"boolean": True}
    with pytest.raises(QueryError):
        format_result(result, "xml")
