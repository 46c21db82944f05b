"""Which themes inspections raise, as what, under which outcomes, and which themes go together."""

from __future__ import annotations

import difflib
from collections import Counter, defaultdict
from itertools import combinations

from sendgraph.errors import UsageError
from sendgraph.vocab import FINDING_KINDS
from sendgraph.analysis.network import area_of_finding, as_view, find_theme, findings, theme_labels
from sendgraph.vocab import (BETTER_OUTCOMES, FINDING_KIND_LABELS, JUDGED_KINDS, NEGATIVE_KINDS, OUTCOME_LABELS,
                             OUTCOME_ORDER, WEAKER_OUTCOMES)

# The kinds a theme is counted under; a 2016 letter's significant weaknesses count as weaknesses.
KINDS = ("strength", "weakness", "priority_action", "improvement")
_GROUP = {"strength": "strength", "weakness": "weakness", "significant_weakness": "weakness",
          "priority_action": "priority_action", "improvement": "improvement"}


def _tagged(G):
    """(finding node, its data, inspection node or None, area node or None) for every finding with themes."""
    for finding in findings(G):
        data = G.nodes[finding]
        if data.get("themes"):
            yield finding, data, data.get("inspection"), area_of_finding(G, finding)


def _label(G, node) -> str | None:
    return G.nodes[node]["label"] if node in G else None


def theme_summary(graph, theme: str | None = None, kind: str | None = None, top: int | None = None) -> dict:
    """For each theme: the inspections and areas raising it as a strength, a weakness, a priority
    action or an improvement, split by the inspection's outcome; the themes most often behind weaker
    outcomes; the themes that occur together in one finding; the themes every area raises.

    With ``theme`` (a code or label): that theme's findings with their evidence quotes (``kind``
    keeps one finding kind; "weakness" includes significant weaknesses).
    """
    G = as_view(graph)
    if theme is not None:
        return theme_findings(G, theme, kind)
    labels = theme_labels(G)
    by_kind: dict = defaultdict(lambda: defaultdict(set))  # (theme, kind group) -> {"inspections", "areas"}
    judged: dict = defaultdict(lambda: defaultdict(set))   # theme -> {"inspections", "areas", "findings"}
    negative: dict = defaultdict(set)                      # theme -> inspections raising it as a weakness etc.
    as_priority: dict = defaultdict(set)                   # theme -> inspections with a priority action on it
    pairs: dict = defaultdict(lambda: defaultdict(set))    # (a, b) -> {"findings", "inspections"}
    areas_judged: set = set()
    inspections_with_findings: set = set()
    for finding, data, inspection, area in _tagged(G):
        kind = data["finding_kind"]
        themes = sorted(set(data["themes"]))
        for a, b in combinations(themes, 2):
            pairs[(a, b)]["findings"].add(finding)
            if inspection:
                pairs[(a, b)]["inspections"].add(inspection)
        if kind not in JUDGED_KINDS:
            continue
        if area:
            areas_judged.add(area)
        if inspection:
            inspections_with_findings.add(inspection)
        for code in themes:
            judged[code]["findings"].add(finding)
            if inspection:
                judged[code]["inspections"].add(inspection)
            if area:
                judged[code]["areas"].add(area)
            group = _GROUP.get(kind)
            if group:
                if inspection:
                    by_kind[(code, group)]["inspections"].add(inspection)
                if area:
                    by_kind[(code, group)]["areas"].add(area)
            if kind in NEGATIVE_KINDS and inspection:
                negative[code].add(inspection)
            if kind == "priority_action" and inspection:
                as_priority[code].add(inspection)

    def outcome(inspection):
        return G.nodes[inspection].get("outcome") or "none"

    present = {outcome(i) for i in inspections_with_findings}
    outcome_columns = [o for o in OUTCOME_ORDER if o in present] + (["none"] if "none" in present else [])
    overview = []
    for code in sorted(judged, key=lambda c: (-len(judged[c]["areas"]), -len(judged[c]["inspections"]), c)):
        overview.append({
            "theme": code,
            "label": labels.get(code, code),
            "areas": len(judged[code]["areas"]),
            "inspections": len(judged[code]["inspections"]),
            "findings": len(judged[code]["findings"]),
            "all_areas": bool(areas_judged) and judged[code]["areas"] >= areas_judged,
        })
    kind_rows = []
    for code in sorted(judged):
        for group in KINDS:
            found = by_kind.get((code, group))
            if not found:
                continue
            row = {"theme": code, "theme_label": labels.get(code, code), "kind": group,
                   "kind_label": FINDING_KIND_LABELS[group], "inspections": len(found["inspections"]),
                   "areas": len(found["areas"])}
            counts = Counter(outcome(i) for i in found["inspections"])
            row.update({o: counts.get(o, 0) for o in outcome_columns})
            kind_rows.append(row)
    weaker = {i for i in inspections_with_findings if outcome(i) in WEAKER_OUTCOMES}
    others = {i for i in inspections_with_findings if outcome(i) in BETTER_OUTCOMES}
    weaker_rows = []
    for code, raised in negative.items():
        in_weaker = raised & weaker
        if not in_weaker:
            continue
        weaker_share = len(in_weaker) / len(weaker)
        other_share = len(raised & others) / len(others) if others else 0.0
        weaker_rows.append({
            "theme": code,
            "theme_label": labels.get(code, code),
            "weaker_inspections": len(in_weaker),
            "of_weaker": len(weaker),
            "as_priority_action": len(as_priority.get(code, set()) & weaker),
            "weaker_share": round(weaker_share, 3),
            "other_share": round(other_share, 3),
            "difference": round(weaker_share - other_share, 3),
        })
    weaker_rows.sort(key=lambda r: (-r["weaker_inspections"], -r["difference"], r["theme"]))
    co_rows = sorted(({"theme_a": a, "theme_a_label": labels.get(a, a), "theme_b": b,
                       "theme_b_label": labels.get(b, b), "findings": len(v["findings"]),
                       "inspections": len(v["inspections"])} for (a, b), v in pairs.items()),
                     key=lambda r: (-r["findings"], -r["inspections"], r["theme_a"], r["theme_b"]))
    if top is not None:
        weaker_rows, co_rows = weaker_rows[:top], co_rows[:top]
    return {
        "definition": (
            "a theme is raised by an inspection when one of its judged findings (strength, weakness, significant "
            "weakness, priority action, area for improvement, main finding, recommendation; not narrative) is "
            "tagged with it; by kind, significant weaknesses count as weaknesses; weaker outcomes are "
            "inconsistent, systemic (2023), written statement of action required and insufficient progress at a "
            "revisit (2016), compared with positive, no written statement of action required and sufficient "
            "progress; a theme is behind a weaker "
            "outcome when such an inspection raises it as a weakness, priority action or area for improvement; "
            "co-occurrence counts findings of any kind tagged with both themes"),
        "areas_with_findings": len(areas_judged),
        "inspections_with_findings": len(inspections_with_findings),
        "shared_by_all_areas": [r["theme"] for r in overview if r["all_areas"]],
        "shared_by_all_areas_label": [r["label"] for r in overview if r["all_areas"]],
        "themes": overview,
        "by_kind_and_outcome": kind_rows,
        "weaker_outcomes": weaker_rows,
        "cooccurrence": co_rows,
    }


