"""The output formats (table, csv, json) every analysis command prints its result in."""

from __future__ import annotations

import csv
import io
import json
import textwrap

from sendgraph.errors import UsageError

FORMATS = ("table", "csv", "json")
WRAP = 72  # table cells longer than this are wrapped onto several lines


def counted(n: int, word: str) -> str:
    """``n`` and ``word``, made plural unless ``n`` is one: "1 row", "3 rows", "0 graphs"."""
    return f"{n} {word}{'s' if n != 1 else ''}"


def is_table(value) -> bool:
    """A list of dicts, or an empty list (a table with no rows)."""
    return isinstance(value, list) and all(isinstance(row, dict) for row in value)


def cell(value) -> str:
    """A value as the text of one table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    if isinstance(value, (list, tuple, set)):
        return "; ".join(cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}={cell(v)}" for k, v in value.items())
    return " ".join(str(value).split())


def columns(rows: list) -> list:
    found: list = []
    for row in rows:
        for key in row:
            if key not in found:
                found.append(key)
    return found


def heading(key: str) -> str:
    return key.replace("_", " ")


def _split(result: dict):
    notes, blocks = {}, {}
    for key, value in result.items():
        if is_table(value):
            blocks[key] = value
        else:
            notes[key] = value
    return notes, blocks


def render_table(rows: list, width: int = WRAP, label=None, cols: list | None = None) -> str:
    """Aligned columns with a header line; long cells wrapped onto continuation lines.

    ``label`` turns a column key into its header (default: underscores as spaces); ``cols`` fixes
    the columns and their order (default: every key, in order of first appearance).
    """
    heading_of = label or heading
    if not rows:
        return "(none)\n"
    cols = cols or columns(rows)
    grid = [[cell(row.get(c)) for c in cols] for row in rows]
    wrapped = [[textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""] for text in line]
               for line in grid]
    widths = [max([len(heading_of(c))] + [max(len(part) for part in line[i]) for line in wrapped])
              for i, c in enumerate(cols)]
    out = ["  ".join(heading_of(c).ljust(widths[i]) for i, c in enumerate(cols)).rstrip(),
           "  ".join("-" * widths[i] for i in range(len(cols)))]
    for line in wrapped:
        height = max(len(parts) for parts in line)
        for k in range(height):
            out.append("  ".join((line[i][k] if k < len(line[i]) else "").ljust(widths[i])
                                 for i in range(len(cols))).rstrip())
    return "\n".join(out) + "\n"


def as_table(result: dict) -> str:
    notes, blocks = _split(result)
    parts = []
    if notes:
        lines = []
        for key, value in notes.items():
            text = cell(value)
            lines.extend(textwrap.wrap(f"{heading(key)}: {text}", 100, subsequent_indent="  ") or [f"{heading(key)}:"])
        parts.append("\n".join(lines) + "\n")
    for key, rows in blocks.items():
        title = heading(key).capitalize()
        parts.append(f"{title}\n{'=' * len(title)}\n" + render_table(rows))
    return "\n".join(parts)


def as_csv(result: dict) -> str:
    notes, blocks = _split(result)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if not notes and len(blocks) == 1:
        rows = next(iter(blocks.values()))
        cols = columns(rows)
        writer.writerow(cols)
        for row in rows:
            writer.writerow([cell(row.get(c)) for c in cols])
        return buffer.getvalue()
    first = True
    if notes:
        writer.writerow(["section", "key", "value"])
        for key, value in notes.items():
            writer.writerow(["notes", key, cell(value)])
        first = False
    for key, rows in blocks.items():
        if not first:
            buffer.write("\n")
        first = False
        cols = columns(rows)
        writer.writerow(["section", *cols])
        for row in rows:
            writer.writerow([key, *(cell(row.get(c)) for c in cols)])
    return buffer.getvalue()


def as_json(result: dict) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n"


def render(result: dict, fmt: str = "table") -> str:
    """The text of a result in one of FORMATS.

    A result is a dict. A value that is a list of dicts is a table (its rows; an empty list is a
    table with no rows); any other value (a string, a number, a list of strings, a dict of scalars)
    is a note. ``json`` prints the dict as it is. ``table`` prints the notes as "key: value" lines,
    then each table under its heading with aligned columns (long cells wrapped). ``csv`` prints the
    notes as a block of its own (section "notes", key, value), then each table as a block with a
    header row, every row starting with its section name, blocks separated by an empty line; a
    result with a single table and no notes is plain CSV.
    """
    if fmt == "json":
        return as_json(result)
    if fmt == "csv":
        return as_csv(result)
    if fmt == "table":
        return as_table(result)
    raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
