"""The dashboard: projects by phase, the signed-in user's assignments, and My team for a team lead."""

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from people.models import Person, Team
from projects.models import AssignmentStatus, Phase
from roles.models import SpectrumLevel
from staffing.models import Report
from tests.builders import page_text
from tests.factories import (
    AssignmentFactory,
    CertificationFactory,
    PersonFactory,
    ProjectFactory,
    RoleSlotFactory,
    SkillRatingFactory,
    TeamFactory,
    UserFactory,
    finish_report,
    profession,
)
from ui.formats import format_date as day

pytestmark = pytest.mark.django_db


def test_it_counts_projects_per_phase_and_links_them(signed_in: Callable[[User], Client], viewer: User) -> None:
    ProjectFactory(name="Readmission risk", phase=Phase.DATA_UNDERSTANDING)
    ProjectFactory(name="Feedback topics", phase=Phase.DATA_UNDERSTANDING)
    screening = ProjectFactory(name="Chest x-ray screening", phase=Phase.IMPLEMENTATION)

    response = signed_in(viewer).get(reverse("dashboard"))
    text = page_text(response.content)
    html = response.content.decode()

    assert response.context["phase_groups"][1].count == 2
    assert [(g.label, g.count) for g in response.context["phase_groups"]] == [
        ("Problem understanding", 0),
        ("Data understanding", 2),
        ("Implementation", 1),
        ("Closed", 0),
    ]
    assert "Data understanding 2 projects Feedback topics Readmission risk" in text
    assert "Implementation 1 project Chest x-ray screening" in text
    assert f'<a href="/projects/{screening.pk}/">Chest x-ray screening</a>' in html


def test_it_links_to_the_rest_of_a_phase_beyond_the_first_five(
    signed_in: Callable[[User], Client], viewer: User
) -> None:
    ProjectFactory.create_batch(7, phase=Phase.IMPLEMENTATION)

    response = signed_in(viewer).get(reverse("dashboard"))

    implementation = response.context["phase_groups"][2]
    assert (implementation.count, len(implementation.projects)) == (7, 5)
    assert '<a href="/projects/?phase=implementation">All 7 projects in implementation</a>' in response.content.decode()


def test_it_lists_my_current_and_upcoming_assignments(signed_in: Callable[[User], Client], viewer: User) -> None:
    today = timezone.localdate()
    slot = RoleSlotFactory(
        project__name="Chest x-ray screening", starts_on=today - dt.timedelta(days=400), ends_on=today
    )
    AssignmentFactory(person=viewer.person, slot=slot, allocation="0.40", status=AssignmentStatus.CONFIRMED)
    AssignmentFactory(
        person=viewer.person,
        slot__project__name="Finished long ago",
        starts_on=today - dt.timedelta(days=300),
        ends_on=today - dt.timedelta(days=200),
    )
    AssignmentFactory(person=PersonFactory(name="Someone Else"), slot__project__name="Not mine")

    text = page_text(signed_in(viewer).get(reverse("dashboard")).content)
    mine = text[text.index("My assignments") :]

    assert "Chest x-ray screening Data scientist" in mine
    assert "0.40 Confirmed" in mine
    assert "Finished long ago" not in mine
    assert "Not mine" not in mine


def test_it_says_so_when_i_have_no_assignments(signed_in: Callable[[User], Client], viewer: User) -> None:
    text = page_text(signed_in(viewer).get(reverse("dashboard")).content)

    assert "You have no current or upcoming assignments." in text


def test_it_says_so_when_my_account_has_no_person(signed_in: Callable[[User], Client], manager: User) -> None:
    text = page_text(signed_in(manager).get(reverse("dashboard")).content)

    assert "Your account is not linked to a staff record" in text


@pytest.mark.parametrize("count", [1, 3])
def test_it_runs_the_same_queries_whatever_the_number_of_projects_and_assignments(
    count: int, signed_in: Callable[[User], Client], viewer: User, django_assert_num_queries: Callable
) -> None:
    for _ in range(count):
        AssignmentFactory(person=viewer.person, slot__project__phase=Phase.IMPLEMENTATION)
    client = signed_in(viewer)

    # session, user, the user's person, the user's groups (asked first by the reports the user
    # may see), the latest organisation report, projects ranked per phase (one windowed query),
    # their assignments with slot, project and profession
    with django_assert_num_queries(7):
        response = client.get(reverse("dashboard"))

    assert response.context["phase_groups"][2].count == count
    assert len(response.context["assignments"]) == count


# --- My team, for a team lead --------------------------------------------------------------------


def rate_everything(person: Person, *, rated_at: dt.datetime) -> None:
    """Rate ``person`` at 3 in every skill their profession's spectrum asks for."""
    for level in SpectrumLevel.objects.filter(profession=person.profession, level__gte=1).select_related("skill"):
        SkillRatingFactory(person=person, skill=level.skill, level=3, rated_at=rated_at)


