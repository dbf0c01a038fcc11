from django.urls import path

from projects import views

SLOT = "projects/<int:pk>/slots/<int:slot_id>/"
ASSIGNMENT = SLOT + "assignments/<int:assignment_id>/"

urlpatterns = [
    path("projects/", views.project_list, name="project_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/phase/", views.phase_move, name="phase_move"),
    path("projects/<int:pk>/slots/new/", views.slot_create, name="slot_create"),
    path("projects/<int:pk>/slots/requirements/", views.slot_requirements, name="slot_requirements"),
    path(SLOT + "edit/", views.slot_edit, name="slot_edit"),
    path(SLOT + "close/", views.slot_close, name="slot_close"),
    path(SLOT + "assign/", views.assignment_add, name="assignment_add"),
    path(ASSIGNMENT + "change/", views.assignment_change, name="assignment_change"),
    path(ASSIGNMENT + "confirm/", views.assignment_confirm, name="assignment_confirm"),
    path(ASSIGNMENT + "release/", views.assignment_release, name="assignment_release"),
]
