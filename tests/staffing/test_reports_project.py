"""The project report: phase coverage, unfilled slots and training suggestions (DESIGN.md §3)."""

import datetime as dt
from decimal import Decimal
from typing import Any

import numpy as np
import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.models import Person, SkillRating
from projects.models import (
    WORKING_PHASES,
    Assignment,
    AssignmentStatus,
    Project,
    ProjectTask,
    ProjectTaskSkill,
    RoleSlot,
    SlotRequirement,
    phase_field_name,
)
from skills.models import Skill
from staffing.ranking import rank_candidates
from staffing.reports import best_raises, compute_project_report, top_candidates, training_gains
from tests.factories import (
    AssignmentFactory,
    PersonFactory,
    ProjectFactory,
    RoleSlotFactory,
    SkillRatingFactory,
    SlotRequirementFactory,
    profession,
    skill,
)

pytestmark = pytest.mark.django_db

D = dt.date
SKILLS = [
    "statistics", "ml-modelling", "research", "experimentation", "databases", "data-pipelines",
    "deployment", "ml-ops", "data-visualisation", "business-insights", "reporting", "storytelling",
]  # fmt: skip
PU, DU, IM = WORKING_PHASES


def person(name: str, slug: str = "data-scientist", **ratings: int) -> Person:
    someone = PersonFactory(name=name, profession=profession(slug))
    for skill_slug, level in ratings.items():
        SkillRatingFactory(person=someone, skill=skill(skill_slug.replace("_", "-")), level=level)
    return someone


def slot_on(project: Project, phases: list[str], **fields: Any) -> RoleSlot:
    flags = {phase_field_name(phase): phase in phases for phase in WORKING_PHASES}
    return RoleSlotFactory(project=project, **flags, **fields)


def require(slot: RoleSlot, slug: str, level: int, weight: str = "1") -> None:
    SlotRequirementFactory(slot=slot, skill=skill(slug), level=level, weight=Decimal(weight))


def task_needs(project: Project, phase: str, slug: str, level: int) -> None:
    task = ProjectTask.objects.create(project=project, phase=phase, profession=profession("data-analyst"), title="t")
    ProjectTaskSkill.objects.create(task=task, skill=skill(slug), level=level)


def phase(name: str, required: dict[str, int], covered: dict[str, int]) -> dict[str, Any]:
    """A phase row listing every catalogue skill, 0 where not named."""
    return {
        "phase": name,
        "skills": [
            {
                "skill": slug,
                "required": required.get(slug, 0),
                "covered": covered.get(slug, 0),
                "gap": max(0, required.get(slug, 0) - covered.get(slug, 0)),
            }
            for slug in SKILLS
        ],
    }


@pytest.fixture
def covid() -> dict[str, Any]:
    """A project of three slots, one closed, a task, and people to confirm and rank.

    Slot A (problem and data understanding): statistics 4, ML modelling 3 weighing 2; Ann holds 0.6
    and Fay 0.2 of its 1.0 FTE. Slot B (implementation, 0.5 FTE from February): databases 4 weighing
    2.5 and pipelines 3; Bob holds it only from March. Slot C (data understanding) is closed and asks
    for reporting 5. A problem-understanding task exercises storytelling 3.
    """
    project = ProjectFactory(starts_on=D(2027, 1, 4), ends_on=D(2027, 6, 30))
    a = slot_on(project, [PU, DU], fte=Decimal("1.00"), ends_on=D(2027, 3, 31))
    require(a, "statistics", 4)
    require(a, "ml-modelling", 3, weight="2")
    b = slot_on(project, [IM], fte=Decimal("0.50"), starts_on=D(2027, 2, 1))
    require(b, "databases", 4, weight="2.5")
    require(b, "data-pipelines", 3)
    c = slot_on(project, [DU], fte=Decimal("0.50"), closed_at=timezone.now())
    require(c, "reporting", 5)
    task_needs(project, PU, "storytelling", 3)

    ann = person("Ann", statistics=3, ml_modelling=3, research=2, databases=2)
    bob = person("Bob", "data-engineer", databases=4, data_pipelines=2)
    cat = person("Cat", statistics=4, ml_modelling=1)
    dan = person("Dan", statistics=5, ml_modelling=5, databases=3)
    eve = person("Eve", statistics=2, ml_modelling=3, databases=3)
    fay = person("Fay", statistics=5, ml_modelling=5)
    AssignmentFactory(person=ann, slot=a, allocation=Decimal("0.60"))
    AssignmentFactory(person=fay, slot=a, allocation=Decimal("0.20"))
    AssignmentFactory(person=bob, slot=b, allocation=Decimal("0.50"), starts_on=D(2027, 3, 1))
    AssignmentFactory(person=cat, slot=a, allocation=Decimal("0.50"), status=AssignmentStatus.TENTATIVE)
    return {"project": project, "a": a, "b": b, "c": c, "people": (ann, bob, cat, dan, eve, fay)}


