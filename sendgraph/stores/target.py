"""Where ``--store`` points (memory, a directory, a server) and the query ``sendgraph query`` runs there."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass
from typing import Any, Mapping

import pyoxigraph as ox

from sendgraph.errors import StoreError, UsageError, first_line
from sendgraph.lookup import shown

from sendgraph.stores.embedded import EmbeddedStore, open_store, query
from sendgraph.stores.remote import Endpoint, remote_query
from sendgraph.stores.results import QueryResult
from sendgraph.vocab import SCOPE

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
        try:
            parts = urllib.parse.urlsplit(value)
            parts.port  # noqa: B018 (a bad port raises here)
        except ValueError as exc:
            raise UsageError(f"not a valid endpoint URL: {shown(value)!r} ({first_line(exc)})") from None
        Endpoint.parse(value)  # refuses credentials in the URL, with a clear message
        return StoreOption("remote", value)
    if value.lower().startswith("oxigraph:"):
        value = value[len("oxigraph:"):]
    if not value:
        raise StoreError("--store needs memory, a directory or an http(s) URL")
    return StoreOption("disk", value)


def query_target(target, query_or_name: str, params: Mapping[str, Any] | None = None, *,
                 timeout: float | None = None, allow_service: bool = False) -> QueryResult:
    """Run what ``sendgraph query`` runs on an embedded store or a SPARQL endpoint.

    ``target`` is an open store (:func:`open_store`) or an endpoint (URL or :class:`Endpoint`);
    ``query_or_name`` is SPARQL text, a ``.rq`` file or a shipped query name
    (:func:`sendgraph.query.query_text`); ``params`` maps variable names to values, strings read
    as ``--param`` values are (:func:`sendgraph.query.param_term`), and are bound as a VALUES
    block (:func:`bind_values`), never pasted into the text. On a server the query sees the graphs
    under :data:`SCOPE` as it would see the built graph in memory. On an embedded store a query with
    SERVICE is refused unless ``allow_service`` (a server decides for itself). QueryError for a bad
    query or parameter, StoreError when the store or server fails.
    """
    from sendgraph.vocab import PREFIXES
    from sendgraph.stores.sparql import bind_params
    from sendgraph.stores.named import query_text

    text = query_text(query_or_name)
    bindings = bind_params(text, dict(params or {}))
    if isinstance(target, (ox.Store, EmbeddedStore)):
        return query(target, text, bindings, prefixes=PREFIXES, allow_service=allow_service)
    return remote_query(target, text, bindings, prefixes=PREFIXES, scope=remote_scope(target, timeout=timeout),
                        timeout=timeout)


def remote_scope(endpoint, *, timeout: float = 120.0) -> str | None:
    """What a query on a server names as its dataset: :data:`SCOPE` (the graphs under it as default
    graph and named graphs) for a server sendgraph pushed to, whose default graph holds more than
    the build (Virtuoso's holds its system graphs); None (the server's own default graph) for an
    Oxigraph server serving an embedded store (``sendgraph serve``: the union of every graph, the
    links between documents in the real default graph included, which no graph IRI can name).

    An Oxigraph-layout endpoint (``.../query``) without the pushed default graph
    (:data:`~sendgraph.vocab.DEFAULT_GRAPH`) is taken for a served store."""
    from sendgraph.stores.remote import remote_graphs
    from sendgraph.vocab import DEFAULT_GRAPH

    point = Endpoint.parse(endpoint)
    if not point.query_url.endswith("/query"):
        return SCOPE
    pushed = DEFAULT_GRAPH in remote_graphs(point, DEFAULT_GRAPH, timeout=timeout)
    return SCOPE if pushed else None
