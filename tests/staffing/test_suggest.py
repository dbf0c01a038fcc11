import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from people.models import Person
from projects.models import AssignmentStatus, Project, RoleSlot
from staffing.suggest import (
    SuggestedTeam,
    TeamProblem,
    day_segments,
    solve_exactly,
    solve_greedily,
    suggest_team,
)
from tests.factories import (
    AssignmentFactory,
    CertificationFactory,
    PersonFactory,
    ProjectFactory,
    RoleSlotFactory,
    SkillRatingFactory,
    SlotRequirementFactory,
    certification_type,
    skill,
)

D = dt.date
MARCH = (D(2027, 3, 1), D(2027, 3, 31))


@pytest.fixture
def project() -> Project:
    return ProjectFactory(starts_on=D(2027, 1, 4), ends_on=D(2027, 6, 30))


def open_slot(project: Project, *, fte: str, skills: dict[str, int], days: tuple[dt.date, dt.date] = MARCH) -> RoleSlot:
    slot = RoleSlotFactory(project=project, fte=Decimal(fte), starts_on=days[0], ends_on=days[1])
    for slug, level in skills.items():
        SlotRequirementFactory(slot=slot, skill=skill(slug), level=level)
    return slot


def person(name: str, capacity: str = "1.00", **levels: int) -> Person:
    someone = PersonFactory(name=name, capacity_fte=Decimal(capacity))
    for slug, level in levels.items():
        SkillRatingFactory(person=someone, skill=skill(slug.replace("_", "-")), level=level)
    return someone


# --- Hand-computed cases -------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_exact_team_beats_a_greedy_pick(project: Project) -> None:
    modelling = open_slot(project, fte="1.00", skills={"statistics": 5})
    reporting = open_slot(project, fte="0.50", skills={"reporting": 5})
    ada = person("Ada", statistics=5, reporting=5)
    ben = person("Ben", statistics=4, reporting=1)

    team = suggest_team(project=project)

    # Greedy fills the 1.0 slot first with Ada (fit 1), leaving Ben for reporting: 1.0 + 0.5·0.2 = 1.1.
    # Ben on modelling (0.8) and Ada on reporting (0.5·1) make 1.3.
    assert team == SuggestedTeam(
        assignments=[(modelling.pk, ben.pk, 0.8), (reporting.pk, ada.pk, 1.0)],
        objective=1.3,
        greedy_assignments=[(modelling.pk, ada.pk, 1.0), (reporting.pk, ben.pk, 0.2)],
        greedy_objective=1.1,
        slot_ids=[modelling.pk, reporting.pk],
        left_out=[],
    )


@pytest.mark.django_db
def test_one_person_can_fill_slots_that_fit_in_their_capacity_together(project: Project) -> None:
    first = open_slot(project, fte="0.50", skills={"statistics": 4})
    second = open_slot(project, fte="0.50", skills={"statistics": 4})
    ada = person("Ada", statistics=4)
    person("Ben", statistics=1)

    team = suggest_team(project=project)

    assert team.assignments == [(first.pk, ada.pk, 1.0), (second.pk, ada.pk, 1.0)]
    assert team.objective == 1.0


@pytest.mark.django_db
def test_capacity_holds_on_days_where_slots_overlap(project: Project) -> None:
    early = open_slot(project, fte="0.60", skills={"statistics": 4}, days=(D(2027, 3, 1), D(2027, 3, 10)))
    middle = open_slot(project, fte="0.50", skills={"statistics": 4}, days=(D(2027, 3, 10), D(2027, 3, 20)))
    late = open_slot(project, fte="0.60", skills={"statistics": 4}, days=(D(2027, 3, 21), D(2027, 3, 31)))
    ada = person("Ada", statistics=4)
    ben = person("Ben", statistics=2)

    team = suggest_team(project=project)

    # Early and middle share 10 March, so Ada (capacity 1.0) takes only one of them; late follows on.
    # Ada on early and late with Ben on middle: 0.6 + 0.6 + 0.5·0.5 = 1.45 (Ada on middle: 1.4).
    assert team.assignments == [(early.pk, ada.pk, 1.0), (middle.pk, ben.pk, 0.5), (late.pk, ada.pk, 1.0)]
    assert team.objective == 1.45


