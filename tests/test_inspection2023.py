"""Golden tests: every field users check, for real 2023-framework reports (corpus PDFs and bundled text)."""

import json
import re

import pytest

from support.paths import DATA, GOLDEN, corpus_pdf
from sendgraph.read.extract import read_report
from sendgraph.read.inspection2023 import _team_entries, parse
from sendgraph.read.textnorm import paragraphs

GOLDEN_FILES = sorted((GOLDEN / "corpus").glob("*.json"))


def _summary(record):
    import importlib.util
    import sys
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("make_golden", Path(__file__).resolve().parent.parent / "tools" / "make_golden.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_golden", module)
    spec.loader.exec_module(module)
    return module.summary(record)


@pytest.fixture(scope="module")
def corpus_records():
    out = {}
    for golden in GOLDEN_FILES:
        (record,) = read_report(corpus_pdf(golden.stem))
        out[golden.stem] = _summary(record)
    return out


def test_golden_set_is_a_good_share_of_the_corpus():
    assert len(GOLDEN_FILES) >= 25


FIELDS = ["document_type", "title", "area", "gss_code", "inspection", "organisations", "leaders", "inspectors",
          "finding_counts", "priority_actions", "improvements", "mentions"]


@pytest.mark.parametrize("field", FIELDS)
def test_corpus_field_matches_golden(corpus_records, field):
    wrong = []
    for golden in GOLDEN_FILES:
        expected = json.loads(golden.read_text(encoding="utf-8"))[field]
        actual = json.loads(json.dumps(corpus_records[golden.stem][field]))
        if actual != expected:
            wrong.append(f"{golden.stem}: expected {expected!r}, got {actual!r}")
    assert not wrong, "\n".join(wrong)


def test_middlesbrough_2023_text_report():
    (record,) = read_report(DATA / "middlesbrough-2023-area-send-inspection.txt")
    assert record["area"] == "Middlesbrough"
    assert record["gss_code"] == "E06000002"
    assert record["inspection"]["start_date"] == "2023-10-09"
    assert record["inspection"]["end_date"] == "2023-10-13"
    assert record["inspection"]["previous"] == {"start_date": "2019-07-08", "end_date": "2019-07-10"}
    assert record["inspection"]["outcome"] == "positive"
    assert record["inspection"]["next_full_within"] == "P5Y"
    assert record["inspection"]["monitoring_within"] is None
    kinds = [f["kind"] for f in record["findings"]]
    assert kinds.count("strength") == 13
    assert kinds.count("weakness") == 7
    assert kinds.count("improvement") == 3
    assert kinds.count("priority_action") == 0
    assert [(i["name"], i["organisation"], i["lead"]) for i in record["inspectors"]] == [
        ("David Mills", "Ofsted", True),
        ("Jo Warburton", "Ofsted", False),
        ("Jacquie Brown", "Ofsted", False),
        ("Claire Mason", "CQC", True),
        ("Rebecca Hogan", "CQC", False),
    ]
    leaders = {(p["name"], p["capacity"], p["organisation"]) for p in record["people"]}
    assert ("Joe Tynan", "la_leader", "Middlesbrough Council") in leaders
    assert ("Samantha Allen", "icb_leader", "NHS North East and North Cumbria") in leaders
    orgs = {(o["name"], o["kind"], o["gss_code"]) for o in record["organisations"]}
    assert ("Middlesbrough Council", "local_authority", "E06000002") in orgs
    assert ("NHS North East and North Cumbria", "icb", None) in orgs


def test_hartlepool_2023_text_report():
    (record,) = read_report(DATA / "hartlepool-2023-area-send-inspection.txt")
    assert (record["area"], record["gss_code"]) == ("Hartlepool", "E06000001")
    assert record["inspection"]["previous"] == {"start_date": "2016-10-03", "end_date": "2016-10-07"}
    kinds = [f["kind"] for f in record["findings"]]
    assert (kinds.count("strength"), kinds.count("weakness"), kinds.count("improvement")) == (9, 4, 3)
    assert [i["name"] for i in record["inspectors"] if i["lead"]] == ["Alex Thorp", "Lyndsey McGeary"]
    icbs = [o["name"] for o in record["organisations"] if o["kind"] == "icb"]
    assert icbs == ["North East and North Cumbria"]
    sally = next(p for p in record["people"] if p["name"] == "Sally Robinson")
    assert sally["title"] == "Director, Children's and Joint Commissioning Services"


