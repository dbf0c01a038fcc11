"""Writes to projects, slots and assignments, each in one transaction, with the rules they keep.

Lock order. A service that locks rows (``select_for_update``) locks them in this order, each kind by
id, and holds them to the end of its transaction:

1. role slots;
2. people;
3. assignments.

Two services that want the same rows then queue behind each other and can never each hold what the
other waits for (a deadlock). A slot comes first because every change of assignments knows its slot
before anything else, and closing a slot must see every assignment on it: once a service holds the
slot, no assignment can be added to it or changed on it, which is why the over-fill rule is checked
under the slot's lock (``_check_overfill``). People come next: the capacity rule is checked under
the person's lock (``_check_capacity``, ``check_capacity_change``); ``people.services`` and the
person admin lock people alone. A project's row is only ever locked alone
(``advance_phase``). A service that needs several slots or people locks them all up front, by id,
before calling another service (``close_slot``, ``propose_team``).

Should PostgreSQL still give a transaction up for a deadlock or a serialization failure, the
service runs once more (``config.db.retry_once_on_lock_conflict``, outside its transaction), and if
that fails too it refuses with ``config.errors.LockConflictError``: 409 "try again" in the API and the
same message on the pages.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from config.db import retry_once_on_lock_conflict
from config.errors import RuleError
from people.models import MAX_FTE, MIN_FTE, CertificationType, Person
from projects.load import Overfill, Span, counted_days, first_overfill, first_overload, peak_load
from projects.models import (
    PHASE_ORDER,
    WORKING_PHASES,
    Assignment,
    AssignmentChange,
    AssignmentStatus,
    Phase,
    PhaseTransition,
    Project,
    ProjectTask,
    ProjectTaskSkill,
    ProjectTemplate,
    RoleSlot,
    SlotRequirement,
)
from projects.selectors import compute_unfilled_fte, slot_proposals
from roles.models import Profession, SpectrumLevel
from skills.models import MAX_LEVEL, MIN_LEVEL, Skill
from ui.formats import format_date, format_date_range, format_fte

MIN_ALLOCATION = Decimal("0.01")


class OverfillError(RuleError):
    """A change would make a slot's confirmed cover exceed its FTE on a day (DESIGN.md §3.1, over-fill).

    Sent again with ``allow_overfill`` (a handover on purpose), the same change is made. ``overfill``
    names the first such day and the figures, for a page to ask "confirm anyway?".
    """

    def __init__(self, message: str, *, overfill: Overfill) -> None:
        super().__init__(message)
        self.overfill = overfill


@transaction.atomic
def create_project(
    *,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    template: ProjectTemplate | None = None,
    description: str = "",
    actor: User | None = None,
) -> Project:
    """Make a project in problem understanding; from a template, copy its tasks and default slots.

    Default slots start from their profession's spectrum and span the whole project.
    """
    project = Project.objects.create(
        name=name,
        description=description or (template.description if template else ""),
        template=template,
        phase=Phase.PROBLEM_UNDERSTANDING,
        starts_on=starts_on,
        ends_on=ends_on,
        created_by=actor,
    )
    if template is None:
        return project

    template_tasks = list(template.tasks.prefetch_related("skills"))
    tasks = ProjectTask.objects.bulk_create(
        ProjectTask(
            project=project,
            phase=task.phase,
            profession_id=task.profession_id,
            title=task.title,
            description=task.description,
            order=task.order,
        )
        for task in template_tasks
    )
    ProjectTaskSkill.objects.bulk_create(
        ProjectTaskSkill(task=task, skill_id=task_skill.skill_id, level=task_skill.level)
        for task, template_task in zip(tasks, template_tasks, strict=True)
        for task_skill in template_task.skills.all()
    )

    template_slots = list(template.slots.all())
    slots = RoleSlot.objects.bulk_create(
        RoleSlot(
            project=project,
            profession_id=template_slot.profession_id,
            fte=template_slot.fte,
            unfilled_fte=template_slot.fte,
            starts_on=starts_on,
            ends_on=ends_on,
            in_problem_understanding=template_slot.in_problem_understanding,
            in_data_understanding=template_slot.in_data_understanding,
            in_implementation=template_slot.in_implementation,
        )
        for template_slot in template_slots
    )
    spectrum: dict[int, list[SpectrumLevel]] = {}
    for level in SpectrumLevel.objects.filter(profession__in={s.profession_id for s in slots}):
        spectrum.setdefault(level.profession_id, []).append(level)
    SlotRequirement.objects.bulk_create(
        SlotRequirement(slot=slot, skill_id=level.skill_id, level=level.level)
        for slot in slots
        for level in spectrum.get(slot.profession_id, [])
        if level.level > 0
    )
    return project


@retry_once_on_lock_conflict
@transaction.atomic
def refresh_unfilled_fte(*, slot_id: int) -> RoleSlot | None:
    """Recompute and store a slot's unfilled FTE from its confirmed assignments; None if it is gone."""
    slot = RoleSlot.objects.select_for_update().filter(pk=slot_id).first()  # lock order: the slot alone
    if slot is None:
        return None
    _store_coverage(slot)
    return slot


