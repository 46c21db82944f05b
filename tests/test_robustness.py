"""Robustness end to end, with the real `sendgraph` command in a subprocess.

- A generated corpus of bad files mixed with good documents goes through `extract`, `build`, `view`
  and `push` (to the test Virtuoso): one line per bad file with its reason, the exit status, and the
  good documents complete, exactly as when they are read without the bad ones.
- Bad graph files given to `view` and `push`: one line each, exit 2, nothing written or pushed.
- Builds killed with SIGKILL part-way (while extracting, linking, writing; into a graph file and
  into an on-disk store): the previous output is unchanged and still reads.
- User text stays data: query parameters are bound (in memory, in the store, on the server) and
  area names of the analytics commands are looked up, never pasted into SPARQL.
- The README's "Errors and exit codes" section says what the commands do.
"""

from __future__ import annotations

import gc
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from support.killing import kill_now, read_until
from support.paths import CORPUS, DATA, ROOT
from rdflib import Dataset, Graph

from support import badfiles
from sendgraph.stores import embedded as emb
from sendgraph.graph import files as gfiles
from sendgraph.stores import remote as rmt
from sendgraph.stores import sparql as sq
from sendgraph.stores import target as tgt
from sendgraph import vocab
from sendgraph.cli import main
from sendgraph.errors import printable
from sendgraph.read.extract import read_report
from sendgraph.graph.build import document_graph
from sendgraph.graph.files import load_graph, sorted_nquads

SENDGRAPH = str(Path(sys.executable).with_name("sendgraph"))
BAD = badfiles.bad_documents()
DOCUMENT_GRAPHS = "https://w3id.org/sendgraph/id/graph/"

# A good report under a file name that IRIs, error lines and pages must survive, and a bad one.
WEIRD_GOOD = "it's \"quoted\" <x> & Łódź\nline.txt"
WEIRD_BAD = "scan <b> \"x\"\tü.pdf"


