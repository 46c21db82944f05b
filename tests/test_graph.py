"""The knowledge graph of data/: real facts, named graphs, provenance, round trips and determinism."""

import os
import shutil
import time
from pathlib import Path

import pytest
from support.paths import CORPUS, DATA
from rdflib import RDF, RDFS, XSD, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, SKOS

from sendgraph.graph import iri
from sendgraph.read.extract import extract_paths
from sendgraph.graph import build_graph, load_graph, serialise, sorted_ntriples, summarise, write_graph
from sendgraph.vocab import OA, ORG, SG
from sendgraph.read.records import new_record
from sendgraph.graph.resolve import part_of
from sendgraph.graph.validate import validate

HARTLEPOOL = iri.area("E06000001", "Hartlepool")
MIDDLESBROUGH = iri.area("E06000002", "Middlesbrough")


@pytest.fixture(scope="module")
def records():
    result = extract_paths([DATA])
    assert not result.errors, result.errors
    return result.records


@pytest.fixture(scope="module")
def dataset(records):
    return build_graph(records)


def triples(graph):
    return set(graph.triples((None, None, None)))


def inspections_of(dataset, area):
    return {i for i in dataset.subjects(SG.area, area)}


def start(dataset, inspection):
    return str(dataset.value(inspection, SG.startDate))


def person_named(dataset, name):
    found = {p for p in dataset.subjects(FOAF.name, Literal(name))}
    assert len(found) == 1, (name, found)
    return found.pop()


# --- the facts of data/ -----------------------------------------------------------------------


def test_the_inspector_who_led_hartlepool_2016_and_middlesbrough_2017_is_one_resource(dataset):
    hartlepool_2016 = iri.inspection("hartlepool", "2016-10-03")
    middlesbrough_2017 = iri.inspection("middlesbrough", "2017-03-20")
    leads_2016 = set(dataset.objects(hartlepool_2016, SG.leadInspector))
    leads_2017 = set(dataset.objects(middlesbrough_2017, SG.leadInspector))
    assert leads_2016 == leads_2017 == {person_named(dataset, "Nick Whittaker")}
    whittaker = leads_2016.pop()
    assert {i for i in dataset.subjects(SG.leadInspector, whittaker)} == {hartlepool_2016, middlesbrough_2017}
    assert (whittaker, ORG.memberOf, iri.organisation("inspectorate", "ofsted")) in dataset


def test_hartlepool_and_middlesbrough_2023_share_one_icb(dataset):
    def icbs(inspection):
        return {o for o in dataset.objects(inspection, SG.inspectedPartner)
                if (o, RDF.type, SG.IntegratedCareBoard) in dataset}

    hartlepool = icbs(iri.inspection("hartlepool", "2023-03-13"))
    middlesbrough = icbs(iri.inspection("middlesbrough", "2023-10-09"))
    assert hartlepool == middlesbrough == {iri.organisation("icb", "north-east-and-north-cumbria")}
    icb = hartlepool.pop()
    assert str(dataset.value(icb, RDFS.label)) == "NHS North East and North Cumbria Integrated Care Board"
    assert {a for a in dataset.subjects(SG.healthPartner, icb)} == {HARTLEPOOL, MIDDLESBROUGH}
    # Printed "North East and North Cumbria" in one report, "NHS North East and North Cumbria" in the other.
    assert {"North East and North Cumbria", "NHS North East and North Cumbria"} <= {
        str(n) for n in dataset.objects(icb, SKOS.altLabel)}


def test_middlesbrough_has_three_inspections(dataset):
    inspections = inspections_of(dataset, MIDDLESBROUGH)
    assert sorted(start(dataset, i) for i in inspections) == ["2017-03-20", "2019-07-08", "2023-10-09"]
    revisit = iri.inspection("middlesbrough", "2019-07-08")
    assert (revisit, RDF.type, SG.Revisit) in dataset
    assert (iri.inspection("middlesbrough", "2017-03-20"), RDF.type, SG.JointLocalAreaInspection) in dataset
    assert (iri.inspection("middlesbrough", "2023-10-09"), RDF.type, SG.AreaSendInspection) in dataset
    # The 2023 report names the revisit as its previous inspection; the council report recounts it.
    assert (iri.inspection("middlesbrough", "2023-10-09"), SG.previousInspection, revisit) in dataset
    assert dataset.value(revisit, SG.outcome) == iri.concept(iri.OUTCOME, "sufficient_progress")


