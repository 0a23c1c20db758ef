"""Widgets written in Python (``engagements.widgetmarkup``) are Django's markup, byte for byte.

Every admin add and change page, and the reading room's list pages, render each widget both
ways here (Python and Django's templates) and the two must agree; then single widgets with
the values the templates treat specially (safe and lazy text, quotes, booleans, numbers,
option groups, callables).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from engagements.models import Meeting
from engagements.permissions import EDITORS
from engagements.widgetmarkup import WRITERS, PythonWidgets
from tests.helpers import ENGAGEMENT_ADMINS, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def compared(monkeypatch):
    """Every render of the form renderer, checked against Django's templates."""
    templates = DjangoTemplates()
    seen = {"written": set(), "differ": []}
    python = PythonWidgets.render

    def render(self, template_name, context, request=None):
        ours = python(self, template_name, context, request)
        if template_name in WRITERS:
            seen["written"].add(template_name)
            theirs = templates.render(template_name, context, request)
            if ours != theirs:
                seen["differ"].append((template_name, ours, theirs))
        return ours

    monkeypatch.setattr(PythonWidgets, "render", render)
    return seen


def test_every_admin_form_renders_as_djangos_templates(admin_client, compared):
    meeting = Meeting.objects.filter(participations__isnull=False).first()
    meeting.title = 'A "quoted" <b>title</b> & more'
    meeting.save()
    for model in ENGAGEMENT_ADMINS:
        assert admin_client.get(url(model, "add")).status_code == 200, model
        record = model._default_manager.order_by("pk").first()
        if record is not None:
            page = admin_client.get(url(model, "change", record.pk))
            assert page.status_code == 200, model
        assert admin_client.get(url(model, "changelist")).status_code == 200, model
    for page in ("/meetings/?q=%3Cb%3E", "/agreements/", "/officials/?country=US"):
        assert admin_client.get(page).status_code == 200
    assert compared["differ"] == []
    names = {name.rsplit("/", 1)[1] for name in compared["written"]}
    assert {"select.html", "text.html", "hidden.html", "textarea.html", "checkbox.html"} <= names
    assert "related_widget_wrapper.html" in names


def test_an_editors_forms_render_as_djangos_templates(login, compared):
    # Fewer rights: fewer add, change and delete links beside the related records.
    editor = login(EDITORS)
    meeting = Meeting.objects.filter(participations__isnull=False).first()
    for page in (url(Meeting, "change", meeting.pk), url(Meeting, "add")):
        assert editor.get(page).status_code == 200
    assert compared["differ"] == []
    assert any(name.endswith("related_widget_wrapper.html") for name in compared["written"])


WIDGETS = [
    (forms.TextInput(), "plain"),
    (forms.TextInput(attrs={"placeholder": 'say "hi" & <go>', "size": 12}), "<b>x</b>"),
    (forms.TextInput(attrs={"required": True, "disabled": False}), mark_safe("<i>ok</i>")),
    (forms.TextInput(attrs={"data-x": mark_safe("<safe>")}), None),
    (forms.NumberInput(), 12),
    (forms.NumberInput(), 1.5),
    (forms.DateInput(), dt.date(2024, 11, 21)),
    (forms.HiddenInput(), ("a", "b")),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.EmailInput(), "a@example.org"),
    (forms.Textarea(), 'Line one\n<line two> & "three"'),
    (forms.Textarea(), ""),
    (forms.Select(choices=[("", "---"), ("a", "A & B"), ("b", mark_safe("<em>B</em>"))]), "a"),
    (forms.Select(choices=[("x", gettext_lazy("Yes")), (3, "three")]), 3),
    (forms.Select(choices=[("Group <1>", [("a", "A"), ("b", "B")]), ("c", "C")]), "b"),
    (forms.SelectMultiple(choices=[("a", "A"), ("b", "B"), ("c", "C")]), ["a", "c"]),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_a_widget_renders_as_djangos_template(widget, value):
    ours = widget.render("field", value, {"id": "id_field"}, renderer=PythonWidgets())
    theirs = widget.render("field", value, {"id": "id_field"}, renderer=DjangoTemplates())
    assert ours == theirs


def test_values_the_template_would_localize_or_call_go_through_the_template():
    # A number as an option's label is localized by the template; a callable attribute is
    # called: both are left to Django's templates, so the markup is theirs.
    numbered = forms.Select(choices=[(1, 2024), (2, 2025)])
    called = forms.TextInput(attrs={"data-n": lambda: "called"})
    for widget, value in ((numbered, 1), (called, "v")):
        ours = widget.render("f", value, renderer=PythonWidgets())
        assert ours == widget.render("f", value, renderer=DjangoTemplates())
    assert 'data-n="called"' in called.render("f", "v", renderer=PythonWidgets())


def test_the_admin_and_the_reading_room_use_it():
    from django.forms.renderers import get_default_renderer

    from engagements.views.formmarkup import WIDGET_MARKUP

    assert isinstance(get_default_renderer(), PythonWidgets)
    assert isinstance(WIDGET_MARKUP, PythonWidgets)
