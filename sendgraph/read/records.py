"""The extraction record: one dict per document, the contract between the parsers and the graph.

Keys (all present in every record; lists may be empty, unknown values are None):

    source            str   the file path as given (with "#2" appended for the second document of a file)
    sha256            str   checksum of the whole source file
    document_type     str   area_send_inspection_2023 | joint_local_area_inspection_2016 | council_report | unknown
    title             str   the document's title as printed
    area              str   place name, e.g. "Hartlepool", "Telford and Wrekin"
    gss_code          str   ONS code of the area's local authority, or None
    date              str   ISO date of the letter / report, or None
    inspection        dict  start_date, end_date, previous {start_date, end_date} | None,
                            outcome (positive|inconsistent|systemic|wsoa_required|no_wsoa|None),
                            outcome_text, next_full_within, monitoring_within (ISO 8601 durations)
    organisations     list  {name, kind: local_authority|icb|ccg|inspectorate|other, gss_code}
    people            list  {name, title, organisation,
                             capacity: la_leader|icb_leader|addressee|recipient|signatory|contact|other}
    inspectors        list  {name, organisation: Ofsted|CQC, role, lead: bool}
    findings          list  {kind, section, text, themes: [code], theme_cues: {code: [words]}, services: [code],
                            position, responsible_body}
                            kind: strength|weakness|priority_action|improvement (2023),
                                  main_finding|strength|weakness|significant_weakness (2016),
                                  narrative, or a council report's own kinds;
                            position: index of the paragraph in the document (for provenance);
                            responsible_body: the "responsible body" cell of a priority action
                                  (or area for improvement) as printed, else None
    mentions          list  {area, when, kind: inspection|revisit, result}
"""

from __future__ import annotations

# The codes a record holds are sendgraph.vocab's (DOCUMENT_TYPES, RECORD_OUTCOMES, ORGANISATION_KINDS,
# CAPACITIES). They are not imported here: vocab needs rdflib, and reading a file (in a worker
# process, forked as a build starts) needs nothing of it.


def new_inspection() -> dict:
    return {
        "start_date": None,
        "end_date": None,
        "previous": None,
        "outcome": None,
        "outcome_text": None,
        "next_full_within": None,
        "monitoring_within": None,
    }


def new_record(document_type: str = "unknown") -> dict:
    """An empty record with every key present."""
    return {
        "source": None,
        "sha256": None,
        "document_type": document_type,
        "title": None,
        "area": None,
        "gss_code": None,
        "date": None,
        "inspection": new_inspection(),
        "organisations": [],
        "people": [],
        "inspectors": [],
        "findings": [],
        "mentions": [],
    }


def finding(kind: str, text: str, section: str | None = None, position: int | None = None,
            responsible_body: str | None = None) -> dict:
    """A finding with empty theme and service lists (the tagger fills them)."""
    return {"kind": kind, "section": section, "text": text, "themes": [], "theme_cues": {}, "services": [], "position": position,
            "responsible_body": responsible_body}
