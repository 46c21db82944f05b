"""Tag finding texts with theme and service codes from the cue phrases in ontology/themes.ttl."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from sendgraph.ontology import ontology_file
from sendgraph.vocab import SERVICE_SCHEME, SG, THEME_SCHEME


STRONG = 1.0  # weight of an sg:cuePhrase: one is enough
BROAD = object()  # marks an sg:broadCuePhrase while compiling: strong, but it gives way (sg:yieldsTo)
WEAK = 0.5  # weight of an sg:weakCuePhrase: two are needed (or one and a strong one)
THRESHOLD = 1.0
MAX_GAP_WORDS = 6  # "a ... b": up to this many words between a and b, within one sentence

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
    broad: frozenset = frozenset()  # codes for which this is a broad cue (sg:broadCuePhrase)

    @cached_property
    def pattern(self) -> re.Pattern:
        """The compiled phrase, made when first tried: most cues never meet a word they could start at."""
        return re.compile(cue_pattern(self.phrase), re.IGNORECASE)

    @cached_property
    def lower_pattern(self) -> re.Pattern:
        """The compiled phrase for a lower-cased text without ı or ſ (the only characters that lower()
        leaves and that i or s match when case is ignored): the same matches as :attr:`pattern`,
        compiled in half the time."""
        return re.compile(cue_pattern(self.phrase))

    @cached_property
    def span_pattern(self) -> re.Pattern:
        """The phrase with the words after a "..." consumed too (to quote what a gapped cue matched)."""
        return re.compile(cue_pattern(self.phrase, consume=True), re.IGNORECASE)


@dataclass(frozen=True)
class Scheme:
    """The concepts of one concept scheme, in scheme order, and its cues indexed by first word."""

    codes: tuple[str, ...]
    labels: dict
    index: dict  # key (first 1-4 letters of a cue's first word) -> cues
    generic: frozenset  # codes marked sg:generic
    yields: dict  # code -> codes it gives way to (sg:yieldsTo)
    starts: re.Pattern  # finds the words that begin with a key
    cache: dict = field(default_factory=dict)  # first 4 letters of a word -> candidate cues


def _forms(token: str) -> list[str]:
    """The forms a cue word matches (simple plurals and inflections), longest first, then alphabetically:
    a set's order changes with the hash seed, and the first alternative that matches decides the
    words a reason quotes ("Voices" or "Voices'")."""
    forms = {token, token + "s", token + "es", token + "ed", token + "d", token + "ing", token + "'s", token + "s'"}
    if token.endswith("e"):
        forms.add(token[:-1] + "ing")
    if token.endswith("y") and len(token) > 2:
        forms |= {token[:-1] + "ies", token[:-1] + "ied"}
    if not token[-1:].isalnum():
        forms = {token}
    return sorted(forms, key=lambda f: (-len(f), f))


def _word(token: str) -> str:
    """Regex for one cue word: simple plurals and inflections allowed; a trailing * is any ending."""
    if token.endswith("*"):
        stem = token[:-1]
        return _literal(stem) + r"[\w']*"
    forms = _forms(token)
    # the forms' common start written once (the same alternatives, in the same order, as
    # "(?:form|form|...)"; the regex parser would factor it out itself, more slowly)
    head = re.match(r"[^\-,']*", os.path.commonprefix(forms)).group()  # up to what _literal makes optional
    return _literal(head) + "(?:" + "|".join(_literal(f[len(head):]) for f in forms) + ")"


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


def cue_pattern(phrase: str, consume: bool = False) -> str:
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
    if consume:
        return head + rest + _WORD_END
    return head + "(?=" + rest + _WORD_END + ")"


@lru_cache(maxsize=None)
def _load_graph():
    """The shipped theme and service schemes (ontology/themes.ttl), parsed once per process: the
    compiled schemes and the definitions are both read from it (callers only read it)."""
    import rdflib

    graph = rdflib.Graph()
    graph.parse(ontology_file("themes.ttl"), format="turtle")
    return graph


def _member_order(graph, scheme) -> dict:
    """Concept -> its sg:listPosition in the scheme's list (concepts without one come after)."""
    import rdflib
    from rdflib.namespace import SKOS

    rank = {}
    for concept in graph.subjects(SKOS.inScheme, scheme):
        position = graph.value(concept, rdflib.URIRef(SG + "listPosition"))
        if position is not None:
            rank[concept] = int(position)
    return rank


