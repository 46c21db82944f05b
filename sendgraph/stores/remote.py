"""SPARQL 1.1 servers: the three URLs of an endpoint, credentials, an HTTP client (Digest
authentication), and queries and updates over the SPARQL protocol (Virtuoso's layout by default).

    result = remote_query("http://host:8890/sparql", text, {"area": Literal("Hartlepool")}, scope=SCOPE)

Credentials come from ``SENDGRAPH_USER``/``SENDGRAPH_PASSWORD`` or a netrc file (``$NETRC`` or
``~/.netrc``), never from arguments on the command line; they are only handed to urllib's
authentication handlers (HTTP Digest; Basic only over https) and never appear in messages.

Every request has a connect timeout and a total deadline (connect, send and the whole answer read),
and an answer is read up to a size limit: ``SENDGRAPH_CONNECT_TIMEOUT`` (seconds, default 15),
``SENDGRAPH_TIMEOUT`` (seconds; default 120 for a query, 300 for an upload) and
``SENDGRAPH_MAX_RESPONSE_MB`` (default 512). Text a server sends (reason phrases, error pages, a
reply that is not HTTP) reaches messages only through :func:`sendgraph.errors.printable`.
"""

from __future__ import annotations

import http.client
import json
import netrc
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from rdflib import BNode, Graph, Literal, URIRef

from sendgraph.errors import StoreError, first_line, printable

from sendgraph.stores.results import QueryResult
from sendgraph.stores.sparql import RDF_LANGSTRING, XSD_STRING, bind_values, check_iri, query_shape, sparql_term, with_prefixes
from sendgraph.vocab import DEFAULT_GRAPH

USER_ENV = "SENDGRAPH_USER"
PASSWORD_ENV = "SENDGRAPH_PASSWORD"
TIMEOUT_ENV = "SENDGRAPH_TIMEOUT"
CONNECT_TIMEOUT_ENV = "SENDGRAPH_CONNECT_TIMEOUT"
MAX_RESPONSE_ENV = "SENDGRAPH_MAX_RESPONSE_MB"

QUERY_TIMEOUT = 120.0  # seconds a query may take, connect to last byte, unless SENDGRAPH_TIMEOUT says
UPLOAD_TIMEOUT = 300.0  # the same for each upload and update of a push
CONNECT_TIMEOUT = 15.0
MAX_RESPONSE_MB = 512.0


def _env_number(name: str, default: float) -> float:
    """A positive number from the environment variable ``name``, else ``default``; StoreError if it is not one."""
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise StoreError(f"{name} must be a positive number, not {printable(text)[:40]!r}")
    return value


def request_timeout(timeout: float | None, default: float = QUERY_TIMEOUT) -> float:
    """The total deadline of each request: ``timeout`` if given, else $SENDGRAPH_TIMEOUT, else ``default``."""
    return float(timeout) if timeout is not None else _env_number(TIMEOUT_ENV, default)


def max_response_bytes() -> int:
    """The largest answer read from a server: $SENDGRAPH_MAX_RESPONSE_MB megabytes (default 512)."""
    return int(_env_number(MAX_RESPONSE_ENV, MAX_RESPONSE_MB) * 1024 * 1024)

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
            raise StoreError(f"not an http(s) endpoint URL: {safe_url(url)}")
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


def safe_url(url: str) -> str:
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


AUTO = object()


class _DigestAuth(urllib.request.HTTPDigestAuthHandler):
    """urllib's Digest handler that, once it has seen a challenge, answers it up front.

    Plain urllib sends every request without credentials first and resends it after the 401; a
    server may reset the connection while a large upload is still being sent to it unauthenticated
    (Virtuoso does). Priming with a small request (:meth:`HttpClient.prime`) gets the challenge, and the
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


class _Deadline:
    """The total time one request may take: when it runs out, every socket the request opened is shut
    down, so a server that trickles its answer (a byte every few seconds) cannot hold it for ever."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.0, self.end - time.monotonic())

    def register(self, sock) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock) -> None:
        try:  # the plain socket's shutdown, also under TLS: it wakes a read blocked in another thread
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except (OSError, ValueError):
            pass

    def cancel(self) -> None:
        self._timer.cancel()


class _ConnectTimeout(TimeoutError):
    """No connection within the connect timeout (``by_deadline``: the request's deadline came first)."""

    def __init__(self, seconds: float, by_deadline: bool):
        super().__init__(f"no connection within {seconds:g}s")
        self.seconds = seconds
        self.by_deadline = by_deadline


class _TooLarge(Exception):
    pass


def _timed(base):
    """An http.client connection class whose connect keeps to the client's connect timeout and deadline."""

    class Connection(base):
        client: "HttpClient"

        def connect(self):
            deadline = self.client._deadline
            by_deadline = deadline.remaining() < self.client.connect_timeout
            self.timeout = max(min(self.client.connect_timeout, deadline.remaining()), 0.001)
            try:
                super().connect()
            except TimeoutError as exc:
                raise _ConnectTimeout(self.timeout, by_deadline) from exc
            self.sock.settimeout(max(deadline.remaining(), 0.001))
            deadline.register(self.sock)

    return Connection


