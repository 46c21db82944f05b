"""The analytics commands: inspectors, themes, compare, history, neighbours (exit codes, formats, output files)."""

import csv
import io
import json

import pytest
from support.analytics_graphs import corpus_dataset, data_dataset
from click.testing import CliRunner

from sendgraph.cli import main
from sendgraph.graph.files import write_graph


@pytest.fixture(scope="module")
def data_graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("analytics") / "data.ttl"
    write_graph(data_dataset(), path)
    return path


@pytest.fixture(scope="module")
def corpus_graph(tmp_path_factory):
    path = tmp_path_factory.mktemp("analytics") / "corpus.trig"
    write_graph(corpus_dataset(), path)
    return path


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    return result


def csv_blocks(text):
    """{section: rows as dicts} from the sectioned CSV the analytics commands print."""
    blocks = {}
    for block in text.strip("\n").split("\n\n"):
        rows = list(csv.DictReader(io.StringIO(block)))
        for row in rows:
            blocks.setdefault(row["section"], []).append(row)
    return blocks


def test_inspectors_table(data_graph):
    result = run("inspectors", "-g", data_graph)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "Inspectors" in lines and "Areas" in lines and "Links" in lines
    row = next(line for line in lines if line.startswith("Nick Whittaker  "))
    assert row.split() == ["Nick", "Whittaker", "Ofsted", "2", "2", "2", "2016-10-03", "2017-03-20"]
    assert "Cathryn Kirby" not in result.stdout


