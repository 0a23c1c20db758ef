# ruff: noqa: E501 (the reference loops below are the templates' lines, one per cell)
"""The list pages' rows, written in Python (``templatetags/list_rows.py``), are the markup
the template loops gave: same cells, links, labels and escaping.

Each page's rows are rendered here with the template loop they replaced (kept below as the
reference) and compared, byte for byte, with the page's ``<tbody>``, over the seed records
and records whose text needs escaping (``<``, ``&``, quotes).
"""

import pytest
from django.template import engines

from engagements.models import (
    Agreement,
    Country,
    Grouping,
    Initiative,
    Meeting,
    Official,
    Post,
    Source,
)

pytestmark = pytest.mark.django_db

NASTY = "<i>\"Q\" & 'A'</i>"

# The {% for %} loops of the list templates before the rows were written in Python.
REFERENCE = {
    "meeting": """\
  <tbody>
  {% for m in rows %}
  <tr>
    <td class="date" data-label="Date">{{ m.dates|as_time }}</td>
    <th scope="row"><a href="{{ m|permalink }}">{{ m.title }}</a>{{ m|meeting_status }}<span class="sub">{{ m.get_kind_display }}{% if m.grouping %} · {{ m.grouping.short_name }}{% endif %}</span></th>
    <td data-label="Where">{% if m.city %}{{ m.city }}{% if m.country %}, {% endif %}{% endif %}{% if m.country %}{{ m.country.name }}{% endif %}</td>
    <td data-label="Partners">{% for c in m.countries.all|partners %}<a href="{{ c|permalink }}">{{ c.name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</td>
    <td data-label="Who attended">{% for p in m.participations.all %}<a href="{{ p.official|permalink }}">{{ p.official.name }}</a>{% if not forloop.last %}; {% endif %}{% empty %}<span class="muted">—</span>{% endfor %}</td>
    <td class="cites" data-label="Sources">{{ m.citations.all|cite_links }}</td>
  </tr>
  {% endfor %}
  </tbody>""",
    "agreement": """\
  <tbody>
  {% for a in rows %}
  <tr>
    <th scope="row"><a href="{{ a|permalink }}">{{ a.title }}</a>{% if a.short_name %} (<abbr title="{{ a.title }}">{{ a.short_name }}</abbr>){% endif %}<span class="sub">{{ a.get_kind_display }}</span></th>
    <td data-label="Parties">{% for c in a.parties.all %}<a href="{{ c|permalink }}">{{ c.name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}{% for g in a.party_groupings.all %}{% if forloop.first %}{% if a.parties.all %}, {% endif %}{% endif %}<a href="{{ g|permalink }}">{{ g.short_name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</td>
    <td data-label="Current status">{% with s=a.latest_status %}{% if s %}<span class="status status-{{ s.status }}">{{ s.get_status_display }}</span> <span class="sub">{% if s.date %}{{ s.when }}{% else %}date unknown{% endif %}</span>{% else %}<span class="muted">not recorded</span>{% endif %}{% endwith %}</td>
    <td class="cites" data-label="Sources">{{ a.citations.all|cite_links }}</td>
  </tr>
  {% endfor %}
  </tbody>""",
    "initiative": """\
  <tbody>
  {% for i in rows %}
  <tr>
    <th scope="row"><a href="{{ i|permalink }}">{{ i.name }}</a>{% if i.short_name %} (<abbr title="{{ i.name }}">{{ i.short_name }}</abbr>){% endif %}<span class="sub">{{ i.get_kind_display }}</span></th>
    <td class="date" data-label="Since">{% if i.start_date %}{{ i.start|as_time }}{% else %}<span class="muted">—</span>{% endif %}</td>
    <td data-label="Countries and groupings">{% for g in i.groupings.all %}<a href="{{ g|permalink }}"><strong>{{ g.short_name }}</strong></a>{% if not forloop.last or i.countries.all %}, {% endif %}{% endfor %}{% for c in i.countries.all %}<a href="{{ c|permalink }}">{{ c.name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</td>
    <td class="cites" data-label="Sources">{{ i.citations.all|cite_links }}</td>
  </tr>
  {% endfor %}
  </tbody>""",
    "official": """\
  <tbody>
  {% for o in rows %}
  <tr>
    <th scope="row"><a href="{{ o|permalink }}">{{ o.name }}</a>{% if o.honorific %}<span class="sub">{{ o.honorific }}</span>{% endif %}</th>
    <td data-label="Country"><a href="{{ o.country|permalink }}">{{ o.country.name }}</a></td>
    <td data-label="Posts held">{% for t in o.tenures.all %}<a href="{{ t.post|permalink }}">{{ t.post.title }}</a> <span class="sub inline">{{ t.period }}</span>{% if not forloop.last %}<br>{% endif %}{% empty %}<span class="muted">—</span>{% endfor %}</td>
    <td class="num" data-label="Meetings"><a href="{% url 'engagements:meeting_list' %}?official={{ o.slug }}">{{ o.meeting_count|default:0 }}</a></td>
  </tr>
  {% endfor %}
  </tbody>""",
    "country": """\
  <tbody>
  {% for c in rows %}
  <tr>
    <th scope="row"><a href="{{ c|permalink }}">{{ c.name }}</a>{% if c.official_name and c.official_name != c.name %}<span class="sub">{{ c.official_name }}</span>{% endif %}</th>
    <td data-label="ISO"><code>{{ c.iso2 }}</code></td>
    <td data-label="Groupings">{% for g in c.groupings.all %}<a href="{{ g|permalink }}">{{ g.short_name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</td>
    <td class="num" data-label="Meetings">{% if c.counts.meetings %}<a href="{% url 'engagements:meeting_list' %}?country={{ c.iso2 }}">{{ c.counts.meetings }}</a>{% else %}0{% endif %}</td>
    <td class="num" data-label="Agreements">{% if c.counts.agreements %}<a href="{% url 'engagements:agreement_list' %}?country={{ c.iso2 }}">{{ c.counts.agreements }}</a>{% else %}0{% endif %}</td>
    <td class="num" data-label="Initiatives">{% if c.counts.initiatives %}<a href="{% url 'engagements:initiative_list' %}?country={{ c.iso2 }}">{{ c.counts.initiatives }}</a>{% else %}0{% endif %}</td>
  </tr>
  {% endfor %}
  </tbody>""",
    "grouping": """\
  <tbody>
  {% for g in rows %}
  <tr>
    <th scope="row"><a href="{{ g|permalink }}">{{ g.short_name }}</a><span class="sub">{{ g.name }}</span></th>
    <td data-label="Kind">{{ g.get_kind_display }}</td>
    <td data-label="Members">{% for c in g.members.all %}<a href="{{ c|permalink }}">{{ c.name }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}</td>
    <td class="num" data-label="Meetings"><a href="{% url 'engagements:meeting_list' %}?grouping={{ g.slug }}">{{ g.meeting_count|default:0 }}</a></td>
  </tr>
  {% endfor %}
  </tbody>""",
    "source": """\
  <tbody>
  {% for s in rows %}
  <tr>
    <td class="date" data-label="Published">{% if s.published_on %}{{ s.published|as_time }}{% else %}<span class="muted">undated</span>{% endif %}</td>
    <th scope="row"><a href="{{ s|permalink }}">{{ s.title }}</a>{% if s.dateline %}<span class="sub">{{ s.dateline }}</span>{% endif %}</th>
    <td data-label="Publisher">{{ s.publisher|default:"—" }}</td>
    <td data-label="Key"><code>{{ s.key }}</code></td>
  </tr>
  {% endfor %}
  </tbody>""",
}