def test_the_march_2017_inspection_is_both_mentioned_and_reported(dataset):
    inspection = iri.inspection("middlesbrough", "2017-03-20")
    reports = {d for d in dataset.subjects(SG.reportsOn, inspection)}
    mentions = {d for d in dataset.subjects(DCTERMS.references, inspection)}
    assert len(reports) == 1 and len(mentions) == 1
    assert str(dataset.value(reports.pop(), DCTERMS.title)) == "Joint local area SEND inspection in Middlesbrough"
    assert dataset.value(mentions.pop(), SG.documentType) == iri.concept(iri.DOCUMENT_TYPE, "council_report")
    assert dataset.value(inspection, SG.outcome) == iri.concept(iri.OUTCOME, "wsoa_required")


def test_hartlepool_has_2016_and_2023_linked(dataset):
    assert sorted(start(dataset, i) for i in inspections_of(dataset, HARTLEPOOL)) == ["2016-10-03", "2023-03-13"]
    assert (iri.inspection("hartlepool", "2023-03-13"), SG.previousInspection,
            iri.inspection("hartlepool", "2016-10-03")) in dataset
    assert dataset.value(iri.inspection("hartlepool", "2023-03-13"), SG.outcome) == iri.concept(iri.OUTCOME, "positive")
    assert dataset.value(iri.inspection("hartlepool", "2023-03-13"), SG.nextFullInspectionWithin) == Literal(
        "P5Y", datatype=XSD.duration)


def test_cathy_and_cathryn_kirby_are_one_person_with_the_decision_recorded(dataset):
    kirby = person_named(dataset, "Cathryn Kirby")
    assert {"Cathy Kirby", "Cathryn Kirby"} <= {str(n) for n in dataset.objects(kirby, SKOS.altLabel)}
    decisions = {d for d in dataset.subjects(SG.resolvedEntity, kirby)
                 if (d, RDF.type, SG.ResolutionDecision) in dataset}
    assert len(decisions) == 1
    decision = decisions.pop()
    assert str(dataset.value(decision, SG.decision)) == "merged"
    assert "Cathryn / Cathy" in str(dataset.value(decision, SG.reason))
    assert len(set(dataset.objects(decision, SG.printedForm))) == 2
    # Signed three letters: Hartlepool 2016, Middlesbrough 2017, Stockton-on-Tees 2019.
    assert len({d for d in dataset.subjects(SG.signedBy, kirby)}) == 3


def test_councils_resolve_to_their_ons_code(dataset):
    council = iri.organisation("local-authority", "E06000002")
    assert str(dataset.value(council, SG.gssCode)) == "E06000002"
    assert {"Middlesbrough Borough Council", "Middlesbrough Council"} <= {
        str(n) for n in dataset.objects(council, SKOS.altLabel)}
    assert (MIDDLESBROUGH, SG.localAuthority, council) in dataset
    assert str(dataset.value(MIDDLESBROUGH, SG.gssCode)) == "E06000002"


def test_a_council_report_is_published_by_its_council(dataset):
    # Regression: the council check spelt the organisation kind "local-authority" after resolution
    # spelt it "local_authority", and the council report lost its dcterms:publisher.
    from rdflib.namespace import DCTERMS

    council = iri.organisation("local_authority", "E06000002")
    reports = [d for d in dataset.subjects(SG.documentType, iri.concept(iri.DOCUMENT_TYPE, "council_report"))]
    assert reports and all(dataset.value(d, DCTERMS.publisher) == council for d in reports)


def test_ccgs_are_related_to_the_icb_not_merged(dataset):
    icb = iri.organisation("icb", "north-east-and-north-cumbria")
    ccgs = {c for c in dataset.subjects(SG.dutiesTransferredTo, icb)}
    assert ccgs == {iri.organisation("ccg", "south-tees"), iri.organisation("ccg", "hartlepool-and-stockton-on-tees")}
    for ccg in ccgs:
        assert (ccg, RDF.type, SG.IntegratedCareBoard) not in dataset
    hartlepool_council = iri.organisation("local-authority", "E06000001")
    assert {o for o in dataset.objects(hartlepool_council, SG.partnersWith)} == {
        icb, iri.organisation("ccg", "hartlepool-and-stockton-on-tees")}


