"""Researcher pages (read-only). Detail routes are named ``<model>_detail``."""

from django.urls import path

from . import views
from .views.about import AboutView
from .views.accounts import ReadingRoomLoginView, ReadingRoomLogoutView
from .views.codebook import CodebookView
from .views.panels import CountryYearPanelView
from .views.releases import ReleaseFileView, ReleaseListView

app_name = "engagements"

urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("login/", ReadingRoomLoginView.as_view(), name="login"),
    path("logout/", ReadingRoomLogoutView.as_view(), name="logout"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting_list"),
    path("meetings/<slug:slug>/", views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("outcomes/", views.OutcomeListView.as_view(), name="outcome_list"),
    path("agreements/", views.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/<slug:slug>/", views.AgreementDetailView.as_view(), name="agreement_detail"),
    path("initiatives/", views.InitiativeListView.as_view(), name="initiative_list"),
    path(
        "initiatives/<slug:slug>/", views.InitiativeDetailView.as_view(), name="initiative_detail"
    ),
    path("officials/", views.OfficialListView.as_view(), name="official_list"),
    path("officials/<slug:slug>/", views.OfficialDetailView.as_view(), name="official_detail"),
    path("posts/", views.PostListView.as_view(), name="post_list"),
    path("posts/<slug:slug>/", views.PostDetailView.as_view(), name="post_detail"),
    path("countries/", views.CountryListView.as_view(), name="country_list"),
    path("countries/<str:iso2>/", views.CountryDetailView.as_view(), name="country_detail"),
    path("groupings/", views.GroupingListView.as_view(), name="grouping_list"),
    path("groupings/<slug:slug>/", views.GroupingDetailView.as_view(), name="grouping_detail"),
    path("sources/", views.SourceListView.as_view(), name="source_list"),
    path("sources/<str:key>/", views.SourceDetailView.as_view(), name="source_detail"),
    path("panels/country-year/", CountryYearPanelView.as_view(), name="panel_country_year"),
    path("about/", AboutView.as_view(), name="about"),
    path("codebook/", CodebookView.as_view(), name="codebook"),
    path("releases/", ReleaseListView.as_view(), name="releases"),
    path(
        "releases/<str:version>/<path:name>",
        ReleaseFileView.as_view(),
        name="release_file",
    ),
]
