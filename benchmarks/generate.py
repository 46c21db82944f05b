"""Generate corpora of synthetic 2023-framework reports for scale benchmarks.

The reports recombine the structure of real reports (the layout of the bundled text reports in
data/) with varied areas (from the gazetteer), dates, outcomes, people and findings (sentences
drawn from the real findings of the bundled reports), so the extractor and graph see realistic
documents at any size. Deterministic for a given seed.

Usage: python benchmarks/generate.py N OUTDIR [--seed S]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FIRST = ("Alex Amanda Andrew Anna Ben Carol Charlie Chris Claire Dan David Deena Emma Gareth Hannah Helen "
         "Imran Jack Jane Jo Joanna Julie Kate Keith Lea Lesley Liam Louise Lucy Mark Mary Nick Nisha "
         "Paul Priya Rachel Rebecca Sam Sarah Sophie Tessa Tom Una Wayne Zoe").split()
LAST = ("Ahmed Allen Bates Brown Carter Clarke Davies Evans Fowle Green Hall Harte Hughes Jackson Khan "
        "King Lewis Mason Mills Morgan Patel Perry Price Roberts Robinson Scott Shah Smith Taylor Thomas "
        "Turner Walker Ward Watson White Williams Wilson Wood Wright Young").split()
ICBS = ("North East and North Cumbria", "Greater Manchester", "Cheshire and Merseyside", "South Yorkshire",
        "West Yorkshire", "Humber and North Yorkshire", "Birmingham and Solihull", "Black Country",
        "Nottingham and Nottinghamshire", "Derby and Derbyshire", "Kent and Medway", "Surrey Heartlands",
        "North East London", "North Central London", "South East London", "North West London",
        "Bedfordshire, Luton and Milton Keynes", "Cornwall and Isles of Scilly", "Frimley", "Sussex")
OUTCOMES = {
    "positive": ("The local area partnership's arrangements typically lead to positive experiences and outcomes "
                 "for children and young people with special educational needs and/or disabilities (SEND). The "
                 "local area partnership is taking action where improvements are needed.",
                 "The next full area SEND inspection will be within approximately five years.", 0),
    "inconsistent": ("The local area partnership's arrangements lead to inconsistent experiences and outcomes for "
                     "children and young people with special educational needs and/or disabilities (SEND). The "
                     "local area partnership must work jointly to make improvements.",
                     "The next full area SEND inspection will be within approximately three years.", 0),
    "systemic": ("There are widespread and/or systemic failings leading to significant concerns about the "
                 "experiences and outcomes of children and young people with special educational needs and/or "
                 "disabilities (SEND), which the local area partnership must address urgently.",
                 "A monitoring inspection will be carried out within approximately 18 months. The next full "
                 "reinspection will be within approximately three years.", 3),
}
MONTHS = ("January February March April May June July August September October November December").split()


@dataclass
class Pools:
    """Sentences of real findings by kind, and the areas to inspect."""

    sentences: dict
    areas: list


def load_pools() -> Pools:
    from sendgraph import gazetteer
    from sendgraph.read.extract import extract_paths

    records = extract_paths([ROOT / "data"]).records
    sentences: dict = {"strength": [], "weakness": [], "improvement": [], "narrative": []}
    for record in records:
        if record["document_type"] != "area_send_inspection_2023":
            continue
        for item in record["findings"]:
            kind = item["kind"] if item["kind"] in sentences else None
            if kind:
                for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z])", item["text"]):
                    if 40 < len(sentence) < 400 and record["area"] not in sentence:
                        sentences[kind].append(sentence)
    for kind in sentences:
        sentences[kind] = sorted(set(sentences[kind]))
    areas = sorted((la.name, la.gss_code) for la in gazetteer.authorities())
    return Pools(sentences, areas)


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _leader(rng: random.Random) -> str:
    """A leader's name from a pool some 40 times larger than the inspectors' (double surnames too):
    leaders are many, and unrelated people of one name in different councils are rare in real reports."""
    family = rng.choice(LAST) if rng.random() < 0.5 else f"{rng.choice(LAST)}-{rng.choice(LAST)}"
    return f"{rng.choice(FIRST)} {family}"


LEADER_TURNOVER = 0.3  # the chance that a council or ICB has a new leader at its next inspection


def _current_leader(rng: random.Random, leaders: dict, key: str) -> str:
    """The leader of a council or ICB at this inspection: the one before, or (turnover) a new one."""
    if key not in leaders or rng.random() < LEADER_TURNOVER:
        leaders[key] = _leader(rng)
    return leaders[key]


def _date_range(start: dt.date) -> str:
    end = start + dt.timedelta(days=4)
    if start.month == end.month:
        return f"{start.day} to {end.day} {MONTHS[end.month - 1]} {end.year}"
    return f"{start.day} {MONTHS[start.month - 1]} {start.year} to {end.day} {MONTHS[end.month - 1]} {end.year}"


def _paragraph(rng: random.Random, pool: list, low: int = 2, high: int = 4, used: set | None = None) -> str:
    """Sentences drawn from pool; never a paragraph already used in the same report."""
    for _ in range(50):
        text = " ".join(rng.sample(pool, min(len(pool), rng.randint(low, high))))
        if used is None or text not in used:
            break
    if used is not None:
        used.add(text)
    return text


def generate_report(index: int, rng: random.Random, pools: Pools, inspectors: list,
                    leaders: dict | None = None) -> tuple[str, dict]:
    """The text of one synthetic report and the facts it states (for tests). ``leaders`` (council or
    ICB -> its leader) carries leaders from one report to the next."""
    leaders = {} if leaders is None else leaders
    name, gss = pools.areas[index % len(pools.areas)]
    cycle = index // len(pools.areas)
    start = dt.date(2023 + cycle // 4, 1, 2) + dt.timedelta(days=rng.randrange(0, 300))
    start -= dt.timedelta(days=start.weekday())  # inspections start on a Monday
    previous = dt.date(2016 + rng.randrange(0, 5), rng.randrange(1, 13), rng.randrange(1, 24))
    outcome = rng.choice(sorted(OUTCOMES))
    outcome_text, next_text, n_priority = OUTCOMES[outcome]
    counts = {"strength": rng.randint(5, 12), "weakness": rng.randint(3, 10), "improvement": rng.randint(1, 5),
              "priority_action": n_priority}
    team = rng.sample(inspectors, 5)
    icb = f"NHS {ICBS[(index * 7 + cycle) % len(ICBS)]} Integrated Care Board"
    la_leader, icb_leader = _current_leader(rng, leaders, name), _current_leader(rng, leaders, icb)
    out = [f"Area SEND inspection of {name} Local Area Partnership", f"Inspection dates: {_date_range(start)}",
           f"Date of previous inspection: {_date_range(previous)}", "Inspection outcome", outcome_text, next_text,
           "Information about the local area partnership",
           f"{name} Council and {icb} are jointly responsible for the planning and commissioning of services.",
           "What is it like to be a child or young person with SEND in this area?"]
    used: set = set()
    out += [_paragraph(rng, pools.sentences["narrative"], used=used) for _ in range(rng.randint(3, 6))]
    out.append("What is the area partnership doing that is effective?")
    out += ["- " + _paragraph(rng, pools.sentences["strength"], used=used) for _ in range(counts["strength"])]
    out.append("What does the area partnership need to do better?")
    out += ["- " + _paragraph(rng, pools.sentences["weakness"], used=used) for _ in range(counts["weakness"])]
    if n_priority:
        out.append("Areas for priority action")
        out += [_paragraph(rng, pools.sentences["improvement"], 1, 3, used=used) for _ in range(n_priority)]
    out.append("Areas for improvement")
    out += [_paragraph(rng, pools.sentences["improvement"], 1, 3, used=used) for _ in range(counts["improvement"])]
    out += ["Local area partnership details", "Local authority\tIntegrated care board",
            f"{name} Council\t{icb}", f"{la_leader}, Director of Children's Services\t{icb_leader}, Chief Executive",
            f"www.{re.sub(r'[^a-z]', '', name.lower())}.gov.uk\twww.icb.nhs.uk",
            "Information about this inspection", "Inspection team", "Ofsted",
            f"{team[0]}, Ofsted lead inspector {team[1]}, Ofsted HMI {team[2]}, Ofsted Inspector",
            "Care Quality Commission", f"{team[3]}, CQC lead inspector {team[4]}, CQC inspector"]
    facts = {"area": name, "gss_code": gss, "outcome": outcome, "counts": counts, "team": team,
             "start_date": start.isoformat(), "icb": icb, "la_leader": la_leader}
    return "\n\n".join(out) + "\n", facts


def generate_corpus(n: int, outdir, seed: int = 0) -> list[dict]:
    """Write n synthetic reports into outdir (report-00001.txt ...); return the facts of each."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pools = load_pools()
    inspectors = sorted({_person(rng) for _ in range(400)})
    facts = []
    leaders: dict = {}
    for index in range(n):
        text, fact = generate_report(index, rng, pools, inspectors, leaders)
        path = outdir / f"report-{index + 1:05d}.txt"
        path.write_text(text, encoding="utf-8")
        fact["path"] = str(path)
        facts.append(fact)
    return facts


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int)
    parser.add_argument("outdir")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    generate_corpus(args.n, args.outdir, args.seed)
    print(f"wrote {args.n} reports to {args.outdir}")
