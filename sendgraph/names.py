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
