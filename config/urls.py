from django.contrib import admin
from django.urls import include, path

from config.views import favicon

urlpatterns = [
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api_router")),
    path("", include("staffing.urls")),
    path("", include("roles.urls")),
    path("", include("people.urls")),
    path("", include("projects.urls")),
]

handler400 = "config.views.bad_request"
handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
