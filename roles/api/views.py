from django.db.models import QuerySet
from rest_framework import viewsets

from roles.api.serializers import ProfessionSerializer
from roles.models import Profession
from roles.selectors import list_professions


class ProfessionViewSet(viewsets.ReadOnlyModelViewSet):
    """The professions and their skill spectrum: the level each is expected to hold in every skill."""

    serializer_class = ProfessionSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Profession]:
        return list_professions()
