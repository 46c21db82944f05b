"""Parser for 2023-framework reports: "Area SEND inspection of X Local Area Partnership"."""

from __future__ import annotations

import re

from sendgraph import gazetteer
from sendgraph.read.dates import all_dates, parse_date_range, parse_duration
from sendgraph.read.names import clean_name, is_lead_role, looks_like_person, title_of
from sendgraph.read.records import finding, new_record
from sendgraph.read.textnorm import BULLET, join_wrapped

_TITLE = re.compile(r"Area SEND inspection of\s+(.+?)\s+Local Area Partnership", re.IGNORECASE | re.DOTALL)
_PREVIOUS_LABEL = r"(?:Dates? of (?:the )?previous (?:full )?inspections?|Previous (?:full )?inspection dates?)"
_DATES = re.compile(
    r"(?:Inspection dates?|Dates? of (?:the )?inspection)\s*:?\s*(.+?)(?=" + _PREVIOUS_LABEL + r"|Inspection outcome|$)",
    re.IGNORECASE | re.DOTALL,
)
_PREVIOUS = re.compile(_PREVIOUS_LABEL + r"\s*:?\s*(.+?)(?=Inspection outcome|$)", re.IGNORECASE | re.DOTALL)
_NOT_INSPECTED = re.compile(r"not (?:been )?previously inspected|no previous|not been inspected|first inspection", re.IGNORECASE)

# Section headings of the report, in the order they appear.
_HEADINGS = [
    ("outcome", re.compile(r"^Inspection outcome\b", re.IGNORECASE)),
    ("information", re.compile(r"^Information about the local area partnership\b", re.IGNORECASE)),
    ("experience", re.compile(r"^What is it like to be a child or young person with (?:SEND|special educational needs[\w /]*?) in (?:this|the) (?:local )?area\??", re.IGNORECASE)),
    ("strength", re.compile(r"^What is the (?:local )?area partnership doing that is effective\??", re.IGNORECASE)),
    ("weakness", re.compile(r"^What does the (?:local )?area partnership need to do better\??", re.IGNORECASE)),
    ("priority_action", re.compile(r"^Areas? for priority action\b", re.IGNORECASE)),
    ("improvement", re.compile(r"^Areas? for improvement\b", re.IGNORECASE)),
    ("details", re.compile(r"^Local area partnership details\b", re.IGNORECASE)),
    ("about", re.compile(r"^Information about this inspection\b", re.IGNORECASE)),
    ("team", re.compile(r"^Inspection team\b", re.IGNORECASE)),
    ("end", re.compile(r"^(?:If you are not happy with the inspection|The Office for Standards in Education|Ofsted and CQC have|You may reuse this information|©)", re.IGNORECASE)),
]
_NARRATIVE_SECTIONS = {"experience": "experience", "information": "partnership"}

_ORG_WORDS = {
    "council", "borough", "county", "city", "nhs", "integrated", "care", "board", "icb", "authority",
    "metropolitan", "district", "commissioning", "group", "ccg", "partnership", "trust", "london",
    "services", "service", "health", "system", "royal", "local", "directorate", "department",
}
_JOB_WORDS = {
    "director", "executive", "officer", "chief", "head", "manager", "lead", "corporate", "interim",
    "strategic", "assistant", "deputy", "chair", "president", "commissioner", "leader", "member",
    "children", "children's", "young", "people", "education", "adult", "adults", "learning", "lifelong",
    "place", "nurse", "designated", "clinical", "medical", "ceo", "dcs", "accountable", "joint",
}
_CONNECTOR_END = re.compile(r"(?:\b(?:and|of|the|for|upon|on|&)|[,(&-])$", re.IGNORECASE)
_WEB = re.compile(r"(?:www\.|https?:|\.gov\.uk|\.nhs\.uk|\.org\.uk|\.co\.uk|\.icb\.|^website:?$)", re.IGNORECASE)
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_LABEL = re.compile(
    r"^(?:Name of (?:the )?(?:lead person|ICB [\w ]+?|director[\w ]*?)\s*:"
    r"|Name of (?:the )?(?:authority|ICB|local authority|integrated care board)\s*:?"
    r"|Website\s*:?|Address\s*:?)\s*",
    re.IGNORECASE,
)

