"""The shipped ontology files are found from the package and parse; their concept schemes cover the record's codes."""

from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, SH, SKOS

from sendgraph.ontology import ontology_dir, ontology_file
from sendgraph.vocab import DOCUMENT_TYPES, OUTCOMES

ROOT = Path(__file__).resolve().parent.parent
ID = "https://w3id.org/sendgraph/id/"
SCHEME = Namespace(ID + "scheme/")


def test_source_checkout_uses_top_level_ontology_folder():
    assert ontology_dir() == ROOT / "ontology"
    assert ontology_file("themes.ttl") == ROOT / "ontology" / "themes.ttl"


@pytest.fixture(scope="module")
def graphs():
    return {name: Graph().parse(ontology_file(name), format="turtle") for name in ("sendgraph.ttl", "themes.ttl", "shapes.ttl")}


def test_ontology_declares_itself(graphs):
    g = graphs["sendgraph.ttl"]
    assert (URIRef("https://w3id.org/sendgraph/ontology"), RDF.type, OWL.Ontology) in g
    assert len(g) > 300


def test_shapes_are_shacl_node_shapes(graphs):
    shapes = set(graphs["shapes.ttl"].subjects(RDF.type, SH.NodeShape))
    sgsh = Namespace("https://w3id.org/sendgraph/shapes#")
    for name in ("OutcomeConcept", "FindingKindConcept", "DocumentTypeConcept", "ThemeConcept", "ServiceConcept"):
        assert sgsh[name] in shapes, name


@pytest.mark.parametrize(
    "codes, namespace, scheme",
    [(OUTCOMES, "outcome/", "outcomes"), (DOCUMENT_TYPES, "document-type/", "document-types")],
)
def test_every_record_code_is_a_concept_in_its_scheme(graphs, codes, namespace, scheme):
    g = graphs["sendgraph.ttl"]
    for code in codes:
        concept = URIRef(ID + namespace + code)
        assert (concept, RDF.type, SKOS.Concept) in g, code
        assert (concept, SKOS.inScheme, SCHEME[scheme]) in g, code
        assert (concept, SKOS.notation, Literal(code)) in g, code


def test_themes_file_holds_concept_schemes(graphs):
    g = graphs["themes.ttl"]
    assert len(set(g.subjects(RDF.type, SKOS.ConceptScheme))) >= 2
    assert len(set(g.subjects(RDF.type, SKOS.Concept))) > 10


def test_the_ontology_opens_in_owlready2_and_hermit_finds_it_consistent(tmp_path):
    """A standard OWL tool chain: Owlready2 loads the ontology and the theme scheme, and the HermiT
    reasoner (Java, as Protege uses it) classifies them: no error, consistent, no unsatisfiable class.

    Regressions: HermiT refused xsd:date and xsd:duration as ranges (not in the OWL 2 datatype map),
    and found the ontology inconsistent (its own language-tagged dcterms:title against a range of xsd:string).
    """
    import owlready2

    merged = Graph()
    for name in ("sendgraph.ttl", "themes.ttl"):
        merged.parse(ontology_file(name), format="turtle")
    path = tmp_path / "ontology.nt"
    merged.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    onto = world.get_ontology(path.as_uri()).load()
    assert len(list(onto.classes())) >= 20
    with onto:
        owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)  # raises on error or inconsistency
    assert list(world.inconsistent_classes()) == []


# The domains and ranges the W3C specifications give the terms the ontology declares (None: the
# specification gives none, or one that is no narrower than what is written here).
W3C_AXIOMS = {
    "http://www.w3.org/ns/org#memberOf": ({"http://xmlns.com/foaf/0.1/Agent"}, {"http://www.w3.org/ns/org#Organization"}),
    "http://www.w3.org/ns/org#member": ({"http://www.w3.org/ns/org#Membership"}, {"http://xmlns.com/foaf/0.1/Agent"}),
    "http://www.w3.org/ns/prov#agent": (set(), {"http://www.w3.org/ns/prov#Agent"}),
    "http://www.w3.org/ns/oa#hasTarget": ({"http://www.w3.org/ns/oa#Annotation"}, set()),
    "http://www.w3.org/ns/oa#hasSource": (set(), set()),
    "http://www.w3.org/ns/oa#hasSelector": (set(), set()),
    "http://xmlns.com/foaf/0.1/name": (set(), set()),
    "http://www.w3.org/2004/02/skos/core#inScheme": (set(), {"http://www.w3.org/2004/02/skos/core#ConceptScheme"}),
}


def test_terms_of_w3c_vocabularies_get_no_domain_or_range_beyond_their_own(graphs):
    """Regression: the ontology gave W3C terms domains and ranges stronger than their specifications
    (oa:hasSource range sg:Report, org:memberOf domain foaf:Person, ...), which would apply to anyone
    else's data merged with it; the project's own constraints are in the SHACL shapes."""
    from rdflib.namespace import RDFS

    g = graphs["sendgraph.ttl"]
    for term, (domains, ranges) in W3C_AXIOMS.items():
        assert {str(d) for d in g.objects(URIRef(term), RDFS.domain)} == domains, term
        assert {str(r) for r in g.objects(URIRef(term), RDFS.range)} == ranges, term
    assert (URIRef("http://purl.org/dc/terms/title"), RDF.type, OWL.AnnotationProperty) in g
    assert (SKOS.related, RDF.type, OWL.SymmetricProperty) in g
