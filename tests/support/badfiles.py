"""Bad (and good) input files for the robustness tests, generated on the fly in a temporary folder."""

from __future__ import annotations

import hashlib
import io
import os
import random
import zipfile
from pathlib import Path

from support.paths import DATA

HARTLEPOOL_2023 = DATA / "hartlepool-2023-area-send-inspection.txt"
STOCKTON_2019 = DATA / "stockton-on-tees-2019-joint-local-area-send-inspection.txt"

NOT_SEND_TEXT = (
    "Victoria sponge\n\n"
    "Cream the butter and the sugar until pale, then beat in the eggs one at a time with a spoonful of the "
    "flour. Fold in the rest of the flour and the milk, divide between two tins and bake for twenty minutes "
    "until golden and springy. Leave to cool before filling with jam and whipped cream.\n\n"
    "Serve on the day it is made, with a pot of tea. The cake keeps for two days in a tin, but the cream does "
    "not, so fill only what will be eaten.\n"
)

# ---------------------------------------------------------------- PDF writing (just enough of the format)

LEADING, PARA_GAP = 11.0, 9.0
_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _pdf_string(text: str) -> bytes:
    raw = text.encode("cp1252", "replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def _wrap(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return lines + [line] if line else lines


def text_page_streams(text: str, width: int = 80, lines_per_page: int = 52) -> list[bytes]:
    """Content streams printing text as a report does: Courier 10pt justified, "- " items as bullets with a
    hanging indent, a gap between paragraphs, tab-separated cells as two columns in small print."""
    rows: list = []  # (x, text, justify) or ("cells", [cells]) or None for paragraph spacing
    for para in text.replace("\r\n", "\n").split("\n\n"):
        para = para.strip("\n")
        if not para.strip():
            continue
        if "\t" in para:
            rows.extend(("cells", line.split("\t")) for line in para.split("\n") if line.strip())
        else:
            for line in para.split("\n"):
                bullet = line.startswith("- ")
                indent = 3 if bullet else 0
                wrapped = _wrap(line[2:] if bullet else line, width - indent)
                for n, part in enumerate(wrapped):
                    if bullet and n == 0:
                        rows.append((56, "\u2022", False))
                    rows.append((56 + 6 * indent, part, n + 1 < len(wrapped)))
                    if bullet and n == 0:
                        rows[-2], rows[-1] = ("pair", rows[-2], rows[-1]), None
                        rows.pop()
        rows.append(None)
    # Pages of whole paragraphs (a paragraph split by a page break at a full stop is ambiguous to any reader).
    paragraphs, block = [], []
    for row in rows:
        block.append(row)
        if row is None:
            paragraphs.append(block)
            block = []
    pages, current = [], []
    for block in paragraphs:
        if current and len(current) + len(block) > lines_per_page:
            pages.append(current)
            current = []
        current.extend(block)
    if current:
        pages.append(current)
    streams = []
    for page in pages:
        ops = [b"BT"]
        y = 790.0
        for row in page:
            if row is None:
                y -= PARA_GAP
                continue
            parts = row[1:] if row[0] == "pair" else [row]
            if row[0] == "cells":
                parts = [(56 + 280 * n, cell, False) for n, cell in enumerate(row[1][:2])]
            for x, line, justify in parts:
                size = 6 if row[0] == "cells" else 10
                # Justified: letters spaced out so that every line but a paragraph's last ends at the margin.
                spacing = 6 * (width - (x - 56) // 6 - len(line)) / max(len(line) - 1, 1) if justify else 0.0
                ops.append(b"/F1 %d Tf %.3f Tc 1 0 0 1 %d %.1f Tm " % (size, spacing, x, y) + _pdf_string(line) + b" Tj")
            y -= LEADING
        ops.append(b"ET")
        streams.append(b"\n".join(ops))
    return streams


def pdf_bytes(streams: list[bytes], image: bool = False, user_password: str | None = None) -> bytes:
    """A PDF with one page per content stream (A4, Courier as /F1, an 8x8 grey image as /Im1 when asked).

    With ``user_password`` the file is encrypted (standard security handler, RC4 40-bit, revision 2).
    """
    objects: dict[int, bytes] = {}
    streams_of: dict[int, tuple[bytes, bytes]] = {}  # object number -> (dictionary entries, data)
    n_pages = len(streams)
    page_numbers = [4 + 2 * i for i in range(n_pages)]
    image_number = 4 + 2 * n_pages
    objects[1] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[2] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % n for n in page_numbers), n_pages)
    objects[3] = b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>"
    xobjects = b" /XObject << /Im1 %d 0 R >>" % image_number if image else b""
    for number, stream in zip(page_numbers, streams):
        objects[number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R"
            b" /Resources << /Font << /F1 3 0 R >>%s >> >>" % (number + 1, xobjects)
        )
        streams_of[number + 1] = (b"", stream)
    if image:
        pixels = bytes((x * 32 + y * 16) % 256 for y in range(8) for x in range(8))
        streams_of[image_number] = (b"/Type /XObject /Subtype /Image /Width 8 /Height 8 /ColorSpace /DeviceGray /BitsPerComponent 8", pixels)
    file_id = hashlib.md5(b"".join(streams)).digest()
    encrypt_number = None
    key = None
    if user_password is not None:
        permissions = -44
        owner_key = hashlib.md5((user_password.encode() + _PAD)[:32]).digest()[:5]
        owner_entry = _rc4(owner_key, (user_password.encode() + _PAD)[:32])
        key = hashlib.md5((user_password.encode() + _PAD)[:32] + owner_entry + permissions.to_bytes(4, "little", signed=True) + file_id).digest()[:5]
        user_entry = _rc4(key, _PAD)
        encrypt_number = max([*objects, *streams_of]) + 1
        objects[encrypt_number] = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
            owner_entry.hex().encode(), user_entry.hex().encode(), permissions)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted([*objects, *streams_of]):
        offsets[number] = len(out)
        if number in objects:
            body = objects[number]
        else:
            entries, data = streams_of[number]
            if key is not None:
                data = _rc4(hashlib.md5(key + number.to_bytes(3, "little") + b"\x00\x00").digest()[:10], data)
            body = b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    count = max(offsets) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    for number in range(1, count):
        out += b"%010d 00000 n \n" % offsets[number]
    encrypt = b" /Encrypt %d 0 R" % encrypt_number if encrypt_number else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R /ID [<%s> <%s>]%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        count, file_id.hex().encode(), file_id.hex().encode(), encrypt, xref)
    return bytes(out)


