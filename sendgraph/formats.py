"""The output formats (table, csv, json) every analysis command prints its result in, and the rules every table and CSV the project writes follows (terminal width, words for codes, formula-safe cells, the byte-order mark)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import textwrap

from sendgraph.errors import UsageError
from sendgraph.vocab import OUTCOME_LABELS

FORMATS = ("table", "csv", "json")
WRAP = 72  # table cells longer than this are wrapped onto several lines
#: The table width when neither COLUMNS nor a terminal says (output to a pipe or a file).
DEFAULT_WIDTH = 100
_WHOLE_WORD = 12  # a table whose columns cannot be this wide (or their longest word) is shown row by row
_LONGEST_WORD = 30  # a word longer than this may be broken to fit a table into its width
#: Written first in every CSV file, so that a spreadsheet reads the file as UTF-8 (accents intact).
BOM = "\ufeff"
#: A cell starting with one of these is a formula (or could become one) to a spreadsheet.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: A column whose values all start like this holds IRIs (left out of tables unless asked for).
IRI_STARTS = ("http://", "https://", "urn:", "_:")


def terminal_width() -> int:
    """The width tables are fitted to: COLUMNS, else the terminal's width, else DEFAULT_WIDTH."""
    return max(20, shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns)


def csv_safe(value) -> str:
    """A CSV cell a spreadsheet will not run: text starting with = + - @, a tab or a carriage return gets
    a single quote in front (OWASP's rule for CSV injection); a plain number ("-0.25") is left as it is."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


class CsvWriter:
    """csv.writer whose every cell goes through :func:`csv_safe` (the one way the project writes CSV)."""

    def __init__(self, out):
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, cells) -> None:
        self._writer.writerow([csv_safe(c) for c in cells])

    def writerows(self, rows) -> None:
        for row in rows:
            self.writerow(row)


def csv_text(header: list, rows) -> str:
    """CSV text of a header and rows (lists of cells), every cell formula-safe."""
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def with_bom(text: str) -> str:
    """CSV text as a file should hold it: the UTF-8 byte-order mark first (once)."""
    return text if text.startswith(BOM) else BOM + text


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
    """A column key as a table heading: an outcome code in words, else underscores as spaces."""
    return OUTCOME_LABELS.get(key) or key.replace("_", " ")


def for_people(rows: list) -> list:
    """Table rows with words for codes: where a row has ``X`` and ``X_label``, the label is shown as ``X``
    (JSON and CSV keep both)."""
    shown = []
    for row in rows:
        labelled = {}
        for key, value in row.items():
            if key.endswith("_label") and key[: -len("_label")] in row:
                continue
            label = row.get(f"{key}_label")
            labelled[key] = label if label is not None and f"{key}_label" in row else value
        shown.append(labelled)
    return shown


def iri_columns(rows: list, cols: list) -> list:
    """The columns whose every non-empty value is an IRI (or a blank node)."""
    found = []
    for c in cols:
        values = [cell(row.get(c)) for row in rows if cell(row.get(c))]
        if values and all(v.startswith(IRI_STARTS) for v in values):
            found.append(c)
    return found


def _split(result: dict):
    notes, blocks = {}, {}
    for key, value in result.items():
        if is_table(value):
            blocks[key] = value
        else:
            notes[key] = value
    return notes, blocks


def _fit(natural: list, least: list, width: int, weights: list | None = None) -> list:
    """Column widths that fit ``width`` with two spaces between columns.

    Every column gets at least ``least`` (its longest word, within limits); the room left goes to the
    columns that would take more, in proportion to how much text each holds (``weights``), so the
    column of long quotes gets most and the table is as short as it can be. When even the least widths
    do not fit, long-text columns shrink first (a word is then broken).
    """
    gaps = 2 * (len(natural) - 1)
    if sum(natural) + gaps <= width:
        return list(natural)
    weights = weights or [1] * len(natural)
    widths = list(least)
    room = width - gaps - sum(widths)
    if room >= 0:
        wanting = [i for i in range(len(widths)) if widths[i] < natural[i]]
        while room > 0 and wanting:
            total = sum(max(1, weights[i]) for i in wanting)
            given = 0
            for i in sorted(wanting, key=lambda i: -weights[i]):
                share = max(1, room * max(1, weights[i]) // total)
                step = min(share, natural[i] - widths[i], room - given)
                widths[i] += step
                given += step
            room -= given
            wanting = [i for i in wanting if widths[i] < natural[i]]
            if not given:
                break
        return widths
    # Columns of long text give way first, so that short values (dates, counts) stay whole.
    for floor, which in ((10, "long"), (6, "long"), (3, "all")):
        shrinkable = [i for i in range(len(widths)) if which == "all" or natural[i] > 10]
        while shrinkable and sum(widths) + gaps > width:
            widest = max(shrinkable, key=lambda i: widths[i])
            if widths[widest] <= floor:
                break
            widths[widest] -= 1
    return widths


def _wrap(text: str, width: int) -> list:
    """A cell's lines: words whole where they fit, a hyphenated name broken after a hyphen ("Stockton-on-" / "Tees"),
    only a word longer than the column broken inside."""
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=True) or [""]


def _cut(line: str, width: int) -> str:
    return line if len(line) <= width else line[: width - 1] + "…"


def _records(heads: list, grid: list, width: int) -> str:
    """Rows as blocks of "heading  value" lines (values wrapped), a blank line between rows: a table
    with more columns than the width can show with its words whole."""
    key = min(max(len(h) for h in heads), max(10, width // 3))
    out = []
    for n, line in enumerate(grid):
        if n:
            out.append("")
        for head, text in zip(heads, line):
            parts = _wrap(text, max(10, width - key - 2))
            out.append(f"{_cut(head, key).ljust(key)}  {parts[0]}".rstrip())
            out.extend(f"{'':{key}}  {part}" for part in parts[1:])
    return "\n".join(_cut(line, width) for line in out) + "\n"


def render_table(rows: list, width: int | None = None, label=None, cols: list | None = None,
                 cell_width: int = WRAP) -> str:
    """Aligned columns with a header line, fitted to ``width`` (default: :func:`terminal_width`).

    Long cells are wrapped onto continuation lines (at most ``cell_width`` wide, narrower when the
    columns would not fit otherwise; a word longer than its column is broken); a table with more
    columns than fit with their words whole is shown one block of "heading  value" lines per row. ``label`` turns a column key into its header (default:
    :func:`heading`); ``cols`` fixes the columns and their order (default: every key, in order of
    first appearance).
    """
    heading_of = label or heading
    width = width or terminal_width()
    if not rows:
        return "(none)\n"
    cols = cols or columns(rows)
    grid = [[cell(row.get(c)) for c in cols] for row in rows]
    heads = [heading_of(c) for c in cols]
    words = [max([len(w) for w in heads[i].split()] + [len(w) for line in grid for w in line[i].split()] + [1])
             for i in range(len(cols))]
    natural = [max(1, min(cell_width, max([len(heads[i])] + [len(line[i]) for line in grid])))
               for i in range(len(cols))]
    if sum(natural) + 2 * (len(cols) - 1) > width:  # no room for headings on one line: they wrap
        natural = [max(1, min(cell_width, max([words[i]] + [len(line[i]) for line in grid])))
                   for i in range(len(cols))]
    gaps = 2 * (len(cols) - 1)
    least = [min(n, max(3, min(_LONGEST_WORD, w))) for n, w in zip(natural, words)]
    if sum(least) + gaps > width:
        least = [min(n, max(3, min(_WHOLE_WORD, w))) for n, w in zip(natural, words)]
        if sum(least) + gaps > width:
            return _records(heads, grid, width)  # too many columns to keep words whole: one block per row
    widths = _fit(natural, least, width, [sum(len(line[i]) for line in grid) for i in range(len(cols))])
    head_parts = [_wrap(h, widths[i]) for i, h in enumerate(heads)]
    wrapped = [[_wrap(text, widths[i]) for i, text in enumerate(line)] for line in grid]
    out = []
    for k in range(max(len(p) for p in head_parts)):
        out.append("  ".join((head_parts[i][k] if k < len(head_parts[i]) else "").ljust(widths[i])
                             for i in range(len(cols))).rstrip())
    out.append("  ".join("-" * widths[i] for i in range(len(cols))))
    for line in wrapped:
        height = max(len(parts) for parts in line)
        for k in range(height):
            out.append("  ".join((line[i][k] if k < len(line[i]) else "").ljust(widths[i])
                                 for i in range(len(cols))).rstrip())
    return "\n".join(_cut(line, width) for line in out) + "\n"


def as_table(result: dict, width: int | None = None) -> str:
    width = width or terminal_width()
    notes, blocks = _split(result)
    notes = for_people([notes])[0] if notes else notes
    parts = []
    if notes:
        lines = []
        for key, value in notes.items():
            text = cell(value)
            lines.extend(textwrap.wrap(f"{heading(key)}: {text}", width, subsequent_indent="  ",
                                       break_on_hyphens=False) or [f"{heading(key)}:"])
        parts.append("\n".join(lines) + "\n")
    for key, rows in blocks.items():
        title = _cut(heading(key).capitalize(), width)
        parts.append(f"{title}\n{'=' * len(title)}\n" + render_table(for_people(rows), width))
    return "\n".join(parts)


def as_csv(result: dict) -> str:
    notes, blocks = _split(result)
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
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


def render(result: dict, fmt: str = "table", width: int | None = None) -> str:
    """The text of a result in one of FORMATS.

    A result is a dict. A value that is a list of dicts is a table (its rows; an empty list is a
    table with no rows); any other value (a string, a number, a list of strings, a dict of scalars)
    is a note. ``json`` prints the dict as it is. ``table`` prints the notes as "key: value" lines,
    then each table under its heading with aligned columns (long cells wrapped). ``csv`` prints the
    notes as a block of its own (section "notes", key, value), then each table as a block with a
    header row, every row starting with its section name, blocks separated by an empty line; a
    result with a single table and no notes is plain CSV. Tables are fitted to ``width`` (default:
    :func:`terminal_width`) and show a key's words (``X_label``) in place of its code (``X``); CSV cells
    are formula-safe (:func:`csv_safe`).
    """
    if fmt == "json":
        return as_json(result)
    if fmt == "csv":
        return as_csv(result)
    if fmt == "table":
        return as_table(result, width)
    raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
