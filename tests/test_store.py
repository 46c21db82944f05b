"""The embedded on-disk store (Oxigraph), incremental sync, safe query bindings and credentials.

Everything here runs without a server; tests/test_remote.py drives a real Virtuoso.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.term import Variable

from support.killing import kill_now, read_until
from sendgraph.stores import embedded as emb
from sendgraph.graph import files as gfiles
from sendgraph.stores import remote as rmt
from sendgraph.stores import sparql as sq
from sendgraph.stores import target as tgt
from sendgraph.errors import GraphError, QueryError, StoreError

EX = Namespace("https://example.org/")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
ROOT = Path(__file__).resolve().parent.parent


def doc_graph(name: str, n: int = 3, label: str = "v1") -> Graph:
    """A small document graph: n findings of one report, each with a label saying which version."""
    g = Graph()
    report = EX[f"report/{name}"]
    g.add((report, EX.type, EX.Report))
    g.add((report, EX.title, Literal(f"Report {name}", lang="en")))
    for i in range(n):
        finding = EX[f"finding/{name}/{i}"]
        g.add((finding, EX.partOf, report))
        g.add((finding, EX.text, Literal(f"{name} finding {i} ({label})")))
        g.add((finding, EX.number, Literal(i)))
    return g


def triples_of(store, iri) -> set:
    return {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))}


@pytest.fixture
def store(tmp_path):
    s = emb.open_store(tmp_path / "store")
    yield s
    del s
    gc.collect()


# ---------------------------------------------------------------------------------------------
# Graphs in and out
# ---------------------------------------------------------------------------------------------


def test_replace_graph_and_graphs_with_checksums(store):
    assert emb.graphs(store) == {}
    assert emb.replace_graph(store, EX.g1, doc_graph("a"), "sha-a1") == 11
    assert emb.replace_graph(store, str(EX.g2), doc_graph("b", 2), "sha-b1") == 8
    assert emb.graphs(store) == {str(EX.g1): "sha-a1", str(EX.g2): "sha-b1"}
    # replacing one graph changes that graph and its checksum only
    before_b = triples_of(store, str(EX.g2))
    emb.replace_graph(store, EX.g1, doc_graph("a", 1, "v2"), "sha-a2")
    assert emb.graphs(store) == {str(EX.g1): "sha-a2", str(EX.g2): "sha-b1"}
    assert triples_of(store, str(EX.g2)) == before_b
    texts = {r[0].value for r in store.query(f"SELECT ?t {{ GRAPH <{EX.g1}> {{ ?f <{EX.text}> ?t }} }}")}
    assert texts == {"a finding 0 (v2)"}
    # no temporary graph is left behind
    assert [g.value for g in store.named_graphs() if "tmp" in g.value] == []


def test_replace_graph_accepts_ntriples_and_empty_graphs(store):
    assert emb.replace_graph(store, EX.g, b'<https://example.org/s> <https://example.org/p> "o" .\n', "c1") == 1
    assert emb.replace_graph(store, EX.g, Graph(), "c2") == 0
    assert emb.graphs(store) == {str(EX.g): "c2"}
    assert triples_of(store, str(EX.g)) == set()


def test_bad_data_leaves_the_old_graph(store):
    emb.replace_graph(store, EX.g, doc_graph("a"), "c1")
    with pytest.raises(GraphError, match="not valid N-Triples"):
        emb.replace_graph(store, EX.g, b"<https://example.org/s> <https://example.org/p> broken .\n", "c2")
    assert emb.graphs(store) == {str(EX.g): "c1"}
    assert len(triples_of(store, str(EX.g))) == 11
    assert [g.value for g in store.named_graphs() if "tmp" in g.value] == []


def test_drop_graph(store):
    emb.replace_graph(store, EX.g1, doc_graph("a"), "c1")
    emb.replace_graph(store, EX.g2, doc_graph("b"), "c2")
    assert emb.drop_graph(store, EX.g1) is True
    assert emb.drop_graph(store, EX.g1) is False
    assert emb.graphs(store) == {str(EX.g2): "c2"}
    assert triples_of(store, str(EX.g1)) == set()


def test_dataset_round_trip_keeps_named_graphs(store):
    dataset = Dataset()
    for name in ("a", "b"):
        for triple in doc_graph(name):
            dataset.graph(EX[f"graph/{name}"]).add(triple)
    dataset.add((EX.area, EX.label, Literal("Hartlepool")))  # default graph
    assert emb.load_dataset(store, dataset, {str(EX["graph/a"]): "ca"}) == [str(EX["graph/a"]), str(EX["graph/b"])]
    assert emb.graphs(store) == {str(EX["graph/a"]): "ca", str(EX["graph/b"]): None}
    back = emb.store_to_dataset(store)
    for name in ("a", "b"):
        assert isomorphic(back.graph(EX[f"graph/{name}"]), dataset.graph(EX[f"graph/{name}"]))
    assert set(back.default_graph) == {(EX.area, EX.label, Literal("Hartlepool"))}
    assert not any("x-sendgraph" in str(g.identifier) for g in back.graphs())


def test_store_survives_reopening(tmp_path):
    path = tmp_path / "store"
    s = emb.open_store(path)
    emb.replace_graph(s, EX.g, doc_graph("a"), "c1")
    del s
    gc.collect()
    s = emb.open_store(path)
    assert emb.graphs(s) == {str(EX.g): "c1"}
    assert len(triples_of(s, str(EX.g))) == 11
    del s
    gc.collect()


def test_open_errors_are_one_line(tmp_path):
    (tmp_path / "file").write_text("not a store")
    with pytest.raises(StoreError, match="not a directory"):
        emb.open_store(tmp_path / "file")
    with pytest.raises(StoreError, match="no such store"):
        emb.open_store(tmp_path / "missing", read_only=True)


def test_a_store_open_in_another_process_gives_a_clear_error(tmp_path):
    path = tmp_path / "store"
    emb.open_store(path)
    gc.collect()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys, time
            from sendgraph.stores.embedded import open_store
            s = open_store({str(path)!r})
            print("open", flush=True)
            time.sleep(60)
        """)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        with pytest.raises(StoreError) as info:
            emb.open_store(path)
        assert str(info.value) == f"cannot open store {path}: it is open in another process"
    finally:
        holder.kill()
        holder.wait()


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