def run(*args, env=None, timeout=300) -> subprocess.CompletedProcess:
    """The real command, output as text; never a traceback."""
    proc = subprocess.run([SENDGRAPH, *map(str, args)], capture_output=True, text=True, env=env, timeout=timeout)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def run_all(commands, env=None, timeout=300) -> list[subprocess.CompletedProcess]:
    """Several commands at once (each in its own process), in order of the list."""
    procs = [subprocess.Popen([SENDGRAPH, *map(str, c)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              env=env) for c in commands]
    done = []
    for command, proc in zip(commands, procs):
        out, err = proc.communicate(timeout=timeout)
        assert "Traceback" not in out + err, err
        done.append(subprocess.CompletedProcess(command, proc.returncode, out, err))
    return done


def cli(*args) -> subprocess.CompletedProcess:
    """The same command in this process (click's runner): for the many small runs, where starting a
    process each time would cost more than the run."""
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


def nquads_of(path) -> str:
    return sorted_nquads(load_graph(path))


# ---------------------------------------------------------------------------------------------
# The mixed corpus: every bad file and the good documents in one folder
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """``folder``: bad and good files side by side; ``good``: {path: record read alone}; ``reasons``: {path:
    words its error line must hold}; ``work``: a folder for outputs."""
    root = tmp_path_factory.mktemp("robust")
    folder = root / "mixed"
    bad = badfiles.write_files(folder, {name: data for name, (data, _) in BAD.items()})
    reasons = {path: BAD[name][1] for name, path in bad.items()}
    weird_bad = badfiles.write_files(folder, {WEIRD_BAD: badfiles.image_only_pdf()})[WEIRD_BAD]
    reasons[weird_bad] = ("no text layer",)
    reasons[badfiles.sparse_file(folder / "huge.pdf", 300 * 1024 * 1024)] = ("file too large",)
    good_files = {**badfiles.good_documents(),
                  WEIRD_GOOD: badfiles.hartlepool_text().encode() + b"\n\nPrinted from the council's archive.\n"}
    good = {path: read_report(path) for path in badfiles.write_files(folder, good_files).values()}
    work = root / "work"
    work.mkdir()
    return {"folder": folder, "good": good, "reasons": reasons, "work": work}


def check_error_lines(stderr: str, reasons: dict, prefix: str = "error: ") -> None:
    """Exactly one line per bad file, naming it (printably) and saying why."""
    lines = stderr.splitlines()
    assert len(lines) == len(reasons), lines
    for path, words in reasons.items():
        (line,) = [line for line in lines if line.startswith(f"{prefix}{printable(path)}: ")]
        for word in words:
            assert word in line, (word, line)


def test_extract_names_every_bad_file_and_reads_the_good_ones_whole(mixed):
    proc = run("extract", mixed["folder"])
    assert proc.returncode == 1
    check_error_lines(proc.stderr, mixed["reasons"])
    records = json.loads(proc.stdout)
    expected = {str(path): records_alone for path, records_alone in mixed["good"].items()}
    assert sorted(r["source"] for r in records) == sorted(expected)
    for record in records:
        assert [record] == expected[record["source"]]  # complete: as when the file is read alone
        assert record["findings"] and record["area"]


@pytest.fixture(scope="module")
def built(mixed):
    """`sendgraph build` of the mixed folder and of its good files alone, to TriG; both results."""
    work = mixed["work"]
    both, alone = run_all([["build", mixed["folder"], "-o", work / "mixed.trig"],
                           ["build", *mixed["good"], "-o", work / "good.trig"]])
    return both, alone, work / "mixed.trig", work / "good.trig"


def test_build_names_every_bad_file_and_builds_the_good_ones_whole(mixed, built):
    both, alone, mixed_trig, good_trig = built
    assert alone.returncode == 0 and alone.stderr == "", alone.stderr
    assert both.returncode == 1
    check_error_lines(both.stderr, mixed["reasons"])
    documents = len(mixed["good"])
    assert both.stdout.startswith(f"Wrote {mixed_trig}: {documents} documents, ") and both.stdout.count("\n") == 1
    assert both.stdout.replace(str(mixed_trig), "") == alone.stdout.replace(str(good_trig), "")
    # The graph is the graph of the good documents alone, quad for quad.
    assert nquads_of(mixed_trig) == nquads_of(good_trig)
    dataset = Dataset().parse(mixed_trig, format="trig")
    named = {str(g.identifier) for g in dataset.graphs() if str(g.identifier).startswith(DOCUMENT_GRAPHS)}
    root = str(mixed["folder"])
    assert named == {str(document_graph(str(path), root, None)) for path in mixed["good"]}
    weird = str(document_graph(str(mixed["folder"] / WEIRD_GOOD), root, None))
    assert re.fullmatch(r"[A-Za-z0-9\-._~%/:]+", weird) and "%0A" in weird  # quotes, <, &, line break encoded
    for name in named:
        assert len(dataset.graph(name)) > 500  # every document whole, with its findings


def test_view_of_the_mixed_build_shows_the_good_documents_as_alone(built):
    _, _, mixed_trig, good_trig = built
    work = mixed_trig.parent
    # Each in a process of its own hash seed: the Hartlepool report is in four of the files, and which
    # file a finding's tooltip names once depended on the order of a set (regression: the pages differed).
    runs = [(mixed_trig, work / "site-mixed", "1"), (good_trig, work / "site-good", "2")]
    procs = [subprocess.Popen([SENDGRAPH, "view", "-g", str(graph), "-o", str(site)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONHASHSEED": seed})
             for graph, site, seed in runs]
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0 and err == "" and out.startswith("wrote "), err
    sites = [site for _, site, _ in runs]
    pages = sorted(p.name for p in sites[0].iterdir())
    assert {"index.html", "area-hartlepool.html", "area-stockton-on-tees.html"} <= set(pages)
    for site in sites[1:]:
        assert sorted(p.name for p in site.iterdir()) == pages
        for name in pages:
            assert (site / name).read_bytes() == (sites[0] / name).read_bytes(), (site, name)


@pytest.fixture(scope="module")
def graph_files(built, mixed):
    """Bad graph files, written beside a copy of the good build's N-Quads and extract records."""
    _, _, mixed_trig, _ = built
    work = mixed["work"]
    nquads = work / "mixed.nq"
    assert run("export", "-f", "nquads", "-g", mixed_trig, "-o", nquads).returncode == 0
    records = run("extract", *list(mixed["good"])[:1]).stdout
    files = badfiles.bad_graph_files(mixed_trig.read_text(encoding="utf-8"), nquads.read_text(encoding="utf-8"), records)
    paths = badfiles.write_files(work / "graphs", {name: data for name, (data, _) in files.items()})
    return {paths[name]: words for name, (_, words) in files.items()}


def test_view_of_a_bad_graph_file_is_one_line_and_writes_nothing(graph_files, tmp_path):
    previous = tmp_path / "site"
    previous.mkdir()
    (previous / "index.html").write_text("the previous site\n", encoding="utf-8")
    paths = list(graph_files)
    results = [cli("view", "-g", path, "-o", tmp_path / f"site-{n}") for n, path in enumerate(paths)]
    results.append(run("view", "-g", paths[0], "-o", previous))  # and once with the real command
    for n, (path, proc) in enumerate(zip(paths, results)):
        assert proc.returncode == 2, (path, proc.stdout, proc.stderr)
        (line,) = proc.stderr.splitlines()
        assert line.startswith(f"Error: {path}: "), line
        for word in graph_files[path]:
            assert word in line, (word, line)
        assert proc.stdout == "" and not (tmp_path / f"site-{n}").exists()
    assert results[-1].returncode == 2
    assert [p.name for p in previous.iterdir()] == ["index.html"]
    assert (previous / "index.html").read_text(encoding="utf-8") == "the previous site\n"


# ---------------------------------------------------------------------------------------------
# push and build --store URL, on the test Virtuoso
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def server(virtuoso, tmp_path, monkeypatch):
    """The endpoint and an environment with its credentials (and no netrc); afterwards the server holds the
    graph of data/ again, as test_remote.py leaves it."""
    from sendgraph.stores.incremental import build

    env = {**os.environ, rmt.USER_ENV: virtuoso.user, rmt.PASSWORD_ENV: virtuoso.password,
           "NETRC": str(tmp_path / "no-netrc"), "HOME": str(tmp_path)}
    for name in (rmt.USER_ENV, rmt.PASSWORD_ENV, "NETRC", "HOME"):
        monkeypatch.setenv(name, env[name])
    yield virtuoso.sparql_url, env
    restored = build([DATA], virtuoso.sparql_url)
    assert not restored.errors and restored.sync is not None


def server_sizes(endpoint) -> dict[str, int]:
    result = rmt.remote_query(endpoint, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                       f"FILTER(STRSTARTS(STR(?g), {sq.sparql_term(vocab.SCOPE)})) }} GROUP BY ?g", auth=None)
    return {str(g): int(n) for g, n in result.rows}


def test_push_and_build_to_a_server_send_the_good_documents_whole(server, built, mixed, graph_files):
    endpoint, env = server
    _, _, mixed_trig, _ = built
    local = {iri if iri is not None else vocab.DEFAULT_GRAPH: len(g) for iri, g in gfiles.graphs_of(gfiles.load_graph(mixed_trig))}
    assert len(local) == len(mixed["good"]) + 1  # one graph per good document, and the links

    pushed = run("push", "--endpoint", endpoint, "-g", mixed_trig, env=env)
    assert pushed.returncode == 0, pushed.stderr
    assert pushed.stdout == f"pushed {len(local)} graphs ({sum(local.values())} triples) to {endpoint}\n"
    sizes = server_sizes(endpoint)
    assert {g: sizes.get(g) for g in local} == local  # each graph whole

    # Bad graph files: one line each, exit 2, nothing on the server changed.
    results = [cli("push", "--endpoint", endpoint, "-g", path) for path in graph_files]
    for path, proc in zip(graph_files, results):
        assert proc.returncode == 2, (path, proc.stdout, proc.stderr)
        (line,) = proc.stderr.splitlines()
        assert line.startswith(f"Error: {path}: "), line
        for word in graph_files[path]:
            assert word in line, (word, line)
    assert server_sizes(endpoint) == sizes

    # Query parameters are bound on the server too.
    assert len(tgt.query_target(endpoint, "area-inspections", {"area": "Hartlepool"}).rows) == 2
    check_bound(lambda value: tgt.query_target(endpoint, "area-inspections", {"area": value}))

    # build --store URL of the mixed folder: the bad files named, the good documents pushed whole.
    result = run("build", mixed["folder"], "--store", endpoint, env=env)
    assert result.returncode == 1
    check_error_lines(result.stderr, mixed["reasons"])
    assert result.stdout.startswith(f"Pushed to {endpoint}: ")
    assert rmt.remote_graphs(endpoint, DOCUMENT_GRAPHS) == sorted(g for g in local if g.startswith(DOCUMENT_GRAPHS))
    sizes = server_sizes(endpoint)
    assert {g: sizes.get(g) for g in local} == local


# ---------------------------------------------------------------------------------------------
# Builds killed part-way
# ---------------------------------------------------------------------------------------------


def corpus_pdfs() -> list[Path]:
    pdfs = sorted(CORPUS.glob("*.pdf"))
    assert len(pdfs) >= 20, f"the corpus of report PDFs is missing from {CORPUS} (set SENDGRAPH_CORPUS)"
    return pdfs


def _start_build(args, cwd) -> subprocess.Popen:
    """`sendgraph build ARGS -v` in a process group of its own (its worker processes included)."""
    return subprocess.Popen([SENDGRAPH, "build", *map(str, args), "-v"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=cwd, start_new_session=True)


def _wait_for(proc, event: str, nth: int, seen: list) -> None:
    """Read the build's steps (-v) until the nth line starting with event."""
    read_until(proc.stderr, lambda seen: sum(line.startswith(event) for line in seen) >= nth, seen, f"{event} #{nth}")


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _kill(proc) -> None:
    """SIGKILL the build (only its main process, as an out-of-memory killer or a power cut would), then
    check that no worker of it lives on (regression: `-j N` workers once waited for work forever)."""
    try:
        kill_now(proc)  # returns once every process holding its pipes is gone
        deadline = time.monotonic() + 10
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        orphans = _group_alive(proc.pid)
    finally:
        if _group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)  # the build's own group, started by this test
    assert proc.returncode == -signal.SIGKILL  # killed part-way, not after it finished
    assert not orphans, "worker processes of the killed build are still running"


def _stop_when_writing(proc, folder, prefix: str) -> list[str]:
    """Step the build with SIGSTOP/SIGCONT until it is stopped while its temporary file exists, so the
    kill that follows lands mid-write however fast the writing is (polling alone could miss it)."""
    while proc.poll() is None:
        os.kill(proc.pid, signal.SIGSTOP)
        time.sleep(0.002)  # let the stop take effect
        left = [p.name for p in os.scandir(folder) if p.name.startswith(prefix)]
        if left:
            return left  # stopped mid-write; the caller kills it (SIGKILL ends a stopped process too)
        os.kill(proc.pid, signal.SIGCONT)
        time.sleep(0.0005)
    return []


@pytest.fixture(scope="module")
def previous_graph(tmp_path_factory):
    """sendgraph.ttl as a finished build of data/ wrote it: (bytes, number of triples)."""
    folder = tmp_path_factory.mktemp("previous")
    proc = run("build", DATA, "-o", folder / "sendgraph.ttl")
    assert proc.returncode == 0, proc.stderr
    data = (folder / "sendgraph.ttl").read_bytes()
    return data, len(Graph().parse(data=data, format="turtle"))


@pytest.mark.parametrize("point", ["extracting", "linking", "writing"])
def test_a_killed_build_leaves_the_previous_graph_file(previous_graph, tmp_path, point):
    data, triples = previous_graph
    out = tmp_path / "sendgraph.ttl"
    out.write_bytes(data)
    pdfs = corpus_pdfs()[: {"extracting": 10, "linking": 10, "writing": 15}[point]]
    proc = _start_build([*pdfs, "-o", out, "-j", "2"], tmp_path)  # two worker processes read the PDFs
    seen: list[str] = []
    left = []
    try:
        if point == "extracting":
            _wait_for(proc, "extracted", 3, seen)
        else:
            _wait_for(proc, "extracted", len(pdfs), seen)
        if point == "writing":  # the new graph is being written to its temporary file
            left = _stop_when_writing(proc, tmp_path, ".sendgraph.ttl.")
    finally:
        _kill(proc)
    assert out.read_bytes() == data  # byte for byte the previous graph
    assert len(Graph().parse(out, format="turtle")) == triples  # and it still reads
    names = sorted(p.name for p in tmp_path.iterdir())
    if point == "writing":
        assert left and names == sorted(["sendgraph.ttl", *left]), names  # killed mid-write; its temporary is apart
    else:
        assert names == ["sendgraph.ttl"]


def test_the_previous_graph_file_still_validates(previous_graph, tmp_path):
    (tmp_path / "sendgraph.ttl").write_bytes(previous_graph[0])
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "sendgraph.ttl")])
    assert result.exit_code == 0 and result.stdout == "The graph conforms to the sendgraph shapes.\n"