@retry_once_on_lock_conflict
@transaction.atomic
def advance_phase(*, project: Project, to: str, note: str = "", actor: User | None) -> Project:
    """Move a project one phase forward, or back with a reason, and record the move.

    Skipping a phase, staying put and moving back without a note are refused.
    """
    project = Project.objects.select_for_update().get(pk=project.pk)  # lock order: a project is locked alone
    if to not in PHASE_ORDER:
        raise RuleError(f"“{to}” is not a phase.")
    here, there = PHASE_ORDER.index(project.phase), PHASE_ORDER.index(to)
    label = Phase(to).label.lower()
    if there == here:
        raise RuleError(f"The project is already in {label}.")
    if there > here + 1:
        next_label = Phase(PHASE_ORDER[here + 1]).label.lower()
        raise RuleError(f"Phases cannot be skipped: move to {next_label} first.")
    note = note.strip()
    if there < here and not note:
        raise RuleError(f"Moving back to {label} needs a note saying why.")
    PhaseTransition.objects.create(
        project=project, from_phase=project.phase, to_phase=to, moved_by=actor, moved_at=timezone.now(), note=note
    )
    project.phase = to
    project.save(update_fields=["phase", "updated_at"])
    return project


def _snapshot(assignment: Assignment) -> dict[str, Any]:
    return {
        "person": assignment.person_id,
        "slot": assignment.slot_id,
        "starts_on": assignment.starts_on.isoformat(),
        "ends_on": assignment.ends_on.isoformat(),
        "allocation": str(assignment.allocation),
        "status": assignment.status,
    }


def _check_fits_slot(*, slot: RoleSlot, starts_on: dt.date, ends_on: dt.date, allocation: Decimal) -> None:
    """Field errors for an assignment that does not fit its slot (bad input, not a broken rule)."""
    errors: dict[str, list[str]] = {}
    if ends_on < starts_on:
        errors["ends_on"] = ["The assignment cannot end before it starts."]
    if not slot.starts_on <= starts_on <= slot.ends_on:
        errors["starts_on"] = [f"Must lie within the slot's dates, {format_date_range(slot.starts_on, slot.ends_on)}."]
    if not slot.starts_on <= ends_on <= slot.ends_on:
        errors.setdefault("ends_on", []).append(
            f"Must lie within the slot's dates, {format_date_range(slot.starts_on, slot.ends_on)}."
        )
    if not MIN_ALLOCATION <= allocation <= slot.fte:
        errors["allocation"] = [f"Must be between {MIN_ALLOCATION} and the slot's {slot.fte} FTE."]
    if errors:
        raise ValidationError(errors)


def _check_not_confirmed_twice(*, slot: RoleSlot, person: Person, exclude_id: int | None) -> None:
    confirmed = slot.assignments.filter(person=person, status=AssignmentStatus.CONFIRMED)
    if exclude_id is not None:
        confirmed = confirmed.exclude(pk=exclude_id)
    if confirmed.exists():
        raise RuleError(f"{person.name} is already confirmed on this slot.")


