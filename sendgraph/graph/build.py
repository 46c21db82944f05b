"""Extraction records -> the knowledge graph (an rdflib Dataset).

The dataset has one named graph per source document, named from the document's identity: its path
within the folder it was found in, as given to the build (``id/graph/{path}``; a file given by itself:
its name; plus ``#n`` for the n-th document of a file), so a changed document keeps its graph IRI and
replaces its graph, and no IRI holds a local path or depends on the other paths a build was given
(see :func:`document_graphs`). The graph holds what that document
states, with the document's checksum (``sg:sha256``); the default graph holds what resolution
concludes across documents (canonical names, ONS codes, inspections' dates, CCG -> ICB changes,
resolution decisions) and the concept schemes. Queries see the union of all of them.

Everything is named by IRIs minted from identity (no blank nodes), so the same records always give
the same triples: ``sorted N-Triples`` of two builds are byte-identical.
"""

from __future__ import annotations

import gc
import os
import re
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from sendgraph.formats import counted
from sendgraph.graph import iri
from sendgraph.ontology import ontology_file
from sendgraph.graph.oxstore import QuadSink, oxigraph_dataset, oxigraph_store
from sendgraph.graph.resolve import ICB_START, document_order, part_of, resolve
from sendgraph.vocab import (DOCUMENT_TYPES, FINDING_KINDS, OA, ORG, ORGANISATION_CLASS, OUTCOMES, PREFIXES, SG,
                             STATISTICS)

class _Terms:
    """A namespace whose terms are made once: rdflib makes a new URIRef at every ``NS.name``, and a build
    asks for some thirty per finding."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = self._namespace[name]
        setattr(self, name, term)
        return term

    __getitem__ = __getattr__


RDF, RDFS, XSD, DCTERMS, FOAF, PROV, SKOS, OA, ORG, SG = (
    _Terms(namespace) for namespace in (RDF, RDFS, XSD, DCTERMS, FOAF, PROV, SKOS, OA, ORG, SG))

_KIND_ALIASES = {"area_for_improvement": "improvement", "areas_for_improvement": "improvement",
                 "recommendations": "recommendation", "concern": "recommendation", "significant_concern": "recommendation",
                 "action": "recommendation", "strengths": "strength", "weaknesses": "weakness"}
CAPACITY_PROPERTY = {"addressee": SG.addressedTo, "recipient": SG.copiedTo, "signatory": SG.signedBy, "contact": SG.contact}

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?$")
_TEAM = re.compile(r"inspector|\bHMI\b", re.I)
_NOT_TEAM = re.compile(r"chief inspector|director", re.I)


def text(value) -> ox.Literal:
    """A plain string literal, control characters removed and spacing made regular: Oxigraph's own
    term, which the build's sinks (QuadSink) take as it is (an rdflib Literal costs some 8 us more)."""
    return ox.Literal(" ".join(_CONTROL.sub(" ", str(value)).split()))


def date_literal(value: str) -> Literal | None:
    """xsd:date, xsd:gYearMonth or xsd:gYear for an ISO date at its precision; None for anything else,
    impossible dates ("2023-02-31", "2023-13") included."""
    import datetime

    value = (value or "").strip()
    if _ISO.match(value):
        try:
            datetime.date.fromisoformat(value)
        except ValueError:
            return None
        return Literal(value, datatype=XSD.date)
    if re.match(r"^\d{4}-(?:0[1-9]|1[0-2])$", value):
        return Literal(value, datatype=XSD.gYearMonth)
    if re.match(r"^\d{4}$", value):
        return Literal(value, datatype=XSD.gYear)
    return None


def duration_literal(value: str | None) -> Literal | None:
    return Literal(value, datatype=XSD.duration) if value and _DURATION.match(value) else None


def finding_kind(code: str | None) -> str:
    code = (code or "other").strip().lower().replace(" ", "_").replace("-", "_")
    code = _KIND_ALIASES.get(code, code)
    return code if code in FINDING_KINDS else "other"


