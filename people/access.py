"""Who may see and change what. Pages and the API both ask these functions.

Roles are Django groups: ``managers`` change projects, slots and assignments and read everyone;
``leads`` rate the people of the teams they lead and read everyone; ``integrations`` are API clients
with read access to everyone. Any other signed-in user is staff and sees their own person only.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from people.models import Person

MANAGERS = "managers"
LEADS = "leads"
INTEGRATIONS = "integrations"

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


def is_manager(user: Viewer) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or _in_group(user, MANAGERS)))


def is_lead(user: Viewer) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or _in_group(user, LEADS)))


def reads_everyone(user: Viewer) -> bool:
    """Managers, leads, integration clients and superusers read every person."""
    return is_manager(user) or is_lead(user) or _in_group(user, INTEGRATIONS)


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
    if not is_lead(user) or person.team_id is None:
        return False
    return Person.objects.filter(user=user, teams_led=person.team_id).exists()


def may_change_people(user: Viewer) -> bool:
    """Managers create people, change their profession, team and capacity."""
    return is_manager(user)


def may_change_teams(user: Viewer) -> bool:
    """Managers create teams and name their leads."""
    return is_manager(user)


def may_change_projects(user: Viewer) -> bool:
    """Managers create projects and change them; everyone signed in reads them."""
    return is_manager(user)
