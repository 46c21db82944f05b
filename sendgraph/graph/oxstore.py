"""A built graph's triples kept in an in-memory Oxigraph store, seen through rdflib's Dataset API.

rdflib's own Memory store holds every triple in Python objects, some 1.5 KB each (900 bytes with
equal terms stored once). A build of 10,000 reports makes 7.5 million triples. Here the triples
live in pyoxigraph's store (a few hundred bytes each, outside Python objects, so the garbage
collector never walks them); graph files are read into one too (:func:`sendgraph.graph.load_graph`,
parsed by Oxigraph). And:

* :class:`QuadSink` is what a build adds its triples to: rdflib terms in, pyoxigraph quads out,
  each IRI converted once;
* :func:`oxigraph_dataset` wraps the filled store in an rdflib ``Dataset`` (:class:`OxigraphMemory`), so
  everything written for rdflib reads it unchanged; SPARQL on it runs in Oxigraph;
* :func:`oxigraph_quads` gives the pyoxigraph quads behind a dataset or one of its graphs, for
  the paths that read them directly (sorted N-Triples and N-Quads).

Simple literals come back as rdflib plain literals (no datatype), as rdflib's parsers give them,
and the union (``dataset.triples``) gives a triple once however many graphs hold it. SPARQL is
Oxigraph's: its union default graph matches a triple once per graph holding it, so a query that
counts or lists rows says ``DISTINCT`` (as the shipped queries do, for the embedded store too).
"""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph
from rdflib.namespace import XSD
from rdflib.store import Store

__all__ = ["OxigraphMemory", "QuadSink", "read_dataset", "oxigraph_dataset", "oxigraph_quads", "oxigraph_store",
           "sorted_lines", "union_size", "from_ox", "to_ox"]

_XSD_STRING = str(XSD.string)
_DEFAULT = object()
_BATCH = 20_000  # quads handed to Oxigraph at once