def test_team_entries_run_together_on_one_line():
    entries = _team_entries("Una Buckley, HMI, Ofsted Lead inspector Lesley Perry, CQC Lead inspector")
    assert [" ".join(e["name"]) for e in entries] == ["Una Buckley", "Lesley Perry"]
    entries = _team_entries("Adam Sproston HMI, Ofsted lead inspector Kaye Goodfellow, CQC lead inspector")
    assert [" ".join(e["name"]) for e in entries] == ["Adam Sproston", "Kaye Goodfellow"]


@pytest.mark.parametrize("heads", ["Ofsted\tCare Quality Commission", "Ofsted inspectors\tCare Quality Commission (CQC)"])
def test_team_members_with_particles_and_accents_are_kept(heads):
    # Regression: "van der Berg", "d'Souza" and "Ó Briain" failed the name check and the inspector was dropped.
    text = (
        "Area SEND inspection of Testshire Local Area Partnership\n\nInspection dates: 1 to 5 May 2024\n\n"
        "Inspection team\n\n"
        f"{heads}\n"
        "Tom van der Berg, Ofsted HMI, lead inspector\tSeán Ó Briain, CQC lead inspector\n"
        "Jane d'Souza, Ofsted Inspector\tAnn Marie de la Cruz, CQC inspector\n"
    )
    record = parse(paragraphs(text))
    team = {(i["name"], i["organisation"], i["lead"]) for i in record["inspectors"]}
    assert team == {
        ("Tom van der Berg", "Ofsted", True),
        ("Seán Ó Briain", "CQC", True),
        ("Jane d'Souza", "Ofsted", False),
        ("Ann Marie de la Cruz", "CQC", False),
    }


def test_priority_action_table_rows_and_page_breaks():
    text = (
        "Area SEND inspection of Testshire Local Area Partnership\n\nInspection dates: 1 to 5 May 2024\n\n"
        "Inspection outcome\n\nThere are widespread and/or systemic failings leading to significant concerns.\n\n"
        "Areas for priority action\n\n"
        "Responsible body\tAreas for priority action\n"
        "Testshire County\tLeaders should improve the timeliness of EHC plans\n"
        "Council\tso that needs are met.\n"
        "Testshire County\tLeaders should reduce waiting times for speech and\n"
        "\tlanguage therapy.\n\f\n"
        "Council\tand, while children wait, support them.\n"
        "\n\nAreas for improvement\n\nLeaders should improve co-production.\n"
    )
    record = parse(paragraphs(text))
    actions = [f["text"] for f in record["findings"] if f["kind"] == "priority_action"]
    assert actions == [
        "Leaders should improve the timeliness of EHC plans so that needs are met.",
        "Leaders should reduce waiting times for speech and language therapy. and, while children wait, support them.",
    ]
    assert record["inspection"]["outcome"] == "systemic"
    assert [f["text"] for f in record["findings"] if f["kind"] == "improvement"] == ["Leaders should improve co-production."]


def test_improvements_printed_as_a_responsible_body_table_are_rows():
    text = (
        "Area SEND inspection of Testshire Local Area Partnership\n\nInspection dates: 1 to 5 May 2024\n\n"
        "Inspection outcome\n\nThe local area partnership's arrangements lead to inconsistent experiences and outcomes.\n\n"
        "Areas for improvement\n\n"
        "Responsible body\tAreas for improvement\n"
        "Testshire County Council\tLeaders should improve the quality of EHC plans. They\n"
        "\tshould check plans are updated.\n"
        "NHS Testshire ICB\tLeaders should reduce waits for assessments.\n"
        "\n\nLocal area partnership details\n\n"
    )
    record = parse(paragraphs(text))
    assert [f["text"] for f in record["findings"] if f["kind"] == "improvement"] == [
        "Leaders should improve the quality of EHC plans. They should check plans are updated.",
        "Leaders should reduce waits for assessments.",
    ]


