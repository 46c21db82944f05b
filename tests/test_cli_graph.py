"""The graph commands end to end: build, validate, export, query (exit codes and output)."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.paths import DATA
from rdflib import RDF, Dataset, Graph
from rdflib.namespace import FOAF

from sendgraph.cli import main
from sendgraph.stores.named import query_text


def run(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A folder holding a copy of data/ and the sendgraph.ttl that `sendgraph build` wrote there by default."""
    folder = tmp_path_factory.mktemp("project")
    shutil.copytree(DATA, folder / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        result = run("build")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Wrote sendgraph.ttl: 6 documents, 6 inspections, ")
    assert result.stdout.count("\n") == 1
    assert result.stderr == ""  # no progress bar when standard error is not a terminal
    return folder


def test_build_defaults_and_summary(built):
    graph = Graph().parse(built / "sendgraph.ttl", format="turtle")
    assert len(graph) > 3000
    result = run("build", str(built / "data"), "-o", str(built / "again.ttl"))
    summary = result.stdout
    for word in ("6 documents", "6 inspections", "organisations", "people", "findings", "triples"):
        assert word in summary, word
    people = int(summary.split(" people")[0].rsplit(" ", 1)[1])
    assert people == len(set(graph.subjects(RDF.type, FOAF.Person)))
    assert (built / "again.ttl").read_bytes() == (built / "sendgraph.ttl").read_bytes()


def test_build_reports_bad_files_and_builds_the_rest(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"this is not a pdf")
    out = tmp_path / "graph.trig"
    result = run("build", str(DATA / "hartlepool-2023-area-send-inspection.txt"), str(bad), "-o", str(out))
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith("error: ") and "broken.pdf" in errors[0]
    assert "1 document, " in result.stdout and "1 documents" not in result.stdout
    dataset = Dataset().parse(out, format="trig")
    assert len([g for g in dataset.graphs() if len(g) and g.identifier != dataset.default_graph.identifier]) == 1


def test_unreadable_files_named_on_the_command_line_are_like_files_in_folders(tmp_path):
    """Each named file that cannot be opened gets one line, as inside a folder, and the rest are built."""
    import os

    good = DATA / "hartlepool-2023-area-send-inspection.txt"
    secret = tmp_path / "secret.txt"
    if os.geteuid() == 0:  # root reads any file: a path that cannot be opened instead
        secret.symlink_to(tmp_path / "nowhere")
    else:
        secret.write_text(good.read_text(encoding="utf-8"), encoding="utf-8")
        secret.chmod(0)
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "secret.txt").symlink_to(tmp_path / "nowhere")
    for store in (["-o", tmp_path / "graph.trig"], ["--store", tmp_path / "store"]):
        result = run("build", *map(str, (secret, loop, good, folder, *store)))
        assert result.exit_code == 1, result.stderr
        errors = result.stderr.strip().splitlines()
        assert [e.split(": ")[0] for e in errors] == ["error"] * 3, errors
        assert [e for e in errors if str(secret) in e and str(folder) not in e], errors
        assert [e for e in errors if str(loop) in e and "symbolic link loop" in e], errors
        assert [e for e in errors if str(folder / "secret.txt") in e], errors
        assert "1 document, " in result.stdout, result.stdout


