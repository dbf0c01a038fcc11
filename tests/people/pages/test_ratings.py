"""Rating skills in the browser: who may rate whom, what a save records, and what it refuses.

Personas: ``lead`` leads Imaging, where Ada Byrne (a data engineer) and ``viewer`` work; ``other_lead``
leads Pathology; ``manager`` runs projects and leads no team; ``outsider`` works in Pathology.
"""

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.test import Client
from django.urls import reverse

from people.forms import RatingsForm
from people.models import Person, RatingSource, SkillRatingChange, Team
from people.selectors import person_ratings_by_group
from tests.builders import build_candidate, levels_of, messages_of, page_text, rating_history_of
from tests.factories import PersonFactory, SkillRatingFactory, TeamFactory, UserFactory, skill

pytestmark = pytest.mark.django_db

LEAD = RatingSource.LEAD
SELF = RatingSource.SELF
RATED_ON = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def ada(imaging: Team) -> Person:
    """A data engineer in Imaging: statistics 2 by her lead, ML Ops 3 self-assessed, the rest unrated."""
    person = build_candidate("Ada Byrne", team=imaging, profession="data-engineer")
    SkillRatingFactory(person=person, skill=skill("statistics"), level=2, source=LEAD, rated_at=RATED_ON)
    SkillRatingFactory(person=person, skill=skill("ml-ops"), level=3, source=SELF, rated_at=RATED_ON)
    return person


@pytest.fixture
def other_lead() -> User:
    """The lead of Pathology, who reads everyone but rates only Pathology."""
    user = UserFactory(username="other-lead", groups=["leads"])
    pathology = TeamFactory(name="Pathology")
    pathology.lead = PersonFactory(name="Pat Lead", user=user, team=pathology)
    pathology.save()
    return user


def ratings_url(person: Person) -> str:
    return reverse("person_ratings", args=[person.pk])


def selected(html: str, slug: str) -> str:
    """The label of the option chosen in a skill's level input."""
    select = re.search(rf'<select name="level_{slug}".*?</select>', html, flags=re.S)
    assert select, slug
    option = re.search(r'<option value="[^"]*" selected>([^<]*)</option>', select.group(0))
    return option.group(1) if option else "(none)"


# ---- Who may rate whom ----


def test_a_lead_sees_every_skill_by_group_with_its_level_source_date_and_expected_level(
    signed_in: Callable[[User], Client], lead: User, ada: Person
) -> None:
    response = signed_in(lead).get(ratings_url(ada))
    html = response.content.decode()
    text = page_text(html)

    assert response.status_code == 200
    assert [group.name for group, _ in response.context["form"].input_groups()] == [
        "Science",
        "Infrastructure",
        "Production",
        "Knowledge discovery",
        "Communication",
    ]
    assert "Rate Ada Byrne’s skills" in text
    assert "Your ratings count as lead ratings." in text
    assert selected(html, "statistics") == "2 — Foundation"
    assert selected(html, "ml-ops") == "3 — Practitioner"
    assert selected(html, "research") == "Not rated"
    assert "Science Level in Statistics 0 — None 1 — Awareness 2 — Foundation" in text
    assert "5 — Expert Expected 2 Team lead, 2 Mar 2026 Level in ML modelling Not rated 0 — None" in text
    assert "5 — Expert Expected 3 Self-assessment, 2 Mar 2026 Confirm the self-assessed level in ML Ops" in text
    assert (
        "Level in Research Not rated 0 — None 1 — Awareness 2 — Foundation 3 — Practitioner "
        "4 — Advanced 5 — Expert Expected 2 Not rated yet" in text
    )
    assert (
        '<label class="rating-row__skill" for="id_level_statistics">'
        '<span class="visually-hidden">Level in </span>Statistics</label>'
    ) in html
    # The expected level and the current rating describe the select.
    assert 'aria-describedby="id_level_statistics_about"' in html
    assert '<p id="id_level_statistics_about">' in html
    # A rated skill offers no way back to unrated.
    assert "Not rated" not in re.search(r'<select name="level_statistics".*?</select>', html, flags=re.S).group(0)