@pytest.mark.django_db
def test_confirmed_work_elsewhere_leaves_less_room(project: Project) -> None:
    slot = open_slot(project, fte="0.60", skills={"statistics": 4})
    ada = person("Ada", statistics=4)
    ben = person("Ben", statistics=3)
    AssignmentFactory(person=ada, allocation=Decimal("0.50"), starts_on=D(2027, 3, 31), ends_on=D(2027, 4, 30))
    AssignmentFactory(person=ben, allocation=Decimal("0.90"), status=AssignmentStatus.TENTATIVE)

    team = suggest_team(project=project)

    assert team.assignments == [(slot.pk, ben.pk, 0.75)]
    assert team.greedy_assignments == [(slot.pk, ben.pk, 0.75)]


@pytest.mark.django_db
def test_only_eligible_people_are_suggested_for_open_slots(project: Project) -> None:
    slot = open_slot(project, fte="1.00", skills={"statistics": 4})
    slot.certifications.add(certification_type("privacy-hipaa"))
    closed = open_slot(project, fte="1.00", skills={"statistics": 4})
    closed.closed_at = timezone.now()
    closed.save()
    filled = open_slot(project, fte="1.00", skills={"statistics": 4})
    filled.unfilled_fte = Decimal("0")
    filled.save()
    person("Ada", statistics=5)
    ben = person("Ben", statistics=2)
    CertificationFactory(person=ben, obtained_on=D(2026, 1, 1), expires_on=D(2027, 12, 31))

    team = suggest_team(project=project)

    assert team.assignments == team.greedy_assignments == [(slot.pk, ben.pk, 0.5)]


@pytest.mark.django_db
def test_someone_confirmed_on_a_slot_is_not_suggested_for_it_again(project: Project) -> None:
    slot = open_slot(project, fte="1.00", skills={"statistics": 4})
    ada, ben = person("Ada", statistics=4), person("Ben", statistics=2)
    AssignmentFactory(person=ada, slot=slot, allocation=Decimal("0.20"))
    RoleSlot.objects.filter(pk=slot.pk).update(unfilled_fte=Decimal("0.80"))

    assert suggest_team(project=project).assignments == [(slot.pk, ben.pk, 0.5)]


@pytest.mark.django_db
def test_a_project_without_open_slots_suggests_nobody(project: Project) -> None:
    person("Ada", statistics=4)

    assert suggest_team(project=project) == SuggestedTeam(
        assignments=[], objective=0.0, greedy_assignments=[], greedy_objective=0.0, slot_ids=[], left_out=[]
    )


@pytest.mark.django_db
@pytest.mark.parametrize("people", [1, 3])
def test_suggesting_runs_the_same_queries_whatever_the_number_of_people(
    people: int, project: Project, django_assert_num_queries: object
) -> None:
    open_slot(project, fte="0.50", skills={"statistics": 4}).certifications.add(certification_type("privacy-hipaa"))
    open_slot(project, fte="0.50", skills={"reporting": 3})
    for n in range(people):
        someone = person(f"Person {n}", statistics=3, reporting=3)
        CertificationFactory(person=someone)
        AssignmentFactory(person=someone, allocation=Decimal("0.20"))

    # open slots, their assignments (already proposed?), requirements, required certifications,
    # people, ratings, confirmed assignments, certifications held
    with django_assert_num_queries(8):
        team = suggest_team(project=project)

    # Each person has 0.8 free, room for one of the two slots.
    assert len(team.assignments) == min(people, 2)


# --- The solver against brute force on random arrays ---------------------------------------------


