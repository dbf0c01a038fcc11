import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BigIntegerField,
    Count,
    DecimalField,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Window,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, RowNumber
from django.utils.functional import cached_property

from people.access import Viewer, reads_everyone
from people.models import Person
from projects.load import Overfill, Overload, Span, counted_days, first_overfill, peaks_with, slot_unfilled_fte
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
    RoleSlot,
    SlotRequirement,
    phase_field_name,
)
from roles.models import Profession, SpectrumLevel
from ui.formats import HUNDREDTH, format_date_range, format_fte


def compute_unfilled_fte(*, slot: RoleSlot, confirmed: Iterable[Assignment] | None = None) -> Decimal:
    """``max(0, fte - min over the slot's days of covered(d))`` (DESIGN.md §3; one query unless
    ``confirmed`` gives the slot's confirmed assignments)."""
    if confirmed is None:
        confirmed = slot.assignments.filter(status=AssignmentStatus.CONFIRMED)
    return slot_unfilled_fte(
        fte=slot.fte,
        starts_on=slot.starts_on,
        ends_on=slot.ends_on,
        confirmed=[(a.starts_on, a.ends_on, a.allocation) for a in confirmed],
    )


@dataclass(frozen=True)
class SlotProposals:
    """Who is on each slot already, and what a new proposal may still take of it.

    ``unproposed[slot id]`` is the slot's FTE that no assignment covers, confirmed or tentative: its
    unfilled FTE were its tentative assignments confirmed (DESIGN.md §3.1, suggested team). A slot
    at 0 is proposed in full. ``status[(slot id, person id)]`` is that person's status on the slot
    (``confirmed`` when they hold both).
    """

    unproposed: dict[int, Decimal]
    status: dict[tuple[int, int], str]

    def proposed_in_full(self, slot_id: int) -> bool:
        return self.unproposed.get(slot_id, Decimal("0")) <= 0


def slot_proposals(*, slots: Sequence[RoleSlot]) -> SlotProposals:
    """``SlotProposals`` of ``slots`` from all their assignments (one query)."""
    spans: dict[int, list[Span]] = {slot.pk: [] for slot in slots}
    status: dict[tuple[int, int], str] = {}
    rows = Assignment.objects.filter(slot__in=[slot.pk for slot in slots]).values_list(
        "slot_id", "person_id", "starts_on", "ends_on", "allocation", "status"
    )
    for slot_id, person_id, starts_on, ends_on, allocation, state in rows.order_by():
        spans[slot_id].append((starts_on, ends_on, allocation))
        if status.get((slot_id, person_id)) != AssignmentStatus.CONFIRMED:
            status[(slot_id, person_id)] = state
    unproposed = {
        slot.pk: slot_unfilled_fte(
            fte=slot.fte, starts_on=slot.starts_on, ends_on=slot.ends_on, confirmed=spans[slot.pk]
        )
        for slot in slots
    }
    return SlotProposals(unproposed=unproposed, status=status)


def overfilled_if_confirmed(*, slot: RoleSlot, assignments: Iterable[Assignment]) -> dict[int, Overfill]:
    """For each tentative assignment of ``slot`` whose confirmation would over-fill it, the first day
    and figures (DESIGN.md §3.1; ``assignments`` are all of the slot's, no query)."""
    assignments = list(assignments)
    confirmed = [(a.starts_on, a.ends_on, a.allocation) for a in assignments if a.status == AssignmentStatus.CONFIRMED]
    days = counted_days(starts_on=slot.starts_on, ends_on=slot.ends_on)
    found = {}
    for assignment in assignments:
        if assignment.status != AssignmentStatus.TENTATIVE:
            continue
        span = (assignment.starts_on, assignment.ends_on, assignment.allocation)
        overfill = first_overfill(fte=slot.fte, days=days, confirmed=[*confirmed, span], before=confirmed)
        if overfill is not None:
            found[assignment.pk] = overfill
    return found


def list_projects() -> QuerySet[Project]:
    return Project.objects.select_related("template").order_by("starts_on", "name", "id")


def project_tasks(*, project: Project) -> QuerySet[ProjectTask]:
    """The project's tasks with their profession and skills (two queries)."""
    skills = ProjectTaskSkill.objects.select_related("skill").order_by("skill__group__order", "skill__order")
    return (
        project.tasks.select_related("profession")
        .prefetch_related(Prefetch("skills", queryset=skills))
        .order_by("phase", "profession__order", "order")
    )


