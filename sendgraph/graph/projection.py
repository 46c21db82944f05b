"""The graph projected into NetworkX: one directed multigraph of its resources, built in one pass over the triples (the analyses, the views and the network exports read this)."""

from __future__ import annotations

import re
from collections import defaultdict

import networkx as nx
from rdflib import RDF, RDFS, ConjunctiveGraph, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from sendgraph.vocab import (NODE_KIND_OF_CLASS as _KIND_OF_CLASS, NODE_KINDS, ORGANISATION_NODE_KINDS as ORGANISATION_KINDS,
                             BETTER_OUTCOMES, ID, JUDGED_KINDS, NEGATIVE_KINDS, OA, ORG, OUTCOME_ORDER, SERVICE_SCHEME, SG,  # noqa: F401
                             THEME_SCHEME)

_INSPECTION_TYPES = {
    SG + "AreaSendInspection": ("AreaSendInspection", "area SEND inspection (2023 framework)"),
    SG + "Revisit": ("Revisit", "revisit (2016 framework)"),
    SG + "JointLocalAreaInspection": ("JointLocalAreaInspection", "joint local area SEND inspection (2016 framework)"),
}

# Predicates that become edges, with their edge labels. Anything not listed (rdf:type, scheme
# membership, provenance folded into node facts...) is not an edge.
_EDGE_LABELS = {
    SG + "area": "area",
    SG + "localAuthority": "local authority",
    SG + "healthPartner": "health partner",
    SG + "partnersWith": "partners with",
    SG + "dutiesTransferredTo": "duties transferred to",
    SG + "previousInspection": "previous inspection",
    SG + "inspectedPartner": "inspected partner",
    SG + "reportsOn": "reports on",
    str(DCTERMS.references): "mentions",
    str(DCTERMS.spatial): "about area",
    str(DCTERMS.publisher): "publisher",
    SG + "addressedTo": "addressed to",
    SG + "copiedTo": "copied to",
    SG + "signedBy": "signed by",
    SG + "contact": "contact",
    SG + "mentionsPerson": "mentions person",
    SG + "aboutInspection": "finding of",
    str(DCTERMS.subject): "theme",
    SG + "service": "service",
    str(PROV.wasDerivedFrom): "source",
    ORG + "memberOf": "member of",
    str(PROV.wasAssociatedWith): "carried out with",
    SG + "inspector": "inspector",
    SG + "leadInspector": "lead inspector",
    str(SKOS.broader): "broader",
    str(SKOS.related): "related",
}
_DOC_PERSON = (SG + "addressedTo", SG + "copiedTo", SG + "signedBy", SG + "contact")
_TEAM = (SG + "inspector", SG + "leadInspector", str(PROV.wasAssociatedWith))

_FACT_NAMES = {"reportedResult": "result as reported", "nextFullInspectionWithin": "next full inspection within",
               "monitoringInspectionWithin": "monitoring inspection within"}


def local_name(term) -> str:
    text = str(term)
    return re.split(r"[#/]", text.rstrip("/#"))[-1]


