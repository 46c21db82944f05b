"""Council reports: the golden record of the bundled Middlesbrough report, and the parsing rules on made-up reports."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sendgraph.read import council, extract, textnorm
from sendgraph.read.dates import dates_as_printed
from sendgraph.read.records import new_record

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GOLDEN = json.loads((ROOT / "tests" / "golden" / "letters" / "middlesbrough-2023-council-report.json").read_text(encoding="utf-8"))


def _record() -> dict:
    (record,) = extract.read_report(DATA / GOLDEN["file"])
    return record


RECORD = _record()


def test_header_fields():
    assert RECORD["document_type"] == GOLDEN["document_type"] == "council_report"
    for key in ("title", "area", "gss_code", "date"):
        assert RECORD[key] == GOLDEN[key], key
    assert RECORD["inspection"] == GOLDEN["inspection"]


def test_organisations_people_inspectors():
    assert [[o["name"], o["kind"], o["gss_code"]] for o in RECORD["organisations"]] == GOLDEN["organisations"]
    assert [[p["name"], p["title"], p["organisation"], p["capacity"]] for p in RECORD["people"]] == GOLDEN["people"]
    assert RECORD["inspectors"] == GOLDEN["inspectors"]


def test_finding_counts():
    assert dict(Counter(f["kind"] for f in RECORD["findings"])) == GOLDEN["finding_counts"]
    by_section = Counter(f"{f['kind']}/{f['section']}" for f in RECORD["findings"] if f["section"])
    assert dict(by_section) == GOLDEN["section_counts"]


def test_finding_texts():
    got = [(f["kind"], f["section"], f["text"]) for f in RECORD["findings"]]
    for item in GOLDEN["findings"]:
        assert (item["kind"], item["section"], item["text"]) in got, item["text"][:60]
    # Lead-ins and procedure are not findings.
    texts = " ".join(t for _k, _s, t in got)
    assert "That the Executive" not in texts
    assert "no legal implications" not in texts


def test_mentions():
    assert RECORD["mentions"] == GOLDEN["mentions"]


def test_positions_point_at_the_paragraph():
    paras = textnorm.paragraphs((DATA / GOLDEN["file"]).read_text(encoding="utf-8"))
    for item in RECORD["findings"]:
        para = " ".join(paras[item["position"]].replace(textnorm.BULLET, " ").split())
        assert item["text"][:30] in para


# ---------------------------------------------------------------------------------------------
# Rules on made-up reports.


def _report(*body: str) -> dict:
    return council.parse(
        [
            "Report of: Councillor Jane Doe, Executive Member for Children Submitted to: Cabinet Date: 12 January 2024 "
            "Title: SEND Written Statement of Action Update",
            *body,
        ]
    )


def test_joined_header_labels_and_named_people():
    record = _report(
        "Background",
        "1. Bury Council works with its partners on SEND.",
        "Contact: John Smith, Head of SEND, Tel 0161 000 0000",
    )
    assert record["title"] == "SEND Written Statement of Action Update"
    assert record["date"] == "2024-01-12"
    assert record["area"] == "Bury" and record["gss_code"] == "E08000002"
    assert record["organisations"] == [{"name": "Bury Council", "kind": "local_authority", "gss_code": "E08000002"}]
    assert record["people"] == [
        {"name": "Jane Doe", "title": "Executive Member for Children", "organisation": "Bury Council", "capacity": "other"},
        {"name": "John Smith", "title": "Head of SEND", "organisation": "Bury Council", "capacity": "contact"},
    ]


def test_inspections_recounted():
    record = _report(
        "Background",
        "1. Ofsted and CQC inspected the Bury local area in November 2018 and a Written Statement of Action was required.",
        "2. The revisit in February 2020 found that the area had made sufficient progress in two of the five areas.",
        "3. A further revisit on 3 March 2021 found the area had not made sufficient progress in any of them.",
        "4. The area SEND inspection in June 2023 found that the local area partnership's arrangements typically lead to positive experiences and outcomes for children and young people with SEND.",
        "5. Neighbouring Rochdale was inspected in May 2017.",
        "6. The new framework was published in November 2022 and inspections will begin in 2023.",
        "7. Two special schools were inspected in May 2019 and judged good.",
        "8. The next revisit of the local area is planned for June 2024.",
    )
    assert record["mentions"] == [
        {"area": "Bury", "when": "2018-11", "kind": "inspection", "result": "wsoa_required"},
        {"area": "Bury", "when": "2020-02", "kind": "revisit", "result": "partial_progress"},
        {"area": "Bury", "when": "2021-03-03", "kind": "revisit", "result": "insufficient_progress"},
        {"area": "Bury", "when": "2023-06", "kind": "inspection", "result": "positive"},
        {"area": "Rochdale", "when": "2017-05", "kind": "inspection", "result": None},
    ]


def test_recommendations_and_sections():
    record = _report(
        "Executive summary",
        "This report updates members on the SEND inspection.",
        "Purpose",
        "1. To inform the Cabinet of progress against the written statement of action.",
        "Recommendations",
        "2. That the Cabinet:",
        "• notes the progress made; and",
        "• approves the revised SEND strategy.",
        "Reasons for the recommendations",
        "3. Members asked for an update.",
        "Financial implications",
        "4. The SEND budget is unchanged.",
    )
    kinds = [(f["kind"], f["section"], f["text"]) for f in record["findings"]]
    assert kinds == [
        ("narrative", "summary", "This report updates members on the SEND inspection."),
        ("narrative", "purpose", "To inform the Cabinet of progress against the written statement of action."),
        ("recommendation", None, "notes the progress made; and"),
        ("recommendation", None, "approves the revised SEND strategy."),
        ("rationale", None, "Members asked for an update."),
    ]


def test_council_found_from_email_domain():
    record = council.parse(
        ["Title: Local offer review", "The SEND local offer is being reviewed.", "Email: someone@middlesbrough.gov.uk"]
    )
    assert record["area"] == "Middlesbrough" and record["gss_code"] == "E06000002"
    assert record["organisations"][0]["name"] == "Middlesbrough Council"


def test_dates_as_printed():
    text = "In July 2019 they came back; the inspection of 20 March 2017 and may 2020"
    assert dates_as_printed(text) == [
        ("2019-07", 3, 12),
        ("2017-03-20", text.index("20 March"), text.index(" and may")),
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Title: SEND", "Date: 1 May 2020", "Recommendations", "1. That:", "• a", "Contact: A B", "",
                    "In May 2019 Bury was inspected and a WSOA was required.", "The revisit in June 2021", "\t", "Background",
                ]
            ),
            st.text(max_size=80),
        ),
        max_size=30,
    )
)
def test_parse_never_crashes(paras):
    record = council.parse(paras)
    assert set(record) == set(new_record())
    for item in record["findings"]:
        assert 0 <= item["position"] < len(paras)
