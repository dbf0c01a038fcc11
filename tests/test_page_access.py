"""Every page asks for sign-in, answers each persona, and has the same accessible frame."""

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from people.models import Person
from projects.models import Project
from tests.builders import build_project_with_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def project() -> Project:
    return build_project_with_tasks()


def page_urls(project: Project, person: Person) -> list[str]:
    return [
        reverse("dashboard"),
        reverse("project_list"),
        reverse("project_detail", args=[project.pk]),
        reverse("person_list"),
        reverse("person_detail", args=[person.pk]),
        reverse("catalogue"),
        reverse("holiday_list"),
    ]


def test_an_anonymous_visitor_is_sent_to_sign_in_from_every_page(
    client: Client, project: Project, viewer_person: Person
) -> None:
    for url in page_urls(project, viewer_person):
        response = client.get(url)

        assert response.status_code == 302, url
        assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("persona", ["manager", "lead", "viewer"])
def test_every_page_answers_each_persona_with_one_h1_a_title_and_a_skip_link(
    persona: str,
    request: pytest.FixtureRequest,
    signed_in: Callable[[User], Client],
    project: Project,
    viewer_person: Person,
) -> None:
    client = signed_in(request.getfixturevalue(persona))

    for url in page_urls(project, viewer_person):
        response = client.get(url)
        html = response.content.decode()

        assert response.status_code == 200, url
        assert '<html lang="en">' in html
        assert re.search(r"<title>[^<]+ · Spectrum</title>", html), url
        assert len(re.findall(r"<h1[ >]", html)) == 1, url
        assert '<a class="skip-link" href="#main">' in html
        assert 'id="main"' in html
        assert '<script src="/static/js/htmx.min.js" defer></script>' in html


def test_the_nav_marks_the_current_section(signed_in: Callable[[User], Client], manager: User) -> None:
    html = signed_in(manager).get(reverse("catalogue")).content.decode()

    assert '<a href="/catalogue/" aria-current="page">Catalogue</a>' in html
    assert '<a href="/projects/">Projects</a>' in html


def test_the_admin_link_shows_only_for_staff_users(signed_in: Callable[[User], Client], manager: User) -> None:
    client = signed_in(manager)
    assert "/admin/" not in client.get(reverse("dashboard")).content.decode()

    manager.is_staff = True
    manager.save()
    assert '<a href="/admin/">Admin</a>' in client.get(reverse("dashboard")).content.decode()


def test_a_missing_page_renders_the_error_page_without_a_trace(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    response = signed_in(viewer).get("/no-such-page/")
    html = response.content.decode()

    assert response.status_code == 404
    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Page not found"]
    assert "<title>Page not found · Spectrum</title>" in html
    assert "Traceback" not in html
    assert '<a href="/">Go to the dashboard</a>' in html
