from django.contrib import admin
from django.urls import include, path

from engagements.api.site import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("engagements.urls")),
]

# A database outage is a 503 with Retry-After; other failures keep the 500 page.
handler500 = "defrel.outage.server_error"