@dataclass
class BuildSummary:
    documents: int
    inspections: int
    organisations: int
    people: int
    findings: int
    triples: int

    def as_text(self) -> str:
        return ", ".join([counted(self.documents, "document"), counted(self.inspections, "inspection"),
                          counted(self.organisations, "organisation"),
                          f"{self.people} {'person' if self.people == 1 else 'people'}",
                          counted(self.findings, "finding"), counted(self.triples, "triple")])


def summarise(dataset) -> BuildSummary:
    """Counts of the main resources in a built (or loaded) graph."""
    store = oxigraph_store(dataset)

    def subjects(*classes) -> set:
        if store is not None:  # the store's own terms: no rdflib term made for each
            rdf_type = ox.NamedNode(RDF.type)
            return {q.subject for cls in classes for q in store.quads_for_pattern(None, rdf_type, ox.NamedNode(cls))}
        return {s for cls in classes for s in dataset.subjects(RDF.type, cls)}

    inspections = subjects(SG.Inspection, SG.AreaSendInspection, SG.JointLocalAreaInspection, SG.Revisit)
    organisations = subjects(*ORGANISATION_CLASS.values())
    triples = len(dataset) if store is not None else len(set(dataset.triples((None, None, None))))
    return BuildSummary(len(subjects(SG.Report)), len(inspections), len(organisations), len(subjects(FOAF.Person)),
                        len(subjects(SG.Finding)), triples)


# ---------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------


_CONCEPT_PREDICATES = {RDF.type, SKOS.prefLabel, SKOS.altLabel, SKOS.definition, SKOS.notation, SKOS.inScheme,
                       SKOS.topConceptOf, SKOS.hasTopConcept, SKOS.broader, SKOS.narrower, RDFS.label}


def concept_triples() -> list:
    """The concept schemes the graph's values come from: outcomes, finding kinds, document types (sendgraph.ttl)
    and themes and services (themes.ttl), without the OWL axioms; pyoxigraph triples (Oxigraph parses
    the files some 25 times faster than rdflib)."""
    source = []
    for name in ("sendgraph.ttl", "themes.ttl"):
        path = ontology_file(name)
        if path.is_file():
            source += ox.parse(path=str(path), format=ox.RdfFormat.TURTLE)
    kinds = {ox.NamedNode(SKOS.Concept), ox.NamedNode(SKOS.ConceptScheme)}
    rdf_type = ox.NamedNode(RDF.type)
    predicates = {ox.NamedNode(p) for p in _CONCEPT_PREDICATES}
    keep = {t.subject for t in source if t.predicate == rdf_type and t.object in kinds and isinstance(t.subject, ox.NamedNode)}
    return [t for t in source
            if t.subject in keep and t.predicate in predicates and isinstance(t.object, (ox.Literal, ox.NamedNode))
            and (t.predicate != rdf_type or t.object in kinds)]


def build_roots(paths) -> list[str]:
    """What document graphs are named within: the paths given to a build, absolute, in order (a folder:
    its files by their path within it; a file: itself, by its name)."""
    return [os.path.abspath(os.fspath(path)) for path in paths]


def build_root(paths) -> str | None:
    """The folder document graph IRIs are relative to, for a build of ``paths`` (files and folders).

    The deepest folder holding all of them (a given folder itself, a given file's folder), so
    ``build data`` and ``build /abs/path/data`` name the documents of data/ alike. None for no paths.
    """
    folders = []
    for path in paths:
        path = os.path.abspath(os.fspath(path))
        folders.append(path if os.path.isdir(path) else os.path.dirname(path))
    return _common_folder(folders)


def _common_folder(folders: list[str]) -> str | None:
    if not folders:
        return None
    try:
        return os.path.commonpath(folders)
    except ValueError:  # paths on different drives: no common folder
        return None


def _source_path(source) -> tuple[str, int]:
    """The file path of a record's ``source`` (without its ``#n``) and n (0 for a file's only document)."""
    source = str(source or "")
    part = part_of(source)
    return (source[: source.rindex("#")] if part else source), part