def test_counts(dataset):
    summary = summarise(dataset)
    assert summary.documents == 6
    assert summary.inspections == 6  # Hartlepool 2016, 2023; Middlesbrough 2017, 2019, 2023; Stockton-on-Tees 2019
    assert summary.findings > 150
    assert summary.triples == len(triples(dataset))


# --- named graphs and provenance --------------------------------------------------------------


def test_one_named_graph_per_document_with_its_checksum(records, dataset):
    named = {g.identifier: g for g in dataset.graphs() if g.identifier != dataset.default_graph.identifier}
    assert len(named) == len(records) == 6
    for record in records:
        doc = iri.document(record["sha256"], part_of(record["source"]))
        # The graph is named from the document's identity (its path under data/, plus #n for the n-th
        # document of a file), not its checksum, so a changed document replaces its graph.
        graph_iri = URIRef("https://w3id.org/sendgraph/id/graph/" + record["source"].replace("\\", "/").rsplit("/", 1)[-1])
        assert set(dataset.subjects(SG.describes, doc)) == {graph_iri}
        graph = named[graph_iri]
        assert (graph_iri, SG.sha256, Literal(record["sha256"])) in graph
        assert (doc, SG.sha256, Literal(record["sha256"])) in graph
        assert (doc, RDF.type, SG.Report) in graph
        # Every finding of the document is in its graph, with its evidence.
        assert len(set(graph.subjects(RDF.type, OA.Annotation))) == len(record["findings"])
        assert {str(o) for o in graph.objects(None, OA.exact)} == {" ".join(f["text"].split()) for f in record["findings"]}
    # The two letters of one file share a checksum but are two documents.
    letters = [r for r in records if r["source"].endswith(("#1", "#2"))]
    assert len({r["sha256"] for r in letters}) == 1
    assert len({iri.document(r["sha256"], part_of(r["source"])) for r in letters}) == 2
    assert {str(g).rsplit("/", 1)[-1] for g in named if "letters" in str(g)} == {
        "hartlepool-2016-and-middlesbrough-2017-send-inspection-letters.txt#1",
        "hartlepool-2016-and-middlesbrough-2017-send-inspection-letters.txt#2"}


def test_document_graphs_are_named_from_the_path_under_the_build_root(records, tmp_path):
    from sendgraph.graph.build import build_root, document_graph

    doc = iri.document("ab" * 32)
    base = "https://w3id.org/sendgraph/id/graph/"
    (tmp_path / "sub").mkdir()
    root = build_root([tmp_path])
    assert root == str(tmp_path)
    assert build_root([tmp_path / "sub" / "a.pdf", tmp_path / "b.txt"]) == str(tmp_path)
    assert document_graph(str(tmp_path / "sub" / "A report (final).pdf"), root, doc) == URIRef(
        base + "sub/A%20report%20%28final%29.pdf")
    assert document_graph(str(tmp_path / "two.txt#2"), root, doc) == URIRef(base + "two.txt#2")
    assert document_graph(str(tmp_path / "x#y.txt"), root, doc) == URIRef(base + "x%23y.txt")
    assert document_graph(str(tmp_path.parent / "out.txt"), root, doc) == URIRef(base + "%2E%2E/out.txt")
    assert document_graph(None, root, doc) == iri.graph(doc)  # no source: the checksum names it
    # The same documents read from another folder, or by another path to it, get the same graphs.
    moved = [dict(r, source=str(tmp_path / "copy" / r["source"].replace("\\", "/").rsplit("/", 1)[-1])) for r in records]
    names = lambda d: sorted(str(g.identifier) for g in d.graphs())
    assert names(build_graph(moved)) == names(build_graph(records))
    assert names(build_graph(moved, root=str(tmp_path / "copy"))) == names(build_graph(records))


