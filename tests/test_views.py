"""The HTML views as text: what render_view embeds, escaping of hostile text, no external resources,
determinism, the site written from data/, and the `view` command. (Real-browser checks: test_browser.py.)"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from support.analytics_graphs import data_dataset, data_view
from click.testing import CliRunner

from sendgraph.site import network_page, pages
from sendgraph.cli import main
from sendgraph.errors import SendgraphError
from sendgraph.site import layout_positions, render_view, site_pages, site_views, truncate_label, write_site
from sendgraph.site.network_page import view_data
from sendgraph.site.style import MAX_LABEL

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
LINK = '<a href="https://evil.example/">click</a>'
BREAKOUT = "</script><!-- <script>alert(2)</script>"
HOSTILE = [SCRIPT, IMG, LINK, BREAKOUT]


# ---------------------------------------------------------------------------------------------
# Helpers: read a page back.
# ---------------------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Tags with their attributes, and the text of each <script> element."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[tuple[dict, str]] = []
        self._in_script: dict | None = None
        self._buf: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script":
            self._in_script, self._buf = attrs, []

    def handle_data(self, data):
        if self._in_script is not None:
            self._buf.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script is not None:
            self.scripts.append((self._in_script, "".join(self._buf)))
            self._in_script = None


def parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    parser.close()
    return parser


def embedded(page: str) -> dict:
    """The nodes, edges and options a page hands to vis-network."""
    blocks = [text for attrs, text in parse(page).scripts if attrs.get("id") == "sendgraph-data"]
    assert len(blocks) == 1
    return json.loads(blocks[0])


def sample_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("area", kind="Area", label="Hartlepool", facts={"ONS code": "E06000001"})
    g.add_node("insp", kind="Inspection", label="Hartlepool 2023-03-13", facts={"outcome": "positive"})
    g.add_node("doc", kind="Document", label="Area SEND inspection of Hartlepool", facts={"file": "hartlepool.txt"})
    g.add_node("p1", kind="Person", label="Alex Thorp", facts={"posts": "HMI (Ofsted)"})
    g.add_node(
        "f1",
        kind="Finding",
        label="Strength: Leaders articulate their vision for children and young people well",
        facts={"kind": "Strength", "evidence": "Leaders articulate their vision well.", "source": "hartlepool.txt"},
    )
    g.add_node("t1", kind="Theme", label="Strategic leadership and governance", facts={"code": "leadership"})
    g.add_edge("insp", "area", key="area", predicate="area", label="area")
    g.add_edge("insp", "p1", key="leadInspector", predicate="leadInspector", label="lead inspector", role="HMI", lead=True)
    g.add_edge("insp", "p1", key="inspector", predicate="inspector", label="inspector")  # a parallel edge
    g.add_edge("doc", "insp", key="reportsOn", predicate="reportsOn", label="reports on")
    g.add_edge("f1", "insp", key="aboutInspection", predicate="aboutInspection", label="finding of")
    g.add_edge("f1", "t1", key="subject", predicate="subject", label="theme")
    g.add_edge("f1", "doc", key="wasDerivedFrom", predicate="wasDerivedFrom", label="source")
    return g


def hostile_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for i, text in enumerate(HOSTILE):
        g.add_node(f"n{i}", kind="Person" if i % 2 else "Finding", label=f"Name {text}",
                   facts={"evidence": f"quote {text}", "source": f"doc {text}.pdf", text: text})
    g.add_node("x", kind=f"Kind {SCRIPT}", label="x")
    g.add_edge("n0", "n1", predicate=SCRIPT, label=f"label {IMG}", role=LINK)
    g.add_edge("n2", "n3", predicate="p", label=BREAKOUT, category=SCRIPT)
    g.add_edge("n3", "x", label="plain")
    return g


# ---------------------------------------------------------------------------------------------
# render_view: what the page holds.
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [sample_graph, lambda: nx.Graph(sample_graph()), lambda: nx.DiGraph(sample_graph()),
                                  lambda: nx.MultiGraph(sample_graph())])
def test_page_holds_exactly_the_nodes_and_edges_of_the_graph(make):
    g = make()
    data = embedded(render_view(g, "Sample"))
    assert len(data["nodes"]) == g.number_of_nodes()
    assert len(data["edges"]) == g.number_of_edges()
    assert len({n["id"] for n in data["nodes"]}) == g.number_of_nodes()
    assert len({e["id"] for e in data["edges"]}) == g.number_of_edges()
    ids = {n["id"] for n in data["nodes"]}
    assert all(e["from"] in ids and e["to"] in ids for e in data["edges"])


def test_empty_and_single_node_graphs_render():
    for g in (nx.Graph(), nx.MultiDiGraph([("a", "a")])):
        data = embedded(render_view(g, "Small"))
        assert len(data["nodes"]) == g.number_of_nodes() and len(data["edges"]) == g.number_of_edges()


def test_nodes_are_styled_by_class_sized_by_degree_and_placed():
    g = sample_graph()
    data = embedded(render_view(g, "Sample"))
    by_label = {n["title"].split("\n")[0]: n for n in data["nodes"]}
    area, finding, insp = by_label["Hartlepool"], by_label[g.nodes["f1"]["label"]], by_label["Hartlepool 2023-03-13"]
    assert area["shape"] == "hexagon" and insp["shape"] == "diamond" and finding["shape"] == "dot"
    assert len({area["color"], insp["color"], finding["color"]}) == 3
    assert insp["size"] > area["size"]  # the inspection has 5 links, the area 1
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False  # laid out here: usable at once


def test_labels_fit_and_the_full_text_is_in_the_tooltip():
    g = sample_graph()
    data = embedded(render_view(g, "Sample"))
    long_label = g.nodes["f1"]["label"]
    node = next(n for n in data["nodes"] if n["title"].startswith(long_label))
    assert len(node["label"]) <= MAX_LABEL and node["label"].endswith("\u2026")
    assert long_label.startswith(node["label"][:-1])
    assert truncate_label("short") == "short"
    assert truncate_label("word " * 30).endswith("\u2026") and len(truncate_label("word " * 30)) <= MAX_LABEL
    assert truncate_label("two\n lines\tjoined") == "two lines joined"


def test_finding_tooltip_has_its_facts_evidence_quote_and_source():
    data = embedded(render_view(sample_graph(), "Sample"))
    finding = next(n for n in data["nodes"] if n["title"].startswith("Strength:"))
    title = finding["title"]
    assert "\u201cLeaders articulate their vision well.\u201d" in title
    assert "source: hartlepool.txt" in title
    assert "[Finding]" in title
    edge = next(e for e in data["edges"] if "lead inspector" in e["title"])
    assert "role: HMI" in edge["title"] and "lead: yes" in edge["title"]


def test_legend_names_each_class_present_with_its_count():
    page = render_view(sample_graph(), "Sample")
    legend = page[page.index('<aside id="legend"'):page.index("</aside>")]
    for name in ("Local area", "Inspection", "Document", "Person", "Finding", "Theme"):
        assert f"<span>{name}</span> <span class=\"count\">(1)</span>" in legend
    g = nx.Graph()
    g.add_edge("a", "t", category="strength")
    g.add_edge("b", "t", category="weakness")
    legend = render_view(g, "Themes")
    assert "More strengths than weaknesses" in legend and "More weaknesses than strengths" in legend


# ---------------------------------------------------------------------------------------------
# Safety: document text is data, never markup.
# ---------------------------------------------------------------------------------------------


def test_hostile_text_is_escaped_everywhere_in_the_page():
    g = hostile_graph()
    page = render_view(g, f"Title {SCRIPT}", f"About {IMG} {LINK}")
    parsed = parse(page)
    low = page.replace(network_page._vis_assets()[0], "").lower()  # vis-network's own code holds the text "<script>"
    # The only elements are the page's own: no injected <img>, <a href=...> to the evil host, or scripts.
    assert "<img" not in low
    assert "evil.example/\">" not in low
    assert [t for t, _ in parsed.tags].count("script") == 3
    assert low.count("<script") == 3 and low.count("</script") == 3
    assert "<!--" not in page
    assert not any("onerror" in attrs for _, attrs in parsed.tags)
    assert f"<title>Title {SCRIPT.replace('<', '&lt;').replace('>', '&gt;')}</title>" in page
    # ... and every hostile string comes back intact from the data the page hands to vis-network.
    data = embedded(page)
    titles = [n["title"] for n in data["nodes"]] + [e["title"] for e in data["edges"]]
    for text in HOSTILE:
        assert any(text in n["title"] for n in data["nodes"]), text
        assert any(f"{text}: {text}" in t for t in titles), text  # a fact's name and value
    assert any(f"label {IMG}" in t for t in titles) and any(f"role: {LINK}" in t for t in titles)
    assert all(n["label"].startswith("Name ") for n in data["nodes"] if n["title"].startswith("Name "))


def test_embedded_json_escapes_closing_tags_and_comments():
    g = nx.Graph()
    g.add_node("a", label="</script><!--\u2028\u2029&")
    page = render_view(g, "t")
    block = page[page.index('id="sendgraph-data">'):]
    block = block[: block.index("</script>")]
    assert "</" not in block and "<!--" not in block and "\u2028" not in block
    assert embedded(page)["nodes"][0]["title"].startswith("</script><!-- &")


def test_tooltips_are_plain_text_and_never_use_pyvis_html_mode():
    g = sample_graph()
    g.nodes["f1"]["facts"]["link"] = '<a href="https://example.org">href</a>'  # pyvis would switch to innerHTML
    page = render_view(g, "Sample")
    assert "innerHTML" not in network_page._INIT_JS
    assert "div.popup" not in page and "tooltip_link" not in page
    node = next(n for n in embedded(page)["nodes"] if n["title"].startswith("Strength:"))
    assert isinstance(node["title"], str)  # vis-network shows string titles with innerText
    assert "link: <a href=\"https://example.org\">href</a>" in node["title"]


def _csp(page: str) -> str:
    metas = [a for t, a in parse(page).tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert len(metas) == 1
    return metas[0]["content"]


def test_content_security_policy_forbids_requests_and_foreign_scripts():
    page = render_view(hostile_graph(), "t")
    csp = _csp(page)
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "unsafe-eval" not in csp
    # Each executable inline script is allowed by its hash; the JSON block is not executable.
    for attrs, text in parse(page).scripts:
        if attrs.get("type") == "application/json":
            continue
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp
    assert page.index("Content-Security-Policy") < page.lower().index("<script")


# ---------------------------------------------------------------------------------------------
# Offline: nothing is fetched from anywhere.
# ---------------------------------------------------------------------------------------------


def _external_references(page: str) -> list:
    found = []
    for tag, attrs in parse(page).tags:
        for name in ("src", "href", "data", "srcset", "action", "poster"):
            value = attrs.get(name)
            if value is None:
                continue
            if tag != "a" or re.match(r"^[a-z][a-z0-9+.-]*:|^//", value, re.I):
                found.append((tag, name, value))
    return found


def test_pages_reference_no_external_script_stylesheet_or_image():
    page = render_view(sample_graph(), "Sample")
    assert _external_references(page) == []
    tags = [t for t, _ in parse(page).tags]
    assert "link" not in tags and "iframe" not in tags and "img" not in tags
    assert not re.search(r"<(script|link|img)[^>]+(src|href)\s*=", page, re.I)
    assert "bootstrap" not in page.lower() and "cdnjs" not in page and "jsdelivr" not in page
    assert not re.search(r"@import|url\(\s*['\"]?(https?:)?//", page, re.I)
    # vis-network is inlined whole (the copy that ships inside pyvis).
    js, css = network_page._vis_assets()
    assert js in page and css in page and "vis-network" in js[:200]
    index = site_pages(data_view())["index.html"]
    assert _external_references(index) == [] and "<script" not in index


# ---------------------------------------------------------------------------------------------
# Determinism and layout.
# ---------------------------------------------------------------------------------------------


def test_output_is_deterministic_whatever_the_insertion_order():
    g = sample_graph()
    first = render_view(g, "Sample")
    assert render_view(g, "Sample") == first
    reordered = nx.MultiDiGraph()
    reordered.add_nodes_from(reversed(list(g.nodes(data=True))))
    reordered.add_edges_from(reversed(list(g.edges(keys=True, data=True))))
    assert render_view(reordered, "Sample") == first


_RENDER_IN_A_CHILD = """
import hashlib, networkx as nx
from sendgraph.site import layout_positions, render_view
g = nx.barabasi_albert_graph(700, 2, seed=3)
g = nx.relabel_nodes(g, {v: f"node-{v}" for v in g})
for v in g: g.nodes[v].update(kind=("Finding", "Area", "Theme")[int(v[5:]) % 3], label=v, facts={"n": {v, v + "x"}})
print(hashlib.sha256(render_view(g, "t").encode()).hexdigest())
"""


def test_output_is_the_same_in_every_process():
    """String hashing is randomised per process; the page (layout included, over 400 nodes) is not."""
    digests = set()
    for seed in ("1", "2", "3"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        out = subprocess.run([sys.executable, "-c", _RENDER_IN_A_CHILD], env=env, capture_output=True, text=True, check=True)
        digests.add(out.stdout.strip())
    assert len(digests) == 1


def test_layout_places_every_node_apart_and_keeps_given_positions():
    g = nx.disjoint_union(nx.path_graph(30), nx.star_graph(12))
    g.add_node("alone")
    pos = layout_positions(g)
    assert set(pos) == set(g.nodes)
    points = {(round(x), round(y)) for x, y in pos.values()}
    assert len(points) == len(pos)
    fixed = nx.Graph()
    fixed.add_node("a", x=1.5, y=-2.0)
    fixed.add_node("b", x=10, y=20)
    assert layout_positions(fixed) == {"a": (1.5, -2.0), "b": (10.0, 20.0)}


def test_a_graph_of_20000_nodes_renders_quickly_with_physics_off():
    """pyvis's add_edge takes ~57 s here; filling the lists directly and laying out with NetworkX does not."""
    g = nx.MultiDiGraph(nx.barabasi_albert_graph(20000, 1, seed=1))
    for v in g:
        g.nodes[v].update(kind="Finding" if v % 5 else "Inspection", label=f"node {v}")
    start = time.perf_counter()
    page = render_view(g, "big")
    elapsed = time.perf_counter() - start
    data = embedded(page)
    assert len(data["nodes"]) == 20000 and len(data["edges"]) == g.number_of_edges()
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["edges"]["smooth"] is False  # straight edges draw fast
    assert elapsed < 30, f"rendering 20,000 nodes took {elapsed:.1f} s"


