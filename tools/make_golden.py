"""Write golden extraction summaries for PDFs (tests/golden/corpus/NAME.json), to be checked by reading.

Usage: python tools/make_golden.py ../shared/corpus/*.pdf
The golden file keeps the fields a user checks against the report; review every file before committing.
"""

import json
import sys
from pathlib import Path

from sendgraph.read.extract import read_report

OUT = Path(__file__).resolve().parent.parent / "tests" / "golden" / "corpus"


def summary(record: dict) -> dict:
    counts: dict = {}
    for item in record["findings"]:
        counts[item["kind"]] = counts.get(item["kind"], 0) + 1
    return {
        "document_type": record["document_type"],
        "title": record["title"],
        "area": record["area"],
        "gss_code": record["gss_code"],
        "inspection": record["inspection"],
        "organisations": [[o["name"], o["kind"], o["gss_code"]] for o in record["organisations"]],
        "leaders": [[p["name"], p["title"], p["capacity"]] for p in record["people"]],
        "inspectors": [[i["name"], i["organisation"], i["lead"]] for i in record["inspectors"]],
        "finding_counts": dict(sorted(counts.items())),
        "priority_actions": [f["text"][:80] for f in record["findings"] if f["kind"] == "priority_action"],
        "improvements": [f["text"][:80] for f in record["findings"] if f["kind"] == "improvement"],
        "mentions": record["mentions"],
    }


def main(paths):
    OUT.mkdir(parents=True, exist_ok=True)
    for path in paths:
        (record,) = read_report(path)
        target = OUT / (Path(path).stem + ".json")
        target.write_text(json.dumps(summary(record), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print("wrote", target)


if __name__ == "__main__":
    main(sys.argv[1:])
