from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.errors import RuleError
from people.access import acting_user
from people.permissions import MaySeeCandidates, MaySuggestTeam
from projects.models import Project, RoleSlot
from staffing.api.serializers import (
    CandidateQuery,
    CandidateSerializer,
    OrganisationReportRequest,
    ProjectReportRequest,
    ReportCreatedSerializer,
    ReportRequestInput,
    ReportSerializer,
    ReportSummarySerializer,
    SuggestedTeamSerializer,
    SuggestTeamInput,
    TeamReportRequest,
)
from staffing.exports import (
    ALL_TABLE_KEYS,
    CONTENT_TYPES,
    TABLE_KEYS,
    Table,
    chosen_table,
    csv_response,
    file_tables,
    unknown_table_message,
    xlsx_response,
)
from staffing.models import Report
from staffing.ranking import rank_candidates
from staffing.report_selectors import (
    list_reports,
    report_for,
    report_labels,
    request_refusal,
    visible_result,
)
from staffing.report_text import report_title
from staffing.services import (
    MAX_PENDING_REPORTS,
    MAX_REPORT_YEARS,
    ReportQueueUnavailable,
    TooManyPendingReports,
    request_report,
    rerun_report,
)
from staffing.suggest import suggest_team


class CandidateListView(GenericAPIView):
    """The people who could fill a slot, best first: fit, then free capacity, then name.

    People without a certification the slot requires are listed after everyone else, with the reason.
    """

    serializer_class = CandidateSerializer
    permission_classes = [IsAuthenticated, MaySeeCandidates]
    queryset = RoleSlot.objects.none()  # names the path's model for the schema; the ranking is the data

    @extend_schema(parameters=[CandidateQuery], responses=CandidateSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        slot = get_object_or_404(RoleSlot, pk=pk)
        query = CandidateQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        team, profession = query.validated_data.get("team"), query.validated_data.get("profession")
        ranking = rank_candidates(
            slot=slot,
            available_only=query.validated_data["available_only"],
            team_id=team.pk if team else None,
            profession_id=profession.pk if profession else None,
        )
        page = self.paginate_queryset(ranking)
        return self.get_paginated_response(CandidateSerializer(page, many=True).data)


class SuggestTeamView(APIView):
    """The team for the project's open slots with the largest Σ fte·fit, solved exactly.

    Slots whose unfilled FTE tentative assignments already propose are left out (``left_out``)
    unless ``reconsider_proposed`` is true.
    """

    permission_classes = [IsAuthenticated, MaySuggestTeam]

    @extend_schema(request=SuggestTeamInput, responses=SuggestedTeamSerializer)
    def post(self, request: Request, pk: int) -> Response:
        project = get_object_or_404(Project, pk=pk)
        query = SuggestTeamInput(data=request.data)
        query.is_valid(raise_exception=True)
        team = suggest_team(project=project, reconsider_proposed=query.validated_data["reconsider_proposed"])
        return Response(
            SuggestedTeamSerializer(
                {
                    "slots": [{"slot": s, "person": p, "fit": fit} for s, p, fit in team.assignments],
                    "objective": team.objective,
                    "greedy_objective": team.greedy_objective,
                    "left_out": team.left_out,
                }
            ).data
        )


class ReportViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Skill-gap reports, computed in the background.

    Managers see every report; team leads the ones they requested, their teams' and the organisation
    reports; anyone else the reports they requested.
    """

    serializer_class = ReportSummarySerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self) -> QuerySet[Report]:
        if self.action == "list":
            return list_reports(user=self.request.user)
        return report_for(user=self.request.user)

    @extend_schema(
        # Each kind needs its own subject: the schema says so with one shape per kind.
        request=PolymorphicProxySerializer(
            component_name="ReportRequest",
            serializers=[ProjectReportRequest, TeamReportRequest, OrganisationReportRequest],
            resource_type_field_name="kind",
        ),
        responses={
            202: ReportCreatedSerializer,
            400: OpenApiResponse(
                description=(
                    "A missing or unknown subject, or a range that ends before it starts or covers more than "
                    f"{MAX_REPORT_YEARS} years."
                )
            ),
            403: OpenApiResponse(description="The user may not request this report."),
            429: OpenApiResponse(
                description=(
                    f"The user already has {MAX_PENDING_REPORTS} reports queued or running; nothing was saved. "
                    "Request again once one has finished or failed."
                )
            ),
            503: OpenApiResponse(description="The job queue cannot be reached; nothing was saved."),
        },
    )
    def create(self, request: Request) -> Response:
        """Start a report; poll ``reports/{id}/`` until its status is ``done`` or ``failed``.

        A lead may request team reports for the teams they lead and the organisation report; other
        staff project reports only. An organisation report covers at most 3 years, and one user may
        have at most 3 reports queued or running at once.
        """
        serializer = ReportRequestInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        refused = request_refusal(user=request.user, kind=data["kind"], team=data.get("team"))
        if refused:
            raise exceptions.PermissionDenied(refused)
        try:
            report = request_report(requested_by=acting_user(request.user), **data)
        except TooManyPendingReports as too_many:
            return Response({"detail": too_many.message}, status=status.HTTP_429_TOO_MANY_REQUESTS)
        except ReportQueueUnavailable as unavailable:
            return Response({"detail": unavailable.message}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        report.refresh_from_db(fields=["status"])  # jobs run in-process when no broker is configured
        return Response(ReportCreatedSerializer(report).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(responses=ReportSerializer)
    def retrieve(self, request: Request, pk: str) -> Response:
        """A report's status, progress and, once done, its result."""
        report = self.get_object()
        result = visible_result(report=report, user=request.user)
        return Response(ReportSerializer(report, context={"result": result}).data)

    @extend_schema(
        request=None,
        responses={
            202: ReportCreatedSerializer,
            403: OpenApiResponse(description="The user may not request this report."),
            404: OpenApiResponse(description="No such report, or one the user may not see."),
            409: OpenApiResponse(description="The report is not stalled; nothing changed."),
            503: OpenApiResponse(description="The job queue cannot be reached; nothing changed."),
        },
    )
    @action(detail=True, methods=["post"], url_path="run-again")
    def run_again(self, request: Request, pk: str) -> Response:
        """Start a stalled report again (``stalled`` is true: running, with no progress for 5 minutes).

        Anyone who may request the report may run it again. Its progress starts over; should the old
        job come back to life or be delivered again, the report is still finished once.
        """
        report = self.get_object()
        refused = request_refusal(user=request.user, kind=report.kind, team=report.team)
        if refused:
            raise exceptions.PermissionDenied(refused)
        try:
            report = rerun_report(report_id=report.pk)
        except ReportQueueUnavailable as unavailable:
            return Response({"detail": unavailable.message}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        report.refresh_from_db(fields=["status"])  # jobs run in-process when no broker is configured
        return Response(ReportCreatedSerializer(report).data, status=status.HTTP_202_ACCEPTED)


class IgnoreAcceptHeader(BaseContentNegotiation):
    """Downloads answer with their file whatever the client accepts, and errors always in JSON."""

    def select_parser(self, request: Request, parsers: Iterable[BaseParser]) -> BaseParser:
        return next(iter(parsers))

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class ReportExportView(GenericAPIView):
    """A finished report's tables as a file (409 while the report is not done)."""

    permission_classes = [IsAuthenticated]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IgnoreAcceptHeader
    pagination_class = None
    queryset = Report.objects.none()  # names the path's model for the schema; report_for() is the data

    def finished_tables(self, request: Request, pk: int) -> tuple[Report, list[Table]]:
        """The report ``pk`` the user may see, and every table of its downloads as they may read it."""
        report = get_object_or_404(report_for(user=request.user), pk=pk)
        result = visible_result(report=report, user=request.user)
        if report.status != Report.Status.DONE or result is None:
            raise RuleError(f"The report is {report.status}; it can be downloaded once it is done.")
        return report, file_tables(report, result, report_labels(report=report, result=result, user=request.user))


EXPORT_ERRORS = {
    404: OpenApiResponse(description="No such report, or one the user may not see."),
    409: OpenApiResponse(description="The report is not done yet."),
}
TABLES_BY_KIND = "; ".join(f"{kind}: {', '.join(keys)}" for kind, keys in TABLE_KEYS.items())


class ReportCsvView(ReportExportView):
    """One table of the report as a CSV file: a line of column headings, then its rows.

    ``?table=`` names the table; without it, the report's main table (the first of its kind). Each
    table is a file of its own, so that any CSV reader reads it as it is.
    """

    @extend_schema(
        operation_id="reports_export_csv",
        parameters=[
            OpenApiParameter(
                "table",
                str,
                enum=ALL_TABLE_KEYS,
                description=(
                    "The table to download; without it, the report's main table (the first listed for its kind). "
                    f"The tables of each kind of report, main table first: {TABLES_BY_KIND}. "
                    "`recommendations` holds the report's recommendations, a sentence a row. "
                    "A table the report's kind does not have is a 400."
                ),
            )
        ],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            400: OpenApiResponse(description='The report\'s kind has no such table: `{"table": [message]}`.'),
            **EXPORT_ERRORS,
        },
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        report, tables = self.finished_tables(request, pk)
        table = chosen_table(tables, request.query_params.get("table"))
        if table is None:
            raise exceptions.ValidationError({"table": [unknown_table_message(report.kind, tables)]})
        return csv_response(report, table)


class ReportXlsxView(ReportExportView):
    """The report's tables as a spreadsheet, one sheet per table, and its recommendations on a last sheet."""

    @extend_schema(
        operation_id="reports_export_xlsx",
        responses={(200, CONTENT_TYPES["xlsx"]): OpenApiTypes.BINARY, **EXPORT_ERRORS},
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        report, tables = self.finished_tables(request, pk)
        return xlsx_response(report, tables, title=report_title(report))
