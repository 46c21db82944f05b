"""Persistent and shared stores: an embedded on-disk store (Oxigraph) and remote SPARQL 1.1 endpoints.

Embedded store (one directory, transactional, survives a killed process)::

    store = open_store("graph.oxigraph")
    report = sync_documents(store, {iri: (checksum, graph_or_callable), ...}, default=(checksum, graph))
    print(report)                      # "added 2, replaced 1, kept 3, dropped 0"
    result = query(store, "SELECT ?s WHERE { ?s a ?type }", {"type": SG.Inspection}, prefixes=PREFIXES)

Every document is one named graph, recorded with its checksum. Replacing a graph is atomic: the
new triples are loaded into a temporary graph in one transaction, then one SPARQL Update moves it
over the old graph and records the new checksum. A crash at any point leaves the old graph and
checksum or the new ones, never a mix; temporary graphs left by a crash are removed the next time
the store is opened. ``sync_documents`` goes further: every new graph is staged first and one
SPARQL Update switches them all, so a build killed part-way leaves the whole store as it was
(``sendgraph.incremental`` builds on this). Queries see the union of the default graph and every
document graph, as rdflib's ``Dataset(default_union=True)`` does (Oxigraph's own union default graph;
a triple held by two graphs is matched once per graph, so the shipped queries say ``DISTINCT``).
Checksums are recorded as empty named graphs (``urn:x-sendgraph:store:sum:{checksum}:{graph IRI}``),
so no bookkeeping triple is ever part of that union. Oxigraph stores values, not every datatype:
derived integer types such as ``xsd:nonNegativeInteger`` come back as ``xsd:integer``.

Remote endpoint (SPARQL 1.1 protocol and Graph Store HTTP Protocol; Virtuoso's layout by default)::

    push(dataset, "http://host:8890/sparql")          # each named graph uploaded, then moved into place
    result = remote_query("http://host:8890/sparql", text, {"area": Literal("Hartlepool")}, scope=SCOPE)
    result = query_target(store_or_url, "area-inspections", {"area": "Hartlepool"})   # what `sendgraph query` runs

Credentials come from ``SENDGRAPH_USER``/``SENDGRAPH_PASSWORD`` or a netrc file (``$NETRC`` or
``~/.netrc``), never from arguments on the command line; they are only handed to urllib's
authentication handlers (HTTP Digest; Basic only over https) and never appear in messages.
Bindings are joined into queries as a ``VALUES`` block of escaped terms, never pasted as text.

Errors: :class:`~sendgraph.errors.StoreError` (store or server failed: unreachable, refused, HTTP
error), :class:`~sendgraph.errors.QueryError` (query malformed or a binding cannot be expressed),
:class:`~sendgraph.errors.GraphError` (a graph file or data could not be read). Each message is one
line.
"""

from __future__ import annotations

import json
import netrc
import os
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping

import pyoxigraph as ox
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID, ConjunctiveGraph

from sendgraph.errors import GraphError, QueryError, StoreError
from sendgraph.formats import counted
from sendgraph.graph.oxstore import from_ox, ntriples_line, oxigraph_quads, read_dataset

__all__ = [
    "DEFAULT_GRAPH",
    "SCOPE",
    "Endpoint",
    "PushError",
    "PushReport",
    "QueryResult",
    "StoreOption",
    "SyncReport",
    "bind_values",
    "credentials",
    "default_checksum",
    "drop_graph",
    "drop_remote_graph",
    "graphs",
    "graphs_of",
    "load_dataset",
    "open_store",
    "parse_store_option",
    "plan_sync",
    "push",
    "query",
    "query_form",
    "query_target",
    "read_graph_file",
    "remote_graphs",
    "remote_query",
    "remote_update",
    "replace_graph",
    "sparql_term",
    "store_to_dataset",
    "sync_documents",
    "sync_remote",
    "with_prefixes",
]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

#: Where triples that belong to no named graph are pushed (a server's default graph is not portable).
DEFAULT_GRAPH = "https://w3id.org/sendgraph/graph/default"
#: The IRI prefix of every graph sendgraph pushes (document graphs are ``.../id/graph/...``).
SCOPE = "https://w3id.org/sendgraph/"

# Bookkeeping inside the embedded store; never shown by graphs() nor seen by query(). A graph's checksum
# is the name of an empty named graph, _SUM_PREFIX + percent-encoded checksum + ":" + graph IRI: empty, so
# Oxigraph's union default graph never holds a bookkeeping triple, and switched in the same update as
# the graph it describes.
_SUM_PREFIX = "urn:x-sendgraph:store:sum:"
_TMP_PREFIX = "urn:x-sendgraph:store:tmp:"
_DEFAULT_KEY = "urn:x-sendgraph:store:default"  # the default graph's checksum is recorded on this
# Earlier stores kept checksums as triples in this graph (<graph> <_CHECKSUM> "sum"); converted when opened.
_META_GRAPH = "urn:x-sendgraph:store:meta"
_CHECKSUM = "urn:x-sendgraph:store:checksum"
# Remote uploads go to a temporary graph first, then are moved over the real one.
_UPLOAD_PREFIX = "urn:x-sendgraph:upload:"

USER_ENV = "SENDGRAPH_USER"
PASSWORD_ENV = "SENDGRAPH_PASSWORD"


# ---------------------------------------------------------------------------------------------
# Terms: rdflib <-> pyoxigraph, and SPARQL text for bindings
# ---------------------------------------------------------------------------------------------

_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_LANG = re.compile(r"^[A-Za-z]+(?:-[A-Za-z0-9]+)*$")
_VARNAME = re.compile(r"^[A-Za-z_\u00C0-\uFFFF][A-Za-z0-9_\u00B7\u00C0-\uFFFF]*$")
_ECHAR = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_ECHAR_RE = re.compile(r'[\\"\n\r\t\b\f]')


def _as_rdflib(value: Any):
    """An rdflib term for a binding value: rdflib terms as they are, Python values as typed literals.

    A plain ``str`` is always a literal (never an IRI): pass ``URIRef`` for an IRI.
    """
    if isinstance(value, (URIRef, Literal, BNode)):
        return value
    if isinstance(value, (ox.NamedNode, ox.BlankNode, ox.Literal)):
        return _to_rdflib(value)
    if isinstance(value, (str, bool, int, float)) or value.__class__.__module__ in ("decimal", "datetime"):
        return Literal(value)
    raise QueryError(f"cannot use a {type(value).__name__} as a SPARQL value")


def _check_iri(iri: str) -> str:
    iri = str(iri)
    if not iri or _IRI_FORBIDDEN.search(iri):
        raise QueryError(f"not a valid IRI: {iri[:80]!r}")
    return iri


def sparql_term(value: Any) -> str:
    """SPARQL text for one value, escaped so that no text can break out of it.

    ``URIRef`` -> ``<iri>`` (rejected if it holds characters an IRI may not hold); anything else
    becomes a literal: ``"text"`` with ``\\``, ``"`` and line breaks escaped, plus ``@lang`` or
    ``^^<datatype>``. Blank nodes cannot be sent to a server and raise QueryError.
    """
    term = _as_rdflib(value)
    if isinstance(term, URIRef):
        return f"<{_check_iri(term)}>"
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be used as a query binding")
    text = '"' + _ECHAR_RE.sub(lambda m: _ECHAR[m.group()], str(term)) + '"'
    if term.language:
        if not _LANG.match(term.language):
            raise QueryError(f"not a valid language tag: {term.language[:40]!r}")
        return f"{text}@{term.language}"
    if term.datatype is not None and str(term.datatype) != XSD_STRING:
        return f"{text}^^<{_check_iri(term.datatype)}>"
    return text


