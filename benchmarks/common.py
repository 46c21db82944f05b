"""Shared helpers of the benchmark scripts: timing with repeats, peak memory, where things are.

Benchmarks are scripts that print figures, never timed tests.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "benchmarks"
RESULTS = BENCH / "results"


def corpus_dir() -> Path | None:
    """The real PDF corpus: $SENDGRAPH_CORPUS, else ../shared/corpus next to the repository (None if absent)."""
    given = os.environ.get("SENDGRAPH_CORPUS")
    candidates = [Path(given)] if given else [ROOT.parent / "shared" / "corpus", ROOT / ".." / "shared" / "corpus"]
    for candidate in candidates:
        if candidate.is_dir() and any(candidate.glob("*.pdf")):
            return candidate.resolve()
    return None


def summary(runs: list[float]) -> dict:
    """median, min and max of repeated timings (seconds), and the runs themselves."""
    return {"median": statistics.median(runs), "min": min(runs), "max": max(runs), "n": len(runs),
            "runs": [round(r, 6) for r in runs]}


def measure(fn, repeat: int = 3, warmup: int = 0, setup=None):
    """Time fn() `repeat` times (after `warmup` untimed calls); returns (summary, last result).

    ``setup`` (untimed) runs before each call and its result is passed to fn.
    """
    result = None
    for _ in range(warmup):
        result = fn(setup()) if setup else fn()
    runs = []
    for _ in range(repeat):
        arg = setup() if setup else None
        gc.collect()
        start = time.perf_counter()
        result = fn(arg) if setup else fn()
        runs.append(time.perf_counter() - start)
    return summary(runs), result


def proc_mib(path: str, field: str) -> float | None:
    """A kB field of a Linux /proc file ("/proc/self/status" VmHWM, "/proc/meminfo" MemTotal) in MiB, or None."""
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_rss_mib() -> float:
    """This process's peak resident memory so far (VmHWM), in MiB."""
    peak = proc_mib("/proc/self/status", "VmHWM")
    return peak if peak is not None else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def children_peak_rss_mib() -> float:
    """The largest peak resident memory of any waited-for child process (e.g. extraction workers), in MiB."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def reset_peak_rss() -> bool:
    """Reset this process's VmHWM so the next stage's peak can be read on its own (Linux; False if refused)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def rss_mib() -> float:
    return proc_mib("/proc/self/status", "VmRSS") or 0.0


def machine() -> dict:
    """What the figures were measured on."""
    import platform

    info = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        info["packages"] = {name: version(name) for name in ("rdflib", "pyoxigraph", "pypdfium2", "pyshacl", "networkx")}
    except Exception:  # noqa: BLE001 - informational only
        pass
    return info


def emit(obj, path: str | None) -> None:
    """Write a JSON result to path (or standard output)."""
    text = json.dumps(obj, indent=1, sort_keys=False, default=str)
    if path:
        Path(path).write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


def log(message: str) -> None:
    """Progress on standard error (the table is printed at the end)."""
    sys.stderr.write(f"[bench {time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def in_fork(fn, timeout: float):
    """Run fn() in a forked child (it sees this process's memory); (value, None), or (None, why) when it
    failed or did not finish within timeout seconds (the child is then killed). Linux only."""
    import multiprocessing as mp

    ctx = mp.get_context("fork")
    receive, send = ctx.Pipe(duplex=False)

    def target():
        try:
            send.send(("ok", fn()))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            send.send(("error", f"{type(exc).__name__}: {exc}"))

    child = ctx.Process(target=target, daemon=True)
    child.start()
    send.close()
    try:
        if receive.poll(timeout):
            status, value = receive.recv()
            child.join()
            return (value, None) if status == "ok" else (None, value)
        return None, f"did not finish within {timeout:g} s"
    except EOFError:
        return None, "the child process died"
    finally:
        if child.is_alive():
            child.kill()
            child.join()
        receive.close()


def timed_runs(fn, low: int = 3, high: int = 5, budget: float = 5.0, cap: float | None = None):
    """Run fn at least `low` and at most `high` times, stopping once `budget` seconds are spent, or earlier
    when another run would pass `cap` seconds in all; returns (summary, last result)."""
    runs, result, spent = [], None, 0.0
    while len(runs) < high and (len(runs) < low or spent < budget):
        if cap is not None and runs and spent + runs[-1] > cap:
            break
        gc.collect()
        start = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - start)
        spent += runs[-1]
    return summary(runs), result
