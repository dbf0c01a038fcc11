"""The product's one way of writing dates, moments and FTE, and the template filters that use it."""

import datetime as dt
from decimal import Decimal

from django.template import Context, Template
from django.test import override_settings

from ui.formats import format_date, format_date_range, format_fit, format_fte, format_moment


def test_a_date_has_no_leading_zero_and_a_short_month() -> None:
    assert [format_date(dt.date(2027, 2, 1)), format_date(dt.date(2026, 12, 31))] == ["1 Feb 2027", "31 Dec 2026"]


def test_a_date_range_joins_two_dates_and_is_empty_without_both_ends() -> None:
    assert format_date_range(dt.date(2027, 1, 4), dt.date(2027, 3, 28)) == "4 Jan 2027 to 28 Mar 2027"
    assert format_date_range(None, dt.date(2027, 3, 28)) == ""


@override_settings(TIME_ZONE="Europe/London")
def test_a_moment_is_written_in_local_time() -> None:
    moment = dt.datetime(2027, 7, 1, 23, 30, tzinfo=dt.UTC)  # 00:30 on 2 July in London

    assert (format_moment(moment), format_date(moment)) == ("2 Jul 2027, 00:30", "2 Jul 2027")


def test_fte_has_two_decimals_whatever_it_comes_as() -> None:
    assert [format_fte(Decimal("0.5")), format_fte("1"), format_fte(-1.5), format_fte(0)] == [
        "0.50",
        "1.00",
        "-1.50",
        "0.00",
    ]


def test_the_template_filters_write_the_same_and_nothing_for_none() -> None:
    template = Template("{% load spectrum %}{{ on|day }}|{{ fte|fte }}|{{ missing|day }}|{{ missing|fte }}")

    assert template.render(Context({"on": dt.date(2027, 1, 4), "fte": Decimal("0.8"), "missing": None})) == (
        "4 Jan 2027|0.80||"
    )


def test_fte_from_any_number_is_rounded_to_hundredths() -> None:
    # SQLite sums decimals as floats: Decimal("3.80000000000000"), 1.6000000000000001.
    assert [format_fte(Decimal("3.80000000000000")), format_fte(1.6000000000000001), format_fte(2)] == [
        "3.80",
        "1.60",
        "2.00",
    ]


def test_a_fit_reads_as_a_whole_percentage_and_only_a_perfect_one_as_100() -> None:
    assert [format_fit(0.9667), format_fit(Decimal("0.7143")), format_fit(0.005), format_fit(1.0)] == [
        "97%",
        "71%",
        "1%",
        "100%",
    ]
    assert (format_fit(0.9951), format_fit(0), format_fit(0.125)) == ("99%", "0%", "13%")


def test_the_fit_filter_writes_a_percentage_and_nothing_for_none() -> None:
    template = Template("{% load spectrum %}{{ fit|fit }}|{{ missing|fit }}|{{ sum|fte }}")

    assert template.render(Context({"fit": 0.9667, "missing": None, "sum": Decimal("1.60000000000000")})) == (
        "97%||1.60"
    )
