from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from people.access import acting_user
from people.permissions import ManagersChangeProjects
from projects import services
from projects.api.filters import AssignmentFilter, AssignmentHistoryFilter, SlotFilter
from projects.api.serializers import (
    AdvanceInput,
    AssignmentChangeInput,
    AssignmentHistorySerializer,
    AssignmentInput,
    AssignmentSerializer,
    PhaseMoveSerializer,
    ProjectInput,
    ProjectSerializer,
    SlotChangeInput,
    SlotInput,
    SlotSerializer,
)
from projects.models import Assignment, AssignmentChange, Project, RoleSlot
from projects.selectors import (
    list_projects,
    list_slots,
    phase_history,
    visible_assignment_changes,
    visible_assignments,
)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Data projects and the phase each is in. Everyone signed in reads them; managers change them."""

    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated, ManagersChangeProjects]

    def get_queryset(self) -> QuerySet[Project]:
        return list_projects()

    @extend_schema(request=ProjectInput, responses={201: ProjectSerializer})
    def create(self, request: Request) -> Response:
        """Start a project, blank or from a template; it begins in problem understanding."""
        serializer = ProjectInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.create_project(**serializer.validated_data, actor=acting_user(request.user))
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=AdvanceInput, responses={200: ProjectSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def advance(self, request: Request, pk: str) -> Response:
        """Move the project to the next phase, or back to an earlier one with a note (409 when refused)."""
        project = self.get_object()
        serializer = AdvanceInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.advance_phase(project=project, **serializer.validated_data, actor=acting_user(request.user))
        return Response(ProjectSerializer(list_projects().get(pk=project.pk)).data)

    @extend_schema(responses=PhaseMoveSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request: Request, pk: str) -> Response:
        """Every phase move of the project, oldest first."""
        return Response(PhaseMoveSerializer(phase_history(project=self.get_object()), many=True).data)


class SlotViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Role slots: a project's demand for a profession, for some phases, dates and FTE."""

    serializer_class = SlotSerializer
    filterset_class = SlotFilter
    permission_classes = [IsAuthenticated, ManagersChangeProjects]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[RoleSlot]:
        return list_slots()

    def _answer(self, slot: RoleSlot, status_code: int = status.HTTP_200_OK) -> Response:
        return Response(SlotSerializer(list_slots().get(pk=slot.pk)).data, status=status_code)

    @extend_schema(request=SlotInput, responses={201: SlotSerializer})
    def create(self, request: Request) -> Response:
        """Open a slot; its requirements start from the profession's spectrum, changed by ``requirements``."""
        serializer = SlotInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        slot = services.create_slot(**serializer.validated_data, actor=acting_user(request.user))
        return self._answer(slot, status.HTTP_201_CREATED)

    @extend_schema(request=SlotChangeInput, responses={200: SlotSerializer, 409: None})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a slot; ``requirements``, when sent, replace the slot's requirements.

        An ``fte`` below the slot's confirmed cover on some day over-fills it: 409 naming the first
        such day and the figures, unless ``allow_overfill`` is true.
        """
        slot = self.get_object()
        serializer = SlotChangeInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        slot = services.update_slot(slot=slot, **serializer.validated_data, actor=acting_user(request.user))
        return self._answer(slot)

    @extend_schema(request=None, responses={200: SlotSerializer, 409: None})
    @action(detail=True, methods=["post"])
    def close(self, request: Request, pk: str) -> Response:
        """Close the slot; its tentative assignments are released."""
        slot = services.close_slot(slot=self.get_object(), actor=acting_user(request.user))
        return self._answer(slot)


class AssignmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """People in slots. Confirmed assignments never book anyone beyond their capacity (409), nor cover
    a slot beyond its FTE on any day unless the request says ``allow_overfill`` (409 otherwise)."""

    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    permission_classes = [IsAuthenticated, ManagersChangeProjects]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Assignment]:
        return visible_assignments(user=self.request.user)

    def _answer(self, assignment: Assignment, status_code: int = status.HTTP_200_OK) -> Response:
        assignment = Assignment.objects.select_related("slot").get(pk=assignment.pk)
        return Response(AssignmentSerializer(assignment).data, status=status_code)

    @extend_schema(request=AssignmentInput, responses={201: AssignmentSerializer, 409: None})
    def create(self, request: Request) -> Response:
        """Propose (tentative) or confirm a person in a slot; dates default to the slot's.

        409 when a confirmation would book the person beyond their capacity, or over-fill the slot
        without ``allow_overfill``, naming the first such day and the figures.
        """
        serializer = AssignmentInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        slot = data["slot"]
        assignment = services.assign_person(
            slot=slot,
            person=data["person"],
            starts_on=data.get("starts_on", slot.starts_on),
            ends_on=data.get("ends_on", slot.ends_on),
            allocation=data["allocation"],
            status=data["status"],
            allow_overfill=data["allow_overfill"],
            actor=acting_user(request.user),
        )
        return self._answer(assignment, status.HTTP_201_CREATED)

    @extend_schema(request=AssignmentChangeInput, responses={200: AssignmentSerializer, 409: None})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change dates or allocation, or confirm; a confirmed result is checked against the person's
        capacity and the slot's FTE (409 on over-fill without ``allow_overfill``)."""
        assignment = self.get_object()
        serializer = AssignmentChangeInput(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        assignment = services.change_assignment(
            assignment=assignment, **serializer.validated_data, actor=acting_user(request.user)
        )
        return self._answer(assignment)

    def destroy(self, request: Request, pk: str) -> Response:
        """Release the person from the slot; the audit trail keeps what the assignment was."""
        services.release_assignment(assignment=self.get_object(), actor=acting_user(request.user))
        return Response(status=status.HTTP_204_NO_CONTENT)


class AssignmentHistoryViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Every change to assignments, oldest first: created, updated (with before and after) and released.

    Integrations catching up read ``?since=`` their last sync; a released assignment appears here
    although it is gone from ``assignments/``. Staff see the changes to their own assignments.
    """

    serializer_class = AssignmentHistorySerializer
    filterset_class = AssignmentHistoryFilter

    def get_queryset(self) -> QuerySet[AssignmentChange]:
        return visible_assignment_changes(user=self.request.user)