def test_every_finding_is_traced_to_its_exact_quote(records, dataset):
    record = next(r for r in records if r["document_type"] == "area_send_inspection_2023" and r["area"] == "Hartlepool")
    doc = iri.document(record["sha256"], part_of(record["source"]))
    inspection = iri.inspection("hartlepool", "2023-03-13")
    weakness = next(f for f in record["findings"] if f["kind"] == "weakness")
    finding = iri.finding(inspection, "weakness", weakness["text"])
    assert (finding, SG.aboutInspection, inspection) in dataset
    assert (finding, SG.findingKind, iri.concept(iri.FINDING_KIND, "weakness")) in dataset
    for theme in weakness["themes"]:
        assert (finding, DCTERMS.subject, iri.concept(iri.THEME, theme)) in dataset
    (annotation,) = set(dataset.objects(finding, SG.evidence))
    assert (annotation, OA.hasBody, finding) in dataset
    target = dataset.value(annotation, OA.hasTarget)
    assert dataset.value(target, OA.hasSource) == doc
    assert dataset.value(target, SG.paragraphIndex).toPython() == weakness["position"]
    selector = dataset.value(target, OA.hasSelector)
    assert (selector, RDF.type, OA.TextQuoteSelector) in dataset
    assert str(dataset.value(selector, OA.exact)) == " ".join(weakness["text"].split())
    findings = set(dataset.subjects(RDF.type, SG.Finding))
    assert all(dataset.value(f, SG.evidence) is not None for f in findings)


def test_the_build_conforms_to_the_shapes(dataset):
    conforms, report = validate(dataset)
    assert conforms, report


# --- files, round trips, determinism ----------------------------------------------------------


def test_turtle_round_trip_is_isomorphic(dataset, tmp_path):
    path = tmp_path / "graph.ttl"
    write_graph(dataset, path)
    back = Graph().parse(path, format="turtle")
    union = Graph()
    for triple in triples(dataset):
        union.add(triple)
    assert len(back) == len(union)
    assert isomorphic(back, union)


def test_trig_and_nquads_keep_the_named_graphs(dataset, tmp_path):
    for suffix in (".trig", ".nq"):
        path = tmp_path / f"graph{suffix}"
        write_graph(dataset, path)
        back = load_graph(path)
        assert isinstance(back, Dataset)
        before = {(g.identifier, len(g)) for g in dataset.graphs() if len(g)}
        after = {(g.identifier, len(g)) for g in back.graphs() if len(g)}
        assert before == after, suffix
        assert triples(back) == triples(dataset)


def test_jsonld_and_ntriples_round_trip(dataset, tmp_path):
    for suffix in (".jsonld", ".nt"):
        path = tmp_path / f"graph{suffix}"
        write_graph(dataset, path)
        assert triples(load_graph(path)) == triples(dataset), suffix


def test_two_builds_give_byte_identical_sorted_ntriples(records):
    first = sorted_ntriples(build_graph(records))
    second = sorted_ntriples(build_graph(list(reversed(records))))
    assert first == second
    assert first.count("\n") > 3000
    assert "_:" not in first  # no blank nodes: every node has a stable IRI


def test_turtle_output_is_stable_too(records):
    assert serialise(build_graph(records), "turtle") == serialise(build_graph(records), "turtle")


def test_hostile_values_cannot_break_serialisation():
    record = new_record("area_send_inspection_2023")
    record.update(source='evil"<>.txt', sha256="ab" * 32, title='Report "quoted" <b>bold</b>\x00\x07 end',
                  area='Nowhere "> <x', date="not a date")
    record["inspection"].update(start_date="2023-01-01", end_date="2023-01-05", outcome="made-up",
                                next_full_within="five years", previous={"start_date": "garbage", "end_date": None})
    record["organisations"] = [{"name": 'Council "of" <Doom>', "kind": "local_authority", "gss_code": "E9999<>"},
                               {"name": "NHS \n ICB '; DROP", "kind": "icb", "gss_code": None}]
    record["people"] = [{"name": 'Ms Jo "Jojo" <O\'Neil>', "title": "Director\n\t", "organisation": 'Council "of" <Doom>',
                         "capacity": "addressee"}]
    record["inspectors"] = [{"name": "Dr 名前 Smith", "organisation": "Ofsted", "role": "Lead <HMI>", "lead": True}]
    record["findings"] = [{"kind": "weird kind", "section": None, "text": 'A "quote" with <tags> and \\ backslash\r\n',
                           "themes": [], "services": [], "position": -3}]
    dataset = build_graph([record])
    for fmt, parse_as in (("turtle", "turtle"), ("trig", "trig"), ("ntriples", "nt"), ("nquads", "nquads"),
                          ("jsonld", "json-ld")):
        text = serialise(dataset, fmt)
        back = Dataset(default_union=True).parse(data=text, format=parse_as)
        assert triples(back) == triples(dataset), fmt
    conforms, report = validate(dataset)
    assert conforms, report
    finding = next(iter(dataset.subjects(RDF.type, SG.Finding)))
    assert dataset.value(finding, SG.findingKind) == iri.concept(iri.FINDING_KIND, "other")
    assert str(dataset.value(finding, SG.kindCode)) == "weird kind"


