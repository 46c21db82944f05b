"""Lookups over the NetworkX projection that the analyses share: areas, inspections, findings, teams, themes, people, and the smaller networks drawn from it."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import networkx as nx

from sendgraph.lookup import Area, resolve_area, resolve_theme, suggest
from sendgraph.vocab import (BETTER_OUTCOMES, ID, JUDGED_KINDS, NEGATIVE_KINDS, OA, ORG, OUTCOME_ORDER, SERVICE_SCHEME, SG,  # noqa: F401
                             STRENGTH_KINDS)
from sendgraph.errors import UsageError
from sendgraph.formats import counted

from sendgraph.graph.projection import _short, as_view, local_name, to_networkx  # noqa: F401 (shared with the analyses)


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
# Lookups (exact, by sendgraph.lookup)
# ---------------------------------------------------------------------------------------------


def area_entries(G) -> list:
    """The graph's areas as the resolver (:mod:`sendgraph.lookup`) takes them."""
    return [Area(n, G.nodes[n]["label"], G.nodes[n].get("gss_code")) for n in areas(G)]


def find_area(G, name: str) -> str:
    """The area node a name refers to exactly: as councils print it, a gazetteer short form ("Hull",
    "County Durham"), its ONS code or its IRI (:func:`sendgraph.lookup.resolve_area`). UsageError otherwise."""
    return resolve_area(name, area_entries(G)).node


def find_areas(G, names) -> list:
    found = []
    for name in names:
        node = find_area(G, name)
        if node not in found:
            found.append(node)
    return found


def find_theme(G, name: str) -> str:
    """A theme code from its code or label (any case, spaces or hyphens). Raises UsageError otherwise."""
    return resolve_theme(name, theme_labels(G))


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
    raise UsageError(suggest(name, [G.nodes[p]["label"] for p in people], "person"))


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
