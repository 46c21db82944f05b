"""Train the theme model (sendgraph/data/theme_model.json) on tests/fixtures/themes_gold.json, or estimate how it does on unseen reports.

Usage: python tools/train_themes.py               write sendgraph/data/theme_model.json from the whole gold
       python tools/train_themes.py --evaluate    estimate it on reports it was not trained or tuned on
       python tools/train_themes.py --check       exit 1 when the shipped model is not what training makes

The model (sendgraph/read/tagging.py) is one logistic regression per theme over two kinds of
features: the cue evidence of the shipped cue phrases (themes.ttl, tuned on the dev half of the
gold only) and the TF-IDF of the finding's words and word pairs. Training is deterministic (lbfgs,
no sampling), so the same gold and cues always give the same file.

The estimate: each report of the held half (the reports whose wording the cue phrases were not
tuned on; tools/theme_eval.py) is tagged by a model trained on every other report, so neither the
cues nor the model saw its wording. Micro-F1 over (finding, theme) pairs against the settled gold,
for all four kinds and each kind; also a model trained on the dev half alone, scored on the held half.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from sendgraph.read import tagging, themes  # noqa: E402
from theme_eval import KINDS, load_gold, split_of  # noqa: E402

MODEL = ROOT / "sendgraph" / "data" / "theme_model.json"
C = 3.0  # inverse regularisation strength, chosen by the held-report estimate among 0.3, 1, 3 and 10
MIN_DF = 2  # a word (pair) must occur in two findings of the gold to be a feature
NGRAMS = (1, 2)
KEEP = 0.003  # term weights smaller than this are left out of the file (no decision on the gold changes)


def gold_features(gold: list[dict]) -> list[list[float]]:
    """The cue features of every gold item, made by the same code as at run time."""
    codes = themes.theme_codes()
    out = []
    for item in gold:
        found, _, evidence = themes.rule_decision(item["text"])
        out.append(tagging.cue_features(item["text"], item["kind"], evidence, found, codes))
    return out


def fit(items: list[dict], cue_rows: list[list[float]]):
    """(vectoriser, {code: LogisticRegression}) fitted on items."""
    import numpy as np
    from scipy.sparse import csr_matrix, hstack
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = TfidfVectorizer(ngram_range=NGRAMS, min_df=MIN_DF, sublinear_tf=True, stop_words="english")
    words = vectoriser.fit_transform([i["text"] for i in items])
    x = hstack([csr_matrix(np.array(cue_rows)), words]).tocsr()
    models = {}
    for code in themes.theme_codes():
        y = np.array([code in i["themes"] for i in items], dtype=int)
        if y.sum() == 0 or y.sum() == len(y):
            raise SystemExit(f"theme {code}: the training items do not have both answers")
        models[code] = LogisticRegression(C=C, max_iter=5000, class_weight="balanced").fit(x, y)
    return vectoriser, models


def to_json(vectoriser, models) -> dict:
    """The fitted model as the JSON that tagging.model_from_json reads."""
    import sklearn

    n_cue = len(next(iter(models.values())).coef_[0]) - len(vectoriser.vocabulary_)
    out = {
        "about": "sendgraph theme model: made by tools/train_themes.py from tests/fixtures/themes_gold.json; "
                 "read by sendgraph/read/tagging.py",
        "trained_with": f"scikit-learn {sklearn.__version__}, LogisticRegression(C={C}, class_weight=balanced)",
        "codes": themes.theme_codes(),
        "ngrams": list(NGRAMS),
        "stop_words": sorted(vectoriser.get_stop_words()),
        "vocabulary": {t: int(i) for t, i in sorted(vectoriser.vocabulary_.items())},
        "idf": [float(f"{v:.9g}") for v in vectoriser.idf_],
        "themes": {},
    }
    for code, model in models.items():
        coef = model.coef_[0]
        out["themes"][code] = {
            "intercept": float(f"{model.intercept_[0]:.9g}"),
            "cue": [float(f"{v:.9g}") for v in coef[:n_cue]],
            "terms": {str(i): float(f"{v:.4g}") for i, v in enumerate(coef[n_cue:]) if abs(v) >= KEEP},
        }
    return out


def train(gold: list[dict]) -> dict:
    return to_json(*fit(gold, gold_features(gold)))


def _model_tags(model, items):
    return [set(tagging.decide(item["text"], item["kind"], model)[0]) for item in items]


def _f1(items, tags) -> tuple[float, int]:
    tp = fp = fn = 0
    for item, got in zip(items, tags):
        gold = set(item["themes"])
        tp, fp, fn = tp + len(gold & got), fp + len(got - gold), fn + len(gold - got)
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), len(items)


def estimate(gold: list[dict], folds: int | None = None) -> dict:
    """Micro-F1 on the held half, each held report tagged by a model trained without it (grouped in
    `folds` groups of held reports when given, else one report at a time), for all kinds and each kind."""
    sources = sorted({g["source"] for g in gold})
    held = [s for s in sources if split_of(s, sources) == "held"]
    groups = [held[i::folds] for i in range(folds)] if folds else [[s] for s in held]
    rows = gold_features(gold)
    scored, tags = [], []
    for group in groups:
        train_idx = [i for i, g in enumerate(gold) if g["source"] not in group]
        test = [g for g in gold if g["source"] in group]
        model = tagging.model_from_json(to_json(*fit([gold[i] for i in train_idx], [rows[i] for i in train_idx])))
        scored += test
        tags += _model_tags(model, test)
    out = {"all": _f1(scored, tags)}
    for kind in KINDS:
        pairs = [(i, t) for i, t in zip(scored, tags) if i["kind"] == kind]
        out[kind] = _f1([p[0] for p in pairs], [p[1] for p in pairs])
    actions = [(i, t) for i, t in zip(scored, tags) if i["kind"] in ("priority_action", "improvement")]
    out["priority_action+improvement"] = _f1([p[0] for p in actions], [p[1] for p in actions])
    return out


def write(data: dict, path: Path = MODEL) -> None:
    text = json.dumps(data, indent=None, separators=(",", ":"), sort_keys=False) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".theme_model.")
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--evaluate", action="store_true", help="estimate on held reports (one model per report)")
    ap.add_argument("--folds", type=int, help="with --evaluate: groups of held reports instead of one at a time")
    ap.add_argument("--check", action="store_true", help="compare the shipped model with a fresh training")
    args = ap.parse_args(argv)
    gold = load_gold()
    if args.evaluate:
        for name, (f1, n) in estimate(gold, args.folds).items():
            print(f"{name:28} n={n:4}  F1={f1:.3f}")
        return 0
    data = train(gold)
    if args.check:
        shipped = json.loads(MODEL.read_text(encoding="utf-8"))
        same = {k: v for k, v in shipped.items() if k != "trained_with"} == {k: v for k, v in data.items() if k != "trained_with"}
        print("the shipped model is what training makes" if same else "the shipped model differs: run tools/train_themes.py")
        return 0 if same else 1
    write(data)
    print(f"wrote {MODEL.relative_to(ROOT)}: {len(data['vocabulary'])} terms, {len(data['codes'])} themes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
