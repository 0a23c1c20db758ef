"""*New from a report*: draft a news report's records, review them, accept them at once.

Three steps on one address (``source/intake/``), for Editors only (``may_intake``):

1. the report's text, pasted or uploaded, with its key, URL, publisher and date; defrel
   drafts it (``engagements.intake.drafting.draft_report``);
2. the review: the source's fields, then every drafted item beside its paragraphs' text,
   editable, each accepted or rejected, with the record it matches linked;
3. *Accept* writes the source and the accepted records in one transaction
   (``engagements.intake.accept``); *Discard* writes nothing.

Nothing is written before *Accept*: the text and the draft travel in a signed hidden field
(they cannot be altered on the way), not in the database or the session.
"""

from __future__ import annotations

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from ..dates import DatePrecision, DateSpan, PartialDate, PartialDateError
from ..intake.accept import (
    AgreementItem,
    InitiativeItem,
    IntakeError,
    MeetingItem,
    OfficialItem,
    Reviewed,
    SourceFields,
    accept,
    find_agreement,
    find_initiative,
    find_meeting,
    find_official,
    find_source,
    may_intake,
)
from ..intake.drafting import draft_report
from ..models import Country, Grouping, Initiative, InitiativeKind, Meeting, Official
from ..paragraphs import split_paragraphs
from .intake_forms import ITEM_FORMS, ReportForm, SourceReviewForm, listed, suggest_key

SALT = "engagements.intake.draft"
#: A draft left on the review screen longer than this must be drafted again.
DRAFT_MAX_AGE = 2 * 24 * 60 * 60
START_TEMPLATE = "admin/engagements/intake/start.html"
REVIEW_TEMPLATE = "admin/engagements/intake/review.html"


def _finders(source):
    """How each kind of drafted item finds the record it is, given the registered source."""

    def numbers(item):
        return [n for n in listed(item.get("paragraphs")) if isinstance(n, int)]

    return {
        "officials": lambda item: _one(
            find_official(item.get("name") or "", _country(item.get("country")))
        ),
        "meetings": lambda item: find_meeting(
            item.get("title"), _span(item.get("dates")), source, numbers(item)
        ),
        "agreements": lambda item: find_agreement(
            item.get("title"), source, numbers(item), item.get("kind") or ""
        ),
        "initiatives": lambda item: find_initiative(
            item.get("title"), source, numbers(item), item.get("kind") or ""
        ),
    }


def _one(found: list):
    return found[0] if len(found) == 1 else None


def _country(code) -> Country | None:
    try:
        return Country.objects.resolve(code or "")
    except Country.DoesNotExist:
        return None


def _span(text) -> DateSpan:
    try:
        return DateSpan.parse(text or "")
    except PartialDateError:
        return DateSpan(None, None, DatePrecision.UNKNOWN)


# -- the draft, signed --------------------------------------------------------------------


def sign_draft(text: str, draft: dict) -> str:
    """The hidden field that carries the report's text and its draft to the next step."""
    return signing.dumps({"text": text, "draft": draft}, salt=SALT, compress=True)


def read_draft(token: str) -> dict:
    """The text and draft of :func:`sign_draft`; ``signing.BadSignature`` when altered or
    older than :data:`DRAFT_MAX_AGE`."""
    return signing.loads(token, salt=SALT, max_age=DRAFT_MAX_AGE)


def with_matches(draft: dict, source=None) -> dict:
    """The draft with each unmatched item matched to a record defrel has by its natural key
    (name and country, title and dates, title), or as the record of its kind citing its
    paragraphs of ``source`` (the report, when registered): an intake run again shows what
    it wrote. ``matched_by`` says who found the match; no two items get one record."""
    draft = {**draft}
    for kind, find in _finders(source).items():
        items, taken = [], set()
        for item in listed(draft.get(kind)):
            if not isinstance(item, dict):
                continue
            item = {**item}
            if item.get("match"):
                item.setdefault("matched_by", "draft")
            else:
                found = find(item)
                if found is not None and found.slug not in taken:
                    item.update(match=found.slug, matched_by="defrel")
            taken.add(item.get("match"))
            items.append(item)
        draft[kind] = items
    return draft


def field_name(form, name: str) -> str:
    """A form field's name in a sentence: its label, lower case but for an acronym (URL)."""
    label = str(form.fields[name].label or name.replace("_", " "))
    return label if label.isupper() else label[:1].lower() + label[1:]


# -- the review ---------------------------------------------------------------------------


