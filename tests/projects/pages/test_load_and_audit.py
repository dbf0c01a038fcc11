"""A person's weekly load chart, and the audit trail of assignment changes on project and person pages."""

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from projects.load import Span, weekly_peaks
from projects.models import AssignmentStatus, Phase
from projects.selectors import describe_change
from projects.services import assign_person, change_assignment, release_assignment
from tests.builders import build_project_with_tasks, build_slot, page_text
from tests.factories import AssignmentFactory, PersonFactory
from ui.charts import LoadChart, fit_bar, weekly_load_chart

D = dt.date
MONDAY = D(2027, 1, 4)


def fte(text: str) -> Decimal:
    return Decimal(text)


def load_chart(
    *,
    starts_on: dt.date,
    capacity: Decimal,
    confirmed: list[Span],
    tentative: list[Span],
    weeks: int = 26,
    **size: float,
) -> LoadChart:
    """The chart of the person page: the weeks' peaks from ``projects.load``, drawn by ``weekly_load_chart``."""
    peaks = weekly_peaks(starts_on=starts_on, weeks=weeks, confirmed=confirmed, tentative=tentative)
    return weekly_load_chart(capacity=capacity, peaks=peaks, **size)


# --- The chart, as a pure function ---------------------------------------------------------------


def test_each_week_shows_its_busiest_confirmed_day_and_what_tentative_work_adds() -> None:
    chart = load_chart(
        starts_on=MONDAY,
        capacity=fte("1.00"),
        confirmed=[(D(2027, 1, 6), D(2027, 1, 20), fte("0.50")), (D(2027, 1, 13), D(2027, 1, 13), fte("0.30"))],
        tentative=[(D(2027, 1, 18), D(2027, 1, 31), fte("0.60")), (D(2027, 3, 1), D(2027, 3, 5), fte("0.20"))],
        weeks=6,
    )

    # week 1: 0.50 from Wednesday; week 2: 0.50 + 0.30 on the 13th; week 3: 0.50 until the 20th, and
    # 0.60 tentative from the 18th (1.10 on the 18th–20th); week 4: only the tentative 0.60; then nothing.
    assert [(w.starts_on, w.confirmed, w.with_tentative) for w in chart.weeks] == [
        (D(2027, 1, 4), fte("0.50"), fte("0.50")),
        (D(2027, 1, 11), fte("0.80"), fte("0.80")),
        (D(2027, 1, 18), fte("0.50"), fte("1.10")),
        (D(2027, 1, 25), fte("0.00"), fte("0.60")),
        (D(2027, 2, 1), fte("0.00"), fte("0.00")),
        (D(2027, 2, 8), fte("0.00"), fte("0.00")),
    ]
    assert [w.tentative for w in chart.weeks][:4] == [fte("0"), fte("0"), fte("0.60"), fte("0.60")]
    assert [(w.over_capacity, w.over_if_confirmed) for w in chart.weeks][:4] == [
        (False, False),
        (False, False),
        (False, True),
        (False, False),
    ]
    assert [w.starts_on for w in chart.marked_weeks] == [D(2027, 1, 18)]
    assert [w.starts_on for w in chart.at_risk_weeks] == [D(2027, 1, 18)]
    assert chart.weeks[2].status == "Over capacity if the tentative assignments are confirmed"
    assert chart.weeks[2].title == (
        "Week of 18 Jan 2027: 0.50 FTE confirmed, 1.10 FTE with tentative assignments, over capacity if confirmed."
    )
    assert chart.summary == (
        "Highest daily load in each of the 6 weeks from 4 Jan 2027, against a capacity of 1.00 FTE. "
        "Confirmed load peaks at 0.80 FTE; with tentative bookings 1.10 FTE. No week is over capacity. "
        "1 week would be over capacity if the tentative assignments were confirmed."
    )


def test_confirmed_load_above_a_lowered_capacity_is_marked_over_capacity() -> None:
    chart = load_chart(
        starts_on=MONDAY,
        capacity=fte("0.50"),
        confirmed=[(D(2027, 1, 4), D(2027, 1, 8), fte("0.80"))],
        tentative=[],
        weeks=2,
    )

    assert [(w.confirmed, w.over_capacity, w.over_if_confirmed, w.status) for w in chart.weeks] == [
        (fte("0.80"), True, False, "Over capacity"),
        (fte("0.00"), False, False, "Within capacity"),
    ]
    assert chart.summary.endswith("Confirmed load peaks at 0.80 FTE. 1 week over capacity.")
    assert [w.starts_on for w in chart.over_capacity_weeks] == [MONDAY]
    assert chart.at_risk_weeks == []