def test_inspectors_name_json_and_unknown_name(data_graph):
    result = run("inspectors", "--name", "Cathy Kirby", "-g", data_graph, "--format", "json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["name"] == "Cathryn Kirby" and record["team_inspections"] == 0
    assert [m["capacity"] for m in record["named_in_documents"]] == ["signatory"] * 3
    result = run("inspectors", "--name", "Nick Whitaker", "-g", data_graph)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "did you mean 'Nick Whittaker'" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_themes_csv_blocks(data_graph):
    result = run("themes", "-g", data_graph, "-f", "csv", "--top", "3")
    assert result.exit_code == 0
    blocks = csv_blocks(result.stdout)
    notes = {row["key"]: row["value"] for row in blocks["notes"]}
    assert "strategic-leadership" in notes["shared_by_all_areas"].split("; ")
    assert notes["areas_with_findings"] == "3"
    themes = {row["theme"]: row for row in blocks["themes"]}
    assert themes["strategic-leadership"]["all_areas"] == "yes"
    assert themes["alternative-provision"]["all_areas"] == "no"
    assert len(blocks["cooccurrence"]) == 3
    assert {"positive", "wsoa_required"} <= set(blocks["by_kind_and_outcome"][0])


def test_themes_one_theme_to_a_file(data_graph, tmp_path):
    out = tmp_path / "local-offer.json"
    result = run("themes", "--theme", "local offer", "--kind", "significant_weakness", "-g", data_graph,
                 "-f", "json", "-o", out)
    assert result.exit_code == 0 and result.stdout == ""
    findings = json.loads(out.read_text(encoding="utf-8"))["findings"]
    # Stockton-on-Tees's four significant weaknesses of 2019 do not include information for families.
    assert {f["area"] for f in findings} == {"Hartlepool", "Middlesbrough"}
    assert any(f["quote"].startswith("weaknesses in providing the clear and timely information") for f in findings)
    assert all(f["kind"] == "significant_weakness" for f in findings)


def test_themes_usage_errors(data_graph):
    result = run("themes", "--kind", "weakness", "-g", data_graph)
    assert result.exit_code == 2 and "--kind needs --theme" in result.stderr
    result = run("themes", "--theme", "nonsense-theme", "-g", data_graph)
    assert result.exit_code == 2 and "unknown theme 'nonsense-theme'" in result.stderr
    result = run("themes", "-g", data_graph, "-f", "yaml")
    assert result.exit_code == 2


def test_compare_json(data_graph):
    result = run("compare", "Hartlepool Borough Council", "middlesbrough", "-g", data_graph, "-f", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["areas_compared"] == ["Hartlepool", "Middlesbrough"]
    assert [s["name"] for s in report["shared_inspectors"]] == ["Nick Whittaker"]
    similarity = report["similarity"][0]
    assert 0 < similarity["similarity"] < 1
    assert similarity["similarity"] == round(similarity["shared_pairs"] / similarity["all_pairs"], 3)
    assert "Jaccard" in report["similarity_definition"]


def test_compare_usage_errors(data_graph):
    result = run("compare", "Hartlepool", "-g", data_graph)
    assert result.exit_code == 2 and "at least two areas" in result.stderr
    result = run("compare", "Hartlepool", "Sunderland", "-g", data_graph)
    assert result.exit_code == 2
    assert "Sunderland has no inspection in this graph" in result.stderr


def test_history_table(data_graph):
    result = run("history", "Middlesbrough", "-g", data_graph)
    assert result.exit_code == 0
    text = result.stdout
    assert text.index("2017-03-20") < text.index("2019-07-08") < text.index("2023-10-09")
    # Words for people: theme labels, outcomes and inspection kinds in words, no codes.
    change = next(line for line in text.splitlines() if line.startswith("2017-03-20  2023-10-09  EHC plan quality"))
    assert "recurs" in change
    assert "revisit" in text and "Sufficient" in text
    for code in ("wsoa_required", "sufficient_progress", "JointLocalAreaInspection", "AreaSendInspection",
                 "ehc-plan-quality"):
        assert code not in text, code


def test_history_csv_matches_json(data_graph):
    as_csv = csv_blocks(run("history", "Hartlepool", "-g", data_graph, "-f", "csv").stdout)
    as_json = json.loads(run("history", "Hartlepool", "-g", data_graph, "-f", "json").stdout)
    assert [r["start_date"] for r in as_csv["inspections"]] == [r["start_date"] for r in as_json["inspections"]]
    assert [(r["theme"], r["status"]) for r in as_csv["changes"]] == \
        [(r["theme"], r["status"]) for r in as_json["changes"]]


def test_neighbours(data_graph):
    result = run("neighbours", "hartlepool", "-g", data_graph, "-f", "json")
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["neighbours_in_graph"] == ["Middlesbrough"]
    assert report["outcomes"][1]["relation"] == "neighbour 5"


def test_missing_graph_file(tmp_path):
    for command in (["inspectors"], ["themes"], ["compare", "a", "b"], ["history", "a"], ["neighbours", "a"]):
        result = run(*command, "-g", tmp_path / "missing.ttl")
        assert result.exit_code == 2, command
        assert "no such graph file" in result.stderr


def test_help_of_every_analytics_command():
    for command in ("inspectors", "themes", "compare", "history", "neighbours"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert "-g, --graph FILE" in result.stdout or "--graph" in result.stdout
        assert "[table|csv|json]" in result.stdout


def test_corpus_commands(corpus_graph):
    result = run("inspectors", "--name", "claire mason", "-g", corpus_graph, "-f", "json")
    assert result.exit_code == 0
    record = json.loads(result.stdout)
    assert record["organisation"] == "CQC" and record["team_inspections"] == 8
    assert [r["area"] for r in record["inspections"] if not r["lead"]] == ["Oxfordshire", "Bury"]
    assert {"David Mills": 2} == {c["name"]: len(c["inspections"]) for c in record["repeat_colleagues"]
                                   if c["name"] == "David Mills"}  # Middlesbrough and Hull
    result = run("neighbours", "Hartlepool", "-g", corpus_graph, "-f", "csv")
    assert result.exit_code == 0
    outcomes = {r["area"]: r["outcome"] for r in csv_blocks(result.stdout)["outcomes"]}
    assert outcomes["Halton"] == "systemic" and outcomes["Rotherham"] == "positive"
    result = run("compare", "Gateshead", "Durham", "Hull", "-g", corpus_graph)
    assert result.exit_code == 0
    assert "Louise Holland" in result.stdout and "Similarity" in result.stdout


def test_themes_of_one_theme_say_which_words_gave_each_finding_the_theme(data_graph):
    result = CliRunner().invoke(main, ["themes", "--theme", "waiting-times", "-g", str(data_graph), "-f", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["findings"]
    assert rows and all(r["tagged_because"] for r in rows)
    for row in rows:
        quote = " ".join(row["quote"].split()).lower()
        assert all(words.lower() in quote for words in row["tagged_because"].split("; ")), row
