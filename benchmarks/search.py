"""Search figures: how long the full-text index takes to build, how fast queries answer, how big it is.

On the real corpus (the 29 PDFs plus data/, through the whole flow: records -> graph -> finding rows)
and on generated corpora (benchmarks/generate.py; their finding rows are made straight from the
extraction records, which is what the index is given either way: the text and the fields filtered
on). Queries are timed warm (the index built), as the median of repeated runs; the index size is
that of the SQLite file the CLI keeps beside a store.

Usage: python benchmarks/search.py [--sizes 1000,10000] [--repeat 20] [--out FILE]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from common import corpus_dir, emit  # noqa: E402

QUERIES = ["waiting times for autism assessment", "local offer", '"preparation for adulthood"', "speech and language",
           "annual reviews", "exclusions", "co-production with parents", "EHC plans timeliness"]


def time_queries(index, repeat: int) -> dict:
    figures = {}
    for text in QUERIES:
        runs, hits = [], 0
        for _ in range(repeat):
            start = time.perf_counter()
            hits = len(index.query(text, limit=20))
            runs.append(time.perf_counter() - start)
        figures[text] = {"median_ms": round(1000 * statistics.median(runs), 2), "max_ms": round(1000 * max(runs), 2),
                         "hits": hits}
    return figures


def index_figures(rows: list[dict], repeat: int) -> dict:
    from sendgraph.search.index import SearchIndex

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "index.sqlite"
        start = time.perf_counter()
        index = SearchIndex(path)
        index.update(rows)
        build = time.perf_counter() - start
        queries = time_queries(index, repeat)
        index.close()
        size = path.stat().st_size
    medians = [q["median_ms"] for q in queries.values()]
    return {"findings": len(rows), "build_s": round(build, 3), "index_mib": round(size / 2**20, 2),
            "query_median_ms": round(statistics.median(medians), 2), "query_worst_ms": max(q["max_ms"] for q in queries.values()),
            "queries": queries}


def rows_from_records(records: list[dict]) -> list[dict]:
    """Finding rows as search/index.finding_rows gives them, made from extraction records."""
    rows = []
    for r, record in enumerate(records):
        inspection = record.get("inspection") or {}
        for n, f in enumerate(record.get("findings", ())):
            rows.append({"text": f["text"], "finding": f"urn:bench:{r}:{n}", "document": f"urn:bench:{r}",
                         "area": record.get("gss_code") or "", "area_name": record.get("area") or "",
                         "date": inspection.get("start_date") or "", "kind": f["kind"], "kind_label": f["kind"],
                         "themes": " ".join(f.get("themes", ())), "theme_labels": "; ".join(f.get("themes", ())),
                         "outcome": inspection.get("outcome") or "", "outcome_label": "", "framework": "2023",
                         "source": f"urn:bench:{r}", "source_title": "", "paragraph": f.get("position")})
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--out")
    args = parser.parse_args(argv)
    from sendgraph.graph.build import build_graph
    from sendgraph.read.extract import extract_paths
    from sendgraph.search.index import finding_rows

    report: dict = {}
    corpus = corpus_dir()
    data = Path(__file__).resolve().parent.parent / "data"
    paths = [data, *sorted(corpus.glob("*.pdf"))] if corpus else [data]
    records = extract_paths(paths, jobs=2).records
    start = time.perf_counter()
    rows = finding_rows(build_graph(records))
    report["real"] = {"documents": len(records), "rows_s": round(time.perf_counter() - start, 3),
                      **index_figures(rows, args.repeat)}
    print(f"real corpus: {report['real']['findings']} findings, index built in {report['real']['build_s']} s "
          f"({report['real']['index_mib']} MiB), query median {report['real']['query_median_ms']} ms, "
          f"worst {report['real']['query_worst_ms']} ms")
    from generate import generate_corpus

    for size in [int(s) for s in args.sizes.split(",") if s]:
        with tempfile.TemporaryDirectory() as folder:
            generate_corpus(size, folder, seed=0)
            records = extract_paths([Path(folder)], jobs=2).records
        figures = index_figures(rows_from_records(records), args.repeat)
        report[f"generated_{size}"] = {"reports": size, **figures}
        print(f"{size} generated reports: {figures['findings']} findings, index built in {figures['build_s']} s "
              f"({figures['index_mib']} MiB), query median {figures['query_median_ms']} ms, worst {figures['query_worst_ms']} ms")
    if args.out:
        emit(report, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
