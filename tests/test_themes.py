"""Theme and service concept schemes (ontology/themes.ttl) and the cue-phrase tagger."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import rdflib
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from sendgraph.read import themes
from sendgraph.ontology import ontology_file

SG = rdflib.Namespace("https://w3id.org/sendgraph/ontology#")
THEMES = rdflib.URIRef("https://w3id.org/sendgraph/id/scheme/themes")
SERVICES = rdflib.URIRef("https://w3id.org/sendgraph/id/scheme/services")
GOLD = Path(__file__).parent / "fixtures" / "themes_gold.json"

REQUIRED_THEMES = [
    "ehc-plan-quality", "ehc-timeliness", "coproduction", "strategic-leadership", "local-offer",
    "neurodevelopmental-pathway", "speech-language-therapy", "mental-health", "therapies", "waiting-times",
    "preparation-for-adulthood", "exclusions-attendance", "alternative-provision", "early-identification",
    "sen-support", "social-care", "health-contribution", "outcomes-monitoring", "sufficiency", "transitions",
]
REQUIRED_SERVICES = [
    "speech-and-language-therapy", "camhs", "educational-psychology", "sendiass", "parent-carer-forum",
    "designated-clinical-officer", "health-visiting", "short-breaks", "occupational-therapy", "physiotherapy",
    "school-nursing", "paediatrics", "neurodevelopmental-assessment", "early-help",
    "social-care-disabled-children", "alternative-provision", "youth-justice", "send-team",
]


@pytest.fixture(scope="module")
def graph():
    g = rdflib.Graph()
    g.parse(ontology_file("themes.ttl"), format="turtle")
    return g


@pytest.fixture(scope="module")
def gold():
    return json.loads(GOLD.read_text(encoding="utf-8"))


# ----------------------------------------------------------------------------- the schemes


def _concept(graph, scheme, code):
    found = [c for c in graph.subjects(SKOS.notation, rdflib.Literal(code)) if (c, SKOS.inScheme, scheme) in graph]
    assert len(found) == 1, f"{code}: {len(found)} concepts"
    return found[0]


@pytest.mark.parametrize(
    "scheme, prefix, codes",
    [
        (THEMES, "https://w3id.org/sendgraph/id/theme/", REQUIRED_THEMES),
        (SERVICES, "https://w3id.org/sendgraph/id/service/", REQUIRED_SERVICES),
    ],
)
def test_scheme_has_every_required_concept(graph, scheme, prefix, codes):
    assert (scheme, RDF.type, SKOS.ConceptScheme) in graph
    assert graph.value(scheme, RDFS.label) is not None
    for code in codes:
        concept = _concept(graph, scheme, code)
        assert str(concept) == prefix + code
        assert (concept, RDF.type, SKOS.Concept) in graph
        assert (scheme, SKOS.hasTopConcept, concept) in graph
        assert graph.value(concept, SKOS.prefLabel) is not None, code
        definition = graph.value(concept, SKOS.definition)
        assert definition is not None and len(str(definition)) > 30, code
        cues = [str(c) for c in graph.objects(concept, SG.cuePhrase)]
        assert cues, f"{code} has no sg:cuePhrase"
        for cue in cues + [str(c) for c in graph.objects(concept, SG.weakCuePhrase)]:
            assert cue == cue.lower().strip() and cue, f"{code}: cue {cue!r} is not plain lowercase"


def test_every_concept_is_complete_and_codes_unique(graph):
    for scheme in (THEMES, SERVICES):
        concepts = list(graph.subjects(SKOS.inScheme, scheme))
        notations = [str(graph.value(c, SKOS.notation)) for c in concepts]
        assert len(notations) == len(set(notations))
        for concept in concepts:
            assert graph.value(concept, SKOS.prefLabel) is not None
            assert graph.value(concept, SKOS.definition) is not None
            assert graph.value(concept, SG.cuePhrase) is not None


def test_annotation_properties_are_declared(graph):
    for prop in (SG.cuePhrase, SG.weakCuePhrase, SG.ignorePhrase, SG.generic, SG.listPosition):
        assert (prop, RDF.type, OWL.AnnotationProperty) in graph, prop
        assert graph.value(prop, RDFS.label) is not None
        assert graph.value(prop, RDFS.comment) is not None
    assert (SG.weakCuePhrase, RDFS.subPropertyOf, SG.cuePhrase) in graph


def test_code_lists_follow_the_scheme_order():
    assert themes.theme_codes()[: len(REQUIRED_THEMES)] == REQUIRED_THEMES
    assert set(REQUIRED_SERVICES) <= set(themes.service_codes())
    labels = themes.theme_labels()
    assert labels["ehc-plan-quality"] == "EHC plan quality"
    assert set(labels) == set(themes.theme_codes())


# ----------------------------------------------------------------------------- tagging sentences


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Children and young people wait too long for speech and language therapy.",
         ["speech-language-therapy", "waiting-times"]),
        ("Leaders should improve the quality of EHC plans so that they reflect children's current needs.",
         ["ehc-plan-quality"]),
        ("Too many EHC plans are not issued within the statutory 20-week timescale.", ["ehc-timeliness"]),
        ("Leaders should reduce the rates of suspensions and exclusions of pupils with EHC plans.",
         ["exclusions-attendance"]),
        ("Leaders should develop co-production with children and young people at a strategic level.",
         ["coproduction"]),
        ("The local offer is not kept up to date and families cannot find information.", ["local-offer"]),
        ("Families wait more than two years for an autism assessment.",
         ["neurodevelopmental-pathway", "waiting-times"]),
        ("The LAP should reduce the delays in accessing CAMHS.", ["mental-health", "waiting-times"]),
        # How much AP there is: alternative provision, not sufficiency (that is for specialist places);
        # commissioning it is strategic leadership as well.
        ("Leaders should commission sufficient suitable alternative provision.",
         ["strategic-leadership", "alternative-provision"]),
        ("There are not enough special school places, so children are placed out of area.", ["sufficiency"]),
        ("Young people are not well prepared for adulthood, employment and independent living.",
         ["preparation-for-adulthood"]),
        # Moving from children's to adults' services is preparation for adulthood, not transitions ...
        ("Leaders should improve the transitions from child to adult services.", ["preparation-for-adulthood"]),
        # ... which is for moves between phases and settings before adulthood.
        ("Transition from primary to secondary school is not well planned.", ["transitions"]),
        ("Leaders should put in place appropriate governance arrangements across the partnership.",
         ["strategic-leadership"]),
        ("Leaders should use performance data to evaluate the impact of their actions.", ["outcomes-monitoring"]),
        ("Too few families receive an antenatal visit from the health visiting service.", ["early-identification"]),
        ("Area leaders should increase the number and range of short break opportunities.", ["social-care"]),
        # Health services in general give way to a more specific health theme.
        ("Waits for occupational therapy across health services are too long.", ["therapies", "waiting-times"]),
        ("Some children wait too long for assessment across several health services.",
         ["waiting-times", "health-contribution"]),
        ("Health leaders need to address the lengthy waits for specialist chairs through wheelchair services.",
         ["therapies", "waiting-times"]),
        ("Schools should use the graduated approach to support pupils on SEN support.", ["sen-support"]),
        ("The school nursing service is highly valued.", []),
    ],
)
def test_tag_themes(text, expected):
    assert themes.tag_themes(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Waits for speech and language therapy and occupational therapy are long.",
         ["speech-and-language-therapy", "occupational-therapy"]),
        ("CAMHS and the educational psychology service are stretched.", ["camhs", "educational-psychology"]),
        ("SENDIASS and the parent carer forum are highly regarded.", ["sendiass", "parent-carer-forum"]),
        ("The designated clinical officer checks health advice.", ["designated-clinical-officer"]),
        ("Children wait for a community paediatric assessment and an ADHD assessment.",
         ["paediatrics", "neurodevelopmental-assessment"]),
        ("Pupils placed in AP and the pupil referral unit.", ["alternative-provision"]),
        ("The youth justice service and the SEND team work together.", ["youth-justice", "send-team"]),
        ("Health visitors complete the two-year check; school nurses support older pupils.",
         ["health-visiting", "school-nursing"]),
        ("Short breaks are commissioned by the disabled children's team.",
         ["short-breaks", "social-care-disabled-children"]),
        ("Early help and physiotherapy.", ["physiotherapy", "early-help"]),
        ("Leaders should apply the policy.", []),
    ],
)
def test_tag_services(text, expected):
    assert themes.tag_services(text) == expected


def test_passing_mentions_need_two_weak_cues():
    # "EHC plan" alone in a sentence about exclusions is a passing mention.
    assert "ehc-plan-quality" not in themes.tag_themes("Pupils with an EHC plan are excluded more often than others.")
    # The stock phrase "education, health and social care" is not about social care.
    assert themes.tag_themes("Leaders across education, health and social care should meet more often.") == []
    # "therapy" inside "speech and language therapy" does not also make the therapies theme.
    assert "therapies" not in themes.tag_themes("Speech and language therapy is in demand.")
    # A strategy for X is strategic leadership as well as X (the guidelines' "strategic approach to X") ...
    assert themes.tag_themes("Leaders' strategy should address the strategic gaps in mental health support.") == [
        "strategic-leadership", "mental-health"
    ]
    # ... but a generic theme named in passing, outside the sentences that carry the finding's main
    # concern (the first, and those asking for action), gives way to a specific one ...
    assert themes.tag_themes("Mental health support is good. The strategy mentions it in passing.") == [
        "mental-health"
    ]
    # ... and stands when nothing else is found.
    assert themes.tag_themes("The strategy lacks a strategic focus.") == ["strategic-leadership"]


def test_cue_phrase_matching_rules():
    pattern = lambda cue: __import__("re").compile(themes.cue_pattern(cue), __import__("re").I)  # noqa: E731
    assert pattern("delay").match("delays")
    assert pattern("delay").match("delayed")
    assert pattern("vulnerability").match("vulnerabilities")
    assert pattern("co-production").match("coproduction")
    assert pattern("co-production").match("co-production")
    assert pattern("neurodivers*").match("neurodiversity")
    assert pattern("quality ... ehc plan").match("quality and timeliness of EHC plans")
    assert not pattern("quality ... ehc plan").match("quality. The EHC plans")
    assert not pattern("ap").match("apply")
    assert "alternative-provision" not in themes.tag_themes("Leaders should apply the approach in the apprenticeship.")


def test_tagging_ignores_case_and_typographic_apostrophes():
    assert themes.tag_themes("THE LOCAL OFFER") == ["local-offer"]
    assert themes.tag_themes("Parents\u2019 and carers\u2019 trust in the system is low.") == ["coproduction"]


def test_lower_case_patterns_match_as_patterns_ignoring_case(gold):
    """matches() tries the cues compiled for lower-case text (Cue.lower_pattern) unless the text holds ı or
    ſ, which i and s match when case is ignored; a text that does gets the patterns that ignore case.
    A trailing " ı" starts no cue, so it only switches the patterns: the matches must be the same."""
    def found(text, scheme):
        return [(start, end, cue.phrase) for start, end, cue in themes.matches(text, scheme)]

    for item in gold:
        for scheme in ("themes", "services"):
            assert found(item["text"], scheme) == found(item["text"] + " \u0131", scheme)
    assert found("long waiting l\u0131sts", "themes") == found("long waiting lists", "themes") != []
    assert found("long waiting li\u017fts", "themes") == found("long waiting lists", "themes")


def test_empty_and_odd_input():
    assert themes.tag_themes("") == []
    assert themes.tag_themes(None) == []
    assert themes.tag_services("   \n\t") == []


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_known_codes_in_scheme_order(text):
    codes = themes.theme_codes()
    got = themes.tag_themes(text)
    assert got == [c for c in codes if c in got]
    assert len(set(got)) == len(got)
    assert set(themes.tag_services(text)) <= set(themes.service_codes())


# ----------------------------------------------------------------------------- quality on the gold set


def _micro_f1(items) -> float:
    tp = fp = fn = 0
    for item in items:
        gold, got = set(item["themes"]), set(themes.tag_themes(item["text"]))
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
    return 2 * tp / (2 * tp + fp + fn)


def _half(items, which, everything=None):
    """The dev half (1st, 3rd ... report of the whole gold in sorted order: cue phrases are tuned on
    it) or the held half, of items (a part of the gold, e.g. one kind)."""
    sources = sorted({i["source"] for i in (everything or items)})
    return [i for i in items if sources.index(i["source"]) % 2 == (0 if which == "dev" else 1)]


KINDS = ("priority_action", "improvement", "strength", "weakness")


def test_gold_set_is_well_formed(gold):
    codes = set(themes.theme_codes())
    assert len(gold) == 674
    assert len({g["source"] for g in gold}) == 29
    assert len({g["id"] for g in gold}) == len(gold)
    assert {g["kind"] for g in gold} == set(KINDS)
    for item in gold:
        assert item["text"].strip() and item["source"].endswith(".pdf") and item["area"]
        assert set(item["themes"]) <= codes, item
        assert set(item["readings"]) == {"a", "b"}
        for reading in item["readings"].values():
            assert set(reading) <= codes
        # The settled themes keep every theme both readers gave.
        assert set(item["readings"]["a"]) & set(item["readings"]["b"]) <= set(item["themes"]), item["id"]


def test_gold_findings_are_the_findings_the_extraction_reads(gold):
    """The gold holds each report's findings as the extraction now splits them (regression: three
    areas for improvement that an earlier extraction read as one were one gold item each)."""
    golden = Path(__file__).parent / "golden" / "corpus"
    for source in sorted({g["source"] for g in gold}):
        record = json.loads((golden / source.replace(".pdf", ".json")).read_text(encoding="utf-8"))
        items = [g for g in gold if g["source"] == source]
        for kind in KINDS:
            assert sum(g["kind"] == kind for g in items) == record["finding_counts"].get(kind, 0), (source, kind)
        for kind, key in (("priority_action", "priority_actions"), ("improvement", "improvements")):
            def start(text):
                return " ".join(text.replace("\u2022", " ").split())[:60]
            assert [start(g["text"]) for g in items if g["kind"] == kind] == [start(t) for t in record[key]], (source, kind)


def test_two_readings_agree_well(gold):
    """The gold's two independent readings agree at about 0.95 micro-F1: the ceiling of the task."""
    tp = fp = fn = 0
    for item in gold:
        a, b = set(item["readings"]["a"]), set(item["readings"]["b"])
        tp, fp, fn = tp + len(a & b), fp + len(a - b), fn + len(b - a)
    assert 2 * tp / (2 * tp + fp + fn) >= 0.93


