"""The embedded store: one directory (Oxigraph), transactional, one named graph per document with its
checksum, synced from a build in one switch.

    store = open_store("graph.oxigraph")
    report = sync_documents(store, {iri: (checksum, graph_or_callable), ...}, default=(checksum, graph))
    print(report)                      # "added 2, replaced 1, kept 3, dropped 0"
    result = query(store, "SELECT ?s WHERE { ?s a ?type }", {"type": SG.Inspection}, prefixes=PREFIXES)

Replacing a graph is atomic: the new triples are loaded into a temporary graph in one transaction,
then one SPARQL Update moves it over the old graph and records the new checksum. A crash at any
point leaves the old graph and checksum or the new ones, never a mix; temporary graphs left by a
crash are removed the next time the store is opened. ``sync_documents`` goes further: every new
graph is staged first and one SPARQL Update switches them all, so a build killed part-way leaves
the whole store as it was (``sendgraph.stores.incremental`` builds on this). Queries see the union
of the default graph and every document graph (Oxigraph's own union default graph; a triple held
by two graphs is matched once per graph, so the shipped queries say ``DISTINCT``). Checksums are
kept beside the store, in ``DIR/sendgraph-checksums.json``, never in it: the store holds the
documents' graphs and nothing else, so a SPARQL server serving the directory (``sendgraph serve``)
shows no bookkeeping. A graph's checksum is removed from the file before the switch that changes
the graph and written after it, so a crash in between leaves a graph without checksum, which the
next sync replaces: never a checksum that does not match its graph. Oxigraph stores values, not
every datatype: derived integer types such as ``xsd:nonNegativeInteger`` come back as ``xsd:integer``.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import pyoxigraph as ox
from rdflib import Dataset, Graph
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from sendgraph.errors import GraphError, QueryError, StoreError, first_line
from sendgraph.io import write_text_atomic

from sendgraph.graph.oxstore import oxigraph_quads, sorted_lines
from sendgraph.stores.results import QueryResult
from sendgraph.graph.files import graphs_of
from sendgraph.stores.sparql import bind_values, check_iri, query_shape, refuse_service, to_rdflib, with_prefixes

# Bookkeeping. Checksums live in SUMS_FILE beside the store. Earlier stores kept them inside it, as
# empty named graphs (_SUM_PREFIX + percent-encoded checksum + ":" + graph IRI) or, before that, as
# triples of a meta graph: both are moved to the file when the store is next opened for writing.
SUMS_FILE = "sendgraph-checksums.json"
_SUMS_FORMAT = 1
_SUM_PREFIX = "urn:x-sendgraph:store:sum:"
_TMP_PREFIX = "urn:x-sendgraph:store:tmp:"
_DEFAULT_KEY = "urn:x-sendgraph:store:default"  # the default graph's checksum is recorded on this
# Earlier stores kept checksums as triples in this graph (<graph> <_CHECKSUM> "sum"); converted when opened.
_META_GRAPH = "urn:x-sendgraph:store:meta"
_CHECKSUM = "urn:x-sendgraph:store:checksum"

def _named(iri) -> ox.NamedNode:
    try:
        return ox.NamedNode(check_iri(str(iri)))
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


def _sum_graphs(store) -> dict[str, list[str]]:
    """{graph key: [names of its checksum graphs]} of an earlier store (one each, normally)."""
    found: dict[str, list[str]] = {}
    for name in _inner(store).named_graphs():
        if isinstance(name, ox.NamedNode) and name.value.startswith(_SUM_PREFIX):
            parsed = _read_sum_graph(name.value)
            if parsed:
                found.setdefault(parsed[0], []).append(name.value)
    return found


class EmbeddedStore:
    """An open embedded store: its Oxigraph store (every ``pyoxigraph.Store`` method works on this
    object too) and the directory it is in, where its checksums are kept."""

    __slots__ = ("inner", "path", "read_only")

    def __init__(self, inner: ox.Store, path: Path, read_only: bool):
        self.inner = inner
        self.path = path
        self.read_only = read_only

    def __getattr__(self, name):
        if name in EmbeddedStore.__slots__:  # not set yet (a copy being made): no recursion
            raise AttributeError(name)
        return getattr(self.inner, name)


def _inner(store) -> ox.Store:
    return store.inner if isinstance(store, EmbeddedStore) else store


_MEMORY_SUMS: dict[int, dict[str, str]] = {}  # checksums of a store opened without a directory (tests)


def _legacy_sums(store) -> dict[str, str]:
    """Checksums an earlier store kept inside itself (checksum graphs, or meta graph triples)."""
    inner = _inner(store)
    sums = {key: _read_sum_graph(names[-1])[1] for key, names in _sum_graphs(inner).items()}
    for quad in inner.quads_for_pattern(None, ox.NamedNode(_CHECKSUM), None, ox.NamedNode(_META_GRAPH)):
        if isinstance(quad.subject, ox.NamedNode) and isinstance(quad.object, ox.Literal):
            sums.setdefault(quad.subject.value, quad.object.value)
    return sums


def _read_sums(store) -> dict[str, str]:
    """{graph key: checksum} of the store (key: a graph IRI, or _DEFAULT_KEY for the default graph)."""
    if not isinstance(store, EmbeddedStore):
        return dict(_MEMORY_SUMS.get(id(store), {}))
    sums: dict[str, str] = {}
    try:
        entry = json.loads((store.path / SUMS_FILE).read_text(encoding="utf-8"))
        if isinstance(entry, dict) and entry.get("format") == _SUMS_FORMAT and isinstance(entry.get("graphs"), dict):
            sums = {str(k): str(v) for k, v in entry["graphs"].items()}
    except FileNotFoundError:
        pass
    except (OSError, ValueError):  # unreadable: every graph is replaced by the next sync, none wrongly kept
        sums = {}
    if store.read_only:  # an earlier store not yet converted
        for key, checksum in _legacy_sums(store).items():
            sums.setdefault(key, checksum)
    return sums


def _write_sums(store, sums: Mapping[str, str]) -> None:
    if not isinstance(store, EmbeddedStore):
        _MEMORY_SUMS[id(store)] = dict(sums)
        return
    text = json.dumps({"format": _SUMS_FORMAT, "graphs": dict(sorted(sums.items()))}, indent=1, ensure_ascii=False)
    try:
        write_text_atomic(store.path / SUMS_FILE, text + "\n")
    except OSError as exc:
        raise StoreError(f"cannot write the store's checksums: {exc.strerror or exc}") from exc


def _forget(store, keys: Iterable[str]) -> dict[str, str]:
    """Remove the checksums of ``keys`` (before their graphs change); the remaining checksums."""
    sums = _read_sums(store)
    keys = [k for k in keys if k in sums]
    for key in keys:
        del sums[key]
    if keys:
        _write_sums(store, sums)
    return sums


def _record(store, sums: dict[str, str], checksums: Mapping[str, str | None]) -> None:
    """Record the checksums of graphs just switched (None: none)."""
    changed = False
    for key, checksum in checksums.items():
        if checksum is not None:
            sums[key] = str(checksum)
            changed = True
    if changed:
        _write_sums(store, sums)


def _convert_legacy(store: EmbeddedStore) -> None:
    """Checksums kept inside an earlier store move to the checksums file, then leave the store."""
    inner = store.inner
    names = [n for names in _sum_graphs(inner).values() for n in names]
    meta = inner.contains_named_graph(ox.NamedNode(_META_GRAPH))
    if not names and not meta:
        return
    sums = _legacy_sums(inner)
    sums.update(_read_sums(store))
    _write_sums(store, sums)  # first: a crash before the graphs are dropped converts them again
    operations = [f"DROP SILENT GRAPH <{name}>" for name in names]
    operations.append(f"DROP SILENT GRAPH <{_META_GRAPH}>")
    inner.update(" ;\n".join(operations))


def open_store(path, *, read_only: bool = False) -> ox.Store:
    """Open (creating it if needed) the embedded store in directory ``path``.

    Only one process may have a store open for writing; a second gets a StoreError. Temporary
    graphs left over by a crashed load are removed. The store is closed when the object is garbage
    collected (``del store``).
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise StoreError(f"cannot open store {path}: not a directory")
    if not read_only and path.is_dir() and not (path / "CURRENT").exists() and _only_remains(path):
        _clear_remains(path)  # a build killed as it created the store left these: start again
    if not read_only and path.is_dir() and not (path / "CURRENT").exists() and _has_entries(path):
        # never scatter a database's files over a folder of something else (e.g. --store data)
        raise StoreError(f"cannot open store {path}: the folder is not empty and holds no store")
    try:
        if read_only:
            if not path.is_dir():
                raise StoreError(f"cannot open store {path}: no such store")
            try:
                return EmbeddedStore(ox.Store.read_only(str(path)), path, True)
            except RuntimeError as exc:
                # Oxigraph writes its format version when a store is first opened; a first build that
                # failed there (a full disk) leaves a folder read-only opening cannot complete
                if "read-write" not in str(exc):
                    raise StoreError(f"cannot open store {path}: {first_line(exc)}") from exc
                raise StoreError(f"store {path} holds nothing: its first build did not finish; "
                                 "build it again") from None
        if not (path / "CURRENT").exists():
            _create(path)
        store = ox.Store(str(path))
    except OSError as exc:
        reason = first_line(exc)
        if "lock" in reason.lower():
            reason = "it is open in another process"
        raise StoreError(f"cannot open store {path}: {reason}") from exc
    store = EmbeddedStore(store, path, False)
    try:
        for name in list(store.named_graphs()):
            if isinstance(name, ox.NamedNode) and name.value.startswith(_TMP_PREFIX):
                store.remove_graph(name)
        _convert_legacy(store)
    except OSError as exc:
        raise StoreError(f"cannot clean store {path}: {first_line(exc)}") from exc
    return store