def test_a_lead_saves_the_changed_levels_as_lead_ratings_and_each_change_is_in_the_history(
    signed_in: Callable[[User], Client], lead: User, ada: Person
) -> None:
    client = signed_in(lead)

    response = client.post(
        ratings_url(ada),
        {
            "level_statistics": "4",
            "initial-level_statistics": "2",
            "level_ml-ops": "3",
            "initial-level_ml-ops": "3",
            "level_databases": "5",
            "initial-level_databases": "",
            "level_deployment": "0",
            "initial-level_deployment": "",
            "level_research": "",
            "initial-level_research": "",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("person_detail", args=[ada.pk])
    assert messages_of(response) == ["Saved 3 rating changes for Ada Byrne."]
    assert levels_of(ada) == {
        "statistics": (4, LEAD),
        "databases": (5, LEAD),
        "deployment": (0, LEAD),
        "ml-ops": (3, SELF),  # untouched, so still her own
    }
    assert rating_history_of(ada) == [
        ("deployment", None, 0, LEAD, "lead"),
        ("databases", None, 5, LEAD, "lead"),
        ("statistics", 2, 4, LEAD, "lead"),
    ]
    page = page_text(client.get(response.url).content)
    assert "Saved 3 rating changes for Ada Byrne." in page
    assert "Rating changes" in page
    assert "Databases Not rated → to 5 Expert Team lead lead" in page
    assert "Statistics 2 Foundation → to 4 Advanced Team lead lead" in page


def test_one_change_reads_in_the_singular(signed_in: Callable[[User], Client], lead: User, ada: Person) -> None:
    response = signed_in(lead).post(ratings_url(ada), {"level_statistics": "3", "initial-level_statistics": "2"})

    assert messages_of(response) == ["Saved 1 rating change for Ada Byrne."]


def test_the_person_rates_themselves_as_a_self_assessment(
    signed_in: Callable[[User], Client], viewer: User, viewer_person: Person
) -> None:
    SkillRatingFactory(person=viewer_person, skill=skill("statistics"), level=2, source=LEAD, rated_at=RATED_ON)
    client = signed_in(viewer)

    page = client.get(ratings_url(viewer_person))
    response = client.post(ratings_url(viewer_person), {"level_statistics": "3", "level_reporting": "4"})

    assert "Rate your skills" in page_text(page.content)
    assert "Your ratings count as a self-assessment." in page_text(page.content)
    assert "Confirm" not in page_text(page.content)
    assert messages_of(response) == ["Saved 2 rating changes for Vic Viewer."]
    assert levels_of(viewer_person) == {"statistics": (3, SELF), "reporting": (4, SELF)}
    assert rating_history_of(viewer_person) == [
        ("reporting", None, 4, SELF, "viewer"),
        ("statistics", 2, 3, SELF, "viewer"),
    ]


@pytest.mark.parametrize("persona", ["other_lead", "manager"])
def test_someone_who_sees_the_person_but_does_not_lead_their_team_is_refused(
    persona: str, request: pytest.FixtureRequest, signed_in: Callable[[User], Client], ada: Person
) -> None:
    client = signed_in(request.getfixturevalue(persona))

    page = client.get(ratings_url(ada))
    post = client.post(ratings_url(ada), {"level_statistics": "5"})

    assert (page.status_code, post.status_code) == (403, 403)
    assert "Not allowed" in page_text(page.content)
    assert levels_of(ada) == {"statistics": (2, LEAD), "ml-ops": (3, SELF)}
    assert rating_history_of(ada) == []


def test_a_viewer_may_not_even_see_someone_else(
    signed_in: Callable[[User], Client], viewer: User, outsider: User, ada: Person
) -> None:
    client = signed_in(viewer)

    assert client.get(ratings_url(ada)).status_code == 404
    assert client.post(ratings_url(outsider.person), {"level_statistics": "5"}).status_code == 404
    assert levels_of(outsider.person) == {}


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, ada: Person) -> None:
    url = ratings_url(ada)

    page = client.get(url)
    post = client.post(url, {"level_statistics": "5"})

    assert [(page.status_code, page.url), (post.status_code, post.url)] == [
        (302, f"{reverse('login')}?next={url}"),
        (302, f"{reverse('login')}?next={url}"),
    ]
    assert levels_of(ada)["statistics"] == (2, LEAD)


# ---- What a save refuses ----


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"level_statistics": "9"}, "Level in Statistics: Choose a level from 0 (none) to 5 (expert)."),
        ({"level_research": "x"}, "Level in Research: Choose a level from 0 (none) to 5 (expert)."),
        (
            {"level_statistics": ""},
            "Level in Statistics: Choose a level from 0 (none) to 5 (expert); a rating can be changed but not removed.",
        ),
        ({"level_cooking": "3"}, "There is no skill “cooking” in the catalogue; reload the page and try again."),
    ],
    ids=["level-9", "not-a-number", "rated-to-unrated", "unknown-skill"],
)
def test_bad_input_is_shown_beside_the_form_and_nothing_is_saved(
    data: dict[str, str], error: str, signed_in: Callable[[User], Client], lead: User, ada: Person
) -> None:
    # A good change beside the bad one is not saved either: all or nothing.
    response = signed_in(lead).post(ratings_url(ada), {"level_databases": "4", **data})
    text = page_text(response.content)

    assert response.status_code == 200
    assert "Nothing was saved: check the form" in text
    assert error in text
    assert levels_of(ada) == {"statistics": (2, LEAD), "ml-ops": (3, SELF)}
    assert rating_history_of(ada) == []