def _within(absolute: str, root: str) -> bool:
    try:
        return os.path.commonpath([absolute, root]) == root
    except ValueError:  # another drive
        return False


def _graph_iri(segments: list[str], part: int) -> URIRef:
    # dot segments are encoded, so no IRI normalisation can ever fold two documents' graphs into one
    encoded = [iri.segment(s) if s not in (".", "..") else s.replace(".", "%2E") for s in segments]
    return URIRef(iri.ID + "graph/" + "/".join(encoded) + (f"#{part}" if part else ""))


def _segments(absolute: str, root: str | None) -> list[str]:
    relative = os.path.relpath(absolute, root) if root and root != absolute else os.path.basename(absolute)
    return [s for s in relative.replace(os.sep, "/").split("/") if s]


def document_graph(source, root: str | None, doc: URIRef) -> URIRef:
    """The named graph of one document: ``id/graph/{path relative to root}`` (no root: the file's
    name) plus ``#n`` for the n-th document of a file (each path segment percent-encoded). A record
    without a source falls back to the document's checksum key (``id/graph/{checksum prefix}``)."""
    path, part = _source_path(source)
    if not path:
        return iri.graph(doc)
    return _graph_iri(_segments(os.path.abspath(path), root), part)


def document_graphs(records: list, roots, documents: dict) -> dict[int, URIRef]:
    """The named graph of each record (by index): its file's path within the first of ``roots`` (the
    paths given, see :func:`build_roots`) that holds it; a file given itself, or held by none, is named
    by its file name; plus ``#n`` for the n-th document of a file.

    A name depends only on the file and the folder it was found in: never on a local path, nor on the
    other paths of the build, so adding a folder to a build renames no document. Only where two
    different files would get one name (a ``report.txt`` in each of two folders given) is each of
    them told apart by its checksum: ``report.txt~{first 12 hex digits}``.
    """
    named: dict[int, tuple[list[str], int, str]] = {}
    graphs: dict[int, URIRef] = {}
    for index, record in enumerate(records):
        path, part = _source_path(record.get("source"))
        if not path:
            graphs[index] = iri.graph(documents[index])
            continue
        absolute = os.path.abspath(path)
        root = next((r for r in roots if _within(absolute, r)), None)
        named[index] = (_segments(absolute, root), part, absolute)
    files_by_name: dict[tuple, set] = {}
    for segments, _part, absolute in named.values():
        files_by_name.setdefault(tuple(segments), set()).add(absolute)
    for index, (segments, part, absolute) in named.items():
        if len(files_by_name[tuple(segments)]) > 1:
            key = str(records[index].get("sha256") or iri.short_hash(absolute))[:12]
            segments = segments[:-1] + [f"{segments[-1]}~{key}"]
        graphs[index] = _graph_iri(segments, part)
    return graphs


def build_graph(records: list, root=None) -> Dataset:
    """The knowledge graph of extraction records: one named graph per document plus the resolved links.

    Document graphs are named by :func:`document_graphs` within ``root``: the folders the build was
    given (:func:`build_roots`), or one folder; by default each by its file's name.
    """
    # The build makes millions of objects and no garbage cycles: the cyclic collector would only walk
    # them again and again (a fifth of the time at 1,000 reports, more the bigger the graph).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _build_graph(records, root)
    finally:
        if collecting:
            gc.enable()


def _build_graph(records: list, root) -> Dataset:
    records = document_order([r for r in records if r])
    roots = [] if root is None else [os.path.abspath(root)] if isinstance(root, (str, os.PathLike)) else list(root)
    resolution = resolve(records)
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in concept_triples())
    documents = {index: iri.document(r.get("sha256"), part_of(r.get("source")), r.get("source"))
                 for index, r in enumerate(records)}
    with QuadSink(store, None) as default:
        _add_resolved(default, resolution, documents)
    shared = default.cache  # the concepts' and linked entities' IRIs, which every document uses
    graphs = document_graphs(records, roots, documents)
    for index, record in enumerate(records):
        graph_iri = graphs[index]
        with QuadSink(store, graph_iri, shared) as sink:
            _add_document(sink, graph_iri, index, record, documents[index], resolution)
    return oxigraph_dataset(store, PREFIXES)


