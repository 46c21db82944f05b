"""Inspectors who worked on more than one inspection, and the areas their work connects."""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

from sendgraph.analysis.network import area_network, as_view, find_person, inspections, inspector_organisation, team
from sendgraph.vocab import OUTCOME_LABELS

_DOC_CAPACITY = {"addressedTo": "addressee", "copiedTo": "recipient", "signedBy": "signatory", "contact": "contact",
                 "mentionsPerson": "named"}


def _inspection_row(G, inspection: str, member: dict) -> dict:
    data = G.nodes[inspection]
    return {
        "name": member["name"],
        "organisation": member["organisation"],
        "area": G.nodes[data["area"]]["label"] if data.get("area") in G else None,
        "start_date": data.get("start_date"),
        "end_date": data.get("end_date"),
        "role": member["role"],
        "lead": member["lead"],
        "outcome": data.get("outcome"),
        "outcome_label": OUTCOME_LABELS.get(data.get("outcome")),
        "_inspection": inspection,
    }


def _public(rows: list) -> list:
    """Rows without their internal keys (those starting with "_")."""
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]


def records(G) -> dict:
    """Person node -> their team rows (one per inspection, in time order)."""
    found: dict = defaultdict(list)
    for inspection in inspections(G):
        for member in team(G, inspection):
            found[member["person"]].append(_inspection_row(G, inspection, member))
    return found


def shared_inspectors(graph, name: str | None = None, min_inspections: int = 2) -> dict:
    """Everyone who was on the team of at least ``min_inspections`` inspections, with those inspections,
    and the area network they make (areas linked by shared inspectors) with each area's degree and
    betweenness centrality. Signatories and addressees of letters are not team members.

    With ``name``: that person's record (team work and the other ways documents name them).
    """
    G = as_view(graph)
    by_person = records(G)
    if name is not None:
        return person_record(G, name, by_person)
    chosen = sorted((p for p, rows in by_person.items() if len(rows) >= min_inspections),
                    key=lambda p: (-len(by_person[p]), G.nodes[p]["label"]))
    people, rows = [], []
    for person in chosen:
        record = by_person[person]
        people.append({
            "name": G.nodes[person]["label"],
            "organisation": next((r["organisation"] for r in record if r["organisation"]), ""),
            "inspections": len(record),
            "areas": len({r["area"] for r in record}),
            "led": sum(1 for r in record if r["lead"]),
            "first": record[0]["start_date"],
            "last": record[-1]["start_date"],
        })
        rows.extend(_public(record))
    H = area_network(G)
    betweenness = nx.betweenness_centrality(H) if H.number_of_nodes() else {}
    area_rows = []
    for area in H.nodes:
        area_rows.append({
            "area": H.nodes[area]["label"],
            "degree": H.degree(area),
            "shared_inspectors": len({n for _, _, d in H.edges(area, data=True) for n in d["shared"]}),
            "betweenness": round(betweenness.get(area, 0.0), 4),
        })
    area_rows.sort(key=lambda r: (-r["betweenness"], -r["degree"], r["area"]))
    links = sorted(({"area_a": H.nodes[a]["label"], "area_b": H.nodes[b]["label"], "weight": d["weight"],
                     "shared": d["shared"]} for a, b, d in H.edges(data=True)),
                   key=lambda r: (-r["weight"], r["area_a"], r["area_b"]))
    for link in links:
        if link["area_a"] > link["area_b"]:
            link["area_a"], link["area_b"] = link["area_b"], link["area_a"]
    links.sort(key=lambda r: (-r["weight"], r["area_a"], r["area_b"]))
    return {
        "definition": f"inspection team members (sg:inspector) on at least {min_inspections} inspections; "
                      "areas are linked when their inspections shared a team member",
        "inspectors": people,
        "inspections": rows,
        "areas": area_rows,
        "links": links,
    }


def person_record(G, name: str, by_person: dict | None = None) -> dict:
    """One person's team work (inspections, role, lead) and the documents naming them otherwise."""
    person = find_person(G, name)
    by_person = records(G) if by_person is None else by_person
    rows = by_person.get(person, [])
    mentions = []
    for document, _, key in G.in_edges(person, keys=True):
        if key in _DOC_CAPACITY and G.nodes[document]["kind"] == "document":
            doc = G.nodes[document]
            mentions.append({"document": doc.get("file_name") or doc["label"], "date": doc.get("date"),
                             "capacity": _DOC_CAPACITY[key], "title": doc.get("title")})
    mentions.sort(key=lambda r: (r["date"] or "", r["document"], r["capacity"]))
    colleagues: dict = defaultdict(list)
    for row in rows:
        for member in team(G, row["_inspection"]):
            if member["person"] != person:
                colleagues[member["name"]].append(f"{row['area']} {row['start_date']}")
    return {
        "name": G.nodes[person]["label"],
        "organisation": next((r["organisation"] for r in rows if r["organisation"]), "")
        or inspector_organisation(G, person),
        "posts": G.nodes[person]["facts"].get("posts", ""),
        "team_inspections": len(rows),
        "inspections": _public(rows),
        "repeat_colleagues": [{"name": n, "inspections": v} for n, v in sorted(colleagues.items()) if len(v) > 1],
        "named_in_documents": mentions,
    }
