"""2016-framework letters: golden records of the bundled letters, and the parsing rules on made-up letters."""

from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendgraph.read import extract, letter2016, textnorm
from sendgraph.read.names import name_and_rest
from sendgraph.read.records import new_record

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
GOLDEN = sorted(
    p for p in (ROOT / "tests" / "golden" / "letters").glob("*.json")
    if json.loads(p.read_text(encoding="utf-8"))["document_type"] == "joint_local_area_inspection_2016"
)


@lru_cache(maxsize=None)
def _records(name: str) -> tuple:
    return tuple(extract.read_report(DATA / name))


def _golden_and_record(path: Path) -> tuple[dict, dict]:
    golden = json.loads(path.read_text(encoding="utf-8"))
    for record in _records(golden["file"]):
        if record["source"] == str(DATA / golden["file"]) + golden["source_suffix"]:
            return golden, record
    raise AssertionError(f"no record {golden['source_suffix']} in {golden['file']}")


def _segment(name: str, suffix: str) -> list[str]:
    """The paragraphs the parser was given for one document of a file."""
    paras = textnorm.paragraphs((DATA / name).read_text(encoding="utf-8"))
    segments = extract._segments(paras)
    begin, end, _kind = segments[int(suffix[1:]) - 1 if suffix else 0]
    return extract._dedupe(paras[begin:end])


@pytest.fixture(params=GOLDEN, ids=lambda p: p.stem)
def case(request):
    return _golden_and_record(request.param)


def test_golden_files_cover_the_three_letters():
    assert {p.stem for p in GOLDEN} == {"hartlepool-2016", "middlesbrough-2017", "stockton-on-tees-2019"}


def test_header_fields(case):
    golden, record = case
    assert record["document_type"] == golden["document_type"]
    for key in ("title", "area", "gss_code", "date"):
        assert record[key] == golden[key], key


def test_inspection(case):
    golden, record = case
    assert record["inspection"] == golden["inspection"]


def test_organisations(case):
    golden, record = case
    got = [[o["name"], o["kind"], o["gss_code"]] for o in record["organisations"]]
    assert sorted(got, key=str) == sorted(golden["organisations"], key=str)


def test_people_with_capacities(case):
    golden, record = case
    got = [[p["name"], p["title"], p["organisation"], p["capacity"]] for p in record["people"]]
    assert sorted(got, key=str) == sorted(golden["people"], key=str)


def test_inspectors_and_the_lead(case):
    golden, record = case
    got = [[i["name"], i["organisation"], i["role"], i["lead"]] for i in record["inspectors"]]
    assert sorted(got, key=str) == sorted(golden["inspectors"], key=str)
    # The HMI who signs is the lead inspector: one inspector entry, one signatory person.
    lead = [i["name"] for i in record["inspectors"] if i["lead"]]
    signer = record["people"][[p["capacity"] for p in record["people"]].index("signatory")]["name"]
    assert lead == [signer]
    assert [p["name"] for p in record["people"]].count(signer) == 1
    # Regional directors and deputy chief inspectors sign; they are not on the team.
    team = {i["name"] for i in record["inspectors"]}
    for person in record["people"]:
        if person["capacity"] == "signatory" and person["name"] != signer:
            assert person["name"] not in team


def test_finding_counts(case):
    golden, record = case
    assert dict(Counter(f["kind"] for f in record["findings"])) == golden["finding_counts"]
    by_section = Counter(f"{f['kind']}/{f['section']}" for f in record["findings"] if f["section"])
    assert dict(by_section) == golden["section_counts"]


def test_finding_texts(case):
    golden, record = case
    got = [(f["kind"], f["section"], f["text"]) for f in record["findings"]]
    for item in golden["findings"]:
        assert (item["kind"], item["section"], item["text"]) in got, item["text"][:60]


def test_mentions(case):
    golden, record = case
    assert record["mentions"] == golden["mentions"]


def test_positions_point_at_the_paragraph(case):
    golden, record = case
    paras = _segment(golden["file"], golden["source_suffix"])
    signed = next(i for i, p in enumerate(paras) if p.startswith("Yours sincerely"))
    for item in record["findings"]:
        para = " ".join(paras[item["position"]].replace(textnorm.BULLET, " ").split())
        assert para and item["text"].startswith(para[:40])
        assert item["position"] < signed  # nothing from the sign-off or a block repeated after it


