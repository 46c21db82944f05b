"""Decide a finding's themes: its cue evidence (themes.py) and words weighed by a linear model trained on the gold readings."""

from __future__ import annotations

import json
import math
import operator
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from sendgraph.read import themes

MODEL_FILE = "data/theme_model.json"  # made by tools/train_themes.py from tests/fixtures/themes_gold.json
MODEL_KINDS = ("priority_action", "improvement", "strength", "weakness")
# 2016 letters' kinds read as the 2023 kinds the model was trained on; other kinds keep the cues alone
KIND_AS = {"significant_weakness": "weakness"}
THRESHOLD = 0.5  # a theme is given when the model's probability reaches this
FALLBACK = 0.25  # a finding with no theme at THRESHOLD gets its likeliest theme if it reaches this
TOP_TERMS = 3  # words of the text quoted, beside the cues, as what decided a theme

_PURPOSE = re.compile(r"\b(?:so that|so as to|in order to|to ensure that|this is so|which means|leading to|resulting in)\b")
_EXAMPLE = re.compile(r"\b(?:such as|including|for example|for instance|e\.g\.)\b")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern, which the model was fitted with
CUE_FEATURES = ("total", "strong", "specific", "rule", "first", "focus", "purpose", "example", "main", "distinct")


@dataclass(frozen=True)
class Model:
    """The shipped model: TF-IDF vocabulary and weights, and one logistic regression per theme."""

    codes: tuple[str, ...]
    vocabulary: dict  # term -> column
    idf: tuple[float, ...]
    stop_words: frozenset
    ngrams: tuple[int, int]
    weights: tuple  # per theme (in codes order), the weight of each feature: the cue features, then the terms
    n_cue: int  # how many cue features come before the terms
    intercepts: tuple  # one per theme
    names: tuple[str, ...]  # column -> term


@lru_cache(maxsize=None)
def load_model() -> Model:
    """The model shipped in sendgraph/data (read once per process)."""
    with resources.files("sendgraph").joinpath(MODEL_FILE).open(encoding="utf-8") as fh:
        data = json.load(fh)
    return model_from_json(data)


def model_from_json(data: dict) -> Model:
    """A Model from the JSON written by tools/train_themes.py.

    Plain Python numbers, no numpy: the model runs in every reading worker, under its memory cap.
    """
    codes = tuple(data["codes"])
    names = [""] * len(data["vocabulary"])
    for term, col in data["vocabulary"].items():
        names[col] = term
    weights = []
    for code in codes:
        row = list(data["themes"][code]["cue"]) + [0.0] * len(names)
        n_cue = len(data["themes"][code]["cue"])
        for col, weight in data["themes"][code]["terms"].items():
            row[n_cue + int(col)] = weight
        weights.append(tuple(row))
    intercepts = tuple(float(data["themes"][c]["intercept"]) for c in codes)
    return Model(codes, data["vocabulary"], tuple(data["idf"]), frozenset(data["stop_words"]), tuple(data["ngrams"]),
                 tuple(weights), n_cue, intercepts, tuple(names))


def model_kind(kind: str | None) -> str | None:
    """The finding kind the model reads a kind as, or None when the model was not trained on such findings."""
    kind = KIND_AS.get(kind, kind)
    return kind if kind in MODEL_KINDS else None


def cue_features(text: str, kind: str, evidence: dict, decided: list[str], codes) -> list[float]:
    """The cue evidence of each theme as numbers (capped at 3, scaled to 0-1), then the kind and the length.

    Per theme: summed, strong and specific cue weight, whether the cue rules alone give it, and the
    weight found in the first sentence, in the sentences that ask for action, after a purpose clause
    ("so that ...") or an example ("such as ...") within its sentence, outside both, and the number of
    distinct cues. Each again for priority actions and areas for improvement, whose themes readers
    decide by what is asked.
    """
    low = themes._normalise(text).lower()
    spans = themes.sentence_spans(text)
    first_end = spans[0][1] if spans else len(text)
    focus = themes._focus_spans(text, spans)
    purposes = [m.start() for m in _PURPOSE.finditer(low)]
    examples = [m.start() for m in _EXAMPLE.finditer(low)]
    action = float(kind in ("priority_action", "improvement"))
    given = set(decided)

    def cap(v: float) -> float:
        return min(v, 3.0) / 3.0

    row: list[float] = []
    for code in codes:
        ev = evidence.get(code)
        if not ev:
            values = [0.0] * len(CUE_FEATURES)
        else:
            first = in_focus = purpose = example = main = 0.0
            for start, _end, cue in ev["cues"]:
                a = next((s for s, e in spans if s <= start < e), 0)
                weight = dict(cue.targets).get(code, 0.0)
                if start < first_end:
                    first += weight
                if any(s <= start < e for s, e in focus):
                    in_focus += weight
                after_purpose = any(a <= p < start for p in purposes)
                after_example = any(a <= p < start for p in examples)
                purpose += weight * after_purpose
                example += weight * after_example
                main += weight * (not after_purpose and not after_example)
            distinct = min(len({cue.phrase for _, _, cue in ev["cues"]}), 3) / 3.0
            values = [cap(ev["total"]), cap(ev["strong"]), cap(ev["specific"]), float(code in given),
                      cap(first), cap(in_focus), cap(purpose), cap(example), cap(main), distinct]
        row += values + [v * action for v in values]
    row += [float(kind == k) for k in MODEL_KINDS]
    row += [min(len(text), 1500) / 1500.0, min(len(spans), 10) / 10.0]
    return row


