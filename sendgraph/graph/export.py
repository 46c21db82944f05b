"""A built graph in other formats: RDF serialisations, GraphML/GEXF for Gephi, and the per-inspection CSV.

``export(graph, format, path)`` writes the file atomically (or returns the text when path is None).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter, defaultdict

from rdflib import RDF, RDFS
from rdflib.namespace import DCTERMS, FOAF

from sendgraph.errors import UsageError
from sendgraph.vocab import FINDING_KINDS, ORGANISATION_CLASS as ORG_CLASS, SG
from sendgraph.graph.files import FORMATS as RDF_FORMATS, serialise
from sendgraph.io import write_text_atomic

FORMATS = tuple(RDF_FORMATS) + ("graphml", "gexf", "csv")

CSV_COLUMNS = [
    "area", "ons_code", "inspection", "kind", "start_date", "end_date", "outcome", "next_full_inspection_within",
    "monitoring_inspection_within", "previous_inspection_start", "lead_inspectors", "inspectors", "reports",
] + [f"{kind}_findings" for kind in FINDING_KINDS]

def export(graph, fmt: str, path=None) -> str | None:
    """Write graph in fmt to path (atomically), or return the text when path is None."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown export format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fmt == "csv":
        text = inspections_csv(graph)
    elif fmt in ("graphml", "gexf"):
        text = network_text(graph, fmt)
    else:
        text = serialise(graph, fmt)
    if path is None:
        return text
    write_text_atomic(path, text)
    return None


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
    for report, inspection in graph.subject_objects(SG.reportsOn):
        reports[inspection].add(str(_first(graph, report, DCTERMS.title) or report))
    rows = []
    for inspection in inspections:
        area = _first(graph, inspection, SG.area)
        outcome = _first(graph, inspection, SG.outcome)
        previous = _first(graph, inspection, SG.previousInspection)
        types = set(graph.objects(inspection, RDF.type))
        kind = ("revisit" if SG.Revisit in types else "area SEND inspection" if SG.AreaSendInspection in types
                else "joint local area SEND inspection" if SG.JointLocalAreaInspection in types else "inspection")
        row = {
            "area": str(_first(graph, area, RDFS.label) or "") if area is not None else "",
            "ons_code": str(_first(graph, area, SG.gssCode) or "") if area is not None else "",
            "inspection": str(inspection),
            "kind": kind,
            "start_date": str(_first(graph, inspection, SG.startDate) or ""),
            "end_date": str(_first(graph, inspection, SG.endDate) or ""),
            "outcome": str(outcome).rsplit("/", 1)[-1] if outcome is not None else "",
            "next_full_inspection_within": str(_first(graph, inspection, SG.nextFullInspectionWithin) or ""),
            "monitoring_inspection_within": str(_first(graph, inspection, SG.monitoringInspectionWithin) or ""),
            "previous_inspection_start": str(_first(graph, previous, SG.startDate) or "") if previous is not None else "",
            "lead_inspectors": _names(graph, graph.objects(inspection, SG.leadInspector)),
            "inspectors": _names(graph, graph.objects(inspection, SG.inspector)),
            "reports": "; ".join(sorted(reports.get(inspection, ()))),
        }
        for kind_code in FINDING_KINDS:
            row[f"{kind_code}_findings"] = kinds[inspection].get(kind_code, 0)
        rows.append(row)
    rows.sort(key=lambda r: (r["area"], r["start_date"], r["inspection"]))
    return rows


def inspections_csv(graph) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in inspection_rows(graph):
        writer.writerow(row)
    return out.getvalue()


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
    return buffer.getvalue().decode("utf-8")


__all__ = ["export", "FORMATS", "CSV_COLUMNS", "inspection_rows", "inspections_csv", "network", "network_text",
           "ORG_CLASS"]