def test_build_with_nothing_readable_writes_nothing(tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"junk")
    out = tmp_path / "graph.ttl"
    result = run("build", str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert not out.exists()
    assert "nothing to build" in result.stderr


def test_build_to_standard_output():
    result = run("build", str(DATA / "stockton-on-tees-2019-joint-local-area-send-inspection.txt"), "-o", "-")
    assert result.exit_code == 0
    graph = Graph().parse(data=result.stdout, format="turtle")
    assert len(graph) > 500
    assert result.stderr.startswith("Built 1 document, 1 inspection, ")


def test_validate_conforming_graph(built):
    for args in (("validate", str(built / "sendgraph.ttl")), ("validate", "-g", str(built / "sendgraph.ttl"))):
        result = run(*args)
        assert result.exit_code == 0, result.output
        assert result.stdout == "The graph conforms to the sendgraph shapes.\n"


def test_validate_reports_violations(built, tmp_path):
    broken = tmp_path / "broken.ttl"
    text = (built / "sendgraph.ttl").read_text(encoding="utf-8")
    broken.write_text(text + "\n<https://w3id.org/sendgraph/id/inspection/hartlepool/2023-03-13> "
                      "<https://w3id.org/sendgraph/ontology#outcome> <https://w3id.org/sendgraph/id/outcome/systemic> .\n",
                      encoding="utf-8")
    report = tmp_path / "report.txt"
    result = run("validate", str(broken), "-o", str(report))
    assert result.exit_code == 1
    content = report.read_text(encoding="utf-8")
    assert content.startswith("The graph does not conform: 1 problem.")
    assert "inspection/hartlepool/2023-03-13" in content and "sg:outcome" in content


def test_validate_bad_input(tmp_path):
    missing = run("validate", str(tmp_path / "missing.ttl"))
    assert missing.exit_code == 2 and "no such graph file" in missing.stderr
    garbage = tmp_path / "garbage.ttl"
    garbage.write_text("this is { not turtle", encoding="utf-8")
    result = run("validate", str(garbage))
    assert result.exit_code == 2 and "not a readable turtle graph" in result.stderr


@pytest.mark.parametrize("fmt", ["turtle", "trig", "nquads", "ntriples", "jsonld", "graphml", "gexf", "csv"])
def test_export_every_format(built, tmp_path, fmt):
    out = tmp_path / f"export.{fmt}"
    result = run("export", "--format", fmt, "-g", str(built / "sendgraph.ttl"), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert out.stat().st_size > 1000


def test_export_csv_to_standard_output(built):
    result = run("export", "-f", "csv", "-g", str(built / "sendgraph.ttl"))
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 6
    assert {r["area"] for r in rows} == {"Hartlepool", "Middlesbrough", "Stockton-on-Tees"}


def test_export_bad_input(built, tmp_path):
    assert run("export", "-f", "xlsx", "-g", str(built / "sendgraph.ttl")).exit_code == 2
    assert run("export", "-f", "csv", "-g", str(tmp_path / "none.ttl")).exit_code == 2


def test_query_list():
    result = run("query", "--list")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names == ["area-inspections", "decisions", "repeat-inspectors", "shared-icb", "theme-findings",
                     "weakness-themes"]


def test_query_named_with_params_and_formats(built):
    graph = str(built / "sendgraph.ttl")
    result = run("query", "area-inspections", "--param", "area=Middlesbrough", "-g", graph, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["start"] for r in rows] == ["2017-03-20", "2019-07-08", "2023-10-09"]
    table = run("query", "repeat-inspectors", "-g", graph)
    assert "Nick Whittaker" in table.stdout
    assert table.stdout.rstrip().endswith("(1 row; IRI columns left out: inspector (--iris shows them))")
    assert "https://" not in table.stdout
    hostile = run("query", "area-inspections", "-p", 'area=x") || true || ("', "-g", graph, "-f", "csv")
    assert hostile.exit_code == 2 and hostile.stderr.startswith("Error: unknown area ")  # resolved first: no such area
    rq = built / "area-inspections.rq"  # not a shipped query: its parameter is bound as given, never pasted
    rq.write_text(query_text("area-inspections"), encoding="utf-8")
    hostile = run("query", str(rq), "-p", 'area=x") || true || ("', "-g", graph, "-f", "csv")
    assert hostile.exit_code == 0 and hostile.stdout.strip().count("\n") == 0  # header only


def test_query_text_and_output_file(built, tmp_path):
    out = tmp_path / "count.csv"
    result = run("query", "SELECT (COUNT(?p) AS ?n) WHERE { ?p a foaf:Person }", "-g", str(built / "sendgraph.ttl"),
                 "-f", "csv", "-o", str(out))
    assert result.exit_code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfn\n")  # a CSV file starts with the UTF-8 byte-order mark
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == "n"
    assert int(out.read_text(encoding="utf-8-sig").splitlines()[1]) > 20


def test_query_errors(built):
    graph = str(built / "sendgraph.ttl")
    unknown = run("query", "no-such-query", "-g", graph)
    assert unknown.exit_code == 2 and "unknown query" in unknown.stderr
    bad_param = run("query", "shared-icb", "-p", "nosuch=1", "-g", graph)
    assert bad_param.exit_code == 2 and "no variable ?nosuch" in bad_param.stderr
    malformed = run("query", "-p", "novalue", "shared-icb", "-g", graph)
    assert malformed.exit_code == 2
    syntax = run("query", "SELECT ?x WHERE {", "-g", graph)
    assert syntax.exit_code == 2 and "SPARQL syntax error: error at 1:18" in syntax.stderr
    assert run("query", "-g", graph).exit_code == 2


# --- stores (issue 6): build --store DIR, query --store DIR ---------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A working folder holding a copy of data/, made the current directory."""
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("*.md"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_build_store_is_incremental_and_says_what_it_did(project):
    first = run("build", "--store", "graph.db")
    assert first.exit_code == 0, first.output
    lines = first.stdout.splitlines()
    assert lines[0] == "Store graph.db: added 6, replaced 0, kept 0, dropped 0 (5 files extracted, 0 from the cache)"
    assert lines[1].startswith("Built 6 documents, 6 inspections, ") and len(lines) == 2
    assert first.stderr == ""
    assert not (project / "sendgraph.ttl").exists()  # a store build writes a file only when asked (-o)

    again = run("build", "data", "--store", "graph.db", "-o", "graph.trig")
    assert again.exit_code == 0, again.output
    lines = again.stdout.splitlines()
    assert lines[0] == "Store graph.db: added 0, replaced 0, kept 6, dropped 0 (0 files extracted, 5 from the cache)"
    assert lines[1].startswith("Wrote graph.trig: 6 documents")
    assert run("build", "-o", "memory.trig").exit_code == 0
    assert (project / "graph.trig").read_bytes() == (project / "memory.trig").read_bytes()

    report = project / "data" / "hartlepool-2023-area-send-inspection.txt"
    report.write_text(report.read_text(encoding="utf-8").replace("is strong.", "is very strong.", 1), encoding="utf-8")
    (project / "data" / "stockton-on-tees-2019-joint-local-area-send-inspection.txt").unlink()
    changed = run("build", "--store", "graph.db", "--verbose")
    assert changed.exit_code == 0, changed.output
    assert changed.stdout.splitlines()[0] == ("Store graph.db: added 0, replaced 1, kept 4, dropped 1; links between "
                                             "documents updated (1 file extracted, 3 from the cache)")
    steps = changed.stderr.splitlines()
    assert steps[0] == "files 4" and "extracted data/hartlepool-2023-area-send-inspection.txt" in steps
    assert "staged https://w3id.org/sendgraph/id/graph/hartlepool-2023-area-send-inspection.txt" in steps
    assert steps[-1] == "committing added 0, replaced 1, kept 4, dropped 1"


def test_query_store_answers_as_the_graph_file_does(project):
    assert run("build", "--store", "graph.db", "-o", "graph.ttl").exit_code == 0
    cases = [("area-inspections", "-p", "area=Middlesbrough"), ("repeat-inspectors",), ("shared-icb",),
             ("decisions",), ("weakness-themes",), ("SELECT (COUNT(?p) AS ?n) WHERE { ?p a foaf:Person }",),
             ("ASK { ?i sg:leadInspector ?p }",)]
    for args in cases:
        for fmt in ("csv", "json", "table"):
            from_store = run("query", *args, "--store", "graph.db", "-f", fmt)
            from_file = run("query", *args, "-g", "graph.ttl", "-f", fmt)
            assert from_store.exit_code == 0, from_store.output
            assert from_store.stdout == from_file.stdout, (args, fmt)
    rows = json.loads(run("query", "area-inspections", "-p", "area=Middlesbrough", "--store", "graph.db", "-f", "json").stdout)
    assert [r["start"] for r in rows] == ["2017-03-20", "2019-07-08", "2023-10-09"]
    hostile = run("query", "area-inspections", "-p", 'area=x") || true || ("', "--store", "graph.db", "-f", "csv")
    assert hostile.exit_code == 2 and hostile.stderr.startswith("Error: unknown area ")  # resolved first: no such area
    Path("mine.rq").write_text(query_text("area-inspections"), encoding="utf-8")
    hostile = run("query", "mine.rq", "-p", 'area=x") || true || ("', "--store", "graph.db", "-f", "csv")
    assert hostile.exit_code == 0 and hostile.stdout.strip().count("\n") == 0  # header only: bound, not pasted
    out = project / "people.csv"
    assert run("query", "SELECT ?p WHERE { ?p a foaf:Person }", "--store", "graph.db", "-f", "csv", "-o", str(out)).exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 33


def test_store_errors_are_one_line(project):
    missing = run("query", "shared-icb", "--store", "no-such.db")
    assert missing.exit_code == 2 and missing.stderr == "Error: cannot open store no-such.db: no such store\n"
    assert not (project / "no-such.db").exists()  # a query never creates a store
    not_a_store = run("build", "--store", "data")
    assert not_a_store.exit_code == 2
    assert not_a_store.stderr.strip() == "Error: cannot open store data: the folder is not empty and holds no store"
    assert sorted(p.name for p in (project / "data").iterdir()) == sorted(p.name for p in DATA.iterdir() if p.suffix != ".md")
    both = run("query", "shared-icb", "--store", "graph.db", "--endpoint", "http://127.0.0.1:1/sparql")
    assert both.exit_code == 2 and "not both" in both.stderr
    assert run("query", "shared-icb", "--endpoint", "graph.db").exit_code == 2
    assert run("build", "--store", "graph.db").exit_code == 0
    bad_param = run("query", "shared-icb", "-p", "nosuch=1", "--store", "graph.db")
    assert bad_param.exit_code == 2 and "no variable ?nosuch" in bad_param.stderr
    syntax = run("query", "SELECT ?x WHERE {", "--store", "graph.db")
    assert syntax.exit_code == 2 and syntax.stderr.startswith("Error: SPARQL syntax error") and syntax.stderr.count("\n") == 1
    unreachable = run("query", "shared-icb", "--endpoint", "http://127.0.0.1:9/sparql")
    assert unreachable.exit_code == 2 and unreachable.stderr.startswith("Error: cannot reach SPARQL endpoint")
    assert unreachable.stderr.count("\n") == 1


def test_build_store_with_bad_files(project):
    (project / "data" / "broken.pdf").write_bytes(b"this is not a pdf")
    result = run("build", "--store", "graph.db")
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: data/broken.pdf: ") and result.stderr.count("\n") == 1
    assert result.stdout.startswith("Store graph.db: added 6, ")
    nothing = run("build", str(project / "data" / "broken.pdf"), "--store", "graph.db")
    assert nothing.exit_code == 2 and "nothing to build" in nothing.stderr
    kept = run("query", "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a sg:Report }", "--store", "graph.db", "-f", "csv")
    assert kept.stdout.splitlines()[1] == "6"  # nothing readable: the store was left as it was


def test_output_below_a_file_is_one_clear_line(tmp_path):
    # Regression: "-o afile/x.ttl" where afile is a file said only "File exists".
    from click.testing import CliRunner

    from sendgraph.cli import main

    (tmp_path / "afile").write_text("")
    result = CliRunner().invoke(main, ["build", str(DATA), "-o", str(tmp_path / "afile" / "x.ttl")])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"Error: {tmp_path / 'afile' / 'x.ttl'}: cannot be written (a part of the path is a file, not a folder)"
    ]


def _no_controls(text: str) -> None:
    import unicodedata

    for ch in text:
        assert ch == "\n" or unicodedata.category(ch)[0] != "C", f"raw {ch!r} in {text!r}"


def test_file_and_folder_names_cannot_forge_lines_of_the_output(tmp_path, monkeypatch):
    """A name holding a line break, an escape sequence or a bidi control is printed escaped, on its line."""
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "in\nerror: forged\x1b]0;T\x07"
    folder.mkdir()
    shutil.copy(DATA / "hartlepool-2023-area-send-inspection.txt", folder / "hart\nlepool\x1b[2J\u202e.txt")
    out = "out\nWrote forged\x1b[31m.ttl"
    built = run("build", str(folder.name), "-v", "-o", out)
    assert built.exit_code == 0, built.output
    _no_controls(built.stdout + built.stderr)
    assert built.stdout == built.stdout.splitlines()[0] + "\n"
    assert built.stdout.startswith("Wrote out\\nWrote forged\\x1b[31m.ttl: 1 document, ")
    assert "extracted in\\nerror: forged\\x1b]0;T\\x07/hart\\nlepool\\x1b[2J\\u202e.txt" in built.stderr.splitlines()
    store = "store\n\x1b[2J"
    stored = run("build", str(folder.name), "--store", store)
    assert stored.exit_code == 0, stored.output
    _no_controls(stored.stdout + stored.stderr)
    assert stored.stdout.splitlines()[0].startswith("Store store\\n\\x1b[2J: added 1, ")
    assert len(stored.stdout.splitlines()) == 2
