"""The analyses (inspectors, themes, compare, history, neighbours) on data/ and on the 29 corpus reports plus data/."""

from itertools import combinations

import pytest
from support.analytics_graphs import corpus_view, data_dataset, data_view

from sendgraph.analysis.compare import compare_areas, jaccard, theme_pairs
from sendgraph.errors import UsageError
from sendgraph.analysis.history import area_history
from sendgraph.analysis.inspectors import shared_inspectors
from sendgraph.analysis.neighbours import compare_neighbours
from sendgraph.analysis.network import find_area, inspections
from sendgraph.analysis.themes import theme_summary

LETTERS = "hartlepool-2016-and-middlesbrough-2017-send-inspection-letters.txt"


def by(rows, key):
    return {row[key]: row for row in rows}


# --- inspectors -----------------------------------------------------------------------------------


def test_on_data_only_the_lead_of_hartlepool_2016_and_middlesbrough_2017_worked_on_two_inspections():
    result = shared_inspectors(data_view())
    assert [p["name"] for p in result["inspectors"]] == ["Nick Whittaker"]
    whittaker = result["inspectors"][0]
    assert (whittaker["organisation"], whittaker["inspections"], whittaker["areas"], whittaker["led"]) == \
        ("Ofsted", 2, 2, 2)
    rows = [(r["area"], r["start_date"], r["end_date"], r["role"], r["lead"]) for r in result["inspections"]]
    assert rows == [("Hartlepool", "2016-10-03", "2016-10-07", "Lead Inspector", True),
                    ("Middlesbrough", "2017-03-20", "2017-03-24", "HMI Lead Inspector", True)]


def test_signatories_who_signed_several_letters_are_not_counted_as_team_members():
    result = shared_inspectors(data_view(), min_inspections=1)
    names = {p["name"] for p in result["inspectors"]}
    assert len(names) == 18
    # Cathryn (Cathy) Kirby, Ofsted Regional Director, and Ursula Gallagher, CQC, signed all three letters.
    assert not names & {"Cathryn Kirby", "Ursula Gallagher"}
    kirby = shared_inspectors(data_view(), name="Cathy Kirby")
    assert kirby["name"] == "Cathryn Kirby" and kirby["team_inspections"] == 0 and kirby["inspections"] == []
    assert kirby["organisation"] == "Ofsted"
    assert [(m["date"], m["capacity"]) for m in kirby["named_in_documents"]] == [
        ("2016-10-10", "signatory"), ("2017-05-19", "signatory"), ("2019-04-24", "signatory")]


def test_one_persons_record_shows_team_work_and_signatures_apart():
    record = shared_inspectors(data_view(), name="nick whittaker")
    assert record["team_inspections"] == 2
    assert [r["area"] for r in record["inspections"]] == ["Hartlepool", "Middlesbrough"]
    assert [(m["document"], m["capacity"]) for m in record["named_in_documents"]] == [
        (f"{LETTERS}#1", "signatory"), (f"{LETTERS}#2", "signatory")]
    with pytest.raises(UsageError, match="did you mean 'Nick Whittaker'"):
        shared_inspectors(data_view(), name="Nick Whitaker")


def test_area_network_of_data_has_degree_and_betweenness():
    result = shared_inspectors(data_dataset())  # an rdflib graph works as well as its view
    areas = by(result["areas"], "area")
    assert areas["Hartlepool"]["degree"] == areas["Middlesbrough"]["degree"] == 1
    assert areas["Stockton-on-Tees"]["degree"] == 0 and areas["Stockton-on-Tees"]["shared_inspectors"] == 0
    assert all(a["betweenness"] == 0 for a in result["areas"])  # two linked areas: nobody lies between
    assert result["links"] == [{"area_a": "Hartlepool", "area_b": "Middlesbrough", "weight": 1,
                                "shared": ["Nick Whittaker"]}]