def text_pdf(text: str, user_password: str | None = None) -> bytes:
    return pdf_bytes(text_page_streams(text), user_password=user_password)


def image_only_pdf() -> bytes:
    """Two pages with a drawn rectangle, a line and an image: what a scan without OCR looks like to a text reader."""
    page = b"q 0.2 0.3 0.8 rg 60 500 300 200 re f Q q 1 w 60 480 m 500 480 l S Q q 200 0 0 200 100 200 cm /Im1 Do Q"
    return pdf_bytes([page, page], image=True)


# ---------------------------------------------------------------- other formats


def zip_bytes(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def docx_bytes(text: str) -> bytes:
    """A minimal Word document (Office Open XML) holding text."""
    body = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in text.splitlines() if line.strip())
    return zip_bytes({
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>'),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
            f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>'),
    })


def html_bytes(text: str) -> bytes:
    paras = "".join(f"<p>{p}</p>\n" for p in text.split("\n\n") if p.strip())
    return f"<!DOCTYPE html>\n<html lang=\"en\"><head><title>Report</title></head><body>\n{paras}</body></html>\n".encode()


def random_bytes(size: int, seed: int) -> bytes:
    return random.Random(seed).randbytes(size)


# ---------------------------------------------------------------- text variants of a real report


def hartlepool_text() -> str:
    return HARTLEPOOL_2023.read_text(encoding="utf-8")


