"""NetworkX views of the knowledge graph, and the lookups (areas, themes, people) the analyses share."""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict

import networkx as nx
from rdflib import RDF, RDFS, ConjunctiveGraph, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS

from sendgraph import gazetteer
from sendgraph.vocab import (NODE_KIND_OF_CLASS as _KIND_OF_CLASS, NODE_KINDS, ORGANISATION_NODE_KINDS as ORGANISATION_KINDS,
                             BETTER_OUTCOMES, ID, JUDGED_KINDS, NEGATIVE_KINDS, OA, ORG, OUTCOME_ORDER, SERVICE_SCHEME, SG,  # noqa: F401
                             STRENGTH_KINDS, THEME_SCHEME)
from sendgraph.errors import UsageError
from sendgraph.formats import counted

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
                                    ("Inspection", "inspection"))
            area = first(node, SG + "area")
            area_label = G.nodes[str(area)]["label"] if area is not None and str(area) in G else "?"
            start = literal(node, SG + "startDate")
            end = literal(node, SG + "endDate")
            outcome = first(node, SG + "outcome")
            attrs.update(inspection_type=code, area=str(area) if area is not None else None, start_date=start,
                         end_date=end, outcome=concept_code(outcome) if outcome is not None else None,
                         outcome_label=concept_label(outcome) if outcome is not None else None,
                         reported_result=literal(node, SG + "reportedResult"),
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
            services = sorted(concept_code(s) for s in p.get(SG + "service", ()))
            attrs.update(label=f"{kind_label}: {_short(text, 50)}", finding_kind=finding_kind,
                         kind_label=kind_label, text=text, section=literal(node, SG + "section"),
                         quote=quote or text, source=source, paragraph=paragraph,
                         inspection=str(inspection) if inspection is not None else None,
                         themes=themes, services=services)
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


def nodes_of(G, kind: str) -> list:
    return sorted(n for n, k in G.nodes(data="kind") if k == kind)


def areas(G) -> list:
    """Area nodes, by label."""
    return sorted(nodes_of(G, "area"), key=lambda n: G.nodes[n]["label"].lower())


def inspection_sort_key(G, node):
    data = G.nodes[node]
    return (data.get("start_date") or "9999", data.get("end_date") or "", node)


def inspections(G, area: str | None = None) -> list:
    """Inspection nodes (of one area node) in time order."""
    if area is None:
        found = nodes_of(G, "inspection")
    else:
        found = [u for u, _, k in G.in_edges(area, keys=True) if k == "area" and G.nodes[u]["kind"] == "inspection"]
    return sorted(found, key=lambda n: inspection_sort_key(G, n))


def reports_of(G, inspection: str) -> list:
    """Documents that report on an inspection."""
    return sorted(u for u, _, k in G.in_edges(inspection, keys=True) if k == "reportsOn")


def mentions_of(G, inspection: str) -> list:
    """Documents that only mention an inspection."""
    return sorted(u for u, _, k in G.in_edges(inspection, keys=True) if k == "references")


def team(G, inspection: str) -> list:
    """The inspection team, leads first: dicts of person, name, organisation, role, lead.

    Only team members (``sg:inspector``) count; people who merely signed or received the letter do not.
    """
    members = []
    for _, person, key, edge in G.out_edges(inspection, keys=True, data=True):
        if key in ("inspector", "leadInspector"):
            members.append({
                "person": person,
                "name": G.nodes[person]["label"],
                "organisation": inspector_organisation(G, person, edge.get("role")),
                "role": edge.get("role") or "",
                "lead": key == "leadInspector" or bool(edge.get("lead")),
            })
    return sorted(members, key=lambda m: (not m["lead"], m["organisation"] or "", m["name"]))


def inspector_organisation(G, person: str, role: str | None = None) -> str:
    """Ofsted or CQC, from the person's inspectorate membership (or the role's wording)."""
    for _, org, key in G.out_edges(person, keys=True):
        if key == "memberOf" and G.nodes[org]["kind"] == "inspectorate":
            label = G.nodes[org]["label"]
            return "CQC" if "care quality" in label.lower() or label.upper() == "CQC" else label
    role = role or ""
    if re.search(r"\bCQC\b|care quality", role, re.I):
        return "CQC"
    if re.search(r"ofsted|\bHMI\b", role, re.I):
        return "Ofsted"
    return ""


def findings(G, inspection: str | None = None) -> list:
    """Finding nodes (of one inspection), in document order."""
    if inspection is None:
        found = nodes_of(G, "finding")
    else:
        found = [u for u, _, k in G.in_edges(inspection, keys=True) if k == "aboutInspection"]
    return sorted(found, key=lambda n: (G.nodes[n].get("source") or "", G.nodes[n].get("paragraph") or 0, n))


def area_of_finding(G, finding: str) -> str | None:
    data = G.nodes[finding]
    if data.get("inspection") in G:
        return G.nodes[data["inspection"]].get("area")
    source = data.get("source")
    if source in G:
        for _, area, key in G.out_edges(source, keys=True):
            if key == "spatial":
                return area
    return None


def theme_nodes(G) -> list:
    return sorted(nodes_of(G, "theme"), key=lambda n: G.nodes[n]["code"])


def theme_labels(G) -> dict:
    """Theme code -> label, for every theme a finding is tagged with and every theme of the shipped scheme."""
    labels = {}
    try:
        from sendgraph.read.themes import theme_labels as shipped

        labels.update(shipped())
    except Exception:  # the shipped scheme is a convenience; the graph's own labels win
        pass
    for node in theme_nodes(G):
        labels[G.nodes[node]["code"]] = G.nodes[node]["label"]
    return labels


def latest_inspection(G, area: str, with_findings: bool = False, with_outcome: bool = False) -> str | None:
    """The area's most recent inspection (optionally: that has findings / an outcome)."""
    for node in reversed(inspections(G, area)):
        if with_findings and not findings(G, node):
            continue
        if with_outcome and not G.nodes[node].get("outcome"):
            continue
        return node
    return None


def polarity(finding_kind: str) -> str | None:
    """"strength", "weakness" (weakness, significant weakness, priority action, improvement) or None."""
    if finding_kind in STRENGTH_KINDS:
        return "strength"
    if finding_kind in NEGATIVE_KINDS:
        return "weakness"
    return None


# ---------------------------------------------------------------------------------------------
# Lenient lookups
# ---------------------------------------------------------------------------------------------


def _key(text: str) -> str:
    return gazetteer.name_key(text or "")


def _suggest(name: str, candidates, what: str) -> str:
    candidates = sorted(set(candidates))
    lowered = {c.lower(): c for c in candidates}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=3, cutoff=0.5)
    if not close:
        keyed = {_key(c): c for c in candidates}
        close = [keyed[k] for k in difflib.get_close_matches(_key(name), list(keyed), n=3, cutoff=0.5)]
        close = [c.lower() for c in close]
    if close:
        return f"unknown {what} {name!r}; did you mean " + " or ".join(repr(lowered[c]) for c in close) + "?"
    shown = ", ".join(candidates[:12]) + (", ..." if len(candidates) > 12 else "")
    return f"unknown {what} {name!r}; the graph has: {shown or 'none'}"