@pytest.mark.parametrize(
    "header",
    [
        "Inspection dates: 1 to 5 May 2024\nDate of previous inspection: 8 to 12 May 2017",
        "Dates of inspection: 1 to 5 May 2024\nPrevious inspection dates: 8 to 12 May 2017",
    ],
)
def test_header_dates_under_either_label(header):
    text = (
        "Area SEND inspection of Testshire Local Area Partnership\n\n" + header + "\n\nInspection outcome\n\n"
        "The local area partnership's arrangements typically lead to positive experiences and outcomes.\n"
    )
    inspection = parse(paragraphs(text))["inspection"]
    assert (inspection["start_date"], inspection["end_date"]) == ("2024-05-01", "2024-05-05")
    assert inspection["previous"] == {"start_date": "2017-05-08", "end_date": "2017-05-12"}
    assert inspection["outcome"] == "positive"


def test_priority_actions_keep_their_responsible_body():
    # The "Responsible body" column of the priority-action table, printed over several lines per row.
    records = read_report(corpus_pdf("bury"))
    actions = [f for f in records[0]["findings"] if f["kind"] == "priority_action"]
    assert len(actions) == 6
    assert {f["responsible_body"] for f in actions} == {"Bury Metropolitan Borough Council and NHS Greater Manchester ICB"}
    suffolk = [f for f in read_report(corpus_pdf("suffolk"))[0]["findings"] if f["kind"] == "priority_action"]
    assert suffolk and all("Suffolk County Council" in f["responsible_body"] for f in suffolk)
    assert all(f["responsible_body"] is None for f in records[0]["findings"] if f["kind"] in ("strength", "weakness"))


@pytest.mark.parametrize("dash", ["-", "\u2013", "\u2212", "\u2014", "\u2012"])
def test_sub_bullets_after_any_dash_glyph_stay_in_their_recommendation(dash, tmp_path):
    """Regression: sub-bullets opened by a minus sign or another dash were read as recommendations of
    their own (the hyphen and the en dash were the only dashes known as bullets)."""
    text = (DATA / "middlesbrough-2023-area-send-inspection.txt").read_text(encoding="utf-8")
    first = "Leaders should continue to implement their strategy to reduce suspensions."
    assert first in text
    # each sub-bullet a paragraph of its own, as a PDF's gaps make them
    text = text.replace(first, first[:-1] + " by:\n\n" + f"{dash} Working with schools.\n\n{dash}\tChallenging them early.\n", 1)
    path = tmp_path / "report.txt"
    path.write_text(text, encoding="utf-8")
    (record,) = read_report(path)
    improvements = [f["text"] for f in record["findings"] if f["kind"] == "improvement"]
    assert len(improvements) == 3, improvements
    assert "Working with schools" in improvements[0] and "Challenging them early" in improvements[0]


# ---------------------------------------------------------------------------------------------
# Every recommendation counted: what separates two recommendations printed close together, and
# what keeps the last one of a section.


def _kind(record, kind):
    return [f for f in record["findings"] if f["kind"] == kind]


def test_recommendations_in_the_rows_of_a_ruled_table_are_counted_apart():
    """Regression: Bury, Halton and Southend-on-Sea print their areas for improvement as the rows of a
    one-column table, with nothing between two rows but the rule; where a row's last line was full,
    the next row was read as part of it (the goldens had 2, 3 and 5 improvements; the reports print
    3, 4 and 6). A rule across both lines between a finished sentence and a capital ends the paragraph."""
    bury = _kind(read_report(corpus_pdf("bury"))[0], "improvement")
    assert len(bury) == 3
    assert bury[1]["text"].endswith("providing support so that this policy is clearly understood.")
    assert bury[2]["text"].startswith("Leaders across the partnership should work collaboratively to create a partnership-wide")
    assert bury[2]["text"].endswith("with SEND, from birth to 25.")  # the row goes on over the page break
    halton = [f["text"] for f in _kind(read_report(corpus_pdf("halton"))[0], "improvement")]
    assert len(halton) == 4
    assert halton[1].endswith("improve the quality of new and existing EHC plans.")
    assert halton[2].startswith("Leaders should ensure that communication with stakeholders")


