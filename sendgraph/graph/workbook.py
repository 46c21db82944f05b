"""The graph as an Excel workbook (openpyxl): sheets Areas, Inspections, Findings and Inspectors, in words, with typed cells."""

from __future__ import annotations

import datetime
import io
from collections import defaultdict

from rdflib import URIRef

from sendgraph.graph.tables import inspection_rows
from sendgraph.graph.projection import to_networkx
from sendgraph.formats import FORMULA_STARTS
from sendgraph.vocab import FINDING_KIND_LABELS, SG

#: Each sheet's columns: (heading, key, type); type is text, date, int or link.
AREA_COLUMNS = [
    ("Area", "area", "text"), ("ONS code", "ons_code", "text"), ("DfE LA number", "la_code", "text"),
    ("Region", "region", "text"), ("Local authority", "local_authority", "text"), ("ICB", "icb", "text"),
    ("Inspections", "inspections", "int"), ("Latest inspection", "kind", "text"),
    ("Latest start", "start_date", "date"), ("Latest end", "end_date", "date"),
    ("Latest outcome", "outcome_label", "text"), ("Next full inspection due", "next_full_inspection_due", "date"),
    ("Monitoring inspection due", "monitoring_inspection_due", "date"),
    ("Previous inspection", "previous_kind", "text"), ("Previous start", "previous_start", "date"),
    ("Previous outcome", "previous_outcome", "text"), ("Priority actions", "priority_action_findings", "int"),
    ("Areas for improvement", "improvement_findings", "int"), ("Report", "reports", "text"),
    ("Report link", "report_links", "link"),
]
INSPECTION_COLUMNS = [
    ("Area", "area", "text"), ("ONS code", "ons_code", "text"), ("Region", "region", "text"),
    ("Inspection", "kind", "text"), ("Framework", "framework", "text"), ("Start", "start_date", "date"),
    ("End", "end_date", "date"), ("Outcome", "outcome_label", "text"),
    ("Next full inspection", "next_full_inspection_within_label", "text"),
    ("Next full inspection due", "next_full_inspection_due", "date"),
    ("Monitoring inspection", "monitoring_inspection_within_label", "text"),
    ("Monitoring inspection due", "monitoring_inspection_due", "date"),
    ("Previous inspection start", "previous_inspection_start", "date"), ("Lead inspectors", "lead_inspectors", "text"),
    ("Inspectors", "inspectors", "text"), ("Strengths", "strength_findings", "int"),
    ("Weaknesses", "weakness_findings", "int"), ("Areas of significant weakness", "significant_weakness_findings", "int"),
    ("Main findings", "main_finding_findings", "int"), ("Priority actions", "priority_action_findings", "int"),
    ("Areas for improvement", "improvement_findings", "int"), ("Report", "reports", "text"),
    ("Report link", "report_links", "link"),
]
FINDING_COLUMNS = [
    ("Area", "area", "text"), ("Inspection start", "start_date", "date"), ("Kind", "kind", "text"),
    ("Themes", "themes", "text"), ("Responsible body", "responsible_body", "text"), ("Quote", "quote", "text"),
    ("Source document", "source", "text"), ("File", "file", "text"), ("Paragraph", "paragraph", "int"),
]
INSPECTOR_COLUMNS = [
    ("Name", "name", "text"), ("Organisation", "organisation", "text"), ("Role", "role", "text"),
    ("Inspections", "count", "int"), ("Led", "led", "int"), ("First", "first", "date"), ("Last", "last", "date"),
    ("Inspections worked on", "inspections", "text"),
]
MAX_WIDTH = {"Quote": 100}  # column widths in characters; others at most 50
_ILLEGAL = {c for c in range(32) if c not in (9, 10, 13)}


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------


def area_rows(graph, inspections: list[dict]) -> list[dict]:
    """One row per area: its codes and partners, its latest inspection (the latest with a report or an
    outcome; an inspection only mentioned without one does not count) and the one before it."""
    by_area = defaultdict(list)
    for row in inspections:
        by_area[row["area"]].append(row)
    rows = []
    for name in sorted(by_area):
        own = sorted(by_area[name], key=lambda r: (r["start_date"], r["inspection"]))
        known = [r for r in own if r["reports"] or r["outcome"]] or own
        latest = known[-1]
        before = [r for r in own if r["start_date"] < latest["start_date"]]
        previous = before[-1] if before else None
        row = {key: latest.get(key, "") for _, key, _ in AREA_COLUMNS}
        row.update({
            "inspections": len(own),
            "previous_kind": previous["kind"] if previous else "",
            "previous_start": previous["start_date"] if previous else "",
            "previous_outcome": previous["outcome_label"] if previous else "",
        })
        rows.append(row)
    return rows


def finding_rows(graph, G=None) -> list[dict]:
    """One row per finding: area, inspection date, kind and themes in words, responsible body as
    printed, the quote and where it is (document and paragraph), in area, date and document order."""
    G = G if G is not None else to_networkx(graph)
    rows = []
    for node, data in G.nodes(data=True):
        if data.get("kind") != "finding":
            continue
        inspection = G.nodes[data["inspection"]] if data.get("inspection") in G else {}
        area = inspection.get("area")
        if area is None and data.get("source") in G:
            area = next((v for _, v, k in G.out_edges(data["source"], keys=True) if k == "spatial"), None)
        source = G.nodes[data["source"]] if data.get("source") in G else {}
        bodies = sorted(str(v) for v in graph.objects(URIRef(node), SG.responsibleBodyAsPrinted))
        themes = [G.nodes[t]["label"] for t in sorted(v for _, v, k in G.out_edges(node, keys=True) if k == "subject")]
        rows.append({
            "area": G.nodes[area]["label"] if area in G else "",
            "start_date": inspection.get("start_date") or "",
            "kind": FINDING_KIND_LABELS.get(data.get("finding_kind"), data.get("kind_label") or ""),
            "themes": "; ".join(sorted(themes)),
            "responsible_body": "; ".join(bodies),
            "quote": data.get("quote") or data.get("text") or "",
            "source": source.get("title") or source.get("file_name") or "",
            "file": source.get("file_name") or "",
            "paragraph": data.get("paragraph"),
        })
    rows.sort(key=lambda r: (r["area"], r["start_date"], r["source"], r["paragraph"] if r["paragraph"] is not None else -1,
                             r["quote"]))
    return rows


