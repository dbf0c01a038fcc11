from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from config.errors import RuleError
from people.access import acting_user, may_change_projects, reads_everyone
from people.models import Person
from people.selectors import list_teams
from projects import services
from projects.forms import (
    ApplyTeamForm,
    AssignmentForm,
    CandidateFilterForm,
    PhaseMoveForm,
    SlotForm,
    add_service_errors,
    requirement_initial,
)
from projects.models import PHASE_ORDER, WORKING_PHASES, Assignment, AssignmentStatus, Phase, Project, RoleSlot
from projects.selectors import (
    assignment_changes,
    earlier_phases,
    get_slot,
    group_tasks_by_phase,
    list_projects,
    list_projects_with_staffing,
    next_phase,
    overbooked_if_confirmed,
    phase_history,
    phase_steps,
    project_slots,
    project_tasks,
    slot_assignments,
    slot_label,
    spectrum_levels,
)
from roles.models import Profession
from skills.selectors import list_skills
from staffing.charts import CoverageBar, coverage_bar, fit_bar
from staffing.ranking import rank_candidates
from staffing.selectors import explain_candidates, name_suggestion
from staffing.suggest import suggest_team

PAGE_SIZE = 25
CANDIDATES_PER_PAGE = 20
CANDIDATE_FILTERS = ("available_only", "team", "profession", "page")


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    phase = request.GET.get("phase")
    if phase not in PHASE_ORDER:
        phase = None
    page = Paginator(list_projects_with_staffing(phase=phase), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {
            "section": "projects",
            "page": page,
            "phase": phase,
            "phase_label": Phase(phase).label if phase else None,
            "phases": Phase.choices,
        },
    )


@dataclass(frozen=True)
class SlotRow:
    """A role slot as the project page shows it: its coverage and the assignments the user may see."""

    slot: RoleSlot
    coverage: CoverageBar
    phase_labels: list[str]
    assignments: list[Assignment]
    hidden_assignments: int


def _slot_rows(request: HttpRequest, slots: list[RoleSlot]) -> list[SlotRow]:
    # Staff without a reading role see their own assignments by name and the others as a count.
    everyone = reads_everyone(request.user)
    rows = []
    for slot in slots:
        assignments = list(slot.assignments.all())
        shown = [a for a in assignments if everyone or a.person.user_id == request.user.pk]
        rows.append(
            SlotRow(
                slot=slot,
                coverage=coverage_bar(fte=slot.fte, unfilled_fte=slot.unfilled_fte),
                phase_labels=[Phase(phase).label for phase in slot.phases],
                assignments=shown,
                hidden_assignments=len(assignments) - len(shown),
            )
        )
    return rows


def _phase_label(phase: str | None) -> str:
    return Phase(phase).label if phase else ""


@login_required
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = get_object_or_404(list_projects(), pk=pk)
    slots = list(project_slots(project))
    upcoming = next_phase(project.phase)
    return render(
        request,
        "projects/project_detail.html",
        {
            "section": "projects",
            "project": project,
            "steps": phase_steps(project.phase),
            "phases": group_tasks_by_phase(project_tasks(project)),
            "slot_rows": _slot_rows(request, slots),
            "history": list(phase_history(project)),
            "changes": assignment_changes(user=request.user, project=project),
            "may_change": may_change_projects(request.user),
            "may_see_slots": reads_everyone(request.user),
            "next_phase": upcoming,
            "next_phase_label": _phase_label(upcoming),
            "earlier_phases": [(phase, Phase(phase).label) for phase in earlier_phases(project.phase)],
        },
    )


# --- Shared by the staffing views ----------------------------------------------------------------


def _require_manager(request: HttpRequest) -> None:
    if not may_change_projects(request.user):
        raise PermissionDenied


def _project(pk: int) -> Project:
    return get_object_or_404(Project, pk=pk)


def _slot(pk: int, slot_id: int) -> RoleSlot:
    try:
        return get_slot(project_id=pk, slot_id=slot_id)
    except RoleSlot.DoesNotExist:
        raise Http404 from None