def test_it_reports_coverage_unfilled_slots_and_training(covid: dict[str, Any]) -> None:
    a, b = covid["a"], covid["b"]
    ann, bob, *_ = covid["people"]

    report = compute_project_report(project=covid["project"])

    # Ann, Fay (slot A) and Bob (slot B) are confirmed; Cat is only tentative and counts nowhere.
    assert report["phases"] == [
        phase(
            PU,
            required={"statistics": 4, "ml-modelling": 3, "storytelling": 3},
            covered={"statistics": 5, "ml-modelling": 5, "research": 2, "databases": 2},
        ),
        phase(
            DU,
            required={"statistics": 4, "ml-modelling": 3, "reporting": 5},
            covered={"statistics": 5, "ml-modelling": 5, "research": 2, "databases": 2},
        ),
        phase(IM, required={"databases": 4, "data-pipelines": 3}, covered={"databases": 4, "data-pipelines": 2}),
    ]
    # A: 1.0 − (0.6 + 0.2); B: nobody in February. The closed slot C is not listed.
    assert report["unfilled"] == [{"slot": a.pk, "unfilled_fte": 0.2}, {"slot": b.pk, "unfilled_fte": 0.5}]
    # Ann: confirmed on A, and third for B (Dan and Eve fit 7.5/13, then Ann 5/13). Raising databases
    # removes 2.5 on B; statistics only 1 on A. Bob: pipelines is his only shortfall.
    # Fay meets everything on A and ranks nowhere near the top of B: no suggestion.
    assert report["training"] == [
        {"person": ann.pk, "skill": "databases", "from": 2, "to": 3, "gain": 2.5},
        {"person": bob.pk, "skill": "data-pipelines", "from": 2, "to": 3, "gain": 1.0},
    ]


def test_the_unfilled_fte_is_computed_not_read_from_the_stored_column(covid: dict[str, Any]) -> None:
    a = covid["a"]
    assert RoleSlot.objects.get(pk=a.pk).unfilled_fte == Decimal("1.00")  # stale: factories skip the service

    report = compute_project_report(project=covid["project"])

    assert report["unfilled"][0] == {"slot": a.pk, "unfilled_fte": 0.2}


def test_the_top_three_are_those_of_the_candidate_ranking(covid: dict[str, Any]) -> None:
    a, b = covid["a"], covid["b"]
    ann, _, cat, dan, eve, _ = covid["people"]

    top = top_candidates([a, b])

    assert {slot: ids.tolist() for slot, ids in top.items()} == {
        a.pk: [dan.pk, eve.pk, cat.pk],
        b.pk: [dan.pk, eve.pk, ann.pk],  # Dan and Eve tie on fit and free capacity: by name
    }
    assert top[a.pk].tolist() == rank_candidates(slot=a).person_ids[:3]
    assert top[b.pk].tolist() == rank_candidates(slot=b).person_ids[:3]


def test_a_project_without_slots_or_people_reports_zeros() -> None:
    project = ProjectFactory()
    task_needs(project, DU, "research", 2)

    report = compute_project_report(project=project)

    assert report == {
        "phases": [phase(PU, {}, {}), phase(DU, {"research": 2}, {}), phase(IM, {}, {})],
        "unfilled": [],
        "training": [],
    }


def test_it_reports_progress_that_only_goes_up(covid: dict[str, Any]) -> None:
    seen: list[int] = []

    compute_project_report(project=covid["project"], progress=seen.append)

    assert seen == sorted(seen)
    assert all(0 <= percent < 100 for percent in seen)


def test_the_query_count_does_not_grow_with_the_project(covid: dict[str, Any]) -> None:
    small = ProjectFactory()
    only = slot_on(small, [PU])
    require(only, "statistics", 3)
    AssignmentFactory(person=person("Gil", statistics=1), slot=only)

    with CaptureQueriesContext(connection) as one_slot:
        compute_project_report(project=small)
    with CaptureQueriesContext(connection) as three_slots:
        compute_project_report(project=covid["project"])

    # catalogue, slots, requirements, task skills, confirmed, ratings; ranking: requirements,
    # certifications, people, ratings, confirmed assignments
    assert len(one_slot) == len(three_slots) == 11


