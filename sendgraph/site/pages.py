"""The site: every page a graph gets (the national picture, areas, themes, the theme matrix, search, and the two network pictures), built as text and written as a whole."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx

from sendgraph.errors import GraphError, UsageError
from sendgraph.site import model
from sendgraph.site.area_picture import area_picture
from sendgraph.site.charts import timeline_chart
from sendgraph.site.hexmap import hexes as map_hexes
from sendgraph.site.network_page import render_view
from sendgraph.site.render import render_page
from sendgraph.site.slugs import slugify  # noqa: F401 (the site's page names: pages.slugify)
from sendgraph.site.style import _norm_kind
from sendgraph.vocab import OUTCOME_LABELS, OUTCOME_ORDER

#: The list of the files a site holds, kept in its folder so that a later site removes the pages it no
#: longer has (an area gone from the graph) and never touches other files.
MANIFEST = ".sendgraph-site.json"


@dataclass
class View:
    """One network picture of the site: its file stem, title, description and the graph it draws."""

    slug: str
    title: str
    description: str
    graph: nx.Graph = field(repr=False)
    group: str = "Views"

    @property
    def filename(self) -> str:
        return f"{self.slug}.html"

    def render(self) -> str:
        return render_view(self.graph, self.title, self.description, search_href="search.html")


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


def site_views(graph) -> list[View]:
    """The network pictures of a graph (an RDF graph or dataset, or its NetworkX projection): inspectors
    and inspections, and areas linked by shared inspectors. Each view's ``graph`` is what its page draws."""
    from sendgraph.analysis import network

    whole = network.as_view(graph)
    return [
        View("inspectors", "Inspectors and inspections",
             "Inspection team members linked to the inspections they worked on, and each inspection to its area.",
             _mark_inspectors(network.inspector_network(whole)), "Pictures"),
        View("areas-by-shared-inspectors", "Areas linked by shared inspectors",
             "Two areas are linked when someone was on inspection teams of both; the wider the line, the more people they share.",
             _shared_inspector_edges(network.area_network(whole)), "Pictures"),
    ]


_LIGHT_MARKS = frozenset({"positive", "wsoa_required", "systemic"})  # dark fills: the mark is drawn white


def _shade(strengths: int, weaknesses: int) -> str:
    if weaknesses and strengths:
        return "m-mixed" if strengths >= weaknesses else f"m-w{min(3, weaknesses)}"
    if weaknesses:
        return f"m-w{min(3, weaknesses)}"
    if strengths:
        return f"m-s{min(2, strengths)}"
    return ""


