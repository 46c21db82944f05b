"""Person names as printed: honorifics, post-nominals and inspector grades removed, spacing made regular."""

from __future__ import annotations

import re

HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Cllr", "Councillor", "Rev")
_HONORIFIC = re.compile(r"^(?:(?:" + "|".join(HONORIFICS) + r")\.?\s+)+", re.IGNORECASE)
_POSTNOMINAL = re.compile(r"(?:[\s,]+(?:HMI|CBE|OBE|MBE|DBE|KBE|QPM|FRCP|FRCPCH|MRCPCH|PhD|MBA|MSc|BSc|RGN|RN))+\s*$")
# Particles inside a surname ("Tom van der Berg", "Ann Marie de la Cruz", "John St Clair"), lower case.
PARTICLES = frozenset("van von de der den da di le la du del della dos das bin ibn al el ter ten st".split())
_POSTNOMINAL_WORDS = frozenset({"HMI", "CBE", "OBE", "MBE"})
_INITIALS = re.compile(r"(?:[^\W\d_]\.)+")


def is_name_word(word: str) -> bool:
    """A capitalised word of a name in any alphabet: O'Callaghan, Crosby-Josephs, d'Souza, Ó, J., McAdam.

    An acronym ("NHS", "SEND") is not one.
    """
    core = re.sub(r"^[dD]['’](?=[^\W\d_])", "", word)
    if not core or not core[0].isupper() or not all(ch.isalpha() or ch in "'’-." for ch in core):
        return False
    if "." in core and not _INITIALS.fullmatch(core) and not re.fullmatch(r"[^\W\d_]+\.", core):
        return False
    letters = [ch for ch in core if ch.isalpha()]
    return len(letters) == 1 or not all(ch.isupper() for ch in letters) or _INITIALS.fullmatch(core) is not None


_LEAD = re.compile(r"(?<!deputy )(?<!assistant )(?<!shadow )(?<!co-)\blead\b", re.IGNORECASE)


def is_lead_role(role: str) -> bool:
    """True for a lead inspector's role ("Ofsted HMI, lead inspector"); a deputy, assistant or shadow lead is not."""
    return bool(_LEAD.search(" ".join((role or "").split())))


def title_of(name: str) -> str | None:
    """The honorific a printed name starts with ("Ms Sally Robinson" -> "Ms"), or None."""
    match = _HONORIFIC.match((name or "").strip())
    return match.group(0).strip().rstrip(".") if match else None


def clean_name(name: str) -> str:
    """A printed name without honorifics or trailing "HMI"/"CBE", single-spaced."""
    name = " ".join((name or "").replace("’", "'").split())
    name = _HONORIFIC.sub("", name)
    name = _POSTNOMINAL.sub("", name)
    return name.strip(" ,.;:-–")


def looks_like_person(text: str) -> bool:
    """True where text is just a person's name: an optional honorific, two to four capitalised words
    (with particles such as "van der" between them) and an optional "HMI"/"CBE"."""
    words = (text or "").split()
    if words and _HONORIFIC.match(words[0] + " "):
        words = words[1:]
    if words and words[-1] in _POSTNOMINAL_WORDS:
        words = words[:-1]
    names = 0
    particles = 0
    for index, word in enumerate(words):
        if word in PARTICLES and 0 < index < len(words) - 1 and particles < 2:
            particles += 1
            continue
        if not is_name_word(word):
            return False
        names += 1
        particles = 0
    return 2 <= names <= 4


# Words that open a job title or an organisation's name, never a person's name ("Director", "Council").
TITLE_WORDS = frozenset(
    """director directors executive officer chief head assistant deputy interim acting corporate strategic
    service services manager lead leader local regional senior her his majesty's majesty hmi inspector
    inspectors inspection children's childrens cabinet member mayor commissioner principal joint designated
    accountable managing general programme project portfolio divisional group team education consultant
    clinical medical associate vice president chair chairman chairperson secretary coordinator
    co-ordinator advisor adviser specialist operational operations area nominated council borough county
    city district metropolitan nhs ccg icb cqc ofsted care quality commission integrated board trust
    partnership department directorate authority health social the of and for to at in on public
    school schools primary secondary""".split()
)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.-]*|[dD]['’][^\W\d_][\w'’-]*)$")


def name_and_rest(text: str) -> tuple[str, str] | None:
    """(name as printed, rest) where text opens with a person's name, else None.

    "Ms Sally Robinson Director of Children's Services" -> ("Ms Sally Robinson", "Director of Children's
    Services"); "Ali Wilson, chief officer" -> ("Ali Wilson", "chief officer"). The name ends at a
    comma, at a word that opens a job title (TITLE_WORDS) or after four words.
    """
    words = " ".join((text or "").replace("’", "'").split()).split(" ")
    name: list[str] = []
    i = 0
    while i < len(words) and _HONORIFIC.match(words[i] + " "):
        name.append(words[i])
        i += 1
    honorifics = len(name)
    stop = False
    while i < len(words) and sum(1 for w in name[honorifics:] if w not in PARTICLES) < 4 and not stop:
        word = words[i]
        bare = word.rstrip(",;:")
        particle = bare in PARTICLES and len(name) > honorifics and bare == word
        if not bare or (bare.lower() in TITLE_WORDS and not particle) or not (particle or _NAME_TOKEN.match(bare)):
            break
        stop = bare != word
        name.append(bare)
        i += 1
    while i < len(words) and words[i].upper() in ("HMI", "HMI,", "OBE", "CBE", "MBE"):
        name.append(words[i].rstrip(","))
        i += 1
    core = [w for w in name[honorifics:] if w.upper() not in ("HMI", "OBE", "CBE", "MBE")]
    while core and core[-1] in PARTICLES and name[-1] == core[-1]:  # a particle ends no name: give it back
        core.pop()
        name.pop()
        i -= 1
    if core and not is_name_word(core[-1].rstrip(".")):
        return None
    if len(core) < 2 and not (honorifics and core):
        return None
    if any(w.isalpha() and w.isupper() and len(w) > 1 for w in core):
        return None  # an acronym ("NHS", "SEND") is not part of a name
    rest = " ".join(words[i:]).strip(" ,;:-–")
    return " ".join(name), rest