def test_corpus_inspectors_who_worked_on_several_reports():
    result = shared_inspectors(corpus_view())
    people = by(result["inspectors"], "name")
    # Claire Mason (CQC) was on eight teams: lead in six, a team member at Bury 2024 and Oxfordshire 2023.
    mason = people["Claire Mason"]
    assert (mason["organisation"], mason["inspections"], mason["led"]) == ("CQC", 8, 6)
    assert result["inspectors"][0]["name"] == "Claire Mason"  # the most inspections of anyone
    mason_rows = {(r["area"], r["start_date"]): r["lead"] for r in result["inspections"] if r["name"] == "Claire Mason"}
    assert mason_rows[("Bury", "2024-02-12")] is False
    assert mason_rows[("Oxfordshire", "2023-07-13")] is False
    assert mason_rows[("Middlesbrough", "2023-10-09")] is True
    # David Mills (Ofsted) led Middlesbrough 2023, Kingston upon Hull 2023 and Durham 2024.
    mills = [r for r in result["inspections"] if r["name"] == "David Mills"]
    assert [(r["start_date"], r["lead"], r["organisation"]) for r in mills] == [
        ("2023-10-09", True, "Ofsted"), ("2023-11-20", True, "Ofsted"), ("2024-06-24", True, "Ofsted")]
    assert [r["area"] for r in mills][0] == "Middlesbrough" and mills[2]["area"] == "Durham"
    # Lucy Harte (CQC) inspected Middlesbrough under the 2016 framework and two areas under the 2023 one.
    harte = [(r["area"], r["start_date"], r["lead"]) for r in result["inspections"] if r["name"] == "Lucy Harte"]
    assert harte == [("Middlesbrough", "2017-03-20", False), ("Nottinghamshire", "2023-01-30", True),
                     ("North Northamptonshire", "2024-01-22", False)]
    assert people["Nick Whittaker"]["inspections"] == 2


def test_corpus_area_network_centrality():
    result = shared_inspectors(corpus_view())
    areas = by(result["areas"], "area")
    assert len(areas) == 30
    assert all(0 <= a["betweenness"] <= 1 for a in result["areas"])
    assert result["areas"] == sorted(result["areas"], key=lambda a: (-a["betweenness"], -a["degree"], a["area"]))
    # Middlesbrough is linked to Hull (Mason, Mills), Nottinghamshire (Harte), Hartlepool (Whittaker), ...
    links = {(l["area_a"], l["area_b"]): l for l in result["links"]}
    hull = next(k for k in links if "Middlesbrough" in k and any("Hull" in a for a in k))
    assert links[hull]["shared"] == ["Claire Mason", "David Mills"]
    assert areas["Middlesbrough"]["degree"] == sum(1 for k in links if "Middlesbrough" in k)
    assert areas["Middlesbrough"]["degree"] >= 5


# --- themes -----------------------------------------------------------------------------------------


def _themes_by_area_sparql(dataset):
    rows = dataset.query("""
        PREFIX sg: <https://w3id.org/sendgraph/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?area ?code WHERE {
          ?f a sg:Finding ; sg:aboutInspection ?i ; dcterms:subject ?t ; sg:findingKind ?k .
          ?t skos:notation ?code . ?i sg:area ?area .
          FILTER(?k NOT IN (<https://w3id.org/sendgraph/id/finding-kind/narrative>,
                            <https://w3id.org/sendgraph/id/finding-kind/other>))
        }""")
    found = {}
    for area, code in rows:
        found.setdefault(str(area), set()).add(str(code))
    return found


def test_themes_shared_by_all_areas_of_data():
    result = theme_summary(data_view())
    assert result["areas_with_findings"] == 3 and result["inspections_with_findings"] == 5
    shared = set(result["shared_by_all_areas"])
    # Each area's letters and reports raise strategic leadership and co-production; Stockton-on-Tees's
    # 2019 letter never mentions alternative provision.
    assert {"strategic-leadership", "coproduction"} <= shared
    assert "alternative-provision" not in shared
    by_area = _themes_by_area_sparql(data_dataset())
    assert shared == set.intersection(*by_area.values())
    assert {r["theme"] for r in result["themes"] if r["all_areas"]} == shared


