"""Bad input never crashes extraction: each bad file gives one InputError naming it and the reason."""

import os
import pickle
import time
import tracemalloc
from pathlib import Path

import pytest

from support import badfiles
from sendgraph.errors import InputError
from sendgraph.read.extract import (
    MAX_BYTES,
    MAX_TEXT_BYTES,
    decode_text,
    document_text,
    extract_paths,
    iter_files,
    parse_report,
    read_report,
)
from sendgraph.read.records import new_record

BAD = badfiles.bad_documents()


def _without_file(record):
    return {k: v for k, v in record.items() if k not in ("source", "sha256")}


@pytest.fixture(scope="module")
def reference():
    """The record of the bundled Hartlepool report, read from its UTF-8 text."""
    (record,) = parse_report(badfiles.hartlepool_text(), "reference")
    assert record["area"] == "Hartlepool" and len(record["findings"]) > 10
    return _without_file(record)


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_document_is_one_clear_error(tmp_path, name):
    data, words = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_report(path)
    error = caught.value
    assert error.path == str(path)
    assert str(error).startswith(f"{path}: ")
    assert "\n" not in str(error)
    for word in words:
        assert word in error.reason, (name, error.reason)


def test_cp1252_report_extracts_like_utf8(tmp_path, reference):
    path = tmp_path / "legacy.txt"
    path.write_bytes(badfiles.legacy_report_text().encode("cp1252"))
    (record,) = read_report(path)
    (expected,) = parse_report(badfiles.legacy_report_text(), str(path))
    assert _without_file(record) == _without_file(expected)
    texts = " ".join(f["text"] for f in record["findings"])
    assert "\u00a3250,000 a year" in texts  # the pound sign survives
    assert "'these young people are our young people'" in texts  # curly quotes become straight ones
    assert "\ufffd" not in texts and "\u00e2\u20ac" not in texts  # no mojibake
    for key in ("area", "inspection", "organisations", "people", "inspectors"):
        assert record[key] == reference[key]
    assert [f["kind"] for f in record["findings"]] == [f["kind"] for f in reference["findings"]]


def test_nul_and_zero_width_characters_inside_words_extract_correctly(tmp_path, reference):
    text = badfiles.damaged_report_text()
    assert text.count("\x00") > 10 and text.count("\u200b") > 10
    path = tmp_path / "damaged.txt"
    path.write_bytes(text.encode("utf-8"))
    (record,) = read_report(path)
    assert _without_file(record) == reference


def test_utf16_with_and_without_bom_extracts_correctly(tmp_path, reference):
    for name, data in [("bom.txt", badfiles.hartlepool_text().encode("utf-16")),
                       ("le.txt", badfiles.hartlepool_text().encode("utf-16-le")),
                       ("be.txt", badfiles.hartlepool_text().encode("utf-16-be"))]:
        path = tmp_path / name
        path.write_bytes(data)
        (record,) = read_report(path)
        assert _without_file(record) == reference, name


def test_generated_pdf_of_a_report_extracts_like_its_text(tmp_path, reference):
    path = tmp_path / "hartlepool.pdf"
    path.write_bytes(badfiles.text_pdf(badfiles.hartlepool_text()))
    (record,) = read_report(path)
    assert _without_file(record) == reference


def test_encrypted_pdf_really_is_the_report_behind_a_password():
    import pypdfium2 as pdfium

    data, _ = BAD["encrypted.pdf"]
    pdf = pdfium.PdfDocument(data, password="secret")
    try:
        assert "Area SEND inspection of Hartlepool" in pdf[0].get_textpage().get_text_range()
    finally:
        pdf.close()


def test_scanned_pdf_has_pages_but_no_text():
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(BAD["scanned.pdf"][0])
    try:
        assert len(pdf) == 2
        assert pdf[0].get_textpage().get_text_range().strip() == ""
    finally:
        pdf.close()


def test_text_that_names_pdf_format_is_still_text():
    text = "This note explains the %PDF header. " * 3 + "\n\n" + badfiles.NOT_SEND_TEXT
    with pytest.raises(InputError, match="not a SEND document"):
        read_bytes_and_parse(text.encode(), "note.txt")


def read_bytes_and_parse(data, name):
    return parse_report(document_text(data, name), name)


