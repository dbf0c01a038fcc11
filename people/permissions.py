"""API permissions, each a thin wrapper over ``people.access``, where every access rule lives."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from people.access import (
    may_change_people,
    may_change_projects,
    may_change_teams,
    may_rate,
    may_record_absence,
    may_see_candidates,
    may_suggest_team,
)
from people.models import Absence, Person


class ManagersChangePeople(BasePermission):
    """Reading is for whoever may see the person; creating and changing people is for managers.

    The check on a change waits for the person to be found, so someone who may not see them gets a 404.
    """

    message = "Only managers create and change people."

    def has_permission(self, request: Request, view: APIView) -> bool:
        if request.method in SAFE_METHODS or getattr(view, "detail", False):
            return True
        return may_change_people(request.user)

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return request.method in SAFE_METHODS or may_change_people(request.user)


class MayRate(BasePermission):
    """The person themselves, a lead of their team, or a superuser."""

    message = "You may rate only yourself and the people of the teams you lead."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        return isinstance(obj, Person) and may_rate(request.user, obj)


class ManagersChangeTeams(BasePermission):
    message = "Only managers create teams."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS or may_change_teams(request.user)


class ManagersChangeProjects(BasePermission):
    message = "Only managers create and change projects."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS or may_change_projects(request.user)


class MaySeeCandidates(BasePermission):
    message = "Only managers, leads and integrations see candidates."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return may_see_candidates(request.user)


class MaySuggestTeam(BasePermission):
    message = "Only managers ask for a suggested team."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return may_suggest_team(request.user)


class MayRecordAbsence(BasePermission):
    """Changing or deleting an absence: the person themselves, a lead of their team or a manager."""

    message = "You may record and change only your own absences, your team's people's, or, as a manager, anyone's."

    def has_object_permission(self, request: Request, view: APIView, obj: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return isinstance(obj, Absence) and may_record_absence(request.user, obj.person)
