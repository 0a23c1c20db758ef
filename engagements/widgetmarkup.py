"""The form renderer: Django's widget templates most forms use, written in Python.

An admin change form renders a widget template for every field of every inline row (a
meeting's page: some 1,800 templates, 400 of them the attribute list, for five participants),
most of its time. The commonest ones (``attrs``, ``input`` and the inputs that only include
it, ``select`` with its options, ``textarea``, and the admin's wrapper of a related-record
widget with its add and change links) are written here from the same context, escaping as
the template language does; any other template, or a context holding a value whose
rendering the templates would localize or call (numbers as labels, callables), goes through
Django's templates as before. Django's renderer loads the widget templates from
``django/forms/templates`` before any app's, and the admin's from the admin app, first of
the installed apps: the markup is the same, which ``tests/curation/test_widget_markup.py``
checks against the templates on every admin page and ``test_render_forms.py`` on the
reading room's filter forms.

Set as ``FORM_RENDERER``; the reading room's filter forms use it too (``WidgetMarkupRenderer``).
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.templatetags.static import static
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData
from django.utils.translation import gettext

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


def _link(kind: str, title: str, context: dict, attributes: list[str]) -> str:
    """One link of the related-record wrapper, as ``{% spaceless %}`` leaves it: its
    attributes on the lines they are written on in the template."""
    indent = "\n" + " " * (13 if kind == "view" else 12)
    name = _text(context["name"])
    label = gettext(title) % {"model": _text(context["model"])}
    src = conditional_escape(static(f"admin/img/icon-{kind}link.svg"))
    return (
        f'<a class="related-widget-wrapper-link {kind}-related" id="{kind}_id_{name}"'
        + "".join(indent + attribute for attribute in attributes)
        + f'{indent}title="{label}"><img src="{src}" alt="" width="24" height="24"></a>'
    )


def _related_wrapper(context: dict) -> str:
    """``admin/widgets/related_widget_wrapper.html``: the widget and its add/change links."""
    limited = context["model_has_limit_choices_to"]
    if callable(limited):
        raise Unwritable("callable")
    links = ""
    if not context["is_hidden"]:
        params = _text(context["url_params"])
        popup = 'data-popup="yes"'
        parts = []
        if context["can_change_related"]:
            target = f"{_text(context['change_related_template_url'])}?{params}"
            attributes = [f'data-href-template="{target}"', popup]
            parts.append(_link("change", "Change selected %(model)s", context, attributes))
        if context["can_add_related"]:
            target = f"{_text(context['add_related_url'])}?{params}"
            attributes = [popup, f'href="{target}"']
            parts.append(_link("add", "Add another %(model)s", context, attributes))
        if context["can_delete_related"]:
            target = f"{_text(context['delete_related_template_url'])}?{params}"
            attributes = [f'data-href-template="{target}"', popup]
            parts.append(_link("delete", "Delete selected %(model)s", context, attributes))
        if context["can_view_related"]:
            target = (
                f"{_text(context['change_related_template_url'])}"
                f"?{_text(context['view_related_url_params'])}"
            )
            attributes = [f'data-href-template="{target}"']
            parts.append(_link("view", "View selected %(model)s", context, attributes))
        links = "".join(parts)
    reference = "" if limited else f'data-model-ref="{_text(context["model_name"])}"'
    return (
        f'<div class="related-widget-wrapper" {reference}>\n    '
        f"{_text(context['rendered_widget'])}\n    \n        {links}\n    \n</div>"
    )


def _widget(write):
    """A writer of a widget template, from the context's ``widget``."""
    return lambda context: write(context["widget"])


#: The templates written here, each from its context: every input template that only
#: includes ``input.html``, and the admin's wrapper of a related-record widget.
WRITERS = {
    f"{WIDGETS}input.html": _widget(_input),
    f"{WIDGETS}select.html": _widget(_select),
    f"{WIDGETS}textarea.html": _widget(_textarea),
    **{
        f"{WIDGETS}{name}.html": _widget(_input)
        for name in (
            "checkbox", "color", "date", "datetime", "email", "hidden", "number",
            "password", "search", "tel", "text", "time", "url",
        )
    },
    "admin/widgets/related_widget_wrapper.html": _related_wrapper,
}  # fmt: skip


class PythonWidgets(DjangoTemplates):
    """Django's template renderer, writing the templates of :data:`WRITERS` in Python."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name) if request is None else None
        if write is not None:
            try:
                return write(context)
            except (Unwritable, KeyError, TypeError):
                pass
        return super().render(template_name, context, request)
