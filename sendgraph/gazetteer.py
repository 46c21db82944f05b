"""The gazetteer of English local authorities: names, aliases, ONS codes, regions and statistical neighbours.

Derived from the public lookup ``la_lookup.csv`` by ``tools/make_gazetteer.py`` and shipped as
``sendgraph/data/gazetteer.csv``.
"""

from __future__ import annotations

import csv
import difflib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_DROP = re.compile(
    r"\b(?:the|london borough of|royal borough of|metropolitan borough of|borough of|city of(?! london\b)|county of|"
    r"council of the|council|metropolitan|borough|city(?! of london\b)|county|district|unitary|authority|local|"
    r"partnership|area|of)\b"
)


@dataclass(frozen=True)
class LocalAuthority:
    gss_code: str
    la_code: str
    name: str
    aliases: tuple
    region: str
    la_type: str
    population_0_25: int | None
    stat_neighbours: tuple
    previous_codes: tuple = ()  # ONS codes it had before a recoding (still resolve to it)
    population_note: str = ""  # why the population is missing (a figure inherited from a former authority)


def name_key(name: str) -> str:
    """A comparison key for a council or place name: case, punctuation and "Council"-type words dropped."""
    text = (name or "").lower().replace("&", " and ").replace("’", "'")
    text = re.sub(r"\bst\.?\s", "st ", text)
    text = re.sub(r"[-,.'()]", " ", text)
    text = _DROP.sub(" ", text)
    return " ".join(text.split())


@lru_cache(maxsize=1)
def authorities() -> tuple:
    """Every local authority in the gazetteer that has an ONS code."""
    rows = []
    with resources.files("sendgraph").joinpath("data/gazetteer.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row["gss_code"]:
                continue
            rows.append(
                LocalAuthority(
                    gss_code=row["gss_code"],
                    la_code=row["la_code"],
                    name=row["name"],
                    aliases=tuple(a for a in row["aliases"].split("|") if a),
                    region=row["region"],
                    la_type=row["la_type"],
                    population_0_25=int(row["population_0_25"]) if row["population_0_25"] else None,
                    stat_neighbours=tuple(c for c in row["stat_neighbours"].split("|") if c),
                    previous_codes=tuple(c for c in row.get("previous_codes", "").split("|") if c),
                    population_note=row.get("population_note", ""),
                )
            )
    return tuple(rows)


@lru_cache(maxsize=1)
def _index() -> dict:
    index: dict = {}
    for la in authorities():
        for name in (la.name, *la.aliases):
            index.setdefault(name_key(name), la)
    return index


def by_code(gss_code: str) -> LocalAuthority | None:
    """The local authority with this ONS code (or a code it had before a recoding), or None."""
    for la in authorities():
        if la.gss_code == gss_code or gss_code in la.previous_codes:
            return la
    return None


def lookup(name: str) -> LocalAuthority | None:
    """The local authority a printed council or area name refers to, or None.

    "Kingston upon Hull City Council", "Hull", "Bedford Borough Council" and "London Borough of
    Enfield" all resolve; a name that is not a local authority (an ICB, a school) gives None.
    """
    key = name_key(name)
    if not key:
        return None
    return _index().get(key)


def find_in(text: str) -> LocalAuthority | None:
    """The local authority whose name stands longest in text (e.g. in "Hartlepool Borough Council and NHS ...").

    Of two names as long, the one printed first.
    """
    key = " " + name_key(text) + " "
    best = None
    for name, la in _index().items():
        at = key.find(f" {name} ")
        if at >= 0 and (best is None or (-len(name), at) < (-len(best[0]), best[1])):
            best = (name, at, la)
    return best[2] if best else None


def closest_names(name: str, n: int = 3) -> list[str]:
    """The gazetteer names closest to a misspelt one, for error messages."""
    names = [la.name for la in authorities()]
    return difflib.get_close_matches(name, names, n=n, cutoff=0.5)


# ---------------------------------------------------------------------------------------------
# Integrated care boards
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CareBoard:
    """One of England's 42 integrated care boards (``sendgraph/data/icbs.csv``, from ``tools/make_icbs.py``)."""

    ods_code: str
    gss_code: str
    name: str  # "NHS Devon"
    region: str
    aliases: tuple  # short forms: "BSW", "NENC"

    @property
    def official_name(self) -> str:
        return f"{self.name} Integrated Care Board"

    @property
    def core(self) -> str:
        """The name without "NHS": "Devon", "Cornwall and the Isles of Scilly"."""
        return re.sub(r"^NHS\s+", "", self.name)


_BOARD_NOISE = frozenset("the and of nhs icb icbs integrated care board boards area system ics partnership".split())


def _board_words(name: str) -> frozenset:
    text = (name or "").lower().replace("&", " and ").replace("’", "'")
    return frozenset(re.sub(r"[^a-z0-9]+", " ", text).split()) - _BOARD_NOISE


@lru_cache(maxsize=1)
def care_boards() -> tuple:
    """Every integrated care board."""
    with resources.files("sendgraph").joinpath("data/icbs.csv").open(encoding="utf-8") as fh:
        return tuple(CareBoard(row["ods_code"], row["gss_code"], row["name"], row["region"],
                               tuple(a for a in row["aliases"].split("|") if a)) for row in csv.DictReader(fh))


def care_board(printed: str) -> CareBoard | None:
    """The board a printed name stands for: the board every word of whose name the printed name holds
    (the longest such name; so "NHS Norfolk and Waveney area ICB" and a name with a column's text
    run into it still resolve), else one whose short form ("BSW") the printed name is; else None."""
    words = _board_words(printed)
    if not words:
        return None
    fits = [b for b in care_boards() if _board_words(b.core) <= words]
    if fits:
        return max(fits, key=lambda b: (len(_board_words(b.core)), b.ods_code))
    tokens = set(re.sub(r"[^A-Za-z0-9&]+", " ", printed or "").upper().split())
    by_alias = [b for b in care_boards() if any(a.upper() in tokens for a in b.aliases)]
    return by_alias[0] if len(by_alias) == 1 else None
