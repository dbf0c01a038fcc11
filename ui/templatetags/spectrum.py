import datetime as dt
from decimal import Decimal

from django import template
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.html import format_html

from ui.formats import format_date, format_fit, format_fte, format_moment

register = template.Library()


@register.filter
def display_name(user: User) -> str:
    """How the product names a user: their full name, else their username."""
    return user.get_full_name() or user.get_username()


@register.filter
def timestamp(moment: dt.datetime) -> str:
    """A ``<time>`` element for a moment, shown as ``26 Nov 2026, 09:30`` in the local time zone."""
    local = timezone.localtime(moment)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), format_moment(local))


@register.filter
def day(value: dt.date | None) -> str:
    """A date (or a moment's local day) as ``3 Dec 2026``; nothing for none."""
    return "" if value is None else format_date(value)


@register.filter
def moment(value: dt.datetime | None) -> str:
    """A moment as ``3 Dec 2026, 09:30`` in the local time zone, as plain text; nothing for none."""
    return "" if value is None else format_moment(value)


@register.filter
def fte(value: Decimal | float | int | str | None) -> str:
    """An amount of FTE as ``0.50``, whatever number it comes as; nothing for none."""
    return "" if value is None or value == "" else format_fte(value)


@register.filter
def fit(value: Decimal | float | None) -> str:
    """A candidate's fit as a percentage, ``97%``; nothing for none."""
    return "" if value is None else format_fit(value)
