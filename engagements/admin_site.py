"""The curation desk's admin site: Django's, with the index split in two sections.

Staff open a meeting, an agreement or an official; the rows entered on those records' pages
(citations, participants, status changes, aliases, marks…) have change lists too, for
review and undo, but listed among the records they hid them. The index and the navigation
sidebar show the main records first, in the order staff use them, and those rows apart.

Set as Django's default site (``default_site`` of :class:`engagements.apps.DefrelAdminConfig`),
so ``admin.site`` everywhere is this one. Outside the ``engagements.admin`` package on
purpose: Django imports it the first time ``admin.site`` is used, which is while that package
registers its model admins (from inside the package, the import would run the package again
and a second site would take the place of the first).
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse

from .intake.accept import may_intake

#: The main records of the curation desk, in the order the index lists them (model names).
MAIN_RECORDS = (
    "meeting",
    "agreement",
    "initiative",
    "official",
    "post",
    "country",
    "grouping",
    "source",
    "outcome",
    "topic",
)
#: The heading of the second section: every other engagements model.
ROWS_SECTION = "Rows entered inside a record"


class DefrelAdminSite(admin.AdminSite):
    site_header = "defrel curation desk"
    site_title = "defrel"
    index_title = "Curate India's defence diplomacy"
    #: Django's index with *New from a report* first, for those who may use it.
    index_template = "admin/engagements/intake/site_index.html"

    def index(self, request, extra_context=None):
        if may_intake(request.user):
            url = reverse("admin:engagements_source_intake", current_app=self.name)
            extra_context = {**(extra_context or {}), "intake_url": url}
        return super().index(request, extra_context)

    def get_urls(self):
        """Django's URLs, the main records' first among the models'.

        A URL is resolved by trying each model's prefix in turn, and a change list resolves
        each row's link once more (``add_preserved_filters``, when filters are kept): with
        the marks, outcomes and rows registered before the meetings, a filtered meetings
        list tried a dozen prefixes more per row. The prefixes are disjoint, so their order
        changes which pattern is tried first, never which one matches.
        """
        urls = super().get_urls()
        order = {("engagements", name): n for n, name in enumerate(MAIN_RECORDS)}
        # Each model's prefix, and its place: the main records', then the others' (a stable
        # sort keeps their order).
        place = {
            f"{opts.app_label}/{opts.model_name}/": order.get(
                (opts.app_label, opts.model_name), len(order)
            )
            for opts in (model._meta for model in self._registry)
        }
        slots = [n for n, url in enumerate(urls) if str(url.pattern) in place]
        models = sorted((urls[n] for n in slots), key=lambda url: place[str(url.pattern)])
        for slot, url in zip(slots, models, strict=True):
            urls[slot] = url
        return urls

    def get_app_list(self, request, app_label=None):
        """Main records first, then the rows entered inline, then other apps (users…)."""
        app_list = super().get_app_list(request, app_label)
        ours = [app for app in app_list if app["app_label"] == "engagements"]
        if not ours:
            return app_list
        app = ours[0]
        order = {name: place for place, name in enumerate(MAIN_RECORDS)}
        main = [m for m in app["models"] if m["object_name"].lower() in order]
        main.sort(key=lambda m: order[m["object_name"].lower()])
        rows = [m for m in app["models"] if m["object_name"].lower() not in order]
        sections = [{**app, "models": main}] if main else []
        if rows:
            sections.append({**app, "name": ROWS_SECTION, "models": rows})
        return sections + [other for other in app_list if other is not app]