def store_state(path) -> tuple[list[str], int]:
    """Every quad of the store (bookkeeping included) and the number of triples a query sees."""
    store = emb.open_store(path)  # reopening cleans up what a killed build staged
    try:
        quads = sorted(store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines())
        (row,) = emb.query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
        return quads, int(row[0])
    finally:
        del store
        gc.collect()


def store_answers(path) -> list[str]:
    """What two named queries answer from the store, through the command."""
    return [cli("query", *q, "--store", path, "-f", "csv").stdout
            for q in (("repeat-inspectors",), ("area-inspections", "-p", "area=Middlesbrough"))]


def test_a_killed_store_build_leaves_the_previous_complete_graph(tmp_path):
    store, out = tmp_path / "graph.db", tmp_path / "graph.trig"
    first = run("build", DATA, "--store", store, "-o", out)
    assert first.returncode == 0, first.stderr
    before, answers, trig = store_state(store), store_answers(store), out.read_bytes()
    assert before[1] > 3000 and "Nick Whittaker" in answers[0] and "2023-10-09" in answers[1]

    # Reports of the corpus replace every document of data/: killed while their graphs are being staged.
    proc = _start_build([*corpus_pdfs()[:8], "--store", store, "-o", out, "-j", "2"], tmp_path)
    try:
        _wait_for(proc, "staged", 5, [])
    finally:
        _kill(proc)
    assert store_state(store) == before  # the previous graph, whole, quad for quad
    assert store_answers(store) == answers
    assert out.read_bytes() == trig