def find_area(G, name: str) -> str:
    """The area node a name refers to: its label in any case, with or without "Council" and the like,
    a gazetteer alias ("Hull", "County Durham"), its ONS code or its IRI. Raises UsageError otherwise."""
    name = (name or "").strip()
    nodes = areas(G)
    if name in G and G.nodes[name]["kind"] == "area":
        return name
    by_code = {G.nodes[n].get("gss_code"): n for n in nodes if G.nodes[n].get("gss_code")}
    if name.upper() in by_code:
        return by_code[name.upper()]
    key = _key(name)
    for node in nodes:
        if key and _key(G.nodes[node]["label"]) == key:
            return node
    if key:  # a unique beginning of one area's name: "Stockton" for Stockton-on-Tees
        starts = [n for n in nodes if _key(G.nodes[n]["label"]).startswith(key + " ")]
        if len(starts) == 1:
            return starts[0]
    authority = gazetteer.lookup(name) or (gazetteer.find_in(name) if key else None)
    if authority is not None and authority.gss_code in by_code:
        return by_code[authority.gss_code]
    labels = [G.nodes[n]["label"] for n in nodes]
    if authority is not None:
        raise UsageError(f"{authority.name} has no inspection in this graph; "
                         + _suggest(name, labels, "area").split("; ", 1)[1])
    raise UsageError(_suggest(name, labels, "area"))


