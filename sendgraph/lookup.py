"""One resolver for the names users type: areas, themes and people, matched exactly, never by substring.

An area is named as councils print it ("Hartlepool Borough Council", "London Borough of Enfield"),
by a known short form of the gazetteer ("Hull", "Stockton", "County Durham"), by its ONS code (a
current or a former one) or by its IRI. Case, punctuation and words such as "Council" or "Local
Area Partnership" do not matter; anything else does: "Newham Hartlepool" is no area, and is refused
with the closest names of England's local authorities (the gazetteer, not only the graph's areas).

The analysis commands (history, compare, neighbours, inspectors --name, themes --theme), the
search filters and the shipped named queries' parameters all resolve names here. Errors are
:class:`UsageError` with one line, the name cut to :data:`SHOWN` characters.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sendgraph import gazetteer
from sendgraph.errors import UsageError, printable

SHOWN = 60  # characters of an unknown name repeated in an error
_LONGEST = 200  # no name is longer: a longer text is matched (for suggestions) on its beginning only


def shown(name) -> str:
    """A name as an error repeats it: on one line, printable, cut to :data:`SHOWN` characters."""
    text = printable(" ".join(str(name or "").split()))
    return text if len(text) <= SHOWN else text[: SHOWN - 3] + "..."


@dataclass(frozen=True)
class Area:
    """An area a graph holds: its node (the area's IRI), its label and its ONS code (if known)."""

    node: str
    label: str
    gss_code: str | None = None


def _display(la: gazetteer.LocalAuthority) -> str:
    """An authority's name for people: "Bristol" for "Bristol, City of"."""
    if "," in la.name and la.aliases:
        return la.aliases[0]
    return la.name


def _names_in(key: str) -> list:
    """Authorities whose name or short form stands as whole words in a name key, in the order printed
    (of names overlapping, the longest)."""
    padded = f" {key} "
    index = gazetteer._index()
    found = []  # (position, authority)
    for name in sorted(index, key=len, reverse=True):
        at = padded.find(f" {name} ")
        if at >= 0:
            if all(la is not index[name] for _, la in found):
                found.append((at, index[name]))
            padded = padded[:at] + " " * (len(name) + 2) + padded[at + len(name) + 2:]
    return [la for _, la in sorted(found, key=lambda item: item[0])]


def _listing(areas: list[Area]) -> str:
    labels = sorted({a.label for a in areas}, key=str.lower)
    if not labels:
        return "the graph has no areas"
    shown_labels = ", ".join(labels[:12]) + (", ..." if len(labels) > 12 else "")
    return f"the graph has {len(labels)} area{'s' if len(labels) != 1 else ''}: {shown_labels}"


def _area_suggestions(text: str, areas: list[Area]) -> list[str]:
    """The closest names to an unknown one: authorities named inside it, then the nearest spellings,
    each marked when the graph has no inspection of it."""
    key = gazetteer.name_key(text[:_LONGEST])
    in_graph = {a.gss_code: a for a in areas if a.gss_code}
    labels = {gazetteer.name_key(a.label): a.label for a in areas}
    candidates: dict = {}  # name key -> (display name, in the graph)
    for la in gazetteer.authorities():
        area = in_graph.get(la.gss_code)
        entry = (area.label, True) if area else (_display(la), False)
        for name in (la.name, *la.aliases):
            candidates.setdefault(gazetteer.name_key(name), entry)
    for k, label in labels.items():
        candidates.setdefault(k, (label, True))
    chosen = []
    for la in _names_in(key):
        area = in_graph.get(la.gss_code)
        chosen.append((area.label, True) if area else (_display(la), False))
    if key:
        for k in difflib.get_close_matches(key, list(candidates), n=4, cutoff=0.6):
            chosen.append(candidates[k])
    result = []
    for label, present in chosen:
        text_ = repr(label) + ("" if present else " (no inspection in this graph)")
        if text_ not in result:
            result.append(text_)
    return result[:4]


def resolve_area(name, areas) -> Area:
    """The area of ``areas`` (:class:`Area` values) that ``name`` names exactly; UsageError otherwise.

    A known authority the graph has no inspection of says so; an unknown name gets the closest names.
    """
    areas = list(areas)
    text = " ".join(str(name or "").split())
    if not text:
        raise UsageError("no area given: name an area as councils print it, or give its ONS code")
    if len(text) <= _LONGEST:
        for area in areas:
            if text == area.node:
                return area
        by_code = {a.gss_code: a for a in areas if a.gss_code}
        authority = gazetteer.by_code(text.upper())
        if text.upper() in by_code:
            return by_code[text.upper()]
        if authority is not None and authority.gss_code in by_code:
            return by_code[authority.gss_code]
        key = gazetteer.name_key(text)
        if key:
            for area in areas:
                if gazetteer.name_key(area.label) == key:
                    return area
        authority = authority or gazetteer.lookup(text)
        if authority is not None:
            if authority.gss_code in by_code:
                return by_code[authority.gss_code]
            for alias in (authority.name, *authority.aliases):
                for area in areas:
                    if gazetteer.name_key(area.label) == gazetteer.name_key(alias):
                        return area
            raise UsageError(f"{_display(authority)} has no inspection in this graph; {_listing(areas)}")
    suggestions = _area_suggestions(text, areas)
    hint = ("did you mean " + " or ".join(suggestions) + "?") if suggestions else _listing(areas)
    raise UsageError(f"unknown area {shown(text)!r}; {hint}")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text or "").lower()).strip("-")