def test_recommendations_set_off_by_a_small_gap_are_counted_apart():
    """Regression: two recommendations printed with less space between them than the paragraph gap
    the layout knew, the first ending in a full line, were read as one. Newham's page 6 with the third
    recommendation and all below moved up to the spacing Medway prints (a gap under half a line, a line
    pitch about 1.15 times the usual): the wider pitch after a finished sentence ends the paragraph."""
    import pypdfium2 as pdfium

    from sendgraph.read import pdftext
    from sendgraph.read.extract import parse_report
    from support.pdfedit import shift_text

    opening = "The local area partnership should improve the transition arrangements"
    data = shift_text(corpus_pdf("newham"), 5, opening, 4.3)
    lines = pdftext._page_lines(pdfium.PdfDocument(data)[5].get_textpage())
    upper, lower = next((a, b) for a, b in zip(lines, lines[1:]) if b.text().startswith(opening))
    # the fixture is what it says: no paragraph gap, the first recommendation's last line not short
    assert upper.bottom - lower.top < pdftext.PARAGRAPH_GAP * (upper.top - upper.bottom)
    assert upper.text().endswith("needs and outcomes.")
    margin, right_edge = min(line.left for line in lines), max(line.right for line in lines)
    assert not pdftext._ends_paragraph(upper, upper.text(), lower.text(), right_edge - margin, right_edge)
    (record,) = parse_report(pdftext.pdf_text(data), "newham-closer.pdf")
    texts = [f["text"] for f in _kind(record, "improvement")]
    assert len(texts) == 5
    assert texts[1].endswith("all aspects of children and young people's needs and outcomes.")
    assert texts[2].startswith(opening)


def test_the_last_priority_action_is_its_own_row_when_the_body_cell_above_runs_to_the_end():
    """Regression: a row of the priority-action table started only with the first row's body, or after
    a line with no body; where the row above had its body cell as long as its text, and its own body
    was another (the ICB alone), the last priority action was read into the one before. Nottinghamshire's
    table, its first row's last line moved up beside the end of its body cell."""
    from sendgraph.read.extract import parse_report
    from sendgraph.read.pdftext import pdf_text

    text = pdf_text(corpus_pdf("nottinghamshire").read_bytes())
    printed = "Care Board\t\tissuing of EHC plans and holistic oversight of these plans\n\tthrough annual reviews.\n"
    assert printed in text
    text = text.replace(printed, "Care Board\t\tissuing of EHC plans and holistic oversight of these plans through annual reviews.\n")
    (record,) = parse_report(text, "nottinghamshire.txt")
    actions = _kind(record, "priority_action")
    assert [f["responsible_body"] for f in actions] == [
        "Nottinghamshire County Council and NHS Nottingham and Nottinghamshire Integrated Care Board",
        "NHS Nottingham and Nottinghamshire Integrated Care Board",
    ]
    assert actions[0]["text"].endswith("through annual reviews.")
    assert actions[1]["text"].startswith("Leaders, including commissioners and providers, should act urgently")


def test_the_heading_after_the_last_recommendation_ends_it_without_a_full_stop():
    """Regression: a last recommendation ending in a sub-bullet without a full stop, printed close to
    the "Local area partnership details" heading, took in the heading and the whole details table (13
    areas for improvement instead of 5, and no leaders). Newham's text with the page break after its
    last recommendation, and that recommendation's final full stop, taken out."""
    from sendgraph.read.extract import parse_report
    from sendgraph.read.pdftext import pdf_text

    text = pdf_text(corpus_pdf("newham").read_bytes())
    end = re.search(r"received SEN support at school\.\n\n◼\n\n[^\f]*\f", text)
    assert end, "Newham's last recommendation is no longer printed as it was"
    text = text[: end.start()] + "received SEN support at school\n" + text[end.end():]
    (record,) = parse_report(text, "newham.txt")
    improvements = [f["text"] for f in _kind(record, "improvement")]
    assert len(improvements) == 5
    assert improvements[-1].endswith("• post-16 education for those who received SEN support at school")
    assert [p["name"] for p in record["people"]] == ["Laura Eden", "Zina Etheridge"]