def test_themes_by_kind_and_outcome_on_data():
    result = theme_summary(data_view())
    rows = {(r["theme"], r["kind"]): r for r in result["by_kind_and_outcome"]}
    # EHC plans late: a weakness of Hartlepool 2016 (WSOA) and of both positive 2023 reports.
    timeliness = rows[("ehc-timeliness", "weakness")]
    assert timeliness["wsoa_required"] >= 1 and timeliness["positive"] == 2
    assert timeliness["inspections"] == timeliness["wsoa_required"] + timeliness["positive"]
    # Priority actions only come with inconsistent or systemic outcomes, which data/ does not have.
    assert not any(kind == "priority_action" for _, kind in rows)
    for row in result["by_kind_and_outcome"]:
        assert row["areas"] <= row["inspections"]
    assert set(result["by_kind_and_outcome"][0]) == {"theme", "theme_label", "kind", "kind_label", "inspections",
                                                     "areas", "positive", "wsoa_required"}


def test_cooccurrence_and_weaker_outcomes_are_ranked_counts():
    result = theme_summary(data_view(), top=5)
    assert len(result["cooccurrence"]) == 5 and len(result["weaker_outcomes"]) <= 5
    counts = [r["findings"] for r in result["cooccurrence"]]
    assert counts == sorted(counts, reverse=True)
    assert all(r["theme_a"] < r["theme_b"] for r in result["cooccurrence"])
    for row in result["weaker_outcomes"]:
        assert row["of_weaker"] == 3  # the three 2016-framework letters required a written statement of action
        assert row["weaker_share"] == round(row["weaker_inspections"] / 3, 3)


def test_one_themes_findings_with_evidence_quotes():
    result = theme_summary(data_view(), theme="Local offer and information", kind="weakness")
    assert result["theme"] == "local-offer"
    quotes = {(r["area"], r["kind"], r["quote"]) for r in result["findings"]}
    assert ("Hartlepool", "significant_weakness",
            "weaknesses in providing the clear and timely information, advice and support that families need") in quotes
    assert all(r["kind"] in ("weakness", "significant_weakness") for r in result["findings"])
    sources = {r["source"] for r in result["findings"] if r["area"] == "Hartlepool"}
    assert sources == {f"{LETTERS}#1"}
    with pytest.raises(UsageError, match="did you mean 'local-offer'"):
        theme_summary(data_view(), theme="local-ofer")
    with pytest.raises(UsageError, match="unknown finding kind"):
        theme_summary(data_view(), theme="local-offer", kind="strenght-ish")


def test_corpus_themes_cover_every_area_and_priority_actions_come_with_weaker_outcomes():
    result = theme_summary(corpus_view())
    assert result["areas_with_findings"] == 30  # 29 corpus areas and Stockton-on-Tees
    assert result["inspections_with_findings"] == 32  # 29 reports and the three 2016-framework letters
    for row in result["by_kind_and_outcome"]:
        if row["kind"] == "priority_action":
            assert row["positive"] == 0 and row["inspections"] == row.get("inconsistent", 0) + row["systemic"]
    # Weaker outcomes: 14 inconsistent and 7 systemic reports, and the three letters requiring a WSOA.
    top = result["weaker_outcomes"][0]
    assert top["of_weaker"] == 24 and top["weaker_inspections"] >= 10
    # Weak strategic leadership and joint commissioning: in almost every weaker report, and far less
    # often in the others (tagged as careful readers tag it, leaders' evaluation and planning asked for
    # in a better report's areas for improvement count too).
    leadership = by(theme_summary(corpus_view(), top=None)["weaker_outcomes"], "theme")["strategic-leadership"]
    assert leadership["weaker_share"] >= 0.85
    assert leadership["weaker_share"] - leadership["other_share"] > 0.25


