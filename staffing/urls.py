from django.urls import path

from staffing import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
]