_ROLE_WORDS = {
    "hmi", "ofsted", "cqc", "lead", "inspector", "inspectors", "children's", "childrens", "services",
    "service", "senior", "social", "care", "regulatory", "quality", "commission", "shadow", "team",
    "deputy", "assistant", "health", "and", "&", "oi", "his", "majesty's", "her", "the", "of", "in",
    "training", "regulation", "lead,", "(lead)", "inspector,", "-", "–", "/", "from", "education",
    "for", "sen", "send", "officer", "manager", "specialist", "adviser", "advisor",
}
_HONORIFIC_WORDS = {"mr", "mrs", "ms", "miss", "dr", "mx", "prof", "professor", "sir", "dame"}


_GLUED = re.compile(
    r"(?<=[.!?])\s*(?=(?:What is it like to be a child or young person with|What is the (?:local )?area partnership doing"
    r"|What does the (?:local )?area partnership need to do better|Areas? for priority action\b|Areas? for improvement\b"
    r"|Local area partnership details|Information about this inspection|Inspection team\b))",
    re.IGNORECASE,
)


# The heading after the last recommendation, run into it (no full stop to end the recommendation, no
# space before the heading): printed with its capitals at the end of the paragraph or of a table line.
_CLOSING_HEADING = re.compile(
    r"(?<=[\w,;)])[ \t]*\n?[ \t]*(?=(?:Local area partnership details|Information about this inspection)[ \t]*(?:\n|$))"
)


def _split_headings(paras: list[str]) -> list[str]:
    """Paragraphs with a known heading split off where a heading is glued to the text before or after it."""
    out = []
    pieces = [piece for para in paras for glued in _GLUED.split(para) for piece in _CLOSING_HEADING.split(glued)]
    for para in pieces:
        rest = para
        while rest:
            for _name, pattern in _HEADINGS:
                match = pattern.match(rest)
                if match and match.end() < len(rest):
                    out.append(rest[: match.end()].strip())
                    rest = rest[match.end() :].strip(" \t\n:")
                    break
            else:
                out.append(rest)
                rest = ""
    return out


def _sections(paras: list[str]) -> dict:
    """{section name: [(position, paragraph)]}; text before the first heading is "front"."""
    sections: dict = {"front": []}
    current = "front"
    for position, para in enumerate(paras):
        matched = None
        for name, pattern in _HEADINGS:
            if pattern.match(para) and len(para) < 120:
                matched = name
                break
        if matched:
            current = matched
            sections.setdefault(current, [])
            continue
        if para.strip():
            sections.setdefault(current, []).append((position, para))
    return sections


def _is_bullet(para: str) -> bool:
    return para.lstrip("\t ").startswith(BULLET)


def _debullet(text: str) -> str:
    return " ".join(text.replace(BULLET, " ").split()).strip()


def _block_paragraphs(para: str) -> list[str]:
    """Split a table-like block (lines kept) into paragraphs: a new one starts after a finished sentence."""
    if "\n" not in para:
        return [para]
    out: list[str] = []
    for line in para.split("\n"):
        text = line.strip()
        if not text:
            continue
        starts_new = (
            not out
            or text.startswith(BULLET)
            or (text[:1].isupper() and out[-1].rstrip().endswith((".", "?", "!")))
        )
        if starts_new:
            out.append(text)
        else:
            joiner = "" if re.search(r"[A-Za-z]-$", out[-1]) else " "
            out[-1] = out[-1] + joiner + text
    return out


