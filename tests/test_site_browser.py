"""The site in a real browser (Debian's Chromium, headless, offline, every outside request blocked): what a reader sees on the home, area, theme, matrix and search pages, printing, the keyboard, and axe-core's WCAG 2.2 A/AA rules.

Set SENDGRAPH_SCREENSHOTS=DIR to keep a screenshot of the pages looked at.
"""

from __future__ import annotations

import pytest
from support.analytics_graphs import corpus_records, corpus_view, data_view
from support.axe import violations
from support.browser import keep_screenshot

from sendgraph.site import model, write_site

PAGE_TYPES = ("index.html", "areas.html", "themes.html", "matrix.html", "search.html", "inspectors.html",
              "areas-by-shared-inspectors.html")


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """The site of data/ and of the real corpus (plus data/), with their areas."""
    found = {}
    for name, graph in (("data", data_view()), ("corpus", corpus_view())):
        out = tmp_path_factory.mktemp(f"site-{name}")
        write_site(graph, out)
        found[name] = (out, model.build_areas(graph))
    return found


def words(text: str) -> str:
    """Text with its whitespace collapsed, typographic quotes made plain (one report read from its PDF
    and its text file is one finding in the graph, quoted from either) and bullets left out (the
    pages show a finding's sub-bullets as a list)."""
    text = (text or "").translate(str.maketrans("\u2018\u2019\u201c\u201d\u2022", "''\"\" "))
    return " ".join(text.split())


def visible_text(visit) -> str:
    return words(visit.page.evaluate("() => document.body.innerText"))


def sound(visit) -> None:
    """No console error, no page error, no dialog, nothing fetched but the page itself."""
    assert visit.problems() == {k: [] for k in visit.problems()}, visit.url
    assert visit.requests == [("GET", visit.url)], visit.url


def reports():
    return [r for r in corpus_records() if r["document_type"] == "area_send_inspection_2023"]


@pytest.mark.parametrize("name", ["data", "corpus"])
def test_home_page_has_the_hex_map_and_each_areas_outcome_in_words(browser, sites, name):
    out, areas = sites[name]
    visit = browser.open(out / "index.html", wait_for=None)
    keep_screenshot(visit, f"site-{name}-home", full_page=True)
    page = visit.page
    assert page.evaluate("() => document.querySelectorAll('figure.hexmap svg polygon').length") >= 150
    linked = page.evaluate("() => Array.from(document.querySelectorAll('figure.hexmap svg a')).map(a => a.getAttribute('aria-label'))")
    assert len(linked) == len([a for a in areas if a.gss_code])
    rows = page.evaluate("""() => Array.from(document.querySelectorAll('#areas ~ .table-wrap tbody tr'))
                              .map(r => r.innerText.replace(/\\s+/g, ' '))""")
    assert len(rows) == len(areas)
    for area, row in zip(areas, rows):
        assert row.startswith(area.name), (row, area.name)
        if area.latest:
            assert area.latest.outcome_label in row and area.latest.dates in row
            assert any(label.startswith(f"{area.name}: {area.latest.outcome_label}") for label in linked if area.gss_code)
    # Each area is linked by its name.
    names = page.evaluate("() => Array.from(document.querySelectorAll('a')).map(a => a.textContent.trim())")
    assert all(area.name in names for area in areas)
    text = visible_text(visit)
    assert "Outcomes by region" in text and "Inspections over time" in text and "Themes most raised" in text
    sound(visit)
    visit.page.close()


def test_each_2023_report_is_on_its_area_page_as_text_and_prints_whole(browser, sites):
    import pypdfium2

    out, areas = sites["corpus"]
    by_code = {a.gss_code: a for a in areas}
    printed = 0
    for record in reports():
        area = by_code[record["gss_code"]]
        visit = browser.open(out / f"{area.slug}.html", wait_for=None)
        text = visible_text(visit)
        inspection = next(i for i in area.inspections if i.start_date == record["inspection"]["start_date"])
        assert inspection.outcome_label in text, record["source"]
        wanted = [words(f["text"]) for f in record["findings"] if f["kind"] in ("priority_action", "improvement", "strength")]
        for finding in wanted:
            assert finding in text, (record["source"], finding[:60])
        if printed < 3:  # printing three areas: their text is whole in an A4 PDF
            keep_screenshot(visit, f"site-corpus-{area.slug}", full_page=True)
            pdf = visit.page.pdf(format="A4", print_background=True)
            document = pypdfium2.PdfDocument(pdf)
            # Lines of a PDF break after hyphens too ("out-of-" / "area", which pdfium reads as U+FFFE):
            # compared without whitespace.
            pdf_text = "".join(words(" ".join(document[i].get_textpage().get_text_range()
                                               for i in range(len(document))).replace("\ufffe", "-")).split())
            assert len(document) >= 2
            assert "".join(inspection.outcome_label.split()) in pdf_text
            for finding in wanted:
                assert "".join(finding.split()) in pdf_text, (record["source"], finding[:60])
            printed += 1
        sound(visit)
        visit.page.close()
    assert printed == 3


