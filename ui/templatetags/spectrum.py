import datetime as dt

from django import template
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html

register = template.Library()


@register.filter
def display_name(user: User) -> str:
    """How the product names a user: their full name, else their username."""
    return user.get_full_name() or user.get_username()


@register.filter
def timestamp(moment: dt.datetime) -> str:
    """A ``<time>`` element for a moment, shown as ``26 Nov 2026, 09:30`` in the local time zone."""
    local = timezone.localtime(moment)
    return format_html('<time datetime="{}">{}</time>', local.isoformat(), date_format(local, "j M Y, H:i"))
