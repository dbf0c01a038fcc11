from django.contrib.auth import views as auth_views
from django.urls import path

from people import views

urlpatterns = [
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/ratings/", views.person_ratings, name="person_ratings"),
    path("people/<int:pk>/account/", views.person_account, name="person_account"),
    path("people/<int:pk>/absences/add/", views.absence_add, name="absence_add"),
    path("absences/<int:pk>/edit/", views.absence_edit, name="absence_edit"),
    path("absences/<int:pk>/delete/", views.absence_delete, name="absence_delete"),
    path("holidays/", views.holiday_list, name="holiday_list"),
    path("holidays/<str:day>/remove/", views.closure_remove, name="closure_remove"),
]
