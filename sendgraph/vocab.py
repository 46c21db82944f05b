"""The project's vocabulary, each name spelt once: namespaces, prefixes, graph names, and the codes of outcomes, document types, finding kinds, organisation kinds and node kinds."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, XSD

# ---------------------------------------------------------------------------------------------
# Namespaces
# ---------------------------------------------------------------------------------------------

BASE = "https://w3id.org/sendgraph/"
ID = BASE + "id/"
SG = Namespace(BASE + "ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
OA = Namespace("http://www.w3.org/ns/oa#")
THEME = Namespace(ID + "theme/")
SERVICE = Namespace(ID + "service/")
OUTCOME = Namespace(ID + "outcome/")
FINDING_KIND = Namespace(ID + "finding-kind/")
DOCUMENT_TYPE = Namespace(ID + "document-type/")
SCHEME = Namespace(ID + "scheme/")
#: The theme and service schemes' IRIs, as plain strings (for comparison with strings).
THEME_SCHEME = ID + "scheme/themes"
SERVICE_SCHEME = ID + "scheme/services"
STATISTICS = "http://statistics.data.gov.uk/id/statistical-geography/"

#: The prefixes of every file sendgraph writes and every query it runs.
PREFIXES = {
    "sg": SG, "org": ORG, "oa": OA, "prov": PROV, "foaf": FOAF, "skos": SKOS, "dcterms": DCTERMS,
    "owl": OWL, "xsd": XSD, "rdfs": RDFS, "rdf": RDF,
    "area": Namespace(ID + "area/"), "organisation": Namespace(ID + "organisation/"),
    "person": Namespace(ID + "person/"), "inspection": Namespace(ID + "inspection/"),
    "document": Namespace(ID + "document/"), "finding": Namespace(ID + "finding/"),
    "theme": THEME, "service": SERVICE, "outcome": OUTCOME, "kind": FINDING_KIND,
}

# ---------------------------------------------------------------------------------------------
# Graph names
# ---------------------------------------------------------------------------------------------

#: The IRI prefix of every document graph (what a build may drop on a server).
DOCUMENT_GRAPHS = ID + "graph/"
#: Where triples that belong to no named graph are pushed (a server's default graph is not portable).
DEFAULT_GRAPH = BASE + "graph/default"
#: The IRI prefix of every graph sendgraph pushes.
SCOPE = BASE

# ---------------------------------------------------------------------------------------------
# Codes (the notations of the SKOS schemes in ontology/sendgraph.ttl)
# ---------------------------------------------------------------------------------------------

DOCUMENT_TYPES = ("area_send_inspection_2023", "joint_local_area_inspection_2016", "council_report", "unknown")
#: Every outcome of the outcomes scheme: of a 2023 report, of a 2016 letter, of a 2016 revisit.
OUTCOMES = (
    "positive", "inconsistent", "systemic", "wsoa_required", "no_wsoa",
    "sufficient_progress", "partial_progress", "insufficient_progress",
)
#: The outcomes a report or letter itself gives (an extraction record's ``inspection.outcome``).
RECORD_OUTCOMES = OUTCOMES[:5]
#: The outcomes that say an area's arrangements fall short (2023: inconsistent or systemic; 2016: a
#: written statement of action was required, or a revisit found partial or insufficient progress).
WEAKER_OUTCOMES = ("inconsistent", "systemic", "wsoa_required", "partial_progress", "insufficient_progress")
BETTER_OUTCOMES = ("positive", "no_wsoa", "sufficient_progress")
#: Best first, for comparisons.
OUTCOME_ORDER = ("positive", "no_wsoa", "sufficient_progress", "partial_progress", "inconsistent", "wsoa_required",
                 "insufficient_progress", "systemic")

FINDING_KINDS = ("strength", "weakness", "priority_action", "improvement", "main_finding", "significant_weakness",
                 "recommendation", "narrative", "other")
# Finding kinds grouped by what they say about a theme. A 2016 letter's significant weaknesses count
# as weaknesses; main findings and narrative paragraphs carry no polarity.
STRENGTH_KINDS = frozenset({"strength"})
WEAKNESS_KINDS = frozenset({"weakness", "significant_weakness"})
NEGATIVE_KINDS = frozenset({"weakness", "significant_weakness", "priority_action", "improvement"})
JUDGED_KINDS = frozenset({"strength", "weakness", "significant_weakness", "priority_action", "improvement",
                          "main_finding", "recommendation"})

#: An extraction record's organisation kinds, and the class each becomes in the graph.
ORGANISATION_KINDS = ("local_authority", "icb", "ccg", "inspectorate", "other")
ORGANISATION_CLASS = {
    "local_authority": SG.LocalAuthority,
    "icb": SG.IntegratedCareBoard,
    "ccg": SG.ClinicalCommissioningGroup,
    "inspectorate": SG.Inspectorate,
    "other": ORG.Organization,
}
#: The capacities in which a document names a person.
CAPACITIES = ("la_leader", "icb_leader", "addressee", "recipient", "signatory", "contact", "other")


# ---------------------------------------------------------------------------------------------
# Node kinds: what a resource is in the NetworkX projection, the views and the network exports
# ---------------------------------------------------------------------------------------------

#: Node kind -> its name in words.
NODE_KINDS = {
    "area": "Area", "local_authority": "Local authority", "icb": "Integrated care board",
    "ccg": "Clinical commissioning group", "inspectorate": "Inspectorate", "organisation": "Organisation",
    "inspection": "Inspection", "document": "Document", "person": "Person", "finding": "Finding",
    "theme": "Theme", "service": "Service",
}
ORGANISATION_NODE_KINDS = ("local_authority", "icb", "ccg", "inspectorate", "organisation")
#: rdf:type -> node kind; the first listed class a resource has wins.
NODE_KIND_OF_CLASS = (
    (SG + "Area", "area"),
    (SG + "Inspection", "inspection"),
    (SG + "AreaSendInspection", "inspection"),
    (SG + "JointLocalAreaInspection", "inspection"),
    (SG + "Revisit", "inspection"),
    (SG + "Finding", "finding"),
    (SG + "Report", "document"),
    (str(FOAF.Person), "person"),
    (SG + "LocalAuthority", "local_authority"),
    (SG + "IntegratedCareBoard", "icb"),
    (SG + "ClinicalCommissioningGroup", "ccg"),
    (SG + "Inspectorate", "inspectorate"),
    (ORG + "FormalOrganization", "organisation"),
    (ORG + "Organization", "organisation"),
)