def to_ox(term, cache: dict | None = None, shared: dict | None = None):
    """The pyoxigraph term of an rdflib URIRef, BNode or Literal (IRIs looked up in ``shared``, then in
    ``cache``; a new one is kept in ``cache``); a pyoxigraph term is itself."""
    if isinstance(term, URIRef):
        if cache is None:
            return ox.NamedNode(term)
        found = shared.get(term) if shared is not None else None
        if found is None:
            found = cache.get(term)
            if found is None:
                found = cache[term] = ox.NamedNode(term)
        return found
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=to_ox(term.datatype, cache))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, (ox.Literal, ox.NamedNode, ox.BlankNode)):  # already Oxigraph's
        return term
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term):
    """The rdflib term of a pyoxigraph term; a simple literal is a plain Literal, as rdflib parses it."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.DefaultGraph):
        return DATASET_DEFAULT_GRAPH_ID
    raise TypeError(f"not an RDF term: {term!r}")


class QuadSink:
    """Triples added to one graph of a pyoxigraph store (the default graph for ``graph=None``).

    Has the ``add((s, p, o))`` of an rdflib Graph; quads are handed over in batches, so call
    :meth:`flush` (or use the sink as a context manager) when done. Each IRI is converted once per
    sink; ``shared`` (IRIs many graphs use: the linked entities, the concepts) is read, not written,
    so what one document mints is let go with its sink.
    """

    def __init__(self, store: ox.Store, graph=None, shared: dict | None = None):
        self.store = store
        self.cache: dict = {}
        self.shared = shared
        self.graph = ox.DefaultGraph() if graph is None else to_ox(graph)
        self.pending: list = []

    def add(self, triple) -> None:
        s, p, o = triple
        cache, shared = self.cache, self.shared
        self.pending.append(ox.Quad(to_ox(s, cache, shared), to_ox(p, cache, shared), to_ox(o, cache, shared),
                                    self.graph))
        if len(self.pending) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.store.extend(self.pending)
            self.pending = []
        elif not isinstance(self.graph, ox.DefaultGraph):
            self.store.add_graph(self.graph)  # an empty document graph is still a graph

    def __enter__(self) -> "QuadSink":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is None:
            self.flush()


# The subjects found in more than one graph (the default graph counted as one, named by a literal,
# which no graph name can be): only their triples can be held by two graphs.
_SHARED_SUBJECTS = """SELECT ?s WHERE {
  { SELECT DISTINCT ?s ?g WHERE { { GRAPH ?g { ?s ?p ?o } } UNION { ?s ?p ?o BIND ("default graph" AS ?g) } } }
} GROUP BY ?s HAVING (COUNT(?g) > 1)"""


def union_size(store: ox.Store) -> int:
    """How many triples the union of a store's graphs holds, each once: its quads, less the second
    copies of a triple held by several graphs. Oxigraph lists the subjects found in more than one
    graph (a DISTINCT over subject and graph), and only their triples are compared: the same time as
    a DISTINCT over every triple, a third of its memory (1,000 reports: 54 MiB against 168 MiB,
    some 1.8 GiB of a 10,000-report build's peak)."""
    copies = 0
    for (subject,) in store.query(_SHARED_SUBJECTS):
        quads = list(store.quads_for_pattern(subject, None, None, None))
        copies += len(quads) - len({(q.predicate, q.object) for q in quads})
    return len(store) - copies


class OxigraphMemory(Store):
    """An rdflib store over a pyoxigraph store: triples, graphs and SPARQL (run by Oxigraph).

    Like oxrdflib's store, without its imports (rdflib's SPARQL parser, a fifth of a second at
    start-up), with simple literals read back as plain literals and each triple of the union once.
    """

    context_aware = True
    formula_aware = False
    transaction_aware = False
    graph_aware = True

    def __init__(self, store: ox.Store | None = None):
        super().__init__()
        self.inner = store if store is not None else ox.Store()
        self._namespaces: dict = {}
        self._prefixes: dict = {}

    # -- triples
    def add(self, triple, context, quoted=False) -> None:
        if quoted:
            raise ValueError("an Oxigraph store holds no quoted (formula) graphs")
        self.inner.add(ox.Quad(*(to_ox(t) for t in triple), _graph_name(context)))
        super().add(triple, context, quoted)

    def addN(self, quads) -> None:  # noqa: N802 (rdflib's name)
        self.inner.extend([ox.Quad(to_ox(s), to_ox(p), to_ox(o), _graph_name(g)) for s, p, o, g in quads])

    def remove(self, triple, context=None) -> None:
        pattern = _pattern(triple)
        if pattern is None:
            return
        for quad in list(self.inner.quads_for_pattern(*pattern, _graph_name(context, None))):
            self.inner.remove(quad)
        super().remove(triple, context)

    def triples(self, triple_pattern, context=None):
        pattern = _pattern(triple_pattern)
        if pattern is None:
            return iter(())
        quads = self.inner.quads_for_pattern(*pattern, _graph_name(context, None))
        if context is None:
            return self._union(quads)
        return (((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)), iter((context,))) for q in quads)

    def _union(self, quads):
        """Each triple once, however many graphs hold it (as rdflib's Memory store gives them)."""
        seen = set()
        terms: dict = {}  # pyoxigraph term -> rdflib term, for this scan (a scan meets an IRI many times)

        def term(t):
            found = terms.get(t)
            if found is None:
                found = terms[t] = from_ox(t)
            return found

        for q in quads:
            key = (q.subject, q.predicate, q.object)
            if key in seen:
                continue
            seen.add(key)
            yield (term(q.subject), term(q.predicate), term(q.object)), self._graphs_holding(key)

    def _graphs_holding(self, triple):
        """The graphs holding a triple, looked up only if asked for (``quads()`` asks, ``triples()`` does not)."""
        for quad in self.inner.quads_for_pattern(*triple, None):
            yield self._graph(quad.graph_name)

    def _graph(self, name) -> Graph:
        return Graph(store=self, identifier=from_ox(name))

    def __len__(self, context=None) -> int:
        if context is None:
            return union_size(self.inner)
        return sum(1 for _ in self.inner.quads_for_pattern(None, None, None, _graph_name(context)))

    def contexts(self, triple=None):
        if triple is None:
            return (self._graph(name) for name in self.inner.named_graphs())
        pattern = _pattern(triple)
        if pattern is None:
            return iter(())
        names = {q.graph_name for q in self.inner.quads_for_pattern(*pattern)}
        return (self._graph(name) for name in names)

    def add_graph(self, graph) -> None:
        name = _graph_name(graph)
        if not isinstance(name, ox.DefaultGraph):
            self.inner.add_graph(name)

    def remove_graph(self, graph) -> None:
        self.inner.remove_graph(_graph_name(graph))

    # -- SPARQL
    def query(self, query, initNs, initBindings, queryGraph, **kwargs):  # noqa: N803 (rdflib's names)
        from rdflib.query import Result
        from rdflib.term import Variable

        if not isinstance(query, str) or kwargs or initBindings:
            # rdflib's own engine answers instead (sendgraph.query binds parameters as VALUES for Oxigraph)
            raise NotImplementedError
        options = {"use_default_graph_as_union": True} if queryGraph == "__UNION__" else (
            {"default_graph": _graph_name(queryGraph)} if queryGraph is not None else {})
        answer = self.inner.query(query, prefixes={**{p: str(n) for p, n in self._namespaces.items()},
                                                   **{p: str(n) for p, n in (initNs or {}).items()}},
                                  **options)
        if isinstance(answer, ox.QueryBoolean):
            result = Result("ASK")
            result.askAnswer = bool(answer)
        elif isinstance(answer, ox.QuerySolutions):
            result = Result("SELECT")
            result.vars = [Variable(v.value) for v in answer.variables]
            result.bindings = [{var: from_ox(value) for var, value in zip(result.vars, row) if value is not None}
                               for row in answer]
        else:
            result = Result("CONSTRUCT")
            result.graph = Graph()
            for t in answer:
                result.graph.add((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object)))
        return result

    def update(self, *args, **kwargs):
        raise NotImplementedError

    # -- prefixes
    def bind(self, prefix, namespace, override=True) -> None:
        if not override and (prefix in self._namespaces or namespace in self._prefixes):
            return
        old = self._namespaces.pop(prefix, None)
        if old is not None:
            self._prefixes.pop(old, None)
        old_prefix = self._prefixes.pop(namespace, None)
        if old_prefix is not None:
            self._namespaces.pop(old_prefix, None)
        self._namespaces[prefix] = namespace
        self._prefixes[namespace] = prefix

    def prefix(self, namespace):
        return self._prefixes.get(namespace)

    def namespace(self, prefix):
        return self._namespaces.get(prefix)

    def namespaces(self):
        yield from list(self._namespaces.items())


