"""Person names as printed in SEND letters and reports: honorifics, post-nominals, names within job lines."""

import pytest

from sendgraph.read.names import clean_name, looks_like_person, name_and_rest, title_of


@pytest.mark.parametrize(
    "printed, title",
    [
        ("Ms Sally Robinson", "Ms"),
        ("Dr Jane Smith", "Dr"),
        ("Mrs J. M. O'Callaghan", "Mrs"),
        ("Mr. David Crosby-Josephs", "Mr"),
        ("Mx Sam Lee", "Mx"),
        ("Cllr Peter Jones", "Cllr"),
        ("Professor Sir Ian Smith", "Professor Sir"),
        ("  Dame Christine Lenehan ", "Dame"),
        ("Matthew Klimcke HMI", None),
        # Names that merely start with the letters of an honorific have none.
        ("Drake Peters", None),
        ("Mrsic Ivana", None),
        ("Mrs", None),
        ("", None),
        (None, None),
    ],
)
def test_title_of(printed, title):
    assert title_of(printed) == title


@pytest.mark.parametrize(
    "printed, name",
    [
        ("Dr Jane Smith", "Jane Smith"),
        ("Ms Sally Robinson HMI", "Sally Robinson"),
        ("Mrs J. M. O'Callaghan", "J. M. O'Callaghan"),
        ("Mr. David Crosby-Josephs", "David Crosby-Josephs"),
        ("Ms Lucy O’Connor", "Lucy O'Connor"),  # typographic apostrophe made plain
        ("Cllr Peter  Jones, OBE", "Peter Jones"),
        ("Sir Alan Wood CBE", "Alan Wood"),
        ("Dr Ruth Lamb FRCPCH", "Ruth Lamb"),
        ("Jane Smith, HMI", "Jane Smith"),
        ("Jane Mackenzie-Smith MBE", "Jane Mackenzie-Smith"),
        ("Prof. Dr. Anne Marie van der Berg", "Anne Marie van der Berg"),
        ("Mrs Drury", "Drury"),
        ("  Kate\n McAllister ", "Kate McAllister"),
        ("Peter Jones,", "Peter Jones"),
        ("", ""),
        (None, ""),
    ],
)
def test_clean_name(printed, name):
    assert clean_name(printed) == name


def test_clean_name_keeps_names_that_start_like_a_title():
    assert clean_name("Drake Peters") == "Drake Peters"
    assert clean_name("Misha Collins") == "Misha Collins"
    assert clean_name("Sirius Black") == "Sirius Black"


@pytest.mark.parametrize(
    "text",
    [
        "Jane Smith",
        "Dr Jane Smith",
        "Ms Sally Robinson HMI",
        "Mrs J. M. O'Callaghan",
        "Siobhan O'Neill-Brown",
        "Kate McAllister",
        "Maria de Souza",
        "Renée Lefèvre",
        "Jean-Paul Martin",
        "J. Smith",
    ],
)
def test_looks_like_person_accepts_names(text):
    assert looks_like_person(text)


@pytest.mark.parametrize(
    "text",
    [
        "Smith",  # one word
        "Jane Smith Director of Children's Services",
        "Lead inspector",
        "Ofsted",
        "the inspection team",
        "Amanda Jane Mary Louise Jones",  # five words
        "",
        None,
    ],
)
def test_looks_like_person_rejects_other_text(text):
    assert not looks_like_person(text)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ms Sally Robinson Director of Children's Services", ("Ms Sally Robinson", "Director of Children's Services")),
        ("Ali Wilson, chief officer", ("Ali Wilson", "chief officer")),
        ("Dr Jane Smith, Chief Executive, NHS Humber", ("Dr Jane Smith", "Chief Executive, NHS Humber")),
        ("Mrs J. M. O'Callaghan Deputy Director", ("Mrs J. M. O'Callaghan", "Deputy Director")),
        ("Ms Lucy O’Connor, Executive Director", ("Ms Lucy O'Connor", "Executive Director")),
        ("Siobhan O'Neill-Brown Chief Executive", ("Siobhan O'Neill-Brown", "Chief Executive")),
        ("Kate McAllister, Director of Education", ("Kate McAllister", "Director of Education")),
        ("Maria de Souza Head of SEND", ("Maria de Souza", "Head of SEND")),
        ("Mr R. J. Patel Strategic Director", ("Mr R. J. Patel", "Strategic Director")),
        ("Matthew Klimcke HMI Lead inspector", ("Matthew Klimcke HMI", "Lead inspector")),
        ("Dr Ruth Lamb CBE, Medical Director", ("Dr Ruth Lamb CBE", "Medical Director")),
        ("Jane Smith HMI, Ofsted", ("Jane Smith HMI", "Ofsted")),
        ("Mr Smith", ("Mr Smith", "")),
        ("Dr Jane", ("Dr Jane", "")),
        # At most four words of name; the rest is left over.
        ("Amanda Jane Mary Jones Smith director", ("Amanda Jane Mary Jones", "Smith director")),
    ],
)
def test_split_name(text, expected):
    assert name_and_rest(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Director of Children's Services",
        "NHS Humber and North Yorkshire ICB",
        "Lead inspector",
        "SEND Team",
        "Jane SMITH, director",  # a word in capitals is taken for an acronym
        "Jane",  # one word and no honorific
        "",
        None,
    ],
)
def test_split_name_none_when_text_does_not_open_with_a_name(text):
    assert name_and_rest(text) is None


# Regression: names with lower-case particles, d' or a capital outside ASCII were not taken as names,
# so such an inspector vanished from the team.
@pytest.mark.parametrize(
    "name", ["Tom van der Berg", "Ann Marie de la Cruz", "Jane d'Souza", "Seán Ó Briain", "Dr Jo McAdam HMI"]
)
def test_names_with_particles_and_accents_look_like_people(name):
    assert looks_like_person(name)


@pytest.mark.parametrize("text", ["de la Cruz Ann", "Ann de", "NHS North East", "Area SEND", "Jo 2Smith"])
def test_particles_and_acronyms_do_not_make_a_name(text):
    assert not looks_like_person(text)


def test_split_name_keeps_particles_inside_the_name():
    assert name_and_rest("Tom van der Berg, Ofsted Inspector") == ("Tom van der Berg", "Ofsted Inspector")
    assert name_and_rest("Jane d'Souza, Head of SEND") == ("Jane d'Souza", "Head of SEND")
    assert name_and_rest("Ann Smith de la") == ("Ann Smith", "de la")


@pytest.mark.parametrize(
    "role, lead",
    [("Ofsted HMI, lead inspector", True), ("Lead Inspector", True), ("CQC lead inspector", True),
     ("Ofsted Inspector", False), ("Deputy lead inspector", False), ("shadow lead inspector", False),
     ("Children's Services Inspector, CQC", False), ("HMI (Lead)", True)],
)
def test_is_lead_role(role, lead):
    from sendgraph.read.names import is_lead_role

    assert is_lead_role(role) is lead
