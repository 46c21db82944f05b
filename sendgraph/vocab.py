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


# ---------------------------------------------------------------------------------------------
# Labels: the words people read for each code (the ontology's skos:prefLabel of the same concept;
# a test checks the two agree). Tables and the spreadsheet print these; JSON prints the code and,
# beside it, its label.
# ---------------------------------------------------------------------------------------------

OUTCOME_LABELS = {
    "positive": "Positive experiences and outcomes",
    "inconsistent": "Inconsistent experiences and outcomes",
    "systemic": "Widespread and/or systemic failings",
    "wsoa_required": "Written statement of action required",
    "no_wsoa": "No written statement of action required",
    "sufficient_progress": "Sufficient progress",
    "partial_progress": "Partial progress",
    "insufficient_progress": "Insufficient progress",
}
FINDING_KIND_LABELS = {
    "strength": "Strength",
    "weakness": "Weakness",
    "priority_action": "Priority action",
    "improvement": "Area for improvement",
    "main_finding": "Main finding",
    "significant_weakness": "Area of significant weakness",
    "recommendation": "Recommendation or concern",
    "narrative": "Narrative",
    "other": "Other statement",
}
#: The same in the plural, for headings.
FINDING_KIND_PLURALS = {
    "strength": "Strengths", "weakness": "Weaknesses", "priority_action": "Priority actions",
    "improvement": "Areas for improvement", "main_finding": "Main findings",
    "significant_weakness": "Areas of significant weakness", "recommendation": "Recommendations or concerns",
    "narrative": "Narrative", "other": "Other statements",
}
DOCUMENT_TYPE_LABELS = {
    "area_send_inspection_2023": "Area SEND inspection report (2023 framework)",
    "joint_local_area_inspection_2016": "Joint local area SEND inspection letter (2016 framework)",
    "council_report": "Council report",
    "unknown": "Other document",
}
#: An inspection's class (its local name) -> what it is in words, and its framework.
INSPECTION_TYPE_LABELS = {
    "AreaSendInspection": "area SEND inspection",
    "JointLocalAreaInspection": "joint local area SEND inspection",
    "Revisit": "revisit",
    "Inspection": "inspection (kind not stated)",
}
INSPECTION_FRAMEWORKS = {"AreaSendInspection": "2023", "JointLocalAreaInspection": "2016", "Revisit": "2016"}
#: Every label table by the kind of code it names.
LABELS = {"outcome": OUTCOME_LABELS, "finding_kind": FINDING_KIND_LABELS, "document_type": DOCUMENT_TYPE_LABELS,
          "inspection_type": INSPECTION_TYPE_LABELS}

_DURATION_UNITS = {"Y": ("year", "years"), "M": ("month", "months"), "W": ("week", "weeks"), "D": ("day", "days")}


def duration_label(code) -> str | None:
    """An ISO 8601 duration of one unit in words: "P3Y" -> "within 3 years", "P18M" -> "within 18 months";
    another text is given back as it is (None stays None)."""
    import re

    if code is None:
        return None
    match = re.fullmatch(r"P(\d+)([YMWD])", str(code).strip())
    if not match:
        return str(code)
    number, unit = int(match.group(1)), match.group(2)
    return f"within {number} {_DURATION_UNITS[unit][number != 1]}"


def label(kind: str, code) -> str | None:
    """The words for a code of one kind (``label("outcome", "wsoa_required")``); an unknown code is
    given back as it is, None stays None."""
    if code is None:
        return None
    if kind == "duration":
        return duration_label(code)
    return LABELS[kind].get(str(code), str(code))