def _to_rdflib(term):
    """rdflib term for a pyoxigraph term in a result (None for none and for the default graph);
    ``xsd:string`` literals become plain literals as rdflib parses them (see :func:`sendgraph.oxstore.from_ox`)."""
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    try:
        return from_ox(term)
    except TypeError:
        raise QueryError(f"unsupported term in result: {type(term).__name__}") from None


def _var_name(name: str) -> str:
    name = str(name)
    if name[:1] in "?$":
        name = name[1:]
    if not _VARNAME.match(name):
        raise QueryError(f"not a valid SPARQL variable name: {name[:40]!r}")
    return name


# ---------------------------------------------------------------------------------------------
# Reading SPARQL text: the query form, the dataset clause and where bindings go
# ---------------------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
      (?P<ws>\s+)
    | (?P<comment>\#[^\n]*)
    | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
                 |"(?:[^"\\\n\r]|\\.)*"|'(?:[^'\\\n\r]|\\.)*')
    | (?P<var>[?$][A-Za-z0-9_\u00B7\u00C0-\uFFFF]+)
    | (?P<word>[A-Za-z_][A-Za-z0-9_\-]*)
    | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)
_FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "construct", "DESCRIBE": "describe"}
_UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def _tokens(text: str) -> Iterator[tuple[str, str, int, int]]:
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind in ("ws", "comment"):
            continue
        yield kind, match.group(), match.start(), match.end()


@dataclass
class _Shape:
    form: str  # select | ask | construct | describe
    has_dataset: bool  # FROM / FROM NAMED present
    where_open: int | None  # index just after the '{' that opens the WHERE group (None: no WHERE group)
    short_construct: bool
    uses_graph: bool = False  # a GRAPH pattern somewhere (what a query's named graphs matter to)


def _shape(text: str) -> _Shape:
    """The form of a SPARQL query and where its top-level WHERE group starts."""
    tokens = list(_tokens(text))
    uses_graph = any(kind == "word" and value.upper() == "GRAPH" for kind, value, _, _ in tokens)
    form = None
    has_dataset = False
    short_construct = False
    i = 0
    while i < len(tokens):
        kind, value, _, end = tokens[i]
        upper = value.upper() if kind == "word" else ""
        if form is None:
            if upper in _FORMS:
                form = _FORMS[upper]
                if form == "construct":
                    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                    if nxt and nxt[1] == "{":  # skip the template
                        depth, i = 0, i + 1
                        while i < len(tokens):
                            if tokens[i][1] == "{":
                                depth += 1
                            elif tokens[i][1] == "}":
                                depth -= 1
                                if depth == 0:
                                    break
                            i += 1
                    elif nxt and nxt[0] == "word" and nxt[1].upper() == "WHERE":
                        short_construct = True
            elif upper in _UPDATE_WORDS:
                raise QueryError("this is a SPARQL update, not a query")
            elif value == "{":
                break
        else:
            if upper == "FROM":
                has_dataset = True
            elif value == "{":
                return _Shape(form, has_dataset, end, short_construct, uses_graph)
        i += 1
    if form is None:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return _Shape(form, has_dataset, None, short_construct, uses_graph)


_PREFIX_DECL = re.compile(r"(?i)\bPREFIX\s+([A-Za-z][\w.-]*)?:")


def with_prefixes(text: str, prefixes: Mapping[str, Any] | None) -> str:
    """The query with ``PREFIX`` lines prepended for the ``prefixes`` it uses but does not declare
    (what rdflib's ``initNs`` does, for servers that know no such thing)."""
    if not prefixes:
        return text
    declared = {m.group(1) or "" for m in _PREFIX_DECL.finditer(text)}
    lines = []
    for prefix, namespace in prefixes.items():
        prefix = str(prefix)
        if prefix in declared or (prefix and not re.match(r"^[A-Za-z][\w.-]*$", prefix)):
            continue
        if not re.search(r"(?<![\w.-])" + re.escape(prefix) + r":", text):
            continue
        lines.append(f"PREFIX {prefix}: <{_check_iri(str(namespace))}>\n")
    return "".join(lines) + text


def query_form(text: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``; QueryError for an update or non-query."""
    return _shape(text).form


def bind_values(text: str, bindings: Mapping[str, Any] | None) -> str:
    """The query with ``bindings`` joined in as a ``VALUES`` block at the start of its WHERE group.

    This gives the same answers as rdflib's ``initBindings`` and Oxigraph's substitutions for the
    usual queries, and every value is written with :func:`sparql_term`, so user text can never
    change the query's structure. ``{"area": "Hartlepool"}`` binds ``?area`` to a literal; use
    ``URIRef`` for an IRI.
    """
    if not bindings:
        return text
    names = [_var_name(name) for name in bindings]
    values = [sparql_term(value) for value in bindings.values()]
    shape = _shape(text)
    if shape.short_construct:
        raise QueryError("bindings need CONSTRUCT { template } WHERE { ... }, not the CONSTRUCT WHERE short form")
    if shape.where_open is None:
        raise QueryError("bindings need a query with a WHERE { ... } group")
    block = " VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(values) + ") } "
    return text[: shape.where_open] + block + text[shape.where_open :]


# ---------------------------------------------------------------------------------------------
# Query results, the same shape from the embedded store and from a server
# ---------------------------------------------------------------------------------------------


@dataclass
class QueryResult:
    """A query's answer, shaped like :class:`sendgraph.query.QueryResult` so the same formatting applies.

    ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE). SELECT: ``variables`` as in the
    query and ``rows``, one tuple of rdflib terms per solution (``None`` where unbound). ASK:
    ``answer`` and one row ``(Literal(bool),)`` under ``result``. Graph: ``graph`` (an rdflib Graph)
    and one ``(s, p, o)`` row per triple under ``subject``, ``predicate``, ``object``.
    """

    kind: str
    variables: list = field(default_factory=list)
    rows: list = field(default_factory=list)
    answer: bool | None = None
    graph: Graph | None = None

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Any]]:
        """Rows as ``{variable: term}`` dicts, unbound variables left out."""
        return [{v: t for v, t in zip(self.variables, row) if t is not None} for row in self.rows]

    @classmethod
    def ask(cls, value: bool) -> "QueryResult":
        return cls("ask", ["result"], [(Literal(bool(value)),)], bool(value))

    @classmethod
    def triples(cls, triples: Iterable[tuple]) -> "QueryResult":
        graph = Graph()
        rows = []
        for triple in triples:
            triple = tuple(triple)
            graph.add(triple)
            rows.append(triple)
        return cls("graph", ["subject", "predicate", "object"], rows, None, graph)


# ---------------------------------------------------------------------------------------------
# Embedded store (pyoxigraph)
# ---------------------------------------------------------------------------------------------


def _first_line(exc: BaseException | str) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _named(iri) -> ox.NamedNode:
    try:
        return ox.NamedNode(_check_iri(str(iri)))
    except (QueryError, ValueError) as exc:
        raise StoreError(f"not a valid graph IRI: {str(iri)[:80]!r}") from exc


def _internal(name: str) -> bool:
    return name in (_META_GRAPH, _DEFAULT_KEY) or name.startswith((_TMP_PREFIX, _SUM_PREFIX))


def _sum_graph(key: str, checksum) -> str:
    """The name of the empty graph recording ``checksum`` for graph ``key`` (a graph IRI or _DEFAULT_KEY)."""
    return f"{_SUM_PREFIX}{urllib.parse.quote(str(checksum), safe='')}:{key}"


def _read_sum_graph(name: str) -> tuple[str, str] | None:
    """(graph key, checksum) of a checksum graph's name, None for any other name."""
    if not name.startswith(_SUM_PREFIX):
        return None
    encoded, sep, key = name[len(_SUM_PREFIX):].partition(":")
    return (key, urllib.parse.unquote(encoded)) if sep and key else None


