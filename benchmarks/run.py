"""`make bench`: how fast sendgraph is, from the real corpus to generated corpora of 10,000 reports.

Runs, each in a fresh process:
  1. benchmarks/real.py: the real corpus ($SENDGRAPH_CORPUS or ../shared/corpus PDFs, plus data/)
     stage by stage, with the bare pypdfium2 text extraction floor in the same run;
  2. benchmarks/scale.py for each size of the series (corpora made by benchmarks/generate.py,
     kept under benchmarks/results/corpora/): extraction, build, peak memory, triples, named
     queries on the memory store and on the embedded Oxigraph store, views.
Prints one table (median and min-max over the repeated runs) and writes everything to
benchmarks/results/bench.json. The whole run keeps to a time budget (default 12 minutes, so that
`make bench` on a fresh clone, installation included, stays within 15): a stage that does not fit
is stopped and shown as such, never silently left out.

Usage: python benchmarks/run.py [--sizes 100,1000,10000] [--budget SECONDS] [--quick] [--no-browser]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH, RESULTS, log, machine  # noqa: E402

PY = sys.executable
SEED = 20240607
GiB = 1024.0  # MiB


# ---------------------------------------------------------------------------------------------
# Running the parts
# ---------------------------------------------------------------------------------------------


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MiB (0 when gone)."""
    total = 0.0
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1]) / 1024
    except OSError:
        return total
    return total + sum(tree_rss_mib(int(child)) for child in children)


def run_part(command: list[str], timeout: float, env=None) -> dict:
    """Run a benchmark part, polling its memory; stop it (and its children) at timeout."""
    start = time.time()
    process = subprocess.Popen(command, env=env, start_new_session=True)
    peak = 0.0
    stopped = False
    while process.poll() is None:
        peak = max(peak, tree_rss_mib(process.pid))
        if time.time() - start > timeout:
            stopped = True
            try:
                os.killpg(process.pid, 9)
            except OSError:
                pass
            process.wait()
            break
        time.sleep(0.25)
    return {"returncode": process.returncode, "stopped": stopped, "elapsed": time.time() - start,
            "tree_peak_rss_mib": round(peak, 1)}


def corpus_for(size: int) -> tuple[Path, float | None]:
    """The generated corpus of `size` reports (reused when the generator and seed are unchanged)."""
    generator = BENCH / "generate.py"
    stamp = hashlib.sha256(generator.read_bytes()).hexdigest()[:16] + f"-{SEED}-{size}"
    folder = RESULTS / "corpora" / str(size)
    marker = folder / ".generated"
    if marker.is_file() and marker.read_text().strip() == stamp:
        return folder, None
    if folder.exists():
        for old in folder.glob("*.txt"):
            old.unlink()
    start = time.perf_counter()
    subprocess.run([PY, str(generator), str(size), str(folder), "--seed", str(SEED)], check=True,
                   stdout=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    marker.write_text(stamp + "\n")
    return folder, elapsed


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


def secs(value: float) -> str:
    if value >= 100:
        return f"{value:.0f} s"
    if value >= 1:
        return f"{value:.2f} s"
    return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value * 1000:.0f} ms"


def cell(entry: dict | None) -> str:
    """median (min-max) of a stage, or why it has no figure."""
    if not entry:
        return "-"
    if "median" in entry:
        text = secs(entry["median"])
        if entry.get("n", 1) > 1:
            text += f" ({secs(entry['min'])}-{secs(entry['max'])})"
        return text
    if entry.get("timed_out"):
        return f"> {entry['timed_out']:g} s"
    return entry.get("error", "-")


def cold_warm(entry: dict | None) -> str:
    """A store query's first run in a new process (cold) and the median of the runs after it (warm)."""
    if entry and "cold" in entry:
        warm = secs(entry["warm"]) if entry.get("warm") is not None else "-"
        return f"cold {secs(entry['cold'])}, warm {warm}"
    return cell(entry)