@pytest.mark.parametrize(
    "name, printed, moved, la, leader",
    [
        # the leader's name and title run on after the council's name, in its cell
        ("bolton",
         "Bolton Council\tNHS Greater Manchester ICB\n\nMs Bernie Brown, Director of Children’s\t\tMark Fisher, Chief Executive\n\nServices\n",
         "Bolton Council Ms Bernie Brown, Director of\tNHS Greater Manchester ICB\n\nChildren’s Services\t\tMark Fisher, Chief Executive\n",
         "Bolton Council", ("Bernie Brown", "Director of Children's Services", "Ms")),
        # after the last line of a council's name printed over two lines, with a comma
        ("gateshead",
         "Council\n\nHelen Fergusson\t\tSam Allen\nDirector of Children’s Services and\t\tCEO NHS North East and North Cumbria\nLifelong Learning\t\t",
         "Council, Helen Fergusson, Director of\t\tSam Allen\nChildren’s Services and Lifelong Learning\t\tCEO NHS North East and North Cumbria\n\t\t",
         "Gateshead Metropolitan Borough Council", ("Helen Fergusson", "Director of Children's Services and Lifelong Learning", None)),
    ],
)
def test_a_local_authority_cell_that_holds_its_leader_is_split_into_both(name, printed, moved, la, leader):
    """Regression: where the local authority's cell of the details table went on with its leader's name
    and title, all of it was read as the council's name and the leader was lost. A real page's table
    with the leader moved into the council's cell."""
    from sendgraph.read.extract import parse_report
    from sendgraph.read.pdftext import pdf_text

    text = pdf_text(corpus_pdf(name).read_bytes())
    assert printed in text
    (record,) = parse_report(text.replace(printed, moved), f"{name}.txt")
    assert [o["name"] for o in record["organisations"] if o["kind"] == "local_authority"] == [la]
    (person,) = [p for p in record["people"] if p["capacity"] == "la_leader"]
    assert (person["name"], person["title"], person["honorific"], person["organisation"]) == (*leader, la)
    (expected,) = read_report(corpus_pdf(name))  # the ICB's column as printed
    assert [p for p in record["people"] if p["capacity"] == "icb_leader"] == [
        p for p in expected["people"] if p["capacity"] == "icb_leader"]


def test_recommendations_printed_as_bullets_are_not_taken_for_sub_bullets():
    """Regression: areas for improvement printed as a bulleted list were read as one, each bullet after
    the first taken for a sub-bullet of the one before. Medway's page with each recommendation opened
    by a bullet: a bullet that opens as a recommendation ("Leaders ... should") after a finished
    sentence is one; its own sub-bullets ("- improve equity ...") stay inside it."""
    from sendgraph.read.extract import parse_report
    from sendgraph.read.pdftext import pdf_text

    text = pdf_text(corpus_pdf("medway").read_bytes())
    start = text.index("Areas for improvement\nLeaders across") + len("Areas for improvement\n")
    end = text.index("Local area partnership details")
    section = re.sub(r"(?m)^(?=Leaders )", "◼\t", text[start:end])
    assert section.count("◼\tLeaders") == 6
    (record,) = parse_report(text[:start] + section + text[end:], "medway.txt")
    improvements = [f["text"] for f in _kind(record, "improvement")]
    assert len(improvements) == 6
    assert improvements[1].startswith("Leaders across the partnership should improve communication to: • improve equity")
    assert improvements[1].endswith("• ensure that all professionals have appropriate access to information they need to support children and young people with SEND.")
    assert improvements[5].startswith("Leaders should ensure that they improve children's and young people's access")


def test_a_ruled_row_that_ends_without_a_full_stop_is_still_its_own_recommendation():
    """Regression: a rule between two rows of a one-column table ended a paragraph only after a
    finished sentence, so a recommendation ending without a full stop (a list's last item, say) took
    in the next row. Bury's real page with the full stop of its second area for improvement taken out:
    a rule after a row of more than one line, before a capital, ends it."""
    from sendgraph.read.extract import parse_report
    from sendgraph.read.pdftext import pdf_text
    from support.pdfedit import retext

    data = retext(corpus_pdf("bury"), 8, "understood.", "understood")
    (record,) = parse_report(pdf_text(data), "bury-no-stop.pdf")
    texts = [f["text"] for f in _kind(record, "improvement")]
    assert len(texts) == 3
    assert texts[1].endswith("providing support so that this policy is clearly understood")
    assert texts[2].startswith("Leaders across the partnership should work collaboratively")
