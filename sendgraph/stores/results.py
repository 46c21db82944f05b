"""A query's answer, the same type from a graph in memory, the embedded store and a server, and its
text forms (an aligned table, CSV, JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD

from sendgraph.errors import QueryError
from sendgraph.formats import counted, csv_text, iri_columns
from sendgraph.vocab import (DOCUMENT_TYPE, DOCUMENT_TYPE_LABELS, FINDING_KIND, FINDING_KIND_LABELS,
                             INSPECTION_TYPE_LABELS, OUTCOME, OUTCOME_LABELS, SG, THEME, duration_label)

FORMATS = ("table", "csv", "json")


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


def term_label(term) -> str | None:
    """The words for a term that is a code: an outcome, finding kind, document type, theme or inspection
    class IRI (its label) or an xsd:duration ("within 3 years"); None for any other term."""
    if isinstance(term, URIRef):
        text = str(term)
        for namespace, labels in ((OUTCOME, OUTCOME_LABELS), (FINDING_KIND, FINDING_KIND_LABELS),
                                  (DOCUMENT_TYPE, DOCUMENT_TYPE_LABELS)):
            if text.startswith(str(namespace)):
                return labels.get(text[len(str(namespace)):])
        if text.startswith(str(THEME)):
            from sendgraph.read.themes import theme_labels

            return theme_labels().get(text[len(str(THEME)):])
        if text.startswith(str(SG)):
            return INSPECTION_TYPE_LABELS.get(text[len(str(SG)):])
        return None
    if isinstance(term, Literal) and term.datatype == XSD.duration:
        return duration_label(str(term))
    return None


def format_result(result: QueryResult, fmt: str = "table", width: int | None = None, iris: bool = False) -> str:
    """A result as an aligned text table, CSV or JSON.

    The table is for people: fitted to ``width`` (default: the terminal's), codes in words
    (:func:`term_label`), and columns holding only IRIs left out unless ``iris`` (a line says which).
    CSV and JSON are for machines: the terms as they are (CSV cells formula-safe); JSON adds
    ``VAR_label`` beside a value that is a code.
    """
    if fmt not in FORMATS:
        raise QueryError(f"unknown result format {fmt!r}: use one of {', '.join(FORMATS)}")
    if result.kind == "ask":
        return json.dumps({"boolean": result.answer}) + "\n" if fmt == "json" else ("yes\n" if result.answer else "no\n")
    if result.kind == "graph":
        return result.graph.serialize(format="json-ld" if fmt == "json" else "turtle")
    if fmt == "json":
        rows = []
        for row in result.rows:
            out = {}
            for v, t in zip(result.variables, row):
                out[v] = _json_value(t)
                words = term_label(t)
                if words is not None and f"{v}_label" not in result.variables:
                    out[f"{v}_label"] = words
            rows.append(out)
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        return csv_text(result.variables, ([_plain(t) for t in row] for row in result.rows))
    from sendgraph.formats import render_table

    rows = [{v: (term_label(t) or _plain(t)) for v, t in zip(result.variables, row)} for row in result.rows]
    cols = list(result.variables)
    hidden = [] if iris else iri_columns(rows, cols)
    if hidden and len(hidden) < len(cols):
        cols = [c for c in cols if c not in hidden]
    else:
        hidden = []
    table = render_table(rows, width=width, label=str, cols=cols) if rows else "  ".join(cols) + "\n"
    note = f"; IRI columns left out: {', '.join(hidden)} (--iris shows them)" if hidden else ""
    return table + f"({counted(len(result.rows), 'row')}{note})\n"
