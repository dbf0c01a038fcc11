from django import template

from skills.models import LEVEL_NAMES
from ui.charts import level_label as labelled

register = template.Library()


@register.filter
def level_label(level: int | None) -> str:
    """``3`` → ``"3 Practitioner"``; empty for no level."""
    if level is None or level == "":
        return ""
    return labelled(int(level), LEVEL_NAMES[int(level)])