def test_a_bad_level_is_marked_on_its_row_and_keeps_what_was_typed_elsewhere(
    signed_in: Callable[[User], Client], lead: User, ada: Person
) -> None:
    response = signed_in(lead).post(
        ratings_url(ada), {"level_statistics": "9", "initial-level_statistics": "2", "level_databases": "4"}
    )
    html = response.content.decode()

    assert 'aria-describedby="id_level_statistics_about id_level_statistics_error" aria-invalid="true"' in html
    assert '<p class="field__error" id="id_level_statistics_error">' in html
    assert '<a href="#id_level_statistics">Level in Statistics: Choose a level' in html
    assert selected(html, "databases") == "4 — Advanced"
    # The refused level shows as the page first showed it, not as the first option a second save would keep.
    assert selected(html, "statistics") == "2 — Foundation"
    # The level the page first showed travels on, so a second try still sees what changed.
    assert '<input type="hidden" name="initial-level_statistics" value="2"' in html


def test_the_services_errors_land_beside_their_skill() -> None:
    person = PersonFactory()
    form = RatingsForm(QueryDict(), groups=person_ratings_by_group(person=person), as_lead=True)
    form.is_valid()

    form.add_service_errors(ValidationError({"statistics": ["Too high."], "cooking": ["No such skill."]}))

    assert form.errors == {"level_statistics": ["Too high."], "__all__": ["cooking: No such skill."]}


# ---- What a save records ----


def test_levels_sent_back_unchanged_write_nothing(signed_in: Callable[[User], Client], lead: User, ada: Person) -> None:
    client = signed_in(lead)

    with_what_the_page_showed = client.post(
        ratings_url(ada),
        {"level_statistics": "2", "initial-level_statistics": "2", "level_ml-ops": "3", "initial-level_ml-ops": "3"},
    )
    assert messages_of(with_what_the_page_showed) == ["No ratings changed."]
    client.get(with_what_the_page_showed.url)  # shows the message, and so clears it

    without_it = client.post(ratings_url(ada), {"level_statistics": "2", "level_ml-ops": "3", "level_research": ""})

    assert messages_of(without_it) == ["No ratings changed."]
    assert with_what_the_page_showed.url == reverse("person_detail", args=[ada.pk])
    assert levels_of(ada) == {"statistics": (2, LEAD), "ml-ops": (3, SELF)}
    assert rating_history_of(ada) == []


def test_a_level_left_untouched_on_an_old_page_does_not_undo_a_newer_rating(
    signed_in: Callable[[User], Client], lead: User, viewer: User, viewer_person: Person
) -> None:
    """The lead opened the page when statistics was 2; Vic has since rated it 4 himself."""
    SkillRatingFactory(person=viewer_person, skill=skill("statistics"), level=4, source=SELF, rated_at=RATED_ON)

    response = signed_in(lead).post(
        ratings_url(viewer_person),
        {"level_statistics": "2", "initial-level_statistics": "2", "level_reporting": "3"},
    )

    assert messages_of(response) == ["Saved 1 rating change for Vic Viewer."]
    assert levels_of(viewer_person) == {"statistics": (4, SELF), "reporting": (3, LEAD)}


def test_a_lead_confirming_a_self_assessed_level_validates_it(
    signed_in: Callable[[User], Client], lead: User, ada: Person
) -> None:
    client = signed_in(lead)
    html = client.get(ratings_url(ada)).content.decode()

    response = client.post(ratings_url(ada), {"level_ml-ops": "3", "initial-level_ml-ops": "3", "confirm_ml-ops": "on"})

    # Only a self-assessment offers the box; a lead rating has nothing to confirm.
    assert '<input type="checkbox" name="confirm_ml-ops" id="id_confirm_ml-ops">' in html
    assert "confirm_statistics" not in html
    assert messages_of(response) == ["Saved 1 rating change for Ada Byrne."]
    assert levels_of(ada)["ml-ops"] == (3, LEAD)
    assert rating_history_of(ada) == [("ml-ops", 3, 3, LEAD, "lead")]
    assert "ML Ops Confirmed at 3 Practitioner Team lead lead" in page_text(client.get(response.url).content)


