"""How the network pictures look: colour and shape by node kind, labels that fit, tooltips of plain text."""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass


from sendgraph.formats import counted


MAX_LABEL = 32  # characters of a label drawn on the canvas; the full text is in the tooltip
MAX_FACT = 1500  # characters of one fact shown in a tooltip


# ----------------------------------------------------------------------------------------------
# Styles: colour and shape by class. Shapes are those that draw the label below the node, so
# that size can follow degree.
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    name: str  # legend text
    color: str
    shape: str
    font: int = 14  # label size in pixels


NODE_STYLES: dict[str, Style] = {
    "area": Style("Local area", "#1f77b4", "hexagon", 24),
    "local_authority": Style("Local authority", "#2ca02c", "square", 16),
    "icb": Style("Integrated care board", "#17a589", "square", 16),
    "ccg": Style("Clinical commissioning group", "#76b041", "square", 14),
    "inspectorate": Style("Inspectorate", "#5d6d7e", "square", 15),
    "organisation": Style("Organisation", "#58d68d", "square", 14),
    "inspection": Style("Inspection", "#d62728", "diamond", 18),
    "revisit": Style("Revisit", "#e377c2", "diamond", 15),
    "document": Style("Document", "#8c564b", "triangleDown", 13),
    "inspector": Style("Inspector", "#9467bd", "dot", 14),
    "person": Style("Person", "#bcbd22", "dot", 13),
    "finding": Style("Finding", "#ff7f0e", "dot", 11),
    "theme": Style("Theme", "#0097a7", "star", 15),
    "service": Style("Service", "#7986cb", "star", 13),
    "outcome": Style("Outcome", "#c0392b", "triangle", 14),
    "finding_kind": Style("Finding kind", "#f5b041", "triangle", 12),
    "document_type": Style("Document type", "#a1887f", "triangle", 12),
}
# Aliases the graph projection may use for the same classes (class local names, other spellings).
_KIND_ALIASES = {
    "localauthority": "local_authority",
    "integratedcareboard": "icb",
    "clinicalcommissioninggroup": "ccg",
    "formalorganization": "organisation",
    "organization": "organisation",
    "areasendinspection": "inspection",
    "jointlocalareainspection": "inspection",
    "report": "document",
    "findingkind": "finding_kind",
    "documenttype": "document_type",
}
_FALLBACK_COLORS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f")
_FALLBACK_SHAPES = ("dot", "diamond", "square", "triangle", "star", "hexagon", "triangleDown")

EDGE_STYLES: dict[str, tuple[str, str]] = {  # category -> (legend text, colour)
    "strength": ("More strengths than weaknesses", "#2e7d32"),
    "weakness": ("More weaknesses than strengths", "#c62828"),
    "mixed": ("As many strengths as weaknesses", "#ef8f00"),
    "other": ("Neither (other findings)", "#9e9e9e"),
    "shared": ("Shared inspectors", "#6a51a3"),
}
EDGE_COLOR = "#9aa5b1"


def _norm_kind(kind) -> str:
    text = re.sub(r"[^a-z0-9_]+", "_", str(kind or "").strip().lower()).strip("_")
    return _KIND_ALIASES.get(text.replace("_", ""), _KIND_ALIASES.get(text, text)) or "other"


def node_style(kind) -> Style:
    """The style of a node class; unknown classes get a stable colour and shape of their own."""
    key = _norm_kind(kind)
    if key in NODE_STYLES:
        return NODE_STYLES[key]
    h = zlib.crc32(key.encode("utf-8"))
    name = key.replace("_", " ").capitalize() if key != "other" else "Other"
    return Style(name, _FALLBACK_COLORS[h % len(_FALLBACK_COLORS)], _FALLBACK_SHAPES[(h >> 8) % len(_FALLBACK_SHAPES)], 13)


# ----------------------------------------------------------------------------------------------
# Text: labels that fit and tooltips with facts, all plain text.
# ----------------------------------------------------------------------------------------------

_SPACE = re.compile(r"\s+")


def _one_line(text) -> str:
    return _SPACE.sub(" ", str(text if text is not None else "")).strip()


def truncate_label(text, limit: int = MAX_LABEL) -> str:
    """One line of at most ``limit`` characters, cut at a word where possible and marked with an ellipsis."""
    line = _one_line(text)
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-") + "\u2026"


def _fact_value(value) -> str:
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return ", ".join(_fact_value(v) for v in items if v not in (None, ""))
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_fact_value(v)}" for k, v in value.items() if v not in (None, ""))
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = str(value).strip()
    if len(text) > MAX_FACT:
        text = text[: MAX_FACT - 1].rstrip() + "\u2026"
    return text


# Facts shown first, in this order, when present (the evidence of a finding and where it was read).
_FIRST_FACTS = ("kind", "type", "date", "outcome", "area")
_LAST_FACTS = ("evidence", "quote", "text", "source", "document", "paragraph", "position", "iri")
_QUOTE_FACTS = {"evidence", "quote", "text", "exact"}


def _fact_order(key: str):
    k = key.lower()
    if k in _FIRST_FACTS:
        return (0, _FIRST_FACTS.index(k), k)
    if k in _LAST_FACTS:
        return (2, _LAST_FACTS.index(k), k)
    return (1, 0, k)


def tooltip_text(label, kind=None, facts=None) -> str:
    """The tooltip of a node as plain text: its full label, its class, then its facts one per line.

    Quotes (``evidence``, ``quote``, ``text``) are set on their own lines in quotation marks.
    """
    lines = [_one_line(label) or "(no label)"]
    if kind:
        lines.append(f"[{node_style(kind).name}]")
    for key in sorted((facts or {}).keys(), key=lambda k: _fact_order(str(k))):
        value = _fact_value(facts[key])
        if not value or (str(key).lower() == "kind" and kind and _norm_kind(value) == _norm_kind(kind)):
            continue
        name = str(key).replace("_", " ")
        if str(key).lower() in _QUOTE_FACTS:
            lines.append(f"{name.capitalize()}:\n\u201c{value}\u201d")
        else:
            lines.append(f"{name}: {value}")
    return "\n".join(lines)


def _edge_tooltip(g, u, v, data, directed: bool) -> str:
    def name(n):
        return _one_line(g.nodes[n].get("label", n))

    what = _one_line(data.get("label") or data.get("predicate") or "linked to")
    arrow = "\u2192" if directed else "\u2014"
    lines = [f"{name(u)} {arrow} {what} {arrow} {name(v)}" if directed else f"{name(u)} \u2014 {name(v)}"]
    if not directed and what != "linked to":
        lines.append(what)
    extra = dict(data.get("facts") or {})
    extra.update({k: v for k, v in data.items() if k not in _EDGE_STYLE_KEYS})
    for key in sorted(extra, key=str):
        value = extra[key]
        if value in (None, "", 0, [], ()) or (isinstance(value, bool) and not value):
            continue
        text = _fact_value(value)
        if text:
            lines.append(f"{str(key).replace('_', ' ')}: {text}")
    return "\n".join(lines)


# Edge attributes that style the edge rather than describe it.
_EDGE_STYLE_KEYS = frozenset({"predicate", "label", "category", "color", "facts", "key", "width", "title"})

def _node_size(degree: int) -> float:
    return round(min(40.0, 6.0 + 3.5 * math.sqrt(degree)), 1)


def _size(g) -> str:
    """How big a view is, as its page and the index say it: "30 nodes, 1 link"."""
    return f"{counted(g.number_of_nodes(), 'node')}, {counted(g.number_of_edges(), 'link')}"
