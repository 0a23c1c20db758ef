"""What every researcher page shares: read-only, and public unless DEFREL_PUBLIC=0."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt


@method_decorator(csrf_exempt, name="dispatch")
class ReadingRoomMixin:
    """GET and HEAD only: any other method gets 405 Method Not Allowed.

    The pages never write, so they are CSRF-exempt: a POST is answered with a plain 405
    rather than a CSRF failure. With ``DEFREL_PUBLIC`` off, a visitor needs a login with the
    page's model view permission (the Researchers group has them all).
    """

    http_method_names = ["get", "head"]
    model = None
    permission_model = None

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            # Before the login check: a write is refused as such, whoever asks.
            return self.http_method_not_allowed(request, *args, **kwargs)
        if not settings.DEFREL_PUBLIC:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            model = self.permission_model or self.model
            opts = model._meta
            if not request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
                raise PermissionDenied("You do not have permission to view these records.")
        return super().dispatch(request, *args, **kwargs)