def site_pages(graph, views: list[View] | None = None) -> dict[str, str]:
    """Every page of the site: file name -> HTML (pure: the same graph gives the same pages)."""
    from sendgraph.analysis import network
    from sendgraph.read.themes import theme_definitions
    from sendgraph.search.index import finding_rows

    G = network.as_view(graph)
    areas = model.build_areas(G)
    themes = model.theme_counts(G)
    theme_slugs = {t["code"]: t["slug"] for t in themes}
    counts = {"documents": len(network.nodes_of(G, "document")), "areas": len(areas),
              "inspections": sum(1 for a in areas for i in a.inspections if not i.only_mentioned),
              "findings": len(network.nodes_of(G, "finding"))}
    outcomes_found = {i.outcome for a in areas for i in a.inspections if i.outcome}
    common = {"root": "", "counts": counts, "theme_slugs": theme_slugs, "date_words": model.date_words}
    pages: dict[str, str] = {}

    hexes, map_width, map_height = map_hexes()
    legend = model.outcome_legend(areas)
    timeline = model.timeline(areas)
    framework_outcomes = {f: [(c, OUTCOME_LABELS[c]) for c in codes] for f, codes in model.FRAMEWORK_OUTCOMES.items()}
    top = sorted((t for t in themes if t["areas_against"]), key=lambda t: (-t["areas_against"], t["label"].lower()))[:10]
    in_map = {h.code for h in hexes}
    pages["index.html"] = render_page(
        "index.html", title="SEND inspections in England", section="home", areas=areas, hexes=hexes,
        map_width=map_width, map_height=map_height,
        area_by_code={a.gss_code: a for a in areas if a.gss_code}, marks=model.OUTCOME_MARKS, light_marks=_LIGHT_MARKS,
        legend=legend, no_outcome=sum(1 for a in areas if not a.latest),
        absent=len(in_map - {a.gss_code for a in areas}),
        regions=model.region_table(areas), outcomes2023=framework_outcomes["2023"], outcomes2016=framework_outcomes["2016"],
        chart=timeline_chart(timeline, OUTCOME_LABELS), timeline=timeline, top_themes=top, **common)
    pages["areas.html"] = render_page("areas.html", title="Areas", section="areas", areas=areas, **common)
    for area in areas:
        insp_ids = {i.node: "inspection-" + (i.start_date or str(n)) for n, i in enumerate(area.inspections)}
        pages[f"{area.slug}.html"] = render_page(
            "area.html", title=area.name, section="areas", area=area, insp_ids=insp_ids,
            picture=area_picture(area, model.kind_words), **common)
    pages["themes.html"] = render_page("themes.html", title="Themes", section="themes", themes=themes, **common)
    definitions = theme_definitions()
    ways = [(k, model.kind_words(k, plural=True)) for k in model.HOW_RAISED]
    for theme in themes:
        page = model.theme_page(theme, areas, definitions.get(theme["code"]))
        pages[f"{theme['slug']}.html"] = render_page("theme.html", title=theme["label"], section="themes", page=page,
                                                     ways=ways, **common)
    rows = model.theme_matrix(areas, themes)
    pages["matrix.html"] = render_page(
        "matrix.html", title="Themes by area", section="matrix", themes=themes, rows=rows, shade=_shade,
        outcome_rank={code: n for n, code in enumerate(OUTCOME_ORDER)}, scripts=("matrix.js",), **common)
    slugs = {a.node: a.slug for a in areas}
    docs = [{"id": str(n), "text": row["text"], "area": row["area_name"], "kind": row["kind"],
             "kind_label": model.kind_words(row["kind"]), "date": row["date"], "themes": row["theme_labels"],
             "outcome": row["outcome"], "outcome_label": row["outcome_label"], "framework": row["framework"],
             "href": f"{slugs[row['area']]}.html#{model.finding_anchor(row['finding'])}" if row["area"] in slugs else None}
            for n, row in enumerate(finding_rows(G))]
    kinds = sorted({(d["kind"], d["kind_label"]) for d in docs}, key=lambda kv: kv[1])
    pages["search.html"] = render_page(
        "search.html", title="Search", section="search", kinds=kinds,
        outcomes=[(c, OUTCOME_LABELS[c]) for c in OUTCOME_ORDER if c in outcomes_found],
        data={"docs": docs}, scripts=("lunr.min.js", "search.js"), **common)
    for view in views if views is not None else site_views(G):
        pages[view.filename] = view.render()
    return pages


def write_site(graph, outdir, views: list[View] | None = None) -> list[Path]:
    """Write every page of the site into ``outdir``; returns the paths written (``index.html`` first).

    Each file is written atomically; pages a previous site in the folder wrote and this one does not
    have (an area no longer in the graph) are removed; other files in the folder are left alone.
    """
    from sendgraph.io import make_folder, write_text_atomic

    outdir = Path(outdir)
    if outdir.exists() and not outdir.is_dir():
        raise UsageError(f"{outdir}: exists and is not a folder")
    pages = site_pages(graph, views)
    names = ["index.html", *sorted(n for n in pages if n != "index.html")]
    try:
        make_folder(outdir)
        previous = _manifest(outdir)
        for name in names[1:]:
            write_text_atomic(outdir / name, pages[name])
        write_text_atomic(outdir / names[0], pages[names[0]])  # last: a site is complete once its home page is
        for stale in sorted(previous - set(names)):
            (outdir / stale).unlink(missing_ok=True)
        write_text_atomic(outdir / MANIFEST, json.dumps(names, indent=0) + "\n")
    except OSError as exc:
        raise GraphError(f"{outdir}: cannot write the site: {exc.strerror or exc}") from exc
    return [outdir / name for name in names]


def _manifest(outdir: Path) -> set:
    try:
        names = json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return set()
    return {n for n in names if isinstance(n, str) and "/" not in n and "\\" not in n and n.endswith(".html")}