class InHundredths(Func):
    """An FTE expression read back as a ``Decimal`` in hundredths, 0.00 for none, on every database.

    PostgreSQL sums decimals exactly; SQLite sums them as floats, which come back as
    ``Decimal("3.80000000000000")`` or ``Decimal("2.5")``.
    """

    template = "COALESCE(%(expressions)s, 0)"
    output_field = DecimalField(max_digits=12, decimal_places=2)

    @cached_property
    def convert_value(self) -> Callable[[Any, Any, Any], Decimal]:
        return lambda value, expression, connection: Decimal(str(value or 0)).quantize(HUNDREDTH)


def list_projects_with_staffing(*, phase: str | None = None) -> QuerySet[Project]:
    """Projects in list order with their open slots' count, FTE and unfilled FTE (one query).

    ``phase`` keeps only the projects in that phase. The sums are ``Decimal`` in hundredths on every
    database (SQLite sums decimals as floats: ``3.80000000000000``), and 0.00 without open slots.
    """
    open_slots = Q(slots__closed_at__isnull=True)

    def total(field: str) -> InHundredths:
        return InHundredths(Sum(field, filter=open_slots))

    projects = list_projects().annotate(
        open_slot_count=Count("slots", filter=open_slots),
        open_fte=total("slots__fte"),
        open_unfilled_fte=total("slots__unfilled_fte"),
    )
    if phase:
        projects = projects.filter(phase=phase)
    return projects


def project_slots(*, project: Project) -> QuerySet[RoleSlot]:
    """The project's slots with their profession, assignments and assigned people (two queries)."""
    assignments = Assignment.objects.select_related("person").order_by("starts_on", "person__name", "id")
    return (
        project.slots.select_related("profession")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .order_by("starts_on", "profession__order", "id")
    )


@dataclass(frozen=True)
class PhaseStep:
    """One step of a project's phase timeline and where the project stands relative to it."""

    phase: str
    label: str
    state: str  # "done", "current" or "upcoming"

    @property
    def is_current(self) -> bool:
        return self.state == "current"


def phase_steps(*, current: str) -> list[PhaseStep]:
    """Every phase in order, each marked done, current or upcoming for a project in ``current``."""
    position = PHASE_ORDER.index(current)
    states = {True: "done", False: "upcoming"}
    return [
        PhaseStep(
            phase=phase,
            label=Phase(phase).label,
            state="current" if index == position else states[index < position],
        )
        for index, phase in enumerate(PHASE_ORDER)
    ]


@dataclass(frozen=True)
class ProfessionTasks:
    profession: Profession
    tasks: list[ProjectTask]


@dataclass(frozen=True)
class PhaseTasks:
    phase: str
    label: str
    professions: list[ProfessionTasks]


def group_tasks_by_phase(*, tasks: Iterable[ProjectTask]) -> list[PhaseTasks]:
    """Tasks as fetched by ``project_tasks``, grouped per working phase and then per profession.

    Every working phase is listed, an empty one with no professions; professions keep their order.
    """
    grouped: dict[str, dict[int, ProfessionTasks]] = {phase: {} for phase in WORKING_PHASES}
    for task in tasks:
        by_profession = grouped.setdefault(task.phase, {})
        if task.profession_id not in by_profession:
            by_profession[task.profession_id] = ProfessionTasks(profession=task.profession, tasks=[])
        by_profession[task.profession_id].tasks.append(task)
    return [
        PhaseTasks(
            phase=phase,
            label=Phase(phase).label,
            professions=sorted(
                grouped[phase].values(), key=lambda group: (group.profession.order, group.profession.name)
            ),
        )
        for phase in WORKING_PHASES
    ]


def list_slots() -> QuerySet[RoleSlot]:
    """Slots with their project, profession, requirements and certifications (three queries)."""
    requirements = SlotRequirement.objects.select_related("skill").order_by("skill__group__order", "skill__order")
    return (
        RoleSlot.objects.select_related("project", "profession")
        .prefetch_related(Prefetch("requirements", queryset=requirements), "certifications")
        .order_by("project__starts_on", "project_id", "starts_on", "profession__order", "id")
    )


