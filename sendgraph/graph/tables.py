"""The graph's inspections as rows of plain values (area facts, kinds and outcomes as codes and words, due dates), for the CSV export and the workbook."""

from __future__ import annotations

import calendar
import datetime
import re
from collections import Counter, defaultdict

from rdflib import RDF, RDFS
from rdflib.namespace import DCTERMS, FOAF

from sendgraph import gazetteer
from sendgraph.vocab import FINDING_KINDS, INSPECTION_FRAMEWORKS, INSPECTION_TYPE_LABELS, OUTCOME_LABELS, SG, duration_label

CSV_COLUMNS = [
    "area", "ons_code", "inspection", "kind", "start_date", "end_date", "outcome", "next_full_inspection_within",
    "monitoring_inspection_within", "previous_inspection_start", "lead_inspectors", "inspectors", "reports",
] + [f"{kind}_findings" for kind in FINDING_KINDS] + [
    "la_code", "region", "local_authority", "icb", "framework", "outcome_label",
    "next_full_inspection_within_label", "next_full_inspection_due", "monitoring_inspection_within_label",
    "monitoring_inspection_due", "report_links",
]


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
# One row per inspection
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
