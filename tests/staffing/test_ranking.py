import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from people.models import Person
from projects.models import AssignmentStatus, RoleSlot
from staffing.ranking import Candidate, People, rank_candidates, round_fit, shortfall
from tests.factories import (
    AssignmentFactory,
    CertificationFactory,
    PersonFactory,
    RoleSlotFactory,
    SkillRatingFactory,
    SlotRequirementFactory,
    TeamFactory,
    certification_type,
    profession,
    skill,
)

D = dt.date
MARCH = (D(2027, 3, 1), D(2027, 3, 31))
HIPAA_REASON = "No valid Patient privacy and HIPAA training on every day of the slot"


@pytest.fixture
def slot() -> RoleSlot:
    return RoleSlotFactory(starts_on=MARCH[0], ends_on=MARCH[1])


def rate(person: Person, **levels: int) -> None:
    for slug, level in levels.items():
        SkillRatingFactory(person=person, skill=skill(slug.replace("_", "-")), level=level)


def require(slot: RoleSlot, slug: str, level: int, weight: str = "1") -> None:
    SlotRequirementFactory(slot=slot, skill=skill(slug), level=level, weight=Decimal(weight))


def names(ranking: object) -> list[str]:
    return [candidate.name for candidate in ranking]


# --- Pure arithmetic -----------------------------------------------------------------------------


def test_shortfall_counts_only_what_is_missing() -> None:
    levels = np.array([[3, 1], [5, 5], [0, 0]])
    assert shortfall(levels, np.array([4, 3])).tolist() == [[1, 2], [0, 0], [4, 3]]


def test_fit_is_rounded_half_up_to_four_decimals() -> None:
    # 1 − 3/32 = 0.90625 exactly: half up gives 0.9063 where rounding half to even would give 0.9062.
    assert round_fit(np.array([3, 4, 0, 32]), 32).tolist() == [0.9063, 0.875, 1.0, 0.0]


def test_fit_is_one_when_the_slot_requires_nothing() -> None:
    assert round_fit(np.array([0, 0]), 0).tolist() == [1.0, 1.0]


@pytest.mark.parametrize("ids", [[5, 6, 9], [5, 1_000, 1_000_000]], ids=["dense", "sparse"])
def test_people_positions_mark_unknown_ids(ids: list[int]) -> None:
    people = People.from_rows([(pk, f"Person {pk}", None, 1, 100) for pk in ids])

    asked = np.array([ids[2], 7, ids[0], 2_000_000, -3, ids[1]])

    assert people.positions(asked).tolist() == [2, -1, 0, -1, -1, 1]


# --- Ranking: hand-computed cases ----------------------------------------------------------------


@pytest.mark.django_db
def test_fit_weighs_each_shortfall(slot: RoleSlot) -> None:
    require(slot, "statistics", 4, weight="2")
    require(slot, "reporting", 3)
    ada = PersonFactory(name="Ada")
    rate(ada, statistics=3, reporting=1)

    (candidate,) = rank_candidates(slot=slot)

    # Σ w·shortfall = 2·1 + 1·2 = 4; Σ w·r = 2·4 + 1·3 = 11; fit = 1 − 4/11 = 0.63636…
    assert candidate == Candidate(
        person_id=ada.pk,
        name="Ada",
        team_id=ada.team_id,
        profession_id=ada.profession_id,
        fit=0.6364,
        free_fte=Decimal("1.00"),
        eligible=True,
        reasons=[],
        shortfall={"statistics": 1, "reporting": 2},
    )


@pytest.mark.django_db
def test_an_unrated_skill_counts_as_level_zero(slot: RoleSlot) -> None:
    require(slot, "statistics", 4)
    require(slot, "reporting", 2)
    ben = PersonFactory(name="Ben")
    rate(ben, statistics=4)

    (candidate,) = rank_candidates(slot=slot)

    assert (candidate.fit, candidate.shortfall) == (0.6667, {"reporting": 2})


