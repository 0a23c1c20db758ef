"""Concurrent edits: a change form carries the version of the record it was opened on.

Two staff open the same record; A saves; B saves from the form A's save made stale. Without a
check B's save wrote back every value of B's page, undoing A's edit without a word. Here the
form carries ``edit_version``: the last history row of the record and of each inline's rows
(participants, citations…) when the page was rendered. Saving reads them again with the record
locked (``SELECT … FOR UPDATE``, held until the save commits, so two saves cannot both pass the
check); when any moved on and something really changed, B's save is refused: the form comes
back with B's values, what changed since (field by field, old → new, from the history rows)
and the version now current, so saving again deliberately replaces A's values with B's.

A form posted without the field (an old page, the history's revert form) is not checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Max, Model, OuterRef, Subquery
from django.db.models.fields.related import ForeignKey
from django.forms.models import _get_foreign_key
from django.utils.text import capfirst
from simple_history.utils import get_m2m_reverse_field_name

from ..history import history_of

FIELD = "edit_version"
#: Longest value a change shows whole (a summary is cut, with an ellipsis).
VALUE_CHARS = 120


@dataclass(frozen=True)
class Tracked:
    """A history table whose rows are changes of the record: its own, or an inline's."""

    label: str  # the model's name, the token's key
    history: type[Model]
    owner: str  # the history field holding the record's id ("id" for the record itself)
    title: str  # what the rows are, for the messages ("participants")
    record: bool = False  # the record's own history, not an inline's


def tracked_tables(model_admin, request, obj) -> list[Tracked]:
    """The record's history table, then each inline's (its rows of the record)."""
    tables = []
    own = history_of(obj)
    if own is not None:
        tables.append(Tracked(obj._meta.model_name, own.model, obj._meta.pk.attname, "", True))
    for inline in model_admin.get_inline_instances(request, obj):
        manager = getattr(inline.model._meta, "simple_history_manager_attribute", None)
        label = inline.model._meta.model_name
        if not manager or any(t.label == label for t in tables):
            continue
        fk = _get_foreign_key(type(obj), inline.model, fk_name=inline.fk_name)
        history = getattr(inline.model, manager).model
        # "citations (a source and its paragraphs, e.g. …)" is "citations" in a message.
        title = str(inline.verbose_name_plural).split(" (")[0]
        tables.append(Tracked(label, history, fk.attname, title))
    return tables


def current_versions(obj, tables: list[Tracked], lock: bool = False) -> dict[str, int] | None:
    """The last history id of each table for ``obj`` (0: none), in one query; with ``lock``
    the record's row is locked until the transaction ends. None if the record is gone."""
    annotations = {
        f"v_{t.label}": Subquery(
            t.history._default_manager.filter(**{t.owner: OuterRef("pk")})
            .order_by()
            .values(t.owner)
            .annotate(last=Max("history_id"))
            .values("last")
        )
        for t in tables
    }
    queryset = type(obj)._base_manager.filter(pk=obj.pk)
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    row = queryset.annotate(**annotations).values(*annotations).first()
    if row is None:
        return None
    return {t.label: row[f"v_{t.label}"] or 0 for t in tables}


def format_token(versions: dict[str, int]) -> str:
    return ";".join(f"{label}={number}" for label, number in versions.items())


def parse_token(token: str) -> dict[str, int]:
    """``meeting=12;participation=40`` as a dict; a damaged part reads as version 0."""
    versions = {}
    for part in (token or "").split(";"):
        label, _, number = part.partition("=")
        versions[label.strip()] = int(number) if number.isdigit() else 0
    return versions


@dataclass
class Change:
    """One field of the record, as it was when the form was opened and as it is now."""

    field: str
    old: str
    new: str


@dataclass
class RowChange:
    """An inline row added, changed or removed since."""

    table: str
    action: str
    row: str


@dataclass
class Conflict:
    """What was saved since the form was opened."""

    token: str  # the version now current (the redisplayed form carries it)
    users: list[str] = field(default_factory=list)
    when: object = None
    changes: list[Change] = field(default_factory=list)
    rows: list[RowChange] = field(default_factory=list)
    unknown: bool = False  # the record changed but its earlier version is not in its history
    deleted: bool = False

    def names(self) -> list[str]:
        """The fields and inline tables changed, in order, once each."""
        return list(dict.fromkeys([c.field for c in self.changes] + [r.table for r in self.rows]))

    def message(self, noun: str) -> str:
        if self.deleted:
            return f"This {noun} was deleted after you opened this page: nothing was saved."
        who = ", ".join(self.users) or "someone"
        what = ", ".join(self.names()) if self.names() else "it"
        return (
            f"{who} changed this {noun} after you opened this page ({what}): your changes "
            "are not saved yet. They are kept below; compare them with what changed, then "
            "save again to replace those values with yours, or reload the page to start "
            "from the record as it is now."
        )