def slot_requirements(*, slot: RoleSlot) -> dict[str, dict[str, float | int]]:
    """``{skill_slug: {"level", "weight"}}`` for a slot fetched through ``list_slots``."""
    return {r.skill.slug: {"level": r.level, "weight": float(r.weight)} for r in slot.requirements.all()}


def visible_assignments(*, user: Viewer) -> QuerySet[Assignment]:
    """Assignments ``user`` may see: all for managers, leads and integrations; else only their own."""
    assignments = Assignment.objects.select_related("slot__project").order_by("starts_on", "id")
    if not user.is_authenticated:
        return assignments.none()
    if reads_everyone(user):
        return assignments
    return assignments.filter(person__user=user)


def in_phase(*, phase: str, prefix: str = "") -> Q:
    """Slots needed in a working phase; with ``prefix="slot__"``, assignments on such slots."""
    return Q(**{prefix + phase_field_name(phase): True})


def phase_history(*, project: Project) -> QuerySet[PhaseTransition]:
    return project.transitions.select_related("moved_by").order_by("moved_at", "id")


def get_slot(*, project_id: int, slot_id: int) -> RoleSlot:
    """One slot of a project with its project, profession, requirements and certifications (three queries).

    Raises ``RoleSlot.DoesNotExist`` when the slot does not exist or belongs to another project.
    """
    return list_slots().get(pk=slot_id, project_id=project_id)


def slot_assignments(*, slot: RoleSlot) -> QuerySet[Assignment]:
    """The slot's assignments with their person, soonest first (one query)."""
    return slot.assignments.select_related("person").order_by("starts_on", "person__name", "id")


def overbooked_if_confirmed(*, assignments: Iterable[Assignment]) -> dict[int, Overload]:
    """For each tentative assignment that could not be confirmed without exceeding its person's capacity,
    the day and load it would reach (one query when there is a tentative assignment, none otherwise).

    ``assignments`` carry their ``person``; the load counts the person's other confirmed assignments.
    """
    tentative = [a for a in assignments if a.status == AssignmentStatus.TENTATIVE]
    if not tentative:
        return {}
    confirmed: dict[int, list[Span]] = {}
    rows = Assignment.objects.filter(
        person_id__in={a.person_id for a in tentative},
        status=AssignmentStatus.CONFIRMED,
        starts_on__lte=max(a.ends_on for a in tentative),
        ends_on__gte=min(a.starts_on for a in tentative),
    ).values_list("person_id", "starts_on", "ends_on", "allocation")
    for person_id, starts_on, ends_on, allocation in rows:
        confirmed.setdefault(person_id, []).append((starts_on, ends_on, allocation))
    found = peaks_with(
        spans=[(a.starts_on, a.ends_on, a.allocation) for a in tentative],
        others=[confirmed.get(a.person_id, []) for a in tentative],
        capacity=[a.person.capacity_fte for a in tentative],
    )
    return {a.pk: overload for a, overload in zip(tentative, found, strict=True) if overload is not None}


def next_phase(*, phase: str) -> str | None:
    """The phase a project in ``phase`` moves to next; None once it is closed."""
    position = PHASE_ORDER.index(phase)
    return PHASE_ORDER[position + 1] if position + 1 < len(PHASE_ORDER) else None


def earlier_phases(*, phase: str) -> list[str]:
    """The phases a project in ``phase`` may move back to (with a note), latest first."""
    return PHASE_ORDER[: PHASE_ORDER.index(phase)][::-1]


@dataclass(frozen=True)
class AuditEntry:
    """One assignment change as the pages show it: the change, the role it concerned, and it in words."""

    change: AssignmentChange
    role: str
    summary: str


def _span(snapshot: dict[str, Any]) -> str:
    return format_date_range(dt.date.fromisoformat(snapshot["starts_on"]), dt.date.fromisoformat(snapshot["ends_on"]))


