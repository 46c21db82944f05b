"""Entity resolution across documents: people, organisations, areas and inspections.

Every decision is made from the whole set of records, in a fixed order, so it does not depend on
the order the documents were read in; every merge that needed evidence (and every near miss that
was kept apart) is returned as a :class:`Decision` for the graph to record.

Rules:

* People: two printed names are one person only when the surnames agree, the first names are
  compatible (equal, a short and a long form such as Jo/Joanna or Cathy/Cathryn, or an initial) and
  the organisation agrees (or, where one side has no organisation, the role as printed). Honorifics
  and post-nominals are ignored. Two different names printed in one document stay two people.
* Organisations: councils resolve through the gazetteer to their ONS code ("Middlesbrough Borough
  Council" and "Middlesbrough Council" are E06000002); ICBs and CCGs resolve by their name with
  "NHS", "Integrated Care Board", "Clinical Commissioning Group" set aside. A CCG and an ICB that
  serve the same area are related (an org:ChangeEvent: the ICB took over the CCG's duties on
  1 July 2022), never merged.
* Inspections: one per area and start date. An inspection only mentioned (a "date of previous
  inspection" line, "in March 2017", a revisit "in July 2019") joins the inspection whose dates it
  fits, so a mention and the full letter of the same inspection are one resource.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from sendgraph import gazetteer
from sendgraph.graph import iri
from sendgraph.read.names import PARTICLES, clean_name, title_of
from sendgraph.vocab import OUTCOMES

ICB_START = "2022-07-01"  # integrated care boards took over the duties of CCGs on this day

# ---------------------------------------------------------------------------------------------
# First names
# ---------------------------------------------------------------------------------------------

# Short forms and the long forms they stand for (spellings of one long form are listed apart:
# a short form is compatible with each, two different long forms are not compatible).
_SHORT_FORMS = {
    "abi": "abigail", "abby": "abigail", "al": "alan alastair alistair albert alexander alexandra",
    "alex": "alexander alexandra alexis", "ali": "alison alistair alastair alice", "andy": "andrew andrea",
    "angie": "angela", "annie": "ann anne anna", "barb": "barbara", "becky": "rebecca", "bex": "rebecca",
    "ben": "benjamin", "beth": "elizabeth bethany", "bill": "william", "billy": "william", "bob": "robert",
    "cath": "catherine cathryn katherine kathryn catharine cathleen kathleen",
    "cathy": "catherine cathryn katherine kathryn catharine cathleen kathleen",
    "kathy": "catherine cathryn katherine kathryn kathleen", "kate": "catherine katherine kathryn cathryn kathleen",
    "katie": "catherine katherine kathryn cathryn kathleen", "kath": "katherine kathryn kathleen catherine",
    "chris": "christopher christine christina christian", "chrissie": "christine christina",
    "dan": "daniel", "danny": "daniel", "dave": "david", "debbie": "deborah debora", "deb": "deborah",
    "di": "diane diana", "ed": "edward edmund edwin", "eddie": "edward", "fran": "frances francesca",
    "fred": "frederick", "gill": "gillian", "gilly": "gillian", "greg": "gregory", "jan": "janet janice",
    "jacquie": "jacqueline", "jackie": "jacqueline", "jacqui": "jacqueline", "jacky": "jacqueline",
    "jen": "jennifer", "jenny": "jennifer", "jeff": "jeffrey geoffrey", "jess": "jessica", "jim": "james",
    "jimmy": "james", "jo": "joanna joanne johanna josephine jolene", "joe": "joseph", "jon": "jonathan",
    "johnny": "john jonathan", "josh": "joshua", "kim": "kimberley kimberly", "larry": "lawrence laurence",
    "les": "leslie lesley", "liz": "elizabeth", "lizzie": "elizabeth", "lou": "louise louisa", "mags": "margaret",
    "maggie": "margaret", "mandy": "amanda", "matt": "matthew", "mel": "melanie melissa", "mike": "michael",
    "mick": "michael", "nat": "natalie natasha nathan nathaniel", "nick": "nicholas nicola", "nicky": "nicola nicholas",
    "nikki": "nicola", "pam": "pamela", "pat": "patricia patrick", "pete": "peter", "phil": "philip phillip",
    "rach": "rachel", "rob": "robert", "robbie": "robert", "ros": "rosalind rosemary",
    "sam": "samantha samuel", "sandy": "sandra alexander", "sally": "sarah", "steph": "stephanie",
    "steve": "stephen steven", "sue": "susan suzanne susanne", "suzy": "susan suzanne", "tom": "thomas",
    "tommy": "thomas", "tony": "anthony antony", "tina": "christina martina", "val": "valerie",
    "vicky": "victoria", "vicki": "victoria", "viv": "vivien vivienne", "will": "william",
    "gerry": "geraldine gerald gerard", "terry": "terence teresa theresa", "charlie": "charles charlotte",
    "harry": "henry harold harriet", "jack": "john jackson", "ted": "edward", "bernie": "bernadette bernard",
    "freddie": "frederick", "izzy": "isabel isabelle isobel", "millie": "amelia mildred camilla", "molly": "mary",
    "trish": "patricia", "tricia": "patricia", "ellie": "eleanor elena ellen elizabeth", "nell": "eleanor helen",
    "theo": "theodore", "alfie": "alfred", "archie": "archibald", "bella": "isabella arabella", "tash": "natasha",
    "sasha": "alexandra alexander", "ray": "raymond", "reg": "reginald", "ron": "ronald", "stu": "stuart stewart",
    "ant": "anthony antony", "baz": "barry", "kit": "christopher katherine", "meg": "margaret megan",
    "peggy": "margaret", "jenna": "jennifer", "jodie": "joanne johanna", "jos": "joseph josephine",
    "hattie": "harriet", "lottie": "charlotte", "rosie": "rosemary rosalind", "fliss": "felicity",
    "becca": "rebecca", "lynn": "lynda linda", "mandi": "amanda", "andi": "andrea",
}
SHORT_FORMS = {short: frozenset(longs.split()) for short, longs in _SHORT_FORMS.items()}
# Endings that make a different name, not a longer form (Paul/Paula, Louis/Louise, Daniel/Danielle).
_DIFFERENT_ENDINGS = ("a", "e", "ie", "ine", "ina", "ette", "elle", "le", "o")


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    return iri.normalise_text(text).replace(" ", "")


def given_and_family(name: str) -> tuple[str, str]:
    """(given name, surname) of a printed name, honorifics and post-nominals removed."""
    words = clean_name(name).split()
    if not words:
        return "", ""
    if len(words) == 1:
        return "", words[0]
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in PARTICLES:
        start -= 1
    return words[0], " ".join(words[start:])


def compatible_given(a: str, b: str) -> str | None:
    """How two first names can be the same person's ("same", "short form", "initial"), or None."""
    return _compatible_folded(_fold(a), _fold(b))