# A recommendation's opening: its subject (a few capitalised or joining words) and "should", "must",
# "need(s) to": "Leaders should", "The local area partnership needs to", "NHS North East London ICB should".
_RECOMMENDS = re.compile(r"^[A-Z][\w'’&-]*(?:,? [\w'’&()-]+){0,10}?,? (?:should|must|needs? to)\b")


def _items(entries: list[tuple[int, str]], bullets_only: bool, recommendations: bool = False) -> list[tuple[int, str]]:
    """Findings of a section: bullets (with their continuations) or paragraphs (with their sub-bullets).

    Among ``recommendations`` a bullet is a recommendation of its own, not a sub-bullet of the one
    before, where it opens as one ("Leaders should ...") after a finished sentence."""
    items: list[list] = []
    for position, para in entries:
        for piece in _block_paragraphs(para):
            piece = piece.replace("\t", " ").strip()
            if not piece or piece == BULLET:
                continue
            bullet = _is_bullet(piece)
            if bullets_only:
                if bullet or not items:
                    items.append([position, _debullet(piece)])
                else:
                    items[-1][1] += " " + _debullet(piece)
            elif bullet and recommendations and items and items[-1][1].rstrip().endswith((".", "!", "?")) \
                    and _RECOMMENDS.match(_debullet(piece)):
                items.append([position, _debullet(piece)])
            else:
                if bullet and items:
                    items[-1][1] += " " + piece.strip()
                else:
                    items.append([position, _debullet(piece) if recommendations and bullet else piece.strip()])
    return [(p, _as_printed(t)) for p, t in items if t.strip(" " + BULLET)]


_EMPTY_BULLETS = re.compile(BULLET + r"(?=\s*(?:" + BULLET + r"|$))")


def _as_printed(text: str) -> str:
    """A finding's text on one line, each sub-bullet after a bullet glyph as printed (" • "), so a
    quote reads as the list it was (an empty bullet, a glyph with no text, dropped)."""
    return " ".join(_EMPTY_BULLETS.sub(" ", " ".join(text.split())).split())


def _priority_actions(entries: list[tuple[int, str]]) -> list[tuple[int, str, str | None]]:
    """Rows of the priority-action table ("Responsible body | Areas for priority action"): (position,
    text, the responsible body as printed in the left column, or None).

    A new row starts where the left column (the responsible body) starts again: with the first
    row's body, or after a line with no body, or in a new paragraph (the rule between two rows
    ends a paragraph, so a row whose body cell runs to its last line does not swallow the next).
    Reports without the table fall back to one finding per paragraph (with no body).
    """
    lines: list[tuple[int, str, str, bool]] = []
    tabled = any("\t" in para for _position, para in entries)
    if not tabled:
        return [(p, text, None) for p, text in _items(entries, bullets_only=False, recommendations=True)]
    for position, para in entries:
        opens = True
        for line in para.split("\n"):
            if not line.strip():
                continue
            # In the table a line without a tab holds only a left-hand cell (the responsible body).
            left, _, right = line.partition("\t")
            lines.append((position, left.strip(), " ".join(right.split("\t")).strip(), opens))
            opens = False
    rows: list[list] = []
    first_left = None
    prev_left = ""
    for position, left, right, opens in lines:
        if opens:
            prev_left = ""
        if re.match(r"^Responsible bod(?:y|ies)\b", left, re.IGNORECASE) or (not left and re.match(r"^Areas? for (?:priority action|improvement)$", right, re.I)):
            prev_left = ""
            continue
        going_on = bool(rows) and not rows[-1][1].rstrip().endswith((".", "!", "?")) and right[:1].islower()
        starts = bool(left) and bool(right) and right[:1].isupper() and not going_on
        new_row = starts and (not rows or not prev_left or left == first_left)
        if new_row and first_left is None:
            first_left = left
        if new_row:
            rows.append([position, right, [left]])
        elif rows and right:
            sep = "" if re.search(r"[A-Za-z]-$", rows[-1][1]) else " "
            rows[-1][1] = (rows[-1][1] + sep + right).strip()
            if left:
                rows[-1][2].append(left)
        elif right:
            rows.append([position, right, [left] if left else []])
        elif rows and left:
            rows[-1][2].append(left)
        prev_left = left
    return [(p, _as_printed(t), _joined_cell(body)) for p, t, body in rows if t.strip(" " + BULLET)]