class Review:
    """The review screen's forms, bound to a POST or filled from the draft."""

    def __init__(self, text: str, draft: dict, data=None, source_initial=None):
        self.text, self.draft, self.data = text, draft, data
        self.paragraphs = split_paragraphs(text)
        count = len(self.paragraphs)
        self.source_form = SourceReviewForm(data, text=text, initial=source_initial or {})
        self.forms: dict[str, list] = {}
        for kind, form_class in ITEM_FORMS.items():
            items = [item for item in listed(draft.get(kind)) if isinstance(item, dict)]
            self.forms[kind] = [
                form_class(
                    data,
                    item=item,
                    paragraph_count=count,
                    prefix=f"{kind}-{i}",
                    ref=f"{kind[0]}{i + 1}",
                )
                for i, item in enumerate(items)
            ]
        self.problems: list[str] = []

    def accepted(self, kind: str) -> list:
        return [form for form in self.forms[kind] if not form.rejected]

    def is_valid(self) -> bool:
        valid = self.source_form.is_valid()
        for kind in self.forms:
            for form in self.accepted(kind):
                valid = form.is_valid() and valid
        if valid:
            self.resolve_references()
            valid = not any(form.errors for kind in self.forms for form in self.accepted(kind))
        self.collect_problems()
        return valid

    def collect_problems(self) -> None:
        """Every error in words, naming the item and the field."""
        forms = [("Source", self.source_form)]
        forms += [(form.label, form) for kind in self.forms for form in self.accepted(kind)]
        for label, form in forms:
            for name, errors in form.errors.items():
                where = "" if name == "__all__" else f", {field_name(form, name)}"
                self.problems += [f"{label}{where}: {e}" for e in errors]

    # References between items, typed as ids, slugs or names.
    def resolve_references(self) -> None:
        officials = {}
        for form in self.accepted("officials"):
            officials[form.ref.lower()] = form.ref
            officials.setdefault(form.cleaned_data["name"].lower(), form.ref)
            officials.setdefault(str(form.item.get("name") or "").lower(), form.ref)
        meetings = {form.ref: form for form in self.accepted("meetings")}
        initiatives = {form.ref: form for form in self.accepted("initiatives")}
        rejected = {form.ref for kind in self.forms for form in self.forms[kind] if form.rejected}
        for form in self.accepted("meetings"):
            data = form.cleaned_data
            data["participants"] = self.participants(form, officials, rejected)
            data["parent"] = self.parent(form, meetings, rejected)
            data["mechanism"] = self.mechanism(form, initiatives, rejected)
            if data.get("edition") and not (data["mechanism"] or data.get("grouping")):
                form.add_error("edition", "An edition number needs a mechanism or a grouping.")
        self.check_loops(meetings)

    def participants(self, form, officials, rejected) -> list:
        found = []
        for name in form.cleaned_data["participants"]:
            ref = officials.get(name.lower())
            if ref is not None:
                found.append(ref)
                continue
            known = list(
                Official.objects.filter(
                    Q(slug=name) | Q(name__iexact=name) | Q(aliases__name__iexact=name)
                ).distinct()[:3]
            )
            if len(known) == 1:
                found.append(known[0])
            elif known:
                listed = ", ".join(o.slug for o in known)
                form.add_error(
                    "participants", f"“{name}” names several officials ({listed}): write the slug."
                )
            else:
                why = (
                    "is an official of this draft you rejected: accept it or remove them"
                    if name in rejected or name.lower() in self.rejected_names()
                    else "is neither an official of this draft nor one defrel has: correct "
                    "the name or add the official to the draft"
                )
                form.add_error("participants", f"“{name}” {why}.")
        return found

    def rejected_names(self) -> set[str]:
        return {
            str(form.item.get("name") or "").lower()
            for form in self.forms["officials"]
            if form.rejected
        }

    def parent(self, form, meetings, rejected):
        text = form.cleaned_data["parent"].strip()
        if not text:
            return None
        if text == form.ref:
            form.add_error("parent", "A meeting cannot be its own parent.")
            return None
        if text in meetings:
            return text
        found = Meeting.objects.filter(slug=text).first()
        if found is None:
            why = (
                "is a meeting of this draft you rejected"
                if text in rejected
                else "is neither a meeting of this draft (its id) nor the slug of one defrel has"
            )
            form.add_error("parent", f"“{text}” {why}.")
        return found

    def mechanism(self, form, initiatives, rejected):
        text = form.cleaned_data["mechanism"].strip()
        if not text:
            return None
        if text in initiatives:
            if initiatives[text].cleaned_data.get("kind") != InitiativeKind.MECHANISM:
                form.add_error(
                    "mechanism", f"The initiative {text} is not of the kind standing mechanism."
                )
            return text
        found = (
            Initiative.objects.filter(kind=InitiativeKind.MECHANISM)
            .filter(Q(slug=text) | Q(name__iexact=text) | Q(short_name__iexact=text))
            .first()
        )
        if found is None:
            why = (
                "is an initiative of this draft you rejected"
                if text in rejected
                else "is neither an initiative of this draft nor a standing mechanism defrel has"
            )
            form.add_error("mechanism", f"“{text}” {why}.")
        return found

    def check_loops(self, meetings) -> None:
        for ref, form in meetings.items():
            seen, current = {ref}, form.cleaned_data.get("parent")
            while isinstance(current, str) and current in meetings:
                if current in seen:
                    form.add_error("parent", "These meetings are each other's parents.")
                    break
                seen.add(current)
                current = meetings[current].cleaned_data.get("parent")

    # What accept writes.
    def reviewed(self) -> Reviewed:
        data = self.source_form.cleaned_data
        source = SourceFields(
            key=data["key"],
            title=data["title"],
            summary=data["summary"],
            text=self.text,
            publisher=data["publisher"],
            url=data["url"],
            published=data["published"],
            dateline=data["dateline"],
        )
        reviewed = Reviewed(source)
        for form in self.accepted("officials"):
            d = form.cleaned_data
            reviewed.officials.append(
                OfficialItem(
                    ref=form.ref,
                    name=d["name"],
                    honorific=d["honorific"],
                    country=d["country"] or d["match"].country,
                    post=d["post"],
                    match=d["match"],
                    paragraphs=d["paragraphs"],
                )
            )
        for form in self.accepted("initiatives"):
            d = form.cleaned_data
            reviewed.initiatives.append(
                InitiativeItem(form.ref, d["title"], d["kind"], d["paragraphs"], d["match"])
            )
        for form in self.accepted("meetings"):
            d = form.cleaned_data
            reviewed.meetings.append(
                MeetingItem(
                    ref=form.ref,
                    title=d["title"],
                    kind=d["kind"],
                    status=d["status"],
                    dates=d["dates"],
                    city=d["city"],
                    country=d["country"],
                    countries=d["countries"],
                    participants=d["participants"],
                    parent=d["parent"],
                    parent_relation=d["parent_relation"],
                    mechanism=d["mechanism"],
                    grouping=d["grouping"],
                    edition=d["edition"],
                    match=d["match"],
                    paragraphs=d["paragraphs"],
                )
            )
        for form in self.accepted("agreements"):
            d = form.cleaned_data
            reviewed.agreements.append(
                AgreementItem(
                    ref=form.ref,
                    title=d["title"],
                    kind=d["kind"],
                    status=d["status"],
                    date=d["dates"],
                    parties=d["parties"],
                    match=d["match"],
                    paragraphs=d["paragraphs"],
                )
            )
        return reviewed

    def add_intake_error(self, error: IntakeError) -> None:
        self.problems.append(str(error))

    # What the template shows.
    def quoted(self, numbers) -> list[tuple[int, str]]:
        return [
            (n, self.paragraphs[n - 1] if 0 < n <= len(self.paragraphs) else "(no such paragraph)")
            for n in numbers
            if isinstance(n, int)
        ]

    def sections(self) -> list[dict]:
        titles = {
            "officials": "Officials",
            "meetings": "Meetings",
            "agreements": "Agreements",
            "initiatives": "Initiatives",
        }
        sections = []
        for kind, forms in self.forms.items():
            items = []
            for form in forms:
                items.append(
                    {
                        "form": form,
                        "ref": form.ref,
                        "quoted": self.quoted(listed(form.item.get("paragraphs"))),
                        "match": self.matched(form),
                        "matched_by": form.item.get("matched_by", ""),
                    }
                )
            sections.append({"kind": kind, "title": titles[kind], "items": items})
        return sections

    @staticmethod
    def matched(form):
        slug = form["match"].value()
        if not slug:
            return None
        record = form.model._default_manager.filter(slug=slug).first()
        if record is None:
            return None
        info = record._meta.app_label, record._meta.model_name
        return {
            "record": record,
            "admin_url": reverse("admin:{}_{}_change".format(*info), args=[record.pk]),
            "url": record.get_absolute_url(),
        }

    def named(self, kind: str) -> list[dict]:
        """Countries and groupings the report names: shown with their paragraphs and match."""
        rows = []
        for item in listed(self.draft.get(kind)):
            if not isinstance(item, dict):
                continue
            record = None
            if kind == "countries":
                record = Country.objects.filter(iso2=str(item.get("iso2") or "").upper()).first()
            else:
                slug = item.get("match") or item.get("slug") or ""
                record = Grouping.objects.filter(slug=slug).first() if slug else None
            rows.append(
                {
                    "item": item,
                    "name": item.get("iso2")
                    or item.get("short_name")
                    or item.get("name")
                    or item.get("id"),
                    "record": record,
                    "quoted": self.quoted(listed(item.get("paragraphs"))),
                }
            )
        return rows