def _ngrams(text: str, model: Model) -> list[tuple[str, int, int, bool]]:
    """(term, start, end, printed together) for each of the text's terms, in the lower-cased text:
    words of two or more letters less the stop words, and their n-grams (as scikit-learn's
    TfidfVectorizer makes them); "printed together" is false for an n-gram made across a stop word."""
    tokens = [(m.group(), m.start(), m.end(), n) for n, m in enumerate(_TOKEN.finditer(text.lower()))]
    tokens = [t for t in tokens if t[0] not in model.stop_words]
    low, high = model.ngrams
    out = []
    for n in range(low, high + 1):
        for i in range(len(tokens) - n + 1):
            run = tokens[i:i + n]
            out.append((" ".join(t[0] for t in run), run[0][1], run[-1][2], run[-1][3] - run[0][3] == n - 1))
    return out


def term_vector(text: str, model: Model, grams: list | None = None) -> dict:
    """Column -> TF-IDF value (sublinear term frequency, l2-normalised), for the terms in the vocabulary."""
    grams = _ngrams(text, model) if grams is None else grams
    counts = Counter(model.vocabulary[t] for t, _, _, _ in grams if t in model.vocabulary)
    values = {col: (1.0 + math.log(n)) * model.idf[col] for col, n in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values()))
    return {col: v / norm for col, v in values.items()} if norm else {}


def probabilities(text: str, kind: str, evidence: dict, decided: list[str], model: Model | None = None,
                  vector: dict | None = None) -> dict:
    """Theme code -> the model's probability that a careful reader gives the finding that theme."""
    model = model or load_model()
    features = [(i, x) for i, x in enumerate(cue_features(text, kind, evidence, decided, model.codes)) if x]
    vector = term_vector(text, model) if vector is None else vector
    features += [(model.n_cue + col, v) for col, v in vector.items()]
    columns = [i for i, _ in features]
    values = [x for _, x in features]
    pick = operator.itemgetter(*columns) if len(columns) > 1 else (lambda row: tuple(row[i] for i in columns))
    out = {}
    for code, intercept, row in zip(model.codes, model.intercepts, model.weights):
        z = intercept + sum(map(operator.mul, values, pick(row)))
        out[code] = 1.0 / (1.0 + math.exp(-z))
    return out


SHARED_ROOTS = 3  # a word whose root is in more themes' words than this says nothing of one theme
_LETTERS = re.compile(r"[a-z]{4,}")
_SENTENCE_END = re.compile(r"[.;:!?]\s")


def _root(word: str) -> str:
    """The first five letters of a word: "leaders" and "leadership", "identified" and "identification" share one."""
    return word[:5]


@lru_cache(maxsize=None)
def theme_words() -> dict:
    """Theme code -> the roots of the words that say what the theme is about.

    The words of four or more letters of its label, its definition and its cue phrases (themes.ttl),
    less English stop words and less the words many themes share ("children", "services",
    "support"); a word of the label is kept even so.
    """
    scheme = themes.theme_scheme()
    definitions = themes.theme_definitions()
    stop = {_root(w) for w in load_model().stop_words}

    def roots(text: str) -> set:
        return {_root(w) for w in _LETTERS.findall(text.lower())} - stop

    own = {code: roots(definitions.get(code, "")) for code in scheme.codes}
    for cues in scheme.index.values():
        for cue in cues:
            for code, _weight in cue.targets:
                own[code] |= roots(cue.phrase)
    spread = Counter(r for found in own.values() for r in found)
    return {code: frozenset(roots(scheme.labels[code]) | {r for r in own[code] if spread[r] <= SHARED_ROOTS})
            for code in scheme.codes}