def _graph_name(context, default=_DEFAULT):
    """The pyoxigraph graph name of an rdflib graph or graph identifier (``default`` for None)."""
    if context is None:
        return ox.DefaultGraph() if default is _DEFAULT else default
    identifier = getattr(context, "identifier", context)
    if identifier == DATASET_DEFAULT_GRAPH_ID:
        return ox.DefaultGraph()
    return to_ox(identifier)


def _pattern(triple):
    """The pyoxigraph pattern of an rdflib (s, p, o) pattern; None when nothing could match (a literal
    subject, a predicate that is not an IRI)."""
    s, p, o = triple
    if (s is not None and not isinstance(s, (URIRef, BNode))) or (p is not None and not isinstance(p, URIRef)):
        return None
    try:
        return [None if t is None else to_ox(t) for t in (s, p, o)]
    except (TypeError, ValueError):
        return None


def oxigraph_dataset(store: ox.Store | None = None, prefixes: dict | None = None) -> Dataset:
    """An rdflib Dataset (default graph: the union of all graphs) over a pyoxigraph store."""
    dataset = Dataset(store=OxigraphMemory(store), default_union=True)
    for prefix, namespace in (prefixes or {}).items():
        dataset.bind(prefix, namespace, override=True, replace=True)
    return dataset


def read_dataset(path, fmt: ox.RdfFormat, prefixes: dict | None = None) -> Dataset:
    """A graph file parsed by Oxigraph into an in-memory store, as a Dataset (see :func:`oxigraph_dataset`).

    TriG and N-Quads keep their named graphs, the other formats fill the default graph. Raises the
    parser's SyntaxError or ValueError, or OSError.
    """
    store = ox.Store()  # some 10 times faster than rdflib's parsers, and SPARQL answered by Oxigraph
    store.bulk_load(path=str(path), format=fmt)
    return oxigraph_dataset(store, prefixes)


def sorted_lines(graph, with_graph: bool = False) -> bytes | None:
    """The quads behind an rdflib dataset made by :func:`oxigraph_dataset` (all of them) or one graph
    of it, as sorted UTF-8 N-Triples lines, each line once (N-Quads lines ``with_graph``, a dataset
    only); None for a graph held elsewhere.

    Oxigraph writes the lines (each term in its N-Triples form, as ``str()`` of a pyoxigraph term
    gives it), with no Python object per quad: a third less time at 1,000 reports. UTF-8 bytes sort
    as their characters do.
    """
    store = getattr(graph, "store", None)
    if not isinstance(store, OxigraphMemory):
        return None
    inner = store.inner
    if not isinstance(graph, ConjunctiveGraph):
        if with_graph:
            return None
        names = [_graph_name(graph)]
    else:  # the union: each graph's triples (a triple held by several graphs once); N-Quads: all at once
        names = [None] if with_graph else [ox.DefaultGraph(), *inner.named_graphs()]
    lines: set = set()
    for name in names:  # graph by graph, so that no text of them all is held beside its lines
        lines.update(inner.dump(format=ox.RdfFormat.N_QUADS if with_graph else ox.RdfFormat.N_TRIPLES,
                                from_graph=name).split(b"\n"))
    lines.discard(b"")
    ordered = sorted(lines)
    del lines
    return b"\n".join(ordered) + b"\n" if ordered else b""


def oxigraph_store(dataset) -> ox.Store | None:
    """The pyoxigraph store behind an rdflib dataset made by :func:`oxigraph_dataset`, else None."""
    store = getattr(dataset, "store", None)
    return store.inner if isinstance(store, OxigraphMemory) and isinstance(dataset, ConjunctiveGraph) else None


def oxigraph_quads(graph):
    """The pyoxigraph quads behind an rdflib dataset made by :func:`oxigraph_dataset` (all of them) or
    one graph of it (that graph's); None for a graph held elsewhere."""
    store = getattr(graph, "store", None)
    if not isinstance(store, OxigraphMemory):
        return None
    if isinstance(graph, ConjunctiveGraph):  # the dataset itself: every graph
        return store.inner.quads_for_pattern(None, None, None, None)
    return store.inner.quads_for_pattern(None, None, None, _graph_name(graph))
