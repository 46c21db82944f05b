"""Exports of the graph of data/: the per-inspection CSV, GraphML/GEXF for Gephi, RDF formats."""

import csv
import io

import networkx as nx
import pytest
from support.paths import DATA
from rdflib import RDF

from sendgraph.graph import iri
from sendgraph.errors import UsageError
from sendgraph.graph.export import CSV_COLUMNS, FORMATS, export
from sendgraph.read.extract import extract_paths
from sendgraph.vocab import SG
from sendgraph.graph.build import build_graph
from sendgraph.graph.files import load_graph


@pytest.fixture(scope="module")
def records():
    return extract_paths([DATA]).records


@pytest.fixture(scope="module")
def dataset(records):
    return build_graph(records)


def test_csv_has_one_row_per_inspection(dataset, records):
    rows = list(csv.DictReader(io.StringIO(export(dataset, "csv"))))
    assert list(rows[0].keys()) == CSV_COLUMNS
    assert [(r["area"], r["start_date"]) for r in rows] == [
        ("Hartlepool", "2016-10-03"), ("Hartlepool", "2023-03-13"), ("Middlesbrough", "2017-03-20"),
        ("Middlesbrough", "2019-07-08"), ("Middlesbrough", "2023-10-09"), ("Stockton-on-Tees", "2019-02-04")]
    by_start = {r["start_date"]: r for r in rows}
    m2017 = by_start["2017-03-20"]
    assert (m2017["ons_code"], m2017["end_date"], m2017["outcome"]) == ("E06000002", "2017-03-24", "wsoa_required")
    assert m2017["lead_inspectors"] == "Nick Whittaker"
    assert m2017["kind"] == "joint local area SEND inspection"
    h2023 = by_start["2023-03-13"]
    assert (h2023["outcome"], h2023["next_full_inspection_within"], h2023["previous_inspection_start"]) == (
        "positive", "P5Y", "2016-10-03")
    assert h2023["lead_inspectors"] == "Alex Thorp; Lyndsey McGeary"
    # Counts by kind agree with the records of the report.
    record = next(r for r in records if r["area"] == "Hartlepool" and r["document_type"] == "area_send_inspection_2023")
    for kind in ("strength", "weakness", "improvement", "narrative"):
        assert int(h2023[f"{kind}_findings"]) == sum(1 for f in record["findings"] if f["kind"] == kind), kind
    revisit = by_start["2019-07-08"]
    assert revisit["kind"] == "revisit" and revisit["reports"] == "" and int(revisit["weakness_findings"]) == 0


def test_graphml_and_gexf_open_in_networkx(dataset, tmp_path):
    whittaker = str(iri.person("Nick Whittaker", "ofsted"))
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"graph.{fmt}"
        assert export(dataset, fmt, path) is None
        net = reader(path)
        assert net.nodes[whittaker]["label"] == "Nick Whittaker"
        assert net.nodes[whittaker]["type"] == "person"
        led = {u for u, v, data in net.in_edges(whittaker, data=True) if "leadInspector" in data["relation"].split("; ")}
        assert led == {str(iri.inspection("hartlepool", "2016-10-03")), str(iri.inspection("middlesbrough", "2017-03-20"))}
        findings = [n for n, d in net.nodes(data=True) if d["type"] == "finding"]
        assert len(findings) == len(set(dataset.subjects(RDF.type, SG.Finding)))
        # Intermediate nodes (annotations, selectors, associations) are left out.
        assert not any("/evidence/" in n or "/team/" in n for n in net.nodes)


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "ntriples", "jsonld"])
def test_rdf_formats_reload_to_the_same_triples(dataset, tmp_path, fmt):
    suffix = {"turtle": ".ttl", "trig": ".trig", "nquads": ".nq", "ntriples": ".nt", "jsonld": ".jsonld"}[fmt]
    path = tmp_path / f"graph{suffix}"
    export(dataset, fmt, path)
    back = load_graph(path)
    assert set(back.triples((None, None, None))) == set(dataset.triples((None, None, None)))


def test_export_refuses_unknown_formats(dataset):
    assert set(FORMATS) == {"turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf", "csv", "xlsx"}
    with pytest.raises(UsageError):
        export(dataset, "xls")


def test_export_replaces_a_file_whole(dataset, tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old content", encoding="utf-8")
    export(dataset, "csv", path)
    assert path.read_text(encoding="utf-8-sig").startswith("area,ons_code,")
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_text_with_characters_xml_forbids_gives_well_formed_graphml_and_gexf(records, tmp_path):
    """Control characters and non-characters (\\u0001, \\uFFFE) in a graph's text are left out of
    GraphML and GEXF, which XML 1.0 cannot hold; the files parse with a strict XML parser."""
    import copy
    import xml.etree.ElementTree as ET

    from rdflib import Literal, URIRef
    from rdflib.namespace import FOAF

    changed = copy.deepcopy(records)
    changed[0]["findings"][0]["text"] = "Leaders\u0001 plan\ufffe well\x1b[2J together\U0001F600.\ttab"
    graph = build_graph(changed)
    whittaker = str(iri.person("Nick Whittaker", "ofsted"))
    graph.add((URIRef(whittaker), FOAF.name, Literal("Nick\x0b Whittaker\uffff\x7f")))
    for fmt, reader in (("graphml", nx.read_graphml), ("gexf", nx.read_gexf)):
        path = tmp_path / f"graph.{fmt}"
        export(graph, fmt, path)
        ET.parse(path)  # raises on a character XML 1.0 forbids
        net = reader(path)
        labels = [d["label"] for _, d in net.nodes(data=True)]
        assert any("Leaders plan well" in label and "together\U0001F600." in label for label in labels)
        assert not any(ch in label for label in labels for ch in "\x01\x0b\x1b\ufffe\uffff")


def test_gexf_graph_element_has_only_the_attributes_of_gexf_1_2(dataset, tmp_path):
    """Regression: networkx writes name="" on <graph>, which the GEXF 1.2draft schema does not allow
    (the graph element takes defaultedgetype, mode, idtype, timeformat, start, end and their kin)."""
    import xml.etree.ElementTree as ET

    path = tmp_path / "g.gexf"
    export(dataset, "gexf", path)
    root = ET.parse(path).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft"}
    graph = root.find("g:graph", ns)
    allowed = {"defaultedgetype", "mode", "idtype", "timeformat", "timerepresentation", "timezone", "start",
               "startopen", "end", "endopen"}
    assert set(graph.attrib) <= allowed and graph.attrib["defaultedgetype"] == "directed"
    assert nx.read_gexf(path).number_of_nodes() > 100