# --- compare ----------------------------------------------------------------------------------------


def test_compare_hartlepool_and_middlesbrough():
    result = compare_areas(data_view(), ["Hartlepool", "Middlesbrough Council"])
    assert result["areas_compared"] == ["Hartlepool", "Middlesbrough"]
    assert [(r["area"], r["inspections"], r["latest_outcome"]) for r in result["areas"]] == [
        ("Hartlepool", 2, "positive"), ("Middlesbrough", 3, "positive")]
    assert [(r["area"], r["start_date"], r["only_mentioned"]) for r in result["inspections"]] == [
        ("Hartlepool", "2016-10-03", False), ("Hartlepool", "2023-03-13", False),
        ("Middlesbrough", "2017-03-20", False), ("Middlesbrough", "2019-07-08", True),
        ("Middlesbrough", "2023-10-09", False)]
    assert [s["name"] for s in result["shared_inspectors"]] == ["Nick Whittaker"]
    assert result["shared_inspectors"][0]["inspections"] == ["Hartlepool 2016-10-03 (lead)",
                                                             "Middlesbrough 2017-03-20 (lead)"]
    organisations = by(result["shared_organisations"], "organisation")
    assert [o["kind"] for o in organisations.values()] == ["Integrated care board"]  # NHS North East and North Cumbria
    people = by(result["shared_people"], "name")
    assert people["Cathryn Kirby"]["roles"] == ["signatory"]
    assert people["Nick Whittaker"]["roles"] == ["lead inspector", "signatory"]
    assert "Sally Robinson" not in people  # Hartlepool's director only
    teams = by([t for t in result["teams"] if t["area"] == "Middlesbrough"], "start_date")
    assert teams["2023-10-09"]["leads"] == ["Claire Mason", "David Mills"]


def test_compare_similarity_is_the_documented_jaccard_index():
    G = data_view()
    result = compare_areas(G, ["Hartlepool", "Middlesbrough", "Stockton"])
    assert "Jaccard" in result["similarity_definition"]
    assert result["basis"] == ["Hartlepool 2023-03-13", "Middlesbrough 2023-10-09", "Stockton-on-Tees 2019-02-04"]
    latest = {name: [inspections(G, find_area(G, name))[-1]] for name in ("Hartlepool", "Middlesbrough",
                                                                            "Stockton-on-Tees")}
    rows = {(r["area_a"], r["area_b"]): r for r in result["similarity"]}
    assert len(rows) == 3
    for a, b in combinations(("Hartlepool", "Middlesbrough", "Stockton-on-Tees"), 2):
        pa, pb = theme_pairs(G, latest[a]), theme_pairs(G, latest[b])
        assert rows[(a, b)]["similarity"] == round(jaccard(pa, pb), 3)
        assert rows[(a, b)]["shared_pairs"] == len(pa & pb) and rows[(a, b)]["all_pairs"] == len(pa | pb)
        assert 0 < rows[(a, b)]["similarity"] < 1
    matrix = by(result["themes"], "theme")
    # Hartlepool 2023: "The waiting times for a diagnosis on the neurodevelopmental pathway and for speech
    # and language therapy are too long."
    assert matrix["speech-language-therapy"]["Hartlepool weaknesses"] >= 1
    assert set(matrix["coproduction"]) == {"theme", "theme_label"} | {f"{a} {s}" for a in ("Hartlepool", "Middlesbrough",
                                                                           "Stockton-on-Tees")
                                                       for s in ("strengths", "weaknesses")}
    organisations = {o["organisation"]: o["areas"] for o in result["shared_organisations"]}
    ccg = [name for name in organisations if "Stockton" in name]
    assert len(ccg) == 1 and organisations[ccg[0]] == ["Hartlepool", "Stockton-on-Tees"]


