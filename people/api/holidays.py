"""``GET holidays/`` (the organisation's holidays of a year) and managers' closures: ``POST holidays/``,
``DELETE holidays/{date}/``. The rules live in ``people.calendar``."""

from datetime import date

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from people.access import acting_user, may_change_closures
from people.calendar import CLOSURE, MAX_YEAR, MIN_YEAR, REGION, add_closure, holidays_between, remove_closure
from people.models import Closure


class HolidaySerializer(serializers.Serializer):
    date = serializers.DateField(read_only=True)
    name = serializers.CharField(read_only=True)
    # The metaclass takes declared fields off the class, so this does not shadow ``Field.source``.
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=[REGION, CLOSURE],
        read_only=True,
        help_text="`region`: a public holiday of the region (`HOLIDAY_REGION`); `closure`: added by a manager.",
    )


class YearQuery(serializers.Serializer):
    year = serializers.IntegerField(
        min_value=MIN_YEAR,
        max_value=MAX_YEAR,
        required=False,
        help_text=f"The calendar year, {MIN_YEAR}–{MAX_YEAR}; this year when left out.",
    )


class ClosureInput(serializers.Serializer):
    date = serializers.DateField()
    name = serializers.CharField(max_length=100)


class ManagersChangeClosures(BasePermission):
    message = "Only managers add and remove closures."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return request.method in SAFE_METHODS or may_change_closures(request.user)


class HolidayListView(APIView):
    """The organisation's holidays: the region's public holidays and the closures managers add."""

    permission_classes = [IsAuthenticated, ManagersChangeClosures]

    @extend_schema(
        parameters=[YearQuery],
        responses=HolidaySerializer(many=True),
    )
    def get(self, request: Request) -> Response:
        """Every holiday of the year, by date (a plain list: a year holds a few dozen at most)."""
        query = YearQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year", timezone.localdate().year)
        holidays = holidays_between(starts_on=date(year, 1, 1), ends_on=date(year, 12, 31))
        return Response(HolidaySerializer(holidays, many=True).data)

    @extend_schema(request=ClosureInput, responses={201: HolidaySerializer})
    def post(self, request: Request) -> Response:
        """Add a closure (managers only); refused on a day that is already a closure or a public holiday."""
        serializer = ClosureInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        closure = add_closure(
            day=serializer.validated_data["date"],
            name=serializer.validated_data["name"],
            actor=acting_user(request.user),
        )
        body = HolidaySerializer({"date": closure.date, "name": closure.name, "source": CLOSURE}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ClosureDetailView(APIView):
    """One closure, by its date."""

    permission_classes = [IsAuthenticated, ManagersChangeClosures]

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, OpenApiParameter.PATH)],
        responses={204: None, 400: None, 409: None},
    )
    def delete(self, request: Request, date: str) -> Response:
        """Remove a closure (managers only); a public holiday of the region cannot be removed (409)."""
        try:
            day = serializers.DateField().to_internal_value(date)
        except ValidationError:
            raise ValidationError({"date": ["Give the date as YYYY-MM-DD."]}) from None
        try:
            remove_closure(day=day, actor=acting_user(request.user))
        except Closure.DoesNotExist as missing:
            raise NotFound(str(missing)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)
