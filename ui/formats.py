"""How the product writes dates and FTE, on its pages and in its messages alike.

One function per format, so a page, a flash message and a sentence in a report never disagree:
``format_date`` (``3 Dec 2026``), ``format_date_range`` (``3 Dec 2026 to 4 Jan 2027``),
``format_moment`` (``3 Dec 2026, 09:30`` in the local time zone), ``format_fte`` (``0.50``),
``format_fit`` (``97%``) and, for figures a page shows with their sign, ``format_signed`` (``−0.50``
with a true minus sign).
The template filters in ``ui.templatetags.spectrum`` call these.
"""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

HUNDREDTH = Decimal("0.01")


def format_date(day: dt.date) -> str:
    """``3 Dec 2026``: the day without a leading zero, the month's short name, the year.

    A moment (a ``datetime``) is written as its day in the local time zone.
    """
    if isinstance(day, dt.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return f"{day.day} {day:%b %Y}"


def format_date_range(starts_on: dt.date | None, ends_on: dt.date | None) -> str:
    """``3 Dec 2026 to 4 Jan 2027``; empty when either end is missing."""
    if starts_on is None or ends_on is None:
        return ""
    return f"{format_date(starts_on)} to {format_date(ends_on)}"


def format_moment(moment: dt.datetime) -> str:
    """``3 Dec 2026, 09:30``: a moment's day and time in the local time zone."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    return f"{format_date(local.date())}, {local:%H:%M}"


def format_fte(value: Decimal | float | int | str) -> str:
    """``0.50``: an amount of FTE with two decimals (a negative one with a hyphen-minus).

    Any number will do: a ``Decimal`` with more places (as SQLite sums them), a float, an integer.
    """
    return f"{Decimal(str(value)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP):.2f}"


def fit_percent(value: Decimal | float | str) -> int:
    """A fit (0 to 1) as a whole percentage, rounded half up; only a perfect fit is 100.

    A fit just short of perfect (0.9951) is 99, so two candidates never both look perfect when one
    is not.
    """
    fit = Decimal(str(value))
    percent = int((fit * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return min(percent, 99) if fit < 1 else percent


def format_fit(value: Decimal | float | str) -> str:
    """``97%``: a fit as a whole percentage (``fit_percent``)."""
    return f"{fit_percent(value)}%"


MINUS = "−"  # the true minus sign, which reads better than a hyphen beside figures


def format_signed(value: Decimal | float | int | str, *, places: int = 2) -> str:
    """``−0.50``, ``1.50``: a figure with ``places`` decimals and, when negative, a true minus sign."""
    return f"{Decimal(str(value)):.{places}f}".replace("-", MINUS)