class _TimedOpener:
    """What the HTTP and HTTPS handlers share: connections under the client's deadline, and the URL
    of each request (a redirect's target is reported under its own URL)."""

    base: type  # the http.client connection class

    def __init__(self, client: "HttpClient"):
        super().__init__()
        self.connection = type("Connection", (_timed(self.base),), {"client": client})
        self.client = client

    def _open(self, req, **kwargs):
        self.client.current_url = req.full_url
        return self.do_open(self.connection, req, **kwargs)


class _HTTPHandler(_TimedOpener, urllib.request.HTTPHandler):
    base = http.client.HTTPConnection

    def http_open(self, req):
        return self._open(req)


class _HTTPSHandler(_TimedOpener, urllib.request.HTTPSHandler):
    base = http.client.HTTPSConnection

    def https_open(self, req):
        return self._open(req, context=self._context)


class HttpClient:
    """One opener per operation: urllib with Digest authentication (Basic only over https).

    Each :meth:`request` must connect within ``connect_timeout`` and be answered in full within
    ``timeout`` seconds (None: from the environment, see :func:`request_timeout`), and an answer over
    ``max_bytes`` (None: $SENDGRAPH_MAX_RESPONSE_MB) is refused.
    """

    def __init__(self, endpoint: Endpoint, auth, timeout: float | None = None, *, default_timeout: float = QUERY_TIMEOUT,
                 connect_timeout: float | None = None, max_bytes: int | None = None):
        self.endpoint = endpoint
        self.timeout = request_timeout(timeout, default_timeout)
        self.connect_timeout = float(connect_timeout) if connect_timeout is not None else _env_number(
            CONNECT_TIMEOUT_ENV, CONNECT_TIMEOUT)
        self.max_bytes = max_bytes if max_bytes is not None else max_response_bytes()
        self.current_url = endpoint.query_url
        self._deadline: _Deadline | None = None
        self.auth = credentials(endpoint) if auth is AUTO else auth
        handlers: list = [_HTTPHandler(self), _HTTPSHandler(self)]
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
        self.current_url = url
        deadline = self._deadline = _Deadline(self.timeout)
        try:
            return self._exchange(req, what, tolerate, deadline)
        finally:
            deadline.cancel()

    def _shown(self) -> str:
        return printable(safe_url(self.current_url.split("?", 1)[0]))

    def _late(self, what: str) -> StoreError:
        return StoreError(f"{what} at {self._shown()} stopped: no complete answer within {self.timeout:g}s "
                          f"(the deadline of each request; set {TIMEOUT_ENV} to change it)")

    def _exchange(self, req, what: str, tolerate: bool, deadline: _Deadline) -> tuple[int, str, bytes]:
        try:
            with self.opener.open(req, timeout=self.timeout) as response:
                status, content_type = response.status, response.headers.get("Content-Type", "")
                body = self._read(response)
            if deadline.expired:  # a read cut short by the deadline may look like the end of the answer
                raise self._late(what)
            return status, content_type, body
        except _TooLarge:
            raise StoreError(f"{what} at {self._shown()} stopped: the server's answer is over "
                             f"{self.max_bytes / (1024 * 1024):g} MB (the limit; set {MAX_RESPONSE_ENV} to change it)"
                             ) from None
        except urllib.error.HTTPError as exc:
            if deadline.expired:
                raise self._late(what) from None
            if tolerate and exc.code not in (401, 403):
                return exc.code, "", b""
            raise StoreError(self._http_message(exc, self._shown(), what)) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if deadline.expired:
                raise self._late(what) from None
            if isinstance(reason, _ConnectTimeout):
                if reason.by_deadline:
                    raise self._late(what) from None
                raise StoreError(f"cannot reach SPARQL endpoint {self._shown()}: no connection within "
                                 f"{reason.seconds:g}s (the connect timeout; set {CONNECT_TIMEOUT_ENV} to change it)"
                                 ) from None
            if isinstance(reason, TimeoutError):  # sending timed out: the socket keeps to the deadline
                raise self._late(what) from None
            text = getattr(reason, "strerror", None) or first_line(reason if isinstance(reason, BaseException) else str(reason))
            raise StoreError(f"cannot reach SPARQL endpoint {self._shown()}: {printable(text)}") from None
        except (socket.timeout, TimeoutError):
            raise self._late(what) from None
        except http.client.HTTPException as exc:  # not HTTP, or an answer cut short
            if deadline.expired:
                raise self._late(what) from None
            if isinstance(exc, http.client.RemoteDisconnected):
                raise StoreError(f"connection to SPARQL endpoint {self._shown()} failed: {printable(first_line(exc))}"
                                 ) from None
            if isinstance(exc, http.client.IncompleteRead):
                raise StoreError(f"{what} at {self._shown()} failed: the server's answer was cut short "
                                 f"({exc.expected} bytes missing)") from None
            detail = printable(" ".join(first_line(exc).split()))[:100]
            raise StoreError(f"{what} at {self._shown()} failed: the server's answer is not valid HTTP "
                             f"({type(exc).__name__}: {detail})") from None
        except (ConnectionError, OSError) as exc:
            if deadline.expired:
                raise self._late(what) from None
            raise StoreError(f"connection to SPARQL endpoint {self._shown()} failed: "
                             f"{printable(exc.strerror or first_line(exc))}") from None
        except ValueError as exc:  # e.g. an authentication scheme urllib cannot answer
            raise StoreError(f"{what} at {self._shown()} failed: {printable(first_line(exc))}") from None

    def _read(self, response) -> bytes:
        """The whole body, or _TooLarge past ``max_bytes`` (said up front by Content-Length or found reading)."""
        length = response.headers.get("Content-Length", "")
        if length.strip().isdigit() and int(length) > self.max_bytes:
            raise _TooLarge()
        chunks, size = [], 0
        while True:
            chunk = response.read(min(1 << 16, self.max_bytes + 1 - size))
            if not chunk:
                if length.strip().isdigit() and size < int(length):  # urllib returns what came
                    raise http.client.IncompleteRead(b"", int(length) - size)
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_bytes:
                raise _TooLarge()

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
            line = " ".join(re.sub(r"<[^>]+>", " ", line).split())
            if line:
                detail = ": " + printable(line)[:300]
                break
        reason = printable(" ".join(exc.reason.split())) if isinstance(exc.reason, str) else ""
        return f"{what} at {shown} failed: HTTP {code} {reason}".rstrip() + detail


