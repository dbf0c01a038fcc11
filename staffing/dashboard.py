"""What the dashboard reads for a team lead: each team they lead, its people, whose ratings are due for
review, certifications about to expire, and the largest gaps of its latest team report."""

import datetime as dt
from dataclasses import dataclass

from people.access import Viewer, teams_led_by
from people.models import Certification, Person, Team
from people.selectors import ReviewDue, certifications_expiring, ratings_due_for_review
from staffing.models import Report
from staffing.report_selectors import TeamGap, latest_team_reports, team_headline


@dataclass(frozen=True)
class TeamOverview:
    """One team a lead leads, as "My team" on the dashboard shows it."""

    team: Team
    members: list[Person]
    reviews: list[ReviewDue]
    expiring: list[Certification]
    report: Report | None
    gaps: list[TeamGap]
    flagged: list[TeamGap]


def my_teams(*, user: Viewer, today: dt.date) -> list[TeamOverview]:
    """The teams ``user`` leads, by name (none for anyone who leads none; seven queries for a lead,
    whatever the number of teams and members)."""
    teams = list(teams_led_by(user))
    if not teams:
        return []
    members = list(Person.objects.filter(team__in=teams).select_related("profession", "user").order_by("name", "id"))
    reviews = ratings_due_for_review(people=members, today=today)
    expiring = certifications_expiring(people=members, today=today)
    reports = latest_team_reports(user=user, teams=teams)
    overviews = []
    for team in teams:
        report = reports.get(team.pk)
        gaps, flagged = team_headline(report=report)
        overviews.append(
            TeamOverview(
                team=team,
                members=[p for p in members if p.team_id == team.pk],
                reviews=[r for r in reviews if r.person.team_id == team.pk],
                expiring=[c for c in expiring if c.person.team_id == team.pk],
                report=report,
                gaps=gaps,
                flagged=flagged,
            )
        )
    return overviews
