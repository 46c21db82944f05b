"""The NetworkX views of the graph: nodes, facts and edges of data/, the projections, lookups, and speed on the corpus."""

import time
from collections import Counter

import pytest
from support.analytics_graphs import corpus_dataset, corpus_view, data_dataset, data_view
from rdflib import RDF
from rdflib.namespace import FOAF

from sendgraph.graph import iri
from sendgraph.errors import UsageError
from sendgraph.vocab import SG
from sendgraph.analysis.network import area_network, area_subgraph, find_area, find_person, find_theme, inspector_network, team, theme_area_graph, to_networkx

HARTLEPOOL = str(iri.area("E06000001", "Hartlepool"))
MIDDLESBROUGH = str(iri.area("E06000002", "Middlesbrough"))
STOCKTON = str(iri.area("E06000004", "Stockton-on-Tees"))
HARTLEPOOL_2016 = str(iri.inspection("hartlepool", "2016-10-03"))
HARTLEPOOL_2023 = str(iri.inspection("hartlepool", "2023-03-13"))
MIDDLESBROUGH_2017 = str(iri.inspection("middlesbrough", "2017-03-20"))
MIDDLESBROUGH_2019 = str(iri.inspection("middlesbrough", "2019-07-08"))
MIDDLESBROUGH_2023 = str(iri.inspection("middlesbrough", "2023-10-09"))


def node_named(G, kind, label):
    found = [n for n, d in G.nodes(data=True) if d["kind"] == kind and d["label"] == label]
    assert len(found) == 1, (kind, label, found)
    return found[0]


def test_nodes_of_data_have_a_kind_a_label_and_string_facts():
    G = data_view()
    kinds = Counter(kind for _, kind in G.nodes(data="kind"))
    assert kinds["area"] == 3
    assert kinds["inspection"] == 6  # Hartlepool 2016, 2023; Middlesbrough 2017, 2019 revisit, 2023; Stockton 2019
    assert kinds["document"] == 6
    assert kinds["local_authority"] == 3
    assert kinds["inspectorate"] == 2
    assert kinds["icb"] == 1  # one ICB for Hartlepool and Middlesbrough 2023
    for node, data in G.nodes(data=True):
        assert isinstance(node, str) and node.startswith("https://w3id.org/sendgraph/id/"), node
        assert isinstance(data["label"], str) and data["label"].strip(), node
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in data["facts"].items()), node
    for _, _, key, data in G.edges(keys=True, data=True):
        assert data["predicate"] == key and data["label"]


def test_view_has_every_finding_person_and_inspection_of_the_rdf():
    dataset, G = data_dataset(), data_view()
    for cls, kind in ((SG.Finding, "finding"), (FOAF.Person, "person"), (SG.Inspection, "inspection")):
        in_rdf = {str(s) for s in dataset.subjects(RDF.type, cls)}
        in_view = {n for n, k in G.nodes(data="kind") if k == kind}
        assert in_rdf == in_view, kind
    team_triples = {(str(s), str(o)) for s, o in dataset.subject_objects(SG.inspector)}
    team_edges = {(u, v) for u, v, k in G.edges(keys=True) if k in ("inspector", "leadInspector")}
    assert team_triples == team_edges


def test_inspection_nodes_carry_dates_outcome_and_leads():
    G = data_view()
    h2016 = G.nodes[HARTLEPOOL_2016]
    assert h2016["label"] == "Hartlepool 2016-10-03"
    assert (h2016["start_date"], h2016["end_date"], h2016["outcome"]) == ("2016-10-03", "2016-10-07", "wsoa_required")
    assert h2016["facts"]["outcome"] == "Written statement of action required"
    assert h2016["facts"]["lead inspectors"] == "Nick Whittaker"
    assert h2016["area"] == HARTLEPOOL
    h2023 = G.nodes[HARTLEPOOL_2023]
    assert h2023["outcome"] == "positive" and h2023["inspection_type"] == "AreaSendInspection"
    assert h2023["facts"]["lead inspectors"] == "Alex Thorp, Lyndsey McGeary"
    assert G.has_edge(HARTLEPOOL_2023, HARTLEPOOL_2016, key="previousInspection")


def test_the_lead_of_hartlepool_2016_and_middlesbrough_2017_is_one_node_with_role_and_lead_on_the_edges():
    G = data_view()
    whittaker = node_named(G, "person", "Nick Whittaker")
    led = {u: d for u, _, k, d in G.in_edges(whittaker, keys=True, data=True) if k == "leadInspector"}
    assert set(led) == {HARTLEPOOL_2016, MIDDLESBROUGH_2017}
    assert led[HARTLEPOOL_2016]["role"] == "Lead Inspector" and led[HARTLEPOOL_2016]["lead"] is True
    assert led[MIDDLESBROUGH_2017]["role"] == "HMI Lead Inspector"
    # He also signed both letters: a document edge, not a second team membership.
    signed = [u for u, _, k in G.in_edges(whittaker, keys=True) if k == "signedBy"]
    assert len(signed) == 2 and all(G.nodes[d]["kind"] == "document" for d in signed)
    assert not any(k == "inspector" for _, _, k in G.in_edges(whittaker, keys=True))  # lead edge only, no duplicate


