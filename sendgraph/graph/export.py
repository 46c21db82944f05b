"""A built graph in other formats: RDF serialisations, GraphML/GEXF for Gephi, the per-inspection CSV and
the Excel workbook (:mod:`sendgraph.graph.workbook`).

``export(graph, format, path)`` writes the file atomically (or returns the text, or the workbook's
bytes, when path is None). :func:`format_for` picks the format from the output file's suffix.
"""

from __future__ import annotations

import calendar
import datetime
import io
import re
from collections import Counter, defaultdict
from pathlib import Path

from rdflib import RDF, RDFS, URIRef
from rdflib.namespace import DCTERMS, FOAF

from sendgraph import gazetteer
from sendgraph.errors import GraphError, UsageError
from sendgraph.formats import csv_text
from sendgraph.vocab import (FINDING_KINDS, INSPECTION_FRAMEWORKS, INSPECTION_TYPE_LABELS, ORGANISATION_CLASS as ORG_CLASS,
                             OUTCOME_LABELS, SG, duration_label)
from sendgraph.graph.files import FORMATS as RDF_FORMATS, SUFFIXES as GRAPH_SUFFIXES, serialise
from sendgraph.io import write_bytes_atomic, write_text_atomic

FORMATS = tuple(RDF_FORMATS) + ("graphml", "gexf", "csv", "xlsx")
#: Output file suffix -> export format: the graph files' table (graph/files.py) and the other exports.
SUFFIXES = {**GRAPH_SUFFIXES, ".graphml": "graphml", ".gexf": "gexf", ".csv": "csv", ".xlsx": "xlsx"}
#: Formats whose output is bytes, never printed.
BINARY = ("xlsx",)

CSV_COLUMNS = [
    "area", "ons_code", "inspection", "kind", "start_date", "end_date", "outcome", "next_full_inspection_within",
    "monitoring_inspection_within", "previous_inspection_start", "lead_inspectors", "inspectors", "reports",
] + [f"{kind}_findings" for kind in FINDING_KINDS] + [
    "la_code", "region", "local_authority", "icb", "framework", "outcome_label",
    "next_full_inspection_within_label", "next_full_inspection_due", "monitoring_inspection_within_label",
    "monitoring_inspection_due", "report_links",
]


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
# Dates: an interval after a date
# ---------------------------------------------------------------------------------------------


def add_duration(start: str | None, duration: str | None) -> str | None:
    """The ISO date ``duration`` (P3Y, P18M, P6W, P10D) after the ISO date ``start``, or None; a day
    the month does not have becomes its last (29 February plus a year is 28 February)."""
    if not start or not duration:
        return None
    match = re.fullmatch(r"P(\d+)([YMWD])", str(duration).strip())
    try:
        day = datetime.date.fromisoformat(str(start)[:10])
    except ValueError:
        return None
    if not match:
        return None
    n, unit = int(match.group(1)), match.group(2)
    if unit in "WD":
        return (day + datetime.timedelta(days=n * (7 if unit == "W" else 1))).isoformat()
    months = day.month - 1 + n * (12 if unit == "Y" else 1)
    year, month = day.year + months // 12, months % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1])).isoformat()


# ---------------------------------------------------------------------------------------------
# CSV: one row per inspection
# ---------------------------------------------------------------------------------------------


def _first(graph, subject, predicate):
    values = sorted(graph.objects(subject, predicate), key=str)
    return values[0] if values else None


def _names(graph, people) -> str:
    names = set()
    for person in people:
        name = _first(graph, person, FOAF.name) or _first(graph, person, RDFS.label)
        names.add(str(name) if name is not None else str(person))
    return "; ".join(sorted(names))


def _label(graph, node) -> str:
    return str(_first(graph, node, RDFS.label) or "") if node is not None else ""


def _links(graph, documents) -> list:
    """The web addresses the graph gives for documents (foaf:page, dcterms:source), if any."""
    found = set()
    for document in documents:
        for predicate in (FOAF.page, DCTERMS.source):
            for value in graph.objects(document, predicate):
                if str(value).startswith(("http://", "https://")):
                    found.add(str(value))
    return sorted(found)


def inspection_type(graph, inspection) -> str:
    """The inspection's class as a code of INSPECTION_TYPE_LABELS (Inspection when no kind is stated)."""
    types = set(graph.objects(inspection, RDF.type))
    return next((code for code in ("Revisit", "AreaSendInspection", "JointLocalAreaInspection") if SG[code] in types),
                "Inspection")


def area_facts(graph, area) -> dict:
    """An area's name, codes, region, local authority and ICBs (from the graph, the DfE number from the gazetteer)."""
    gss = str(_first(graph, area, SG.gssCode) or "") if area is not None else ""
    authority = gazetteer.by_code(gss) if gss else None
    icbs = sorted(_label(graph, org) for org in graph.objects(area, SG.healthPartner)
                  if (org, RDF.type, SG.IntegratedCareBoard) in graph) if area is not None else []
    return {
        "area": _label(graph, area),
        "ons_code": gss,
        "la_code": authority.la_code if authority is not None else "",
        "region": (str(_first(graph, area, SG.region) or "") if area is not None else "") or (
            authority.region if authority is not None else ""),
        "local_authority": _label(graph, _first(graph, area, SG.localAuthority)) if area is not None else "",
        "icb": "; ".join(icbs),
    }