def legacy_report_text() -> str:
    """The Hartlepool report as a legacy word processor saves it: curly quotes, a pound sign, a dash."""
    text = hartlepool_text()
    text = text.replace("'these young people are our young people'", "\u2018these young people are our young people\u2019")
    text = text.replace("'", "\u2019")
    text = text.replace(
        "Leaders have made a significant investment in the educational psychology provision for the area.",
        "Leaders have made a significant investment (\u00a3250,000 a year) in the educational psychology provision for the area \u2013 a \u201cwise\u201d choice.",
    )
    return text


def damaged_report_text() -> str:
    """The Hartlepool report with NULs and zero-width characters inside words (a bad export or copy-paste)."""
    words = hartlepool_text().split(" ")
    marks = ["\x00", "\u200b", "\u200c", "\u200d", "\ufeff", "\u2060"]
    out = []
    for n, word in enumerate(words):
        if n % 7 == 3 and len(word) > 3 and word.isalpha():
            word = word[:2] + marks[n % len(marks)] + word[2:]
        out.append(word)
    return " ".join(out)


def sparse_file(path: Path, size: int) -> Path:
    """A file of ``size`` bytes that takes no disk space (a hole), starting like a PDF."""
    with open(path, "wb") as fh:
        fh.write(b"%PDF-1.7\n" if path.suffix == ".pdf" else b"Area SEND inspection of Nowhere\n")
        fh.truncate(size)
    return path


# ---------------------------------------------------------------- the corpus

