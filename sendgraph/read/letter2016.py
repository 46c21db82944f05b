"""Parser for 2016-framework letters: "Joint local area SEND inspection in X" and "Joint local area SEND revisit in X"."""

from __future__ import annotations

import re

from sendgraph import gazetteer
from sendgraph.read.dates import DAY_MONTH_YEAR, dates_as_printed, parse_date, parse_date_range
from sendgraph.read.names import TITLE_WORDS, clean_name, is_lead_role, name_and_rest
from sendgraph.read.records import finding, new_record
from sendgraph.read.textnorm import BULLET

OFSTED = "Ofsted"
CQC_NAME = "Care Quality Commission"

_HEADING = re.compile(r"^Joint local area SEND (inspection|revisit) in\s+(.+)$", re.IGNORECASE | re.DOTALL)
_DATE_LINE = re.compile(r"^\s*(?:Date:?\s*)?\d{1,2}(?:st|nd|rd|th)? [A-Za-z]+,? \d{4}\s*$")
_SALUTATION = re.compile(r"^Dear\s+(.+?)[,.]?\s*$", re.IGNORECASE)
_SIGN_OFF = re.compile(r"^(?:Yours (?:sincerely|faithfully)|With (?:kind )?regards)\b", re.IGNORECASE)
_CC = re.compile(r"^(?:CC|Cc|cc|Copy to|Copies to)\b\s*:?", re.IGNORECASE)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")

_MAIN_FINDINGS = re.compile(r"^(?:Main|Summary of|Key) findings\s*:?$", re.IGNORECASE)
_STRENGTHS = re.compile(r"^(?:Strengths?|Areas? of strength|Key strengths)\s*:?$", re.IGNORECASE)
_WEAKNESSES = re.compile(
    r"^(?:Areas? for (?:further )?(?:development|improvement)|Areas? of weakness|Weakness(?:es)?)\s*:?$",
    re.IGNORECASE,
)
_GLUED = re.compile(
    r"^(Main findings|Strengths|Areas? for (?:further )?(?:development|improvement))\s*:?\s+(?=[A-Z\"'" + BULLET + r"])",
    re.IGNORECASE,
)
_SECTION = re.compile(r"^(?:The )?effectiveness of (?:the )?local area(?:'s)?\s+(?:in\s+)?(.+)$", re.IGNORECASE)
_SHORT_SECTION = re.compile(
    r"^(identif\w*|(?:assessing and )?meeting (?:the )?needs|improving outcomes)\b", re.IGNORECASE
)
# Paragraphs of the letter's own wording that end a list of findings.
_STOPPERS = re.compile(
    r"^(?:The inspection raises significant concerns|The local area is required to produce|The approach to responding"
    r"|This letter outlines|Ofsted and (?:the )?CQC (?:ask|will)|The local area should|The local area's? (?:next|written)"
    r"|As a result of the findings)",
    re.IGNORECASE,
)
_SIGNIFICANT_LIST = re.compile(
    r"(?:following|these) areas? of significant weakness(?:es)?\s*:?\s*$|tackle the following|significant weakness(?:es)?\s*:\s*$",
    re.IGNORECASE,
)

_WSOA = r"(?:written statement of action(?: \(WSOA\))?|WSOA|written statement)"
_WSOA_REQUIRED = re.compile(
    _WSOA + r" (?:is|will be) required"
    r"|(?:is|are) required to (?:produce and submit|produce|submit) a " + _WSOA,
    re.IGNORECASE,
)
_WSOA_NOT = re.compile(
    _WSOA + r" (?:is|was|will be) not required"
    r"|not (?:be )?required to (?:produce|submit)(?: and submit)? a " + _WSOA
    + r"|no " + _WSOA + r" (?:is|was|will be) required"
    r"|(?:does|do|did) not need to (?:produce|submit)(?: and submit)? a " + _WSOA,
    re.IGNORECASE,
)
_WSOA_WAS = re.compile(_WSOA + r" was required|determined that an? " + _WSOA, re.IGNORECASE)
_PROGRESS = re.compile(r"\b(?:has|have) (?:not )?made (?:sufficient|enough) progress|\b(?:sufficient|insufficient) progress in", re.IGNORECASE)
_INITIAL = re.compile(r"\b(?:initial|original|previous|first|last) (?:SEND )?inspection\b", re.IGNORECASE)