@pytest.mark.django_db
def test_levels_above_the_requirement_earn_nothing_extra(slot: RoleSlot) -> None:
    require(slot, "statistics", 3)
    ada, ben = PersonFactory(name="Ada"), PersonFactory(name="Ben")
    rate(ada, statistics=5)
    rate(ben, statistics=3)

    assert [(c.name, c.fit) for c in rank_candidates(slot=slot)] == [("Ada", 1.0), ("Ben", 1.0)]


@pytest.mark.django_db
def test_a_slot_that_requires_nothing_fits_everyone_perfectly(slot: RoleSlot) -> None:
    PersonFactory(name="Ada")
    PersonFactory(name="Ben")

    assert [(c.name, c.fit, c.shortfall) for c in rank_candidates(slot=slot)] == [("Ada", 1.0, {}), ("Ben", 1.0, {})]


@pytest.mark.django_db
def test_zero_weights_make_the_fit_perfect(slot: RoleSlot) -> None:
    require(slot, "statistics", 4, weight="0")
    PersonFactory(name="Ada")

    (candidate,) = rank_candidates(slot=slot)

    assert (candidate.fit, candidate.shortfall) == (1.0, {"statistics": 4})


@pytest.mark.django_db
def test_higher_fit_ranks_first(slot: RoleSlot) -> None:
    require(slot, "statistics", 4)
    low, high = PersonFactory(name="Ada"), PersonFactory(name="Zed")
    rate(low, statistics=1)
    rate(high, statistics=3)

    assert names(rank_candidates(slot=slot)) == ["Zed", "Ada"]


@pytest.mark.django_db
def test_equal_fits_rank_by_free_capacity_then_name_then_id(slot: RoleSlot) -> None:
    require(slot, "statistics", 4)
    busy = PersonFactory(name="Ada")
    cleo_second, cleo_first = PersonFactory(name="Cleo"), PersonFactory(name="Cleo")
    ben = PersonFactory(name="Ben")
    for person in (busy, cleo_second, cleo_first, ben):
        rate(person, statistics=2)
    AssignmentFactory(person=busy, allocation=Decimal("0.50"), starts_on=D(2027, 3, 15), ends_on=D(2027, 3, 15))

    ranked = [(c.name, c.person_id, c.free_fte) for c in rank_candidates(slot=slot)]

    assert ranked == [
        ("Ben", ben.pk, Decimal("1.00")),
        ("Cleo", cleo_second.pk, Decimal("1.00")),
        ("Cleo", cleo_first.pk, Decimal("1.00")),
        ("Ada", busy.pk, Decimal("0.50")),
    ]


@pytest.mark.django_db
def test_a_person_confirmed_on_the_slot_is_not_a_candidate(slot: RoleSlot) -> None:
    on_it, tentative = PersonFactory(name="Ada"), PersonFactory(name="Ben")
    AssignmentFactory(person=on_it, slot=slot, allocation=Decimal("0.20"))
    AssignmentFactory(person=tentative, slot=slot, status=AssignmentStatus.TENTATIVE)

    assert names(rank_candidates(slot=slot)) == ["Ben"]


@pytest.mark.django_db
def test_tentative_assignments_do_not_count_against_free_capacity(slot: RoleSlot) -> None:
    ada = PersonFactory(name="Ada")
    AssignmentFactory(
        person=ada, allocation=Decimal("1.00"), status=AssignmentStatus.TENTATIVE, starts_on=MARCH[0], ends_on=MARCH[1]
    )
    AssignmentFactory(person=ada, allocation=Decimal("0.25"), starts_on=D(2027, 2, 1), ends_on=D(2027, 3, 1))
    AssignmentFactory(person=ada, allocation=Decimal("0.70"), starts_on=D(2027, 4, 1), ends_on=D(2027, 4, 30))

    (candidate,) = rank_candidates(slot=slot)

    assert candidate.free_fte == Decimal("0.75")