# -- the views ----------------------------------------------------------------------------


def draft_date(form_date: PartialDate, draft: dict) -> PartialDate:
    """The publication date given, else the draft's (from the dateline)."""
    if form_date.date is not None:
        return form_date
    try:
        return PartialDate.parse(str((draft.get("source") or {}).get("date") or ""))
    except PartialDateError:
        return PartialDate(None, DatePrecision.UNKNOWN)


class IntakeMixin:
    """Adds *New from a report* to the sources' admin (its change list links to it)."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        view = self.admin_site.admin_view(self.intake_view)
        return [path("intake/", view, name="{}_{}_intake".format(*info)), *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        if may_intake(request.user):
            extra_context = {**(extra_context or {}), "intake_url": intake_url()}
        return super().changelist_view(request, extra_context)

    def intake_context(self, request, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "New from a report",
            **extra,
        }

    def intake_view(self, request):
        if not may_intake(request.user):
            raise PermissionDenied
        if request.method == "POST" and "state" in request.POST:
            return self.review_view(request)
        form = ReportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            return self.draft_view(request, form)
        return TemplateResponse(request, START_TEMPLATE, self.intake_context(request, form=form))

    def draft_view(self, request, form: ReportForm):
        data = form.cleaned_data
        text = data["text"]
        published = data["published"]
        day = published.date if published.precision == DatePrecision.DAY else None
        draft = draft_report(text, published=day)
        when = draft_date(published, draft)
        key = data["key"] or suggest_key(text, data["publisher"], when)
        registered = find_source(key, text)
        draft = with_matches(draft, registered)
        initial = {
            "key": registered.key if registered is not None else key,
            "title": data["title"] or (registered.title if registered else ""),
            "publisher": data["publisher"] or (registered.publisher if registered else ""),
            "url": data["url"] or (registered.url if registered else ""),
            "published": when,
            "dateline": (draft.get("source") or {}).get("dateline") or "",
            "summary": registered.summary if registered else "",
        }
        review = Review(text, draft, source_initial=initial)
        return self.render_review(request, review, registered=registered)

    def render_review(self, request, review: Review, registered=None):
        if registered is None and review.source_form.is_bound:
            key = review.source_form.data.get("key", "").strip()
            registered = find_source(key, review.text)
        context = self.intake_context(
            request,
            title="Review the draft",
            review=review,
            state=sign_draft(review.text, review.draft),
            registered=registered,
            paragraph_count=len(review.paragraphs),
            countries=review.named("countries"),
            groupings=review.named("groupings"),
        )
        return TemplateResponse(request, REVIEW_TEMPLATE, context)

    def review_view(self, request):
        try:
            state = read_draft(request.POST["state"])
        except signing.BadSignature:
            messages.error(
                request,
                "This draft cannot be read (it was changed, or is older than two days): "
                "nothing was written. Draft the report again.",
            )
            return HttpResponseRedirect(intake_url())
        if "discard" in request.POST:
            messages.info(request, "The draft was discarded: nothing was written.")
            return HttpResponseRedirect(reverse("admin:engagements_source_changelist"))
        review = Review(state["text"], state["draft"], data=request.POST)
        if not review.is_valid():
            return self.render_review(request, review)
        try:
            written = accept(review.reviewed(), user=request.user)
        except IntakeError as exc:
            review.add_intake_error(exc)
            return self.render_review(request, review)
        log = self.log_addition if written.source_is_new else self.log_change
        log(request, written.source, f"Intake: {written.summary()}.")
        messages.success(
            request,
            f"Intake of {written.source.key}: {written.summary()}, each cited to its paragraphs.",
        )
        return HttpResponseRedirect(
            reverse("admin:engagements_source_change", args=[written.source.pk])
        )


def intake_url() -> str:
    return reverse("admin:engagements_source_intake")
