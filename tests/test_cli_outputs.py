"""The real command's outputs when things go wrong around it: Ctrl-C, a full or closed standard output, special files as -o (each in its own process, as a user runs it)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from support.paths import CORPUS, DATA

SENDGRAPH = str(Path(sys.executable).with_name("sendgraph"))


def _interrupt_when(command: list, wanted: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the command, send SIGINT once its standard error shows ``wanted``; its result."""
    proc = subprocess.Popen([SENDGRAPH, *map(str, command)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = []
    deadline = time.monotonic() + timeout
    for line in proc.stderr:
        seen.append(line)
        if wanted in line:
            proc.send_signal(signal.SIGINT)
            break
        assert time.monotonic() < deadline, seen
    out, err = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(command, proc.returncode, out, "".join(seen) + err)


def test_ctrl_c_exits_130_saying_what_the_output_is(tmp_path):
    out = tmp_path / "graph.ttl"
    out.write_text("the previous graph\n")
    pdfs = sorted(CORPUS.glob("*.pdf"))
    result = _interrupt_when(["build", "-v", DATA, *pdfs, "-o", out], "extracted")
    assert result.returncode == 130, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith("Error: interrupted: ") and "Traceback" not in result.stderr and "Aborted" not in result.stderr
    assert "half-written" in last or "not written" in last
    assert out.read_text() == "the previous graph\n"  # untouched
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]  # no temporary file left


def test_ctrl_c_of_a_store_build_says_the_store_is_unchanged(tmp_path):
    store = tmp_path / "store"
    first = subprocess.run([SENDGRAPH, "build", DATA, "--store", store], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = subprocess.run([SENDGRAPH, "query", "area-inspections", "-p", "area=Hartlepool", "--store", store, "-f", "csv"], capture_output=True, text=True)
    pdfs = sorted(CORPUS.glob("*.pdf"))
    result = _interrupt_when(["build", "-v", DATA, *pdfs, "--store", store], "extracted")
    assert result.returncode == 130, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last == "Error: interrupted: the store is unchanged (nothing was stored before the interruption)"
    after = subprocess.run([SENDGRAPH, "query", "area-inspections", "-p", "area=Hartlepool", "--store", store, "-f", "csv"], capture_output=True, text=True)
    assert after.returncode == 0 and after.stdout == before.stdout


def test_a_full_or_closed_standard_output_is_one_line_never_a_traceback(tmp_path):
    graph = tmp_path / "g.ttl"
    assert subprocess.run([SENDGRAPH, "build", DATA, "-o", graph], capture_output=True).returncode == 0
    for command in (["--help"], ["--version"], ["export", "-f", "turtle", "-g", graph], ["query", "area-inspections", "-p", "area=Hartlepool", "-g", graph]):
        with open("/dev/full", "w") as full:
            proc = subprocess.run([SENDGRAPH, *map(str, command)], stdout=full, stderr=subprocess.PIPE, text=True)
        assert proc.returncode == 2, (command, proc.stderr)
        assert proc.stderr == "Error: cannot write to standard output: No space left on device\n", (command, proc.stderr)
    # A reader that goes away (head): no traceback, no "Exception ignored".
    shell = f"{SENDGRAPH} export -f ntriples -g {graph} | head -c 100 > /dev/null"
    proc = subprocess.run(["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True)
    assert proc.stderr == "", proc.stderr


def test_special_files_as_output_are_refused_before_any_work(tmp_path):
    fifo = tmp_path / "graph.ttl"
    os.mkfifo(fifo)
    proc = subprocess.run([SENDGRAPH, "build", DATA, "-o", fifo], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr == f"Error: {fifo}: is a FIFO, not a regular file: sendgraph only writes regular files (use - for standard output)\n"
    link = tmp_path / "link.ttl"
    target = tmp_path / "real.ttl"
    target.write_text("old\n")
    link.symlink_to(target)
    proc = subprocess.run([SENDGRAPH, "build", DATA, "-o", link], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and link.is_symlink() and target.read_text().startswith("@prefix")
    if os.geteuid() == 0 and shutil.which("mknod"):
        device = tmp_path / "null.ttl"
        os.mknod(device, 0o666 | 0o020000, os.makedev(1, 3))
        proc = subprocess.run([SENDGRAPH, "build", DATA, "-o", device], capture_output=True, text=True, timeout=60)
        assert proc.returncode == 2 and "is a character device" in proc.stderr


def test_no_file_takes_the_batch_down(tmp_path):
    """A self-drawing form XObject, a decompression bomb, a file of 20,000 pages and a page tree listing
    one page 20,000 times each get one line naming the file and the limit; the good report is built;
    no worker grows past the cap."""
    import resource

    from support import badfiles

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "self-drawing.pdf").write_bytes(badfiles.self_drawing_pdf())
    (folder / "bomb.pdf").write_bytes(badfiles.deflate_bomb_pdf(512))
    (folder / "endless.pdf").write_bytes(badfiles.shared_stream_pdf(badfiles.hartlepool_text(), 20000))
    (folder / "repeated.pdf").write_bytes(badfiles.repeated_page_tree_pdf(badfiles.hartlepool_text(), 20000))
    shutil.copy(DATA / "middlesbrough-2023-area-send-inspection.txt", folder)
    out = tmp_path / "graph.ttl"
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    for jobs in ("1", "2"):
        proc = subprocess.run([SENDGRAPH, "build", folder, "-o", out, "-j", jobs, "--memory-limit", "400",
                               "--time-limit", "6"], capture_output=True, text=True, timeout=240)
        assert proc.returncode == 1, proc.stderr
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 4 and "Traceback" not in proc.stderr, lines
        by_file = {line.split(": ")[1]: line for line in lines}
        assert "memory limit of 400 MiB" in by_file[str(folder / "self-drawing.pdf")]
        assert "memory limit of 400 MiB" in by_file[str(folder / "bomb.pdf")]
        assert "time limit of 6 s" in by_file[str(folder / "endless.pdf")]
        assert "time limit of 6 s" in by_file[str(folder / "repeated.pdf")]  # never 20,000 records
        assert proc.stdout.startswith(f"Wrote {out}: 1 document, "), proc.stdout
    peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024  # MiB, of any one process
    assert peak < 400 + 250, peak


def test_limits_are_checked(tmp_path):
    proc = subprocess.run([SENDGRAPH, "build", DATA, "-o", tmp_path / "g.ttl"], capture_output=True, text=True,
                          env={**os.environ, "SENDGRAPH_TIME_LIMIT": "soon"})
    assert proc.returncode == 2 and proc.stderr == "Error: SENDGRAPH_TIME_LIMIT='soon': not a number\n"
