"""One size of the scale series, in a fresh process: extraction, build, memory, queries, store, views.

Usage (run.py drives it; each size runs in its own process so peak memory is that size's own):

    python benchmarks/scale.py run N CORPUS_DIR --out FILE [--budget SECONDS] [--repeat R] [--query-cap SECONDS]
    python benchmarks/scale.py store-query STORE_DIR NAME [--cap SECONDS] [--param NAME=VALUE]

``run`` rewrites FILE after every stage (with the stage in progress), so a run stopped at its time
budget still leaves what it measured. ``store-query`` times one named query on an embedded store
that another process built, in a new process (a query cannot be interrupted inside pyoxigraph).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (children_peak_rss_mib, in_fork, log, peak_rss_mib, proc_mib, summary, timed_runs)  # noqa: E402

HERE = Path(__file__).resolve()


# ---------------------------------------------------------------------------------------------
# store-query: one named query on a built store, in its own process
# ---------------------------------------------------------------------------------------------


THEME = "waiting-times"  # a theme every corpus has findings on


def query_variants(names: list[str], area: str | None) -> list[tuple[str, str, dict, bool]]:
    """(key, query name, parameters, reordered) of every query measured: each named query as
    ``sendgraph query NAME`` runs it (no parameters), and the parameterised uses of the two that
    take one. (``reordered`` is always False: the proposed reordering of theme-findings is shipped.)"""
    out = [(name, name, {}, False) for name in names]
    if "area-inspections" in names and area:
        out.append(("area-inspections@area", "area-inspections", {"area": area}, False))
    if "theme-findings" in names:
        out.append(("theme-findings@theme", "theme-findings", {"theme": THEME}, False))
    return out


def variant_label(key: str, params: dict) -> str:
    base = key.split("@")[0]
    return base + (" (" + ", ".join(f"{k}={v}" for k, v in params.items()) + ")" if params else "")


def query_text_for(name: str, reordered: bool) -> str | None:
    from sendgraph.stores.named import query_text

    text = query_text(name)
    return text


def store_query(args) -> int:
    import pyoxigraph as ox

    from sendgraph.stores import embedded as emb
    from sendgraph.vocab import PREFIXES
    from sendgraph.stores.sparql import param_term

    text = query_text_for(args.name, args.reordered)
    params = dict(p.split("=", 1) for p in args.param)
    start = time.perf_counter()
    opened = ox.Store.read_only(args.store)
    opening = time.perf_counter() - start
    bindings = {k: param_term(v) for k, v in params.items()}

    def run():  # sendgraph.stores.embedded.query as `sendgraph query --store` runs it
        return len(emb.query(opened, text, bindings, prefixes=PREFIXES).rows)
    stats, rows = timed_runs(run, low=3, high=5, budget=2.0, cap=args.cap)
    # cold: the first run in a new process on a store just opened (what `sendgraph query --store`
    # pays once); warm: the median of the runs after it.
    runs = stats["runs"]
    cold, warm = runs[0], (summary(runs[1:])["median"] if len(runs) > 1 else None)
    print(json.dumps({**stats, "rows": rows, "open_s": round(opening, 4), "cold": cold, "warm": warm,
                      "answer": answer_digest(opened, text, bindings)}))
    return 0


def answer_digest(opened, text: str, bindings: dict) -> str:
    """SHA-256 of a query's rows (as `sendgraph query` prints them, in order), to check that a
    rewritten query gives the same answers."""
    import hashlib

    from sendgraph.stores import embedded as emb
    from sendgraph.vocab import PREFIXES

    result = emb.query(opened, text, bindings, prefixes=PREFIXES)
    rows = "\n".join("\t".join("" if v is None else str(v) for v in row) for row in result.rows)
    return hashlib.sha256(rows.encode("utf-8")).hexdigest()


def run_store_query(store_dir: Path, name: str, mode: str, cap: float, reordered: bool = False,
                    params: dict | None = None) -> dict:
    """Time one query in a new process; {"error": ...} when it did not finish within cap (+ start-up)."""
    command = [sys.executable, str(HERE), "store-query", str(store_dir), name, "--mode", mode, "--cap", str(cap)]
    if reordered:
        command.append("--reordered")
    for key, value in (params or {}).items():
        command += ["--param", f"{key}={value}"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=cap + 3)
    except subprocess.TimeoutExpired:
        return {"error": f"did not finish within {cap:g} s", "timed_out": cap}
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(done.stdout)


# ---------------------------------------------------------------------------------------------
# run: the whole series stage for one size
# ---------------------------------------------------------------------------------------------


class Recorder:
    """Stage results, rewritten to the output file after each stage."""

    def __init__(self, path: Path, size: int, budget: float):
        self.path = path
        self.start = time.time()
        self.budget = budget
        self.data = {"size": size, "stages": {}, "notes": [], "current": None}
        self.flush()

    def remaining(self) -> float:
        return self.budget - (time.time() - self.start)

    def begin(self, stage: str) -> None:
        self.data["current"] = {"stage": stage, "started": time.time(), "peak_rss_mib": peak_rss_mib()}
        self.flush()
        log(f"{self.data['size']} reports: {stage} ...")

    def done(self, stage: str, **values) -> None:
        values.setdefault("peak_rss_mib_so_far", round(peak_rss_mib(), 1))
        self.data["stages"][stage] = values
        self.data["current"] = None
        self.flush()
        shown = {k: v for k, v in values.items() if k in ("median", "min", "max", "n", "error", "rows", "triples")}
        log(f"{self.data['size']} reports: {stage}: {shown}")

    def note(self, text: str) -> None:
        self.data["notes"].append(text)
        self.flush()
        log(f"{self.data['size']} reports: {text}")

    def flush(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.data, indent=1, default=str), encoding="utf-8")
        os.replace(tmp, self.path)


def sync_like_build(store_dir: Path, dataset) -> None:
    """Put a built graph in a new embedded store as ``sendgraph build --store DIR`` does after the build
    (sendgraph.stores.incremental.build): each graph's sorted N-Triples and checksum, then one atomic
    ``sync_documents``; the store is closed at the end."""
    from sendgraph.stores import embedded as emb
    from sendgraph.stores.incremental import document_texts

    opened = emb.open_store(store_dir)
    documents, default = document_texts(dataset)
    emb.sync_documents(opened, documents, default=default)
    del opened
    gc.collect()


def memory_total_mib() -> float:
    total = proc_mib("/proc/meminfo", "MemTotal")
    return total if total is not None else 8192.0


def run(args) -> int:
    from sendgraph.read.extract import extract_paths
    from sendgraph.graph.build import build_graph
    from sendgraph.graph.files import write_graph
    from sendgraph.stores.named import list_queries, run_query

    rec = Recorder(Path(args.out), args.size, args.budget)
    corpus = Path(args.corpus)
    reports = len(list(corpus.glob("*.txt")))
    from common import RESULTS

    (RESULTS / "work").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"scale-{args.size}-", dir=RESULTS / "work"))
    repeat = args.repeat
    skip = set(args.skip)

    def skipped(key: str) -> bool:
        if key in skip:
            rec.done(key, error=f"skipped: over {args.query_cap:g} s at a smaller size (measured or projected)",
                     timed_out=args.query_cap, projected=True)
            return True
        if rec.remaining() < args.query_cap + 20:
            rec.done(key, error="skipped: not enough of the time budget left")
            return True
        return False

    try:
        rec.begin("extract")
        stats, extracted = timed_runs(lambda: extract_paths([corpus], jobs=2), low=repeat, high=repeat)
        records = extracted.records
        rec.done("extract", **stats, documents=len(records), errors=len(extracted.errors), reports=reports,
                 per_report=stats["median"] / max(reports, 1), workers_peak_rss_mib=round(children_peak_rss_mib(), 1))
        del extracted
        gc.collect()
        area = next((r.get("area") for r in records if r.get("area")), None)

        rec.begin("build_graph")
        stats, dataset = timed_runs(lambda: build_graph(records), low=repeat, high=repeat)
        triples = len(dataset)
        rec.done("build_graph", **stats, triples=triples, per_report=stats["median"] / max(reports, 1))
        names = [name for name, _ in list_queries()]
        variants = query_variants(names, area)

        # The embedded Oxigraph store: load, first open, then each query in its own process.
        from sendgraph.stores import embedded as emb

        if rec.remaining() > 30:
            if args.size <= 300:  # the atomic sync grows faster than the data: only where it is cheap
                rec.begin("store_sync")
                stats, _ = timed_runs(lambda: sync_like_build(work / "synced", dataset), low=1, high=1)
                rec.done("store_sync", **stats, per_report=stats["median"] / max(reports, 1))
                shutil.rmtree(work / "synced", ignore_errors=True)
            rec.begin("store_load")
            store_dir = work / "store"
            start = time.perf_counter()
            opened = emb.open_store(store_dir)
            emb.load_dataset(opened, dataset)
            elapsed = time.perf_counter() - start
            del opened
            gc.collect()
            disk = sum(p.stat().st_size for p in store_dir.rglob("*") if p.is_file())
            rec.done("store_load", **summary([elapsed]), per_report=elapsed / max(reports, 1),
                     disk_mib=round(disk / 2**20, 1))
            # The first open after a load replays RocksDB's write-ahead log (what the next `sendgraph query
            # --store` pays); it is written out then, so later opens are instant.
            rec.begin("store_first_open")
            start = time.perf_counter()
            opened = emb.open_store(store_dir)
            first = time.perf_counter() - start
            del opened
            gc.collect()
            start = time.perf_counter()
            opened = emb.open_store(store_dir)
            second = time.perf_counter() - start
            del opened
            gc.collect()
            rec.done("store_first_open", **summary([first]), second_open_s=round(second, 4))
            for mode in ("shipped",):
                for key, name, params, reordered in variants:
                    full_key = f"query_store_{mode}_{key}"
                    if skipped(full_key):
                        continue
                    rec.begin(full_key)
                    rec.done(full_key, label=variant_label(key, params),
                             **run_store_query(store_dir, name, mode, args.query_cap, reordered, params))
            shutil.rmtree(store_dir, ignore_errors=True)
        else:
            rec.done("store_load", error="skipped: not enough of the time budget left")

        # Queries on the built graph in memory (Oxigraph behind rdflib's API), each in a forked child so that a slow one can be stopped.
        # A fork of a big heap copies what the child touches (reference counts): not above a quarter of memory.
        too_big = peak_rss_mib() * 2 > memory_total_mib() * 0.5
        for key, name, params, reordered in variants:
            full_key = f"query_memory_{key}"
            if too_big:
                rec.done(full_key, error="skipped: the graph is too big to fork a query process safely")
                continue
            if skipped(full_key):
                continue
            text = query_text_for(name, reordered)
            rec.begin(full_key)
            value, why = in_fork(lambda: timed_runs(lambda: len(run_query(dataset, text, params).rows), low=3, high=5,
                                                    budget=2.0, cap=args.query_cap), args.query_cap + 3)
            if value is None:
                rec.done(full_key, error=why, timed_out=args.query_cap if "within" in (why or "") else None)
            else:
                rec.done(full_key, **value[0], rows=value[1], label=variant_label(key, params))

        # Serialisation.
        for fmt, suffix in (("ntriples", "nt"), ("turtle", "ttl")):
            key = f"write_{fmt}"
            if fmt == "turtle" and not args.turtle:
                continue
            if rec.remaining() < 20 + triples / 100_000 * (1 if fmt == "ntriples" else 8):
                rec.done(key, error="skipped: not enough of the time budget left")
                continue
            rec.begin(key)
            path = work / f"graph.{suffix}"
            stats, _ = timed_runs(lambda: write_graph(dataset, path, fmt), low=1, high=1)
            rec.done(key, **stats, mib=round(path.stat().st_size / 2**20, 1))
            path.unlink()

        # Views.
        if rec.remaining() > 30 + triples / 10_000:
            from sendgraph.site import write_site

            rec.begin("views")
            stats, written = timed_runs(lambda: write_site(dataset, work / "site"), low=1, high=1)
            largest = max(written, key=lambda p: p.stat().st_size)
            rec.done("views", **stats, pages=len(written), largest_page=largest.name,
                     largest_page_mib=round(largest.stat().st_size / 2**20, 2))
            shutil.rmtree(work / "site", ignore_errors=True)
        else:
            rec.done("views", error="skipped: not enough of the time budget left")
        rec.data["peak_rss_mib"] = round(peak_rss_mib(), 1)
        rec.flush()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    one = sub.add_parser("run")
    one.add_argument("size", type=int)
    one.add_argument("corpus")
    one.add_argument("--out", required=True)
    one.add_argument("--budget", type=float, default=600.0)
    one.add_argument("--repeat", type=int, default=1)
    one.add_argument("--query-cap", type=float, default=15.0)
    one.add_argument("--turtle", action="store_true")
    one.add_argument("--skip", action="append", default=[],
                     help="a stage key not to run (it timed out at a smaller size); may be repeated")
    q = sub.add_parser("store-query")
    q.add_argument("store")
    q.add_argument("name")
    q.add_argument("--mode", choices=("shipped",), default="shipped")
    q.add_argument("--cap", type=float, default=15.0)
    q.add_argument("--reordered", action="store_true")
    q.add_argument("--param", action="append", default=[], help="name=value, bound as in `sendgraph query --param`")
    args = parser.parse_args(argv)
    return run(args) if args.command == "run" else store_query(args)


if __name__ == "__main__":
    sys.exit(main())
