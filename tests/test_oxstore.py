"""A built graph's Oxigraph store answers through rdflib's API as rdflib's Memory store does."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, Namespace, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.stores.memory import Memory

from sendgraph.graph.oxstore import QuadSink, from_ox, oxigraph_dataset, oxigraph_quads, oxigraph_store, sorted_lines, to_ox, union_size

EX = Namespace("https://example.org/")

TERMS = [
    EX.thing,
    Literal("plain"),
    Literal("tagged", lang="en"),
    Literal("2023-10-09", datatype=XSD.date),
    Literal(True),
    Literal(5, datatype=XSD.integer),
    Literal('quote " and back\\slash and é'),
    BNode("b1"),
]


@pytest.mark.parametrize("term", TERMS, ids=repr)
def test_terms_come_back_as_they_went_in(term):
    assert from_ox(to_ox(term)) == term
    assert str(to_ox(term)) == term.n3()  # the same N-Triples form as rdflib writes


def test_a_literal_typed_xsd_string_comes_back_plain():
    assert from_ox(to_ox(Literal("x", datatype=XSD.string))) == Literal("x")


def fill_rdflib(dataset: Dataset) -> Dataset:
    a, b = dataset.graph(EX.a), dataset.graph(EX.b)
    for i in range(5):
        a.add((EX[f"s{i}"], EX.p, Literal(f"value {i}")))
    b.add((EX.s1, EX.p, Literal("value 1")))  # the same triple in a second graph
    b.add((EX.s9, EX.p, Literal("only b", lang="en")))
    dataset.default_graph.add((EX.s0, EX.q, EX.o))
    return dataset


def fill_sinks(store: ox.Store) -> Dataset:
    with QuadSink(store, None) as default:
        default.add((EX.s0, EX.q, EX.o))
    with QuadSink(store, EX.a, default.cache) as a:
        for i in range(5):
            a.add((EX[f"s{i}"], EX.p, Literal(f"value {i}")))
    with QuadSink(store, EX.b, default.cache) as b:
        b.add((EX.s1, EX.p, Literal("value 1")))
        b.add((EX.s9, EX.p, Literal("only b", lang="en")))
    assert EX.s1 in a.cache and EX.s1 in b.cache and EX.s1 not in default.cache  # a graph's own IRIs stay its own
    assert EX.p not in default.cache and default.cache[EX.o] is not None
    with QuadSink(store, EX.empty, default.cache):
        pass  # an empty graph is still created
    return oxigraph_dataset(store, {"ex": str(EX)})


def state(dataset: Dataset) -> tuple:
    quads = sorted((str(s), str(p), str(o), str(g)) for s, p, o, g in dataset.quads((None, None, None, None)))
    per_graph = {str(g.identifier): len(g) for g in dataset.graphs() if len(g)}
    contexts = sorted(str(g.identifier) for g in dataset.graphs((EX.s1, EX.p, Literal("value 1"))))
    union = sorted(map(str, dataset.triples((None, EX.p, None))))
    return quads, per_graph, contexts, len(dataset), union


def test_filled_through_sinks_it_answers_as_memory():
    store = ox.Store()
    built = fill_sinks(store)
    plain = fill_rdflib(Dataset(store=Memory(), default_union=True))
    assert state(built) == state(plain)
    assert len(list(built.triples((EX.s1, EX.p, None)))) == 1  # the union gives a triple once
    assert (EX.s9, EX.p, Literal("only b", lang="en")) in built
    assert (EX.s9, EX.p, Literal("only b")) not in built
    assert list(built.triples((Literal("a literal subject"), None, None))) == []
    assert EX.empty in {g.identifier for g in built.graphs()}
    assert oxigraph_store(built) is store and oxigraph_store(plain) is None
    assert len(list(oxigraph_quads(built.graph(EX.a)))) == 5 and oxigraph_quads(plain) is None
    assert str(dict(built.namespaces())["ex"]) == str(EX)


def test_sorted_lines_are_the_quads_terms_sorted_each_line_once():
    built = fill_sinks(ox.Store())
    with QuadSink(oxigraph_store(built), EX.c) as c:  # every kind of term, escapes and non-ASCII text
        for i, term in enumerate(TERMS + [Literal("line\nbreak\ttab"), Literal("\u2019 and \U0001f600")]):
            c.add((EX.s0, EX[f"t{i}"], term))
    plain = fill_rdflib(Dataset(store=Memory(), default_union=True))

    def lines(quads, with_graph=False) -> str:  # each quad's terms as Oxigraph writes them, sorted, each line once
        return "".join(sorted({f"{q.subject} {q.predicate} {q.object}"
                               f"{' ' + str(q.graph_name) if with_graph and q.graph_name != ox.DefaultGraph() else ''} .\n"
                               for q in quads}))

    union = sorted_lines(built).decode("utf-8")
    assert union == lines(oxigraph_quads(built))
    assert union.count(f'<{EX.s1}> <{EX.p}> "value 1" .') == 1  # held by two graphs, written once
    assert '"line\\nbreak\\ttab"' in union and '"\u2019 and \U0001f600"' in union
    assert sorted_lines(built.graph(EX.c)).decode("utf-8") == lines(oxigraph_quads(built.graph(EX.c)))
    assert sorted_lines(built, with_graph=True).decode("utf-8") == lines(oxigraph_quads(built), with_graph=True)
    assert sorted_lines(plain) is None and sorted_lines(built.graph(EX.empty)) == b""


def test_union_size_counts_a_triple_held_by_several_graphs_once():
    store = ox.Store()
    built = fill_sinks(store)
    blank = ox.BlankNode("b1")
    for graph in (ox.DefaultGraph(), ox.NamedNode(EX.a), ox.NamedNode(EX.c)):  # in three graphs, the default one too
        store.add(ox.Quad(ox.NamedNode(EX.s1), ox.NamedNode(EX.p), ox.Literal("value 1"), graph))
        store.add(ox.Quad(blank, ox.NamedNode(EX.p), ox.Literal(str(graph)), graph))  # a shared subject, other objects
    distinct = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }"
    expected = int(next(iter(store.query(distinct, use_default_graph_as_union=True)))[0].value)
    assert union_size(store) == expected == len(store) - 3 == len(built)
    assert union_size(ox.Store()) == 0


def test_rdflib_api_changes_reach_the_store():
    built = fill_sinks(ox.Store())
    plain = fill_rdflib(Dataset(store=Memory(), default_union=True))
    for dataset in (built, plain):
        dataset.graph(EX.b).remove((EX.s1, EX.p, Literal("value 1")))
        dataset.graph(EX.a).add((EX.s7, EX.p, Literal("added")))
    assert state(built) == state(plain)
    assert (EX.s1, EX.p, Literal("value 1")) in built.graph(EX.a)
    assert (EX.s1, EX.p, Literal("value 1")) not in built.graph(EX.b)


def test_sparql_runs_in_oxigraph_and_bindings_in_rdflib():
    built = fill_sinks(ox.Store())
    rows = list(built.query("SELECT DISTINCT ?s WHERE { ?s ex:p ?o } ORDER BY ?s"))
    assert [str(r.s) for r in rows] == [str(EX[f"s{i}"]) for i in (0, 1, 2, 3, 4, 9)]
    # Oxigraph's union default graph gives a triple once per graph holding it (rdflib's, once)
    assert len(built.query("SELECT ?s WHERE { ?s ex:p ?o }")) == 7
    assert built.query("ASK { ex:s0 ex:q ex:o }").askAnswer is True
    # initBindings are not Oxigraph's to answer: rdflib's engine does, with the same result
    bound = list(built.query("SELECT ?o WHERE { ?s ex:p ?o }", initBindings={"s": EX.s9}))
    assert [r.o for r in bound] == [Literal("only b", lang="en")]
    constructed = built.query("CONSTRUCT { ?s ex:r ?o } WHERE { ?s ex:q ?o }").graph
    assert set(constructed) == {(EX.s0, EX.r, EX.o)}


def test_a_sink_hands_quads_over_in_batches(monkeypatch):
    import sendgraph.graph.oxstore as oxstore

    monkeypatch.setattr(oxstore, "_BATCH", 3)
    store = ox.Store()
    sink = QuadSink(store, URIRef(EX.g))
    for i in range(7):
        sink.add((EX[f"s{i}"], EX.p, EX.o))
    assert len(store) == 6 and len(sink.pending) == 1  # two batches handed over, one quad waiting
    sink.flush()
    assert len(store) == 7
