"""A query's answer, the same type from a graph in memory, the embedded store and a server, and its
text forms (an aligned table, CSV, JSON)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from rdflib import BNode, Graph, Literal, URIRef

from sendgraph.errors import QueryError, printable
from sendgraph.formats import counted

import csv
import io

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


def _cell(term) -> str:
    """A term as one line of text for a table or CSV cell: line breaks, tabs, control characters and
    escape sequences escaped (\\n, \\x1b), as every text from outside is before it is printed."""
    return printable(_plain(term))


def _turtle_escaped(text: str) -> str:
    """Turtle with every control, format or unassigned character but line breaks and tabs written as a
    \\uXXXX escape (they can only be inside literals, where Turtle reads the escape back as the character)."""
    import unicodedata

    def escape(ch: str) -> str:
        if ch in "\n\t" or unicodedata.category(ch)[0] != "C":
            return ch
        return f"\\u{ord(ch):04X}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08X}"

    return "".join(escape(ch) for ch in text) if any(not ch.isprintable() for ch in text) else text


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
        if fmt == "json":
            return result.graph.serialize(format="json-ld")
        return _turtle_escaped(result.graph.serialize(format="turtle"))
    if fmt == "json":
        rows = [{v: _json_value(t) for v, t in zip(result.variables, row)} for row in result.rows]
        return json.dumps(rows, indent=2, ensure_ascii=False) + "\n"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([printable(v) for v in result.variables])
        for row in result.rows:
            writer.writerow([_cell(t) for t in row])
        return out.getvalue()
    from sendgraph.formats import render_table

    rows = [{v: _cell(t) for v, t in zip(result.variables, row)} for row in result.rows]
    table = render_table(rows, width=max_width, label=str, cols=result.variables) if rows else "  ".join(result.variables) + "\n"
    return table + f"({counted(len(result.rows), 'row')})\n"