@lru_cache(maxsize=65536)
def _compatible_folded(fa: str, fb: str) -> str | None:
    if not fa or not fb:
        return None
    if fa == fb:
        return "same"
    if len(fa) == 1 or len(fb) == 1:
        return "initial" if fa[0] == fb[0] else None
    if fb in SHORT_FORMS.get(fa, ()) or fa in SHORT_FORMS.get(fb, ()):
        return "short form"
    if fa in SHORT_FORMS and fb in SHORT_FORMS and SHORT_FORMS[fa] & SHORT_FORMS[fb]:
        return "short forms of one name"
    short, long = (fa, fb) if len(fa) < len(fb) else (fb, fa)
    if len(short) >= 3 and long.startswith(short) and long[len(short):] not in _DIFFERENT_ENDINGS:
        if not any(long in longs for longs in SHORT_FORMS.values()) or short in SHORT_FORMS:
            return "short form"
    return None


# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------

_OFSTED = re.compile(r"\bofsted\b|office for standards in education", re.I)
_CQC = re.compile(r"\bcqc\b|care quality commission", re.I)
_CCG = re.compile(r"clinical\s+commissioning\s+group|\bccgs?\b", re.I)
_ICB = re.compile(r"integrated\s+care\s+board|\bicbs?\b|integrated\s+care\s+system", re.I)
_NHS_WORDS = re.compile(
    r"\b(?:nhs|integrated\s+care\s+boards?|integrated\s+care\s+system|clinical\s+commissioning\s+groups?|"
    r"icbs?|ccgs?|the)\b|[()]",
    re.I,
)


def health_core(name: str) -> str:
    """An ICB's or CCG's name without "NHS", "Integrated Care Board", "(ICB)", "CCG": as printed otherwise."""
    core = _NHS_WORDS.sub(" ", name or "")
    return " ".join(core.split()).strip(" ,;:-–")


def organisation_identity(name: str, kind: str | None = None, gss_code: str | None = None) -> tuple[str, str]:
    """(kind, key) of a printed organisation name: the key is the ONS code of a council.

    kind is one of vocab.ORGANISATION_KINDS.
    """
    name = " ".join((name or "").split())
    if _OFSTED.search(name) and not _CQC.search(name):
        return "inspectorate", "ofsted"
    if _CQC.search(name) and not _OFSTED.search(name):
        return "inspectorate", "cqc"
    if _CCG.search(name) or (kind == "ccg" and not _ICB.search(name)):
        return "ccg", iri.slug(health_core(name))
    if _ICB.search(name) or kind == "icb":
        board = gazetteer.care_board(name)  # one of the 42 boards, however it is printed
        return "icb", iri.slug(board.core if board else health_core(name))
    la = None
    if gss_code:
        la = gazetteer.by_code(gss_code)
    if la is None:
        la = gazetteer.lookup(name)
    if la is None and kind == "local_authority" and re.search(r"\bcouncil\b", name, re.I):
        la = gazetteer.find_in(name)
    if la is not None:
        return "local_authority", la.gss_code
    if kind == "local_authority":
        return "local_authority", iri.slug(gazetteer.name_key(name) or name)
    if kind == "inspectorate":
        return "inspectorate", iri.slug(name)
    return "other", iri.slug(name)