@lru_cache(maxsize=None)
def _schemes() -> dict:
    import rdflib
    from rdflib.namespace import SKOS

    graph = _load_graph()
    cue = rdflib.URIRef(SG + "cuePhrase")
    weak = rdflib.URIRef(SG + "weakCuePhrase")
    broad = rdflib.URIRef(SG + "broadCuePhrase")
    ignore = rdflib.URIRef(SG + "ignorePhrase")
    generic_property = rdflib.URIRef(SG + "generic")
    yields_property = rdflib.URIRef(SG + "yieldsTo")
    out = {}
    for key, iri in (("themes", THEME_SCHEME), ("services", SERVICE_SCHEME)):
        scheme = rdflib.URIRef(iri)
        rank = _member_order(graph, scheme)
        concepts = []
        for concept in set(graph.subjects(SKOS.inScheme, scheme)):
            notation = graph.value(concept, SKOS.notation)
            if notation is None:
                continue
            concepts.append((rank.get(concept, 10**6), str(notation), concept))
        concepts.sort()
        codes = tuple(code for _, code, _ in concepts)
        labels = {}
        generic = set()
        notation_of = {concept: code for _, code, concept in concepts}
        yields = {}
        cues: list[tuple[str, str | None, float]] = []
        for _, code, concept in concepts:
            others = {notation_of[o] for o in graph.objects(concept, yields_property) if o in notation_of}
            if others:
                yields[code] = frozenset(others)
            if any(o.toPython() is True for o in graph.objects(concept, generic_property)):
                generic.add(code)
            label = graph.value(concept, SKOS.prefLabel)
            labels[code] = str(label) if label is not None else code
            cues += [(str(p), code, STRONG) for p in graph.objects(concept, cue)]
            cues += [(str(p), code, WEAK) for p in graph.objects(concept, weak)]
            cues += [(str(p), code, BROAD) for p in graph.objects(concept, broad)]
        cues += [(str(p), None, 0.0) for p in graph.objects(scheme, ignore)]
        out[key] = _compile(codes, labels, cues, generic, yields)
    return out


def _keys(first_word: str) -> set[str]:
    """Index keys of a cue's first word: its first four letters, with and without what follows a hyphen."""
    word = first_word.rstrip("*").lower()
    head = re.match(r"[a-z0-9]*", word).group()
    whole = re.sub(r"[^a-z0-9]", "", word)
    return {k[:_KEY] for k in (head, whole) if k}


def _compile(codes, labels, cues, generic=(), yields=None) -> Scheme:
    """Cues indexed by the start of their first word, so a text is scanned once, word by word.

    A phrase given to several concepts is one cue that counts for each of them.
    """
    by_phrase: dict = {}
    broad: dict = {}
    for phrase, code, weight in cues:
        norm = " ".join(phrase.lower().split())
        if norm:
            targets = by_phrase.setdefault(norm, {})
            if code is not None:
                if weight is BROAD:
                    broad.setdefault(norm, set()).add(code)
                    weight = STRONG
                targets[code] = max(weight, targets.get(code, 0.0))
    index: dict = {}
    for norm, targets in by_phrase.items():
        cue = Cue(norm, tuple(targets.items()), frozenset(broad.get(norm, ())))
        for key in _keys(norm.split(" ")[0]):
            index.setdefault(key, []).append(cue)
    keys = sorted(index, key=lambda k: (-len(k), k))
    starts = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, keys)) + ")" if keys else r"(?!)")
    return Scheme(codes, labels, index, frozenset(generic), dict(yields or {}), starts)


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
    plain = "\u0131" not in text and "\u017f" not in text  # see Cue.lower_pattern
    for found in compiled.starts.finditer(text):
        start = found.start()
        if start < free:
            continue
        for cue in _candidates(compiled, text[start : start + _KEY]):
            m = (cue.lower_pattern if plain else cue.pattern).match(text, start)
            if m:
                out.append((start, m.end(), cue))
                free = m.end()
                break
    return out


_SENTENCE_END = re.compile(r"[.!?;:](?=\s|$)|\n")
_ACTION = re.compile(r"\b(?:should|must|need to|needs to|ought to)\b", re.IGNORECASE)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a text that holds more than spaces (ended by . ! ? ; : or a line break)."""
    text = _normalise(text)
    spans, start = [], 0
    for m in _SENTENCE_END.finditer(text):
        spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [s for s in spans if text[s[0]:s[1]].strip()]


def _focus_spans(text: str, spans: list | None = None) -> list[tuple[int, int]]:
    """Spans of the sentences that carry a finding's main concern: the first, and any that ask for action."""
    text = _normalise(text)
    spans = sentence_spans(text) if spans is None else spans
    return [s for i, s in enumerate(spans) if i == 0 or _ACTION.search(text, s[0], s[1])]