def inspection_rows(graph) -> list[dict]:
    """One dict per inspection (CSV_COLUMNS), sorted by area and start date."""
    inspections = set(graph.subjects(RDF.type, SG.Inspection))
    kinds = defaultdict(Counter)
    for finding in set(graph.subjects(RDF.type, SG.Finding)):
        inspection = _first(graph, finding, SG.aboutInspection)
        if inspection is None:
            continue
        kind = _first(graph, finding, SG.findingKind)
        kinds[inspection][str(kind).rsplit("/", 1)[-1] if kind else "other"] += 1
    reports = defaultdict(set)
    documents = defaultdict(set)
    for report, inspection in graph.subject_objects(SG.reportsOn):
        reports[inspection].add(str(_first(graph, report, DCTERMS.title) or report))
        documents[inspection].add(report)
    areas: dict = {}
    rows = []
    for inspection in inspections:
        area = _first(graph, inspection, SG.area)
        if area not in areas:
            areas[area] = area_facts(graph, area)
        outcome = _first(graph, inspection, SG.outcome)
        outcome = str(outcome).rsplit("/", 1)[-1] if outcome is not None else ""
        previous = _first(graph, inspection, SG.previousInspection)
        code = inspection_type(graph, inspection)
        start = str(_first(graph, inspection, SG.startDate) or "")
        end = str(_first(graph, inspection, SG.endDate) or "")
        full = str(_first(graph, inspection, SG.nextFullInspectionWithin) or "")
        monitoring = str(_first(graph, inspection, SG.monitoringInspectionWithin) or "")
        facts = areas[area]
        row = {
            "area": facts["area"],
            "ons_code": facts["ons_code"],
            "inspection": str(inspection),
            "kind": INSPECTION_TYPE_LABELS[code] if code != "Inspection" else "inspection",
            "start_date": start,
            "end_date": end,
            "outcome": outcome,
            "next_full_inspection_within": full,
            "monitoring_inspection_within": monitoring,
            "previous_inspection_start": str(_first(graph, previous, SG.startDate) or "") if previous is not None else "",
            "lead_inspectors": _names(graph, graph.objects(inspection, SG.leadInspector)),
            "inspectors": _names(graph, graph.objects(inspection, SG.inspector)),
            "reports": "; ".join(sorted(reports.get(inspection, ()))),
        }
        for kind_code in FINDING_KINDS:
            row[f"{kind_code}_findings"] = kinds[inspection].get(kind_code, 0)
        row.update({
            "la_code": facts["la_code"], "region": facts["region"], "local_authority": facts["local_authority"],
            "icb": facts["icb"], "framework": INSPECTION_FRAMEWORKS.get(code, ""),
            "outcome_label": OUTCOME_LABELS.get(outcome, outcome),
            "next_full_inspection_within_label": duration_label(full) or "",
            "next_full_inspection_due": add_duration(end or start, full) or "",
            "monitoring_inspection_within_label": duration_label(monitoring) or "",
            "monitoring_inspection_due": add_duration(end or start, monitoring) or "",
            "report_links": "; ".join(_links(graph, documents.get(inspection, ()))),
        })
        rows.append(row)
    rows.sort(key=lambda r: (r["area"], r["start_date"], r["inspection"]))
    return rows


def inspections_csv(graph) -> str:
    """The inspections as CSV (CSV_COLUMNS; cells formula-safe, no byte-order mark)."""
    rows = inspection_rows(graph)
    return csv_text(CSV_COLUMNS, ([row[c] for c in CSV_COLUMNS] for row in rows))


# ---------------------------------------------------------------------------------------------
# GraphML / GEXF
# ---------------------------------------------------------------------------------------------



def network(graph):
    """The graph's resources and the links between them as a networkx DiGraph (for Gephi): the
    projection the analyses and the views use (:func:`sendgraph.analysis.network.to_networkx`), its
    parallel edges joined into one with every relation named."""
    import networkx as nx

    from sendgraph.graph.projection import to_networkx

    G = to_networkx(graph)
    net = nx.DiGraph()
    for node in sorted(G):
        data = G.nodes[node]
        attributes = {"label": str(data.get("label") or node), "type": data["kind"], "iri": str(node)}
        for name in ("finding_kind", "start_date", "outcome", "gss_code"):
            if data.get(name):
                attributes["ons_code" if name == "gss_code" else "kind" if name == "finding_kind" else name] = str(data[name])
        net.add_node(str(node), **attributes)
    relations = defaultdict(set)
    for source, target, key in G.edges(keys=True):
        if source != target:
            relations[(str(source), str(target))].add(str(key))
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
    return buffer.getvalue().decode("utf-8")


__all__ = ["export", "format_for", "add_duration", "FORMATS", "SUFFIXES", "CSV_COLUMNS", "inspection_rows",
           "inspections_csv", "network", "network_text", "ORG_CLASS"]
