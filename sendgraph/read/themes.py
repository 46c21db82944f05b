"""Tag finding texts with theme and service codes from the cue phrases in ontology/themes.ttl."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from sendgraph.ontology import ontology_file
from sendgraph.vocab import SERVICE_SCHEME, SG, THEME_SCHEME


STRONG = 1.0  # weight of an sg:cuePhrase: one is enough
WEAK = 0.5  # weight of an sg:weakCuePhrase: two are needed (or one and a strong one)
THRESHOLD = 1.0
MAX_GAP_WORDS = 6
FOCUS_ALL = False
OUTSIDE = 0.5  # "a ... b": up to this many words between a and b, within one sentence

_KEY = 4  # cues are indexed by the first (up to) four letters of their first word
_TOKEN = re.compile(r"[a-z0-9]*")
_WORD_END = r"(?![\w])"
_SEP = r"[\s\-/]+"
_GAP = r"(?:[\s\-/]+[^\s.;:!?]+){0,%d}?[\s\-/]+" % MAX_GAP_WORDS


@dataclass(frozen=True)
class Cue:
    """One compiled cue phrase and what it counts for (nothing, for an ignored phrase)."""

    phrase: str  # normalised: lower case, single spaces
    targets: tuple  # ((code, weight), ...)

    @cached_property
    def pattern(self) -> re.Pattern:
        """The compiled phrase, made when first tried: most cues never meet a word they could start at."""
        return re.compile(cue_pattern(self.phrase), re.IGNORECASE)


@dataclass(frozen=True)
class Scheme:
    """The concepts of one concept scheme, in scheme order, and its cues indexed by first word."""

    codes: tuple[str, ...]
    labels: dict
    index: dict  # key (first 1-4 letters of a cue's first word) -> cues
    generic: frozenset  # codes marked sg:generic
    starts: re.Pattern  # finds the words that begin with a key
    cache: dict = field(default_factory=dict)  # first 4 letters of a word -> candidate cues


def _word(token: str) -> str:
    """Regex for one cue word: simple plurals and inflections allowed; a trailing * is any ending."""
    if token.endswith("*"):
        stem = token[:-1]
        return _literal(stem) + r"[\w']*"
    forms = {token, token + "s", token + "es", token + "ed", token + "d", token + "ing", token + "'s", token + "s'"}
    if token.endswith("e"):
        forms.add(token[:-1] + "ing")
    if token.endswith("y") and len(token) > 2:
        forms |= {token[:-1] + "ies", token[:-1] + "ied"}
    if not token[-1:].isalnum():
        forms = {token}
    return "(?:" + "|".join(_literal(f) for f in sorted(forms, key=len, reverse=True)) + ")"


def _literal(text: str) -> str:
    """A literal piece of a cue: hyphens match a hyphen, a space or nothing; commas are optional."""
    out = []
    for ch in text:
        if ch == "-":
            out.append(r"[\-\s]?")
        elif ch == ",":
            out.append(",?")
        elif ch == "'":
            out.append("'?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def cue_pattern(phrase: str) -> str:
    """Regex (without boundaries) for one cue phrase, e.g. "waiting time", "quality ... ehc plan".

    Words are separated by spaces, hyphens or slashes; "..." stands for a few words in between
    (same sentence). The match itself covers only the text before the first "...": the rest is a
    look-ahead, so words inside the gap stay free for other cues.
    """
    phrase = " ".join(phrase.lower().split())
    parts = [p.strip() for p in phrase.split("...")]
    parts = [p for p in parts if p]

    def words(part: str) -> str:
        return _SEP.join(_word(w) for w in part.split(" "))

    head = words(parts[0]) + _WORD_END
    if len(parts) == 1:
        return head
    rest = "".join(_GAP + words(p) for p in parts[1:])
    return head + "(?=" + rest + _WORD_END + ")"


def _load_graph():
    import rdflib

    graph = rdflib.Graph()
    graph.parse(ontology_file("themes.ttl"), format="turtle")
    return graph


def _member_order(graph, scheme) -> dict:
    """Concept -> position in the scheme's sg:conceptOrder (a skos:OrderedCollection), if it has one."""
    import rdflib
    from rdflib.collection import Collection
    from rdflib.namespace import SKOS

    rank = {}
    for collection in graph.objects(scheme, rdflib.URIRef(SG + "conceptOrder")):
        head = graph.value(collection, SKOS.memberList)
        if head is None:
            continue
        for concept in Collection(graph, head):
            rank.setdefault(concept, len(rank))
    return rank