# ---------------------------------------------------------------------------------------------
# The site of data/.
# ---------------------------------------------------------------------------------------------


def test_site_views_of_data():
    found = site_views(data_view())
    assert [v.slug for v in found] == ["inspectors", "areas-by-shared-inspectors"]
    kinds = {k for _, k in found[0].graph.nodes(data="kind")}
    assert kinds == {"inspector", "inspection", "area"}  # team members, their inspections and the areas
    shared = found[1].graph
    assert {k for _, k in shared.nodes(data="kind")} == {"area"}
    assert all(d["category"] == "shared" for *_ab, d in shared.edges(data=True))


def test_write_site_of_data(tmp_path):
    out = tmp_path / "site"
    found = site_views(data_dataset())
    paths = write_site(data_dataset(), out, views=found)
    assert paths[0] == out / "index.html"
    # no temporary files left; the list of the pages written is kept for the next site
    assert sorted(p.name for p in out.iterdir()) == sorted([p.name for p in paths] + [pages.MANIFEST])
    index = paths[0].read_text(encoding="utf-8")
    for view in found:
        assert f'href="{view.filename}"' in index
        page = (out / view.filename).read_text(encoding="utf-8")
        data = embedded(page)
        assert len(data["nodes"]) == view.graph.number_of_nodes()
        assert len(data["edges"]) == view.graph.number_of_edges()
        assert _external_references(page) == []
        assert 'href="index.html"' in page
    # Rewriting gives identical files.
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    write_site(data_dataset(), out)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_write_site_refuses_a_file_as_folder(tmp_path):
    target = tmp_path / "file"
    target.write_text("x")
    with pytest.raises(SendgraphError):
        write_site(data_view(), target, views=[])


