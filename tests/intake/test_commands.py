"""The intake and intake_eval commands, and running the intake again on what was entered."""

import datetime as dt
import json
import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from engagements.intake.drafting import draft_report
from engagements.models import (
    Agreement,
    AgreementStatusChange,
    Country,
    Meeting,
    MeetingCitation,
    Official,
    Participation,
    Source,
)
from tests.helpers import source_texts_dir

from . import reports

pytestmark = pytest.mark.django_db

SHARED_SEEDS = source_texts_dir()
needs_texts = pytest.mark.skipif(
    not sorted(SHARED_SEEDS.glob("*.txt")) if SHARED_SEEDS.is_dir() else True,
    reason=f"the source documents ({SHARED_SEEDS}/*.txt) are not here",
)
ITEM_KEYS = {"id", "paragraphs", "match"}


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def report_file(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(reports.CANBERRA_VISIT, encoding="utf-8")
    return path


def test_intake_json_has_the_shape_of_the_issue(report_file):
    draft = json.loads(run("intake", str(report_file), "--json"))
    assert set(draft) >= {
        "source",
        "countries",
        "groupings",
        "officials",
        "meetings",
        "agreements",
        "initiatives",
    }
    assert draft["source"] == {"date": "2023-06-23", "paragraphs": 5, "dateline": "New Delhi"}
    for kind in ("countries", "groupings", "officials", "meetings", "agreements", "initiatives"):
        for item in draft[kind]:
            assert set(item) >= ITEM_KEYS, (kind, item)
            assert item["paragraphs"] and all(isinstance(p, int) for p in item["paragraphs"])
    assert {"iso2"} <= set(draft["countries"][0])
    assert {"name", "country", "post"} <= set(draft["officials"][0])
    for meeting in draft["meetings"]:
        assert {
            "title",
            "kind",
            "dates",
            "city",
            "country",
            "status",
            "participants",
            "parent",
            "parent_relation",
            "mechanism",
            "edition",
            "countries",
        } <= set(meeting)
        assert meeting["kind"] in {
            "bilateral",
            "visit",
            "summit",
            "mechanism",
            "multilateral",
            "industry",
            "call",
            "other",
        }
        assert meeting["status"] in {"held", "scheduled", "cancelled"}
        assert re.fullmatch(r"|\d{4}(-\d\d(-\d\d)?)?(/.*)?|\[.*\]", meeting["dates"])
    for agreement in draft["agreements"]:
        assert {"title", "kind", "status", "dates", "parties"} <= set(agreement)
    for initiative in draft["initiatives"]:
        assert {"title", "kind"} <= set(initiative)
    ids = {m["id"] for m in draft["meetings"]}
    assert all(m["parent"] in ids for m in draft["meetings"] if m["parent"])


def test_intake_prints_a_summary_and_takes_a_date(report_file):
    printed = run("intake", str(report_file), "--date", "2023-06-24")
    assert printed.startswith("Report of 2023-06-24, from New Delhi: 5 paragraphs.")
    assert "Richard Marles, Deputy Prime Minister and Defence Minister (AU)" in printed
    assert "rajnath-singh" in printed  # the official matched
    assert re.search(
        r"meeting-\d: Rajnath Singh – Richard Marles talks \[bilateral, held\]", printed
    )


def test_intake_writes_nothing(report_file):
    models = [m for m in apps.get_models() if m._meta.app_label in ("engagements", "auth")]
    before = {m: m._default_manager.count() for m in models}
    with CaptureQueriesContext(connection) as queries:
        run("intake", str(report_file), "--json")
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if re.match(r"\s*(INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b", q["sql"], re.I)
    ]
    assert writes == []
    assert {m: m._default_manager.count() for m in models} == before


def test_intake_refuses_bad_input_naming_the_problem(tmp_path, report_file):
    with pytest.raises(CommandError, match="no such file"):
        run("intake", str(tmp_path / "missing.txt"))
    with pytest.raises(CommandError, match=r"--date: '23/06/2023' is not a date"):
        run("intake", str(report_file), "--date", "23/06/2023")
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n ", encoding="utf-8")
    with pytest.raises(CommandError, match="has no text"):
        run("intake", str(empty))
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\xff\xfe\x00report")
    with pytest.raises(CommandError, match="not UTF-8"):
        run("intake", str(binary))


def test_drafting_one_report_takes_less_than_two_seconds():
    import time

    draft_report(reports.TWO_PLUS_TWO)  # the libraries' data, read once per process
    started = time.perf_counter()
    draft_report(reports.CANBERRA_VISIT)
    assert time.perf_counter() - started < 2


# --- running the intake again ---------------------------------------------------------------