def _sum_graphs(store: ox.Store) -> dict[str, list[str]]:
    """{graph key: [names of its checksum graphs]} (one each, normally)."""
    found: dict[str, list[str]] = {}
    for name in store.named_graphs():
        if isinstance(name, ox.NamedNode) and name.value.startswith(_SUM_PREFIX):
            parsed = _read_sum_graph(name.value)
            if parsed:
                found.setdefault(parsed[0], []).append(name.value)
    return found


def _record_checksum(store: ox.Store, key: str, checksum, sums: dict[str, list[str]] | None = None) -> list[str]:
    """SPARQL Update operations that make ``checksum`` (None: no checksum) the one recorded for ``key``
    (``sums``: :func:`_sum_graphs` of the store, when the caller keeps it)."""
    sums = _sum_graphs(store) if sums is None else sums
    operations = [f"DROP SILENT GRAPH <{name}>" for name in sums.get(key, ())]
    if checksum is not None:
        operations.append(f"CREATE SILENT GRAPH <{_named(_sum_graph(key, checksum)).value}>")
    return operations


def _convert_meta(store: ox.Store) -> None:
    """Checksums kept as triples in the meta graph (earlier stores) become checksum graphs, in one update."""
    meta = ox.NamedNode(_META_GRAPH)
    if not store.contains_named_graph(meta):
        return
    operations = []
    for quad in store.quads_for_pattern(None, ox.NamedNode(_CHECKSUM), None, meta):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            operations.append(f"CREATE SILENT GRAPH <{_named(_sum_graph(quad.subject.value, quad.object.value)).value}>")
    operations.append(f"DROP SILENT GRAPH <{_META_GRAPH}>")
    store.update(" ;\n".join(operations))


def open_store(path, *, read_only: bool = False) -> ox.Store:
    """Open (creating it if needed) the embedded store in directory ``path``.

    Only one process may have a store open for writing; a second gets a StoreError. Temporary
    graphs left over by a crashed load are removed. The store is closed when the object is garbage
    collected (``del store``).
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(f"cannot open store {path}: not a directory")
    if not read_only and path.is_dir() and not (path / "CURRENT").exists() and _has_entries(path):
        # never scatter a database's files over a folder of something else (e.g. --store data)
        raise StoreError(f"cannot open store {path}: the folder is not empty and holds no store")
    try:
        if read_only:
            if not path.is_dir():
                raise StoreError(f"cannot open store {path}: no such store")
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        store = ox.Store(str(path))
    except OSError as exc:
        reason = _first_line(exc)
        if "lock" in reason.lower():
            reason = "it is open in another process"
        raise StoreError(f"cannot open store {path}: {reason}") from exc
    try:
        for name in list(store.named_graphs()):
            if isinstance(name, ox.NamedNode) and name.value.startswith(_TMP_PREFIX):
                store.remove_graph(name)
        _convert_meta(store)
    except OSError as exc:
        raise StoreError(f"cannot clean store {path}: {_first_line(exc)}") from exc
    return store


def _has_entries(path: Path) -> bool:
    try:
        return any(True for _ in os.scandir(path))
    except OSError:
        return False


def _ntriples(graph) -> bytes:
    """N-Triples bytes for an rdflib Graph (or bytes/str that already are N-Triples)."""
    if isinstance(graph, bytes):
        return graph
    if isinstance(graph, str):
        return graph.encode("utf-8")
    if isinstance(graph, Graph):
        quads = oxigraph_quads(graph)
        if quads is not None:  # a built or read graph's: pyoxigraph writes its lines
            return "".join(dict.fromkeys(map(ntriples_line, quads))).encode("utf-8")
        return graph.serialize(format="nt", encoding="utf-8")
    raise GraphError(f"expected an rdflib Graph, got {type(graph).__name__}")


def graphs(store: ox.Store) -> dict[str, str | None]:
    """``{graph IRI: checksum}`` for every document graph in the store (checksum None if none was recorded)."""
    try:
        result: dict[str, str | None] = {name.value: None for name in store.named_graphs()
                                          if isinstance(name, ox.NamedNode) and not _internal(name.value)}
        sums = {key: _read_sum_graph(names[-1])[1] for key, names in _sum_graphs(store).items()}
        for quad in store.quads_for_pattern(None, ox.NamedNode(_CHECKSUM), None, ox.NamedNode(_META_GRAPH)):
            sums.setdefault(quad.subject.value, quad.object.value)  # a store opened read-only, not yet converted
        for key, checksum in sums.items():
            if key in result:
                result[key] = checksum
        return dict(sorted(result.items()))
    except OSError as exc:
        raise StoreError(f"cannot read store: {_first_line(exc)}") from exc


def default_checksum(store: ox.Store) -> str | None:
    """The checksum recorded with the store's default graph (``replace_graph(store, None, g, checksum)``)."""
    try:
        names = _sum_graphs(store).get(_DEFAULT_KEY)
        if names:
            return _read_sum_graph(names[0])[1]
        for quad in store.quads_for_pattern(ox.NamedNode(_DEFAULT_KEY), ox.NamedNode(_CHECKSUM), None,
                                            ox.NamedNode(_META_GRAPH)):
            return quad.object.value
    except OSError as exc:
        raise StoreError(f"cannot read store: {_first_line(exc)}") from exc
    return None


def replace_graph(store: ox.Store, graph_iri, graph, checksum: str | None = None, *,
                  _sums: dict[str, list[str]] | None = None) -> int:
    """Put ``graph`` (rdflib Graph or N-Triples) in the store as named graph ``graph_iri``, atomically.

    ``graph_iri`` None means the store's default graph (its checksum is :func:`default_checksum`).

    Returns the number of triples. A graph already in the store is replaced this way: the new
    triples are loaded into a temporary graph (one transaction), then one SPARQL Update drops the
    old graph, moves the new one into place and records ``checksum``; readers and a crash see the
    old graph with its checksum or the new one with its checksum, whole. A new graph is loaded
    straight into place (one transaction) and its checksum recorded after it: a crash in between
    leaves the whole graph with no checksum, which the next :func:`sync_documents` replaces.
    """
    default = graph_iri is None
    target = ox.DefaultGraph() if default else _named(graph_iri)
    data = _ntriples(graph)
    key = _DEFAULT_KEY if default else target.value
    tmp = None
    try:
        record = _record_checksum(store, key, checksum, _sums)
        if not default and not store.contains_named_graph(target):
            store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target) if data.strip() else store.add_graph(target)
            if record:
                store.update(" ; ".join(record))
        else:
            tmp = _stage(store, graph_iri, data)
            store.update(" ; ".join(record + _move_into_place(None if default else key, tmp)))
        if _sums is not None:
            _sums[key] = [_sum_graph(key, checksum)] if checksum is not None else []
    except SyntaxError as exc:
        raise GraphError(f"graph {graph_iri or 'default'}: not valid N-Triples: {_first_line(exc)}") from exc
    except OSError as exc:
        if tmp is not None:
            _discard(store, tmp)
        raise StoreError(f"cannot write graph {graph_iri or 'default'}: {_first_line(exc)}") from exc
    if isinstance(graph, Graph):
        return len(graph)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, target))