def test_signatories_are_not_inspection_team_members():
    G = data_view()
    kirby = node_named(G, "person", "Cathryn Kirby")  # printed "Cathy Kirby" in the Middlesbrough letter
    assert "Cathy Kirby" in G.nodes[kirby]["facts"]["also printed as"]
    edges = Counter(k for _, _, k in G.in_edges(kirby, keys=True))
    assert edges == {"signedBy": 3}  # Hartlepool 2016, Middlesbrough 2017, Stockton 2019 letters
    for inspection in (HARTLEPOOL_2016, MIDDLESBROUGH_2017):
        assert [m["name"] for m in team(G, inspection)][0] == "Nick Whittaker"
        assert "Cathryn Kirby" not in {m["name"] for m in team(G, inspection)}
        assert "Ursula Gallagher" not in {m["name"] for m in team(G, inspection)}
    assert {m["name"] for m in team(G, MIDDLESBROUGH_2017)} == {"Nick Whittaker", "Lucy Harte", "Jackie Lown"}
    assert {m["organisation"] for m in team(G, MIDDLESBROUGH_2017) if m["name"] == "Lucy Harte"} == {"CQC"}


def test_finding_nodes_carry_their_evidence_quote_and_source():
    G = data_view()
    found = [n for n, d in G.nodes(data=True) if d["kind"] == "finding" and d["inspection"] == HARTLEPOOL_2016
             and d["text"].startswith("weaknesses in providing the clear and timely information")]
    assert len(found) == 1
    data = G.nodes[found[0]]
    assert data["finding_kind"] == "significant_weakness"
    assert data["quote"] == data["text"] == data["facts"]["evidence"]
    assert data["facts"]["source"] == "hartlepool-2016-and-middlesbrough-2017-send-inspection-letters.txt#1"
    assert data["facts"]["kind"] == "Area of significant weakness"
    assert G.nodes[data["source"]]["kind"] == "document"
    assert isinstance(data["paragraph"], int)
    for code in data["themes"]:
        assert G.has_edge(found[0], str(iri.concept(iri.THEME, code)), key="subject")


def test_inspector_network_links_team_members_to_inspections_and_areas_only():
    H = inspector_network(data_view())
    whittaker = node_named(H, "person", "Nick Whittaker")
    assert set(H[whittaker]) == {HARTLEPOOL_2016, MIDDLESBROUGH_2017}
    assert H[whittaker][HARTLEPOOL_2016]["lead"] is True
    assert H.has_edge(HARTLEPOOL_2016, HARTLEPOOL) and H.has_edge(MIDDLESBROUGH_2017, MIDDLESBROUGH)
    names = {d["label"] for _, d in H.nodes(data=True) if d["kind"] == "person"}
    assert len(names) == 18  # 3 + 3 + 3 + 5 + 5 team places; Nick Whittaker holds two
    assert not names & {"Cathryn Kirby", "Ursula Gallagher", "Sally Robinson"}
    assert MIDDLESBROUGH_2019 not in H  # only mentioned: no team


def test_area_network_of_data_links_hartlepool_and_middlesbrough_through_nick_whittaker():
    H = area_network(data_view())
    assert set(H.nodes) == {HARTLEPOOL, MIDDLESBROUGH, STOCKTON}
    assert list(H.edges) in ([(HARTLEPOOL, MIDDLESBROUGH)], [(MIDDLESBROUGH, HARTLEPOOL)])
    assert H[HARTLEPOOL][MIDDLESBROUGH]["weight"] == 1
    assert H[HARTLEPOOL][MIDDLESBROUGH]["shared"] == ["Nick Whittaker"]


def test_area_network_of_the_corpus_links_areas_by_the_inspectors_they_shared():
    G = corpus_view()
    H = area_network(G)
    hull = find_area(G, "Hull")
    nottinghamshire = find_area(G, "Nottinghamshire")
    # David Mills (Ofsted) and Claire Mason (CQC) led both the Middlesbrough and the Hull inspection of 2023.
    assert H[MIDDLESBROUGH][hull]["shared"] == ["Claire Mason", "David Mills"]
    assert H[MIDDLESBROUGH][hull]["weight"] == 2
    # Lucy Harte inspected Middlesbrough in 2017 (2016 framework) and led CQC's Nottinghamshire team in 2023.
    assert "Lucy Harte" in H[MIDDLESBROUGH][nottinghamshire]["shared"]


