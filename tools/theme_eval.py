"""Score the cue rules of the theme tagger against tests/fixtures/themes_gold.json: micro-F1 on the dev and held-out halves, per theme.

The cue rules (sendgraph/read/themes.py) are the first layer of the tagger; the theme model
(sendgraph/read/tagging.py) weighs their evidence and the finding's words. The model is trained on
the whole gold, so its figures here would flatter it: tools/train_themes.py --evaluate estimates it
on reports it was not trained on.

Usage: python tools/theme_eval.py [--errors] [--kind all|priority_action,improvement,...] [--split dev|held|all]
       python tools/theme_eval.py --explain "Some finding text"   (which cue phrases fire, and the result)

The gold set (674 findings of the 29 development reports: priority actions, areas for improvement,
strengths and weaknesses, each tagged by two independent readers by the theme guidelines, their
differences settled by a third) is split by report: the sorted source files alternate between the
halves. Cue phrases are tuned on the dev half only; the held-out half is made of areas whose
wording they were not tuned on, and measures how the tagger does on reports it has not seen.
By default all four kinds are scored together, then each kind on its own.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sendgraph.read.themes import matches, scores, tag_services, tag_themes, theme_reasons  # noqa: E402

GOLD = ROOT / "tests" / "fixtures" / "themes_gold.json"
KINDS = ("priority_action", "improvement", "strength", "weakness")
ACTION_KINDS = ("priority_action", "improvement")


def load_gold(path=GOLD) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def split_of(source: str, sources: list[str]) -> str:
    """dev for the 1st, 3rd, 5th ... report in sorted order, held for the others."""
    return "dev" if sorted(sources).index(source) % 2 == 0 else "held"


def micro(items: list[dict], tagger=tag_themes) -> dict:
    """Micro precision, recall and F1 over (item, theme) pairs, plus per-theme tp/fp/fn counts."""
    tp = fp = fn = 0
    per = {}
    for item in items:
        gold = set(item["themes"])
        got = set(tagger(item["text"]))
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        for code in gold | got:
            c = per.setdefault(code, Counter())
            c["tp"] += code in gold and code in got
            c["fp"] += code in got and code not in gold
            c["fn"] += code in gold and code not in got
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": p, "r": r, "f1": f, "tp": tp, "fp": fp, "fn": fn, "per": per, "n": len(items)}


def select(gold: list[dict], kinds=KINDS, split: str = "all") -> list[dict]:
    sources = sorted({g["source"] for g in gold})
    return [
        g for g in gold
        if (not kinds or g.get("kind") in kinds) and (split == "all" or split_of(g["source"], sources) == split)
    ]


def main(argv=None) -> int:
    import signal

    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--errors", action="store_true", help="print every item the tagger got wrong")
    ap.add_argument("--kind", default="all", help="finding kinds, comma-separated, or 'all' (the default)")
    ap.add_argument("--split", default="both", choices=["dev", "held", "all", "both"])
    ap.add_argument("--explain", metavar="TEXT", help="show the cue phrases found in TEXT and the codes given")
    args = ap.parse_args(argv)
    if args.explain is not None:
        for scheme in ("themes", "services"):
            for start, end, cue in matches(args.explain, scheme):
                said = ", ".join(f"{code} {weight:g}" for code, weight in cue.targets) or "ignored"
                print(f"  {scheme:8} {args.explain[start:end]!r:40} cue {cue.phrase!r}: {said}")
        print("scores:", {k: round(v, 2) for k, v in scores(args.explain).items()})
        print("themes:", tag_themes(args.explain))
        print("reasons:", theme_reasons(args.explain))
        print("services:", tag_services(args.explain))
        return 0
    gold = load_gold()
    kinds = None if args.kind == "all" else tuple(args.kind.split(","))
    splits = ["dev", "held", "all"] if args.split == "both" else [args.split]
    for split in splits:
        res = micro(select(gold, kinds, split))
        print(f"{split:5} n={res['n']:4}  P={res['p']:.3f}  R={res['r']:.3f}  F1={res['f1']:.3f}"
              f"  (tp={res['tp']} fp={res['fp']} fn={res['fn']})")
    print("\nper kind:")
    for kind in kinds or KINDS:
        row = []
        for split in splits:
            res = micro(select(gold, (kind,), split))
            row.append(f"{split} n={res['n']:3} F1={res['f1']:.3f}")
        print(f"  {kind:16} " + "   ".join(row))
    res = micro(select(gold, kinds, splits[-1]))
    print("\nper theme (" + splits[-1] + "):")
    for code, c in sorted(res["per"].items(), key=lambda kv: -(kv[1]["fp"] + kv[1]["fn"])):
        print(f"  {code:28} tp={c['tp']:3} fp={c['fp']:3} fn={c['fn']:3}")
    if args.errors:
        for item in select(gold, kinds, splits[-1]):
            gold_set, got = set(item["themes"]), set(tag_themes(item["text"]))
            if gold_set != got:
                print("\n---", item["source"], item.get("kind"))
                print(item["text"])
                print("  missing:", sorted(gold_set - got), " extra:", sorted(got - gold_set))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
