"""The hex cartogram of England's upper-tier local authorities (sendgraph/data/hexmap-la.json, made by tools/make_hexmap.py): cells as SVG polygons."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

SIZE = 14.0  # a hex's circumradius in SVG units


@dataclass(frozen=True)
class Hex:
    code: str  # ONS code of the authority
    name: str
    x: float  # centre
    y: float
    points: str  # the polygon's points attribute


@lru_cache(maxsize=1)
def _layout() -> dict:
    text = (resources.files("sendgraph.data") / "hexmap-la.json").read_text(encoding="utf-8")
    return json.loads(text)


def hexes(size: float = SIZE) -> tuple[list[Hex], float, float]:
    """Every authority's hex (pointy-topped, "odd-r": odd rows shifted right, r growing northwards),
    by code, with the drawing's width and height."""
    cells = _layout()["hexes"]
    width = math.sqrt(3) * size
    rmax = max(c["r"] for c in cells.values())
    qmin = min(c["q"] for c in cells.values())
    out = []
    for code, cell in sorted(cells.items()):
        x = width * (cell["q"] - qmin + (0.5 if cell["r"] % 2 else 0.0)) + width
        y = 1.5 * size * (rmax - cell["r"]) + size * 1.2
        corners = [(x + size * math.cos(math.radians(60 * i - 30)), y + size * math.sin(math.radians(60 * i - 30)))
                   for i in range(6)]
        out.append(Hex(code=code, name=cell["n"], x=round(x, 1), y=round(y, 1),
                       points=" ".join(f"{px:.1f},{py:.1f}" for px, py in corners)))
    total_w = max(h.x for h in out) + width
    total_h = max(h.y for h in out) + size * 1.2
    return out, round(total_w, 1), round(total_h, 1)