def _check_capacity(
    *, person: Person, starts_on: dt.date, ends_on: dt.date, allocation: Decimal, exclude_id: int | None
) -> None:
    """Refuse a confirmed allocation that would push any day's load above the person's capacity.

    The caller holds the person's row lock, so no concurrent confirmation can slip in between this
    read and the write that follows it.
    """
    others = Assignment.objects.filter(
        person=person, status=AssignmentStatus.CONFIRMED, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if exclude_id is not None:
        others = others.exclude(pk=exclude_id)
    day, load = peak_load(
        starts_on=starts_on,
        ends_on=ends_on,
        assignments=[*others.values_list("starts_on", "ends_on", "allocation"), (starts_on, ends_on, allocation)],
    )
    if load > person.capacity_fte:
        raise RuleError(
            f"{person.name} would be booked at {format_fte(load)} FTE on {format_date(day)}, "
            f"above their capacity of {format_fte(person.capacity_fte)} FTE."
        )


def _check_overfill(
    *,
    slot: RoleSlot,
    allow_overfill: bool,
    adding: Span | None = None,
    exclude_id: int | None = None,
    fte: Decimal | None = None,
    days: tuple[dt.date, dt.date] | None = None,
) -> None:
    """Refuse a change that would over-fill ``slot`` (DESIGN.md §3.1), unless ``allow_overfill``.

    The change is a confirmed span ``adding`` in place of the assignment ``exclude_id`` (a new or
    changed confirmation), or a lower ``fte`` for the slot over its new ``days`` (first and last).
    It over-fills when the slot's confirmed cover exceeds the slot's FTE on some counted day
    (``projects.load.counted_days``) that it covers more than before the change; a lower FTE
    over-fills any day covered above it. The caller holds the slot's row lock, which every change of
    the slot's assignments takes first (module docstring), so the cover read here stays as read until
    the change is written.
    """
    if allow_overfill:
        return
    rows = slot.assignments.filter(status=AssignmentStatus.CONFIRMED).values_list(
        "pk", "starts_on", "ends_on", "allocation"
    )
    before: list[Span] = []
    kept: list[Span] = []
    for pk, starts_on, ends_on, allocation in rows:
        before.append((starts_on, ends_on, allocation))
        if pk != exclude_id:
            kept.append((starts_on, ends_on, allocation))
    first, last = days or (slot.starts_on, slot.ends_on)
    overfill = first_overfill(
        fte=slot.fte if fte is None else fte,
        days=counted_days(starts_on=first, ends_on=last),
        confirmed=[*kept, adding] if adding else kept,
        before=None if fte is not None else before,
    )
    if overfill is None:
        return
    covered, on = format_fte(overfill.covered), format_date(overfill.day)
    if fte is not None:
        message = f"“{slot.label}” has {covered} FTE confirmed on {on}, above the new {format_fte(fte)} FTE."
    else:
        message = (
            f"“{slot.label}” would be over-filled: {covered} FTE confirmed on {on}, "
            f"above its {format_fte(slot.fte)} FTE."
        )
    raise OverfillError(message, overfill=overfill)


def check_capacity_change(*, person: Person, capacity_fte: Decimal) -> None:
    """Refuse a capacity below the person's confirmed load on a day from today on (DESIGN.md §3.1).

    Registered with ``people.capacity`` by ``projects.apps``; the caller holds the person's row lock,
    the same lock ``assign_person`` holds while it checks capacity, so no confirmation can slip in
    before the write.
    """
    today = timezone.localdate()
    confirmed = Assignment.objects.filter(person=person, status=AssignmentStatus.CONFIRMED, ends_on__gte=today)
    overload = first_overload(
        starts_on=today,
        capacity=capacity_fte,
        confirmed=list(confirmed.values_list("starts_on", "ends_on", "allocation")),
    )
    if overload is not None:
        raise RuleError(
            f"{person.name} is booked at {format_fte(overload.load)} FTE on {format_date(overload.day)}, "
            f"above the new capacity of {format_fte(capacity_fte)} FTE."
        )


def _record(
    *,
    assignment: Assignment,
    slot: RoleSlot,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    actor: User | None,
) -> None:
    AssignmentChange.objects.create(
        assignment_id=assignment.pk,
        person_id=assignment.person_id,
        project_id=slot.project_id,
        action=action,
        before=before,
        after=after,
        changed_by=actor,
        changed_at=timezone.now(),
    )


@retry_once_on_lock_conflict
@transaction.atomic
def assign_person(
    *,
    slot: RoleSlot,
    person: Person,
    starts_on: dt.date,
    ends_on: dt.date,
    allocation: Decimal,
    status: str = AssignmentStatus.TENTATIVE,
    allow_overfill: bool = False,
    actor: User | None,
) -> Assignment:
    """Put a person in a slot. A confirmed assignment must fit the person's capacity on every day, and
    must not over-fill the slot unless ``allow_overfill``."""
    # Lock order (module docstring): the slot, then the person.
    slot = RoleSlot.objects.select_for_update().get(pk=slot.pk)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if slot.closed_at is not None:
        raise RuleError("The slot is closed.")
    _check_fits_slot(slot=slot, starts_on=starts_on, ends_on=ends_on, allocation=allocation)
    if status == AssignmentStatus.CONFIRMED:
        _check_not_confirmed_twice(slot=slot, person=person, exclude_id=None)
        _check_capacity(person=person, starts_on=starts_on, ends_on=ends_on, allocation=allocation, exclude_id=None)
        _check_overfill(slot=slot, allow_overfill=allow_overfill, adding=(starts_on, ends_on, allocation))
    assignment = Assignment.objects.create(
        person=person,
        slot=slot,
        starts_on=starts_on,
        ends_on=ends_on,
        allocation=allocation,
        status=status,
        created_by=actor,
    )
    _record(
        assignment=assignment,
        slot=slot,
        action=AssignmentChange.Action.CREATED,
        before=None,
        after=_snapshot(assignment),
        actor=actor,
    )
    _store_coverage(slot)
    return assignment


@retry_once_on_lock_conflict
@transaction.atomic
def change_assignment(
    *,
    assignment: Assignment,
    actor: User | None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    allocation: Decimal | None = None,
    status: str | None = None,
    allow_overfill: bool = False,
) -> Assignment:
    """Change an assignment's dates, allocation or status. A confirmed one must fit its person's capacity
    on every day, and must not over-fill the slot unless ``allow_overfill``."""
    # Lock order (module docstring): the slot, the person, then the assignment.
    slot = RoleSlot.objects.select_for_update().get(pk=assignment.slot_id)
    person = Person.objects.select_for_update().get(pk=assignment.person_id)
    current = Assignment.objects.select_for_update().filter(pk=assignment.pk).first()
    if current is None:
        raise RuleError("This assignment has been released meanwhile.")
    assignment = current
    before = _snapshot(assignment)
    assignment.starts_on = starts_on or assignment.starts_on
    assignment.ends_on = ends_on or assignment.ends_on
    assignment.allocation = allocation if allocation is not None else assignment.allocation
    assignment.status = status or assignment.status
    _check_fits_slot(
        slot=slot, starts_on=assignment.starts_on, ends_on=assignment.ends_on, allocation=assignment.allocation
    )
    if assignment.status == AssignmentStatus.CONFIRMED:
        _check_not_confirmed_twice(slot=slot, person=person, exclude_id=assignment.pk)
        _check_capacity(
            person=person,
            starts_on=assignment.starts_on,
            ends_on=assignment.ends_on,
            allocation=assignment.allocation,
            exclude_id=assignment.pk,
        )
        _check_overfill(
            slot=slot,
            allow_overfill=allow_overfill,
            adding=(assignment.starts_on, assignment.ends_on, assignment.allocation),
            exclude_id=assignment.pk,
        )
    after = _snapshot(assignment)
    if after == before:
        return assignment
    assignment.save()
    _record(
        assignment=assignment,
        slot=slot,
        action=AssignmentChange.Action.UPDATED,
        before=before,
        after=after,
        actor=actor,
    )
    _store_coverage(slot)
    return assignment


@retry_once_on_lock_conflict
@transaction.atomic
def release_assignment(*, assignment: Assignment, actor: User | None) -> None:
    """Take a person off a slot; the audit trail keeps what the assignment was."""
    # Lock order (module docstring): the slot, then the person.
    slot = RoleSlot.objects.select_for_update().get(pk=assignment.slot_id)
    list(Person.objects.select_for_update().filter(pk=assignment.person_id))
    current = Assignment.objects.filter(pk=assignment.pk).first()
    if current is None:
        raise RuleError("This assignment has already been released.")
    assignment = current
    _record(
        assignment=assignment,
        slot=slot,
        action=AssignmentChange.Action.RELEASED,
        before=_snapshot(assignment),
        after=None,
        actor=actor,
    )
    assignment.delete()
    _store_coverage(slot)


def _set_coverage(slot: RoleSlot) -> None:
    """Set the slot's unfilled FTE and its over-filled flag from its confirmed assignments (one query)."""
    confirmed = list(slot.assignments.filter(status=AssignmentStatus.CONFIRMED))
    slot.unfilled_fte = compute_unfilled_fte(slot=slot, confirmed=confirmed)
    slot.overfilled = (
        first_overfill(
            fte=slot.fte,
            days=counted_days(starts_on=slot.starts_on, ends_on=slot.ends_on),
            confirmed=[(a.starts_on, a.ends_on, a.allocation) for a in confirmed],
        )
        is not None
    )


def _store_coverage(slot: RoleSlot) -> None:
    """Store the slot's unfilled FTE and over-filled flag (``_set_coverage``)."""
    _set_coverage(slot)
    slot.save(update_fields=["unfilled_fte", "overfilled", "updated_at"])


Requirements = dict[str, tuple[int, Decimal]]  # skill slug -> (level, weight)
MAX_WEIGHT = Decimal("5")


def _validate_slot(
    *,
    project: Project,
    phases: list[str],
    fte: Decimal,
    starts_on: dt.date,
    ends_on: dt.date,
    requirements: Requirements,
    skills: dict[str, Skill],
) -> None:
    errors: dict[str, list[str]] = {}
    if not phases or any(phase not in WORKING_PHASES for phase in phases):
        errors["phases"] = [f"Choose one or more of: {', '.join(WORKING_PHASES)}."]
    if not MIN_FTE <= fte <= MAX_FTE:
        errors["fte"] = [f"Must be between {MIN_FTE} and {MAX_FTE}."]
    if ends_on < starts_on:
        errors["ends_on"] = ["The slot cannot end before it starts."]
    if starts_on < project.starts_on or ends_on > project.ends_on:
        errors.setdefault("ends_on" if starts_on >= project.starts_on else "starts_on", []).append(
            f"Must lie within the project's dates, {format_date_range(project.starts_on, project.ends_on)}."
        )
    problems = [
        f"{slug}: unknown skill."
        if slug not in skills
        else f"{slug}: level must be {MIN_LEVEL}–{MAX_LEVEL} and weight 0–{MAX_WEIGHT}."
        for slug, (level, weight) in requirements.items()
        if slug not in skills or not MIN_LEVEL <= level <= MAX_LEVEL or not 0 <= weight <= MAX_WEIGHT
    ]
    if problems:
        errors["requirements"] = problems
    if errors:
        raise ValidationError(errors)


def _certification_types(slugs: list[str]) -> list[CertificationType]:
    kinds = list(CertificationType.objects.filter(slug__in=slugs))
    unknown = sorted(set(slugs) - {kind.slug for kind in kinds})
    if unknown:
        raise ValidationError({"certifications": [f"Unknown certification: {slug}." for slug in unknown]})
    return kinds


def _write_requirements(slot: RoleSlot, requirements: Requirements, skills: dict[str, Skill]) -> None:
    slot.requirements.all().delete()
    SlotRequirement.objects.bulk_create(
        SlotRequirement(slot=slot, skill=skills[slug], level=level, weight=weight)
        for slug, (level, weight) in requirements.items()
        if level > 0
    )


@transaction.atomic
def create_slot(
    *,
    project: Project,
    profession: Profession,
    phases: list[str],
    fte: Decimal,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    title: str = "",
    requirements: Requirements | None = None,
    certifications: list[str] | None = None,
    actor: User | None,
) -> RoleSlot:
    """Open a role slot. Requirements start from the profession's spectrum; ``requirements`` raise,
    lower (level 0 removes) or add skills on top of it. Dates default to the project's."""
    starts_on = starts_on or project.starts_on
    ends_on = ends_on or project.ends_on
    spectrum = {
        level.skill.slug: (level.level, Decimal("1"))
        for level in SpectrumLevel.objects.filter(profession=profession).select_related("skill")
    }
    merged = spectrum | (requirements or {})
    skills = Skill.objects.in_bulk(list(merged), field_name="slug")
    _validate_slot(
        project=project,
        phases=phases,
        fte=fte,
        starts_on=starts_on,
        ends_on=ends_on,
        requirements=merged,
        skills=skills,
    )
    kinds = _certification_types(certifications or [])
    slot = RoleSlot(
        project=project,
        profession=profession,
        title=title,
        fte=fte,
        unfilled_fte=fte,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    slot.set_phases(phases)
    slot.save()
    slot.certifications.set(kinds)
    _write_requirements(slot, merged, skills)
    return slot


@retry_once_on_lock_conflict
@transaction.atomic
def update_slot(
    *,
    slot: RoleSlot,
    actor: User | None,
    phases: list[str] | None = None,
    fte: Decimal | None = None,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    title: str | None = None,
    requirements: Requirements | None = None,
    certifications: list[str] | None = None,
    allow_overfill: bool = False,
) -> RoleSlot:
    """Change a slot. ``requirements``, when given, replace the slot's requirements entirely.

    New dates must still hold every assignment on the slot; an FTE below the slot's confirmed cover
    on some day over-fills it, refused unless ``allow_overfill``.
    """
    # Lock order (module docstring): the slot alone; its project and profession are read, not locked.
    slot = RoleSlot.objects.select_for_update(of=("self",)).select_related("project", "profession").get(pk=slot.pk)
    current = {r.skill.slug: (r.level, r.weight) for r in slot.requirements.select_related("skill")}
    new_requirements = current if requirements is None else requirements
    skills = Skill.objects.in_bulk(list(new_requirements), field_name="slug")
    new_phases = slot.phases if phases is None else phases
    new_fte = slot.fte if fte is None else fte
    new_starts_on, new_ends_on = starts_on or slot.starts_on, ends_on or slot.ends_on
    _validate_slot(
        project=slot.project,
        phases=new_phases,
        fte=new_fte,
        starts_on=new_starts_on,
        ends_on=new_ends_on,
        requirements=new_requirements,
        skills=skills,
    )
    outside = slot.assignments.filter(Q(starts_on__lt=new_starts_on) | Q(ends_on__gt=new_ends_on))
    if outside.exists():
        raise RuleError("Some assignments fall outside the new dates: change or release them first.")
    if new_fte < slot.fte:
        _check_overfill(slot=slot, allow_overfill=allow_overfill, fte=new_fte, days=(new_starts_on, new_ends_on))
    slot.set_phases(new_phases)
    slot.fte, slot.starts_on, slot.ends_on = new_fte, new_starts_on, new_ends_on
    if title is not None:
        slot.title = title
    _set_coverage(slot)
    slot.save()
    if certifications is not None:
        slot.certifications.set(_certification_types(certifications))
    if requirements is not None:
        _write_requirements(slot, new_requirements, skills)
    return slot


@retry_once_on_lock_conflict
@transaction.atomic
def close_slot(*, slot: RoleSlot, actor: User | None) -> RoleSlot:
    """Close a slot: it is no longer open for candidates, and its tentative assignments are released."""
    # Lock order (module docstring): the slot, then the people of its tentative assignments, by id.
    # Holding the slot, no assignment can be added to it or changed on it until the close commits.
    slot = RoleSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.closed_at is not None:
        raise RuleError("The slot is already closed.")
    tentative = list(slot.assignments.filter(status=AssignmentStatus.TENTATIVE).order_by("pk"))
    list(Person.objects.select_for_update().filter(pk__in={a.person_id for a in tentative}).order_by("pk"))
    for assignment in tentative:
        release_assignment(assignment=assignment, actor=actor)
    slot.closed_at = timezone.now()
    slot.save(update_fields=["closed_at", "updated_at"])
    return slot


@retry_once_on_lock_conflict
@transaction.atomic
def propose_team(*, project: Project, picks: list[tuple[int, int]], actor: User | None) -> list[Assignment]:
    """Propose each ``(slot id, person id)`` pick as a tentative assignment for the FTE of its slot
    that no assignment covers yet, confirmed or tentative (``projects.selectors.slot_proposals``).

    Proposals never stack beyond a slot's unfilled FTE (DESIGN.md §3.1): a pick whose slot is
    already proposed in full, or whose person is already on the slot, adds nothing, so applying the
    same suggestion twice adds nothing the second time. All or nothing: a pick for a slot outside
    the project, or a closed slot, refuses them all. Returns the assignments made.
    """
    # Lock order (module docstring): every slot, then every person, each by id, before assign_person
    # locks one of each: it then finds them already held. Holding the slots, their assignments stay
    # as read below until the proposals are written.
    slots = {
        slot.pk: slot
        for slot in RoleSlot.objects.select_for_update().filter(pk__in=[s for s, _ in picks]).order_by("pk")
    }
    people = {
        person.pk: person
        for person in Person.objects.select_for_update().filter(pk__in=[p for _, p in picks]).order_by("pk")
    }
    proposals = slot_proposals(slots=list(slots.values()))
    room = dict(proposals.unproposed)
    assignments = []
    for slot_id, person_id in picks:
        slot, person = slots.get(slot_id), people.get(person_id)
        if slot is None or slot.project_id != project.pk or person is None:
            raise RuleError("The suggestion no longer matches the project; ask for a new one.")
        if slot.closed_at is not None:
            raise RuleError(f"{slot} is closed; ask for a new suggestion.")
        if room[slot_id] <= 0 or (slot_id, person_id) in proposals.status:
            continue
        assignments.append(
            assign_person(
                slot=slot,
                person=person,
                starts_on=slot.starts_on,
                ends_on=slot.ends_on,
                allocation=room[slot_id],
                status=AssignmentStatus.TENTATIVE,
                actor=actor,
            )
        )
        room[slot_id] = Decimal("0")
    return assignments