def find_areas(G, names) -> list:
    found = []
    for name in names:
        node = find_area(G, name)
        if node not in found:
            found.append(node)
    return found


def find_theme(G, name: str) -> str:
    """A theme code from its code or label (any case, spaces or hyphens). Raises UsageError otherwise."""
    labels = theme_labels(G)
    wanted = re.sub(r"[^a-z0-9]+", "-", (name or "").lower()).strip("-")
    for code, label in labels.items():
        if wanted in (code, re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")):
            return code
    raise UsageError(_suggest(name, list(labels), "theme"))


def _person_key(name: str) -> str:
    from sendgraph.read.names import clean_name

    return " ".join(re.sub(r"[^a-z\s]", "", clean_name(name or "").lower().replace("-", " ")).split())


def find_person(G, name: str, inspectors_only: bool = False) -> str:
    """The person node a name refers to (any case, with or without a title, or as printed)."""
    wanted = _person_key(name)
    people = nodes_of(G, "person")
    if inspectors_only:
        team_members = {v for _, v, k in G.edges(keys=True) if k in ("inspector", "leadInspector")}
        people = [p for p in people if p in team_members]
    for node in people:
        printed = [G.nodes[node]["label"], *G.nodes[node]["facts"].get("also printed as", "").split("; ")]
        if any(_person_key(p) == wanted for p in printed if p):
            return node
    raise UsageError(_suggest(name, [G.nodes[p]["label"] for p in people], "person"))


# ---------------------------------------------------------------------------------------------
# Projections
# ---------------------------------------------------------------------------------------------


def _copy_node(target, G, node):
    data = G.nodes[node]
    target.add_node(node, **{k: v for k, v in data.items()})


def inspector_network(graph) -> nx.Graph:
    """Inspectors linked to the inspections they worked on, and inspections to their areas.

    Inspector-inspection edges carry ``role`` and ``lead``; inspection-area edges ``predicate="area"``.
    Only team members are included (not signatories or addressees of letters).
    """
    G = as_view(graph)
    H = nx.Graph()
    for inspection in inspections(G):
        members = team(G, inspection)
        if not members:
            continue
        _copy_node(H, G, inspection)
        area = G.nodes[inspection].get("area")
        if area in G:
            _copy_node(H, G, area)
            H.add_edge(inspection, area, predicate="area", label="area")
        for member in members:
            _copy_node(H, G, member["person"])
            H.add_edge(member["person"], inspection, predicate="leadInspector" if member["lead"] else "inspector",
                       label="lead inspector" if member["lead"] else "inspector", role=member["role"],
                       lead=member["lead"], organisation=member["organisation"])
    return H


def area_teams(G) -> dict:
    """Area node -> {person node: [inspection nodes]} over the area's inspection teams."""
    result: dict = defaultdict(lambda: defaultdict(list))
    for inspection in inspections(G):
        area = G.nodes[inspection].get("area")
        for member in team(G, inspection):
            result[area][member["person"]].append(inspection)
    return result


def area_network(graph) -> nx.Graph:
    """Areas linked when their inspections shared inspectors: ``weight`` = number of people shared,
    ``shared`` = their names (sorted). Every area with an inspection team is a node."""
    G = as_view(graph)
    H = nx.Graph()
    teams = area_teams(G)
    for area in teams:
        if area in G:
            _copy_node(H, G, area)
    by_person: dict = defaultdict(set)
    for area, people in teams.items():
        for person in people:
            by_person[person].add(area)
    for person, where in by_person.items():
        where = sorted(a for a in where if a in G)
        for i, a in enumerate(where):
            for b in where[i + 1:]:
                if not H.has_edge(a, b):
                    H.add_edge(a, b, weight=0, shared=[])
                H[a][b]["shared"].append(G.nodes[person]["label"])
    for a, b, data in H.edges(data=True):
        data["shared"] = sorted(data["shared"])
        data["weight"] = len(data["shared"])
        data["label"] = counted(data["weight"], "shared inspector")
    return H


THEME_EDGE_COUNTS = ("strength", "weakness", "priority_action", "improvement")


def theme_area_graph(graph) -> nx.Graph:
    """Themes and areas, linked when an area's findings are tagged with the theme.

    Edge attributes count the findings by kind: ``strength``, ``weakness`` (including a 2016
    letter's significant weaknesses, also counted alone in ``significant_weakness``),
    ``priority_action``, ``improvement``, and ``findings`` (all tagged findings, narrative included).
    """
    G = as_view(graph)
    H = nx.Graph()
    for finding in findings(G):
        data = G.nodes[finding]
        area = area_of_finding(G, finding)
        if area not in G:
            continue
        for theme in G.successors(finding):
            if G.nodes[theme]["kind"] != "theme":
                continue
            if area not in H:
                _copy_node(H, G, area)
            if theme not in H:
                _copy_node(H, G, theme)
            if not H.has_edge(area, theme):
                H.add_edge(area, theme, findings=0, significant_weakness=0,
                           **{k: 0 for k in THEME_EDGE_COUNTS})
            edge = H[area][theme]
            edge["findings"] += 1
            kind = data["finding_kind"]
            if kind == "significant_weakness":
                edge["significant_weakness"] += 1
                kind = "weakness"
            if kind in THEME_EDGE_COUNTS:
                edge[kind] += 1
    for _, _, edge in H.edges(data=True):
        edge["label"] = ", ".join(f"{edge[k]} {k.replace('_', ' ')}" for k in THEME_EDGE_COUNTS if edge[k]) or \
            f"{edge['findings']} findings"
    return H


def area_subgraph(graph, area: str) -> nx.MultiDiGraph:
    """One area with its inspections, the organisations and people involved, its documents, the
    findings of its inspections and their themes and services (an induced subgraph of the view)."""
    G = as_view(graph)
    area = find_area(G, area)
    keep = {area}
    keep.update(v for _, v, k in G.out_edges(area, keys=True) if k in ("localAuthority", "healthPartner"))
    documents = {u for u, _, k in G.in_edges(area, keys=True) if k == "spatial"}
    for inspection in inspections(G, area):
        keep.add(inspection)
        for _, v, k in G.out_edges(inspection, keys=True):
            if k in ("inspectedPartner", "inspector", "leadInspector", "wasAssociatedWith"):
                keep.add(v)
        documents.update(reports_of(G, inspection))
        documents.update(mentions_of(G, inspection))
        for finding in findings(G, inspection):
            keep.add(finding)
            keep.update(G.successors(finding))
    for document in documents:
        keep.add(document)
        for _, v, k in G.out_edges(document, keys=True):
            if G.nodes[v]["kind"] == "person" or k == "publisher":
                keep.add(v)
        for u, _, k in G.in_edges(document, keys=True):
            if k == "wasDerivedFrom" and G.nodes[u].get("inspection") is None and area_of_finding(G, u) == area:
                keep.add(u)
                keep.update(G.successors(u))
    return G.subgraph(keep).copy()


def theme_profile(G, inspection_nodes) -> dict:
    """Theme code -> Counter of finding kinds, over the findings of the given inspections."""
    profile: dict = defaultdict(Counter)
    for inspection in inspection_nodes:
        for finding in findings(G, inspection):
            data = G.nodes[finding]
            for code in data.get("themes", ()):
                profile[code][data["finding_kind"]] += 1
    return dict(profile)


def polarity_counts(counter) -> tuple[int, int]:
    """(strengths, weaknesses) from a Counter of finding kinds (see ``polarity``)."""
    strengths = sum(n for kind, n in counter.items() if polarity(kind) == "strength")
    weaknesses = sum(n for kind, n in counter.items() if polarity(kind) == "weakness")
    return strengths, weaknesses
