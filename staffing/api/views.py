from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from people.access import may_change_projects, reads_everyone
from projects.models import Project, RoleSlot
from roles.models import Profession
from staffing.api.serializers import CandidateQuery, CandidateSerializer, SuggestedTeamSerializer
from staffing.ranking import rank_candidates
from staffing.suggest import suggest_team


class ReadsEveryone(BasePermission):
    message = "Only managers, leads and integrations see candidates."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return reads_everyone(request.user)


class ManagersOnly(BasePermission):
    message = "Only managers ask for a suggested team."

    def has_permission(self, request: Request, view: APIView) -> bool:
        return may_change_projects(request.user)


class CandidateListView(GenericAPIView):
    """The people who could fill a slot, best first: fit, then free capacity, then name.

    People without a certification the slot requires are listed after everyone else, with the reason.
    """

    serializer_class = CandidateSerializer
    permission_classes = [IsAuthenticated, ReadsEveryone]
    queryset = RoleSlot.objects.none()  # names the path's model for the schema; the ranking is the data

    @extend_schema(parameters=[CandidateQuery], responses=CandidateSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        slot = get_object_or_404(RoleSlot, pk=pk)
        query = CandidateQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        profession = query.validated_data.get("profession")
        ranking = rank_candidates(
            slot=slot,
            available_only=query.validated_data["available_only"],
            team_id=query.validated_data.get("team"),
            profession_id=get_object_or_404(Profession, slug=profession).pk if profession else None,
        )
        page = self.paginate_queryset(ranking)
        return self.get_paginated_response(CandidateSerializer(page, many=True).data)


class SuggestTeamView(APIView):
    """The team for the project's open slots with the largest Σ fte·fit, solved exactly."""

    permission_classes = [IsAuthenticated, ManagersOnly]

    @extend_schema(request=None, responses=SuggestedTeamSerializer)
    def post(self, request: Request, pk: int) -> Response:
        team = suggest_team(project=get_object_or_404(Project, pk=pk))
        return Response(
            SuggestedTeamSerializer(
                {
                    "slots": [{"slot": s, "person": p, "fit": fit} for s, p, fit in team.assignments],
                    "objective": team.objective,
                    "greedy_objective": team.greedy_objective,
                }
            ).data
        )