def test_a_killed_first_build_leaves_an_empty_store_that_builds_again(tmp_path):
    store = tmp_path / "graph.db"
    proc = _start_build([DATA, "--store", store], tmp_path)
    try:
        _wait_for(proc, "staged", 3, [])
    finally:
        _kill(proc)
    assert store_state(store)[1] == 0  # no half graph: nothing
    empty = cli("query", "repeat-inspectors", "--store", store, "-f", "csv")
    assert empty.returncode == 0 and empty.stdout == "inspector,name,inspections,worked_on\n"
    again = cli("build", DATA, "--store", store)
    assert again.returncode == 0 and again.stdout.startswith(f"Store {store}: added 6, replaced 0, kept 0, dropped 0")


# ---------------------------------------------------------------------------------------------
# User text stays data
# ---------------------------------------------------------------------------------------------

HOSTILE = [
    'x") || true || ("',
    'x" } UNION { ?s ?p ?o } #',
    'x"; DROP ALL; SELECT * WHERE { ?s ?p ?o . FILTER("',
    "x'} . ?s ?p ?o {'",
    '"""x""" ) } ?s ?p ?o { ( """',
    "Middlesbrough\\\" ) } ?s ?p ?o { ( \\\"",
    "Middlesbrough\n} ?s ?p ?o {",
    "<https://w3id.org/sendgraph/id/area/E06000002> } ?s ?p ?o {",
    "Middlesbrough'",
    "<urn:x> } ?s ?p ?o { <urn:y>",
]


