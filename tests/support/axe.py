"""axe-core in the browser tests: the accessibility rules of WCAG 2.0-2.2 A and AA run in the real page.

axe-core comes from the npm registry (``tools/fetch_axe.py``, run by ``make sysdeps``), pinned and
checked against its published integrity. It is evaluated through the DevTools protocol, which the
pages' Content-Security-Policy does not govern, so the page is tested as it is shipped.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / ".axe" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


@lru_cache(maxsize=1)
def axe_source() -> str:
    if not AXE.is_file():
        raise RuntimeError(f"axe-core is missing ({AXE}): run `make sysdeps` or `python tools/fetch_axe.py`")
    return AXE.read_text(encoding="utf-8")


def violations(page, impacts=("serious", "critical")) -> list[dict]:
    """The WCAG A/AA violations axe-core finds in the open page, of the given impacts: rule id, impact,
    help and the first few offending elements."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source() + "\n;undefined")
    result = page.evaluate(
        "(tags) => window.axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", TAGS)
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"],
             "nodes": [n["target"] for n in v["nodes"][:5]]}
            for v in result["violations"] if v["impact"] in impacts]