def test_query_sees_the_union_and_named_graphs_but_not_bookkeeping(store):
    emb.replace_graph(store, EX.g1, doc_graph("a", 2), "c1")
    emb.replace_graph(store, EX.g2, doc_graph("b", 1), "c2")
    result = emb.query(store, f"SELECT ?r WHERE {{ ?r <{EX.type}> <{EX.Report}> }} ORDER BY ?r")
    assert result.kind == "select" and result.variables == ["r"]
    assert [row[0] for row in result.rows] == [EX["report/a"], EX["report/b"]]
    counts = emb.query(store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    assert [(str(g), n.toPython()) for g, n in counts.rows] == [(str(EX.g1), 8), (str(EX.g2), 5)]
    everything = emb.query(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert everything.rows[0][0].toPython() == 13  # no checksum triples
    # the checksums are kept beside the store, not in it: nothing but the documents' graphs is there
    graphs = emb.query(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
    assert [str(row[0]) for row in graphs.rows] == [str(EX.g1), str(EX.g2)]
    assert sorted(g.value for g in store.inner.named_graphs()) == [str(EX.g1), str(EX.g2)]
    assert json.loads((store.path / emb.SUMS_FILE).read_text())["graphs"] == {str(EX.g1): "c1", str(EX.g2): "c2"}


@pytest.mark.parametrize("text, uses_graph", [
    ("SELECT * WHERE { ?s ?p ?o }", False),
    ("SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * where { graph <urn:g> { ?s ?p ?o } }", True),
    ("SELECT * WHERE { ?s <urn:GRAPH> 'GRAPH' } # GRAPH", False),  # an IRI, a string, a comment
    ("SELECT ?graph WHERE { ?graph a ?t }", False),
])
def test_a_query_names_its_graphs_only_when_it_has_a_graph_pattern(text, uses_graph):
    """Only a query with GRAPH is given the list of document graphs (the list slows every other query)."""
    assert sq.query_shape(text).uses_graph is uses_graph



def test_query_during_a_sync_does_not_see_staged_graphs(store):
    emb.replace_graph(store, EX.g1, doc_graph("a", 2), "c1")
    staged = emb._stage(store, EX.g2, doc_graph("b", 1))  # what sync_documents loads before its switch
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert emb.query(store, count).rows[0][0].toPython() == 8
    emb._commit(store, [(str(EX.g2), staged, "c2")], [])
    assert emb.query(store, count).rows[0][0].toPython() == 13
    assert emb.graphs(store) == {str(EX.g1): "c1", str(EX.g2): "c2"}


def test_checksums_of_an_earlier_store_are_converted_when_opened(tmp_path):
    path = tmp_path / "store"
    s = emb.open_store(path)
    emb.replace_graph(s, EX.g1, doc_graph("a", 2))
    meta = ox.NamedNode(emb._META_GRAPH)  # how earlier versions recorded checksums: triples in a meta graph
    s.add(ox.Quad(ox.NamedNode(str(EX.g1)), ox.NamedNode(emb._CHECKSUM), ox.Literal("old:sum 1"), meta))
    del s
    gc.collect()
    read_only = emb.open_store(path, read_only=True)
    assert emb.graphs(read_only) == {str(EX.g1): "old:sum 1"}
    assert emb.query(read_only, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].toPython() == 8
    del read_only
    gc.collect()
    s = emb.open_store(path)
    try:
        assert emb.graphs(s) == {str(EX.g1): "old:sum 1"}
        assert not s.contains_named_graph(meta)
        assert emb.query(s, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0][0].toPython() == 8
    finally:
        del s
        gc.collect()

def test_checksum_graphs_of_an_earlier_store_move_beside_it(tmp_path):
    path = tmp_path / "store"
    s = emb.open_store(path)
    emb.replace_graph(s, EX.g1, doc_graph("a", 2))
    # how the previous version recorded checksums: empty graphs named after them
    s.inner.add_graph(ox.NamedNode(emb._sum_graph(str(EX.g1), "sum:1")))
    s.inner.add_graph(ox.NamedNode(emb._sum_graph(emb._DEFAULT_KEY, "d")))
    del s
    gc.collect()
    read_only = emb.open_store(path, read_only=True)
    assert emb.graphs(read_only) == {str(EX.g1): "sum:1"} and emb.default_checksum(read_only) == "d"
    del read_only
    gc.collect()
    s = emb.open_store(path)
    try:
        assert emb.graphs(s) == {str(EX.g1): "sum:1"} and emb.default_checksum(s) == "d"
        assert [g.value for g in s.inner.named_graphs()] == [str(EX.g1)]
    finally:
        del s
        gc.collect()


def test_query_kinds_and_terms(store):
    g = Graph()
    g.add((EX.s, EX.name, Literal("Zoë’s “quoted” name", lang="en")))
    g.add((EX.s, EX.date, Literal("2023-05-02", datatype=XSD.date)))
    g.add((EX.s, EX.plain, Literal("plain")))
    g.add((EX.s, EX.node, BNode("b1")))
    emb.replace_graph(store, EX.g, g, "c")
    rows = emb.query(store, f"SELECT ?p ?o WHERE {{ <{EX.s}> ?p ?o }}")
    found = dict(rows.rows)
    assert found[EX.name] == Literal("Zoë’s “quoted” name", lang="en")
    assert found[EX.date] == Literal("2023-05-02", datatype=XSD.date)
    assert found[EX.plain] == Literal("plain")  # xsd:string comes back as rdflib's plain literal
    assert isinstance(found[EX.node], BNode)
    ask = emb.query(store, f"ASK {{ <{EX.s}> <{EX.plain}> 'plain' }}")
    assert ask.kind == "ask" and ask.answer is True
    graph = emb.query(store, f"CONSTRUCT {{ ?s <{EX.copy}> ?o }} WHERE {{ ?s <{EX.plain}> ?o }}")
    assert graph.kind == "graph" and set(graph.graph) == {(EX.s, EX.copy, Literal("plain"))}
    optional = emb.query(store, f"SELECT ?s ?missing WHERE {{ ?s <{EX.plain}> ?o OPTIONAL {{ ?s <{EX.nothing}> ?missing }} }}")
    assert optional.rows == [(EX.s, None)]


def test_query_bindings(store):
    emb.replace_graph(store, EX.g1, doc_graph("a", 3), "c1")
    q = f"SELECT ?f WHERE {{ ?f <{EX.number}> ?n ; <{EX.partOf}> ?report }}"
    assert emb.query(store, q, {"n": 1}).rows == [(EX["finding/a/1"],)]
    assert emb.query(store, q, {"?report": EX["report/a"], "n": 2}).rows == [(EX["finding/a/2"],)]
    assert emb.query(store, q, {"report": str(EX["report/a"])}).rows == []  # a str is a literal, never an IRI
    # a binding is a value, never query text
    evil = 'x" } ?f ?p ?n . FILTER("1'
    assert emb.query(store, q, {"n": evil}).rows == []
    assert emb.query(store, f"SELECT ?t WHERE {{ ?f <{EX.text}> ?t }}", {"t": "a finding 0 (v1)"}).rows == [
        (Literal("a finding 0 (v1)"),)
    ]


def test_query_prefixes_are_declared_when_used(store):
    emb.replace_graph(store, EX.g1, doc_graph("a", 1), "c1")
    result = emb.query(store, "SELECT ?r WHERE { ?r ex:type ex:Report }", prefixes={"ex": str(EX), "unused": "urn:u#"})
    assert result.rows == [(EX["report/a"],)]


def test_query_errors(store):
    with pytest.raises(QueryError, match="SPARQL syntax error"):
        emb.query(store, "SELECT ?s WHERE { ?s ?p }")
    with pytest.raises(QueryError, match="not a valid SPARQL variable name"):
        emb.query(store, "SELECT ?s WHERE { ?s ?p ?o }", {"bad name": 1})
    with pytest.raises(QueryError, match="update"):
        emb.query(store, "DELETE WHERE { ?s ?p ?o }")
    with pytest.raises(QueryError, match="not a valid IRI"):
        emb.query(store, "SELECT ?s WHERE { ?s ?p ?o }", {"s": URIRef("https://example.org/> } DROP ALL #")})


# ---------------------------------------------------------------------------------------------
# Bindings as SPARQL text (shared by the embedded store and remote endpoints)
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, text",
    [
        ("Hartlepool", '"Hartlepool"'),
        ('say "hi"\\ now\nthen\r\t', '"say \\"hi\\"\\\\ now\\nthen\\r\\t"'),
        (Literal("chat", lang="fr"), '"chat"@fr'),
        (3, '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'),
        (True, '"true"^^<http://www.w3.org/2001/XMLSchema#boolean>'),
        (Literal("2023-01-02", datatype=XSD.date), '"2023-01-02"^^<http://www.w3.org/2001/XMLSchema#date>'),
        (Literal("x", datatype=XSD.string), '"x"'),
        (URIRef("https://w3id.org/sendgraph/id/area/E06000001"), "<https://w3id.org/sendgraph/id/area/E06000001>"),
    ],
)
def test_sparql_term(value, text):
    assert sq.sparql_term(value) == text


@pytest.mark.parametrize("bad", [URIRef("https://e.org/a b"), URIRef("https://e.org/>"), URIRef(""), BNode(), object()])
def test_sparql_term_refuses_what_cannot_be_written(bad):
    with pytest.raises(QueryError):
        sq.sparql_term(bad)


def test_bind_values_goes_into_the_where_group():
    q = textwrap.dedent("""\
        # a comment with { braces }
        PREFIX ex: <https://example.org/ns#not-a-comment>
        SELECT ?a (COUNT(?b) AS ?n) FROM <https://example.org/g>
        WHERE { ?a ex:p "{ not a group }" . { ?a ex:q ?b } }
        GROUP BY ?a""")
    bound = sq.bind_values(q, {"a": URIRef("https://example.org/x"), "$b": 'he said "}"'})
    assert 'WHERE { VALUES (?a ?b) { (<https://example.org/x> "he said \\"}\\"") }  ?a ex:p' in bound
    construct = sq.bind_values("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": 1})
    assert construct.startswith("CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s)")
    assert sq.bind_values("ASK { ?s ?p ?o }", {"o": "x"}).startswith('ASK { VALUES (?o) { ("x") }')
    assert sq.bind_values("SELECT * { ?s ?p ?o }", None) == "SELECT * { ?s ?p ?o }"
    with pytest.raises(QueryError, match="short form"):
        sq.bind_values("CONSTRUCT WHERE { ?s ?p ?o }", {"s": 1})
    with pytest.raises(QueryError, match="not a SPARQL query"):
        sq.bind_values("hello { }", {"s": 1})
    assert sq.query_form("prefix a: <b:> describe ?x where { ?x ?p ?o }") == "describe"


def test_rdflib_agrees_with_the_store_on_bound_queries(store):
    """The VALUES block gives the same answers as rdflib's initBindings (what the memory store uses)."""
    dataset = Dataset(default_union=True)
    for name in ("a", "b"):
        for triple in doc_graph(name, 3):
            dataset.graph(EX[f"graph/{name}"]).add(triple)
    emb.load_dataset(store, dataset)
    q = f"SELECT ?f ?t WHERE {{ ?f <{EX.partOf}> ?r ; <{EX.text}> ?t ; <{EX.number}> ?n }} ORDER BY ?f"
    for bindings in ({"n": 1}, {"r": EX["report/b"]}, {"r": EX["report/b"], "n": 0}, {"t": "nothing"}):
        init = {Variable(k): sq._as_rdflib(v) for k, v in bindings.items()}
        expected = [tuple(row) for row in dataset.query(q, initBindings=init)]
        assert emb.query(store, q, bindings).rows == expected, bindings


# ---------------------------------------------------------------------------------------------
# Incremental builds
# ---------------------------------------------------------------------------------------------


def test_sync_documents_adds_replaces_keeps_and_drops(store):
    built = []

    def lazy(name, label="v1"):
        def make():
            built.append(name)
            return doc_graph(name, 2, label)
        return make

    first = emb.sync_documents(store, {str(EX.a): ("a1", lazy("a")), str(EX.b): ("b1", lazy("b")),
                                      str(EX.c): ("c1", lazy("c"))})
    assert (first.added, first.replaced, first.kept, first.dropped) == ([str(EX.a), str(EX.b), str(EX.c)], [], [], [])
    assert str(first) == "added 3, replaced 0, kept 0, dropped 0"
    assert sorted(built) == ["a", "b", "c"]

    built.clear()
    untouched = triples_of(store, str(EX.a))
    # a unchanged, b changed, c removed, d new
    plan = emb.plan_sync(store, {str(EX.a): "a1", str(EX.b): "b2", str(EX.d): "d1"})
    assert plan.to_build == [str(EX.b), str(EX.d)]
    assert emb.graphs(store) == {str(EX.a): "a1", str(EX.b): "b1", str(EX.c): "c1"}  # planning changes nothing
    report = emb.sync_documents(store, {str(EX.a): ("a1", lazy("a")), str(EX.b): ("b2", lazy("b", "v2")),
                                       str(EX.d): ("d1", lazy("d"))})
    assert report.added == [str(EX.d)]
    assert report.replaced == [str(EX.b)]
    assert report.kept == [str(EX.a)]
    assert report.dropped == [str(EX.c)]
    assert report.counts() == {"added": 1, "replaced": 1, "kept": 1, "dropped": 1} and report.changed
    assert sorted(built) == ["b", "d"]  # the unchanged document was not built again
    assert emb.graphs(store) == {str(EX.a): "a1", str(EX.b): "b2", str(EX.d): "d1"}
    assert triples_of(store, str(EX.a)) == untouched
    assert triples_of(store, str(EX.c)) == set()
    texts = {r[0].value for r in store.query(f"SELECT ?t {{ GRAPH <{EX.b}> {{ ?f <{EX.text}> ?t }} }}")}
    assert texts == {"b finding 0 (v2)", "b finding 1 (v2)"}

    again = emb.sync_documents(store, {str(EX.a): ("a1", lazy("a")), str(EX.b): ("b2", lazy("b")),
                                      str(EX.d): ("d1", lazy("d"))})
    assert str(again) == "added 0, replaced 0, kept 3, dropped 0" and not again.changed


def test_sync_without_drop_keeps_other_graphs(store):
    emb.sync_documents(store, {str(EX.a): ("a1", doc_graph("a")), str(EX.b): ("b1", doc_graph("b"))})
    report = emb.sync_documents(store, {str(EX.a): ("a1", doc_graph("a"))}, drop=False)
    assert report.dropped == [] and set(emb.graphs(store)) == {str(EX.a), str(EX.b)}


def test_sync_replaces_the_default_graph_when_its_checksum_changes(store):
    resolved = Graph()
    resolved.add((EX.area, EX.label, Literal("Hartlepool")))
    docs = {str(EX.a): ("a1", doc_graph("a"))}
    report = emb.sync_documents(store, docs, default=("r1", resolved))
    assert report.default_replaced and emb.default_checksum(store) == "r1"
    assert emb.graphs(store) == {str(EX.a): "a1"}  # the default graph is no document
    assert not emb.sync_documents(store, docs, default=("r1", lambda: pytest.fail("rebuilt"))).changed
    resolved.add((EX.area, EX.code, Literal("E06000001")))
    assert emb.sync_documents(store, docs, default=("r2", resolved)).default_replaced
    rows = emb.query(store, f"SELECT ?p ?o WHERE {{ <{EX.area}> ?p ?o }}").rows
    assert set(rows) == {(EX.label, Literal("Hartlepool")), (EX.code, Literal("E06000001"))}
    none = emb.query(store, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX.area}> ?p ?o }} }}").rows
    assert none == []  # default-graph triples are in no named graph