def _discard(store: ox.Store, name: ox.NamedNode) -> None:
    try:
        store.remove_graph(name)
    except OSError:
        pass


def drop_graph(store: ox.Store, graph_iri) -> bool:
    """Remove a document's named graph and its checksum, atomically; False if it was not there."""
    target = _named(graph_iri)
    present = str(graph_iri) in graphs(store)
    try:
        store.update(" ; ".join(_record_checksum(store, target.value, None) + [f"DROP SILENT GRAPH <{target.value}>"]))
    except OSError as exc:
        raise StoreError(f"cannot drop graph {graph_iri}: {_first_line(exc)}") from exc
    return present


def load_dataset(store: ox.Store, dataset, checksums: Mapping[str, str] | None = None) -> list[str]:
    """Replace, graph by graph, every named graph of an rdflib Dataset in the store; returns their IRIs.

    Triples of the dataset's default graph replace the store's default graph (atomically too;
    its checksum is ``checksums[None]``). Graphs the store does not have yet are bulk-loaded
    together (much faster than one transaction each, but not atomic: a crash part-way leaves them
    partly loaded and without a checksum, so that the next :func:`sync_documents` replaces them).
    Graphs of the store that are not in the dataset are left alone (see :func:`sync_documents`).
    """
    checksums = checksums or {}
    done = []
    try:
        sums = _sum_graphs(store)
        new: list[str] = []
        batch: list[bytes] = []
        size = 0
        quads: list = []  # new graphs' quads from a built graph's Oxigraph store: no text in between
        for name, graph in graphs_of(dataset):
            if name is not None and not store.contains_named_graph(_named(name)):
                # a new graph: bulk-loaded with the other new ones, its checksum recorded after
                new.append(name)
                held = oxigraph_quads(graph)
                if held is not None:
                    quads.extend(held)
                    if len(quads) > _BULK_QUADS:
                        store.bulk_extend(quads)
                        quads = []
                    continue
                suffix = f" <{_named(name).value}> .".encode("utf-8")
                lines = [line[: line.rindex(b".")].rstrip() + suffix
                         for line in _ntriples(graph).splitlines() if line.strip()]
                batch.append(b"\n".join(lines) + b"\n")
                size += len(batch[-1])
                if size > _BULK_BATCH:
                    _bulk_load(store, batch)
                    batch, size = [], 0
                continue
            replace_graph(store, name, graph, checksums.get(name), _sums=sums)
            if name is not None:
                done.append(name)
        _bulk_load(store, batch)
        if quads:
            store.bulk_extend(quads)
        done += new
        operations = [f"CREATE SILENT GRAPH <{_named(name).value}>" for name in new]
        operations += [op for name in new if checksums.get(name) is not None
                       for op in _record_checksum(store, name, checksums[name], sums)]
        if operations:
            store.update(" ;\n".join(operations))
    except OSError as exc:
        raise StoreError(f"cannot write the store: {_first_line(exc)}") from exc
    except SyntaxError as exc:
        raise GraphError(f"not valid N-Triples: {_first_line(exc)}") from exc
    _flush(store)
    if new:
        try:  # a bulk load leaves many small files; compacting them makes later queries some 40% faster
            store.optimize()
        except OSError as exc:
            raise StoreError(f"cannot write the store: {_first_line(exc)}") from exc
    return sorted(done)


_BULK_BATCH = 64 * 2**20  # bytes of N-Quads per bulk load
_BULK_QUADS = 500_000  # quads per bulk load


def _bulk_load(store: ox.Store, batch: list[bytes]) -> None:
    if batch:
        store.bulk_load(b"".join(batch), format=ox.RdfFormat.N_QUADS)


def _flush(store: ox.Store) -> None:
    """Write what a big load left in memory tables to disk, so that the next open need not replay it."""
    try:
        store.flush()
    except OSError as exc:
        raise StoreError(f"cannot write the store: {_first_line(exc)}") from exc


def store_to_dataset(store: ox.Store) -> Dataset:
    """The store's document graphs (and default graph) as an in-memory rdflib Dataset, via N-Quads."""
    try:
        data = store.dump(format=ox.RdfFormat.N_QUADS)
    except OSError as exc:
        raise StoreError(f"cannot read store: {_first_line(exc)}") from exc
    dataset = Dataset()
    lines = [line for line in data.decode("utf-8").splitlines() if f"<{_META_GRAPH}>" not in line]
    if lines:
        dataset.parse(data="\n".join(lines) + "\n", format="nquads")
    return dataset


def _query_dataset(store: ox.Store) -> tuple[list, bool]:
    """The document graphs (what ``GRAPH ?g`` may see), and whether the store holds any graph with
    triples that is not one (a staged graph of a sync in progress or a crashed one, checksums of an
    earlier store opened read-only): then the union is given graph by graph, which is much slower."""
    names, other = [], False
    for name in store.named_graphs():
        if isinstance(name, ox.NamedNode) and _internal(name.value):
            other = other or not name.value.startswith(_SUM_PREFIX)
        else:
            names.append(name)
    return names, other