@dataclass
class Organisation:
    iri: object
    kind: str  # local_authority | icb | ccg | inspectorate | other
    key: str
    printed: Counter = field(default_factory=Counter)  # printed name -> number of documents
    documents: set = field(default_factory=set)
    gss_code: str | None = None
    label: str = ""
    council_names: Counter = field(default_factory=Counter)  # "X ... Council" as the documents' text prints it
    board: object = None  # an ICB's entry in the gazetteer of care boards


# ---------------------------------------------------------------------------------------------
# Result
# ---------------------------------------------------------------------------------------------


@dataclass
class Decision:
    """One recorded resolution decision."""

    rule: str  # person-name | organisation-name | ccg-to-icb | inspection-date
    decision: str  # merged | kept apart | related
    reason: str
    entities: tuple  # IRIs
    printed: tuple = ()  # printed forms considered
    documents: tuple = ()  # indexes of the documents used

    @property
    def iri(self):
        return iri.decision(self.rule, self.decision, *map(str, self.entities), *self.printed)


@dataclass
class Person:
    iri: object
    name: str
    given: str
    family: str
    organisation: object | None
    printed: set = field(default_factory=set)
    documents: set = field(default_factory=set)


@dataclass
class Area:
    iri: object
    label: str
    slug: str
    gss_code: str | None
    region: str | None
    local_authority: object | None = None  # IRI
    printed: dict = field(default_factory=dict)  # area names as documents print them: count


@dataclass
class Inspection:
    iri: object
    area: object  # IRI
    area_label: str
    start: str  # ISO date, or YYYY-MM / YYYY where only that is known
    end: str | None = None
    kind: str = "inspection"  # inspection | revisit
    framework: str | None = None  # 2023 | 2016 | None
    reports: set = field(default_factory=set)  # document indexes reporting it in full
    mentioned_by: set = field(default_factory=set)  # document indexes only mentioning it
    outcome: str | None = None  # for an inspection only mentioned: the result the mention gives
    results: set = field(default_factory=set)  # results as mentions word them

    @property
    def cls(self) -> str:
        # The kind is what a document in the graph says (a report of it, a revisit letter), never
        # guessed from its dates: a 2023 report's "date of previous inspection" does not say whether
        # that was a full inspection or a revisit ("kind not stated").
        if self.kind == "revisit":
            return "Revisit"
        if self.framework == "2023":
            return "AreaSendInspection"
        if self.framework == "2016":
            return "JointLocalAreaInspection"
        return "Inspection"


@dataclass
class Resolution:
    organisations: dict = field(default_factory=dict)  # (kind, key) -> Organisation
    org_by_name: dict = field(default_factory=dict)  # (doc index, printed name) -> (kind, key)
    people: dict = field(default_factory=dict)  # person IRI -> Person
    person_of: dict = field(default_factory=dict)  # (doc index, folded clean name) -> person IRI
    areas: dict = field(default_factory=dict)  # area IRI -> Area
    area_of_doc: dict = field(default_factory=dict)  # doc index -> area IRI
    inspections: dict = field(default_factory=dict)  # inspection IRI -> Inspection
    inspection_of_doc: dict = field(default_factory=dict)  # doc index -> inspection IRI it reports
    previous_of_doc: dict = field(default_factory=dict)  # doc index -> IRI of the previous inspection
    mentions_of_doc: dict = field(default_factory=lambda: defaultdict(list))  # doc index -> [(IRI, result)]
    partnerships: set = field(default_factory=set)  # (doc index, area IRI, LA IRI, health body IRI)
    changes: list = field(default_factory=list)  # (CCG IRI, ICB IRI, area IRIs)
    decisions: list = field(default_factory=list)

    @property
    def names_of_doc(self) -> dict:
        """doc index -> [(printed organisation name, (kind, key))], sorted."""
        if not hasattr(self, "_names_of_doc"):
            index = defaultdict(list)
            for (doc, name), key in sorted(self.org_by_name.items()):
                index[doc].append((name, key))
            self._names_of_doc = index
        return self._names_of_doc

    @property
    def partnerships_of_doc(self) -> dict:
        """doc index -> [(doc, area IRI, council IRI, health body IRI)]."""
        if not hasattr(self, "_partnerships_of_doc"):
            index = defaultdict(list)
            for entry in sorted(self.partnerships, key=lambda e: tuple(map(str, e))):
                index[entry[0]].append(entry)
            self._partnerships_of_doc = index
        return self._partnerships_of_doc

    def organisation(self, doc: int, name: str):
        """The Organisation a document's printed name resolved to, or None."""
        key = self.org_by_name.get((doc, " ".join((name or "").split())))
        return self.organisations.get(key) if key else None

    def person(self, doc: int, name: str):
        return self.person_of.get((doc, _fold(clean_name(name))))


# ---------------------------------------------------------------------------------------------
# The resolver
# ---------------------------------------------------------------------------------------------


