"""SPARQL over a built graph: named queries shipped in the package, parameters bound safely, results formatted.

A query is SPARQL text, the path of a ``.rq`` file, or the name of a shipped query (``list_queries()``).
Parameters (``--param area=Middlesbrough``) are bound with rdflib's ``initBindings``: their values are
never pasted into the query text, so a value cannot change what the query does.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from rdflib import XSD, Graph, Literal, URIRef
from rdflib.term import BNode, Variable

from sendgraph.errors import QueryError
from sendgraph.formats import counted

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_SPARQL = re.compile(r"\b(?:SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
FORMATS = ("table", "csv", "json")


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


def parse_param(text: str) -> tuple[str, str]:
    """("name", "value") of a ``name=value`` option."""
    name, sep, value = (text or "").partition("=")
    name = name.strip().lstrip("?$")
    if not sep or not _NAME.match(name):
        raise QueryError(f"bad parameter {text!r}: write name=value, the name being a SPARQL variable name")
    return name, value


def param_term(value: str):
    """The RDF term a parameter value stands for: an IRI (<...> or http(s)://...), a date, an integer, else a string."""
    if value.startswith("<") and value.endswith(">") and len(value) > 2:
        return URIRef(value[1:-1])
    if re.match(r"^https?://\S+$", value):
        return URIRef(value)
    if _ISO_DATE.match(value):
        return Literal(value, datatype=XSD.date)
    if re.match(r"^-?\d{1,18}$", value):
        return Literal(int(value))
    return Literal(value)


@dataclass
class QueryResult:
    kind: str  # select | ask | graph
    variables: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # tuples of rdflib terms (or None)
    answer: bool | None = None
    graph: Graph | None = None


def bind_params(text: str, params: dict | None) -> dict:
    """{variable name: RDF term} for a query's parameters: a value given as a string is read as a
    ``--param`` value is (:func:`param_term`). QueryError for a bad name or one the query lacks."""
    bindings = {}
    for name, value in (params or {}).items():
        name = str(name).lstrip("?$")
        if not _NAME.match(name):
            raise QueryError(f"bad parameter name {name[:40]!r}")
        if not re.search(r"[?$]" + re.escape(name) + r"\b", text):
            raise QueryError(f"the query has no variable ?{name} to bind")
        bindings[name] = value if isinstance(value, (URIRef, Literal)) else param_term(str(value))
    return bindings


def run_query(graph, query_or_name: str, params: dict | None = None) -> QueryResult:
    """Run a query on a graph with parameters bound as variables (``{"area": "Hartlepool"}``)."""
    from sendgraph.graph.build import PREFIXES

    from sendgraph.graph.oxstore import oxigraph_store

    text = query_text(query_or_name)
    inner = oxigraph_store(graph)
    if inner is not None:  # a built graph: Oxigraph answers, as for an embedded store
        from sendgraph.stores.store import query as store_query

        return store_query(inner, text, bind_params(text, params), prefixes=PREFIXES)
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


def _plain(term) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _json_value(term):
    if term is None:
        return None
    if isinstance(term, URIRef):
        return str(term)
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, bool) or isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        return str(term)
    return _plain(term)


def format_result(result: QueryResult, fmt: str = "table", max_width: int = 60) -> str:
    """A result as an aligned text table, CSV or JSON."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown result format {fmt!r}: use one of {', '.join(FORMATS)}")
    if result.kind == "ask":
        return json.dumps({"boolean": result.answer}) + "\n" if fmt == "json" else ("yes\n" if result.answer else "no\n")
    if result.kind == "graph":
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        rows = [{v: _json_value(t) for v, t in zip(result.variables, row)} for row in result.rows]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.variables)
        for row in result.rows:
            writer.writerow([_plain(t) for t in row])
        return out.getvalue()
    from sendgraph.formats import render_table

    rows = [{v: _plain(t) for v, t in zip(result.variables, row)} for row in result.rows]
    table = render_table(rows, width=max_width, label=str, cols=result.variables) if rows else "  ".join(result.variables) + "\n"
    return table + f"({counted(len(result.rows), 'row')})\n"
