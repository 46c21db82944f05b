"""The build's in-memory store holds and answers exactly what rdflib's Memory store does."""

from __future__ import annotations

from rdflib import Dataset, Literal, Namespace
from rdflib.plugins.stores.memory import Memory

from sendgraph.memstore import CompactMemory, memory_store

EX = Namespace("https://example.org/")


def fill(dataset: Dataset) -> Dataset:
    a, b = dataset.graph(EX.a), dataset.graph(EX.b)
    for i in range(5):
        a.add((EX[f"s{i}"], EX.p, Literal(f"value {i}")))
    b.add((EX.s1, EX.p, Literal("value 1")))  # the same triple in a second graph
    b.add((EX.s9, EX.p, Literal("only b")))
    dataset.default_graph.add((EX.s0, EX.q, EX.o))
    return dataset


def state(dataset: Dataset) -> tuple:
    quads = sorted((str(s), str(p), str(o), str(g)) for s, p, o, g in dataset.quads((None, None, None, None)))
    per_graph = {str(g.identifier): len(g) for g in dataset.graphs()}
    contexts = sorted(str(g.identifier) for g in dataset.graphs((EX.s1, EX.p, Literal("value 1"))))
    return quads, per_graph, contexts, len(dataset)


def test_compact_store_is_used_and_answers_as_memory():
    assert isinstance(memory_store(), CompactMemory)
    compact = fill(Dataset(store=CompactMemory(), default_union=True))
    plain = fill(Dataset(store=Memory(), default_union=True))
    assert state(compact) == state(plain)
    # removing a triple from one graph leaves it in the other, and the shared records untouched
    for dataset in (compact, plain):
        dataset.graph(EX.b).remove((EX.s1, EX.p, Literal("value 1")))
        dataset.graph(EX.a).remove((EX.s3, EX.p, Literal("value 3")))
    assert state(compact) == state(plain)
    assert (EX.s1, EX.p, Literal("value 1")) in compact.graph(EX.a)
    assert (EX.s1, EX.p, Literal("value 1")) not in compact.graph(EX.b)
    assert len(compact.graph(EX.a)) == 4 and len(compact.graph(EX.b)) == 1
