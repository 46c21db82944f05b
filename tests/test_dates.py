"""Dates, date ranges and durations as printed in SEND inspection documents, read as ISO 8601."""

import pytest

from sendgraph.read.dates import all_dates, dates_as_printed, parse_date, parse_date_range, parse_duration


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The inspection took place on 9 October 2023.", "2023-10-09"),
        ("Date of letter: 1st February 2024", "2024-02-01"),
        ("Published 23 Sept 2021", "2021-09-23"),
        ("Published 23 Sep. 2021", "2021-09-23"),
        ("13 JANUARY 2020", "2020-01-13"),
        ("letter dated 29 February 2024", "2024-02-29"),
        # The first date wins, even when a later one is earlier in time.
        ("Dated 9 October 2023; previous inspection 4 February 2019", "2023-10-09"),
    ],
)
def test_parse_date_reads_day_month_year(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "29 February 2023",  # not a leap year
        "31 April 2022",
        "October 2023",  # no day
        "2023-10-09",  # ISO is not how letters print dates
        "The inspection team",
        "",
        None,
    ],
)
def test_parse_date_gives_none_without_a_real_printed_date(text):
    assert parse_date(text) is None


def test_all_dates_in_order_and_impossible_dates_dropped():
    text = (
        "Inspection dates: 18 November 2024 to 22 November 2024. The previous inspection "
        "was on 4 February 2019; the written statement of action was declared fit on 31 February 2019 "
        "and revisited 8 July 2021."
    )
    assert all_dates(text) == ["2024-11-18", "2024-11-22", "2019-02-04", "2021-07-08"]
    assert all_dates(None) == []
    assert all_dates("no dates here, just 2019") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Inspection dates: 18 to 22 November 2024", ("2024-11-18", "2024-11-22")),
        ("8-10 July 2019", ("2019-07-08", "2019-07-10")),
        ("8 – 10 July 2019", ("2019-07-08", "2019-07-10")),
        ("8—10 July 2019", ("2019-07-08", "2019-07-10")),
        ("27 February to 3 March 2023", ("2023-02-27", "2023-03-03")),
        ("3 October to 7 October 2016", ("2016-10-03", "2016-10-07")),
        ("3rd to 7th October 2016", ("2016-10-03", "2016-10-07")),
        ("30 January 2023 to 3 February 2023", ("2023-01-30", "2023-02-03")),
        ("Between 4 February 2019 and 8 February 2019", ("2019-02-04", "2019-02-08")),
        ("During 14 until 18 March 2022", ("2022-03-14", "2022-03-18")),
        ("18 to 22 Nov. 2024", ("2024-11-18", "2024-11-22")),
        ("Between 12 and 16 Feb 2024", ("2024-02-12", "2024-02-16")),
        # The start year is the year before when the range crosses New Year and only the end has a year.
        ("28 December to 3 January 2020", ("2019-12-28", "2020-01-03")),
        ("30 December 2019 to 3 January 2020", ("2019-12-30", "2020-01-03")),
        # A range is found in running text after other words.
        ("Ofsted and CQC visited Telford and Wrekin from 8 to 12 May 2023 to judge", ("2023-05-08", "2023-05-12")),
    ],
)
def test_parse_date_range(text, expected):
    assert parse_date_range(text) == expected


def test_parse_date_range_lone_date_gives_start_only():
    assert parse_date_range("The inspection took place on 9 October 2023.") == ("2023-10-09", None)


@pytest.mark.parametrize("text", ["", None, "Inspection dates to be confirmed", "18 to 22 2024"])
def test_parse_date_range_without_dates(text):
    assert parse_date_range(text) == (None, None)


def test_parse_date_range_with_impossible_start_is_not_a_range():
    # "31 February" is not a day; no range is made from it, the one real date is reported alone.
    assert parse_date_range("31 February to 3 March 2023") == ("2023-03-03", None)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Ofsted and CQC will carry out a full reinspection within approximately five years.", "P5Y"),
        ("the next full inspection will be within approximately three years", "P3Y"),
        ("an engagement meeting within 18 months", "P18M"),
        ("a monitoring inspection within eighteen months", "P18M"),
        ("within twenty-four months", "P24M"),
        ("within a year", "P1Y"),
        ("within approximately 12 months", "P12M"),
        ("in 6 weeks", "P6W"),
        ("within one year of publication", "P1Y"),
        ("WITHIN TWO YEARS", "P2Y"),
    ],
)
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "within approximately thirty years",  # a number word the table does not know
        "0 months",
        "in recent years",
        "",
        None,
    ],
)
def test_parse_duration_none(text):
    assert parse_duration(text) is None


def test_dates_as_printed_keeps_printed_precision_and_spans():
    text = "Published March 2017; inspected 7 March 2023; revisited Sept 2021; the 2019 plan."
    found = dates_as_printed(text)
    assert found == [
        ("2017-03", 10, 20),
        ("2023-03-07", 32, 44),
        ("2021-09", 56, 65),
    ]
    for iso, start, end in found:
        assert text[start:end] in ("March 2017", "7 March 2023", "Sept 2021")


def test_dates_as_printed_does_not_report_the_month_inside_a_full_date():
    assert dates_as_printed("7 March 2023") == [("2023-03-07", 0, 12)]
    assert dates_as_printed("From 18 November 2024 to 22 November 2024") == [
        ("2024-11-18", 5, 21),
        ("2024-11-22", 25, 41),
    ]


def test_dates_as_printed_ignores_lower_case_may_and_bare_years():
    # "may" in lower case is the verb ("we may 2019 ..." never names a month); years alone are left out.
    assert dates_as_printed("leaders may 2019 review") == []
    assert dates_as_printed("In May 2019 the council") == [("2019-05", 3, 11)]
    assert dates_as_printed("the 2019 SEND strategy") == []
    assert dates_as_printed(None) == []


def test_duration_is_the_first_count_of_a_unit_and_hyphenated_forms_count():
    # Regression: a word that is no number before "years" hid the count printed after it.
    from sendgraph.read.dates import parse_duration

    assert parse_duration("Leaders have for many years planned; the next full reinspection will be within approximately three years") == "P3Y"
    assert parse_duration("a monitoring inspection within a 12-month period") == "P12M"
    assert parse_duration("within a twelve-month period") == "P12M"
    assert parse_duration("in recent years") is None
