"""Full-text search over findings: the library (ranking, stemming, phrases, filters, a store's index) and `sendgraph search`."""

import json

import pytest
from click.testing import CliRunner

from support.analytics_graphs import data_dataset, data_view
from support.paths import DATA

from sendgraph.cli import main
from sendgraph.errors import UsageError
from sendgraph.search import SearchIndex, finding_rows, search
from sendgraph.search.text import fts_query, query_terms
from sendgraph.graph import write_graph


@pytest.fixture(scope="module")
def graph_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("search") / "data.trig"
    write_graph(data_dataset(), path)
    return path


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_query_words_become_quoted_terms_without_stop_words():
    assert query_terms('waiting times for the "local offer"') == [["waiting"], ["times"], ["local", "offer"]]
    assert fts_query('NEAR(c d) OR "x" AND * ^col:') == '"near" AND "c" AND "d" AND "x" AND "col"'
    with pytest.raises(UsageError, match="nothing to search for"):
        fts_query('the of " ) *')


def test_every_finding_is_a_row_with_its_area_and_source():
    rows = finding_rows(data_view())
    assert len(rows) == sum(1 for _, d in data_view().nodes(data=True) if d["kind"] == "finding")
    hartlepool = [r for r in rows if r["area_name"] == "Hartlepool" and r["framework"] == "2023"]
    assert hartlepool and all(r["date"] == "2023-03-13" and r["source_title"].startswith("Area SEND inspection of")
                              for r in hartlepool)


