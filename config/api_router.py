"""Every endpoint of the REST API, mounted at /api/v1/."""

from typing import Any

from django.urls import path
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from config.auth import TokenAddressThrottle, TokenUsernameThrottle, issue_token, lockout_message
from config.parsers import BoundedJSONParser
from people.api.holidays import ClosureDetailView, HolidayListView
from people.api.views import AbsenceViewSet, PersonViewSet, TeamViewSet
from projects.api.views import AssignmentHistoryViewSet, AssignmentViewSet, ProjectViewSet, SlotViewSet
from roles.api.views import ProfessionViewSet
from skills.api.views import SkillGroupViewSet, SkillViewSet
from staffing.api.views import CandidateListView, ReportCsvView, ReportViewSet, ReportXlsxView, SuggestTeamView


class ApiDocsView(SpectacularSwaggerView):
    """Swagger UI for signed-in users; its errors are JSON like the rest of the API."""

    permission_classes = [IsAuthenticated]

    def handle_exception(self, exc: Exception) -> Response:
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)


class TokenView(ObtainAuthToken):
    """Exchange a username and password for the token to send as `Authorization: Token <token>`."""

    parser_classes = (BoundedJSONParser,)
    # Credentials are in the body; a stale token header must not stand in the way of getting a new one.
    authentication_classes = ()
    throttle_classes = (TokenAddressThrottle, TokenUsernameThrottle)

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # django-axes marks the request when this try was refused for too many failures.
            if getattr(request, "axes_locked_out", False):
                return Response({"detail": lockout_message()}, status=429)
            raise ValidationError(serializer.errors)
        return Response({"token": issue_token(user=serializer.validated_data["user"]).key})


# drf-spectacular's own hook, then the refusals every operation may answer.
ENUM_HOOKS = ["drf_spectacular.hooks.postprocess_schema_enums"]

router = DefaultRouter()
router.include_format_suffixes = False
router.register("skill-groups", SkillGroupViewSet, basename="skill-group")
router.register("skills", SkillViewSet, basename="skill")
router.register("professions", ProfessionViewSet, basename="profession")
router.register("people", PersonViewSet, basename="person")
router.register("teams", TeamViewSet, basename="team")
router.register("absences", AbsenceViewSet, basename="absence")
router.register("projects", ProjectViewSet, basename="project")
router.register("slots", SlotViewSet, basename="slot")
router.register("assignments", AssignmentViewSet, basename="assignment")
router.register("assignment-changes", AssignmentHistoryViewSet, basename="assignment-change")
router.register("reports", ReportViewSet, basename="report")

urlpatterns = [
    path("auth/token/", TokenView.as_view(), name="api-token"),
    path(
        "schema/",
        # JSON first, like the rest of the API; YAML on request (Accept: application/vnd.oai.openapi).
        SpectacularAPIView.as_view(
            renderer_classes=[OpenApiJsonRenderer, OpenApiJsonRenderer2, OpenApiYamlRenderer],
            permission_classes=[IsAuthenticated],
            custom_settings={
                "POSTPROCESSING_HOOKS": [
                    "drf_spectacular.hooks.postprocess_schema_enums",
                    "config.api_schema.add_refusals",
                ]
            },
        ),
        name="api-schema",
    ),
    # Swagger UI served from our own static files, so it works without reaching the internet.
    path(
        "docs/",
        ApiDocsView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
    path("holidays/", HolidayListView.as_view(), name="holiday-list"),
    path("holidays/<str:date>/", ClosureDetailView.as_view(), name="closure-detail"),
    path("slots/<int:pk>/candidates/", CandidateListView.as_view(), name="slot-candidates"),
    path("projects/<int:pk>/suggest-team/", SuggestTeamView.as_view(), name="project-suggest-team"),
    path("reports/<int:pk>/export.csv", ReportCsvView.as_view(), name="report-export-csv"),
    path("reports/<int:pk>/export.xlsx", ReportXlsxView.as_view(), name="report-export-xlsx"),
    *router.urls,
]
