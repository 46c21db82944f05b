"""The shipped gazetteer of English local authorities: loading, name keys, lookups by printed name and code."""

import csv
import re
from pathlib import Path

import pytest

import sendgraph
from sendgraph.gazetteer import authorities, by_code, closest_names, find_in, lookup, name_key

CSV = Path(sendgraph.__file__).parent / "data" / "gazetteer.csv"


def _csv_rows():
    with CSV.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_authorities_are_the_csv_rows_with_an_ons_code():
    rows = _csv_rows()
    coded = [row for row in rows if row["gss_code"]]
    uncoded = {row["name"] for row in rows if not row["gss_code"]}
    assert uncoded >= {"Cumbria", "Northamptonshire", "Poole"}  # abolished before the 2023 framework
    las = authorities()
    assert [la.gss_code for la in las] == [row["gss_code"] for row in coded]
    assert len(las) == 153
    assert not uncoded & {la.name for la in las}
    assert authorities() is las  # loaded once


def test_authority_fields_are_typed_and_consistent():
    las = authorities()
    codes = {la.gss_code for la in las}
    assert len(codes) == len(las)
    assert len({la.la_code for la in las}) == len(las)
    for la in las:
        assert re.fullmatch(r"E0[6-9]\d{6}|E10\d{6}", la.gss_code), la
        assert re.fullmatch(r"\d{3}", la.la_code), la
        assert la.la_type in {"Unitary Authority", "Metropolitan District", "London Borough", "County"}, la
        assert (isinstance(la.population_0_25, int) and la.population_0_25 > 0) or (la.population_0_25 is None and la.population_note), la
        assert len(la.stat_neighbours) == 10, la
        assert set(la.stat_neighbours) <= codes, la
        assert la.gss_code not in la.stat_neighbours, la
    regions = {la.region for la in las}
    assert regions == {
        "North East", "North West", "Yorkshire and the Humber", "East Midlands", "West Midlands",
        "East of England", "London", "South East", "South West",
    }
    assert sum(la.region == "London" for la in las) == 33  # 32 boroughs and the City of London


def test_by_code():
    hartlepool = by_code("E06000001")
    assert hartlepool.name == "Hartlepool"
    assert hartlepool.la_code == "805"
    assert hartlepool.region == "North East"
    assert hartlepool.la_type == "Unitary Authority"
    assert hartlepool.population_0_25 == 27900
    assert hartlepool.stat_neighbours[:3] == ("E06000003", "E08000024", "E08000023")
    assert by_code("E06000047").name == "Durham"
    assert by_code("E06000047").aliases == ("County Durham",)
    assert by_code("E99999999") is None
    assert by_code("") is None