def test_an_empty_input_gives_a_graph_of_concepts_only():
    dataset = build_graph([])
    assert summarise(dataset).documents == 0
    assert validate(dataset)[0]


def test_data_and_corpus_build_quickly(records):
    corpus = extract_paths([CORPUS], jobs=2)
    assert len(corpus.records) >= 29, corpus.errors
    everything = records + corpus.records
    began = time.perf_counter()
    dataset = build_graph(everything)
    text = serialise(dataset, "turtle")
    elapsed = time.perf_counter() - began
    assert elapsed < 20, f"build and Turtle of {len(everything)} documents took {elapsed:.1f}s"
    summary = summarise(dataset)
    assert summary.documents == len(everything)
    assert summary.inspections >= 35
    # The corpus holds PDFs of the two 2023 reports of data/: still one inspection each.
    assert len(inspections_of(dataset, MIDDLESBROUGH)) == 3
    assert len({d for d in dataset.subjects(SG.reportsOn, iri.inspection("middlesbrough", "2023-10-09"))}) == 2
    assert len(text) > 1_000_000
    conforms, report = validate(dataset)
    assert conforms, report


def test_builds_in_separate_processes_are_byte_identical(records, tmp_path):
    """Hash randomisation differs between processes: the output must not depend on it."""
    import json
    import os
    import subprocess
    import sys

    source = tmp_path / "records.json"
    source.write_text(json.dumps(records), encoding="utf-8")
    script = ("import json,sys; from sendgraph.graph import build_graph, serialise; "
              "d = build_graph(json.load(open(sys.argv[1], encoding='utf-8'))); "
              "sys.stdout.write(serialise(d, 'ntriples') + serialise(d, 'turtle'))")
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        done = subprocess.run([sys.executable, "-c", script, str(source)], env=env, capture_output=True, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    assert len(outputs[0]) > 500_000


@pytest.mark.parametrize("context", ['"file:///etc/hostname"', '"http://127.0.0.1:9/context.jsonld"',
                                     '[{"@vocab": "https://e.org/"}, "https://example.org/ctx"]',
                                     '{"@import": "file:///etc/hostname"}'])
def test_jsonld_with_an_outside_context_is_refused_not_fetched(tmp_path, context):
    # Regression: rdflib follows a remote or file @context, so reading an untrusted .jsonld fetched URLs or read files.
    from sendgraph.errors import GraphError
    from sendgraph.graph.files import load_graph

    path = tmp_path / "hostile.jsonld"
    path.write_text('{"@context": %s, "@id": "https://e.org/a", "https://e.org/p": "x"}' % context, encoding="utf-8")
    with pytest.raises(GraphError, match="outside @context"):
        load_graph(path)


def test_self_contained_jsonld_reads(tmp_path):
    from sendgraph.graph.files import load_graph

    path = tmp_path / "ok.jsonld"
    path.write_text('{"@context": {"p": "https://e.org/p"}, "@id": "https://e.org/a", "p": "x"}', encoding="utf-8")
    assert len(load_graph(path)) == 1


def test_impossible_dates_make_no_date_values():
    # Regression: "2023-02-31" became an xsd:date (and failed SHACL); "2023-13" an xsd:gYearMonth.
    from sendgraph.graph.build import date_literal

    assert date_literal("2023-02-31") is None
    assert date_literal("2023-13") is None
    assert str(date_literal("2024-02-29")) == "2024-02-29"
    assert str(date_literal("2023-12")) == "2023-12"


def _all_iris(dataset) -> set[str]:
    found = set()
    for quad in dataset.quads((None, None, None, None)):
        for term in quad[:3]:
            if isinstance(term, URIRef):
                found.add(str(term))
        found.add(str(quad[3].identifier if hasattr(quad[3], "identifier") else quad[3]))
    return found


def test_no_iri_holds_a_local_path_when_inputs_come_from_separate_trees(tmp_path):
    """Two folders with no common parent but the file system's root (one under the current folder's
    tree, one under the temporary folder's): graph names are file names within each folder given."""
    import tempfile

    from sendgraph.graph.build import build_roots
    from sendgraph.read.extract import extract_paths

    here = tmp_path / "inputs"
    here.mkdir()
    shutil.copy(DATA / "hartlepool-2023-area-send-inspection.txt", here)
    other_parent = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(dir=other_parent, prefix="sendgraph-tree-") as other:
        other = Path(other)
        (other / "deeper").mkdir()
        shutil.copy(DATA / "middlesbrough-2023-area-send-inspection.txt", other / "deeper")
        paths = [here, other]
        dataset = build_graph(extract_paths(paths).records, root=build_roots(paths))
        iris = _all_iris(dataset)
        for folder in (here, other):  # neither the folders' names nor those of any folder above them
            for part in [p for p in folder.parts[1:] if len(p) >= 8] + [folder.name]:
                assert not any(part in found for found in iris), (part, [f for f in iris if part in f][:3])
        assert {str(g.identifier) for g in dataset.graphs() if "/id/graph/" in str(g.identifier)} == {
            iri.ID + "graph/hartlepool-2023-area-send-inspection.txt",
            iri.ID + "graph/deeper/middlesbrough-2023-area-send-inspection.txt"}


def test_a_documents_graph_name_does_not_depend_on_the_other_paths_given(tmp_path):
    from sendgraph.graph.build import build_roots, document_graphs
    from sendgraph.read.extract import extract_paths

    one, two = tmp_path / "one", tmp_path / "two" / "nested"
    one.mkdir()
    two.mkdir(parents=True)
    shutil.copy(DATA / "hartlepool-2023-area-send-inspection.txt", one)
    shutil.copy(DATA / "middlesbrough-2023-area-send-inspection.txt", two)
    (two / "sub").mkdir()
    shutil.copy(DATA / "stockton-on-tees-2019-joint-local-area-send-inspection.txt", two / "sub")

    def names(*paths):
        records = extract_paths(list(paths)).records
        documents = {i: iri.document(r["sha256"]) for i, r in enumerate(records)}
        graphs = document_graphs(records, build_roots(paths), documents)
        return {r["source"].rsplit("/", 1)[-1]: str(graphs[i]).split("/id/graph/", 1)[1] for i, r in enumerate(records)}

    alone = names(one)
    assert alone == {"hartlepool-2023-area-send-inspection.txt": "hartlepool-2023-area-send-inspection.txt"}
    both = names(one, two)
    assert both == {**alone, "middlesbrough-2023-area-send-inspection.txt": "middlesbrough-2023-area-send-inspection.txt",
                    "stockton-on-tees-2019-joint-local-area-send-inspection.txt":
                        "sub/stockton-on-tees-2019-joint-local-area-send-inspection.txt"}
    assert names(two, one) == both
    # a file given by itself is named by its name, whatever else is given with it
    single = two / "sub" / "stockton-on-tees-2019-joint-local-area-send-inspection.txt"
    assert names(single, one)[single.name] == single.name
    # two different files that would get one name are told apart by their checksums
    clash = tmp_path / "three"
    clash.mkdir()
    changed = (DATA / "hartlepool-2023-area-send-inspection.txt").read_text(encoding="utf-8").replace(
        "is strong.", "is very strong.", 1)
    (clash / "hartlepool-2023-area-send-inspection.txt").write_text(changed, encoding="utf-8")
    records = extract_paths([one, clash]).records
    dataset = build_graph(records, root=build_roots([one, clash]))
    graphs = sorted(str(g.identifier).split("/id/graph/", 1)[1] for g in dataset.graphs() if "/id/graph/" in str(g.identifier))
    assert graphs == sorted(f"hartlepool-2023-area-send-inspection.txt~{r['sha256'][:12]}" for r in records)


def test_each_theme_of_a_finding_says_which_words_gave_it():
    """Provenance of the theme tagger: one sg:ThemeTagging per theme of a finding, naming the theme and
    the words of the finding that decided it."""
    from support.analytics_graphs import data_dataset

    from sendgraph.vocab import SG

    g = data_dataset()
    findings = set(g.subjects(RDF.type, SG.Finding))
    checked = 0
    for finding in findings:
        themes = set(g.objects(finding, DCTERMS.subject))
        taggings = list(g.objects(finding, SG.themeTagging))
        assert {g.value(t, SG.taggedTheme) for t in taggings} == themes, finding
        text = " ".join(str(g.value(finding, SG.text)).split()).lower()
        for tagging in taggings:
            assert (tagging, RDF.type, SG.ThemeTagging) in g
            words = [str(w) for w in g.objects(tagging, SG.matchedCue)]
            assert words and all(w.lower() in text for w in words), (finding, words)
            checked += 1
    assert checked > 300


def test_json_ld_keeps_the_default_graph_at_the_top_level_and_a_context_of_used_prefixes(tmp_path):
    """Regression: the default graph was written as an @graph object without @id, which JSON-LD readers
    (rdflib's own, pyld, Jena) take for a blank-node named graph; the @context listed rdflib's unused
    default prefixes (brick, csvw, ...)."""
    import json

    from support.analytics_graphs import data_dataset

    from sendgraph.graph.files import serialise

    text = serialise(data_dataset(), "jsonld")
    document = json.loads(text)
    assert all("@id" in node for node in document["@graph"])
    assert "brick" not in document["@context"] and {"sg", "prov", "oa"} <= set(document["@context"])
    trig = Dataset()
    trig.parse(data=serialise(data_dataset(), "trig"), format="trig")
    back = Dataset()
    back.parse(data=text, format="json-ld")

    def quads(ds):
        return {(s, p, o, str(getattr(g, "identifier", g))) for s, p, o, g in ds.quads((None, None, None, None))}

    assert quads(back) == quads(trig)
    people = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a foaf:Person }"
    default_people = [int(r[0]) for r in back.default_graph.query(people, initNs={"foaf": FOAF})]
    assert default_people and default_people[0] > 0  # the shared people are in the real default graph


