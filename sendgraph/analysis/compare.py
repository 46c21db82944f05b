"""Areas side by side: inspections, teams, themes, shared organisations and people, and a similarity score."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from sendgraph.errors import UsageError
from sendgraph.vocab import INSPECTION_TYPE_LABELS, NODE_KINDS, OUTCOME_LABELS
from sendgraph.analysis.network import as_view, find_areas, findings, inspections, latest_inspection, mentions_of, polarity, reports_of, team, theme_labels, theme_profile

SIMILARITY_DEFINITION = (
    "Jaccard index of the areas' (theme, polarity) pairs: |A ∩ B| / |A ∪ B|, where an area's set holds "
    "(theme, strength) for each theme a strength of its basis inspection is tagged with, and (theme, weakness) "
    "for each theme a weakness, significant weakness, priority action or area for improvement is tagged with; "
    "the basis is the area's latest inspection with findings (or all its inspections with --all-inspections). "
    "1 means the same themes with the same polarity, 0 nothing in common.")
_DOC_ROLES = {"addressedTo": "addressee", "copiedTo": "recipient", "signedBy": "signatory", "contact": "contact",
              "mentionsPerson": "named"}
_ORG_EDGES = ("localAuthority", "healthPartner")


def _basis(G, area: str, all_inspections: bool) -> list:
    if all_inspections:
        return [i for i in inspections(G, area) if findings(G, i)]
    latest = latest_inspection(G, area, with_findings=True)
    return [latest] if latest else []


def theme_pairs(G, inspection_nodes) -> set:
    """The (theme, polarity) pairs of the findings of some inspections."""
    pairs = set()
    for code, kinds in theme_profile(G, inspection_nodes).items():
        for kind in kinds:
            side = polarity(kind)
            if side:
                pairs.add((code, side))
    return pairs


def jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def _area_documents(G, area: str) -> set:
    docs = {u for u, _, k in G.in_edges(area, keys=True) if k == "spatial"}
    for inspection in inspections(G, area):
        docs.update(reports_of(G, inspection))
        docs.update(mentions_of(G, inspection))
    return docs


def compare_areas(graph, names, all_inspections: bool = False) -> dict:
    """Two or more areas side by side: outcomes and dates, teams and shared inspectors, a theme-by-area
    matrix of strengths and weaknesses, shared organisations and people, and pairwise similarity."""
    G = as_view(graph)
    chosen = find_areas(G, names)
    if len(chosen) < 2:
        raise UsageError("compare needs at least two different areas")
    label = {a: G.nodes[a]["label"] for a in chosen}

    area_rows, inspection_rows, team_rows = [], [], []
    inspectors_by_person: dict = defaultdict(list)
    for area in chosen:
        own = inspections(G, area)
        latest = latest_inspection(G, area, with_outcome=True)
        area_rows.append({
            "area": label[area],
            "ons_code": G.nodes[area].get("gss_code"),
            "region": G.nodes[area].get("region"),
            "inspections": len(own),
            "latest_outcome": G.nodes[latest].get("outcome") if latest else None,
            "latest_outcome_label": OUTCOME_LABELS.get(G.nodes[latest].get("outcome")) if latest else None,
            "latest_outcome_date": G.nodes[latest].get("start_date") if latest else None,
        })
        for inspection in own:
            data = G.nodes[inspection]
            members = team(G, inspection)
            inspection_rows.append({
                "area": label[area],
                "start_date": data.get("start_date"),
                "end_date": data.get("end_date"),
                "type": data.get("inspection_type"),
                "type_label": INSPECTION_TYPE_LABELS.get(data.get("inspection_type")),
                "outcome": data.get("outcome"),
                "outcome_label": OUTCOME_LABELS.get(data.get("outcome")),
                "only_mentioned": not reports_of(G, inspection),
            })
            if members:
                team_rows.append({
                    "area": label[area],
                    "start_date": data.get("start_date"),
                    "leads": [m["name"] for m in members if m["lead"]],
                    "team": [m["name"] for m in members if not m["lead"]],
                })
            for member in members:
                inspectors_by_person[member["name"]].append((label[area], data.get("start_date"), member["lead"]))
    shared_inspectors = []
    for name, worked in sorted(inspectors_by_person.items()):
        if len({a for a, _, _ in worked}) > 1:
            shared_inspectors.append({
                "name": name,
                "areas": sorted({a for a, _, _ in worked}),
                "inspections": [f"{a} {d}" + (" (lead)" if lead else "") for a, d, lead in sorted(worked)],
            })

    basis = {a: _basis(G, a, all_inspections) for a in chosen}
    profiles = {a: theme_profile(G, basis[a]) for a in chosen}
    codes = sorted({c for p in profiles.values() for c in p})
    matrix = []
    labels = theme_labels(G)
    for code in codes:
        row = {"theme": code, "theme_label": labels.get(code, code)}
        for area in chosen:
            kinds = profiles[area].get(code, {})
            row[f"{label[area]} strengths"] = sum(n for k, n in kinds.items() if polarity(k) == "strength")
            row[f"{label[area]} weaknesses"] = sum(n for k, n in kinds.items() if polarity(k) == "weakness")
        matrix.append(row)

    linked: dict = defaultdict(lambda: defaultdict(set))  # organisation -> area -> how
    for area in chosen:
        for _, org, key in G.out_edges(area, keys=True):
            if key in _ORG_EDGES:
                linked[org][area].add(key)
        for inspection in inspections(G, area):
            for _, org, key in G.out_edges(inspection, keys=True):
                if key == "inspectedPartner":
                    linked[org][area].add(key)
    organisations = []
    for org, where in linked.items():
        if len(where) > 1 and G.nodes[org]["kind"] != "inspectorate":
            organisations.append({"organisation": G.nodes[org]["label"], "kind": NODE_KINDS[G.nodes[org]["kind"]],
                                  "areas": sorted(label[a] for a in where)})
    organisations.sort(key=lambda r: (r["kind"], r["organisation"]))

    people: dict = defaultdict(lambda: defaultdict(set))  # person -> area -> roles
    for area in chosen:
        for inspection in inspections(G, area):
            for member in team(G, inspection):
                people[member["person"]][area].add("lead inspector" if member["lead"] else "inspector")
        for document in _area_documents(G, area):
            for _, person, key in G.out_edges(document, keys=True):
                if key in _DOC_ROLES and G.nodes[person]["kind"] == "person":
                    people[person][area].add(_DOC_ROLES[key])
    shared_people = []
    for person, where in people.items():
        if len(where) > 1:
            roles = {r for roles in where.values() for r in roles}
            shared_people.append({
                "name": G.nodes[person]["label"],
                "areas": sorted(label[a] for a in where),
                "roles": sorted(roles - {"named"} if len(roles) > 1 else roles),
            })
    shared_people.sort(key=lambda r: (-len(r["areas"]), r["name"]))

    similarity = []
    pair_sets = {a: theme_pairs(G, basis[a]) for a in chosen}
    for a, b in combinations(chosen, 2):
        common = pair_sets[a] & pair_sets[b]
        similarity.append({
            "area_a": label[a],
            "area_b": label[b],
            "similarity": round(jaccard(pair_sets[a], pair_sets[b]), 3),
            "shared_pairs": len(common),
            "all_pairs": len(pair_sets[a] | pair_sets[b]),
            "only_a": len(pair_sets[a] - pair_sets[b]),
            "only_b": len(pair_sets[b] - pair_sets[a]),
        })
    return {
        "areas_compared": [label[a] for a in chosen],
        "basis": [f"{label[a]} {G.nodes[i].get('start_date')}" for a in chosen for i in basis[a]],
        "similarity_definition": SIMILARITY_DEFINITION,
        "areas": area_rows,
        "inspections": inspection_rows,
        "teams": team_rows,
        "shared_inspectors": shared_inspectors,
        "themes": matrix,
        "shared_organisations": organisations,
        "shared_people": shared_people,
        "similarity": similarity,
    }