@pytest.fixture(scope="module")
def data_store(tmp_path_factory):
    """The graph of data/ as a file and as an on-disk store."""
    folder = tmp_path_factory.mktemp("query")
    proc = run("build", DATA, "--store", folder / "graph.db", "-o", folder / "graph.trig")
    assert proc.returncode == 0, proc.stderr
    return folder / "graph.trig", folder / "graph.db"


AREA_INSPECTIONS_HEADER = "areaName,start,end,kind,outcome,leadInspectors,reports,inspection\n"


def check_bound(run_query_with) -> None:
    """Each hostile value answers nothing (no area has that name), or is refused as an IRI it cannot be."""
    from sendgraph.errors import QueryError

    for value in HOSTILE:
        try:
            result = run_query_with(value)
        except QueryError:
            assert value.startswith("<") and value.endswith(">"), value
            continue
        assert result.kind == "select" and result.rows == [], (value, result.rows)


def test_query_parameters_are_bound_never_pasted(data_store):
    from sendgraph.stores.named import run_query

    graph, store_dir = data_store
    dataset = load_graph(graph)
    assert len(run_query(dataset, "area-inspections", {"area": "Middlesbrough"}).rows) == 3
    check_bound(lambda value: run_query(dataset, "area-inspections", {"area": value}))
    store = emb.open_store(store_dir, read_only=True)
    try:
        assert len(tgt.query_target(store, "area-inspections", {"area": "Middlesbrough"}).rows) == 3
        check_bound(lambda value: tgt.query_target(store, "area-inspections", {"area": value}))
    finally:
        del store
        gc.collect()
    for target in (["-g", graph], ["--store", store_dir]):  # and through the real command, which
        # resolves a shipped query's area first: a value naming no area is refused, never run
        proc = run("query", "area-inspections", "-p", f"area={HOSTILE[2]}", *target, "-f", "csv")
        assert proc.returncode == 2 and proc.stdout == "", proc.stderr
        assert proc.stderr.startswith("Error: unknown area ") and proc.stderr.count("\n") == 1, proc.stderr


