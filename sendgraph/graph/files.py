"""Graph files: the formats sendgraph reads and writes, one reader (:func:`load_graph`), sorted and
atomic writing, and a dataset's graphs one by one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph

from sendgraph.errors import GraphError
from sendgraph.graph.oxstore import read_dataset, sorted_lines
from sendgraph.io import atomic_path
from sendgraph.vocab import PREFIXES


@dataclass(frozen=True)
class GraphFormat:
    """A graph file format: rdflib's name for it, the suffix sendgraph writes, pyoxigraph's format."""

    rdflib: str
    suffix: str
    oxigraph: ox.RdfFormat
    named_graphs: bool = False


#: The graph formats sendgraph reads and writes, by sendgraph's name.
FORMATS = {
    "turtle": GraphFormat("turtle", ".ttl", ox.RdfFormat.TURTLE),
    "trig": GraphFormat("trig", ".trig", ox.RdfFormat.TRIG, True),
    "nquads": GraphFormat("nquads", ".nq", ox.RdfFormat.N_QUADS, True),
    "ntriples": GraphFormat("nt", ".nt", ox.RdfFormat.N_TRIPLES),
    "jsonld": GraphFormat("json-ld", ".jsonld", ox.RdfFormat.JSON_LD),
}
#: File suffixes -> format name (the one table for reading and writing).
SUFFIXES = {".ttl": "turtle", ".turtle": "turtle", ".trig": "trig", ".nq": "nquads", ".nquads": "nquads",
            ".nt": "ntriples", ".ntriples": "ntriples", ".jsonld": "jsonld", ".json": "jsonld"}


def format_of(path, default: str | None = None) -> str:
    """The format a file's suffix names; an unknown suffix is ``default``, or a GraphError without one."""
    fmt = SUFFIXES.get(Path(str(path)).suffix.lower(), default)
    if fmt is None:
        suffix = Path(str(path)).suffix or "(no suffix)"
        raise GraphError(f"{path}: unknown graph format {suffix}; use .ttl, .trig, .nq, .nt or .jsonld")
    return fmt


def _term(term) -> str:
    return term.n3()


def sorted_ntriples(dataset) -> str:
    """The union of all graphs as N-Triples, one line per triple, sorted: the determinism fingerprint."""
    data = sorted_lines(dataset)
    if data is not None:  # pyoxigraph writes the lines, many times faster
        return data.decode("utf-8")
    lines = {f"{_term(s)} {_term(p)} {_term(o)} .\n" for s, p, o in dataset.triples((None, None, None))}
    return "".join(sorted(lines))


def sorted_nquads(dataset) -> str:
    data = sorted_lines(dataset, with_graph=True) if isinstance(dataset, Dataset) else None
    if data is not None:
        return data.decode("utf-8")
    lines = set()
    default_id = dataset.default_graph.identifier if isinstance(dataset, Dataset) else None
    graphs = dataset.graphs() if isinstance(dataset, Dataset) else [dataset]
    for graph in graphs:
        suffix = "" if graph.identifier == default_id or not isinstance(dataset, Dataset) else f" {_term(graph.identifier)}"
        for s, p, o in graph:
            lines.add(f"{_term(s)} {_term(p)} {_term(o)}{suffix} .\n")
    return "".join(sorted(lines))


def serialise(dataset, fmt: str) -> str:
    """Text of a graph in one of FORMATS; N-Triples and N-Quads are sorted."""
    if fmt not in FORMATS:
        raise GraphError(f"unknown graph format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "ntriples":
        return sorted_ntriples(dataset)
    if fmt == "nquads":
        return sorted_nquads(dataset)
    if fmt in ("turtle", "trig"):
        fast = _oxigraph_text(dataset, fmt)
        if fast is not None:
            return fast
    if fmt == "turtle" and isinstance(dataset, Dataset):
        union = Graph()
        for prefix, namespace in dataset.namespaces():
            union.bind(prefix, namespace, override=True, replace=True)
        for triple in dataset.triples((None, None, None)):
            union.add(triple)
        return union.serialize(format="turtle")
    if fmt == "jsonld":
        return jsonld_text(dataset)
    return dataset.serialize(format=FORMATS[fmt].rdflib)


def jsonld_text(dataset) -> str:
    """JSON-LD of a graph or dataset: the default graph's nodes at the top level of ``@graph`` (rdflib
    wraps them in a graph object without ``@id``, which JSON-LD readers take for a blank-node named
    graph) and a ``@context`` of only the project's prefixes the data uses."""
    import json

    from sendgraph.vocab import PREFIXES

    used = set()
    namespaces = sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()), key=lambda kv: -len(kv[0]))
    quads = dataset.quads((None, None, None, None)) if hasattr(dataset, "quads") else (
        (s, p, o, None) for s, p, o in dataset.triples((None, None, None)))
    for quad in quads:
        for term in quad[:3]:
            text = str(term)
            if not text.startswith(("http://", "https://", "urn:")):
                continue
            for ns, prefix in namespaces:
                if text.startswith(ns):
                    used.add(prefix)
                    break
    context = {prefix: str(PREFIXES[prefix]) for prefix in sorted(used)}
    document = json.loads(dataset.serialize(format="json-ld", context=context, auto_compact=True))
    nodes = document.get("@graph", [document] if "@id" in document else [])
    flat = []
    for node in nodes:
        if isinstance(node, dict) and "@id" not in node and set(node) <= {"@graph", "@context"}:
            flat.extend(node.get("@graph", []))  # the default graph: its nodes belong at the top level
        else:
            flat.append(node)
    return json.dumps({"@context": context, "@graph": flat}, indent=1, ensure_ascii=False) + "\n"