def describe_change(*, action: str, before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """An assignment change in words, e.g. "Status tentative → confirmed; allocation 0.50 → 0.80 FTE."."""
    if action == AssignmentChange.Action.CREATED and after:
        return f"Added as {after['status']} at {format_fte(after['allocation'])} FTE, {_span(after)}."
    if action == AssignmentChange.Action.RELEASED and before:
        return f"Released; was {before['status']} at {format_fte(before['allocation'])} FTE, {_span(before)}."
    if not before or not after:
        return ""
    parts = []
    if before["status"] != after["status"]:
        parts.append(f"status {before['status']} → {after['status']}")
    if Decimal(before["allocation"]) != Decimal(after["allocation"]):
        parts.append(f"allocation {format_fte(before['allocation'])} → {format_fte(after['allocation'])} FTE")
    if (before["starts_on"], before["ends_on"]) != (after["starts_on"], after["ends_on"]):
        parts.append(f"dates {_span(before)} → {_span(after)}")
    text = "; ".join(parts) or "no visible change"
    return text[0].upper() + text[1:] + "."


def assignment_changes(
    *,
    user: Viewer,
    project: Project | None = None,
    person: Person | None = None,
    limit: int = 20,
) -> list[AuditEntry]:
    """The latest ``limit`` assignment changes of a project or a person that ``user`` may see, newest first.

    Like assignments, other people's changes are only for those who read everyone. One query: the
    changes with their person, project and author, and the name of the slot their snapshot names.
    """
    if not user.is_authenticated:
        return []
    # A change keeps the slot's id in its before/after snapshot, not as a foreign key.
    slot = RoleSlot.objects.filter(pk=OuterRef("snapshot_slot")).values(name=RoleSlot.label_sql())
    changes = (
        AssignmentChange.objects.select_related("person", "project", "changed_by")
        .annotate(snapshot_slot=Cast(Coalesce(KT("after__slot"), KT("before__slot")), BigIntegerField()))
        .annotate(role=Subquery(slot[:1]))
        .order_by("-changed_at", "-id")
    )
    if not reads_everyone(user):
        changes = changes.filter(person__user=user)
    if project is not None:
        changes = changes.filter(project=project)
    if person is not None:
        changes = changes.filter(person=person)
    return [
        AuditEntry(
            change=change,
            role=change.role or "A removed slot",
            summary=describe_change(action=change.action, before=change.before, after=change.after),
        )
        for change in changes[:limit]
    ]


def spectrum_levels(*, profession: Profession) -> dict[str, int]:
    """``{skill_slug: level}`` of a profession's spectrum: a new slot's requirements by default (one query)."""
    return dict(SpectrumLevel.objects.filter(profession=profession).values_list("skill__slug", "level"))


def visible_assignment_changes(*, user: Viewer) -> QuerySet[AssignmentChange]:
    """The assignment audit trail ``user`` may read, oldest first: everyone's for those who read
    everyone, else only the changes to their own assignments."""
    changes = AssignmentChange.objects.select_related("changed_by").order_by("changed_at", "id")
    if not user.is_authenticated:
        return changes.none()
    if reads_everyone(user):
        return changes
    return changes.filter(person__user=user)


@dataclass(frozen=True)
class PhaseGroup:
    """The projects in one phase: how many, and the first few of them."""

    phase: str
    label: str
    count: int
    projects: list[Project] = field(default_factory=list)


def group_projects_by_phase(*, limit: int = 5) -> list[PhaseGroup]:
    """Every phase in order with its project count and its first ``limit`` projects (one query).

    A window numbers the projects inside each phase and counts them, so the counts stay exact while
    only ``limit`` rows per phase leave the database.
    """
    partition_by = [F("phase")]
    ranked = (
        Project.objects.annotate(
            rank=Window(
                RowNumber(), order_by=[F("starts_on").asc(), F("name").asc(), F("id").asc()], partition_by=partition_by
            ),
            phase_total=Window(Count("id"), partition_by=partition_by),
        )
        .filter(rank__lte=limit)
        .order_by("starts_on", "name", "id")
    )
    by_phase: dict[str, list[Project]] = {phase: [] for phase in PHASE_ORDER}
    totals: dict[str, int] = dict.fromkeys(PHASE_ORDER, 0)
    for project in ranked:
        by_phase[project.phase].append(project)
        totals[project.phase] = project.phase_total
    return [
        PhaseGroup(phase=phase, label=Phase(phase).label, count=totals[phase], projects=by_phase[phase])
        for phase in PHASE_ORDER
    ]


def list_assignments_of(*, person: Person, ending_on_or_after: dt.date | None = None) -> QuerySet[Assignment]:
    """A person's assignments with their slot, project and profession, soonest first (one query)."""
    assignments = Assignment.objects.filter(person=person)
    if ending_on_or_after is not None:
        assignments = assignments.filter(ends_on__gte=ending_on_or_after)
    return assignments.select_related("slot__project", "slot__profession").order_by(
        "starts_on", "slot__project__name", "id"
    )