def test_parse_store_option(tmp_path):
    assert tgt.parse_store_option(None) == tgt.StoreOption("memory")
    assert tgt.parse_store_option("memory").open() is None
    remote = tgt.parse_store_option("http://127.0.0.1:8890/sparql")
    assert remote.kind == "remote" and remote.open().update_url == "http://127.0.0.1:8890/sparql-auth"
    disk = tgt.parse_store_option(f"oxigraph:{tmp_path / 'db'}")
    assert disk == tgt.StoreOption("disk", str(tmp_path / "db"))
    opened = disk.open()
    assert emb.graphs(opened) == {}
    del opened
    gc.collect()
    with pytest.raises(StoreError, match="must not hold credentials"):
        tgt.parse_store_option("https://u:p@example.org/sparql")


def test_a_graph_without_checksum_is_replaced(store):
    emb.replace_graph(store, EX.a, doc_graph("a"))  # e.g. a crash before its checksum was recorded
    assert emb.graphs(store) == {str(EX.a): None}
    report = emb.sync_documents(store, {str(EX.a): ("a1", doc_graph("a"))})
    assert report.replaced == [str(EX.a)] and emb.graphs(store) == {str(EX.a): "a1"}


# ---------------------------------------------------------------------------------------------
# A process killed mid-write: the store reopens with every graph whole
# ---------------------------------------------------------------------------------------------