def real_table(real: dict) -> list[str]:
    lines = []
    if "error" in real:
        return [f"Real corpus: not measured ({real['error']})"]
    pages = real.get("pages")
    lines.append(f"### Real corpus: {real['pdfs']} PDFs ({pages} pages) + {real['text_files']} text files "
                 f"-> {real.get('documents')} documents, {real.get('triples')} triples")
    lines.append("")
    lines.append("| stage | median (min-max) | runs |")
    lines.append("|---|---|---|")
    group = None
    for key, entry in real["stages"].items():
        if entry.get("hidden"):
            continue
        if entry["group"] != group:
            group = entry["group"]
            lines.append(f"| **{group}** | | |")
        extra = ""
        if "ratio_to_floor" in entry:
            extra = f" = **{entry['ratio_to_floor']:.1f}x the floor**"
        if "speedup" in entry:
            extra = f" ({entry['speedup']:.2f}x jobs=1)"
        lines.append(f"| {entry['label']} | {cell(entry)}{extra} | {entry.get('n', '')} |")
    lines += [""] + shares_lines(real)
    for note in real.get("notes", []):
        lines.append(f"\nNote: {note}")
    return lines


def shares_lines(real: dict) -> list[str]:
    """Each stage's share of the whole build (-j 1): the stages timed in one process, and the rest of
    the new process's time (start-up, the worker process, moving records between processes)."""
    shares = (real.get("stage_shares") or {}).get("seconds")
    if not shares:
        return ["Stage shares: not measured"]
    whole = (real.get("stages", {}).get("side_j1") or {}).get("median")
    total = sum(shares.values())
    parts = dict(shares)
    if whole and whole > total:
        parts["start-up, workers, other"] = whole - total
        total = whole
    head = "| | " + " | ".join(parts) + " |"
    lines = ["Where the build's time goes (`-j 1`; stages timed in a new process, as a build pays them, medians of 3; the rest of "
             "the whole process's time is start-up, the worker process and passing records):", "", head,
             "|---" * (len(parts) + 1) + "|",
             "| seconds | " + " | ".join(f"{v:.2f}" for v in parts.values()) + " |",
             "| share | " + " | ".join(f"{100 * v / total:.0f}%" for v in parts.values()) + " |"]
    return lines


SCALE_ROWS = [
    ("extract", "extraction, jobs=2"),
    ("build_graph", "build_graph"),
    ("write_ntriples", "write N-Triples"),
    ("write_turtle", "write Turtle"),
    ("views", "views (write_site, all pages)"),
    ("store_load", "embedded store: open_store + load_dataset"),
    ("store_sync", "embedded store: sorted N-Triples + atomic sync_documents (build --store)"),
    ("store_first_open", "embedded store: first open after the load"),
]


def scale_table(series: list[dict], names: list[str]) -> list[str]:
    sizes = [s["size"] for s in series]
    head = "| | " + " | ".join(f"{n:,} reports" for n in sizes) + " |"
    lines = ["### Scale series (generated 2023-framework reports; each size in a fresh process)", "", head,
             "|---" * (len(sizes) + 1) + "|"]

    def row(label, values):
        lines.append(f"| {label} | " + " | ".join(values) + " |")

    def stage(s, key):
        return s.get("stages", {}).get(key)

    def per_report(s, key):
        e = stage(s, key)
        if e and "median" in e:
            return f"{e['median'] / s['size'] * 1000:.1f} ms"
        return cell(e)

    row("generate corpus", [secs(s["generate_s"]) if s.get("generate_s") else "reused" for s in series])
    for key, label in SCALE_ROWS:
        if not any(stage(s, key) for s in series):
            continue
        row(label, [cell(stage(s, key)) for s in series])
        if key in ("extract", "build_graph", "store_load", "store_sync"):
            row(f"  per report", [per_report(s, key) for s in series])
    row("**extraction + build per report**", [f"**{v * 1000:.1f} ms**" if v else "-" for v in (total_per_report(s) for s in series)])
    row("triples", [f"{stage(s, 'build_graph')['triples']:,}" if stage(s, "build_graph") and "triples" in stage(s, "build_graph") else "-" for s in series])
    row("**peak memory: extraction + build**", [f"**{build_peak(s) / GiB:.2f} GiB**" if build_peak(s) else "-" for s in series])
    row("  peak memory: whole size run (store, queries, views too)", [f"{peak_of(s) / GiB:.2f} GiB" if peak_of(s) else "-" for s in series])
    row("  extraction workers (each)", [f"{stage(s, 'extract')['workers_peak_rss_mib']:.0f} MiB" if stage(s, "extract") and "workers_peak_rss_mib" in stage(s, "extract") else "-" for s in series])
    for prefix, title in (("query_memory_", "built graph in memory (Oxigraph)"),
                          ("query_store_shipped_", "embedded Oxigraph, sendgraph.stores.embedded.query")):
        lines.append(f"| *queries: {title}* |" + " |" * len(sizes))
        keys = []
        for s in series:
            keys += [k[len(prefix):] for k in s.get("stages", {}) if k.startswith(prefix) and k[len(prefix):] not in keys]
        for key in keys:
            entries = [stage(s, prefix + key) for s in series]
            label = next((e["label"] for e in entries if e and e.get("label")), key)
            row(f"  {label}", [(cold_warm(e) if prefix.startswith("query_store") else cell(e)) for e in entries])
    for s in series:
        for note in s.get("notes", []):
            lines.append(f"\nNote ({s['size']:,} reports): {note}")
    return lines


