import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from people.models import Absence, AbsenceChange, AbsenceKind, Person
from tests.conftest import API
from tests.factories import AbsenceFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

URL = API + "absences/"


def _soon(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def test_a_person_records_their_own_half_day_leave(viewer_api: APIClient, viewer: User) -> None:
    body = {"person": viewer.person.pk, "starts_on": _soon(3), "ends_on": _soon(4), "fraction": 0.5, "kind": "leave"}

    response = viewer_api.post(URL, body, format="json")

    assert response.status_code == 201, response.json()
    absence = Absence.objects.get()
    assert response.json() == {
        "id": absence.pk,
        "person": viewer.person.pk,
        "starts_on": _soon(3),
        "ends_on": _soon(4),
        "fraction": 0.5,
        "kind": "leave",
        "note": "",
        "updated_at": response.json()["updated_at"],
    }
    change = AbsenceChange.objects.get()
    assert (change.action, change.before, change.changed_by) == ("created", None, viewer)
    assert change.after == {
        "person": viewer.person.pk,
        "starts_on": _soon(3),
        "ends_on": _soon(4),
        "fraction": "0.50",
        "kind": "leave",
        "note": "",
    }


def test_a_lead_records_an_absence_for_their_team_but_not_another(lead_api: APIClient, viewer: User) -> None:
    other = PersonFactory(team=TeamFactory(name="Pathology"))
    body = {"starts_on": _soon(1), "ends_on": _soon(1), "kind": "training"}

    mine = lead_api.post(URL, {**body, "person": viewer.person.pk}, format="json")
    theirs = lead_api.post(URL, {**body, "person": other.pk}, format="json")

    assert mine.status_code == 201
    assert theirs.status_code == 403
    assert list(Absence.objects.values_list("person", flat=True)) == [viewer.person.pk]


def test_staff_may_not_record_for_someone_they_cannot_see(viewer_api: APIClient) -> None:
    someone = PersonFactory()

    response = viewer_api.post(URL, {"person": someone.pk, "starts_on": _soon(1), "ends_on": _soon(1)}, format="json")

    assert response.status_code == 400
    assert response.json() == {"person": [f"There is no person with the id {someone.pk}."]}
    assert not Absence.objects.exists()


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"ends_on": _soon(2)}, {"ends_on": ["An absence cannot end before it starts."]}),
        ({"ends_on": _soon(5 + 366)}, {"ends_on": ["One absence spans at most 366 days, both ends included."]}),
        ({"fraction": 0.25}, {"fraction": ["An absence is whole days (1) or half days (0.5)."]}),
        ({"kind": "holiday"}, {"kind": ['"holiday" is not a valid choice.']}),
        ({"note": "x" * 201}, {"note": ["Ensure this field has no more than 200 characters."]}),
    ],
)
def test_bad_input_is_refused_with_a_message_and_records_nothing(
    manager_api: APIClient, changes: dict, errors: dict
) -> None:
    body = {"person": PersonFactory().pk, "starts_on": _soon(5), "ends_on": _soon(6), **changes}

    response = manager_api.post(URL, body, format="json")

    assert (response.status_code, response.json()) == (400, errors)
    assert not Absence.objects.exists()
    assert not AbsenceChange.objects.exists()


def test_a_range_of_exactly_366_days_is_accepted(manager_api: APIClient) -> None:
    body = {"person": PersonFactory().pk, "starts_on": _soon(5), "ends_on": _soon(5 + 365)}

    assert manager_api.post(URL, body, format="json").status_code == 201


def test_dates_far_from_today_are_refused(manager_api: APIClient) -> None:
    body = {"person": PersonFactory().pk, "starts_on": "1990-01-01", "ends_on": "1990-01-02"}

    response = manager_api.post(URL, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"starts_on", "ends_on"}
    assert response.json()["starts_on"][0].startswith("An absence lies within 5 years of today")


def test_sickness_details_are_seen_by_the_person_their_lead_and_managers_only(
    *,
    manager_api: APIClient,
    lead_api: APIClient,
    viewer_api: APIClient,
    integration_api: APIClient,
    viewer: User,
    outsider: User,
) -> None:
    mine = AbsenceFactory(person=viewer.person, kind=AbsenceKind.SICKNESS, note="Flu")
    theirs = AbsenceFactory(person=outsider.person, kind=AbsenceKind.SICKNESS, note="Back pain")

    def seen(client: APIClient) -> dict[int, tuple[str, str]]:
        return {row["id"]: (row["kind"], row["note"]) for row in client.get(URL).json()["results"]}

    assert seen(manager_api) == {mine.pk: ("sickness", "Flu"), theirs.pk: ("sickness", "Back pain")}
    assert seen(lead_api) == {mine.pk: ("sickness", "Flu"), theirs.pk: ("other", "")}
    assert seen(integration_api) == {mine.pk: ("other", ""), theirs.pk: ("other", "")}
    assert seen(viewer_api) == {mine.pk: ("sickness", "Flu")}