def test_a_tie_in_gain_goes_to_the_skill_first_in_the_catalogue() -> None:
    levels = np.array([[1, 1, 5]])
    required = np.array([[2, 2, 5], [0, 0, 0]])
    weights = np.array([[100, 100, 100], [0, 0, 0]])

    best, gain = best_raises(
        training_gains(levels=levels, considered=np.array([[True, True]]), required=required, weights=weights)
    )

    assert (best.tolist(), gain.tolist()) == ([0], [100])


# --- The same arithmetic read plainly from §3, on random small projects --------------------------


def plain_project_report(project: Project) -> dict[str, Any]:
    """§3 read literally: loops over days, people, slots and skills."""
    skills = list(Skill.objects.order_by("group__order", "order", "name"))
    slots = list(project.slots.order_by("starts_on", "profession__order", "id"))
    people = list(Person.objects.all())
    level = {(r.person_id, r.skill_id): r.level for r in SkillRating.objects.all()}
    requirement = {(r.slot_id, r.skill_id): (r.level, r.weight) for r in SlotRequirement.objects.all()}
    confirmed = list(Assignment.objects.filter(status=AssignmentStatus.CONFIRMED))
    tasks = list(ProjectTaskSkill.objects.filter(task__project=project).select_related("task"))

    def days(first: dt.date, last: dt.date) -> list[dt.date]:
        return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]

    def covered(slot: RoleSlot, day: dt.date) -> Decimal:
        return sum(
            (a.allocation for a in confirmed if a.slot_id == slot.pk and a.starts_on <= day <= a.ends_on), Decimal(0)
        )

    def free(someone: Person, first: dt.date, last: dt.date) -> Decimal:
        load = max(
            sum(
                (a.allocation for a in confirmed if a.person_id == someone.pk and a.starts_on <= d <= a.ends_on),
                Decimal(0),
            )
            for d in days(first, last)
        )
        return max(Decimal(0), someone.capacity_fte - load)

    def fit(someone: Person, slot: RoleSlot) -> Decimal:
        total = sum((w * r for (sid, _), (r, w) in requirement.items() if sid == slot.pk), Decimal(0))
        short = sum(
            (
                w * max(0, r - level.get((someone.pk, k), 0))
                for (sid, k), (r, w) in requirement.items()
                if sid == slot.pk
            ),
            Decimal(0),
        )
        return Decimal(1) if total == 0 else 1 - short / total

    def top3(slot: RoleSlot) -> list[int]:
        on_slot = {a.person_id for a in confirmed if a.slot_id == slot.pk}
        candidates = [p for p in people if p.pk not in on_slot]
        candidates.sort(key=lambda p: (-fit(p, slot), -free(p, slot.starts_on, slot.ends_on), p.name, p.pk))
        return [p.pk for p in candidates[:3]]

    phases = []
    for name in WORKING_PHASES:
        active = [s for s in slots if getattr(s, phase_field_name(name))]
        active_ids = {s.pk for s in active}
        holders = {a.person_id for a in confirmed if a.slot_id in active_ids}
        rows = []
        for k in skills:
            required = max(
                [requirement.get((s.pk, k.pk), (0, 0))[0] for s in active]
                + [t.level for t in tasks if t.task.phase == name and t.skill_id == k.pk],
                default=0,
            )
            have = max([level.get((p, k.pk), 0) for p in holders], default=0)
            rows.append({"skill": k.slug, "required": required, "covered": have, "gap": max(0, required - have)})
        phases.append({"phase": name, "skills": rows})

    unfilled = []
    for s in slots:
        least = min(covered(s, d) for d in days(s.starts_on, s.ends_on))
        if s.closed_at is None and s.fte - least > 0:
            unfilled.append({"slot": s.pk, "unfilled_fte": float(s.fte - least)})

    project_ids = {s.pk for s in slots}
    tops = {s.pk: top3(s) for s in slots if s.closed_at is None}
    training = []
    for pid in sorted({a.person_id for a in confirmed if a.slot_id in project_ids}):
        considered = [s for s in slots if any(a.person_id == pid and a.slot_id == s.pk for a in confirmed)]
        considered += [s for s in slots if pid in tops.get(s.pk, []) and s not in considered]
        best = None
        for k in skills:
            h = level.get((pid, k.pk), 0)
            gain = Decimal(0)
            for s in considered:
                r, w = requirement.get((s.pk, k.pk), (0, Decimal(0)))
                gain += w * (max(0, r - h) - max(0, r - h - 1))
            if gain > 0 and (best is None or gain > best[1]):
                best = (k, gain, h)
        if best:
            k, gain, h = best
            training.append({"person": pid, "skill": k.slug, "from": h, "to": h + 1, "gain": float(gain)})
    return {"phases": phases, "unfilled": unfilled, "training": training}


