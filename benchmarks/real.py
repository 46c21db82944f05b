"""Benchmark of the real corpus, stage by stage, with the bare pypdfium2 text extraction floor in the same run.

Usage: python benchmarks/real.py [--out FILE] [--quick] [--no-browser] [--build-only] [--rounds N]

First, whole processes timed alternately in one run: the bare pypdfium2 text of the PDFs and
``sendgraph build CORPUS data`` with -j 1 and -j 2 (the ratio of each to the floor), and each
stage's share of a build (text, parse, tag, resolve, build, write); --build-only stops there.

Prints (or writes) JSON: one entry per stage with median, min and max over repeated runs. Run by
benchmarks/run.py; it can be run alone. The corpus is $SENDGRAPH_CORPUS or ../shared/corpus (PDFs)
plus the repository's data/ folder.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import RESULTS, ROOT, corpus_dir, emit, log, measure, peak_rss_mib, summary  # noqa: E402

DATA = ROOT / "data"


class Stages:
    """Collects stage results in order: name -> {group, label, median, min, max, ...}."""

    def __init__(self):
        self.items: dict[str, dict] = {}

    def add(self, key: str, group: str, label: str, stats: dict | None, **extra) -> None:
        entry = {"group": group, "label": label}
        if stats:
            entry.update(stats)
        entry.update(extra)
        self.items[key] = entry
        if stats:
            log(f"{label}: median {stats['median']:.3f} s (min {stats['min']:.3f}, max {stats['max']:.3f}, n={stats['n']})")
        else:
            log(f"{label}: {extra}")


def repeated(fn, low: int = 3, high: int = 5, budget: float = 8.0, warmup: int = 0):
    """Run fn at least `low` and at most `high` times, stopping once `budget` seconds are spent."""
    for _ in range(warmup):
        fn()
    runs, result, spent = [], None, 0.0
    while len(runs) < high and (len(runs) < low or spent < budget):
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
        spent += runs[-1]
    return summary(runs), result


def floor_text(pdfs: list[Path]) -> int:
    """The physical floor: pypdfium2 opens each PDF and reads the text of every page, nothing else."""
    import pypdfium2 as pdfium

    pages = 0
    for path in pdfs:
        pdf = pdfium.PdfDocument(str(path))
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    return pages


FLOOR_SCRIPT = ("import sys; from pathlib import Path; sys.path.insert(0, {bench!r}); from real import floor_text; "
                "floor_text([Path(p) for p in sys.argv[1:]])")
STAGES = ("text", "parse", "tag", "resolve", "build", "write")


def stage_shares(inputs: list[str], out: Path) -> dict:
    """Seconds of each stage of a build in this process, the way ``sendgraph build`` runs them: text
    (pdf_text, or the text of a text file), parse (parse_report without the theme tagging), tag
    (tagging.tag_findings: the cue rules and the theme model), resolve (the cross-document linking
    inside build_graph), build (the rest of build_graph) and write (Turtle to a file)."""
    import sendgraph.graph.build as build_module
    from sendgraph.graph.files import serialise
    from sendgraph.io import write_text_atomic
    from sendgraph.read import tagging
    from sendgraph.read.extract import document_text, iter_files, parse_report, read_bytes
    from sendgraph.read.pdftext import pdf_text

    spent = dict.fromkeys(STAGES, 0.0)

    def timed(stage, fn):
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[stage] += time.perf_counter() - start
        return wrapper

    tag, resolve = tagging.tag_findings, build_module.resolve
    tagging.tag_findings, build_module.resolve = timed("tag", tag), timed("resolve", resolve)
    try:
        files, _ = iter_files(inputs)
        records = []
        for path in files:
            start = time.perf_counter()
            data = read_bytes(path)
            text = pdf_text(data, path) if path.suffix.lower() == ".pdf" else document_text(data, path)
            spent["text"] += time.perf_counter() - start
            start = time.perf_counter()
            try:
                records += parse_report(text, str(path))
            except Exception:  # noqa: BLE001 - a file the build would refuse: not part of the build
                pass
            spent["parse"] += time.perf_counter() - start
        start = time.perf_counter()
        dataset = build_module.build_graph(records, build_module.build_root(inputs))
        spent["build"] += time.perf_counter() - start
        start = time.perf_counter()
        write_text_atomic(out, serialise(dataset, "turtle"))
        spent["write"] += time.perf_counter() - start
    finally:
        tagging.tag_findings, build_module.resolve = tag, resolve
    spent["parse"] -= spent["tag"]
    spent["build"] -= spent["resolve"]
    return spent


def fresh_stage_shares(inputs: list[str], work: Path) -> dict:
    """:func:`stage_shares` in a new process, as a build pays them (the theme tagger's patterns,
    say, are compiled on first use in every process: warm runs in one process would hide that)."""
    out = work / "shares.json"
    command = [sys.executable, str(Path(__file__).resolve()), "--stage-shares", str(out), "--", *inputs]
    subprocess.run(command, check=True, env=dict(os.environ, PYTHONWARNINGS="ignore"))
    import json

    return json.loads(out.read_text())


def side_by_side(pdfs: list[Path], inputs: list[str], work: Path, rounds: int) -> dict:
    """Whole processes timed alternately in one run: the bare pypdfium2 text of the PDFs (Python
    start-up included) and ``sendgraph build CORPUS data -j 1`` and ``-j 2``; medians, and the ratio
    of each round's build to that round's floor (so that load on the machine hits both alike)."""
    exe = Path(sys.executable).with_name("sendgraph")
    prefix = [str(exe)] if exe.exists() else [sys.executable, "-m", "sendgraph.cli"]
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    commands = {"floor": [sys.executable, "-c", FLOOR_SCRIPT.format(bench=str(Path(__file__).resolve().parent)),
                          *map(str, pdfs)]}
    for jobs in (1, 2):
        commands[f"j{jobs}"] = [*prefix, "build", *inputs, "-j", str(jobs), "-o", str(work / f"side-j{jobs}.ttl")]
    runs: dict[str, list[float]] = {key: [] for key in commands}
    for _ in range(rounds + 1):  # the first round warms the file cache and is not counted
        for key, command in commands.items():
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, env=env)
            elapsed = time.perf_counter() - start
            if done.returncode not in (0, 1):
                raise RuntimeError(f"{' '.join(command[:3])} failed: {done.stderr.strip()[-500:]}")
            runs[key].append(elapsed)
    out = {key: summary(values[1:]) for key, values in runs.items()}
    for key in ("j1", "j2"):
        ratios = [b / f for b, f in zip(runs[key][1:], runs["floor"][1:])]
        out[key]["ratio_to_floor"] = summary(ratios)
    return out


def browser_times(pages: list[tuple[str, Path]], repeat: int) -> dict:
    """Seconds from navigation start to the network canvas drawn (vis-network's first afterDrawing), per page."""
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        from support.browser import Browser, BrowserUnavailable
    except ImportError as exc:
        return {"error": f"tests/support/browser.py cannot be imported ({exc})"}
    # Record when the page marks itself drawn (body[data-drawn]), in the page's own clock.
    init = """
      new MutationObserver(function (records, observer) {
        if (document.body && document.body.getAttribute('data-drawn') === 'true') {
          window.__benchDrawnAt = performance.now(); observer.disconnect();
        }
      }).observe(document, {attributes: true, subtree: true, attributeFilter: ['data-drawn']});
    """
    out = {}
    try:
        with Browser() as browser:
            browser._context.add_init_script(init)
            for key, path in pages:
                in_page, wall = [], []
                for _ in range(repeat + 1):  # the first visit warms the browser up and is not counted
                    start = time.perf_counter()
                    visit = browser.open(path, timeout_ms=120000)
                    elapsed = time.perf_counter() - start
                    drawn = visit.page.evaluate("() => window.__benchDrawnAt || null")
                    counts = visit.page.evaluate("() => ({nodes: window.sendgraph.nodes.length, edges: window.sendgraph.edges.length})")
                    visit.page.close()
                    in_page.append(drawn / 1000 if drawn else elapsed)
                    wall.append(elapsed)
                out[key] = {"drawn": summary(in_page[1:]), "wall": summary(wall[1:]), "file_mib": path.stat().st_size / 2**20,
                            **counts}
    except BrowserUnavailable as exc:
        return {"error": str(exc)}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--query-cap", type=float, default=5.0, help="seconds after which a store query is stopped")
    parser.add_argument("--build-only", action="store_true",
                        help="only the whole build against the floor (side by side) and the stage shares")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the side-by-side timing (default 5)")
    parser.add_argument("--stage-shares", metavar="FILE", help=argparse.SUPPRESS)  # one fresh_stage_shares run
    parser.add_argument("inputs", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    few = 1 if args.quick else 3
    if args.stage_shares:
        import json

        out = Path(args.stage_shares)
        out.write_text(json.dumps(stage_shares(args.inputs, out.with_suffix(".ttl"))))
        return 0

    from sendgraph.read.extract import document_text, extract_paths, parse_report, read_bytes
    from sendgraph.read.pdftext import pdf_text

    corpus = corpus_dir()
    pdfs = sorted(corpus.glob("*.pdf")) if corpus else []
    texts = sorted(p for p in DATA.iterdir() if p.suffix in (".txt", ".text"))
    inputs = [str(corpus)] if corpus else []
    inputs.append(str(DATA))
    stages = Stages()
    result: dict = {"corpus": str(corpus) if corpus else None, "pdfs": len(pdfs), "text_files": len(texts),
                    "notes": [], "stages": stages.items}
    if corpus is None:
        result["notes"].append("no PDF corpus found ($SENDGRAPH_CORPUS or ../shared/corpus): only data/ was measured, "
                               "and there is no PDF floor")
    (RESULTS / "work").mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="real-", dir=RESULTS / "work"))
    try:
        # 0. The whole build as a user runs it against the floor, whole processes side by side, and
        #    where a build's time goes, stage by stage.
        if pdfs:
            rounds = 1 if args.quick else args.rounds
            log(f"whole build against the floor, side by side, {rounds} rounds ...")
            side = side_by_side(pdfs, inputs, work, rounds)
            labels = {"floor": f"bare pypdfium2 text of the {len(pdfs)} PDFs (a new process: python -c, start-up included)",
                      "j1": "sendgraph build CORPUS data -j 1 (a new process)",
                      "j2": "sendgraph build CORPUS data -j 2 (a new process)"}
            for key, label in labels.items():
                extra = {}
                if "ratio_to_floor" in side[key]:
                    ratio = side[key].pop("ratio_to_floor")
                    extra = {"ratio_to_floor": ratio["median"], "ratios": ratio}
                stages.add(f"side_{key}", "Whole build against the floor (side by side)", label, side[key], **extra)
        shares = [fresh_stage_shares(inputs, work) for _ in range(1 if args.quick else 3)]
        medians = {stage: sorted(run[stage] for run in shares)[len(shares) // 2] for stage in STAGES}
        result["stage_shares"] = {"seconds": medians, "runs": shares}
        log("stage shares: " + ", ".join(f"{k} {v:.2f} s" for k, v in medians.items()))
        if args.build_only:
            return 0
        if args.out:  # kept if the rest is stopped at run.py's time budget
            emit(result, args.out)
        # 1. PDF text: the floor and sendgraph's layout-preserving text, side by side.
        if pdfs:
            stats, pages = repeated(lambda: floor_text(pdfs), low=5 if not args.quick else 1, high=5, warmup=1)
            result["pages"] = pages
            stages.add("pdf_floor", "PDF text", f"bare pypdfium2 text, {len(pdfs)} PDFs ({pages} pages)", stats)
            blobs = [(read_bytes(p), p) for p in pdfs]
            stats, pdf_texts = measure(lambda: [pdf_text(data, path) for data, path in blobs], repeat=few)
            stages.add("pdf_text", "PDF text", "sendgraph.read.pdftext.pdf_text (layout, columns, paragraphs)", stats,
                       ratio_to_floor=stats["median"] / stages.items["pdf_floor"]["median"])
        else:
            pdf_texts = []
        all_texts = [(t, str(p)) for t, p in zip(pdf_texts, pdfs)]
        all_texts += [(document_text(read_bytes(p), p), str(p)) for p in texts]
        stats, _ = measure(lambda: [parse_report(t, s) for t, s in all_texts], repeat=few)
        stages.add("parse", "Extraction", f"parse_report, {len(all_texts)} files' text", stats)
        stats, extracted = measure(lambda: extract_paths(inputs, jobs=1), repeat=few)
        stages.add("extract_j1", "Extraction", "extract_paths (read+text+parse), jobs=1", stats)
        stats, extracted = measure(lambda: extract_paths(inputs, jobs=2), repeat=few)
        stages.add("extract_j2", "Extraction", "extract_paths, jobs=2", stats,
                   speedup=stages.items["extract_j1"]["median"] / stats["median"])
        records = extracted.records
        result["documents"] = len(records)
        result["extract_errors"] = [str(e) for e in extracted.errors]

        # 2. Graph.
        from sendgraph.graph.build import build_graph
        from sendgraph.graph.files import load_graph, write_graph

        stats, dataset = measure(lambda: build_graph(records), repeat=few)
        result["triples"] = len(dataset)
        stages.add("build_graph", "Graph", f"build_graph ({len(dataset)} triples)", stats)
        for fmt, suffix in (("turtle", "ttl"), ("ntriples", "nt")):
            path = work / f"graph.{suffix}"
            stats, _ = measure(lambda: write_graph(dataset, path, fmt), repeat=few)
            stages.add(f"write_{fmt}", "Graph", f"write_graph {fmt} ({path.stat().st_size / 2**20:.1f} MiB)", stats)
        for fmt, suffix in (("turtle", "ttl"), ("ntriples", "nt")):
            stats, _ = measure(lambda: load_graph(work / f"graph.{suffix}"), repeat=few)
            stages.add(f"load_{fmt}", "Graph", f"load_graph {fmt}", stats)

        from sendgraph.graph.validate import validate

        stats, (conforms, _report) = measure(lambda: validate(dataset), repeat=few)
        stages.add("shacl", "Graph", f"SHACL validate (conforms: {conforms})", stats)

        # 3. Named queries: the graph in memory and the embedded (on-disk) Oxigraph store.
        from scale import query_text_for, query_variants, run_store_query, variant_label
        from sendgraph.stores.named import list_queries, run_query

        names = [name for name, _ in list_queries()]
        variants = query_variants(names, "Middlesbrough")
        for key, name, params, reordered in variants:
            text = query_text_for(name, reordered)
            stats, res = repeated(lambda: run_query(dataset, text, params), budget=6.0)
            stages.add(f"query_memory_{key}", "Queries (graph in memory, Oxigraph via rdflib API)",
                       f"{variant_label(key, params)}: {len(res.rows)} rows", stats)
        from sendgraph.stores import embedded as emb

        def load_store():
            folder = Path(tempfile.mkdtemp(dir=work)) / "store"
            opened = emb.open_store(folder)
            emb.load_dataset(opened, dataset)
            return folder, opened

        stats, (store_dir, opened) = measure(load_store, repeat=few)
        del opened
        stages.add("store_load", "Queries (embedded Oxigraph)", "open_store + load_dataset", stats)
        from scale import sync_like_build

        stats, _ = measure(lambda: sync_like_build(Path(tempfile.mkdtemp(dir=work)) / "store", dataset), repeat=few)
        stages.add("store_sync", "Queries (embedded Oxigraph)",
                   "sorted N-Triples + checksums + sync_documents (what build --store DIR does)", stats)
        start = time.perf_counter()
        opened = emb.open_store(store_dir)
        first = time.perf_counter() - start
        del opened
        stages.add("store_first_open", "Queries (embedded Oxigraph)",
                   "first open_store after the load (replays the write-ahead log)", summary([first]))
        for mode in ("shipped",):
            group = "Queries (embedded Oxigraph, sendgraph.stores.embedded.query)"
            for key, name, params, reordered in variants:
                timed = run_store_query(store_dir, name, mode, args.query_cap, reordered, params)
                label = variant_label(key, params)
                if "error" in timed:
                    stages.add(f"query_store_{mode}_{key}", group, label, None, **timed)
                else:
                    stages.add(f"query_store_{mode}_{key}", group, f"{label}: {timed['rows']} rows", timed)

        # 4. Exports.
        from sendgraph.graph.export import export

        for fmt in ("csv", "graphml", "gexf"):
            stats, _ = measure(lambda: export(dataset, fmt, work / f"export.{fmt}"), repeat=few)
            stages.add(f"export_{fmt}", "Exports", f"export {fmt}", stats)

        # 5. Views.
        from sendgraph.site import site_views, write_site

        stats, views = measure(lambda: site_views(dataset), repeat=few)
        stages.add("views_compute", "Views", f"site_views: the {len(views)} views' graphs and layouts", stats)
        areas = []
        for view in views:
            stats, html = measure(view.render, repeat=few)
            key = f"view_{view.slug}"
            extra = {"nodes": view.graph.number_of_nodes(), "edges": view.graph.number_of_edges(), "mib": len(html) / 2**20}
            if view.group == "Areas":
                areas.append((stats, extra))
                stages.items[key] = {"group": "Views (each area)", "label": view.title, **stats, **extra, "hidden": True}
            else:
                stages.add(key, "Views", f"render {view.title} ({extra['nodes']} nodes, {extra['edges']} links, "
                           f"{extra['mib']:.1f} MiB)", stats, **extra)
        if areas:
            slowest = max(areas, key=lambda a: a[0]["median"])
            total = sum(a[0]["median"] for a in areas)
            stages.items["views_areas"] = {"group": "Views", "label": f"render each of {len(areas)} area pages: "
                                           f"slowest {slowest[1]['nodes']} nodes (total of medians {total:.2f} s)",
                                           **slowest[0]}
        site = work / "site"
        stats, written = measure(lambda: write_site(dataset, site), repeat=few)
        stages.add("write_site", "Views", f"write_site: all {len(written)} pages (compute + render + write)", stats)

        # 6. The browser: the whole-graph view of the full corpus, and the largest area page, drawn.
        if not args.no_browser:
            largest = max((v for v in views if v.group == "Areas"), key=lambda v: v.graph.number_of_nodes(), default=None)
            pages = [("whole-graph", site / f"{views[0].slug}.html")]
            if largest is not None:
                pages.append((f"largest area ({largest.title})", site / largest.filename))
            timed = browser_times(pages, repeat=few)
            if "error" in timed:
                result["notes"].append(f"browser not measured: {timed['error']}")
                log(f"browser not measured: {timed['error']}")
            for key, value in timed.items():
                if key == "error":
                    continue
                stages.add(f"browser_{key}", "Browser (Chromium, headless)",
                           f"{key} view: navigation to canvas drawn ({value['nodes']} nodes, {value['edges']} links, "
                           f"{value['file_mib']:.1f} MiB)", value["drawn"], wall=value["wall"])

        # 7. The whole build as a user runs it, against the floor.
        exe = Path(sys.executable).with_name("sendgraph")
        command = [str(exe) if exe.exists() else sys.executable, *([] if exe.exists() else ["-m", "sendgraph.cli"]),
                   "build", *inputs, "-j", "2", "-o", str(work / "cli.ttl")]
        env = dict(os.environ, PYTHONWARNINGS="ignore")

        def cli_build():
            done = subprocess.run(command, capture_output=True, text=True, env=env)
            if done.returncode not in (0, 1):
                raise RuntimeError(f"sendgraph build failed: {done.stderr.strip()[-500:]}")
            return done

        stats, _ = measure(cli_build, repeat=few)
        extra = {}
        if "pdf_floor" in stages.items:
            extra["ratio_to_floor"] = stats["median"] / stages.items["pdf_floor"]["median"]
        stages.add("whole_build", "Whole build", "sendgraph build CORPUS data -j 2 -o graph.ttl (new process, "
                   "start-up included)", stats, **extra)
        start_cmd = [command[0], *command[1:2], "--version"] if not exe.exists() else [command[0], "--version"]
        stats, _ = measure(lambda: subprocess.run(start_cmd, capture_output=True, env=env), repeat=few)
        stages.add("cli_startup", "Whole build", "sendgraph --version (start-up alone)", stats)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        result["peak_rss_mib"] = peak_rss_mib()
        emit(result, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
