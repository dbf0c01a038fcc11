import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from config.errors import RuleError
from projects.models import AssignmentStatus, RoleSlot
from projects.services import close_slot, create_slot, update_slot
from tests.factories import AssignmentFactory, ProjectFactory, profession

pytestmark = pytest.mark.django_db


def requirements(slot: RoleSlot) -> dict[str, tuple[int, Decimal]]:
    return {r.skill.slug: (r.level, r.weight) for r in slot.requirements.select_related("skill")}


def test_a_new_slot_starts_from_its_professions_spectrum_with_changes_on_top(manager: User) -> None:
    project = ProjectFactory()

    slot = create_slot(
        project=project,
        profession=profession("data-analyst"),
        phases=["data-understanding", "implementation"],
        fte=Decimal("0.5"),
        requirements={"storytelling": (5, Decimal("2")), "reporting": (0, Decimal("1")), "ml-ops": (1, Decimal("1"))},
        certifications=["privacy-hipaa"],
        actor=manager,
    )

    one = Decimal("1")
    assert requirements(slot) == {
        "statistics": (2, one), "ml-modelling": (1, one), "research": (2, one), "experimentation": (2, one),
        "databases": (2, one), "data-pipelines": (1, one), "ml-ops": (1, one),
        "data-visualisation": (4, one), "business-insights": (4, one), "storytelling": (5, Decimal("2")),
    }  # fmt: skip
    assert (slot.phases, slot.fte, slot.unfilled_fte) == (["data-understanding", "implementation"], Decimal("0.5"),
                                                          Decimal("0.5"))  # fmt: skip
    assert (slot.starts_on, slot.ends_on) == (project.starts_on, project.ends_on)
    assert list(slot.certifications.values_list("slug", flat=True)) == ["privacy-hipaa"]


def test_bad_slot_input_names_each_field_and_creates_nothing(manager: User) -> None:
    project = ProjectFactory(starts_on=dt.date(2027, 1, 1), ends_on=dt.date(2027, 6, 30))

    with pytest.raises(ValidationError) as refused:
        create_slot(
            project=project,
            profession=profession("data-engineer"),
            phases=[],
            fte=Decimal("1.5"),
            starts_on=dt.date(2026, 12, 1),
            ends_on=dt.date(2027, 3, 1),
            requirements={"databases": (6, Decimal("1")), "astrology": (3, Decimal("1"))},
            actor=manager,
        )

    assert refused.value.message_dict == {
        "phases": ["Choose one or more of: problem-understanding, data-understanding, implementation."],
        "fte": ["Must be between 0.10 and 1.00."],
        "starts_on": ["Must lie within the project's dates, 1 Jan 2027 to 30 Jun 2027."],
        "requirements": ["databases: level must be 0–5 and weight 0–5.", "astrology: unknown skill."],
    }
    assert RoleSlot.objects.count() == 0


def test_an_unknown_certification_is_refused(manager: User) -> None:
    with pytest.raises(ValidationError) as refused:
        create_slot(project=ProjectFactory(), profession=profession("ml-engineer"), phases=["implementation"],
                    fte=Decimal("1"), certifications=["juggling"], actor=manager)  # fmt: skip

    assert refused.value.message_dict == {"certifications": ["Unknown certification: juggling."]}
    assert RoleSlot.objects.count() == 0


def test_updating_requirements_replaces_them_and_fte_recomputes_unfilled(manager: User) -> None:
    slot = create_slot(project=ProjectFactory(), profession=profession("ml-engineer"), phases=["implementation"],
                       fte=Decimal("1"), actor=manager)  # fmt: skip
    AssignmentFactory(slot=slot, allocation=Decimal("0.40"))

    update_slot(slot=slot, fte=Decimal("0.60"), requirements={"deployment": (5, Decimal("3"))}, actor=manager)

    slot.refresh_from_db()
    assert requirements(slot) == {"deployment": (5, Decimal("3"))}
    assert slot.unfilled_fte == Decimal("0.20")


def test_narrowing_dates_past_an_assignment_is_refused(manager: User) -> None:
    slot = create_slot(project=ProjectFactory(), profession=profession("ml-engineer"), phases=["implementation"],
                       fte=Decimal("1"), actor=manager)  # fmt: skip
    AssignmentFactory(slot=slot)

    with pytest.raises(RuleError, match="outside the new dates"):
        update_slot(slot=slot, ends_on=slot.ends_on - dt.timedelta(days=1), actor=manager)


def test_closing_a_slot_releases_its_tentative_assignments(manager: User) -> None:
    slot = create_slot(project=ProjectFactory(), profession=profession("ml-engineer"), phases=["implementation"],
                       fte=Decimal("1"), actor=manager)  # fmt: skip
    confirmed = AssignmentFactory(slot=slot, allocation=Decimal("0.5"))
    AssignmentFactory(slot=slot, allocation=Decimal("0.5"), status=AssignmentStatus.TENTATIVE)

    close_slot(slot=slot, actor=manager)

    slot.refresh_from_db()
    assert slot.closed_at is not None
    assert list(slot.assignments.all()) == [confirmed]