def query(store: ox.Store, sparql: str, bindings: Mapping[str, Any] | None = None, *, union: bool = True,
          prefixes: Mapping[str, Any] | None = None) -> QueryResult:
    """Run a SPARQL query on the embedded store and return its rows as rdflib terms.

    With ``union`` (the default) the query's default graph is the union of the store's default
    graph and every document graph, and ``GRAPH ?g`` sees the document graphs (never the store's
    bookkeeping); a query with its own ``FROM``/``FROM NAMED`` keeps them. ``prefixes`` (e.g.
    ``sendgraph.graph.PREFIXES``) are declared where the query uses them undeclared. ``bindings`` maps variable
    names to values (see :func:`sparql_term`) and is joined in as a VALUES block (:func:`bind_values`),
    exactly as for a remote endpoint.
    """
    sparql = with_prefixes(sparql, prefixes)
    shape = _shape(sparql)
    sparql = bind_values(sparql, bindings)
    options: dict[str, Any] = {}
    try:
        if not shape.has_dataset:
            named, other = _query_dataset(store)
            if shape.uses_graph:
                # GRAPH ?g sees the document graphs only. Given to a query without GRAPH, the list
                # changes nothing but makes Oxigraph several times slower (a join per graph listed).
                options["named_graphs"] = named
            if union and other:
                options["default_graph"] = [ox.DefaultGraph(), *named]
            elif union:
                # Oxigraph's own union of every graph: one index lookup per pattern, however many
                # documents (a list of graphs is looked up graph by graph)
                options["use_default_graph_as_union"] = True
        result = store.query(sparql, **options)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult.ask(bool(result))
        if isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            rows = [tuple(_to_rdflib(solution[i]) for i in range(len(variables))) for solution in result]
            return QueryResult("select", variables, rows)
        return QueryResult.triples(((_to_rdflib(t.subject), _to_rdflib(t.predicate), _to_rdflib(t.object)) for t in result))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {_first_line(exc)}") from exc
    except OSError as exc:
        raise StoreError(f"query failed: {_first_line(exc)}") from exc
    except (RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(f"query failed: {_first_line(exc)}") from exc


@dataclass(frozen=True)
class StoreOption:
    """What a ``--store`` value names: ``kind`` is ``memory``, ``disk`` (a directory) or ``remote`` (a URL)."""

    kind: str
    location: str | None = None

    def open(self, read_only: bool = False):
        """None for memory, an open :func:`open_store` for disk, an :class:`Endpoint` for remote."""
        if self.kind == "disk":
            return open_store(self.location, read_only=read_only)
        if self.kind == "remote":
            return Endpoint.parse(self.location)
        return None


def parse_store_option(value: str | None) -> StoreOption:
    """``memory`` (or nothing) -> the graph in memory (an in-memory Oxigraph store); ``http(s)://...``
    -> a SPARQL endpoint; anything else -> the directory of an embedded store (``oxigraph:DIR`` is
    accepted too)."""
    value = (value or "memory").strip()
    if value.lower() == "memory":
        return StoreOption("memory")
    if re.match(r"(?i)^https?://", value):
        Endpoint.parse(value)  # refuses credentials in the URL, with a clear message
        return StoreOption("remote", value)
    if value.lower().startswith("oxigraph:"):
        value = value[len("oxigraph:"):]
    if not value:
        raise StoreError("--store needs memory, a directory or an http(s) URL")
    return StoreOption("disk", value)


def query_target(target, query_or_name: str, params: Mapping[str, Any] | None = None, *,
                 timeout: float = 120.0) -> QueryResult:
    """Run what ``sendgraph query`` runs on an embedded store or a SPARQL endpoint.

    ``target`` is an open store (:func:`open_store`) or an endpoint (URL or :class:`Endpoint`);
    ``query_or_name`` is SPARQL text, a ``.rq`` file or a shipped query name
    (:func:`sendgraph.query.query_text`); ``params`` maps variable names to values, strings read
    as ``--param`` values are (:func:`sendgraph.query.param_term`), and are bound as a VALUES
    block (:func:`bind_values`), never pasted into the text. On a server the query sees the graphs
    under :data:`SCOPE` as it would see the built graph in memory. QueryError for a bad query or
    parameter, StoreError when the store or server fails.
    """
    from sendgraph.graph.build import PREFIXES
    from sendgraph.stores.named import bind_params, query_text

    text = query_text(query_or_name)
    bindings = bind_params(text, dict(params or {}))
    if isinstance(target, ox.Store):
        return query(target, text, bindings, prefixes=PREFIXES)
    return remote_query(target, text, bindings, prefixes=PREFIXES, scope=SCOPE, timeout=timeout)


# ---------------------------------------------------------------------------------------------
# Incremental builds
# ---------------------------------------------------------------------------------------------


@dataclass
class SyncReport:
    """What a sync did (or, from :func:`plan_sync`, would do), as sorted lists of graph IRIs."""

    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    default_replaced: bool = False

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.dropped or self.default_replaced)

    @property
    def to_build(self) -> list[str]:
        """Graphs whose documents must be (re)extracted: added and replaced."""
        return sorted(self.added + self.replaced)

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "replaced": len(self.replaced), "kept": len(self.kept), "dropped": len(self.dropped)}

    def __str__(self) -> str:
        return ", ".join(f"{k} {v}" for k, v in self.counts().items())


def plan_sync(store: ox.Store, checksums: Mapping[str, str]) -> SyncReport:
    """Compare ``{graph IRI: checksum}`` of the current documents with the store, changing nothing.

    A build calls this first and extracts only ``report.to_build``.
    """
    recorded = graphs(store)
    report = SyncReport()
    for iri, checksum in checksums.items():
        iri = str(iri)
        if iri not in recorded:
            report.added.append(iri)
        elif recorded[iri] is None or recorded[iri] != str(checksum):
            report.replaced.append(iri)
        else:
            report.kept.append(iri)
    wanted = {str(i) for i in checksums}
    report.dropped = [iri for iri in recorded if iri not in wanted]
    for part in (report.added, report.replaced, report.kept, report.dropped):
        part.sort()
    return report


def sync_documents(store: ox.Store, documents: Mapping[str, tuple[str, Any]], *, drop: bool = True,
                   default: tuple[str, Any] | None = None, atomic: bool = True,
                   progress: Callable[[str, str], None] | None = None) -> SyncReport:
    """Make the store hold exactly ``documents``: ``{graph IRI: (checksum, graph)}``.

    ``graph`` is an rdflib Graph, N-Triples text, or a zero-argument callable returning either: it is
    only called for added or changed documents, so an unchanged document is never extracted
    again. Graphs whose checksum matches are kept untouched, changed ones replaced (each with its
    new checksum), new ones added, and graphs of documents no longer present dropped (unless
    ``drop=False``).

    ``default`` is ``(checksum, graph)`` for the store's default graph (what a build concludes
    across documents); it is replaced when its checksum differs from :func:`default_checksum`.
    ``report.default_replaced`` says whether it was.

    With ``atomic`` (the default) the whole sync is one switch: every new graph is first loaded
    into a temporary graph, then one SPARQL Update (one transaction) moves them all into place,
    drops the removed ones and records the checksums. Readers and a crash see the store as it was
    before or as it is after, never a mix (temporary graphs left by a crash are removed when the
    store is next opened). Without it, each graph is switched in its own transaction: an
    interrupted sync leaves every graph whole with its matching checksum, and running it again
    finishes the job.

    ``progress(event, detail)`` hears ``("staged", iri)`` for each graph loaded and
    ``("committing", summary)`` just before the switch.
    """
    report = plan_sync(store, {iri: checksum for iri, (checksum, _) in documents.items()})
    if not drop:
        report.dropped = []
    new_default = None
    if default is not None:
        checksum, graph = default
        if checksum is None or str(checksum) != default_checksum(store):
            new_default = (checksum, graph() if callable(graph) else graph)
            report.default_replaced = True
    if not atomic:
        for iri in report.to_build:
            checksum, graph = documents[iri]
            replace_graph(store, iri, graph() if callable(graph) else graph, checksum)
            if progress:
                progress("staged", iri)
        for iri in report.dropped:
            drop_graph(store, iri)
        if new_default is not None:
            replace_graph(store, None, new_default[1], new_default[0])
        return report
    staged: list[tuple[str | None, ox.NamedNode, str | None]] = []
    try:
        for iri in report.to_build:
            checksum, graph = documents[iri]
            staged.append((_named(iri).value, _stage(store, iri, graph() if callable(graph) else graph), checksum))
            if progress:
                progress("staged", iri)
        if new_default is not None:
            staged.append((None, _stage(store, None, new_default[1]), new_default[0]))
        if progress:
            progress("committing", str(report))
        _commit(store, staged, report.dropped)
    except BaseException:
        for _, tmp, _ in staged:
            _discard(store, tmp)
        raise
    if staged or report.dropped:
        _flush(store)
    return report


def _stage(store: ox.Store, graph_iri, graph) -> ox.NamedNode:
    """Load a graph into a new temporary graph of the store (removed on the next open if never moved)."""
    data = _ntriples(graph)
    tmp = ox.NamedNode(_TMP_PREFIX + uuid.uuid4().hex)
    try:
        store.add_graph(tmp)
        if data.strip():
            store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=tmp)
    except SyntaxError as exc:
        _discard(store, tmp)
        raise GraphError(f"graph {graph_iri or 'default'}: not valid N-Triples: {_first_line(exc)}") from exc
    except OSError as exc:
        _discard(store, tmp)
        raise StoreError(f"cannot write graph {graph_iri or 'default'}: {_first_line(exc)}") from exc
    return tmp


def _move_into_place(iri: str | None, tmp: ox.NamedNode) -> list[str]:
    """Update operations that move a staged graph over graph ``iri`` (None: the default graph)."""
    if iri is None:
        return [f"MOVE <{tmp.value}> TO DEFAULT"]
    return [f"MOVE <{tmp.value}> TO <{iri}>", f"CREATE SILENT GRAPH <{iri}>"]


