"""The site: which views a graph gets (the whole graph, inspectors, themes against areas, one per area), the index, and writing them all."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from sendgraph.errors import GraphError, UsageError

from sendgraph.site.layout import _node_order, cluster_findings
from sendgraph.site.network_page import _csp, _esc, render_view
from sendgraph.site.style import EDGE_STYLES, _norm_kind, _one_line, _size

MAX_WHOLE_GRAPH_NODES = 1500  # above this the whole-graph view groups findings


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
            data["kind"] = "inspector"
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
