"""The extraction record: every key present, fresh containers per record, the documented codes."""

from sendgraph.read.records import finding, new_inspection, new_record
from sendgraph.vocab import CAPACITIES, DOCUMENT_TYPES, ORGANISATION_KINDS, RECORD_OUTCOMES as OUTCOMES


def test_new_record_has_every_documented_key():
    record = new_record("area_send_inspection_2023")
    assert list(record) == [
        "source", "sha256", "document_type", "title", "area", "gss_code", "date",
        "inspection", "organisations", "people", "inspectors", "findings", "mentions",
    ]
    assert record["document_type"] == "area_send_inspection_2023"
    assert new_record()["document_type"] == "unknown"
    assert record["inspection"] == new_inspection()
    assert set(new_inspection()) == {
        "start_date", "end_date", "previous", "outcome", "outcome_text", "next_full_within", "monitoring_within",
    }
    assert all(value is None for value in new_inspection().values())


def test_records_share_no_containers():
    first, second = new_record(), new_record()
    first["people"].append({"name": "Jane Smith"})
    first["inspection"]["start_date"] = "2024-11-18"
    assert second["people"] == []
    assert second["inspection"]["start_date"] is None
    assert new_record()["people"] == []


def test_finding_starts_untagged():
    item = finding("strength", "Leaders know the area well.", section="Main findings", position=7)
    assert item == {
        "kind": "strength", "section": "Main findings", "text": "Leaders know the area well.",
        "themes": [], "theme_cues": {}, "services": [], "position": 7, "responsible_body": None,
    }
    assert finding("weakness", "x")["themes"] is not finding("weakness", "x")["themes"]


def test_code_lists():
    assert DOCUMENT_TYPES == ("area_send_inspection_2023", "joint_local_area_inspection_2016", "council_report", "unknown")
    assert OUTCOMES == ("positive", "inconsistent", "systemic", "wsoa_required", "no_wsoa")
    assert "local_authority" in ORGANISATION_KINDS and "icb" in ORGANISATION_KINDS
    assert "signatory" in CAPACITIES and len(set(CAPACITIES)) == len(CAPACITIES)
