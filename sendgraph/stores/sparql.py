"""SPARQL text: RDF terms written for bindings, a query's form and dataset clause read from its
tokens, and parameters bound as a ``VALUES`` block of escaped terms, never pasted as text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator, Mapping

import pyoxigraph as ox
from rdflib import XSD, BNode, Literal, URIRef

from sendgraph.errors import QueryError
from sendgraph.graph.oxstore import from_ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

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
        return to_rdflib(value)
    if isinstance(value, (str, bool, int, float)) or value.__class__.__module__ in ("decimal", "datetime"):
        return Literal(value)
    raise QueryError(f"cannot use a {type(value).__name__} as a SPARQL value")


def check_iri(iri: str) -> str:
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
        return f"<{check_iri(term)}>"
    if isinstance(term, BNode):
        raise QueryError("a blank node cannot be used as a query binding")
    text = '"' + _ECHAR_RE.sub(lambda m: _ECHAR[m.group()], str(term)) + '"'
    if term.language:
        if not _LANG.match(term.language):
            raise QueryError(f"not a valid language tag: {term.language[:40]!r}")
        return f"{text}@{term.language}"
    if term.datatype is not None and str(term.datatype) != XSD_STRING:
        return f"{text}^^<{check_iri(term.datatype)}>"
    return text


def to_rdflib(term):
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
    uses_service: bool = False  # a SERVICE pattern: the engine would send requests to another server


def _has_keyword(tokens: list, keyword: str) -> bool:
    """Whether ``keyword`` is a word of the query, not part of a prefixed name (``ex:SERVICE``, ``SERVICE:x``)."""
    for i, (kind, value, start, end) in enumerate(tokens):
        if kind == "word" and value.upper() == keyword:
            before = tokens[i - 1] if i else None
            after = tokens[i + 1] if i + 1 < len(tokens) else None
            if not (before and before[1] == ":" and before[3] == start) and not (after and after[1] == ":" and after[2] == end):
                return True
    return False


def refuse_service(text: str, allow_service: bool = False) -> None:
    """QueryError for a query holding SERVICE (a federated query: the engine would send requests to
    the server it names), unless ``allow_service``: a query on a file or an embedded store stays local."""
    if not allow_service and query_shape(text).uses_service:
        raise QueryError("the query uses SERVICE, which sends requests to another server: refused on a graph "
                         "file or an embedded store unless federation is allowed (sendgraph query --allow-service)")


def query_shape(text: str) -> _Shape:
    """The form of a SPARQL query and where its top-level WHERE group starts."""
    tokens = list(_tokens(text))
    uses_graph = any(kind == "word" and value.upper() == "GRAPH" for kind, value, _, _ in tokens)
    uses_service = _has_keyword(tokens, "SERVICE")
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
                return _Shape(form, has_dataset, end, short_construct, uses_graph, uses_service)
        i += 1
    if form is None:
        raise QueryError("not a SPARQL query: no SELECT, ASK, CONSTRUCT or DESCRIBE")
    return _Shape(form, has_dataset, None, short_construct, uses_graph, uses_service)


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
        lines.append(f"PREFIX {prefix}: <{check_iri(str(namespace))}>\n")
    return "".join(lines) + text


def query_form(text: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``; QueryError for an update or non-query."""
    return query_shape(text).form


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
    shape = query_shape(text)
    if shape.short_construct:
        raise QueryError("bindings need CONSTRUCT { template } WHERE { ... }, not the CONSTRUCT WHERE short form")
    if shape.where_open is None:
        raise QueryError("bindings need a query with a WHERE { ... } group")
    block = " VALUES (" + " ".join("?" + n for n in names) + ") { (" + " ".join(values) + ") } "
    return text[: shape.where_open] + block + text[shape.where_open :]


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
        return URIRef(check_iri(value[1:-1]))  # checked first: rdflib warns of a bad IRI on standard error
    if re.match(r"^https?://\S+$", value):
        return URIRef(check_iri(value))
    if _ISO_DATE.match(value):
        return Literal(value, datatype=XSD.date)
    if re.match(r"^-?\d{1,18}$", value):
        return Literal(int(value))
    return Literal(value)


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