def document_order(records: list) -> list:
    """Records in a fixed order (checksum, part) and without repeats, so results never depend on read order."""
    seen, ordered = set(), []
    for record in sorted(records, key=lambda r: (r.get("sha256") or "", part_of(r.get("source")), str(r.get("source")))):
        key = (record.get("sha256"), part_of(record.get("source")))
        if record.get("sha256") and key in seen:
            continue
        seen.add(key)
        ordered.append(record)
    return ordered


def part_of(source) -> int:
    """The document's number within its file ("file.txt#2" -> 2), 0 where the file holds one document."""
    match = re.search(r"#(\d+)$", str(source or ""))
    return int(match.group(1)) if match else 0


def resolve(records: list) -> Resolution:
    """Resolve the entities of records (already in :func:`document_order`)."""
    result = Resolution()
    _resolve_organisations(records, result)
    _resolve_areas(records, result)
    _resolve_inspections(records, result)
    _resolve_people(records, result)
    _resolve_partnerships(records, result)
    result.decisions.sort(key=lambda d: (d.rule, d.decision, [str(e) for e in d.entities], d.printed))
    return result


def _org_names(record: dict):
    """(printed name, kind hint, gss code) of every organisation a record names."""
    icb_names = {p.get("organisation") for p in record.get("people", []) if p.get("capacity") == "icb_leader"}
    for org in record.get("organisations", []):
        name = " ".join((org.get("name") or "").split())
        if not name:
            continue
        kind = org.get("kind")
        if name in icb_names and kind == "local_authority" and gazetteer.lookup(name) is None and not org.get("gss_code"):
            kind = "icb"
        yield name, kind, org.get("gss_code")
    for person in record.get("people", []):
        name = " ".join((person.get("organisation") or "").split())
        if name:
            hint = {"la_leader": "local_authority", "icb_leader": "icb"}.get(person.get("capacity"))
            if hint == "local_authority" and gazetteer.lookup(name) is None and not re.search(r"council", name, re.I):
                hint = None
            yield name, hint, None
    for inspector in record.get("inspectors", []):
        name = " ".join((inspector.get("organisation") or "").split())
        if name:
            yield name, "inspectorate", None


def _resolve_organisations(records: list, result: Resolution) -> None:
    first_pass = []
    for index, record in enumerate(records):
        for name, kind, gss in _org_names(record):
            first_pass.append((index, name, organisation_identity(name, kind, gss)))
    icb_keys = {key for _i, _n, (kind, key) in first_pass if kind == "icb"}
    for index, name, (kind, key) in first_pass:
        # A health body printed without "NHS"/"ICB" (and taken for a council) joins the ICB of that name.
        if kind in ("local_authority", "other") and not re.match(r"[EWSN]\d{8}$", key):
            board = gazetteer.care_board(name)
            core = iri.slug(board.core if board else health_core(name))
            if core in icb_keys:
                kind, key = "icb", core
        if (index, name) in result.org_by_name and result.org_by_name[(index, name)] != (kind, key):
            continue  # the first reading of a name in a document wins (organisations list before people)
        result.org_by_name[(index, name)] = (kind, key)
        org = result.organisations.get((kind, key))
        if org is None:
            org = result.organisations[(kind, key)] = Organisation(iri.organisation(kind, key), kind, key)
            if kind == "local_authority" and re.match(r"[EWSN]\d{8}$", key):
                org.gss_code = key
            board = gazetteer.care_board(name) if kind == "icb" else None
            if board is not None and iri.slug(board.core) == key:
                org.board = board
        if index not in org.documents:
            org.printed[name] += 1
        org.documents.add(index)
    for org in result.organisations.values():
        if org.kind == "local_authority" and not any(re.search(r"\bcouncil\b", n, re.I) for n in org.printed):
            org.council_names = _council_names_in(records, org)
    for (kind, key), org in sorted(result.organisations.items()):
        org.label = _organisation_label(org)
        forms = sorted(org.printed)
        if len(forms) > 1:
            if org.gss_code:
                la = gazetteer.by_code(org.gss_code)
                reason = f"the gazetteer gives one ONS code, {org.gss_code} ({la.name if la else org.gss_code}), for every name"
            elif kind in ("icb", "ccg"):
                reason = "the names agree once 'NHS', 'Integrated Care Board', 'Clinical Commissioning Group' are set aside"
            else:
                reason = "the names agree once case and punctuation are set aside"
            result.decisions.append(
                Decision("organisation-name", "merged", reason, (org.iri,), tuple(forms), tuple(sorted(org.documents)))
            )


_COUNCIL_KINDS = r"(?:(?:Metropolitan |Royal )?(?:Borough|County|City|District|London Borough)(?: of \w+)? )?Council"