def _says(term: str, roots: frozenset) -> bool:
    """Whether a term (a word or a word pair) has a word whose root is one of a theme's."""
    return any(len(w) >= 4 and _root(w) in roots for w in term.split())


def _term_reasons(text: str, code: str, model: Model, vector: dict, grams: list) -> list[str]:
    """The words of the text, as printed, whose terms weigh most for a theme (at most TOP_TERMS, each
    weighing for it; a term made across a left-out stop word is not quoted). Terms with a word of the
    theme's own (theme_words) come first, so a reason names what the theme is about where the text
    does; only when none weighs for it are the theme's other weightiest terms quoted."""
    j = model.codes.index(code)
    spans = {}
    for term, start, end, together in grams:
        if together:
            spans.setdefault(term, (start, end))
    lowered = themes._normalise(text).lower()
    printed = text if len(text) == len(lowered) else lowered
    row = model.weights[j]
    roots = theme_words()[code]
    ranked = sorted(((row[model.n_cue + col] * v, model.names[col]) for col, v in vector.items()), key=lambda p: (-p[0], p[1]))
    ranked = [(w, t) for w, t in ranked if w > 0]
    out: list[str] = []
    for terms in ([t for _, t in ranked if _says(t, roots)], [t for _, t in ranked]):
        for term in terms:
            if len(out) == TOP_TERMS:
                break
            if term in spans and not term.replace(" ", "").isdigit():  # "12" weighs, but says nothing as a reason
                start, end = _whole_words(lowered, *spans[term])
                said = " ".join(printed[start:end].split())
                if said not in out and not _SENTENCE_END.search(said):  # not "impact. Leaders"
                    out.append(said)
        if out:
            break
    return out


_HYPHENED_AFTER = re.compile(r"(?:-\w+)+")
_HYPHENED_BEFORE = re.compile(r"(?:\w+-)+$")


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    """A span widened to whole hyphenated words: "multi" of "multi-agency" becomes "multi-agency"."""
    after = _HYPHENED_AFTER.match(text, end)
    if after:
        end = after.end()
    before = _HYPHENED_BEFORE.search(text, 0, start)
    if before:
        start = before.start()
    return start, end


def choose(probs: dict, codes) -> list[str]:
    """The codes whose probability reaches THRESHOLD, or else the likeliest one if it reaches FALLBACK."""
    chosen = [c for c in codes if probs[c] >= THRESHOLD]
    if not chosen:
        best = max(codes, key=lambda c: (probs[c], -codes.index(c)))
        chosen = [best] if probs[best] >= FALLBACK else []
    return chosen


def decide(text: str | None, kind: str | None = None, model: Model | None = None) -> tuple[list[str], dict]:
    """A finding's theme codes, in scheme order, and for each the words that decided it.

    The reasons are the cue phrases found for the theme (as printed); when the cue rules alone
    would not give the theme, the model decided it, and the words of the text that weigh most for
    it in the model follow. A kind the model was not trained on keeps the cue rules alone.
    ``model`` defaults to the shipped one (tools/train_themes.py passes the models it trains).
    """
    text = text or ""
    found, reasons, evidence = themes.rule_decision(text)
    kind = model_kind(kind)
    if kind is None or not text.strip():
        return found, reasons
    model = model or load_model()
    grams = _ngrams(text, model)
    vector = term_vector(text, model, grams)
    chosen = choose(probabilities(text, kind, evidence, found, model, vector), model.codes)
    order = themes.theme_codes()
    chosen.sort(key=order.index)
    out = {}
    for code in chosen:
        words = list(themes.cue_words(text, evidence, code))
        if code in found and words:  # the cue rules alone give it: their cues are why
            out[code] = words
            continue
        found_terms = _term_reasons(text, code, model, vector, grams)
        for term in found_terms:
            inside = words + [t for t in found_terms if t != term]
            if not any(term.lower() in w.lower() for w in inside):  # "offer" says nothing beside "local offer"
                words.append(term)
        out[code] = words
    return chosen, out


def tag_themes(text: str | None, kind: str | None = None) -> list[str]:
    """Theme codes of a finding of a kind, in scheme order."""
    return decide(text, kind)[0]


def tag_findings(findings: list) -> None:
    """Fill each finding's "themes", "theme_cues" (the words that decided each) and "services" in place."""
    for finding in findings:
        text = finding.get("text") or ""
        finding["themes"], finding["theme_cues"] = decide(text, finding.get("kind"))
        finding["services"] = themes.tag_services(text)