def test_a_quote_keeps_the_sub_bullets_of_a_table_row_and_the_finding_keeps_its_iri():
    """Regression: a priority action printed as a table row with sub-bullets was quoted with its
    sub-bullets run together ("This includes: children and young people waiting ... intervention
    children waiting ..."). The quote now keeps each bullet as printed (" • ", as the other findings
    and the pages' lists have it), and the finding's IRI, minted from the text with punctuation and
    separators normalised away, is the one it had before."""
    from support.paths import corpus_pdf

    (record,) = extract_paths([corpus_pdf("bury")]).records
    dataset = build_graph([record])
    action = [f for f in record["findings"] if f["kind"] == "priority_action"][2]
    assert action["text"].startswith("Leaders across the partnership should improve the quality and availability of support")
    items = action["text"].split(" • ")
    assert items[0].endswith("while they wait for specialist assessments. This includes:")
    assert items[1:] == [
        "children and young people waiting for a speech and language therapy assessment and subsequent intervention",
        "children waiting for a community paediatric assessment and subsequent intervention",
        "children and young people on a neurodevelopmental pathway for an assessment of ADHD or autism. Leaders "
        "across the partnership should also ensure that young people aged up to 25 years old have access to a "
        "locally agreed neurodevelopmental diagnostic pathway.",
    ]
    # the IRI this finding had when its text was read without the bullets
    finding = URIRef("https://w3id.org/sendgraph/id/finding/inspection-bury-2024-02-12/priority-action-b91164eeec294f08")
    assert finding == iri.finding(iri.inspection("bury", "2024-02-12"), "priority_action", action["text"].replace(" • ", " "))
    selector = dataset.value(dataset.value(dataset.value(finding, SG.evidence), OA.hasTarget), OA.hasSelector)
    assert str(dataset.value(selector, OA.exact)) == action["text"]
    assert str(dataset.value(finding, SG.text)) == action["text"]