def test_repeated_block_is_not_counted():
    golden, record = _golden_and_record(ROOT / "tests" / "golden" / "letters" / "hartlepool-2016.json")
    texts = [f["text"] for f in record["findings"]]
    assert len(texts) == len(set(texts)) == 48


def test_middlesbrough_letter_starts_at_its_own_date():
    # The export glued the date of the second letter to the first letter's signature.
    _golden, record = _golden_and_record(ROOT / "tests" / "golden" / "letters" / "middlesbrough-2017.json")
    assert record["date"] == "2017-05-19"
    assert record["people"][0]["capacity"] == "addressee"


# ---------------------------------------------------------------------------------------------
# Rules on made-up letters (the wording of real ones, other names and places).


def _letter(*middle: str, sign_off=("Yours sincerely", "Jane Doe", "Her Majesty's Inspector")) -> list[str]:
    head = [
        "12 June 2018",
        "Mrs Ann Smith-Jones Corporate Director, People Bury Metropolitan Borough Council Town Hall Knowsley Street Bury BL9 0SW",
        "Stuart North, Chief Officer, NHS Bury Clinical Commissioning Group",
        "Mark Brown, Local Area Nominated Officer",
        "Dear Mrs Smith-Jones",
        "Joint local area SEND inspection in Bury",
        "From 9 April 2018 to 13 April 2018, Ofsted and the Care Quality Commission (CQC) conducted a joint inspection of the local area of Bury.",
    ]
    return head + list(middle) + list(sign_off)


def test_joined_address_block_and_recipients():
    record = letter2016.parse(_letter("Main findings", "• Leaders know the area well."))
    assert record["area"] == "Bury" and record["gss_code"] == "E08000002"
    assert record["date"] == "2018-06-12"
    assert (record["inspection"]["start_date"], record["inspection"]["end_date"]) == ("2018-04-09", "2018-04-13")
    people = {p["name"]: p for p in record["people"]}
    assert people["Ann Smith-Jones"]["title"] == "Corporate Director, People"
    assert people["Ann Smith-Jones"]["organisation"] == "Bury Metropolitan Borough Council"
    assert people["Ann Smith-Jones"]["capacity"] == "addressee"
    assert people["Stuart North"]["organisation"] == "NHS Bury Clinical Commissioning Group"
    assert people["Mark Brown"]["capacity"] == "recipient"
    assert people["Mark Brown"]["organisation"] == "Bury Metropolitan Borough Council"
    kinds = {o["name"]: o["kind"] for o in record["organisations"]}
    assert kinds == {
        "Bury Metropolitan Borough Council": "local_authority",
        "NHS Bury Clinical Commissioning Group": "ccg",
        "Ofsted": "inspectorate",
        "Care Quality Commission": "inspectorate",
    }


def test_letter_without_written_statement_is_no_wsoa():
    record = letter2016.parse(
        _letter(
            "This letter outlines our findings from the inspection, including some areas of strength and areas for further improvement.",
            "Main findings",
            "• Leaders know the area well.",
            "The effectiveness of the local area in improving outcomes for children and young people who have special educational needs and/or disabilities",
            "Strengths",
            "• Outcomes are good.",
            "Areas for development",
            "• Attendance is low.",
        )
    )
    assert record["inspection"]["outcome"] == "no_wsoa"
    assert record["inspection"]["outcome_text"] is None
    assert [(f["kind"], f["section"]) for f in record["findings"]] == [
        ("main_finding", None), ("strength", "outcomes"), ("weakness", "outcomes"),
    ]


def test_explicit_not_required_sentence():
    sentence = "Her Majesty's Chief Inspector (HMCI) has determined that a Written Statement of Action is not required."
    record = letter2016.parse(_letter(sentence, "Main findings", "• Leaders know the area well."))
    assert record["inspection"]["outcome"] == "no_wsoa"
    assert record["inspection"]["outcome_text"] == sentence


def test_unfinished_letter_has_no_outcome():
    record = letter2016.parse(_letter("Main findings", "• Leaders know the area well.", sign_off=()))
    assert record["inspection"]["outcome"] is None