def test_theme_area_graph_counts_match_a_sparql_count():
    dataset, G = data_dataset(), data_view()
    H = theme_area_graph(G)
    rows = dataset.query("""
        PREFIX sg: <https://w3id.org/sendgraph/ontology#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT ?area ?theme ?kind (COUNT(DISTINCT ?f) AS ?n) WHERE {
          ?f a sg:Finding ; sg:aboutInspection ?i ; dcterms:subject ?theme ; sg:findingKind ?k .
          ?i sg:area ?area . BIND(REPLACE(STR(?k), "^.*/", "") AS ?kind)
        } GROUP BY ?area ?theme ?kind""")
    expected = Counter()
    for area, theme, kind, n in rows:
        kind = "weakness" if str(kind) == "significant_weakness" else str(kind)
        expected[(str(area), str(theme), kind)] += int(n)
    assert expected, "no tagged findings in data/"
    checked = 0
    for (area, theme, kind), n in expected.items():
        if kind in ("strength", "weakness", "priority_action", "improvement"):
            assert H[area][theme][kind] == n, (area, theme, kind)
            checked += 1
    assert checked > 20
    assert {H.nodes[n]["kind"] for n in H} == {"area", "theme"}


def test_area_subgraph_keeps_one_area_and_what_belongs_to_it():
    G = data_view()
    S = area_subgraph(G, "Hartlepool Borough Council")
    assert HARTLEPOOL in S and MIDDLESBROUGH not in S
    assert {n for n, k in S.nodes(data="kind") if k == "inspection"} == {HARTLEPOOL_2016, HARTLEPOOL_2023}
    people = {d["label"] for _, d in S.nodes(data=True) if d["kind"] == "person"}
    assert {"Nick Whittaker", "Alex Thorp", "Sally Robinson", "Cathryn Kirby"} <= people
    assert not people & {"Eleni Ioannides", "David Mills", "Martin Gray"}
    organisations = {d["label"] for _, d in S.nodes(data=True) if d["kind"] in ("icb",
                                                                                 "ccg")}
    assert len(organisations) == 2  # the CCG of 2016 and the ICB of 2023
    findings = [n for n, k in S.nodes(data="kind") if k == "finding"]
    assert findings and all(S.nodes[f]["inspection"] in (HARTLEPOOL_2016, HARTLEPOOL_2023) for f in findings)
    assert len(findings) == sum(1 for n, d in G.nodes(data=True)
                                if d["kind"] == "finding" and d["inspection"] in (HARTLEPOOL_2016, HARTLEPOOL_2023))


@pytest.mark.parametrize("name", ["Hartlepool", "HARTLEPOOL", "hartlepool borough council", "Hartlepool Council",
                                  "E06000001", "Hartlepool Local Area Partnership"])
def test_area_names_match_leniently(name):
    assert find_area(data_view(), name) == HARTLEPOOL


def test_gazetteer_aliases_and_unique_beginnings_find_areas():
    G = data_view()
    assert find_area(G, "Stockton") == STOCKTON
    assert find_area(G, "Middlesbrough Borough Council") == MIDDLESBROUGH
    assert find_area(corpus_view(), "County Durham") == find_area(corpus_view(), "Durham")
    assert corpus_view().nodes[find_area(corpus_view(), "Hull")]["gss_code"] == "E06000010"  # Kingston upon Hull


def test_unknown_names_suggest_the_closest_known_ones():
    G = data_view()
    with pytest.raises(UsageError, match="did you mean 'Hartlepool'"):
        find_area(G, "Hartlepol")
    with pytest.raises(UsageError, match="Sunderland has no inspection in this graph"):
        find_area(G, "Sunderland")
    with pytest.raises(UsageError, match="did you mean 'local-offer'"):
        find_theme(G, "local ofer")
    assert find_theme(G, "Local offer and information") == "local-offer"
    assert find_theme(G, "LOCAL-OFFER") == "local-offer"
    with pytest.raises(UsageError, match="did you mean 'Nick Whittaker'"):
        find_person(G, "Nick Whitaker")
    assert find_person(G, "cathy kirby") == find_person(G, "Cathryn Kirby")


def test_to_networkx_is_fast_and_complete_on_the_corpus():
    dataset = corpus_dataset()
    started = time.perf_counter()
    G = to_networkx(dataset)
    elapsed = time.perf_counter() - started
    assert elapsed < 10, f"to_networkx took {elapsed:.1f}s"
    findings = {n for n, k in G.nodes(data="kind") if k == "finding"}
    assert findings == {str(s) for s in dataset.subjects(RDF.type, SG.Finding)}
    assert sum(1 for _, k in G.nodes(data="kind") if k == "area") == 30  # 29 corpus areas and Stockton-on-Tees
    assert sum(1 for _, k in G.nodes(data="kind") if k == "inspection") >= 60
