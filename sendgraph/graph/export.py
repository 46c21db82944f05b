"""A built graph in other formats: RDF serialisations, GraphML/GEXF for Gephi, the per-inspection CSV and
the Excel workbook (:mod:`sendgraph.graph.workbook`).

``export(graph, format, path)`` writes the file atomically (or returns the text, or the workbook's
bytes, when path is None). :func:`format_for` picks the format from the output file's suffix.
"""

from __future__ import annotations

import io
import re
from collections import defaultdict
from pathlib import Path

from sendgraph.errors import GraphError, UsageError
from sendgraph.formats import csv_text
from sendgraph.vocab import ORGANISATION_CLASS as ORG_CLASS
from sendgraph.graph.files import FORMATS as RDF_FORMATS, SUFFIXES as GRAPH_SUFFIXES, serialise
from sendgraph.graph.tables import CSV_COLUMNS, add_duration, inspection_rows
from sendgraph.io import write_bytes_atomic, write_text_atomic

FORMATS = tuple(RDF_FORMATS) + ("graphml", "gexf", "csv", "xlsx")
#: Output file suffix -> export format: the graph files' table (graph/files.py) and the other exports.
SUFFIXES = {**GRAPH_SUFFIXES, ".graphml": "graphml", ".gexf": "gexf", ".csv": "csv", ".xlsx": "xlsx"}
#: Formats whose output is bytes, never printed.
BINARY = ("xlsx",)


def format_for(fmt: str | None, output) -> str:
    """The export format: ``fmt`` if given, else the one ``output``'s suffix names. A suffix that names
    another format than ``fmt`` (``-f csv -o x.xlsx``) is a UsageError, as is no way to tell."""
    path = str(output) if output and output != "-" else None
    suffix = Path(path).suffix.lower() if path else ""
    named = SUFFIXES.get(suffix)
    if fmt is None:
        if named is None:
            if path is None:
                raise UsageError("give the format (-f) or an output file (-o) whose suffix names one")
            raise UsageError(f"{path}: cannot tell the format from {suffix or 'a name without a suffix'}; give -f "
                             f"(suffixes: {', '.join(sorted(SUFFIXES))})")
        fmt = named
    elif fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    elif named is not None and named != fmt:
        raise UsageError(f"{path}: the suffix {suffix} is for {named}, not {fmt}: name the file "
                         f"{Path(path).stem}{_suffix_of(fmt)} or leave out -f")
    if fmt in BINARY and path is None:
        raise UsageError(f"{fmt} is a binary file: give -o FILE{_suffix_of(fmt)}")
    return fmt


def _suffix_of(fmt: str) -> str:
    return next(s for s, f in SUFFIXES.items() if f == fmt)


def export(graph, fmt: str, path=None) -> str | bytes | None:
    """Write graph in fmt to path (atomically), or return the text (a workbook's bytes) when path is None.

    A CSV file starts with the UTF-8 byte-order mark (text returned for printing has none).
    """
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        from sendgraph.graph.workbook import workbook_bytes

        data = workbook_bytes(graph)
        if path is None:
            return data
        _write(path, lambda: write_bytes_atomic(path, data))
        return None
    if fmt == "csv":
        text = inspections_csv(graph)
    elif fmt in ("graphml", "gexf"):
        text = network_text(graph, fmt)
    else:
        text = serialise(graph, fmt)
    if path is None:
        return text
    if fmt == "csv":
        from sendgraph.formats import with_bom

        text = with_bom(text)
    _write(path, lambda: write_text_atomic(path, text))
    return None


def _write(path, write) -> None:
    try:
        write()
    except OSError as exc:
        raise GraphError(f"{path}: cannot be written ({exc.strerror or exc})") from exc


# ---------------------------------------------------------------------------------------------
# CSV: one row per inspection (the rows: sendgraph.graph.tables)
# ---------------------------------------------------------------------------------------------


def inspections_csv(graph) -> str:
    """The inspections as CSV (CSV_COLUMNS; cells formula-safe, no byte-order mark)."""
    rows = inspection_rows(graph)
    return csv_text(CSV_COLUMNS, ([row[c] for c in CSV_COLUMNS] for row in rows))


# ---------------------------------------------------------------------------------------------
# GraphML / GEXF
# ---------------------------------------------------------------------------------------------



# What XML 1.0 cannot hold: controls but tab, line feed and carriage return; surrogates; U+FFFE, U+FFFF.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value) -> str:
    """``value`` as text an XML 1.0 document can hold: the characters it forbids left out."""
    return _NOT_XML.sub("", str(value))


def network(graph):
    """The graph's resources and the links between them as a networkx DiGraph (for Gephi): the
    projection the analyses and the views use (:func:`sendgraph.analysis.network.to_networkx`), its
    parallel edges joined into one with every relation named. Names and values hold no character that
    XML 1.0 forbids (:func:`xml_text`), so GraphML and GEXF files are well-formed."""
    import networkx as nx

    from sendgraph.graph.projection import to_networkx

    G = to_networkx(graph)
    net = nx.DiGraph()
    for node in sorted(G):
        data = G.nodes[node]
        attributes = {"label": xml_text(data.get("label") or node), "type": xml_text(data["kind"]),
                      "iri": xml_text(node)}
        for name in ("finding_kind", "start_date", "outcome", "gss_code"):
            if data.get(name):
                attributes["ons_code" if name == "gss_code" else "kind" if name == "finding_kind" else name] = xml_text(data[name])
        net.add_node(xml_text(node), **attributes)
    relations = defaultdict(set)
    for source, target, key in G.edges(keys=True):
        if source != target:
            relations[(xml_text(source), xml_text(target))].add(xml_text(key))
    for source, target in sorted(relations):
        names = sorted(relations[(source, target)])
        net.add_edge(source, target, relation="; ".join(names), weight=len(names))
    return net


def network_text(graph, fmt: str) -> str:
    import networkx as nx

    net = network(graph)
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(net, buffer, encoding="utf-8", prettyprint=True)
    else:
        nx.write_gexf(net, buffer, encoding="utf-8", prettyprint=True)
        # GEXF 1.2's <graph> has no "name" attribute (networkx writes one): the file would not validate.
        return re.sub(r'(<graph\b[^>]*?) name="[^"]*"', r"\1", buffer.getvalue().decode("utf-8"), count=1)
    return buffer.getvalue().decode("utf-8")


__all__ = ["export", "format_for", "add_duration", "FORMATS", "SUFFIXES", "CSV_COLUMNS", "inspection_rows",
           "inspections_csv", "network", "network_text", "ORG_CLASS"]
