"""Entity resolution decisions on small records: who is one person, which organisations are one, which inspections."""

import hashlib
import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.namespace import FOAF, OWL

from support.analytics_graphs import corpus_records

from sendgraph.graph import iri
from sendgraph.vocab import ORG, SG
from sendgraph.graph.build import build_graph
from sendgraph.graph.files import sorted_ntriples
from sendgraph.read.records import new_record
from sendgraph.graph.resolve import compatible_given, document_order, health_core, organisation_identity, resolve, given_and_family


def record(n, area="Hartlepool", gss="E06000001", document_type="area_send_inspection_2023", start=None, **fields):
    r = new_record(document_type)
    r["source"] = f"doc{n}.txt"
    r["sha256"] = hashlib.sha256(f"document {n}".encode()).hexdigest()
    r["title"] = f"Document {n}"
    r["area"] = area
    r["gss_code"] = gss
    r["inspection"]["start_date"] = start
    if start:
        r["inspection"]["end_date"] = start[:-2] + "%02d" % (int(start[-2:]) + 4)
    for key, value in fields.items():
        r[key] = value
    return r


def inspector(name, organisation="Ofsted", role="Ofsted HMI", lead=False):
    return {"name": name, "organisation": organisation, "role": role, "lead": lead}


def person(name, organisation, title="Director of Children's Services", capacity="la_leader"):
    return {"name": name, "title": title, "organisation": organisation, "capacity": capacity}


def people_of(records):
    result = resolve(document_order(records))
    return result, sorted(p.name for p in result.people.values())


# --- first names ------------------------------------------------------------------------------


def test_compatible_first_names():
    assert compatible_given("Jo", "Joanna") == "short form"
    assert compatible_given("Cathy", "Cathryn") == "short form"
    assert compatible_given("Jackie", "Jacquie") == "short forms of one name"
    assert compatible_given("J.", "Joanna") == "initial"
    assert compatible_given("Nick", "nick") == "same"
    assert compatible_given("Paul", "Paula") is None
    assert compatible_given("John", "Joan") is None
    assert compatible_given("Joanna", "Josephine") is None
    assert compatible_given("Cathryn", "Catherine") is None  # two long forms: different spellings, not evidence
    assert compatible_given("", "Jo") is None


def test_split_name_drops_titles_and_post_nominals():
    assert given_and_family("Ms Cathryn Kirby HMI") == ("Cathryn", "Kirby")
    assert given_and_family("Dr Karen Collins-Beckett") == ("Karen", "Collins-Beckett")
    assert given_and_family("Anna van der Berg") == ("Anna", "van der Berg")


# --- people -----------------------------------------------------------------------------------


def test_short_and_long_first_name_with_title_is_one_person():
    records = [
        record(1, start="2023-03-13", inspectors=[inspector("Jo Warburton")]),
        record(2, start="2023-10-09", area="Middlesbrough", gss="E06000002", inspectors=[inspector("Ms Joanna Warburton HMI")]),
    ]
    result, names = people_of(records)
    assert names == ["Joanna Warburton"]
    (decision,) = [d for d in result.decisions if d.rule == "person-name"]
    assert decision.decision == "merged"
    assert set(decision.printed) >= {"Jo Warburton", "Ms Joanna Warburton HMI"}
    assert "Jo / Joanna" in decision.reason and "same organisation" in decision.reason


def test_same_names_in_different_organisations_stay_apart_with_the_decision_recorded():
    records = [
        record(1, people=[person("Cathy Kirby", "Hartlepool Borough Council")]),
        record(2, area="Middlesbrough", gss="E06000002", people=[person("Cathryn Kirby", "Middlesbrough Council")]),
    ]
    result, names = people_of(records)
    assert names == ["Cathryn Kirby", "Cathy Kirby"]
    (decision,) = [d for d in result.decisions if d.rule == "person-name"]
    assert decision.decision == "kept apart"
    assert "different organisations" in decision.reason
    assert len(decision.entities) == 2


def test_incompatible_first_names_stay_apart():
    records = [record(1, inspectors=[inspector("Paul Smith")]), record(2, inspectors=[inspector("Paula Smith")])]
    _result, names = people_of(records)
    assert names == ["Paul Smith", "Paula Smith"]