def _add_resolved(g: Graph, res, documents: dict) -> None:
    add = g.add
    for area in res.areas.values():
        add((area.iri, RDF.type, SG.Area))
        add((area.iri, RDFS.label, text(area.label)))
        if area.gss_code:
            add((area.iri, SG.gssCode, Literal(area.gss_code)))
            add((area.iri, RDFS.seeAlso, URIRef(STATISTICS + area.gss_code)))
        if area.region:
            add((area.iri, SG.region, text(area.region)))
        if area.local_authority is not None:
            add((area.iri, SG.localAuthority, area.local_authority))
    for org in res.organisations.values():
        add((org.iri, RDF.type, ORGANISATION_CLASS[org.kind]))
        if org.kind != "other":
            add((org.iri, RDF.type, ORG.FormalOrganization))
        add((org.iri, RDF.type, ORG.Organization))
        add((org.iri, RDFS.label, text(org.label)))
        if org.gss_code:
            add((org.iri, SG.gssCode, Literal(org.gss_code)))
            add((org.iri, RDFS.seeAlso, URIRef(STATISTICS + org.gss_code)))
        if org.board is not None:  # an ICB: its ONS (E54) and ODS codes
            add((org.iri, SG.gssCode, Literal(org.board.gss_code)))
            add((org.iri, SG.odsCode, Literal(org.board.ods_code)))
            add((org.iri, RDFS.seeAlso, URIRef(STATISTICS + org.board.gss_code)))
    for person in res.people.values():
        add((person.iri, RDF.type, FOAF.Person))
        add((person.iri, RDFS.label, text(person.name)))
        add((person.iri, FOAF.name, text(person.name)))
        if person.given:
            add((person.iri, FOAF.givenName, text(person.given)))
        add((person.iri, FOAF.familyName, text(person.family)))
        if person.organisation is not None:
            add((person.iri, ORG.memberOf, person.organisation))
    for insp in res.inspections.values():
        add((insp.iri, RDF.type, SG[insp.cls]))
        add((insp.iri, RDF.type, SG.Inspection))
        add((insp.iri, RDF.type, PROV.Activity))
        add((insp.iri, SG.area, insp.area))
        start = date_literal(insp.start)
        if start is not None:
            add((insp.iri, SG.startDate, start))
        end = date_literal(insp.end) if insp.end and _ISO.match(insp.end) and insp.end >= insp.start else None
        if end is not None:
            add((insp.iri, SG.endDate, end))
        kind = {"Revisit": "revisit", "AreaSendInspection": "area SEND inspection",
                "JointLocalAreaInspection": "joint local area SEND inspection"}.get(insp.cls, "inspection")
        add((insp.iri, RDFS.label, text(f"{insp.area_label} {kind}, {insp.start}")))
        if not insp.reports and insp.outcome in OUTCOMES:
            add((insp.iri, SG.outcome, iri.concept(iri.OUTCOME, insp.outcome)))
    for ccg, icb, areas in res.changes:
        event = iri.mint("event", "ccg-to-icb", str(ccg).rsplit("/", 1)[-1], str(icb).rsplit("/", 1)[-1])
        add((event, RDF.type, ORG.ChangeEvent))
        add((event, RDFS.label, text("Duties of a clinical commissioning group taken over by an integrated care board")))
        add((event, DCTERMS.date, Literal(ICB_START, datatype=XSD.date)))
        add((event, ORG.originalOrganization, ccg))
        add((event, ORG.resultingOrganization, icb))
        for area in areas:
            add((event, DCTERMS.spatial, area))
        add((ccg, ORG.changedBy, event))
        add((icb, ORG.resultedFrom, event))
        add((ccg, SG.dutiesTransferredTo, icb))
    for decision in res.decisions:
        node = decision.iri
        add((node, RDF.type, SG.ResolutionDecision))
        add((node, SG.rule, Literal(decision.rule)))
        add((node, SG.decision, Literal(decision.decision)))
        add((node, SG.reason, text(decision.reason)))
        for entity in decision.entities:
            add((node, SG.resolvedEntity, entity))
        for printed in decision.printed:
            add((node, SG.printedForm, text(printed)))
        for doc in decision.documents:
            add((node, PROV.used, documents[doc]))


