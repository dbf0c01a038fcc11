"""Whose ratings are due for review, and which certifications are about to expire (a lead's "My team")."""

import datetime as dt

import pytest
from django.utils import timezone

from people.models import Person
from people.selectors import certifications_expiring, ratings_due_for_review
from roles.models import SpectrumLevel
from tests.factories import (
    CertificationFactory,
    PersonFactory,
    SkillRatingFactory,
    certification_type,
    profession,
    skill,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2027, 3, 10)


def at(day: dt.date, seconds: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time())) + dt.timedelta(seconds=seconds)


def rated(person: Person, when: dt.datetime) -> Person:
    """``person`` rated in every skill their profession asks for, at ``when``."""
    for level in SpectrumLevel.objects.filter(profession=person.profession, level__gte=1).select_related("skill"):
        SkillRatingFactory(person=person, skill=level.skill, rated_at=when)
    return person


def test_a_rating_given_more_than_12_months_ago_is_due_and_one_given_12_months_ago_is_not() -> None:
    on_the_day = rated(PersonFactory(name="On The Day"), at(dt.date(2026, 3, 10)))
    a_second_before = rated(PersonFactory(name="A Second Before"), at(dt.date(2026, 3, 10), -1))

    due = ratings_due_for_review(people=[on_the_day, a_second_before], today=TODAY)

    assert [(r.person.name, r.outdated, r.unrated) for r in due] == [("A Second Before", 12, 0)]
    assert due[0].last_rated == at(dt.date(2026, 3, 10), -1)


def test_a_skill_the_profession_asks_for_and_never_rated_is_due() -> None:
    analyst = PersonFactory(name="Ann Analyst", profession=profession("data-analyst"))
    asked = SpectrumLevel.objects.filter(profession__slug="data-analyst", level__gte=1).count()
    SkillRatingFactory(person=analyst, skill=skill("reporting"), rated_at=at(TODAY))
    SkillRatingFactory(person=analyst, skill=skill("deployment"), rated_at=at(TODAY))  # not asked of analysts

    due = ratings_due_for_review(people=[analyst, PersonFactory(name="Never Rated")], today=TODAY)

    assert [(r.person.name, r.outdated, r.unrated) for r in due] == [
        ("Ann Analyst", 0, asked - 1),
        ("Never Rated", 0, 12),
    ]
    assert due[1].last_rated is None


def test_a_year_before_a_leap_day_is_28_february() -> None:
    person = rated(PersonFactory(), at(dt.date(2027, 2, 28)))

    assert ratings_due_for_review(people=[person], today=dt.date(2028, 2, 29)) == []
    assert len(ratings_due_for_review(people=[person], today=dt.date(2028, 3, 1))) == 1


def test_certifications_expiring_within_30_days_and_not_renewed() -> None:
    ada, ben = PersonFactory(name="Ada"), PersonFactory(name="Ben")
    obtained = dt.date(2025, 1, 1)
    cloud, fhir = certification_type("cloud-ml"), certification_type("hl7-fhir")
    CertificationFactory(person=ada, obtained_on=obtained, expires_on=TODAY)  # the last day still counts
    CertificationFactory(person=ada, kind=cloud, obtained_on=obtained, expires_on=TODAY + dt.timedelta(30))
    CertificationFactory(person=ada, obtained_on=obtained, expires_on=TODAY - dt.timedelta(1))  # lapsed already
    CertificationFactory(person=ben, obtained_on=obtained, expires_on=TODAY + dt.timedelta(31))  # not yet
    CertificationFactory(person=ben, kind=fhir, obtained_on=obtained, expires_on=TODAY + dt.timedelta(3))
    CertificationFactory(person=ben, kind=fhir, obtained_on=obtained, expires_on=None)  # renewed

    expiring = certifications_expiring(people=[ada, ben], today=TODAY)

    assert [(c.person.name, c.kind.slug, c.expires_on) for c in expiring] == [
        ("Ada", "privacy-hipaa", TODAY),
        ("Ada", "cloud-ml", TODAY + dt.timedelta(30)),
    ]