def _council_names_in(records: list, org: Organisation) -> Counter:
    """How a council's full name ("Derbyshire County Council") is printed in the text of its documents."""
    la = gazetteer.by_code(org.gss_code) if org.gss_code else None
    bases = sorted({n for n in org.printed} | ({la.name} if la else set()), key=len, reverse=True)
    if not bases:
        return Counter()
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(b) for b in bases) + r")\s+" + _COUNCIL_KINDS + r"\b")
    found = Counter()
    for index in sorted(org.documents):
        record = records[index]
        texts = [f.get("responsible_body") or "" for f in record.get("findings", [])]
        texts += [f.get("text") or "" for f in record.get("findings", [])]
        for text in texts:
            found.update(" ".join(m.group(0).split()) for m in pattern.finditer(text))
    return found


def _organisation_label(org: Organisation) -> str:
    forms = sorted(org.printed, key=lambda n: (-org.printed[n], -len(n), n))
    if org.kind == "inspectorate":
        return {"ofsted": "Ofsted", "cqc": "Care Quality Commission"}.get(org.key, forms[0] if forms else org.key)
    if org.kind == "icb" and org.board is not None:
        return org.board.official_name
    if org.kind in ("icb", "ccg"):
        cores = sorted({health_core(n) for n in forms}, key=lambda c: (-len(c), c))
        core = cores[0] if cores and cores[0] else org.key.replace("-", " ").title()
        return f"NHS {core} Integrated Care Board" if org.kind == "icb" else f"NHS {core} Clinical Commissioning Group"
    if org.kind == "local_authority":
        councils = [n for n in forms if re.search(r"\bcouncil\b", n, re.I)]
        if councils:
            return councils[0]
        named = sorted(org.council_names, key=lambda n: (-org.council_names[n], -len(n), n))
        if named:  # printed elsewhere in its documents (a responsible body, a finding)
            return named[0]
        la = gazetteer.by_code(org.gss_code) if org.gss_code else None
        return forms[0] if forms else (la.name if la else org.key)  # as printed: never a name made up
    return forms[0] if forms else org.key


def _area_identity(name: str | None, gss: str | None):
    la = gazetteer.by_code(gss) if gss else None
    if la is None and name:
        la = gazetteer.lookup(name) or gazetteer.lookup(re.sub(r"\s+local area( partnership)?$", "", name, flags=re.I))
    if la is not None:
        return iri.area(la.gss_code, la.name), _plain_name(la.name), iri.slug(la.name), la.gss_code, la.region
    label = " ".join((name or "").split()) or "Unknown area"
    return iri.area(None, label), label, iri.slug(label), None, None


def _area(result: Resolution, name, gss):
    area_iri, label, slug, code, region = _area_identity(name, gss)
    if area_iri not in result.areas:
        result.areas[area_iri] = Area(area_iri, label, slug, code, region)
        if code and ("local_authority", code) in result.organisations:
            result.areas[area_iri].local_authority = result.organisations[("local_authority", code)].iri
    return result.areas[area_iri]


def _plain_name(name: str) -> str:
    """A gazetteer name as people write it: "Kingston Upon Hull, City of" is "Kingston upon Hull"."""
    name = re.sub(r",\s*(?:City|County) of$", "", name)
    return re.sub(r"\b(Upon|On|And|Of|The)\b(?= )", lambda m: m.group(1).lower(), name)


def _resolve_areas(records: list, result: Resolution) -> None:
    for index, record in enumerate(records):
        if record.get("area") or record.get("gss_code"):
            area = _area(result, record.get("area"), record.get("gss_code"))
            result.area_of_doc[index] = area.iri
            printed = " ".join((record.get("area") or "").split())
            if printed:
                area.printed[printed] = area.printed.get(printed, 0) + 1
        elif record.get("document_type") == "council_report":
            for org in record.get("organisations", []):
                if org.get("kind") == "local_authority":
                    result.area_of_doc[index] = _area(result, org.get("name"), org.get("gss_code")).iri
                    break
    # An area is labelled as its documents print it (most often, then alphabetically first).
    for area in result.areas.values():
        if area.printed:
            area.label = min(area.printed, key=lambda name: (-area.printed[name], name))


_FULL = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL = re.compile(r"^\d{4}(?:-\d{2})?$")


@dataclass
class _Claim:
    doc: int
    area: object
    start: str
    end: str | None
    kind: str  # inspection | revisit
    framework: str | None
    report: bool  # the document reports this inspection in full
    result: str | None = None
    previous_of: int | None = None  # doc index whose "previous inspection" this is


def _framework(record: dict) -> str | None:
    return {"area_send_inspection_2023": "2023", "joint_local_area_inspection_2016": "2016"}.get(record.get("document_type"))


