"""The managers' staffing pages: who may open them, phase moves, the slot page and its ranked candidates."""

import datetime as dt
import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from people.models import Person, RatingSource
from projects.models import Assignment, AssignmentStatus, Phase, PhaseTransition, Project, RoleSlot
from projects.services import advance_phase, assign_person
from tests.builders import build_candidate, build_project_with_tasks, build_slot, messages_of, page_text
from tests.factories import AssignmentFactory, CertificationFactory, PersonFactory, TeamFactory, certification_type

pytestmark = pytest.mark.django_db


@pytest.fixture
def project() -> Project:
    return build_project_with_tasks(phase=Phase.DATA_UNDERSTANDING)


@pytest.fixture
def slot(project: Project) -> RoleSlot:
    return build_slot(project, title="Modeller", requirements={"statistics": 4, "ml-modelling": 3})


@pytest.fixture
def ada(slot: RoleSlot) -> Person:
    """A candidate short of the slot in statistics, with a tentative assignment on it."""
    person = build_candidate("Ada Byrne", ratings={"statistics": 2, "ml-modelling": 3}, rated_days_ago=92)
    AssignmentFactory(slot=slot, person=person, status=AssignmentStatus.TENTATIVE, allocation=Decimal("0.50"))
    return person


def staffing_urls(project: Project, slot: RoleSlot, assignment: Assignment) -> dict[str, str]:
    """Every page of the staffing flow that answers a GET."""
    ids = [project.pk, slot.pk]
    return {
        "phase move": reverse("phase_move", args=[project.pk]),
        "suggestion": reverse("team_suggestion", args=[project.pk]),
        "new slot": reverse("slot_create", args=[project.pk]),
        "requirements": reverse("slot_requirements", args=[project.pk]) + "?profession=data-engineer",
        "slot": reverse("slot_detail", args=ids),
        "edit slot": reverse("slot_edit", args=ids),
        "close slot": reverse("slot_close", args=ids),
        "assign": reverse("assignment_add", args=ids) + f"?person={assignment.person_id}",
        "change": reverse("assignment_change", args=[*ids, assignment.pk]),
        "release": reverse("assignment_release", args=[*ids, assignment.pk]),
    }


def action_urls(project: Project, slot: RoleSlot, assignment: Assignment) -> list[str]:
    """Every address that changes something when posted to."""
    ids = [project.pk, slot.pk]
    return [
        reverse("phase_move", args=[project.pk]),
        reverse("team_suggestion", args=[project.pk]),
        reverse("team_apply", args=[project.pk]),
        reverse("slot_create", args=[project.pk]),
        reverse("slot_edit", args=ids),
        reverse("slot_close", args=ids),
        reverse("assignment_add", args=ids),
        reverse("assignment_change", args=[*ids, assignment.pk]),
        reverse("assignment_confirm", args=[*ids, assignment.pk]),
        reverse("assignment_release", args=[*ids, assignment.pk]),
    ]


# --- Who may open what ---------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in(client: Client, project: Project, slot: RoleSlot, ada: Person) -> None:
    assignment = Assignment.objects.get(person=ada)
    for url in [*staffing_urls(project, slot, assignment).values(), *action_urls(project, slot, assignment)]:
        response = client.get(url)

        assert response.status_code == 302, url
        assert response.url.startswith(f"{reverse('login')}?next="), url


def test_a_manager_opens_every_staffing_page_with_one_h1(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot, ada: Person
) -> None:
    client = signed_in(manager)

    for name, url in staffing_urls(project, slot, Assignment.objects.get(person=ada)).items():
        response = client.get(url)
        html = response.content.decode()

        assert response.status_code == 200, name
        if name != "requirements":  # an htmx fragment, not a page
            assert len(re.findall(r"<h1[ >]", html)) == 1, name
            assert re.search(r"<title>[^<]+ · Spectrum</title>", html), name


