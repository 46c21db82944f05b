"""The benchmark corpus generator: valid reports the extractor reads back exactly, varied, and deterministic."""

import collections
import importlib.util
import sys

import pytest

from support.paths import ROOT
from sendgraph.read.extract import read_report

spec = importlib.util.spec_from_file_location("generate", ROOT / "benchmarks" / "generate.py")
generate = importlib.util.module_from_spec(spec)
sys.modules["generate"] = generate
spec.loader.exec_module(generate)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("generated")
    return out, generate.generate_corpus(40, out, seed=7)


def test_every_generated_report_reads_back_as_generated(corpus):
    _out, facts = corpus
    for fact in facts:
        (record,) = read_report(fact["path"])
        counts = collections.Counter(f["kind"] for f in record["findings"])
        assert record["area"] == fact["area"], fact["path"]
        assert record["gss_code"] == fact["gss_code"], fact["path"]
        assert record["inspection"]["outcome"] == fact["outcome"], fact["path"]
        assert record["inspection"]["start_date"] == fact["start_date"], fact["path"]
        assert {k: counts[k] for k in fact["counts"]} == fact["counts"], fact["path"]
        assert [i["name"] for i in record["inspectors"]] == fact["team"], fact["path"]
        assert [i["lead"] for i in record["inspectors"]] == [True, False, False, True, False]


def test_generated_corpus_is_varied(corpus):
    _out, facts = corpus
    assert len({f["area"] for f in facts}) == 40
    assert len({f["outcome"] for f in facts}) == 3
    inspectors = collections.Counter(name for f in facts for name in f["team"])
    assert len(inspectors) > 60
    assert max(inspectors.values()) >= 2  # inspectors recur across reports, as in real life


def test_generation_is_deterministic(tmp_path):
    a = generate.generate_corpus(5, tmp_path / "a", seed=11)
    b = generate.generate_corpus(5, tmp_path / "b", seed=11)
    c = generate.generate_corpus(5, tmp_path / "c", seed=12)
    texts = lambda facts: [open(f["path"], encoding="utf-8").read() for f in facts]
    assert texts(a) == texts(b)
    assert texts(a) != texts(c)


def test_leaders_stay_with_their_council_and_read_back(tmp_path):
    facts = generate.generate_corpus(400, tmp_path, seed=3)
    by_area = collections.defaultdict(list)
    for fact in facts:
        by_area[fact["area"]].append(fact["la_leader"])
    pairs = [(a, b) for leaders in by_area.values() for a, b in zip(leaders, leaders[1:])]
    kept = sum(a == b for a, b in pairs) / len(pairs)
    assert 0.55 < kept < 0.85, kept  # a new leader at some 30% of next inspections
    assert len({f["la_leader"] for f in facts}) > len(by_area)
    double = next(f for f in facts if "-" in f["la_leader"].split()[-1])
    (record,) = read_report(double["path"])
    assert double["la_leader"] in [p["name"] for p in record["people"]]