@lru_cache(maxsize=None)
def _schemes() -> dict:
    import rdflib
    from rdflib.namespace import SKOS

    graph = _load_graph()
    cue = rdflib.URIRef(SG + "cuePhrase")
    weak = rdflib.URIRef(SG + "weakCuePhrase")
    ignore = rdflib.URIRef(SG + "ignorePhrase")
    generic_property = rdflib.URIRef(SG + "generic")
    out = {}
    for key, iri in (("themes", THEME_SCHEME), ("services", SERVICE_SCHEME)):
        scheme = rdflib.URIRef(iri)
        rank = _member_order(graph, scheme)
        concepts = []
        for concept in set(graph.subjects(SKOS.inScheme, scheme)):
            notation = graph.value(concept, SKOS.notation)
            if notation is None:
                continue
            concepts.append((rank.get(concept, len(rank)), str(notation), concept))
        concepts.sort()
        codes = tuple(code for _, code, _ in concepts)
        labels = {}
        generic = set()
        cues: list[tuple[str, str | None, float]] = []
        for _, code, concept in concepts:
            if any(o.toPython() is True for o in graph.objects(concept, generic_property)):
                generic.add(code)
            label = graph.value(concept, SKOS.prefLabel)
            labels[code] = str(label) if label is not None else code
            cues += [(str(p), code, STRONG) for p in graph.objects(concept, cue)]
            cues += [(str(p), code, WEAK) for p in graph.objects(concept, weak)]
        cues += [(str(p), None, 0.0) for p in graph.objects(scheme, ignore)]
        out[key] = _compile(codes, labels, cues, generic)
    return out


def _keys(first_word: str) -> set[str]:
    """Index keys of a cue's first word: its first four letters, with and without what follows a hyphen."""
    word = first_word.rstrip("*").lower()
    head = re.match(r"[a-z0-9]*", word).group()
    whole = re.sub(r"[^a-z0-9]", "", word)
    return {k[:_KEY] for k in (head, whole) if k}


def _compile(codes, labels, cues, generic=()) -> Scheme:
    """Cues indexed by the start of their first word, so a text is scanned once, word by word.

    A phrase given to several concepts is one cue that counts for each of them.
    """
    by_phrase: dict = {}
    for phrase, code, weight in cues:
        norm = " ".join(phrase.lower().split())
        if norm:
            targets = by_phrase.setdefault(norm, {})
            if code is not None:
                targets[code] = max(weight, targets.get(code, 0.0))
    index: dict = {}
    for norm, targets in by_phrase.items():
        cue = Cue(norm, tuple(targets.items()))
        for key in _keys(norm.split(" ")[0]):
            index.setdefault(key, []).append(cue)
    keys = sorted(index, key=lambda k: (-len(k), k))
    starts = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, keys)) + ")" if keys else r"(?!)")
    return Scheme(codes, labels, index, frozenset(generic), starts)


def _normalise(text: str) -> str:
    return (text or "").replace("\u2019", "'").replace("\u2018", "'").replace("\u2010", "-").replace("\u2011", "-")


def _candidates(compiled: Scheme, token: str) -> tuple:
    """Cues that may start at a word: those keyed by the word's first 1 to 4 letters, longest first."""
    token = _TOKEN.match(token).group()
    found = compiled.cache.get(token)
    if found is None:
        unique = {}
        for n in range(len(token), 0, -1):
            for cue in compiled.index.get(token[:n], ()):
                unique[id(cue)] = cue
        found = tuple(sorted(unique.values(), key=lambda c: (-len(c.phrase.replace("...", "")), c.phrase)))
        compiled.cache[token] = found
    return found


