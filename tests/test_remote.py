"""Pushing to and querying a real SPARQL 1.1 server: a private Virtuoso 7 (tests/support/virtuoso.py).

The server is started once per session by the ``virtuoso`` fixture (tests/conftest.py) and is never
skipped: without virtuoso-t these tests fail and say how to install it.
"""

from __future__ import annotations

import datetime
import json
import time
import decimal
import socket
import subprocess
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef

from sendgraph.stores import embedded as emb

from sendgraph.graph import files as gfiles

from sendgraph.stores import push as pusher

from sendgraph.stores import remote as rmt

from sendgraph.stores import results as qr

from sendgraph.stores import sparql as sq

from sendgraph import vocab
from sendgraph.errors import StoreError

RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
PASSWORD_MARKERS = ("dba:", "wrong-Pa55")


@pytest.fixture
def ns():
    """A fresh namespace per test, so tests sharing the server never see each other's graphs."""
    return Namespace(f"https://example.org/{uuid.uuid4().hex[:10]}/")


@pytest.fixture
def creds(virtuoso, monkeypatch, tmp_path):
    """The server's dba credentials in the environment, and no netrc file to fall back on."""
    monkeypatch.setenv(rmt.USER_ENV, virtuoso.user)
    monkeypatch.setenv(rmt.PASSWORD_ENV, virtuoso.password)
    monkeypatch.setenv("NETRC", str(tmp_path / "no-netrc"))
    monkeypatch.setenv("HOME", str(tmp_path))
    return virtuoso.sparql_url


@pytest.fixture
def endpoint(virtuoso, creds):
    return virtuoso.sparql_url


def small_dataset(ns, version="v1") -> Dataset:
    """Two documents' named graphs plus default-graph triples, with awkward literals."""
    dataset = Dataset(default_union=True)
    for doc, n in (("a", 3), ("b", 2)):
        g = dataset.graph(ns[f"graph/{doc}"])
        report = ns[f"report/{doc}"]
        g.add((report, ns.type, ns.Report))
        g.add((report, RDFS_LABEL, Literal(f"Report {doc} ({version})", lang="en")))
        g.add((report, ns.published, Literal("2023-05-02", datatype=XSD.date)))
        for i in range(n):
            finding = ns[f"finding/{doc}/{i}"]
            g.add((finding, ns.partOf, report))
            g.add((finding, ns.number, Literal(i)))
            g.add((finding, ns.text, Literal(f"Zoë’s “finding” {i} of {doc}\nsecond line \\ \"{version}\"")))
            g.add((finding, ns.strength, Literal(i % 2 == 0)))
    dataset.add((ns.area, RDFS_LABEL, Literal("Hartlepool")))
    dataset.add((ns.area, ns.code, Literal("E06000001")))
    return dataset


def pushed_graphs(dataset) -> list[str]:
    return [iri if iri is not None else vocab.DEFAULT_GRAPH for iri, _ in gfiles.graphs_of(dataset)]


_DURATIONS = {XSD.duration, XSD.dayTimeDuration, XSD.yearMonthDuration}


def _comparable(term):
    """Blank nodes blanked out; durations reduced to their datatype, since Virtuoso stores them as
    numbers ("P5Y"^^xsd:duration comes back as "60"^^xsd:duration)."""
    if isinstance(term, BNode):
        return "_"
    if isinstance(term, Literal) and term.datatype in _DURATIONS:
        return ("duration", str(term.datatype))
    return term


def server_triples(url, graph_iri) -> set:
    """The triples of one graph on the server."""
    result = rmt.remote_query(url, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}", auth=None)
    return {tuple(_comparable(t) for t in row) for row in result.rows}


def local_triples(graph) -> set:
    return {tuple(_comparable(t) for t in triple) for triple in graph}


def upload_leftovers(url) -> list:
    result = rmt.remote_query(
        url,
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:x-sendgraph:upload:')) }",
        auth=None,
    )
    return result.rows


# ---------------------------------------------------------------------------------------------
# Comparing answers across engines
# ---------------------------------------------------------------------------------------------

_SEPARATORS = ("; ", " | ", ", ")


def _norm(term):
    if term is None:
        return None
    if isinstance(term, BNode):
        return ("bnode",)
    if isinstance(term, URIRef):
        return ("iri", str(term))
    value = term.toPython()
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float, decimal.Decimal)):
        return ("number", round(float(value), 6))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return ("date", value.isoformat())
    text = str(term)
    for sep in _SEPARATORS:  # GROUP_CONCAT order is up to each engine
        if sep in text:
            text = sep.join(sorted(text.split(sep)))
            break
    return ("literal", text, term.language, str(term.datatype) if term.datatype else None)


def canonical(result) -> list:
    """A result as a sorted list of normalised rows (row order among ties is up to each engine)."""
    if result.kind == "ask":
        return [("ask", result.answer)]
    rows = result.rows if result.kind != "graph" else list(result.graph)
    return sorted((tuple(_norm(t) for t in row) for row in rows), key=repr)


