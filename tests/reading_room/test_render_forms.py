"""The filter forms render as Django renders them: the widget markup remembered per context
(``formmarkup.WidgetMarkupRenderer``) is the same markup, for any value given."""

import pytest
from django.forms.renderers import DjangoTemplates
from django.http import QueryDict

from engagements.views.formmarkup import WidgetMarkupRenderer
from engagements.views.recordlist import RecordListView

pytestmark = pytest.mark.django_db

VIEWS = RecordListView.__subclasses__()  # every list page of the reading room
QUERIES = [
    "",
    "kind=summit&kind=visit&status=held&grouping=quad&country=US,KR&year_from=2019",
    "q=%3Cb%3E%22x%22+%26+%27y%27&year_to=abc&grouping=nope&sort=-date&engaged=on",
    "official=%3Ci%3E&publisher=A+%26+B&per_page=25",
]


def render_fields(form) -> list[str]:
    out = []
    for field in form:
        if field.widget_type == "checkboxselectmultiple":
            out += [f"{choice.tag()} {choice.choice_label}" for choice in field]
        out.append(str(field))
    return out


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.__name__)
@pytest.mark.parametrize("query", QUERIES)
def test_filter_form_markup_is_djangos(view, query):
    data = QueryDict(query)
    ours = view.filterset_class(data, queryset=view.model.objects.all())
    ours.is_valid()
    assert isinstance(ours.form.renderer, WidgetMarkupRenderer)
    first, again = render_fields(ours.form), render_fields(ours.form)

    plain = view.filterset_class(data, queryset=view.model.objects.all())
    form_class = type(plain.form)
    djangos = form_class(data, renderer=DjangoTemplates())
    djangos.is_valid()
    assert first == again == render_fields(djangos)
