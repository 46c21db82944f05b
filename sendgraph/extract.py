"""Read SEND documents (PDF or text) into extraction records: file I/O, document splitting and dispatch."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import textnorm
from .errors import InputError
from .records import new_record

MAX_BYTES = 200 * 1024 * 1024  # larger files are refused, not read into memory
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


def decode_text(data: bytes, path) -> str:
    """Text of a .txt file: UTF-8 (with or without BOM), else UTF-16 with BOM, else cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.count(b"\x00") > max(16, len(data) // 100):
        raise InputError(path, "binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _sniff(data: bytes) -> str | None:
    head = data[:8]
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP or Word (.docx) file"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "a Word (.doc) file"
    if data[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        return "an HTML file"
    return None


def document_text(data: bytes, path) -> str:
    """The text of a file's bytes, PDF or plain text, or InputError saying why not."""
    if not data.strip():
        raise InputError(path, "empty file")
    kind = _sniff(data)
    if kind == "pdf" or (kind is None and data[:1024].find(b"%PDF-") >= 0):
        from .pdftext import pdf_text

        return pdf_text(data, path)
    if str(path).lower().endswith(".pdf"):
        raise InputError(path, f"not a PDF: the file is {kind or 'not a PDF'}")
    if kind is not None:
        raise InputError(path, f"unsupported file type: {kind}")
    return decode_text(data, path)


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


def parse_report(text: str, source: str = "<text>") -> list[dict]:
    """Records for every document in one file's text.

    Raises InputError when the text holds no SEND document.
    """
    from . import council, inspection2023, letter2016, themes

    paras = textnorm.paragraphs(text)
    records = []
    segments = _segments(paras)
    if not segments:
        if len(" ".join(paras)) < 200:
            raise InputError(source, "too little text to be a SEND document")
        if not _SEND_WORDS.search(text):
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
        themes.tag_findings(record["findings"])
        records.append(record)
    return records


def read_report(path) -> list[dict]:
    """Records of the documents in one file (PDF or text); InputError if it cannot be read."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise InputError(path, f"file too large ({size // (1024 * 1024)} MB; the limit is {MAX_BYTES // (1024 * 1024)} MB)")
        data = path.read_bytes()
    except InputError:
        raise
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except PermissionError:
        raise InputError(path, "permission denied") from None
    except FileNotFoundError:
        raise InputError(path, "no such file") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read ({exc.strerror or exc})") from None
    text = document_text(data, path)
    digest = sha256_bytes(data)
    records = parse_report(text, str(path))
    for record in records:
        record["sha256"] = digest
    return records


def iter_files(paths) -> tuple[list[Path], list[InputError]]:
    """Files to read under the given paths (folders recursively, sorted), and errors for paths that fail."""
    files: list[Path] = []
    errors: list[InputError] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            found = []
            for root, dirs, names in os.walk(path, onerror=lambda e: errors.append(InputError(e.filename, "folder cannot be read"))):
                dirs.sort()
                for name in sorted(names):
                    if name.lower().endswith(SUFFIXES) and not name.startswith("."):
                        found.append(Path(root) / name)
            files.extend(found)
        elif path.exists() or path.is_symlink():
            files.append(path)
        else:
            errors.append(InputError(path, "no such file or folder"))
    return files, errors


def _read_one(path):
    try:
        return read_report(path), None
    except InputError as exc:
        return None, exc


def extract_paths(paths, jobs: int = 1, progress=None) -> ExtractResult:
    """Extract every document under the given files and folders; a bad file is an error, not a stop.

    ``jobs`` > 1 reads files in that many processes; ``progress`` is called once per file.
    """
    files, errors = iter_files(paths)
    result = ExtractResult(errors=errors)
    if jobs > 1 and len(files) > 2:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outcomes = pool.map(_read_one, files, chunksize=1)
            for records, error in outcomes:
                _collect(result, records, error, progress)
    else:
        for path in files:
            _collect(result, *_read_one(path), progress)
    return result


def _collect(result, records, error, progress):
    if error is not None:
        result.errors.append(error)
    else:
        result.records.extend(records)
    if progress:
        progress()


__all__ = ["ExtractResult", "extract_paths", "read_report", "parse_report", "new_record", "document_text"]