def memory(dataset, text, bindings=None, prefixes=None):
    """The same query on rdflib in memory, with initBindings, as a store.QueryResult."""
    from rdflib.term import Variable

    init = {Variable(k.lstrip("?$")): sq._as_rdflib(v) for k, v in (bindings or {}).items()}
    result = dataset.query(text, initBindings=init, initNs=prefixes or {})
    if result.type == "ASK":
        return qr.QueryResult.ask(result.askAnswer)
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return qr.QueryResult.triples(result.graph)
    return qr.QueryResult("select", [str(v) for v in result.vars], [tuple(r) for r in result])


# ---------------------------------------------------------------------------------------------
# Push, then the same answers
# ---------------------------------------------------------------------------------------------


def test_push_then_the_server_answers_like_rdflib(endpoint, ns, tmp_path):
    dataset = small_dataset(ns)
    report = pusher.push(dataset, endpoint)
    assert sorted(report.graphs) == sorted(pushed_graphs(dataset))
    assert report.graphs[str(ns["graph/a"])] == 15 and report.graphs[vocab.DEFAULT_GRAPH] == 2
    assert str(report) == f"pushed 3 graphs (28 triples) to {endpoint}"
    assert upload_leftovers(endpoint) == []
    for iri in (ns["graph/a"], ns["graph/b"]):
        assert server_triples(endpoint, iri) == local_triples(dataset.graph(iri))

    graphs = pushed_graphs(dataset)
    documents = [g for g in graphs if g != vocab.DEFAULT_GRAPH]
    embedded = emb.open_store(tmp_path / "store")
    emb.load_dataset(embedded, dataset)
    P = f"PREFIX ex: <{ns}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    queries = [
        (P + "SELECT ?r ?label WHERE { ?r a ex:Report ; rdfs:label ?label } ORDER BY ?r", None),
        (P + "SELECT ?f ?text ?strong WHERE { ?f ex:partOf ?r ; ex:text ?text ; ex:strength ?strong }", None),
        (P + "SELECT ?r (COUNT(?f) AS ?n) WHERE { ?f ex:partOf ?r } GROUP BY ?r ORDER BY DESC(?n)", None),
        (P + "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", None),
        (P + "SELECT ?r ?d WHERE { ?r ex:published ?d FILTER(?d >= '2023-01-01'^^<http://www.w3.org/2001/XMLSchema#date>) }", None),
        (P + "SELECT ?s ?missing WHERE { ?s rdfs:label ?l OPTIONAL { ?s ex:code ?missing } }", None),
        (P + "SELECT ?f WHERE { ?f ex:number ?n ; ex:partOf ?r }", {"n": 1}),
        (P + "SELECT ?f WHERE { ?f ex:number ?n ; ex:partOf ?r }", {"r": ns["report/b"], "n": 0}),
        (P + "SELECT ?s WHERE { ?s rdfs:label ?l }", {"l": Literal("Report a (v1)", lang="en")}),
        (P + "SELECT ?s WHERE { ?s rdfs:label ?l }", {"l": 'x" } ?s ?p ?l . FILTER("1'}),  # stays a value
        (P + "SELECT ?f WHERE { ?f ex:text ?t }", {"t": "Zoë’s “finding” 0 of a\nsecond line \\ \"v1\""}),
        (P + "ASK { ?f ex:number 2 }", None),
        (P + "ASK { ?f ex:number ?n }", {"n": 7}),
        (P + "CONSTRUCT { ?r ex:hasFinding ?f } WHERE { ?f ex:partOf ?r }", None),
        (P + "CONSTRUCT { ?r ex:hasFinding ?f } WHERE { ?f ex:partOf ?r }", {"r": ns["report/a"]}),
    ]
    for text, bindings in queries:
        expected = canonical(memory(dataset, text, bindings))
        remote = rmt.remote_query(endpoint, text, bindings, default_graphs=graphs, named_graphs=documents)
        assert canonical(remote) == expected, text
        assert canonical(emb.query(embedded, text, bindings)) == expected, text
    injected = rmt.remote_query(endpoint, queries[9][0], queries[9][1], default_graphs=graphs)
    assert injected.rows == []


def test_replacing_one_document_changes_only_its_graph(endpoint, ns):
    first = small_dataset(ns, "v1")
    pusher.push(first, endpoint)
    other_before = server_triples(endpoint, ns["graph/b"])
    default_before = server_triples(endpoint, vocab.DEFAULT_GRAPH)

    second = small_dataset(ns, "v2")
    changed = second.graph(ns["graph/a"])
    changed.remove((ns["finding/a/2"], None, None))
    report = pusher.push(second, endpoint, graph=str(ns["graph/a"]))
    assert list(report.graphs) == [str(ns["graph/a"])]

    assert server_triples(endpoint, ns["graph/a"]) == local_triples(changed)
    assert server_triples(endpoint, ns["graph/b"]) == other_before
    assert server_triples(endpoint, vocab.DEFAULT_GRAPH) == default_before
    assert upload_leftovers(endpoint) == []