@pytest.mark.django_db
def test_missing_or_expired_certification_is_ineligible_and_ranked_last(slot: RoleSlot) -> None:
    slot.certifications.add(certification_type("privacy-hipaa"))
    require(slot, "statistics", 4)
    never, expired, expires_midway, valid, open_ended = (
        PersonFactory(name=name) for name in ("Ada", "Ben", "Cleo", "Dan", "Eve")
    )
    for person in (never, expired, expires_midway):
        rate(person, statistics=5)
    CertificationFactory(person=expired, obtained_on=D(2025, 1, 1), expires_on=D(2026, 12, 31))
    CertificationFactory(person=expires_midway, obtained_on=D(2026, 1, 1), expires_on=D(2027, 3, 30))
    CertificationFactory(person=valid, obtained_on=D(2027, 3, 1), expires_on=D(2027, 3, 31))
    CertificationFactory(person=open_ended, obtained_on=D(2026, 6, 1))
    CertificationFactory(person=expired, kind=certification_type("hl7-fhir"), obtained_on=D(2026, 1, 1))

    ranking = [(c.name, c.fit, c.eligible, c.reasons) for c in rank_candidates(slot=slot)]

    assert ranking == [
        ("Dan", 0.0, True, []),
        ("Eve", 0.0, True, []),
        ("Ada", 1.0, False, [HIPAA_REASON]),
        ("Ben", 1.0, False, [HIPAA_REASON]),
        ("Cleo", 1.0, False, [HIPAA_REASON]),
    ]


@pytest.mark.django_db
def test_a_certification_obtained_after_the_slot_starts_does_not_count(slot: RoleSlot) -> None:
    slot.certifications.add(certification_type("privacy-hipaa"), certification_type("hl7-fhir"))
    late = PersonFactory(name="Ada")
    CertificationFactory(person=late, obtained_on=D(2027, 3, 2))

    (candidate,) = rank_candidates(slot=slot)

    assert candidate.reasons == [
        "No valid HL7 FHIR interoperability on every day of the slot",
        HIPAA_REASON,
    ]


@pytest.mark.django_db
def test_available_only_keeps_people_with_free_capacity(slot: RoleSlot) -> None:
    full, partly = PersonFactory(name="Ada"), PersonFactory(name="Ben")
    PersonFactory(name="Cleo")
    AssignmentFactory(person=full, allocation=Decimal("1.00"), starts_on=D(2027, 3, 31), ends_on=D(2027, 4, 30))
    AssignmentFactory(person=partly, allocation=Decimal("0.90"), starts_on=MARCH[0], ends_on=MARCH[1])

    assert names(rank_candidates(slot=slot)) == ["Cleo", "Ben", "Ada"]
    assert names(rank_candidates(slot=slot, available_only=True)) == ["Cleo", "Ben"]


@pytest.mark.django_db
def test_candidates_can_be_narrowed_to_a_team_or_a_profession(slot: RoleSlot) -> None:
    imaging, wards = TeamFactory(name="Imaging"), TeamFactory(name="Wards")
    PersonFactory(name="Ada", team=imaging, profession=profession("data-scientist"))
    PersonFactory(name="Ben", team=imaging, profession=profession("data-engineer"))
    PersonFactory(name="Cleo", team=wards, profession=profession("data-engineer"))

    assert names(rank_candidates(slot=slot)) == ["Ada", "Ben", "Cleo"]
    assert names(rank_candidates(slot=slot, team_id=imaging.pk)) == ["Ada", "Ben"]
    assert names(rank_candidates(slot=slot, profession_id=profession("data-engineer").pk)) == ["Ben", "Cleo"]
    assert names(rank_candidates(slot=slot, team_id=wards.pk, profession_id=profession("data-scientist").pk)) == []