def _add_document(g, graph_iri: URIRef, index: int, record: dict, doc: URIRef, res) -> None:
    add = g.add
    sha = (record.get("sha256") or "").lower()
    add((graph_iri, RDF.type, SG.DocumentGraph))
    add((graph_iri, SG.describes, doc))
    add((graph_iri, PROV.wasDerivedFrom, doc))
    if re.fullmatch(r"[0-9a-f]{64}", sha):
        add((graph_iri, SG.sha256, Literal(sha)))
        add((doc, SG.sha256, Literal(sha)))
    add((doc, RDF.type, SG.Report))
    add((doc, RDF.type, PROV.Entity))
    add((doc, RDF.type, FOAF.Document))
    doc_type = record.get("document_type") if record.get("document_type") in DOCUMENT_TYPES else "unknown"
    add((doc, SG.documentType, iri.concept(iri.DOCUMENT_TYPE, doc_type)))
    source = str(record.get("source") or "")
    if source:
        add((doc, SG.fileName, text(source.replace("\\", "/").rsplit("/", 1)[-1])))
    title = record.get("title") or (source.replace("\\", "/").rsplit("/", 1)[-1] if source else "Untitled document")
    add((doc, DCTERMS.title, text(title)))
    add((doc, RDFS.label, text(title)))
    date = date_literal(record.get("date") or "")
    if date is not None and date.datatype == XSD.date:
        add((doc, DCTERMS.date, date))
    area_iri = res.area_of_doc.get(index)
    if area_iri is not None:
        add((doc, DCTERMS.spatial, area_iri))
    # Organisations and their names as this document prints them.
    for name, key in res.names_of_doc.get(index, ()):
        add((res.organisations[key].iri, SKOS.altLabel, text(name)))
    if doc_type == "council_report":
        for org in record.get("organisations", []):
            found = res.organisation(index, org.get("name"))
            if found is not None and found.kind == "local_authority":
                add((doc, DCTERMS.publisher, found.iri))
                break
    # The inspection this document reports.
    inspection = res.inspection_of_doc.get(index)
    if inspection is not None:
        _add_inspection_report(g, index, record, doc, inspection, res)
    for mentioned, result in res.mentions_of_doc.get(index, []):
        if mentioned != inspection:
            add((doc, DCTERMS.references, mentioned))
            if result:
                add((mentioned, SG.reportedResult, text(result)))
    # People.
    for person in record.get("people", []):
        person_iri = res.person(index, person.get("name") or "")
        if person_iri is None:
            continue
        _add_person_mention(g, person_iri, person.get("name"), person.get("honorific"))
        add((doc, SG.mentionsPerson, person_iri))
        prop = CAPACITY_PROPERTY.get(person.get("capacity"))
        if prop is not None:
            add((doc, prop, person_iri))
        org = res.organisation(index, person.get("organisation")) if person.get("organisation") else None
        if org is not None and person.get("title"):
            _add_membership(g, person_iri, org.iri, person.get("title"))
    for inspector in record.get("inspectors", []):
        person_iri = res.person(index, inspector.get("name") or "")
        if person_iri is None:
            continue
        _add_person_mention(g, person_iri, inspector.get("name"), None)
        add((doc, SG.mentionsPerson, person_iri))
        org = res.organisation(index, inspector.get("organisation")) if inspector.get("organisation") else None
        if org is not None and inspector.get("role"):
            _add_membership(g, person_iri, org.iri, inspector.get("role"))
    # Findings with their evidence.
    subject = inspection if inspection is not None else doc
    partners = _partners(res, index)
    for number, item in enumerate(record.get("findings", [])):
        node = _add_finding(g, doc, subject, inspection, number, item)
        if node is not None and item.get("responsible_body"):
            _add_responsible_body(g, node, str(item["responsible_body"]), partners)