def test_a_large_graph_is_pushed_whole(endpoint, ns):
    """Big uploads authenticate up front: Virtuoso resets a connection sending a large unauthenticated body."""
    dataset = Dataset()
    g = dataset.graph(ns.big)
    for i in range(30000):
        g.add((ns[f"s{i}"], ns.p, Literal(f"value {i}: some text to make the upload a few megabytes")))
    assert pusher.push(dataset, endpoint).graphs == {str(ns.big): 30000}
    count = rmt.remote_query(endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ns.big}> {{ ?s ?p ?o }} }}")
    assert count.rows[0][0].toPython() == 30000


def test_a_plain_graph_goes_to_the_graph_named(endpoint, ns):
    g = Graph()
    g.add((ns.s, ns.p, Literal("plain")))
    assert list(pusher.push(g, endpoint, graph=str(ns.target)).graphs) == [str(ns.target)]
    assert server_triples(endpoint, ns.target) == {(ns.s, ns.p, Literal("plain"))}
    with pytest.raises(StoreError, match="no named graph"):
        pusher.push(small_dataset(ns), endpoint, graph=str(ns.absent))


# ---------------------------------------------------------------------------------------------
# Failures: clear, one line, no credentials, nothing half done
# ---------------------------------------------------------------------------------------------


def _assert_clean(message: str) -> None:
    assert "\n" not in message
    for secret in PASSWORD_MARKERS:
        assert secret not in message


def test_wrong_credentials_give_a_clear_error_and_change_nothing(virtuoso, endpoint, ns, monkeypatch):
    pusher.push(small_dataset(ns, "v1"), endpoint)
    before = {iri: server_triples(endpoint, iri) for iri in pushed_graphs(small_dataset(ns))}

    monkeypatch.setenv(rmt.PASSWORD_ENV, "wrong-Pa55")
    with pytest.raises(StoreError) as info:
        pusher.push(small_dataset(ns, "v2"), endpoint)
    message = str(info.value)
    assert "authentication failed (HTTP 401)" in message and "SENDGRAPH_USER" in message
    _assert_clean(message)
    assert info.value.exit_code == 2 and info.value.pushed == []
    for iri, triples in before.items():
        assert server_triples(endpoint, iri) == triples
    assert upload_leftovers(endpoint) == []

    monkeypatch.delenv(rmt.USER_ENV)
    monkeypatch.delenv(rmt.PASSWORD_ENV)
    with pytest.raises(StoreError, match=r"authentication required \(HTTP 401\); set SENDGRAPH_USER"):
        pusher.push(small_dataset(ns, "v2"), endpoint)
    with pytest.raises(StoreError, match="authentication required"):
        rmt.drop_remote_graph(endpoint, str(ns["graph/a"]))
    assert server_triples(endpoint, ns["graph/a"]) == before[str(ns["graph/a"])]


def test_credentials_from_netrc(virtuoso, endpoint, ns, monkeypatch, tmp_path):
    monkeypatch.delenv(rmt.USER_ENV)
    monkeypatch.delenv(rmt.PASSWORD_ENV)
    netrc_file = tmp_path / "netrc"
    netrc_file.write_text(f"machine 127.0.0.1 login {virtuoso.user} password {virtuoso.password}\n")
    netrc_file.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc_file))
    g = Graph()
    g.add((ns.s, ns.p, Literal("via netrc")))
    pusher.push(g, endpoint, graph=str(ns.netrc))
    assert server_triples(endpoint, ns.netrc) == {(ns.s, ns.p, Literal("via netrc"))}


def test_an_unreachable_server_gives_a_clear_error(creds, ns):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/sparql"
    with pytest.raises(StoreError) as info:
        pusher.push(small_dataset(ns), url)
    assert str(info.value).startswith(f"cannot reach SPARQL endpoint http://127.0.0.1:{port}/")
    assert "Connection refused" in str(info.value)
    _assert_clean(str(info.value))
    with pytest.raises(StoreError, match="cannot reach SPARQL endpoint"):
        rmt.remote_query(url, "ASK { ?s ?p ?o }")


def test_server_errors_are_one_line(endpoint):
    with pytest.raises(StoreError) as info:
        rmt.remote_query(endpoint, "SELECT ?s WHERE { ?s ?p }")
    assert "HTTP 400" in str(info.value) and "syntax error" in str(info.value)
    _assert_clean(str(info.value))
    with pytest.raises(StoreError) as info:
        rmt.remote_query(endpoint, "SELECT ?s WHERE { ?s ?p ?o FILTER(<urn:no-such-function>(?o)) }")
    assert "HTTP 500" in str(info.value)
    _assert_clean(str(info.value))


def test_a_failed_push_leaves_no_half_graph(endpoint, ns, monkeypatch):
    pusher.push(small_dataset(ns, "v1"), endpoint)
    before_b = server_triples(endpoint, ns["graph/b"])
    real_update = rmt.remote_update

    def failing_move(point, update, **kwargs):
        if update.startswith("MOVE") and str(ns["graph/b"]) in update:
            raise StoreError("update at the server failed: HTTP 500 simulated")
        return real_update(point, update, **kwargs)

    monkeypatch.setattr(pusher, "remote_update", failing_move)
    second = small_dataset(ns, "v2")
    with pytest.raises(pusher.PushError) as info:
        pusher.push(second, endpoint)
    assert str(ns["graph/a"]) in info.value.pushed and str(ns["graph/b"]) not in info.value.pushed
    assert info.value.exit_code == 1
    assert "graphs pushed before" in str(info.value)
    # a: whole new graph; b: whole old graph; the uploaded copy of b is gone
    assert server_triples(endpoint, ns["graph/a"]) == local_triples(second.graph(ns["graph/a"]))
    assert server_triples(endpoint, ns["graph/b"]) == before_b
    assert upload_leftovers(endpoint) == []


