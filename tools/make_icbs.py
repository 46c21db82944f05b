"""Derive sendgraph/data/icbs.csv (England's 42 integrated care boards) from the hex layout of
../shared/reference/hexmap/nhs-icb-2022.hexjson (Open Innovations, MIT; the licence notice is kept
in sendgraph/data/LICENSE-hexmaps).

Each board: its ODS code, its ONS code (E54...), its name ("NHS Devon"), its short name, its NHS
England region, and the short forms reports print for it that its name does not contain.

Usage: python tools/make_icbs.py [HEXJSON]
"""

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT.parent / "shared" / "reference" / "hexmap" / "nhs-icb-2022.hexjson"
OUT = ROOT / "sendgraph" / "data" / "icbs.csv"
# Short forms in common use that are not the initials the layout gives (by ODS code).
SHORT_FORMS = {
    "QOX": ["BSW"], "QOC": ["STW", "ST&W"], "QHL": ["BSol"], "QUY": ["BNSSG"], "QU9": ["BOB"],
    "QHG": ["BLMK"], "QYG": ["C&M"], "QHM": ["NENC"], "QJG": ["SNEE"], "QMM": ["N&W"], "QNC": ["SSOT"],
}


def main(argv) -> int:
    source = Path(argv[1]) if len(argv) > 1 else SOURCE
    hexes = json.loads(source.read_text(encoding="utf-8"))["hexes"]
    rows = []
    for ods, board in sorted(hexes.items(), key=lambda kv: kv[1]["STP21CD"]):
        short = board.get("ICS22NMSHT") or ""
        aliases = sorted({short, *SHORT_FORMS.get(ods, [])} - {""})
        rows.append({"ods_code": ods, "gss_code": board["STP21CD"], "name": " ".join(board["ICS22NM"].split()),
                     "region": board.get("NHSER21NM", ""), "aliases": "|".join(aliases)})
    with OUT.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} boards to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
