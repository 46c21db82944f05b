"""An area's focused network as an inline SVG drawing (the area, its partnership, its inspections, each with its team and its findings by kind), with the same facts in words."""

from __future__ import annotations

from sendgraph.site.style import truncate_label

KIND_FILL = {
    "strength": "#1b7a3d", "weakness": "#b42318", "significant_weakness": "#b42318", "priority_action": "#7b3294",
    "improvement": "#b45309", "main_finding": "#57606a", "recommendation": "#57606a", "narrative": "#d0d7de",
}
KIND_ORDER = ("priority_action", "improvement", "weakness", "significant_weakness", "strength", "main_finding",
              "recommendation", "narrative")
LABEL = 30  # characters of a label


def _node(x, y, r, label, fill, css=""):
    return {"x": round(x, 1), "y": round(y, 1), "r": r, "label": truncate_label(label, LABEL), "fill": fill, "css": css}


def area_picture(area, kind_words) -> dict | None:
    """The drawing of ``area`` (a :class:`sendgraph.site.model.Area`): nodes with positions and label
    anchors, edges as lines, and the facts in words.

    The layout keeps every label clear of the others: the partnership's organisations in a row at the
    top, the inspections in two columns either side of the area, and each inspection's team and
    finding counts in a column on its outer side, one line apart.
    """
    inspections = [i for i in area.inspections if not i.only_mentioned]
    if not inspections and not area.organisations:
        return None
    width, step = 960, 20
    cx = width / 2
    nodes, edges, words = [], [], []
    orgs = area.organisations
    top = 40
    for k, org in enumerate(orgs):
        x = width * (k + 1) / (len(orgs) + 1)
        node = _node(x, top, 8, org["name"], "#6e7781")
        node.update(lx=node["x"], ly=round(top - 16 if k % 2 else top + 20, 1), anchor="middle")
        nodes.append(node)
        words.append(f"{area.name}: {org['kind_label'].lower()} {org['name']}.")
    blocks = {"left": [], "right": []}
    for k, inspection in enumerate(reversed(inspections)):  # the latest first, on the left
        children = [(f"{t['name']}{' (lead)' if t.get('lead') else ''}", "#d0d7de") for t in inspection.team]
        counts = []
        for kind in KIND_ORDER:
            found = inspection.findings.get(kind)
            if found:
                words_kind = f"{len(found)} {kind_words(kind, plural=len(found) != 1).lower()}"
                counts.append(words_kind)
                children.append((words_kind, KIND_FILL.get(kind, "#57606a")))
        team = ", ".join(f"{t['name']}{' (lead)' if t.get('lead') else ''}" for t in inspection.team)
        words.append(f"{inspection.type_words}, {inspection.dates}" + (f": {inspection.outcome_label}" if inspection.outcome_label else "")
                     + (f". Team: {team}" if team else "") + (f". Findings: {', '.join(counts)}" if counts else "") + ".")
        blocks["left" if k % 2 == 0 else "right"].append((inspection, children))
    y0 = top + 60
    heights = {side: sum(max(len(ch), 2) * step + step for _, ch in found) for side, found in blocks.items()}
    height = y0 + max(heights.values() or [0]) + 10
    cy = (y0 + height) / 2
    centre = _node(cx, cy, 12, area.name, "#0b57d0")
    centre.update(lx=cx, ly=round(cy + 24, 1), anchor="middle")
    nodes.insert(0, centre)
    for node in nodes[1:]:
        edges.append({"x1": cx, "y1": cy, "x2": node["x"], "y2": node["y"]})
    for side, found in blocks.items():
        sign = -1 if side == "left" else 1
        y = y0 + (max(heights.values()) - heights[side]) / 2
        for inspection, children in found:
            block = max(len(children), 2) * step
            iy = y + block / 2
            node = _node(cx + sign * 170, iy, 10, inspection.dates, "#ffffff", css=f"o-{inspection.outcome or 'none'}")
            node.update(lx=node["x"], ly=round(iy - 18, 1), anchor="middle")
            nodes.append(node)
            edges.append({"x1": cx, "y1": cy, "x2": node["x"], "y2": node["y"]})
            for n, (label, fill) in enumerate(children):
                child = _node(cx + sign * 300, y + step / 2 + n * step, 6, label, fill)
                child.update(lx=round(child["x"] + sign * 10, 1), ly=child["y"], anchor="end" if sign < 0 else "start")
                nodes.append(child)
                edges.append({"x1": node["x"], "y1": node["y"], "x2": child["x"], "y2": child["y"]})
            y += block + step
    return {"width": width, "height": round(height, 1), "nodes": nodes, "edges": edges, "words": words}