def _short(text: str, width: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _humanise(code: str) -> str:
    return code.replace("_", " ").replace("-", " ").capitalize()


def _triples(graph):
    """Every distinct triple of an rdflib graph or dataset (the union of all its graphs, whether or
    not the dataset was opened with ``default_union``)."""
    from sendgraph.graph.oxstore import oxigraph_store

    if oxigraph_store(graph) is not None:  # a built graph: its store gives the union's triples once each
        yield from graph.triples((None, None, None))
        return
    if isinstance(graph, ConjunctiveGraph):  # Dataset is a ConjunctiveGraph
        triples = ((s, p, o) for s, p, o, _ in graph.quads((None, None, None, None)))
    else:
        triples = graph.triples((None, None, None))
    seen = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


def to_networkx(graph) -> nx.MultiDiGraph:
    """The graph's resources as a directed multigraph, built from one pass over the triples.

    Nodes are IRIs (strings) of areas, organisations, inspections, people, documents, findings and
    the themes and services findings are tagged with; each has ``kind`` (a short class name),
    ``label`` (a short human label), ``facts`` (str -> str, for tooltips) and typed attributes the
    analyses use (``start_date``, ``outcome``, ``finding_kind``, ``themes``...). Reified nodes are
    folded in: an inspector's association gives the inspection-person edge its ``role`` and
    ``lead``; a membership gives the person-organisation edge its ``role``; a finding's annotation
    gives it its evidence ``quote``, ``source`` document and ``paragraph``. Edges carry
    ``predicate`` (the property's local name) and ``label``; the key is the predicate.
    """
    if isinstance(graph, nx.MultiDiGraph):
        return graph
    props: dict = defaultdict(lambda: defaultdict(list))
    for s, p, o in _triples(graph):
        props[str(s)][str(p)].append(o)

    def first(subject, predicate, default=None):
        values = props.get(subject, {}).get(predicate)
        if not values:
            return default
        return sorted(values, key=lambda v: (getattr(v, "language", None) not in (None, "en"), str(v)))[0]

    def literal(subject, predicate, default=None):
        value = first(subject, predicate)
        return default if value is None else str(value)

    # --- which resources are nodes, and of what kind
    kinds: dict = {}
    for subject, by_predicate in props.items():
        types = {str(t) for t in by_predicate.get(str(RDF.type), ())}
        for cls, kind in _KIND_OF_CLASS:
            if cls in types:
                kinds[subject] = kind
                break
    schemes = {}
    for subject, by_predicate in props.items():
        for scheme in by_predicate.get(str(SKOS.inScheme), ()):
            scheme = str(scheme)
            if scheme == THEME_SCHEME:
                schemes[subject] = "theme"
            elif scheme == SERVICE_SCHEME:
                schemes[subject] = "service"
    used_concepts = set()
    for subject in kinds:
        if kinds[subject] == "finding":
            for predicate in (str(DCTERMS.subject), SG + "service"):
                used_concepts.update(str(o) for o in props[subject].get(predicate, ()))
    for concept in used_concepts:
        kinds[concept] = schemes.get(concept) or ("service" if "/service/" in concept else "theme")

    def concept_code(node) -> str:
        return literal(str(node), str(SKOS.notation)) or local_name(node)

    def concept_label(node) -> str:
        return literal(str(node), str(SKOS.prefLabel)) or literal(str(node), str(RDFS.label)) or _humanise(
            concept_code(node))

    G = nx.MultiDiGraph()
    # --- areas and organisations first: inspection labels need area labels
    for node, kind in kinds.items():
        p = props[node]
        if kind == "area" or kind in ORGANISATION_KINDS:
            name = literal(node, str(RDFS.label)) or literal(node, str(SKOS.prefLabel)) or local_name(node)
            attrs = {"kind": kind, "label": name, "name": name, "facts": {}}
            gss = literal(node, SG + "gssCode")
            if gss:
                attrs["gss_code"] = gss
                attrs["facts"]["ONS code"] = gss
            if kind == "area":
                attrs["region"] = literal(node, SG + "region")
                if attrs["region"]:
                    attrs["facts"]["region"] = attrs["region"]
            else:
                printed = sorted({str(v) for v in p.get(str(SKOS.altLabel), ())} - {name})
                if printed:
                    attrs["facts"]["also printed as"] = "; ".join(printed)
            attrs["facts"]["kind"] = NODE_KINDS[kind]
            G.add_node(node, **attrs)
    for node, kind in kinds.items():
        if kind == "area" or kind in ORGANISATION_KINDS:
            continue
        p = props[node]
        facts: dict = {}
        attrs: dict = {"kind": kind, "facts": facts}
        if kind == "inspection":
            types = {str(t) for t in p.get(str(RDF.type), ())}
            code, type_label = next((v for k, v in _INSPECTION_TYPES.items() if k in types),
                                    ("Inspection", "inspection (kind not stated)"))
            area = first(node, SG + "area")
            area_label = G.nodes[str(area)]["label"] if area is not None and str(area) in G else "?"
            start = literal(node, SG + "startDate")
            end = literal(node, SG + "endDate")
            outcome = first(node, SG + "outcome")
            attrs.update(inspection_type=code, area=str(area) if area is not None else None, start_date=start,
                         end_date=end, outcome=concept_code(outcome) if outcome is not None else None,
                         outcome_label=concept_label(outcome) if outcome is not None else None,
                         reported_result=literal(node, SG + "reportedResult"),
                         outcome_text=literal(node, SG + "outcomeText"),
                         next_full_within=literal(node, SG + "nextFullInspectionWithin"),
                         monitoring_within=literal(node, SG + "monitoringInspectionWithin"),
                         label=f"{area_label} {start or 'undated'}" + (" revisit" if code == "Revisit" else ""))
            facts["type"] = type_label
            facts["dates"] = f"{start} to {end}" if start and end and end != start else (start or "unknown")
            if attrs["outcome_label"]:
                facts["outcome"] = attrs["outcome_label"]
            for predicate in ("reportedResult", "nextFullInspectionWithin", "monitoringInspectionWithin"):
                value = literal(node, SG + predicate)
                if value:
                    facts[_FACT_NAMES[predicate]] = value
        elif kind == "person":
            name = literal(node, str(FOAF.name)) or literal(node, str(RDFS.label)) or local_name(node)
            attrs.update(label=name, name=name)
            printed = sorted({str(v) for v in p.get(str(SKOS.altLabel), ())} - {name})
            if printed:
                facts["also printed as"] = "; ".join(printed)
        elif kind == "document":
            title = literal(node, str(DCTERMS.title)) or literal(node, str(RDFS.label)) or local_name(node)
            doc_type = first(node, SG + "documentType")
            attrs.update(label=_short(title), title=title, date=literal(node, str(DCTERMS.date)),
                         file_name=literal(node, SG + "fileName"),
                         document_type=concept_code(doc_type) if doc_type is not None else None)
            facts["title"] = title
            if doc_type is not None:
                facts["type"] = concept_label(doc_type)
            for predicate, name in ((str(DCTERMS.date), "date"), (SG + "fileName", "file")):
                value = literal(node, predicate)
                if value:
                    facts[name] = value
        elif kind == "finding":
            kind_node = first(node, SG + "findingKind")
            finding_kind = concept_code(kind_node) if kind_node is not None else "other"
            kind_label = concept_label(kind_node) if kind_node is not None else "Finding"
            text = literal(node, SG + "text") or ""
            quote, source, paragraph = None, None, None
            # The same finding may come from several documents (one report in two files): its evidence is
            # read in IRI order, so that every process shows the same source whatever the triple order.
            for annotation in sorted(p.get(SG + "evidence", ()), key=str):
                for target in sorted(props.get(str(annotation), {}).get(OA + "hasTarget", ()), key=str):
                    target = str(target)
                    source = str(first(target, OA + "hasSource")) if first(target, OA + "hasSource") else source
                    index = literal(target, SG + "paragraphIndex")
                    paragraph = int(index) if index and index.isdigit() else paragraph
                    for selector in sorted(props.get(target, {}).get(OA + "hasSelector", ()), key=str):
                        quote = literal(str(selector), OA + "exact") or quote
            if source is None and first(node, str(PROV.wasDerivedFrom)) is not None:
                source = str(first(node, str(PROV.wasDerivedFrom)))
            inspection = first(node, SG + "aboutInspection")
            themes = sorted(concept_code(t) for t in p.get(str(DCTERMS.subject), ()))
            theme_cues = {}  # why it has each theme: the words that decided the tagging
            for tagging in p.get(SG + "themeTagging", ()):
                concept = first(str(tagging), SG + "taggedTheme")
                if concept is not None:
                    theme_cues[concept_code(concept)] = sorted(str(w) for w in props.get(str(tagging), {}).get(SG + "matchedCue", ()))
            services = sorted(concept_code(s) for s in p.get(SG + "service", ()))
            attrs.update(label=f"{kind_label}: {_short(text, 50)}", finding_kind=finding_kind,
                         kind_label=kind_label, text=text, section=literal(node, SG + "section"),
                         quote=quote or text, source=source, paragraph=paragraph,
                         inspection=str(inspection) if inspection is not None else None,
                         themes=themes, services=services,
                         responsible_body=literal(node, SG + "responsibleBodyAsPrinted"), theme_cues=theme_cues)
            facts["kind"] = kind_label
            if attrs["section"]:
                facts["section"] = attrs["section"]
            facts["evidence"] = quote or text
            if themes:
                facts["themes"] = ", ".join(themes)
            if services:
                facts["services"] = ", ".join(services)
            if paragraph is not None:
                facts["paragraph"] = str(paragraph)
        elif kind in ("theme", "service"):
            code = concept_code(node)
            label = concept_label(node)
            attrs.update(label=label, code=code)
            facts["code"] = code
            definition = literal(node, str(SKOS.definition))
            if definition:
                facts["definition"] = definition
        G.add_node(node, **attrs)
    # Facts that name other nodes (the source document of a finding's evidence, an area's authority).
    for node, data in G.nodes(data=True):
        if data["kind"] == "finding" and data.get("source") in G:
            source = G.nodes[data["source"]]
            data["facts"]["source"] = source.get("file_name") or source["label"]

    # --- edges
    associations: dict = {}  # (inspection, person) -> (role, lead)
    for node, kind in kinds.items():
        if kind != "inspection":
            continue
        for association in props[node].get(str(PROV.qualifiedAssociation), ()):
            agent = first(str(association), str(PROV.agent))
            if agent is None:
                continue
            lead = literal(str(association), SG + "isLead")
            associations[(node, str(agent))] = (literal(str(association), SG + "roleTitle"),
                                                (lead or "").lower() in ("true", "1"))
    memberships: dict = defaultdict(list)  # (person, organisation) -> roles
    for subject, p in props.items():
        if ORG + "Membership" in {str(t) for t in p.get(str(RDF.type), ())}:
            member, organisation = first(subject, ORG + "member"), first(subject, ORG + "organization")
            role = literal(subject, SG + "roleTitle")
            if member is not None and organisation is not None and role:
                memberships[(str(member), str(organisation))].append(role)

    for subject in G.nodes:
        p = props.get(subject, {})
        objects_by_predicate = {pred: [str(o) for o in objs if isinstance(o, URIRef) and str(o) in G]
                                for pred, objs in p.items() if pred in _EDGE_LABELS}
        kind = G.nodes[subject]["kind"]
        if kind == "document":
            specific = {o for pred in _DOC_PERSON for o in objects_by_predicate.get(pred, ())}
            if SG + "mentionsPerson" in objects_by_predicate:
                objects_by_predicate[SG + "mentionsPerson"] = [
                    o for o in objects_by_predicate[SG + "mentionsPerson"] if o not in specific]
        if kind == "inspection":
            leads = set(objects_by_predicate.get(SG + "leadInspector", ()))
            team = set(objects_by_predicate.get(SG + "inspector", ())) | leads
            objects_by_predicate[SG + "inspector"] = [o for o in objects_by_predicate.get(SG + "inspector", ())
                                                      if o not in leads]
            objects_by_predicate[str(PROV.wasAssociatedWith)] = [
                o for o in objects_by_predicate.get(str(PROV.wasAssociatedWith), ()) if o not in team]
        for predicate, objects in objects_by_predicate.items():
            name = local_name(predicate)
            for obj in sorted(set(objects)):
                attrs = {"predicate": name, "label": _EDGE_LABELS[predicate]}
                if (subject, obj) in associations and predicate in _TEAM:
                    role, lead = associations[(subject, obj)]
                    attrs.update(role=role, lead=lead)
                if predicate == ORG + "memberOf" and (subject, obj) in memberships:
                    attrs["role"] = "; ".join(sorted(set(memberships[(subject, obj)])))
                G.add_edge(subject, obj, key=name, **attrs)

    # Facts about people from their edges: organisation and posts.
    for node, data in G.nodes(data=True):
        if data["kind"] == "person":
            posts = []
            for _, org, edge in G.out_edges(node, data=True):
                if edge["predicate"] == "memberOf":
                    org_label = G.nodes[org]["label"]
                    posts.append(f"{edge.get('role')} ({org_label})" if edge.get("role") else org_label)
            if posts:
                data["facts"]["posts"] = "; ".join(sorted(posts))
        elif data["kind"] == "inspection":
            leads = [G.nodes[v]["label"] for _, v, k in G.out_edges(node, keys=True) if k == "leadInspector"]
            if leads:
                data["facts"]["lead inspectors"] = ", ".join(sorted(leads))
    return G


def as_view(graph) -> nx.MultiDiGraph:
    """The NetworkX view of a graph: rdflib graphs are converted, a view is returned as it is."""
    return graph if isinstance(graph, nx.MultiDiGraph) else to_networkx(graph)


# ---------------------------------------------------------------------------------------------
# Typed access to the view
# ---------------------------------------------------------------------------------------------
