"""Push: a built graph uploaded to a SPARQL 1.1 server, each named graph into a temporary graph
first and then moved over the real one, so a failure part-way leaves every graph whole.

    push(dataset, "http://host:8890/sparql")          # each named graph uploaded, then moved into place
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

from rdflib import Graph

from sendgraph.errors import QueryError, StoreError
from sendgraph.formats import counted

from sendgraph.graph.files import graphs_of
from sendgraph.stores.embedded import SyncReport, graph_ntriples
from sendgraph.stores.remote import (
    AUTO,
    UPLOAD_TIMEOUT,
    Endpoint,
    HttpClient,
    drop_remote_graph,
    remote_graphs,
    remote_update,
    safe_url,
)
from sendgraph.stores.sparql import check_iri
from sendgraph.vocab import DEFAULT_GRAPH

# Remote uploads go to a temporary graph first, then are moved over the real one. Its name says who
# made it and when (``urn:x-sendgraph:upload:HOST.PID.TIME.RANDOM``, HOST a hash of the host name), so
# that the next push removes what an interrupted one left (see _stale_upload).
_UPLOAD_PREFIX = "urn:x-sendgraph:upload:"
#: A staging graph from another host is taken as abandoned after this many seconds.
STALE_UPLOAD_AGE = 24 * 3600
_UPLOAD_NAME = re.compile(r"([0-9a-f]{12})\.(\d+)\.(\d+)\.[0-9a-f]{32}")
_OLD_UPLOAD_NAME = re.compile(r"[0-9a-f]{32}")  # before names said who made them

USER_ENV = "SENDGRAPH_USER"
PASSWORD_ENV = "SENDGRAPH_PASSWORD"


@dataclass
class PushReport:
    """Graphs pushed (IRI -> number of triples) and the endpoint they went to (no credentials)."""

    endpoint: str
    graphs: dict[str, int] = field(default_factory=dict)

    cleaned: list[str] = field(default_factory=list)  # staging graphs of interrupted pushes, dropped first

    @property
    def triples(self) -> int:
        return sum(self.graphs.values())

    def __str__(self) -> str:
        n = len(self.graphs)
        cleaned = (f"; removed {counted(len(self.cleaned), 'staging graph')} an interrupted push left"
                   if self.cleaned else "")
        return f"pushed {counted(n, 'graph')} ({self.triples} triples) to {self.endpoint}{cleaned}"


def _host_id() -> str:
    return hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:12]


def _upload_name() -> str:
    """A new staging graph's IRI: this host, this process, the time, and a random part."""
    return f"{_UPLOAD_PREFIX}{_host_id()}.{os.getpid()}.{int(time.time())}.{uuid.uuid4().hex}"


def _stale_upload(iri: str, now: float | None = None) -> bool:
    """Whether a staging graph on the server was left by a push that no longer runs: one of this host
    whose process is gone, one of another host older than :data:`STALE_UPLOAD_AGE`, or one named
    before names said who made them. A running push's staging graphs are never taken."""
    from sendgraph.io import process_alive

    rest = iri[len(_UPLOAD_PREFIX):] if iri.startswith(_UPLOAD_PREFIX) else ""
    match = _UPLOAD_NAME.fullmatch(rest)
    if match:
        host, pid, stamp = match.group(1), int(match.group(2)), int(match.group(3))
        if host == _host_id():
            return not process_alive(pid)
        return (time.time() if now is None else now) - stamp > STALE_UPLOAD_AGE
    return bool(_OLD_UPLOAD_NAME.fullmatch(rest))


def _clean_stale_uploads(http: HttpClient, point: Endpoint, auth) -> list[str]:
    """Drop the staging graphs interrupted pushes left on the server; the IRIs dropped."""
    stale = [g for g in remote_graphs(point, _UPLOAD_PREFIX, auth=auth, timeout=http.timeout) if _stale_upload(g)]
    for iri in stale:
        remote_update(point, f"DROP SILENT GRAPH <{check_iri(iri)}>", _http=http)
    return stale


class PushError(StoreError):
    """A push failed part-way: ``pushed`` lists the graphs already replaced, each whole.

    ``exit_code`` is 1 when some graphs were pushed, 2 when none were.
    """

    def __init__(self, message: str, pushed: list[str]):
        super().__init__(message)
        self.pushed = pushed
        self.exit_code = 1 if pushed else 2


def push(dataset, endpoint, graph: str | None = None, auth=AUTO, *, timeout: float | None = None,
         progress: Callable[[str, int], None] | None = None) -> PushReport:
    """Upload each named graph of ``dataset`` to the server, replacing the graph of the same IRI.

    Each graph is PUT (Graph Store Protocol) to a temporary graph, then one SPARQL Update
    ``MOVE``\\ s it over the real one, so a failed push never leaves a half graph: every graph on the
    server is the old one or the new one, whole. Triples in the dataset's default graph (or a plain
    Graph) go to ``graph`` if given, else to :data:`DEFAULT_GRAPH`. With ``graph`` and a dataset
    with named graphs, only that graph is pushed (StoreError if the dataset does not have it).

    First the staging graphs that interrupted pushes left on the server are dropped (``cleaned`` in
    the report; see :func:`_stale_upload`: never those of a push still running).

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
        graph = check_iri(str(graph))
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
    http = HttpClient(point, auth, timeout, default_timeout=UPLOAD_TIMEOUT)
    report = PushReport(safe_url(point.query_url))
    try:
        http.prime(point.graph_url(_upload_name()), what="sign-in to the graph store")
        report.cleaned = _clean_stale_uploads(http, point, auth)
    except StoreError as exc:
        raise PushError(str(exc), []) from None
    for iri, g in named:
        try:
            check_iri(iri)
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


def sync_remote(dataset, endpoint, prefix: str, *, auth=AUTO, timeout: float | None = None,
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
    check_iri(prefix)
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


def _push_one(http: HttpClient, point: Endpoint, iri: str, graph: Graph) -> int:
    data = graph_ntriples(graph)
    tmp = _upload_name()
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
