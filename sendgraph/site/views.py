"""HTML views of the graph: self-contained vis-network pages that work offline, and an index.

Building is kept apart from I/O, like NetworkX's ``parse_gml_lines``/``read_gml``:

- :func:`render_view` turns one NetworkX graph into one HTML page (a string). Pure: the same
  graph gives the same bytes.
- :func:`site_views` turns the RDF graph into the list of :class:`View` objects the site shows
  (the whole graph, the inspector networks, themes against areas, one page per area).
- :func:`write_site` writes those pages and ``index.html`` into a folder, each file atomically.

Every page is complete in itself: the vis-network script and stylesheet that ship inside the
``pyvis`` package are inlined, nothing is fetched from any host, and a Content-Security-Policy
forbids any request and any script but the page's own two (allowed by hash). Document text is
data, never markup: it reaches the page only as JSON inside a non-executed ``<script
type="application/json">`` block (with ``<``, ``>`` and ``&`` escaped), labels are drawn on the
canvas, and tooltips are plain strings that vis-network shows through ``innerText``. pyvis's own
HTML template is not used (it links Bootstrap from a CDN and switches every tooltip to raw
``innerHTML`` as soon as one of them contains "href"); pyvis only supplies the network options.

Large graphs stay usable at once: positions are computed here with NetworkX (physics is off in
the browser), and the whole-graph view groups findings per inspection and kind when it would
otherwise hold thousands of nodes.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
import unicodedata
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import networkx as nx

from sendgraph.errors import GraphError, UsageError
from sendgraph.formats import counted

__all__ = [
    "View",
    "render_view",
    "render_index",
    "site_views",
    "write_site",
    "layout_positions",
    "cluster_findings",
    "truncate_label",
    "tooltip_text",
    "MAX_WHOLE_GRAPH_NODES",
]

VIS_VERSION = "9.1.2"
MAX_LABEL = 32  # characters of a label drawn on the canvas; the full text is in the tooltip
MAX_FACT = 1500  # characters of one fact shown in a tooltip
MAX_WHOLE_GRAPH_NODES = 1500  # above this the whole-graph view groups findings
CORE_NODES = 400  # nodes laid out by the force model; the others are placed around them
SEED = 7
MAX_HUBS = 30  # nodes whose labels stay legible when zoomed out

# ----------------------------------------------------------------------------------------------
# Styles: colour and shape by class. Shapes are those that draw the label below the node, so
# that size can follow degree.
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    name: str  # legend text
    color: str
    shape: str
    font: int = 14  # label size in pixels


NODE_STYLES: dict[str, Style] = {
    "area": Style("Local area", "#1f77b4", "hexagon", 24),
    "local_authority": Style("Local authority", "#2ca02c", "square", 16),
    "icb": Style("Integrated care board", "#17a589", "square", 16),
    "ccg": Style("Clinical commissioning group", "#76b041", "square", 14),
    "inspectorate": Style("Inspectorate", "#5d6d7e", "square", 15),
    "organisation": Style("Organisation", "#58d68d", "square", 14),
    "inspection": Style("Inspection", "#d62728", "diamond", 18),
    "revisit": Style("Revisit", "#e377c2", "diamond", 15),
    "document": Style("Document", "#8c564b", "triangleDown", 13),
    "inspector": Style("Inspector", "#9467bd", "dot", 14),
    "person": Style("Person", "#bcbd22", "dot", 13),
    "finding": Style("Finding", "#ff7f0e", "dot", 11),
    "finding_group": Style("Findings (grouped)", "#ff7f0e", "triangle", 13),
    "theme": Style("Theme", "#0097a7", "star", 15),
    "service": Style("Service", "#7986cb", "star", 13),
    "outcome": Style("Outcome", "#c0392b", "triangle", 14),
    "finding_kind": Style("Finding kind", "#f5b041", "triangle", 12),
    "document_type": Style("Document type", "#a1887f", "triangle", 12),
}
# Aliases the graph projection may use for the same classes (class local names, other spellings).
_KIND_ALIASES = {
    "localauthority": "local_authority",
    "integratedcareboard": "icb",
    "clinicalcommissioninggroup": "ccg",
    "formalorganization": "organisation",
    "organization": "organisation",
    "areasendinspection": "inspection",
    "jointlocalareainspection": "inspection",
    "report": "document",
    "findingkind": "finding_kind",
    "documenttype": "document_type",
    "findinggroup": "finding_group",
    "findings": "finding_group",
}
_FALLBACK_COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")
_FALLBACK_SHAPES = ("dot", "diamond", "square", "triangle", "star", "hexagon", "triangleDown")

EDGE_STYLES: dict[str, tuple[str, str]] = {  # category -> (legend text, colour)
    "strength": ("More strengths than weaknesses", "#2e7d32"),
    "weakness": ("More weaknesses than strengths", "#c62828"),
    "mixed": ("As many strengths as weaknesses", "#ef8f00"),
    "other": ("Neither (other findings)", "#9e9e9e"),
    "shared": ("Shared inspectors", "#6a51a3"),
}
EDGE_COLOR = "#9aa5b1"


def _norm_kind(kind) -> str:
    text = re.sub(r"[^a-z0-9_]+", "_", str(kind or "").strip().lower()).strip("_")
    return _KIND_ALIASES.get(text.replace("_", ""), _KIND_ALIASES.get(text, text)) or "other"


def node_style(kind) -> Style:
    """The style of a node class; unknown classes get a stable colour and shape of their own."""
    key = _norm_kind(kind)
    if key in NODE_STYLES:
        return NODE_STYLES[key]
    h = zlib.crc32(key.encode("utf-8"))
    name = key.replace("_", " ").capitalize() if key != "other" else "Other"
    return Style(name, _FALLBACK_COLORS[h % len(_FALLBACK_COLORS)], _FALLBACK_SHAPES[(h >> 8) % len(_FALLBACK_SHAPES)], 13)


# ----------------------------------------------------------------------------------------------
# Text: labels that fit and tooltips with facts, all plain text.
# ----------------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def _one_line(text) -> str:
    return _SPACE.sub(" ", str(text if text is not None else "")).strip()


def truncate_label(text, limit: int = MAX_LABEL) -> str:
    """One line of at most ``limit`` characters, cut at a word where possible and marked with an ellipsis."""
    line = _one_line(text)
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "\u2026"


def _fact_value(value) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ", ".join(_fact_value(v) for v in items if v not in (None, ""))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_fact_value(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).strip()
    if len(text) > MAX_FACT:
        text = text[: MAX_FACT - 1].rstrip() + "\u2026"
    return text


# Facts shown first, in this order, when present (the evidence of a finding and where it was read).
_FIRST_FACTS = ("kind", "type", "date", "outcome", "area")
_LAST_FACTS = ("evidence", "quote", "text", "source", "document", "paragraph", "position", "iri")
_QUOTE_FACTS = {"evidence", "quote", "text", "exact"}


def _fact_order(key: str):
    k = key.lower()
    if k in _FIRST_FACTS:
        return (0, _FIRST_FACTS.index(k), k)
    if k in _LAST_FACTS:
        return (2, _LAST_FACTS.index(k), k)
    return (1, 0, k)


def tooltip_text(label, kind=None, facts=None) -> str:
    """The tooltip of a node as plain text: its full label, its class, then its facts one per line.

    Quotes (``evidence``, ``quote``, ``text``) are set on their own lines in quotation marks.
    """
    lines = [_one_line(label) or "(no label)"]
    if kind:
        lines.append(f"[{node_style(kind).name}]")
    for key in sorted((facts or {}).keys(), key=lambda k: _fact_order(str(k))):
        value = _fact_value(facts[key])
        if not value or (str(key).lower() == "kind" and kind and _norm_kind(value) == _norm_kind(kind)):
            continue
        name = str(key).replace("_", " ")
        if str(key).lower() in _QUOTE_FACTS:
            lines.append(f"{name.capitalize()}:\n\u201c{value}\u201d")
        else:
            lines.append(f"{name}: {value}")
    return "\n".join(lines)


def _edge_tooltip(g, u, v, data, directed: bool) -> str:
    def name(n):
        return _one_line(g.nodes[n].get("label", n))

    what = _one_line(data.get("label") or data.get("predicate") or "linked to")
    arrow = "\u2192" if directed else "\u2014"
    lines = [f"{name(u)} {arrow} {what} {arrow} {name(v)}" if directed else f"{name(u)} \u2014 {name(v)}"]
    if not directed and what != "linked to":
        lines.append(what)
    extra = dict(data.get("facts") or {})
    extra.update({k: v for k, v in data.items() if k not in _EDGE_STYLE_KEYS})
    for key in sorted(extra, key=str):
        value = extra[key]
        if value in (None, "", 0, [], ()) or (isinstance(value, bool) and not value):
            continue
        text = _fact_value(value)
        if text:
            lines.append(f"{str(key).replace('_', ' ')}: {text}")
    return "\n".join(lines)


# Edge attributes that style the edge rather than describe it.
_EDGE_STYLE_KEYS = frozenset({"predicate", "label", "category", "color", "facts", "key", "width", "title"})


# ----------------------------------------------------------------------------------------------
# Layout: NetworkX positions, computed once here so the page needs no physics.
# ----------------------------------------------------------------------------------------------


def _node_order(g):
    """Nodes in a stable order (independent of insertion order and of hash seeds)."""
    return sorted(g.nodes, key=lambda n: (str(g.nodes[n].get("kind", "")), str(g.nodes[n].get("label", "")), str(n)))


def layout_positions(g, seed: int = SEED, core: int = CORE_NODES) -> dict:
    """Positions (in screen pixels) of every node of ``g``, deterministic for a given graph.

    Nodes that all carry numeric ``x`` and ``y`` attributes keep them. Otherwise each connected
    part is laid out on its own and the parts are packed in rows, largest first. A part of up
    to ``core`` nodes gets a seeded spring layout; in a larger one only the ``core``
    best-connected nodes are laid out by the force model (linked where they share neighbours)
    and every other node is placed in a sunflower pattern around the nodes it is linked to, so
    the cost grows with the number of edges rather than with the square of the number of nodes.
    """
    order = _node_order(g)
    if not order:
        return {}
    given = {v: (g.nodes[v].get("x"), g.nodes[v].get("y")) for v in order}
    if all(isinstance(x, (int, float)) and isinstance(y, (int, float)) for x, y in given.values()):
        return {v: (float(x), float(y)) for v, (x, y) in given.items()}
    index = {v: i for i, v in enumerate(order)}
    u = nx.Graph()
    u.add_nodes_from(order)
    pairs = {(min(index[a], index[b]), max(index[a], index[b])) for a, b in g.edges() if a != b}
    u.add_edges_from((order[a], order[b]) for a, b in sorted(pairs))
    parts = [sorted(c, key=index.get) for c in nx.connected_components(u)]
    parts.sort(key=lambda c: (-len(c), index[c[0]]))
    extent = {v: _node_size(g.degree(v)) for v in order}
    if len(order) <= 2 * MAX_HUBS:  # every label is drawn: keep labels apart too (roughly: they sit below)
        for v in order:
            label = truncate_label(g.nodes[v].get("label", v))
            extent[v] = max(extent[v], 0.3 * node_style(g.nodes[v].get("kind")).font * len(label))
    boxes = [_separate(_part_layout(_induced(u, part), part, index, seed, core), part, extent) for part in parts]
    return _pack(boxes)


def _separate(pos: dict, nodes: list, extent: dict, margin: float = 10.0, rounds: int = 6) -> dict:
    """Push apart nodes that would be drawn on top of each other (``extent``: a radius per node).

    A few rounds over a grid of cells, so the cost stays linear in the number of nodes; pairs are
    visited in a fixed order and coincident nodes move in a direction fixed by their order.
    """
    if len(nodes) < 2:
        return pos
    radius = {v: extent[v] for v in nodes}
    reach = 2 * max(radius.values()) + margin
    index = {v: i for i, v in enumerate(nodes)}
    pos = dict(pos)
    golden = math.pi * (3.0 - math.sqrt(5.0))
    for _ in range(rounds if len(nodes) > 2 * MAX_HUBS else 4 * rounds):
        grid: dict[tuple, list] = {}
        for v in nodes:
            x, y = pos[v]
            grid.setdefault((math.floor(x / reach), math.floor(y / reach)), []).append(v)
        moved = False
        for cell in sorted(grid):
            members = grid[cell]
            if len(members) > 400:  # a crowd this dense is left to the force layout
                continue
            near = [w for dx in (-1, 0, 1) for dy in (-1, 0, 1) for w in grid.get((cell[0] + dx, cell[1] + dy), ())]
            for a in members:
                ax, ay = pos[a]
                for b in near:
                    if index[b] <= index[a]:
                        continue
                    bx, by = pos[b]
                    need = radius[a] + radius[b] + margin
                    dx, dy = bx - ax, by - ay
                    dist = math.hypot(dx, dy)
                    if dist >= need:
                        continue
                    if dist < 1e-6:
                        turn = index[b] * golden
                        dx, dy, dist = math.cos(turn), math.sin(turn), 1.0
                    push = (need - dist) / 2.0 + 0.5
                    ux, uy = dx / dist, dy / dist
                    ax, ay = ax - ux * push, ay - uy * push
                    pos[a] = (ax, ay)
                    pos[b] = (bx + ux * push, by + uy * push)
                    moved = True
        if not moved:
            break
    return pos


def _induced(u, nodes):
    """The subgraph of ``u`` on ``nodes``, built in the given order (subgraph views iterate sets)."""
    keep = set(nodes)
    h = nx.Graph()
    h.add_nodes_from(nodes)
    h.add_edges_from((a, b, {"weight": _pull(u, a, b)}) for a in nodes for b in u[a] if b in keep)
    return h


HUB_DEGREE = 8


def _pull(u, a, b) -> float:
    """Attraction of an edge in the layout: weak towards nodes linked to very many others (themes,
    services, inspectorates), so those do not drag everything into one knot."""
    return min(1.0, HUB_DEGREE / max(u.degree(a), u.degree(b), 1))


def _spacing(n: int) -> float:
    """Pixels per node: roomy for a few nodes (labels must not collide), tighter for many."""
    return 150.0 if n <= 12 else 120.0 if n <= 60 else 100.0 if n <= 400 else 70.0


def _iterations(n: int, most: int) -> int:
    """Force-layout iterations for ``n`` nodes: ``most`` up to 100 nodes, then fewer in proportion (at
    least 20), so a layout costs n times the iterations of 100 nodes rather than n squared: a site
    of many large area pages was spending most of its time here, on positions that move little
    after the first rounds."""
    return most if n <= 100 else max(20, round(most * 100 / n))


def _part_layout(h, part, index, seed, core) -> dict:
    n = len(part)
    if n == 1:
        return {part[0]: (0.0, 0.0)}
    if n == 2:
        return {part[0]: (-90.0, 0.0), part[1]: (90.0, 0.0)}
    scale = _spacing(n) * math.sqrt(n)
    if n <= core:
        pos = nx.spring_layout(h, seed=seed, iterations=_iterations(n, 120), k=1.6 / math.sqrt(n), weight="weight")
        return {v: (float(p[0]) * scale, float(p[1]) * scale) for v, p in pos.items()}

    ranked = sorted(part, key=lambda v: (-h.degree(v), index[v]))
    core_set = set(ranked[:core])
    c = nx.Graph()
    c.add_nodes_from(v for v in part if v in core_set)
    for a, b, w in h.edges(data="weight"):
        if a in core_set and b in core_set:
            c.add_edge(a, b, weight=w)
    for v in part:  # core nodes that share a satellite are pulled together
        if v in core_set:
            continue
        hubs = sorted((w for w in h[v] if w in core_set), key=index.get)[:6]
        for i, a in enumerate(hubs):
            for b in hubs[i + 1 :]:
                w = c.get_edge_data(a, b, {"weight": 0.0})["weight"]
                c.add_edge(a, b, weight=w + 0.25 * min(h[v][a]["weight"], h[v][b]["weight"]))
    pos = nx.spring_layout(c, seed=seed, iterations=_iterations(len(c), 80), weight="weight")
    placed = {v: (float(p[0]) * scale, float(p[1]) * scale) for v, p in pos.items()}

    # Breadth-first from the core: each node goes around the centre of its placed neighbours.
    golden = math.pi * (3.0 - math.sqrt(5.0))
    step = 18.0
    crowd: dict[tuple, int] = {}
    remaining = [v for v in part if v not in core_set]
    while remaining:
        waiting = []
        for v in remaining:
            anchors = tuple(sorted((w for w in h[v] if w in placed), key=index.get))
            if not anchors:
                waiting.append(v)
                continue
            pulls = [h[v][w]["weight"] for w in anchors]
            cx = sum(placed[w][0] * p for w, p in zip(anchors, pulls)) / sum(pulls)
            cy = sum(placed[w][1] * p for w, p in zip(anchors, pulls)) / sum(pulls)
            key = anchors[:3]
            i = crowd.get(key, 0) + 1
            crowd[key] = i
            r = step * (2.0 + math.sqrt(i))
            turn = i * golden + index[anchors[0]]
            placed[v] = (cx + r * math.cos(turn), cy + r * math.sin(turn))
        if len(waiting) == len(remaining):  # cannot happen in a connected part; kept as a guard
            for i, v in enumerate(waiting):
                placed[v] = (i * 3 * step, -scale - 3 * step)
            break
        remaining = waiting
    return placed


def _pack(boxes: list[dict], gap: float = 120.0) -> dict:
    """Place laid-out parts side by side in rows (shelf packing), largest first."""
    sized = []
    for pos in boxes:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        sized.append((pos, min(xs), min(ys), max(xs) - min(xs) + gap, max(ys) - min(ys) + gap))
    # Rows about as wide as a screen is wider than tall, so small parts sit beside the large ones.
    row_width = max(max(w for *_r, w, _h in sized), math.sqrt(sum(w * h for *_r, w, h in sized) * 1.8))
    out: dict = {}
    x = y = row_height = 0.0
    for pos, left, top, w, h in sized:
        if x > 0 and x + w > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for v, (px, py) in pos.items():
            out[v] = (px - left + x, py - top + y)
        x += w
        row_height = max(row_height, h)
    return out


# ----------------------------------------------------------------------------------------------
# Grouping findings, for a whole graph that would hold thousands of nodes.
# ----------------------------------------------------------------------------------------------


def cluster_findings(g, anchor_kinds=("inspection", "revisit", "document")):
    """A copy of ``g`` where the findings of each inspection are grouped by kind into one node.

    A group node (kind ``finding_group``) links to the inspection, and to every other node its
    findings linked to (themes, services...) with ``weight`` = how many of them did. Its tooltip
    counts the findings and quotes the first few. Findings with no inspection stay as they are.
    """
    anchors = [_norm_kind(k) for k in anchor_kinds]  # in order of preference
    out = g.__class__()
    out.graph.update(g.graph)
    groups: dict[tuple, list] = {}
    member_of = {}
    for v in _node_order(g):
        data = g.nodes[v]
        if _norm_kind(data.get("kind")) != "finding":
            continue
        nbrs = set(g.successors(v)) | set(g.predecessors(v)) if g.is_directed() else set(g[v])
        owners = sorted((w for w in nbrs if _norm_kind(g.nodes[w].get("kind")) in anchors),
                        key=lambda w: (anchors.index(_norm_kind(g.nodes[w].get("kind"))), str(w)))
        if not owners:
            continue
        facts = data.get("facts") or {}
        sub = _one_line(facts.get("kind") or facts.get("finding_kind") or data.get("subkind") or "finding")
        key = (owners[0], sub)
        groups.setdefault(key, []).append(v)
        member_of[v] = key
    for v in g.nodes:
        if v not in member_of:
            out.add_node(v, **g.nodes[v])
    group_id = {}
    for (owner, sub), members in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        gid = f"findings:{owner}:{sub}"
        group_id[(owner, sub)] = gid
        owner_label = _one_line(g.nodes[owner].get("label", owner))
        quotes = [_one_line(g.nodes[m].get("label", m)) for m in members[:5]]
        facts = {"findings": len(members), "inspection": owner_label, "first findings": quotes}
        label = f"{len(members)} {sub.replace('_', ' ')}" + ("s" if len(members) != 1 and not sub.endswith("s") else "")
        out.add_node(gid, kind="finding_group", label=label, facts=facts)
    weights: dict[tuple, int] = {}
    for a, b, data in g.edges(data=True):
        ga, gb = member_of.get(a), member_of.get(b)
        if ga is None and gb is None:
            out.add_edge(a, b, **data)
            continue
        a2 = group_id[ga] if ga else a
        b2 = group_id[gb] if gb else b
        if a2 == b2:
            continue
        pred = data.get("label") or data.get("predicate") or ""
        weights[(a2, b2, pred)] = weights.get((a2, b2, pred), 0) + 1
    for (a, b, pred), w in sorted(weights.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]), kv[0][2])):
        out.add_edge(a, b, label=pred, predicate=pred, weight=w)
    return out


# ----------------------------------------------------------------------------------------------
# Rendering one page.
# ----------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """The vis-network script and stylesheet shipped inside pyvis (inlined in every page)."""
    base = resources.files("pyvis") / "templates" / "lib" / f"vis-{VIS_VERSION}"
    try:
        js = (base / "vis-network.min.js").read_text(encoding="utf-8")
        css = (base / "vis-network.css").read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - a broken pyvis install
        raise GraphError(f"vis-network {VIS_VERSION} not found in the pyvis package: {exc}") from exc
    for name, text in (("script", js), ("stylesheet", css)):
        if re.search(r"</(script|style)|<!--", text, re.IGNORECASE):  # pragma: no cover - checked on upgrade
            raise GraphError(f"vis-network {name} cannot be inlined safely (holds a closing tag)")
    return js, css


# The page's own script. It is the same on every page (the data is read from a JSON block), so
# its hash in the Content-Security-Policy is a constant.
_INIT_JS = r"""
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sendgraph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var container = document.getElementById("network");
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, data.options);
  window.network = network;
  window.sendgraph = {network: network, nodes: nodes, edges: edges, drawn: false,
                      expected: {nodes: data.nodes.length, edges: data.edges.length}};
  // Labels of the main nodes (areas, inspections, councils...) stay legible when zoomed out.
  var hubs = data.nodes.filter(function (n) { return n.hub === true; })
    .map(function (n) { return {id: n.id, size: n.font.size}; });
  var lastStep = null;
  function legibleHubs() {
    var scale = network.getScale();
    var step = Math.round(Math.log(scale) * 8);
    if (!hubs.length || step === lastStep || !isFinite(step)) { return; }
    lastStep = step;
    nodes.update(hubs.map(function (h) {
      return {id: h.id, font: {size: Math.min(h.size * 5, Math.max(h.size, 14 / scale))}};
    }));
  }
  // After every drawing, so programmatic moves (find, focus) count too; a no-op unless the scale changed.
  network.on("afterDrawing", legibleHubs);
  network.once("afterDrawing", function () {
    window.sendgraph.drawn = true;
    document.body.setAttribute("data-drawn", "true");
  });
  var details = document.getElementById("details");
  var detailsText = document.getElementById("details-text");
  function show(text) {
    if (text) {
      detailsText.textContent = text;
      details.hidden = false;
    } else {
      detailsText.textContent = "";
      details.hidden = true;
    }
  }
  document.getElementById("details-close").addEventListener("click", function () { show(""); });
  network.on("click", function (params) {
    if (params.nodes.length) {
      show(nodes.get(params.nodes[0]).title);
    } else if (params.edges.length) {
      show(edges.get(params.edges[0]).title);
    } else {
      show("");
    }
  });
  var form = document.getElementById("find");
  var status = document.getElementById("find-status");
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var wanted = document.getElementById("find-text").value.trim().toLowerCase();
    status.textContent = "";
    if (!wanted) { return; }
    var hits = nodes.get({filter: function (n) {
      return (n.title || "").toLowerCase().indexOf(wanted) !== -1;
    }});
    if (!hits.length) { status.textContent = "not found"; return; }
    var ids = hits.map(function (n) { return n.id; });
    network.selectNodes(ids);
    if (ids.length === 1) {
      network.focus(ids[0], {scale: 1.2, animation: false});
    } else {
      network.fit({nodes: ids, animation: false});
    }
    status.textContent = hits.length + (hits.length === 1 ? " match" : " matches");
    show(hits[0].title);
  });
})();
"""

_PAGE_CSS = """
html, body { margin: 0; padding: 0; height: 100%; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #1b1f23; }
body { display: flex; flex-direction: column; }
header { padding: 8px 16px; border-bottom: 1px solid #d0d7de; background: #f6f8fa; display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 16px; }
header h1 { font-size: 20px; margin: 0; }
header p { margin: 0; color: #57606a; font-size: 14px; }
header nav a { font-size: 14px; }
#find { margin-left: auto; font-size: 14px; }
#find input { font-size: 14px; width: 14em; }
#find-status { color: #57606a; margin-left: 4px; }
main { position: relative; flex: 1 1 auto; min-height: 400px; display: flex; }
#network { position: relative; flex: 1 1 auto; min-width: 0; background: #ffffff; }
#legend { flex: 0 0 auto; width: 15.5em; box-sizing: border-box; background: #fafbfc; border-right: 1px solid #d0d7de; padding: 8px 12px; font-size: 13px; overflow: auto; }
#legend h2 { font-size: 13px; margin: 0 0 4px 0; }
#legend ul { list-style: none; margin: 0 0 6px 0; padding: 0; }
#legend li { display: flex; align-items: center; gap: 6px; margin: 3px 0; }
#legend svg { flex: none; }
#legend .count { color: #57606a; }
#legend .hint { margin: 4px 0 0 0; color: #57606a; }
#details { position: absolute; top: 10px; right: 10px; width: min(420px, 45%); max-height: calc(100% - 40px); overflow: auto; background: #fffdf5; border: 1px solid #d0d7de; border-radius: 6px; padding: 8px 12px; font-size: 13px; z-index: 2; }
#details-text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; }
#details-close { float: right; }
div.vis-tooltip { white-space: pre-wrap; max-width: 480px; overflow-wrap: anywhere; font-family: inherit; font-size: 13px; line-height: 1.35; }
"""


_VIS_CSS_BLOCK = "\n{css}\n"


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def _csp(scripts: tuple[str, ...], styles: tuple[str, ...]) -> str:
    """Nothing may be fetched; only the page's own scripts and stylesheets (by hash) apply.

    Styles that scripts set through the DOM (vis-network positions its tooltip so) are not
    governed by ``style-src``.
    """
    script_src = " ".join(_csp_hash(s) for s in scripts) or "'none'"
    style_src = " ".join(_csp_hash(s) for s in styles) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        f"style-src {style_src}; "
        "img-src data:; "
        "base-uri 'none'; form-action 'none'"
    )


def _json_for_script(value) -> str:
    """JSON that can sit inside a <script> element: no '<', '>' or '&' (so no '</script' or '<!--')."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return (
        text.replace("&", "\\u0026")
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _esc(text) -> str:
    return html.escape(str(text if text is not None else ""), quote=True)


# Legend swatches: the SVG of each node shape (and of a line), its fill or stroke colour left as {c}.
_SWATCHES = {
    "dot": '<circle cx="8" cy="8" r="6" fill="{c}"/>',
    "square": '<rect x="2" y="2" width="12" height="12" fill="{c}"/>',
    "diamond": '<polygon points="8,1 15,8 8,15 1,8" fill="{c}"/>',
    "triangle": '<polygon points="8,1 15,14 1,14" fill="{c}"/>',
    "triangleDown": '<polygon points="1,2 15,2 8,15" fill="{c}"/>',
    "star": '<polygon points="8,1 10,6 15,6 11,9.5 12.5,15 8,11.5 3.5,15 5,9.5 1,6 6,6" fill="{c}"/>',
    "hexagon": '<polygon points="4,1.5 12,1.5 15.5,8 12,14.5 4,14.5 0.5,8" fill="{c}"/>',
    "line": '<line x1="0" y1="8" x2="16" y2="8" stroke="{c}" stroke-width="3"/>',
}
_SWATCHES["ellipse"] = _SWATCHES["circle"] = _SWATCHES["dot"]
_OTHER_SWATCH = '<rect x="2" y="2" width="12" height="12" rx="3" fill="{c}"/>'


def _swatch(shape: str, color: str) -> str:
    """A small inline SVG of a node shape for the legend."""
    body = _SWATCHES.get(shape, _OTHER_SWATCH).format(c=_esc(color))
    return f'<svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{body}</svg>'


def _node_size(degree: int) -> float:
    return round(min(40.0, 6.0 + 3.5 * math.sqrt(degree)), 1)


def _edge_width(weight) -> float:
    try:
        w = float(weight)
    except (TypeError, ValueError):
        return 1.0
    if not math.isfinite(w) or w <= 1:
        return 1.0
    return round(min(7.0, 1.0 + math.log2(w)), 2)


def _options(directed: bool, big: bool) -> dict:
    """vis-network options, starting from pyvis's defaults."""
    from pyvis.network import Network

    net = Network(directed=directed, cdn_resources="in_line")
    net.toggle_physics(False)
    options = json.loads(net.options.to_json())
    options["physics"] = {"enabled": False}
    options["layout"] = {"improvedLayout": False, "randomSeed": SEED}
    options["interaction"].update(
        {
            "hover": True,
            "tooltipDelay": 120,
            "hideEdgesOnDrag": big,
            "hideEdgesOnZoom": big,
            "navigationButtons": False,
            "keyboard": False,
            "multiselect": True,
        }
    )
    options["nodes"] = {
        "borderWidth": 1,
        "font": {"size": 14, "face": "arial", "color": "#1b1f23", "strokeWidth": 3, "strokeColor": "#ffffff"},
        "scaling": {"label": {"enabled": False, "drawThreshold": 7}},
    }
    options["edges"] = {
        "color": {"color": EDGE_COLOR, "highlight": "#1b1f23", "hover": "#1b1f23", "inherit": False, "opacity": 0.8},
        "smooth": False if big else {"enabled": True, "type": "continuous", "roundness": 0.2},
        "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}},
        "width": 1,
        "selectionWidth": 2,
    }
    return options


def _legend_html(node_rows, edge_rows) -> str:
    parts = ['<aside id="legend" aria-label="Legend"><h2>Legend</h2><ul>']
    for style, count in node_rows:
        parts.append(f'<li>{_swatch(style.shape, style.color)}<span>{_esc(style.name)}</span> <span class="count">({count})</span></li>')
    parts.append("</ul>")
    if edge_rows:
        parts.append("<ul>")
        for name, color, count in edge_rows:
            parts.append(f'<li>{_swatch("line", color)}<span>{_esc(name)}</span> <span class="count">({count})</span></li>')
        parts.append("</ul>")
    parts.append('<p class="hint">Size: number of links. Hover a node or line for details, click to pin them.</p></aside>')
    return "".join(parts)


def view_data(g) -> dict:
    """The vis-network nodes, edges and options of ``g`` (what :func:`render_view` embeds)."""
    directed = g.is_directed()
    order = _node_order(g)
    ids = {v: i for i, v in enumerate(order)}
    big = len(order) > 1000 or g.number_of_edges() > 2000
    pos = layout_positions(g)
    nodes = []
    for v in order:
        data = g.nodes[v]
        kind = data.get("kind")
        style = node_style(kind)
        label = data.get("label")
        if label is None or _one_line(label) == "":
            label = str(v)
        node = {
            "id": ids[v],
            "label": truncate_label(label),
            "title": tooltip_text(label, kind, data.get("facts")),
            "shape": style.shape,
            "color": style.color,
            "size": _node_size(g.degree(v)),
            "font": {"size": style.font},
            "x": round(pos[v][0], 1),
            "y": round(pos[v][1], 1),
        }
        nodes.append(node)
    # The main nodes (areas first, then inspections, councils...; at most MAX_HUBS) keep legible
    # labels when the view is zoomed out: the page enlarges their font as the scale drops.
    # In a small view every label is kept legible.
    candidates = nodes if len(nodes) <= 2 * MAX_HUBS else [n for n in nodes if n["font"]["size"] >= 16]
    hubs = sorted(candidates, key=lambda n: (-n["font"]["size"], -n["size"], n["id"]))
    for node in hubs if len(nodes) <= 2 * MAX_HUBS else hubs[:MAX_HUBS]:
        node["scaling"] = {"label": {"drawThreshold": 3}}
        node["hub"] = True
    edges = []
    multi = g.is_multigraph()
    raw = g.edges(keys=True, data=True) if multi else ((a, b, None, d) for a, b, d in g.edges(data=True))
    rows = sorted(raw, key=lambda e: (ids[e[0]], ids[e[1]], str(e[2]), str(e[3].get("label", "")), str(e[3].get("predicate", ""))))
    seen_pairs: dict[tuple, int] = {}
    for i, (a, b, _key, data) in enumerate(rows):
        category = data.get("category")
        color = EDGE_STYLES[category][1] if category in EDGE_STYLES else data.get("color") if isinstance(data.get("color"), str) else None
        edge = {
            "id": i,
            "from": ids[a],
            "to": ids[b],
            "title": _edge_tooltip(g, a, b, data, directed),
            "width": _edge_width(data.get("weight")),
        }
        if color:
            edge["color"] = {"color": color, "highlight": color, "hover": color, "inherit": False, "opacity": 0.9}
        pair = (min(ids[a], ids[b]), max(ids[a], ids[b]))
        k = seen_pairs.get(pair, 0)
        seen_pairs[pair] = k + 1
        if k:  # parallel edges: curve each one a little more so all stay visible
            edge["smooth"] = {"enabled": True, "type": "curvedCW" if k % 2 else "curvedCCW", "roundness": round(0.15 * ((k + 1) // 2), 2)}
        edges.append(edge)
    return {"nodes": nodes, "edges": edges, "options": _options(directed, big)}


def render_view(g, title: str, description: str = "", *, index_href: str | None = "index.html", generator: str = "sendgraph") -> str:
    """One self-contained HTML page showing the NetworkX graph ``g`` with vis-network.

    Node attributes used: ``kind`` (colour, shape and legend), ``label`` (drawn, truncated to fit),
    ``facts`` (a dict shown in the tooltip). Edge attributes: ``label``/``predicate`` (tooltip),
    ``weight`` (width), ``category`` (colour and legend: see :data:`EDGE_STYLES`), ``facts``.
    Every node and edge of ``g`` is drawn: the page holds exactly ``g``'s nodes and edges.
    """
    js, css = _vis_assets()
    data = view_data(g)
    kinds: dict[str, tuple[Style, int]] = {}
    for v in g.nodes:
        style = node_style(g.nodes[v].get("kind"))
        prev = kinds.get(style.name)
        kinds[style.name] = (style, (prev[1] if prev else 0) + 1)
    node_rows = sorted(kinds.values(), key=lambda sc: (-sc[1], sc[0].name))
    edge_counts: dict[str, int] = {}
    for *_ends, d in g.edges(data=True):
        cat = d.get("category")
        if cat in EDGE_STYLES:
            edge_counts[cat] = edge_counts.get(cat, 0) + 1
    edge_rows = [(EDGE_STYLES[c][0], EDGE_STYLES[c][1], n) for c, n in sorted(edge_counts.items(), key=lambda kv: list(EDGE_STYLES).index(kv[0]))]
    counts = _size(g)
    nav = f'<nav><a href="{_esc(index_href)}">All views</a></nav>' if index_href else ""
    desc = f"<p>{_esc(description)}</p>" if description else ""
    return "".join(
        [
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
            f'<meta http-equiv="Content-Security-Policy" content="{_esc(_csp((js, _INIT_JS), (_VIS_CSS_BLOCK.format(css=css), _PAGE_CSS)))}">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta name="generator" content="{_esc(generator)}">\n',
            f"<title>{_esc(title)}</title>\n",
            f"<style>{_VIS_CSS_BLOCK.format(css=css)}</style>\n<style>{_PAGE_CSS}</style>\n",
            f"<script>{js}</script>\n",
            "</head>\n<body>\n<header>",
            f"<h1>{_esc(title)}</h1>{nav}{desc}<p class=\"counts\">{_esc(counts)}</p>",
            '<form id="find" role="search"><input id="find-text" type="search" placeholder="Find a node\u2026" aria-label="Find a node">'
            ' <button type="submit">Find</button><span id="find-status" aria-live="polite"></span></form>',
            "</header>\n<main>\n",
            _legend_html(node_rows, edge_rows),
            '\n<div id="network" role="img" aria-label="Network diagram"></div>\n',
            '<aside id="details" hidden><button id="details-close" type="button" aria-label="Close">\u00d7</button><p id="details-text"></p></aside>\n',
            "</main>\n",
            f'<script type="application/json" id="sendgraph-data">{_json_for_script(data)}</script>\n',
            f"<script>{_INIT_JS}</script>\n",
            "</body>\n</html>\n",
        ]
    )


# ----------------------------------------------------------------------------------------------
# The site: which views, and writing them.
# ----------------------------------------------------------------------------------------------


@dataclass
class View:
    """One page of the site: its file stem, title, description and the graph it shows."""

    slug: str
    title: str
    description: str
    graph: nx.Graph = field(repr=False)
    group: str = "Views"  # heading in the index

    @property
    def filename(self) -> str:
        return f"{self.slug}.html"

    def render(self) -> str:
        return render_view(self.graph, self.title, self.description)


def slugify(text, taken: set | None = None) -> str:
    """A file-name-safe stem (lower-case ASCII letters, digits and hyphens), unique within ``taken``."""
    ascii_text = unicodedata.normalize("NFKD", _one_line(text)).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-") or "view"
    if taken is not None:
        base, i = slug, 2
        while slug in taken or slug == "index":
            slug = f"{base}-{i}"
            i += 1
        taken.add(slug)
    return slug


# Finding kinds that count against a theme (as network.polarity does): weaknesses, significant
# weaknesses, priority actions and areas for improvement.
_NEGATIVE_COUNTS = ("weakness", "weaknesses", "priority_action", "improvement")
_POSITIVE_COUNTS = ("strength", "strengths")


def _theme_categories(g):
    """Colour theme-area edges by what the findings said: strength, weakness, both, or neither.

    Width follows the number of findings. Edges that already have a known ``category`` are kept.
    """
    for *_ends, d in g.edges(data=True):
        if d.get("category") in EDGE_STYLES:
            continue
        s = sum(_count(d, (name,)) for name in _POSITIVE_COUNTS)
        w = sum(_count(d, (name,)) for name in _NEGATIVE_COUNTS)
        d["category"] = "strength" if s > w else "weakness" if w > s else "mixed" if s else "other"
        if "weight" not in d:
            d["weight"] = max(1, _count(d, ("findings",)), s + w)
    return g


def _rings(g, inner_kind: str, outer_kind: str):
    """Fix positions on two ellipses: the smaller class inside, the larger outside, each by label."""
    def members(kind):
        return sorted((v for v, k in g.nodes(data="kind") if _norm_kind(k) == kind),
                      key=lambda v: (_one_line(g.nodes[v].get("label", v)).lower(), str(v)))

    inner, outer = members(inner_kind), members(outer_kind)
    if len(inner) > len(outer):
        inner, outer = outer, inner
    rest = [v for v in _node_order(g) if v not in set(inner) | set(outer)]
    r_outer = max(300.0, 70.0 * len(outer) / math.pi)
    r_inner = r_outer * 0.6 if len(inner) > 1 else 0.0
    for ring, radius in ((inner, r_inner), (outer, r_outer), (rest, r_outer * 1.25)):
        for i, v in enumerate(ring):
            angle = 2 * math.pi * i / max(1, len(ring)) - math.pi / 2
            r = radius * (0.78 if i % 2 and len(ring) > 12 else 1.0)  # staggered, so labels overlap less
            g.nodes[v]["x"] = round(1.6 * r * math.cos(angle), 1)  # an ellipse: screens are wide
            g.nodes[v]["y"] = round(r * math.sin(angle), 1)
    return g


def _count(d, names) -> int:
    for name in names:
        value = d.get(name)
        if value is None and isinstance(d.get("facts"), dict):
            value = d["facts"].get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return int(value)
        if isinstance(value, (list, tuple, set)):
            return len(value)
    return 0


_TEAM_KEYS = frozenset({"inspector", "leadInspector"})


def _mark_inspectors(g):
    """People who were on an inspection team are shown (and counted in the legend) as inspectors."""
    for v, data in g.nodes(data=True):
        if _norm_kind(data.get("kind")) != "person":
            continue
        edges = g.in_edges(v, data=True) if g.is_directed() else g.edges(v, data=True)
        edges = list(edges)
        if g.is_directed():
            edges += list(g.out_edges(v, data=True))
        if any(d.get("predicate") in _TEAM_KEYS for *_ends, d in edges):
            data["kind"] = "Inspector"
    return g


def _shared_inspector_edges(g):
    for *_ends, d in g.edges(data=True):
        d.setdefault("category", "shared")
        if "label" not in d:
            d["label"] = "shared inspectors"
    return g


def _kind_count(g, kind) -> int:
    return sum(1 for _, k in g.nodes(data="kind") if _norm_kind(k) == kind)


def site_views(graph, max_nodes: int = MAX_WHOLE_GRAPH_NODES) -> list[View]:
    """The views of a graph: an RDF graph or dataset (as built by :func:`sendgraph.graph.build_graph`)
    or its NetworkX view (:func:`sendgraph.network.to_networkx`).

    In order: the whole graph (findings grouped per inspection and kind above ``max_nodes``
    nodes), inspectors and inspections, areas linked by shared inspectors, themes against areas,
    then one view per area (by name). Each view's ``graph`` is exactly what its page draws.
    """
    from sendgraph.analysis import network

    whole = network.as_view(graph)
    views: list[View] = []
    taken = {"index"}
    shown = _mark_inspectors(whole.copy())
    desc = "Every resource of the graph and the links between them."
    if shown.number_of_nodes() > max_nodes:
        shown = cluster_findings(shown)
        desc = (
            f"Every resource of the graph; its {_kind_count(whole, 'finding')} findings are grouped by "
            "inspection and kind (each area's page shows them one by one)."
        )
    views.append(View(slugify("whole graph", taken), "The whole graph", desc, shown, "Overview"))
    views.append(
        View(
            slugify("inspectors", taken),
            "Inspectors and inspections",
            "Inspection team members linked to the inspections they worked on, and each inspection to its area.",
            _mark_inspectors(network.inspector_network(whole)),
            "Overview",
        )
    )
    views.append(
        View(
            slugify("areas by shared inspectors", taken),
            "Areas linked by shared inspectors",
            "Two areas are linked when someone was on inspection teams of both; the wider the line, the more people they share.",
            _shared_inspector_edges(network.area_network(whole)),
            "Overview",
        )
    )
    views.append(
        View(
            slugify("themes and areas", taken),
            "Themes against areas",
            "Each line joins an area to a theme its inspection findings raise: green where they note more strengths "
            "than weaknesses (weaknesses here include priority actions and areas for improvement), red more weaknesses, "
            "amber as many of each, grey neither; the wider the line, the more findings. Hover a line for the counts.",
            _rings(_theme_categories(network.theme_area_graph(whole)), "area", "theme"),
            "Overview",
        )
    )
    for node in network.areas(whole):
        label = _one_line(whole.nodes[node].get("label", node))
        sub = _mark_inspectors(network.area_subgraph(whole, node))
        views.append(View(slugify(f"area {label}", taken), label, _area_description(sub), sub, "Areas"))
    return views


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _area_description(g) -> str:
    """What an area's page holds: its inspections (with their dates), findings and people."""
    dates = sorted(str(d.get("start_date")) for _, d in g.nodes(data=True)
                   if _norm_kind(d.get("kind")) == "inspection" and d.get("start_date"))
    inspections = _kind_count(g, "inspection")
    findings = _kind_count(g, "finding")
    people = _kind_count(g, "inspector") + _kind_count(g, "person")
    when = f" ({', '.join(dates)})" if dates else ""
    return (f"{_plural(inspections, 'inspection')}{when}, {_plural(findings, 'finding')} and {_plural(people, 'person')}"
            .replace("persons", "people") + ", with the organisations, documents, themes and services involved.")


def _size(g) -> str:
    """How big a view is, as its page and the index say it: "30 nodes, 1 link"."""
    return f"{counted(g.number_of_nodes(), 'node')}, {counted(g.number_of_edges(), 'link')}"


def render_index(views: list[View], title: str = "sendgraph views") -> str:
    """The index page: a link to every view, grouped, with its size. No script at all."""
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        f'<meta http-equiv="Content-Security-Policy" content="{_esc(_csp((), (_INDEX_CSS,)))}">\n',
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{_esc(title)}</title>\n<style>{_INDEX_CSS}</style>\n</head>\n<body>\n",
        f"<h1>{_esc(title)}</h1>\n<p>Each page opens in this browser without an internet connection. "
        "Hover a node for its facts, click it to pin them, scroll to zoom, drag to pan.</p>\n",
    ]
    groups: dict[str, list[View]] = {}
    for view in views:
        groups.setdefault(view.group, []).append(view)
    for group, members in groups.items():
        parts.append(f"<h2>{_esc(group)}</h2>\n<ul>\n")
        for view in members:
            size = _size(view.graph)
            parts.append(
                f'<li><a href="{_esc(view.filename)}">{_esc(view.title)}</a> <span class="size">({_esc(size)})</span>'
                f'<br><span class="desc">{_esc(view.description)}</span></li>\n'
            )
        parts.append("</ul>\n")
    parts.append("</body>\n</html>\n")
    return "".join(parts)


_INDEX_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; margin: 24px auto; max-width: 60em; padding: 0 16px; color: #1b1f23; }
li { margin: 6px 0; } .size, .desc { color: #57606a; font-size: 14px; }
"""


def write_site(graph, outdir, views: list[View] | None = None) -> list[Path]:
    """Write ``index.html`` and one page per view into ``outdir``; returns the paths written (index first).

    Each file is written atomically. ``graph`` is an RDF graph or dataset; ``views`` (from
    :func:`site_views`) may be passed to reuse views already computed.
    """
    from sendgraph.io import make_folder, write_text_atomic

    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir}: exists and is not a folder")
    if views is None:
        views = site_views(graph)
    try:
        make_folder(outdir)
        written = [outdir / "index.html"]
        for view in views:
            path = outdir / view.filename
            write_text_atomic(path, view.render())
            written.append(path)
        write_text_atomic(written[0], render_index(views))
    except OSError as exc:
        raise GraphError(f"{outdir}: cannot write the views: {exc.strerror or exc}") from exc
    return written
