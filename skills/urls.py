from django.urls import path

from skills import views

urlpatterns = [
    path("catalogue/", views.catalogue, name="catalogue"),
]