def _joined_cell(lines: list[str]) -> str | None:
    """A table cell printed over several lines, as one line (a word hyphenated at a line end rejoined)."""
    text = ""
    for line in lines:
        line = line.strip()
        if line:
            text = text[:-1] + line if re.search(r"[A-Za-z]-$", text) else f"{text} {line}".strip()
    return " ".join(text.split()) or None


# ---------------------------------------------------------------------------------------------
# Partnership details: the local authority and ICB, with their leaders.


def _columns(entries: list[tuple[int, str]]) -> tuple[list[str], list[str]]:
    left: list[str] = []
    right: list[str] = []
    for _position, para in entries:
        for line in para.split("\n"):
            if not line.strip():
                continue
            if "\t" in line:
                parts = line.split("\t")
                lpart, rpart = parts[0].strip(), " ".join(p.strip() for p in parts[1:] if p.strip())
                if lpart:
                    left.append(lpart)
                if rpart:
                    right.append(rpart)
            else:
                left.append(line.strip())
    return left, right


def _person_split(line: str) -> tuple[str, str] | None:
    """(name, rest) where a line opens with a person's name, else None."""
    match = re.match(r"^(.+?)(?:\s*,\s*|\s+[-–]\s+|\s*\(\s*|$)(.*)$", line)
    if not match:
        return None
    head, rest = match.group(1).strip(), match.group(2).strip().rstrip(")")
    words = {w.lower().strip(".,()") for w in head.split()}
    if words & (_ORG_WORDS | _JOB_WORDS) or not looks_like_person(head):
        return None
    return head, rest


# The last word of an organisation's name, before its leader's name in the same cell.
_ORG_END_WORDS = {"council", "authority", "borough", "board", "icb", "(icb)", "trust", "partnership", "ccg"}


def _organisation_then_person(org_parts: list[str], line: str) -> tuple[str, tuple[str, str]] | None:
    """(the organisation's words, (name, rest)) where a line of an organisation's cell goes on from
    the end of its name to a person's name ("Bolton Council Ms Bernie Brown, Director of ..."), else
    None. The name ends at a word that ends organisation names or where it is a local authority's."""
    words = line.split()
    for k in range(1, len(words)):
        head = " ".join(words[:k]).rstrip(",;:–-")
        if words[:k][-1].lower().strip(",;:–-") not in _ORG_END_WORDS and not gazetteer.lookup(join_wrapped(org_parts + [head])):
            continue
        person = _person_split(" ".join(words[k:]).lstrip(",;:–- "))
        if person:
            return head, person
    return None


def _column_entity(lines: list[str]) -> tuple[str, list[dict]]:
    """Organisation name and the people named in one column of the details table."""
    lines = [_LABEL.sub("", line).strip() for line in lines]
    lines = [line for line in lines if line]
    org_parts: list[str] = []
    people: list[dict] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if _WEB.search(line) or _POSTCODE.search(line):
            break
        last = people[-1]["title_parts"][-1] if people and people[-1]["title_parts"] else (org_parts[-1] if org_parts and not people else "")
        person = None if not org_parts or (last and _CONNECTOR_END.search(last)) else _person_split(line)
        if person is None and not people:
            shared = _organisation_then_person(org_parts, line)
            if shared:  # the organisation's cell goes on with its leader's name and title
                line, person = shared
                org_parts.append(line)
        if person is None:
            if people:
                people[-1]["title_parts"].append(line)
            else:
                org_parts.append(line)
        else:
            name, rest = person
            people.append({"printed": name, "title_parts": [rest] if rest else []})
        i += 1
    org = join_wrapped(org_parts).strip(" ,;")
    return org, people