_FUNCTION_END = re.compile(
    r"\b(?:of|the|to|and|a|an|in|for|with|from|by|on|that|which|who|as|at|or|their|its|is|are|be|was|were)$"
)
_TERMINAL = (".", "!", "?", ":", ";")

_LONDON_BOROUGH = re.compile(r"\b(?:London|Royal) Borough of [A-Z][\w'-]+(?: (?:and|upon|on) [A-Z][\w'-]+| [A-Z][\w'-]+)*")
_CCG = re.compile(r"(?:clinical commissioning groups?|\bCCGs?\b)", re.IGNORECASE)
_ICB = re.compile(r"(?:integrated care boards?|\bICBs?\b)", re.IGNORECASE)
_NAME_PART = re.compile(r"^(?:[A-Z][\w'’.-]*|and|&|on|upon|of|the|-)$")
_CONNECTORS = {"and", "&", "on", "upon", "of", "the", "-"}


def _text(para: str) -> str:
    """A paragraph's text without its bullet glyph, single-spaced."""
    return " ".join(para.replace(BULLET, " ").split())


def _person(name: str) -> str:
    """A printed name made clean: no honorific or "HMI", no space left in a name hyphenated across lines."""
    return clean_name(re.sub(r"(?<=\w)- (?=[A-Z])", "-", name))


def _is_bullet(para: str) -> bool:
    return para.lstrip().startswith(BULLET)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"'])", text) if s.strip()]


def _joined_prose(paras: list[str]) -> str:
    """Paragraphs joined into one text, a paragraph that stops mid-sentence running on into the next."""
    out = ""
    for para in paras:
        text = _text(para)
        if not text:
            continue
        if not out:
            out = text
        elif out.endswith(_TERMINAL):
            out += "\n" + text
        else:
            out += " " + text
    return out


# ---------------------------------------------------------------------------------------------
# Organisations named in the address block and recipient lines.


_JOB_ONLY = frozenset(
    """director directors executive officer chief head assistant deputy interim acting corporate strategic
    manager lead leader accountable managing nominated designated senior principal operational
    commissioning-lead services service""".split()
)


def _trim_lead(words: list[str]) -> list[str]:
    """Words of an organisation's name without a job title or connector in front ("Chief Officer of NHS X")."""
    while words and (
        words[0].lower().strip(",") in _JOB_ONLY or words[0].lower() in _CONNECTORS or not words[0][:1].isupper()
    ):
        words = words[1:]
    return words


def _la_in(text: str) -> tuple[str, int, object] | None:
    """(name as printed, start, LocalAuthority or None) of the first council named in text."""
    london = _LONDON_BOROUGH.search(text)
    if london:
        return london.group(0), london.start(), gazetteer.lookup(london.group(0))
    for council in re.finditer(r"\bCouncil\b", text):
        after = re.match(r" of the(?: (?:[A-Z][\w'-]+|of|and))+", text[council.end() :])
        if after:
            name = text[council.start() : council.end() + after.end()]
            return name, council.start(), gazetteer.lookup(name)
        tokens = [(m.group(0), m.start()) for m in re.finditer(r"\S+", text[: council.start()])]
        # The longest run of words before "Council" that names a local authority.
        for size in range(min(8, len(tokens)), 0, -1):
            run = tokens[-size:]
            if any(word.endswith((",", ";", ":")) for word, _ in run):
                continue
            name = text[run[0][1] : council.end()]
            la = gazetteer.lookup(name) if gazetteer.name_key(name) else None
            if la:
                return name, run[0][1], la
        run = []
        for word, position in reversed(tokens[-6:]):
            if word.endswith((",", ";", ":")) or not word[:1].isupper() or word.lower() in _JOB_ONLY:
                break
            run.insert(0, (word, position))
        if run:
            return text[run[0][1] : council.end()], run[0][1], None
    return None