def _resolve_inspections(records: list, result: Resolution) -> None:
    claims: list[_Claim] = []
    for index, record in enumerate(records):
        inspection = record.get("inspection") or {}
        area = result.area_of_doc.get(index)
        start = inspection.get("start_date")
        is_revisit = bool(re.search(r"\brevisit", record.get("title") or "", re.I))
        if area is not None and start and _FULL.match(start) and _framework(record):
            claims.append(
                _Claim(index, area, start, inspection.get("end_date"), "revisit" if is_revisit else "inspection",
                       _framework(record), True)
            )
        previous = inspection.get("previous") or {}
        previous_start = (previous.get("start_date") or "").strip()
        if area is not None and (_FULL.match(previous_start) or _PARTIAL.match(previous_start)):
            claims.append(
                _Claim(index, area, previous_start, previous.get("end_date"), "inspection", None, False,
                       previous_of=index)
            )
        for mention in record.get("mentions", []):
            when = (mention.get("when") or "").strip()
            if not (_FULL.match(when) or _PARTIAL.match(when)):
                continue
            mention_area = _area(result, mention.get("area"), None).iri if mention.get("area") else area
            if mention_area is None:
                continue
            claims.append(
                _Claim(index, mention_area, when, None, mention.get("kind") or "inspection", None, False,
                       mention.get("result"))
            )
    by_area = defaultdict(list)
    for claim in claims:
        by_area[claim.area].append(claim)
    for area_iri in sorted(by_area, key=str):
        _cluster_inspections(result, result.areas[area_iri], by_area[area_iri])


def _fits(claim: _Claim, cluster: Inspection) -> bool:
    """Whether a claim's (possibly partial) start date falls on or within a full inspection's dates."""
    if not _FULL.match(cluster.start):
        return claim.start == cluster.start or cluster.start.startswith(claim.start) or claim.start.startswith(cluster.start)
    if _FULL.match(claim.start):
        return cluster.start <= claim.start <= (cluster.end or cluster.start)
    end = cluster.end or cluster.start
    return cluster.start.startswith(claim.start) or end.startswith(claim.start)


def _cluster_inspections(result: Resolution, area: Area, claims: list) -> None:
    clusters: list[Inspection] = []
    members: dict = defaultdict(list)
    # Reports first, then the fullest dates: a mention joins what it fits, never the other way round.
    order = sorted(claims, key=lambda c: (not c.report, -len(c.start), c.start, c.doc, c.kind, c.result or ""))
    for claim in order:
        fitting = [c for c in clusters if _fits(claim, c)]
        if claim.report:
            fitting = [c for c in fitting if c.start == claim.start and c.reports]
        if len(fitting) > 1:
            same_kind = [c for c in fitting if c.kind == claim.kind]
            fitting = same_kind if len(same_kind) == 1 else fitting
        if len(fitting) == 1:
            cluster = fitting[0]
        else:
            if len(fitting) > 1:
                result.decisions.append(
                    Decision("inspection-date", "kept apart",
                             f"{area.label}: an inspection mentioned as {claim.start} fits more than one inspection",
                             tuple(sorted((c.iri for c in fitting), key=str)), (claim.start,), (claim.doc,))
                )
            cluster = Inspection(iri.inspection(area.slug, claim.start), area.iri, area.label, claim.start, claim.end)
            clusters.append(cluster)
        members[id(cluster)].append(claim)
        if claim.report:
            cluster.reports.add(claim.doc)
            cluster.framework = cluster.framework or claim.framework
            cluster.end = cluster.end or claim.end
            if claim.kind == "revisit":
                cluster.kind = "revisit"
        else:
            cluster.mentioned_by.add(claim.doc)
            if cluster.end is None and _FULL.match(claim.start) and claim.start == cluster.start:
                cluster.end = claim.end
            if claim.kind == "revisit" and not cluster.reports:
                cluster.kind = "revisit"
            if claim.result:
                cluster.results.add(str(claim.result))
    for cluster in clusters:
        if not cluster.reports:
            outcomes = sorted(r for r in cluster.results if r in OUTCOMES)
            cluster.outcome = outcomes[0] if len(set(outcomes)) == 1 else None
        if cluster.iri in result.inspections:  # two clusters on one date (an ambiguous mention): keep both
            cluster.iri = iri.within(cluster.iri, "mention")
        result.inspections[cluster.iri] = cluster
        docs = set()
        for claim in members[id(cluster)]:
            docs.add(claim.doc)
            if claim.report:
                result.inspection_of_doc[claim.doc] = cluster.iri
            elif claim.previous_of is not None:
                result.previous_of_doc[claim.previous_of] = cluster.iri
                result.mentions_of_doc[claim.doc].append((cluster.iri, None))
            else:
                result.mentions_of_doc[claim.doc].append((cluster.iri, claim.result))
        dates = sorted({c.start for c in members[id(cluster)]})
        if len(docs) > 1 or len(dates) > 1:
            how = "reported in full" if cluster.reports else "only mentioned"
            result.decisions.append(
                Decision("inspection-date", "merged",
                         f"{area.label} inspection starting {cluster.start} ({how}); the dates given ({', '.join(dates)}) "
                         f"all fall within it",
                         (cluster.iri,), tuple(dates), tuple(sorted(docs)))
            )


# ---------------------------------------------------------------------------------------------
# People
# ---------------------------------------------------------------------------------------------


@dataclass
class _DocPerson:
    doc: int
    name: str  # clean name as printed
    given: str
    family: str
    organisation: object | None  # IRI
    roles: set
    printed: set