def _assignment(slot: RoleSlot, assignment_id: int) -> Assignment:
    return get_object_or_404(Assignment.objects.select_related("person"), pk=assignment_id, slot=slot)


def _slot_url(slot: RoleSlot, query: str = "") -> str:
    """The slot page, keeping only the candidate filters of ``query`` (a query string)."""
    url = reverse("slot_detail", args=[slot.project_id, slot.pk])
    kept = [(key, str(value)) for key, value in QueryDict(query).items() if key in CANDIDATE_FILTERS and value]
    return f"{url}?{urlencode(kept)}" if kept else url


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for a part of the page; a history restore needs the whole page."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


def _show_refusal(request: HttpRequest, error: RuleError | ValidationError) -> None:
    """A refused action's reason as an error message, for actions that have no form of their own."""
    messages.error(request, error.message if isinstance(error, RuleError) else " ".join(error.messages))


# --- Phase moves ---------------------------------------------------------------------------------


@login_required
def phase_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a phase move (GET, ``?to=``; the next phase by default), then make it (POST)."""
    project = _project(pk)
    _require_manager(request)
    if request.method == "POST":
        form = PhaseMoveForm(request.POST)
        if not form.is_valid():
            messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        else:
            to = form.cleaned_data["to"]
            try:
                services.advance_phase(
                    project=project, to=to, note=form.cleaned_data["note"], actor=acting_user(request.user)
                )
            except RuleError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"{project.name} moved to {Phase(to).label.lower()}.")
        return redirect("project_detail", project.pk)

    to = request.GET.get("to") or next_phase(project.phase)
    if to not in PHASE_ORDER or to == project.phase:
        messages.error(request, "There is no such move for this project.")
        return redirect("project_detail", project.pk)
    back = PHASE_ORDER.index(to) < PHASE_ORDER.index(project.phase)
    return render(
        request,
        "projects/phase_move.html",
        {
            "section": "projects",
            "project": project,
            "form": PhaseMoveForm(initial={"to": to}),
            "to": to,
            "to_label": Phase(to).label,
            "back": back,
        },
    )


# --- Role slots ----------------------------------------------------------------------------------


def _initial_from(data: QueryDict, form: SlotForm) -> dict[str, Any]:
    """What a posted slot form holds, as initial values for an unbound form."""
    many = {"phases", "certifications"}
    return {name: data.getlist(name) if name in many else data.get(name) for name in form.fields if name in data}


def _profession_from(value: str | None) -> Profession:
    """The profession with the slug ``value``, else the first one in catalogue order."""
    professions = Profession.objects.order_by("order", "name")
    profession = (professions.filter(slug=value).first() if value else None) or professions.first()
    if profession is None:
        raise Http404("There are no professions in the catalogue.")
    return profession


def _slot_form_page(
    request: HttpRequest, *, project: Project, form: SlotForm, slot: RoleSlot | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "projects/slot_form.html",
        {"section": "projects", "project": project, "form": form, "slot": slot},
        status=status,
    )


@login_required
def slot_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Open a role slot; the requirements start from the chosen profession's spectrum."""
    project = _project(pk)
    _require_manager(request)
    skills = list(list_skills())
    if request.method == "POST" and "reload" not in request.POST:
        form = SlotForm(request.POST, skills=skills)
        if form.is_valid():
            try:
                slot = services.create_slot(
                    project=project, actor=acting_user(request.user), **form.service_arguments()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except RuleError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Opened the slot “{slot_label(slot)}”.")
                return redirect("slot_detail", project.pk, slot.pk)
        return _slot_form_page(request, project=project, form=form)

    if request.method == "POST":
        # Without JavaScript, "Use this profession's levels" posts the form to refill its requirements.
        kept = _initial_from(request.POST, SlotForm(skills=skills))
        profession = _profession_from(request.POST.get("profession"))
    else:
        phase = project.phase if project.phase in WORKING_PHASES else WORKING_PHASES[-1]
        kept = {"fte": Decimal("1.00"), "starts_on": project.starts_on, "ends_on": project.ends_on, "phases": [phase]}
        profession = _profession_from(request.GET.get("profession"))
    levels = dict.fromkeys((skill.slug for skill in skills), 0) | spectrum_levels(profession)
    initial = kept | {"profession": profession.slug} | requirement_initial(levels)
    return _slot_form_page(request, project=project, form=SlotForm(skills=skills, initial=initial))


@login_required
def slot_requirements(request: HttpRequest, pk: int) -> HttpResponse:
    """The requirements table filled from a profession's spectrum, for htmx to swap into the new slot form."""
    project = _project(pk)
    _require_manager(request)
    skills = list(list_skills())
    profession = _profession_from(request.GET.get("profession"))
    levels = dict.fromkeys((skill.slug for skill in skills), 0) | spectrum_levels(profession)
    form = SlotForm(skills=skills, initial=requirement_initial(levels))
    return render(
        request,
        "projects/_slot_requirements.html",
        {"project": project, "form": form, "profession": profession, "fragment": True},
    )


@login_required
def slot_edit(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    """Change a slot's phases, FTE, dates, requirements and certifications (its profession stays)."""
    slot = _slot(pk, slot_id)
    _require_manager(request)
    skills = list(list_skills())
    if request.method == "POST":
        form = SlotForm(request.POST, skills=skills, editing=True)
        if form.is_valid():
            try:
                services.update_slot(slot=slot, actor=acting_user(request.user), **form.service_arguments())
            except ValidationError as error:
                add_service_errors(form, error)
            except RuleError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Saved the slot “{slot_label(slot)}”.")
                return redirect("slot_detail", pk, slot.pk)
        return _slot_form_page(request, project=slot.project, form=form, slot=slot)

    requirements = list(slot.requirements.all())
    levels = dict.fromkeys((skill.slug for skill in skills), 0) | {r.skill.slug: r.level for r in requirements}
    initial = {
        "title": slot.title,
        "phases": slot.phases,
        "fte": slot.fte,
        "starts_on": slot.starts_on,
        "ends_on": slot.ends_on,
        "certifications": [kind.slug for kind in slot.certifications.all()],
    } | requirement_initial(levels, {r.skill.slug: r.weight for r in requirements})
    return _slot_form_page(
        request, project=slot.project, form=SlotForm(skills=skills, editing=True, initial=initial), slot=slot
    )


def _confirm_page(request: HttpRequest, **context: Any) -> HttpResponse:
    return render(request, "projects/confirm.html", {"section": "projects", **context})


@login_required
def slot_close(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    """Confirm closing a slot (GET), then close it, releasing its tentative assignments (POST)."""
    slot = _slot(pk, slot_id)
    _require_manager(request)
    if request.method == "POST":
        try:
            services.close_slot(slot=slot, actor=acting_user(request.user))
        except RuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Closed the slot “{slot_label(slot)}”.")
        return redirect("project_detail", pk)
    tentative = len([a for a in slot.assignments.all() if a.status == AssignmentStatus.TENTATIVE])
    return _confirm_page(
        request,
        project=slot.project,
        title=f"Close the slot “{slot_label(slot)}”?",
        body=[
            "A closed slot takes no more candidates and is left out of suggested teams.",
            f"Its {tentative} tentative assignment{'s' if tentative != 1 else ''} will be released; "
            "confirmed assignments stay.",
        ],
        action=reverse("slot_close", args=[pk, slot.pk]),
        button="Close the slot",
        cancel=reverse("slot_detail", args=[pk, slot.pk]),
    )


@login_required
def slot_detail(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    """A slot's requirements, its assignments and its ranked candidates (managers and leads)."""
    slot = _slot(pk, slot_id)
    if not reads_everyone(request.user):
        raise PermissionDenied
    teams = dict(list_teams().values_list("id", "name"))
    professions = list(Profession.objects.order_by("order", "name"))
    filters = CandidateFilterForm(request.GET, teams=teams, professions=professions)
    filters.is_valid()
    # Invalid filters drop out of cleaned_data, so the ranking uses whatever was valid.
    chosen = filters.cleaned_data
    profession = next((p for p in professions if p.slug == chosen.get("profession")), None)
    requirements = list(slot.requirements.all())
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
            page,
            requirements=requirements,
            first_rank=page.start_index(),
            teams=teams,
            professions={p.pk: p.name for p in professions},
            now=timezone.now(),
        )
    fragment = _wants_fragment(request)
    context = {
        "section": "projects",
        "project": slot.project,
        "slot": slot,
        "filters": filters,
        "page": page,
        "rows": [(row, fit_bar(fit=row.candidate.fit)) for row in rows],
        "may_change": may_change_projects(request.user),
        "back": request.GET.urlencode(),
        "default_allocation": slot.unfilled_fte or slot.fte,
        "fragment": fragment,
    }
    if fragment:
        response = render(request, "projects/_candidates.html", context)
    else:
        assignments = list(slot_assignments(slot))
        overbooked = overbooked_if_confirmed(assignments)
        context |= {
            "requirements": requirements,
            "phase_labels": [Phase(phase).label for phase in slot.phases],
            "coverage": coverage_bar(fte=slot.fte, unfilled_fte=slot.unfilled_fte),
            "assignments": [(a, overbooked.get(a.pk)) for a in assignments],
        }
        response = render(request, "projects/slot_detail.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# --- Assignments ---------------------------------------------------------------------------------


def _assignment_page(request: HttpRequest, *, slot: RoleSlot, form: AssignmentForm, **context: Any) -> HttpResponse:
    return render(
        request,
        "projects/assignment_form.html",
        {"section": "projects", "project": slot.project, "slot": slot, "form": form, **context},
    )


@login_required
def assignment_add(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    """Propose (tentative) or confirm a person in the slot. A refused confirmation changes nothing."""
    slot = _slot(pk, slot_id)
    _require_manager(request)
    back = request.POST.get("back", "") if request.method == "POST" else request.GET.get("back", "")
    if request.method == "POST":
        form = AssignmentForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                assignment = services.assign_person(
                    slot=slot,
                    person=data["person"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    allocation=data["allocation"],
                    status=data["status"],
                    actor=acting_user(request.user),
                )
            except RuleError as error:
                messages.error(request, error.message)
                return HttpResponseRedirect(_slot_url(slot, back))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                done = "Confirmed" if assignment.status == AssignmentStatus.CONFIRMED else "Proposed"
                messages.success(
                    request,
                    f"{done} {data['person'].name} for “{slot_label(slot)}” at {assignment.allocation} FTE"
                    f"{'' if done == 'Confirmed' else ' (tentative)'}.",
                )
                return HttpResponseRedirect(_slot_url(slot, back))
        person = form.cleaned_data.get("person")
    else:
        person_id = request.GET.get("person", "")
        if not person_id.isdigit():
            raise Http404
        person = get_object_or_404(Person, pk=person_id)
        status = request.GET.get("status")
        form = AssignmentForm(
            initial={
                "person": person.pk,
                "starts_on": slot.starts_on,
                "ends_on": slot.ends_on,
                "allocation": slot.unfilled_fte or slot.fte,
                "status": status if status in AssignmentStatus.values else AssignmentStatus.TENTATIVE,
            }
        )
    return _assignment_page(request, slot=slot, form=form, person=person, back=back, adding=True)


@login_required
def assignment_change(request: HttpRequest, pk: int, slot_id: int, assignment_id: int) -> HttpResponse:
    """Change an assignment's dates or allocation; a confirmed one must still fit its person's capacity."""
    slot = _slot(pk, slot_id)
    _require_manager(request)
    assignment = _assignment(slot, assignment_id)
    if request.method == "POST":
        form = AssignmentForm(request.POST, changing=True)
        if form.is_valid():
            try:
                services.change_assignment(assignment=assignment, actor=acting_user(request.user), **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except RuleError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Saved {assignment.person.name}’s assignment.")
                return redirect("slot_detail", pk, slot.pk)
    else:
        form = AssignmentForm(
            changing=True,
            initial={
                "starts_on": assignment.starts_on,
                "ends_on": assignment.ends_on,
                "allocation": assignment.allocation,
            },
        )
    return _assignment_page(request, slot=slot, form=form, person=assignment.person, assignment=assignment)


@login_required
@require_POST
def assignment_confirm(request: HttpRequest, pk: int, slot_id: int, assignment_id: int) -> HttpResponse:
    """Confirm a tentative assignment; over capacity it is refused and stays tentative."""
    slot = _slot(pk, slot_id)
    _require_manager(request)
    assignment = _assignment(slot, assignment_id)
    try:
        services.change_assignment(
            assignment=assignment, status=AssignmentStatus.CONFIRMED, actor=acting_user(request.user)
        )
    except (RuleError, ValidationError) as error:
        _show_refusal(request, error)
    else:
        messages.success(request, f"Confirmed {assignment.person.name} for “{slot_label(slot)}”.")
    return redirect("slot_detail", pk, slot.pk)


@login_required
def assignment_release(request: HttpRequest, pk: int, slot_id: int, assignment_id: int) -> HttpResponse:
    """Confirm releasing a person from the slot (GET), then release them (POST)."""
    slot = _slot(pk, slot_id)
    _require_manager(request)
    assignment = _assignment(slot, assignment_id)
    if request.method == "POST":
        services.release_assignment(assignment=assignment, actor=acting_user(request.user))
        messages.success(request, f"Released {assignment.person.name} from “{slot_label(slot)}”.")
        return redirect("slot_detail", pk, slot.pk)
    return _confirm_page(
        request,
        project=slot.project,
        title=f"Release {assignment.person.name} from “{slot_label(slot)}”?",
        body=[
            f"{assignment.person.name} is {assignment.get_status_display().lower()} on this slot at "
            f"{assignment.allocation} FTE from {assignment.starts_on:%d %b %Y} to {assignment.ends_on:%d %b %Y}.",
            "Releasing removes the assignment; the audit trail keeps what it was.",
        ],
        action=reverse("assignment_release", args=[pk, slot.pk, assignment.pk]),
        button=f"Release {assignment.person.name}",
        cancel=reverse("slot_detail", args=[pk, slot.pk]),
    )


# --- Suggested team ------------------------------------------------------------------------------


@login_required
def team_suggestion(request: HttpRequest, pk: int) -> HttpResponse:
    """Ask for the best team for the project's open slots (POST), and show it with the greedy baseline."""
    project = _project(pk)
    _require_manager(request)
    context: dict[str, Any] = {"section": "projects", "project": project, "suggestion": None}
    if request.method == "POST":
        team = suggest_team(project=project)
        picks = name_suggestion(project=project, team=team)
        context |= {
            "suggestion": team,
            "picks": [(pick, fit_bar(fit=pick.fit) if pick.fit is not None else None) for pick in picks],
            "filled": sum(pick.person is not None for pick in picks),
        }
    return render(request, "projects/team_suggestion.html", context)


@login_required
@require_POST
def team_apply(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose every pick of a suggested team as a tentative assignment, all or nothing."""
    project = _project(pk)
    _require_manager(request)
    form = ApplyTeamForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(error) for error in form.errors.get("pick", [])))
        return redirect("project_detail", project.pk)
    picks = form.cleaned_data["pick"]
    if not picks:
        messages.error(request, "The suggestion proposes nobody, so there is nothing to apply.")
        return redirect("project_detail", project.pk)
    try:
        services.propose_team(project=project, picks=picks, actor=acting_user(request.user))
    except (RuleError, ValidationError) as error:
        _show_refusal(request, error)
    else:
        messages.success(
            request, f"Proposed {len(picks)} {'person' if len(picks) == 1 else 'people'} as tentative assignments."
        )
    return redirect("project_detail", project.pk)