# ---------------------------------------------------------------------------------------------
# The real graph of data/: same named queries, same answers
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_graph():
    from sendgraph.read.extract import extract_paths
    from sendgraph.graph.build import build_graph

    from support.paths import DATA

    result = extract_paths([str(DATA)])
    assert result.records and not result.errors
    return build_graph(result.records)


def test_named_queries_answer_the_same_from_the_server(endpoint, data_graph, tmp_path):
    from sendgraph.vocab import PREFIXES
    from sendgraph.stores.named import list_queries, query_text, run_query
    from sendgraph.stores.sparql import param_term

    report = pusher.push(data_graph, endpoint)
    graphs = pushed_graphs(data_graph)
    assert sorted(report.graphs) == sorted(graphs) and len(graphs) >= 6
    assert rmt.remote_graphs(endpoint, vocab.SCOPE) == sorted(graphs)
    assert report.triples == sum(len(g) for _, g in gfiles.graphs_of(data_graph))
    embedded = emb.open_store(tmp_path / "store")
    emb.load_dataset(embedded, data_graph)

    names = [name for name, _ in list_queries()]
    assert names, "no named queries shipped"
    runs = [(name, None) for name in names]
    runs += [("area-inspections", {"area": "Hartlepool"}), ("area-inspections", {"area": "E06000002"})]
    compared = 0
    nonempty = 0
    for name, bindings in runs:
        if name not in names:
            continue
        text = query_text(name)
        expected = canonical(run_query(data_graph, name, bindings))  # what `sendgraph query` answers
        terms = {k: param_term(v) for k, v in (bindings or {}).items()}
        remote = rmt.remote_query(endpoint, text, terms, scope=vocab.SCOPE, prefixes=PREFIXES)
        assert canonical(remote) == expected, name
        assert canonical(emb.query(embedded, text, terms, prefixes=PREFIXES)) == expected, name
        compared += 1
        nonempty += bool(expected)
    assert compared >= len(names) and nonempty >= len(names) // 2  # the answers compared are not all empty


def test_a_changed_document_replaces_only_its_graph_on_the_server(endpoint, data_graph):
    pusher.push(data_graph, endpoint)
    named = sorted(iri for iri, _ in gfiles.graphs_of(data_graph) if iri is not None)
    target, others = named[0], named[1:]
    counts = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    before = dict(rmt.remote_query(endpoint, counts, named_graphs=named + [vocab.DEFAULT_GRAPH]).rows)

    changed = Dataset()
    g = changed.graph(URIRef(target))
    for triple in list(data_graph.graph(URIRef(target)))[:-10]:  # the document lost ten statements
        g.add(triple)
    g.add((URIRef(target), RDFS_LABEL, Literal("re-extracted")))
    pusher.push(changed, endpoint, graph=target)

    after = dict(rmt.remote_query(endpoint, counts, named_graphs=named + [vocab.DEFAULT_GRAPH]).rows)
    assert after[URIRef(target)].toPython() == len(g)
    for iri in others + [vocab.DEFAULT_GRAPH]:
        assert after[URIRef(iri)] == before[URIRef(iri)], iri
    assert server_triples(endpoint, target) == local_triples(g)


# ---------------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------------