# What the database library writes in a store's folder before the store exists (CURRENT): a build
# killed at that moment leaves only these.
_REMAINS = re.compile(r"^(LOCK|LOG|LOG\.old\.\d+|IDENTITY|OPTIONS-\d+(\.dbtmp)?|MANIFEST-\d+|\d+\.(log|dbtmp)|.*\.tmp)$")


def _only_remains(path: Path) -> bool:
    try:
        names = [entry.name for entry in os.scandir(path)]
    except OSError:
        return False
    return bool(names) and all(_REMAINS.match(name) for name in names)


def _clear_remains(path: Path) -> None:
    for entry in os.scandir(path):
        try:
            os.unlink(entry.path)
        except OSError:
            pass


def _create(path: Path) -> None:
    """Make a new store in a temporary folder beside ``path`` and move it into place, so that a build
    killed while the store is being made leaves no half-made folder (an empty one is replaced)."""
    import shutil
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".new-store", dir=path.parent))
    try:
        made = ox.Store(str(tmp))
        made.flush()
        del made
        if path.is_dir():
            path.rmdir()  # empty (checked by the caller): replaced by the new store
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _has_entries(path: Path) -> bool:
    try:
        return any(True for _ in os.scandir(path))
    except OSError:
        return False


def graph_ntriples(graph) -> bytes:
    """N-Triples bytes for an rdflib Graph (or bytes/str that already are N-Triples)."""
    if isinstance(graph, bytes):
        return graph
    if isinstance(graph, str):
        return graph.encode("utf-8")
    if isinstance(graph, Graph):
        data = sorted_lines(graph)
        if data is not None:  # a built or read graph's: pyoxigraph writes its lines
            return data
        return graph.serialize(format="nt", encoding="utf-8")
    raise GraphError(f"expected an rdflib Graph, got {type(graph).__name__}")


