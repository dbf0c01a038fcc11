from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce, NullIf

from people.models import MAX_FTE, CertificationType, ChangeRecord, Person, fte_range_check
from roles.models import Profession
from skills.models import Skill, level_range_check


class Phase(models.TextChoices):
    """The phases a project walks through, in order; ``closed`` ends it."""

    PROBLEM_UNDERSTANDING = "problem-understanding", "Problem understanding"
    DATA_UNDERSTANDING = "data-understanding", "Data understanding"
    IMPLEMENTATION = "implementation", "Implementation"
    CLOSED = "closed", "Closed"


PHASE_ORDER = [phase.value for phase in Phase]
WORKING_PHASES = PHASE_ORDER[:-1]  # the phases that have tasks and role slots


def phase_field_name(phase: str) -> str:
    """The boolean field of ``PhaseSet`` that says a row is active in ``phase``."""
    return "in_" + phase.replace("-", "_")


def end_not_before_start(name: str, start: str = "starts_on", end: str = "ends_on") -> models.CheckConstraint:
    return models.CheckConstraint(condition=models.Q(**{f"{end}__gte": models.F(start)}), name=name)


class PhaseSet(models.Model):
    """The working phases a role slot is needed in, one boolean each so that both databases can filter."""

    in_problem_understanding = models.BooleanField("needed in problem understanding", default=False)
    in_data_understanding = models.BooleanField("needed in data understanding", default=False)
    in_implementation = models.BooleanField("needed in implementation", default=False)

    class Meta:
        abstract = True

    @property
    def phases(self) -> list[str]:
        return [phase for phase in WORKING_PHASES if getattr(self, phase_field_name(phase))]

    def set_phases(self, phases: list[str]) -> None:
        for phase in WORKING_PHASES:
            setattr(self, phase_field_name(phase), phase in phases)


def at_least_one_phase(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(in_problem_understanding=True)
        | models.Q(in_data_understanding=True)
        | models.Q(in_implementation=True),
        name=name,
    )


class ProjectTemplate(models.Model):
    """A reusable project shape: its tasks per phase and profession, and its default role slots."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200, unique=True)
    description = models.TextField(blank=True)
    is_builtin = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaskBase(models.Model):
    """What one profession does in one phase, and the skills it exercises."""

    phase = models.CharField(max_length=32, choices=Phase.choices[:-1])
    profession = models.ForeignKey(Profession, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title


class TemplateTask(TaskBase):
    template = models.ForeignKey(ProjectTemplate, on_delete=models.CASCADE, related_name="tasks")

    class Meta:
        ordering = ["template", "phase", "profession__order", "order"]


class TemplateTaskSkill(models.Model):
    task = models.ForeignKey(TemplateTask, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["skill__group__order", "skill__order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "skill"], name="template_task_skill_once"),
            level_range_check("level", "template_task_level_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.skill} {self.level}"


class TemplateSlot(PhaseSet):
    """A role slot that a project made from the template opens by default."""

    template = models.ForeignKey(ProjectTemplate, on_delete=models.CASCADE, related_name="slots")
    profession = models.ForeignKey(Profession, on_delete=models.PROTECT, related_name="+")
    fte = models.DecimalField(max_digits=3, decimal_places=2, default=MAX_FTE)

    class Meta:
        ordering = ["template", "profession__order", "id"]
        constraints = [
            fte_range_check("fte", "template_slot_fte_in_range"),
            at_least_one_phase("template_slot_has_a_phase"),
        ]

    def __str__(self) -> str:
        return f"{self.template}: {self.profession}"


class Project(models.Model):
    """A data project, in exactly one phase at a time."""

    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    template = models.ForeignKey(
        ProjectTemplate, on_delete=models.SET_NULL, null=True, blank=True, related_name="projects"
    )
    phase = models.CharField(max_length=32, choices=Phase.choices, default=Phase.PROBLEM_UNDERSTANDING)
    starts_on = models.DateField()
    ends_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_on", "name", "id"]
        constraints = [end_not_before_start("project_ends_after_start")]

    def __str__(self) -> str:
        return self.name


class PhaseTransition(models.Model):
    """One recorded move of a project between phases."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_phase = models.CharField(max_length=32, choices=Phase.choices)
    to_phase = models.CharField(max_length=32, choices=Phase.choices)
    moved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    moved_at = models.DateTimeField()
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["moved_at", "id"]

    def __str__(self) -> str:
        return f"{self.project}: {self.from_phase} → {self.to_phase}"


