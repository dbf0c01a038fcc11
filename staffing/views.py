from dataclasses import dataclass
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from config.errors import RuleError
from people.access import acting_user, may_change_projects, may_see_candidates, may_suggest_team
from people.selectors import list_teams, person_of
from projects import services as project_services
from projects.forms import ApplyTeamForm, CandidateFilterForm, SuggestTeamForm
from projects.models import AssignmentStatus, Phase, RoleSlot
from projects.page_helpers import project_or_404, show_refusal, slot_or_404
from projects.selectors import (
    group_projects_by_phase,
    list_assignments_of,
    overbooked_if_confirmed,
    overfilled_if_confirmed,
    slot_assignments,
)
from roles.models import Profession
from staffing.exports import (
    Table,
    chosen_table,
    csv_response,
    file_tables,
    report_tables,
    weekly_demand_matrix,
    with_recommendations,
    xlsx_response,
)
from staffing.forms import ReportRequestForm
from staffing.models import Report
from staffing.ranking import rank_candidates
from staffing.report_charts import report_heatmap
from staffing.report_selectors import (
    headline_gaps,
    latest_organisation_report,
    list_reports,
    report_for,
    report_labels,
    request_refusal,
    visible_result,
)
from staffing.report_text import recommendations, report_title
from staffing.report_types import OrganisationResult
from staffing.selectors import explain_candidates, name_suggestion
from staffing.services import (
    ReportQueueUnavailable,
    TooManyPendingReports,
    request_report,
    rerun_report,
    stalled_minutes,
)
from staffing.suggest import suggest_team
from ui.charts import coverage_bar, fit_bar
from ui.htmx import is_htmx, wants_fragment

