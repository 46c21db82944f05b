"""Plain words for people, codes for machines: the one label table agrees with the ontology, tables of
every analysis command show words, JSON keeps the codes with their labels beside them."""

import json

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import SKOS
from support.analytics_graphs import data_dataset
from support.paths import ROOT

from sendgraph.cli import main
from sendgraph.graph.files import write_graph
from sendgraph.vocab import (DOCUMENT_TYPE, DOCUMENT_TYPE_LABELS, FINDING_KIND, FINDING_KIND_LABELS, OUTCOME,
                             OUTCOME_LABELS, duration_label, label)

CODES = ("wsoa_required", "no_wsoa", "sufficient_progress", "JointLocalAreaInspection", "AreaSendInspection",
         "significant_weakness", "priority_action", "P5Y", "P3Y")


@pytest.fixture(scope="module")
def data_graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("labels") / "data.ttl"
    write_graph(data_dataset(), path)
    return str(path)


def run(*args, columns=100):
    result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def test_label_tables_are_the_ontology_labels():
    ontology = Graph().parse(ROOT / "ontology" / "sendgraph.ttl")
    for namespace, table in ((OUTCOME, OUTCOME_LABELS), (FINDING_KIND, FINDING_KIND_LABELS),
                             (DOCUMENT_TYPE, DOCUMENT_TYPE_LABELS)):
        in_ontology = {str(s)[len(str(namespace)):]: str(o) for s, o in ontology.subject_objects(SKOS.prefLabel)
                       if str(s).startswith(str(namespace))}
        assert in_ontology == table


def test_durations_and_unknown_codes_in_words():
    assert [duration_label(c) for c in ("P3Y", "P1Y", "P18M", "P6W", None)] == [
        "within 3 years", "within 1 year", "within 18 months", "within 6 weeks", None]
    assert label("outcome", "wsoa_required") == "Written statement of action required"
    assert label("outcome", "something else") == "something else"
    assert label("inspection_type", "Revisit") == "revisit"


@pytest.mark.parametrize("args", [
    ["inspectors"], ["themes"], ["themes", "--theme", "local offer"], ["history", "Middlesbrough"],
    ["history", "Hartlepool"], ["compare", "Hartlepool", "Middlesbrough"], ["neighbours", "Hartlepool"],
    ["query", "area-inspections"], ["query", "theme-findings", "-p", "theme=local-offer"],
    ["query", "SELECT ?i ?o ?n WHERE { ?i sg:outcome ?o . OPTIONAL { ?i sg:nextFullInspectionWithin ?n } }"],
])
def test_tables_show_words_not_codes(data_graph, args):
    result = run(*args, "-g", data_graph)
    assert result.exit_code == 0, result.output
    for code in CODES:
        assert code not in result.stdout, (args, code)
    assert "https://w3id.org" not in result.stdout  # no IRI columns unless asked


def test_history_json_keeps_codes_and_adds_labels(data_graph):
    report = json.loads(run("history", "Middlesbrough", "-g", data_graph, "-f", "json").stdout)
    first = report["inspections"][0]
    assert (first["outcome"], first["outcome_label"]) == ("wsoa_required", "Written statement of action required")
    assert (first["type"], first["type_label"]) == ("JointLocalAreaInspection", "joint local area SEND inspection")
    assert report["inspections"][1]["type_label"] == "revisit"
    # Each change keeps the theme's code and adds its label (which themes change depends on the tagger).
    from sendgraph.read.themes import theme_labels

    assert report["changes"]
    for change in report["changes"]:
        assert change["theme_label"] == theme_labels()[change["theme"]]
    assert "ehc-plan-quality" in {c["theme"] for c in report["changes"]}


def test_compare_and_themes_json_keep_codes_with_labels(data_graph):
    report = json.loads(run("compare", "Hartlepool", "Middlesbrough", "-g", data_graph, "-f", "json").stdout)
    assert {(r["outcome"], r["outcome_label"]) for r in report["inspections"]} >= {
        ("positive", "Positive experiences and outcomes"), ("wsoa_required", "Written statement of action required")}
    findings = json.loads(run("themes", "--theme", "local-offer", "-g", data_graph, "-f", "json").stdout)
    assert {(f["kind"], f["kind_label"]) for f in findings["findings"]} >= {
        ("significant_weakness", "Area of significant weakness")}
    inspectors = json.loads(run("inspectors", "-g", data_graph, "-f", "json").stdout)
    assert {r["outcome_label"] for r in inspectors["inspections"]} == {"Written statement of action required"}


def test_query_json_adds_labels_beside_codes(data_graph):
    rows = json.loads(run("query", "SELECT ?o ?n WHERE { ?i sg:outcome ?o ; sg:nextFullInspectionWithin ?n }",
                          "-g", data_graph, "-f", "json").stdout)
    assert {(r["o"], r["o_label"], r["n"], r["n_label"]) for r in rows} == {
        ("https://w3id.org/sendgraph/id/outcome/positive", "Positive experiences and outcomes", "P5Y",
         "within 5 years")}


def test_query_iris_on_request(data_graph):
    plain = run("query", "area-inspections", "-p", "area=Hartlepool", "-g", data_graph)
    assert "inspection/hartlepool" not in plain.stdout and "--iris shows them" in plain.stdout
    full = run("query", "area-inspections", "-p", "area=Hartlepool", "--iris", "-g", data_graph, columns=400)
    assert "https://w3id.org/sendgraph/id/inspection/hartlepool/2023-03-13" in full.stdout
