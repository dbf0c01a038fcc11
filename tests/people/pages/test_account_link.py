"""Managers link a sign-in account to a person (and unlink it) from the person's page; one account per
person, one person per account; nobody else may."""

import logging
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from people.models import Person
from people.services import link_account, unlink_account
from tests.builders import messages_of, page_text
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(imaging: object) -> Person:
    return PersonFactory(name="Nia Newcomer", team=imaging)


def account_page(person: Person) -> str:
    return reverse("person_account", args=[person.pk])


# --- The service ---------------------------------------------------------------------------------


def test_linking_gives_the_person_the_account_and_logs_who_did_it(
    newcomer: Person, manager: User, caplog: pytest.LogCaptureFixture
) -> None:
    account = UserFactory(username="nia")

    with caplog.at_level(logging.INFO, logger="people.services"):
        link_account(person=newcomer, user=account, actor=manager)

    newcomer.refresh_from_db()
    assert newcomer.user == account
    assert [r.getMessage() for r in caplog.records] == [
        f"manager linked the account nia to person {newcomer.pk} (Nia Newcomer)"
    ]


def test_an_account_linked_to_someone_else_is_refused_and_nothing_changes(
    newcomer: Person, viewer: User, manager: User
) -> None:
    with pytest.raises(ValidationError) as refused:
        link_account(person=newcomer, user=viewer, actor=manager)

    newcomer.refresh_from_db()
    assert refused.value.message_dict == {"user": ["The account “viewer” is already linked to Vic Viewer."]}
    assert newcomer.user is None
    assert viewer.person.name == "Vic Viewer"


def test_a_person_with_an_account_must_be_unlinked_first(viewer: User, manager: User) -> None:
    other = UserFactory(username="second")

    with pytest.raises(ValidationError) as refused:
        link_account(person=viewer.person, user=other, actor=manager)

    assert refused.value.message_dict == {
        "user": ["Vic Viewer is already linked to the account “viewer”: unlink it first."]
    }
    assert Person.objects.get(user=viewer).name == "Vic Viewer"


def test_unlinking_keeps_the_account(viewer: User, manager: User) -> None:
    person = viewer.person

    unlink_account(person=person, actor=manager)

    person.refresh_from_db()
    assert person.user is None
    assert User.objects.filter(username="viewer").exists()


# --- The page ------------------------------------------------------------------------------------


def test_a_manager_sees_the_link_on_the_person_page_and_the_free_accounts(
    signed_in: Callable[[User], Client], manager: User, viewer: User, newcomer: Person
) -> None:
    UserFactory(username="nia", first_name="Nia", last_name="Newcomer")
    client = signed_in(manager)

    person_page = page_text(client.get(reverse("person_detail", args=[newcomer.pk])).content)
    response = client.get(account_page(newcomer))

    assert "Sign-in account None · Link an account" in person_page
    choices = [label for _, label in response.context["form"].fields["user"].choices]
    assert choices == ["Choose an account", "manager", "nia (Nia Newcomer)"]  # viewer is linked already


def test_a_manager_links_an_account_and_returns_to_the_person(
    signed_in: Callable[[User], Client], manager: User, newcomer: Person
) -> None:
    account = UserFactory(username="nia")
    client = signed_in(manager)

    response = client.post(account_page(newcomer), {"action": "link", "user": account.pk})

    newcomer.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("person_detail", args=[newcomer.pk])
    assert messages_of(response) == ["Linked the account “nia” to Nia Newcomer."]
    assert newcomer.user == account
    assert "Sign-in account nia · Unlink" in page_text(client.get(response["Location"]).content)


def test_a_manager_unlinks_an_account(signed_in: Callable[[User], Client], manager: User, viewer: User) -> None:
    person = viewer.person

    response = signed_in(manager).post(account_page(person), {"action": "unlink"})

    person.refresh_from_db()
    assert response.status_code == 302
    assert messages_of(response) == ["Unlinked the account “viewer” from Vic Viewer."]
    assert person.user is None


def test_an_account_already_linked_cannot_be_chosen(
    signed_in: Callable[[User], Client], manager: User, viewer: User, newcomer: Person
) -> None:
    response = signed_in(manager).post(account_page(newcomer), {"action": "link", "user": viewer.pk})

    newcomer.refresh_from_db()
    assert response.status_code == 400
    assert "Select a valid choice" in page_text(response.content)
    assert newcomer.user is None


def test_a_lead_and_a_viewer_may_not_link_accounts(
    signed_in: Callable[[User], Client], lead: User, viewer: User, newcomer: Person
) -> None:
    account = UserFactory(username="nia")

    by_lead = signed_in(lead).post(account_page(newcomer), {"action": "link", "user": account.pk})
    by_viewer = signed_in(viewer).post(account_page(viewer.person), {"action": "unlink"})

    newcomer.refresh_from_db()
    assert by_lead.status_code == 403
    assert by_viewer.status_code == 403
    assert newcomer.user is None
    assert Person.objects.get(user=viewer).name == "Vic Viewer"


def test_someone_who_may_not_see_the_person_gets_a_404(
    signed_in: Callable[[User], Client], outsider: User, newcomer: Person
) -> None:
    assert signed_in(outsider).get(account_page(newcomer)).status_code == 404


def test_the_person_page_shows_no_account_to_anyone_but_managers(
    signed_in: Callable[[User], Client], lead: User, viewer: User
) -> None:
    text = page_text(signed_in(lead).get(reverse("person_detail", args=[viewer.person.pk])).content)

    assert "Sign-in account" not in text