@pytest.mark.parametrize(
    "printed, key",
    [
        ("Kingston upon Hull City Council", "kingston upon hull"),
        ("Kingston Upon Hull, City of", "kingston upon hull"),
        ("City of York Council", "york"),
        ("St. Helens", "st helens"),
        ("St Helens Council", "st helens"),
        ("Telford & Wrekin Council", "telford and wrekin"),
        ("Southend-on-Sea", "southend on sea"),
        ("London Borough of Enfield", "enfield"),
        ("Royal Borough of Windsor and Maidenhead", "windsor and maidenhead"),
        ("Durham County Council", "durham"),
        ("County Durham", "durham"),
        ("Children’s Services", "children s services"),
        ("Council", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_name_key(printed, key):
    assert name_key(printed) == key


@pytest.mark.parametrize(
    "printed, gss_code",
    [
        ("Kingston upon Hull", "E06000010"),
        ("Kingston upon Hull City Council", "E06000010"),
        ("Hull City Council", "E06000010"),
        ("City of York", "E06000014"),
        ("City of York Council", "E06000014"),
        ("York", "E06000014"),
        ("Bristol", "E06000023"),
        ("Bristol City Council", "E06000023"),
        ("City of Bristol", "E06000023"),
        ("Southend-on-Sea", "E06000033"),
        ("Southend on Sea", "E06000033"),
        ("Southend-on-Sea City Council", "E06000033"),
        ("Telford and Wrekin", "E06000020"),
        ("Telford & Wrekin Council", "E06000020"),
        ("County Durham", "E06000047"),
        ("Durham", "E06000047"),
        ("Durham County Council", "E06000047"),
        ("St Helens", "E08000013"),
        ("St. Helens Council", "E08000013"),
        ("London Borough of Enfield", "E09000010"),
        ("Bedford Borough Council", "E06000055"),
        ("Royal Borough of Windsor and Maidenhead", "E06000040"),
        ("Brighton & Hove City Council", "E06000043"),
        ("BCP Council", "E06000058"),
        ("Bournemouth, Christchurch and Poole Council", "E06000058"),
        ("HARTLEPOOL BOROUGH COUNCIL", "E06000001"),
        ("Royal Borough of Kingston upon Thames", "E09000021"),
        ("East Riding of Yorkshire Council", "E06000011"),
        ("Herefordshire Council", "E06000019"),
        ("City of Bradford Metropolitan District Council", "E08000032"),
        ("Westmorland and Furness", "E06000064"),
    ],
)
def test_lookup_printed_names(printed, gss_code):
    la = lookup(printed)
    assert la is not None, printed
    assert la.gss_code == gss_code


@pytest.mark.parametrize(
    "printed",
    [
        "NHS Humber and North Yorkshire ICB",
        "Kingston",  # ambiguous: Kingston upon Hull or Kingston upon Thames
        "Richmond",
        "Cumbria",  # abolished in 2023, no ONS code in the gazetteer
        "Northamptonshire",
        "Council",
        "the Council",
        "",
        None,
    ],
)
def test_lookup_none_for_what_is_not_a_current_local_authority(printed):
    assert lookup(printed) is None


def test_every_name_and_alias_looks_itself_up():
    for la in authorities():
        for printed in (la.name, *la.aliases):
            assert lookup(printed) is la, printed


@pytest.mark.parametrize(
    "text, gss_code",
    [
        ("Hartlepool Borough Council and NHS North East and North Cumbria ICB", "E06000001"),
        ("Joint area SEND inspection in Kingston upon Hull", "E06000010"),
        ("The local area partnership of Telford and Wrekin", "E06000020"),
        # The longest name wins: East Riding of Yorkshire, not York.
        ("Area SEND inspection of East Riding of Yorkshire Local Area Partnership", "E06000011"),
        ("Inspection in Kingston upon Thames", "E09000021"),
        ("Joint local area SEND inspection in Southend-on-Sea", "E06000033"),
    ],
)
def test_find_in(text, gss_code):
    assert find_in(text).gss_code == gss_code


def test_find_in_none_without_an_authority():
    assert find_in("Ofsted and CQC joint inspection") is None
    assert find_in("") is None
    assert find_in(None) is None


def test_closest_names():
    assert closest_names("Hartlepol")[0] == "Hartlepool"
    assert closest_names("Kirklee") == ["Kirklees"]
    assert closest_names("Telford and Wrekn", n=1) == ["Telford and Wrekin"]
    assert len(closest_names("Hartlepol", n=2)) == 2
    assert closest_names("zzzz") == []


def test_city_of_london_is_not_every_mention_of_london():
    # "City of" is dropped from "City of York" but not from "City of London": "London" alone (in an
    # ICB's name, in "Greater London") is not the City of London's local authority.
    assert name_key("City of London") == "city london"
    assert lookup("City of London").gss_code == "E09000001"
    assert lookup("London") is None
    assert find_in("NHS North East London Integrated Care Board") is None
    assert find_in("Greater London Authority") is None
    assert find_in("The City of London Corporation and NHS North East London ICB").gss_code == "E09000001"
    assert find_in("Enfield, north London").gss_code == "E09000010"


def test_find_in_prefers_the_name_printed_first_of_two_as_long():
    # Regression: of two names of one length, the gazetteer's file order decided.
    from sendgraph.gazetteer import find_in

    assert find_in("Richmond upon Thames and Kingston upon Thames").name.startswith("Richmond")
    assert find_in("Kingston upon Thames and Richmond upon Thames").name.startswith("Kingston")


@pytest.mark.parametrize("short, code", [("Southend", "E06000033"), ("Stockton", "E06000004"),
                                         ("Stockton Borough Council", "E06000004"), ("Stoke", "E06000021")])
def test_short_forms_of_on_and_upon_names(short, code):
    assert lookup(short).gss_code == code


def test_a_short_form_two_authorities_share_is_not_an_alias():
    assert lookup("Kingston") is None  # upon Hull or upon Thames
    assert lookup("Newcastle") is None  # upon Tyne, or under Lyme


# ---------------------------------------------------------------------------------------------
# Integrated care boards
# ---------------------------------------------------------------------------------------------


def test_the_42_boards_have_their_codes():
    from sendgraph.gazetteer import care_boards

    boards = care_boards()
    assert len(boards) == 42 and len({b.ods_code for b in boards}) == 42
    assert all(b.gss_code.startswith("E54") and b.name.startswith("NHS ") for b in boards)


@pytest.mark.parametrize("printed, ods", [
    ("NHS BSW Integrated Care Board", "QOX"),  # a short form
    ("Humber and North Yorkshire ICB", "QOQ"),
    ("NHS Shropshire, Telford and Wrekin Integrated Care Board (NHS ST&W ICB)", "QOC"),
    ("Cornwall and Isles of Scilly ICB", "QT6"),
    ("NHS North East and North Cumbria Integrated Care Board Sam Allen", "QHM"),  # a column run into it
    ("NHS Norfolk and Waveney area ICB", "QMM"),
    ("NHS Staffordshire and Stoke-on-Trent ICB", "QNC"),
    ("North East London Integrated Care Board", "QMF"),
    ("NHS North East and North Cumbria", "QHM"),
])
def test_a_printed_board_name_resolves_to_its_board(printed, ods):
    from sendgraph.gazetteer import care_board

    assert care_board(printed).ods_code == ods


@pytest.mark.parametrize("printed", ["Derby", "NHS England", "", "Integrated Care Board", "North London"])
def test_a_name_that_is_no_board_is_none(printed):
    from sendgraph.gazetteer import care_board

    assert care_board(printed) is None


# ---------------------------------------------------------------------------------------------
# Known changes since the lookup was made
# ---------------------------------------------------------------------------------------------

# (old code, current code, name): ONS recoded Barnsley and Sheffield from 1 April 2025 after the
# Barnsley and Sheffield (Boundary Change) Order 2024.
RECODED = [("E08000016", "E08000038", "Barnsley"), ("E08000019", "E08000039", "Sheffield")]
# Authorities created in 2020-2023 whose lookup figures were copied from the authority they replaced.
INHERITED_POPULATION = ["Cumberland", "Westmorland and Furness"]


@pytest.mark.parametrize("old, new, name", RECODED)
def test_recoded_authorities_have_their_current_code_and_keep_the_old_one(old, new, name):
    from sendgraph import gazetteer

    la = gazetteer.lookup(name)
    assert la.gss_code == new and old in la.previous_codes
    assert gazetteer.by_code(old) is la and gazetteer.by_code(new) is la
    codes = {a.gss_code for a in gazetteer.authorities()}
    assert old not in codes
    assert all(old not in a.stat_neighbours for a in gazetteer.authorities())  # neighbours use the new code


@pytest.mark.parametrize("name", INHERITED_POPULATION)
def test_inherited_figures_are_marked_not_passed_on(name):
    from sendgraph import gazetteer

    la = gazetteer.lookup(name)
    assert la.population_0_25 is None and "Cumbria" in la.population_note
    figures = [a.population_0_25 for a in gazetteer.authorities() if a.population_0_25 is not None]
    assert len(figures) == len(set(figures)) or sorted(figures).count(128211) == 0
