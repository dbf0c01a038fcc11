import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from people.access import acting_user, may_rate, visible_people
from people.forms import PeopleFilterForm, RatingsForm
from people.models import RatingSource
from people.selectors import RATING_HISTORY_LENGTH, list_rating_changes, rating_source_for
from people.services import set_ratings
from projects.load import weekly_peaks
from projects.models import AssignmentStatus
from projects.selectors import assignment_changes
from staffing.charts import weekly_load_chart
from staffing.selectors import (
    filter_people,
    list_assignments_of,
    list_certifications_of,
    person_ratings_by_group,
)

PAGE_SIZE = 25
LOAD_WEEKS = 26


def _wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for the results only; a history restore needs the whole page."""
    return bool(request.headers.get("HX-Request")) and not request.headers.get("HX-History-Restore-Request")


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    """The people the user may see, filtered by profession, team and skill level, 25 a page."""
    form = PeopleFilterForm(request.GET)
    form.is_valid()
    # Invalid fields drop out of cleaned_data, so the list is filtered by whatever was valid.
    filters = {name: form.cleaned_data.get(name) for name in ("profession", "team", "skill", "min_level")}
    people = filter_people(visible_people(request.user), **filters)
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    fragment = _wants_fragment(request)
    context = {"section": "people", "form": form, "page": page, "skill": filters["skill"], "fragment": fragment}
    template = "people/_person_results.html" if fragment else "people/person_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A person the user may see (404 otherwise): ratings by skill group, certifications, assignments,
    their load for the coming weeks and the latest changes to their assignments."""
    person = get_object_or_404(visible_people(request.user).select_related("profession", "team"), pk=pk)
    today = timezone.localdate()
    assignments = list(list_assignments_of(person))
    spans = {
        status: [(a.starts_on, a.ends_on, a.allocation) for a in assignments if a.status == status]
        for status in AssignmentStatus.values
    }
    peaks = weekly_peaks(
        starts_on=today - dt.timedelta(days=today.weekday()),
        weeks=LOAD_WEEKS,
        confirmed=spans[AssignmentStatus.CONFIRMED],
        tentative=spans[AssignmentStatus.TENTATIVE],
    )
    load = weekly_load_chart(capacity=person.capacity_fte, peaks=peaks)
    return render(
        request,
        "people/person_detail.html",
        {
            "section": "people",
            "person": person,
            "rating_groups": person_ratings_by_group(person),
            "certifications": list_certifications_of(person),
            "assignments": assignments,
            "load": load,
            "changes": assignment_changes(user=request.user, person=person),
            "rating_changes": list_rating_changes(person),
            "rating_changes_shown": RATING_HISTORY_LENGTH,
            "may_rate": may_rate(request.user, person),
            "today": today,
        },
    )


@login_required
def person_ratings(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate a person's skills (GET shows every skill of the catalogue, POST saves the changed levels).

    Open to whoever may rate the person: a lead of their team gives lead ratings, the person
    themselves a self-assessment. Someone who may see the person but not rate them gets a 403.
    """
    person = get_object_or_404(visible_people(request.user).select_related("profession", "team"), pk=pk)
    if not may_rate(request.user, person):
        raise PermissionDenied
    as_lead = rating_source_for(actor=request.user, person=person) == RatingSource.LEAD
    data = request.POST if request.method == "POST" else None
    form = RatingsForm(data, groups=person_ratings_by_group(person), as_lead=as_lead)
    if request.method == "POST" and form.is_valid():
        levels = form.levels_to_save()
        if not levels:
            messages.info(request, "No ratings changed.")
            return redirect("person_detail", person.pk)
        try:
            set_ratings(person=person, levels=levels, actor=acting_user(request.user))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            count = len(levels)
            messages.success(request, f"Saved {count} rating change{pluralize(count)} for {person.name}.")
            return redirect("person_detail", person.pk)
    return render(
        request,
        "people/person_ratings.html",
        {"section": "people", "person": person, "form": form, "as_lead": as_lead},
    )