REPORTS_PER_PAGE = 25
CANDIDATES_PER_PAGE = 20
PENDING = (Report.Status.QUEUED, Report.Status.RUNNING)
STALLED = "stalled"  # what the progress partial calls a running report whose job went quiet
ANNOUNCEMENTS: dict[str, str] = {
    Report.Status.QUEUED: "The report is queued.",
    Report.Status.RUNNING: "The report is being computed.",
    Report.Status.DONE: "The report is ready; its results follow.",
    Report.Status.FAILED: "The report could not be computed.",
    STALLED: "The report has stalled; you may run it again.",
}


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """Projects by phase, the signed-in user's current and upcoming assignments, and the latest
    organisation report's largest gaps."""
    person = person_of(user=request.user)
    assignments = list_assignments_of(person=person, ending_on_or_after=timezone.localdate()) if person else []
    organisation_report = latest_organisation_report(user=request.user)
    return render(
        request,
        "staffing/dashboard.html",
        {
            "section": "dashboard",
            "phase_groups": group_projects_by_phase(),
            "person": person,
            "assignments": assignments,
            "organisation_report": organisation_report,
            "headline_gaps": headline_gaps(report=organisation_report),
        },
    )


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports the user may see, newest first, 25 a page."""
    page = Paginator(list_reports(user=request.user), REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "staffing/report_list.html", {"section": "reports", "page": page})


@login_required
def report_request(request: HttpRequest) -> HttpResponse:
    """Ask for a report; it is computed in the background and its page shows the progress."""
    if request.method != "POST":
        form = ReportRequestForm(user=request.user, initial=initial_from(request.GET))
        return render(request, "staffing/report_request.html", {"section": "reports", "form": form})

    form = ReportRequestForm(request.POST, user=request.user)
    status = 200
    if form.is_valid():
        data = form.cleaned_data
        refused = request_refusal(user=request.user, kind=data["kind"], team=data["team"])
        if refused:
            raise PermissionDenied(refused)
        try:
            report = request_report(requested_by=acting_user(request.user), **data)
        except ValidationError as error:
            form.add_service_errors(error)
        except TooManyPendingReports as too_many:
            form.add_error(None, too_many.message)
            status = 429
        except ReportQueueUnavailable as unavailable:
            form.add_error(None, unavailable.message)
            status = 503
        else:
            return redirect("report_detail", pk=report.pk)
    return render(request, "staffing/report_request.html", {"section": "reports", "form": form}, status=status)


def initial_from(query: QueryDict) -> dict[str, str]:
    """Start the form from ``?kind=&project=&team=`` (links such as "request it again" use them)."""
    return {name: value for name in ("kind", "project", "team", "starts_on", "ends_on") if (value := query.get(name))}


@dataclass(frozen=True)
class Heading:
    """A sortable column heading: its label, the link that sorts by it, and its ``aria-sort``."""

    label: str
    numeric: bool
    href: str
    aria_sort: str


def sort_table(request: HttpRequest, table: Table) -> tuple[Table, list[Heading]]:
    """``table`` sorted by ``?sort=key`` (ascending) or ``?sort=-key`` (descending), and its headings.

    An unknown key leaves the rows in the report's own order. The links keep the rest of the query.
    """
    wanted = request.GET.get("sort", "")
    key, descending = wanted.removeprefix("-"), wanted.startswith("-")
    current = table.column(key)
    if current is not None:
        table = table.sorted_by(key, descending=descending)
    headings = []
    for column in table.page_columns:
        is_current = current is not None and column.key == key
        next_descending = not descending if is_current else column.descending_first
        query = request.GET.copy()
        query["sort"] = ("-" if next_descending else "") + column.key
        query.pop("page", None)
        headings.append(
            Heading(
                label=column.heading,
                numeric=column.numeric,
                href=f"?{query.urlencode()}#table-{table.key}",
                aria_sort=("descending" if descending else "ascending") if is_current else "",
            )
        )
    return table, headings


def report_context(request: HttpRequest, report: Report) -> dict[str, Any]:
    """What the report page and its progress partial show: the progress, or the finished result."""
    context: dict[str, Any] = {
        "section": "reports",
        "report": report,
        "title": report_title(report),
        "pending": report.status in PENDING and not report.is_stalled,
        "stalled": report.is_stalled,
        "stalled_minutes": stalled_minutes(),
        "may_run_again": report.is_stalled
        and request_refusal(user=request.user, kind=report.kind, team=report.team) is None,
        "shown_state": STALLED if report.is_stalled else report.status,
    }
    if report.status != Report.Status.DONE:
        return context
    result = visible_result(report=report, user=request.user)
    if result is None:
        return context
    labels = report_labels(report=report, result=result, user=request.user)
    tables = report_tables(report, result, labels)
    sentences = recommendations(report, result, labels)
    main, *others = tables
    main, headings = sort_table(request, main)
    if report.kind == Report.Kind.TEAM:
        others = []  # the members' rows are the heatmap's table
    elif report.kind == Report.Kind.ORGANISATION:
        others = [weekly_demand_matrix(cast(OrganisationResult, result))]
    return context | {
        "result": result,
        "sentences": sentences,
        # A CSV file per table (the one the page shows, where it reshapes one, is the file's long form).
        "csv_downloads": [(table.key, table.title) for table in with_recommendations(tables, sentences)],
        "heatmap": report_heatmap(report.kind, result, labels),
        "main_table": main,
        "main_rows": main.display_rows(),
        "headings": headings,
        "other_tables": [(table, table.display_rows()) for table in others],
    }


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A report: its progress while it is computed, then its heatmap, tables and recommendations."""
    report = get_object_or_404(report_for(user=request.user), pk=pk)
    return render(request, "staffing/report_detail.html", report_context(request, report))


