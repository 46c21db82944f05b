"""Names users type (sendgraph/lookup.py): areas, themes and people match exactly, never by substring,
in every command that takes one; an unknown name is refused in one line with the closest names."""

import json

import pytest
from click.testing import CliRunner
from support.paths import DATA, corpus_pdf

from sendgraph.cli import main
from sendgraph.errors import UsageError
from sendgraph.graph.build import build_graph
from sendgraph.graph.files import write_graph
from sendgraph.lookup import Area, resolve_area, resolve_theme, shown
from sendgraph.read.extract import extract_paths

HARTLEPOOL = Area("https://w3id.org/sendgraph/id/area/E06000001", "Hartlepool", "E06000001")
MIDDLESBROUGH = Area("https://w3id.org/sendgraph/id/area/E06000002", "Middlesbrough", "E06000002")
STOCKTON = Area("https://w3id.org/sendgraph/id/area/E06000004", "Stockton-on-Tees", "E06000004")
AREAS = [HARTLEPOOL, MIDDLESBROUGH, STOCKTON]


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    """data/ and the Kingston upon Hull report, as a TriG file and as an embedded store."""
    folder = tmp_path_factory.mktemp("lookup")
    result = extract_paths([DATA, corpus_pdf("kingston-upon-hull")])
    assert not result.errors
    path = folder / "graph.trig"
    write_graph(build_graph(result.records), path)
    built = CliRunner().invoke(main, ["build", str(DATA), str(corpus_pdf("kingston-upon-hull")),
                                      "--store", str(folder / "store"), "-o", str(folder / "built.trig")])
    assert built.exit_code == 0, built.stderr
    return path, folder / "store"


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.stdout + result.stderr
    return result


