"""Council SEND reports; mention results: inspection wsoa_required|no_wsoa|positive|inconsistent|systemic, revisit sufficient_progress|partial_progress|insufficient_progress."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from sendgraph import gazetteer
from sendgraph.read.dates import dates_as_printed, parse_date
from sendgraph.read.names import clean_name, name_and_rest
from sendgraph.read.records import finding, new_record
from sendgraph.read.textnorm import BULLET

_LABELS = (
    "Report of", "Report by", "Report from", "Report to", "Submitted to", "Meeting", "Meeting date", "Date of meeting",
    "Date", "Title", "Report title", "Subject", "Report for", "Status", "Strategic priority", "Key decision", "Why",
    "Urgent", "Wards? affected", "Ward", "Author", "Report author", "Contact", "Contact officer", "Lead officer",
    "Responsible officer", "Portfolio", "Cabinet member", "Lead member", "Executive member", "Email", "Telephone", "Tel",
)
_LABEL = re.compile(r"(?:^|(?<=\s))(" + "|".join(sorted(_LABELS, key=len, reverse=True)) + r")\s*:\s*", re.IGNORECASE)
_PERSON_LABELS = {"report of": "other", "report by": "other", "report from": "other", "author": "contact",
                  "report author": "contact", "contact": "contact", "contact officer": "contact",
                  "lead officer": "contact", "responsible officer": "other", "cabinet member": "other",
                  "lead member": "other", "executive member": "other", "portfolio": "other"}

_SEND = re.compile(
    r"\bSEND\b|\bSEN\b|special educational|disabilit|\bEHC|education, health and care|inspect|written statement"
    r"|\bWSOA\b|local offer|peer (?:review|challenge)|Ofsted|\bCQC\b|Care Quality Commission",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,3})\.\s+(?=[A-Z\"'(])")
_ITEM_MARK = re.compile(r"^(?:\d{1,3}\.|\(?[a-z]\)|[a-z]\.|\(?[ivx]+\)|[ivx]+\.)\s+")

_RECOMMEND = re.compile(r"recommend", re.IGNORECASE)
_NOT_RECOMMEND = re.compile(r"rationale|reasons?|other potential|alternative|impact|why|not been recommended|implement|option", re.IGNORECASE)
_RATIONALE = re.compile(r"^(?:rationale|reasons? for)", re.IGNORECASE)
_SECTIONS = (
    ("summary", re.compile(r"summary", re.IGNORECASE)),
    ("purpose", re.compile(r"^purpose|^aim", re.IGNORECASE)),
    ("background", re.compile(r"background|relevant information|introduction|context|current position", re.IGNORECASE)),
)

# Inspection events a sentence can recount.
_REVISIT = re.compile(r"\bre-?visit(?:ed|s)?\b", re.IGNORECASE)
_INSPECTED = re.compile(
    r"\b(?:had|received|underwent|was subject to|were subject to)\s+(?:its|their|a|an|the)\s+(?:[\w-]+\s+){0,4}?(?:inspection|re-?inspection)\b"
    r"|\b(?:was|were|been) (?:jointly )?inspected\b"
    r"|\binspected (?:the|our|its) (?:[\w'-]+\s+){0,3}?area\b"
    r"|\binspection (?:took place|was carried out|was conducted|was held)\b"
    r"|\b(?:the|an?|its|their|our) (?:[\w-]+\s+){0,3}?inspection (?:of|in|on|during|from|between) (?=\d|[A-Z][a-z]+ \d{4})",
    re.IGNORECASE,
)
_WSOA = r"(?:written statement of action|\bWSOA\b)"
_RESULT_WSOA = re.compile(
    r"(?<!no longer )(?:resulted in|required|issued with|produce|requiring|led to) (?:a |an |the )?" + _WSOA
    + r"|" + _WSOA + r" (?:was|is|had been|has been) (?:required|issued)",
    re.IGNORECASE,
)
_RESULT_NO_WSOA = re.compile(
    r"(?:no|not (?:be )?required to produce an?|(?:not|no) need to produce an?|did not require an?) " + _WSOA, re.IGNORECASE
)
# Words that make a dated inspection or revisit one of a local area (not of a school or a service).
_AREA_CONTEXT = re.compile(
    r"\barea\b|\bpartnership\b|\bSEND\b|\bjoint\b|Ofsted and (?:the )?CQC|Care Quality Commission|" + _WSOA, re.IGNORECASE
)
_RESULT_OUTCOMES = (
    ("systemic", re.compile(r"widespread and/or systemic failings|systemic failings", re.IGNORECASE)),
    ("inconsistent", re.compile(r"inconsistent experiences and outcomes", re.IGNORECASE)),
    ("positive", re.compile(r"typically lead to positive experiences|positive experiences and outcomes", re.IGNORECASE)),
)
_PROGRESS_ALL = re.compile(
    r"no longer requir\w* an? " + _WSOA + r"|(?:good|sufficient|significant|enough) progress in (?:all|each|every)"
    r"|(?:good|sufficient|enough) progress in addressing (?:all|each)|sufficient progress against (?:all|each)",
    re.IGNORECASE,
)
_PROGRESS_SOME = re.compile(
    r"(?:sufficient|enough|good) progress in (?:addressing )?(?!all\b|each\b|every\b)\w+ of the\b|progress in some\b"
    r"|not (?:yet )?(?:made )?(?:sufficient|enough) progress in (?:addressing )?(?:all|each|every)\b",
    re.IGNORECASE,
)
_PROGRESS_NONE = re.compile(
    r"(?:not|insufficient) (?:made )?(?:sufficient |enough |any )?progress|insufficient progress|\bno progress", re.IGNORECASE
)
_PROGRESS_ANY = re.compile(r"(?:sufficient|enough|good) progress|no longer requir", re.IGNORECASE)


def _text(para: str) -> str:
    return " ".join(para.replace(BULLET, " ").replace("\t", " ").split())


def _is_bullet(para: str) -> bool:
    return para.lstrip().startswith(BULLET)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", text) if s.strip()]


# ---------------------------------------------------------------------------------------------
# The council and its place.


@lru_cache(maxsize=1)
def _place_patterns() -> tuple:
    out = []
    for la in gazetteer.authorities():
        variants = {la.name, *la.aliases}
        for name in list(variants):
            if ", " in name:
                variants.add(name.split(", ")[0])
        for name in variants:
            if len(name) > 2:
                out.append((la, name, re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")))
    return tuple(out)


def _council(text: str) -> tuple[str | None, object, str | None]:
    """(place as printed, LocalAuthority, council's name as printed or None) the report is about."""
    score: Counter = Counter()
    printed: dict = {}
    for la, name, pattern in _place_patterns():
        hits = len(pattern.findall(text))
        if hits:
            score[la.gss_code] += hits
            best = printed.get(la.gss_code)
            if best is None or hits > best[1] or (hits == best[1] and len(name) > len(best[0])):
                printed[la.gss_code] = (name, hits)
    council_names: dict = {}
    for match in re.finditer(
        r"((?:[A-Z][\w'-]+\s+(?:and\s+|upon\s+|on\s+)?){1,5}?(?:(?:Metropolitan\s+)?Borough\s+|City\s+|County\s+|District\s+)?Council)\b"
        r"|((?:London|Royal) Borough of [A-Z][\w'-]+(?: (?:and|upon) [A-Z][\w'-]+| [A-Z][\w'-]+)*)",
        text,
    ):
        name = match.group(0)
        words = name.split()
        for start in range(len(words)):
            candidate = " ".join(words[start:])
            la = gazetteer.lookup(candidate) if gazetteer.name_key(candidate) else None
            if la:
                score[la.gss_code] += 5
                council_names.setdefault(la.gss_code, candidate)
                break
    for domain in re.findall(r"(?:@|www\.)([a-z][a-z-]+)\.gov\.uk", text, re.IGNORECASE):
        la = gazetteer.lookup(domain.replace("-", " "))
        if la:
            score[la.gss_code] += 3
    if not score:
        return None, None, None
    code = score.most_common(1)[0][0]
    la = gazetteer.by_code(code)
    place = printed.get(code, (la.name, 0))[0]
    return place, la, council_names.get(code)


# ---------------------------------------------------------------------------------------------
# Header fields ("Title:", "Date:") and people.


def _fields(paras: list[str]) -> list[tuple[str, str, int]]:
    """(label, value, position) of each "Label: value" line."""
    out = []
    for position, para in enumerate(paras):
        for line in para.split("\n"):
            line = " ".join(line.replace("\t", " ").split())
            matches = list(_LABEL.finditer(line))
            if not matches or matches[0].start() != 0:
                continue
            for n, match in enumerate(matches):
                end = matches[n + 1].start() if n + 1 < len(matches) else len(line)
                value = line[match.end() : end].strip(" ;,")
                out.append((" ".join(match.group(1).split()).lower(), value, position))
    return out


def _people(record: dict, fields: list[tuple[str, str, int]], organisation: str | None) -> None:
    seen = set()
    for label, value, _position in fields:
        capacity = _PERSON_LABELS.get(label)
        if not capacity or not value:
            continue
        split = name_and_rest(value)
        if not split:
            continue
        name = clean_name(split[0])
        if not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        title = re.split(r"\s+(?:Tel|Telephone|Email|E-mail)\b", split[1])[0].strip(" ,;:-") or None
        record["people"].append({"name": name, "title": title, "organisation": organisation, "capacity": capacity})


# ---------------------------------------------------------------------------------------------
# Findings.


def _items(paras: list[str]) -> list[tuple[int, str, bool]]:
    """(position, text, bullet) of each numbered paragraph, bullet or paragraph, split where numbers run on."""
    out: list[tuple[int, str, bool]] = []
    expected = 1
    for position, para in enumerate(paras):
        if "\t" in para or not para.strip():
            out.append((position, "", False))
            continue
        text = _text(para)
        bullet = _is_bullet(para)
        cuts = [0]
        for match in _NUMBER.finditer(text):
            number = int(match.group(1))
            if number == expected or (match.start() == 0 and not bullet and number > expected and number - expected < 3):
                if match.start() > 0:
                    cuts.append(match.start())
                expected = number + 1
        cuts.append(len(text))
        for n in range(len(cuts) - 1):
            piece = text[cuts[n] : cuts[n + 1]].strip()
            if piece:
                out.append((position, piece, bullet and n == 0))
    return out


def _is_heading(text: str, bullet: bool) -> bool:
    if bullet or not text or len(text) > 110 or _ITEM_MARK.match(text):
        return False
    if text.endswith((".", ",", ";")) or re.search(r"[.!]\s+[A-Z]", text):
        return False
    return text[:1].isupper() and ":" not in text[:-1]


def _strip_mark(text: str) -> str:
    return _ITEM_MARK.sub("", text, count=1).strip()


def _findings(record: dict, paras: list[str], header_positions: set) -> None:
    items = _items(paras)
    mode = "narrative"
    section = None
    decided = False
    lead_relevant = False
    pending: list[dict] = []
    for n, (position, text, bullet) in enumerate(items):
        if not text or position in header_positions:
            continue
        if _LABEL.match(text):
            continue
        if _is_heading(text, bullet):
            if _RECOMMEND.search(text) and not _NOT_RECOMMEND.search(text):
                mode, section, decided = "recommendation", None, True
            elif _RATIONALE.match(text):
                mode, section = "rationale", None
            elif not decided or any(p.search(text) for _, p in _SECTIONS):
                mode = "narrative"
                section = next((name for name, p in _SECTIONS if p.search(text)), None)
            else:
                mode = None
            continue
        if mode is None:
            continue
        body = _strip_mark(text)
        following = items[n + 1] if n + 1 < len(items) else None
        if body.endswith(":") and len(body) < 120 and following and following[1] and not _is_heading(following[1], following[2]):
            lead_relevant = bool(_SEND.search(text))
            continue  # a lead-in ("That the Executive:") to the items that follow
        relevant = bool(_SEND.search(text))
        if not bullet:
            lead_relevant = relevant
        if mode == "narrative" and not relevant and not (bullet and lead_relevant):
            continue  # a bullet counts where the paragraph that introduces it is about SEND
        pending.append({"kind": mode, "section": section if mode == "narrative" else None, "text": body, "position": position})
    for item in pending:
        record["findings"].append(finding(item["kind"], item["text"], item["section"], item["position"]))


# ---------------------------------------------------------------------------------------------
# Inspections the report recounts.


def _result(kind: str, sentence: str) -> str | None:
    if kind == "revisit":
        if re.search(r"\b(?:not|no)\b[^.]{0,40}progress in (?:addressing )?any\b", sentence, re.IGNORECASE):
            return "insufficient_progress"
        if _PROGRESS_SOME.search(sentence):
            return "partial_progress"
        if _PROGRESS_ALL.search(sentence):
            return "sufficient_progress"
        if _PROGRESS_NONE.search(sentence):
            return "insufficient_progress"
        if _PROGRESS_ANY.search(sentence):
            return "sufficient_progress"
        return None
    for outcome, pattern in _RESULT_OUTCOMES:
        if pattern.search(sentence):
            return outcome
    if _RESULT_NO_WSOA.search(sentence):
        return "no_wsoa"
    if _RESULT_WSOA.search(sentence):
        return "wsoa_required"
    return None


def _mentions(record: dict, texts: list[str], home) -> None:
    found: list[dict] = []
    for text in texts:
        for sentence in _sentences(text):
            dates = dates_as_printed(sentence)
            if not dates:
                continue
            events = [("revisit", m.start(), m.end()) for m in _REVISIT.finditer(sentence)]
            for match in _INSPECTED.finditer(sentence):
                if not any(s <= match.start() < e for _k, s, e in events):
                    events.append(("inspection", match.start(), match.end()))
            if not events:
                continue
            area = _area_in(sentence, home) or record["area"]
            for kind, start, end in events:
                if not _AREA_CONTEXT.search(sentence) and not _area_in(sentence[max(0, start - 40) : start], None):
                    continue  # "the school was inspected in May 2019"
                when = min(dates, key=lambda d: min(abs(d[1] - end), abs(d[1] - start)))[0]
                if record["date"] and when > record["date"]:
                    continue  # a visit still to come

                others = [e for e in events if e[0] != kind]
                clause = sentence
                if others:
                    # The result words nearest this event: the part of the sentence up to the next event.
                    later = [s for _k, s, _e in others if s > start]
                    earlier = [e for _k, _s, e in others if e <= start]
                    clause = sentence[(max(earlier) if earlier else 0) : (min(later) if later else len(sentence))]
                    if kind == "inspection":
                        clause = sentence[start:end] + sentence[end : (min(later) if later else end + 80)]
                found.append({"area": area, "when": when, "kind": kind, "result": _result(kind, clause)})
    for mention in found:
        same = [m for m in record["mentions"] if (m["area"], m["when"], m["kind"]) == (mention["area"], mention["when"], mention["kind"])]
        if same:
            if same[0]["result"] is None:
                same[0]["result"] = mention["result"]
            continue
        record["mentions"].append(mention)


def _area_in(sentence: str, home) -> str | None:
    for la, name, pattern in _place_patterns():
        if pattern.search(sentence):
            if home is not None and la.gss_code == home.gss_code:
                return None  # the report's own area, as the record names it
            return name
    return None


def parse(paras: list[str]) -> dict:
    """A record from the paragraphs of one council report.

    Findings: ``narrative`` (a paragraph or bullet about SEND before the decision; section
    ``summary``, ``purpose``, ``background`` or None), ``recommendation`` (each decision
    recommended) and ``rationale`` (the reasons given for it).

    Mentions (inspections the report recounts): ``result`` for ``kind: inspection`` is an outcome of
    records.py (wsoa_required, no_wsoa, positive, inconsistent, systemic); for ``kind: revisit`` it is
    sufficient_progress (every weakness addressed), partial_progress (some) or insufficient_progress
    (none); None where the report does not say. ``when`` is ISO at the precision printed: "2017-03"
    for "March 2017", "2021-03-03" for a full date.
    """
    record = new_record("council_report")
    fields = _fields(paras)
    header_positions = {position for _label, _value, position in fields if "\n" in paras[position] or position < 3}
    values = {}
    for label, value, _position in fields:
        values.setdefault(label, value)
    title = values.get("title") or values.get("report title") or values.get("subject")
    if not title:
        for para in paras[:10]:
            text = _text(para)
            if text and len(text) < 200 and _SEND.search(text) and not _LABEL.match(text):
                title = text
                break
    record["title"] = title or None
    date = None
    for label in ("date", "meeting date", "date of meeting", "meeting"):
        if values.get(label):
            date = parse_date(values[label])
            if date:
                break
    if date is None:
        for para in paras[:12]:
            date = parse_date(para)
            if date:
                break
    record["date"] = date
    full_text = "\n".join(_text(p) for p in paras)
    place, la, council_name = _council(full_text)
    record["area"] = place
    record["gss_code"] = la.gss_code if la else None
    organisation = None
    if la is not None:
        organisation = council_name or f"{place} Council"
        record["organisations"].append({"name": organisation, "kind": "local_authority", "gss_code": la.gss_code})
    _people(record, fields, organisation)
    _findings(record, paras, header_positions)
    texts = [text for _position, text, _bullet in _items(paras) if text]
    _mentions(record, texts, la)
    return record
