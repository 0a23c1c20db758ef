"""*Import workbook*: meetings with their participants and citations from one ``.xlsx`` file.

The same two steps as a CSV import (upload and preview, then confirm), for a workbook of
one sheet per table (``engagements.resources.workbook``): the preview shows each sheet's
counts and rows as they will be written, or every problem by sheet, row, column and value.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..resources import RESOURCES
from ..resources.workbook import WorkbookError, import_workbook, read_workbook
from .base import PREVIEW_ROWS, PROBLEMS_SHOWN
from .importing import ImportTempStorage, import_max_bytes


class WorkbookForm(forms.Form):
    workbook = forms.FileField(
        label="Workbook (.xlsx)",
        help_text="One sheet per table, named by the table (meeting, participation, "
        "meetingcitation…), each laid out as that table's CSV file.",
    )

    def clean_workbook(self):
        upload = self.cleaned_data["workbook"]
        limit = import_max_bytes()
        if upload.size > limit:
            raise ValidationError(
                f"The file is {upload.size / 1_048_576:.1f} MB; the most the admin imports at "
                f"once is {limit / 1_048_576:.0f} MB. Use `manage.py import_workbook`."
            )
        data = upload.read()
        try:
            self.sheets = read_workbook(data)
        except WorkbookError as exc:
            raise ValidationError(str(exc)) from None
        self.data_bytes = data
        return upload


class WorkbookConfirmForm(forms.Form):
    upload = forms.CharField(widget=forms.HiddenInput)
    file_name = forms.CharField(widget=forms.HiddenInput)


def stored(name: str) -> ImportTempStorage:
    """The upload kept for *Confirm import* (with the CSV uploads, swept away alike)."""
    return ImportTempStorage(name=name, read_mode="rb")


class WorkbookImportMixin:
    """Adds *Import workbook* to a model admin (the meetings')."""

    import_export_change_list_template = "admin/engagements/workbook_change_list.html"
    workbook_template_name = "admin/engagements/import_workbook.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.workbook_view)
        return [
            path("import-workbook/", view, name="{}_{}_import_workbook".format(*info)),
            *super().get_urls(),
        ]

    def refused_sheets(self, request, names) -> list[str]:
        """The sheets the user may not import (each model's admin decides, as for its CSV)."""
        refused = []
        for name in names:
            try:
                model_admin = self.admin_site.get_model_admin(RESOURCES[name]._meta.model)
            except admin.sites.NotRegistered:
                model_admin = None
            allowed = getattr(model_admin, "has_import_permission", None)
            if allowed is None or not allowed(request):
                refused.append(name)
        return refused

    def workbook_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Import a workbook",
        }
        if request.method == "POST" and "upload" in request.POST:
            return self.workbook_confirm(request)
        form = WorkbookForm(request.POST or None, request.FILES or None)
        context["form"] = form
        if request.method == "POST" and form.is_valid():
            ImportTempStorage.sweep()
            refused = self.refused_sheets(request, form.sheets)
            if refused:
                form.add_error(
                    "workbook",
                    f"You may not import the sheets {', '.join(refused)}: remove them or ask "
                    "an Editor.",
                )
                return TemplateResponse(request, self.workbook_template_name, context)
            file_name = form.cleaned_data["workbook"].name
            outcome = import_workbook(
                form.sheets, dry_run=True, user=request.user, file_name=file_name
            )
            context.update(self.workbook_summary(outcome))
            if not outcome.problems:
                storage = ImportTempStorage(name=None)
                storage.save(form.data_bytes)
                context["confirm_form"] = WorkbookConfirmForm(
                    initial={"upload": storage.name, "file_name": file_name}
                )
        return TemplateResponse(request, self.workbook_template_name, context)

    def workbook_confirm(self, request):
        form = WorkbookConfirmForm(request.POST)
        back = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import_workbook")
        if not form.is_valid():
            return HttpResponseRedirect(back)
        storage = stored(form.cleaned_data["upload"])
        try:
            data = storage.read()
        except OSError:
            messages.error(request, "The uploaded workbook is gone: upload it again.")
            return HttpResponseRedirect(back)
        try:
            sheets = read_workbook(data)
        except WorkbookError as exc:
            messages.error(request, str(exc))
            return HttpResponseRedirect(back)
        finally:
            storage.remove()
        if self.refused_sheets(request, sheets):
            raise PermissionDenied
        outcome = import_workbook(
            sheets, user=request.user, file_name=form.cleaned_data["file_name"]
        )
        if outcome.problems:
            for problem in outcome.problems[:20]:
                messages.error(request, str(problem))
            messages.error(request, "Nothing was imported. Fix the workbook and upload it again.")
            return HttpResponseRedirect(back)
        summary = "; ".join(
            f"{s.name}: {s.result.totals['new']} new, {s.result.totals['update']} updated"
            for s in outcome.sheets
        )
        messages.success(request, f"Imported {form.cleaned_data['file_name']} ({summary}).")
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        )

    @staticmethod
    def workbook_summary(outcome) -> dict:
        sheets = []
        for sheet in outcome.sheets:
            rows = sheet.resource.preview(sheet.result)
            sheets.append(
                {
                    "name": sheet.name,
                    "totals": sheet.result.totals,
                    "total_rows": sheet.result.total_rows,
                    "preview_rows": rows[:PREVIEW_ROWS],
                    "preview_hidden": max(0, len(rows) - PREVIEW_ROWS),
                    "preview_columns": [c.column for c in rows[0]["cells"]] if rows else [],
                }
            )
        problems = outcome.problems
        return {
            "sheets": sheets,
            "total_rows": outcome.total_rows,
            "unchecked": outcome.unchecked,
            "problems": problems[:PROBLEMS_SHOWN],
            "problems_hidden": max(0, len(problems) - PROBLEMS_SHOWN),
        }