def _oxigraph_text(dataset, fmt: str) -> str | None:
    """Turtle (the union of all graphs) or TriG written by pyoxigraph (some 10 times faster than rdflib's
    serializers): the sorted triples or quads, grouped by subject, with the graph's prefixes that are
    used. None when pyoxigraph cannot read the sorted N-Triples (rdflib's serializer is used then)."""
    import pyoxigraph as ox

    trig = fmt == "trig"
    target = ox.RdfFormat.TRIG if trig else ox.RdfFormat.TURTLE
    lines = ox.RdfFormat.N_QUADS if trig else ox.RdfFormat.N_TRIPLES
    data = sorted_lines(dataset, with_graph=trig) if isinstance(dataset, Dataset) or not trig else None
    if data is None:
        data = (sorted_nquads(dataset) if trig else sorted_ntriples(dataset)).encode("utf-8")
        try:
            statements = list(ox.parse(data, format=lines))
        except (SyntaxError, ValueError):
            return None
    else:  # Oxigraph's own lines, read back one by one as they are written: no list of a million statements
        statements = ox.parse(data, format=lines)
    prefixes = {}
    for prefix, namespace in sorted(dataset.namespaces(), key=lambda pn: (str(pn[1]), pn[0])):
        namespace = str(namespace)
        if prefix and namespace not in prefixes.values() and b"<" + namespace.encode("utf-8") in data:
            prefixes[prefix] = namespace
    return ox.serialize(statements, format=target, prefixes=prefixes).decode("utf-8")


def write_graph(dataset, path, fmt: str | None = None) -> None:
    """Write a graph to path atomically, in fmt (default: from the file's suffix, else Turtle)."""
    fmt = fmt or format_of(path)
    data = serialise(dataset, fmt)
    try:
        with atomic_path(path) as tmp:
            tmp.write_text(data, encoding="utf-8")
    except OSError as exc:
        raise GraphError(f"{path}: cannot write the graph ({exc.strerror or exc})") from exc


def check_local_jsonld(path) -> None:
    """GraphError unless a JSON-LD file is self-contained: a remote or file ``@context`` would make the
    parser fetch it (a request to any host, or reading any local file), so such a file is refused."""
    import json

    try:
        data = json.loads(Path(str(path)).read_bytes())
    except (OSError, ValueError):
        return  # not JSON: the parser says so in its own words

    def contexts(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    yield value
                else:
                    yield from contexts(value)
        elif isinstance(node, list):
            for item in node:
                yield from contexts(item)

    def references(context):
        if isinstance(context, str):
            yield context
        elif isinstance(context, list):
            for item in context:
                yield from references(item)
        elif isinstance(context, dict):
            if isinstance(context.get("@import"), str):
                yield context["@import"]
            for value in context.values():
                if isinstance(value, dict) and "@context" in value:
                    yield from references(value["@context"])

    for context in contexts(data):
        for reference in references(context):
            raise GraphError(f"{path}: JSON-LD refers to an outside @context ({reference[:120]}); "
                             "sendgraph reads only self-contained JSON-LD and fetches nothing")


def load_graph(path, fmt: str | None = None) -> Dataset:
    """A graph file (Turtle, TriG, N-Quads, N-Triples, JSON-LD) as a Dataset whose default graph is the union."""
    path = Path(str(path))
    fmt = fmt or format_of(path)
    if not path.is_file():
        raise GraphError(f"{path}: no such graph file (build one with 'sendgraph build')")
    if fmt not in FORMATS:
        raise GraphError(f"{path}: unknown graph format {fmt!r}")
    if fmt == "jsonld":
        check_local_jsonld(path)
    try:
        return read_dataset(path, FORMATS[fmt].oxigraph, PREFIXES)
    except (SyntaxError, ValueError, OSError) as exc:
        message = " ".join(str(exc).split())[:300]
        raise GraphError(f"{path}: not a readable {fmt} graph ({message})") from exc


def _holds_triples(graph) -> bool:
    """Whether a graph holds a triple: found at the first, not by counting them all (a store load of
    10,000 document graphs counted some 8 million quads)."""
    for _ in graph.triples((None, None, None)):
        return True
    return False


def graphs_of(dataset) -> Iterator[tuple[str | None, Graph]]:
    """``(IRI or None for the default graph, graph)`` for each non-empty graph of a Dataset or Graph."""
    if isinstance(dataset, (Dataset, ConjunctiveGraph)):
        contexts = dataset.graphs() if isinstance(dataset, Dataset) else dataset.contexts()
        for graph in contexts:
            ident = graph.identifier
            if ident == DATASET_DEFAULT_GRAPH_ID or isinstance(ident, BNode):
                if _holds_triples(graph):
                    yield None, graph
            elif _holds_triples(graph):
                yield str(ident), graph
    elif isinstance(dataset, Graph):
        if _holds_triples(dataset):
            yield None, dataset
    else:
        raise GraphError(f"expected an rdflib Dataset or Graph, got {type(dataset).__name__}")