class ProjectTask(TaskBase):
    """A task of a project, copied from its template when the project was made."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="tasks")

    class Meta:
        ordering = ["project", "phase", "profession__order", "order"]


class ProjectTaskSkill(models.Model):
    task = models.ForeignKey(ProjectTask, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["skill__group__order", "skill__order"]
        constraints = [
            models.UniqueConstraint(fields=["task", "skill"], name="project_task_skill_once"),
            level_range_check("level", "project_task_level_on_scale"),
        ]

    def __str__(self) -> str:
        return f"{self.task}: {self.skill} {self.level}"


class RoleSlot(PhaseSet):
    """A project's demand for one person of a profession, for some phases, dates and FTE."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="slots")
    profession = models.ForeignKey(Profession, on_delete=models.PROTECT, related_name="slots")
    title = models.CharField(max_length=200, blank=True)
    fte = models.DecimalField(max_digits=3, decimal_places=2, default=MAX_FTE)
    starts_on = models.DateField()
    ends_on = models.DateField()
    certifications = models.ManyToManyField(CertificationType, blank=True, related_name="slots")
    # Derived from the confirmed assignments; kept current by the services that change them.
    unfilled_fte = models.DecimalField(max_digits=3, decimal_places=2, default=MAX_FTE)
    # True while its confirmed assignments cover more than its FTE on some day (DESIGN.md §3.1 over-fill,
    # allowed on purpose); kept current by the same services.
    overfilled = models.BooleanField(default=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["project", "starts_on", "profession__order", "id"]
        constraints = [
            fte_range_check("fte", "slot_fte_in_range"),
            models.CheckConstraint(
                condition=models.Q(unfilled_fte__gte=Decimal("0"), unfilled_fte__lte=models.F("fte")),
                name="slot_unfilled_within_fte",
            ),
            end_not_before_start("slot_ends_after_start"),
            at_least_one_phase("slot_has_a_phase"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.profession} on {self.project}"

    @property
    def label(self) -> str:
        """The slot's name wherever the product shows it: its title, or its profession's name.

        ``label_sql`` is the same rule for a query; load the profession with the slot.
        """
        return self.title or self.profession.name

    @staticmethod
    def label_sql(prefix: str = "") -> Coalesce:
        """``label`` as an SQL expression, over the slot reached through ``prefix`` (e.g. ``"slot__"``)."""
        return Coalesce(NullIf(f"{prefix}title", models.Value("")), f"{prefix}profession__name")


class SlotRequirement(models.Model):
    """The level a slot requires in one skill, and how much that skill weighs in the fit."""

    slot = models.ForeignKey(RoleSlot, on_delete=models.CASCADE, related_name="requirements")
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, related_name="+")
    level = models.PositiveSmallIntegerField()
    weight = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("1"))

    class Meta:
        ordering = ["slot", "skill__group__order", "skill__order"]
        constraints = [
            models.UniqueConstraint(fields=["slot", "skill"], name="slot_requirement_once_per_skill"),
            level_range_check("level", "slot_requirement_level_on_scale"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=0, weight__lte=5), name="slot_requirement_weight_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slot}: {self.skill} {self.level} ×{self.weight}"


class AssignmentStatus(models.TextChoices):
    TENTATIVE = "tentative", "Tentative"
    CONFIRMED = "confirmed", "Confirmed"


class Assignment(models.Model):
    """A person in a slot for a date range with an allocation; confirmed ones count against capacity."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="assignments")
    slot = models.ForeignKey(RoleSlot, on_delete=models.CASCADE, related_name="assignments")
    starts_on = models.DateField()
    ends_on = models.DateField()
    allocation = models.DecimalField(max_digits=3, decimal_places=2)
    status = models.CharField(max_length=10, choices=AssignmentStatus.choices, default=AssignmentStatus.TENTATIVE)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            fte_range_check("allocation", "assignment_allocation_in_range", minimum=Decimal("0.01")),
            end_not_before_start("assignment_ends_after_start"),
        ]
        indexes = [models.Index(fields=["person", "status", "starts_on", "ends_on"])]

    def __str__(self) -> str:
        return f"{self.person} on {self.slot}"


class AssignmentChange(ChangeRecord):
    """The audit trail of assignments: who changed what, when, and the values before and after."""

    class Action(models.TextChoices):
        CREATED = "created", "Created"
        UPDATED = "updated", "Updated"
        RELEASED = "released", "Released"

    assignment_id = models.BigIntegerField(db_index=True)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="assignment_changes")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="assignment_changes")
    action = models.CharField(max_length=10, choices=Action.choices)

    def __str__(self) -> str:
        return f"{self.action} assignment {self.assignment_id}"