def _commit(store: ox.Store, staged, dropped: Iterable[str]) -> None:
    """One SPARQL Update: staged graphs moved into place with their checksums, dropped graphs removed."""
    try:
        sums = _sum_graphs(store)
    except OSError as exc:
        raise StoreError(f"cannot read store: {_first_line(exc)}") from exc
    operations = []
    for iri, tmp, checksum in staged:
        operations += _record_checksum(store, _DEFAULT_KEY if iri is None else iri, checksum, sums)
        operations += _move_into_place(iri, tmp)
    for iri in dropped:
        subject = f"<{_named(iri).value}>"
        operations += _record_checksum(store, iri, None, sums)
        operations.append(f"DROP SILENT GRAPH {subject}")
    if not operations:
        return
    try:
        store.update(" ;\n".join(operations))
    except OSError as exc:
        raise StoreError(f"cannot update the store: {_first_line(exc)}") from exc


# ---------------------------------------------------------------------------------------------
# Datasets and graph files
# ---------------------------------------------------------------------------------------------


def graphs_of(dataset) -> Iterator[tuple[str | None, Graph]]:
    """``(IRI or None for the default graph, graph)`` for each non-empty graph of a Dataset or Graph."""
    if isinstance(dataset, (Dataset, ConjunctiveGraph)):
        contexts = dataset.graphs() if isinstance(dataset, Dataset) else dataset.contexts()
        for graph in contexts:
            ident = graph.identifier
            if ident == DATASET_DEFAULT_GRAPH_ID or isinstance(ident, BNode):
                if len(graph):
                    yield None, graph
            elif len(graph):
                yield str(ident), graph
    elif isinstance(dataset, Graph):
        if len(dataset):
            yield None, dataset
    else:
        raise GraphError(f"expected an rdflib Dataset or Graph, got {type(dataset).__name__}")


_FORMATS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".n3": "n3",
    ".rdf": "xml", ".xml": "xml", ".owl": "xml", ".jsonld": "json-ld", ".json": "json-ld",
    ".trig": "trig", ".nq": "nquads", ".nquads": "nquads",
}


def read_graph_file(path) -> Dataset:
    """Read a graph file into a Dataset: TriG and N-Quads keep their named graphs, triple formats
    (Turtle, N-Triples, RDF/XML, JSON-LD) land in the default graph. GraphError if unreadable."""
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise GraphError(f"{path}: unknown graph format {path.suffix or '(no extension)'}; use .ttl, .trig, .nq, .nt")
    if not path.is_file():
        raise GraphError(f"{path}: no such file")
    if fmt == "json-ld":
        from sendgraph.graph.build import check_local_jsonld

        check_local_jsonld(path)
    from sendgraph.graph.build import PREFIXES

    try:
        return read_dataset(path, fmt, PREFIXES)  # the reader of sendgraph.graph.load_graph, its own words
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphError(f"{path}: cannot parse as {fmt}: {_first_line(exc)}") from exc


# ---------------------------------------------------------------------------------------------
# Remote endpoints
# ---------------------------------------------------------------------------------------------

_VIRTUOSO_PATHS = ("/sparql", "/sparql-auth", "/sparql-graph-crud", "/sparql-graph-crud-auth")


@dataclass(frozen=True)
class Endpoint:
    """The three URLs of a SPARQL 1.1 service: query, update, and Graph Store Protocol.

    :meth:`parse` understands Virtuoso's layout (``.../sparql`` -> updates at ``.../sparql-auth``,
    graphs at ``.../sparql-graph-crud-auth?graph-uri=``) and Oxigraph server's (``.../query``,
    ``.../update``, ``.../store?graph=``); any other URL is taken as one service URL for all three
    (as Fuseki's dataset URL is). Build an Endpoint directly for other layouts.
    """

    query_url: str
    update_url: str
    store_url: str
    graph_param: str = "graph"

    @classmethod
    def parse(cls, url: "str | Endpoint") -> "Endpoint":
        if isinstance(url, Endpoint):
            return url
        url = str(url).strip()
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"not an http(s) endpoint URL: {_safe_url(url)}")
        if parts.username is not None or parts.password is not None:
            raise StoreError(
                f"the endpoint URL must not hold credentials; set {USER_ENV} and {PASSWORD_ENV} or use ~/.netrc"
            )
        path = parts.path.rstrip("/")
        origin = f"{parts.scheme}://{parts.netloc}"
        for suffix in _VIRTUOSO_PATHS:
            if path.endswith(suffix) or path == "":
                base = origin + (path[: -len(suffix)] if path.endswith(suffix) else "")
                return cls(base + "/sparql", base + "/sparql-auth", base + "/sparql-graph-crud-auth", "graph-uri")
        if path.endswith("/query"):
            base = origin + path[: -len("/query")]
            return cls(base + "/query", base + "/update", base + "/store", "graph")
        return cls(url, url, url, "graph")

    @property
    def origin(self) -> str:
        parts = urllib.parse.urlsplit(self.query_url)
        return f"{parts.scheme}://{parts.netloc}"

    def graph_url(self, graph_iri: str) -> str:
        sep = "&" if "?" in self.store_url else "?"
        return f"{self.store_url}{sep}{urllib.parse.urlencode({self.graph_param: graph_iri})}"


def _safe_url(url: str) -> str:
    """A URL for messages: any user:password@ removed."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<invalid URL>"
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))


def credentials(endpoint: "str | Endpoint") -> tuple[str, str] | None:
    """``(user, password)`` for ``endpoint`` from $SENDGRAPH_USER/$SENDGRAPH_PASSWORD, else the netrc
    file ($NETRC or ~/.netrc) entry for its host (or ``default``); None when neither has any."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user or password:
        if not (user and password is not None):
            raise StoreError(f"set both {USER_ENV} and {PASSWORD_ENV} (or neither, to use ~/.netrc)")
        return user, password
    path = os.environ.get("NETRC") or os.path.join(os.path.expanduser("~"), ".netrc")
    if not os.path.isfile(path):
        return None
    host = urllib.parse.urlsplit(Endpoint.parse(endpoint).query_url).hostname or ""
    try:
        entry = netrc.netrc(path).authenticators(host)
    except netrc.NetrcParseError as exc:  # its message may quote a token: say only where
        raise StoreError(f"cannot read netrc file {path} (line {exc.lineno})") from None
    except OSError as exc:
        raise StoreError(f"cannot read netrc file {path}: {exc.strerror}") from None
    if not entry:
        return None
    login, _account, password = entry
    return (login or "", password or "") if login else None


_AUTO = object()


class _DigestAuth(urllib.request.HTTPDigestAuthHandler):
    """urllib's Digest handler that, once it has seen a challenge, answers it up front.

    Plain urllib sends every request without credentials first and resends it after the 401; a
    server may reset the connection while a large upload is still being sent to it unauthenticated
    (Virtuoso does). Priming with a small request (:meth:`_Http.prime`) gets the challenge, and the
    uploads after it carry their Authorization header from the start.
    """

    challenge: dict | None = None

    def retry_http_digest_auth(self, req, auth):
        _token, challenge = auth.split(" ", 1)
        self.challenge = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(challenge)))
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req):
        if self.challenge and not req.has_header(self.auth_header):
            value = self.get_authorization(req, self.challenge)
            if value:
                req.add_unredirected_header(self.auth_header, f"Digest {value}")
        return req

    https_request = http_request