WRITER = """
import sys
from sendgraph.stores.embedded import open_store, replace_graph
path, graph, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = "".join(f'<https://example.org/s{i}> <https://example.org/p> "new value {i}" .\\n' for i in range(size)).encode()


class Loud:
    # the store, saying which write starts: "load" (the triples) or "update" (the switch and checksum)
    def __init__(self, store):
        self.store = store

    def __getattr__(self, name):
        attr = getattr(self.store, name)
        if name not in ("load", "update"):
            return attr

        def call(*args, **kwargs):
            print(name, flush=True)
            return attr(*args, **kwargs)
        return call


store = Loud(open_store(path))
replace_graph(store, graph, data, "new")
print("done", flush=True)
"""

NEW_SIZE = 60000


def _kill_writer(path, graph, phase, delay) -> str:
    """Run a process writing NEW_SIZE triples to ``graph``; SIGKILL it ``delay`` s into ``phase``. Its output."""
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), graph, str(NEW_SIZE)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    seen: list[str] = []
    try:
        read_until(proc.stdout, lambda seen: bool(seen) and seen[-1].strip() == phase, seen, f"its {phase} phase")
        time.sleep(delay)
    finally:
        rest = kill_now(proc)
    return " ".join([line.strip() for line in seen] + rest.split())


