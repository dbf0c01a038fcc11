import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from config.errors import RuleError
from people.access import (
    acting_user,
    may_change_projects,
    may_rate,
    may_see_candidates,
    reads_everyone,
    visible_people,
)
from people.models import Person
from people.selectors import (
    RATING_HISTORY_LENGTH,
    list_certifications_of,
    list_rating_changes,
    person_ratings_by_group,
)
from people.views import absence_section
from projects import services
from projects.forms import (
    AssignmentForm,
    PhaseMoveForm,
    SlotForm,
    add_service_errors,
    requirement_initial,
)
from projects.load import weekly_peaks
from projects.models import PHASE_ORDER, WORKING_PHASES, Assignment, AssignmentStatus, Phase, Project, RoleSlot
from projects.page_helpers import project_or_404, require_manager, show_refusal, slot_or_404
from projects.selectors import (
    assignment_changes,
    earlier_phases,
    group_tasks_by_phase,
    list_assignments_of,
    list_projects,
    list_projects_with_staffing,
    next_phase,
    phase_history,
    phase_steps,
    project_slots,
    project_tasks,
    spectrum_levels,
)
from roles.models import Profession
from skills.selectors import list_skills
from ui.charts import CoverageBar, coverage_bar, weekly_load_chart
from ui.formats import format_date_range, format_fte

PAGE_SIZE = 25
LOAD_WEEKS = 26
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
    slots = list(project_slots(project=project))
    upcoming = next_phase(phase=project.phase)
    return render(
        request,
        "projects/project_detail.html",
        {
            "section": "projects",
            "project": project,
            "steps": phase_steps(current=project.phase),
            "phases": group_tasks_by_phase(tasks=project_tasks(project=project)),
            "slot_rows": _slot_rows(request, slots),
            "history": list(phase_history(project=project)),
            "changes": assignment_changes(user=request.user, project=project),
            "may_change": may_change_projects(request.user),
            "may_see_slots": may_see_candidates(request.user),
            "next_phase": upcoming,
            "next_phase_label": _phase_label(upcoming),
            "earlier_phases": [(phase, Phase(phase).label) for phase in earlier_phases(phase=project.phase)],
        },
    )


# --- Helpers of the assignment pages -------------------------------------------------------------


def _assignment(slot: RoleSlot, assignment_id: int) -> Assignment:
    return get_object_or_404(Assignment.objects.select_related("person"), pk=assignment_id, slot=slot)


# After an action the user lands where they acted: the slot's row on the project page
# (``#slot-<id>``), the assignment's row on the slot page (``#assignment-<id>``), or the section.


def _project_url(project_id: int, anchor: str) -> str:
    """The project page at ``anchor`` (``slots``, ``slot-<id>``, ``phases``...)."""
    return f"{reverse('project_detail', args=[project_id])}#{anchor}"


def _slot_url(slot: RoleSlot, query: str = "", *, anchor: str = "") -> str:
    """The slot page at ``anchor``, keeping only the candidate filters of ``query`` (a query string)."""
    url = reverse("slot_detail", args=[slot.project_id, slot.pk])
    kept = [(key, str(value)) for key, value in QueryDict(query).items() if key in CANDIDATE_FILTERS and value]
    return url + (f"?{urlencode(kept)}" if kept else "") + (f"#{anchor}" if anchor else "")


def _assignment_url(slot: RoleSlot, assignment: Assignment, query: str = "") -> str:
    """The assignment's row on its slot's page."""
    return _slot_url(slot, query, anchor=f"assignment-{assignment.pk}")


def _after_slot_change(request: HttpRequest, slot: RoleSlot) -> str:
    """Back to the slot's row on the project page when the change began there (``?from=project``),
    else to the slot page."""
    if request.GET.get("from") == "project":
        return _project_url(slot.project_id, f"slot-{slot.pk}")
    return _slot_url(slot)


# --- Phase moves ---------------------------------------------------------------------------------


