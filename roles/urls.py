from django.urls import path

from roles import views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
]