# Measured on the gold (dev / held micro-F1) when these floors were set; each floor a little under.
FLOORS = {
    "all": (0.82, 0.72),  # measured 0.843 / 0.737 (671 items then 674: three areas for improvement split)
    "priority_action": (None, 0.82),  # measured 0.844 held; the dev half has only two priority actions
    "improvement": (0.90, 0.78),  # 0.929 / 0.798
    "strength": (0.78, 0.68),  # 0.805 / 0.698
    "weakness": (0.82, 0.70),  # 0.847 / 0.718
}


@pytest.mark.parametrize("kind", list(FLOORS))
def test_micro_f1_floors_by_kind(gold, kind):
    items = gold if kind == "all" else [g for g in gold if g["kind"] == kind]
    dev_floor, held_floor = FLOORS[kind]
    held = _micro_f1(_half(items, "held", gold))
    assert held >= held_floor, f"{kind}: held {held:.3f}"
    if dev_floor is not None:
        dev = _micro_f1(_half(items, "dev", gold))
        assert dev >= dev_floor, f"{kind}: dev {dev:.3f}"
        # Not tuned to the wording of single reports: the held half stays within reach of dev.
        assert dev - held <= 0.15, f"{kind}: dev {dev:.3f} held {held:.3f}"


def test_theme_reasons_cover_exactly_the_themes_given(gold):
    for item in gold:
        text = item["text"]
        given = themes.tag_themes(text)
        reasons = themes.theme_reasons(text)
        assert list(reasons) == given, item["id"]
        for code, words in reasons.items():
            assert words and all(w and w.lower() in " ".join(text.lower().split()) for w in words), (code, words)
    assert themes.theme_reasons("") == {} and themes.theme_reasons(None) == {}


