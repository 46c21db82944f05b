"""Derive sendgraph/data/hexmap-la.json, the hex cartogram of England's current upper-tier local
authorities that the site's home page draws, from Open Innovations' HexJSON layout in
../shared/reference/hexmap/uk-upper-tier-local-authorities.hexjson (MIT; the licence notice is kept
in sendgraph/data/LICENSE-hexmaps).

The layout predates the 2020-2023 reorganisations. A successor that takes its predecessor's place
keeps the cell (Buckinghamshire, North Yorkshire, Somerset; Cumberland for Cumbria, North
Northamptonshire for Northamptonshire); the second successor of a split goes in a free
neighbouring cell in the direction it lies in (Westmorland and Furness south-east of Cumberland);
when every neighbour is taken (North Northamptonshire's), the row is shifted one cell towards that
side as far as the nearest free cell (Warwickshire and Herefordshire move one cell west) and the
new authority takes the cell beside its sibling (West Northamptonshire west of North). Codes recoded since
(Barnsley, Sheffield) take the gazetteer's current code. Every hex carries its gazetteer name.

Usage: python tools/make_hexmap.py [HEXJSON]
"""

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sendgraph import gazetteer  # noqa: E402

SOURCE = ROOT.parent / "shared" / "reference" / "hexmap" / "uk-upper-tier-local-authorities.hexjson"
OUT = ROOT / "sendgraph" / "data" / "hexmap-la.json"

# old code -> successors: the first keeps the cell, a second goes to a free neighbour in the direction given.
SUCCESSORS = {
    "E10000002": ("E06000060", None),
    "E10000023": ("E06000065", None),
    "E10000027": ("E06000066", None),
    "E10000006": ("E06000063", ("E06000064", ("se", "sw", "e", "w", "ne", "nw"))),
    "E10000021": ("E06000061", ("E06000062", ("sw", "w", "se", "e", "nw", "ne"))),
}


def neighbours(q: int, r: int) -> dict:
    """The six neighbours of a cell in an "odd-r" layout (odd rows shifted right); r grows northwards
    in HexJSON, so "s" is r - 1."""
    shift = 1 if r % 2 else 0  # odd rows are shifted right
    return {
        "e": (q + 1, r), "w": (q - 1, r),
        "ne": (q + shift, r + 1), "nw": (q + shift - 1, r + 1),
        "se": (q + shift, r - 1), "sw": (q + shift - 1, r - 1),
    }


def place_beside(cell, directions, hexes: dict, taken: set) -> tuple:
    """A cell beside ``cell`` for a new authority: the first free neighbour in ``directions``; when
    every neighbour is taken, the row is shifted by one cell towards the first direction's side (east
    or west) up to the nearest free cell, and the new authority takes the cell next to ``cell``."""
    around = neighbours(*cell)
    for direction in directions:
        if around[direction] not in taken:
            return around[direction]
    step = -1 if "w" in directions[0] else 1
    q, r = cell
    end = q + step
    while (end, r) in taken:
        end += step
    by_cell = {c: code for code, c in hexes.items()}
    for x in range(end, q + step, -step):  # from the free end back towards the cell
        moved = by_cell[(x - step, r)]
        hexes[moved] = (x, r)
        taken.discard((x - step, r))
        taken.add((x, r))
    return q + step, r


def main(argv) -> int:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    layout = json.loads(source.read_text(encoding="utf-8"))
    assert layout["layout"] == "odd-r", layout["layout"]
    cells = {code: (h["q"], h["r"]) for code, h in layout["hexes"].items()}
    hexes, pending = {}, []
    for code, (q, r) in cells.items():
        authority = gazetteer.by_code(code)
        if code in SUCCESSORS:
            first, second = SUCCESSORS[code]
            hexes[first] = (q, r)
            if second:
                new, directions = second
                hexes[new] = None  # placed once every old cell is known
                pending.append((new, (q, r), directions))
            continue
        if authority is None:
            raise SystemExit(f"{code}: not in the gazetteer")
        hexes[authority.gss_code] = (q, r)
    for new, cell, directions in pending:
        del hexes[new]
        hexes[new] = place_beside(cell, directions, hexes, set(hexes.values()))
    known = {a.gss_code for a in gazetteer.authorities() if a.gss_code}
    missing = sorted(known - set(hexes))
    extra = sorted(set(hexes) - known)
    if missing or extra:
        raise SystemExit(f"gazetteer and layout disagree: missing {missing}, unknown {extra}")
    if len(set(hexes.values())) != len(hexes):
        raise SystemExit("two authorities in one cell")
    out = {
        "layout": "odd-r",
        "source": "Open Innovations, odileeds/hexmaps maps/uk-upper-tier-local-authorities.hexjson (MIT), "
                  "updated for the 2020-2023 reorganisations by tools/make_hexmap.py",
        "hexes": {code: {"n": gazetteer.by_code(code).name, "q": q, "r": r}
                  for code, (q, r) in sorted(hexes.items())},
    }
    OUT.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}: {len(hexes)} hexes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