@lru_cache(maxsize=65536)
def _norm_role(role: str | None) -> str:
    return iri.slug(re.sub(r"\b(?:ofsted|cqc|hmi|her majesty'?s)\b", " ", role or "", flags=re.I), "")


def _person_mentions(records: list, result: Resolution) -> list:
    found: dict = {}
    for index, record in enumerate(records):
        entries = []
        for person in record.get("people", []):
            entries.append((person.get("name"), person.get("organisation"), person.get("title")))
        for inspector in record.get("inspectors", []):
            entries.append((inspector.get("name"), inspector.get("organisation"), inspector.get("role")))
        for printed, org_name, role in entries:
            name = clean_name(printed or "")
            given, family = given_and_family(name)
            if not family:
                continue
            org = result.organisation(index, org_name) if org_name else None
            key = (index, _fold(name))
            entry = found.get(key)
            if entry is None:
                entry = found[key] = _DocPerson(index, name, given, family, None, set(), set())
            if org is not None and entry.organisation is None:
                entry.organisation = org.iri
            if role:
                entry.roles.add(" ".join(role.split()))
            entry.printed.add(" ".join((printed or "").split()))
    return list(found.values())


def _org_compatible(a: _DocPerson, b: _DocPerson) -> tuple[bool, str]:
    if a.organisation is not None and b.organisation is not None:
        if a.organisation == b.organisation:
            return True, "same organisation"
        return False, "different organisations"
    roles_a, roles_b = {_norm_role(r) for r in a.roles} - {""}, {_norm_role(r) for r in b.roles} - {""}
    if roles_a & roles_b:
        return True, "same role"
    return False, "no organisation or role in common"


def _compatible(person: _DocPerson, cluster: list) -> tuple[bool, str]:
    for other in cluster:
        if other.doc == person.doc:
            return False, "one document names both"
        if _fold(other.family) != _fold(person.family):
            return False, "different surnames"
        how = compatible_given(person.given, other.given)
        if how is None:
            return False, "incompatible first names"
        ok, why = _org_compatible(person, other)
        if not ok:
            return False, why
    return True, ""


class _Cluster(list):
    """The mentions taken for one person, with what :func:`_compatible` checks kept per distinct value
    (documents, folded surnames and first names, organisation and roles), so that testing a mention
    costs the number of distinct values, not the number of mentions."""

    def __init__(self, first: _DocPerson):
        super().__init__()
        self.docs: set = set()
        self.families: set = set()
        self.givens: set = set()
        self.affiliations: dict = {}  # (organisation, normalised roles) -> a mention with them
        self.append(first)

    def append(self, mention: _DocPerson) -> None:
        super().append(mention)
        self.docs.add(mention.doc)
        self.families.add(_fold(mention.family))
        self.givens.add(_fold(mention.given))
        self.affiliations.setdefault(_affiliation(mention), mention)

    def admits(self, mention: _DocPerson) -> bool:
        """Whether :func:`_compatible` (mention, self) holds."""
        if mention.doc in self.docs or self.families != {_fold(mention.family)}:
            return False
        given = _fold(mention.given)
        if any(_compatible_folded(given, other) is None for other in self.givens):
            return False
        return all(_org_compatible(mention, other)[0] for other in self.affiliations.values())


def _affiliation(mention: _DocPerson) -> tuple:
    return mention.organisation, frozenset(_norm_role(r) for r in mention.roles) - {""}


def _resolve_people(records: list, result: Resolution) -> None:
    mentions = _person_mentions(records, result)
    groups = defaultdict(list)
    for mention in mentions:
        groups[_fold(mention.family)].append(mention)
    for family_key in sorted(groups):
        ordered = sorted(
            groups[family_key],
            key=lambda m: (-len(_fold(m.given)), _fold(m.given), str(m.organisation or ""), m.doc, m.name),
        )
        clusters: list[_Cluster] = []
        with_given: dict[str, list] = {}  # folded first name -> the clusters holding it
        compatible_names: dict[str, tuple] = {}  # folded first name -> (len(with_given), names it pairs with)
        for mention in ordered:
            given = _fold(mention.given)
            # A cluster that admits the mention holds only first names compatible with its one, so
            # it is among the clusters holding such a name: the others need not be tested.
            names = compatible_names.get(given)
            if names is None or names[0] != len(with_given):  # computed again only when a new name came
                names = compatible_names[given] = (len(with_given), _names_compatible_with(given, with_given))
            candidates = {id(c): c for name in names[1] for c in with_given[name]}
            fitting = [c for c in candidates.values() if c.admits(mention)]
            if len(fitting) == 1:
                if given not in fitting[0].givens:
                    with_given.setdefault(given, []).append(fitting[0])
                fitting[0].append(mention)
                continue
            if len(fitting) > 1:
                result.decisions.append(
                    Decision("person-name", "kept apart",
                             f"'{mention.name}' could be more than one person (compatible with "
                             f"{', '.join(sorted(c[0].name for c in fitting))})",
                             (), tuple(sorted({mention.name} | {c[0].name for c in fitting})), (mention.doc,))
                )
            clusters.append(_Cluster(mention))
            with_given.setdefault(given, []).append(clusters[-1])
        people = [_person_of_cluster(cluster, result) for cluster in clusters]
        _record_person_decisions(clusters, people, result)