def _partners(res, index: int) -> list:
    """The partnership's bodies a document names, as resolved organisations (councils, then health bodies)."""
    found, seen = [], set()
    for (_doc, _area, council, body) in res.partnerships_of_doc.get(index, ()):
        for iri_ in (council, body):
            if iri_ not in seen:
                seen.add(iri_)
                org = next((o for o in res.organisations.values() if o.iri == iri_), None)
                if org is not None:
                    found.append(org)
    return found


_COUNCIL_WORDS = re.compile(r"\b(?:council|borough|county|city|local authority)\b", re.I)
_HEALTH_WORDS = re.compile(r"\b(?:ICBs?|integrated care boards?|NHS|health)\b", re.I)


def _add_responsible_body(g: Graph, node, printed: str, partners: list) -> None:
    """A priority action's responsible body: the printed cell, and the partnership's council and/or
    ICB it names (an ICB by the words of its name when the partnership has several)."""
    g.add((node, SG.responsibleBodyAsPrinted, text(printed)))
    folded = " ".join(re.sub(r"[^a-z0-9]+", " ", printed.lower()).split())
    for kind, words in (("local_authority", _COUNCIL_WORDS), ("icb", _HEALTH_WORDS)):
        if not words.search(printed):
            continue
        of_kind = [o for o in partners if o.kind == kind or (kind == "icb" and o.kind == "ccg")]
        named = [o for o in of_kind if _core_words(o.label) and _core_words(o.label) <= set(folded.split())]
        for org in named or of_kind:
            g.add((node, SG.responsibleBody, org.iri))


def _core_words(name: str) -> set:
    """The distinctive words of an organisation's name ("NHS Norfolk and Waveney ICB" -> {norfolk, waveney})."""
    from sendgraph.graph.resolve import health_core

    core = health_core(name or "")
    words = set(re.sub(r"[^a-z0-9]+", " ", core.lower()).split())
    return words - {"and", "the", "of", "council", "borough", "county", "city", "metropolitan", "district", "nhs"}


def _add_person_mention(g: Graph, person_iri, printed, honorific) -> None:
    printed = " ".join(str(printed or "").split())
    if printed:
        g.add((person_iri, SKOS.altLabel, text(printed)))
    honorific = honorific or _honorific(printed)
    if honorific:
        g.add((person_iri, FOAF.title, text(honorific)))


def _honorific(printed: str) -> str | None:
    from sendgraph.read.names import title_of

    return title_of(printed)


def _add_membership(g: Graph, person_iri, org_iri, role: str) -> None:
    membership = iri.within(person_iri, "post", iri.organisation_local(org_iri), iri.slug(role, "member"))
    g.add((membership, RDF.type, ORG.Membership))
    g.add((membership, ORG.member, person_iri))
    g.add((membership, ORG.organization, org_iri))
    g.add((membership, SG.roleTitle, text(role)))
    g.add((person_iri, ORG.memberOf, org_iri))


