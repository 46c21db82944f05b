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

import base64
import hashlib
import html
import json
import math
import re
from functools import lru_cache
from importlib import resources


from sendgraph.errors import GraphError

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
