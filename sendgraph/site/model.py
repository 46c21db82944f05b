"""What the site's pages say, as plain data read from the graph's NetworkX projection: the national picture, each area, each theme, the theme-by-area matrix (pure: no HTML here)."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sendgraph import gazetteer
from sendgraph.analysis import network
from sendgraph.analysis.history import area_history
from sendgraph.site.slugs import slugify
from sendgraph.graph.tables import add_duration
from sendgraph.vocab import (DOCUMENT_TYPE_LABELS, FINDING_KIND_LABELS, FINDING_KIND_PLURALS, INSPECTION_FRAMEWORKS, INSPECTION_TYPE_LABELS,
                             NEGATIVE_KINDS, NODE_KINDS, OUTCOME_ORDER, STRENGTH_KINDS, WEAKNESS_KINDS, duration_label)

#: Outcome code -> (short mark drawn on the hex map, CSS class suffix). The mark and the words go
#: beside every colour, so no page relies on colour alone.
OUTCOME_MARKS = {
    "positive": "P", "inconsistent": "I", "systemic": "S",
    "no_wsoa": "N", "wsoa_required": "W",
    "sufficient_progress": "RS", "partial_progress": "RP", "insufficient_progress": "RI",
}
#: The outcomes of each framework, in the order the tables show them.
FRAMEWORK_OUTCOMES = {
    "2023": ("positive", "inconsistent", "systemic"),
    "2016": ("no_wsoa", "wsoa_required"),
}
FRAMEWORK_OF_TYPE = INSPECTION_FRAMEWORKS
#: An inspection's class -> what it is in words, with its framework.
TYPE_WORDS = {code: words[0].upper() + words[1:] + (f" ({INSPECTION_FRAMEWORKS[code]} framework)" if code in INSPECTION_FRAMEWORKS else "")
              for code, words in INSPECTION_TYPE_LABELS.items()}
#: How a theme is raised, in the order theme pages show it.
HOW_RAISED = ("strength", "weakness", "significant_weakness", "priority_action", "improvement")


def slug(text: str, prefix: str = "") -> str:
    """The file-name stem of a page: lower-case ASCII letters, digits and hyphens."""
    return slugify(f"{prefix} {text}" if prefix else text)


def kind_words(kind: str, plural: bool = False) -> str:
    table = FINDING_KIND_PLURALS if plural else FINDING_KIND_LABELS
    return table.get(kind) or kind.replace("_", " ").capitalize()


#: "P5Y" -> "within 5 years"; a date plus such an interval (the graph's tables compute it so too).
duration_words = duration_label
add_duration = add_duration


def date_words(value: str | None) -> str:
    """An ISO date as printed in the reports: "2023-03-17" -> "17 March 2023"."""
    try:
        d = dt.date.fromisoformat(value or "")
    except ValueError:
        return value or "date not known"
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def dates_words(start: str | None, end: str | None) -> str:
    if start and end and start != end:
        a, b = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        if (a.year, a.month) == (b.year, b.month):
            return f"{a.day} to {date_words(end)}"
        if a.year == b.year:
            return f"{a.day} {calendar.month_name[a.month]} to {date_words(end)}"
        return f"{date_words(start)} to {date_words(end)}"
    return date_words(start or end)


# ---------------------------------------------------------------------------------------------
# One area
# ---------------------------------------------------------------------------------------------


@dataclass
class Finding:
    id: str  # the anchor of the finding on its area page
    kind: str
    kind_label: str
    text: str
    quote: str
    themes: list  # (code, label)
    source: str | None  # the document's file name
    source_anchor: str | None
    paragraph: int | None
    responsible_body: str | None = None
    why: dict = field(default_factory=dict)  # theme code -> the words that gave the finding the theme


@dataclass
class Inspection:
    node: str
    type: str
    type_words: str
    framework: str | None
    start_date: str | None
    end_date: str | None
    dates: str
    outcome: str | None
    outcome_label: str | None
    outcome_text: str | None
    next_full_within: str | None
    next_due: str | None
    monitoring_within: str | None
    monitoring_due: str | None
    only_mentioned: bool
    team: list = field(default_factory=list)  # dicts: name, organisation, role, lead
    documents: list = field(default_factory=list)  # dicts: anchor, title, file_name, date
    findings: dict = field(default_factory=dict)  # kind -> [Finding]
    by_theme: list = field(default_factory=list)  # (theme code, theme label, {"strength": [...], "weakness": [...]})
    previous: str | None = None  # the previous inspection's dates in words


@dataclass
class Area:
    node: str
    name: str
    slug: str
    gss_code: str | None
    la_code: str | None
    region: str | None
    organisations: list  # dicts: kind, name, codes, leaders
    inspections: list  # [Inspection], oldest first
    latest: Inspection | None  # the latest with an outcome
    history: list  # sentences
    neighbours: list  # dicts: name, slug or None, outcome, outcome_label, date
    documents: list  # dicts: anchor, title, file_name, date, type


def _org_rows(G, area: str) -> list:
    rows = []
    seen = set()
    for _, org, key in sorted(G.out_edges(area, keys=True), key=lambda e: (e[2], G.nodes[e[1]].get("label", ""))):
        if key not in ("localAuthority", "healthPartner") or org in seen:
            continue
        seen.add(org)
        data = G.nodes[org]
        leaders = []
        for person, _, edge in G.in_edges(org, data=True):
            if edge.get("predicate") == "memberOf":
                leaders.append({"name": G.nodes[person].get("label"), "role": edge.get("role")})
        codes = [c for c in (data.get("gss_code"),) if c]
        rows.append({"kind": data["kind"], "kind_label": NODE_KINDS.get(data["kind"], "Partner"),
                     "name": data.get("label"), "codes": codes,
                     "leaders": sorted(leaders, key=lambda p: (p["name"] or "").lower())})
    return rows


def _documents(G, area: str) -> list:
    docs = []
    for doc, _, key in G.in_edges(area, keys=True):
        if key != "spatial":
            continue
        data = G.nodes[doc]
        docs.append({"node": doc, "anchor": "doc-" + network.local_name(doc), "title": data.get("title") or data.get("label"),
                     "file_name": data.get("file_name"), "date": data.get("date"),
                     "type": DOCUMENT_TYPE_LABELS.get(data.get("document_type"), "Document")})
    return sorted(docs, key=lambda d: (d["date"] or "", d["file_name"] or "", d["node"]))


def finding_anchor(node: str) -> str:
    """The id of a finding on its area page (its IRI's last part: stable, and unique within the area)."""
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "-", network.local_name(node))