def inspector_rows(graph, G=None) -> list[dict]:
    """One row per member of an inspection team: organisation, roles, how many inspections (led), and which."""
    G = G if G is not None else to_networkx(graph)
    worked = defaultdict(list)
    for inspection, person, key, edge in G.edges(keys=True, data=True):
        if key in ("inspector", "leadInspector") and G.nodes[inspection].get("kind") == "inspection":
            worked[person].append((inspection, edge.get("role") or "", key == "leadInspector" or bool(edge.get("lead"))))
    rows = []
    for person, items in worked.items():
        by_inspection = {}
        for inspection, role, lead in items:
            earlier = by_inspection.get(inspection, ("", False))
            by_inspection[inspection] = (earlier[0] or role, earlier[1] or lead)
        ordered = sorted(by_inspection, key=lambda i: (G.nodes[i].get("start_date") or "", i))
        organisations = sorted(G.nodes[o]["label"] for _, o, k in G.out_edges(person, keys=True)
                               if k == "memberOf" and G.nodes[o]["kind"] == "inspectorate")
        dates = [G.nodes[i].get("start_date") for i in ordered if G.nodes[i].get("start_date")]
        rows.append({
            "name": G.nodes[person]["label"],
            "organisation": "; ".join(organisations),
            "role": "; ".join(sorted({role for role, _ in by_inspection.values() if role})),
            "count": len(ordered),
            "led": sum(1 for i in ordered if by_inspection[i][1]),
            "first": dates[0] if dates else "",
            "last": dates[-1] if dates else "",
            "inspections": "; ".join(
                f"{G.nodes[G.nodes[i]['area']]['label'] if G.nodes[i].get('area') in G else '?'} "
                f"{G.nodes[i].get('start_date') or 'undated'}" + (" (lead)" if by_inspection[i][1] else "")
                for i in ordered),
        })
    rows.sort(key=lambda r: (-r["count"], r["name"]))
    return rows


# ---------------------------------------------------------------------------------------------
# The workbook
# ---------------------------------------------------------------------------------------------


def _text(value) -> str:
    """Text a cell can hold: control characters XML forbids are left out."""
    text = "" if value is None else str(value)
    return "".join(ch for ch in text if ord(ch) not in _ILLEGAL)


def _set(cell, value, kind: str) -> None:
    """A typed cell: dates as dates, counts as numbers, links as links, and text always as text
    (a value starting with = + - @, a tab or CR is stored as a string, never a formula)."""
    if kind == "date" and value:
        try:
            cell.value = datetime.date.fromisoformat(str(value)[:10])
            cell.number_format = "yyyy-mm-dd"
            return
        except ValueError:
            pass  # not a whole date: kept as it is printed, as text
    if kind == "int" and value not in (None, ""):
        cell.value = int(value)
        return
    text = _text(value)
    if not text:
        return
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_STARTS):
        cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    if kind == "link" and text.startswith(("http://", "https://")):
        cell.hyperlink = text.split("; ")[0]
        cell.style = "Hyperlink"
        cell.data_type = "s"


def _sheet(wb, title: str, columns: list, rows: list) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    for col, (heading, _key, _kind) in enumerate(columns, 1):
        cell = ws.cell(row=1, column=col, value=heading)
        cell.font = Font(bold=True)
    widths = [len(heading) for heading, _, _ in columns]
    for r, row in enumerate(rows, 2):
        for col, (heading, key, kind) in enumerate(columns, 1):
            cell = ws.cell(row=r, column=col)
            _set(cell, row.get(key), kind)
            shown = 10 if kind == "date" and isinstance(cell.value, datetime.date) else len(str(cell.value or ""))
            widths[col - 1] = max(widths[col - 1], shown)
            if heading == "Quote":
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, (heading, _, _) in enumerate(columns, 1):
        ws.column_dimensions[get_column_letter(col)].width = min(widths[col - 1], MAX_WIDTH.get(heading, 50)) + 2
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(rows) + 1)}"


def workbook(graph):
    """The openpyxl Workbook of a graph: Areas (one row per area), Inspections (one per inspection, both
    frameworks), Findings and Inspectors."""
    from openpyxl import Workbook

    inspections = inspection_rows(graph)
    G = to_networkx(graph)
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.creator = "sendgraph"
    _sheet(wb, "Areas", AREA_COLUMNS, area_rows(graph, inspections))
    _sheet(wb, "Inspections", INSPECTION_COLUMNS, inspections)
    _sheet(wb, "Findings", FINDING_COLUMNS, finding_rows(graph, G))
    _sheet(wb, "Inspectors", INSPECTOR_COLUMNS, inspector_rows(graph, G))
    return wb


def workbook_bytes(graph) -> bytes:
    """The workbook of a graph as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook(graph).save(buffer)
    return buffer.getvalue()


__all__ = ["workbook", "workbook_bytes", "area_rows", "finding_rows", "inspector_rows"]
