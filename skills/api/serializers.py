from rest_framework import serializers

from skills.models import MAX_LEVEL, MIN_LEVEL, Skill, SkillGroup

# How ``{skill_slug: level}`` objects appear in the schema (a profession's spectrum, a person's ratings).
LEVELS_BY_SKILL = serializers.DictField(child=serializers.IntegerField(min_value=MIN_LEVEL, max_value=MAX_LEVEL))


class SkillGroupSerializer(serializers.ModelSerializer):
    skills: "serializers.SlugRelatedField[Skill]" = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )

    class Meta:
        model = SkillGroup
        fields = ["slug", "name", "skills"]


class SkillSerializer(serializers.ModelSerializer):
    group: "serializers.SlugRelatedField[SkillGroup]" = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Skill
        fields = ["slug", "name", "group"]
