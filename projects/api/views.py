from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from people.api.permissions import ManagersChangeProjects
from projects import services
from projects.api.serializers import ProjectInput, ProjectSerializer
from projects.models import Project
from projects.selectors import list_projects


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Data projects and the phase each is in. Everyone signed in reads them; managers create them."""

    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated, ManagersChangeProjects]

    def get_queryset(self) -> QuerySet[Project]:
        return list_projects()

    @extend_schema(request=ProjectInput, responses={201: ProjectSerializer})
    def create(self, request: Request) -> Response:
        """Start a project, blank or from a template; it begins in problem understanding."""
        serializer = ProjectInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        project = services.create_project(**serializer.validated_data, actor=request.user)
        return Response(ProjectSerializer(project).data, status=status.HTTP_201_CREATED)