class _Http:
    """One opener per operation: urllib with Digest authentication (Basic only over https)."""

    def __init__(self, endpoint: Endpoint, auth, timeout: float):
        self.endpoint = endpoint
        self.timeout = timeout
        self.auth = credentials(endpoint) if auth is _AUTO else auth
        handlers: list = []
        if self.auth:
            user, password = self.auth
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in {endpoint.query_url, endpoint.update_url, endpoint.store_url}:
                manager.add_password(None, url, user, password)
            handlers.append(_DigestAuth(manager))
            if endpoint.origin.startswith("https:"):
                handlers.append(urllib.request.HTTPBasicAuthHandler(manager))
        self.opener = urllib.request.build_opener(*handlers)

    def request(self, method: str, url: str, data: bytes | None = None, headers: Mapping[str, str] | None = None,
                what: str = "request", tolerate: bool = False) -> tuple[int, str, bytes]:
        req = urllib.request.Request(url, data=data, method=method, headers=dict(headers or {}))
        req.add_header("User-Agent", "sendgraph")
        shown = _safe_url(url.split("?", 1)[0])
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as exc:
            if tolerate and exc.code not in (401, 403):
                return exc.code, "", b""
            raise StoreError(self._http_message(exc, shown, what)) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            text = getattr(reason, "strerror", None) or _first_line(reason if isinstance(reason, BaseException) else str(reason))
            raise StoreError(f"cannot reach SPARQL endpoint {shown}: {text}") from None
        except (socket.timeout, TimeoutError):
            raise StoreError(f"SPARQL endpoint {shown} did not answer within {self.timeout:.0f}s") from None
        except (ConnectionError, OSError) as exc:
            raise StoreError(f"connection to SPARQL endpoint {shown} failed: {exc.strerror or _first_line(exc)}") from None
        except ValueError as exc:  # e.g. an authentication scheme urllib cannot answer
            raise StoreError(f"{what} at {shown} failed: {_first_line(exc)}") from None

    def prime(self, url: str, what: str) -> None:
        """A small authenticated GET to ``url`` so that later uploads authenticate up front.

        Any answer but a refusal will do (a missing graph is a 404); a refusal (401/403, wrong or
        missing credentials) or an unreachable server raises StoreError before any data is sent.
        """
        self.request("GET", url, None, {"Accept": "application/n-triples"}, what=what, tolerate=True)

    def _http_message(self, exc: urllib.error.HTTPError, shown: str, what: str) -> str:
        code = exc.code
        if code in (401, 403):
            challenge = (exc.headers.get("WWW-Authenticate", "") if exc.headers else "").strip().lower()
            if self.auth and challenge.startswith("basic") and not self.endpoint.origin.startswith("https:"):
                return (f"{what} at {shown} refused (HTTP {code}): the server asks for Basic authentication, "
                        "which sendgraph only sends over https")
            if self.auth:
                return (f"{what} at {shown} refused: authentication failed (HTTP {code}); "
                        f"check {USER_ENV}/{PASSWORD_ENV} or ~/.netrc")
            return (f"{what} at {shown} refused: authentication required (HTTP {code}); "
                    f"set {USER_ENV} and {PASSWORD_ENV} or add the host to ~/.netrc")
        detail = ""
        try:
            body = exc.read(4000).decode("utf-8", "replace") if exc.fp else ""
        except Exception:
            body = ""
        for line in body.splitlines():
            line = re.sub(r"<[^>]+>|[\x00-\x1f\x7f]", " ", line).strip()
            if line:
                detail = ": " + " ".join(line.split())[:300]
                break
        reason = exc.reason if isinstance(exc.reason, str) else ""
        return f"{what} at {shown} failed: HTTP {code} {reason}".rstrip() + detail


def _parse_json_results(body: bytes, form: str) -> QueryResult:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"the server sent results that are not SPARQL JSON: {_first_line(exc)}") from None
    if "boolean" in data:
        return QueryResult.ask(bool(data["boolean"]))
    variables = list(data.get("head", {}).get("vars", []))
    rows = []
    for binding in data.get("results", {}).get("bindings", []):
        rows.append(tuple(_json_term(binding.get(v)) for v in variables))
    return QueryResult("select", variables, rows)


def _json_term(value):
    if value is None:
        return None
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    lang = value.get("xml:lang") or value.get("lang")
    if lang:
        return Literal(text, lang=lang)
    datatype = value.get("datatype")
    if datatype and datatype not in (XSD_STRING, RDF_LANGSTRING):
        return Literal(text, datatype=URIRef(datatype))
    return Literal(text)


_RDF_CONTENT_TYPES = {
    "application/n-triples": "nt", "text/plain": "nt", "text/ntriples": "nt",
    "text/turtle": "turtle", "application/x-turtle": "turtle", "text/rdf+n3": "n3", "text/n3": "n3",
    "application/rdf+xml": "xml", "application/ld+json": "json-ld", "application/json": "json-ld",
}


def _parse_graph_results(body: bytes, content_type: str, form: str) -> QueryResult:
    mime = content_type.split(";", 1)[0].strip().lower()
    fmt = _RDF_CONTENT_TYPES.get(mime, "turtle")
    graph = Graph()
    try:
        if body.strip():
            graph.parse(data=body, format=fmt)
    except Exception as exc:
        raise StoreError(f"the server sent a graph that cannot be parsed as {fmt}: {_first_line(exc)}") from None
    rows = []
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) == XSD_STRING:
            o = Literal(str(o))
        rows.append((s, p, o))
    return QueryResult.triples(rows)


def remote_query(endpoint, sparql: str, bindings: Mapping[str, Any] | None = None, *, auth=_AUTO,
                 default_graphs: Iterable[str] | None = None, named_graphs: Iterable[str] | None = None,
                 prefixes: Mapping[str, Any] | None = None, scope: str | None = None,
                 timeout: float = 120.0) -> QueryResult:
    """Run a query on a SPARQL 1.1 endpoint (POSTed form, SPARQL JSON or an RDF graph back).

    ``bindings`` are joined in as a VALUES block (:func:`bind_values`), never pasted as text.
    ``default_graphs``/``named_graphs`` become the protocol's ``default-graph-uri``/``named-graph-uri``
    (on Virtuoso the default graph is otherwise the union of all graphs, its own system graphs
    included). ``scope`` is a graph IRI prefix (e.g. :data:`SCOPE`): the graphs under it become
    the default graph (their union) and the named graphs (all but :data:`DEFAULT_GRAPH`, which
    holds what was the pushed dataset's default graph), so queries see what they would see in
    memory. ``prefixes`` are declared where the query uses them undeclared. ``auth`` is ``(user, password)``, None for anonymous, or by default looked up with
    :func:`credentials` (an anonymous endpoint that never asks simply never gets them).
    """
    point = Endpoint.parse(endpoint)
    sparql = with_prefixes(sparql, prefixes)
    shape = _shape(sparql)
    text = bind_values(sparql, bindings)
    if scope is not None:
        graphs = remote_graphs(point, scope, auth=auth, timeout=timeout)
        if DEFAULT_GRAPH.startswith(scope) and DEFAULT_GRAPH not in graphs:
            graphs.append(DEFAULT_GRAPH)  # so an empty scope still restricts the query
        default_graphs = list(default_graphs or ()) + graphs
        named_graphs = list(named_graphs or ()) + [g for g in graphs if g != DEFAULT_GRAPH]
    form_fields: list[tuple[str, str]] = [("query", text)]
    form_fields += [("default-graph-uri", _check_iri(g)) for g in default_graphs or ()]
    form_fields += [("named-graph-uri", _check_iri(g)) for g in named_graphs or ()]
    if shape.form in ("select", "ask"):
        accept = "application/sparql-results+json"
    else:
        accept = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
    http = _Http(point, auth, timeout)
    _, content_type, body = http.request(
        "POST", point.query_url, urllib.parse.urlencode(form_fields).encode("utf-8"),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, what="query",
    )
    if shape.form in ("select", "ask"):
        return _parse_json_results(body, shape.form)
    return _parse_graph_results(body, content_type, shape.form)


