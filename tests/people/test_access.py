"""The one rule of leading a team, as every caller asks it (``people.access``)."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.contrib.auth.models import AnonymousUser, User

from people.access import (
    ORGANISATION_REPORT,
    PROJECT_REPORT,
    TEAM_REPORT,
    leads_team,
    may_rate,
    may_request_report,
    teams_led_by,
)
from people.models import Team
from staffing.models import Report
from tests.factories import PersonFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def former_lead(imaging: Team) -> User:
    """Named lead of a team but no longer in the ``leads`` group."""
    user = UserFactory(username="former")
    team = TeamFactory(name="Genomics", lead=PersonFactory(name="Fay Former", user=user, team=imaging))
    assert team.lead is not None
    return user


def test_a_lead_leads_only_the_teams_that_name_them(lead: User, outsider: User, imaging: Team) -> None:
    pathology = Team.objects.get(name="Pathology")

    assert list(teams_led_by(lead)) == [imaging]
    assert (leads_team(lead, imaging.pk), leads_team(lead, pathology.pk), leads_team(lead, None)) == (
        True,
        False,
        False,
    )


def test_without_the_leads_group_no_one_leads_a_team(
    former_lead: User, manager: User, viewer: User, imaging: Team
) -> None:
    genomics = Team.objects.get(name="Genomics")

    assert [list(teams_led_by(user)) for user in (former_lead, manager, viewer, AnonymousUser())] == [[], [], [], []]
    assert not leads_team(former_lead, genomics.pk)
    # so neither rating the team's people nor requesting its report
    assert not may_rate(former_lead, PersonFactory(team=genomics))
    assert not may_request_report(former_lead, "team", genomics.pk)


def test_rating_and_team_reports_follow_the_same_rule(lead: User, viewer: User, outsider: User, imaging: Team) -> None:
    pathology = Team.objects.get(name="Pathology")

    assert [may_rate(lead, user.person) for user in (viewer, outsider)] == [True, False]
    assert [may_request_report(lead, "team", team.pk) for team in (imaging, pathology)] == [True, False]


def test_leading_a_team_costs_one_query(
    lead: User, imaging: Team, django_assert_num_queries: Callable[[int], AbstractContextManager[object]]
) -> None:
    leads_team(lead, imaging.pk)  # caches the user's groups

    with django_assert_num_queries(1):  # the team, joined to its lead's person
        assert leads_team(lead, imaging.pk)


def test_the_report_kinds_the_access_rules_name_are_the_kinds_reports_have() -> None:
    # people may not import staffing, so the access rules spell the kinds out; they must not drift.
    assert sorted([PROJECT_REPORT, TEAM_REPORT, ORGANISATION_REPORT]) == sorted(Report.Kind.values)