def test_cli_push(virtuoso, endpoint, ns, tmp_path, monkeypatch):
    from sendgraph.cli import main

    dataset = small_dataset(ns, "cli")
    trig = tmp_path / "graph.trig"
    trig.write_text(dataset.serialize(format="trig"), encoding="utf-8")
    runner = CliRunner()

    result = runner.invoke(main, ["push", "--endpoint", endpoint, "-g", str(trig)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"pushed 3 graphs (28 triples) to {endpoint}"
    assert f"{ns['graph/a']}: 15 triples" in result.stderr
    assert server_triples(endpoint, ns["graph/b"]) == local_triples(dataset.graph(ns["graph/b"]))

    result = runner.invoke(main, ["push", "--endpoint", endpoint, "-g", str(trig), "--graph", str(ns["graph/a"])])
    assert result.exit_code == 0 and "pushed 1 graph (15 triples)" in result.output

    ttl = tmp_path / "plain.ttl"
    ttl.write_text(dataset.graph(ns["graph/b"]).serialize(format="turtle"), encoding="utf-8")
    result = runner.invoke(main, ["push", "--endpoint", endpoint, "-g", str(ttl)])
    assert result.exit_code == 0, result.output
    assert "has no named graphs" in result.stderr and vocab.DEFAULT_GRAPH in result.stderr
    result = runner.invoke(main, ["push", "--endpoint", endpoint, "-g", str(ttl), "--graph", str(ns.plain)])
    assert result.exit_code == 0, result.output
    assert server_triples(endpoint, ns.plain) == local_triples(dataset.graph(ns["graph/b"]))

    monkeypatch.setenv(rmt.PASSWORD_ENV, "wrong-Pa55")
    result = runner.invoke(main, ["push", "--endpoint", endpoint, "-g", str(trig)])
    assert result.exit_code == 2
    assert "authentication failed (HTTP 401)" in result.output
    for secret in PASSWORD_MARKERS:
        assert secret not in result.output

    result = runner.invoke(main, ["push", "--endpoint", endpoint, "-g", str(tmp_path / "missing.ttl")])
    assert result.exit_code == 2 and "missing.ttl: no such graph file" in result.output

    result = runner.invoke(main, ["push", "--endpoint", "http://dba:dba@127.0.0.1:1/sparql", "-g", str(trig)])
    assert result.exit_code == 2 and "must not hold credentials" in result.output
    assert "dba:dba" not in result.output


# ---------------------------------------------------------------------------------------------
# build --store URL and query --endpoint URL (leave the server holding the graph of data/)
# ---------------------------------------------------------------------------------------------

DOCUMENT_GRAPHS = "https://w3id.org/sendgraph/id/graph/"
CHANGED_REPORT = "hartlepool-2023-area-send-inspection.txt"
REMOVED_REPORT = "stockton-on-tees-2019-joint-local-area-send-inspection.txt"


def _json_rows(text: str) -> list:
    """`query -f json` rows, sorted, GROUP_CONCAT lists sorted (their order is up to each engine)."""
    import json

    def value(v):
        for sep in _SEPARATORS:
            if isinstance(v, str) and sep in v:
                return sep.join(sorted(v.split(sep)))
        return v

    return sorted(json.dumps({k: value(v) for k, v in row.items()}, sort_keys=True) for row in json.loads(text))


def test_cli_build_to_a_server_then_query_it(virtuoso, endpoint, tmp_path, monkeypatch):
    import shutil

    from support.paths import DATA
    from sendgraph.cli import main
    from sendgraph.stores.named import list_queries

    runner = CliRunner()
    data = tmp_path / "data"
    shutil.copytree(DATA, data, ignore=shutil.ignore_patterns("*.md"))
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(main, ["build", "-o", "graph.trig"]).exit_code == 0  # the same graph, in memory
    graph_file = Dataset().parse(tmp_path / "graph.trig", format="trig")
    documents = sorted(str(g.identifier) for g in graph_file.graphs() if str(g.identifier).startswith(DOCUMENT_GRAPHS))
    assert len(documents) == 6

    result = runner.invoke(main, ["build", "--store", endpoint])
    assert result.exit_code == 0, result.output
    first, summary = result.stdout.splitlines()
    assert first.startswith(f"Pushed to {endpoint}: added ") and first.endswith(", kept 0, dropped 0")
    assert summary.startswith("Built 6 documents, 6 inspections")
    assert [g for g in rmt.remote_graphs(endpoint, DOCUMENT_GRAPHS)] == documents
    for name in documents:
        assert server_triples(endpoint, name) == local_triples(graph_file.graph(URIRef(name)))

    # every named query answers from the server as from the graph file
    runs = [[name] for name, _ in list_queries()] + [["area-inspections", "-p", "area=Middlesbrough"],
                                                     ["area-inspections", "-p", "area=E06000001"]]
    for args in runs:
        remote = runner.invoke(main, ["query", *args, "--endpoint", endpoint, "-f", "json"])
        local = runner.invoke(main, ["query", *args, "-g", "graph.trig", "-f", "json"])
        assert remote.exit_code == 0, remote.output
        assert _json_rows(remote.stdout) == _json_rows(local.stdout) != [], args
        also = runner.invoke(main, ["query", *args, "--store", endpoint, "-f", "json"])
        assert also.stdout == remote.stdout
    hostile = runner.invoke(main, ["query", "area-inspections", "-p", 'area=x") } ?s ?p ?o . FILTER("1',
                                   "--endpoint", endpoint, "-f", "csv"])
    assert hostile.exit_code == 2 and hostile.stderr.startswith("Error: unknown area ")  # resolved first: no such area
    from sendgraph.stores.named import query_text

    Path("mine.rq").write_text(query_text("area-inspections"), encoding="utf-8")  # not shipped: bound as given
    hostile = runner.invoke(main, ["query", "mine.rq", "-p", 'area=x") } ?s ?p ?o . FILTER("1',
                                   "--endpoint", endpoint, "-f", "csv"])
    assert hostile.exit_code == 0 and hostile.stdout.strip().count("\n") == 0  # a value, never query text
    ask = runner.invoke(main, ["query", "ASK { ?i sg:leadInspector ?p }", "--endpoint", endpoint])
    assert ask.stdout == "yes\n"

    # a changed document replaces its graph, a removed one is dropped, the others stay as they were
    report = data / CHANGED_REPORT
    report.write_text(report.read_text(encoding="utf-8").replace("is strong.", "is very strong.", 1), encoding="utf-8")
    parked = tmp_path / REMOVED_REPORT
    (data / REMOVED_REPORT).rename(parked)
    others = {g: server_triples(endpoint, g) for g in documents if CHANGED_REPORT not in g and REMOVED_REPORT not in g}
    result = runner.invoke(main, ["build", "--store", endpoint])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == f"Pushed to {endpoint}: added 0, replaced 5, kept 0, dropped 1"
    assert rmt.remote_graphs(endpoint, DOCUMENT_GRAPHS) == [g for g in documents if REMOVED_REPORT not in g]
    changed = server_triples(endpoint, DOCUMENT_GRAPHS + CHANGED_REPORT)
    assert any("is very strong." in str(t[2]) for t in changed)
    for name, triples in others.items():
        assert server_triples(endpoint, name) == triples, name

    # wrong credentials: one clear line, no secret, nothing changed on the server
    monkeypatch.setenv(rmt.PASSWORD_ENV, "wrong-Pa55")
    parked.rename(data / REMOVED_REPORT)
    refused = runner.invoke(main, ["build", "--store", endpoint])
    assert refused.exit_code == 2
    assert refused.stderr.startswith("Error: ") and "authentication failed (HTTP 401)" in refused.stderr
    assert refused.stderr.count("\n") == 1
    for secret in PASSWORD_MARKERS:
        assert secret not in refused.output
    assert rmt.remote_graphs(endpoint, DOCUMENT_GRAPHS) == [g for g in documents if REMOVED_REPORT not in g]

    # back to the graph of data/, as the other tests of this server expect
    monkeypatch.setenv(rmt.PASSWORD_ENV, virtuoso.password)
    report.write_text((DATA / CHANGED_REPORT).read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(main, ["build", "--store", endpoint])
    assert result.exit_code == 0 and result.stdout.startswith(f"Pushed to {endpoint}: added 1, replaced 5, ")
    assert rmt.remote_graphs(endpoint, DOCUMENT_GRAPHS) == documents


def test_cli_query_endpoint_errors(virtuoso, endpoint):
    from sendgraph.cli import main

    runner = CliRunner()
    syntax = runner.invoke(main, ["query", "SELECT ?s WHERE { ?s ?p }", "--endpoint", endpoint])
    assert syntax.exit_code == 2 and "HTTP 400" in syntax.stderr and syntax.stderr.count("\n") == 1
    unknown = runner.invoke(main, ["query", "no-such-query", "--endpoint", endpoint])
    assert unknown.exit_code == 2 and "unknown query" in unknown.stderr
    secret = runner.invoke(main, ["query", "shared-icb", "--endpoint", "http://dba:dba@127.0.0.1:1/sparql"])
    assert secret.exit_code == 2 and "must not hold credentials" in secret.stderr and "dba:dba" not in secret.output


# ---------------------------------------------------------------------------------------------
# Hostile servers on loopback (tests/support/hostile.py): deadlines, size limits, escapes, redirects
# ---------------------------------------------------------------------------------------------

from support import hostile, killing  # noqa: E402

JSON_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/sparql-results+json\r\n\r\n"


@pytest.fixture
def anonymous(monkeypatch, no_credentials):
    """No credentials anywhere: requests to the hostile servers go out unauthenticated."""
    for name in (rmt.TIMEOUT_ENV, rmt.CONNECT_TIMEOUT_ENV, rmt.MAX_RESPONSE_ENV):
        monkeypatch.delenv(name, raising=False)


def _no_controls(text: str) -> None:
    """No control character but line breaks, and no escape sequence, in text the user sees."""
    import unicodedata

    for ch in text:
        assert ch == "\n" or unicodedata.category(ch)[0] != "C", f"raw {ch!r} in {text!r}"


def test_a_trickling_server_is_cut_off_at_the_deadline(anonymous, monkeypatch):
    monkeypatch.setenv(rmt.TIMEOUT_ENV, "1.5")
    body = JSON_HEAD + b'{"head": {"vars": []}, "boolean": true}' + b" " * 1000
    sent: list = []
    for script in (hostile.trickle(body, every=0.1, sent=sent),
                   hostile.trickle(b"HTTP/1.1 200 OK\r\n" + b"X-Slow: y" * 500), hostile.silent()):
        with hostile.HostileServer(script, seconds=20) as server:
            started = time.monotonic()
            with pytest.raises(StoreError) as info:
                rmt.remote_query(server.url, "ASK { ?s ?p ?o }")
            elapsed = time.monotonic() - started
        # the deadline is the feature: not before 1.5 s, and long before the server's 20 s end
        assert 1.4 < elapsed < 10, elapsed
        message = str(info.value)
        assert message == (f"query at {server.url} stopped: no complete answer within 1.5s "
                           "(the deadline of each request; set SENDGRAPH_TIMEOUT to change it)")
    # the client cut the trickle off mid-answer: it had read part of the body, not all of it
    assert len(sent) == 1 and 0 < sent[0] < len(body), sent
    # the deadline given to a call wins over the environment's; push keeps to it too
    with hostile.HostileServer(hostile.trickle(body, every=0.1), seconds=20) as server:
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"within 0\.5s \(the deadline"):
            rmt.remote_query(server.url, "ASK { ?s ?p ?o }", timeout=0.5)
        assert time.monotonic() - started < 5
    with hostile.HostileServer(hostile.silent(), seconds=20) as server:
        with pytest.raises(pusher.PushError, match=r"^sign-in to the graph store at .* within 1\.5s"):
            pusher.push(Graph().add((URIRef("urn:s"), URIRef("urn:p"), Literal("o"))), server.url, graph="urn:g")
    # on the command line: one line, exit 2
    from sendgraph.cli import main

    with hostile.HostileServer(hostile.trickle(body, every=0.1), seconds=20) as server:
        result = CliRunner().invoke(main, ["query", "ASK { ?s ?p ?o }", "--endpoint", server.url])
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr == (f"Error: query at {server.url} stopped: no complete answer within 1.5s "
                             "(the deadline of each request; set SENDGRAPH_TIMEOUT to change it)\n")


def test_a_server_that_does_not_accept_runs_out_the_connect_timeout(anonymous, monkeypatch):
    monkeypatch.setenv(rmt.CONNECT_TIMEOUT_ENV, "0.5")
    with socket.socket() as listener:  # a full accept queue: the next connection is never completed
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        queued = []
        try:
            for _ in range(8):
                sock = socket.socket()
                sock.setblocking(False)
                sock.connect_ex(("127.0.0.1", port))
                queued.append(sock)
            started = time.monotonic()
            with pytest.raises(StoreError) as info:
                rmt.remote_query(f"http://127.0.0.1:{port}/sparql", "ASK {}")
            assert time.monotonic() - started < 10
        finally:
            for sock in queued:
                sock.close()
    assert str(info.value) == (f"cannot reach SPARQL endpoint http://127.0.0.1:{port}/sparql: no connection within "
                               "0.5s (the connect timeout; set SENDGRAPH_CONNECT_TIMEOUT to change it)")


def test_a_bad_timeout_setting_is_one_clear_line(anonymous, monkeypatch):
    monkeypatch.setenv(rmt.TIMEOUT_ENV, "soon\x1b[2J")
    with pytest.raises(StoreError) as info:
        rmt.remote_query("http://127.0.0.1:1/sparql", "ASK {}")
    assert str(info.value) == "SENDGRAPH_TIMEOUT must be a positive number, not 'soon\\\\x1b[2J'"


def test_an_endless_answer_is_refused_at_the_size_limit(anonymous, monkeypatch):
    from sendgraph.cli import main

    monkeypatch.setenv(rmt.MAX_RESPONSE_ENV, "2")
    with hostile.HostileServer(hostile.endless(JSON_HEAD), seconds=20) as server:
        started = time.monotonic()
        result = CliRunner().invoke(main, ["query", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", server.url])
        assert time.monotonic() - started < 20
    assert result.exit_code == 2
    assert result.stderr == (f"Error: query at {server.url} stopped: the server's answer is over 2 MB "
                             "(the limit; set SENDGRAPH_MAX_RESPONSE_MB to change it)\n")
    # said up front by Content-Length: refused before reading
    big = b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\nContent-Type: application/sparql-results+json\r\n\r\n"
    with hostile.HostileServer(hostile.reply(big + b"{}")) as server:
        with pytest.raises(StoreError, match="answer is over 2 MB"):
            rmt.remote_query(server.url, "ASK {}")


HOSTILE_REPLIES = {
    "reason phrase": b"HTTP/1.1 500 \x1b]0;PWNED\x07\x1b[31mred\r\nContent-Type: text/html\r\n\r\n"
                     + "<p>\x1b]0;PWNED\x07 trouble\x9b2J \u202eevil\u202c</p>\n".encode(),
    "not HTTP": b"\x00\r\x1b]0;PWNED\x07 hello\r\n\r\n",
    "cut short": JSON_HEAD.replace(b"\r\n\r\n", b"\r\nContent-Length: 100\r\n\r\n") + b'{"head"',
}


@pytest.mark.parametrize("name", sorted(HOSTILE_REPLIES))
def test_what_a_hostile_server_sends_never_reaches_the_terminal_raw(anonymous, name):
    from sendgraph.cli import main

    with hostile.HostileServer(hostile.reply(HOSTILE_REPLIES[name])) as server:
        result = CliRunner().invoke(main, ["query", "SELECT ?s WHERE { ?s ?p ?o }", "--endpoint", server.url])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: query at {server.url} failed: ") and result.stderr.count("\n") == 1
    assert "internal error" not in result.stderr
    _no_controls(result.stdout + result.stderr)
    if name == "reason phrase":
        assert "HTTP 500 \\x1b]0;PWNED\\x07\\x1b[31mred: \\x1b]0;PWNED\\x07 trouble\\x9b2J \\u202eevil" in result.stderr
    elif name == "not HTTP":
        assert "the server's answer is not valid HTTP (BadStatusLine: \\x00" in result.stderr
    else:
        assert "the server's answer was cut short (93 bytes missing)" in result.stderr


def test_cells_a_server_sends_are_escaped_in_table_and_csv_output(anonymous):
    from sendgraph.cli import main

    cell = "line one\nline two\r\x1b]0;PWNED\x07 \x1b[2J end\u202e"
    answer = json.dumps({"head": {"vars": ["text"]}, "results": {"bindings": [
        {"text": {"type": "literal", "value": cell}}]}}).encode()
    for fmt in ("table", "csv"):
        with hostile.HostileServer(hostile.reply(JSON_HEAD.replace(b"\r\n\r\n", b"\r\nConnection: close\r\n\r\n")
                                                 + answer)) as server:
            result = CliRunner().invoke(main, ["query", "SELECT ?text WHERE { ?s ?p ?text }", "-f", fmt,
                                               "--endpoint", server.url])
        assert result.exit_code == 0, result.output
        _no_controls(result.stdout)
        assert "line one\\nline two\\r\\x1b]0;PWNED\\x07 \\x1b[2J end\\u202e" in result.stdout
        assert result.stdout.count("\n") == (2 if fmt == "csv" else 4)  # heading, row (table: rule, count)


def test_a_redirect_to_a_closed_port_is_reported_under_its_own_url(anonymous):
    port = hostile.closed_port()
    target = f"http://127.0.0.1:{port}/elsewhere"
    redirect = f"HTTP/1.1 303 See Other\r\nLocation: {target}?x=1\r\nContent-Length: 0\r\n\r\n".encode()
    with hostile.HostileServer(hostile.reply(redirect)) as server:
        with pytest.raises(StoreError) as info:
            rmt.remote_query(server.url, "ASK {}")
    assert str(info.value).startswith(f"cannot reach SPARQL endpoint {target}: ")
    assert "Connection refused" in str(info.value)


# ---------------------------------------------------------------------------------------------
# Staging graphs an interrupted push left: removed by the next push
# ---------------------------------------------------------------------------------------------


def test_staging_graphs_of_dead_pushes_are_stale_and_of_running_ones_are_not():
    import os

    prefix = "urn:x-sendgraph:upload:"
    mine = pusher._upload_name()
    assert mine.startswith(prefix) and not pusher._stale_upload(mine)  # this process runs
    host, pid, stamp, random = mine[len(prefix):].split(".")
    dead = _dead_pid()
    assert pusher._stale_upload(f"{prefix}{host}.{dead}.{stamp}.{random}")
    other = "0" * 12 if host != "0" * 12 else "1" * 12
    now = int(stamp)
    assert not pusher._stale_upload(f"{prefix}{other}.{os.getpid()}.{now - 3600}.{random}", now=now)
    assert pusher._stale_upload(f"{prefix}{other}.{os.getpid()}.{now - pusher.STALE_UPLOAD_AGE - 1}.{random}", now=now)
    assert pusher._stale_upload(prefix + uuid.uuid4().hex)  # named by a version before these names
    assert not pusher._stale_upload("urn:x-sendgraph:uploaded:" + uuid.uuid4().hex)
    assert not pusher._stale_upload(prefix + "something-else")


def _dead_pid() -> int:
    proc = subprocess.Popen(["true"])
    proc.wait()
    return proc.pid


def test_an_interrupted_push_leaves_staging_graphs_the_next_push_removes(virtuoso, endpoint, ns, tmp_path):
    """A push killed between uploading a graph and moving it into place (a relay in front of the real
    server holds its MOVE) leaves the uploaded copy; the next push drops it, and only it."""
    import os
    import sys

    graph_file = tmp_path / "g.trig"
    gfiles.write_graph(small_dataset(ns, "v1"), graph_file)
    running = rmt.HttpClient(rmt.Endpoint.parse(endpoint), rmt.AUTO)
    keep = pusher._upload_name()  # a staging graph of a push still running (this process): never taken
    running.request("PUT", rmt.Endpoint.parse(endpoint).graph_url(keep), b"<urn:s> <urn:p> <urn:o> .\n",
                    {"Content-Type": "application/n-triples"}, what="upload")
    with hostile.Relay(("127.0.0.1", virtuoso.http_port), hold=lambda sent: b"update=MOVE" in sent) as relay:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        proc = subprocess.Popen(
            [sys.executable, "-c", "from sendgraph.cli import main; main()", "push", "-g", str(graph_file),
             "--endpoint", f"http://127.0.0.1:{relay.port}/sparql"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
        )
        try:
            assert relay.held.wait(60), "the push never reached its first MOVE"
        finally:
            killing.kill_now(proc)
    left = sorted(str(row[0]) for row in upload_leftovers(endpoint))
    assert keep in left and len(left) == 2
    (abandoned,) = [g for g in left if g != keep]
    assert f".{proc.pid}." in abandoned

    report = pusher.push(small_dataset(ns, "v2"), endpoint)
    assert report.cleaned == [abandoned]
    assert str(report).endswith("; removed 1 staging graph an interrupted push left")
    assert [str(row[0]) for row in upload_leftovers(endpoint)] == [keep]
    second = small_dataset(ns, "v2")
    for doc in ("a", "b"):
        assert server_triples(endpoint, ns[f"graph/{doc}"]) == local_triples(second.graph(ns[f"graph/{doc}"]))
    rmt.drop_remote_graph(endpoint, keep)
    assert upload_leftovers(endpoint) == []
