"""Who may see, change, rate and request what. Pages, forms, API permissions and selectors all ask
these functions; nothing else decides access.

Roles are Django groups: ``managers`` change projects, slots and assignments and read everyone;
``leads`` rate the people of the teams they lead, request those teams' reports and read everyone;
``integrations`` are API clients with read access to everyone. Any other signed-in user is staff
and sees their own person only. Superusers count as managers and as leads.

"Leads a team" means one thing everywhere: the user is a lead (or a superuser) and their person
is the team's named lead (``leads_team`` for one team, ``teams_led_by`` for the queryset, the
lookups ``led_by`` for queries of rows that belong to a team).
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Case, Q, QuerySet, Value, When

from people.models import Absence, AbsenceKind, Person, Team

MANAGERS = "managers"
LEADS = "leads"
INTEGRATIONS = "integrations"

# The kinds of skill-gap report, as ``staffing.models.Report.Kind`` stores them (people cannot import
# staffing, so the values are named here too).
PROJECT_REPORT = "project"
TEAM_REPORT = "team"
ORGANISATION_REPORT = "organisation"

Viewer = User | AnonymousUser  # whoever makes a request, signed in or not


def acting_user(user: Viewer) -> User:
    """The signed-in user behind a request that changes something (views check sign-in first)."""
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _in_group(user: Viewer, name: str) -> bool:
    if not isinstance(user, User):
        return False
    # Cache the user's groups on the instance so a page asking several times costs one query.
    cached: set[str] | None = getattr(user, "_spectrum_groups", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        setattr(user, "_spectrum_groups", cached)  # noqa: B010  an attribute Django's User does not declare
    return name in cached


# --- Roles ---------------------------------------------------------------------------------------


def is_manager(user: Viewer) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or _in_group(user, MANAGERS)))


def is_lead(user: Viewer) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or _in_group(user, LEADS)))


def reads_everyone(user: Viewer) -> bool:
    """Managers, leads, integration clients and superusers read every person."""
    return is_manager(user) or is_lead(user) or _in_group(user, INTEGRATIONS)


# --- Leading a team ------------------------------------------------------------------------------


def led_by(user: Viewer, *, prefix: str = "") -> Q:
    """A lookup for rows whose team ``user`` leads: ``prefix`` is the path to the team (``"team__"``
    for a report, ``""`` for a team itself). Matches nothing for someone who is not a lead."""
    if not is_lead(user):
        return Q(pk__in=[])
    return Q(**{f"{prefix}lead__user": user.pk})


def teams_led_by(user: Viewer) -> QuerySet[Team]:
    """The teams ``user`` leads, by name (none for anyone who is not a lead)."""
    return Team.objects.filter(led_by(user)).order_by("name")


def leads_team(user: Viewer, team_id: int | None) -> bool:
    """Whether ``user`` leads the team ``team_id`` (one query; False for no team)."""
    if team_id is None or not is_lead(user):
        return False
    return teams_led_by(user).filter(pk=team_id).exists()


# --- People --------------------------------------------------------------------------------------


def visible_people(user: Viewer, people: QuerySet[Person] | None = None) -> QuerySet[Person]:
    """The people ``user`` may see: everyone for managers, leads and integrations, else only themselves."""
    people = Person.objects.all() if people is None else people
    if not user.is_authenticated:
        return people.none()
    if reads_everyone(user):
        return people
    return people.filter(user=user)


def may_rate(user: Viewer, person: Person) -> bool:
    """A lead rates the people of the teams they lead; anyone rates themselves; superusers anyone."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or person.user_id == user.pk:
        return True
    return leads_team(user, person.team_id)


def may_change_people(user: Viewer) -> bool:
    """Managers create people, change their profession, team and capacity."""
    return is_manager(user)


def may_change_teams(user: Viewer) -> bool:
    """Managers create teams and name their leads."""
    return is_manager(user)


def may_change_closures(user: Viewer) -> bool:
    """Managers add and remove the organisation's closures (its holidays beyond the region's)."""
    return is_manager(user)