def test_compare_needs_two_known_areas():
    with pytest.raises(UsageError, match="at least two"):
        compare_areas(data_view(), ["Hartlepool", "hartlepool borough council"])
    with pytest.raises(UsageError, match="did you mean 'Middlesbrough'"):
        compare_areas(data_view(), ["Hartlepool", "Midlesbrough"])


def test_compare_on_the_corpus_gateshead_and_durham():
    result = compare_areas(corpus_view(), ["Gateshead", "County Durham"])
    assert [s["name"] for s in result["shared_inspectors"]] == ["Louise Holland"]  # CQC inspector at both
    assert [o["kind"] for o in result["shared_organisations"]] == ["Integrated care board"]
    outcomes = {r["area"]: r["latest_outcome"] for r in result["areas"]}
    assert outcomes == {"Gateshead": "inconsistent", "Durham": "inconsistent"}


# --- history ----------------------------------------------------------------------------------------


def test_hartlepool_history_from_its_2016_written_statement_of_action_to_its_2023_positive_outcome():
    result = area_history(data_view(), "hartlepool")
    timeline = [(r["start_date"], r["type"], r["outcome"], r["only_mentioned"]) for r in result["inspections"]]
    assert timeline == [("2016-10-03", "JointLocalAreaInspection", "wsoa_required", False),
                        ("2023-03-13", "AreaSendInspection", "positive", False)]
    first = result["inspections"][0]
    assert first["reported_by"] == [f"{LETTERS}#1"]
    assert first["mentioned_by"] == ["hartlepool-2023-area-send-inspection.txt"]  # its "previous inspection" line
    assert first["leads"] == ["Nick Whittaker"]
    assert [(s["from"], s["to"], s["from_outcome"], s["to_outcome"]) for s in result["summary"]] == [
        ("2016-10-03", "2023-03-13", "wsoa_required", "positive")]
    status = {r["theme"]: r["status"] for r in result["changes"]}
    # 2016: "Too few assessments are completed within the statutory timescales." 2023: "Too many education,
    # health and support assessments are not completed within the statutory timescales."
    assert status["ehc-timeliness"] == "recurs"
    # 2016 significant weakness: information, advice and support (the local offer); not a 2023 weakness.
    assert status["local-offer"] in ("now a strength", "no longer raised")
    # 2023: "Leaders do not have a comprehensive strategy for the identification of alternative provision".
    assert status["alternative-provision"] == "new weakness"
    summary = result["summary"][0]
    assert "ehc-timeliness" in summary["recurs"] and "alternative-provision" in summary["new_weakness"]


def test_middlesbrough_history_from_2017_through_the_2019_revisit_to_2023():
    result = area_history(data_view(), "Middlesbrough Borough Council")
    timeline = [(r["start_date"], r["end_date"], r["outcome"], r["only_mentioned"]) for r in result["inspections"]]
    assert timeline == [("2017-03-20", "2017-03-24", "wsoa_required", False),
                        ("2019-07-08", "2019-07-10", result["inspections"][1]["outcome"], True),
                        ("2023-10-09", "2023-10-13", "positive", False)]
    revisit = result["inspections"][1]
    assert revisit["findings"] == 0 and revisit["reported_by"] == []
    assert "middlesbrough-2023-area-send-inspection.txt" in revisit["mentioned_by"]
    # The revisit has no findings, so the weaknesses of 2017 are compared with 2023.
    assert [(s["from"], s["to"]) for s in result["summary"]] == [("2017-03-20", "2023-10-09")]
    status = {r["theme"]: r["status"] for r in result["changes"]}
    # 2017: "The quality of support plans and EHC plans is too variable." 2023: "Some EHC plans do not
    # always contain the full picture of the child and young person's needs."
    assert status["ehc-plan-quality"] == "recurs"
    # 2017: "fundamental weaknesses in the strategic leadership, governance and implementation of the
    # reforms"; 2023: "The joint commissioning arrangements ... are effective."
    assert status["strategic-leadership"] == "now a strength"
    assert status["local-offer"] != "recurs"  # 2017: "The local offer is poor"; no 2023 weakness
    for row in result["changes"]:
        assert (row["status"] == "recurs") == (row["earlier_weaknesses"] > 0 and row["later_weaknesses"] > 0)