def remote_graphs(endpoint, prefix: str | None = None, *, auth=_AUTO, timeout: float = 120.0) -> list[str]:
    """The named graphs on the server (those whose IRI starts with ``prefix``, if given), sorted."""
    condition = f"FILTER(STRSTARTS(STR(?g), {sparql_term(prefix)}))" if prefix else ""
    result = remote_query(endpoint, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {condition} }}",
                          auth=auth, timeout=timeout)
    return sorted(str(row[0]) for row in result.rows if isinstance(row[0], URIRef))


def remote_update(endpoint, update: str, *, auth=_AUTO, timeout: float = 300.0, _http: _Http | None = None) -> None:
    """Run a SPARQL 1.1 Update on the endpoint's update URL (authenticated)."""
    point = Endpoint.parse(endpoint)
    http = _http or _Http(point, auth, timeout)
    http.request(
        "POST", point.update_url, urllib.parse.urlencode({"update": update}).encode("utf-8"),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}, what="update",
    )


def drop_remote_graph(endpoint, graph_iri: str, *, auth=_AUTO, timeout: float = 120.0) -> None:
    """Drop one named graph on the server (no error if it is not there)."""
    remote_update(endpoint, f"DROP SILENT GRAPH <{_check_iri(graph_iri)}>", auth=auth, timeout=timeout)


@dataclass
class PushReport:
    """Graphs pushed (IRI -> number of triples) and the endpoint they went to (no credentials)."""

    endpoint: str
    graphs: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    def __str__(self) -> str:
        n = len(self.graphs)
        return f"pushed {counted(n, 'graph')} ({self.triples} triples) to {self.endpoint}"


class PushError(StoreError):
    """A push failed part-way: ``pushed`` lists the graphs already replaced, each whole.

    ``exit_code`` is 1 when some graphs were pushed, 2 when none were.
    """

    def __init__(self, message: str, pushed: list[str]):
        super().__init__(message)
        self.pushed = pushed
        self.exit_code = 1 if pushed else 2


def push(dataset, endpoint, graph: str | None = None, auth=_AUTO, *, timeout: float = 300.0,
         progress: Callable[[str, int], None] | None = None) -> PushReport:
    """Upload each named graph of ``dataset`` to the server, replacing the graph of the same IRI.

    Each graph is PUT (Graph Store Protocol) to a temporary graph, then one SPARQL Update
    ``MOVE``\\ s it over the real one, so a failed push never leaves a half graph: every graph on the
    server is the old one or the new one, whole. Triples in the dataset's default graph (or a plain
    Graph) go to ``graph`` if given, else to :data:`DEFAULT_GRAPH`. With ``graph`` and a dataset
    with named graphs, only that graph is pushed (StoreError if the dataset does not have it).

    Graphs are pushed in IRI order, the default graph last. Raises :class:`PushError` (a
    StoreError) naming the graph and the reason; graphs pushed before the failure stay pushed.

    Virtuoso keeps values, not always lexical forms: ``"1.50"^^xsd:decimal`` comes back as ``1.5``,
    and ``xsd:duration``/``xsd:dayTimeDuration`` literals come back as numbers (months or
    seconds), which is a limitation of that server.
    """
    point = Endpoint.parse(endpoint)
    items = list(graphs_of(dataset))
    named = sorted(((iri, g) for iri, g in items if iri is not None), key=lambda item: item[0])
    default = [g for iri, g in items if iri is None]
    if graph is not None:
        graph = _check_iri(str(graph))
        chosen = [(iri, g) for iri, g in named if iri == graph]
        if not chosen and not named and default:
            chosen = [(graph, default[0])]
        if not chosen:
            raise PushError(f"the graph file has no named graph {graph}", [])
        named = chosen
    elif default:
        named.append((DEFAULT_GRAPH, default[0]))
    if not named:
        raise PushError("nothing to push: the graph is empty", [])
    http = _Http(point, auth, timeout)
    try:
        http.prime(point.graph_url(_UPLOAD_PREFIX + uuid.uuid4().hex), what="sign-in to the graph store")
    except StoreError as exc:
        raise PushError(str(exc), []) from None
    report = PushReport(_safe_url(point.query_url))
    for iri, g in named:
        try:
            _check_iri(iri)
            size = _push_one(http, point, iri, g)
        except StoreError as exc:
            done = list(report.graphs)
            tail = f" ({len(done)} of {len(named)} graphs pushed before)" if done else ""
            raise PushError(f"{exc}{tail}", done) from None
        except QueryError as exc:
            raise PushError(f"cannot push graph {iri[:80]}: {exc}", list(report.graphs)) from None
        report.graphs[iri] = size
        if progress:
            progress(iri, size)
    return report


def sync_remote(dataset, endpoint, prefix: str, *, auth=_AUTO, timeout: float = 300.0,
                progress: Callable[[str, str], None] | None = None) -> SyncReport:
    """Make the server hold a build: push every graph of ``dataset`` (:func:`push`, each graph
    replaced whole), then drop the server's graphs under ``prefix`` (the document graphs' IRI
    prefix) that the build no longer has.

    Returns what happened per document graph: ``added`` (new on the server), ``replaced``,
    ``dropped``; ``kept`` stays empty (every graph is sent); ``default_replaced`` when the dataset's
    default graph went to :data:`DEFAULT_GRAPH`. ``progress`` hears ``("pushed", "IRI: N triples")``
    and ``("dropped", IRI)``. Raises :class:`PushError`; graphs pushed before a failure stay pushed,
    and nothing is dropped unless every graph was pushed.
    """
    _check_iri(prefix)
    try:
        before = set(remote_graphs(endpoint, prefix, auth=auth, timeout=timeout))
    except StoreError as exc:
        raise PushError(str(exc), []) from None
    pushed = push(dataset, endpoint, auth=auth, timeout=timeout,
                  progress=(lambda iri, n: progress("pushed", f"{iri}: {n} triples")) if progress else None)
    report = SyncReport()
    for iri in pushed.graphs:
        if iri == DEFAULT_GRAPH:
            report.default_replaced = True
        else:
            (report.replaced if iri in before else report.added).append(iri)
    for iri in sorted(before - set(pushed.graphs)):
        try:
            drop_remote_graph(endpoint, iri, auth=auth, timeout=timeout)
        except StoreError as exc:
            raise PushError(f"{exc} (every graph was pushed; {iri} and later stale graphs were not dropped)",
                            list(pushed.graphs)) from None
        report.dropped.append(iri)
        if progress:
            progress("dropped", iri)
    report.added.sort()
    report.replaced.sort()
    return report


def _push_one(http: _Http, point: Endpoint, iri: str, graph: Graph) -> int:
    data = _ntriples(graph)
    tmp = _UPLOAD_PREFIX + uuid.uuid4().hex
    http.request("PUT", point.graph_url(tmp), data,
                 {"Content-Type": "application/n-triples; charset=utf-8"}, what=f"upload of graph {iri}")
    try:
        remote_update(point, f"MOVE <{tmp}> TO <{iri}>", _http=http)
    except StoreError:
        try:
            remote_update(point, f"DROP SILENT GRAPH <{tmp}>", _http=http)
        except StoreError:
            pass
        raise
    return len(graph)