def random_problem(rng: np.random.Generator, slots: int, people: int) -> TeamProblem:
    first = rng.integers(0, 6, slots)
    last = first + rng.integers(0, 6, slots)
    _, _, active = day_segments(first, last)
    fit = rng.choice([0.0, 0.25, 0.4, 0.6, 0.75, 1.0], size=(slots, people))
    return TeamProblem(
        slot_ids=np.arange(100, 100 + slots),
        person_ids=np.arange(200, 200 + people),
        fte=rng.choice([20, 30, 50, 60, 100], slots),
        fit=fit,
        shown_fit=fit,
        eligible=rng.random((slots, people)) > 0.2,
        free=rng.choice([0, 30, 50, 60, 80, 100], size=(people, active.shape[0])),
        active=active,
        preference=list(np.argsort(-fit, axis=1, kind="stable")),
    )


def feasible(problem: TeamProblem, picks: list[tuple[int, int]]) -> bool:
    if len({slot for slot, _ in picks}) != len(picks):
        return False
    if not all(problem.eligible[slot, who] for slot, who in picks):
        return False
    for segment, running in enumerate(problem.active):
        for who in range(len(problem.person_ids)):
            taken = sum(problem.fte[slot] for slot, other in picks if other == who and running[slot])
            if taken > problem.free[who, segment]:
                return False
    return True


def brute_force(problem: TeamProblem) -> float:
    choices = [None, *range(len(problem.person_ids))]
    best = 0.0
    for combination in itertools.product(choices, repeat=len(problem.slot_ids)):
        picks = [(slot, who) for slot, who in enumerate(combination) if who is not None]
        if feasible(problem, picks):
            best = max(best, problem.objective(picks))
    return best


@pytest.mark.parametrize(("slots", "people"), [(2, 3), (3, 3), (3, 6), (4, 4)])
def test_the_solver_finds_the_brute_force_optimum_and_never_trails_greedy(slots: int, people: int) -> None:
    rng = np.random.default_rng(slots * 10 + people)
    for _ in range(40):
        problem = random_problem(rng, slots, people)

        exact, greedy = solve_exactly(problem), solve_greedily(problem)

        assert feasible(problem, exact)
        assert feasible(problem, greedy)
        assert problem.objective(exact) == pytest.approx(brute_force(problem), abs=1e-9)
        assert problem.objective(exact) >= problem.objective(greedy) - 1e-9


def test_day_segments_split_where_a_slot_starts_or_ends() -> None:
    starts, ends, active = day_segments(np.array([0, 5, 20]), np.array([9, 14, 24]))

    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == [(0, 4), (5, 9), (10, 14), (20, 24)]
    assert active.tolist() == [
        [True, False, False],
        [True, True, False],
        [False, True, False],
        [False, False, True],
    ]


# --- suggest_team against brute force over every day, on random projects ------------------------

BASE = D(2027, 3, 1)
SKILLS = ["statistics", "reporting"]


@dataclass
class SlotSpec:
    first: int
    last: int
    fte: Decimal
    requirements: dict[str, int]
    certified: bool
    pk: int = 0


@dataclass
class PersonSpec:
    capacity: Decimal
    ratings: dict[str, int]
    certified: bool
    busy: list[tuple[int, int, Decimal]]  # confirmed elsewhere: first, last, allocation
    pk: int = 0


ftes = st.sampled_from([Decimal("0.20"), Decimal("0.50"), Decimal("0.60"), Decimal("1.00")])


@st.composite
def slot_specs(draw: st.DrawFn) -> SlotSpec:
    first = draw(st.integers(0, 8))
    return SlotSpec(
        first=first,
        last=first + draw(st.integers(0, 8)),
        fte=draw(ftes),
        requirements=draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(1, 5), min_size=1)),
        certified=draw(st.booleans()),
    )


