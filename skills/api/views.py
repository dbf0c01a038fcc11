from django.db.models import QuerySet
from rest_framework import viewsets

from skills.api.serializers import SkillGroupSerializer, SkillSerializer
from skills.models import Skill, SkillGroup
from skills.selectors import list_skill_groups_with_skills, list_skills


class SkillGroupViewSet(viewsets.ReadOnlyModelViewSet):
    """The skill groups in catalogue order, each with the slugs of its skills."""

    serializer_class = SkillGroupSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[SkillGroup]:
        return list_skill_groups_with_skills()


class SkillViewSet(viewsets.ReadOnlyModelViewSet):
    """The skills in catalogue order; `group` is the slug of the skill's group."""

    serializer_class = SkillSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Skill]:
        return list_skills()
