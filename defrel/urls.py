from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "defrel curation desk"
admin.site.site_title = "defrel"
admin.site.index_title = "Curate India's defence diplomacy"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("engagements.urls")),
]
