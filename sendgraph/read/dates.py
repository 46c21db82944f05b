"""Dates and durations as printed in inspection documents, turned into ISO 8601."""

from __future__ import annotations

import datetime as _dt
import re

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"), ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")"
DAY_MONTH_YEAR = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MONTH + r")\.?,?\s+(\d{4})\b", re.IGNORECASE
)
# "3 to 7 October 2016", "3 October to 7 October 2016", "30 January 2023 to 3 February 2023",
# "Between 4 February 2019 and 8 February 2019", "During 3 October to 7 October 2016".
DATE_RANGE = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?(?:\s+(" + _MONTH + r"))?\.?(?:\s+(\d{4}))?\s*"
    r"(?:to|and|until|-|–|—)\s*"
    r"(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MONTH + r")\.?,?\s+(\d{4})\b",
    re.IGNORECASE,
)

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
    "thirty-six": 36, "a": 1, "an": 1,
}


def _date(day, month, year) -> str | None:
    try:
        return _dt.date(int(year), MONTHS[month.lower().rstrip(".")], int(day)).isoformat()
    except (ValueError, KeyError):
        return None


def parse_date(text: str) -> str | None:
    """The first "9 October 2023"-style date in text, as ISO, or None."""
    match = DAY_MONTH_YEAR.search(text or "")
    return _date(*match.groups()) if match else None


def all_dates(text: str) -> list[str]:
    """Every day-month-year date in text, as ISO, in order."""
    found = (_date(*m.groups()) for m in DAY_MONTH_YEAR.finditer(text or ""))
    return [d for d in found if d]


def parse_date_range(text: str) -> tuple[str | None, str | None]:
    """(start, end) of the first date range in text; a lone date gives (date, None)."""
    text = text or ""
    match = DATE_RANGE.search(text)
    if match:
        d1, m1, y1, d2, m2, y2 = match.groups()
        end = _date(d2, m2, y2)
        start = _date(d1, m1 or m2, y1 or y2)
        if start and end and start > end and not y1:
            start = _date(d1, m1 or m2, int(y2) - 1)  # "28 December to 3 January 2020"
        if start and end:
            return start, end
    single = parse_date(text)
    return single, None


def parse_duration(text: str) -> str | None:
    """An ISO 8601 duration for "within approximately five years" / "18 months", or None."""
    # The first count of years, months or weeks: "many years ... within three years" gives P3Y.
    for match in re.finditer(r"\b(\d+|[a-z]+(?:-[a-z]+)?)(?:\s+|-)(year|month|week)s?\b", (text or "").lower()):
        word, unit = match.groups()
        number = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
        if number:
            return f"P{number}{ {'year': 'Y', 'month': 'M', 'week': 'W'}[unit] }".replace(" ", "")
    return None


MONTH_YEAR = re.compile(r"\b(" + _MONTH + r")\.?,?\s+(\d{4})\b", re.IGNORECASE)


def dates_as_printed(text: str) -> list[tuple[str, int, int]]:
    """Every date in text at the precision printed, with its span: "7 March 2023" -> "2023-03-07",
    "March 2017" -> "2017-03" (ISO 8601 reduced precision); years alone are left out."""
    text = text or ""
    found = []
    taken = []
    for match in DAY_MONTH_YEAR.finditer(text):
        iso = _date(*match.groups())
        if iso:
            found.append((iso, match.start(), match.end()))
            taken.append((match.start(), match.end()))
    for match in MONTH_YEAR.finditer(text):
        if any(start <= match.start() < end for start, end in taken):
            continue
        month = MONTHS.get(match.group(1).lower().rstrip("."))
        if month and match.group(1)[:1].isupper():
            found.append((f"{int(match.group(2)):04d}-{month:02d}", match.start(), match.end()))
    return sorted(found, key=lambda item: item[1])
