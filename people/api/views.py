from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from people import services
from people.access import acting_user, may_record_absence, visible_absences, visible_people
from people.api.serializers import (
    RATINGS_SCHEMA,
    AbsenceInput,
    AbsenceSerializer,
    PersonInput,
    PersonSerializer,
    RatingsInput,
    TeamInput,
    TeamSerializer,
)
from people.filters import AbsenceFilter, PersonFilter
from people.models import Absence, Person, Team
from people.permissions import ManagersChangePeople, ManagersChangeTeams, MayRate, MayRecordAbsence
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


class AbsenceViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Absences: leave, sickness, training or other, in whole or half days, both ends included.

    A person records their own, a lead their team's people's, a manager anyone's. Whoever reads
    everyone sees every absence, but only the person, their lead and managers see a sickness as such
    and the notes; others see ``other`` and an empty note. Staff see only their own absences.
    """

    serializer_class = AbsenceSerializer
    filterset_class = AbsenceFilter
    permission_classes = [IsAuthenticated, MayRecordAbsence]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Absence]:
        return visible_absences(self.request.user).order_by("starts_on", "id")

    def _answer(self, absence: Absence, status_code: int = status.HTTP_200_OK) -> Response:
        absence = visible_absences(self.request.user).get(pk=absence.pk)
        return Response(AbsenceSerializer(absence).data, status=status_code)

    @extend_schema(request=AbsenceInput, responses={201: AbsenceSerializer})
    def create(self, request: Request) -> Response:
        """Record an absence (403 for a person the user may not record absences of)."""
        serializer = AbsenceInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if not may_record_absence(request.user, data["person"]):
            raise PermissionDenied(MayRecordAbsence.message)
        absence = services.record_absence(**data, actor=acting_user(request.user))
        return self._answer(absence, status.HTTP_201_CREATED)

    @extend_schema(request=AbsenceInput, responses=AbsenceSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change an absence's person, dates, fraction, kind or note; each change is audited."""
        absence = self.get_object()
        serializer = AbsenceInput(data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        person = serializer.validated_data.get("person")
        if person is not None and not may_record_absence(request.user, person):
            raise PermissionDenied(MayRecordAbsence.message)
        absence = services.change_absence(
            absence=absence, changes=serializer.validated_data, actor=acting_user(request.user)
        )
        return self._answer(absence)

    def destroy(self, request: Request, pk: str) -> Response:
        """Delete an absence; the audit trail keeps what it was."""
        services.delete_absence(absence=self.get_object(), actor=acting_user(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)