def test_slugs_are_safe_file_names():
    taken = {"index"}
    assert pages.slugify(f"area {SCRIPT}", taken) == "area-script-alert-1-script"
    assert pages.slugify("../../etc/passwd", taken) == "etc-passwd"
    assert pages.slugify("Index", taken) == "index-2"
    assert pages.slugify("Ynys Môn", taken) == "ynys-mon"
    assert pages.slugify("", taken) == "view"


# ---------------------------------------------------------------------------------------------
# The `view` command.
# ---------------------------------------------------------------------------------------------


def test_view_command_writes_the_site(tmp_path, monkeypatch):
    graph_file = tmp_path / "g.ttl"
    graph_file.write_text(data_dataset().serialize(format="trig"), encoding="utf-8")
    graph_file = graph_file.rename(tmp_path / "g.trig")
    opened = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    runner = CliRunner()
    result = runner.invoke(main, ["view", "-g", str(graph_file), "-o", str(tmp_path / "out"), "--open"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "index.html").is_file()
    assert (tmp_path / "out" / "area-hartlepool.html").is_file()
    assert opened == [(tmp_path / "out" / "index.html").resolve().as_uri()]
    assert f"wrote {len(site_pages(data_view()))} pages" in result.output


def test_view_command_errors(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["view", "-g", str(tmp_path / "missing.ttl"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "missing.ttl" in result.output
    assert not (tmp_path / "out").exists()
    graph_file = tmp_path / "g.trig"
    graph_file.write_text(data_dataset().serialize(format="trig"), encoding="utf-8")
    (tmp_path / "afile").write_text("x")
    result = runner.invoke(main, ["view", "-g", str(graph_file), "-o", str(tmp_path / "afile")])
    assert result.exit_code == 2


def test_view_command_default_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("sendgraph.ttl").write_text(data_dataset().serialize(format="turtle"), encoding="utf-8")
    result = CliRunner().invoke(main, ["view"])
    assert result.exit_code == 0, result.output
    assert Path("site/index.html").is_file() and Path("site/area-hartlepool.html").is_file()
    assert view_data(nx.Graph())["nodes"] == []


def test_sizes_say_one_link_not_one_links():
    """Regression: a view of two areas sharing one inspector was listed as "(2 nodes, 1 links)"."""
    g = nx.Graph()
    g.add_node("a", kind="Area", label="Hartlepool")
    g.add_node("b", kind="Area", label="Middlesbrough")
    g.add_edge("a", "b", label="1 shared inspector")
    page = render_view(g, "Pair")
    assert re.search(r"2 nodes, 1 link(?!s)", page) and "1 links" not in page
    assert "6 nodes, 7 links" in render_view(sample_graph(), "Sample")
