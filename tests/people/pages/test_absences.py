"""A person's absences on their page: the person, the lead of their team and managers record, change
and delete them and read the audit trail; others who read everyone see them without sickness
details; other staff do not see the person at all."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.models import Absence, AbsenceChange, AbsenceKind
from tests.builders import messages_of, page_text
from tests.factories import AbsenceFactory, PersonFactory, UserFactory
from ui.formats import format_date

pytestmark = pytest.mark.django_db

MONDAY = timezone.localdate() + dt.timedelta(days=14 - timezone.localdate().weekday())
FRIDAY = MONDAY + dt.timedelta(days=4)


@pytest.fixture
def sick(viewer: User) -> Absence:
    return AbsenceFactory(person=viewer.person, starts_on=MONDAY, ends_on=FRIDAY, kind=AbsenceKind.SICKNESS, note="Flu")


def person_page(client: Client, user: User) -> str:
    response = client.get(reverse("person_detail", args=[user.person.pk]))
    assert response.status_code == 200
    return page_text(response.content)


def test_the_person_sees_their_sickness_with_its_note_and_may_change_it(
    signed_in: Callable[[User], Client], viewer: User, sick: Absence
) -> None:
    text = person_page(signed_in(viewer), viewer)

    assert f"{format_date(MONDAY)} to {format_date(FRIDAY)} Whole days Sickness Flu" in text
    assert "Record an absence" in text
    assert "Changes to absences" in text


@pytest.mark.parametrize("persona", ["manager", "lead"])
def test_managers_and_the_lead_of_the_team_see_the_details(
    persona: str, request: pytest.FixtureRequest, signed_in: Callable[[User], Client], viewer: User, sick: Absence
) -> None:
    text = person_page(signed_in(request.getfixturevalue(persona)), viewer)

    assert "Whole days Sickness Flu Edit" in text
    assert "Record an absence" in text


def test_a_lead_of_another_team_sees_the_absence_without_its_details(
    signed_in: Callable[[User], Client], viewer: User, sick: Absence
) -> None:
    other_lead = UserFactory(username="other-lead", groups=["leads"])

    text = person_page(signed_in(other_lead), viewer)

    assert f"{format_date(MONDAY)} to {format_date(FRIDAY)} Whole days Other –" in text
    assert "Sickness" not in text
    assert "Flu" not in text
    assert "Record an absence" not in text
    assert "Changes to absences" not in text


def test_other_staff_do_not_see_the_person_nor_reach_the_absence(
    signed_in: Callable[[User], Client], outsider: User, viewer: User, sick: Absence
) -> None:
    client = signed_in(outsider)

    assert client.get(reverse("person_detail", args=[viewer.person.pk])).status_code == 404
    assert client.get(reverse("absence_edit", args=[sick.pk])).status_code == 404
    assert client.post(reverse("absence_delete", args=[sick.pk])).status_code == 404
    assert client.post(reverse("absence_add", args=[viewer.person.pk])).status_code == 404
    assert Absence.objects.get() == sick


def test_anonymous_visitors_are_sent_to_sign_in(client: Client, sick: Absence) -> None:
    url = reverse("absence_edit", args=[sick.pk])

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")


def test_an_integration_reads_but_may_not_change(
    signed_in: Callable[[User], Client], integration: User, sick: Absence
) -> None:
    client = signed_in(integration)

    assert client.get(reverse("absence_edit", args=[sick.pk])).status_code == 403
    assert client.post(reverse("absence_delete", args=[sick.pk])).status_code == 403
    assert Absence.objects.filter(pk=sick.pk).exists()


def test_a_person_records_half_day_leave_and_the_trail_says_so(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    client = signed_in(viewer)
    data = {"starts_on": MONDAY.isoformat(), "ends_on": MONDAY.isoformat(), "fraction": "0.50", "kind": "leave"}

    response = client.post(reverse("absence_add", args=[viewer.person.pk]), data)

    assert response.status_code == 302
    assert messages_of(response) == ["Recorded an absence of Vic Viewer."]
    absence = Absence.objects.get()
    assert (absence.person, absence.fraction, absence.kind, absence.created_by) == (
        viewer.person,
        Decimal("0.50"),
        "leave",
        viewer,
    )
    text = person_page(client, viewer)
    assert f"{format_date(MONDAY)} to {format_date(MONDAY)} Half days Leave" in text
    assert f"Recorded Leave, {format_date(MONDAY)} to {format_date(MONDAY)}, half days" in text


def test_a_bad_range_shows_the_message_beside_the_field_and_records_nothing(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    data = {"starts_on": FRIDAY.isoformat(), "ends_on": MONDAY.isoformat(), "fraction": "1.00", "kind": "leave"}

    response = signed_in(viewer).post(reverse("absence_add", args=[viewer.person.pk]), data)

    assert response.status_code == 400
    assert response.context["form"].errors == {"ends_on": ["An absence cannot end before it starts."]}
    assert not Absence.objects.exists()


def test_the_lead_changes_an_absence_of_their_team(
    signed_in: Callable[[User], Client], lead: User, viewer: User, sick: Absence
) -> None:
    client = signed_in(lead)
    form = client.get(reverse("absence_edit", args=[sick.pk])).context["form"]
    data = {**form.initial, "starts_on": MONDAY.isoformat(), "ends_on": MONDAY.isoformat(), "note": "Flu, one day"}

    response = client.post(reverse("absence_edit", args=[sick.pk]), data)

    assert response.status_code == 302
    sick.refresh_from_db()
    assert (sick.ends_on, sick.note) == (MONDAY, "Flu, one day")
    change = AbsenceChange.objects.get()
    assert (change.action, change.changed_by, change.before["ends_on"]) == ("updated", lead, FRIDAY.isoformat())


def test_a_lead_may_not_change_absences_outside_their_team(
    signed_in: Callable[[User], Client], lead: User, outsider: User
) -> None:
    absence = AbsenceFactory(person=outsider.person)

    assert signed_in(lead).get(reverse("absence_edit", args=[absence.pk])).status_code == 403


def test_deleting_asks_first_then_keeps_the_absence_in_the_trail(
    signed_in: Callable[[User], Client], manager: User, viewer: User, sick: Absence
) -> None:
    client = signed_in(manager)

    confirm = client.get(reverse("absence_delete", args=[sick.pk]))
    assert f"Sickness, {format_date(MONDAY)} to {format_date(FRIDAY)}, whole days." in page_text(confirm.content)
    assert Absence.objects.exists()

    response = client.post(reverse("absence_delete", args=[sick.pk]))

    assert response.status_code == 302
    assert not Absence.objects.exists()
    assert "Deleted Sickness" in person_page(client, viewer)


@pytest.mark.parametrize("count", [1, 3])
def test_the_absences_section_runs_the_same_queries_for_one_or_three(
    count: int, signed_in: Callable[[User], Client], lead: User, viewer: User, django_assert_num_queries: Callable
) -> None:
    for _ in range(count):
        AbsenceFactory(person=viewer.person, kind=AbsenceKind.SICKNESS)
        AbsenceChange.objects.create(
            absence_id=1, person=viewer.person, action="created", after={
                "person": viewer.person.pk, "starts_on": MONDAY.isoformat(), "ends_on": FRIDAY.isoformat(),
                "fraction": "1.00", "kind": "sickness", "note": "",
            }, changed_by=lead, changed_at=timezone.now(),
        )  # fmt: skip
    client = signed_in(lead)

    # session, user, the user's groups, the person, their ratings, their profession's spectrum, the
    # skill catalogue, certifications, assignments, assignment changes, rating changes, whether the
    # lead leads the person's team (asked once to rate, once to record absences), the absences with
    # whether their details show, the absence changes with their author
    with django_assert_num_queries(15):
        response = client.get(reverse("person_detail", args=[viewer.person.pk]))

    assert len(response.context["absences"]) == count
    assert len(response.context["absence_changes"]) == count


def test_someone_else_may_not_record_for_a_person_outside_the_team(
    signed_in: Callable[[User], Client], lead: User
) -> None:
    stranger = PersonFactory()

    response = signed_in(lead).get(reverse("absence_add", args=[stranger.pk]))

    assert response.status_code == 403
