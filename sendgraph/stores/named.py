"""SPARQL over a built graph: named queries shipped in the package, parameters bound safely, results formatted.

A query is SPARQL text, the path of a ``.rq`` file, or the name of a shipped query (``list_queries()``).
Parameters (``--param area=Middlesbrough``) are bound as a ``VALUES`` block of escaped terms
(:func:`sendgraph.stores.sparql.bind_values`): their values are never pasted into the query text as
text, so a value cannot change what the query does.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from rdflib.term import Variable

from sendgraph.errors import QueryError
from sendgraph.stores.embedded import query as store_query
from sendgraph.stores.results import QueryResult
from sendgraph.stores.sparql import bind_params, refuse_service
from sendgraph.vocab import PREFIXES

_SPARQL = re.compile(r"\b(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)


def _query_files() -> dict:
    folder = resources.files("sendgraph.stores").joinpath("queries")
    found = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".rq"):
            found[entry.name[:-3]] = entry
    return found


def list_queries() -> list[tuple[str, str]]:
    """(name, one-line description) of every shipped query, sorted by name."""
    result = []
    for name, entry in sorted(_query_files().items()):
        first = entry.read_text(encoding="utf-8").lstrip().splitlines()[0] if entry.read_text(encoding="utf-8").strip() else ""
        result.append((name, first.lstrip("#").strip()))
    return result


def query_text(query_or_name: str) -> str:
    """The SPARQL text of a shipped query name, a .rq file path, or SPARQL text itself."""
    query_or_name = (query_or_name or "").strip()
    if not query_or_name:
        raise QueryError("no query given")
    files = _query_files()
    if query_or_name in files:
        return files[query_or_name].read_text(encoding="utf-8")
    if query_or_name.endswith(".rq") or (len(query_or_name) < 4096 and "\n" not in query_or_name
                                         and not _SPARQL.search(query_or_name)):
        path = Path(query_or_name)
        if path.is_file():
            try:
                return path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise QueryError(f"{path}: cannot read the query ({exc})") from exc
        if query_or_name.endswith(".rq"):
            raise QueryError(f"{query_or_name}: no such query file")
        names = ", ".join(sorted(files))
        raise QueryError(f"unknown query {query_or_name!r}: give SPARQL text, a .rq file or one of: {names}")
    return query_or_name


def run_query(graph, query_or_name: str, params: dict | None = None, *, allow_service: bool = False) -> QueryResult:
    """Run a query on a graph with parameters bound as variables (``{"area": "Hartlepool"}``).

    A query with SERVICE (federation) is refused unless ``allow_service``: it would send requests out.
    """
    from sendgraph.graph.oxstore import oxigraph_store

    text = query_text(query_or_name)
    refuse_service(text, allow_service)
    inner = oxigraph_store(graph)
    if inner is not None:  # a built graph: Oxigraph answers, as for an embedded store
        return store_query(inner, text, bind_params(text, params), prefixes=PREFIXES, allow_service=allow_service)
    bindings = {Variable(name): term for name, term in bind_params(text, params).items()}
    try:
        result = graph.query(text, initNs=PREFIXES, initBindings=bindings)
    except Exception as exc:  # rdflib raises pyparsing and evaluation errors of many kinds
        message = " ".join(str(exc).split())[:400]
        raise QueryError(f"the query failed: {message}") from exc
    if result.type == "ASK":
        return QueryResult("ask", answer=bool(result.askAnswer))
    if result.type in ("CONSTRUCT", "DESCRIBE"):
        return QueryResult("graph", graph=result.graph)
    variables = [str(v) for v in (result.vars or [])]
    rows = [tuple(row) for row in result]
    return QueryResult("select", variables, rows)


# ---------------------------------------------------------------------------------------------
# Parameters of the shipped queries, resolved like the analysis commands' names
# ---------------------------------------------------------------------------------------------

_AREAS = """SELECT DISTINCT ?node ?label ?gss WHERE {
  ?node a sg:Area ; rdfs:label ?label . OPTIONAL { ?node sg:gssCode ?gss } }"""
_THEMES = """SELECT DISTINCT ?code ?label WHERE {
  ?node skos:notation ?code ; skos:prefLabel ?label . FILTER (STRSTARTS(STR(?node), "%stheme/")) }"""


def _unwrapped(value) -> str:
    text = str(value).strip()
    return text[1:-1] if text.startswith("<") and text.endswith(">") and len(text) > 2 else text


def resolve_params(query_or_name: str, params: dict | None, run) -> dict:
    """A shipped query's ``area`` and ``theme`` parameters resolved as the analysis commands resolve
    names (:mod:`sendgraph.lookup`): an area as councils print it, a short form ("Hull") or an ONS
    code becomes the area's label in the graph, a theme's code or label its code. ``run(sparql)``
    runs a query where the named query will run (to learn the graph's areas and themes). Other
    parameters, and every parameter of a query that is not a shipped one, are left as given.
    UsageError (with the closest names) for a name that names nothing."""
    from sendgraph.lookup import Area, resolve_area, resolve_theme
    from sendgraph.read.themes import theme_labels
    from sendgraph.vocab import ID

    params = dict(params or {})
    if (query_or_name or "").strip() not in _query_files():
        return params
    if "area" in params and isinstance(params["area"], str):
        rows = run(_AREAS).rows
        areas = [Area(str(node), str(label), str(gss) if gss is not None else None) for node, label, gss in rows]
        params["area"] = resolve_area(_unwrapped(params["area"]), areas).label
    if "theme" in params and isinstance(params["theme"], str):
        labels = dict(theme_labels())
        labels.update({str(code): str(label) for code, label in run(_THEMES % ID).rows})
        params["theme"] = resolve_theme(_unwrapped(params["theme"]), labels)
    return params