def test_history_on_the_corpus_includes_inspections_only_mentioned():
    result = area_history(corpus_view(), "Bury")
    assert [(r["start_date"], r["only_mentioned"], r["mentioned_by"]) for r in result["inspections"]] == [
        ("2019-05-13", True, ["bury.pdf"]), ("2024-02-12", False, [])]
    assert result["inspections"][1]["outcome"] == "systemic"
    assert result["summary"] == [] and result["changes"] == []  # one inspection with findings: nothing to compare
    hartlepool = area_history(corpus_view(), "Hartlepool")
    assert [r["start_date"] for r in hartlepool["inspections"]] == ["2016-10-03", "2023-03-13"]
    # The PDF and the text of the 2023 report are two documents of one inspection.
    assert sorted(hartlepool["inspections"][1]["reported_by"]) == ["hartlepool-2023-area-send-inspection.txt",
                                                                   "hartlepool.pdf"]


def test_history_of_an_unknown_area():
    with pytest.raises(UsageError, match="Sunderland has no inspection in this graph"):
        area_history(data_view(), "Sunderland City Council")


# --- neighbours -------------------------------------------------------------------------------------


def test_hartlepool_against_its_statistical_neighbours_in_data():
    result = compare_neighbours(data_view(), "Hartlepool")
    assert result["neighbours_in_graph"] == ["Middlesbrough"]  # Stockton-on-Tees is not one of them
    assert "Sunderland" in result["neighbours_not_in_graph"]
    assert [(r["area"], r["relation"], r["outcome"]) for r in result["outcomes"]] == [
        ("Hartlepool", "area", "positive"), ("Middlesbrough", "neighbour 5", "positive")]
    assert result["differences"][0]["aspect"] == "outcome"
    for row in result["themes"]:
        assert row["neighbours_compared"] == 1
        assert bool(row["differs"]) == any(d["aspect"] == f"theme {row['theme_label']}" for d in result["differences"])


def test_an_area_with_no_neighbour_in_the_graph():
    result = compare_neighbours(data_view(), "Stockton-on-Tees")
    assert result["neighbours_in_graph"] == []
    assert [r["area"] for r in result["outcomes"]] == ["Stockton-on-Tees"]
    assert all(r["neighbours_compared"] == 0 and r["differs"] == "" for r in result["themes"])


def test_hartlepool_against_its_neighbours_in_the_corpus():
    result = compare_neighbours(corpus_view(), "Hartlepool")
    assert result["neighbours_in_graph"] == ["Middlesbrough", "Gateshead", "Durham", "Halton", "Rotherham"]
    outcomes = {r["area"]: r["outcome"] for r in result["outcomes"]}
    assert outcomes == {"Hartlepool": "positive", "Middlesbrough": "positive", "Gateshead": "inconsistent",
                        "Durham": "inconsistent", "Halton": "systemic", "Rotherham": "positive"}
    outcome = result["differences"][0]
    assert outcome["aspect"] == "outcome"
    # In words: the outcomes' labels, not their codes.
    assert outcome["difference"] == (
        "Positive experiences and outcomes here; neighbours: 2 positive experiences and outcomes, 2 inconsistent "
        "experiences and outcomes, 1 widespread and/or systemic failings (3 of 5 weaker; 3 with a weaker outcome "
        "than here, 0 with a better one)")
    assert all(r["neighbours_compared"] == 5 for r in result["themes"])