# --- Projects and staffing -----------------------------------------------------------------------


def may_change_projects(user: Viewer) -> bool:
    """Managers create projects and change them, their slots and assignments; everyone signed in reads them."""
    return is_manager(user)


def may_see_candidates(user: Viewer) -> bool:
    """Managers, leads and integrations see who could fill a slot (they read everyone)."""
    return reads_everyone(user)


def may_suggest_team(user: Viewer) -> bool:
    """Managers ask for a suggested team."""
    return is_manager(user)


# --- Reports -------------------------------------------------------------------------------------


def may_request_report(user: Viewer, kind: str, team_id: int | None = None) -> bool:
    """Managers may request any report; leads team reports only for the teams they lead, and the
    organisation report; other staff may request project reports but neither team reports nor the
    organisation report. ``kind`` is a ``Report.Kind`` value."""
    if not user.is_authenticated:
        return False
    if is_manager(user):
        return True
    if kind == TEAM_REPORT:
        return leads_team(user, team_id)
    if kind == ORGANISATION_REPORT:
        return is_lead(user)
    return kind == PROJECT_REPORT


def sees_every_report(user: Viewer) -> bool:
    """Managers see every report."""
    return is_manager(user)


def visible_reports_lookup(user: Viewer) -> Q:
    """The reports ``user`` sees, besides every report for a manager (``sees_every_report``): the ones
    they requested; for a lead also the team reports of the teams they lead and every organisation
    report (they may request one themselves, and the nightly one has no requester). Anyone else sees
    only the project reports they requested: a team or organisation report they requested while a
    manager or lead is made of ratings they no longer read."""
    seen = Q(requested_by=user.pk)
    if is_lead(user):
        return seen | (Q(kind=TEAM_REPORT) & led_by(user, prefix="team__")) | Q(kind=ORGANISATION_REPORT)
    return seen & Q(kind=PROJECT_REPORT)


# --- Absences ------------------------------------------------------------------------------------


def may_record_absence(user: Viewer, person: Person) -> bool:
    """A person records and changes their own absences, a lead their team's people's, a manager anyone's."""
    if not user.is_authenticated:
        return False
    if is_manager(user) or person.user_id == user.pk:
        return True
    return leads_team(user, person.team_id)


def _absence_details_lookup(user: Viewer) -> Q:
    """The absences whose details ``user`` reads besides a manager: their own and their team's people's."""
    return Q(person__user=user.pk) | led_by(user, prefix="person__team__")


def visible_absences(user: Viewer, absences: QuerySet[Absence] | None = None) -> QuerySet[Absence]:
    """The absences ``user`` may see, as ``visible_people`` sees their people, each annotated with
    ``details_visible``: whether ``user`` may read its kind and note as recorded (``absence_as_seen``)."""
    absences = Absence.objects.all() if absences is None else absences
    if not user.is_authenticated:
        return absences.none()
    if is_manager(user):
        return absences.annotate(details_visible=Value(True, output_field=BooleanField()))
    if not reads_everyone(user):
        absences = absences.filter(person__user=user)
    return absences.annotate(
        details_visible=Case(
            When(_absence_details_lookup(user), then=Value(True)), default=Value(False), output_field=BooleanField()
        )
    )


def absence_as_seen(absence: Absence) -> tuple[str, str]:
    """The kind and note of an absence read through ``visible_absences``, as its reader may see them.

    Sickness is health information: the person, the lead of their team and managers see the kind and
    note as recorded. Anyone else who reads everyone (other leads, integration clients) sees the dates
    and the fraction, which is what planning needs, but a sickness reads as ``other`` and every note is
    withheld (empty), as a note may say why. Staff see only their own absences.
    """
    if getattr(absence, "details_visible", False):
        return absence.kind, absence.note
    kind = AbsenceKind.OTHER if absence.kind == AbsenceKind.SICKNESS else absence.kind
    return kind, ""