def test_a_second_intake_matches_the_records_entered_from_the_first():
    """What a curator accepted from a report is found again, not proposed twice."""
    text = reports.TWO_PLUS_TWO
    first = draft_report(text)
    assert all(m["match"] is None for m in first["meetings"])
    call = next(m for m in first["meetings"] if m["kind"] == "call")
    # Enter the call and BECA as a curator would have (with citations to the report).
    source = Source.objects.create(
        key="test-2022-04-12",
        title="2+2",
        summary="ours",
        published_on=dt.date(2022, 4, 12),
        text=text,
    )
    meeting = Meeting.objects.create(
        slug="2022-04-11-rajnath-singh-kamala-harris-call",
        title="Call",
        kind="call",
        start_date=dt.date(2022, 4, 11),
        country=Country.objects.get(iso2="US"),
        city="Washington",
    )
    MeetingCitation.objects.create(meeting=meeting, source=source, paragraph=4)
    harris = Official.objects.create(
        slug="kamala-harris", name="Kamala Harris", country=Country.objects.get(iso2="US")
    )
    for official in (Official.objects.get(slug="rajnath-singh"), harris):
        Participation.objects.create(meeting=meeting, official=official)
    beca = Agreement.objects.create(
        slug="india-us-beca",
        title="Basic Exchange and Cooperation Agreement",
        short_name="BECA",
        kind="agreement",
    )
    AgreementStatusChange.objects.create(
        agreement=beca, status="signed", date=dt.date(2020, 10, 1), precision="month"
    )

    second = draft_report(text)
    again = next(m for m in second["meetings"] if m["kind"] == "call")
    assert again["id"] == call["id"]
    assert again["match"] == "2022-04-11-rajnath-singh-kamala-harris-call"
    assert next(o for o in second["officials"] if o["name"] == "Kamala Harris")["match"] == (
        "kamala-harris"
    )
    assert next(a for a in second["agreements"] if a["short_name"] == "BECA")["match"] == (
        "india-us-beca"
    )
    # The other meetings of the report are still new.
    assert [m["match"] for m in second["meetings"] if m["kind"] != "call"] == [None] * (
        len(second["meetings"]) - 1
    )


@needs_texts
def test_the_seed_reports_drafted_on_the_seed_match_their_curated_records():
    for key, slugs in {
        "004_e4c198bf3751682f": {
            "2023-07-rajnath-singh-visit-to-malaysia",
            "2023-07-10-rajnath-singh-mohamad-hasan-talks",
            "2023-07-rajnath-singh-anwar-ibrahim-meeting",
            "2023-midcom-next",
        },
        "001_0889ae8c15d523ac": set(
            Meeting.objects.filter(citations__source__key="001_0889ae8c15d523ac").values_list(
                "slug", flat=True
            )
        ),
    }.items():
        text = (SHARED_SEEDS / f"{key}.txt").read_text(encoding="utf-8")
        draft = draft_report(text)
        assert {m["match"] for m in draft["meetings"]} == slugs, key
        assert all(o["match"] for o in draft["officials"]), key


# --- the evaluation -------------------------------------------------------------------------


@needs_texts
def test_intake_eval_meets_its_targets_on_the_seed():
    printed = run("intake_eval", "--source-texts", str(SHARED_SEEDS))
    rows = {
        m.group(1): (int(m.group(2)), int(m.group(3)), int(m.group(4)))
        for m in re.finditer(r"^\| (\w+) \| (\d+) \| (\d+) \| (\d+) \|", printed, re.M)
    }
    assert set(rows) == {"countries", "officials", "meetings", "agreements", "initiatives"}

    def precision(kind):
        matched, drafted, _ = rows[kind]
        return matched / drafted

    def recall(kind):
        matched, _, curated = rows[kind]
        return matched / curated

    for kind in ("countries", "officials"):
        assert recall(kind) >= 0.95 and precision(kind) >= 0.90, kind
    assert recall("meetings") >= 0.80
    assert recall("agreements") >= 0.80
    dates = re.search(r"dates and precision right: (\d+) of (\d+)", printed)
    assert int(dates.group(1)) >= 0.9 * int(dates.group(2))
    statuses = re.search(r"status right: (\d+) of (\d+)", printed)
    assert statuses.group(1) == statuses.group(2)
    assert "Items without a paragraph of their report: 0." in printed
    slowest = float(re.search(r"slowest (\d+\.\d+) s", printed).group(1))
    assert slowest < 2
    # The evaluation changes nothing.
    assert Meeting.objects.filter(slug="admm-plus-11").exists()


def test_intake_eval_needs_the_texts(tmp_path):
    with pytest.raises(CommandError, match=r"holds no \.txt file"):
        run("intake_eval", "--source-texts", str(tmp_path))
    with pytest.raises(CommandError, match="No folder of source texts"):
        run("intake_eval", "--source-texts", str(tmp_path / "missing"))