def peak_of(s: dict) -> float | None:
    """Peak resident memory of the size's build process (VmHWM after each stage; forked query children apart)."""
    values = [e.get("peak_rss_mib_so_far") for e in s.get("stages", {}).values() if e.get("peak_rss_mib_so_far")]
    values.append(s.get("peak_rss_mib") or 0)
    return max(values) or None


def build_peak(s: dict) -> float | None:
    """Peak resident memory of the build process when build_graph has finished (extraction included)."""
    entry = s.get("stages", {}).get("build_graph") or {}
    return entry.get("peak_rss_mib_so_far") if "median" in entry else None


def total_per_report(s: dict) -> float | None:
    e, b = s.get("stages", {}).get("extract"), s.get("stages", {}).get("build_graph")
    if e and b and "median" in e and "median" in b:
        return (e["median"] + b["median"]) / s["size"]
    return None


def targets(real: dict, series: list[dict], names: list[str]) -> list[tuple[str, str, str]]:
    """(target, measured, verdict) rows."""
    out = []
    stages = real.get("stages", {})
    floor = stages.get("side_floor")
    for key, label in (("side_j1", "-j 1"), ("side_j2", "-j 2")):
        whole = stages.get(key)
        target = f"whole build of the real corpus, `{label}`, within 3x bare pypdfium2 text (new processes, side by side)"
        if whole and floor and "ratio_to_floor" in whole:
            ratio, spread = whole["ratio_to_floor"], whole.get("ratios", {})
            rng = f", rounds {spread['min']:.1f}-{spread['max']:.1f}x" if spread.get("n", 1) > 1 else ""
            out.append((target, f"{ratio:.1f}x ({secs(whole['median'])} vs {secs(floor['median'])}{rng})",
                        "met" if ratio <= 3 else "MISSED"))
        else:
            out.append((target, "not measured", "NOT MEASURED"))
    by_size = {s["size"]: s for s in series}
    big, mid = by_size.get(10000), by_size.get(1000)
    if big and mid and total_per_report(mid):
        t_big, t_mid = total_per_report(big), total_per_report(mid)
        if t_big:
            ratio = t_big / t_mid
            out.append(("time per report at 10,000 <= 1.2x that at 1,000 (extraction + build)",
                        f"{ratio:.2f}x ({t_big * 1000:.1f} vs {t_mid * 1000:.1f} ms)", "met" if ratio <= 1.2 else "MISSED"))
        else:
            e = big.get("stages", {}).get("extract")
            b = big.get("stages", {}).get("build_graph") or {}
            if e and "median" in e and b.get("timed_out"):
                low = (e["median"] + b["timed_out"]) / 10000
                # a lower bound under the target says nothing yet
                out.append(("time per report at 10,000 <= 1.2x that at 1,000",
                            f"> {low / t_mid:.2f}x (build not finished in {b['timed_out']:.0f} s)",
                            "MISSED" if low / t_mid > 1.2 else "NOT MEASURED"))
            else:
                out.append(("time per report at 10,000 <= 1.2x that at 1,000", "10,000 not measured", "NOT MEASURED"))
    if big:
        peak = build_peak(big)
        if peak:
            out.append(("peak memory at 10,000 reports under 4 GiB (extraction + build)", f"{peak / GiB:.2f} GiB",
                        "met" if peak < 4 * GiB else "MISSED"))
        elif peak_of(big):
            peak = peak_of(big)
            out.append(("peak memory at 10,000 reports under 4 GiB", f">= {peak / GiB:.2f} GiB (build not finished)",
                        "MISSED" if peak >= 4 * GiB else "NOT MEASURED"))
        else:
            out.append(("peak memory at 10,000 reports under 4 GiB", "not measured", "NOT MEASURED"))
    for mode, what in (("shipped", "sendgraph.stores.embedded.query"),):
        measured = [s for s in series if any(k.startswith(f"query_store_{mode}_") and
                                             ("median" in e or (e.get("timed_out") and not e.get("projected")))
                                             for k, e in s.get("stages", {}).items())]
        largest = max(measured, key=lambda s: s["size"], default=None)
        if not largest:
            continue
        worst = []
        for key in [k[len(f"query_store_{mode}_"):] for k in largest["stages"] if k.startswith(f"query_store_{mode}_")]:
            e = largest["stages"].get(f"query_store_{mode}_{key}") or {}
            slowest = max(e.get("cold") or 0, e.get("warm") or 0, e.get("median") or 0) or e.get("timed_out") or float("inf")
            worst.append((slowest, key, cold_warm(e)))
        slow = [w for w in worst if w[0] >= 0.2]
        label = (f"every named query under 200 ms, cold and warm, on the embedded store ({what}) at "
                 f"{largest['size']:,} reports")
        if largest["size"] != max(s["size"] for s in series):
            label += f" (the largest size measured within the time budget)"
        out.append((label, "; ".join(f"{n} {c}" for _, n, c in sorted(worst, reverse=True)[:3]) + " (slowest 3)",
                    "met" if not slow else f"MISSED ({len(slow)} of {len(worst)})"))
    browser = real.get("stages", {}).get("browser_whole-graph")
    if browser and "median" in browser:
        out.append(("whole-graph view of the real corpus drawn by the browser within 3 s", secs(browser["median"]),
                    "met" if browser["median"] <= 3 else "MISSED"))
    else:
        out.append(("view drawn by the browser within 3 s", "not measured", "NOT MEASURED"))
    return out


