"""Person names as printed: honorifics, post-nominals and inspector grades removed, spacing made regular."""

from __future__ import annotations

import re

HONORIFICS = ("Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Dame", "Cllr", "Councillor", "Rev")
_HONORIFIC = re.compile(r"^(?:(?:" + "|".join(HONORIFICS) + r")\.?\s+)+", re.IGNORECASE)
_POSTNOMINAL = re.compile(r"(?:[\s,]+(?:HMI|CBE|OBE|MBE|DBE|KBE|QPM|FRCP|FRCPCH|MRCPCH|PhD|MBA|MSc|BSc|RGN|RN))+\s*$")
# One word of a name: capitalised, letters with apostrophes, hyphens or a middle dot (O'Callaghan, Crosby-Josephs).
NAME_WORD = r"(?:[A-Z][a-zà-ÿ]*(?:['’-][A-Za-zà-ÿ]+)*|[A-Z]\.?|Mc[A-Z][a-z]+|Mac[A-Z][a-z]+|O'[A-Z][a-z]+|[A-ZÀ-Þ][a-zà-ÿ]+)"
PERSON = re.compile(
    r"^(?:(?:" + "|".join(HONORIFICS) + r")\.?\s+)?" + NAME_WORD + r"(?:\s+(?:(?:van|von|de|der|da|di|le|la|du|del|bin|ibn)\s+)?"
    + NAME_WORD + r"){1,3}(?:\s+(?:HMI|CBE|OBE|MBE))?$"
)


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
    """True where text is just a person's name (two to four capitalised words, optional honorific)."""
    return bool(PERSON.match(" ".join((text or "").split())))


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
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.-]*|van|von|de|der|da|di|le|la|du|del|bin|ibn)$")


def split_name(text: str) -> tuple[str, str] | None:
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
    while i < len(words) and len(name) - honorifics < 4 and not stop:
        word = words[i]
        bare = word.rstrip(",;:")
        if not bare or bare.lower() in TITLE_WORDS or not _NAME_TOKEN.match(bare):
            break
        stop = bare != word
        name.append(bare)
        i += 1
    while i < len(words) and words[i].upper() in ("HMI", "HMI,", "OBE", "CBE", "MBE"):
        name.append(words[i].rstrip(","))
        i += 1
    core = [w for w in name[honorifics:] if w.upper() not in ("HMI", "OBE", "CBE", "MBE")]
    if core and not core[-1][:1].isupper():
        return None
    if len(core) < 2 and not (honorifics and core):
        return None
    if any(w.isalpha() and w.isupper() and len(w) > 1 for w in core):
        return None  # an acronym ("NHS", "SEND") is not part of a name
    rest = " ".join(words[i:]).strip(" ,;:-–")
    return " ".join(name), rest