def report_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The report's body alone, for the page to poll while the report is computed.

    ``?seen=`` is the status the page shows; when the status has moved on, the answer also updates
    the page's live region so that screen readers announce the change. Should the session end while
    the page polls, the page reloads (and so goes to sign in) rather than show the sign-in form inside it.
    """
    if not request.user.is_authenticated:
        if is_htmx(request):
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        return redirect_to_login(request.get_full_path())
    report = report_for(user=request.user).filter(pk=pk).first()
    if report is None:
        # Gone, or no longer the user's to see: reload, so the page itself says so and polling stops.
        if is_htmx(request):
            return HttpResponse(status=204, headers={"HX-Refresh": "true"})
        raise Http404
    context = report_context(request, report)
    if request.GET.get("seen") != context["shown_state"]:
        context["announcement"] = ANNOUNCEMENTS[context["shown_state"]]
    response = render(request, "staffing/_report_body.html", context | {"partial": True})
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_POST
@login_required
def report_run_again(request: HttpRequest, pk: int) -> HttpResponse:
    """Start a stalled report again, then show its page (a message says why when it cannot be)."""
    report = get_object_or_404(report_for(user=request.user), pk=pk)
    refused = request_refusal(user=request.user, kind=report.kind, team=report.team)
    if refused:
        raise PermissionDenied(refused)
    try:
        rerun_report(report_id=report.pk)
    except (RuleError, ReportQueueUnavailable) as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "The report was started again.")
    return redirect("report_detail", pk=report.pk)


@login_required
def report_export(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The finished report as a download: one table as CSV (``?table=``, the main table without it),
    or every table as an XLSX workbook."""
    report = get_object_or_404(report_for(user=request.user), pk=pk)
    result = visible_result(report=report, user=request.user)
    if report.status != Report.Status.DONE or result is None:
        messages.warning(request, "This report is not finished, so there is nothing to download yet.")
        return redirect("report_detail", pk=report.pk)
    tables = file_tables(report, result, report_labels(report=report, result=result, user=request.user))
    if file_format == "xlsx":
        return xlsx_response(report, tables, title=report_title(report))
    table = chosen_table(tables, request.GET.get("table"))
    if table is None:
        messages.warning(request, "This report has no such table; its page offers a download for each of its tables.")
        return redirect("report_detail", pk=report.pk)
    return csv_response(report, table)


# --- A slot's candidates ------------------------------------------------------------------------