def _evidence(text: str, scheme: str) -> dict:
    """Code -> its evidence in one text: summed weight, strong weight, specific weight, and the cues.

    A cue counts each time it occurs. For a generic concept (sg:generic), a cue outside the
    sentences that carry the finding's main concern (the first sentence, and those that ask for
    action) counts as a weak one: leadership and strategy are often named in passing.
    "specific" leaves out broad cues (sg:broadCuePhrase), which give way to more specific concepts.
    """
    compiled = _schemes()[scheme]
    found: dict = {}
    focus = _focus_spans(text) if compiled.generic else []
    for start, end, cue in matches(text, scheme):
        in_focus = any(a <= start < b for a, b in focus)
        for code, weight in cue.targets:
            strong = weight >= THRESHOLD
            if code in compiled.generic and not in_focus:
                weight = min(weight, WEAK)
            ev = found.setdefault(code, {"total": 0.0, "strong": 0.0, "specific": 0.0, "cues": []})
            ev["total"] += weight
            if strong:
                ev["strong"] += weight
                if code not in cue.broad:
                    ev["specific"] += weight
            ev["cues"].append((start, end, cue))
    return found


def _weights(text: str, scheme: str) -> tuple[dict, dict]:
    """(all cue weights, strong cue weights) summed per code."""
    evidence = _evidence(text, scheme)
    return ({c: e["total"] for c, e in evidence.items()},
            {c: e["strong"] for c, e in evidence.items() if e["strong"]})


def scores(text: str, scheme: str = "themes") -> dict:
    """Summed cue weights per code for one text (for explaining a tagging)."""
    return _weights(text, scheme)[0]


def _decide(text: str, scheme: str) -> tuple[list[str], dict]:
    """Codes whose cues reach the threshold, in scheme order, and the cues that decided each."""
    found, reasons, _ = _rule_decision(text, scheme)
    return found, reasons


def rule_decision(text: str) -> tuple[list[str], dict, dict]:
    """The themes the cue rules alone give a text, their reasons, and the evidence (see _evidence) they came from."""
    return _rule_decision(text, "themes")


def _rule_decision(text: str, scheme: str) -> tuple[list[str], dict, dict]:
    """Codes whose cues reach the threshold, in scheme order, the cues that decided each, and the evidence.

    A generic concept (sg:generic, e.g. strategic leadership) reached only through weak cues is
    kept only when nothing specific is found: most findings mention strategy or oversight in passing.
    A concept reached only through broad or weak cues gives way to the concepts it sg:yieldsTo
    (health services in general give way to therapies, mental health ...).
    """
    compiled = _schemes()[scheme]
    evidence = _evidence(text, scheme)
    found = [code for code in compiled.codes if code in evidence and evidence[code]["total"] >= THRESHOLD]
    if any(code not in compiled.generic for code in found):
        found = [c for c in found if c not in compiled.generic or evidence[c]["strong"] >= THRESHOLD]
    present = set(found)
    found = [
        c for c in found
        if not (compiled.yields.get(c, frozenset()) & present) or evidence[c]["specific"] >= THRESHOLD
    ]
    return found, {code: cue_words(text, evidence, code) for code in found}, evidence


def cue_words(text: str, evidence: dict, code: str) -> list[str]:
    """The words of a text that the cues of one code matched (see _evidence), as printed, each once."""
    printed = text or ""
    lowered = _normalise(printed).lower()  # what the cues were matched in
    if len(lowered) != len(printed):  # lower-casing changed the length: offsets hold in the lowered text only
        printed = lowered
    words = []
    for start, end, cue in evidence.get(code, {}).get("cues", ()):
        said = cue_text(printed, lowered, start, end, cue)
        if said not in words:
            words.append(said)
    return words


def cue_text(printed: str, lowered: str, start: int, end: int, cue: Cue) -> str:
    """The words of a text that a cue matched at start..end of its lowered form, as printed (with the
    words between, for "a ... b" cues, whose match ends before the gap)."""
    if "..." in cue.phrase:
        m = cue.span_pattern.match(lowered, start)
        if m:
            end = m.end()
    return " ".join(printed[start:end].split())


def _tag(text: str, scheme: str) -> list[str]:
    return _decide(text, scheme)[0]


def theme_reasons(text: str) -> dict:
    """For each theme tag_themes gives a text, the cue phrases found in it that decided the theme.

    Keys are exactly tag_themes(text), in the same order; values are the words as printed in the
    text (lower-cased where the text is), e.g. {"waiting-times": ["waiting list", "waits"]}.
    """
    return _decide(text, "themes")[1]


def service_reasons(text: str) -> dict:
    """For each service tag_services gives a text, the cue phrases that decided it."""
    return _decide(text, "services")[1]


def tag_themes(text: str) -> list[str]:
    """Theme codes of a text, in scheme order."""
    return _tag(text, "themes")


def tag_services(text: str) -> list[str]:
    """Service codes of a text, in scheme order."""
    return _tag(text, "services")


def theme_scheme() -> Scheme:
    """The compiled theme scheme: its codes in scheme order, labels and cues."""
    return _schemes()["themes"]


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
