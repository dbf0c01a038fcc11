from django.http import HttpRequest

from people.access import is_lead, is_manager


def roles(request: HttpRequest) -> dict[str, bool]:
    """What the signed-in user may do, for templates to show or hide actions."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_is_manager": False, "user_is_lead": False}
    return {"user_is_manager": is_manager(user), "user_is_lead": is_lead(user)}