def _names_compatible_with(given: str, names) -> list[str]:
    """The folded first names among ``names`` that :func:`_compatible_folded` pairs with ``given``."""
    return [name for name in names if _compatible_folded(given, name) is not None]


def _person_of_cluster(cluster: list, result: Resolution) -> Person:
    given = sorted({m.given for m in cluster}, key=lambda g: (-len(_fold(g)), g))[0]
    family = Counter(m.family for m in cluster).most_common()
    family = sorted(family, key=lambda fc: (-fc[1], fc[0]))[0][0]
    name = f"{given} {family}".strip()
    org = next((m.organisation for m in cluster if m.organisation is not None), None)
    org_local = iri.organisation_local(org) if org is not None else None
    person_iri = iri.person(name, org_local)
    n = 2
    while person_iri in result.people:
        person_iri = iri.person(f"{name} {n}", org_local)
        n += 1
    person = Person(person_iri, name, given, family, org)
    for mention in cluster:
        person.printed |= mention.printed | {mention.name}
        person.documents.add(mention.doc)
        result.person_of[(mention.doc, _fold(mention.name))] = person_iri
    result.people[person_iri] = person
    return person


def _record_person_decisions(clusters: list, people: list, result: Resolution) -> None:
    for cluster, person in zip(clusters, people):
        names = sorted({m.name for m in cluster})
        if len(cluster) > 1 and (len(names) > 1 or len({m.doc for m in cluster}) > 1):
            givens = sorted({m.given for m in cluster})
            how = "the same first name" if len(givens) == 1 else f"compatible first names ({' / '.join(givens)})"
            org = "the same organisation" if any(m.organisation for m in cluster) else "the same role"
            result.decisions.append(
                Decision("person-name", "merged", f"same surname ({person.family}), {org}, {how}", (person.iri,),
                         tuple(sorted(person.printed)), tuple(sorted(person.documents)))
            )
    for i, a in enumerate(clusters):
        for j in range(i + 1, len(clusters)):
            b = clusters[j]
            if compatible_given(a[0].given, b[0].given) is None:
                continue
            _ok, why = _compatible(a[0], b)
            if _ok:
                why = "compatible with more than one person"
            pa, pb = people[i], people[j]
            result.decisions.append(
                Decision("person-name", "kept apart", f"same surname and compatible first names, but {why}",
                         tuple(sorted((pa.iri, pb.iri), key=str)), tuple(sorted({a[0].name, b[0].name})),
                         tuple(sorted(pa.documents | pb.documents)))
            )


# ---------------------------------------------------------------------------------------------
# Partnerships and the CCG -> ICB succession
# ---------------------------------------------------------------------------------------------


def _resolve_partnerships(records: list, result: Resolution) -> None:
    health_by_area = defaultdict(set)
    for index, record in enumerate(records):
        area_iri = result.area_of_doc.get(index)
        if area_iri is None or not _framework(record):
            continue
        area = result.areas[area_iri]
        councils, health = set(), set()
        for name, _kind, _gss in _org_names(record):
            org = result.organisation(index, name)
            if org is None:
                continue
            if org.kind == "local_authority" and (org.gss_code is None or org.gss_code == area.gss_code):
                councils.add(org.iri)
            elif org.kind in ("icb", "ccg"):
                health.add(org.iri)
        if area.local_authority is not None:
            councils.add(area.local_authority)
        for council in sorted(councils, key=str):
            for body in sorted(health, key=str):
                result.partnerships.add((index, area_iri, council, body))
        for body in health:
            health_by_area[area_iri].add(body)
    kinds = {org.iri: org for org in result.organisations.values()}
    pairs = defaultdict(set)
    for area_iri, bodies in health_by_area.items():
        ccgs = sorted((b for b in bodies if kinds[b].kind == "ccg"), key=str)
        icbs = sorted((b for b in bodies if kinds[b].kind == "icb"), key=str)
        for ccg in ccgs:
            for icb in icbs:
                pairs[(ccg, icb)].add(area_iri)
    for (ccg, icb), areas in sorted(pairs.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1]))):
        result.changes.append((ccg, icb, tuple(sorted(areas, key=str))))
        labels = ", ".join(sorted(result.areas[a].label for a in areas))
        result.decisions.append(
            Decision("ccg-to-icb", "related",
                     f"{kinds[icb].label} took over the duties of {kinds[ccg].label} in {labels} on {ICB_START}: "
                     f"related by an org:ChangeEvent, not merged (different bodies)",
                     (ccg, icb), (kinds[ccg].label, kinds[icb].label), ())
        )


__all__ = ["resolve", "document_order", "part_of", "compatible_given", "given_and_family", "organisation_identity",
           "health_core", "Resolution", "Decision", "title_of"]
