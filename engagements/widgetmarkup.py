"""The form renderer: Django's widget templates most forms use, written in Python.

An admin change form renders a widget template for every field of every inline row (a
meeting's page: some 1,800 templates, 400 of them the attribute list, for five participants),
most of its time. The commonest ones (``attrs``, ``input`` and the inputs that only include
it, ``select`` with its options, ``textarea``) are written here from the same widget context,
escaping as the template language does; any other template, or a context holding a value
whose rendering the templates would localize or call (numbers as labels, callables), goes
through Django's templates as before. Django's own renderer loads these templates from
``django/forms/templates`` before any app's, so an app cannot override them: the markup is
the same (``tests/reading_room/test_render_forms.py`` compares the two on every page's forms).

Set as ``FORM_RENDERER``; the reading room's filter forms use it too (``WidgetMarkupRenderer``).
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
OPTION = f"{WIDGETS}select_option.html"


class Unwritable(Exception):
    """A context this module does not write: the template renders it."""


def _text(value) -> str:
    """``{{ value }}``: a string, escaped unless safe (a lazy one as its text)."""
    if isinstance(value, str):
        return conditional_escape(value)
    if isinstance(value, Promise):
        return conditional_escape(str(value))
    raise Unwritable(type(value))  # numbers, dates: localized by the template


def _formatted(value) -> str:
    """``{{ value|stringformat:'s' }}``: ``"%s" % value``, escaped unless the value is safe."""
    if callable(value):
        raise Unwritable("callable")  # the template would call it
    try:
        text = "%s" % (str(value) if isinstance(value, tuple) else value)
    except (ValueError, TypeError):
        text = ""
    return text if isinstance(value, SafeData) else conditional_escape(text)


def _attrs(attrs: dict) -> str:
    """``attrs.html``: `` name="value"`` each, a bare name for True, nothing for False."""
    if "items" in attrs:
        raise Unwritable("items")  # the template would read attrs["items"], not the dict's
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name)}")
        if value is not True:
            out.append(f'="{_formatted(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = f' value="{_formatted(value)}"' if value != None else ""  # noqa: E711 (as {% if %})
    return (
        f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}'
        f"{_attrs(widget['attrs'])}>"
    )


def _option(option: dict) -> str:
    if option["template_name"] != OPTION:
        raise Unwritable(option["template_name"])
    return (
        f'<option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
        f"{_text(option['label'])}</option>"
    )


def _select(widget: dict) -> str:
    out = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{_text(group_name)}">')
        # An included option keeps its template's final line break.
        out.extend(f"\n  {_option(option)}\n" for option in group_choices)
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget: dict) -> str:
    value = widget["value"]
    return (
        f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{_text(value) if value else ''}</textarea>"
    )


#: The templates written here; every input template that only includes ``input.html``.
WRITERS = {
    f"{WIDGETS}input.html": _input,
    f"{WIDGETS}select.html": _select,
    f"{WIDGETS}textarea.html": _textarea,
    **{
        f"{WIDGETS}{name}.html": _input
        for name in (
            "checkbox", "color", "date", "datetime", "email", "hidden", "number",
            "password", "search", "tel", "text", "time", "url",
        )
    },
}  # fmt: skip


class PythonWidgets(DjangoTemplates):
    """Django's template renderer, writing the templates of :data:`WRITERS` in Python."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        widget = context.get("widget") if write is not None and request is None else None
        if isinstance(widget, dict):
            try:
                return write(widget)
            except (Unwritable, KeyError):
                pass
        return super().render(template_name, context, request)