def test_two_names_in_one_document_are_two_people():
    records = [record(1, inspectors=[inspector("Jo Smith"), inspector("Joanna Smith")])]
    _result, names = people_of(records)
    assert names == ["Jo Smith", "Joanna Smith"]


def test_a_short_name_fitting_two_people_is_kept_apart():
    records = [
        record(1, inspectors=[inspector("Joanna Smith")]),
        record(2, inspectors=[inspector("Josephine Smith")]),
        record(3, inspectors=[inspector("Jo Smith")]),
    ]
    result, names = people_of(records)
    assert names == ["Jo Smith", "Joanna Smith", "Josephine Smith"]
    assert any(d.decision == "kept apart" and "more than one person" in d.reason for d in result.decisions)


def test_without_organisation_the_role_must_agree():
    same_role = [
        record(1, people=[person("Sam Allen", None, title="Chief Executive")]),
        record(2, people=[person("Samantha Allen", None, title="Chief Executive")]),
    ]
    assert people_of(same_role)[1] == ["Samantha Allen"]
    other_role = [
        record(1, people=[person("Sam Allen", None, title="Chief Executive")]),
        record(2, people=[person("Samantha Allen", None, title="School nurse")]),
    ]
    assert people_of(other_role)[1] == ["Sam Allen", "Samantha Allen"]


# --- organisations ----------------------------------------------------------------------------


def test_organisation_identity():
    assert organisation_identity("Middlesbrough Borough Council", "local_authority") == ("local_authority", "E06000002")
    assert organisation_identity("Middlesbrough Council") == ("local_authority", "E06000002")
    assert organisation_identity("Care Quality Commission") == ("inspectorate", "cqc")
    assert organisation_identity("CQC") == ("inspectorate", "cqc")
    assert organisation_identity("NHS North East and North Cumbria Integrated Care Board (ICB)") == (
        "icb", "north-east-and-north-cumbria")
    assert organisation_identity("South Tees Clinical Commissioning Group") == ("ccg", "south-tees")
    assert organisation_identity("Department for Education") == ("other", "department-for-education")
    assert health_core("NHS Cheshire and Merseyside ICB") == "Cheshire and Merseyside"


def test_councils_and_icbs_named_differently_are_one_organisation():
    records = [
        record(1, area="Middlesbrough", gss="E06000002", organisations=[
            {"name": "Middlesbrough Borough Council", "kind": "local_authority", "gss_code": None},
            {"name": "NHS North East and North Cumbria Integrated Care Board", "kind": "icb", "gss_code": None}]),
        record(2, area="Middlesbrough", gss="E06000002", organisations=[
            {"name": "Middlesbrough Council", "kind": "local_authority", "gss_code": "E06000002"},
            # printed without NHS/ICB and taken for a council by the extractor: an ICB leader's body
            {"name": "North East and North Cumbria", "kind": "local_authority", "gss_code": None}],
            people=[person("Samantha Allen", "North East and North Cumbria", capacity="icb_leader")]),
    ]
    result = resolve(document_order(records))
    kinds = sorted((o.kind, o.key) for o in result.organisations.values())
    assert kinds == [("icb", "north-east-and-north-cumbria"), ("local_authority", "E06000002")]
    council = result.organisations[("local_authority", "E06000002")]
    assert council.gss_code == "E06000002"
    assert set(council.printed) == {"Middlesbrough Borough Council", "Middlesbrough Council"}
    assert result.organisations[("icb", "north-east-and-north-cumbria")].label == (
        "NHS North East and North Cumbria Integrated Care Board")
    merged = [d for d in result.decisions if d.rule == "organisation-name"]
    assert {d.entities[0] for d in merged} == {council.iri, result.organisations[("icb", "north-east-and-north-cumbria")].iri}
    assert any("E06000002" in d.reason for d in merged)


