"""Factories for the domain. Catalogue rows (skills, professions) come from the migrations."""

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from django.contrib.auth.models import Group, User
from django.utils import timezone

from people.models import (
    Absence,
    AbsenceKind,
    Certification,
    CertificationType,
    Person,
    RatingSource,
    SkillRating,
    Team,
)
from projects.models import Assignment, AssignmentStatus, Project, RoleSlot, SlotRequirement
from roles.models import Profession
from skills.models import Skill
from staffing.models import Report
from staffing.services import run_report

PASSWORD = "correct-horse-battery-staple"


def profession(slug: str) -> Profession:
    return Profession.objects.get(slug=slug)


def skill(slug: str) -> Skill:
    return Skill.objects.get(slug=slug)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def groups(self, create: bool, names: list[str] | None, **kwargs: object) -> None:
        for name in names or []:
            self.groups.add(Group.objects.get(name=name))


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n:04d}")
    profession = factory.LazyFunction(lambda: profession("data-scientist"))
    team = factory.SubFactory(TeamFactory)
    capacity_fte = Decimal("1.00")


def certification_type(slug: str) -> CertificationType:
    return CertificationType.objects.get(slug=slug)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    person = factory.SubFactory(PersonFactory)
    kind = factory.LazyFunction(lambda: certification_type("privacy-hipaa"))
    obtained_on = dt.date(2026, 1, 1)
    expires_on = None


class SkillRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillRating

    person = factory.SubFactory(PersonFactory)
    skill = factory.LazyFunction(lambda: skill("statistics"))
    level = 3
    source = RatingSource.LEAD
    rated_at = factory.LazyFunction(timezone.now)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    starts_on = dt.date(2027, 1, 4)
    ends_on = dt.date(2027, 6, 30)


class RoleSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleSlot

    project = factory.SubFactory(ProjectFactory)
    profession = factory.LazyFunction(lambda: profession("data-scientist"))
    fte = Decimal("1.00")
    unfilled_fte = factory.SelfAttribute("fte")
    starts_on = factory.SelfAttribute("project.starts_on")
    ends_on = factory.SelfAttribute("project.ends_on")
    in_problem_understanding = True
    in_data_understanding = True
    in_implementation = True


class SlotRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlotRequirement

    slot = factory.SubFactory(RoleSlotFactory)
    skill = factory.LazyFunction(lambda: skill("statistics"))
    level = 3
    weight = Decimal("1")


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment

    person = factory.SubFactory(PersonFactory)
    slot = factory.SubFactory(RoleSlotFactory)
    starts_on = factory.SelfAttribute("slot.starts_on")
    ends_on = factory.SelfAttribute("slot.ends_on")
    allocation = Decimal("0.50")
    status = AssignmentStatus.CONFIRMED


# --- Reports -------------------------------------------------------------------------------------


def build_staffed_project() -> Project:
    """Chest x-ray screening, 4 Jan to 31 Mar 2027: one data-scientist slot, "Imaging scientist", asking for
    statistics at 4, half filled by Ann Analyst, rated 3."""
    project = ProjectFactory(name="Chest x-ray screening", starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 3, 31))
    slot = RoleSlotFactory(project=project, fte=Decimal("1.00"), title="Imaging scientist")
    SlotRequirementFactory(slot=slot, level=4)
    ann = PersonFactory(name="Ann Analyst")
    SkillRatingFactory(person=ann, level=3)
    AssignmentFactory(person=ann, slot=slot, allocation=Decimal("0.50"))
    return project


def build_training_project() -> Project:
    """Genome triage, 4 Jan to 31 Mar 2027: one slot asking for statistics at 4 (weight 1) and research at 4
    (weight 2), filled by Zed Zimmer and Amy Archer (statistics 3, research 4: one level closes 1) and Yan
    Young (statistics 4, research 3: one level closes 2), created in that order."""
    project = ProjectFactory(name="Genome triage", starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 3, 31))
    slot = RoleSlotFactory(project=project, fte=Decimal("1.00"), title="Genome analyst")
    SlotRequirementFactory(slot=slot, skill=skill("statistics"), level=4)
    SlotRequirementFactory(slot=slot, skill=skill("research"), level=4, weight=Decimal("2"))
    people = [("Zed Zimmer", 3, 4, "0.34"), ("Amy Archer", 3, 4, "0.33"), ("Yan Young", 4, 3, "0.33")]
    for name, statistics, research, allocation in people:
        person = PersonFactory(name=name)
        SkillRatingFactory(person=person, skill=skill("statistics"), level=statistics)
        SkillRatingFactory(person=person, skill=skill("research"), level=research)
        AssignmentFactory(person=person, slot=slot, allocation=Decimal(allocation))
    return project


def build_organisation_report(**fields: Any) -> Report:
    """An organisation report over 4 Jan to 28 Mar 2027, queued unless ``fields`` say otherwise."""
    return Report.objects.create(
        kind="organisation", starts_on=dt.date(2027, 1, 4), ends_on=dt.date(2027, 3, 28), **fields
    )


def finish_report(report: Report) -> Report:
    """``report`` computed in this process, as a worker would: done, with its result."""
    run_report(report_id=report.pk)
    report.refresh_from_db()
    return report


class AbsenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Absence

    person = factory.SubFactory(PersonFactory)
    starts_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    ends_on = factory.LazyAttribute(lambda absence: absence.starts_on + dt.timedelta(days=4))
    fraction = Decimal("1.00")
    kind = AbsenceKind.LEAVE