def _health_bodies_in(text: str) -> list[tuple[str, str, int, int]]:
    """(name as printed, kind, start, end) of each CCG or ICB named in text."""
    found: list[tuple[str, str, int, int]] = []
    for pattern, kind in ((_CCG, "ccg"), (_ICB, "icb")):
        for match in pattern.finditer(text):
            floor = max([end for _n, _k, _s, end in found if end <= match.start()], default=0)
            before = text[floor : match.start()].split()
            words: list[str] = []
            for word in reversed(before):
                if word.endswith((",", ";", ":")) or not _NAME_PART.match(word):
                    break
                words.insert(0, word)
            words = _trim_lead(words)
            while words and words[-1].lower() in _CONNECTORS:
                words.pop()
            if not words or any(s <= match.start() < e for _n, _k, s, e in found):
                continue
            start = text.rfind(words[0], floor, match.start())
            found.append((text[start : match.end()], kind, start, match.end()))
    return sorted(found, key=lambda item: item[2])


def _add_org(record: dict, name: str, kind: str, gss_code=None) -> None:
    key = gazetteer.name_key(name) if kind == "local_authority" else name.lower()
    for org in record["organisations"]:
        same = (gss_code and org.get("gss_code") == gss_code and org["kind"] == kind) or (
            (gazetteer.name_key(org["name"]) if org["kind"] == "local_authority" else org["name"].lower()) == key
        )
        if same:
            return
    record["organisations"].append({"name": name, "kind": kind, "gss_code": gss_code})


def _address_block(record: dict, block: str, surname: str | None) -> str | None:
    """The addressee and their council from the address block; returns the council's name."""
    la = _la_in(block)
    la_name = None
    if la:
        la_name = la[0]
        _add_org(record, la_name, "local_authority", la[2].gss_code if la[2] else None)
    elif gazetteer.find_in(block):
        found = gazetteer.find_in(block)
        la_name = found.name
        _add_org(record, la_name, "local_authority", found.gss_code)
    name = rest = None
    split = name_and_rest(block)
    if split:
        name, rest = split
        words = name.split()
        first = len(name.split()) - len(_person(name).split()) if not re.search(r"\bHMI$", name) else 0
        # "Dear Ms Smith": the name ends at the surname where a job title's first word ran on.
        if surname and surname.lower() in [w.lower() for w in words[first + 1 :]]:
            cut = max(i for i, w in enumerate(words) if w.lower() == surname.lower())
            if cut + 1 < len(words) and not re.fullmatch(r"HMI|OBE|CBE|MBE", words[cut + 1]):
                rest = " ".join(words[cut + 1 :] + ([rest] if rest else []))
                name = " ".join(words[: cut + 1])
    elif surname:
        words = block.split()
        for i, word in enumerate(words[:6]):
            if word.strip(",").lower() == surname.lower():
                name, rest = " ".join(words[: i + 1]).rstrip(","), " ".join(words[i + 1 :])
                break
    if not name:
        return la_name
    title = rest or ""
    if la and la[0] in title:
        title = title[: title.index(la[0])]
    else:
        title = re.split(r"\b(?:PO Box|Civic Centre|Town Hall|County Hall|Municipal Buildings|\d)", title)[0]
    title = title.strip(" ,;:-") or None
    record["people"].append(
        {"name": _person(name), "title": title, "organisation": la_name, "capacity": "addressee"}
    )
    return la_name


def _opens_with_recipient(piece: str) -> tuple[str, str] | None:
    split = name_and_rest(piece)
    if split and piece[len(split[0]) : len(split[0]) + 1] == ",":
        return split
    return None


def _split_head(head: list[str]) -> tuple[list[str], list[str]]:
    """The address block and the recipient lines after it: the block ends at its postcode, or
    else where a line opens with "Name," (all the head where neither is found)."""
    for i, piece in enumerate(head):
        postcode = _POSTCODE.search(piece)
        if postcode:
            after = piece[postcode.end() :].strip()
            return head[:i] + [piece[: postcode.end()]], ([after] if after else []) + head[i + 1 :]
    for i, piece in enumerate(head[1:], start=1):
        if _opens_with_recipient(piece):
            return head[:i], head[i:]
    return head, []