@pytest.mark.parametrize("phase, delay", [("load", 0.3), ("update", 0.0), ("update", 1.0)])
def test_killed_while_replacing_a_graph(tmp_path, phase, delay):
    path = tmp_path / "store"
    s = emb.open_store(path)
    emb.replace_graph(s, EX.doc, doc_graph("old", 100), "old")
    emb.replace_graph(s, EX.other, doc_graph("other", 5), "other")
    old_doc, old_other = triples_of(s, str(EX.doc)), triples_of(s, str(EX.other))
    del s
    gc.collect()

    output = _kill_writer(path, str(EX.doc), phase, delay)

    s = emb.open_store(path)
    try:
        recorded = emb.graphs(s)
        assert set(recorded) == {str(EX.doc), str(EX.other)}
        assert recorded[str(EX.other)] == "other" and triples_of(s, str(EX.other)) == old_other
        doc = triples_of(s, str(EX.doc))
        if phase == "load" and "done" not in output:
            assert recorded[str(EX.doc)] == "old"  # killed before the switch: nothing changed
        # old graph with the old checksum, or the new graph, whole, with the new checksum; killed
        # between the switch and its checksums, a whole graph without checksum (replaced by the next sync)
        if recorded[str(EX.doc)] == "new":
            assert len(doc) == NEW_SIZE
        elif recorded[str(EX.doc)] is None:
            assert doc == old_doc or len(doc) == NEW_SIZE
        else:
            assert recorded[str(EX.doc)] == "old" and doc == old_doc
        assert not [g for g in s.named_graphs() if "tmp" in g.value]  # leftovers cleaned on open
        # and the store is writable again
        emb.replace_graph(s, EX.doc, doc_graph("after", 1), "after")
        assert emb.graphs(s)[str(EX.doc)] == "after"
    finally:
        del s
        gc.collect()