def _check_kind(kind: str | None) -> str | None:
    if kind is None:
        return None
    wanted = kind.strip().lower().replace(" ", "_").replace("-", "_")
    if wanted in FINDING_KINDS:
        return wanted
    close = difflib.get_close_matches(wanted, FINDING_KINDS, n=2, cutoff=0.5)
    hint = (f"; did you mean {' or '.join(repr(c) for c in close)}?" if close
            else f"; use one of {', '.join(FINDING_KINDS)}")
    raise UsageError(f"unknown finding kind {kind!r}{hint}")


def theme_findings(graph, theme: str, kind: str | None = None) -> dict:
    """One theme's findings (area, inspection, outcome, kind, evidence quote, the words that gave the
    finding the theme, source, paragraph), ordered by area, date and position in the document, with
    counts by kind."""
    G = as_view(graph)
    code = find_theme(G, theme)
    kind = _check_kind(kind)
    labels = theme_labels(G)
    rows = []
    for finding, data, inspection, area in _tagged(G):
        if code not in data["themes"]:
            continue
        if kind is not None and data["finding_kind"] != kind and _GROUP.get(data["finding_kind"]) != kind:
            continue
        insp = G.nodes[inspection] if inspection in G else {}
        source = G.nodes[data["source"]] if data.get("source") in G else {}
        rows.append({
            "area": _label(G, area),
            "start_date": insp.get("start_date"),
            "outcome": insp.get("outcome"),
            "outcome_label": OUTCOME_LABELS.get(insp.get("outcome")),
            "kind": data["finding_kind"],
            "kind_label": FINDING_KIND_LABELS.get(data["finding_kind"], data["finding_kind"]),
            "quote": data.get("quote") or data.get("text"),
            "tagged_because": "; ".join((data.get("theme_cues") or {}).get(code, ())) or None,
            "source": source.get("file_name") or source.get("label"),
            "paragraph": data.get("paragraph"),
        })
    rows.sort(key=lambda r: (r["area"] or "", r["start_date"] or "", r["source"] or "", r["paragraph"] or 0))
    counts = Counter(r["kind"] for r in rows)
    return {
        "theme": code,
        "label": labels.get(code, code),
        "kind": kind or "all",
        "kind_label": FINDING_KIND_LABELS.get(kind, "all kinds") if kind else "all kinds",
        "findings_count": len(rows),
        "areas": len({r["area"] for r in rows if r["area"]}),
        "by_kind": [{"kind": k, "kind_label": FINDING_KIND_LABELS[k], "findings": counts[k]}
                    for k in FINDING_KINDS if counts.get(k)],
        "findings": rows,
    }