def test_other_kinds_keep_their_kind_but_not_their_note_for_readers_without_details(
    integration_api: APIClient,
) -> None:
    absence = AbsenceFactory(kind=AbsenceKind.TRAINING, note="Course in Leeds")

    row = integration_api.get(f"{URL}{absence.pk}/").json()

    assert (row["kind"], row["note"], row["fraction"]) == ("training", "", 1.0)


def test_staff_do_not_see_others_absences(viewer_api: APIClient, outsider: User) -> None:
    absence = AbsenceFactory(person=outsider.person)

    assert viewer_api.get(f"{URL}{absence.pk}/").status_code == 404
    assert viewer_api.get(URL, {"person": outsider.person.pk}).json()["results"] == []


def test_an_unknown_person_filter_answers_an_empty_list(manager_api: APIClient) -> None:
    AbsenceFactory()

    response = manager_api.get(URL, {"person": 999999})

    assert (response.status_code, response.json()["results"]) == (200, [])


def test_filters_by_person_team_day_and_update_time(manager_api: APIClient, viewer: User) -> None:
    today = timezone.localdate()
    here = AbsenceFactory(person=viewer.person, starts_on=today, ends_on=today + dt.timedelta(days=2))
    later = AbsenceFactory(starts_on=today + dt.timedelta(days=10), ends_on=today + dt.timedelta(days=12))

    def ids(**params: object) -> list[int]:
        return [row["id"] for row in manager_api.get(URL, params).json()["results"]]

    assert ids() == [here.pk, later.pk]
    assert ids(person=viewer.person.pk) == [here.pk]
    assert ids(team=viewer.person.team_id) == [here.pk]
    assert ids(active_on=(today + dt.timedelta(days=11)).isoformat()) == [later.pk]
    assert ids(updated_since=timezone.now().isoformat()) == []
    assert manager_api.get(URL, {"team": 999999}).status_code == 400


def test_a_change_is_audited_with_before_and_after(lead_api: APIClient, lead: User, viewer: User) -> None:
    absence = AbsenceFactory(person=viewer.person, fraction=Decimal("1.00"))

    response = lead_api.patch(f"{URL}{absence.pk}/", {"fraction": 0.5, "note": "Mornings"}, format="json")

    assert response.status_code == 200
    assert (response.json()["fraction"], response.json()["note"]) == (0.5, "Mornings")
    change = AbsenceChange.objects.get()
    assert (change.action, change.changed_by) == ("updated", lead)
    assert (change.before["fraction"], change.after["fraction"], change.after["note"]) == ("1.00", "0.50", "Mornings")


def test_a_lead_may_not_move_an_absence_to_someone_outside_their_team(
    lead_api: APIClient, viewer: User, outsider: User
) -> None:
    absence = AbsenceFactory(person=viewer.person)

    response = lead_api.patch(f"{URL}{absence.pk}/", {"person": outsider.person.pk}, format="json")

    assert response.status_code == 403
    assert Absence.objects.get().person == viewer.person


def test_readers_without_the_right_may_neither_change_nor_delete(integration_api: APIClient) -> None:
    absence = AbsenceFactory()

    assert integration_api.patch(f"{URL}{absence.pk}/", {"note": "x"}, format="json").status_code == 403
    assert integration_api.delete(f"{URL}{absence.pk}/").status_code == 403
    assert Absence.objects.get().note == ""


def test_a_deletion_keeps_the_absence_in_the_audit_trail(viewer_api: APIClient, viewer: User) -> None:
    absence = AbsenceFactory(person=viewer.person)

    response = viewer_api.delete(f"{URL}{absence.pk}/")

    assert response.status_code == 204
    assert not Absence.objects.exists()
    change = AbsenceChange.objects.get()
    assert (change.action, change.absence_id, change.after, change.before["kind"]) == (
        "deleted",
        absence.pk,
        None,
        "leave",
    )


def test_anonymous_requests_are_refused(anonymous_api: APIClient) -> None:
    assert anonymous_api.get(URL).status_code == 401


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_runs_the_same_queries_for_one_or_three(
    lead_api: APIClient, django_assert_num_queries, count: int
) -> None:
    for _ in range(count):
        AbsenceFactory(person=PersonFactory(), kind=AbsenceKind.SICKNESS)

    # token and user; the user's groups; count; the page of absences with who may read their details
    with django_assert_num_queries(4):
        response = lead_api.get(URL)

    assert len(response.json()["results"]) == count


def test_people_are_deleted_with_their_absences(viewer: User) -> None:
    AbsenceFactory(person=viewer.person)

    Person.objects.filter(pk=viewer.person.pk).delete()

    assert not Absence.objects.exists()