def _organisation_kind(name: str) -> str:
    low = name.lower()
    if "clinical commissioning group" in low or re.search(r"\bccg\b", low):
        return "ccg"
    if "integrated care" in low or re.search(r"\bicb\b", low) or low.startswith("nhs"):
        return "icb"
    return "local_authority"


def _details(record: dict, entries: list[tuple[int, str]]) -> None:
    left, right = _columns(entries)
    if left and re.match(r"^Local authorit(?:y|ies)\s*:?$", left[0], re.IGNORECASE):
        left = left[1:]
    if right and re.match(r"^(?:Integrated care boards?(?: \(ICBs?\))?|ICBs?|Health(?: commissioning)? (?:body|bodies|partners?))\s*:?$", right[0], re.IGNORECASE):
        right = right[1:]
    la_name, la_people = _column_entity(left)
    icb_name, icb_people = _column_entity(right)
    if la_name:
        la = gazetteer.lookup(la_name) or gazetteer.find_in(la_name)
        record["organisations"].append(
            {"name": la_name, "kind": "local_authority", "gss_code": la.gss_code if la else record["gss_code"]}
        )
    for name in [n.strip() for n in re.split(r";", icb_name) if n.strip()]:
        kind = "ccg" if _organisation_kind(name) == "ccg" else "icb"  # the right-hand column is the health body
        record["organisations"].append({"name": name, "kind": kind, "gss_code": None})
    for people, capacity, org in ((la_people, "la_leader", la_name), (icb_people, "icb_leader", icb_name.split(";")[0].strip())):
        for person in people:
            title = join_wrapped(person["title_parts"]).strip(" ,;-–()") or None
            record["people"].append(
                {
                    "name": clean_name(person["printed"]),
                    "title": title,
                    "honorific": title_of(person["printed"]),
                    "organisation": org or None,
                    "capacity": capacity,
                }
            )


def _organisations_from_text(record: dict, entries: list[tuple[int, str]]) -> None:
    """Fallback when there is no details table: "X Council and NHS Y Integrated Care Board are ... responsible"."""
    for _position, para in entries:
        match = re.search(
            r"^(?:The )?(.+?)\s+and\s+(?:the\s+)?(NHS .+?|.+?Integrated Care Board(?: \(ICB\))?)\s+(?:are|is)\b", para
        )
        if match:
            la_name, icb_name = match.group(1), re.sub(r"\s*\(ICB\)$", "", match.group(2))
            la = gazetteer.lookup(la_name)
            record["organisations"].append(
                {"name": la_name, "kind": "local_authority", "gss_code": la.gss_code if la else record["gss_code"]}
            )
            record["organisations"].append({"name": icb_name, "kind": _organisation_kind(icb_name), "gss_code": None})
            return


# ---------------------------------------------------------------------------------------------
# The inspection team.


def _norm_word(word: str) -> str:
    return word.lower().strip(",;:()").replace("’", "'")


def _team_entries(cell: str) -> list[dict]:
    """Entries "Name[, role]" in one cell of the team table; several may run together on one line."""
    entries: list[dict] = []
    state = "start"
    for word in cell.split():
        norm = _norm_word(word)
        is_role = norm in _ROLE_WORDS or norm.startswith("inspector") or norm == ""
        if state == "start":
            if is_role and entries:
                entries[-1]["role"].append(word)
                continue
            entries.append({"name": [word], "role": []})
            state = "name" if not word.endswith(",") else "role"
            if word.endswith(","):
                entries[-1]["name"][-1] = word.rstrip(",")
        elif state == "name":
            if norm in _HONORIFIC_WORDS:
                entries[-1]["name"].append(word)
            elif is_role and norm not in ("and", "the", "of", "in", "-", "–", "/", "from", "for", "his", "her"):
                entries[-1]["role"].append(word)
                state = "role"
            else:
                clean = word.rstrip(",")
                entries[-1]["name"].append(clean)
                if word.endswith(","):
                    state = "role"
        else:  # role
            if is_role or not word[:1].isupper():
                entries[-1]["role"].append(word)
            else:
                entries.append({"name": [word.rstrip(",")], "role": []})
                state = "role" if word.endswith(",") else "name"
    return entries


