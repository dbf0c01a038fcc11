from rest_framework import serializers

from projects.models import Project, ProjectTemplate


class ProjectSerializer(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Project
        fields = ["id", "name", "template", "phase", "starts_on", "ends_on"]
        read_only_fields = fields


class ProjectInput(serializers.ModelSerializer):
    template = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=ProjectTemplate.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": "There is no project template with the slug {value}."},
        help_text="The slug of the template to start from; left out or null for a blank project.",
    )

    class Meta:
        model = Project
        fields = ["name", "template", "starts_on", "ends_on"]

    def validate(self, attrs: dict) -> dict:
        if attrs["ends_on"] < attrs["starts_on"]:
            raise serializers.ValidationError({"ends_on": ["A project cannot end before it starts."]})
        return attrs
