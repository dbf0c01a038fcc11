"""The organisation report: gaps by skill and level, and weekly unfilled demand by phase (§3)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.models import Person, SkillRating
from projects.models import WORKING_PHASES, Assignment, AssignmentStatus, RoleSlot, SlotRequirement, phase_field_name
from roles.models import SpectrumLevel
from skills.models import Skill
from staffing.reports import compute_organisation_report, weekly_phase_totals
from tests.factories import (
    AssignmentFactory,
    PersonFactory,
    ProjectFactory,
    RoleSlotFactory,
    SkillRatingFactory,
    SlotRequirementFactory,
    skill,
)

pytestmark = pytest.mark.django_db

D = dt.date
PU, DU, IM = WORKING_PHASES
SKILLS = [
    "statistics", "ml-modelling", "research", "experimentation", "databases", "data-pipelines",
    "deployment", "ml-ops", "data-visualisation", "business-insights", "reporting", "storytelling",
]  # fmt: skip
SPECTRUM = {  # DESIGN.md §2: data scientist, data analyst, data engineer, ML engineer
    "statistics": (4, 2, 2, 2), "ml-modelling": (4, 1, 2, 4), "research": (4, 2, 2, 2),
    "experimentation": (4, 2, 2, 2), "databases": (2, 2, 4, 3), "data-pipelines": (2, 1, 4, 3),
    "deployment": (2, 0, 3, 4), "ml-ops": (2, 0, 3, 4), "data-visualisation": (3, 4, 2, 1),
    "business-insights": (3, 4, 2, 1), "reporting": (3, 4, 2, 2), "storytelling": (3, 4, 2, 1),
}  # fmt: skip
PROFESSIONS = ["data-scientist", "data-analyst", "data-engineer", "ml-engineer"]


def hire(slug: str, level: int) -> list[str]:
    return [name for name, asked in zip(PROFESSIONS, SPECTRUM[slug], strict=True) if asked >= level]


def gap_rows(figures: dict[tuple[str, int], tuple[float, float, float]]) -> list[dict[str, Any]]:
    """Every skill and level 1–5 in order; (demand, supply, gap) as given, else zeros."""
    return [
        {
            "skill": slug,
            "level": level,
            **dict(zip(["demand", "supply", "gap"], figures.get((slug, level), (0.0, 0.0, 0.0)), strict=True)),
            "professions": hire(slug, level),
        }
        for slug in SKILLS
        for level in range(1, 6)
    ]


def slot(phases: list[str], first: dt.date, last: dt.date, fte: str, **fields: Any) -> RoleSlot:
    flags = {phase_field_name(phase): phase in phases for phase in WORKING_PHASES}
    project = ProjectFactory(starts_on=min(first, D(2026, 12, 1)), ends_on=max(last, D(2027, 3, 31)))
    return RoleSlotFactory(project=project, starts_on=first, ends_on=last, fte=Decimal(fte), **flags, **fields)


def rated(name: str, capacity: str, **ratings: int) -> Person:
    someone = PersonFactory(name=name, capacity_fte=Decimal(capacity))
    for slug, level in ratings.items():
        SkillRatingFactory(person=someone, skill=skill(slug.replace("_", "-")), level=level)
    return someone


def confirm(someone: Person, on: RoleSlot, allocation: str, first: dt.date, last: dt.date, **fields: Any) -> None:
    AssignmentFactory(person=someone, slot=on, allocation=Decimal(allocation), starts_on=first, ends_on=last, **fields)


def test_it_reports_gaps_by_skill_and_level_and_demand_by_week() -> None:
    # The range runs Wednesday 6 to Tuesday 19 January 2027: three ISO weeks.
    s1 = slot([PU], D(2027, 1, 4), D(2027, 1, 31), "1.00")
    SlotRequirementFactory(slot=s1, skill=skill("statistics"), level=4)
    SlotRequirementFactory(slot=s1, skill=skill("reporting"), level=2)
    s2 = slot([DU, IM], D(2027, 1, 18), D(2027, 2, 28), "0.60")
    SlotRequirementFactory(slot=s2, skill=skill("statistics"), level=2)
    SlotRequirementFactory(slot=s2, skill=skill("databases"), level=3)
    closed = slot([DU], D(2027, 1, 4), D(2027, 1, 31), "1.00", closed_at=timezone.now())
    SlotRequirementFactory(slot=closed, skill=skill("statistics"), level=5)
    later = slot([DU], D(2027, 3, 1), D(2027, 3, 31), "1.00")
    SlotRequirementFactory(slot=later, skill=skill("statistics"), level=5)
    s5 = slot([PU, DU, IM], D(2026, 12, 1), D(2027, 1, 8), "0.50")
    SlotRequirementFactory(slot=s5, skill=skill("ml-modelling"), level=1)

    x = rated("Xia", "1.00", statistics=4, reporting=3)
    y = rated("Yan", "0.80", statistics=2, databases=3, ml_modelling=1)
    z = rated("Zoe", "1.00", statistics=5)
    rated("Wil", "0.50")
    confirm(x, s1, "0.50", D(2027, 1, 4), D(2027, 1, 31))
    confirm(y, s5, "0.30", D(2026, 12, 1), D(2026, 12, 31))  # covers December only: S5 unfilled 0.5
    confirm(y, closed, "0.50", D(2027, 1, 10), D(2027, 1, 12))  # Yan's peak in the range: free 0.3
    confirm(z, s2, "0.50", D(2027, 1, 18), D(2027, 2, 28), status=AssignmentStatus.TENTATIVE)

    report = compute_organisation_report(starts_on=D(2027, 1, 6), ends_on=D(2027, 1, 19))

    # Unfilled: S1 0.5, S2 0.6, S5 0.5. Free: Xia 0.5, Yan 0.3, Zoe 1.0, Wil 0.5 (unrated).
    assert report == {
        "starts_on": "2027-01-06",
        "ends_on": "2027-01-19",
        "gaps": gap_rows(
            {
                ("statistics", 1): (1.1, 1.8, -0.7),
                ("statistics", 2): (1.1, 1.8, -0.7),
                ("statistics", 3): (0.5, 1.5, -1.0),
                ("statistics", 4): (0.5, 1.5, -1.0),
                ("statistics", 5): (0.0, 1.0, -1.0),
                ("ml-modelling", 1): (0.5, 0.3, 0.2),
                ("databases", 1): (0.6, 0.3, 0.3),
                ("databases", 2): (0.6, 0.3, 0.3),
                ("databases", 3): (0.6, 0.3, 0.3),
                ("reporting", 1): (0.5, 0.5, 0.0),
                ("reporting", 2): (0.5, 0.5, 0.0),
                ("reporting", 3): (0.0, 0.5, -0.5),
            }
        ),
        # S1 every week in problem understanding; S5 (three phases, a sixth of an FTE each) in the
        # first week; S2 (two phases, 0.3 each) in the last.
        "weekly_demand": [
            {"week": "2027-01-04", "phase": PU, "fte": 0.67},
            {"week": "2027-01-04", "phase": DU, "fte": 0.17},
            {"week": "2027-01-04", "phase": IM, "fte": 0.17},
            {"week": "2027-01-11", "phase": PU, "fte": 0.5},
            {"week": "2027-01-11", "phase": DU, "fte": 0.0},
            {"week": "2027-01-11", "phase": IM, "fte": 0.0},
            {"week": "2027-01-18", "phase": PU, "fte": 0.5},
            {"week": "2027-01-18", "phase": DU, "fte": 0.3},
            {"week": "2027-01-18", "phase": IM, "fte": 0.3},
        ],
    }


def test_an_empty_organisation_has_a_row_for_every_skill_and_level() -> None:
    report = compute_organisation_report(starts_on=D(2027, 1, 4), ends_on=D(2027, 1, 4))

    assert report == {
        "starts_on": "2027-01-04",
        "ends_on": "2027-01-04",
        "gaps": gap_rows({}),
        "weekly_demand": [{"week": "2027-01-04", "phase": phase, "fte": 0.0} for phase in WORKING_PHASES],
    }


def test_the_query_count_does_not_grow_with_the_organisation() -> None:
    start, end = D(2027, 1, 4), D(2027, 3, 28)
    one = slot([PU], start, end, "1.00")
    SlotRequirementFactory(slot=one, skill=skill("statistics"))
    confirm(rated("Ann", "1.00", statistics=3), one, "0.50", start, end)
    with CaptureQueriesContext(connection) as small:
        compute_organisation_report(starts_on=start, ends_on=end)

    for index in range(5):
        more = slot([DU, IM], start, end, "0.50")
        SlotRequirementFactory(slot=more, skill=skill("databases"))
        confirm(rated(f"P{index}", "1.00", databases=4), more, "0.20", start, end)
    with CaptureQueriesContext(connection) as large:
        compute_organisation_report(starts_on=start, ends_on=end)

    # catalogue, open slots, their confirmed assignments, their requirements, people, ratings,
    # confirmed assignments in the range, spectrum
    assert len(small) == len(large) == 8


def test_a_slot_counts_in_every_week_it_touches_shared_among_its_phases() -> None:
    # Twelve days from a Thursday touch three weeks: Thursday to Sunday, a whole week, a Monday.
    totals = weekly_phase_totals(
        first=np.array([3, -4]),
        last=np.array([4, 30]),
        phases=np.array([[True, False, True], [False, True, False]]),
        amount=np.array([30, 10]),
        days=12,
        weekday=3,
    )

    # Slot 0 (days 3–4: Sunday and Monday) touches weeks 0 and 1, 15 per phase; slot 1 all weeks.
    assert (totals // 6).tolist() == [[15, 10, 15], [15, 10, 15], [0, 10, 0]]


# --- The same arithmetic read plainly from §3, on random small organisations ---------------------


def round_fte(value: Fraction) -> float:
    quantised = (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return float(quantised)


def plain_organisation_report(starts_on: dt.date, ends_on: dt.date) -> dict[str, Any]:
    def days(first: dt.date, last: dt.date) -> list[dt.date]:
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    skills = list(Skill.objects.order_by("group__order", "order", "name"))
    confirmed = list(Assignment.objects.filter(status=AssignmentStatus.CONFIRMED))
    open_slots = [
        s for s in RoleSlot.objects.filter(closed_at__isnull=True) if s.starts_on <= ends_on and s.ends_on >= starts_on
    ]
    unfilled = {
        s.pk: max(
            Decimal(0),
            s.fte
            - min(
                sum(
                    (a.allocation for a in confirmed if a.slot_id == s.pk and a.starts_on <= d <= a.ends_on), Decimal(0)
                )
                for d in days(s.starts_on, s.ends_on)
            ),
        )
        for s in open_slots
    }
    free = {
        p.pk: max(
            Decimal(0),
            p.capacity_fte
            - max(
                sum(
                    (a.allocation for a in confirmed if a.person_id == p.pk and a.starts_on <= d <= a.ends_on),
                    Decimal(0),
                )
                for d in days(starts_on, ends_on)
            ),
        )
        for p in Person.objects.all()
    }
    required = {(r.slot_id, r.skill_id): r.level for r in SlotRequirement.objects.all()}
    level = {(r.person_id, r.skill_id): r.level for r in SkillRating.objects.all()}
    spectrum = list(
        SpectrumLevel.objects.order_by("profession__order", "profession__name").select_related("profession")
    )

    gaps = []
    for k in skills:
        for lv in range(1, 6):
            demand = sum((unfilled[s.pk] for s in open_slots if required.get((s.pk, k.pk), 0) >= lv), Decimal(0))
            supply = sum((f for pid, f in free.items() if level.get((pid, k.pk), 0) >= lv), Decimal(0))
            gaps.append(
                {
                    "skill": k.slug,
                    "level": lv,
                    "demand": float(demand),
                    "supply": float(supply),
                    "gap": float(demand - supply),
                    "professions": [x.profession.slug for x in spectrum if x.skill_id == k.pk and x.level >= lv],
                }
            )

    weekly = []
    monday = starts_on - dt.timedelta(days=starts_on.weekday())
    while monday <= ends_on:
        week = [d for d in days(monday, monday + dt.timedelta(days=6)) if starts_on <= d <= ends_on]
        for name in WORKING_PHASES:
            total = Fraction(0)
            for s in open_slots:
                phases = s.phases
                if name in phases and any(s.starts_on <= d <= s.ends_on for d in week):
                    total += Fraction(unfilled[s.pk]) / len(phases)
            weekly.append({"week": monday.isoformat(), "phase": name, "fte": round_fte(total)})
        monday += dt.timedelta(weeks=1)
    return {"starts_on": starts_on.isoformat(), "ends_on": ends_on.isoformat(), "gaps": gaps, "weekly_demand": weekly}


FEW_SKILLS = SKILLS[:4]
people_strategy = st.lists(
    st.tuples(
        st.sampled_from([Decimal("0.50"), Decimal("0.80"), Decimal("1.00")]),
        st.dictionaries(st.sampled_from(FEW_SKILLS), st.integers(0, 5), max_size=3),
    ),
    min_size=1,
    max_size=6,
)
slots_strategy = st.lists(
    st.tuples(
        st.sets(st.sampled_from(WORKING_PHASES), min_size=1),
        st.sampled_from([Decimal("0.10"), Decimal("0.50"), Decimal("1.00")]),
        st.integers(-10, 30),  # first day, from the organisation's origin
        st.integers(0, 20),  # length
        st.booleans(),  # closed
        st.dictionaries(st.sampled_from(FEW_SKILLS), st.integers(0, 5), max_size=3),
    ),
    max_size=5,
)
assignments_strategy = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(0, 4),
        st.integers(0, 20),
        st.integers(0, 20),
        st.sampled_from([Decimal("0.10"), Decimal("0.30"), Decimal("0.50")]),
        st.sampled_from([AssignmentStatus.CONFIRMED, AssignmentStatus.CONFIRMED, AssignmentStatus.TENTATIVE]),
    ),
    max_size=10,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=people_strategy,
    slots=slots_strategy,
    assignments=assignments_strategy,
    range_start=st.integers(0, 20),
    range_length=st.integers(0, 25),
)
def test_the_arrays_agree_with_a_plain_reading_of_the_design(
    people: list[Any], slots: list[Any], assignments: list[Any], range_start: int, range_length: int
) -> None:
    origin = D(2027, 1, 1)
    with transaction.atomic():
        staff = [
            rated(f"P{index}", str(capacity), **{k.replace("-", "_"): v for k, v in ratings.items()})
            for index, (capacity, ratings) in enumerate(people)
        ]
        made = []
        for phases, fte, offset, length, closed, requirements in slots:
            first = origin + dt.timedelta(days=offset)
            made.append(
                slot(
                    sorted(phases),
                    first,
                    first + dt.timedelta(days=length),
                    str(fte),
                    closed_at=timezone.now() if closed else None,
                )
            )
            for slug, level in requirements.items():
                SlotRequirementFactory(slot=made[-1], skill=skill(slug), level=level)
        for who, where, skip, cut, allocation, status in assignments if made else []:
            on = made[where % len(made)]
            length = (on.ends_on - on.starts_on).days
            first = on.starts_on + dt.timedelta(days=min(skip, length))
            last = on.ends_on - dt.timedelta(days=min(cut, (on.ends_on - first).days))
            confirm(staff[who % len(staff)], on, str(allocation), first, last, status=status)
        starts_on = origin + dt.timedelta(days=range_start)
        ends_on = starts_on + dt.timedelta(days=range_length)

        assert compute_organisation_report(starts_on=starts_on, ends_on=ends_on) == plain_organisation_report(
            starts_on, ends_on
        )
        transaction.set_rollback(True)