def resolve_theme(name, labels: dict) -> str:
    """The code of the theme ``name`` names (its code or its label, in any case, with spaces or
    hyphens) among ``labels`` ({code: label}); UsageError with the closest themes otherwise."""
    text = " ".join(str(name or "").split())
    wanted = _slug(text[:_LONGEST])
    if not wanted:
        raise UsageError("no theme given: give a theme's code or label")
    if len(text) <= _LONGEST:
        for code, label in labels.items():
            if wanted in (code, _slug(label)):
                return code
    words = set(wanted.split("-"))
    close = [code for code, label in sorted(labels.items())
             if words <= set(code.split("-")) | set(_slug(label).split("-"))]
    by_name = {code: code for code in labels} | {_slug(label): code for code, label in labels.items()}
    if not close:
        close = [by_name[k] for k in difflib.get_close_matches(wanted, list(by_name), n=3, cutoff=0.5)]
    close = list(dict.fromkeys(close))[:4]
    if close:
        hint = "did you mean " + " or ".join(f"{code!r} ({labels[code]})" for code in close) + "?"
    else:
        hint = "the themes are: " + ", ".join(sorted(labels))
    raise UsageError(f"unknown theme {shown(text)!r}; {hint}")


def suggest(name, candidates, what: str) -> str:
    """"unknown WHAT 'name'; did you mean ...?" with the closest of ``candidates`` (else some of them)."""
    text = " ".join(str(name or "").split())[:_LONGEST]
    candidates = sorted(set(candidates))
    lowered = {c.lower(): c for c in candidates}
    close = [lowered[c] for c in difflib.get_close_matches(text.lower(), list(lowered), n=3, cutoff=0.5)]
    if not close:
        keyed = {gazetteer.name_key(c): c for c in candidates}
        close = [keyed[k] for k in difflib.get_close_matches(gazetteer.name_key(text), list(keyed), n=3, cutoff=0.5)]
    if close:
        return f"unknown {what} {shown(name)!r}; did you mean " + " or ".join(repr(c) for c in close) + "?"
    listed = ", ".join(candidates[:12]) + (", ..." if len(candidates) > 12 else "")
    return f"unknown {what} {shown(name)!r}; the graph has: {listed or 'none'}"
