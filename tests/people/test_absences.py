"""The absence rules below the API: the database's own checks, and the services' refusals."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from people.models import Absence, AbsenceChange
from people.services import change_absence, record_absence
from tests.factories import AbsenceFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.mark.parametrize(
    "fields",
    [
        {"starts_on": TODAY, "ends_on": TODAY - dt.timedelta(days=1)},
        {"fraction": Decimal("0.25")},
        {"kind": "holiday"},
    ],
)
def test_the_database_refuses_an_absence_the_services_would_refuse(fields: dict) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        AbsenceFactory(**fields)


def test_a_staff_member_may_not_record_for_someone_else(viewer: User) -> None:
    with pytest.raises(PermissionDenied):
        record_absence(person=PersonFactory(), starts_on=TODAY, ends_on=TODAY, actor=viewer)

    assert not Absence.objects.exists()


def test_a_refused_change_changes_nothing_and_audits_nothing(manager: User) -> None:
    absence = AbsenceFactory(starts_on=TODAY, ends_on=TODAY)

    with pytest.raises(ValidationError) as refused:
        change_absence(absence=absence, changes={"note": "Away", "fraction": Decimal("2")}, actor=manager)

    assert refused.value.message_dict == {"fraction": ["An absence is whole days (1) or half days (0.5)."]}
    absence.refresh_from_db()
    assert (absence.note, absence.fraction) == ("", Decimal("1.00"))
    assert not AbsenceChange.objects.exists()


def test_a_change_that_changes_nothing_is_not_audited(manager: User) -> None:
    absence = AbsenceFactory()

    change_absence(absence=absence, changes={"kind": absence.kind}, actor=manager)

    assert not AbsenceChange.objects.exists()