def test_a_lead_changing_a_self_assessed_level_validates_the_new_level(
    signed_in: Callable[[User], Client], lead: User, ada: Person
) -> None:
    signed_in(lead).post(ratings_url(ada), {"level_ml-ops": "4", "initial-level_ml-ops": "3"})

    assert levels_of(ada)["ml-ops"] == (4, LEAD)
    assert rating_history_of(ada) == [("ml-ops", 3, 4, LEAD, "lead")]


def test_a_confirmation_box_sent_by_the_person_themselves_changes_nothing(
    signed_in: Callable[[User], Client], viewer: User, viewer_person: Person
) -> None:
    SkillRatingFactory(person=viewer_person, skill=skill("ml-ops"), level=3, source=SELF, rated_at=RATED_ON)

    response = signed_in(viewer).post(ratings_url(viewer_person), {"level_ml-ops": "3", "confirm_ml-ops": "on"})

    assert messages_of(response) == ["No ratings changed."]
    assert levels_of(viewer_person) == {"ml-ops": (3, SELF)}


# ---- The person page ----


@pytest.mark.parametrize(
    ("persona", "shown"),
    [("lead", True), ("viewer", True), ("other_lead", False), ("manager", False)],
)
def test_the_person_page_offers_rate_skills_only_to_who_may_rate(
    persona: str,
    shown: bool,
    request: pytest.FixtureRequest,
    signed_in: Callable[[User], Client],
    viewer_person: Person,
) -> None:
    html = signed_in(request.getfixturevalue(persona)).get(reverse("person_detail", args=[viewer_person.pk])).content

    assert (f'href="{ratings_url(viewer_person)}">Rate skills</a>' in html.decode()) is shown


def test_the_person_page_shows_the_latest_30_rating_changes_newest_first(
    signed_in: Callable[[User], Client], lead: User, ada: Person
) -> None:
    start = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
    SkillRatingChange.objects.bulk_create(
        SkillRatingChange(
            person=ada,
            skill=skill("statistics"),
            from_level=index % 5,
            to_level=(index + 1) % 5,
            source=LEAD,
            changed_by=lead,
            changed_at=start + dt.timedelta(days=index),
        )
        for index in range(31)
    )

    response = signed_in(lead).get(reverse("person_detail", args=[ada.pk]))
    text = page_text(response.content)

    changes = response.context["rating_changes"]
    assert len(changes) == 30
    assert [change.changed_at.date() for change in changes[:2]] == [dt.date(2026, 1, 31), dt.date(2026, 1, 30)]
    assert changes[-1].changed_at.date() == dt.date(2026, 1, 2)  # the oldest one falls off
    assert "The latest 30 changes to Ada Byrne’s ratings, newest first" in text
    assert "Statistics 0 None → to 1 Awareness Team lead lead 31 Jan 2026, 09:00" in text


def test_a_person_page_without_rating_changes_says_so(
    signed_in: Callable[[User], Client], viewer: User, viewer_person: Person
) -> None:
    text = page_text(signed_in(viewer).get(reverse("person_detail", args=[viewer_person.pk])).content)

    assert (
        "Rating changes The latest 30 changes to Vic Viewer’s ratings, newest first, with who made them. "
        "No rating changes yet." in text
    )


# ---- Queries ----


@pytest.mark.parametrize("count", [1, 3])
def test_the_rating_page_runs_the_same_queries_whatever_the_number_of_ratings(
    count: int, signed_in: Callable[[User], Client], lead: User, imaging: Team, django_assert_num_queries: Callable
) -> None:
    person = build_candidate(
        "Ada Byrne", team=imaging, ratings=dict(list({"statistics": 2, "ml-ops": 3, "reporting": 1}.items())[:count])
    )
    client = signed_in(lead)

    # session, user, the user's groups, the person with profession and team, whether the user leads
    # their team, their ratings with who rated, their profession's spectrum, the skill catalogue
    with django_assert_num_queries(8):
        response = client.get(ratings_url(person))

    assert len(levels_of(person)) == count
    assert sum(1 for row in response.context["form"].rows if row.rating) == count


@pytest.mark.parametrize("count", [1, 3])
def test_a_person_page_runs_the_same_queries_whatever_the_number_of_rating_changes(
    count: int, signed_in: Callable[[User], Client], lead: User, ada: Person, django_assert_num_queries: Callable
) -> None:
    client = signed_in(lead)
    for level in range(count):
        client.post(ratings_url(ada), {"level_statistics": str(level + 3)})

    # session, user, the user's groups, the person with profession and team, their ratings, their
    # profession's spectrum, the skill catalogue, certifications, assignments, the assignment
    # changes, the rating changes with skill and who made them, whether the user leads their team
    # (asked again for absences), the absences, the absence changes
    with django_assert_num_queries(15):
        response = client.get(reverse("person_detail", args=[ada.pk]))

    assert len(response.context["rating_changes"]) == count