def test_a_ccg_and_the_icb_after_it_are_related_not_merged():
    records = [
        record(1, area="Middlesbrough", gss="E06000002", document_type="joint_local_area_inspection_2016",
               start="2017-03-20", organisations=[
                   {"name": "Middlesbrough Borough Council", "kind": "local_authority", "gss_code": "E06000002"},
                   {"name": "South Tees Clinical Commissioning Group", "kind": "ccg", "gss_code": None}]),
        record(2, area="Middlesbrough", gss="E06000002", start="2023-10-09", organisations=[
            {"name": "Middlesbrough Council", "kind": "local_authority", "gss_code": "E06000002"},
            {"name": "NHS North East and North Cumbria", "kind": "icb", "gss_code": None}]),
    ]
    dataset = build_graph(records)
    ccg = iri.organisation("ccg", "south-tees")
    icb = iri.organisation("icb", "north-east-and-north-cumbria")
    council = iri.organisation("local-authority", "E06000002")
    assert ccg != icb
    assert (ccg, RDF.type, SG.ClinicalCommissioningGroup) in dataset
    assert (icb, RDF.type, SG.IntegratedCareBoard) in dataset
    assert (ccg, SG.dutiesTransferredTo, icb) in dataset
    assert (ccg, OWL.sameAs, icb) not in dataset
    (event,) = set(dataset.subjects(RDF.type, ORG.ChangeEvent))
    assert (event, ORG.originalOrganization, ccg) in dataset
    assert (event, ORG.resultingOrganization, icb) in dataset
    assert (event, URIRef("http://purl.org/dc/terms/date"), Literal("2022-07-01", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))) in dataset
    # The council partners with each health body of its time.
    assert {(council, SG.partnersWith, ccg), (council, SG.partnersWith, icb)} <= set(dataset.triples((None, None, None)))
    decisions = [d for d in resolve(document_order(records)).decisions if d.rule == "ccg-to-icb"]
    assert [d.decision for d in decisions] == ["related"]


def test_a_council_partners_with_each_of_its_icbs():
    records = [record(1, area="Cumberland", gss=None, start="2023-05-01", organisations=[
        {"name": "Cumbria County Council", "kind": "local_authority", "gss_code": None},
        {"name": "NHS North East and North Cumbria ICB", "kind": "icb", "gss_code": None},
        {"name": "NHS Lancashire and South Cumbria ICB", "kind": "icb", "gss_code": None}])]
    dataset = build_graph(records)
    partners = {o for s, o in dataset.subject_objects(SG.partnersWith)}
    assert partners == {iri.organisation("icb", "north-east-and-north-cumbria"),
                        iri.organisation("icb", "lancashire-and-south-cumbria")}


# --- inspections ------------------------------------------------------------------------------


def test_a_mentioned_inspection_merges_with_its_letter():
    letter = record(1, area="Middlesbrough", gss="E06000002", document_type="joint_local_area_inspection_2016",
                    start="2017-03-20")
    council = record(2, area="Middlesbrough", gss="E06000002", document_type="council_report", mentions=[
        {"area": "Middlesbrough", "when": "2017-03", "kind": "inspection", "result": "wsoa_required"},
        {"area": "Middlesbrough", "when": "2019-07", "kind": "revisit", "result": "sufficient_progress"}])
    report = record(3, area="Middlesbrough", gss="E06000002", start="2023-10-09")
    report["inspection"]["previous"] = {"start_date": "2019-07-08", "end_date": "2019-07-10"}
    result = resolve(document_order([letter, council, report]))
    inspections = sorted((i.start, i.end, i.cls) for i in result.inspections.values())
    assert inspections == [("2017-03-20", "2017-03-24", "JointLocalAreaInspection"),
                           ("2019-07-08", "2019-07-10", "Revisit"),
                           ("2023-10-09", "2023-10-13", "AreaSendInspection")]
    revisit = result.inspections[iri.inspection("middlesbrough", "2019-07-08")]
    assert revisit.outcome == "sufficient_progress" and not revisit.reports
    merged = [d for d in result.decisions if d.rule == "inspection-date" and d.decision == "merged"]
    assert {d.printed for d in merged} == {("2017-03", "2017-03-20"), ("2019-07", "2019-07-08")}


def test_an_only_mentioned_inspection_becomes_a_resource_of_its_area():
    report = record(1, start="2023-03-13")
    report["inspection"]["previous"] = {"start_date": "2016-10-03", "end_date": "2016-10-07"}
    dataset = build_graph([report])
    previous = iri.inspection("hartlepool", "2016-10-03")
    current = iri.inspection("hartlepool", "2023-03-13")
    assert (current, SG.previousInspection, previous) in dataset
    assert (previous, SG.area, iri.area("E06000001", "Hartlepool")) in dataset
    # Its kind is not stated by any document: an inspection, no more (not guessed from its dates).
    assert set(dataset.objects(previous, RDF.type)) & {SG.JointLocalAreaInspection, SG.AreaSendInspection, SG.Revisit} == set()
    assert (previous, RDF.type, SG.Inspection) in dataset
    assert (previous, SG.endDate, Literal("2016-10-07", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))) in dataset


