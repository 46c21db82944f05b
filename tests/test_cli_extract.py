"""`sendgraph extract` on bad input: one line per bad file, the good ones complete, exit 0/1/2, no traceback."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from support import badfiles
from support.paths import CORPUS, DATA
from sendgraph.cli import main
from sendgraph.read.extract import read_report

BAD = badfiles.bad_documents()
SENDGRAPH = Path(sys.executable).with_name("sendgraph")
WEIRD_GOOD = "Área SEND 'report' \"quoted\" Łódź.txt"
WEIRD_BAD = "scan with spaces – ünïcode.pdf"


def run(*args):
    result = CliRunner().invoke(main, list(map(str, args)))
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    return result


def error_lines(stderr):
    lines = stderr.splitlines()
    assert all(line.startswith("error: ") for line in lines), lines
    return lines


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """bad/: every bad document plus a sparse huge file and a symlink loop; good/: real reports in many forms."""
    folder = tmp_path_factory.mktemp("corpus")
    bad = badfiles.write_files(folder / "bad", {name: data for name, (data, _) in BAD.items()})
    bad[WEIRD_BAD] = badfiles.write_files(folder / "bad", {WEIRD_BAD: badfiles.image_only_pdf()})[WEIRD_BAD]
    bad["huge.pdf"] = badfiles.sparse_file(folder / "bad" / "huge.pdf", 400 * 1024 * 1024)
    (folder / "bad" / "loop").symlink_to(folder / "bad")
    good = badfiles.write_files(folder / "good", {**badfiles.good_documents(), WEIRD_GOOD: badfiles.hartlepool_text().encode()})
    expected = {}
    for path in good.values():
        (record,) = read_report(path)
        expected[str(path)] = record
    return folder, bad, good, expected


def expected_reasons(bad):
    reasons = {str(path): BAD.get(name, (None, ()))[1] for name, path in bad.items()}
    reasons[str(bad[WEIRD_BAD])] = ("no text layer",)
    reasons[str(bad["huge.pdf"])] = ("file too large",)
    return reasons


def check_mixed_run(stdout, stderr, code, folder, bad, good, expected):
    assert code == 1
    lines = error_lines(stderr)
    reasons = expected_reasons(bad)
    reasons[str(folder / "bad" / "loop")] = ("symbolic link loop",)
    assert len(lines) == len(reasons)  # exactly one line per bad file
    for path, words in reasons.items():
        (line,) = [line for line in lines if line.startswith(f"error: {path}: ")]
        for word in words:
            assert word in line, line
    records = json.loads(stdout)
    assert sorted(r["source"] for r in records) == sorted(str(p) for p in good.values())
    for record in records:
        assert record == expected[record["source"]]  # complete: as when read alone
        assert record["findings"]


def test_mixed_batch_with_cli_runner(corpus):
    folder, bad, good, expected = corpus
    result = run("extract", folder / "bad", folder / "good")
    check_mixed_run(result.stdout, result.stderr, result.exit_code, folder, bad, good, expected)


def test_mixed_batch_in_parallel(corpus):
    folder, bad, good, expected = corpus
    result = run("extract", "-j", "4", folder / "good", folder / "bad")
    check_mixed_run(result.stdout, result.stderr, result.exit_code, folder, bad, good, expected)


def test_mixed_batch_with_the_real_command_in_a_plain_locale(corpus):
    folder, bad, good, expected = corpus
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    env.pop("PYTHONIOENCODING", None)
    started = time.perf_counter()
    proc = subprocess.run([SENDGRAPH, "extract", "--json", folder / "bad", folder / "good"],
                          capture_output=True, env=env, timeout=300)
    assert time.perf_counter() - started < 120
    stdout, stderr = proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    check_mixed_run(stdout, stderr, proc.returncode, folder, bad, good, expected)


def test_each_bad_file_alone_exits_2_with_one_line(corpus):
    folder, bad, _, _ = corpus
    reasons = expected_reasons(bad)
    for path in bad.values():
        result = run("extract", path)
        assert result.exit_code == 2, path
        (line,) = error_lines(result.stderr)
        assert line.startswith(f"error: {path}: ")
        assert all(word in line for word in reasons[str(path)]), line
        assert result.stdout == ""


def test_all_good_exits_0(corpus):
    folder, _, good, expected = corpus
    result = run("extract", folder / "good")
    assert result.exit_code == 0 and result.stderr == ""
    assert len(json.loads(result.stdout)) == len(good)


def test_missing_path_exits_2(tmp_path):
    result = run("extract", tmp_path / "missing.pdf")
    assert result.exit_code == 2
    assert error_lines(result.stderr) == [f"error: {tmp_path / 'missing.pdf'}: no such file or folder"]


def test_missing_path_among_good_ones_exits_1(corpus, tmp_path):
    _, _, good, _ = corpus
    result = run("extract", tmp_path / "missing.pdf", good["hartlepool.txt"])
    assert result.exit_code == 1
    assert len(error_lines(result.stderr)) == 1
    assert [r["source"] for r in json.loads(result.stdout)] == [str(good["hartlepool.txt"])]


def test_folder_with_no_documents_exits_2_with_a_clear_message(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "notes.md").write_text("# notes\n")
    result = run("extract", tmp_path / "docs")
    assert result.exit_code == 2
    (line,) = error_lines(result.stderr)
    assert line.startswith(f"error: {tmp_path / 'docs'}: no documents found")
    assert result.stdout == ""


def test_usage_errors_exit_2():
    assert run("extract").exit_code == 2
    assert run("extract", "-j", "0", "data").exit_code == 2
    assert run("extract", "--no-such-option", "data").exit_code == 2


def test_unreadable_things_in_a_folder(tmp_path):
    folder = tmp_path / "share"
    badfiles.write_files(folder, {"good.txt": badfiles.hartlepool_text().encode()})
    (folder / "gone.txt").symlink_to(tmp_path / "deleted.txt")
    os.mkfifo(folder / "pipe.pdf")
    locked = badfiles.write_files(folder / "locked", {"inner.txt": badfiles.hartlepool_text().encode()})["inner.txt"]
    locked.chmod(0)
    try:
        readable = os.access(locked, os.R_OK)
        result = run("extract", folder)
    finally:
        locked.chmod(0o644)
    lines = error_lines(result.stderr)
    assert f"error: {folder / 'gone.txt'}: broken symbolic link (its target does not exist)" in lines
    assert f"error: {folder / 'pipe.pdf'}: not a regular file (a named pipe)" in lines
    if readable:  # running as root: chmod does not stop reading
        assert len(lines) == 2 and len(json.loads(result.stdout)) == 2
    else:
        assert f"error: {locked}: permission denied" in lines and len(json.loads(result.stdout)) == 1
    assert result.exit_code == 1


def test_output_file_is_left_unchanged_by_a_failed_run(corpus, tmp_path):
    folder, bad, good, _ = corpus
    out = tmp_path / "records.json"
    out.write_text("previous result\n")
    result = run("extract", bad["empty.txt"], bad["encrypted.pdf"], "-o", out)
    assert result.exit_code == 2
    assert out.read_text() == "previous result\n"
    (tmp_path / "file-not-folder.json").write_text("")
    result = run("extract", good["hartlepool.txt"], "-o", tmp_path / "file-not-folder.json" / "x.json")
    assert result.exit_code == 2
    (line,) = error_lines(result.stderr)
    assert "cannot be written" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file-not-folder.json", "records.json"]  # no temporary left


def test_output_file_is_replaced_whole_by_a_good_run(corpus, tmp_path):
    _, bad, good, _ = corpus
    out = tmp_path / "records.json"
    out.write_text("previous result\n")
    result = run("extract", good["hartlepool.txt"], bad["random.txt"], "-o", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert [r["source"] for r in json.loads(out.read_text())] == [str(good["hartlepool.txt"])]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["records.json"]


def test_killed_run_leaves_output_file_unchanged(tmp_path):
    # One text file holding 400 reports: several seconds of work, killed after one.
    (tmp_path / "many.txt").write_text(badfiles.hartlepool_text() * 400, encoding="utf-8")
    out = tmp_path / "records.json"
    out.write_text("previous result\n")
    proc = subprocess.Popen([SENDGRAPH, "extract", tmp_path / "many.txt", "-o", out], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1.0)
    proc.send_signal(signal.SIGKILL)
    assert proc.wait(timeout=30) == -signal.SIGKILL
    assert out.read_text() == "previous result\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["many.txt", "records.json"]


def test_debug_adds_no_traceback_to_an_ordinary_error(corpus):
    _, bad, _, _ = corpus
    result = CliRunner().invoke(main, ["--debug", "extract", str(bad["empty.txt"])])
    assert result.exit_code == 2
    assert error_lines(result.stderr) == [f"error: {bad['empty.txt']}: empty file"]


def test_a_many_page_pdf_that_is_no_send_document_is_refused_from_its_first_pages(tmp_path):
    text = ("The quick brown fox jumps over the lazy dog. " * 30 + "\n\n") * 20
    big = tmp_path / "novel.pdf"
    big.write_bytes(badfiles.shared_stream_pdf(text, 2000))
    good = tmp_path / "good.txt"
    good.write_text(badfiles.hartlepool_text(), encoding="utf-8")
    started = time.monotonic()
    result = run("extract", big, good)
    took = time.monotonic() - started
    assert result.exit_code == 1
    assert error_lines(result.stderr) == [
        f"error: {big}: not a SEND document: no SEND inspection or SEND council report found in its first 10 pages "
        "(of 2000; the rest was not read)"]
    assert [r["source"] for r in json.loads(result.stdout)] == [str(good)]
    assert took < 20, took  # reading all 2,000 pages took some 12 s on one core; the first ten, a fraction of it


def test_a_send_report_longer_than_the_first_pages_is_read_whole(tmp_path):
    filler = "\n\n".join(f"Annex paragraph {n}: the partnership kept records of its work this year." for n in range(400))
    long_report = tmp_path / "long.pdf"
    long_report.write_bytes(badfiles.text_pdf(badfiles.hartlepool_text() + "\n\n" + filler))
    result = run("extract", long_report)
    assert result.exit_code == 0, result.stderr
    (record,) = json.loads(result.stdout)
    assert record["document_type"] == "area_send_inspection_2023"


def test_build_reads_many_files_in_one_process_per_processor(monkeypatch):
    from sendgraph.read import extract

    monkeypatch.setattr(extract, "processors", lambda: 2)
    assert [extract.default_jobs(n) for n in (0, 1, 7, 8, 29)] == [1, 1, 1, 2, 2]
    monkeypatch.setattr(extract, "processors", lambda: 16)
    assert extract.default_jobs(10) == 10  # never more workers than files
    seen = []
    from sendgraph.read import guard

    def spy(files, jobs, limits, order, read):
        seen.append(jobs)
        return iter(())
    monkeypatch.setattr(guard, "iter_guarded", spy)
    list(extract.iter_extract([f"f{i}.txt" for i in range(9)], None))
    list(extract.iter_extract(["a.txt", "b.txt"], None))
    assert seen == [9, 1]
    assert "the number of processors when there are 8 files or more" in " ".join(run("build", "--help").output.split())


def test_links_to_folders_are_followed_only_inside_the_folders_given(tmp_path):
    """Regression: a link inside an input folder to a folder elsewhere (or to the parent's other folders)
    was walked, reading documents nobody named."""
    import shutil

    from support.paths import DATA

    from sendgraph.read.extract import iter_files

    given, elsewhere = tmp_path / "given", tmp_path / "elsewhere"
    (given / "sub").mkdir(parents=True)
    elsewhere.mkdir()
    shutil.copy(DATA / "hartlepool-2023-area-send-inspection.txt", given)
    shutil.copy(DATA / "middlesbrough-2023-area-send-inspection.txt", elsewhere)
    (given / "sub" / "out").symlink_to(elsewhere)
    (given / "sub" / "up").symlink_to("..")
    (given / "inside").symlink_to(given / "sub")  # a link within the folder given: followed
    files, errors = iter_files([given])
    assert [f.name for f in files] == ["hartlepool-2023-area-send-inspection.txt"]
    reasons = {Path(e.path).name: e.reason for e in errors}
    assert reasons["out"].startswith("a link to a folder outside the folders given; not followed")
    assert "symbolic link loop" in reasons["up"]
    files, errors = iter_files([given, elsewhere])  # both given: the link leads inside a folder given
    assert sorted(f.name for f in files) == ["hartlepool-2023-area-send-inspection.txt",
                                             "middlesbrough-2023-area-send-inspection.txt"]
    assert not [e for e in errors if "outside" in e.reason]


def _address_space_cap(path):
    import resource

    return resource.getrlimit(resource.RLIMIT_AS)[0], None


def test_workers_started_early_get_the_memory_cap_before_their_first_file():
    """`sendgraph build` starts its workers before importing the graph library, so that they read
    while it imports: such a worker has no reader and no cap until the extraction gives it both, and
    one not taken (a reader that cannot be sent by name) is stopped, never left behind."""
    from sendgraph.read import guard

    guard.start_early(2)
    early = [slot.process for slot in guard._EARLY]
    limits = guard.Limits(memory_mib=700, seconds=30)
    outcomes = list(guard.iter_guarded(["a", "b", "c"], 2, limits, [0, 1, 2], _address_space_cap))
    assert sorted(outcomes) == [(i, 700 * 2**20, None) for i in range(3)]
    assert not guard._EARLY and not any(process.is_alive() for process in early)

    guard.start_early(1)
    (early,) = [slot.process for slot in guard._EARLY]
    outcomes = list(guard.iter_guarded(["a"], 1, limits, [0], lambda path: _address_space_cap(path)))
    assert outcomes == [(0, 700 * 2**20, None)]
    assert not guard._EARLY and not early.is_alive()


def test_reading_a_file_needs_no_graph_library():
    """What a build's workers do before the graph library is imported (the command line, finding the
    files, reading a PDF and a text file untagged) imports no rdflib: forked before it, they start
    reading at once, and do not load it themselves."""
    root = Path(__file__).resolve().parent.parent
    script = (
        "import sys; import sendgraph.cli; from sendgraph.read.extract import iter_files, read_report, start_workers\n"
        "files, _ = iter_files([sys.argv[1], sys.argv[2]])\n"
        "found = [len(read_report(path, tag=False)[0]['findings']) for path in files]\n"
        "print(len(files), sum(found), 'rdflib' in sys.modules)\n"
    )
    pdf, text = CORPUS / "bedford.pdf", DATA / "hartlepool-2023-area-send-inspection.txt"
    done = subprocess.run([sys.executable, "-c", script, str(pdf), str(text)], capture_output=True, text=True,
                          cwd=root, check=True)
    files, findings, loaded = done.stdout.split()
    assert (files, loaded) == ("2", "False") and int(findings) > 30
