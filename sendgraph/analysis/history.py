"""An area's inspections in time order, and how the weaknesses of one inspection fare in the next."""

from __future__ import annotations

from sendgraph.analysis.network import as_view, find_area, findings, inspections, mentions_of, polarity_counts, reports_of, team, theme_labels, theme_profile
from sendgraph.vocab import INSPECTION_TYPE_LABELS, OUTCOME_LABELS

STATUS_ORDER = ("recurs", "now a strength", "no longer raised", "new weakness")
STATUS_DEFINITION = (
    "by theme, between consecutive inspections that both have findings: 'recurs' - a weakness (weakness, "
    "significant weakness, priority action or area for improvement) of the earlier inspection is again a "
    "weakness in the later one; 'now a strength' - no longer a weakness but raised as a strength; 'no longer "
    "raised' - the later inspection raises the theme in no strength or weakness; 'new weakness' - a weakness of "
    "the later inspection that was not one of the earlier")


def _doc_name(G, node) -> str:
    data = G.nodes[node]
    return data.get("file_name") or data["label"]


def _counts(profile: dict, code: str) -> tuple[int, int]:
    return polarity_counts(profile.get(code, {}))


def compare_pair(G, earlier: str, later: str) -> list:
    """Theme rows for one pair of inspections: earlier and later strength/weakness counts and a status."""
    before, after = theme_profile(G, [earlier]), theme_profile(G, [later])
    labels = theme_labels(G)
    rows = []
    for code in sorted(set(before) | set(after)):
        s0, w0 = _counts(before, code)
        s1, w1 = _counts(after, code)
        if w0:
            status = "recurs" if w1 else ("now a strength" if s1 else "no longer raised")
        elif w1:
            status = "new weakness"
        else:
            continue
        rows.append({"from": G.nodes[earlier].get("start_date"), "to": G.nodes[later].get("start_date"),
                     "theme": code, "theme_label": labels.get(code, code), "status": status, "earlier_weaknesses": w0, "earlier_strengths": s0,
                     "later_weaknesses": w1, "later_strengths": s1})
    rows.sort(key=lambda r: (STATUS_ORDER.index(r["status"]), r["theme"]))
    return rows


def area_history(graph, area: str) -> dict:
    """The area's inspections in time order (2016-framework letters, revisits, 2023-framework reports, and
    inspections other documents only mention), and for each consecutive pair of inspections with findings,
    which weakness themes of the earlier recur, turn into strengths or are no longer raised in the later."""
    G = as_view(graph)
    node = find_area(G, area)
    timeline, with_findings = [], []
    for inspection in inspections(G, node):
        data = G.nodes[inspection]
        reports = reports_of(G, inspection)
        count = len(findings(G, inspection))
        timeline.append({
            "start_date": data.get("start_date"),
            "end_date": data.get("end_date"),
            "type": data.get("inspection_type"),
            "type_label": INSPECTION_TYPE_LABELS.get(data.get("inspection_type")),
            "outcome": data.get("outcome"),
            "outcome_label": OUTCOME_LABELS.get(data.get("outcome")),
            "result_reported": data.get("reported_result"),
            "result_reported_label": OUTCOME_LABELS.get(data.get("reported_result"), data.get("reported_result")),
            "only_mentioned": not reports,
            "reported_by": [_doc_name(G, d) for d in reports],
            "mentioned_by": [_doc_name(G, d) for d in mentions_of(G, inspection)],
            "leads": [m["name"] for m in team(G, inspection) if m["lead"]],
            "findings": count,
        })
        if count:
            with_findings.append(inspection)
    changes, summary = [], []
    labels = theme_labels(G)
    for earlier, later in zip(with_findings, with_findings[1:]):
        rows = compare_pair(G, earlier, later)
        changes.extend(rows)
        by_status = {s: [r["theme"] for r in rows if r["status"] == s] for s in STATUS_ORDER}
        summary.append({
            "from": G.nodes[earlier].get("start_date"), "from_outcome": G.nodes[earlier].get("outcome"),
            "from_outcome_label": OUTCOME_LABELS.get(G.nodes[earlier].get("outcome")),
            "to": G.nodes[later].get("start_date"), "to_outcome": G.nodes[later].get("outcome"),
            "to_outcome_label": OUTCOME_LABELS.get(G.nodes[later].get("outcome")),
            **{key: value for status, themes in by_status.items()
               for key, value in ((status.replace(" ", "_"), themes),
                                  (status.replace(" ", "_") + "_label", [labels.get(t, t) for t in themes]))},
        })
    return {
        "area": G.nodes[node]["label"],
        "ons_code": G.nodes[node].get("gss_code"),
        "definition": STATUS_DEFINITION,
        "inspections": timeline,
        "summary": summary,
        "changes": changes,
    }