def graphs(store: ox.Store) -> dict[str, str | None]:
    """``{graph IRI: checksum}`` for every document graph in the store (checksum None if none was recorded)."""
    try:
        result: dict[str, str | None] = {name.value: None for name in store.named_graphs()
                                          if isinstance(name, ox.NamedNode) and not _internal(name.value)}
        for key, checksum in _read_sums(store).items():
            if key in result:
                result[key] = checksum
        return dict(sorted(result.items()))
    except OSError as exc:
        raise StoreError(f"cannot read store: {first_line(exc)}") from exc


def default_checksum(store) -> str | None:
    """The checksum recorded with the store's default graph (``replace_graph(store, None, g, checksum)``)."""
    try:
        return _read_sums(store).get(_DEFAULT_KEY)
    except OSError as exc:
        raise StoreError(f"cannot read store: {first_line(exc)}") from exc


def replace_graph(store: ox.Store, graph_iri, graph, checksum: str | None = None) -> int:
    """Put ``graph`` (rdflib Graph or N-Triples) in the store as named graph ``graph_iri``, atomically.

    ``graph_iri`` None means the store's default graph (its checksum is :func:`default_checksum`).

    Returns the number of triples. A graph already in the store is replaced this way: the new
    triples are loaded into a temporary graph (one transaction), then one SPARQL Update drops the
    old graph and moves the new one into place; readers and a crash see the old graph or the new
    one, whole. A new graph is loaded straight into place (one transaction). The old checksum is
    forgotten before the switch and ``checksum`` recorded after it: a crash in between leaves the
    graph whole with no checksum, which the next :func:`sync_documents` replaces.
    """
    default = graph_iri is None
    target = ox.DefaultGraph() if default else _named(graph_iri)
    data = graph_ntriples(graph)
    key = _DEFAULT_KEY if default else target.value
    tmp = None
    try:
        if not default and not store.contains_named_graph(target):
            sums = _forget(store, [key])
            store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=target) if data.strip() else store.add_graph(target)
        else:
            tmp = _stage(store, graph_iri, data)  # bad data fails here, the old graph and checksum untouched
            sums = _forget(store, [key])
            store.update(" ; ".join(_move_into_place(None if default else key, tmp)))
        _record(store, sums, {key: checksum})
    except SyntaxError as exc:
        raise GraphError(f"graph {graph_iri or 'default'}: not valid N-Triples: {first_line(exc)}") from exc
    except OSError as exc:
        if tmp is not None:
            _discard(store, tmp)
        raise StoreError(f"cannot write graph {graph_iri or 'default'}: {first_line(exc)}") from exc
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
        store.update(f"DROP SILENT GRAPH <{target.value}>")
        _forget(store, [target.value])
    except OSError as exc:
        raise StoreError(f"cannot drop graph {graph_iri}: {first_line(exc)}") from exc
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
        new: list[str] = []
        batch: list[bytes] = []
        size = 0
        quads: list = []  # new graphs' quads from a built graph's Oxigraph store: no text in between
        sums = _read_sums(store)
        # an empty default graph with no checksum (a new store) is bulk-loaded with the new graphs: a
        # crash part-way leaves it without checksum, so the next sync replaces it, as it does them
        fresh_default = _DEFAULT_KEY not in sums and _empty_default(store)
        default_loaded = False
        for name, graph in graphs_of(dataset):
            if (store.contains_named_graph(_named(name)) if name is not None else not fresh_default):
                replace_graph(store, name, graph, checksums.get(name))
                if name is not None:
                    done.append(name)
                continue
            # a new graph (or a new store's default graph): bulk-loaded with the other new ones, its
            # checksum recorded after
            if name is None:
                default_loaded = True
            else:
                new.append(name)
            # a default graph named by a blank node goes as N-Triples, into the store's default graph
            held = oxigraph_quads(graph) if name is not None or graph.identifier == DATASET_DEFAULT_GRAPH_ID else None
            if held is not None:
                quads.extend(held)
                if len(quads) > _BULK_QUADS:
                    store.bulk_extend(quads)
                    quads = []
                continue
            suffix = (f" <{_named(name).value}> ." if name is not None else " .").encode("utf-8")
            lines = [line[: line.rindex(b".")].rstrip() + suffix
                     for line in graph_ntriples(graph).splitlines() if line.strip()]
            batch.append(b"\n".join(lines) + b"\n")
            size += len(batch[-1])
            if size > _BULK_BATCH:
                _bulk_load(store, batch)
                batch, size = [], 0
        _bulk_load(store, batch)
        if quads:
            store.bulk_extend(quads)
        done += new
        operations = [f"CREATE SILENT GRAPH <{_named(name).value}>" for name in new]
        if operations:
            store.update(" ;\n".join(operations))
        recorded = {name: checksums.get(name) for name in new}
        if default_loaded:
            recorded[_DEFAULT_KEY] = checksums.get(None)
        _record(store, _read_sums(store), recorded)
    except OSError as exc:
        raise StoreError(f"cannot write the store: {first_line(exc)}") from exc
    except SyntaxError as exc:
        raise GraphError(f"not valid N-Triples: {first_line(exc)}") from exc
    _flush(store)
    if new:
        try:  # a bulk load leaves many small files; compacting them makes later queries some 40% faster
            store.optimize()
        except OSError as exc:
            raise StoreError(f"cannot write the store: {first_line(exc)}") from exc
    return sorted(done)


