"""The written views in a real browser: Debian's Chromium, headless, driven by Playwright, offline.

Every request is routed through tests/support/browser.py, which records it and blocks everything but the
page's own file. Each view must draw exactly its graph's nodes and edges on a canvas, with no
console error and no attempt to reach any host; hostile document text must run nothing when every
node is hovered. Without Chromium these tests FAIL and say how to install it (`make test` does).

Set SENDGRAPH_SCREENSHOTS=DIR to keep a screenshot of every page opened.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import networkx as nx
import pytest
from support.analytics_graphs import corpus_view, data_view
from support.browser import JS_COUNTS, JS_PAINTED, hover_node
from support.browser import keep_screenshot as _screenshot

from sendgraph.read.extract import extract_paths
from sendgraph.graph.build import build_graph
from sendgraph.analysis.network import to_networkx
from sendgraph.site import View, render_view, site_views, truncate_label, write_site

DATA = Path(__file__).resolve().parent.parent / "data"
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = '<a href="https://evil.example/">a link</a>'


def _data_block(path: Path) -> str:
    text = path.read_text(encoding="utf-8")
    start = text.index('id="sendgraph-data">') + len('id="sendgraph-data">')
    return text[start:text.index("</script>", start)]


def check_view(browser, path: Path, graph, name: str, max_seconds: float = 20.0) -> dict:
    """Open one written view and assert it shows exactly ``graph``, drawn, offline and error-free."""
    start = time.perf_counter()
    visit = browser.open(path)
    seconds = time.perf_counter() - start
    try:
        counts = visit.page.evaluate(JS_COUNTS)
        painted = visit.page.evaluate(JS_PAINTED)
        _screenshot(visit, name)
        n, m = graph.number_of_nodes(), graph.number_of_edges()
        assert counts == {"nodes": n, "edges": m, "nodeIndices": n, "edgeIndices": m, "dataNodes": n, "dataEdges": m}, name
        assert painted["width"] > 300 and painted["height"] > 300, (name, painted)
        assert painted["painted"] > 500 if n else True, (name, painted)
        assert visit.problems() == {k: [] for k in visit.problems()}, name
        assert visit.requests == [("GET", visit.url)], name  # the page itself, nothing else
        assert seconds < max_seconds, f"{name} took {seconds:.1f} s to draw"
        return {"seconds": seconds, **counts}
    finally:
        visit.page.close()


# ---------------------------------------------------------------------------------------------
# The harness itself catches requests (so "no requests" below means something).
# ---------------------------------------------------------------------------------------------


def test_harness_blocks_and_records_every_request(browser, tmp_path):
    page = tmp_path / "leaky.html"
    page.write_text(
        "<!DOCTYPE html><html><head>"
        '<link rel="stylesheet" href="https://cdn.example.org/style.css">'
        '<script src="https://cdn.example.org/lib.js"></script>'
        "</head><body><img src=\"http://images.example.org/x.png\">"
        '<img src="sibling.png">'
        "<script>fetch('https://api.example.org/data').catch(function () {});</script>"
        "</body></html>",
        encoding="utf-8",
    )
    visit = browser.open(page, wait_for=None)
    visit.page.wait_for_timeout(500)
    urls = {url for _method, url in visit.external_requests}
    assert {"https://cdn.example.org/style.css", "https://cdn.example.org/lib.js",
            "http://images.example.org/x.png", "https://api.example.org/data"} <= urls
    assert (tmp_path / "sibling.png").as_uri() in urls  # even local files other than the page
    assert visit.page.evaluate("() => Array.from(document.images).every(i => i.naturalWidth === 0)")
    visit.page.close()


# ---------------------------------------------------------------------------------------------
# The site of data/.
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site-data")
    found = site_views(data_view())
    write_site(data_view(), out, views=found)
    return out, found


def test_every_view_of_data_draws_exactly_its_graph_offline(browser, data_site):
    out, found = data_site
    assert [v.slug for v in found] == ["inspectors", "areas-by-shared-inspectors"]
    for view in found:
        check_view(browser, out / view.filename, view.graph, f"data-{view.slug}")


def test_index_links_to_every_view_and_loads_nothing(browser, data_site):
    out, found = data_site
    visit = browser.open(out / "index.html", wait_for=None)
    _screenshot(visit, "data-index")
    links = visit.page.evaluate("() => Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href'))")
    assert {v.filename for v in found} <= set(links)
    assert all((out / link.split("#")[0]).is_file() for link in links if not link.startswith("#"))
    assert visit.page.evaluate("() => document.scripts.length") == 0
    assert visit.problems() == {k: [] for k in visit.problems()}
    assert visit.requests == [("GET", visit.url)]
    visit.page.close()


def test_node_tooltip_click_details_and_find(browser, data_site):
    out, found = data_site
    # Hartlepool's whole network, drawn by the views' renderer (the site's area pages draw it as SVG).
    from sendgraph.analysis.network import area_subgraph

    view = View("hartlepool-network", "Hartlepool", "", area_subgraph(data_view(), "Hartlepool"))
    (out / view.filename).write_text(view.render(), encoding="utf-8")
    visit = browser.open(out / view.filename)
    page = visit.page
    nodes = page.evaluate("() => window.sendgraph.nodes.get().map(n => ({id: n.id, title: n.title}))")
    finding = next(n for n in nodes if n["title"].startswith("Weakness:"))
    hub_fonts = "() => window.sendgraph.nodes.get().filter(n => n.hub).map(n => n.font.size)"
    base = [n["font"]["size"] for n in json.loads(_data_block(out / view.filename))["nodes"] if n.get("hub")]
    assert base and page.evaluate("() => window.network.getScale()") < 1
    # Zoomed out to fit, the main labels are enlarged to stay legible on screen...
    assert all(now > was for now, was in zip(page.evaluate(hub_fonts), base))
    shown = hover_node(visit, finding["id"])  # (zooms in to scale 1.5)
    # ... and back to their own size once zoomed in.
    assert page.evaluate(hub_fonts) == base
    assert shown is not None and shown.startswith("Weakness:") and "Evidence:" in shown and "source: " in shown
    # A click pins the same text in the details panel.
    point = page.evaluate(
        "(id) => { const p = window.network.canvasToDOM(window.network.getPositions([id])[id]);"
        " const b = document.getElementById('network').getBoundingClientRect(); return {x: b.left + p.x, y: b.top + p.y}; }",
        finding["id"],
    )
    page.mouse.click(point["x"], point["y"])
    assert page.evaluate("() => document.getElementById('details').hidden") is False
    assert page.evaluate("() => document.getElementById('details-text').textContent") == finding["title"]
    # Find selects the matching nodes.
    page.fill("#find-text", "hartlepool 2023")
    page.click("#find button")
    assert page.evaluate("() => window.network.getSelectedNodes().length") >= 1
    assert "match" in page.evaluate("() => document.getElementById('find-status').textContent")
    assert visit.problems() == {k: [] for k in visit.problems()}
    page.close()


# ---------------------------------------------------------------------------------------------
# Hostile text: a report whose inspectors, partners and findings carry markup.
# ---------------------------------------------------------------------------------------------


def hostile_records(folder: Path) -> list:
    """The real Hartlepool 2023 report with markup written into its team, partnership and findings."""
    text = (DATA / "hartlepool-2023-area-send-inspection.txt").read_text(encoding="utf-8")
    edits = {
        "Alex Thorp, Ofsted HMI Lead Inspector": f"Alex Thorp, Ofsted HMI Lead Inspector {SCRIPT}",
        "Patricia Head, Ofsted Inspector": f"Patricia Head, Ofsted Inspector {IMG}",
        "- Leaders, across education, health and social care, articulate":
            f"- Leaders {SCRIPT} and {IMG} and {LINK}, across education, health and social care, articulate",
        "- Leaders do not have an accurate enough oversight": f"- Leaders {IMG} do not have an accurate enough oversight",
        "Hartlepool Borough Council\tNorth East and North Cumbria": f"Hartlepool Borough Council\tNorth East and North Cumbria {SCRIPT}",
        "Sally Robinson, Director, Children's": f"Sally Robinson, Director {IMG}, Children's",
    }
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new)
    (folder / "hostile-2023-area-send-inspection.txt").write_text(text, encoding="utf-8")
    result = extract_paths([folder])
    assert not result.errors and len(result.records) == 1
    record = result.records[0]
    # The extractor keeps only name-shaped inspector names, so markup in a name is put into the
    # record as a lenient parser would leave it: the graph keeps it as a printed form of the name.
    knight = next(i for i in record["inspectors"] if i["name"] == "Julie Knight")
    knight["name"] = f"Julie {SCRIPT} Knight"
    mcgeary = next(i for i in record["inspectors"] if i["name"] == "Lyndsey McGeary")
    mcgeary["name"] = f"Lyndsey {IMG} McGeary"
    return result.records


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile-docs")
    graph = to_networkx(build_graph(hostile_records(folder)))
    out = tmp_path_factory.mktemp("site-hostile")
    found = site_views(graph)
    write_site(graph, out, views=found)
    # The whole graph drawn by the views' renderer: every node, findings included, can be hovered.
    whole = View("whole-graph", "The whole graph", "Every resource.", graph)
    (out / whole.filename).write_text(whole.render(), encoding="utf-8")
    return out, [*found, whole], graph


JS_INJECTED = """() => ({
  images: document.images.length,
  scripts: document.scripts.length,
  links: Array.from(document.querySelectorAll('a')).map(a => a.getAttribute('href')),
  handlers: document.querySelectorAll('[onerror], [onload], [onclick]').length,
  tooltipElements: Array.from(document.querySelectorAll('div.vis-tooltip *')).filter(e => e.tagName !== 'BR').length,
  detailsElements: document.querySelectorAll('#details-text *').length,
})"""


def test_hostile_text_shows_as_text_and_runs_nothing_when_every_node_is_hovered(browser, hostile_site):
    out, found, graph = hostile_site
    texts = [f"{d['label']} {d.get('facts')}" for _, d in graph.nodes(data=True)]
    for marker in (SCRIPT, IMG, LINK):  # the hostile text did reach the graph
        assert any(marker in t for t in texts), marker
    for view in found:
        check_view(browser, out / view.filename, view.graph, f"hostile-{view.slug}")
    whole = next(v for v in found if v.slug == "whole-graph")
    assert whole.graph.number_of_nodes() == graph.number_of_nodes()  # small: nothing grouped away
    visit = browser.open(out / whole.filename)
    page = visit.page
    nodes = page.evaluate("() => window.sendgraph.nodes.get().map(n => ({id: n.id, title: n.title, label: n.label}))")
    assert len(nodes) == graph.number_of_nodes()
    shown = {}
    for node in nodes:  # hover every node of the graph
        shown[node["id"]] = hover_node(visit, node["id"])
    hostile = [n for n in nodes if any(m in n["title"] for m in (SCRIPT, IMG, LINK))]
    assert len(hostile) >= 6  # findings, an ICB, inspectors and a council officer
    for node in hostile:  # their tooltips show the markup literally
        assert shown[node["id"]] is not None, node["title"]
        assert shown[node["id"]].strip() == node["title"].strip()
    assert sum(1 for n in hostile if SCRIPT in (shown[n["id"]] or "")) >= 3
    assert sum(1 for n in hostile if IMG in (shown[n["id"]] or "")) >= 3
    assert any(LINK in (shown[n["id"]] or "") for n in hostile)
    # Every node can be hovered (none hidden under another) and shows its own tooltip.
    wrong = [n["title"][:60] for n in nodes if (shown[n["id"]] or "").strip() != n["title"].strip()]
    assert wrong == []
    # Click a hostile node and search for markup: still text.
    target = next(n for n in hostile if SCRIPT in n["title"] and n["title"].startswith("Strength"))
    point = page.evaluate(
        "(id) => { const n = window.network; n.moveTo({position: n.getPositions([id])[id], scale: 1.5, animation: false});"
        " const p = n.canvasToDOM(n.getPositions([id])[id]); const b = document.getElementById('network').getBoundingClientRect();"
        " return {x: b.left + p.x, y: b.top + p.y}; }",
        target["id"],
    )
    page.mouse.click(point["x"], point["y"])
    assert page.evaluate("() => document.getElementById('details-text').textContent") == target["title"]
    page.fill("#find-text", SCRIPT)
    page.click("#find button")
    assert page.evaluate("() => window.network.getSelectedNodes().length") >= 3
    injected = page.evaluate(JS_INJECTED)
    assert injected == {"images": 0, "scripts": 3, "links": ["index.html", "search.html"], "handlers": 0, "tooltipElements": 0,
                        "detailsElements": 0}
    assert visit.dialogs == []
    assert visit.problems() == {k: [] for k in visit.problems()}
    assert visit.requests == [("GET", visit.url)]
    # Labels drawn on the canvas are the text itself (cut to fit).
    assert all(n["label"] == truncate_label(n["title"].split("\n")[0]) for n in nodes)
    assert any(n["label"].startswith("Weakness: Leaders <img src=x") for n in nodes)
    page.close()


def test_hostile_nodes_hovered_on_every_page(browser, hostile_site):
    out, found, _graph = hostile_site
    for view in found:
        if view.slug == "whole-graph":
            continue
        visit = browser.open(out / view.filename)
        nodes = visit.page.evaluate("() => window.sendgraph.nodes.get().map(n => ({id: n.id, title: n.title}))")
        for node in nodes:
            if any(m in node["title"] for m in (SCRIPT, IMG, LINK)):
                assert (hover_node(visit, node["id"]) or "").strip() == node["title"].strip(), (view.slug, node["title"])
        assert visit.page.evaluate(JS_INJECTED)["images"] == 0
        assert visit.problems() == {k: [] for k in visit.problems()}, view.slug
        visit.page.close()


# ---------------------------------------------------------------------------------------------
# Large graphs: the corpus, and a synthetic graph of thousands of nodes.
# ---------------------------------------------------------------------------------------------


def test_corpus_views_are_usable_at_once(browser, tmp_path):
    graph = corpus_view()
    found = site_views(graph)
    write_site(graph, tmp_path, views=found)
    timings = {}
    for view in found:
        timings[view.slug] = check_view(browser, tmp_path / view.filename, view.graph, f"corpus-{view.slug}",
                                        max_seconds=15.0)["seconds"]
    assert len(found) == 2


def test_thousands_of_nodes_draw_quickly(browser, tmp_path):
    g = nx.MultiDiGraph(nx.barabasi_albert_graph(5000, 2, seed=5))
    for v in g:
        g.nodes[v].update(kind=("Finding", "Theme", "Inspection", "Area")[v % 4], label=f"node {v}", facts={"n": v})
    path = tmp_path / "big.html"
    path.write_text(render_view(g, "5,000 nodes"), encoding="utf-8")
    stats = check_view(browser, path, g, "synthetic-5000", max_seconds=20.0)
    assert stats["nodes"] == 5000