@login_required
def phase_move(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm a phase move (GET, ``?to=``; the next phase by default), then make it (POST)."""
    project = project_or_404(pk)
    require_manager(request)
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
        return HttpResponseRedirect(_project_url(project.pk, "phases"))

    to = request.GET.get("to") or next_phase(phase=project.phase)
    if to not in PHASE_ORDER or to == project.phase:
        messages.error(request, "There is no such move for this project.")
        return HttpResponseRedirect(_project_url(project.pk, "phases"))
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
    project = project_or_404(pk)
    require_manager(request)
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
                messages.success(request, f"Opened the slot “{slot.label}”.")
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
    levels = dict.fromkeys((skill.slug for skill in skills), 0) | spectrum_levels(profession=profession)
    initial = kept | {"profession": profession.slug} | requirement_initial(levels)
    return _slot_form_page(request, project=project, form=SlotForm(skills=skills, initial=initial))


@login_required
def slot_requirements(request: HttpRequest, pk: int) -> HttpResponse:
    """The requirements table filled from a profession's spectrum, for htmx to swap into the new slot form."""
    project = project_or_404(pk)
    require_manager(request)
    skills = list(list_skills())
    profession = _profession_from(request.GET.get("profession"))
    levels = dict.fromkeys((skill.slug for skill in skills), 0) | spectrum_levels(profession=profession)
    form = SlotForm(skills=skills, initial=requirement_initial(levels))
    return render(
        request,
        "projects/_slot_requirements.html",
        {"project": project, "form": form, "profession": profession, "fragment": True},
    )


@login_required
def slot_edit(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    """Change a slot's phases, FTE, dates, requirements and certifications (its profession stays)."""
    slot = slot_or_404(pk, slot_id)
    require_manager(request)
    skills = list(list_skills())
    if request.method == "POST":
        form = SlotForm(request.POST, skills=skills, editing=True)
        if form.is_valid():
            try:
                services.update_slot(
                    slot=slot,
                    actor=acting_user(request.user),
                    allow_overfill=form.cleaned_data["allow_overfill"],
                    **form.service_arguments(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except services.OverfillError as refusal:
                return _confirm_overfill(
                    request,
                    slot=slot,
                    refusal=refusal,
                    button="Save anyway",
                    cancel=_after_slot_change(request, slot),
                )
            except RuleError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Saved the slot “{slot.label}”.")
                return HttpResponseRedirect(_after_slot_change(request, slot))
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


def _allows_overfill(request: HttpRequest) -> bool:
    """Whether the posted form is the "confirm anyway?" step's second submission."""
    return request.POST.get("allow_overfill") == "1"


def _confirm_overfill(
    request: HttpRequest, *, slot: RoleSlot, refusal: services.OverfillError, button: str, cancel: str = ""
) -> HttpResponse:
    """Ask "confirm anyway?" of a change that would over-fill ``slot``: the day and the figures, and a
    button that sends the same form to the same address again with ``allow_overfill``. Cancelling
    leads to ``cancel``, the slot's page by default."""
    resubmit = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in ("csrfmiddlewaretoken", "allow_overfill")
        for value in values
    ]
    return _confirm_page(
        request,
        project=slot.project,
        title="Confirm anyway?",
        body=[
            refusal.message,
            "Go ahead only when the slot should hold more than its FTE on purpose, such as during a "
            "handover; it is then marked as over-filled.",
        ],
        action=request.get_full_path(),
        button=button,
        cancel=cancel or reverse("slot_detail", args=[slot.project_id, slot.pk]),
        resubmit=[*resubmit, ("allow_overfill", "1")],
    )


@login_required
def slot_close(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    """Confirm closing a slot (GET), then close it, releasing its tentative assignments (POST)."""
    slot = slot_or_404(pk, slot_id)
    require_manager(request)
    if request.method == "POST":
        try:
            services.close_slot(slot=slot, actor=acting_user(request.user))
        except RuleError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Closed the slot “{slot.label}”.")
        return HttpResponseRedirect(_project_url(pk, f"slot-{slot.pk}"))
    tentative = len([a for a in slot.assignments.all() if a.status == AssignmentStatus.TENTATIVE])
    return _confirm_page(
        request,
        project=slot.project,
        title=f"Close the slot “{slot.label}”?",
        body=[
            "A closed slot takes no more candidates and is left out of suggested teams.",
            f"Its {tentative} tentative assignment{'s' if tentative != 1 else ''} will be released; "
            "confirmed assignments stay.",
        ],
        action=reverse("slot_close", args=[pk, slot.pk]),
        button="Close the slot",
        cancel=_after_slot_change(request, slot),
    )


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
    slot = slot_or_404(pk, slot_id)
    require_manager(request)
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
                    allow_overfill=data["allow_overfill"],
                    actor=acting_user(request.user),
                )
            except services.OverfillError as refusal:
                return _confirm_overfill(
                    request,
                    slot=slot,
                    refusal=refusal,
                    cancel=_slot_url(slot, back, anchor="candidates"),
                    button=f"Confirm {data['person'].name} anyway",
                )
            except RuleError as error:
                messages.error(request, error.message)
                return HttpResponseRedirect(_slot_url(slot, back, anchor="candidates"))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                done = "Confirmed" if assignment.status == AssignmentStatus.CONFIRMED else "Proposed"
                messages.success(
                    request,
                    f"{done} {data['person'].name} for “{slot.label}” at {format_fte(assignment.allocation)} FTE"
                    f"{'' if done == 'Confirmed' else ' (tentative)'}.",
                )
                return HttpResponseRedirect(_assignment_url(slot, assignment, back))
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
    slot = slot_or_404(pk, slot_id)
    require_manager(request)
    assignment = _assignment(slot, assignment_id)
    if request.method == "POST":
        form = AssignmentForm(request.POST, changing=True)
        if form.is_valid():
            try:
                services.change_assignment(assignment=assignment, actor=acting_user(request.user), **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            except services.OverfillError as refusal:
                return _confirm_overfill(
                    request,
                    slot=slot,
                    refusal=refusal,
                    button="Save anyway",
                    cancel=_assignment_url(slot, assignment),
                )
            except RuleError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, f"Saved {assignment.person.name}’s assignment.")
                return HttpResponseRedirect(_assignment_url(slot, assignment))
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
    """Confirm a tentative assignment; over capacity it is refused and stays tentative. One that would
    over-fill the slot asks "confirm anyway?" first."""
    slot = slot_or_404(pk, slot_id)
    require_manager(request)
    assignment = _assignment(slot, assignment_id)
    try:
        services.change_assignment(
            assignment=assignment,
            status=AssignmentStatus.CONFIRMED,
            allow_overfill=_allows_overfill(request),
            actor=acting_user(request.user),
        )
    except services.OverfillError as refusal:
        return _confirm_overfill(
            request,
            slot=slot,
            refusal=refusal,
            button=f"Confirm {assignment.person.name} anyway",
            cancel=_assignment_url(slot, assignment),
        )
    except (RuleError, ValidationError) as error:
        show_refusal(request, error)
    else:
        messages.success(request, f"Confirmed {assignment.person.name} for “{slot.label}”.")
    return HttpResponseRedirect(_assignment_url(slot, assignment))


@login_required
def assignment_release(request: HttpRequest, pk: int, slot_id: int, assignment_id: int) -> HttpResponse:
    """Confirm releasing a person from the slot (GET), then release them (POST)."""
    slot = slot_or_404(pk, slot_id)
    require_manager(request)
    assignment = _assignment(slot, assignment_id)
    if request.method == "POST":
        try:
            services.release_assignment(assignment=assignment, actor=acting_user(request.user))
        except RuleError as error:  # released meanwhile, or a collision that still failed when retried
            messages.error(request, error.message)
        else:
            messages.success(request, f"Released {assignment.person.name} from “{slot.label}”.")
        return HttpResponseRedirect(_slot_url(slot, anchor="assignments"))
    return _confirm_page(
        request,
        project=slot.project,
        title=f"Release {assignment.person.name} from “{slot.label}”?",
        body=[
            f"{assignment.person.name} is {assignment.get_status_display().lower()} on this slot at "
            f"{format_fte(assignment.allocation)} FTE "
            f"from {format_date_range(assignment.starts_on, assignment.ends_on)}.",
            "Releasing removes the assignment; the audit trail keeps what it was.",
        ],
        action=reverse("assignment_release", args=[pk, slot.pk, assignment.pk]),
        button=f"Release {assignment.person.name}",
    )


# --- A person's page ------------------------------------------------------------------------------


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person the user may see (404 otherwise): ratings by skill group, certifications, assignments,
    their load for the coming weeks and the latest changes to their assignments."""
    person = get_object_or_404(visible_people(request.user).select_related("profession", "team"), pk=pk)
    today = timezone.localdate()
    assignments = list(list_assignments_of(person=person))
    spans = {
        status: [(a.starts_on, a.ends_on, a.allocation) for a in assignments if a.status == status]
        for status in AssignmentStatus.values
    }
    peaks = weekly_peaks(
        starts_on=today - dt.timedelta(days=today.weekday()),
        weeks=LOAD_WEEKS,
        confirmed=spans[AssignmentStatus.CONFIRMED],
        tentative=spans[AssignmentStatus.TENTATIVE],
    )
    load = weekly_load_chart(capacity=person.capacity_fte, peaks=peaks)
    return render(
        request,
        "people/person_detail.html",
        {
            "section": "people",
            "person": person,
            "rating_groups": person_ratings_by_group(person=person),
            "certifications": list_certifications_of(person=person),
            "assignments": assignments,
            "load": load,
            "changes": assignment_changes(user=request.user, person=person),
            "rating_changes": list_rating_changes(person=person),
            **absence_section(user=request.user, person=person),
            "rating_changes_shown": RATING_HISTORY_LENGTH,
            "may_rate": may_rate(request.user, person),
            "today": today,
        },
    )