def _empty_default(store: ox.Store) -> bool:
    return next(iter(store.quads_for_pattern(None, None, None, ox.DefaultGraph())), None) is None


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
        raise StoreError(f"cannot write the store: {first_line(exc)}") from exc


def store_to_dataset(store: ox.Store) -> Dataset:
    """The store's document graphs (and default graph) as an in-memory rdflib Dataset, via N-Quads."""
    try:
        data = store.dump(format=ox.RdfFormat.N_QUADS)
    except OSError as exc:
        raise StoreError(f"cannot read store: {first_line(exc)}") from exc
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
          prefixes: Mapping[str, Any] | None = None, allow_service: bool = False) -> QueryResult:
    """Run a SPARQL query on the embedded store and return its rows as rdflib terms.

    With ``union`` (the default) the query's default graph is the union of the store's default
    graph and every document graph, and ``GRAPH ?g`` sees the document graphs (never the store's
    bookkeeping); a query with its own ``FROM``/``FROM NAMED`` keeps them. ``prefixes`` (e.g.
    ``sendgraph.graph.PREFIXES``) are declared where the query uses them undeclared. ``bindings`` maps variable
    names to values (see :func:`sparql_term`) and is joined in as a VALUES block (:func:`bind_values`),
    exactly as for a remote endpoint. A query with SERVICE is refused (QueryError) unless ``allow_service``:
    the store's queries send no requests out.
    """
    sparql = with_prefixes(sparql, prefixes)
    shape = query_shape(sparql)
    refuse_service(sparql, allow_service)
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
            return QueryResult("select", variables, _rows(result, len(variables)))
        return QueryResult.triples(((to_rdflib(t.subject), to_rdflib(t.predicate), to_rdflib(t.object)) for t in result))
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {first_line(exc)}") from exc
    except OSError as exc:
        raise StoreError(f"query failed: {first_line(exc)}") from exc
    except (RuntimeError, ValueError, TypeError) as exc:
        raise QueryError(f"query failed: {first_line(exc)}") from exc