def _recipients(record: dict, pieces: list[str], la_name: str | None) -> None:
    """People named "Name, title[, organisation]" (or "Name Title" opening a line) after the address block."""
    words: list[str] = []
    piece_starts: list[int] = []
    for piece in pieces:
        piece_starts.append(len(words))
        words.extend(piece.split())
    starts: list[tuple[int, int]] = []  # (first word, last word) of each name
    for j, word in enumerate(words):
        if not word.endswith(","):
            continue
        run: list[int] = []
        k = j
        while k >= 0 and len(run) < 5:
            bare = words[k].rstrip(",")
            if k != j and words[k].endswith(","):
                break
            if bare.lower() in TITLE_WORDS or not re.match(r"^[A-Z][\w'’.-]*$", bare):
                break
            run.insert(0, k)
            k -= 1
        honorific = run and re.match(r"^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Cllr|Councillor)\.?$", words[run[0]])
        if len(run) - (1 if honorific else 0) >= 2 and (not starts or run[0] > starts[-1][1]):
            starts.append((run[0], j))
    for index, piece in zip(piece_starts, pieces):
        split = name_and_rest(piece)
        covered = any(first <= index <= last for first, last in starts)
        if split and split[1] and not covered and index < len(words):
            starts.append((index, index + len(split[0].split()) - 1))
    starts.sort()
    for n, (first, last) in enumerate(starts):
        name = " ".join(words[first : last + 1]).rstrip(",")
        end = starts[n + 1][0] if n + 1 < len(starts) else len(words)
        rest = " ".join(words[last + 1 : end]).strip(" ,;")
        organisation = None
        title = rest
        bodies = _health_bodies_in(rest)
        la = _la_in(rest) if not bodies else None
        if bodies:
            organisation = bodies[0][0]
            for name_, kind, start, stop in reversed(bodies):
                _add_org(record, name_, kind)
                title = title[:start] + " " + title[stop:]
            title = re.sub(r"\s+(?:and|&)\s*$", "", title.strip(" ,;"))
        elif la and la[1] >= 0:
            organisation = la[0]
            _add_org(record, organisation, "local_authority", la[2].gss_code if la[2] else None)
            title = (rest[: la[1]] + " " + rest[la[1] + len(la[0]) :]).strip()
        else:
            # "Local Area Nominated Officer, Northumberland": a place standing for its council.
            parts = [p.strip() for p in rest.split(",")]
            if len(parts) > 1 and la_name and gazetteer.lookup(parts[-1]) and gazetteer.lookup(parts[-1]) == gazetteer.lookup(la_name):
                organisation = la_name
                title = ", ".join(parts[:-1])
        title = re.sub(r"\s*,\s*,\s*", ", ", title).strip(" ,;:-") or None
        if title and re.match(r"^(?:of|for|at)\b", title, re.IGNORECASE):
            title = title.split(" ", 1)[1] if " " in title else None
        if organisation is None and title and "nominated officer" in title.lower():
            organisation = la_name  # the local area nominated officer is the council's officer
        record["people"].append(
            {"name": _person(name), "title": title, "organisation": organisation, "capacity": "recipient"}
        )


# ---------------------------------------------------------------------------------------------
# Signatures and the inspection team, after "Yours sincerely".


def _sign_off_lines(paras: list[str]) -> list[tuple[str, str | None]]:
    """(line, column organisation) in reading order; a two-column table is read column by column.

    A name wrapped across two lines ("Karen Collins-" / "Beckett", "Karen" / "Collins-Beckett") is one line again.
    """
    out: list[tuple[str, str | None]] = []
    for line, org in _raw_sign_off_lines(paras):
        if out and out[-1][1] == org and _wrapped(out[-1][0]):
            joiner = "" if out[-1][0].endswith("-") else " "
            out[-1] = (out[-1][0] + joiner + line, org)
        else:
            out.append((line, org))
    return out


def _wrapped(line: str) -> bool:
    if re.search(r"[A-Za-z]-$", line):
        return True
    return bool(re.fullmatch(r"[A-Z][\w'’-]+", line)) and line.lower() not in TITLE_WORDS and not _inspectorate(line, exact=True)


