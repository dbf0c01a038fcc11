import datetime as dt

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from projects.models import (
    Phase,
    Project,
    ProjectTask,
    ProjectTaskSkill,
    ProjectTemplate,
    RoleSlot,
    SlotRequirement,
)
from projects.selectors import compute_unfilled_fte
from roles.models import SpectrumLevel


@transaction.atomic
def create_project(
    *,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    template: ProjectTemplate | None = None,
    description: str = "",
    actor: AbstractBaseUser | None = None,
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


@transaction.atomic
def refresh_unfilled_fte(*, slot_id: int) -> RoleSlot | None:
    """Recompute and store a slot's unfilled FTE from its confirmed assignments; None if it is gone."""
    slot = RoleSlot.objects.select_for_update().filter(pk=slot_id).first()
    if slot is None:
        return None
    slot.unfilled_fte = compute_unfilled_fte(slot)
    slot.save(update_fields=["unfilled_fte", "updated_at"])
    return slot