PAGES = {
    "meeting": "/meetings/?per_page=200",
    "agreement": "/agreements/?per_page=200",
    "initiative": "/initiatives/?per_page=200",
    "official": "/officials/?per_page=200",
    "country": "/countries/",
    "grouping": "/groupings/?per_page=200",
    "source": "/sources/?per_page=200",
}


@pytest.fixture
def nasty_text():
    """Text that needs escaping in every kind of value a row shows."""
    Meeting.objects.filter(pk=Meeting.objects.order_by("pk").values("pk")[:1]).update(
        title=f"Meeting {NASTY}", city=f"City {NASTY}"
    )
    Official.objects.filter(pk=Official.objects.order_by("pk").values("pk")[:1]).update(
        name=f"Name {NASTY}", honorific=NASTY
    )
    Agreement.objects.filter(pk=Agreement.objects.order_by("pk").values("pk")[:1]).update(
        title=f"Agreement {NASTY}", short_name=NASTY
    )
    Initiative.objects.filter(pk=Initiative.objects.order_by("pk").values("pk")[:1]).update(
        name=f"Initiative {NASTY}", short_name=NASTY
    )
    Grouping.objects.filter(pk=Grouping.objects.order_by("pk").values("pk")[:1]).update(
        short_name=f"G {NASTY}", name=f"Grouping {NASTY}"
    )
    Source.objects.filter(pk=Source.objects.order_by("pk").values("pk")[:1]).update(
        title=f"Source {NASTY}", publisher=f"A publisher & a long name {NASTY}"
    )
    Source.objects.filter(pk=Source.objects.order_by("-pk").values("pk")[:1]).update(
        publisher="", dateline=NASTY
    )
    Post.objects.filter(pk=Post.objects.order_by("pk").values("pk")[:1]).update(
        title=f"Post {NASTY}"
    )
    Country.objects.filter(iso2="US").update(official_name=f"United States {NASTY}")