def _add_inspection_report(g: Graph, index: int, record: dict, doc, inspection, res) -> None:
    add = g.add
    add((doc, SG.reportsOn, inspection))
    add((doc, PROV.wasGeneratedBy, inspection))
    details = record.get("inspection") or {}
    if details.get("outcome") in OUTCOMES:
        add((inspection, SG.outcome, iri.concept(iri.OUTCOME, details["outcome"])))
    if details.get("outcome_text"):
        add((inspection, SG.outcomeText, text(details["outcome_text"])))
    within = duration_literal(details.get("next_full_within"))
    if within is not None:
        add((inspection, SG.nextFullInspectionWithin, within))
    within = duration_literal(details.get("monitoring_within"))
    if within is not None:
        add((inspection, SG.monitoringInspectionWithin, within))
    previous = res.previous_of_doc.get(index)
    if previous is not None and previous != inspection:
        add((inspection, SG.previousInspection, previous))
    for (_doc, area_iri, council, body) in res.partnerships_of_doc.get(index, ()):
        add((council, SG.partnersWith, body))
        add((area_iri, SG.healthPartner, body))
        add((inspection, SG.inspectedPartner, council))
        add((inspection, SG.inspectedPartner, body))
    area = res.inspections[inspection].area
    la = res.areas[area].local_authority
    if la is not None:
        add((inspection, SG.inspectedPartner, la))
    for inspector in record.get("inspectors", []):
        person_iri = res.person(index, inspector.get("name") or "")
        if person_iri is None:
            continue
        role = " ".join((inspector.get("role") or "").split())
        org = res.organisation(index, inspector.get("organisation")) if inspector.get("organisation") else None
        if org is not None:
            add((inspection, PROV.wasAssociatedWith, org.iri))
        add((inspection, PROV.wasAssociatedWith, person_iri))
        association = iri.within(inspection, "team", str(person_iri).rsplit("/", 1)[-1] + "-" + iri.short_hash(person_iri, length=6))
        add((inspection, PROV.qualifiedAssociation, association))
        add((association, RDF.type, PROV.Association))
        add((association, PROV.agent, person_iri))
        lead = bool(inspector.get("lead"))
        add((association, SG.isLead, Literal(lead)))
        if role:
            add((association, SG.roleTitle, text(role)))
        if lead or (_TEAM.search(role) and not _NOT_TEAM.search(role)) or not role:
            add((inspection, SG.inspector, person_iri))
            if lead:
                add((inspection, SG.leadInspector, person_iri))


def _add_finding(g: Graph, doc, subject, inspection, number: int, item: dict):
    body = " ".join(_CONTROL.sub(" ", str(item.get("text") or "")).split())
    if not body:
        return None
    add = g.add
    raw_kind = str(item.get("kind") or "other")
    kind = finding_kind(raw_kind)
    node = iri.finding(subject, kind, body)
    add((node, RDF.type, SG.Finding))
    add((node, RDF.type, PROV.Entity))
    add((node, SG.findingKind, iri.concept(iri.FINDING_KIND, kind)))
    if kind == "other" or raw_kind != kind:
        add((node, SG.kindCode, text(raw_kind)))
    add((node, SG.text, Literal(body)))
    if item.get("section"):
        add((node, SG.section, text(item["section"])))
    if inspection is not None:
        add((node, SG.aboutInspection, inspection))
    add((node, PROV.wasDerivedFrom, doc))
    cues = item.get("theme_cues") or {}
    for code in item.get("themes") or []:
        concept = iri.concept(iri.THEME, code)
        add((node, DCTERMS.subject, concept))
        words = sorted({" ".join(str(w).split()) for w in cues.get(code) or () if str(w).strip()})
        if words:  # why the finding has the theme (provenance of the tagging)
            tagging = iri.within(node, "theme", code)
            add((node, SG.themeTagging, tagging))
            add((tagging, RDF.type, SG.ThemeTagging))
            add((tagging, SG.taggedTheme, concept))
            for word in words:
                add((tagging, SG.matchedCue, text(word)))
    for code in item.get("services") or []:
        add((node, SG.service, iri.concept(iri.SERVICE, code)))
    position = item.get("position")
    local = f"p{position}" if isinstance(position, int) and position >= 0 else f"n{number}"
    annotation = iri.within(doc, "evidence", f"{local}-{iri.short_hash(kind, body, length=8)}")
    target = iri.within(annotation, "target")
    selector = iri.within(annotation, "quote")
    add((node, SG.evidence, annotation))
    add((annotation, RDF.type, OA.Annotation))
    add((annotation, OA.motivatedBy, OA.classifying))
    add((annotation, OA.hasBody, node))
    add((annotation, OA.hasTarget, target))
    add((target, RDF.type, OA.SpecificResource))
    add((target, OA.hasSource, doc))
    add((target, OA.hasSelector, selector))
    if isinstance(position, int) and position >= 0:
        add((target, SG.paragraphIndex, Literal(position, datatype=XSD.integer)))
    add((selector, RDF.type, OA.TextQuoteSelector))
    add((selector, OA.exact, Literal(body)))
    return node