def test_killed_while_adding_a_graph(tmp_path):
    path = tmp_path / "store"
    s = emb.open_store(path)
    emb.replace_graph(s, EX.other, doc_graph("other", 5), "other")
    del s
    gc.collect()

    _kill_writer(path, str(EX.new), "load", 0.3)

    s = emb.open_store(path)
    try:
        recorded = emb.graphs(s)
        assert recorded[str(EX.other)] == "other"
        new = triples_of(s, str(EX.new))
        assert len(new) in (0, NEW_SIZE)  # all or nothing
        if not new:
            assert str(EX.new) not in recorded or recorded[str(EX.new)] == "new"
        # a sync repairs whatever state it was left in
        report = emb.sync_documents(s, {str(EX.other): ("other", doc_graph("other", 5)),
                                       str(EX.new): ("new2", doc_graph("new", 2))})
        assert str(EX.new) in report.added + report.replaced
        assert len(triples_of(s, str(EX.new))) == 8
    finally:
        del s
    gc.collect()


# ---------------------------------------------------------------------------------------------
# Graph files
# ---------------------------------------------------------------------------------------------


def test_load_graph_keeps_named_graphs_of_trig_and_nquads(tmp_path):
    dataset = Dataset()
    for triple in doc_graph("a", 1):
        dataset.graph(EX["graph/a"]).add(triple)
    dataset.add((EX.x, EX.y, Literal("default")))
    (tmp_path / "g.trig").write_text(dataset.serialize(format="trig"))
    (tmp_path / "g.nq").write_text(dataset.serialize(format="nquads"))
    (tmp_path / "g.ttl").write_text(doc_graph("a", 1).serialize(format="turtle"))
    for name in ("g.trig", "g.nq"):
        back = gfiles.load_graph(tmp_path / name)
        assert isomorphic(back.graph(EX["graph/a"]), dataset.graph(EX["graph/a"])), name
        assert set(back.default_graph) == {(EX.x, EX.y, Literal("default"))}, name
    turtle = gfiles.load_graph(tmp_path / "g.ttl")
    assert [str(i) for i, _ in gfiles.graphs_of(turtle)] == ["None"]
    (tmp_path / "bad.ttl").write_text("this is not turtle")
    with pytest.raises(GraphError, match="bad.ttl: not a readable turtle graph"):
        gfiles.load_graph(tmp_path / "bad.ttl")
    with pytest.raises(GraphError, match="no such graph file"):
        gfiles.load_graph(tmp_path / "missing.ttl")
    with pytest.raises(GraphError, match="unknown graph format"):
        gfiles.load_graph(tmp_path / "g.docx")