# A column heading of the team table: "Ofsted", "Care Quality Commission (CQC)", "CQC inspectors".
_TEAM_HEAD = re.compile(r"(?:Ofsted|Care Quality Commission(?: \(CQC\))?|CQC)(?: inspectors?| inspection team| team)?:?", re.IGNORECASE)


def _team(record: dict, entries: list[tuple[int, str]]) -> None:
    column_orgs: list[str] = []
    current_org = None
    people: list[dict] = []
    for _position, para in entries:
        for line in para.split("\n"):
            cells = [c.strip() for c in line.split("\t")]
            stripped = [c for c in cells if c]
            if not stripped:
                continue
            heads = [c for c in stripped if _TEAM_HEAD.fullmatch(c)]
            if heads and len(heads) == len(stripped):
                column_orgs = ["Ofsted" if h.lower().startswith("ofsted") else "CQC" for h in heads]
                current_org = column_orgs[-1] if len(column_orgs) == 1 else None
                continue
            if " ".join(stripped).lower() in ("ofsted care quality commission", "ofsted cqc"):
                column_orgs = ["Ofsted", "CQC"]
                current_org = None
                continue
            for index, cell in enumerate(cells):
                if not cell:
                    continue
                column_org = current_org
                if column_org is None and len(column_orgs) == 2:
                    column_org = column_orgs[min(index, 1)] if line.startswith("\t") is False or index else column_orgs[1]
                for entry in _team_entries(cell):
                    if not entry["name"] and people:
                        people[-1]["role"].extend(entry["role"])
                        continue
                    name_words = [w for w in entry["name"] if w]
                    if people and all(_norm_word(w) in _ROLE_WORDS for w in name_words):
                        people[-1]["role"].extend(name_words + entry["role"])
                        continue
                    entry["column_org"] = column_org
                    people.append(entry)
    for entry in people:
        printed = " ".join(entry["name"])
        role = join_wrapped(entry["role"]).strip(" ,;")
        role_low = role.lower()
        if "cqc" in role_low or "care quality" in role_low or "children's services inspector" in role_low:
            org = "CQC"
        elif "ofsted" in role_low or "hmi" in role_low or printed.endswith("HMI"):
            org = "Ofsted"
        else:
            org = entry.get("column_org") or "Ofsted"
        name = clean_name(printed)
        if not name or not looks_like_person(name):
            continue
        record["inspectors"].append(
            {"name": name, "organisation": org, "role": role or None, "lead": is_lead_role(role_low)}
        )


# ---------------------------------------------------------------------------------------------


def _classify_outcome(text: str) -> str | None:
    low = text.lower()
    if "widespread and/or systemic failings" in low or "systemic failings" in low:
        return "systemic"
    if "inconsistent experiences and outcomes" in low:
        return "inconsistent"
    if "typically lead to positive experiences" in low or "positive experiences and outcomes" in low:
        return "positive"
    return None


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z])", text) if s.strip()]