# name -> (bytes, words the error line must contain)
def bad_documents() -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """Every kind of bad document, as bytes, with what its error line must say."""
    good_pdf = text_pdf(hartlepool_text())
    return {
        "empty.txt": (b"", ("empty",)),
        "empty.pdf": (b"", ("empty",)),
        "blank lines.txt": (b"\n \r\n\t\n", ("empty",)),
        "truncated.pdf": (good_pdf[: len(good_pdf) * 2 // 3], ("truncated",)),
        "corrupt.pdf": (b"%PDF-1.7\n" + random_bytes(4000, 1) + b"\n%%EOF\n", ("damaged PDF", "cannot be opened")),
        "header-only.pdf": (b"%PDF-1.4\n%%EOF\n", ("damaged PDF",)),
        "encrypted.pdf": (text_pdf(hartlepool_text(), user_password="secret"), ("encrypted", "password")),
        "scanned.pdf": (image_only_pdf(), ("no text layer",)),
        "recipe.pdf": (text_pdf(NOT_SEND_TEXT * 2), ("not a SEND document",)),
        "recipe.txt": (NOT_SEND_TEXT.encode() * 2, ("not a SEND document",)),
        "short.txt": (b"SEND\n", ("too little text",)),
        "word.pdf": (docx_bytes(hartlepool_text()), ("not a PDF", "Word")),
        "page.pdf": (html_bytes(hartlepool_text()), ("not a PDF", "HTML")),
        "archive.pdf": (zip_bytes({"report.txt": hartlepool_text()}), ("not a PDF", "ZIP")),
        "word.txt": (docx_bytes(hartlepool_text()), ("unsupported file type", "Word")),
        "random.pdf": (random_bytes(50_000, 2), ("not a PDF",)),
        "random.txt": (random_bytes(50_000, 3), ("binary",)),
    }


def good_documents() -> dict[str, bytes]:
    """Real SEND documents in the forms that must extract: UTF-8, cp1252, damaged text, and a PDF."""
    return {
        "hartlepool.txt": hartlepool_text().encode("utf-8"),
        "hartlepool-cp1252.txt": legacy_report_text().encode("cp1252"),
        "hartlepool-damaged.txt": damaged_report_text().encode("utf-8"),
        "stockton.txt": STOCKTON_2019.read_bytes(),
        "hartlepool.pdf": text_pdf(hartlepool_text()),
    }


def write_files(folder: Path, files: dict[str, bytes]) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        out[name] = path
    return out


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


# ---------------------------------------------------------------- bad graph files (for view and push)


def bad_graph_files(trig: str, nquads: str, records_json: str) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """Graph files that cannot be shown or pushed, made from a real build's TriG and N-Quads and the JSON
    of `sendgraph extract`: name -> (bytes, what the error line of `view` and of `push` says; both read
    graph files with the one reader, graph.files.load_graph)."""
    lines = nquads.splitlines(keepends=True)
    cut = sum(len(line) for line in lines[: len(lines) // 2]) + len(lines[len(lines) // 2]) // 2  # inside a line
    return {
        "empty.ttl": (b"", ("the graph is empty",)),
        "prefixes only.ttl": (b"@prefix sg: <https://w3id.org/sendgraph/ontology#> .\n", ("the graph is empty",)),
        "records.jsonld": (records_json.encode(), ("the graph is empty",)),
        "garbage.ttl": (b"this is { not turtle\n", ("not a readable turtle graph",)),
        "truncated.trig": (trig.encode()[: len(trig) // 2], ("not a readable trig graph",)),
        "truncated.nq": (nquads.encode()[:cut], ("not a readable nquads graph",)),
        "random.ttl": (random_bytes(3000, 4), ("not a readable turtle graph",)),
        "report.nt": (text_pdf(NOT_SEND_TEXT), ("not a readable ntriples graph",)),
        "relative.nt": (b"<a> <b> <c> .\n", ("not a readable ntriples graph",)),
        "broken.jsonld": (b'[{"@id": "https://w3id.org/sendgraph/id/x",', ("not a readable jsonld graph",)),
    }


def shared_stream_pdf(text: str, pages: int) -> bytes:
    """A PDF of ``pages`` pages that all draw one content stream (``text``'s first page): small on disk,
    long to read page by page."""
    stream = text_page_streams(text)[0]
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    page = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            b" /Resources << /Font << /F1 3 0 R >> >> >>")
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>",
                    b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)] + [page] * pages)


# ---------------------------------------------------------------- hostile PDFs (memory, time, amplification)


def raw_pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given object bodies, numbered from 1 (object 1 is the catalog), with a correct xref."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(entries: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (entries, len(data), data)


def self_drawing_pdf() -> bytes:
    """One page drawing a form XObject that draws itself twice: about 1 KB that a PDF reader expands
    without end unless it stops the recursion."""
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 5 0 R"
        b" /Resources << /XObject << /X 4 0 R >> >> >>",
        _stream(b"/Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /XObject << /X 4 0 R >> >>",
                b"q /X Do Q q /X Do Q"),
        _stream(b"", b"/X Do"),
    ])


def deflate_bomb_pdf(mebibytes: int = 1024) -> bytes:
    """One page whose content stream is ``mebibytes`` MiB of zeros compressed with Flate (about a
    thousandth of that on disk)."""
    import zlib

    packer = zlib.compressobj(9)
    chunk = b"\0" * 2**20
    data = b"".join(packer.compress(chunk) for _ in range(mebibytes)) + packer.flush()
    return raw_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        _stream(b"/Filter /FlateDecode", data),
    ])


def repeated_page_tree_pdf(text: str, times: int) -> bytes:
    """A PDF whose page tree lists one page object ``times`` times (about 6 bytes a listing)."""
    stream = text_page_streams(text)[0]
    kids = b" ".join([b"5 0 R"] * times)
    return raw_pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                    b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, times),
                    b"<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>",
                    _stream(b"", stream),
                    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
                    b" /Resources << /Font << /F1 3 0 R >> >> >>"])
