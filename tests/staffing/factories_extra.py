"""Factories the staffing tests need beyond ``tests/factories.py``."""

import datetime as dt

import factory

from people.models import Certification, CertificationType
from tests.factories import PersonFactory


def certification_type(slug: str) -> CertificationType:
    return CertificationType.objects.get(slug=slug)


class CertificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certification

    person = factory.SubFactory(PersonFactory)
    kind = factory.LazyFunction(lambda: certification_type("privacy-hipaa"))
    obtained_on = dt.date(2026, 1, 1)
    expires_on = None