_ACTIONS = {"+": "added", "~": "changed", "-": "removed"}


def find_conflict(obj, tables: list[Tracked], posted: str) -> Conflict | None:
    """The changes since the version ``posted`` (the form's token), with the record locked;
    None when nothing changed (or only saves that changed nothing)."""
    now = current_versions(obj, tables, lock=True)
    if now is None:
        return Conflict(token="", deleted=True)
    seen = parse_token(posted)
    moved = [t for t in tables if now[t.label] > seen.get(t.label, 0)]
    if not moved:
        return None
    conflict = Conflict(token=format_token(now))
    rows_since = []
    for table in moved:
        since = (
            table.history._default_manager.filter(
                **{table.owner: obj.pk, "history_id__gt": seen.get(table.label, 0)}
            )
            .select_related("history_user")
            .order_by("history_id")
        )
        rows_since.extend(since)
        if table.record:
            conflict.changes, conflict.unknown = record_changes(
                table, seen.get(table.label, 0), now[table.label]
            )
        else:
            conflict.rows.extend(row_changes(table, since))
    if not conflict.changes and not conflict.rows and not conflict.unknown:
        return None  # saved without a change (a save writes a history row regardless)
    conflict.users = sorted({_user(r) for r in rows_since})
    conflict.when = max(r.history_date for r in rows_since)
    return conflict


def _user(row) -> str:
    user = row.history_user
    return user.get_username() if user is not None else "an import or a command"


def record_changes(table: Tracked, seen_id: int, now_id: int) -> tuple[list[Change], bool]:
    """The record's fields that differ between version ``seen_id`` and ``now_id``."""
    manager = table.history._default_manager
    new = manager.get(history_id=now_id)
    old = manager.filter(history_id=seen_id).first() if seen_id else None
    if old is None:
        return [], True
    delta = new.diff_against(old, foreign_keys_are_objs=True)
    model = table.history.instance_type
    changes = []
    for change in delta.changes:
        model_field = model._meta.get_field(change.field)
        label = str(capfirst(model_field.verbose_name))
        old, new = _shown(model_field, change.old), _shown(model_field, change.new)
        changes.append(Change(label, old, new))
    return changes, False


def row_changes(table: Tracked, since: Iterable) -> list[RowChange]:
    """Each inline row added, changed or removed since, described as its record reads."""
    changes = []
    for row in since:
        if row.history_type == "~" and _unchanged(row):
            continue  # saved as it was (its own page's Save): not a change to show
        try:
            described = str(row.instance)
        except (ObjectDoesNotExist, AttributeError, ValueError):
            described = f"#{getattr(row, 'id', '')}"
        changes.append(RowChange(table.title, _ACTIONS.get(row.history_type, "changed"), described))
    return changes


def _unchanged(row) -> bool:
    previous = row.prev_record
    return previous is not None and not row.diff_against(previous).changes


def _shown(model_field, value) -> str:
    """A value of ``model_field`` as a person reads it: a related record by its name, a
    choice by its label, a list of links by their names."""
    if model_field.many_to_many:
        target = get_m2m_reverse_field_name(model_field)
        return _cut("; ".join(sorted(str(link[target]) for link in value or ())) or "—")
    if value is None or value == "":
        return "—"
    if isinstance(model_field, ForeignKey):
        return _cut(str(value))
    choices = dict(model_field.flatchoices)
    if value in choices:
        return str(choices[value])
    return _cut(str(value))


def _cut(text: str) -> str:
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1].rstrip() + "…"


class VersionField(forms.CharField):
    """The hidden version a change form was opened on; never "changed" data of its own."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)

    def has_changed(self, initial, data) -> bool:
        return False


def versioned_form(form: type[forms.ModelForm], tables: list[Tracked]) -> type[forms.ModelForm]:
    """``form`` with ``edit_version``: set when the page is rendered, checked when it is
    saved (see the module's docstring). The refused form keeps ``edit_conflict``."""

    class VersionedForm(form):
        edit_version = VersionField()

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.edit_conflict: Conflict | None = None
            if not self.is_bound and self.instance.pk is not None:
                versions = current_versions(self.instance, tables)
                self.fields[FIELD].initial = format_token(versions or {})

        def clean(self):
            cleaned = super().clean()
            posted = cleaned.get(FIELD)
            if not posted or self.instance.pk is None:
                return cleaned
            conflict = find_conflict(self.instance, tables, posted)
            if conflict is not None:
                self.edit_conflict = conflict
                # Shown again with the version now current: saving again is deliberate.
                data = self.data.copy()
                data[self.add_prefix(FIELD)] = conflict.token
                self.data = data
                self.add_error(None, conflict.message(self._meta.model._meta.verbose_name))
            return cleaned

    VersionedForm.__name__ = form.__name__
    return VersionedForm