def reference_rows(name: str, rows) -> str:
    template = engines["django"].from_string("{% load reading_room %}" + REFERENCE[name])
    return template.render({"rows": rows})


def page_rows(body: str) -> str:
    table = body.split('<table class="records">', 1)[1]
    return "  <tbody>" + table.split("<tbody>", 1)[1].split("</tbody>", 1)[0] + "</tbody>"


@pytest.mark.parametrize("name", PAGES)
def test_rows_are_the_template_loop_markup(client, name):
    response = client.get(PAGES[name])
    rows = response.context["rows"]
    assert rows, name
    assert page_rows(response.content.decode()) == reference_rows(name, rows)


@pytest.mark.parametrize("name", PAGES)
def test_rows_escape_as_the_template_did(client, nasty_text, name):
    response = client.get(PAGES[name])
    body = response.content.decode()
    assert page_rows(body) == reference_rows(name, response.context["rows"])
    assert "<i>" not in page_rows(body)


def test_escaped_values_are_shown():
    from engagements.templatetags.list_rows import e

    assert e(NASTY) == "&lt;i&gt;&quot;Q&quot; &amp; &#x27;A&#x27;&lt;/i&gt;"
    assert e(3) == "3"


def test_admin_checkbox_column_is_djangos_markup(nasty_text):
    from django.contrib import admin
    from django.contrib.admin import ModelAdmin

    meeting_admin = admin.site._registry[Meeting]
    for meeting in Meeting.objects.order_by("pk")[:3]:
        ours = meeting_admin.action_checkbox(meeting)
        assert ours == ModelAdmin.action_checkbox(meeting_admin, meeting)


def test_admin_in_use_filters_are_djangos_markup(admin_client):
    from django.template.loader import get_template

    from engagements.admin.base import InUseListFilter

    grouping = Grouping.objects.filter(meetings__isnull=False).first()
    Grouping.objects.filter(pk=grouping.pk).update(short_name=f"G {NASTY}")
    response = admin_client.get(f"/admin/engagements/meeting/?grouping__id__exact={grouping.pk}")
    cl = response.context["cl"]
    specs = [s for s in cl.filter_specs if isinstance(s, InUseListFilter)]
    assert len(specs) == 2
    djangos = get_template("admin/filter.html")
    for spec in specs:
        context = {"title": spec.title, "choices": list(spec.choices(cl)), "spec": spec}
        ours = get_template(spec.template).render(context)
        assert ours == djangos.render(context)
        assert ours in response.content.decode()
    assert "G &lt;i&gt;" in response.content.decode()


def test_admin_countries_column_is_the_meetings_countries(admin_client):
    response = admin_client.get("/admin/engagements/meeting/")
    cl = response.context["cl"]
    meeting_admin = cl.model_admin
    for meeting in cl.result_list:
        expected = ", ".join(sorted(c.iso2 for c in meeting.countries.all()))
        assert meeting_admin.countries_list(meeting) == expected