@pytest.mark.django_db
def test_the_ranking_pages_like_a_list(slot: RoleSlot) -> None:
    people = [PersonFactory(name=f"Person {n}") for n in range(5)]

    ranking = rank_candidates(slot=slot)

    assert len(ranking) == 5
    assert [c.person_id for c in ranking[1:3]] == [people[1].pk, people[2].pk]
    assert ranking[-1].person_id == people[4].pk
    assert ranking.person_ids == [person.pk for person in people]


@pytest.mark.django_db
@pytest.mark.parametrize("people", [1, 3])
def test_ranking_runs_the_same_queries_whatever_the_number_of_people(
    people: int, slot: RoleSlot, django_assert_num_queries: object
) -> None:
    slot.certifications.add(certification_type("privacy-hipaa"))
    require(slot, "statistics", 3)
    require(slot, "reporting", 2)
    for _ in range(people):
        person = PersonFactory()
        rate(person, statistics=2, reporting=4)
        CertificationFactory(person=person)
        AssignmentFactory(person=person, allocation=Decimal("0.30"))

    # requirements, required certifications, people, ratings, confirmed assignments, certifications held
    with django_assert_num_queries(6):
        candidates = list(rank_candidates(slot=slot))

    assert len(candidates) == people


# --- Ranking against a plain reading of §3 -------------------------------------------------------

SKILLS = ["statistics", "ml-modelling", "reporting", "storytelling"]
KINDS = ["privacy-hipaa", "hl7-fhir"]
BASE = D(2027, 3, 1)
SLOT_DAYS = (5, 14)  # the slot runs on BASE + 5 .. BASE + 14


@dataclass
class PersonSpec:
    name: str
    capacity: Decimal
    ratings: dict[str, int]
    certifications: list[tuple[str, int, int | None]]  # kind, obtained day, expiry day
    assignments: list[tuple[int, int, Decimal, str, bool]]  # first, last, allocation, status, on the slot
    pk: int = 0


@dataclass
class OrganisationSpec:
    requirements: dict[str, tuple[int, Decimal]]
    kinds: list[str]
    people: list[PersonSpec] = field(default_factory=list)


days = st.integers(0, 20)


@st.composite
def person_specs(draw: st.DrawFn) -> PersonSpec:
    assignments = []
    for _ in range(draw(st.integers(0, 3))):
        first = draw(days)
        assignments.append(
            (
                first,
                first + draw(st.integers(0, 8)),
                draw(st.sampled_from([Decimal("0.10"), Decimal("0.25"), Decimal("0.50"), Decimal("1.00")])),
                draw(st.sampled_from([AssignmentStatus.CONFIRMED, AssignmentStatus.TENTATIVE])),
                draw(st.booleans()),
            )
        )
    certifications = []
    for _ in range(draw(st.integers(0, 2))):
        obtained = draw(days)
        expires = draw(st.none() | st.integers(obtained, 25))
        certifications.append((draw(st.sampled_from(KINDS)), obtained, expires))
    return PersonSpec(
        name=draw(st.sampled_from(["Ada", "Ben", "Cleo"])),
        capacity=draw(st.sampled_from([Decimal("0.50"), Decimal("0.80"), Decimal("1.00")])),
        ratings=draw(st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 5))),
        certifications=certifications,
        assignments=assignments,
    )


organisations = st.builds(
    OrganisationSpec,
    requirements=st.dictionaries(
        st.sampled_from(SKILLS),
        st.tuples(st.integers(0, 5), st.sampled_from([Decimal(w) for w in ("0", "0.5", "1", "2.5", "5")])),
    ),
    kinds=st.lists(st.sampled_from(KINDS), unique=True, max_size=2),
    people=st.lists(person_specs(), min_size=1, max_size=5),
)


def day(number: int) -> dt.date:
    return BASE + dt.timedelta(days=number)


