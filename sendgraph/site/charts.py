"""The small inline SVG charts of the site (inspections over time by outcome): geometry only, drawn by the templates."""

from __future__ import annotations

import math

from sendgraph.vocab import OUTCOME_ORDER


def _nice_step(top: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000):
        if top / step <= 6:
            return step
    return 10 ** int(math.log10(top))


def timeline_chart(timeline: list, labels: dict, width: int = 640, height: int = 240) -> dict | None:
    """Stacked bars of ``timeline`` ([(year, {outcome: count})]): bars, axis ticks and year labels,
    outcomes best first from the bottom."""
    if not timeline:
        return None
    left, right, top_pad, bottom = 36, 10, 10, 24
    base = height - bottom
    top = max(sum(c.values()) for _, c in timeline) or 1
    step = _nice_step(top)
    ceiling = step * math.ceil(top / step)
    scale = (base - top_pad) / ceiling
    slot = (width - left - right) / len(timeline)
    bar_w = max(4.0, slot * 0.7)
    present = [code for code in OUTCOME_ORDER if any(code in c for _, c in timeline)]
    bars, years = [], []
    for i, (year, counts) in enumerate(timeline):
        x = left + i * slot + (slot - bar_w) / 2
        y = base
        for code in present:
            n = counts.get(code, 0)
            if not n:
                continue
            h = n * scale
            y -= h
            bars.append({"outcome": code, "label": labels.get(code, code), "year": year, "count": n,
                         "x": round(x, 1), "y": round(y, 1), "w": round(bar_w, 1), "h": round(h, 1)})
        if len(timeline) <= 16 or i % 2 == 0:
            years.append({"x": round(x + bar_w / 2, 1), "label": str(year)})
    ticks = [{"value": v, "y": round(base - v * scale, 1)} for v in range(0, ceiling + 1, step)]
    return {"width": width, "height": height, "left": left, "base": base, "bars": bars, "years": years,
            "ticks": ticks, "outcomes": [(code, labels.get(code, code)) for code in present]}
