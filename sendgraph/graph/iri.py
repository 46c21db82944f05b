"""Stable IRIs for everything the graph names, minted from identity (never from run order).

Every IRI is built from ASCII slugs or percent-encoded segments, so no printed name (quotes,
angle brackets, spaces, newlines, non-Latin letters) can break a serialisation.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import quote

from rdflib import Namespace, URIRef

from sendgraph.vocab import BASE, DOCUMENT_TYPE, FINDING_KIND, ID, OUTCOME, SCHEME, SERVICE, SG, THEME  # noqa: F401 (IRIs of concepts)

_NON_SLUG = re.compile(r"[^a-z0-9]+")
_GSS = re.compile(r"^[EWSN]\d{8}$")
_ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
_SAFE = "-._~"  # unreserved characters left as they are; everything else is percent-encoded


def slug(text: str | None, fallback: str = "unnamed") -> str:
    """Lower-case ASCII words joined by hyphens: "St Helens" -> "st-helens", "O'Brien" -> "obrien".

    Accents are folded ("Zoë" -> "zoe"); a text with no letters or digits left (e.g. only
    punctuation or a non-Latin script) becomes ``fallback`` plus a short hash of the text, so two
    different such names still get different slugs.
    """
    original = str(text or "")
    folded = unicodedata.normalize("NFKD", original).encode("ascii", "ignore").decode("ascii")
    folded = folded.lower().replace("&", " and ").replace("'", "").replace("’", "")
    result = _NON_SLUG.sub("-", folded).strip("-")
    if result:
        return result[:80].rstrip("-")
    return f"{fallback}-{short_hash(original, length=8)}" if original.strip() else fallback


def short_hash(*parts, length: int = 12) -> str:
    """A hex digest of the parts (joined by a separator no part can forge)."""
    data = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:length]


def segment(text: str) -> str:
    """One IRI path segment, percent-encoded (for values such as codes that should stay readable)."""
    return quote(str(text), safe=_SAFE)


def mint(*segments: str) -> URIRef:
    """An instance IRI under ``id/`` from already-safe segments (each is percent-encoded again anyway)."""
    return URIRef(ID + "/".join(segment(s) for s in segments))


def _date_part(date: str | None) -> str:
    date = (date or "").strip()
    return date if _ISO_DATE.match(date) else ("undated" if not date else slug(date))


def area(gss_code: str | None, name: str | None) -> URIRef:
    if gss_code and _GSS.match(gss_code):
        return mint("area", gss_code)
    return mint("area", slug(name))


def organisation(kind: str, key: str) -> URIRef:
    """``id/organisation/{kind}/{key}``: key is an ONS code for a council, else a slug of the name."""
    key = key if _GSS.match(key or "") else slug(key)
    return mint("organisation", slug(kind), key)


def person(name: str, organisation_key: str | None) -> URIRef:
    """``id/person/{organisation}/{name}``: the organisation's ONS code or slug, else ``unaffiliated``."""
    if organisation_key and _GSS.match(organisation_key):
        return mint("person", organisation_key, slug(name))
    return mint("person", slug(organisation_key, "unaffiliated") if organisation_key else "unaffiliated", slug(name))


def organisation_local(organisation_iri) -> str:
    """The short key of an organisation IRI for use inside other IRIs: "ofsted", "E06000001", "icb-north-east..."."""
    kind, _, key = str(organisation_iri).rsplit("/organisation/", 1)[-1].partition("/")
    return key if kind in ("inspectorate", "local-authority") else f"{kind}-{key}"


def inspection(area_slug: str, start_date: str | None) -> URIRef:
    return mint("inspection", slug(area_slug), _date_part(start_date))


def document(sha256: str | None, part: int | None = None, fallback: str | None = None) -> URIRef:
    """``id/document/{first 16 hex digits of the checksum}`` (``-2`` etc. for a later document of one file)."""
    key = (sha256 or "")[:16].lower()
    if not re.fullmatch(r"[0-9a-f]{16}", key):
        key = "x" + short_hash(fallback or sha256 or "", length=15)
    return mint("document", f"{key}-{part}" if part and part > 1 else key)


def graph(document_iri: URIRef) -> URIRef:
    """The named graph holding what one document states: ``id/graph/{document key}``."""
    return URIRef(str(document_iri).replace(ID + "document/", ID + "graph/", 1))


def within(parent: URIRef, *segments: str) -> URIRef:
    """A node belonging to another resource: ``{parent}/{segment}...`` (selectors, associations)."""
    return URIRef(str(parent) + "/" + "/".join(segment(s) for s in segments))


def finding(subject: URIRef, kind: str, text: str) -> URIRef:
    """A finding of an inspection (or of a document that reports none), from its kind and normalised text.

    Two copies of one report (a PDF and its text export) give the same finding IRIs.
    """
    local = str(subject).replace(ID, "", 1).replace("/", "-")
    return mint("finding", local, f"{slug(kind)}-{short_hash(normalise_text(text), length=16)}")


def decision(kind: str, *keys: str) -> URIRef:
    return mint("decision", slug(kind), short_hash(*keys, length=16))


def concept(namespace: Namespace, code: str | None) -> URIRef:
    """A concept of a shipped scheme: ``{namespace}{code}``, the code percent-encoded as it is."""
    return URIRef(str(namespace) + segment(code or "unknown"))


def normalise_text(text: str | None) -> str:
    """Text compared across copies: accents folded, case, punctuation and spacing dropped."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())
