from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from roles.models import Profession
from roles.selectors import spectrum_of
from skills.api.serializers import LEVELS_BY_SKILL


class ProfessionSerializer(serializers.ModelSerializer):
    spectrum = serializers.SerializerMethodField(help_text="The level expected in each skill, by skill slug.")

    class Meta:
        model = Profession
        fields = ["slug", "name", "spectrum"]

    @extend_schema_field(LEVELS_BY_SKILL)
    def get_spectrum(self, profession: Profession) -> dict[str, int]:
        return spectrum_of(profession=profession)
