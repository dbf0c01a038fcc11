from rest_framework import serializers


class CandidateSerializer(serializers.Serializer):
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField()
    fit = serializers.FloatField(help_text="1 is a perfect fit; rounded to 4 decimals.")
    free_fte = serializers.DecimalField(max_digits=3, decimal_places=2, coerce_to_string=False)
    eligible = serializers.BooleanField()
    reasons = serializers.ListField(child=serializers.CharField(), help_text="Why an ineligible person is.")
    shortfall = serializers.DictField(
        child=serializers.IntegerField(), help_text="Levels missing per skill, for skills with a shortfall."
    )


class CandidateQuery(serializers.Serializer):
    available_only = serializers.BooleanField(default=False, help_text="Only people with free capacity.")
    team = serializers.IntegerField(required=False, min_value=1, help_text="Only people of this team (id).")
    profession = serializers.SlugField(required=False, help_text="Only people of this profession (slug).")


class SuggestedSlotSerializer(serializers.Serializer):
    slot = serializers.IntegerField()
    person = serializers.IntegerField()
    fit = serializers.FloatField()


class SuggestedTeamSerializer(serializers.Serializer):
    slots = SuggestedSlotSerializer(many=True)
    objective = serializers.FloatField(help_text="Σ fte·fit over the filled slots, the largest possible.")
    greedy_objective = serializers.FloatField(help_text="What filling slot by slot with the best person finds.")