def test_two_column_sign_off_table_and_wrapped_names():
    table = (
        "Ofsted\tCare Quality Commission\n"
        "Paul Jones HMI\tUrsula Gallagher\n"
        "Regional Director\tDeputy Chief Inspector, Primary Medical Services, Children Health and Justice\n"
        "Jane Doe\tKaren Collins-\n"
        "HMI Lead Inspector\tBeckett\n"
        "Sam Lee\tCQC Inspector\n"
        "Ofsted Inspector\t"
    )
    record = letter2016.parse(
        _letter("Main findings", "• Leaders know the area well.")
        + [table, "Cc: Department for Education", "• A block repeated by the export, never a finding."]
    )
    team = {i["name"]: (i["organisation"], i["role"], i["lead"]) for i in record["inspectors"]}
    assert team == {
        "Jane Doe": ("Ofsted", "HMI Lead Inspector", True),
        "Karen Collins-Beckett": ("CQC", "CQC Inspector", False),
        "Sam Lee": ("Ofsted", "Ofsted Inspector", False),
    }
    signers = {p["name"]: (p["title"], p["organisation"]) for p in record["people"] if p["capacity"] == "signatory"}
    assert signers == {
        "Jane Doe": ("Her Majesty's Inspector", "Ofsted"),
        "Paul Jones": ("Regional Director", "Ofsted"),
        "Ursula Gallagher": (
            "Deputy Chief Inspector, Primary Medical Services, Children Health and Justice",
            "Care Quality Commission",
        ),
    }
    assert len(record["findings"]) == 1


def test_signer_without_team_list_is_the_lead_inspector():
    record = letter2016.parse(_letter("Main findings", "• Leaders know the area well."))
    assert record["inspectors"] == [
        {"name": "Jane Doe", "organisation": "Ofsted", "role": "Her Majesty's Inspector", "lead": True}
    ]


def test_export_artefacts_in_findings():
    record = letter2016.parse(
        _letter(
            "Main findings",
            "• Parents value the short breaks offer and the support it gives to",
            "Families across the area.",  # a stray break before a capital, after a function word
            "• Leaders have plans that are well focused, and the work of the",
            "• forum is valued.",  # a bullet the export put at a page break
            "Areas for improvement",
            "• Too few plans are reviewed on time.",
            "This means that needs change without a response.",  # the bullet's second paragraph
            "The inspection raises significant concerns about the effectiveness of the local area.",
            "The local area is required to produce and submit a written statement of action to Ofsted that explains how the local area will tackle the following areas of significant weakness:",
            "• the timeliness of plans",
            "• the local offer",
            "The approach to responding to findings from inspections is set out in the handbook.",
        )
    )
    texts = [(f["kind"], f["text"]) for f in record["findings"]]
    assert texts == [
        ("main_finding", "Parents value the short breaks offer and the support it gives to Families across the area."),
        ("main_finding", "Leaders have plans that are well focused, and the work of the forum is valued."),
        ("weakness", "Too few plans are reviewed on time. This means that needs change without a response."),
        ("significant_weakness", "the timeliness of plans"),
        ("significant_weakness", "the local offer"),
    ]
    assert record["inspection"]["outcome"] == "wsoa_required"


def test_revisit_letter():
    paras = [
        "14 June 2021",
        "Cath McEvoy-Carr Executive Director of Adult Social Care and Children's Services Northumberland County Council County Hall Morpeth NE61 2EF",
        "Siobhan Brown, Chief Operating Officer, NHS Northumberland Clinical Commissioning Group",
        "Sue Aviston, Local Area Nominated Officer, Northumberland",
        "Dear Ms McEvoy-Carr",
        "Joint local area SEND revisit in Northumberland",
        "Between 19 and 21 May 2021, Ofsted and the Care Quality Commission (CQC) revisited the local area of Northumberland to decide whether sufficient progress has been made in addressing each of the areas of significant weakness detailed in the written statement of action (WSOA) issued on 29 November 2018.",
        "As a result of the findings of the initial inspection and in accordance with the Children Act 2004 (Joint Area Reviews) Regulations 2015, Her Majesty's Chief Inspector (HMCI) determined that a WSOA was required because of significant areas of weakness in the local area's practice.",
        "The area has made sufficient progress in addressing all of the significant weaknesses identified at the initial inspection. This letter outlines our findings from the revisit.",
        "Main findings",
        "• The initial inspection found that the local offer was poor.",
        "The local offer has been rewritten with parents.",
        "Yours sincerely",
        "Jan Edwards",
        "Her Majesty's Inspector",
    ]
    record = letter2016.parse(paras)
    assert record["title"] == "Joint local area SEND revisit in Northumberland"
    assert record["inspection"]["start_date"] == "2021-05-19" and record["inspection"]["end_date"] == "2021-05-21"
    assert record["inspection"]["outcome"] is None
    assert record["inspection"]["outcome_text"].startswith("The area has made sufficient progress in addressing all")
    assert record["mentions"] == [{"area": "Northumberland", "when": None, "kind": "inspection", "result": "wsoa_required"}]
    people = {p["name"]: p for p in record["people"]}
    assert people["Cath McEvoy-Carr"]["title"] == "Executive Director of Adult Social Care and Children's Services"
    assert people["Sue Aviston"]["organisation"] == "Northumberland County Council"
    assert people["Sue Aviston"]["title"] == "Local Area Nominated Officer"
    assert [f["kind"] for f in record["findings"]] == ["main_finding"]
    assert record["findings"][0]["text"].endswith("rewritten with parents.")