@st.composite
def person_specs(draw: st.DrawFn) -> PersonSpec:
    busy = []
    for _ in range(draw(st.integers(0, 2))):
        first = draw(st.integers(0, 16))
        busy.append((first, first + draw(st.integers(0, 4)), draw(ftes)))
    return PersonSpec(
        capacity=draw(st.sampled_from([Decimal("0.50"), Decimal("1.00")])),
        ratings=draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 5))),
        certified=draw(st.booleans()),
        busy=busy,
    )


def day(number: int) -> dt.date:
    return BASE + dt.timedelta(days=number)


def create(slots: list[SlotSpec], people: list[PersonSpec]) -> Project:
    project = ProjectFactory()
    elsewhere = RoleSlotFactory(starts_on=day(0), ends_on=day(30))
    for spec in slots:
        slot = open_slot(project, fte=str(spec.fte), skills=spec.requirements, days=(day(spec.first), day(spec.last)))
        if spec.certified:
            slot.certifications.add(certification_type("privacy-hipaa"))
        spec.pk = slot.pk
    for spec in people:
        someone = person("Someone", str(spec.capacity), **spec.ratings)
        spec.pk = someone.pk
        if spec.certified:
            CertificationFactory(person=someone, obtained_on=day(0), expires_on=day(30))
        for first, last, allocation in spec.busy:
            AssignmentFactory(
                person=someone, slot=elsewhere, starts_on=day(first), ends_on=day(last), allocation=allocation
            )
    return project


def fit(slot: SlotSpec, someone: PersonSpec) -> Fraction:
    missing = sum(max(0, level - someone.ratings.get(slug, 0)) for slug, level in slot.requirements.items())
    return 1 - Fraction(missing, sum(slot.requirements.values()))


def fits_every_day(slots: list[SlotSpec], people: list[PersonSpec], picks: list[tuple[int, int]]) -> bool:
    for slot, who in picks:
        if slots[slot].certified and not people[who].certified:
            return False
    for who, spec in enumerate(people):
        for d in range(31):
            load = sum((a for first, last, a in spec.busy if first <= d <= last), Decimal(0))
            taken = sum(
                (
                    slots[slot].fte
                    for slot, other in picks
                    if other == who and slots[slot].first <= d <= slots[slot].last
                ),
                Decimal(0),
            )
            if taken and load + taken > spec.capacity:
                return False
    return True


def best_by_brute_force(slots: list[SlotSpec], people: list[PersonSpec]) -> Fraction:
    best = Fraction(0)
    for combination in itertools.product([None, *range(len(people))], repeat=len(slots)):
        picks = [(slot, who) for slot, who in enumerate(combination) if who is not None]
        if fits_every_day(slots, people, picks):
            best = max(best, sum((Fraction(slots[s].fte) * fit(slots[s], people[p]) for s, p in picks), Fraction(0)))
    return best


@pytest.mark.django_db
@settings(max_examples=25, deadline=None)
@given(
    slots=st.lists(slot_specs(), min_size=1, max_size=3),
    people=st.lists(person_specs(), min_size=1, max_size=3),
)
def test_the_suggested_team_is_the_best_one_day_by_day(slots: list[SlotSpec], people: list[PersonSpec]) -> None:
    with transaction.atomic():
        team = suggest_team(project=create(slots, people))
        transaction.set_rollback(True)

    slot_at = {spec.pk: index for index, spec in enumerate(slots)}
    person_at = {spec.pk: index for index, spec in enumerate(people)}
    for name, assignments in (("exact", team.assignments), ("greedy", team.greedy_assignments)):
        picks = [(slot_at[slot], person_at[who]) for slot, who, _ in assignments]
        assert fits_every_day(slots, people, picks), name
    picks = [(slot_at[slot], person_at[who]) for slot, who, _ in team.assignments]
    achieved = sum((Fraction(slots[s].fte) * fit(slots[s], people[p]) for s, p in picks), Fraction(0))
    assert float(achieved) == pytest.approx(float(best_by_brute_force(slots, people)), abs=1e-9)
    assert team.objective == pytest.approx(float(achieved), abs=1e-4)
    assert team.objective >= team.greedy_objective