def _finding(G, node: str, labels: dict, anchors: dict) -> Finding:
    data = G.nodes[node]
    source = data.get("source")
    return Finding(
        id=finding_anchor(node),
        kind=data.get("finding_kind", "other"), kind_label=kind_words(data.get("finding_kind", "other")),
        text=data.get("text") or "", quote=data.get("quote") or data.get("text") or "",
        themes=[(t, labels.get(t, t)) for t in data.get("themes", ())],
        source=G.nodes[source].get("file_name") if source in G else None,
        source_anchor=anchors.get(source), paragraph=data.get("paragraph"),
        responsible_body=data.get("responsible_body"), why=dict(data.get("theme_cues") or {}),
    )


def _by_theme(findings: list, labels: dict) -> list:
    """Strengths and weaknesses grouped by theme: each finding once, under the theme of its own that the
    inspection raises most (ties by label), the rest of its themes shown beside it."""
    counts = Counter(code for f in findings for code, _ in f.themes)
    groups: dict = defaultdict(lambda: {"strength": [], "weakness": []})
    for f in findings:
        side = "strength" if f.kind in STRENGTH_KINDS else "weakness"
        if f.themes:
            code = min((c for c, _ in f.themes), key=lambda c: (-counts[c], labels.get(c, c)))
        else:
            code = ""
        groups[code][side].append(f)
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] == "", labels.get(kv[0], kv[0]).lower()))
    return [(code, labels.get(code, "No theme") if code else "No theme", sides) for code, sides in ordered]


def _inspection(G, node: str, labels: dict, anchors: dict, only_mentioned: bool) -> Inspection:
    data = G.nodes[node]
    kind = data.get("inspection_type") or "Inspection"
    found: dict = defaultdict(list)
    for f in network.findings(G, node):
        found[G.nodes[f].get("finding_kind", "other")].append(_finding(G, f, labels, anchors))
    for kind_found in found.values():
        kind_found.sort(key=lambda f: (f.paragraph if f.paragraph is not None else 10**9, f.id))
    judged = [f for k in ("strength", *sorted(WEAKNESS_KINDS)) for f in found.get(k, ())]
    team = [{"name": m["name"], "organisation": m.get("organisation"), "role": m.get("role"), "lead": m.get("lead")}
            for m in network.team(G, node)]
    previous = next((v for _, v, k in G.out_edges(node, keys=True) if k == "previousInspection"), None)
    docs = [{"anchor": anchors.get(d), "title": G.nodes[d].get("title"), "file_name": G.nodes[d].get("file_name")}
            for d in network.reports_of(G, node)]
    end = data.get("end_date") or data.get("start_date")
    return Inspection(
        node=node, type=kind, type_words=TYPE_WORDS.get(kind, TYPE_WORDS["Inspection"]),
        framework=FRAMEWORK_OF_TYPE.get(kind), start_date=data.get("start_date"), end_date=data.get("end_date"),
        dates=dates_words(data.get("start_date"), data.get("end_date")),
        outcome=data.get("outcome"), outcome_label=data.get("outcome_label"), outcome_text=data.get("outcome_text"),
        next_full_within=duration_words(data.get("next_full_within")),
        next_due=add_duration(end, data.get("next_full_within")),
        monitoring_within=duration_words(data.get("monitoring_within")),
        monitoring_due=add_duration(end, data.get("monitoring_within")),
        only_mentioned=only_mentioned, team=team, documents=docs, findings=dict(found),
        by_theme=_by_theme(judged, labels),
        previous=_previous_words(G.nodes[previous]) if previous else None,
    )