def test_theme_reasons_are_the_words_that_decided():
    text = "Children are on a waiting list for CAMHS for too long. Waits are worse for older pupils."
    assert themes.tag_themes(text) == ["mental-health", "waiting-times"]
    assert themes.theme_reasons(text) == {"mental-health": ["CAMHS"], "waiting-times": ["waiting list", "Waits"]}
    # A gapped cue is quoted with the words between.
    assert themes.theme_reasons("The quality of new EHC plans is poor.")["ehc-plan-quality"][0] == "quality of new EHC"


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_theme_reasons_agree_with_tag_themes_on_any_text(text):
    assert list(themes.theme_reasons(text)) == themes.tag_themes(text)


def test_tagging_is_fast(gold):
    texts = ([g["text"] for g in gold] * 4)[:2500]  # 2,500 findings, the size of the whole corpus
    themes.tag_themes("warm up")
    start = time.perf_counter()
    for text in texts:
        themes.tag_themes(text)
        themes.tag_services(text)
    assert time.perf_counter() - start < 2.0


def test_the_schemes_stay_inside_owl_2_dl(graph):
    """Regression: the concepts' order was a skos:OrderedCollection (an RDF list, outside OWL 2 DL, with
    skos:memberList undeclared) and themes.ttl had no ontology header; each concept now has its
    sg:listPosition, and the file names the ontology it belongs to."""
    assert not list(graph.subjects(RDF.type, SKOS.OrderedCollection))
    assert not list(graph.triples((None, SKOS.memberList, None)))
    assert not list(graph.triples((None, RDF.first, None)))
    assert (rdflib.URIRef("https://w3id.org/sendgraph/ontology"), RDF.type, OWL.Ontology) in graph
    for scheme, codes in ((THEMES, themes.theme_codes()), (SERVICES, themes.service_codes())):
        positions = {str(graph.value(c, SKOS.notation)): int(graph.value(c, SG.listPosition))
                     for c in graph.subjects(SKOS.inScheme, scheme)}
        assert sorted(positions.values()) == list(range(1, len(positions) + 1))
        assert codes == sorted(positions, key=positions.get)


def test_reasons_are_the_same_whatever_the_hash_seed():
    """Regression: a cue word's inflections were tried in a set's order, which changes with Python's
    hash seed, so a reason quoted "Voices" in one build and "Voices'" in another."""
    import subprocess
    import sys

    script = ("import json, sys; from sendgraph.read.themes import theme_reasons; "
              "gold = json.load(open(sys.argv[1], encoding='utf-8')); "
              "print(json.dumps([theme_reasons(g['text']) for g in gold], sort_keys=True))")
    outputs = {subprocess.run([sys.executable, "-c", script, str(GOLD)], capture_output=True, text=True, check=True,
                              env={**__import__("os").environ, "PYTHONHASHSEED": seed}).stdout
               for seed in ("1", "3", "12")}
    assert len(outputs) == 1
