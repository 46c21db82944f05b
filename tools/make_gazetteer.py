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
# ONS codes changed since the lookup was made: old code -> (new code, in force from, why). The old
# code is kept as an alias, so documents and data that print it still resolve.
CODE_CHANGES = {
    "E08000016": ("E08000038", "2025-04-01", "Barnsley and Sheffield (Boundary Change) Order 2024"),  # Barnsley
    "E08000019": ("E08000039", "2025-04-01", "Barnsley and Sheffield (Boundary Change) Order 2024"),  # Sheffield
}


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
    # A figure of a former authority (a row with no current code, e.g. Cumbria) repeated on the
    # authorities that replaced it is inherited, not theirs: left out, with a note.
    former = {row["ons_population_0-25"]: row["local_authority_ons_name"] for row in rows
              if not row["la_code_new"] and row["ons_population_0-25"]}
    renumbered = {old: new for old, (new, _when, _why) in CODE_CHANGES.items()}
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
        neighbours = [renumbered.get(c.strip(), c.strip()) for c in row["stat_neighbours_la_code"].split(",") if c.strip()]
        code = row["la_code_new"]
        population, note = row["ons_population_0-25"], ""
        if code and population in former:
            population, note = "", f"the lookup's figure is {former[population]}'s, the authority before it"
        previous = [old for old, (new, _when, _why) in CODE_CHANGES.items() if code in (old, new)]
        code = renumbered.get(code, code)
        out_rows.append(
            {
                "gss_code": code,
                "previous_codes": "|".join(previous),
                "la_code": row["la_code"],
                "name": row["local_authority_ons_name"],
                "aliases": "|".join(sorted(aliases)),
                "region": row["region_name"],
                "la_type": row["ons_la_type"],
                "population_0_25": population,
                "population_note": note,
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