def matches(text: str, scheme: str = "themes"):
    """(start, end, cue) for each cue found, scanning left to right; at a word the longest cue wins.

    A match ends where its phrase ends (for "a ... b" cues, after "a"), and the next search
    starts after it, so a word is used by one cue only.
    """
    compiled = _schemes()[scheme]
    text = _normalise(text).lower()
    free = 0
    out = []
    for found in compiled.starts.finditer(text):
        start = found.start()
        if start < free:
            continue
        for cue in _candidates(compiled, text[start : start + _KEY]):
            m = cue.pattern.match(text, start)
            if m:
                out.append((start, m.end(), cue))
                free = m.end()
                break
    return out


_SENTENCE_END = re.compile(r"[.!?;:](?=\s|$)|\n")
_ACTION = re.compile(r"\b(?:should|must|need to|needs to|ought to)\b", re.IGNORECASE)


def _focus_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences that carry a finding's main concern: the first, and any that ask for action."""
    text = _normalise(text)
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    spans = [s for s in spans if text[s[0]:s[1]].strip()]
    return [s for i, s in enumerate(spans) if i == 0 or _ACTION.search(text, s[0], s[1])]


def _weights(text: str, scheme: str) -> tuple[dict, dict]:
    """(all cue weights, strong cue weights) summed per code; a cue counts each time it occurs."""
    total: dict = {}
    strong: dict = {}
    compiled = _schemes()[scheme]
    focus = _focus_spans(text) if compiled.generic else []
    for start, _, cue in matches(text, scheme):
        in_focus = any(a <= start < b for a, b in focus)
        for code, weight in cue.targets:
            if (FOCUS_ALL or code in compiled.generic) and not in_focus:
                weight = weight * OUTSIDE
            total[code] = total.get(code, 0.0) + weight
            if weight >= THRESHOLD:
                strong[code] = strong.get(code, 0.0) + weight
    return total, strong


def scores(text: str, scheme: str = "themes") -> dict:
    """Summed cue weights per code for one text (for explaining a tagging)."""
    return _weights(text, scheme)[0]


def _tag(text: str, scheme: str) -> list[str]:
    """Codes whose cues reach the threshold.

    A generic concept (sg:generic, e.g. strategic leadership) reached only through weak cues is
    kept only when nothing specific is found: most findings mention strategy or oversight in passing.
    """
    compiled = _schemes()[scheme]
    total, strong = _weights(text, scheme)
    found = [code for code in compiled.codes if total.get(code, 0.0) >= THRESHOLD]
    if any(code not in compiled.generic for code in found):
        found = [c for c in found if c not in compiled.generic or strong.get(c, 0.0) >= THRESHOLD]
    return found


def tag_themes(text: str) -> list[str]:
    """Theme codes of a text, in scheme order."""
    return _tag(text, "themes")


def tag_services(text: str) -> list[str]:
    """Service codes of a text, in scheme order."""
    return _tag(text, "services")


def tag_findings(findings: list) -> None:
    """Fill each finding's "themes" and "services" in place from its "text"."""
    for finding in findings:
        text = finding.get("text") or ""
        finding["themes"] = tag_themes(text)
        finding["services"] = tag_services(text)


def theme_codes() -> list[str]:
    """Every theme code, in scheme order."""
    return list(_schemes()["themes"].codes)


def service_codes() -> list[str]:
    """Every service code, in scheme order."""
    return list(_schemes()["services"].codes)


def theme_labels() -> dict:
    """Theme code -> preferred label."""
    return dict(_schemes()["themes"].labels)


def service_labels() -> dict:
    """Service code -> preferred label."""
    return dict(_schemes()["services"].labels)


@lru_cache(maxsize=None)
def theme_definitions() -> dict:
    """Theme code -> its definition in the shipped scheme (skos:definition), for the site's theme pages."""
    import rdflib
    from rdflib.namespace import SKOS

    graph = _load_graph()
    found = {}
    for concept in graph.subjects(SKOS.inScheme, rdflib.URIRef(THEME_SCHEME)):
        notation, definition = graph.value(concept, SKOS.notation), graph.value(concept, SKOS.definition)
        if notation is not None and definition is not None:
            found[str(notation)] = str(definition)
    return found