def test_analytics_look_area_names_up_and_never_query_with_them(data_store):
    from sendgraph.analysis.compare import compare_areas
    from sendgraph.errors import UsageError
    from sendgraph.analysis.history import area_history
    from sendgraph.analysis.inspectors import shared_inspectors
    from sendgraph.analysis.neighbours import compare_neighbours
    from sendgraph.analysis.network import find_area, to_networkx
    from sendgraph.analysis.themes import theme_summary

    graph, _ = data_store
    G = to_networkx(load_graph(graph))
    for value in HOSTILE:
        # A name is a key to look an area up by (leniently: "Middlesbrough ..." may find Middlesbrough);
        # whatever else it holds changes nothing: the answer is the named area's, or "unknown area".
        try:
            label = G.nodes[find_area(G, value)]["label"]
        except UsageError as error:
            assert str(error).startswith("unknown area ") and "\n" not in str(error), str(error)
            label = None
        for function, args in ((area_history, [value]), (compare_neighbours, [value]),
                               (compare_areas, [[value, "Hartlepool"]])):
            if label is None:
                with pytest.raises(UsageError, match="^unknown area "):
                    function(G, *args)
            elif function is not compare_areas or label != "Hartlepool":
                same = [label] if function is not compare_areas else [[label, "Hartlepool"]]
                assert function(G, *args) == function(G, *same), (function.__name__, value)
        with pytest.raises(UsageError, match="^unknown person "):
            shared_inspectors(G, name=value)
        with pytest.raises(UsageError, match="^unknown theme "):
            theme_summary(G, theme=value)
    # They read the graph through NetworkX: no SPARQL text is ever made from an area name.
    for module in ("network", "history", "neighbours", "compare", "inspectors", "themes"):
        source = (ROOT / "sendgraph" / "analysis" / f"{module}.py").read_text(encoding="utf-8")
        assert not re.search(r"\.query\(|\bSELECT\b|\bWHERE\s*\{", source), module
    # And through the command: one line, exit 2.
    result = CliRunner().invoke(main, ["history", HOSTILE[2], "-g", str(graph)])
    assert result.exit_code == 2 and result.stderr.startswith("Error: unknown area ") and result.stderr.count("\n") == 1


# ---------------------------------------------------------------------------------------------
# The README's "Errors and exit codes"
# ---------------------------------------------------------------------------------------------


def test_the_readme_says_what_the_exit_codes_are(mixed, built, tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Errors and exit codes", 1)[1].split("\n## ", 1)[0]
    codes = dict(re.findall(r"^\| (\d) \| (.+) \|$", section, re.MULTILINE))
    assert sorted(codes) == ["0", "1", "2"]
    for words in ("some inputs failed", "violations", "push stopped part-way"):
        assert words in codes["1"], words
    for words in ("usage error", "no readable document", "unreadable or empty graph", "unknown area"):
        assert words in codes["2"], words
    for words in ("`error: FILE: reason`", "--debug", "temporary name", "killed outright", "one transaction"):
        assert words in section, words
    # Each claim, as the commands behave (the other tests of this module check the rest):
    both, alone, mixed_trig, good_trig = built
    assert (alone.returncode, both.returncode) == (0, 1)  # everything worked; some inputs failed
    bad = next(iter(mixed["reasons"]))
    garbage, empty = tmp_path / "garbage.ttl", tmp_path / "empty.ttl"
    garbage.write_text("not { turtle", encoding="utf-8")
    empty.write_text("", encoding="utf-8")
    results = run_all([
        ["build", bad, "-o", tmp_path / "nothing.ttl"],     # no readable document
        ["view", "-g", garbage, "-o", tmp_path / "site"],  # unreadable graph
        ["view", "-g", empty, "-o", tmp_path / "site"],    # empty graph
        ["history", "Nowhere", "-g", good_trig],           # unknown area
        ["build", "--no-such-option"],                     # usage error
    ])
    assert [r.returncode for r in results] == [2, 2, 2, 2, 2], [r.stderr for r in results]
    for result in results[:-1]:
        assert result.stdout == "" and result.stderr.count("\n") == (2 if result is results[0] else 1), result.stderr
    assert results[-1].stderr.splitlines()[-1].startswith("Error: No such option")
    assert not (tmp_path / "nothing.ttl").exists() and not (tmp_path / "site").exists()
    assert "--debug" in run("--help").stdout
