"""Read SEND documents (PDF or text) into extraction records: file I/O, document splitting and dispatch."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from sendgraph.read import textnorm
from sendgraph.errors import InputError, decodable
from sendgraph.read.records import new_record

MAX_BYTES = 200 * 1024 * 1024  # larger files are refused without being read
MAX_TEXT_BYTES = 20 * 1024 * 1024  # a text file this large is no single report (and would take hours to parse)
SUFFIXES = (".pdf", ".txt", ".text")

# Where each kind of document starts.
_START_2023 = re.compile(r"^(?:Area SEND inspection of|Area SEND inspection:)\s", re.IGNORECASE)
_START_2016 = re.compile(r"^Joint local area SEND (?:inspection|revisit) in\s", re.IGNORECASE)
_LETTER_DATE = re.compile(r"^\d{1,2} [A-Z][a-z]+ \d{4}$")
_SEND_WORDS = re.compile(r"special educational needs|\bSEND\b|\bSEN\b|EHC plan", re.IGNORECASE)
_COUNCIL = re.compile(
    r"^(?:Report of|Report to|Submitted to|Report for|Meeting|Committee|Executive summary|Purpose of (?:the )?report)\b",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass
class ExtractResult:
    """Records of every document read, and one error per file that could not be read."""

    records: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # InputError instances


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# Control bytes that plain text does not hold (tab, line feed, form feed, carriage return and escape excepted).
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 26, 27)) + b"\x7f"


def _control_share(data: bytes) -> float:
    return (len(data) - len(data.translate(None, _BINARY_BYTES))) / max(len(data), 1)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte order mark: NULs in every other byte (mostly ASCII text)."""
    sample = data[:4096]
    if len(sample) < 8 or sample.count(0) < len(sample) // 3:
        return None
    odd, even = sample[1::2].count(0), sample[0::2].count(0)
    encoding = "utf-16-le" if odd > 3 * even else "utf-16-be" if even > 3 * odd else None
    if encoding is None:
        return None
    try:
        text = data[: len(data) // 2 * 2].decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _control_share(text.encode("utf-8", "replace")) < 0.01 else None


def decode_text(data: bytes, path) -> str:
    """Text of a .txt file: UTF-8 (with or without BOM), UTF-16/32 with BOM or UTF-16 without, else cp1252.

    Raises InputError for binary data.
    """
    for bom, encoding in ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
                          (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(path, f"not valid {encoding.upper()} text (damaged or binary)") from None
    text = _utf16_without_bom(data)
    if text is not None:
        return text
    try:
        text = data.decode("utf-8-sig")
        # Valid UTF-8 with some NULs or stray control characters is damaged text, which is cleaned later.
        if _control_share(data) > 0.10:
            raise InputError(path, "binary data, not text")
        return text
    except UnicodeDecodeError:
        pass
    # Not UTF-8: a legacy 8-bit encoding (Windows-1252) has no control bytes at all.
    if _control_share(data) > 0.01:
        raise InputError(path, "binary data, not text")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


_ZIP_KINDS = (
    ("word/", "a Word document (.docx)"),
    ("xl/", "an Excel workbook (.xlsx)"),
    ("ppt/", "a PowerPoint file (.pptx)"),
    ("META-INF/container.xml", "an e-book (.epub)"),
    ("content.xml", "an OpenDocument file (.odt)"),
)
_PDF_HEADER = re.compile(rb"%PDF-\d")
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive"),
    (b"PK\x05\x06", "a ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a Word (.doc) or other Office 97-2003 file"),
    (b"{\\rtf", "an RTF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"%!PS", "a PostScript file"),
)


def _zip_kind(data: bytes) -> str:
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
        return "a ZIP archive"
    for prefix, kind in _ZIP_KINDS:
        if any(name.startswith(prefix) for name in names):
            return kind
    return "a ZIP archive"


def _sniff(data: bytes) -> str | None:
    """"pdf", or what other kind of file the bytes are (None for text or unknown data)."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return _zip_kind(data) if kind == "a ZIP archive" else kind
    if _PDF_HEADER.search(data[:1024]):  # a PDF header may follow some junk bytes
        return "pdf"
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html")) or (head.startswith((b"<?xml", b"<!--")) and b"<html" in head):
        return "an HTML page"
    if head.startswith(b"<?xml"):
        return "an XML file"
    return None


def document_text(data: bytes, path) -> str:
    """The text of a file's bytes, PDF or plain text, chosen by content; InputError saying why not."""
    if not data.strip():
        raise InputError(path, "empty file")
    kind = _sniff(data)
    if kind == "pdf":
        from sendgraph.read.pdftext import pdf_text

        return pdf_text(data, path, check=not_send)
    named_pdf = str(path).lower().endswith(".pdf")
    if kind is not None:
        raise InputError(path, f"not a PDF: the file is {kind}" if named_pdf else f"unsupported file type: {kind}")
    try:
        return decode_text(data, path)
    except InputError:
        if named_pdf:
            raise InputError(path, "not a PDF: the file holds binary data of an unknown kind") from None
        raise


def _segments(paras: list[str]) -> list[tuple[int, int, str]]:
    """(start, end, kind) of each document in a list of paragraphs."""
    starts = []
    for i, para in enumerate(paras):
        if _START_2023.match(para):
            starts.append((i, "area_send_inspection_2023"))
        elif _START_2016.match(para):
            # A letter starts at its date line, a few paragraphs above the heading.
            begin = i
            for j in range(i - 1, max(-1, i - 20), -1):
                if _LETTER_DATE.match(paras[j].strip()):
                    begin = j
                    break
                if _START_2016.match(paras[j]) or _START_2023.match(paras[j]):
                    break
            starts.append((begin, "joint_local_area_inspection_2016"))
    # A repeated heading inside one letter (a duplicated block) is not a new document.
    merged: list[tuple[int, str]] = []
    for begin, kind in starts:
        if merged and kind == "joint_local_area_inspection_2016" and merged[-1][1] == kind:
            heading_now = _heading_area(paras, begin)
            heading_then = _heading_area(paras, merged[-1][0])
            if heading_now == heading_then:
                continue
        merged.append((begin, kind))
    if not merged:
        return []
    merged[0] = (0, merged[0][1]) if merged[0][0] < 25 else merged[0]
    out = []
    for n, (begin, kind) in enumerate(merged):
        end = merged[n + 1][0] if n + 1 < len(merged) else len(paras)
        out.append((begin, end, kind))
    return out


def _heading_area(paras: list[str], begin: int) -> str:
    for para in paras[begin : begin + 25]:
        match = _START_2016.match(para)
        if match:
            return para[match.end() :].strip().lower()
    return ""


def _dedupe(paras: list[str]) -> list[str]:
    """Drop a paragraph already seen in the same document (a block repeated by a bad export)."""
    seen = set()
    out = []
    for para in paras:
        key = " ".join(para.split()).lower()
        if len(key) > 60 and key in seen:
            out.append("")
            continue
        seen.add(key)
        out.append(para)
    return out


def not_send(text: str) -> str | None:
    """Why the beginning of a document's text shows it is no SEND document (None if it may be one):
    no heading of an inspection report or letter, and no SEND words with a council report's marks.
    What :func:`parse_report` asks of a whole text, asked of its first pages."""
    clean = textnorm.clean_chars(text)
    lines = [line.strip() for line in clean.splitlines()]
    if any(_START_2023.match(line + " ") or _START_2016.match(line + " ") for line in lines):
        return None
    if not _SEND_WORDS.search(clean):
        return "not a SEND document: no SEND inspection or SEND council report found"
    if not _COUNCIL.search(clean):
        return "not a SEND inspection report, letter or council report: none begins"
    return None


def parse_report(text: str, source: str = "<text>", tag: bool = True) -> list[dict]:
    """Records for every document in one file's text, their findings tagged (``tag=False``: not yet,
    see :func:`tag_records`).

    Raises InputError when the text holds no SEND document.
    """
    from sendgraph.read import council, inspection2023, letter2016

    paras, vocabulary = textnorm.paragraphs_and_vocabulary(text)
    records = []
    segments = _segments(paras)
    if not segments:
        if len(" ".join(paras)) < 200:
            raise InputError(source, "too little text to be a SEND document")
        if not _SEND_WORDS.search(textnorm.clean_chars(text)):
            raise InputError(source, "not a SEND document (no SEND inspection or SEND council report found)")
        if _COUNCIL.search(textnorm.clean_chars(text)):
            segments = [(0, len(paras), "council_report")]
        else:
            raise InputError(source, "not a SEND inspection report, letter or council report")
    parsers = {
        "area_send_inspection_2023": inspection2023.parse,
        "joint_local_area_inspection_2016": letter2016.parse,
        "council_report": council.parse,
    }
    for n, (begin, end, kind) in enumerate(segments):
        part = _dedupe(paras[begin:end])
        record = parsers[kind](part)
        record["document_type"] = kind
        record["source"] = source if len(segments) == 1 else f"{source}#{n + 1}"
        _mend_hyphens(record, vocabulary)
        records.append(record)
    if tag:
        tag_records(records)
    return records


def tag_records(records: list[dict]) -> None:
    """Tag, in place, the findings of every record with their themes and services."""
    from sendgraph.read import tagging

    for record in records:
        tagging.tag_findings(record["findings"])


_NOT_TEXT = {"source", "sha256", "document_type", "start_date", "end_date", "date", "gss_code", "kind", "capacity"}


def _mend_hyphens(value, vocabulary: textnorm.Vocabulary):
    """Mend, in place, words that a line break in a table cell left hyphenated ("Cen-tral")."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        if isinstance(item, str):
            if key not in _NOT_TEXT:
                value[key] = vocabulary.mend(item)
        else:
            _mend_hyphens(item, vocabulary)


def _os_reason(exc: OSError, path: Path) -> str:
    """A plain reason for an operating-system error on a path."""
    code = exc.errno
    if code == errno.ENOENT:
        return "broken symbolic link (its target does not exist)" if path.is_symlink() else "no such file"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.EISDIR:
        return "is a folder, not a file"
    if code == errno.ELOOP:
        return "symbolic link loop"
    if code == errno.ENOTDIR:
        return "no such file (a part of the path is not a folder)"
    if code == errno.ENAMETOOLONG:
        return "file name too long"
    return f"cannot be read ({exc.strerror or exc})"


def _file_kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "not a regular file (a named pipe)"
    if stat.S_ISSOCK(mode):
        return "not a regular file (a socket)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "not a regular file (a device)"
    return "not a regular file"


def _too_large(size: int, limit: int, what: str = "") -> str:
    mib = 1024 * 1024
    return f"file too large ({size / mib:.0f} MB; the limit{what} is {limit // mib} MB)"


def read_bytes(path) -> bytes:
    """The bytes of one regular file, refusing pipes, devices and files over the size limits unread."""
    path = Path(path)
    try:
        # Non-blocking, so that a named pipe without a writer cannot hang the batch; it is refused below.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        raise InputError(path, _os_reason(exc, path)) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(path, _file_kind(info.st_mode))
        if info.st_size > MAX_BYTES:
            raise InputError(path, _too_large(info.st_size, MAX_BYTES))
        with os.fdopen(fd, "rb", closefd=False) as fh:
            head = fh.read(1024)
            limit = MAX_BYTES if _sniff(head) == "pdf" else MAX_TEXT_BYTES
            if info.st_size > limit:
                raise InputError(path, _too_large(info.st_size, limit, " for a text file"))
            data = head + fh.read(limit + 1 - len(head))  # never more than the limit, even if the file grows
        if len(data) > limit:
            raise InputError(path, _too_large(len(data), limit))
        return data
    except OSError as exc:
        raise InputError(path, _os_reason(exc, path)) from None
    finally:
        os.close(fd)


def read_report(path, tag: bool = True) -> list[dict]:
    """Records of the documents in one file (PDF or text); InputError if it cannot be read.
    ``tag=False`` leaves the findings untagged (see :func:`tag_records`)."""
    path = Path(path)
    data = read_bytes(path)
    text = document_text(data, path)
    digest = sha256_bytes(data)
    records = parse_report(text, printable_path(path), tag=tag)
    for record in records:
        record["sha256"] = digest
    return records


def printable_path(path) -> str:
    """The path as text that can always be written out (undecodable bytes of a file name as \\xNN);
    printed, it goes through :func:`sendgraph.errors.printable` too."""
    return decodable(path)


def _is_document(name: str) -> bool:
    return name.lower().endswith(SUFFIXES) and not name.startswith(".")


def _walk(folder: Path, files: list[Path], errors: list[InputError], seen: set, ancestors: tuple,
          roots: tuple = ()) -> None:
    """Documents under folder, sorted by name. A link to a folder is followed when the folder it leads
    to is inside one of ``roots`` (the folders given); a link back up the tree, or out of every
    folder given, is reported and not followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        errors.append(InputError(folder, f"folder cannot be read ({_os_reason(exc, folder)})"))
        return
    for entry in entries:
        path = Path(entry.path)
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()  # follows links
        except OSError:
            is_dir = False
        if is_dir:
            try:
                info = path.stat()
            except OSError as exc:
                errors.append(InputError(path, f"folder cannot be read ({_os_reason(exc, path)})"))
                continue
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                errors.append(InputError(path, "symbolic link loop (a link to a folder that contains it); not followed"))
            elif entry.is_symlink() and roots and not _inside(path, roots):
                errors.append(InputError(path, "a link to a folder outside the folders given; not followed "
                                               "(give that folder itself to read it)"))
            elif key not in seen:
                seen.add(key)
                _walk(path, files, errors, seen, ancestors + (key,), roots)
        elif _is_document(entry.name):
            files.append(path)


def _inside(path: Path, roots: tuple) -> bool:
    """Whether the folder a path leads to (links resolved) is one of ``roots`` or inside one."""
    real = os.path.realpath(path)
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def iter_files(paths) -> tuple[list[Path], list[InputError]]:
    """Files to read under the given paths (folders recursively, sorted), and errors for paths that fail.

    A file reached twice (named twice, or through a link) is read once; a folder with no documents is an error.
    """
    files: list[Path] = []
    errors: list[InputError] = []
    seen_dirs: set = set()
    roots = tuple(os.path.realpath(p) for p in paths if os.path.isdir(p))
    for given in paths:
        path = Path(given)
        try:
            info = path.stat()
        except OSError as exc:
            if path.is_symlink() or exc.errno not in (errno.ENOENT, errno.ENOTDIR):
                files.append(path)  # read_report names the reason (a broken link, a loop, no permission)
            else:
                errors.append(InputError(path, "no such file or folder"))
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in seen_dirs:
                continue  # already read (named twice, or inside a folder named before)
            seen_dirs.add(key)
            before, failed = len(files), len(errors)
            _walk(path, files, errors, seen_dirs, (key,), roots)
            if len(files) == before and len(errors) == failed:
                errors.append(InputError(path, f"no documents found in this folder (looked for {', '.join(SUFFIXES)} files)"))
        else:
            files.append(path)
    unique: list[Path] = []
    seen_files: set = set()
    for path in files:
        try:
            info = path.stat()
            key = (info.st_dev, info.st_ino)
        except OSError:
            key = str(path)
        if key not in seen_files:
            seen_files.add(key)
            unique.append(path)
    return unique, errors


def _read_one(path, step=read_report):
    """(records, None) or (None, InputError) of ``step(path)``; an unexpected failure is this file's
    error, with its traceback."""
    try:
        return step(path), None
    except InputError as exc:
        return None, exc
    except Exception as exc:  # a bug met on one document must not stop the batch
        reason = f"internal error while reading ({type(exc).__name__}: {exc}); please report it"
        return None, InputError(path, reason, detail=traceback.format_exc())


def _read_untagged(path):
    return _read_one(path, lambda p: read_report(p, tag=False))


#: From this many files to read, ``jobs=None`` reads them in one worker process per processor.
MANY_FILES = 8


def processors() -> int:
    """The processors this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def default_jobs(count: int) -> int:
    """Worker processes for ``count`` files when none are asked for: one per processor (at most one
    per file) from :data:`MANY_FILES` files, else one (starting workers costs more than a few files)."""
    return max(1, min(processors(), count)) if count >= MANY_FILES else 1


def start_workers(paths, jobs: int | None = 1) -> None:
    """Start now the worker processes that :func:`iter_extract` will read the files under ``paths``
    with (``jobs`` as there), so that a caller about to import much else (the graph library) has the
    first files read meanwhile."""
    from sendgraph.read.guard import start_early

    files, _ = iter_files(paths)
    if files:
        start_early(min(jobs or default_jobs(len(files)), len(files)))


def iter_extract(files: list, jobs: int | None = 1, limits=None):
    """(index, records, error) for each of ``files`` as it is done, in the order they finish; ``error``
    is an InputError or None.

    Every file is read in a worker process (``jobs`` of them, biggest files first; ``jobs=None`` is
    :func:`default_jobs` of the number of files) under ``limits`` (:class:`sendgraph.read.guard.Limits`:
    a memory cap and a time budget per file, by default from the environment): a file over either, or one that crashes the PDF library, gets its error and
    the others go on. ``limits=False`` reads in this process, in file order (for tests of the
    parsers and for tools).
    """
    from sendgraph.read.guard import Limits, iter_guarded

    if limits is False:
        for index, path in enumerate(files):
            yield (index, *_read_one(path))
        return
    if not files:
        return
    limits = limits or Limits.from_environment()
    if jobs is None:
        jobs = default_jobs(len(files))
    if jobs > 1:
        order = sorted(range(len(files)), key=lambda i: (-_size(files[i]), i))
        yield from iter_guarded(files, jobs, limits, order, _read_one)
        return
    # One worker: this process, which would only wait for it, tags each file's findings while the
    # worker reads the next file (the tagger's first use, compiling its patterns, is paid here too).
    for index, records, error in iter_guarded(files, 1, limits, list(range(len(files))), _read_untagged):
        if error is None:
            records, error = _read_one(files[index], lambda _path, found=records: tag_records(found) or found)
        yield index, records, error


def _size(path) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


def extract_paths(paths, jobs: int = 1, progress=None, limits=None) -> ExtractResult:
    """Extract every document under the given files and folders; a bad file is an error, not a stop.

    ``jobs`` > 1 reads files in that many processes; ``progress`` is called once per file. Records
    and errors are in file order.
    """
    files, errors = iter_files(paths)
    outcomes: dict[int, tuple] = {}
    for index, records, error in iter_extract(files, jobs, limits):
        outcomes[index] = (records, error)
        if progress:
            progress()
    result = ExtractResult(errors=errors)
    for index in range(len(files)):
        records, error = outcomes[index]
        if error is not None:
            result.errors.append(error)
        else:
            result.records.extend(records)
    return result


__all__ = ["ExtractResult", "extract_paths", "iter_extract", "read_report", "parse_report", "tag_records", "new_record", "document_text"]
