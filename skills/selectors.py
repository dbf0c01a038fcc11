from django.db.models import QuerySet

from skills.models import Skill, SkillGroup


def list_skill_groups() -> QuerySet[SkillGroup]:
    return SkillGroup.objects.order_by("order", "name")


def list_skills() -> QuerySet[Skill]:
    """Every skill in catalogue order (group order, then skill order)."""
    return Skill.objects.select_related("group").order_by("group__order", "order", "name")