# ---------------------------------------------------------------------------------------------
# Endpoints and credentials (no network)
# ---------------------------------------------------------------------------------------------


def test_endpoint_layouts():
    v = rmt.Endpoint.parse("http://127.0.0.1:8890/sparql")
    assert (v.query_url, v.update_url, v.store_url) == (
        "http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql-auth", "http://127.0.0.1:8890/sparql-graph-crud-auth")
    assert v.graph_url("https://w3id.org/g?x=1&y") == (
        "http://127.0.0.1:8890/sparql-graph-crud-auth?graph-uri=https%3A%2F%2Fw3id.org%2Fg%3Fx%3D1%26y")
    assert rmt.Endpoint.parse("http://h:8890/").store_url == "http://h:8890/sparql-graph-crud-auth"
    assert rmt.Endpoint.parse("https://h/virtuoso/sparql-auth").query_url == "https://h/virtuoso/sparql"
    o = rmt.Endpoint.parse("http://h:7878/query")
    assert (o.update_url, o.store_url, o.graph_param) == ("http://h:7878/update", "http://h:7878/store", "graph")
    f = rmt.Endpoint.parse("http://h:3030/ds")
    assert f.query_url == f.update_url == f.store_url == "http://h:3030/ds"
    with pytest.raises(StoreError) as info:
        rmt.Endpoint.parse("http://someone:s3cret@h:8890/sparql")
    assert "s3cret" not in str(info.value) and "someone" not in str(info.value)
    with pytest.raises(StoreError, match="not an http"):
        rmt.Endpoint.parse("ftp://h/sparql")


