"""The site's pages as text: the hex layout, the model of areas and themes, the national figures, and the pages written from the templates (data/ and the real corpus)."""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser

import pytest
from support.analytics_graphs import corpus_records, corpus_view, data_view

from sendgraph import gazetteer
from sendgraph.site import model, pages, site_pages, write_site
from sendgraph.site.charts import timeline_chart
from sendgraph.site.hexmap import hexes

SCRIPT = "<script>alert(1)</script>"


class _Text(HTMLParser):
    """The text a reader sees (scripts and styles left out), whitespace collapsed."""

    def __init__(self):
        super().__init__()
        self.parts, self.skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def text_of(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return words(" ".join(parser.parts))


def words(text: str) -> str:
    """Text with its whitespace collapsed, typographic quotes made plain (one report read from its PDF
    and its text file is one finding in the graph, quoted from either) and bullets left out (the
    pages show a finding's sub-bullets as a list)."""
    text = (text or "").translate(str.maketrans("\u2018\u2019\u201c\u201d\u2022", "''\"\" "))
    return " ".join(text.split())


@pytest.fixture(scope="module")
def corpus_pages():
    return site_pages(corpus_view())


# ---------------------------------------------------------------------------------------------
# The hex layout
# ---------------------------------------------------------------------------------------------


def test_the_hex_map_has_every_current_upper_tier_authority_once():
    cells, width, height = hexes()
    codes = [h.code for h in cells]
    current = {a.gss_code for a in gazetteer.authorities() if a.gss_code}
    assert len(codes) == len(set(codes)) == 153 and set(codes) == current
    assert len({(h.x, h.y) for h in cells}) == 153  # one authority per cell
    assert width > 300 and height > 300
    # The reorganised authorities are there, with their current codes; the old counties are not.
    for code in ("E06000060", "E06000061", "E06000062", "E06000063", "E06000064", "E06000065", "E06000066",
                 "E08000038", "E08000039"):
        assert code in codes, code
    for old in ("E10000002", "E10000006", "E10000021", "E10000023", "E10000027", "E08000016", "E08000019"):
        assert old not in codes
    by_name = {h.name: h for h in cells}
    # A split authority's second successor sits beside its sibling.
    for a, b in (("Cumberland", "Westmorland and Furness"), ("North Northamptonshire", "West Northamptonshire")):
        distance = ((by_name[a].x - by_name[b].x) ** 2 + (by_name[a].y - by_name[b].y) ** 2) ** 0.5
        assert distance < 30, (a, b, distance)


def test_the_hex_layout_keeps_its_licence_notice():
    from importlib import resources

    notice = (resources.files("sendgraph.data") / "LICENSE-hexmaps").read_text(encoding="utf-8")
    assert "Open Innovations" in notice and "MIT" in notice
    layout = json.loads((resources.files("sendgraph.data") / "hexmap-la.json").read_text(encoding="utf-8"))
    assert "MIT" in layout["source"]


# ---------------------------------------------------------------------------------------------
# Dates and durations in words
# ---------------------------------------------------------------------------------------------


def test_dates_and_durations_in_words():
    assert model.add_duration("2023-03-17", "P5Y") == "2028-03-17"
    assert model.add_duration("2023-03-17", "P18M") == "2024-09-17"
    assert model.add_duration("2024-02-29", "P1Y") == "2025-02-28"  # no 29 February: the month's last day
    assert model.add_duration("2023-01-31", "P1M") == "2023-02-28"
    assert model.add_duration(None, "P5Y") is None and model.add_duration("2023-03-17", "soon") is None
    assert model.duration_words("P3Y") == "within 3 years"
    assert model.duration_words("P18M") == "within 18 months"
    assert model.duration_words("P1Y") == "within 1 year"
    assert model.date_words("2023-03-07") == "7 March 2023"
    assert model.dates_words("2023-03-13", "2023-03-17") == "13 to 17 March 2023"
    assert model.dates_words("2023-02-27", "2023-03-03") == "27 February to 3 March 2023"
    assert model.dates_words("2022-12-12", "2023-01-06") == "12 December 2022 to 6 January 2023"


# ---------------------------------------------------------------------------------------------
# The model of areas, against the extraction records
# ---------------------------------------------------------------------------------------------


def test_areas_of_data():
    areas = {a.name: a for a in model.build_areas(data_view())}
    assert sorted(areas) == ["Hartlepool", "Middlesbrough", "Stockton-on-Tees"]
    hartlepool = areas["Hartlepool"]
    assert hartlepool.slug == "area-hartlepool" and hartlepool.gss_code == "E06000001" and hartlepool.la_code == "805"
    latest = hartlepool.latest
    assert latest.outcome == "positive" and latest.type == "AreaSendInspection"
    assert (latest.start_date, latest.end_date) == ("2023-03-13", "2023-03-17")
    assert latest.next_due == "2028-03-17" and latest.next_full_within == "within 5 years"
    assert latest.previous == "3 to 7 October 2016 (joint local area SEND inspection, written statement of action required)"
    assert len(latest.findings["improvement"]) == 3 and "priority_action" not in latest.findings
    assert {t["name"] for t in latest.team if t["lead"]} == {"Alex Thorp", "Lyndsey McGeary"}
    kinds = {o["kind"] for o in hartlepool.organisations}
    assert {"local_authority", "icb"} <= kinds
    council = next(o for o in hartlepool.organisations if o["kind"] == "local_authority")
    assert council["name"] == "Hartlepool Borough Council"
    assert any(p["name"] == "Sally Robinson" for p in council["leaders"])
    # Every strength and weakness is under exactly one theme heading.
    judged = [f for k in ("strength", "weakness") for f in latest.findings.get(k, ())]
    grouped = [f for _, _, sides in latest.by_theme for side in sides.values() for f in side]
    assert sorted(f.id for f in grouped) == sorted(f.id for f in judged)
    # The history names what recurs since the 2016 letter.
    assert any("recur" in s and "2016" in s for s in hartlepool.history)
    # Statistical neighbours: Middlesbrough is in the graph (linked), the others are named.
    neighbours = {n["name"]: n for n in hartlepool.neighbours}
    assert len(neighbours) == 10
    assert neighbours["Middlesbrough"]["slug"] == "area-middlesbrough" and neighbours["Middlesbrough"]["outcome"] == "positive"
    assert neighbours["Sunderland"]["slug"] is None


def test_an_inspection_only_mentioned_is_listed_with_its_kind_not_stated():
    middlesbrough = next(a for a in model.build_areas(data_view()) if a.name == "Middlesbrough")
    mentioned = [i for i in middlesbrough.inspections if i.only_mentioned]
    assert mentioned and all(i.type_words == "Inspection (kind not stated)" or i.type != "AreaSendInspection" for i in mentioned)
    assert middlesbrough.latest.start_date == "2023-10-09"
    # the 2023 report gives only the previous inspection's dates; the council report says it was a revisit
    assert middlesbrough.latest.previous == "8 to 10 July 2019 (revisit, sufficient progress)"


def test_a_previous_inspection_no_document_describes_says_its_kind_is_not_stated():
    areas = model.build_areas(corpus_view())
    said = [i.previous for a in areas for i in a.inspections if i.previous]
    assert any(p.endswith("(kind not stated)") for p in said)
    assert all(p.endswith(")") for p in said)


def test_the_corpus_areas_match_their_reports():
    areas = {a.name: a for a in model.build_areas(corpus_view())}
    reports = [r for r in corpus_records() if r["document_type"] == "area_send_inspection_2023"]
    assert len(reports) >= 29
    for record in reports:
        area = next(a for a in areas.values() if a.gss_code == record["gss_code"])
        inspection = next(i for i in area.inspections if i.start_date == record["inspection"]["start_date"])
        assert inspection.outcome == record["inspection"]["outcome"], record["source"]
        for kind in ("priority_action", "improvement", "strength", "weakness"):
            expected = Counter(words(f["text"]) for f in record["findings"] if f["kind"] == kind)
            found = Counter(words(f.text) for f in inspection.findings.get(kind, ()))
            assert found == expected, (record["source"], kind)
        within = record["inspection"].get("next_full_within")
        if within:
            assert inspection.next_due == model.add_duration(record["inspection"]["end_date"], within)


def test_national_figures_of_the_corpus():
    areas = model.build_areas(corpus_view())
    table = model.region_table(areas)
    latest_2023 = {}
    for record in corpus_records():
        if record["document_type"] == "area_send_inspection_2023" and record["inspection"]["outcome"]:
            key = record["gss_code"]
            if key not in latest_2023 or record["inspection"]["start_date"] > latest_2023[key][0]:
                latest_2023[key] = (record["inspection"]["start_date"], record["inspection"]["outcome"])
    assert table["totals"]["2023"]["inspected"] == len(latest_2023)
    assert {k: v for k, v in table["totals"]["2023"].items() if k != "inspected"} == dict(Counter(o for _, o in latest_2023.values()))
    assert sum(r["2023"].get("inspected", 0) for r in table["rows"]) == len(latest_2023)
    timeline = model.timeline(areas)
    judged = sum(1 for a in areas for i in a.inspections if i.outcome and not i.only_mentioned)
    assert sum(sum(c.values()) for _, c in timeline) == judged
    chart = timeline_chart(timeline, {})
    assert sum(b["count"] for b in chart["bars"]) == judged
    assert all(0 <= b["y"] and b["y"] + b["h"] <= chart["base"] + 0.2 for b in chart["bars"])
    legend = model.outcome_legend(areas)
    assert sum(n for *_x, n in legend) == sum(1 for a in areas if a.latest)


def test_theme_counts_count_each_area_once_per_way():
    G = corpus_view()
    rows = {t["code"]: t for t in model.theme_counts(G)}
    assert len(rows) == 20
    areas = model.build_areas(G)
    waiting = rows["waiting-times"]
    expected = {a.name for a in areas for i in a.inspections for f in i.findings.get("priority_action", ())
                if any(c == "waiting-times" for c, _ in f.themes)}
    assert waiting["areas"]["priority_action"] == len(expected) > 0
    assert waiting["areas_against"] >= waiting["areas"]["priority_action"]


# ---------------------------------------------------------------------------------------------
# The pages
# ---------------------------------------------------------------------------------------------


def test_the_site_has_every_page_and_links_each_area_by_name(corpus_pages):
    areas = model.build_areas(corpus_view())
    assert {"index.html", "areas.html", "themes.html", "matrix.html", "search.html", "inspectors.html",
            "areas-by-shared-inspectors.html"} <= set(corpus_pages)
    index = corpus_pages["index.html"]
    for area in areas:
        assert f'<a href="{area.slug}.html">{html.escape(area.name)}</a>' in index, area.name
        assert f"{area.slug}.html" in corpus_pages
    assert index.count("<polygon") == 153
    for page in corpus_pages.values():  # every page links to the search page
        assert 'href="search.html"' in page


def test_area_pages_say_what_their_report_says(corpus_pages):
    areas = {a.gss_code: a for a in model.build_areas(corpus_view())}
    for record in corpus_records():
        if record["document_type"] != "area_send_inspection_2023":
            continue
        area = areas[record["gss_code"]]
        text = text_of(corpus_pages[f"{area.slug}.html"])
        inspection = next(i for i in area.inspections if i.start_date == record["inspection"]["start_date"])
        assert inspection.outcome_label in text
        if record["inspection"].get("outcome_text"):
            assert words(record["inspection"]["outcome_text"]) in text, record["source"]
        for f in record["findings"]:
            if f["kind"] in ("priority_action", "improvement", "strength", "weakness"):
                assert words(f["text"]) in text, (record["source"], f["kind"], f["text"][:60])


def test_theme_pages_give_the_definition_and_the_areas(corpus_pages):
    from sendgraph.read.themes import theme_definitions

    definition = theme_definitions()["waiting-times"]
    page = text_of(corpus_pages["theme-waiting-times.html"])
    assert words(definition) in page
    for row in model.theme_counts(corpus_view()):
        assert f"{row['slug']}.html" in corpus_pages


def test_the_matrix_has_a_row_per_area_and_a_column_per_theme(corpus_pages):
    page = corpus_pages["matrix.html"]
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    assert body.count("<tr>") == len(model.build_areas(corpus_view()))
    assert page.count('class="theme"') == 20


def test_pages_are_the_same_every_time():
    assert site_pages(data_view()) == site_pages(data_view())


def test_document_text_is_escaped_in_the_pages():
    import networkx as nx

    G = nx.MultiDiGraph(data_view())
    finding = next(n for n, d in G.nodes(data=True) if d.get("finding_kind") == "improvement")
    G.nodes[finding]["quote"] = G.nodes[finding]["text"] = f"Leaders {SCRIPT} should"
    area = next(n for n, d in G.nodes(data=True) if d.get("kind") == "area")
    G.nodes[area]["label"] = f"Hartlepool {SCRIPT}"
    found = site_pages(G)
    assert not any(SCRIPT in page for page in found.values())
    assert any(html.escape(SCRIPT) in page for page in found.values())
    scripts = [len(re.findall(r"<script>", page)) for page in found.values()]
    assert max(scripts) <= 3  # only the pages' own scripts (vis-network and its starter; Lunr and search)


def test_write_site_removes_the_pages_it_no_longer_has_and_nothing_else(tmp_path):
    out = tmp_path / "site"
    write_site(corpus_view(), out)
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    (out / "extra.html").write_text("mine too\n", encoding="utf-8")
    assert (out / "area-newham.html").is_file()
    written = write_site(data_view(), out)
    left = {p.name for p in out.iterdir()}
    assert left == {p.name for p in written} | {pages.MANIFEST, "notes.txt", "extra.html"}
    assert not (out / "area-newham.html").exists()
