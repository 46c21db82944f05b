"""SHACL validation: the build conforms; broken graphs give readable violations."""

import hashlib

import pytest
from rdflib import RDF, XSD, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, OWL, RDFS, SKOS

from sendgraph.graph import iri
from sendgraph.vocab import ORG, SG
from sendgraph.graph.build import build_graph
from sendgraph.read.records import new_record
from sendgraph.graph.validate import ontology_graph, shapes_graph, validate


def small_record():
    r = new_record("area_send_inspection_2023")
    r.update(source="report.txt", sha256=hashlib.sha256(b"report").hexdigest(), title="Area SEND inspection of Hartlepool",
             area="Hartlepool", gss_code="E06000001", date="2023-04-20")
    r["inspection"].update(start_date="2023-03-13", end_date="2023-03-17", outcome="positive", next_full_within="P5Y")
    r["organisations"] = [{"name": "Hartlepool Borough Council", "kind": "local_authority", "gss_code": "E06000001"},
                          {"name": "NHS North East and North Cumbria ICB", "kind": "icb", "gss_code": None}]
    r["inspectors"] = [{"name": "Alex Thorp", "organisation": "Ofsted", "role": "Ofsted HMI Lead Inspector", "lead": True}]
    r["findings"] = [{"kind": "weakness", "section": None, "text": "Waiting times for assessments are too long.",
                      "themes": ["waiting-times"], "services": [], "position": 12}]
    return r


INSPECTION = iri.inspection("hartlepool", "2023-03-13")


@pytest.fixture
def graph():
    return build_graph([small_record()])


def finding_of(graph):
    return next(iter(graph.subjects(RDF.type, SG.Finding)))


def test_a_small_build_conforms(graph):
    conforms, report = validate(graph)
    assert conforms, report
    assert report == "The graph conforms to the sendgraph shapes."


def test_two_outcomes_violate(graph):
    graph.default_graph.add((INSPECTION, SG.outcome, iri.concept(iri.OUTCOME, "systemic")))
    conforms, report = validate(graph)
    assert not conforms
    assert "The graph does not conform: 1 problem." in report
    assert "inspection/hartlepool/2023-03-13" in report and "property: sg:outcome" in report
    assert "at most one outcome" in report


def test_an_outcome_from_outside_the_scheme_violates(graph):
    for o in list(graph.objects(INSPECTION, SG.outcome)):
        for g in graph.graphs():
            g.remove((INSPECTION, SG.outcome, o))
    graph.default_graph.add((INSPECTION, SG.outcome, iri.concept(iri.THEME, "waiting-times")))
    conforms, report = validate(graph)
    assert not conforms and "sg:outcome" in report


def test_a_theme_not_in_the_themes_scheme_violates(graph):
    graph.default_graph.add((finding_of(graph), DCTERMS.subject, URIRef("https://w3id.org/sendgraph/id/theme/no-such-theme")))
    conforms, report = validate(graph)
    assert not conforms
    assert "dcterms:subject" in report and "no-such-theme" in report


def test_a_date_that_is_not_a_date_violates(graph):
    for g in graph.graphs():
        g.remove((INSPECTION, SG.endDate, None))
    graph.default_graph.add((INSPECTION, SG.endDate, Literal("17 March 2023")))
    conforms, report = validate(graph)
    assert not conforms and "sg:endDate" in report and "'17 March 2023'" in report


def test_a_finding_without_evidence_and_a_report_without_title_violate(graph):
    finding = finding_of(graph)
    doc = next(iter(graph.subjects(RDF.type, SG.Report)))
    for g in graph.graphs():
        g.remove((finding, SG.evidence, None))
        g.remove((doc, DCTERMS.title, None))
    conforms, report = validate(graph)
    assert not conforms
    assert "The graph does not conform: 2 problems." in report
    assert "a finding needs its evidence" in report and "a report needs exactly one title" in report


def test_a_person_with_two_names_and_a_merged_ccg_icb_violate(graph):
    person = next(iter(graph.subjects(RDF.type, FOAF.Person)))
    graph.default_graph.add((person, FOAF.name, Literal("Someone Else")))
    icb = iri.organisation("icb", "north-east-and-north-cumbria")
    graph.default_graph.add((icb, RDF.type, SG.ClinicalCommissioningGroup))
    conforms, report = validate(graph)
    assert not conforms
    assert "canonical name" in report and "never one resource" in report


def test_the_report_is_stable(graph):
    graph.default_graph.add((INSPECTION, SG.outcome, iri.concept(iri.OUTCOME, "systemic")))
    assert validate(graph) == validate(graph)


def test_every_class_the_build_emits_has_a_shape():
    graph = build_graph([small_record()])
    emitted = set(graph.objects(None, RDF.type))
    shapes = shapes_graph()
    targeted = set(shapes.objects(None, URIRef("http://www.w3.org/ns/shacl#targetClass")))
    ontology = ontology_graph()
    covered = set(targeted)
    for cls in emitted:  # a class is covered by its own shape or by a shape on a class it is declared under
        if any((cls, RDFS.subClassOf, t) in ontology for t in targeted):
            covered.add(cls)
    # Superclasses typed only for convenience are covered by their subclasses' shapes.
    convenience = {URIRef("http://www.w3.org/ns/prov#Entity"), URIRef("http://www.w3.org/ns/prov#Activity"),
                   FOAF.Document, ORG.FormalOrganization}
    assert emitted - covered - convenience == set()


def test_every_ontology_term_the_build_uses_is_declared_with_label_and_comment():
    graph = build_graph([small_record()])
    ontology = ontology_graph()
    used = {p for p in graph.predicates() if str(p).startswith(str(SG))}
    used |= {o for o in graph.objects(None, RDF.type) if str(o).startswith(str(SG))}
    assert used
    for term in used:
        assert (term, RDF.type, None) in ontology, term
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, RDFS.comment) is not None, term
    for term in set(ontology.subjects(RDF.type, OWL.Class)) | set(ontology.subjects(RDF.type, OWL.ObjectProperty)):
        assert ontology.value(term, RDFS.label) is not None, term
    assert (SG.cuePhrase, RDF.type, OWL.AnnotationProperty) in ontology
    assert (iri.concept(iri.OUTCOME, "positive"), SKOS.inScheme, None) in ontology
    assert XSD.date is not None


def test_the_ontology_is_well_typed_owl():
    """What OWL tools refuse: a term typed as two kinds of property, a domain or range that is not a class."""
    ontology = ontology_graph()
    kinds = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for term in {s for k in kinds for s in ontology.subjects(RDF.type, k)}:
        assert sum((term, RDF.type, k) in ontology for k in kinds) == 1, term
    classes = set(ontology.subjects(RDF.type, OWL.Class))
    for prop in set(ontology.subjects(RDF.type, OWL.ObjectProperty)):
        for axis in (RDFS.domain, RDFS.range):
            for cls in ontology.objects(prop, axis):
                assert cls in classes, (prop, axis, cls)
    # Ranges of datatype properties from the OWL 2 datatype map only (xsd:date and xsd:duration are not in it).
    owl2_map = {XSD.string, XSD.integer, XSD.boolean, XSD.nonNegativeInteger, XSD.decimal, XSD.anyURI, XSD.dateTime, RDFS.Literal}
    for prop in set(ontology.subjects(RDF.type, OWL.DatatypeProperty)):
        for cls in ontology.objects(prop, RDFS.range):
            assert cls in owl2_map, (prop, cls)
    assert len(list(ontology.subjects(RDF.type, OWL.Ontology))) == 1
