"""The shared table/csv/json output of the analysis commands."""

import csv
import io
import json

import pytest

from sendgraph.errors import UsageError
from sendgraph.formats import cell, counted, render, render_table

RESULT = {
    "area": "Hartlepool",
    "themes": ["local-offer", "coproduction"],
    "inspections": [{"start_date": "2016-10-03", "lead": True, "share": 0.5},
                    {"start_date": "2023-03-13", "lead": False, "share": 1.0, "note": "only in the second row"}],
    "changes": [],
}


def test_cells():
    assert [cell(None), cell(True), cell(False), cell(0.25), cell(2.0), cell(["a", "b"]), cell({"x": 1})] == \
        ["", "yes", "no", "0.25", "2", "a; b", "x=1"]
    assert cell("two\nlines  here") == "two lines here"


def test_table_has_notes_headings_aligned_columns_and_empty_tables():
    text = render(RESULT, "table")
    lines = text.splitlines()
    assert lines[0] == "area: Hartlepool" and lines[1] == "themes: local-offer; coproduction"
    header = lines[lines.index("Inspections") + 2]
    assert header.split() == ["start", "date", "lead", "share", "note"]
    first_row = lines[lines.index("Inspections") + 4]
    assert first_row.split() == ["2016-10-03", "yes", "0.5"]
    assert first_row.index("yes") == header.index("lead")
    assert lines[lines.index("Changes") + 2] == "(none)"


def test_long_cells_wrap_in_tables():
    text = render_table([{"quote": "word " * 40, "n": 1}])
    rows = text.splitlines()[2:]
    assert len(rows) > 1 and all(len(r) <= 72 + 5 for r in rows)
    tokens = " ".join(rows).split()
    assert tokens.count("word") == 40 and tokens.count("1") == 1


def test_csv_blocks_start_with_their_section():
    blocks = render(RESULT, "csv").strip().split("\n\n")
    notes = list(csv.reader(io.StringIO(blocks[0])))
    assert notes == [["section", "key", "value"], ["notes", "area", "Hartlepool"],
                     ["notes", "themes", "local-offer; coproduction"]]
    rows = list(csv.DictReader(io.StringIO(blocks[1])))
    assert [r["section"] for r in rows] == ["inspections", "inspections"]
    assert rows[1]["note"] == "only in the second row" and rows[0]["note"] == ""
    assert blocks[2] == "section"  # an empty table


def test_one_table_without_notes_is_plain_csv():
    text = render({"rows": [{"a": 1, "b": "x, y"}]}, "csv")
    assert list(csv.reader(io.StringIO(text))) == [["a", "b"], ["1", "x, y"]]


def test_json_is_the_result_itself():
    assert json.loads(render(RESULT, "json")) == RESULT


def test_unknown_format():
    with pytest.raises(UsageError, match="unknown format 'yaml'"):
        render(RESULT, "yaml")


def test_counted_says_one_in_the_singular_and_others_in_the_plural():
    assert [counted(n, "row") for n in (0, 1, 2)] == ["0 rows", "1 row", "2 rows"]
    assert counted(1, "shared inspector") == "1 shared inspector"


def test_a_hyphenated_name_breaks_after_a_hyphen_in_a_narrow_column():
    """Regression: "Stockton-on-Tees" in a 13-wide column was cut inside a word ("Stockton-on-T" / "ees")."""
    rows = [{"area": "Stockton-on-Tees", "kind": "area for improvement", "theme": "strategic leadership",
             "quote": "Leaders should improve the timeliness of EHC plans " * 3}]
    lines = render_table(rows, width=50).splitlines()
    assert lines[2].startswith("Stockton-on-  ") and lines[3].startswith("Tees  ")
    assert "2023-01-04" in render_table([{"date": "2023-01-04", "area": "x"}], width=16)  # a date is not broken