def _previous_words(data: dict) -> str:
    """A previous inspection in words: its dates, and what it was as far as the graph knows (a 2023
    report's "date of previous inspection" does not say: then "kind not stated")."""
    kind = data.get("inspection_type") or "Inspection"
    what = "kind not stated" if kind == "Inspection" else INSPECTION_TYPE_LABELS[kind]
    if data.get("outcome_label"):
        what += ", " + data["outcome_label"][0].lower() + data["outcome_label"][1:]
    return f"{dates_words(data.get('start_date'), data.get('end_date'))} ({what})"


def _history_sentences(G, area: str, labels: dict) -> list:
    """The history in words: for each pair of consecutive inspections with findings (of the area node
    ``area``), what recurs, what is now a strength, what is new."""
    history = area_history(G, area)
    sentences = []

    def names(codes):
        words = [labels.get(c, c) for c in codes]
        return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]

    for step in history.get("summary", ()):
        when = f"Between the inspection of {date_words(step['from'])} and that of {date_words(step['to'])}"
        parts = []
        if step.get("recurs"):
            parts.append(f"weaknesses that recur: {names(step['recurs'])}")
        if step.get("now_a_strength"):
            parts.append(f"now raised as strengths: {names(step['now_a_strength'])}")
        if step.get("new_weakness"):
            parts.append(f"new weaknesses: {names(step['new_weakness'])}")
        if step.get("no_longer_raised"):
            parts.append(f"no longer raised: {names(step['no_longer_raised'])}")
        if parts:
            sentences.append(when + ", " + "; ".join(parts) + ".")
    return sentences


def latest_with_outcome(inspections: list) -> Inspection | None:
    judged = [i for i in inspections if i.outcome and not i.only_mentioned]
    return max(judged, key=lambda i: (i.start_date or "", i.end_date or "")) if judged else None


def build_areas(G) -> list[Area]:
    """Every area of the graph, by name, with all its page says."""
    labels = network.theme_labels(G)
    nodes = network.areas(G)
    taken = {"index", "search", "themes", "matrix", "inspectors", "areas-by-shared-inspectors"}

    slugs = {node: slugify(f"area {G.nodes[node]['label']}", taken) for node in nodes}
    areas = []
    for node in nodes:
        name = G.nodes[node]["label"]
        documents = _documents(G, node)
        anchors = {d["node"]: d["anchor"] for d in documents}
        inspections = []
        for i in network.inspections(G, node):
            mentioned_only = not network.reports_of(G, i) and not network.findings(G, i)
            inspections.append(_inspection(G, i, labels, anchors, mentioned_only))
        code = G.nodes[node].get("gss_code")
        authority = gazetteer.by_code(code) if code else None
        area = Area(node=node, name=name, slug=slugs[node], gss_code=code, la_code=authority.la_code if authority else None,
                    region=G.nodes[node].get("region") or (authority.region if authority else None),
                    organisations=_org_rows(G, node), inspections=inspections, latest=latest_with_outcome(inspections),
                    history=_history_sentences(G, node, labels), neighbours=[], documents=documents)
        areas.append(area)
    by_code = {a.gss_code: a for a in areas if a.gss_code}
    for area in areas:
        authority = gazetteer.by_code(area.gss_code) if area.gss_code else None
        for code in (authority.stat_neighbours if authority else ()):
            other = by_code.get(code)
            neighbour = gazetteer.by_code(code)
            name = other.name if other else (neighbour.name if neighbour else code)
            latest = other.latest if other else None
            area.neighbours.append({"name": name, "slug": other.slug if other else None,
                                    "outcome": latest.outcome if latest else None,
                                    "outcome_label": latest.outcome_label if latest else None,
                                    "date": latest.start_date if latest else None})
    return areas


# ---------------------------------------------------------------------------------------------
# The national picture
# ---------------------------------------------------------------------------------------------


