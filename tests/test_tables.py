"""Tables fit the terminal: COLUMNS (or the real width) bounds every line of every command's table on the
real corpus; long cells wrap, short values stay whole, IRI columns only on request."""

import pytest
from click.testing import CliRunner
from support.analytics_graphs import corpus_dataset

from sendgraph.cli import main
from sendgraph.formats import render, render_table, terminal_width
from sendgraph.graph.files import write_graph
from sendgraph.stores.named import list_queries


@pytest.fixture(scope="module")
def corpus_graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("tables") / "corpus.trig"
    write_graph(corpus_dataset(), path)
    return str(path)


COMMANDS = [
    ["inspectors"], ["inspectors", "--name", "Claire Mason"], ["themes"], ["themes", "--theme", "waiting-times"],
    ["history", "Middlesbrough"], ["history", "Hull"], ["compare", "Gateshead", "Durham", "Hull"],
    ["compare", "Hartlepool", "Middlesbrough", "Halton", "Rotherham", "Durham"], ["neighbours", "Hartlepool"],
    ["search", "waiting times"], ["search", "annual reviews", "--limit", "3"],
] + [["query", name] for name, _ in list_queries()]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a))
def test_no_line_longer_than_columns(corpus_graph, args):
    result = CliRunner(env={"COLUMNS": "100"}).invoke(main, [*args, "-g", corpus_graph])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) > 2
    too_long = [line for line in lines if len(line) > 100]
    assert not too_long, too_long[:3]
    if args[0] == "query":
        assert "https://w3id.org/" not in result.stdout  # no IRI columns without --iris


def test_narrower_terminals_too(corpus_graph):
    for columns in (60, 80, 140):
        result = CliRunner(env={"COLUMNS": str(columns)}).invoke(main, ["history", "Middlesbrough", "-g", corpus_graph])
        assert result.exit_code == 0
        assert max(len(line) for line in result.stdout.splitlines()) <= columns


def test_width_comes_from_columns(monkeypatch):
    monkeypatch.setenv("COLUMNS", "123")
    assert terminal_width() == 123


def test_long_cells_wrap_and_short_values_stay_whole():
    rows = [{"date": "2023-10-09", "n": 12, "quote": "word " * 60, "file": "x" * 90}]
    text = render_table(rows, width=60)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert "2023-10-09" in lines[2] and "12" in lines[2].split()
    assert " ".join(lines[2:]).split().count("word") >= 50  # wrapped, not lost


def test_a_table_too_wide_for_whole_words_is_shown_row_by_row():
    row = {f"column_{i}": f"value-{i}-with-some-length" for i in range(12)}
    text = render({"rows": [row, row]}, "table", width=80)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[2].split() == ["column", "0", "value-0-with-some-length"]
    assert "" in lines[3:]  # a blank line between the rows


def test_codes_become_words_in_tables_only():
    result = {"inspections": [{"outcome": "wsoa_required", "outcome_label": "Written statement of action required"}]}
    assert "Written statement of action required" in render(result, "table", width=100)
    assert "outcome label" not in render(result, "table", width=100)
    assert "wsoa_required" in render(result, "csv") and "outcome_label" in render(result, "csv")
