"""The team report: shortfall against each member's spectrum, meeting counts and bus factor (§3)."""

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from people.models import Person, SkillRating, Team
from roles.models import Profession, SpectrumLevel
from skills.models import Skill
from staffing.reports import compute_team_report
from tests.factories import PersonFactory, SkillRatingFactory, TeamFactory, profession, skill

pytestmark = pytest.mark.django_db

SKILLS = [
    "statistics", "ml-modelling", "research", "experimentation", "databases", "data-pipelines",
    "deployment", "ml-ops", "data-visualisation", "business-insights", "reporting", "storytelling",
]  # fmt: skip
SCIENTIST = [4, 4, 4, 4, 2, 2, 2, 2, 3, 3, 3, 3]  # the built-in spectrum, DESIGN.md §2
ANALYST = [2, 1, 2, 2, 2, 1, 0, 0, 4, 4, 4, 4]


def member(team: Team, name: str, slug: str, **ratings: int) -> Person:
    someone = PersonFactory(name=name, team=team, profession=profession(slug))
    for skill_slug, level in ratings.items():
        SkillRatingFactory(person=someone, skill=skill(skill_slug.replace("_", "-")), level=level)
    return someone


def cells(ratings: list[int], expected: list[int]) -> dict[str, dict[str, int]]:
    return {
        slug: {"rating": rating, "expected": level, "shortfall": max(0, level - rating)}
        for slug, rating, level in zip(SKILLS, ratings, expected, strict=True)
    }


def test_it_reports_each_member_and_each_skill() -> None:
    imaging = TeamFactory(name="Imaging")
    ann = member(imaging, "Ann", "data-scientist", statistics=4, ml_modelling=3, databases=3)
    bo = member(imaging, "Bo", "data-analyst", statistics=3, data_visualisation=4, reporting=2)
    cy = member(imaging, "Cy", "data-analyst")
    member(TeamFactory(name="Pathology"), "Olive", "data-scientist", statistics=5, ml_modelling=5)

    report = compute_team_report(team=imaging)

    assert report["members"] == [
        {"person": ann.pk, "skills": cells([4, 3, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0], SCIENTIST)},
        {"person": bo.pk, "skills": cells([3, 0, 0, 0, 0, 0, 0, 0, 4, 0, 2, 0], ANALYST)},
        {"person": cy.pk, "skills": cells([0] * 12, ANALYST)},
    ]
    # Shortfalls per skill (Ann, Bo, Cy): statistics 0 0 2, ML 1 1 1, research 4 2 2, and so on.
    means = [0.6667, 1.0, 2.6667, 2.6667, 1.3333, 1.3333, 0.6667, 0.6667, 2.3333, 3.6667, 3.0, 3.6667]
    meeting = [2, 0, 0, 0, 1, 0, 2, 2, 1, 0, 0, 0]
    bus_factor = [2, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0]
    assert report["skills"] == [
        {"skill": slug, "mean_shortfall": mean, "meeting": meets, "bus_factor": bus, "flagged": bus < 2}
        for slug, mean, meets, bus in zip(SKILLS, means, meeting, bus_factor, strict=True)
    ]


def test_a_team_without_members_has_no_mean_and_every_skill_flagged() -> None:
    report = compute_team_report(team=TeamFactory(name="Empty"))

    assert report == {
        "members": [],
        "skills": [
            {"skill": slug, "mean_shortfall": None, "meeting": 0, "bus_factor": 0, "flagged": True} for slug in SKILLS
        ],
    }


def test_the_query_count_does_not_grow_with_the_team() -> None:
    small, large = TeamFactory(name="Small"), TeamFactory(name="Large")
    member(small, "Ann", "data-scientist", statistics=2)
    for name in ["Bo", "Cy", "Di", "Ed"]:
        member(large, name, "data-engineer", databases=4, deployment=1)

    with CaptureQueriesContext(connection) as one:
        compute_team_report(team=small)
    with CaptureQueriesContext(connection) as four:
        compute_team_report(team=large)

    assert len(one) == len(four) == 4  # catalogue, members, their ratings, their professions' spectrum


# --- The same arithmetic read plainly from §3, on random small teams -----------------------------


def plain_team_report(team: Team) -> dict[str, Any]:
    skills = list(Skill.objects.order_by("group__order", "order", "name"))
    members = list(Person.objects.filter(team=team).order_by("name", "id"))
    rating = {(r.person_id, r.skill_id): r.level for r in SkillRating.objects.all()}
    spectrum = {(s.profession_id, s.skill_id): s.level for s in SpectrumLevel.objects.all()}

    def h(p: Person, k: Skill) -> int:
        return rating.get((p.pk, k.pk), 0)

    def e(p: Person, k: Skill) -> int:
        return spectrum.get((p.profession_id, k.pk), 0)

    rows = []
    for k in skills:
        shortfalls = [max(0, e(p, k) - h(p, k)) for p in members]
        mean = None
        if members:
            exact = Fraction(sum(shortfalls), len(members))
            mean = float(
                (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
            )
        bus = sum(1 for p in members if h(p, k) >= 3)
        rows.append(
            {
                "skill": k.slug,
                "mean_shortfall": mean,
                "meeting": sum(1 for p in members if h(p, k) >= e(p, k)),
                "bus_factor": bus,
                "flagged": bus < 2,
            }
        )
    return {
        "members": [
            {
                "person": p.pk,
                "skills": {
                    k.slug: {"rating": h(p, k), "expected": e(p, k), "shortfall": max(0, e(p, k) - h(p, k))}
                    for k in skills
                },
            }
            for p in members
        ],
        "skills": rows,
    }


PROFESSIONS = ["data-scientist", "data-analyst", "data-engineer", "ml-engineer"]
members_strategy = st.lists(
    st.tuples(
        st.sampled_from(["Ana", "Ben", "Cy"]),
        st.sampled_from(PROFESSIONS),
        st.booleans(),  # in the team reported on, or in another
        st.dictionaries(st.sampled_from(SKILLS), st.integers(0, 5), max_size=6),
    ),
    max_size=7,
)
spectrum_changes = st.dictionaries(
    st.tuples(st.sampled_from(PROFESSIONS), st.sampled_from(SKILLS)), st.integers(-1, 5), max_size=4
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(members=members_strategy, changes=spectrum_changes)
def test_the_arrays_agree_with_a_plain_reading_of_the_design(
    members: list[Any], changes: dict[tuple[str, str], int]
) -> None:
    with transaction.atomic():
        team, other = TeamFactory(name="Reported"), TeamFactory(name="Other")
        for name, slug, inside, ratings in members:
            member(team if inside else other, name, slug, **{k.replace("-", "_"): v for k, v in ratings.items()})
        for (slug, skill_slug), level in changes.items():  # an organisation edits its spectrum; -1 removes a level
            kind, known = Profession.objects.get(slug=slug), Skill.objects.get(slug=skill_slug)
            SpectrumLevel.objects.filter(profession=kind, skill=known).delete()
            if level >= 0:
                SpectrumLevel.objects.create(profession=kind, skill=known, level=level)

        assert compute_team_report(team=team) == plain_team_report(team)
        transaction.set_rollback(True)