def _raw_sign_off_lines(paras: list[str]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for para in paras:
        if not para.strip():
            continue
        if "\t" not in para:
            out.append((_text(para), None))
            continue
        columns: list[list[str]] = [[], []]
        for row in para.split("\n"):
            cells = [c.strip() for c in row.split("\t")]
            if not any(cells):
                continue
            if cells[0]:
                columns[0].append(cells[0])
            right = " ".join(c for c in cells[1:] if c)
            if right:
                columns[1].append(right)
        for column in columns:
            org = None
            for line in column:
                head = _inspectorate(line, exact=True)
                if head:
                    org = head
                    continue
                out.append((_text(line), org))
    return out


def _inspectorate(text: str, exact: bool = False) -> str | None:
    low = text.lower().strip(" .:")
    if exact:
        return {"ofsted": "Ofsted", "care quality commission": "CQC", "cqc": "CQC"}.get(low)
    if re.search(r"\bcqc\b|care quality|children's services inspector|primary medical|health and justice", low):
        return "CQC"
    if re.search(r"\bofsted\b|\bhmi\b|majesty's inspector|regional director", low):
        return "Ofsted"
    return None


def _sign_off(record: dict, paras: list[str]) -> None:
    entries: list[dict] = []
    seen_header = False
    for line, column_org in _sign_off_lines(paras):
        if re.fullmatch(r"(?:Ofsted|CQC|Care Quality Commission)(?:\s+(?:and\s+)?(?:Ofsted|CQC|Care Quality Commission))*", line.strip(" .")):
            seen_header = True
            continue
        split = name_and_rest(line)
        if split and (not split[1] or _inspectorate(split[1]) or re.search(r"inspector|director|officer", split[1], re.I)):
            name, rest = split
            role_parts = [rest] if rest else []
            if re.search(r"\bHMI$", name) and not rest:
                role_parts = []
            entries.append({"printed": name, "role": role_parts, "column": column_org, "after_header": seen_header})
        elif entries:
            entries[-1]["role"].append(line)
    signer = None
    signatories: list[dict] = []
    team: list[dict] = []
    for n, entry in enumerate(entries):
        role = " ".join(" ".join(entry["role"]).split()).strip(" ,;.") or None
        name = _person(entry["printed"])
        if not name:
            continue
        if n == 0 and not entry["after_header"]:
            signer = {"name": name, "role": role}
            continue
        low = (role or "").lower()
        if re.search(r"\bdirector\b|chief inspector|chief executive|\bdeputy chief\b", low):
            signatories.append({"name": name, "role": role, "column": entry["column"]})
        elif role and re.search(r"inspector|\bhmi\b|inspection", low):
            org = entry["column"] or _inspectorate(role) or (_inspectorate(entry["printed"]) or OFSTED)
            if re.search(r"\bcqc\b|care quality|children's services inspector", low):
                org = "CQC"
            if not any(t["name"].lower() == name.lower() for t in team):
                team.append({"name": name, "organisation": org, "role": role, "lead": is_lead_role(low)})
    if signer:
        record["people"].append(
            {"name": signer["name"], "title": signer["role"], "organisation": OFSTED, "capacity": "signatory"}
        )
    for n, person in enumerate(signatories):
        org = person["column"] or _inspectorate(person["role"] or "") or ("CQC" if n else "Ofsted")
        record["people"].append(
            {
                "name": person["name"],
                "title": person["role"],
                "organisation": CQC_NAME if org == "CQC" else OFSTED,
                "capacity": "signatory",
            }
        )
    if signer:
        same = [t for t in team if t["name"].lower() == signer["name"].lower()]
        if same and not any(t["lead"] for t in team):
            same[0]["lead"] = True
        elif not same and not any(t["lead"] for t in team):
            team.insert(0, {"name": signer["name"], "organisation": OFSTED, "role": signer["role"], "lead": True})
    record["inspectors"].extend(team)


# ---------------------------------------------------------------------------------------------
# Findings.


def _section_of(text: str) -> str | None:
    """identifying | meeting | outcomes where a paragraph is one of the three headings, else None."""
    if len(text) > 260 or text.endswith((".", ";")) or re.search(r"\.\s+[A-Z]", text):
        return None
    match = _SECTION.match(text) or _SHORT_SECTION.match(text)
    if not match:
        return None
    low = match.group(1).lower() if match.re is _SECTION else text.lower()
    if "outcome" in low:
        return "outcomes"
    if "meeting" in low or "assessing" in low:
        return "meeting"
    if "identif" in low:
        return "identifying"
    return None


def _findings(record: dict, paras: list[str], begin: int, end: int, revisit: bool) -> None:
    kind = None
    section = None
    items: list[dict] = []  # {kind, section, text, position, bullet}
    current: dict | None = None
    for position in range(begin, end):
        raw = paras[position]
        text = _text(raw)
        if not text:
            continue
        bullet = _is_bullet(raw)
        glued = None if bullet else _GLUED.match(text)
        if glued and len(text) > 60:
            heading, text = glued.group(1), text[glued.end() :]
            raw = text
            bullet = False
            kind = _heading_kind(heading, revisit) or kind
            current = None
        if not bullet:
            if _MAIN_FINDINGS.match(text):
                kind, section, current = "main_finding", None, None
                continue
            new_section = _section_of(text)
            if new_section:
                section, current = new_section, None
                kind = "main_finding" if revisit else None
                continue
            if _STRENGTHS.match(text):
                kind, current = ("main_finding" if revisit else "strength"), None
                continue
            if _WEAKNESSES.match(text):
                kind, current = ("main_finding" if revisit else "weakness"), None
                continue
        if _SIGNIFICANT_LIST.search(text) and not revisit and not bullet:
            kind, section, current = "significant_weakness", None, None
            continue
        if _STOPPERS.match(text):
            kind, current = None, None
            continue
        if kind is None:
            continue
        if current is not None and _continues(current, text, bullet, kind):
            joiner = "" if re.search(r"[A-Za-z]-$", current["text"]) and text[:1].islower() else " "
            current["text"] += joiner + text
            continue
        if current is not None and kind == "significant_weakness" and not bullet and current["bullet"]:
            kind, current = None, None  # a paragraph after the list of weaknesses ends it
            continue
        current = {"kind": kind, "section": section, "text": text, "position": position, "bullet": bullet}
        items.append(current)
    for item in items:
        text = item["text"].strip()
        if text:
            record["findings"].append(finding(item["kind"], text, item["section"], item["position"]))


def _heading_kind(heading: str, revisit: bool) -> str | None:
    if revisit:
        return "main_finding"
    if _MAIN_FINDINGS.match(heading):
        return "main_finding"
    if _STRENGTHS.match(heading):
        return "strength"
    if _WEAKNESSES.match(heading):
        return "weakness"
    return None


def _continues(current: dict, text: str, bullet: bool, kind: str) -> bool:
    """True where a paragraph goes on with the finding before it (a bullet split by the export)."""
    previous = current["text"]
    open_end = not previous.rstrip().endswith(_TERMINAL + (")", "'", '"'))
    if bullet:
        # A bullet the export put at a page break in mid-sentence: "• needs are identified ...".
        return text[:1].islower() and open_end and previous[:1].isupper()
    if open_end and (text[:1].islower() or _FUNCTION_END.search(previous)):
        return True
    if kind == "significant_weakness":
        return False
    return current["bullet"]


# ---------------------------------------------------------------------------------------------


def _letter_date(paras: list[str], stop: int) -> str | None:
    for para in paras[:stop]:
        text = _text(para)
        if _DATE_LINE.match(text):
            return parse_date(text)
    for para in paras[:stop]:
        text = _text(para)
        match = DAY_MONTH_YEAR.search(text)
        if match and match.start() < 3:
            return parse_date(text)
    return None


def _area(rest: str) -> tuple[str, object]:
    """The place a heading names, and its local authority (or None)."""
    rest = re.sub(r"^the\s+", "", " ".join(rest.split()).strip(" .:"), flags=re.IGNORECASE)
    words = rest.split()
    for size in range(min(len(words), 8), 0, -1):
        candidate = " ".join(words[:size]).strip(" ,.;:")
        la = gazetteer.lookup(candidate)
        if la:
            return candidate, la
    if len(words) > 6:
        rest = " ".join(words[:6])
    return rest, gazetteer.find_in(rest)


def parse(paras: list[str]) -> dict:
    """A record from the paragraphs of one 2016-framework letter."""
    record = new_record("joint_local_area_inspection_2016")
    heading_at = None
    match = None
    for i, para in enumerate(paras):
        match = _HEADING.match(_text(para))
        if match:
            heading_at = i
            break
    if heading_at is None:
        return record
    revisit = match.group(1).lower() == "revisit"
    area, la = _area(match.group(2))
    printed = _text(paras[heading_at])
    record["title"] = printed[: match.start(2)] + area
    record["area"] = area
    record["gss_code"] = la.gss_code if la else None

    # The letter's head: date, address block, recipients, salutation.
    dear_at = None
    for i in range(heading_at - 1, max(-1, heading_at - 8), -1):
        if _SALUTATION.match(_text(paras[i])):
            dear_at = i
            break
    head_end = dear_at if dear_at is not None else heading_at
    record["date"] = _letter_date(paras, head_end)
    date_at = -1
    for i in range(head_end):
        if _DATE_LINE.match(_text(paras[i])):
            date_at = i
    surname = None
    if dear_at is not None:
        salutation = _SALUTATION.match(_text(paras[dear_at])).group(1).split()
        surname = salutation[-1].strip(",.") if salutation else None
    head = [_text(p) for p in paras[date_at + 1 : head_end] if _text(p)]
    head = [h for h in head if not re.search(r"@|www\.|\bT \d|Textphone", h)]
    la_name = None
    if head:
        block, rest = _split_head(head)
        la_name = _address_block(record, " ".join(block), surname)
        _recipients(record, rest, la_name)
    if la is None and la_name:
        found = gazetteer.lookup(la_name)
        record["gss_code"] = found.gss_code if found else None

    # The body, up to the signature.
    sign_at = None
    for i in range(heading_at + 1, len(paras)):
        if _SIGN_OFF.match(_text(paras[i])):
            sign_at = i
            break
    body_end = sign_at if sign_at is not None else len(paras)
    if sign_at is None:
        for i in range(heading_at + 1, len(paras)):
            if _CC.match(_text(paras[i])):
                body_end = i
                break
    findings_at = body_end
    for i in range(heading_at + 1, body_end):
        text = _text(paras[i])
        if _MAIN_FINDINGS.match(text) or (_GLUED.match(text) and text.lower().startswith("main findings")):
            findings_at = i
            break
    intro = _joined_prose(paras[heading_at + 1 : findings_at])
    inspection = record["inspection"]
    for sentence in _sentences(intro):
        if re.search(r"ofsted|inspect|revisit|care quality", sentence, re.IGNORECASE) and DAY_MONTH_YEAR.search(sentence):
            inspection["start_date"], inspection["end_date"] = parse_date_range(sentence)
            break
    body_text = _joined_prose(paras[heading_at + 1 : body_end])
    sentences = _sentences(body_text)
    if revisit:
        _revisit(record, sentences)
    else:
        for sentence in sentences:
            if _WSOA_NOT.search(sentence):
                inspection["outcome"], inspection["outcome_text"] = "no_wsoa", sentence
                break
            if _WSOA_REQUIRED.search(sentence):
                inspection["outcome"], inspection["outcome_text"] = "wsoa_required", sentence
                break
        else:
            complete = findings_at < body_end and sign_at is not None
            if complete and not re.search(r"written statement of action|\bWSOA\b", body_text, re.IGNORECASE):
                inspection["outcome"] = "no_wsoa"  # a complete letter that requires no written statement
    _findings(record, paras, heading_at + 1, body_end, revisit)

    if sign_at is not None:
        team_end = len(paras)
        for i in range(sign_at + 1, len(paras)):
            text = _text(paras[i])
            if _CC.match(text) or _HEADING.match(text) or (
                "\t" not in paras[i] and (len(text) > 160 or _is_bullet(paras[i]) or _MAIN_FINDINGS.match(text))
            ):
                team_end = i
                break
        _sign_off(record, paras[sign_at + 1 : team_end])
    _add_org(record, OFSTED, "inspectorate")
    _add_org(record, CQC_NAME, "inspectorate")
    return record


def _revisit(record: dict, sentences: list[str]) -> None:
    """What a revisit letter says: its progress sentence, and the initial inspection it follows up."""
    inspection = record["inspection"]
    for sentence in sentences:
        if _PROGRESS.search(sentence) and not re.search(r"to decide whether|whether sufficient", sentence, re.IGNORECASE):
            inspection["outcome_text"] = sentence
            break
    when = None
    for sentence in sentences:
        if _INITIAL.search(sentence):
            start, end = parse_date_range(sentence)
            if start and end:
                inspection["previous"] = {"start_date": start, "end_date": end}
                when = start
                break
            printed = dates_as_printed(sentence)
            if printed and not re.search(r"\bissued\b|fit for purpose|declared", sentence, re.IGNORECASE):
                when = printed[0][0]
                break
    required = any(_WSOA_WAS.search(s) for s in sentences) or any(
        re.search(r"written statement of action|\bWSOA\b", s, re.IGNORECASE) for s in sentences
    )
    record["mentions"].append(
        {"area": record["area"], "when": when, "kind": "inspection", "result": "wsoa_required" if required else None}
    )