def create(organisation: OrganisationSpec) -> RoleSlot:
    slot = RoleSlotFactory(starts_on=day(SLOT_DAYS[0]), ends_on=day(SLOT_DAYS[1]))
    elsewhere = RoleSlotFactory(starts_on=day(0), ends_on=day(30))
    for slug, (level, weight) in organisation.requirements.items():
        require(slot, slug, level, str(weight))
    slot.certifications.set([certification_type(kind) for kind in organisation.kinds])
    team = TeamFactory(name="Imaging")
    for spec in organisation.people:
        person = PersonFactory(name=spec.name, capacity_fte=spec.capacity, team=team)
        spec.pk = person.pk
        rate(person, **{slug.replace("-", "_"): level for slug, level in spec.ratings.items()})
        for kind, obtained, expires in spec.certifications:
            CertificationFactory(
                person=person,
                kind=certification_type(kind),
                obtained_on=day(obtained),
                expires_on=None if expires is None else day(expires),
            )
        for first, last, allocation, status, on_slot in spec.assignments:
            AssignmentFactory(
                person=person,
                slot=slot if on_slot else elsewhere,
                starts_on=day(first),
                ends_on=day(last),
                allocation=allocation,
                status=status,
            )
    return slot


def expected_ranking(organisation: OrganisationSpec) -> list[Candidate]:
    """§3 read plainly: fractions for the fit, and every day of the slot for load and certificates."""
    slot_days = range(SLOT_DAYS[0], SLOT_DAYS[1] + 1)
    rows = []
    for spec in organisation.people:
        confirmed = [a for a in spec.assignments if a[3] == AssignmentStatus.CONFIRMED]
        if any(on_slot for *_, on_slot in confirmed):
            continue
        shortfall = {
            slug: max(0, level - spec.ratings.get(slug, 0)) for slug, (level, _) in organisation.requirements.items()
        }
        missing = sum(Fraction(w) * shortfall[slug] for slug, (_, w) in organisation.requirements.items())
        total = sum(Fraction(w) * level for level, w in organisation.requirements.values())
        fit = 1 - missing / total if total else Fraction(1)
        load = max(sum((a[2] for a in confirmed if a[0] <= d <= a[1]), Decimal(0)) for d in slot_days)
        free = max(Decimal("0.00"), spec.capacity - load)
        reasons = [
            f"No valid {certification_type(kind).name} on every day of the slot"
            for kind in sorted(organisation.kinds, key=lambda kind: certification_type(kind).name)
            if not any(
                held == kind and all(obtained <= d and (expires is None or d <= expires) for d in slot_days)
                for held, obtained, expires in spec.certifications
            )
        ]
        shown = (Decimal(fit.numerator) / Decimal(fit.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        candidate = Candidate(
            person_id=spec.pk,
            name=spec.name,
            team_id=Person.objects.get(pk=spec.pk).team_id,
            profession_id=profession("data-scientist").pk,
            fit=float(shown),
            free_fte=free,
            eligible=not reasons,
            reasons=reasons,
            shortfall={slug: gap for slug, gap in shortfall.items() if gap > 0},
        )
        rows.append(((bool(reasons), -fit, -free, spec.name, spec.pk), candidate))
    return [candidate for _, candidate in sorted(rows, key=lambda row: row[0])]


@pytest.mark.django_db
@settings(max_examples=30, deadline=None)
@given(organisation=organisations, available_only=st.booleans())
def test_ranking_matches_a_plain_reading_of_the_arithmetic(
    organisation: OrganisationSpec, available_only: bool
) -> None:
    with transaction.atomic():
        slot = create(organisation)
        expected = expected_ranking(organisation)
        if available_only:
            expected = [candidate for candidate in expected if candidate.free_fte > 0]

        ranking = list(rank_candidates(slot=slot, available_only=available_only))

        transaction.set_rollback(True)
    assert ranking == expected
    assert all(list(c.shortfall) == [slug for slug in SKILLS if slug in c.shortfall] for c in ranking)