def test_a_vague_mention_fitting_two_inspections_is_kept_apart():
    a = record(1, document_type="joint_local_area_inspection_2016", start="2017-03-06")
    b = record(2, document_type="joint_local_area_inspection_2016", start="2017-11-06")
    c = record(3, document_type="council_report", mentions=[{"area": "Hartlepool", "when": "2017", "kind": "inspection", "result": None}])
    result = resolve(document_order([a, b, c]))
    assert sorted(i.start for i in result.inspections.values()) == ["2017", "2017-03-06", "2017-11-06"]
    assert any(d.decision == "kept apart" and d.rule == "inspection-date" for d in result.decisions)


# --- order independence -----------------------------------------------------------------------

SAMPLE = [
    record(1, start="2023-03-13", inspectors=[inspector("Jo Warburton"), inspector("Alex Thorp", lead=True)],
           organisations=[{"name": "Hartlepool Borough Council", "kind": "local_authority", "gss_code": "E06000001"},
                          {"name": "NHS North East and North Cumbria ICB", "kind": "icb", "gss_code": None}]),
    record(2, area="Middlesbrough", gss="E06000002", start="2023-10-09",
           inspectors=[inspector("Joanna Warburton"), inspector("Jo Smith")],
           organisations=[{"name": "Middlesbrough Council", "kind": "local_authority", "gss_code": "E06000002"},
                          {"name": "North East and North Cumbria Integrated Care Board", "kind": "icb", "gss_code": None}]),
    record(3, area="Middlesbrough", gss="E06000002", document_type="council_report",
           mentions=[{"area": "Middlesbrough", "when": "2017-03", "kind": "inspection", "result": None}]),
    record(4, area="Middlesbrough", gss="E06000002", document_type="joint_local_area_inspection_2016",
           start="2017-03-20", inspectors=[inspector("Joanna Smith"), inspector("Josephine Smith", organisation="CQC")]),
]


@settings(max_examples=15, deadline=None)
@given(st.permutations(SAMPLE))
def test_resolution_does_not_depend_on_reading_order(records):
    assert sorted_ntriples(build_graph(list(records))) == sorted_ntriples(build_graph(SAMPLE))


def test_the_same_file_read_twice_is_one_document():
    twice = SAMPLE + [dict(SAMPLE[0])]
    random.Random(4).shuffle(twice)
    assert sorted_ntriples(build_graph(twice)) == sorted_ntriples(build_graph(SAMPLE))
    assert len(set(build_graph(twice).subjects(RDF.type, SG.Report))) == 4


def test_people_resolved_in_the_sample():
    dataset = build_graph(SAMPLE)
    names = sorted(str(n) for n in dataset.objects(None, FOAF.name))
    # Jo Warburton = Joanna Warburton (same organisation); Jo Smith fits only Joanna Smith (Josephine is CQC).
    assert names == ["Alex Thorp", "Joanna Smith", "Joanna Warburton", "Josephine Smith"]


def test_area_label_is_the_printed_name_not_the_gazetteer_form():
    # Regression: areas were labelled "Kingston Upon Hull, City of" (the ONS form) whatever the reports said.
    hull = resolve([record(1, area="Kingston upon Hull", gss="E06000010", start="2023-11-20")])
    (area,) = hull.areas.values()
    assert area.label == "Kingston upon Hull"
    assert area.iri == iri.area("E06000010", None)
    # Mentioned only through its council: the gazetteer name, written as people write it.
    bristol = resolve([record(2, area=None, gss="E06000023", start="2024-01-08")])
    assert [a.label for a in bristol.areas.values()] == ["Bristol"]


