from django import template

from staffing import charts

register = template.Library()


@register.filter
def level_label(level: int | None) -> str:
    """``3`` → ``"3 Practitioner"``; empty for no level."""
    if level is None or level == "":
        return ""
    return charts.level_label(int(level))