@pytest.mark.parametrize("name", ["data", "corpus"])
def test_every_page_type_passes_axe_core_wcag_22_aa(browser, sites, name):
    out, areas = sites[name]
    latest_2023 = next(a for a in areas if a.latest and a.latest.type == "AreaSendInspection")
    older = [a for a in areas if a.latest and a.latest.type != "AreaSendInspection"]
    chosen = [*PAGE_TYPES, f"{latest_2023.slug}.html", *(f"{a.slug}.html" for a in older[:1]),
              "theme-waiting-times.html"]
    for page_name in chosen:
        wait = "window.sendgraph && window.sendgraph.drawn === true" if page_name in PAGE_TYPES[-2:] else None
        visit = browser.open(out / page_name, wait_for=wait)
        if page_name == "search.html":  # with results shown
            visit.page.fill("#q", "waiting times")
            visit.page.wait_for_function("() => document.querySelectorAll('#results li').length > 0")
        found = violations(visit.page)
        assert found == [], (name, page_name, found)
        sound(visit)
        visit.page.close()


def test_keyboard_skip_link_and_matrix_sorting(browser, sites):
    out, areas = sites["corpus"]
    visit = browser.open(out / "matrix.html", wait_for=None)
    page = visit.page
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to the content"
    page.keyboard.press("Enter")
    assert page.evaluate("() => location.hash") == "#main"
    first = page.evaluate("() => document.querySelector('#matrix tbody th').textContent")
    assert first == sorted(areas, key=lambda a: a.name.lower())[0].name
    button = page.locator("#matrix thead button[data-sort='1']")  # by outcome
    button.focus()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.querySelectorAll('#matrix thead th')[1].getAttribute('aria-sort')") in ("ascending", "descending")
    order = page.evaluate("() => Array.from(document.querySelectorAll('#matrix tbody tr td:nth-of-type(1)')).map(td => +td.dataset.value)")
    assert order == sorted(order) or order == sorted(order, reverse=True)
    waiting = page.locator("#matrix thead button[aria-label='Sort by weaknesses on Waiting times']")
    waiting.focus()
    page.keyboard.press("Enter")
    column = page.evaluate("""() => { const i = Array.from(document.querySelectorAll('#matrix thead th'))
                               .findIndex(th => th.textContent.trim() === 'Waiting times');
                               return Array.from(document.querySelectorAll('#matrix tbody tr')).map(r => +r.cells[i].dataset.value); }""")
    assert column == sorted(column, reverse=True) and column[0] > 0
    sound(visit)
    page.close()


def test_search_page_ranks_filters_and_links_to_the_finding(browser, sites):
    out, areas = sites["corpus"]
    visit = browser.open(out / "search.html", wait_for="window.sendgraphSearch && window.sendgraphSearch.ready")
    keep_screenshot(visit, "site-corpus-search")
    page = visit.page
    page.fill("#q", "waiting times autism assessment")
    page.wait_for_function("() => document.querySelectorAll('#results li').length > 0")
    results = page.evaluate("""() => Array.from(document.querySelectorAll('#results li')).map(li => ({
        head: li.querySelector('p').innerText, quote: li.querySelector('blockquote').innerText,
        themes: (li.querySelector('p.note') || {innerText: ''}).innerText,
        marks: Array.from(li.querySelectorAll('mark')).map(m => m.textContent.toLowerCase()),
        href: (li.querySelector('a') || {getAttribute: () => null}).getAttribute('href')}))""")
    assert len(results) >= 3
    for r in results:  # every word is required, in the quote or the theme names (stemmed: "assessments" matches "assessment")
        quote = (r["quote"] + " " + r["themes"]).lower()
        assert "wait" in quote and "autis" in quote and "assess" in quote, r["quote"][:80]
        assert r["marks"] and r["href"]
    assert "found" in page.evaluate("() => document.getElementById('status').textContent")
    # Same query, same order.
    page.fill("#q", "")
    page.fill("#q", "waiting times autism assessment")
    page.press("#q", "Enter")
    again = page.evaluate("() => Array.from(document.querySelectorAll('#results li a')).map(a => a.getAttribute('href'))")
    assert again == [r["href"] for r in results]
    # A filter keeps only that kind.
    page.select_option("#f-kind", "priority_action")
    page.wait_for_timeout(50)
    heads = page.evaluate("() => Array.from(document.querySelectorAll('#results li p:first-child')).map(p => p.innerText)")
    assert all(": Priority action" in h for h in heads)
    page.select_option("#f-kind", "")
    # A phrase in quotes must appear as it is.
    page.fill("#q", '"local offer"')
    page.press("#q", "Enter")  # searches at once (typing searches after a short pause)
    quotes = page.evaluate("() => Array.from(document.querySelectorAll('#results li blockquote')).map(b => b.innerText.toLowerCase())")
    assert quotes and all("local offer" in " ".join(q.split()) for q in quotes)
    # Odd characters are answered, never an error.
    for odd in ('foo:*~^', '"', "+-", "<script>alert(1)</script>", "~1"):
        page.fill("#q", odd)
        page.wait_for_timeout(200)
    sound(visit)
    href = results[0]["href"]
    page.close()
    # Follow the first result to its area page: the finding is there, with the quote.
    target, anchor = href.split("#")
    visit = browser.open(out / target, wait_for=None)
    quote = visit.page.evaluate("(id) => { const e = document.getElementById(id); return e && e.innerText; }", anchor)
    assert quote and words(results[0]["quote"]) in words(quote)
    sound(visit)
    visit.page.close()