@pytest.mark.parametrize("suffix,size", [(".pdf", 300 * 1024 * 1024), (".txt", 300 * 1024 * 1024), (".txt", MAX_TEXT_BYTES + 1)])
def test_very_large_file_is_refused_quickly_without_reading_it(tmp_path, suffix, size):
    path = badfiles.sparse_file(tmp_path / f"huge{suffix}", size)
    assert path.stat().st_size == size
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InputError, match="file too large") as caught:
            read_report(path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 1.0
    assert peak < 5 * 1024 * 1024
    assert f"({size / (1024 * 1024):.0f} MB; the limit" in caught.value.reason


def test_limits_are_sensible():
    assert MAX_TEXT_BYTES < MAX_BYTES <= 500 * 1024 * 1024


def test_named_pipe_is_refused_without_hanging(tmp_path):
    pipe = tmp_path / "pipe.txt"
    os.mkfifo(pipe)
    started = time.perf_counter()
    with pytest.raises(InputError, match="not a regular file"):
        read_report(pipe)
    assert time.perf_counter() - started < 1.0


def test_device_is_refused(tmp_path):
    with pytest.raises(InputError, match="not a regular file"):
        read_report("/dev/zero")


def test_broken_symlink_and_symlink_loop_and_missing_paths(tmp_path):
    (tmp_path / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "file.txt").write_text(badfiles.NOT_SEND_TEXT)
    cases = {
        tmp_path / "gone.pdf": "broken symbolic link",
        tmp_path / "a.txt": "symbolic link loop",
        tmp_path / "missing.txt": "no such file",
        tmp_path / "file.txt" / "inside.txt": "no such file",
        tmp_path: "is a folder",
    }
    for path, reason in cases.items():
        with pytest.raises(InputError) as caught:
            read_report(path)
        assert reason in caught.value.reason, (path, caught.value.reason)


def test_unreadable_file_is_an_error_unless_root_can_read_it(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text(badfiles.hartlepool_text(), encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):  # root reads it anyway: then it is extracted like any file
            assert read_report(path)[0]["area"] == "Hartlepool"
        else:
            with pytest.raises(InputError, match="permission denied"):
                read_report(path)
    finally:
        path.chmod(0o644)


def test_file_names_with_spaces_quotes_and_non_ascii_letters(tmp_path, reference):
    names = ["with spaces.txt", "it's \"quoted\".txt", "Área Łódź ünïcode 日本.txt", "-dash first.txt", "line\nbreak.txt"]
    for name in names:
        path = tmp_path / name
        path.write_text(badfiles.hartlepool_text(), encoding="utf-8")
        (record,) = read_report(path)
        assert record["source"] == str(path)
        assert _without_file(record) == reference
        path.write_bytes(b"")
        with pytest.raises(InputError) as caught:
            read_report(path)
        assert "\n" not in str(caught.value) and "empty file" in str(caught.value)


def test_file_name_that_is_not_utf8_is_reported_printably(tmp_path):
    # Linux file systems (CI's included) take any bytes but "/" and NUL in a name.
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9 report.txt"), "wb") as fh:
        fh.write(badfiles.hartlepool_text().encode())
    with open(os.path.join(folder, b"caf\xe9 empty.txt"), "wb"):
        pass
    result = extract_paths([tmp_path])
    (record,) = result.records
    assert record["source"].endswith("caf\\xe9 report.txt")
    record["source"].encode("utf-8")  # printable, so it can be written as JSON
    (error,) = result.errors
    assert str(error).endswith("caf\\xe9 empty.txt: empty file")
    str(error).encode("utf-8")


# ---------------------------------------------------------------- folders


def _make(tmp_path, names):
    for name in names:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(badfiles.hartlepool_text(), encoding="utf-8")


def test_folder_symlink_loop_does_not_recurse_forever(tmp_path):
    _make(tmp_path, ["top/a.txt", "top/sub/b.txt"])
    (tmp_path / "top" / "sub" / "loop").symlink_to(tmp_path / "top")
    (tmp_path / "top" / "sub" / "self").symlink_to(".")
    files, errors = iter_files([tmp_path / "top"])
    assert files == [tmp_path / "top" / "a.txt", tmp_path / "top" / "sub" / "b.txt"]
    assert sorted(e.path for e in errors) == [str(tmp_path / "top" / "sub" / "loop"), str(tmp_path / "top" / "sub" / "self")]
    assert all("symbolic link loop" in e.reason for e in errors)


def test_linked_folders_are_followed_and_files_read_once(tmp_path):
    _make(tmp_path, ["shared/x.txt", "top/a.txt"])
    (tmp_path / "top" / "linked").symlink_to(tmp_path / "shared")
    (tmp_path / "top" / "alias.txt").symlink_to(tmp_path / "top" / "a.txt")
    files, errors = iter_files([tmp_path / "top", tmp_path / "top" / "a.txt", tmp_path / "shared"])
    assert errors == []
    assert files == [tmp_path / "top" / "a.txt", tmp_path / "top" / "linked" / "x.txt"]


def test_folder_walk_skips_hidden_and_other_files_and_sorts(tmp_path):
    _make(tmp_path, ["f/b.TXT", "f/a.pdf", "f/c.text", "f/.hidden.txt", "f/.git/x.txt", "f/notes.docx", "f/z/y.txt"])
    files, errors = iter_files([tmp_path / "f"])
    assert errors == []
    assert [p.relative_to(tmp_path / "f").as_posix() for p in files] == ["a.pdf", "b.TXT", "c.text", "z/y.txt"]


def test_folder_with_no_documents_is_an_error(tmp_path):
    _make(tmp_path, ["docs/readme.md", "docs/sub/data.csv"])
    (tmp_path / "empty").mkdir()
    files, errors = iter_files([tmp_path / "docs", tmp_path / "empty"])
    assert files == []
    assert [e.path for e in errors] == [str(tmp_path / "docs"), str(tmp_path / "empty")]
    assert all("no documents found" in e.reason for e in errors)


def test_unreadable_folder_broken_link_and_pipe_in_a_folder(tmp_path):
    _make(tmp_path, ["f/good.txt", "f/locked/inner.txt"])
    (tmp_path / "f" / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    (tmp_path / "f" / "dangling").symlink_to(tmp_path / "no-folder")
    os.mkfifo(tmp_path / "f" / "pipe.txt")
    locked = tmp_path / "f" / "locked"
    locked.chmod(0)
    try:
        root = os.access(locked, os.R_OK | os.X_OK)
        result = extract_paths([tmp_path / "f"])
    finally:
        locked.chmod(0o755)
    reasons = {Path(e.path).name: e.reason for e in result.errors}
    assert "broken symbolic link" in reasons.pop("gone.pdf")
    assert "named pipe" in reasons.pop("pipe.txt")
    if root:  # root lists and reads the locked folder
        assert reasons == {}
        assert sorted(Path(r["source"]).name for r in result.records) == ["good.txt", "inner.txt"]
    else:
        assert "permission denied" in reasons.pop("locked")
        assert reasons == {}
        assert [Path(r["source"]).name for r in result.records] == ["good.txt"]


def test_missing_path_is_an_error(tmp_path):
    files, errors = iter_files([tmp_path / "missing", tmp_path / "missing.pdf"])
    assert files == []
    assert [e.reason for e in errors] == ["no such file or folder"] * 2


# ---------------------------------------------------------------- batches


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    folder = tmp_path_factory.mktemp("batch")
    bad = badfiles.write_files(folder / "bad", {name: data for name, (data, _) in BAD.items()})
    good = badfiles.write_files(folder / "good", badfiles.good_documents())
    return folder, bad, good


@pytest.mark.parametrize("jobs", [1, 3])
def test_batch_goes_on_past_every_bad_file(batch, jobs):
    folder, bad, good = batch
    result = extract_paths([folder / "bad", folder / "good"], jobs=jobs)
    assert sorted(e.path for e in result.errors) == sorted(str(p) for p in bad.values())
    for error in result.errors:
        assert all(word in error.reason for word in BAD[Path(error.path).name][1])
    sources = [r["source"] for r in result.records]
    assert sorted(sources) == sorted(str(p) for p in good.values())
    for path in good.values():
        (alone,) = read_report(path)
        assert [r for r in result.records if r["source"] == str(path)] == [alone]


def test_every_record_has_every_key(batch):
    folder, _, _ = batch
    keys = set(new_record())
    for record in extract_paths([folder / "good"]).records:
        assert keys <= set(record)


def test_input_error_survives_pickling_with_its_path_reason_and_detail():
    error = InputError("a b.pdf", "damaged", detail="Traceback ...")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.path, copy.reason, copy.detail, str(copy)) == ("a b.pdf", "damaged", "Traceback ...", "a b.pdf: damaged")


def test_decode_text_keeps_legacy_and_damaged_text():
    assert decode_text("Caf\u00e9 \u00a3 \u2019".encode("cp1252"), "x") == "Caf\u00e9 \u00a3 \u2019"
    assert decode_text(b"\xef\xbb\xbfBOM", "x") == "BOM"
    assert decode_text(b"Hart\x00lepool", "x") == "Hart\x00lepool"
    with pytest.raises(InputError, match="binary"):
        decode_text(badfiles.random_bytes(2000, 9), "x")


def test_one_worker_tags_in_this_process_with_the_same_records():
    """With one worker the findings are tagged in this process as each file arrives (the worker reads
    the next one meanwhile): the records are those of two workers and of reading in this process."""
    data = Path(__file__).resolve().parent.parent / "data"
    one, two, here = (extract_paths([data], jobs=1), extract_paths([data], jobs=2),
                      extract_paths([data], limits=False))
    assert one.records == two.records == here.records and not one.errors
    findings = [f for record in one.records for f in record["findings"]]
    assert findings and all("themes" in f and "theme_cues" in f and "services" in f for f in findings)
    assert any(f["themes"] for f in findings)
    untagged = read_report(data / "hartlepool-2023-area-send-inspection.txt", tag=False)
    assert untagged[0]["findings"] and not any(f.get("themes") for f in untagged[0]["findings"])