def test_credentials_from_environment_then_netrc(no_credentials, monkeypatch):
    url = "http://sparql.example.org:8890/sparql"
    assert rmt.credentials(url) is None
    netrc_file = no_credentials / "netrc"
    netrc_file.write_text("machine sparql.example.org login alice password from-netrc\n")
    netrc_file.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc_file))
    assert rmt.credentials(url) == ("alice", "from-netrc")
    assert rmt.credentials("http://other.example.org/sparql") is None
    monkeypatch.setenv(rmt.USER_ENV, "bob")
    monkeypatch.setenv(rmt.PASSWORD_ENV, "from-env")
    assert rmt.credentials(url) == ("bob", "from-env")
    monkeypatch.delenv(rmt.PASSWORD_ENV)
    with pytest.raises(StoreError, match="set both"):
        rmt.credentials(url)


def test_a_broken_netrc_is_reported_without_its_content(no_credentials, monkeypatch):
    netrc_file = no_credentials / "netrc"
    netrc_file.write_text("machine h login alice password hunter2 bogus-token-hunter3\n")
    netrc_file.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc_file))
    with pytest.raises(StoreError) as info:
        rmt.credentials("http://h/sparql")
    assert "hunter" not in str(info.value) and "netrc" in str(info.value)


def _build_on_a_full_disk(store_dir: Path, limit_bytes: int) -> subprocess.CompletedProcess:
    """``sendgraph build --store`` in a process that cannot write files past ``limit_bytes`` (as on a full disk)."""
    import resource
    import signal

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit_bytes, limit_bytes))

    return subprocess.run([sys.executable, "-m", "sendgraph.cli", "build", str(ROOT / "data"), "--store", str(store_dir)],
                          capture_output=True, text=True, preexec_fn=limit, timeout=300)


def test_a_store_after_a_failed_first_build_says_it_holds_nothing(tmp_path):
    from click.testing import CliRunner

    from sendgraph.cli import main

    store_dir = tmp_path / "store"
    failed = _build_on_a_full_disk(store_dir, 4096)
    assert failed.returncode == 2 and "cannot open store" in failed.stderr, failed.stderr
    # A new store is made in a temporary folder and moved into place: the failed build left nothing.
    assert sorted(p.name for p in tmp_path.iterdir()) == []
    for command in (["query", "ASK { ?s ?p ?o }"], ["search", "plans"]):
        result = CliRunner().invoke(main, [*command, "--store", str(store_dir)])
        assert result.exit_code == 2, result.stderr
        assert result.stderr == f"Error: cannot open store {store_dir}: no such store\n"
    rebuilt = CliRunner().invoke(main, ["build", str(ROOT / "data"), "--store", str(store_dir)])
    assert rebuilt.exit_code == 0, rebuilt.stderr
    result = CliRunner().invoke(main, ["query", "ASK { ?s a sg:Inspection }", "--store", str(store_dir), "-f", "json"])
    assert result.exit_code == 0 and "true" in result.stdout


def test_a_store_folder_left_half_made_by_a_killed_build_is_recovered(tmp_path):
    """Regression: a build killed just after it created a new store's folder left LOCK, LOG and a
    temporary file, and every later build said "the folder is not empty and holds no store"."""
    from sendgraph.stores.embedded import open_store

    half = tmp_path / "store"
    half.mkdir()
    for name in ("LOCK", "LOG", "000003.log", "OPTIONS-000005.dbtmp"):
        (half / name).write_bytes(b"")
    store = open_store(half)
    assert (half / "CURRENT").is_file() and list(store.named_graphs()) == []
    del store
    # A new store is made beside its folder and moved into place: nothing else is left there.
    fresh = tmp_path / "fresh"
    store = open_store(fresh)
    del store
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "store"]
    # A folder of something else is still refused.
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine\n")
    with pytest.raises(StoreError, match="not empty and holds no store"):
        open_store(other)