def outcome_legend(areas: list[Area]) -> list:
    """(code, label, mark, count of areas whose latest outcome it is), best first, then 'no outcome'."""
    counts = Counter(a.latest.outcome for a in areas if a.latest)
    labels = {a.latest.outcome: a.latest.outcome_label for a in areas if a.latest}
    rows = [(code, labels[code], OUTCOME_MARKS.get(code, "?"), counts[code]) for code in OUTCOME_ORDER if counts[code]]
    return rows


def region_table(areas: list[Area]) -> dict:
    """Per region: areas inspected under each framework, and how many had each outcome (each area's
    latest inspection of that framework with an outcome; revisits are counted apart)."""
    regions: dict = defaultdict(lambda: {f: Counter() for f in FRAMEWORK_OUTCOMES})
    for area in areas:
        region = area.region or "Region not known"
        for framework in FRAMEWORK_OUTCOMES:
            judged = [i for i in area.inspections if i.framework == framework and i.type != "Revisit" and i.outcome
                      and not i.only_mentioned]
            if judged:
                latest = max(judged, key=lambda i: i.start_date or "")
                regions[region][framework]["inspected"] += 1
                regions[region][framework][latest.outcome] += 1
    rows = [{"region": r, **{f: dict(c) for f, c in v.items()}} for r, v in sorted(regions.items())]
    totals = {f: Counter() for f in FRAMEWORK_OUTCOMES}
    for row in rows:
        for f in FRAMEWORK_OUTCOMES:
            totals[f].update(row[f])
    return {"rows": rows, "totals": {f: dict(c) for f, c in totals.items()}}


def timeline(areas: list[Area]) -> list:
    """Inspections with an outcome by year and outcome: [(year, {outcome: count})], oldest first."""
    years: dict = defaultdict(Counter)
    for area in areas:
        for i in area.inspections:
            if i.outcome and i.start_date and not i.only_mentioned:
                years[int(i.start_date[:4])][i.outcome] += 1
    if not years:
        return []
    return [(y, dict(years.get(y, {}))) for y in range(min(years), max(years) + 1)]


def theme_counts(G) -> list:
    """Per theme: how many areas raise it as a strength, as a weakness, in a priority action, in an area
    for improvement (each area counted once per way), with the findings' numbers."""
    labels = network.theme_labels(G)
    areas_by: dict = defaultdict(lambda: defaultdict(set))
    findings_by: dict = defaultdict(Counter)
    for f in network.nodes_of(G, "finding"):
        data = G.nodes[f]
        kind = data.get("finding_kind")
        if kind not in HOW_RAISED:
            continue
        way = "weakness" if kind in WEAKNESS_KINDS else kind
        area = network.area_of_finding(G, f)
        for theme in data.get("themes", ()):
            areas_by[theme][way].add(area)
            findings_by[theme][way] += 1
    rows = []
    for code in sorted(labels, key=lambda c: labels[c].lower()):
        ways = areas_by.get(code, {})
        against = set().union(*(ways.get(w, set()) for w in ("weakness", "priority_action", "improvement")))
        rows.append({"code": code, "label": labels[code], "slug": slug(labels[code], "theme"),
                     "areas": {w: len(ways.get(w, ())) for w in ("strength", "weakness", "priority_action", "improvement")},
                     "findings": dict(findings_by.get(code, {})), "areas_against": len(against)})
    return rows


def theme_matrix(areas: list[Area], themes: list) -> list:
    """One row per area: for each theme, the strengths and the weaknesses (weaknesses, priority actions,
    areas for improvement) of the area's latest inspection with findings."""
    rows = []
    for area in areas:
        with_findings = [i for i in area.inspections if i.findings]
        latest = max(with_findings, key=lambda i: i.start_date or "") if with_findings else None
        cells = {}
        for theme in themes:
            s = w = 0
            if latest:
                for kind, found in latest.findings.items():
                    n = sum(1 for f in found if any(c == theme["code"] for c, _ in f.themes))
                    if kind in STRENGTH_KINDS:
                        s += n
                    elif kind in NEGATIVE_KINDS:
                        w += n
            cells[theme["code"]] = (s, w)
        rows.append({"area": area, "inspection": latest, "cells": cells})
    return rows


def theme_page(theme: dict, areas: list[Area], definition: str | None) -> dict:
    """A theme's page: its definition, and per area the findings that raise it, by how."""
    per_area = []
    for area in areas:
        found = defaultdict(list)
        for inspection in area.inspections:
            for kind, findings in inspection.findings.items():
                if kind not in HOW_RAISED:
                    continue
                for f in findings:
                    if any(c == theme["code"] for c, _ in f.themes):
                        found[kind].append((inspection, f))
        if found:
            per_area.append({"area": area, "counts": {k: len(v) for k, v in found.items()}, "ways": [(k, kind_words(k, plural=True), found[k]) for k in HOW_RAISED if found.get(k)]})
    return {"theme": theme, "definition": definition, "areas": per_area}