def refused(result, *words):
    """Exit 2, nothing on standard output, one line on standard error holding every word."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: "), result.stderr
    for word in words:
        assert word in result.stderr, (word, result.stderr)
    return result.stderr


# --- the resolver ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Hartlepool", "HARTLEPOOL", " hartlepool  borough council ", "Hartlepool Council",
                                  "E06000001", "e06000001", "Hartlepool Local Area Partnership",
                                  "https://w3id.org/sendgraph/id/area/E06000001"])
def test_an_area_as_councils_print_it_or_its_code(name):
    assert resolve_area(name, AREAS) == HARTLEPOOL


def test_short_forms_and_former_codes_of_the_gazetteer():
    assert resolve_area("Stockton", AREAS) == STOCKTON
    hull = Area("https://w3id.org/sendgraph/id/area/E06000010", "Kingston upon Hull", "E06000010")
    assert resolve_area("Hull", [hull]) == hull
    assert resolve_area("Kingston upon Hull City Council", [hull]) == hull
    barnsley = Area("https://w3id.org/sendgraph/id/area/E08000038", "Barnsley", "E08000038")
    assert resolve_area("E08000016", [barnsley]) == barnsley  # Barnsley's ONS code before 2025


@pytest.mark.parametrize("name, suggested", [
    ("Newham Hartlepool", ["'Newham' (no inspection in this graph)", "'Hartlepool'"]),
    ("Hartlepool Middlesbrough", ["'Hartlepool'", "'Middlesbrough'"]),
    ("Hartlepool and", ["'Hartlepool'"]),
    ("Middlesborough", ["'Middlesbrough'"]),
    ("Hartlepol", ["'Hartlepool'"]),
    ("Stockton Hartlepool", ["'Stockton-on-Tees'", "'Hartlepool'"]),
])
def test_never_by_substring_and_the_closest_names_suggested(name, suggested):
    with pytest.raises(UsageError) as caught:
        resolve_area(name, AREAS)
    message = str(caught.value)
    assert message.startswith(f"unknown area {name!r}; did you mean "), message
    positions = [message.index(s) for s in suggested]
    assert positions == sorted(positions), message  # in the order typed


def test_a_known_authority_without_inspection_says_so_and_suggests_nothing_else():
    for name in ("Leeds", "Leeds City Council", "E08000035"):
        with pytest.raises(UsageError) as caught:
            resolve_area(name, AREAS)
        assert str(caught.value) == ("Leeds has no inspection in this graph; the graph has 3 areas: "
                                     "Hartlepool, Middlesbrough, Stockton-on-Tees")


def test_a_huge_name_is_cut_in_the_error():
    with pytest.raises(UsageError) as caught:
        resolve_area("Hartlepool " * 10_000, AREAS)
    assert len(str(caught.value)) < 300 and "..." in str(caught.value)
    assert shown("x" * 100_000) == "x" * 57 + "..."
    assert shown("a\nb\x1b") == "a b\\x1b"


def test_themes_by_code_or_label_and_suggestions_by_word():
    labels = {"waiting-times": "Waiting times", "local-offer": "Local offer and information"}
    assert resolve_theme("Waiting Times", labels) == "waiting-times"
    assert resolve_theme("LOCAL-OFFER", labels) == "local-offer"
    with pytest.raises(UsageError, match=r"^unknown theme 'waiting'; did you mean 'waiting-times' \(Waiting times\)\?$"):
        resolve_theme("waiting", labels)
    with pytest.raises(UsageError, match="^unknown theme 'local offer waiting'"):
        resolve_theme("local offer waiting", labels)


# --- every command that takes a name --------------------------------------------------------


def test_history_refuses_two_names_in_one(graph):
    path, _ = graph
    refused(run("history", "Newham Hartlepool", "-g", path), "unknown area 'Newham Hartlepool'", "'Hartlepool'")
    refused(run("history", "Hartlepool Middlesbrough", "-g", path), "'Hartlepool' or 'Middlesbrough'")
    result = run("history", "Hull", "-g", path, "-f", "json")
    assert result.exit_code == 0 and json.loads(result.stdout)["area"] == "Kingston upon Hull"


def test_compare_refuses_two_names_in_one(graph):
    path, _ = graph
    refused(run("compare", "Hartlepool", "Newham Middlesbrough", "-g", path), "unknown area 'Newham Middlesbrough'")
    assert run("compare", "Hartlepool", "Hull", "-g", path).exit_code == 0


def test_neighbours_of_an_authority_not_in_the_graph(graph):
    path, _ = graph
    message = refused(run("neighbours", "Leeds", "-g", path), "Leeds has no inspection in this graph")
    assert "Enfield" not in message
    refused(run("neighbours", "Leeds Hartlepool", "-g", path), "unknown area 'Leeds Hartlepool'")


def test_inspectors_name_and_themes_theme(graph):
    path, _ = graph
    refused(run("inspectors", "--name", "Nick Whittaker Cathryn Kirby", "-g", path), "unknown person")
    refused(run("inspectors", "--name", "x" * 100_000, "-g", path), "unknown person 'xxx")
    refused(run("themes", "--theme", "waiting", "-g", path), "unknown theme 'waiting'", "'waiting-times'")
    assert run("themes", "--theme", "Waiting times", "-g", path).exit_code == 0


def test_search_area_filter(graph):
    path, store = graph
    for target in (["-g", path], ["--store", store]):
        refused(run("search", "plans", "--area", "Newham Hartlepool", *target), "unknown area 'Newham Hartlepool'")
        result = run("search", "plans", "--area", "Hull", *target, "-f", "json")
        assert result.exit_code == 0, result.stderr
        assert {f["area_name"] for f in json.loads(result.stdout)["findings"]} == {"Kingston upon Hull"}


def test_a_huge_area_name_is_cut(graph):
    path, _ = graph
    message = refused(run("history", "Hartlepool" * 10_000, "-g", path), "unknown area 'HartlepoolHartlepool")
    assert len(message) < 400


# --- named-query parameters ----------------------------------------------------------------


def _rows(result):
    return [line.split(",")[0] for line in result.stdout.splitlines()[1:]]


def test_named_query_parameters_are_resolved_like_names(graph):
    path, store = graph
    for target in (["-g", path], ["--store", store]):
        refused(run("query", "area-inspections", "-p", "area=Middlesborough", *target),
                "unknown area 'Middlesborough'; did you mean 'Middlesbrough'")
        refused(run("query", "area-inspections", "-p", "area=Newham Hartlepool", *target), "unknown area")
        refused(run("query", "area-inspections", "-p", "area=Leeds", *target), "Leeds has no inspection in this graph")
        for value in ("Hull", "Kingston upon Hull City Council", "E06000010"):
            result = run("query", "area-inspections", "-p", f"area={value}", *target, "-f", "csv")
            assert result.exit_code == 0 and set(_rows(result)) == {"Kingston upon Hull"}, (value, result.stderr)
        refused(run("query", "theme-findings", "-p", "theme=waiting", *target), "'waiting-times' (Waiting times)")
        result = run("query", "theme-findings", "-p", "theme=Waiting times", *target, "-f", "csv")
        assert result.exit_code == 0 and len(result.stdout.splitlines()) > 1


def test_a_repeated_parameter_is_refused_in_one_line(graph):
    path, _ = graph
    refused(run("query", "area-inspections", "-p", "area=Hartlepool", "-p", "area=Hull", "-g", path),
            "-p area is given more than once")


def test_a_bad_iri_parameter_is_one_line(graph):
    path, _ = graph
    refused(run("query", "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "-p", "s=<a b>", "-g", path), "not a valid IRI")


def test_an_unparsable_endpoint_url_is_a_usage_error():
    refused(run("query", "area-inspections", "--endpoint", "http://[::1/sparql"), "not a valid endpoint URL")
    refused(run("query", "area-inspections", "--store", "http://[::1/sparql"), "not a valid endpoint URL")