def test_a_lead_sees_my_team_with_its_people_reviews_due_expiring_certificates_and_gaps(
    signed_in: Callable[[User], Client], lead: User, viewer: User, imaging: Team
) -> None:
    today = timezone.localdate()
    now = timezone.now()
    rate_everything(lead.person, rated_at=now)
    ada = PersonFactory(name="Ada Engineer", team=imaging, profession=profession("data-engineer"))
    rate_everything(ada, rated_at=now - dt.timedelta(days=400))
    ada.ratings.filter(skill__slug="deployment").update(level=2)  # only the lead is rated 3 or more
    CertificationFactory(
        person=ada, obtained_on=today - dt.timedelta(days=700), expires_on=today + dt.timedelta(days=10)
    )
    renewed = {"person": viewer.person, "obtained_on": today - dt.timedelta(days=700)}
    CertificationFactory(**renewed, expires_on=today + dt.timedelta(days=5))
    CertificationFactory(**renewed, expires_on=today + dt.timedelta(days=700))
    PersonFactory(name="Elsewhere Person", team=TeamFactory(name="Pathology"))
    finish_report(Report.objects.create(kind="team", team=imaging))

    response = signed_in(lead).get(reverse("dashboard"))
    text = page_text(response.content)
    team = text[text.index("My team: Imaging") : text.index("Organisation skill gaps")]

    assert "People (3) Ada Engineer Data engineer Lena Lead Data scientist Vic Viewer Data scientist" in team
    assert "Elsewhere Person" not in team
    reviews = team[team.index("Ratings due for review") : team.index("Certifications expiring")]
    assert f"Rate Ada Engineer : 12 ratings last given {day(ada.ratings.first().rated_at)}" in reviews  # type: ignore[union-attr]
    assert "Rate Vic Viewer : 12 expected skills never rated" in reviews
    assert "Lena Lead" not in reviews
    assert (
        "Certifications expiring within 30 days Ada Engineer : Patient privacy and HIPAA training expires "
        f"{day(today + dt.timedelta(days=10))}" in team
    )
    assert "Vic Viewer : Patient privacy" not in team  # renewed
    gaps = team[team.index("Largest gaps") :]
    assert "Statistics : 1.67 levels below on average; 1 of 3 meet their level" in gaps
    assert "Bus factor below 2 (fewer than two members rated 3 or more): Deployment (1)" in gaps
    assert "Request a new one" in gaps


def test_a_lead_without_a_team_report_is_offered_one(
    signed_in: Callable[[User], Client], lead: User, imaging: Team
) -> None:
    html = signed_in(lead).get(reverse("dashboard")).content.decode()

    assert "No team report has finished yet." in page_text(html)
    assert f'<a href="/reports/new/?kind=team&amp;team={imaging.pk}">Request the Imaging team report</a>' in html


def test_a_manager_and_a_viewer_see_no_team(
    signed_in: Callable[[User], Client], manager: User, viewer: User, lead: User
) -> None:
    for user in (manager, viewer):
        assert "My team" not in page_text(signed_in(user).get(reverse("dashboard")).content)


def test_a_manager_without_a_person_is_told_where_to_link_accounts(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    text = page_text(signed_in(manager).get(reverse("dashboard")).content)

    assert "To link an account to a person, open the person under People and choose “Link an account”." in text
    assert "admin" not in text.lower()


def test_staff_without_a_person_are_told_to_ask_a_manager(signed_in: Callable[[User], Client]) -> None:
    text = page_text(signed_in(UserFactory(username="newcomer")).get(reverse("dashboard")).content)

    assert "Ask a manager to link your account to your staff record: they do it on your page under People." in text


@pytest.mark.parametrize("count", [1, 3])
def test_my_team_runs_the_same_queries_whatever_the_number_of_members(
    count: int, signed_in: Callable[[User], Client], lead: User, imaging: Team, django_assert_num_queries: Callable
) -> None:
    today = timezone.localdate()
    for _ in range(count):
        member = PersonFactory(team=imaging)
        SkillRatingFactory(person=member)
        CertificationFactory(person=member, expires_on=today + dt.timedelta(days=3))
    finish_report(Report.objects.create(kind="team", team=imaging))
    client = signed_in(lead)

    # session, user, the user's person, the user's groups, the latest organisation report, projects
    # ranked per phase, their assignments; then for My team: the teams led, their members, their
    # professions' spectrum, their ratings, expiring certifications, the latest team report of each
    # team, the names of its skills
    with django_assert_num_queries(14):
        response = client.get(reverse("dashboard"))

    assert len(response.context["my_teams"][0].members) == count + 1
    assert len(response.context["my_teams"][0].expiring) == count