def _parse_json_results(body: bytes, form: str) -> QueryResult:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(f"the server sent results that are not SPARQL JSON: {first_line(exc)}") from None
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
        raise StoreError(f"the server sent a graph that cannot be parsed as {fmt}: {first_line(exc)}") from None
    rows = []
    for s, p, o in graph:
        if isinstance(o, Literal) and o.datatype is not None and str(o.datatype) == XSD_STRING:
            o = Literal(str(o))
        rows.append((s, p, o))
    return QueryResult.triples(rows)


def remote_query(endpoint, sparql: str, bindings: Mapping[str, Any] | None = None, *, auth=AUTO,
                 default_graphs: Iterable[str] | None = None, named_graphs: Iterable[str] | None = None,
                 prefixes: Mapping[str, Any] | None = None, scope: str | None = None,
                 timeout: float | None = None) -> QueryResult:
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
    shape = query_shape(sparql)
    text = bind_values(sparql, bindings)
    if scope is not None:
        graphs = remote_graphs(point, scope, auth=auth, timeout=timeout)
        if DEFAULT_GRAPH.startswith(scope) and DEFAULT_GRAPH not in graphs:
            graphs.append(DEFAULT_GRAPH)  # so an empty scope still restricts the query
        default_graphs = list(default_graphs or ()) + graphs
        named_graphs = list(named_graphs or ()) + [g for g in graphs if g != DEFAULT_GRAPH]
    form_fields: list[tuple[str, str]] = [("query", text)]
    form_fields += [("default-graph-uri", check_iri(g)) for g in default_graphs or ()]
    form_fields += [("named-graph-uri", check_iri(g)) for g in named_graphs or ()]
    if shape.form in ("select", "ask"):
        accept = "application/sparql-results+json"
    else:
        accept = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
    http = HttpClient(point, auth, timeout)
    _, content_type, body = http.request(
        "POST", point.query_url, urllib.parse.urlencode(form_fields).encode("utf-8"),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, what="query",
    )
    if shape.form in ("select", "ask"):
        return _parse_json_results(body, shape.form)
    return _parse_graph_results(body, content_type, shape.form)


def remote_graphs(endpoint, prefix: str | None = None, *, auth=AUTO, timeout: float | None = None) -> list[str]:
    """The named graphs on the server (those whose IRI starts with ``prefix``, if given), sorted."""
    condition = f"FILTER(STRSTARTS(STR(?g), {sparql_term(prefix)}))" if prefix else ""
    result = remote_query(endpoint, f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {condition} }}",
                          auth=auth, timeout=timeout)
    return sorted(str(row[0]) for row in result.rows if isinstance(row[0], URIRef))


def remote_update(endpoint, update: str, *, auth=AUTO, timeout: float | None = None,
                  _http: HttpClient | None = None) -> None:
    """Run a SPARQL 1.1 Update on the endpoint's update URL (authenticated)."""
    point = Endpoint.parse(endpoint)
    http = _http or HttpClient(point, auth, timeout, default_timeout=UPLOAD_TIMEOUT)
    http.request(
        "POST", point.update_url, urllib.parse.urlencode({"update": update}).encode("utf-8"),
        {"Content-Type": "application/x-www-form-urlencoded", "Accept": "*/*"}, what="update",
    )


def drop_remote_graph(endpoint, graph_iri: str, *, auth=AUTO, timeout: float | None = None) -> None:
    """Drop one named graph on the server (no error if it is not there)."""
    remote_update(endpoint, f"DROP SILENT GRAPH <{check_iri(graph_iri)}>", auth=auth, timeout=timeout)