def test_partial_progress_revisit_from_a_council_report_is_a_valid_outcome():
    from sendgraph.graph.validate import validate

    council = record(3, area="Middlesbrough", gss="E06000002", document_type="council_report")
    council["mentions"] = [{"area": "Middlesbrough", "when": "2019-07-08", "kind": "revisit", "result": "partial_progress"}]
    graph = build_graph([council])
    outcomes = {str(o) for o in graph.objects(None, SG.outcome)}
    assert any(o.endswith("partial_progress") for o in outcomes)
    conforms, report = validate(graph)
    assert conforms, report


# ---------------------------------------------------------------------------------------------
# Names as they are: boards from the gazetteer of care boards, councils as printed
# ---------------------------------------------------------------------------------------------


def _labels(dataset, cls):
    return {str(dataset.value(o, RDFS.label)): o for o in set(dataset.subjects(RDF.type, cls))}


def test_boards_get_their_official_names_and_codes():
    from support.analytics_graphs import corpus_dataset

    dataset = corpus_dataset()
    boards = _labels(dataset, SG.IntegratedCareBoard)
    bsw = boards["NHS Bath and North East Somerset, Swindon and Wiltshire Integrated Care Board"]  # printed "NHS BSW ICB"
    assert str(dataset.value(bsw, SG.odsCode)) == "QOX" and str(dataset.value(bsw, SG.gssCode)) == "E54000040"
    assert all(label.startswith("NHS ") and label.endswith(" Integrated Care Board") for label in boards)
    assert all(dataset.value(b, SG.odsCode) is not None for b in boards.values())
    assert not any("BSW" in label or "ST&W" in label for label in boards)


def test_council_names_are_printed_ones_never_made_up():
    from support.analytics_graphs import corpus_dataset

    dataset = corpus_dataset()
    councils = set(_labels(dataset, SG.LocalAuthority))
    # Derbyshire's report names its council "Derbyshire" in the details table and "Derbyshire County
    # Council" in its priority actions: the printed full name, not "Derbyshire Council".
    assert "Derbyshire County Council" in councils and "Derbyshire Council" not in councils
    printed = set()
    for record in corpus_records():
        for text in [f["text"] for f in record["findings"]] + [f.get("responsible_body") or "" for f in record["findings"]]:
            printed.add(text)
        printed.update(o["name"] for o in record["organisations"])
        printed.update(p.get("organisation") or "" for p in record["people"])
    blob = "\n".join(printed)
    assert all(name in blob for name in councils), [n for n in councils if n not in blob]


def test_priority_actions_link_their_responsible_bodies():
    from support.analytics_graphs import corpus_dataset

    dataset = corpus_dataset()
    actions = {f for f in dataset.subjects(SG.responsibleBodyAsPrinted, None)}
    assert len(actions) >= 30
    for action in actions:
        printed = str(dataset.value(action, SG.responsibleBodyAsPrinted))
        bodies = {str(dataset.value(o, RDFS.label)) for o in dataset.objects(action, SG.responsibleBody)}
        assert bodies, printed
        if "Council" in printed:
            assert any("Council" in b for b in bodies), (printed, bodies)
        if "ICB" in printed or "Integrated Care Board" in printed:
            assert any(b.endswith("Integrated Care Board") for b in bodies), (printed, bodies)
    # Suffolk's actions name two boards; each action links the boards it names.
    suffolk = [a for a in actions if "Suffolk County Council" in str(dataset.value(a, SG.responsibleBodyAsPrinted))]
    assert suffolk and all(len(set(dataset.objects(a, SG.responsibleBody))) == 3 for a in suffolk)


def test_an_inspection_only_mentioned_has_its_kind_not_stated():
    # Regression: a 2023 report's "date of previous inspection" was typed a joint local area
    # inspection from its dates; only a document in the graph can say what kind it was.
    from support.analytics_graphs import corpus_dataset

    dataset = corpus_dataset()
    reported = set(dataset.objects(None, SG.reportsOn))
    mentioned = {i for i in dataset.subjects(RDF.type, SG.Inspection) if i not in reported}
    assert mentioned
    for inspection in mentioned:
        kinds = set(dataset.objects(inspection, RDF.type))
        assert SG.JointLocalAreaInspection not in kinds and SG.AreaSendInspection not in kinds, inspection
    # One the graph holds a letter about keeps its kind: Hartlepool's 2016 inspection.
    assert (iri.inspection("hartlepool", "2016-10-03"), RDF.type, SG.JointLocalAreaInspection) in dataset
