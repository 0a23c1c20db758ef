"""Logging in to the reading room: for researchers when the site is not public.

With ``DEFREL_PUBLIC=0`` the researcher pages need a login with view permission; researchers
(the Researchers group) have no staff status, so they cannot use the admin's login page, which
only admits staff. This one admits any active user; django-axes guards it as it does the
admin's.
"""

from __future__ import annotations

from django.contrib.auth.views import LoginView, LogoutView
from django.urls import reverse_lazy


class ReadingRoomLoginView(LoginView):
    template_name = "engagements/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": "Log in"}

    def get_default_redirect_url(self):
        return self.get_redirect_url() or reverse_lazy("engagements:overview")


class ReadingRoomLogoutView(LogoutView):
    next_page = reverse_lazy("engagements:overview")