def test_ranking_is_bm25_best_first_and_reproducible():
    hits = search(data_view(), "annual reviews", limit=50)
    assert len(hits) >= 2 and [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert [h.score for h in hits] == sorted(h.score for h in hits)  # BM25: lower is better
    # The best hit names both words most densely: the Middlesbrough improvement on annual reviews.
    assert hits[0].area_name == "Middlesbrough" and hits[0].kind == "improvement"
    again = search(data_view(), "annual reviews", limit=50)
    assert [h.finding for h in again] == [h.finding for h in hits]


def test_stemming_finds_other_forms_and_marks_them():
    singular = {h.finding for h in search(data_view(), "assessment", limit=500)}
    plural = {h.finding for h in search(data_view(), "assessments", limit=500)}
    assert singular == plural and len(singular) > 5
    hit = search(data_view(), "assessments", limit=1)[0]
    assert "**assess" in hit.marked.lower() and "**" not in hit.quote


def test_a_phrase_matches_only_its_words_in_order():
    phrase = search(data_view(), '"local offer"', limit=500)
    words = search(data_view(), "local offer", limit=500)
    assert phrase and len(phrase) < len(words)
    assert all("local offer" in h.quote.lower() for h in phrase)


def test_filters_narrow_and_unknown_values_are_refused_with_suggestions():
    everything = search(data_view(), "leaders", limit=500)
    middlesbrough = search(data_view(), "leaders", area="Middlesbrough", limit=500)
    assert middlesbrough and len(middlesbrough) < len(everything)
    assert {h.area_name for h in middlesbrough} == {"Middlesbrough"}
    weaknesses = search(data_view(), "leaders", kind="weakness", limit=500)
    assert weaknesses and {h.kind for h in weaknesses} == {"weakness"}
    assert {h.kind for h in search(data_view(), "leaders", kind="Area for improvement", limit=500)} == {"improvement"}
    themed = search(data_view(), "leaders", theme="strategic-leadership", limit=500)
    assert themed and all("strategic-leadership" in h.themes for h in themed)
    old = search(data_view(), "leaders", framework="2016", limit=500)
    assert old and {h.framework for h in old} == {"2016"}
    positive = search(data_view(), "leaders", outcome="positive", limit=500)
    assert positive and {h.outcome for h in positive} == {"positive"}
    with pytest.raises(UsageError, match="did you mean.*weakness"):
        search(data_view(), "leaders", kind="weaknes")
    with pytest.raises(UsageError, match="^unknown area"):
        search(data_view(), "leaders", area="Middlesborugh Town")
    with pytest.raises(UsageError, match="^unknown theme"):
        search(data_view(), "leaders", theme="nonsense-theme")


def test_an_index_in_a_file_is_updated_only_where_documents_changed(tmp_path):
    rows = finding_rows(data_view())
    index = SearchIndex(tmp_path / "index.sqlite")
    first = index.update(rows)
    assert first["added"] == len({r["document"] for r in rows}) and first["kept"] == 0
    assert index.update(rows) == {"added": 0, "replaced": 0, "kept": first["added"], "dropped": 0}
    one = rows[0]["document"]
    changed = [dict(r, text=r["text"] + " extra words") if r["document"] == one else r for r in rows]
    assert index.update(changed)["replaced"] == 1
    assert index.update([r for r in rows if r["document"] != one])["dropped"] == 1
    assert len(index) == sum(1 for r in rows if r["document"] != one)
    index.close()
    (tmp_path / "bad.sqlite").write_bytes(b"not a database at all" * 100)
    assert len(SearchIndex(tmp_path / "bad.sqlite")) == 0  # a damaged index is made again


def test_cli_table_marks_matched_words(graph_file):
    result = run("search", "annual reviews", "-g", graph_file, "--limit", "3")
    assert result.exit_code == 0, result.output
    assert "found: " in result.output and "**annual**" in result.output.lower()
    assert "Middlesbrough" in result.output and "paragraph" in result.output


def test_cli_json_keeps_codes_and_labels(graph_file):
    result = run("search", "annual reviews", "-g", graph_file, "-f", "json", "--kind", "improvement")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["findings"] and {f["kind"] for f in data["findings"]} == {"improvement"}
    assert data["findings"][0]["kind_label"] == "Area for improvement" and "marked" not in data["findings"][0]


def test_cli_csv_is_one_table_block(graph_file):
    result = run("search", "leaders", "-g", graph_file, "-f", "csv", "--limit", "2", "--framework", "2023")
    assert result.exit_code == 0
    assert "findings,1," in result.output and ",2023," in result.output


@pytest.mark.parametrize("query", ['the of', '"', "*", ")(", "\x1b["])
def test_cli_odd_queries_get_one_line(graph_file, query):
    result = run("search", query, "-g", graph_file)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.output


def test_cli_unknown_filter_value_is_exit_2_with_suggestion(graph_file):
    result = run("search", "leaders", "-g", graph_file, "--theme", "waiting")
    assert result.exit_code == 2 and "unknown theme" in result.stderr


def test_cli_store_keeps_its_index(tmp_path):
    store = tmp_path / "store"
    assert run("build", DATA, "--store", store).exit_code == 0
    first = run("search", "annual reviews", "--store", store, "-f", "json")
    assert first.exit_code == 0, first.output
    assert (store / "sendgraph-search.sqlite").is_file()
    again = run("search", "annual reviews", "--store", store, "-f", "json")
    assert json.loads(again.output) == json.loads(first.output)
    direct = search(data_view(), "annual reviews")
    assert [f["finding"] for f in json.loads(first.output)["findings"]] == [h.finding for h in direct]


def test_a_documents_rows_are_found_by_an_index_not_by_scanning():
    """Regression: replacing or dropping a document deleted its rows by scanning the whole full-text
    table (its document column is UNINDEXED), so indexing 10,000 reports took 24 minutes."""
    from sendgraph.search.index import SearchIndex

    index = SearchIndex()
    rows = [{"text": f"waiting times {n}", "finding": f"urn:f:{d}:{n}", "document": f"urn:d:{d}", "area": "", "area_name": "",
             "date": "", "kind": "weakness", "kind_label": "", "themes": "", "theme_labels": "", "outcome": "",
             "outcome_label": "", "framework": "", "source": "", "source_title": "", "paragraph": n}
            for d in range(50) for n in range(4)]
    assert index.update(rows)["added"] == 50
    plan = " ".join(str(r) for r in index.db.execute(
        "EXPLAIN QUERY PLAN DELETE FROM row_documents WHERE document = ?", ("urn:d:3",)))
    assert "row_documents_by_document" in plan, plan
    changed = [dict(r, text="long waits") if r["document"] == "urn:d:3" else r for r in rows if r["document"] != "urn:d:4"]
    assert index.update(changed) == {"added": 0, "replaced": 1, "kept": 48, "dropped": 1}
    assert len(index) == 49 * 4
    assert {h.finding for h in index.query("long waits")} == {f"urn:f:3:{n}" for n in range(4)}