@login_required
def slot_detail(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    """A slot's requirements, its assignments and, for managers and leads, its ranked candidates.

    Staff read the slot as they read its project (and ``GET slots/{id}/``): its facts, their own
    assignments by name and the others as a count; the candidates and their filters are left out.
    """
    slot = slot_or_404(pk, slot_id)
    fragment = wants_fragment(request)
    if not may_see_candidates(request.user):
        if fragment:
            raise PermissionDenied
        return _slot_without_candidates(request, slot)
    teams = dict(list_teams().values_list("id", "name"))
    professions = list(Profession.objects.order_by("order", "name"))
    filters = CandidateFilterForm(request.GET, teams=teams, professions=professions)
    filters.is_valid()
    # Invalid filters drop out of cleaned_data, so the ranking uses whatever was valid.
    chosen = filters.cleaned_data
    profession = next((p for p in professions if p.slug == chosen.get("profession")), None)
    requirements = list(slot.requirements.all())
    assignments = list(slot_assignments(slot=slot))
    overfills = overfilled_if_confirmed(slot=slot, assignments=assignments)
    on_slot = {
        a.person_id: (a, overfills.get(a.pk))
        for a in sorted(assignments, key=lambda a: a.status == AssignmentStatus.CONFIRMED)  # confirmed wins
    }
    page, rows = None, []
    if slot.closed_at is None:
        ranking = rank_candidates(
            slot=slot,
            available_only=bool(chosen.get("available_only")),
            team_id=chosen.get("team"),
            profession_id=profession.pk if profession else None,
        )
        page = Paginator(ranking, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
        rows = explain_candidates(
            candidates=page,
            requirements=requirements,
            first_rank=page.start_index(),
            teams=teams,
            professions={p.pk: p.name for p in professions},
            now=timezone.now(),
        )
    context = {
        "section": "projects",
        "may_see_candidates": True,
        "project": slot.project,
        "slot": slot,
        "filters": filters,
        "page": page,
        # A person already on the slot is marked with their assignment (and whether confirming it
        # would over-fill the slot) instead of being offered again.
        "rows": [(row, fit_bar(fit=row.candidate.fit), on_slot.get(row.candidate.person_id)) for row in rows],
        "slot_full": slot.unfilled_fte <= 0,
        "may_change": may_change_projects(request.user),
        "back": request.GET.urlencode(),
        "default_allocation": slot.unfilled_fte or slot.fte,
        "fragment": fragment,
    }
    if fragment:
        response = render(request, "staffing/_candidates.html", context)
    else:
        overbooked = overbooked_if_confirmed(assignments=assignments)
        context |= {
            "requirements": requirements,
            "phase_labels": [Phase(phase).label for phase in slot.phases],
            "coverage": coverage_bar(fte=slot.fte, unfilled_fte=slot.unfilled_fte),
            "assignments": [(a, overbooked.get(a.pk), overfills.get(a.pk)) for a in assignments],
        }
        response = render(request, "staffing/slot_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _slot_without_candidates(request: HttpRequest, slot: RoleSlot) -> HttpResponse:
    assignments = list(slot_assignments(slot=slot))
    mine = [a for a in assignments if a.person.user_id == request.user.pk]
    overbooked = overbooked_if_confirmed(assignments=mine)
    response = render(
        request,
        "staffing/slot_detail.html",
        {
            "section": "projects",
            "may_see_candidates": False,
            "project": slot.project,
            "slot": slot,
            "may_change": False,
            "requirements": list(slot.requirements.all()),
            "phase_labels": [Phase(phase).label for phase in slot.phases],
            "coverage": coverage_bar(fte=slot.fte, unfilled_fte=slot.unfilled_fte),
            "assignments": [(a, overbooked.get(a.pk), None) for a in mine],
            "hidden_assignments": len(assignments) - len(mine),
        },
    )
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Suggested team ------------------------------------------------------------------------------


@login_required
def team_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the best team for the project's open slots (POST, then a redirect), and show it beside
    what picking slot by slot would give (GET ``?show=1``; ``reconsider=1`` includes the slots
    already proposed). A reload shows the suggestion again without asking twice."""
    project = project_or_404(pk)
    if not may_suggest_team(request.user):
        raise PermissionDenied
    if request.method == "POST":
        asked = SuggestTeamForm(request.POST)
        reconsider = asked.is_valid() and asked.cleaned_data["reconsider"]
        query = urlencode({"show": 1, **({"reconsider": 1} if reconsider else {})})
        return redirect(f"{reverse('team_suggestion', args=[project.pk])}?{query}")
    form = SuggestTeamForm(request.GET if "show" in request.GET else None)
    context: dict[str, Any] = {"section": "projects", "project": project, "form": form, "suggestion": None}
    if form.is_bound and form.is_valid():
        team = suggest_team(project=project, reconsider_proposed=form.cleaned_data["reconsider"])
        picks = name_suggestion(project=project, team=team)
        context |= {
            "suggestion": team,
            "picks": [(pick, fit_bar(fit=pick.fit) if pick.fit is not None else None) for pick in picks],
            "considered": len(team.slot_ids),
            "filled": sum(pick.person is not None for pick in picks),
            "reconsidered": form.cleaned_data["reconsider"],
        }
    return render(request, "staffing/team_suggestion.html", context)


@login_required
@require_POST
def team_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose every pick of a suggested team as a tentative assignment, all or nothing; picks whose
    slot is already proposed in full add nothing."""
    project = project_or_404(pk)
    if not may_suggest_team(request.user):
        raise PermissionDenied
    form = ApplyTeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("pick", [])))
        return redirect("project_detail", project.pk)
    picks = form.cleaned_data["pick"]
    if not picks:
        messages.error(request, "The suggestion proposes nobody, so there is nothing to apply.")
        return redirect("project_detail", project.pk)
    try:
        made = project_services.propose_team(project=project, picks=picks, actor=acting_user(request.user))
    except (RuleError, ValidationError) as error:
        show_refusal(request, error)
        return redirect("project_detail", project.pk)
    kept = len(picks) - len(made)
    slots = "slot was" if kept == 1 else "slots were"
    already = f"{kept} {slots} already proposed in full and left as they were." if kept else ""
    people = "person" if len(made) == 1 else "people"
    if made:
        messages.success(request, f"Proposed {len(made)} {people} as tentative assignments. {already}".strip())
    else:
        messages.info(request, f"Nothing new was proposed: {already}")
    return redirect("project_detail", project.pk)