def test_honorific_variants_and_title_on_the_next_paragraph():
    paras = [
        "3 March 2017",
        "Dr John Smith",
        "Interim Director of Children's Services",
        "Telford & Wrekin Council, Addenbrooke House, Telford TF3 4NT",
        "Dear Dr Smith",
        "Joint local area SEND inspection in Telford and Wrekin",
    ]
    record = letter2016.parse(paras)
    assert record["area"] == "Telford and Wrekin" and record["gss_code"] == "E06000020"
    assert record["people"] == [
        {"name": "John Smith", "title": "Interim Director of Children's Services", "organisation": "Telford & Wrekin Council", "capacity": "addressee"}
    ]


def test_address_lines_as_paragraphs_and_recipient_without_comma():
    paras = [
        "1 May 2018",
        "Ms Sally Robinson",
        "Director of Child and Adult Services",
        "Hartlepool Borough Council",
        "Civic Centre",
        "Ali Wilson, Chief Officer, NHS Hartlepool and Stockton-on-Tees CCG",
        "Danielle Swainston Local Area Nominated Officer",
        "Dear Ms Robinson",
        "Joint local area SEND inspection in Hartlepool",
    ]
    people = [(p["name"], p["title"], p["organisation"], p["capacity"]) for p in letter2016.parse(paras)["people"]]
    assert people == [
        ("Sally Robinson", "Director of Child and Adult Services", "Hartlepool Borough Council", "addressee"),
        ("Ali Wilson", "Chief Officer", "NHS Hartlepool and Stockton-on-Tees CCG", "recipient"),
        ("Danielle Swainston", "Local Area Nominated Officer", "Hartlepool Borough Council", "recipient"),
    ]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(
                [
                    "Joint local area SEND inspection in Bury", "Joint local area SEND revisit in", "Main findings",
                    "Strengths", "Areas for development", "Yours sincerely", "Dear", "CC:", "•", "• x", "\t", "Ofsted\tCQC\nA B\t",
                    "The effectiveness of the local area in identifying", "12 May 2019", "Mr A B, Council", "",
                ]
            ),
            st.text(max_size=80),
        ),
        max_size=30,
    )
)
def test_parse_never_crashes(paras):
    record = letter2016.parse(paras)
    assert set(record) == set(new_record())
    for item in record["findings"]:
        assert 0 <= item["position"] < len(paras)


# ---------------------------------------------------------------------------------------------
# The shared helpers this parser added.


def test_space_bullets_marks_lost_glyphs_only_in_such_exports():
    text = (
        "Main findings\n Leaders are strong\nand trusted.\n\n Plans are weak\nand late.\n\n Parents are heard.\n"
        "Yours sincerely\nJane Doe\nHer Majesty's Inspector\n 19 May 2017\nMr A Smith\n"
    )
    paras = textnorm.paragraphs(text)
    assert paras == [
        "Main findings", "• Leaders are strong and trusted.", "• Plans are weak and late.",
        "• Parents are heard. Yours sincerely Jane Doe Her Majesty's Inspector", "19 May 2017 Mr A Smith",
    ]
    # One indented line is not an export's bullet.
    assert textnorm.paragraphs("Heading\n An indented line\nwith more.") == ["Heading An indented line with more."]


def test_split_name():
    assert name_and_rest("Ms Sally Robinson Director of Child and Adult Services") == (
        "Ms Sally Robinson", "Director of Child and Adult Services",
    )
    assert name_and_rest("Ali Wilson, clinical commissioning group chief officer") == (
        "Ali Wilson", "clinical commissioning group chief officer",
    )
    assert name_and_rest("Nick Whittaker HMI") == ("Nick Whittaker HMI", "")
    assert name_and_rest("Regional Director") is None
    assert name_and_rest("Deputy Chief Inspector, Primary Medical") is None
    assert name_and_rest("SEND Peer Challenge") is None
