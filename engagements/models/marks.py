"""Marks on values no paragraph gives: one table per kind of marked record (as citations)."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from .agreements import Agreement
from .base import Mark, mark_constraints
from .initiatives import Initiative
from .meetings import Meeting
from .people import Official, Post
from .places import Grouping


class MeetingMark(Mark):
    record_field = "meeting"
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="marks")

    history = HistoricalRecords()

    class Meta(Mark.Meta):
        verbose_name = "meeting mark"
        constraints = mark_constraints("meeting")


class AgreementMark(Mark):
    record_field = "agreement"
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="marks")

    history = HistoricalRecords()

    class Meta(Mark.Meta):
        verbose_name = "agreement mark"
        constraints = mark_constraints("agreement")


class InitiativeMark(Mark):
    record_field = "initiative"
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="marks")

    history = HistoricalRecords()

    class Meta(Mark.Meta):
        verbose_name = "initiative mark"
        constraints = mark_constraints("initiative")


class OfficialMark(Mark):
    record_field = "official"
    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="marks")

    history = HistoricalRecords()

    class Meta(Mark.Meta):
        verbose_name = "official mark"
        constraints = mark_constraints("official")


class PostMark(Mark):
    record_field = "post"
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="marks")

    history = HistoricalRecords()

    class Meta(Mark.Meta):
        verbose_name = "post mark"
        constraints = mark_constraints("post")


class GroupingMark(Mark):
    record_field = "grouping"
    grouping = models.ForeignKey(Grouping, on_delete=models.CASCADE, related_name="marks")

    history = HistoricalRecords()

    class Meta(Mark.Meta):
        verbose_name = "grouping mark"
        constraints = mark_constraints("grouping")


#: The kinds of mark, one per marked model.
MARKS: tuple[type[Mark], ...] = (
    MeetingMark,
    AgreementMark,
    InitiativeMark,
    OfficialMark,
    PostMark,
    GroupingMark,
)