def parse(paras: list[str]) -> dict:
    """A record from the paragraphs of one 2023-framework report."""
    record = new_record("area_send_inspection_2023")
    paras = _split_headings(paras)
    front_text = "\n".join(p for p in paras[:12])
    title = _TITLE.search(" ".join(front_text.split()))
    if title:
        area = re.sub(r"^the\s+", "", title.group(1).strip(), flags=re.IGNORECASE)
        record["area"] = area
        record["title"] = f"Area SEND inspection of {title.group(1).strip()} Local Area Partnership"
        la = gazetteer.lookup(area)
        record["gss_code"] = la.gss_code if la else None
    flat = " ".join(" ".join(paras[:15]).split())
    inspection = record["inspection"]
    match = _DATES.search(flat)
    if match:
        inspection["start_date"], inspection["end_date"] = parse_date_range(match.group(1))
    match = _PREVIOUS.search(flat)
    if match and not _NOT_INSPECTED.search(match.group(1)[:80]):
        previous_text = match.group(1)
        full = re.search(r"previous full inspection was (?:on|from|between)?\s*(.+?)(?:\.|$)", previous_text, re.I)
        start, end = parse_date_range(full.group(1) if full else previous_text)
        if start:
            inspection["previous"] = {"start_date": start, "end_date": end}
            record["mentions"].append({"area": record["area"], "when": start, "kind": "inspection", "result": None})
        revisit = re.search(r"revisit(?:ed)?\s+(?:was\s+)?(?:on|from|between|in)?\s*(.+?)(?:\.|$)", previous_text, re.I)
        if revisit:
            when = parse_date_range(revisit.group(1))[0] or (all_dates(revisit.group(1)) or [None])[0]
            if when:
                record["mentions"].append({"area": record["area"], "when": when, "kind": "revisit", "result": None})
    sections = _sections(paras)
    outcome_paras = [p for _pos, p in sections.get("outcome", [])]
    outcome_text = " ".join(outcome_paras)
    for para in outcome_paras:
        outcome = _classify_outcome(para)
        if outcome:
            inspection["outcome"] = outcome
            inspection["outcome_text"] = " ".join(para.split())
            break
    for sentence in _sentences(outcome_text):
        low = sentence.lower()
        if "monitoring inspection" in low and inspection["monitoring_within"] is None:
            inspection["monitoring_within"] = parse_duration(sentence)
        elif re.search(r"next (?:full )?(?:area send )?(?:re-?)?inspection|full (?:area send )?re-?inspection", low) and inspection["next_full_within"] is None:
            inspection["next_full_within"] = parse_duration(sentence)
    for section, entries in sections.items():
        if section in _NARRATIVE_SECTIONS:
            for position, text in _items(entries, bullets_only=False):
                record["findings"].append(finding("narrative", text, _NARRATIVE_SECTIONS[section], position))
        elif section in ("strength", "weakness"):
            for position, text in _items(entries, bullets_only=True):
                record["findings"].append(finding(section, text, None, position))
        elif section == "priority_action":
            for position, text, body in _priority_actions(entries):
                record["findings"].append(finding("priority_action", text, None, position, responsible_body=body))
        elif section == "improvement":
            # Printed, like priority actions, as a "Responsible body" table in some reports.
            tabled = any(re.search(r"(?m)^Responsible bod(?:y|ies)\t", para, re.IGNORECASE) for _pos, para in entries)
            rows = _priority_actions(entries) if tabled else [(p, x, None) for p, x in _items(entries, False, recommendations=True)]
            for position, text, body in rows:
                record["findings"].append(finding("improvement", text, None, position, responsible_body=body))
    if "details" in sections:
        _details(record, sections["details"])
    if not any(o["kind"] == "local_authority" for o in record["organisations"]):
        _organisations_from_text(record, sections.get("information", []))
    if "team" in sections:
        _team(record, sections["team"])
    for name, kind in (("Ofsted", "inspectorate"), ("Care Quality Commission", "inspectorate")):
        record["organisations"].append({"name": name, "kind": kind, "gss_code": None})
    if record["gss_code"] is None:
        for org in record["organisations"]:
            if org["kind"] == "local_authority" and org["gss_code"]:
                record["gss_code"] = org["gss_code"]
    return record