FTES = [Decimal("0.20"), Decimal("0.50"), Decimal("1.00")]
ALLOCATIONS = [Decimal("0.10"), Decimal("0.30"), Decimal("0.50")]
WEIGHTS = [Decimal("0"), Decimal("0.5"), Decimal("1"), Decimal("2.5")]
FEW_SKILLS = SKILLS[:5]

people_strategy = st.lists(
    st.tuples(
        st.sampled_from(["Ana", "Ben", "Cy"]),
        st.sampled_from([Decimal("0.50"), Decimal("1.00")]),
        st.dictionaries(st.sampled_from(FEW_SKILLS), st.integers(0, 5), max_size=4),
    ),
    min_size=2,
    max_size=7,
)
slots_strategy = st.lists(
    st.tuples(
        st.integers(0, 1),  # project 0 is reported on; project 1 only adds load elsewhere
        st.sets(st.sampled_from(WORKING_PHASES), min_size=1),
        st.sampled_from(FTES),
        st.integers(0, 20),
        st.integers(0, 15),
        st.booleans(),
        st.dictionaries(
            st.sampled_from(FEW_SKILLS), st.tuples(st.integers(1, 5), st.sampled_from(WEIGHTS)), max_size=3
        ),
    ),
    min_size=1,
    max_size=5,
)
assignments_strategy = st.lists(
    st.tuples(
        st.integers(0, 6),  # person
        st.integers(0, 4),  # slot
        st.integers(0, 15),  # days after the slot starts
        st.integers(0, 15),  # days before the slot ends
        st.sampled_from(ALLOCATIONS),
        st.sampled_from([AssignmentStatus.CONFIRMED, AssignmentStatus.CONFIRMED, AssignmentStatus.TENTATIVE]),
    ),
    max_size=10,
)
tasks_strategy = st.lists(
    st.tuples(st.sampled_from(WORKING_PHASES), st.sampled_from(FEW_SKILLS), st.integers(1, 5)), max_size=3
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=people_strategy, slots=slots_strategy, assignments=assignments_strategy, tasks=tasks_strategy)
def test_the_arrays_agree_with_a_plain_reading_of_the_design(
    people: list[Any], slots: list[Any], assignments: list[Any], tasks: list[Any]
) -> None:
    with transaction.atomic():
        start = D(2027, 1, 4)
        projects = [ProjectFactory(starts_on=start, ends_on=start + dt.timedelta(days=40)) for _ in range(2)]
        staff = [person(name, **{k.replace("-", "_"): v for k, v in ratings.items()}) for name, _, ratings in people]
        for someone, (_, capacity, _) in zip(staff, people, strict=True):
            Person.objects.filter(pk=someone.pk).update(capacity_fte=capacity)
        made = []
        for which, phases, fte, offset, length, closed, requirements in slots:
            first = start + dt.timedelta(days=offset)
            slot = slot_on(
                projects[which],
                sorted(phases),
                fte=fte,
                starts_on=first,
                ends_on=first + dt.timedelta(days=length),
                closed_at=timezone.now() if closed else None,
            )
            for slug, (level, weight) in requirements.items():
                require(slot, slug, level, str(weight))
            made.append(slot)
        taken = set()
        for who, where, skip, cut, allocation, status in assignments:
            someone, slot = staff[who % len(staff)], made[where % len(made)]
            if status == AssignmentStatus.CONFIRMED and (someone.pk, slot.pk) in taken:
                continue
            taken.add((someone.pk, slot.pk))
            length = (slot.ends_on - slot.starts_on).days
            first = slot.starts_on + dt.timedelta(days=min(skip, length))
            last = slot.ends_on - dt.timedelta(days=min(cut, (slot.ends_on - first).days))
            AssignmentFactory(
                person=someone, slot=slot, starts_on=first, ends_on=last, allocation=allocation, status=status
            )
        for phase_name, slug, level in tasks:
            task_needs(projects[0], phase_name, slug, level)

        assert compute_project_report(project=projects[0]) == plain_project_report(projects[0])
        transaction.set_rollback(True)