def test_the_bars_stand_on_the_axis_and_scale_to_the_highest_value() -> None:
    chart = load_chart(
        starts_on=MONDAY,
        capacity=fte("1.00"),
        confirmed=[(D(2027, 1, 4), D(2027, 1, 10), fte("0.50"))],
        tentative=[(D(2027, 1, 4), D(2027, 1, 10), fte("0.70"))],
        weeks=4,
        width=460,
        height=258,
    )

    # The plot runs from x 52 to 448 (99 a week) and from y 24 to 224 (200 high); 1.20 at the top
    # rounds up to a 1.50 axis with ticks every 0.50.
    first = chart.weeks[0]
    assert (chart.plot_left, chart.plot_right, chart.plot_top, chart.plot_bottom) == (52, 448, 24, 224)
    assert [(tick.value, tick.y) for tick in chart.ticks] == [
        (fte("0.00"), 224.0),
        (fte("0.50"), 157.3),
        (fte("1.00"), 90.7),
        (fte("1.50"), 24.0),
    ]
    assert (first.x, first.bar_width, first.centre) == (69.8, 63.4, 101.5)
    assert (first.confirmed_y, first.confirmed_height) == (157.3, 66.7)
    assert (first.tentative_y, first.tentative_height) == (64.0, 93.3)
    assert chart.capacity_y == 90.7
    assert [w.tick_label for w in chart.weeks] == ["4 Jan", "", "", ""]
    assert first.over_if_confirmed


def test_a_person_with_no_assignments_gets_an_empty_chart_on_a_one_fte_axis() -> None:
    chart = load_chart(starts_on=MONDAY, capacity=fte("0.80"), confirmed=[], tentative=[])

    assert len(chart.weeks) == 26
    assert {(w.confirmed_height, w.tentative_height) for w in chart.weeks} == {(0.0, 0.0)}
    assert chart.ticks[-1].value == fte("1.00")
    assert chart.marked_weeks == []


def test_the_fit_bar_says_what_it_shows() -> None:
    bar = fit_bar(fit=0.7143, width=64)

    assert (bar.filled_width, bar.percent, bar.label) == (45.7, 71, "Fit 71% of a perfect fit")
    assert fit_bar(fit=1.0).filled_width == 64


# --- Changes in words ----------------------------------------------------------------------------

SNAPSHOT = {"person": 1, "slot": 2, "starts_on": "2027-01-04", "ends_on": "2027-06-30", "allocation": "0.5"}


def test_changes_read_as_sentences() -> None:
    tentative = SNAPSHOT | {"status": "tentative"}
    confirmed = tentative | {"status": "confirmed", "allocation": "0.80", "ends_on": "2027-03-31"}

    assert describe_change(action="created", before=None, after=tentative) == (
        "Added as tentative at 0.50 FTE, 4 Jan 2027 to 30 Jun 2027."
    )
    assert describe_change(action="updated", before=tentative, after=confirmed) == (
        "Status tentative → confirmed; allocation 0.50 → 0.80 FTE; "
        "dates 4 Jan 2027 to 30 Jun 2027 → 4 Jan 2027 to 31 Mar 2027."
    )
    assert describe_change(action="released", before=confirmed, after=None) == (
        "Released; was confirmed at 0.80 FTE, 4 Jan 2027 to 31 Mar 2027."
    )


# --- On the pages --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_person_page_draws_the_load_with_a_table_and_marks_weeks_over_capacity(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    person = PersonFactory(name="Ada Byrne", capacity_fte=fte("1.00"))
    AssignmentFactory(person=person, starts_on=monday, ends_on=monday + dt.timedelta(days=20), allocation=fte("0.60"))
    AssignmentFactory(
        person=person,
        status=AssignmentStatus.TENTATIVE,
        starts_on=monday + dt.timedelta(days=14),
        ends_on=monday + dt.timedelta(days=30),
        allocation=fte("0.50"),
    )

    response = signed_in(manager).get(reverse("person_detail", args=[person.pk]))
    html = response.content.decode()
    text = page_text(html)

    load = response.context["load"]
    assert [(w.confirmed, w.with_tentative) for w in load.weeks[:6]] == [
        (fte("0.60"), fte("0.60")),
        (fte("0.60"), fte("0.60")),
        (fte("0.60"), fte("1.10")),
        (fte("0.00"), fte("0.50")),
        (fte("0.00"), fte("0.50")),
        (fte("0.00"), fte("0.00")),
    ]
    third = monday + dt.timedelta(days=14)
    assert '<svg class="load-chart__svg" role="img" aria-labelledby="load-title load-desc"' in html
    assert '<title id="load-title">Weekly load of Ada Byrne</title>' in html
    assert html.count('class="load-chart__mark"') == 1
    assert (
        f"Over capacity if the tentative assignments are confirmed: week of {third.day} {third:%b %Y} (1.10 FTE)."
    ) in text
    assert f"{third.day} {third:%b %Y} 0.60 1.10 Over capacity if the tentative assignments are confirmed" in text
    assert "Load over the next 26 weeks" in text