@pytest.mark.parametrize("persona", ["lead", "viewer"])
def test_only_managers_open_the_pages_that_change_things(
    persona: str, request: pytest.FixtureRequest, signed_in: Callable[[User], Client], ada: Person
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    assignment = Assignment.objects.select_related("slot__project").get(person=ada)

    for name, url in staffing_urls(assignment.slot.project, assignment.slot, assignment).items():
        if name == "slot":
            continue
        response = client.get(url)

        assert response.status_code == 403, name
        assert "<h1>Not allowed</h1>" in response.content.decode(), name


@pytest.mark.parametrize("persona", ["lead", "viewer"])
def test_nothing_changes_when_someone_but_a_manager_posts(
    persona: str, request: pytest.FixtureRequest, signed_in: Callable[[User], Client], ada: Person
) -> None:
    client = signed_in(request.getfixturevalue(persona))
    assignment = Assignment.objects.select_related("slot__project").get(person=ada)
    slot, project = assignment.slot, assignment.slot.project
    fields = {
        "to": Phase.IMPLEMENTATION,
        "note": "Moving on",
        "person": ada.pk,
        "starts_on": "2027-01-04",
        "ends_on": "2027-06-30",
        "allocation": "0.50",
        "status": "confirmed",
        "pick": f"{slot.pk}:{ada.pk}",
    }

    for url in action_urls(project, slot, assignment):
        assert client.post(url, fields).status_code == 403, url

    project.refresh_from_db()
    assignment.refresh_from_db()
    assert project.phase == Phase.DATA_UNDERSTANDING
    assert list(Assignment.objects.values_list("person__name", "status")) == [("Ada Byrne", "tentative")]
    assert RoleSlot.objects.get().closed_at is None


def test_a_lead_reads_the_slot_page_without_any_action(
    signed_in: Callable[[User], Client], lead: User, project: Project, slot: RoleSlot, ada: Person
) -> None:
    response = signed_in(lead).get(reverse("slot_detail", args=[project.pk, slot.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert [row.candidate.name for row, *_ in response.context["rows"]] == ["Ada Byrne", "Lena Lead"]
    assert re.findall(r'<form method="post" action="([^"]+)"', html) == ["/accounts/logout/"]
    assert "Propose" not in html
    assert "Edit the slot" not in html


def test_a_viewer_reads_the_slot_as_the_api_shows_it_but_not_its_candidates(
    signed_in: Callable[[User], Client], viewer: User, project: Project, slot: RoleSlot, ada: Person
) -> None:
    # Staff read projects and their slots (GET slots/{id}/ answers them too); candidates are for
    # managers and leads, and other people's assignments show as a count, as on the project page.
    AssignmentFactory(slot=slot, person=viewer.person, allocation=Decimal("0.25"))
    client = signed_in(viewer)
    url = reverse("slot_detail", args=[project.pk, slot.pk])

    response = client.get(url)
    text = page_text(response.content)
    fragment = client.get(url + "?available_only=on", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert "Requirements" in text
    assert "Vic Viewer" in text
    assert "and 1 other person" in text
    assert "Ada Byrne" not in text
    assert "Candidates" not in text
    assert "Lena Lead" not in text
    assert fragment.status_code == 403
    assert "Ada Byrne" not in fragment.content.decode()


def test_a_slot_of_another_project_and_missing_rows_are_not_found(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot, ada: Person
) -> None:
    client = signed_in(manager)
    other = build_project_with_tasks(name="Another project")
    assignment = Assignment.objects.get(person=ada)

    assert client.get(reverse("slot_detail", args=[other.pk, slot.pk])).status_code == 404
    assert client.get(reverse("slot_edit", args=[project.pk, 999999])).status_code == 404
    assert client.get(reverse("phase_move", args=[999999])).status_code == 404
    assert client.get(reverse("assignment_change", args=[other.pk, slot.pk, assignment.pk])).status_code == 404
    other_slot = build_slot(other)
    assert client.get(reverse("assignment_release", args=[other.pk, other_slot.pk, assignment.pk])).status_code == 404
    assert client.get(reverse("assignment_add", args=[project.pk, slot.pk]) + "?person=nobody").status_code == 404


@pytest.mark.usefixtures("lead", "viewer")
def test_the_project_page_shows_actions_to_managers_only(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot
) -> None:
    url = reverse("project_detail", args=[project.pk])
    as_manager = signed_in(manager).get(url).content.decode()
    as_lead = signed_in(User.objects.get(username="lead")).get(url).content.decode()
    as_viewer = signed_in(User.objects.get(username="viewer")).get(url).content.decode()

    assert f'href="/projects/{project.pk}/phase/?to=implementation">Move to implementation</a>' in as_manager
    assert "Move back to an earlier phase" in as_manager
    assert "Add a role slot" in as_manager
    assert "Suggest a team" in as_manager
    assert f'<a href="/projects/{project.pk}/slots/{slot.pk}/edit/?from=project">Edit' in as_manager
    for html in (as_lead, as_viewer):
        assert "Move to implementation" not in html
        assert "Suggest a team" not in html
        assert "/edit/" not in html
    # Everyone who reads the project opens the slot page from the slot's name.
    assert f'<a href="/projects/{project.pk}/slots/{slot.pk}/">Modeller</a>' in as_lead
    assert f'<a href="/projects/{project.pk}/slots/{slot.pk}/">Modeller</a>' in as_viewer


# --- Phase moves ---------------------------------------------------------------------------------


def test_moving_on_asks_for_confirmation_first(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    response = signed_in(manager).get(reverse("phase_move", args=[project.pk]))
    html = response.content.decode()

    assert re.findall(r"<h1>(.*?)</h1>", html) == ["Move Chest x-ray screening to implementation?"]
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<input type="hidden" name="to" value="implementation">' in html
    assert '<label for="id_note">Note (optional)</label>' in html
    assert "Move to implementation</button>" in html
    assert Project.objects.get(pk=project.pk).phase == Phase.DATA_UNDERSTANDING


def test_a_manager_moves_a_project_on_with_a_note_and_the_history_shows_it(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    client = signed_in(manager)

    response = client.post(
        reverse("phase_move", args=[project.pk]), {"to": "implementation", "note": "Data signed off."}
    )

    assert response.url == f"{reverse('project_detail', args=[project.pk])}#phases"
    assert messages_of(response) == ["Chest x-ray screening moved to implementation."]
    project.refresh_from_db()
    assert project.phase == Phase.IMPLEMENTATION
    move = PhaseTransition.objects.get()
    assert (move.from_phase, move.to_phase, move.moved_by, move.note) == (
        "data-understanding",
        "implementation",
        manager,
        "Data signed off.",
    )
    text = page_text(client.get(reverse("project_detail", args=[project.pk])).content)
    assert f"Data understanding Implementation manager {move.moved_at.astimezone():%-d %b %Y, %H:%M}" in text
    assert "Data signed off." in text


def test_moving_back_without_a_note_is_refused_and_changes_nothing(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    response = signed_in(manager).post(
        reverse("phase_move", args=[project.pk]), {"to": "problem-understanding", "note": "  "}, follow=True
    )

    assert "Moving back to problem understanding needs a note saying why." in page_text(response.content)
    assert 'class="message message--error"' in response.content.decode()
    project.refresh_from_db()
    assert project.phase == Phase.DATA_UNDERSTANDING
    assert not PhaseTransition.objects.exists()


def test_moving_back_with_a_note_is_recorded(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    signed_in(manager).post(
        reverse("phase_move", args=[project.pk]), {"to": "problem-understanding", "note": "Scope changed."}
    )

    project.refresh_from_db()
    assert project.phase == Phase.PROBLEM_UNDERSTANDING
    assert PhaseTransition.objects.get().note == "Scope changed."


def test_skipping_a_phase_is_refused_with_the_services_message(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    response = signed_in(manager).post(reverse("phase_move", args=[project.pk]), {"to": "closed"})

    assert messages_of(response) == ["Phases cannot be skipped: move to implementation first."]
    assert Project.objects.get(pk=project.pk).phase == Phase.DATA_UNDERSTANDING


def test_a_closed_project_offers_no_next_phase_but_may_move_back(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    project = build_project_with_tasks(phase=Phase.CLOSED)
    client = signed_in(manager)

    html = client.get(reverse("project_detail", args=[project.pk])).content.decode()
    response = client.get(reverse("phase_move", args=[project.pk]))

    assert "Move to " not in page_text(html).replace("Move back", "")
    assert '<option value="implementation">Implementation</option>' in html
    assert response.url == f"{reverse('project_detail', args=[project.pk])}#phases"


# --- The slot page -------------------------------------------------------------------------------


def test_the_slot_page_shows_requirements_assignments_and_ranked_candidates(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot, ada: Person
) -> None:
    build_candidate("Cai Expert", ratings={"statistics": 5, "ml-modelling": 4}, source=RatingSource.SELF)
    response = signed_in(manager).get(reverse("slot_detail", args=[project.pk, slot.pk]))
    text = page_text(response.content)

    assert re.findall(r"<h1>(.*?)</h1>", response.content.decode()) == ["Modeller"]
    assert "Statistics 4 Advanced 1 ML modelling 3 Practitioner 1" in text
    assert "Ada Byrne 4 Jan 2027 30 Jun 2027 0.50 Tentative" in text
    assert [(row.rank, row.candidate.name, row.candidate.fit) for row, *_ in response.context["rows"]] == [
        (1, "Cai Expert", 1.0),
        (2, "Ada Byrne", 0.7143),
    ]
    assert "2 candidates, ranked by fit." in text
    assert "1 Cai Expert Data scientist · " in text
    assert "Meets every requirement" in text
    assert "2 Ada Byrne Data scientist · " in text
    assert "71% Fit 71% of a perfect fit 1.00 Yes Statistics: needs 4, rated 2 by their lead, 3 months ago" in text
    assert "ML modelling: needs 3, rated 3 by their lead, 3 months ago" in text  # under "All 2 skills"
    assert "Statistics: needs 4, self-rated 5, 0 minutes ago" in text


def test_each_candidate_row_offers_propose_and_confirm_with_the_slots_defaults(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot
) -> None:
    slot.unfilled_fte = Decimal("0.60")
    slot.save()
    bea = build_candidate("Bea Free", ratings={"statistics": 4})
    html = signed_in(manager).get(reverse("slot_detail", args=[project.pk, slot.pk])).content.decode()

    assert f'<form method="post" action="/projects/{project.pk}/slots/{slot.pk}/assign/" class="assign-form">' in html
    assert f'<input type="hidden" name="person" value="{bea.pk}">' in html
    assert 'name="status" value="tentative"' in html
    assert 'name="status" value="confirmed"' in html
    assert 'Propose<span class="visually-hidden"> Bea Free</span>' in html
    assert 'Confirm<span class="visually-hidden"> Bea Free</span>' in html
    assert f'<label for="assign-{bea.pk}-from">From</label>' in html
    assert f'id="assign-{bea.pk}-from" value="2027-01-04"' in html
    assert f'id="assign-{bea.pk}-to" value="2027-06-30"' in html
    assert f'id="assign-{bea.pk}-allocation" value="0.60"' in html


def test_a_person_already_proposed_is_marked_and_offered_confirm_of_their_proposal_not_propose_again(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot, ada: Person
) -> None:
    proposal = Assignment.objects.get(person=ada, slot=slot)

    html = signed_in(manager).get(reverse("slot_detail", args=[project.pk, slot.pk])).content.decode()

    assert f'<input type="hidden" name="person" value="{ada.pk}">' not in html
    assert 'Propose<span class="visually-hidden"> Ada Byrne</span>' not in html
    assert '<span class="badge badge--tentative">Already proposed</span> at 0.50 FTE' in html
    assert (
        f'action="/projects/{project.pk}/slots/{slot.pk}/assignments/{proposal.pk}/confirm/" class="row-actions"'
        in html
    )
    assert 'Confirm<span class="visually-hidden"> Ada Byrne’s proposal</span>' in html


def test_a_full_slot_says_that_confirming_would_over_fill_it(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot, ada: Person
) -> None:
    AssignmentFactory(slot=slot, allocation=slot.fte)  # someone confirmed for the whole slot
    slot.unfilled_fte = Decimal("0.00")
    slot.save()
    build_candidate("Bea Free", ratings={"statistics": 4})

    html = signed_in(manager).get(reverse("slot_detail", args=[project.pk, slot.pk])).content.decode()
    text = page_text(html)

    assert "This slot is full: confirming anyone more would over-fill it" in text
    assert 'Confirm anyway…<span class="visually-hidden"> Bea Free, over-filling the slot</span>' in html
    assert (
        f"Over-fills the slot if confirmed: 1.50 FTE confirmed on {project.starts_on:%-d %b %Y}, above its 1.00 FTE"
        in text
    )
    assert "Confirming over-fills the slot: 1.50 FTE on" in text  # Ada's proposal, in the ranking
    assert 'Confirm anyway…<span class="visually-hidden"> Ada Byrne</span>' in html  # her proposal's own button


def test_an_ineligible_candidate_shows_the_reason_and_comes_last(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot
) -> None:
    slot.certifications.add(certification_type("privacy-hipaa"))
    build_candidate("Zed Certified", ratings={"statistics": 1})
    uncertified = build_candidate("Amy Expert", ratings={"statistics": 5, "ml-modelling": 5})
    CertificationFactory(person=uncertified, kind=certification_type("hl7-fhir"))
    CertificationFactory(person=Person.objects.get(name="Zed Certified"))

    response = signed_in(manager).get(reverse("slot_detail", args=[project.pk, slot.pk]))
    text = page_text(response.content)

    assert [row.candidate.name for row, *_ in response.context["rows"]] == ["Zed Certified", "Amy Expert"]
    assert "No No valid Patient privacy and HIPAA training on every day of the slot" in text


def test_filters_keep_available_people_of_one_team_and_htmx_gets_the_table_alone(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot
) -> None:
    platform = TeamFactory(name="Platform")
    free = build_candidate("Free Platform", team=platform)
    busy = build_candidate("Busy Platform", team=platform)
    build_candidate("Free Elsewhere")
    AssignmentFactory(person=busy, slot=build_slot(project), allocation=Decimal("1.00"))
    client = signed_in(manager)
    url = reverse("slot_detail", args=[project.pk, slot.pk])

    everyone = client.get(url)
    filtered = client.get(url, {"available_only": "on", "team": platform.pk}, HTTP_HX_REQUEST="true")
    html = filtered.content.decode()

    assert {row.candidate.name for row, *_ in everyone.context["rows"]} == {
        "Free Platform",
        "Busy Platform",
        "Free Elsewhere",
    }
    assert [row.candidate.person_id for row, *_ in filtered.context["rows"]] == [free.pk]
    assert "<html" not in html
    assert '<p id="candidates-count" hx-swap-oob="innerHTML">' in html
    assert "1 candidate with free capacity, ranked by fit." in page_text(html)
    assert "HX-Request" in filtered["Vary"]
    page = everyone.content.decode()
    assert f'hx-get="{url}" hx-trigger="change, submit" hx-target="#candidates" hx-push-url="true"' in page
    assert '<label for="id_team">Team</label>' in page
    assert '<label class="choice" for="id_available_only">' in page


def test_candidates_come_twenty_to_a_page(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot
) -> None:
    for number in range(22):
        build_candidate(f"Person {number:02d}", ratings={"statistics": 4, "ml-modelling": 3})
    client = signed_in(manager)
    url = reverse("slot_detail", args=[project.pk, slot.pk])

    first = client.get(url)
    second = client.get(url, {"page": 2})

    assert len(first.context["rows"]) == 20
    assert [(row.rank, row.candidate.name) for row, *_ in second.context["rows"]] == [
        (21, "Person 20"),
        (22, "Person 21"),
    ]
    assert "Page 2 of 2, showing 21–22 of 22 candidates" in page_text(second.content)
    assert 'hx-target="#candidates" hx-push-url="true"' in first.content.decode()


def test_a_tentative_assignment_over_capacity_shows_a_warning_beside_it(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot, ada: Person
) -> None:
    AssignmentFactory(
        person=ada,
        slot=build_slot(project),
        starts_on=dt.date(2027, 2, 1),
        ends_on=dt.date(2027, 2, 28),
        allocation=Decimal("0.60"),
    )

    text = page_text(signed_in(manager).get(reverse("slot_detail", args=[project.pk, slot.pk])).content)

    assert (
        "Ada Byrne 4 Jan 2027 30 Jun 2027 0.50 Tentative Over capacity if confirmed: Ada Byrne would be booked "
        "at 1.10 FTE on 1 Feb 2027, above their capacity of 1.00 FTE."
    ) in text


def test_a_closed_slot_lists_no_candidates(
    signed_in: Callable[[User], Client], manager: User, project: Project, slot: RoleSlot, ada: Person
) -> None:
    RoleSlot.objects.filter(pk=slot.pk).update(closed_at=dt.datetime(2027, 1, 10, tzinfo=dt.UTC))

    response = signed_in(manager).get(reverse("slot_detail", args=[project.pk, slot.pk]))

    assert "This slot was closed on 10 Jan 2027; it takes no more candidates." in page_text(response.content)
    assert response.context["rows"] == []
    assert "Edit the slot" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_slot_page_runs_the_same_queries_whatever_the_number_of_candidates_and_assignments(
    count: int, signed_in: Callable[[User], Client], manager: User, django_assert_num_queries: Callable
) -> None:
    slot = build_slot(build_project_with_tasks())
    for number in range(count):
        person = build_candidate(f"Candidate {number}", ratings={"statistics": number + 2})
        AssignmentFactory(slot=slot, person=person, status=AssignmentStatus.TENTATIVE)
    client = signed_in(manager)

    # session, user, the user's groups; the slot with project and profession, its requirements and
    # certifications; teams and professions for the filters and the rows; the ranking: the slot's
    # requirements and certifications, people, ratings, confirmed assignments; the page's ratings
    # with source and age; the slot's assignments with person; confirmed load of those tentatively
    # assigned
    with django_assert_num_queries(16):
        response = client.get(reverse("slot_detail", args=[slot.project_id, slot.pk]))

    assert len(response.context["rows"]) == count
    assert len(response.context["assignments"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_candidates_fragment_runs_the_same_queries_whatever_the_number_of_people_on_the_slot(
    count: int, signed_in: Callable[[User], Client], manager: User, django_assert_num_queries: Callable
) -> None:
    slot = build_slot(build_project_with_tasks())
    for number in range(count):
        person = build_candidate(f"Candidate {number}", ratings={"statistics": number + 2})
        AssignmentFactory(slot=slot, person=person, status=AssignmentStatus.TENTATIVE)
    client = signed_in(manager)

    # session, user, the user's groups; the slot with project and profession, its requirements and
    # certifications; teams and professions for the filters and the rows; the slot's assignments
    # (who is already proposed); the ranking: the slot's requirements and certifications, people,
    # ratings, confirmed assignments; the page's ratings with source and age
    with django_assert_num_queries(15):
        response = client.get(reverse("slot_detail", args=[slot.project_id, slot.pk]), HTTP_HX_REQUEST="true")

    assert [held[0].status for _, _, held in response.context["rows"]] == ["tentative"] * count


@pytest.mark.parametrize("count", [1, 3])
def test_a_viewers_slot_page_runs_the_same_queries_whatever_the_number_of_assignments(
    count: int, signed_in: Callable[[User], Client], viewer: User, django_assert_num_queries: Callable
) -> None:
    slot = build_slot(build_project_with_tasks())
    AssignmentFactory(slot=slot, person=viewer.person, status=AssignmentStatus.TENTATIVE)
    for number in range(count):
        AssignmentFactory(slot=slot, person=build_candidate(f"Candidate {number}"))
    client = signed_in(viewer)

    # session, user, the user's groups; the slot with project and profession; the slot's assignments
    # with person; confirmed load of the viewer's tentative one; requirements with skill; certifications
    with django_assert_num_queries(8):
        response = client.get(reverse("slot_detail", args=[slot.project_id, slot.pk]))

    assert len(response.context["assignments"]) == 1
    assert response.context["hidden_assignments"] == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_project_page_stays_constant_with_its_history_and_audit_trail(
    count: int, signed_in: Callable[[User], Client], manager: User, django_assert_num_queries: Callable
) -> None:
    project = build_project_with_tasks(phase=Phase.PROBLEM_UNDERSTANDING)
    advance_phase(project=project, to=Phase.DATA_UNDERSTANDING, actor=manager)
    for number in range(count):
        slot = build_slot(project)
        assign_person(
            slot=slot,
            person=PersonFactory(name=f"Person {number}"),
            starts_on=slot.starts_on,
            ends_on=slot.ends_on,
            allocation=Decimal("0.50"),
            actor=manager,
        )
    client = signed_in(manager)

    # session, user, the project with its template, tasks with profession, their skills,
    # slots with profession, their assignments with person, the user's groups, the phase history,
    # the assignment changes with person, project, author and slot name
    with django_assert_num_queries(10):
        response = client.get(reverse("project_detail", args=[project.pk]))

    assert len(response.context["changes"]) == count
    assert len(response.context["history"]) == 1


def test_the_largest_three_shortfalls_show_and_the_rest_wait_under_all_skills(
    signed_in: Callable[[User], Client], manager: User, project: Project
) -> None:
    slot = build_slot(project, requirements={"statistics": 2, "research": 4, "databases": 3, "reporting": 1})
    build_candidate("Nell Novice", ratings={"research": 1})

    response = signed_in(manager).get(reverse("slot_detail", args=[project.pk, slot.pk]))
    row = response.context["rows"][0][0]
    text = page_text(response.content)

    assert [item.text.replace("\xa0", " ") for item in row.main_shortfalls] == [
        "Research: needs 4, rated 1 by their lead, 0 minutes ago",
        "Databases: needs 3, not rated",
        "Statistics: needs 2, not rated",
    ]
    assert (
        "Research: needs 4, rated 1 by their lead, 0 minutes ago Databases: needs 3, not rated "
        "Statistics: needs 2, not rated and 1 more shortfall All 4 skills for Nell Novice "
        "Statistics: needs 2, not rated Research: needs 4"
    ) in text


def test_every_form_that_posts_carries_a_csrf_token_and_a_post_without_one_is_refused(
    manager: User, project: Project, slot: RoleSlot, ada: Person
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(manager)
    pages = [
        reverse("project_detail", args=[project.pk]),
        reverse("slot_detail", args=[project.pk, slot.pk]),
        reverse("phase_move", args=[project.pk]),
        reverse("slot_create", args=[project.pk]),
        reverse("slot_close", args=[project.pk, slot.pk]),
    ]

    for url in pages:
        html = client.get(url).content.decode()
        forms = re.findall(r'<form method="post".*?</form>', html, flags=re.S)
        assert forms, url
        assert all('name="csrfmiddlewaretoken"' in form for form in forms), url

    response = client.post(reverse("phase_move", args=[project.pk]), {"to": "implementation"})
    assert response.status_code == 403
    assert Project.objects.get(pk=project.pk).phase == Phase.DATA_UNDERSTANDING
