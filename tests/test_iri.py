"""IRIs are minted from identity and stay safe whatever a printed name contains."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from sendgraph.graph import iri

SAFE = re.compile(r"^https://w3id\.org/sendgraph/id/[A-Za-z0-9\-._~%/]+$")
HOSTILE = [
    'O\'Brien "the <boss>"',
    "Zoë Ångström-Đặng",
    "a b\tc\nd",
    "<script>alert(1)</script>",
    "} ; DROP GRAPH <x> .",
    "../../etc/passwd",
    "名前",
    "",
    "   ",
    "%2F%00",
    "\\u0000 \\",
    "#fragment?query=1&x",
]


def _round_trips(term: URIRef) -> None:
    graph = Graph()
    graph.add((term, URIRef("https://w3id.org/sendgraph/ontology#p"), Literal("v")))
    for fmt in ("nt", "turtle", "xml"):
        back = Graph().parse(data=graph.serialize(format=fmt), format=fmt)
        assert set(back.subjects()) == {term}, fmt


def test_slug_is_readable_ascii():
    assert iri.slug("Stockton-on-Tees") == "stockton-on-tees"
    assert iri.slug("St Helens") == "st-helens"
    assert iri.slug("O'Brien") == "obrien"
    assert iri.slug("Zoë Ångström") == "zoe-angstrom"
    assert iri.slug("Telford & Wrekin") == "telford-and-wrekin"
    assert iri.slug("") == "unnamed"


def test_names_without_latin_letters_get_distinct_slugs():
    assert iri.slug("名前") != iri.slug("名字")
    assert iri.slug("名前").startswith("unnamed-")
    assert iri.slug("名前") == iri.slug("名前")


def test_hostile_names_give_safe_iris():
    for name in HOSTILE:
        for term in (
            iri.person(name, "ofsted"),
            iri.person(name, name),
            iri.organisation("other", name),
            iri.area(None, name),
            iri.inspection(name, name),
            iri.finding(iri.inspection("hartlepool", "2023-03-13"), name, name),
            iri.decision(name, name),
            iri.concept(iri.THEME, name),
            iri.within(iri.document("ab" * 32), name),
        ):
            assert SAFE.match(str(term)), (name, term)
            _round_trips(term)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.text())
def test_any_text_gives_a_safe_iri(name, organisation):
    for term in (iri.person(name, organisation), iri.organisation("icb", name), iri.area(None, name),
                 iri.inspection(name, organisation), iri.concept(iri.SERVICE, name)):
        assert SAFE.match(str(term)), term


def test_iris_come_from_identity_not_order():
    assert iri.person("Nick Whittaker", "ofsted") == iri.person("Nick Whittaker", "ofsted")
    assert str(iri.person("Nick Whittaker", "ofsted")).endswith("/id/person/ofsted/nick-whittaker")
    assert str(iri.person("Sally Robinson", "E06000001")).endswith("/id/person/E06000001/sally-robinson")
    assert str(iri.person("Sally Robinson", None)).endswith("/id/person/unaffiliated/sally-robinson")
    assert str(iri.area("E06000002", "Middlesbrough")).endswith("/id/area/E06000002")
    assert str(iri.area(None, "Middle Earth")).endswith("/id/area/middle-earth")
    assert str(iri.organisation("local-authority", "E06000001")).endswith("/id/organisation/local-authority/E06000001")
    assert str(iri.inspection("middlesbrough", "2017-03-20")).endswith("/id/inspection/middlesbrough/2017-03-20")
    assert str(iri.inspection("middlesbrough", "2017-03")).endswith("/id/inspection/middlesbrough/2017-03")
    assert str(iri.inspection("middlesbrough", None)).endswith("/id/inspection/middlesbrough/undated")


def test_document_and_graph_iris_come_from_the_checksum():
    sha = "f5ad4f53388ea137a285dededa071b5eaa57ea689f893e7573edb5f39da29b0b"
    doc = iri.document(sha)
    assert str(doc) == "https://w3id.org/sendgraph/id/document/f5ad4f53388ea137"
    assert str(iri.document(sha, 2)) == "https://w3id.org/sendgraph/id/document/f5ad4f53388ea137-2"
    assert iri.document(sha, 1) == doc
    assert str(iri.graph(doc)) == "https://w3id.org/sendgraph/id/graph/f5ad4f53388ea137"
    # A record without a checksum still gets a stable, safe IRI from its source.
    assert iri.document(None, fallback="a.txt") == iri.document(None, fallback="a.txt")
    assert iri.document(None, fallback="a.txt") != iri.document(None, fallback="b.txt")


def test_findings_are_named_by_normalised_text():
    subject = iri.inspection("hartlepool", "2023-03-13")
    a = iri.finding(subject, "weakness", "Waiting times are too long.")
    b = iri.finding(subject, "weakness", "Waiting  times are too long")
    c = iri.finding(subject, "strength", "Waiting times are too long.")
    assert a == b
    assert a != c
    assert "/id/finding/inspection-hartlepool-2023-03-13/weakness-" in str(a)


def test_concept_codes_are_kept_as_they_are():
    assert str(iri.concept(iri.THEME, "ehc-plan-quality")) == "https://w3id.org/sendgraph/id/theme/ehc-plan-quality"
    assert str(iri.concept(iri.OUTCOME, "wsoa_required")) == "https://w3id.org/sendgraph/id/outcome/wsoa_required"
    assert str(iri.concept(iri.THEME, "a b")) == "https://w3id.org/sendgraph/id/theme/a%20b"