def _rows(solutions, width: int) -> list[tuple]:
    """The solutions as rows of rdflib terms, each distinct term converted once: values repeat down a
    column (areas, kinds, documents, dates), and making an rdflib term costs some microseconds."""
    memo: dict = {}
    rows = []
    for solution in solutions:
        row = []
        for index in range(width):
            value = solution[index]
            if value is None:
                row.append(None)
                continue
            term = memo.get(value)
            if term is None:
                term = memo[value] = to_rdflib(value)
            row.append(term)
        rows.append(tuple(row))
    return rows


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
    data = graph_ntriples(graph)
    tmp = ox.NamedNode(_TMP_PREFIX + uuid.uuid4().hex)
    try:
        store.add_graph(tmp)
        if data.strip():
            store.load(data, format=ox.RdfFormat.N_TRIPLES, to_graph=tmp)
    except SyntaxError as exc:
        _discard(store, tmp)
        raise GraphError(f"graph {graph_iri or 'default'}: not valid N-Triples: {first_line(exc)}") from exc
    except OSError as exc:
        _discard(store, tmp)
        raise StoreError(f"cannot write graph {graph_iri or 'default'}: {first_line(exc)}") from exc
    return tmp


def _move_into_place(iri: str | None, tmp: ox.NamedNode) -> list[str]:
    """Update operations that move a staged graph over graph ``iri`` (None: the default graph)."""
    if iri is None:
        return [f"MOVE <{tmp.value}> TO DEFAULT"]
    return [f"MOVE <{tmp.value}> TO <{iri}>", f"CREATE SILENT GRAPH <{iri}>"]


def _commit(store, staged, dropped: Iterable[str]) -> None:
    """One SPARQL Update: staged graphs moved into place, dropped graphs removed; the checksums of
    every graph it changes are forgotten before it and the new ones recorded after it."""
    dropped = list(dropped)
    operations = []
    for iri, tmp, _ in staged:
        operations += _move_into_place(iri, tmp)
    for iri in dropped:
        operations.append(f"DROP SILENT GRAPH <{_named(iri).value}>")
    if not operations:
        return
    keys = [_DEFAULT_KEY if iri is None else iri for iri, _, _ in staged] + [_named(i).value for i in dropped]
    try:
        sums = _forget(store, keys)
        store.update(" ;\n".join(operations))
    except OSError as exc:
        raise StoreError(f"cannot update the store: {first_line(exc)}") from exc
    _record(store, sums, {_DEFAULT_KEY if iri is None else iri: checksum for iri, _, checksum in staged})
