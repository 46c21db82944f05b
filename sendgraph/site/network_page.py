"""One network picture as one self-contained vis-network page that works offline (pure: the same graph gives the same bytes).

Building is kept apart from I/O, like NetworkX's ``parse_gml_lines``/``read_gml``: :func:`render_view`
turns one NetworkX graph into one HTML page (a string); :mod:`sendgraph.site.pages` chooses the
views and writes them.

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

import json
import math
import re
from functools import lru_cache
from importlib import resources


from sendgraph.errors import GraphError
from sendgraph.site.render import asset, render_page

from sendgraph.site.layout import MAX_HUBS, SEED, _node_order, layout_positions
from sendgraph.site.style import (EDGE_COLOR, EDGE_STYLES, Style, _node_size, _size, node_style, tooltip_text,
                                  truncate_label)
from sendgraph.site.style import _edge_tooltip, _one_line

VIS_VERSION = "9.1.2"


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


# The page's own script and stylesheet (static/network.js, static/network.css). The script is the
# same on every page (the data is read from a JSON block), so its hash in the
# Content-Security-Policy is a constant.
_INIT_JS = asset("network.js")
_PAGE_CSS = asset("network.css")


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


def render_view(g, title: str, description: str = "", *, index_href: str | None = "index.html",
                search_href: str | None = None, generator: str = "sendgraph") -> str:
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
    return render_page(
        "network.html", styles=("network.css",), scripts=("network.js",), style_texts=(css,), script_texts=(js,),
        data=data, title=title, description=description, index_href=index_href, search_href=search_href, generator=generator,
        counts_text=_size(g),
        node_rows=[{"shape": style.shape, "color": style.color, "name": style.name, "count": count} for style, count in node_rows],
        edge_rows=[{"shape": "line", "color": color, "name": name, "count": count} for name, color, count in edge_rows],
    )
