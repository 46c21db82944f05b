"""Derive sendgraph/data/gazetteer.csv from the public local-authority lookup (la_lookup.csv).

Usage: python tools/make_gazetteer.py ../shared/reference/la_lookup.csv
Source: la_lookup.csv, public facts about English local authorities (ONS codes, regions,
DfE statistical neighbours, ONS population estimates), Open Government Licence.
"""

import csv
import re
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "sendgraph" / "data" / "gazetteer.csv"


def main(source: str) -> None:
    with open(source, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    names = {}
    for row in rows:
        names[row["la_code_new"]] = row["local_authority_ons_name"]
    # Short forms people use for "X-on-Y" names (Southend, Stockton, Stoke), where only one authority
    # gives that short form. Not for "X upon Y": "Kingston" (Hull or Thames), "Richmond" and
    # "Newcastle" name other places too.
    shorts: dict = {}
    for row in rows:
        short = re.split(r"-on-", row["local_authority_ons_name"], flags=re.IGNORECASE)[0]
        if short != row["local_authority_ons_name"]:
            shorts.setdefault(short, []).append(row["la_code_new"])
    out_rows = []
    for row in rows:
        aliases = set()
        for field in ("also_known_as",):
            value = row[field].strip().strip("[]")
            aliases.update(a.strip() for a in value.split(",") if a.strip())
        for field in ("ltla23nm", "utla23nm"):
            if row[field] and row[field] not in ("Cumbria",):
                aliases.add(row[field])
        aliases.update(short for short, codes in shorts.items() if codes == [row["la_code_new"]])
        aliases.discard(row["local_authority_ons_name"])
        neighbours = [c.strip() for c in row["stat_neighbours_la_code"].split(",") if c.strip()]
        out_rows.append(
            {
                "gss_code": row["la_code_new"],
                "la_code": row["la_code"],
                "name": row["local_authority_ons_name"],
                "aliases": "|".join(sorted(aliases)),
                "region": row["region_name"],
                "la_type": row["ons_la_type"],
                "population_0_25": row["ons_population_0-25"],
                "stat_neighbours": "|".join(neighbours),
            }
        )
    out_rows.sort(key=lambda r: r["gss_code"])
    tmp = OUT.with_suffix(".tmp")
    with open(tmp, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(out_rows[0]))
        writer.writeheader()
        writer.writerows(out_rows)
    tmp.replace(OUT)
    print(f"wrote {OUT} ({len(out_rows)} local authorities)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/reference/la_lookup.csv")