def render(report: dict, names: list[str]) -> str:
    """The table (Markdown) of a run's results."""
    real, series = report["real"], report["series"]
    lines = [f"sendgraph benchmarks, {report['started']}: {report['machine'].get('cpus')} CPUs "
             f"({report['machine'].get('cpu', '?')}), {report['machine'].get('memory_gib', '?')} GiB, Python "
             f"{report['machine'].get('python')}; load average at start {report['machine'].get('load_average')}", ""]
    lines += real_table(real) + [""]
    lines += scale_table(series, names) + [""]
    lines += ["### Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {v} |" for t, m, v in targets(real, series, names)]
    budget_text = "no budget (--full)" if report.get("full") else f"budget {report['budget_s']:.0f} s"
    lines += ["", f"Whole benchmark: {report['elapsed_s']:.0f} s ({budget_text}); query cap {report.get('query_cap', 5):g} s. "
              f"JSON: {report.get('out')}"]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,10000")
    parser.add_argument("--budget", type=float, default=720.0, help="seconds for the whole run (default 12 minutes)")
    parser.add_argument("--quick", action="store_true", help="one run per stage and small sizes: a smoke test")
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-real", action="store_true", help="only the scale series")
    parser.add_argument("--query-cap", type=float, default=5.0, help="seconds after which one query is stopped")
    parser.add_argument("--full", action="store_true",
                        help="no time budget: every stage at every size (10,000 reports take about 15 minutes and 6 GiB)")
    parser.add_argument("--out", default=str(RESULTS / "bench.json"))
    parser.add_argument("--table", metavar="JSON", help="print the table of an earlier run's JSON again, and stop")
    args = parser.parse_args(argv)
    if args.table:
        from sendgraph.stores.named import list_queries

        print(render(json.loads(Path(args.table).read_text()), [name for name, _ in list_queries()]))
        return 0
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.full:
        args.budget = 10**7
    if args.quick and args.sizes == "100,1000,10000":
        sizes = [100, 1000]
    RESULTS.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(RESULTS / "work", ignore_errors=True)  # left by a run that was stopped
    started = time.time()
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    report = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M:%S"), "budget_s": args.budget,
              "sizes": sizes}

    # 1. The real corpus.
    real_out = RESULTS / "real.json"
    real_out.unlink(missing_ok=True)
    command = [PY, str(BENCH / "real.py"), "--out", str(real_out), "--query-cap", str(args.query_cap)]
    command += ["--quick"] if args.quick else []
    command += ["--no-browser"] if args.no_browser else []
    if args.no_real:
        real = {"error": "not run (--no-real)"}
    else:
        log("real corpus ...")
        status = run_part(command, timeout=0.45 * args.budget, env=env)
        real = json.loads(real_out.read_text()) if real_out.is_file() else {"error": f"real.py failed: {status}"}
        real["run"] = status
    report["real"] = real

    # 2. The scale series.
    from sendgraph.stores.named import list_queries

    names = [name for name, _ in list_queries()]
    series = []
    skip: set[str] = set()
    previous = None
    for position, size in enumerate(sizes):
        remaining = args.budget - (time.time() - started)
        if remaining < 30:
            series.append({"size": size, "stages": {}, "notes": ["not run: the time budget was spent"]})
            continue
        folder, generated = corpus_for(size)
        remaining = args.budget - (time.time() - started)
        last = position == len(sizes) - 1
        # The largest size needs about 300 s for extraction and build alone (10,000 reports here).
        reserve = 0 if last else min(310.0 * max(sizes[-1], 1) / 10000, 0.55 * remaining)
        budget = remaining if last else max(30.0, remaining - reserve)
        if previous is not None:  # queries already over the cap, or projected over it at this size
            for key, entry in previous.get("stages", {}).items():
                if not key.startswith("query_"):
                    continue
                if entry.get("timed_out") or ("median" in entry and
                                              entry["median"] * size / previous["size"] > args.query_cap):
                    skip.add(key)
        out = RESULTS / f"scale-{size}.json"
        out.unlink(missing_ok=True)
        command = [PY, str(BENCH / "scale.py"), "run", str(size), str(folder), "--out", str(out), "--budget", str(budget),
                   "--query-cap", str(args.query_cap), "--repeat", "3" if size <= 100 and not args.quick else "1"]
        if size <= 100:
            command.append("--turtle")
        for key in sorted(skip):
            command += ["--skip", key]
        log(f"{size} reports: budget {budget:.0f} s ...")
        status = run_part(command, timeout=budget + 10, env=env)
        result = json.loads(out.read_text()) if out.is_file() else {"size": size, "stages": {}, "notes": []}
        result["generate_s"] = generated
        result["run"] = status
        result["tree_peak_rss_mib"] = status["tree_peak_rss_mib"]
        current = result.get("current")
        if current:  # stopped at the time budget in the middle of a stage
            spent = time.time() - current["started"]
            result["stages"][current["stage"]] = {"error": f"not finished within {spent:.0f} s (time budget)",
                                                  "timed_out": round(spent)}
            result["notes"].append(f"stopped at the time budget during {current['stage']} (after {spent:.0f} s); "
                                   "later stages not run")
        series.append(result)
        previous = result
    report["series"] = series
    shutil.rmtree(RESULTS / "work", ignore_errors=True)
    report["elapsed_s"] = round(time.time() - started, 1)

    report["full"] = args.full
    report["query_cap"] = args.query_cap
    report["out"] = args.out
    report["table"] = render(report, names)
    table = report["table"]
    Path(args.out).write_text(json.dumps(report, indent=1, default=str) + "\n", encoding="utf-8")
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
