from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from people import services
from people.access import acting_user, visible_people
from people.api.serializers import (
    RATINGS_SCHEMA,
    PersonInput,
    PersonSerializer,
    RatingsInput,
    TeamInput,
    TeamSerializer,
)
from people.filters import PersonFilter
from people.models import Person, Team
from people.permissions import ManagersChangePeople, ManagersChangeTeams, MayRate
from people.selectors import list_people, list_teams


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Staff: their profession, team, capacity and skill ratings.

    Managers, leads and integration clients see everyone; other staff see only themselves.
    """

    serializer_class = PersonSerializer
    filterset_class = PersonFilter
    permission_classes = [IsAuthenticated, ManagersChangePeople]

    def get_queryset(self) -> QuerySet[Person]:
        # Writes answer with a fresh read (``_answer``), so only reads need the ratings prefetched.
        people = list_people() if self.action in ("list", "retrieve") else Person.objects.all()
        return visible_people(self.request.user, people)

    def _answer(self, person: Person, status_code: int = status.HTTP_200_OK) -> Response:
        person = list_people().get(pk=person.pk)
        return Response(PersonSerializer(person).data, status=status_code)

    @extend_schema(request=PersonInput, responses={201: PersonSerializer})
    def create(self, request: Request) -> Response:
        """Add a person (managers only)."""
        serializer = PersonInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.create_person(**serializer.validated_data)
        return self._answer(person, status.HTTP_201_CREATED)

    @extend_schema(request=PersonInput, responses=PersonSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a person's name, profession, team or capacity (managers only)."""
        person = self.get_object()
        serializer = PersonInput(person, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        person = services.update_person(person=person, changes=serializer.validated_data)
        return self._answer(person)

    @extend_schema(request={"application/json": RATINGS_SCHEMA}, responses=PersonSerializer)
    @action(detail=True, methods=["put"], permission_classes=[IsAuthenticated, MayRate])
    def ratings(self, request: Request, pk: str) -> Response:
        """Set skill levels, all or none; each change is recorded with who made it and when.

        A person may rate themselves (a self-assessment); a lead rates the people of their team.
        """
        person = self.get_object()
        serializer = RatingsInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        person = services.set_ratings(person=person, levels=serializer.validated_data, actor=acting_user(request.user))
        return self._answer(person)


class TeamViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Teams and the person who leads each."""

    serializer_class = TeamSerializer
    permission_classes = [IsAuthenticated, ManagersChangeTeams]

    def get_queryset(self) -> QuerySet[Team]:
        return list_teams()

    @extend_schema(request=TeamInput, responses={201: TeamSerializer})
    def create(self, request: Request) -> Response:
        """Add a team (managers only)."""
        serializer = TeamInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        team = services.create_team(**serializer.validated_data)
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)
