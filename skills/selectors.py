from django.db.models import Prefetch, QuerySet

from skills.models import Skill, SkillGroup


def list_skills() -> QuerySet[Skill]:
    """Every skill in catalogue order (group order, then skill order)."""
    return Skill.objects.select_related("group").order_by("group__order", "order", "name")


def list_skill_groups_with_skills() -> QuerySet[SkillGroup]:
    """Skill groups in order with their skills prefetched in catalogue order (two queries)."""
    skills = Skill.objects.order_by("order", "name")
    return SkillGroup.objects.prefetch_related(Prefetch("skills", queryset=skills)).order_by("order", "name")