@pytest.mark.django_db
def test_someone_booked_only_tentatively_shows_that_load_in_the_chart_and_the_sentence(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    person = PersonFactory(name="Ada Byrne", capacity_fte=fte("1.00"))
    AssignmentFactory(
        person=person,
        status=AssignmentStatus.TENTATIVE,
        starts_on=monday - dt.timedelta(days=7),
        ends_on=monday + dt.timedelta(weeks=30),
        allocation=fte("1.00"),
    )

    response = signed_in(manager).get(reverse("person_detail", args=[person.pk]))
    html = response.content.decode()

    load = response.context["load"]
    assert {(w.confirmed, w.with_tentative) for w in load.weeks} == {(fte("0.00"), fte("1.00"))}
    assert "Confirmed load peaks at 0.00 FTE; with tentative bookings 1.00 FTE. No week is over capacity." in (
        page_text(html)
    )
    # Every week draws a tentative bar (and no confirmed one), which the legend names.
    assert html.count('class="load-chart__tentative"') == 26
    assert html.count('class="load-chart__confirmed"') == 0
    assert "Tentative bookings, on top of the confirmed load" in page_text(html)


@pytest.mark.django_db
def test_the_project_page_lists_assignment_changes_newest_first_in_words(
    signed_in: Callable[[User], Client], manager: User
) -> None:
    project = build_project_with_tasks(phase=Phase.DATA_UNDERSTANDING)
    slot = build_slot(project, title="Modeller")
    person = PersonFactory(name="Ada Byrne")
    assignment = assign_person(
        slot=slot,
        person=person,
        starts_on=slot.starts_on,
        ends_on=slot.ends_on,
        allocation=fte("0.50"),
        actor=manager,
    )
    change_assignment(assignment=assignment, status=AssignmentStatus.CONFIRMED, actor=manager)
    release_assignment(assignment=assignment, actor=manager)

    response = signed_in(manager).get(reverse("project_detail", args=[project.pk]))
    text = page_text(response.content)

    assert [
        (entry.change.get_action_display(), entry.role, entry.summary) for entry in response.context["changes"]
    ] == [
        ("Released", "Modeller", "Released; was confirmed at 0.50 FTE, 4 Jan 2027 to 30 Jun 2027."),
        ("Updated", "Modeller", "Status tentative → confirmed."),
        ("Created", "Modeller", "Added as tentative at 0.50 FTE, 4 Jan 2027 to 30 Jun 2027."),
    ]
    assert "manager Ada Byrne Modeller Updated Status tentative → confirmed." in text
    assert "When By Person Role Action Change" in text


@pytest.mark.django_db
def test_the_audit_trail_keeps_the_latest_twenty(signed_in: Callable[[User], Client], manager: User) -> None:
    project = build_project_with_tasks()
    slot = build_slot(project)
    assignment = assign_person(
        slot=slot, person=PersonFactory(), starts_on=slot.starts_on, ends_on=slot.ends_on, allocation=fte("0.10"),
        actor=manager,
    )  # fmt: skip
    for hundredths in range(11, 32):
        change_assignment(assignment=assignment, allocation=Decimal(hundredths) / 100, actor=manager)

    changes = signed_in(manager).get(reverse("project_detail", args=[project.pk])).context["changes"]

    assert len(changes) == 20
    assert changes[0].summary == "Allocation 0.30 → 0.31 FTE."
    assert changes[-1].summary == "Allocation 0.11 → 0.12 FTE."


@pytest.mark.django_db
def test_staff_see_only_their_own_changes_and_a_person_page_shows_theirs(
    signed_in: Callable[[User], Client], manager: User, viewer: User
) -> None:
    project = build_project_with_tasks(name="Readmission risk")
    slot = build_slot(project, title="Analyst")
    for person in (viewer.person, PersonFactory(name="Someone Else")):
        assign_person(
            slot=slot, person=person, starts_on=slot.starts_on, ends_on=slot.ends_on, allocation=fte("0.20"),
            actor=manager,
        )  # fmt: skip
    client = signed_in(viewer)

    on_project = page_text(client.get(reverse("project_detail", args=[project.pk])).content)
    on_person = page_text(client.get(reverse("person_detail", args=[viewer.person.pk])).content)

    assert "The latest 20 changes to your assignments on this project, newest first." in on_project
    assert "manager Vic Viewer Analyst Created Added as tentative at 0.20 FTE" in on_project
    assert "Someone Else" not in on_project
    assert "manager Readmission risk Analyst Created Added as tentative at 0.20 FTE" in on_person


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 3])
def test_a_person_page_stays_constant_with_the_chart_and_the_audit_trail(
    count: int, signed_in: Callable[[User], Client], manager: User, django_assert_num_queries: Callable
) -> None:
    person = PersonFactory()
    for _ in range(count):
        slot = build_slot()
        assign_person(
            slot=slot, person=person, starts_on=slot.starts_on, ends_on=slot.ends_on, allocation=fte("0.20"),
            actor=manager,
        )  # fmt: skip
    client = signed_in(manager)

    # session, user, the user's groups, the person with profession and team, their ratings,
    # their profession's spectrum, the skill catalogue, certifications, assignments (which the
    # chart reuses), the assignment changes with project, author and slot name, the rating changes,
    # the absences, the absence changes with their author
    with django_assert_num_queries(13):
        response = client.get(reverse("person_detail", args=[person.pk]))

    assert len(response.context["changes"]) == count
    assert len(response.context["load"].weeks) == 26
